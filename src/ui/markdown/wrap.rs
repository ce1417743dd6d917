//! Word wrapping of a styled line to a width in terminal cells: breaks at spaces, splits
//! words longer than a row, keeps each piece's style, and never yields a row wider than asked.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// One grapheme of the line being wrapped.
#[derive(Clone, Copy)]
struct Cell<'a> {
    text: &'a str,
    style: Style,
    width: usize,
    space: bool,
}

/// Spaces a row may break at; the no-break ones (U+00A0, U+2007, U+202F) are not.
fn is_space(g: &str) -> bool {
    g.chars()
        .all(|c| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}'))
}

/// The rows being built.
struct Rows {
    width: usize,
    hang: usize,
    done: Vec<Vec<Span<'static>>>,
    row: Vec<Span<'static>>,
    /// Cells used in `row`, counting the hanging indent.
    used: usize,
}

impl Rows {
    /// Cells a row starts with: none on the first, the hanging indent after.
    fn start(&self) -> usize {
        if self.done.is_empty() { 0 } else { self.hang }
    }

    fn is_fresh(&self) -> bool {
        self.used == self.start()
    }

    fn put(&mut self, text: &str, style: Style, width: usize) {
        self.used += width;
        match self.row.last_mut() {
            Some(last) if last.style == style => last.content.to_mut().push_str(text),
            _ => self.row.push(Span::styled(text.to_string(), style)),
        }
    }

    fn break_row(&mut self) {
        self.done.push(std::mem::take(&mut self.row));
        self.used = 0;
        if self.hang > 0 {
            self.put(&" ".repeat(self.hang), Style::new(), self.hang);
        }
    }

    /// Puts one grapheme, on a new row when it does not fit on this one. A grapheme wider
    /// than a whole row (a wide character at width 1) becomes U+FFFD so no row overflows.
    fn put_cell(&mut self, cell: Cell<'_>) {
        if self.used + cell.width > self.width && !self.is_fresh() {
            self.break_row();
        }
        if self.used + cell.width > self.width {
            self.put("\u{fffd}", cell.style, 1);
        } else {
            self.put(cell.text, cell.style, cell.width);
        }
    }
}

/// Wraps `line` at word boundaries to rows of at most `width` cells. Spaces where a row breaks
/// are dropped; a word longer than a row is split; styles are kept; an empty line (or width 0)
/// gives one empty row.
pub fn wrap(line: &Line<'_>, width: u16) -> Vec<Line<'static>> {
    wrap_indented(line, width, 0)
}

/// Like `wrap`, with every row after the first indented by `hang` cells (a list item's text
/// lining up under itself). The indent is dropped when it would leave less than two cells.
pub fn wrap_indented(line: &Line<'_>, width: u16, hang: u16) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let hang = usize::from(hang);
    let hang = if hang + 2 <= width { hang } else { 0 };
    let finish = |rows: Vec<Vec<Span<'static>>>| {
        rows.into_iter()
            .map(|spans| Line {
                style: line.style,
                alignment: line.alignment,
                spans,
            })
            .collect()
    };
    let cells: Vec<Cell<'_>> = line
        .spans
        .iter()
        .flat_map(|span| {
            span.content.graphemes(true).map(|g| Cell {
                text: g,
                style: span.style,
                width: g.width(),
                space: is_space(g),
            })
        })
        .collect();
    if width == 0 || cells.is_empty() {
        return finish(vec![Vec::new()]);
    }
    let mut rows = Rows {
        width,
        hang,
        done: Vec::new(),
        row: Vec::new(),
        used: 0,
    };
    // Spaces seen since the last word: put down only once the next word is placed.
    let mut spaces = 0..0;
    let mut i = 0;
    while i < cells.len() {
        let start = i;
        let space = cells[i].space;
        while i < cells.len() && cells[i].space == space {
            i += 1;
        }
        if space {
            // A continuation row never starts with the spaces it broke at.
            if !rows.is_fresh() || rows.done.is_empty() {
                spaces = start..i;
            }
            continue;
        }
        let word = &cells[start..i];
        let word_width: usize = word.iter().map(|c| c.width).sum();
        let spaces_width: usize = cells[spaces.clone()].iter().map(|c| c.width).sum();
        if rows.used + spaces_width + word_width <= width {
            for cell in &cells[spaces.clone()] {
                rows.put(cell.text, cell.style, cell.width);
            }
            for cell in word {
                rows.put(cell.text, cell.style, cell.width);
            }
        } else if hang + word_width <= width {
            // It fits a row of its own. On a fresh row only leading spaces were in the way:
            // they go, like the spaces at a break.
            if !rows.is_fresh() {
                rows.break_row();
            }
            for cell in word {
                rows.put(cell.text, cell.style, cell.width);
            }
        } else {
            // Longer than a row: it fills this one and goes on in the next, still set apart
            // from the word before it.
            if rows.used + spaces_width < width {
                for cell in &cells[spaces.clone()] {
                    rows.put(cell.text, cell.style, cell.width);
                }
            } else if !rows.is_fresh() {
                rows.break_row();
            }
            for &cell in word {
                rows.put_cell(cell);
            }
        }
        spaces = 0..0;
    }
    // Trailing spaces stay as far as they fit.
    for cell in &cells[spaces] {
        if rows.used + cell.width > width {
            break;
        }
        rows.put(cell.text, cell.style, cell.width);
    }
    let mut done = rows.done;
    done.push(rows.row);
    finish(done)
}

