//! The text area: line numbers, the visible part of each line with wide characters, tabs and
//! invisible characters drawn as the terminal shows them, the selection and search matches,
//! and the rows a suggested edit under review adds between the lines (see `review_view`).

use std::ops::Range;

use ratatui::Frame;
use ratatui::buffer::Buffer as Cells;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;

use crate::app::{App, Overlay};
use crate::buffer::Buffer;
use crate::config::Config;
use crate::core::graphemes::{Glyph, Graphemes, glyph};
use crate::core::movement;
use crate::core::search;
use crate::diagnostics::Severity;
use crate::review::layout::{self, DisplayRow, buffer_rows};
use crate::syntax::highlight::Span;
use crate::syntax::registry::HighlightId;
use crate::ui::ghost_view::GhostView;
use crate::ui::review_view::Inline;
use crate::ui::theme::Theme;

/// Columns taken by line numbers and the space after them (0 when turned off or too narrow),
/// plus, while a suggested edit is reviewed, one for the mark of the hunk under review.
pub fn gutter_width(buf: &Buffer, config: &Config) -> u16 {
    if !config.editor.line_numbers {
        return 0;
    }
    let digits = buf.doc.text().len_lines().max(1).ilog10() + 1;
    (digits.max(3) + 1) as u16 + u16::from(buf.review.is_some())
}

pub fn render(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    if area.is_empty() || app.buffers.is_empty() {
        return;
    }
    let buf = app.buf();
    let doc = &buf.doc;
    let text = doc.text();
    let mut gutter = gutter_width(buf, &app.config);
    // Keep at least a few columns for text on narrow terminals.
    if area.width < gutter + 8 {
        gutter = 0;
    }
    let text_area = Rect {
        x: area.x + gutter,
        width: area.width - gutter,
        ..area
    };
    let sel = doc.selection();
    let cursor_line = movement::line_of(text, sel.head);
    let last_line = text.len_lines().saturating_sub(1);
    let first_char = movement::line_start(text, buf.scroll_line);
    let end_line = (buf.scroll_line + usize::from(area.height)).min(last_line);
    let last_char = movement::line_end(text, end_line);
    let highlight_search = matches!(app.overlay, Overlay::Prompt(_)) || app.highlight_search;
    let matches = match &app.last_search {
        Some(q) if highlight_search => search::find_in(text, q, first_char, last_char),
        _ => Vec::new(),
    };
    let spans: &[Span] = buf
        .syntax
        .as_ref()
        .and_then(|s| s.highlights())
        .filter(|h| h.version == doc.version())
        .map_or(&[], |h| &h.spans);
    let styles = SyntaxStyles::new(app, theme, spans);
    let height = usize::from(area.height);
    let rows = buffer_rows(buf);
    let skip = layout::skip_for(&rows, buf.scroll_line, cursor_line, height);
    let shown = layout::display_rows(&rows, buf.scroll_line, text.len_lines(), skip, height);
    let inline = buf
        .review
        .as_deref()
        .map(|review| Inline::new(review, &shown, theme));
    let diagnostics = app.diagnostics_of(app.current);
    // A completion's further lines push the rows below the cursor's down.
    let ghost = GhostView::new(app, theme);
    let extra = ghost.as_ref().map_or(0, GhostView::extra_rows);
    let cursor_row = shown
        .iter()
        .position(|&r| r == DisplayRow::Line(cursor_line));
    let cells = frame.buffer_mut();
    for (row, &display) in shown.iter().enumerate() {
        let row = match cursor_row {
            Some(c) if row > c => row + extra,
            _ => row,
        };
        if row >= height {
            break;
        }
        let y = area.y + row as u16;
        let line_view = LineView {
            text_area,
            y,
            scroll_col: buf.scroll_col,
            tab_width: doc.tab_width,
            theme,
            spans,
            styles: &styles,
        };
        let number_style = if display == DisplayRow::Line(cursor_line) {
            theme.gutter_current
        } else {
            theme.gutter
        };
        match (&inline, display) {
            (Some(inline), _) if gutter > 0 => {
                inline.gutter(
                    cells,
                    Rect {
                        width: gutter,
                        ..area
                    },
                    y,
                    display,
                    number_style,
                );
            }
            (None, DisplayRow::Line(line)) if gutter > 0 => {
                let number = format!("{:>w$} ", line + 1, w = usize::from(gutter - 1));
                cells.set_stringn(area.x, y, number, usize::from(gutter), number_style);
                // The worst diagnostic of the line, in the column after its number: the
                // mark that Ctrl-T offers a fix there.
                if let Some(worst) = diagnostics
                    .iter()
                    .filter(|d| d.line == line)
                    .map(|d| d.severity)
                    .min()
                {
                    let style = match worst {
                        Severity::Error => theme.error,
                        Severity::Warning => theme.dialog,
                        Severity::Info => theme.gutter,
                    };
                    cells.set_stringn(area.x + gutter - 1, y, "●", 1, style);
                }
            }
            _ => {}
        }
        match display {
            DisplayRow::Line(line) => {
                let start = buf
                    .view_start
                    .filter(|(l, _, _)| *l == line)
                    .map(|(_, pos, col)| (pos, col));
                let decor = inline
                    .as_ref()
                    .map_or_else(Decor::default, |i| i.line_decor(line));
                let selection = sel.from()..sel.to();
                line_view.draw(cells, text, line, start, selection, &matches, decor);
                if let Some(ghost) = ghost.as_ref().filter(|_| line == cursor_line) {
                    let at = (sel.head, buf.cursor_col);
                    ghost.draw(cells, &line_view, text, at, height - row - 1, &matches);
                }
            }
            DisplayRow::Added { hunk, line } => {
                if let Some(inline) = &inline {
                    inline.draw_added(cells, &line_view, hunk, line);
                }
            }
        }
    }
    // The terminal's own cursor marks the insertion point (prompts and popups take it instead).
    if matches!(app.overlay, Overlay::None | Overlay::Dialog(_)) {
        let col = buf.cursor_col;
        if let Some(row) = cursor_row
            && col >= buf.scroll_col
            && col < buf.scroll_col + usize::from(text_area.width)
        {
            let x = text_area.x + (col - buf.scroll_col) as u16;
            let y = area.y + row as u16;
            frame.set_cursor_position(Position::new(x, y));
        }
    }
}

