//! The buffer list across the top: one tab per open buffer, the current one highlighted,
//! scrolled so the current one is always visible.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::App;
use crate::buffer::DiskState;
use crate::ui::theme::Theme;

/// Each visible tab: (buffer index, first column, label).
fn tabs(app: &App, width: u16) -> Vec<(usize, u16, String)> {
    let labels: Vec<String> = app
        .buffers
        .iter()
        .map(|b| {
            format!(
                " {}{}{} ",
                b.display_name(),
                if matches!(b.on_disk, DiskState::Deleted { .. }) {
                    " [deleted]"
                } else {
                    ""
                },
                if b.doc.is_dirty() { " ●" } else { "" }
            )
        })
        .collect();
    let widths: Vec<u16> = labels
        .iter()
        .map(|l| unicode_width::UnicodeWidthStr::width(l.as_str()) as u16 + 1)
        .collect();
    // Start from the first tab that still lets the current one fit.
    let mut first = 0;
    while first < app.current
        && widths[first..=app.current]
            .iter()
            .map(|w| u32::from(*w))
            .sum::<u32>()
            > u32::from(width)
    {
        first += 1;
    }
    let mut out = Vec::new();
    let mut x = 0u16;
    for (i, label) in labels.into_iter().enumerate().skip(first) {
        if x >= width {
            break;
        }
        out.push((i, x, label));
        x = x.saturating_add(widths[i]);
    }
    out
}

/// The buffer whose tab is at `column`, for mouse clicks.
pub fn buffer_at(app: &App, area: Rect, column: u16) -> Option<usize> {
    let col = column.checked_sub(area.x)?;
    tabs(app, area.width)
        .into_iter()
        .rev()
        .find(|(_, x, _)| *x <= col)
        .map(|(i, _, _)| i)
}

pub fn render(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    let cells = frame.buffer_mut();
    for (i, x, label) in tabs(app, area.width) {
        let style = if i == app.current {
            theme.tab_active
        } else {
            theme.tab_inactive
        };
        let room = usize::from(area.width - x);
        cells.set_stringn(area.x + x, area.y, &label, room, style);
    }
}
