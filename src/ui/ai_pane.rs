//! The AI chat pane: a title with the provider, the transcript rows prepared for this frame,
//! and the input line. Reads only.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr as _;

use crate::app::{App, Overlay};
use crate::chat::ProviderState;
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
    render_input(frame, input, app, theme);
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
