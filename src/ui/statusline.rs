//! The status line: file name, dirty and deleted-on-disk flags, loading progress, line:column,
//! language, line ending.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::buffer::DiskState;
use crate::core::movement;
use crate::ui::theme::Theme;

pub fn render(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    if area.is_empty() || app.buffers.is_empty() {
        return;
    }
    let buf = app.buf();
    let doc = &buf.doc;
    let text = doc.text();
    let head = doc.cursor();
    let line = movement::line_of(text, head);
    let col = buf.cursor_col;
    let name = match &doc.path {
        Some(path) => app.display_path(Some(path)),
        None => buf.display_name(),
    };
    let mut left = format!(" {name}");
    if doc.is_dirty() {
        left.push_str(" [+]");
    }
    if matches!(buf.on_disk, DiskState::Deleted { .. }) {
        left.push_str(" [deleted]");
    }
    if let Some(progress) = buf.loading {
        let _ = write!(left, "  loading {}%", progress.percent());
    } else if doc.read_only.is_some() {
        left.push_str("  [read-only]");
    }
    let mut right = String::new();
    // A running AI request shows its progress first: spinner, retry countdown, speed.
    if let Some(ai) = app.chat.status() {
        let _ = write!(right, "{ai}  ");
    }
    if let Some(indexing) = app.indexing_status() {
        let _ = write!(right, "{indexing}  ");
    }
    let _ = write!(right, "Ln {}, Col {}", line + 1, col + 1);
    let sel = doc.selection();
    if !sel.is_empty() {
        let _ = write!(right, " ({} selected)", sel.to() - sel.from());
    }
    let (language, note) = app.language_status();
    let mut tail = format!("  {language}  {}", doc.line_ending.name());
    if doc.bom {
        tail.push_str("  BOM");
    }
    tail.push(' ');
    let width = usize::from(area.width);
    let left_len = left.chars().count();
    // A note about syntax (e.g. why it is off) is shown only where it fits whole.
    if let Some(note) = note {
        let needed = left_len + right.chars().count() + tail.chars().count() + note.len() + 2;
        if needed <= width {
            let _ = write!(right, "  {note}");
        }
    }
    right.push_str(&tail);
    let right_len = right.chars().count();
    let style = if doc.is_dirty() {
        theme.status_dirty
    } else {
        theme.status
    };
    // When space is short the file name is cut from its start (the end says most), then the
    // right side goes.
    let line_text = if left_len + right_len <= width {
        format!("{left}{}{right}", " ".repeat(width - left_len - right_len))
    } else if right_len + 12 <= width {
        let keep = width - right_len - 2;
        let cut: String = left.chars().skip(left_len - keep).collect();
        format!(" …{cut}{right}")
    } else {
        left
    };
    frame.render_widget(
        Line::from(Span::styled(line_text, style)).style(theme.status),
        area,
    );
}