/// The text a line shows.
#[cfg(test)]
pub(super) fn plain(line: &Line<'_>) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ratatui::style::{Color, Modifier};

    fn texts(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(|l| plain(l)).collect()
    }

    #[test]
    fn breaks_at_spaces_and_drops_them() {
        let line = Line::from("the quick brown fox");
        assert_eq!(
            texts(&wrap(&line, 10)),
            ["the quick", "brown fox"],
            "the space at each break goes"
        );
        assert_eq!(texts(&wrap(&line, 19)), ["the quick brown fox"]);
        assert_eq!(texts(&wrap(&line, 5)), ["the", "quick", "brown", "fox"]);
    }

    #[test]
    fn long_words_are_split_and_wide_characters_never_overflow() {
        let line = Line::from("a verylongword b");
        assert_eq!(texts(&wrap(&line, 6)), ["a very", "longwo", "rd b"]);
        // No room left for the space: the long word starts a row rather than gluing on.
        let line = Line::from("abcde fghijklm");
        assert_eq!(texts(&wrap(&line, 6)), ["abcde", "fghijk", "lm"]);
        let wide = Line::from("日本語");
        assert_eq!(texts(&wrap(&wide, 3)), ["日", "本", "語"]);
        assert_eq!(texts(&wrap(&wide, 1)), ["\u{fffd}", "\u{fffd}", "\u{fffd}"]);
    }

    #[test]
    fn empty_lines_and_zero_width_give_one_empty_row() {
        assert_eq!(texts(&wrap(&Line::default(), 10)), [""]);
        assert_eq!(texts(&wrap(&Line::from("abc"), 0)), [""]);
    }

    #[test]
    fn styles_follow_their_text_across_breaks_and_line_style_is_kept() {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let red = Style::new().fg(Color::Red);
        let line = Line::from(vec![
            Span::styled("bold words", bold),
            Span::styled("and red", red),
        ])
        .style(Style::new().bg(Color::Blue));
        let rows = wrap(&line, 8);
        assert_eq!(texts(&rows), ["bold", "wordsand", "red"]);
        assert_eq!(
            rows[1].spans,
            [Span::styled("words", bold), Span::styled("and", red)]
        );
        assert!(rows.iter().all(|r| r.style == Style::new().bg(Color::Blue)));
    }

    #[test]
    fn indentation_leads_the_first_row_and_the_hang_the_others() {
        let line = Line::from("  - one two three");
        assert_eq!(
            texts(&wrap_indented(&line, 9, 4)),
            ["  - one", "    two", "    three"]
        );
        // No room for the hang: plain wrapping.
        assert_eq!(
            texts(&wrap_indented(&line, 5, 4)),
            ["  -", "one", "two", "three"]
        );
    }

    fn styled_line() -> impl Strategy<Value = Line<'static>> {
        let styles = [
            Style::new(),
            Style::new().fg(Color::Red),
            Style::new().add_modifier(Modifier::BOLD),
        ];
        proptest::collection::vec(("[a-c é日 ]{0,12}", 0..3usize), 0..6).prop_map(move |parts| {
            Line::from(
                parts
                    .into_iter()
                    .map(|(text, s)| Span::styled(text, styles[s]))
                    .collect::<Vec<_>>(),
            )
        })
    }

    /// The line's graphemes other than spaces, each with its style.
    fn inked(lines: &[Line<'_>]) -> Vec<(String, Style)> {
        lines
            .iter()
            .flat_map(|l| l.spans.iter())
            .flat_map(|s| {
                s.content
                    .graphemes(true)
                    .filter(|g| !is_space(g))
                    .map(|g| (g.to_string(), s.style))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    proptest! {
        #[test]
        fn rows_fit_and_keep_every_non_space_grapheme(line in styled_line(), width in 2u16..30, hang in 0u16..6) {
            let rows = wrap_indented(&line, width, hang);
            prop_assert!(!rows.is_empty());
            for row in &rows {
                prop_assert!(row.width() <= usize::from(width), "{:?} wider than {}", row, width);
            }
            prop_assert_eq!(inked(&rows), inked(std::slice::from_ref(&line)));
            // Words that fit a row are never split.
            let text = plain(&line);
            let room = usize::from(width) - if usize::from(hang) + 2 <= usize::from(width) { usize::from(hang) } else { 0 };
            let out: Vec<String> = rows.iter().map(|r| plain(r)).collect();
            for word in text.split(' ').filter(|w| !w.is_empty() && w.width() <= room) {
                prop_assert!(
                    out.iter().any(|r| r.split(' ').any(|w| w == word)),
                    "{:?} split in {:?}", word, out
                );
            }
        }

        #[test]
        fn width_one_still_never_overflows(line in styled_line()) {
            for row in wrap(&line, 1) {
                prop_assert!(row.width() <= 1);
            }
        }
    }
}