/// How a line's own colours change while a suggested edit is reviewed: the diff's colour
/// over the syntax colours, and the changed words picked out further.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Decor<'a> {
    /// Patched over the syntax colours of the whole line.
    pub diff: Option<Style>,
    /// Byte ranges from the start of the line that get `emphasis_style` too.
    pub emphasis: &'a [Range<usize>],
    pub emphasis_style: Style,
}

/// Draws one row of text; the rows a review adds are drawn through it too, so tabs, wide
/// characters and horizontal scrolling look the same on them.
pub(super) struct LineView<'a> {
    pub(super) text_area: Rect,
    pub(super) y: u16,
    pub(super) scroll_col: usize,
    pub(super) tab_width: usize,
    pub(super) theme: &'a Theme,
    /// Highlighted runs (byte offsets) of the visible lines.
    pub(super) spans: &'a [Span],
    pub(super) styles: &'a SyntaxStyles,
}

/// The theme's style for each capture on screen, looked up once per frame.
pub(super) struct SyntaxStyles(Vec<(HighlightId, Style)>);

impl SyntaxStyles {
    fn new(app: &App, theme: &Theme, spans: &[Span]) -> Self {
        let mut styles: Vec<(HighlightId, Style)> = Vec::new();
        for span in spans {
            if styles.iter().all(|(id, _)| *id != span.id) {
                let style = app
                    .syntax
                    .capture_name(span.id)
                    .map_or_else(Style::new, |name| theme.highlight(name));
                styles.push((span.id, style));
            }
        }
        Self(styles)
    }

    fn get(&self, id: HighlightId) -> Style {
        self.0
            .iter()
            .find(|(i, _)| *i == id)
            .map_or_else(Style::new, |(_, s)| *s)
    }
}

