//! The bottom line: the open prompt with its input, a dialog's question and choices, or the
//! latest message.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use crate::app::{App, Overlay};
use crate::ui::theme::Theme;

pub fn render(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    match &app.overlay {
        Overlay::Prompt(prompt) => {
            let label = prompt.label();
            let before = unicode_width::UnicodeWidthStr::width(&prompt.input[..prompt.cursor]);
            let label_w = unicode_width::UnicodeWidthStr::width(label);
            // Scroll the input so the cursor stays on screen.
            let room = usize::from(area.width).saturating_sub(label_w + 1);
            let skip = before.saturating_sub(room);
            let shown: String = skip_columns(&prompt.input, skip);
            let line = Line::from(vec![
                Span::styled(label, theme.prompt_label),
                Span::styled(
                    shown,
                    if prompt.replace_on_type {
                        theme.selection
                    } else {
                        theme.text
                    },
                ),
            ]);
            frame.render_widget(line, area);
            let x = area.x
                + (label_w + before - skip).min(usize::from(area.width.saturating_sub(1))) as u16;
            frame.set_cursor_position(Position::new(x, area.y));
        }
        Overlay::Dialog(dialog) => {
            let mut spans = vec![Span::styled(format!("{} ", dialog.text), theme.dialog)];
            for (key, what) in dialog.choices() {
                spans.push(Span::styled(format!("[{key}]"), theme.prompt_label));
                spans.push(Span::raw(format!("{what} ")));
            }
            frame.render_widget(Line::from(spans), area);
        }
        _ => {
            if let Some(msg) = &app.message {
                let style = if msg.error {
                    theme.error
                } else {
                    theme.message
                };
                frame.render_widget(Line::from(Span::styled(msg.text.as_str(), style)), area);
            }
        }
    }
}

fn skip_columns(s: &str, cols: usize) -> String {
    let mut skipped = 0;
    s.chars()
        .skip_while(|c| {
            if skipped >= cols {
                return false;
            }
            skipped += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
            true
        })
        .collect()
}
