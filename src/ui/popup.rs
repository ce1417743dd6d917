//! The fuzzy popup shared by the file picker, the command palette and `@` completion: where
//! it goes, its frame with a query line, and list rows with the matched characters
//! highlighted.

use ratatui::Frame;
use ratatui::layout::{Position, Rect, Size};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear};

use crate::ui::theme::Theme;

/// The popup's place: most of the screen, centred.
pub fn area(size: Size) -> Rect {
    let w = if size.width > 40 {
        size.width * 9 / 10
    } else {
        size.width
    };
    let h = if size.height > 12 {
        size.height * 8 / 10
    } else {
        size.height
    };
    Rect::new((size.width - w) / 2, (size.height - h) / 2, w, h)
}

/// Rows available for the list in a terminal of `size` (borders and the query line excluded).
pub fn list_height(size: (u16, u16)) -> u32 {
    u32::from(area(Size::new(size.0, size.1)).height.saturating_sub(3))
}

/// Clears `area`, draws the bordered frame with `title` and the "> query" line with the
/// cursor at its end, and returns the area left for the list (None when nothing fits).
pub fn frame_with_query(
    frame: &mut Frame<'_>,
    area: Rect,
    title: String,
    query: &str,
    theme: &Theme,
) -> Option<Rect> {
    if area.is_empty() {
        return None;
    }
    clear(frame, area, theme);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.picker_border)
        .title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.is_empty() {
        return None;
    }
    let line = Line::from(vec![
        Span::styled("> ", theme.prompt_label),
        Span::raw(query),
    ]);
    frame.render_widget(line, Rect { height: 1, ..inner });
    let qx = inner.x + 2 + unicode_width::UnicodeWidthStr::width(query) as u16;
    frame.set_cursor_position(Position::new(
        qx.min(inner.right().saturating_sub(1)),
        inner.y,
    ));
    Some(Rect {
        y: inner.y + 1,
        height: inner.height - 1,
        ..inner
    })
}

/// Blanks `area` for a popup drawn over what is there, in the popup's colours.
pub fn clear(frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    frame.render_widget(Clear, area);
    // Clear leaves the terminal's default colours; the popup gets the theme's.
    frame.buffer_mut().set_style(area, body(theme));
}

/// One list row at `y` of `list`: the selected row is drawn reversed across its width.
/// Returns the row's area and the base style for its text.
pub fn row(
    frame: &mut Frame<'_>,
    list: Rect,
    y: u16,
    selected: bool,
    theme: &Theme,
) -> (Rect, Style) {
    let area = Rect {
        y,
        height: 1,
        ..list
    };
    if selected {
        let style = body(theme).patch(theme.picker_selected);
        frame.buffer_mut().set_style(area, style);
        (area, style)
    } else {
        (area, body(theme))
    }
}

/// The popup's own text style: the editor's, with what `ui.popup` changes.
pub fn body(theme: &Theme) -> Style {
    theme.text.patch(theme.popup)
}

/// `text` cut to `max_chars`, with the chars at `indices` (sorted) highlighted as matches.
pub fn highlighted<'a>(
    text: &str,
    indices: &[u32],
    max_chars: usize,
    base: Style,
    theme: &Theme,
) -> Vec<Span<'a>> {
    text.chars()
        .take(max_chars)
        .enumerate()
        .map(|(i, c)| {
            let hit = indices.binary_search(&(i as u32)).is_ok();
            Span::styled(
                c.to_string(),
                if hit {
                    base.patch(theme.picker_match)
                } else {
                    base
                },
            )
        })
        .collect()
}
