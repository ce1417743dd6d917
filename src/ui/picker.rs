//! The file picker popup: the query, how many files matched while the walk goes on, and the
//! best matches with the matched characters highlighted.

use ratatui::Frame;
use ratatui::layout::{Position, Rect, Size};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear};

use crate::app::PickerView;
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

/// Rows available for matches in a terminal of `size` (borders and the query line excluded).
pub fn list_height(size: (u16, u16)) -> u32 {
    u32::from(area(Size::new(size.0, size.1)).height.saturating_sub(3))
}

pub fn render(frame: &mut Frame<'_>, area: Rect, view: &PickerView, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    frame.render_widget(Clear, area);
    let picker = &view.picker;
    let status = if picker.is_walking() {
        " scanning… "
    } else {
        " "
    };
    let title = format!(
        " Open file{status}{}/{} ",
        picker.matched_count(),
        picker.total_count()
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.picker_border)
        .title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.is_empty() {
        return;
    }
    let query_line = Line::from(vec![
        Span::styled("> ", theme.prompt_label),
        Span::raw(picker.query()),
    ]);
    frame.render_widget(query_line, Rect { height: 1, ..inner });
    let qx = inner.x + 2 + unicode_width::UnicodeWidthStr::width(picker.query()) as u16;
    frame.set_cursor_position(Position::new(
        qx.min(inner.right().saturating_sub(1)),
        inner.y,
    ));
    let selected = picker.selected();
    for (i, (path, indices)) in view.rows.iter().enumerate() {
        let y = inner.y + 1 + i as u16;
        if y >= inner.bottom() {
            break;
        }
        let is_selected = view.offset + i as u32 == selected;
        let base = if is_selected {
            theme.picker_selected
        } else {
            theme.text
        };
        let spans: Vec<Span<'_>> = path
            .chars()
            .enumerate()
            .map(|(ci, c)| {
                let style = if indices.binary_search(&(ci as u32)).is_ok() {
                    base.patch(theme.picker_match)
                } else {
                    base
                };
                Span::styled(c.to_string(), style)
            })
            .collect();
        let row = Rect {
            y,
            height: 1,
            ..inner
        };
        if is_selected {
            frame.buffer_mut().set_style(row, theme.picker_selected);
        }
        frame.render_widget(Line::from(spans), row);
    }
}
