//! The file picker popup: the query, how many files matched while the walk goes on, and the
//! best matches with the matched characters highlighted.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::app::PickerView;
use crate::ui::popup;
use crate::ui::theme::Theme;

pub fn render(frame: &mut Frame<'_>, area: Rect, view: &PickerView, theme: &Theme) {
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
    let Some(list) = popup::frame_with_query(frame, area, title, picker.query(), theme) else {
        return;
    };
    let selected = picker.selected();
    for (i, (path, indices)) in view.rows.iter().enumerate().take(usize::from(list.height)) {
        let is_selected = view.offset + i as u32 == selected;
        let (row, base) = popup::row(frame, list, list.y + i as u16, is_selected, theme);
        let spans = popup::highlighted(path, indices, usize::MAX, base, theme);
        frame.render_widget(Line::from(spans), row);
    }
}
