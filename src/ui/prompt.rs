//! The bottom line: the open prompt with its input, a dialog's question and choices, the
//! latest message, or else what the diagnostic on the cursor's line says, with the fix key.

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
            let label_w = unicode_width::UnicodeWidthStr::width(label.as_str());
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
            // The choices always show in full at the right; the question gives way.
            let mut choices = vec![Span::raw(" ")];
            for (key, what) in dialog.choices() {
                choices.push(Span::styled(format!("[{key}]"), theme.prompt_label));
                choices.push(Span::raw(format!("{what} ")));
            }
            let choices_width: usize = choices.iter().map(Span::width).sum();
            let room = usize::from(area.width).saturating_sub(choices_width);
            let question = truncate_to_width(&dialog.text, room);
            // A file changed on disk under unsaved edits is a warning strip, not a question
            // like the others.
            let conflict = matches!(dialog.kind, crate::dialog::DialogKind::ChangedOnDisk(_));
            let question_style = if conflict { theme.banner } else { theme.dialog };
            let mut spans = vec![Span::styled(question, question_style)];
            spans.extend(choices);
            let line = Line::from(spans);
            let line = if conflict {
                line.style(theme.banner)
            } else {
                line
            };
            frame.render_widget(line, area);
        }
        _ => {
            if let Some(msg) = &app.message {
                let style = if msg.error {
                    theme.error
                } else {
                    theme.message
                };
                frame.render_widget(Line::from(Span::styled(msg.text.as_str(), style)), area);
            } else if let Some(hint) = diagnostic_hint(app) {
                // The offer of a fix where a diagnostic is: what it says, and the key.
                let text = truncate_to_width(&hint, usize::from(area.width));
                frame.render_widget(Line::from(Span::styled(text, theme.gutter)), area);
            }
        }
    }
}

/// Cuts `s` to `width` columns, ending with "…" when it had to cut.
fn truncate_to_width(s: &str, width: usize) -> String {
    if unicode_width::UnicodeWidthStr::width(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
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

/// "error: mismatched types — Ctrl-T fixes" when the cursor's line has a diagnostic.
fn diagnostic_hint(app: &App) -> Option<String> {
    if app.buffers.is_empty() || app.buf().review.is_some() {
        return None;
    }
    let doc = app.doc();
    let line = doc.text().char_to_line(doc.cursor());
    let d = app
        .diagnostics_of(app.current)
        .iter()
        .filter(|d| d.line <= line && line <= d.end_line.max(d.line))
        .min_by_key(|d| d.severity)?;
    Some(format!(
        "{}: {} — Ctrl-T fixes",
        d.severity.label(),
        d.message
    ))
}
