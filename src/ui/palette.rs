//! The command palette popup: the query, then the matching commands with the matched
//! characters highlighted and their keys on the right.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear};

use crate::palette::Palette;
use crate::ui::theme::Theme;

pub fn render(frame: &mut Frame<'_>, area: Rect, palette: &Palette, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    frame.render_widget(Clear, area);
    let title = format!(" Commands {} ", palette.rows.len());
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.picker_border)
        .title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.is_empty() {
        return;
    }
    let query = Line::from(vec![
        Span::styled("> ", theme.prompt_label),
        Span::raw(palette.query.as_str()),
    ]);
    frame.render_widget(query, Rect { height: 1, ..inner });
    let qx = inner.x + 2 + unicode_width::UnicodeWidthStr::width(palette.query.as_str()) as u16;
    frame.set_cursor_position(Position::new(
        qx.min(inner.right().saturating_sub(1)),
        inner.y,
    ));
    let rows = usize::from(inner.height.saturating_sub(1));
    // Keep the selected row in view.
    let first = palette.selected.saturating_sub(rows.saturating_sub(1));
    for (i, row) in palette.rows.iter().enumerate().skip(first).take(rows) {
        let y = inner.y + 1 + (i - first) as u16;
        let line_area = Rect {
            y,
            height: 1,
            ..inner
        };
        let selected = i == palette.selected;
        let base = if selected {
            theme.picker_selected
        } else {
            theme.text
        };
        if selected {
            frame
                .buffer_mut()
                .set_style(line_area, theme.picker_selected);
        }
        let width = usize::from(inner.width);
        let keys_width = unicode_width::UnicodeWidthStr::width(row.keys.as_str());
        // The keys keep their place on the right; a long label gives way.
        let label_room = if keys_width > 0 && keys_width + 8 < width {
            width - keys_width - 1
        } else {
            width
        };
        let mut spans: Vec<Span<'_>> = row
            .label
            .chars()
            .take(label_room)
            .enumerate()
            .map(|(ci, c)| {
                let hit = row.indices.binary_search(&(ci as u32)).is_ok();
                Span::styled(
                    c.to_string(),
                    if hit {
                        base.patch(theme.picker_match)
                    } else {
                        base
                    },
                )
            })
            .collect();
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
