//! Moving the view over a proposal under review: finding the document line under a row when
//! added lines sit between the lines.

use crate::app::App;
use crate::core::movement;
use crate::review::layout::{self, buffer_rows};

impl App {
    /// The document line shown at `row` of the text area (for a row of added lines, the line
    /// they are drawn before), and `None` below the text.
    pub fn line_at_row(&self, row: usize) -> Option<usize> {
        let buf = self.buf();
        let line_count = buf.doc.text().len_lines();
        let rows = buffer_rows(buf);
        let height = self.editor_height();
        let cursor_line = movement::line_of(buf.doc.text(), buf.doc.cursor());
        let skip = layout::skip_for(&rows, buf.scroll_line, cursor_line, height);
        let shown = layout::display_rows(&rows, buf.scroll_line, line_count, skip, row + 1);
        match *shown.get(row)? {
            layout::DisplayRow::Line(line) => Some(line),
            layout::DisplayRow::Added { hunk, line } => rows
                .iter()
                .find(|r| r.hunk == hunk && r.lines.contains(&line))
                .map(|r| r.before.min(line_count.saturating_sub(1))),
        }
    }
}