impl<'a> LineView<'a> {
    /// The same view for a text with no syntax runs (a line that is not in the document).
    pub(super) fn unhighlighted(&self) -> LineView<'a> {
        LineView {
            spans: &[],
            ..*self
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn draw(
        &self,
        cells: &mut Cells,
        text: &ropey::Rope,
        line: usize,
        start_at: Option<(usize, usize)>,
        selection: Range<usize>,
        matches: &[(usize, usize)],
        decor: Decor<'_>,
    ) {
        let start = movement::line_start(text, line);
        let end = movement::line_end(text, line);
        let line_byte = text.char_to_byte(start);
        let width = usize::from(self.text_area.width);
        let right = self.scroll_col + width;
        // The syntax run under the walk below (by byte offset; positions only grow).
        let mut span_index = 0;
        let mut style_at = |pos: usize, byte: usize| {
            let mut style = self.theme.text;
            while span_index < self.spans.len() && self.spans[span_index].end <= byte {
                span_index += 1;
            }
            if let Some(span) = self.spans.get(span_index).filter(|s| s.start <= byte) {
                style = style.patch(self.styles.get(span.id));
            }
            if let Some(diff) = decor.diff {
                style = style.patch(diff);
                let at = byte - line_byte;
                if decor.emphasis.iter().any(|r| r.contains(&at)) {
                    style = style.patch(decor.emphasis_style);
                }
            }
            if matches.iter().any(|&(s, e)| pos >= s && pos < e) {
                style = style.patch(self.theme.search_match);
            }
            if selection.contains(&pos) {
                style = style.patch(self.theme.selection);
            }
            style
        };
        // Start at a known (position, column) of this line when there is one.
        let (mut pos, mut col) = start_at
            .filter(|&(p, _)| p >= start && p <= end)
            .unwrap_or((start, 0));
        let mut byte = text.char_to_byte(pos);
        let mut clusters = Graphemes::new(text.slice(pos..end));
        loop {
            // Text scrolled off to the left is skipped in bulk where it is plain ASCII.
            let skipped = clusters.skip_plain(self.scroll_col.saturating_sub(col));
            col += skipped;
            pos += skipped;
            byte += skipped;
            let Some(symbol) = clusters.next() else { break };
            if col >= right {
                break;
            }
            let kind = glyph(&symbol, col, self.tab_width);
            let w = kind.width();
            if col + w > self.scroll_col {
                self.put(cells, col, &symbol, kind, style_at(pos, byte));
            }
            col += w;
            pos += symbol.chars().count();
            byte += symbol.len();
        }
        // A selected line break shows as one selected cell after the text.
        let has_line_break = line + 1 < text.len_lines();
        if has_line_break && selection.contains(&end) && col >= self.scroll_col && col < right {
            self.fill(cells, col, 1, self.theme.selection);
        }
    }

    /// Draws one grapheme starting at display column `col`, clipped to the visible columns.
    fn put(&self, cells: &mut Cells, col: usize, symbol: &str, kind: Glyph, style: Style) {
        let w = kind.width();
        let right = self.scroll_col + usize::from(self.text_area.width);
        let fits = col >= self.scroll_col && col + w <= right;
        match kind {
            Glyph::Text(_) if fits => {
                let x = self.text_area.x + (col - self.scroll_col) as u16;
                if let Some(cell) = cells.cell_mut((x, self.y)) {
                    cell.set_symbol(symbol).set_style(style);
                }
                // Cells covered by a wide character are left for it, as ratatui expects.
                for i in 1..w {
                    if let Some(cell) = cells.cell_mut((x + i as u16, self.y)) {
                        cell.reset();
                        cell.set_style(style);
                    }
                }
            }
            Glyph::Hidden if fits => {
                let x = self.text_area.x + (col - self.scroll_col) as u16;
                if let Some(cell) = cells.cell_mut((x, self.y)) {
                    cell.set_symbol("·")
                        .set_style(style.patch(self.theme.hidden_char));
                }
            }
            // Tabs, and wide characters cut by an edge, show as blanks.
            _ => {
                let from = col.max(self.scroll_col);
                let to = (col + w).min(right);
                self.fill(cells, from, to.saturating_sub(from), style);
            }
        }
    }

    fn fill(&self, cells: &mut Cells, col: usize, n: usize, style: Style) {
        for c in col..col + n {
            let x = self.text_area.x + (c - self.scroll_col) as u16;
            if let Some(cell) = cells.cell_mut((x, self.y)) {
                cell.set_symbol(" ").set_style(style);
            }
        }
    }
}
