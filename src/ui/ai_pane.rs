//! The AI chat pane: a title with the provider, the transcript rows prepared for this frame,
//! the `@` completions over them, and the input line. Reads only.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr as _;

use crate::app::{App, Overlay};
use crate::chat::ProviderState;
use crate::chat::mention::MentionPopup;
use crate::context::candidates::MentionKind;
use crate::ui::popup;
use crate::ui::theme::Theme;

/// The parts of the pane: (title row, transcript, input row). The pane's first column (on
/// the right) or first row (below the text) is its border.
pub fn parts(area: Rect) -> (Rect, Rect, Rect) {
    if area.height < 3 || area.width < 4 {
        return (Rect::default(), Rect::default(), Rect::default());
    }
    let side = area.x > 0;
    let inner = if side {
        Rect::new(area.x + 1, area.y, area.width - 1, area.height)
    } else {
        area
    };
    let title = Rect::new(inner.x, inner.y, inner.width, 1);
    let input = Rect::new(inner.x, inner.y + inner.height - 1, inner.width, 1);
    let transcript = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 2);
    (title, transcript, input)
}

pub fn render(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    let chat = &app.chat;
    let (title, transcript, input) = parts(area);
    if area.x > 0 {
        let border = theme.picker_border;
        for y in area.y..area.y + area.height {
            if let Some(cell) = frame.buffer_mut().cell_mut(Position::new(area.x, y)) {
                cell.set_symbol("│").set_style(border);
            }
        }
    }
    if title.is_empty() {
        return;
    }
    let who = match &chat.provider {
        ProviderState::Ready(p) => p.label(),
        ProviderState::Unknown => "no request yet".to_string(),
        ProviderState::Resolving => "looking for a model…".to_string(),
        ProviderState::Missing => "no provider configured".to_string(),
        ProviderState::Invalid(_) => "provider problem".to_string(),
    };
    let mut heading = format!(" AI · {who}");
    if chat.scroll > 0 {
        let _ = write!(heading, "  ↑{} (Ctrl-End: latest)", chat.scroll);
    }
    let title_style = if chat.focused {
        theme.tab_active
    } else {
        theme.status
    };
    frame.render_widget(
        Line::from(Span::styled(pad(&heading, title.width), title_style)),
        title,
    );
    for (i, row) in chat.rows.iter().enumerate() {
        let y = transcript.y + i as u16;
        if y >= transcript.y + transcript.height {
            break;
        }
        frame.render_widget(row, Rect::new(transcript.x, y, transcript.width, 1));
    }
    if chat.focused
        && let Some(popup) = &chat.mention
    {
        render_mentions(frame, transcript, popup, theme);
    }
    render_input(frame, input, app, theme);
}

/// The `@` completions as rows at the foot of the transcript, just above the input line:
/// a rule with the keys, then each candidate — its kind, the name with the matched
/// characters highlighted, and where it is (dimmed) on the right while there is room.
fn render_mentions(frame: &mut Frame<'_>, transcript: Rect, popup: &MentionPopup, theme: &Theme) {
    let rows = popup.candidates.len().min(usize::from(transcript.height)) as u16;
    if rows == 0 || transcript.width == 0 {
        return;
    }
    let rule = transcript.height > rows;
    let height = rows + u16::from(rule);
    let area = Rect {
        y: transcript.y + transcript.height - height,
        height,
        ..transcript
    };
    popup::clear(frame, area, theme);
    let width = usize::from(area.width);
    if rule {
        let keys = "─ Tab: insert · Esc: close ";
        let fill = width.saturating_sub(keys.width());
        frame.render_widget(
            Line::styled(format!("{keys}{}", "─".repeat(fill)), theme.picker_border),
            Rect { height: 1, ..area },
        );
    }
    let list = Rect {
        y: area.y + u16::from(rule),
        height: rows,
        ..area
    };
    // Keep the selected row in view.
    let first = popup.selected.saturating_sub(usize::from(rows) - 1);
    for (i, candidate) in popup
        .candidates
        .iter()
        .enumerate()
        .skip(first)
        .take(usize::from(rows))
    {
        let y = list.y + (i - first) as u16;
        let (row, base) = popup::row(frame, list, y, i == popup.selected, theme);
        let dim = base.patch(theme.gutter);
        let kind = match candidate.kind {
            MentionKind::File => "file ",
            MentionKind::Symbol => "sym  ",
        };
        let room = width.saturating_sub(kind.width());
        let detail = candidate.detail.as_str();
        // The detail keeps its place on the right; a long name gives way, then the detail.
        let text_room = if !detail.is_empty() && detail.width() + 8 < room {
            room - detail.width() - 1
        } else {
            room
        };
        let mut spans = vec![Span::styled(kind, dim)];
        spans.extend(popup::highlighted(
            &candidate.text,
            &candidate.indices,
            text_room,
            base,
            theme,
        ));
        let used: usize = spans.iter().map(Span::width).sum();
        if !detail.is_empty() && used + detail.width() < width {
            spans.push(Span::styled(
                " ".repeat(width - used - detail.width()),
                base,
            ));
            spans.push(Span::styled(detail, dim));
        }
        frame.render_widget(Line::from(spans), row);
    }
}

fn render_input(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let chat = &app.chat;
    let prompt = "› ";
    let width = usize::from(area.width).saturating_sub(prompt.width() + 1);
    if chat.input.is_empty() {
        let hint = if !chat.focused {
            "Ctrl-L to ask".to_string()
        } else if let Some(ctx) = &chat.attached {
            format!("ask about {} … Backspace: without it", ctx.label())
        } else if chat.is_running() {
            "Esc cancels".to_string()
        } else {
            "ask a question, Enter sends".to_string()
        };
        let line = Line::from(vec![
            Span::styled(prompt, theme.prompt_label),
            Span::styled(hint, theme.text.add_modifier(Modifier::DIM)),
        ]);
        frame.render_widget(line, area);
        if chat.focused && matches!(app.overlay, Overlay::None) {
            frame.set_cursor_position(Position::new(area.x + prompt.width() as u16, area.y));
        }
        return;
    }
    // Newlines in a pasted question show as ⏎ so the line stays one row.
    let shown = |s: &str| s.replace('\n', "⏎");
    let before = shown(&chat.input[..chat.input_cursor]);
    let after = shown(&chat.input[chat.input_cursor..]);
    // Keep the cursor in view: drop characters from the left as needed.
    let mut left: &str = &before;
    while left.width() > width {
        let mut chars = left.chars();
        chars.next();
        left = chars.as_str();
    }
    let cursor_x = area.x + (prompt.width() + left.width()) as u16;
    let line = Line::from(vec![
        Span::styled(prompt, theme.prompt_label),
        Span::styled(format!("{left}{after}"), theme.text),
    ]);
    frame.render_widget(line, area);
    if chat.focused && matches!(app.overlay, Overlay::None) {
        frame.set_cursor_position(Position::new(cursor_x.min(area.x + area.width - 1), area.y));
    }
}

fn pad(text: &str, width: u16) -> String {
    let w = text.width();
    let width = usize::from(width);
    if w >= width {
        text.chars().take(width).collect()
    } else {
        format!("{text}{}", " ".repeat(width - w))
    }
}
