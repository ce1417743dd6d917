//! The command palette popup: the query, then the matching commands (or themes) with the
//! matched characters highlighted and their keys (or a "current" mark) on the right.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::palette::Palette;
use crate::ui::popup;
use crate::ui::theme::Theme;

pub fn render(frame: &mut Frame<'_>, area: Rect, palette: &Palette, theme: &Theme) {
    let title = format!(" {} {} ", palette.title(), palette.rows.len());
    let Some(list) = popup::frame_with_query(frame, area, title, &palette.query, theme) else {
        return;
    };
    let rows = usize::from(list.height);
    // Keep the selected row in view.
    let first = palette.selected.saturating_sub(rows.saturating_sub(1));
    let width = usize::from(list.width);
    for (i, row) in palette.rows.iter().enumerate().skip(first).take(rows) {
        let y = list.y + (i - first) as u16;
        let (line_area, base) = popup::row(frame, list, y, i == palette.selected, theme);
        let keys_width = unicode_width::UnicodeWidthStr::width(row.keys.as_str());
        // The keys keep their place on the right; a long label gives way.
        let label_room = if keys_width > 0 && keys_width + 8 < width {
            width - keys_width - 1
        } else {
            width
        };
        let mut spans = popup::highlighted(&row.label, &row.indices, label_room, base, theme);
        let label_width: usize = spans.iter().map(Span::width).sum();
        if !row.keys.is_empty() && label_width + keys_width < width {
            spans.push(Span::styled(
                " ".repeat(width - label_width - keys_width),
                base,
            ));
            spans.push(Span::styled(row.keys.as_str(), base.patch(theme.gutter)));
        }
        frame.render_widget(Line::from(spans), line_area);
    }
}
