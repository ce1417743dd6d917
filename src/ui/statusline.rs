//! The status line: file name, dirty and deleted-on-disk flags, loading progress, a suggested
//! edit under review (its keys, or how many hunks wait), line:column, language, line ending.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::buffer::DiskState;
use crate::core::movement;
use crate::diagnostics::Severity;
use crate::review::Review;
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
    if app.checks.running.is_some() {
        right.push_str("checking…  ");
    }
    let diagnostics = app.diagnostics_of(app.current);
    if !diagnostics.is_empty() {
        let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
        let (e, w) = (count(Severity::Error), count(Severity::Warning));
        if e > 0 {
            let _ = write!(right, "✖ {e} ");
        }
        if w > 0 {
            let _ = write!(right, "⚠ {w} ");
        }
        right.push(' ');
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
    let review = buf.review.as_deref().map(review_texts);
    // When space is short the file name is cut from its start (the end says most), then the
    // right side goes; a review's keys come before the position, then in a shorter form.
    let line_text = if let Some([full, short]) = review {
        [
            (&full, true),
            (&full, false),
            (&short, true),
            (&short, false),
        ]
        .into_iter()
        .find_map(|(middle, with_right)| {
            fit(&left, middle, if with_right { &right } else { "" }, width)
        })
        .unwrap_or_else(|| format!(" {}", short.trim_start()))
    } else if left_len + right_len <= width {
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

/// `left`, then `middle`, then `right` at the end of `width` columns (two spaces at least
/// before it), cutting the file name from its start (keeping ten characters of it) when that
/// is what it takes; `None` if they do not fit.
fn fit(left: &str, middle: &str, right: &str, width: usize) -> Option<String> {
    let gap = if right.is_empty() { 0 } else { 2 };
    let (l, m, r) = (
        left.chars().count(),
        middle.chars().count(),
        right.chars().count() + gap,
    );
    if l + m + r <= width {
        return Some(format!(
            "{left}{middle}{}{right}",
            " ".repeat(width - l - m - r + gap)
        ));
    }
    if m + r + 12 > width {
        return None;
    }
    let keep = width - m - r - 2;
    let cut: String = left.chars().skip(l - keep).collect();
    Some(format!(" …{cut}{middle}{}{right}", " ".repeat(gap)))
}

/// What the status line says about a review, in full and in short: while it has the keys,
/// which hunk is under review and the keys; otherwise how many hunks wait and the key that
/// comes back to them. How the reply is doing comes first, as it changes what to do.
fn review_texts(review: &Review) -> [String; 2] {
    let proposal = &review.proposal;
    let (pending, stale, _, _) = review.counts();
    let mut notes = String::new();
    if review.is_streaming() {
        notes.push_str(" · receiving…");
    }
    if review.active && stale > 0 {
        let _ = write!(notes, " · {stale} stale");
    }
    if !review.refused.is_empty() {
        let n = review.refused.len();
        let blocks = if n == 1 { "block" } else { "blocks" };
        let _ = write!(notes, " · {n} {blocks} refused (r resends)");
    }
    if review.active {
        let total = proposal.hunks().len();
        let place = if total == 0 {
            String::new()
        } else {
            format!(" {}/{total}", proposal.current() + 1)
        };
        [
            format!(
                "  review{place}{notes} · y accept · n reject · a all · d rest · j/k · e edit · q leave"
            ),
            format!("  review{place}{notes} · y/n/a/d · j/k · e · q"),
        ]
    } else {
        let open = pending + stale;
        let hunks = if open == 1 { "hunk" } else { "hunks" };
        let text = format!("  {open} {hunks} to review{notes} — Ctrl-K");
        [text.clone(), text]
    }
}
