//! The context inspector popup: a heading with the request's total tokens and estimated cost,
//! one row per entry (state, kind, place, tokens, why), then the selected entry — or the
//! whole request — exactly as it will be sent, and the keys. Reads only.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear};
use unicode_width::UnicodeWidthChar as _;

use crate::ai::Role;
use crate::app::App;
use crate::chat::ProviderState;
use crate::chat::inspector::{Inspector, View};
use crate::chat::plan::{EntryState, Plan, Target};
use crate::ui::popup;
use crate::ui::theme::Theme;

pub fn render(frame: &mut Frame<'_>, area: Rect, app: &App, inspector: &Inspector, theme: &Theme) {
    if area.width < 10 || area.height < 6 {
        return;
    }
    frame.render_widget(Clear, area);
    let body = popup::body(theme);
    frame.buffer_mut().set_style(area, body);
    let plan = &inspector.plan;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.picker_border)
        .title(heading(app, plan));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 4 {
        return;
    }
    // The list takes what it needs up to half the room; the text below gets the rest.
    let list_rows = (plan.entries.len() as u16).min(inner.height / 2).max(1);
    let list = Rect {
        height: list_rows,
        ..inner
    };
    let first = inspector
        .selected
        .saturating_sub(usize::from(list_rows).saturating_sub(1));
    let width = usize::from(inner.width);
    // The place column is as wide as the longest place, up to a third of the room.
    let place_width = plan
        .entries
        .iter()
        .map(|e| unicode_width::UnicodeWidthStr::width(e.place.as_str()))
        .max()
        .unwrap_or(0)
        .min(width / 3);
    for (i, entry) in plan
        .entries
        .iter()
        .enumerate()
        .skip(first)
        .take(usize::from(list_rows))
    {
        let y = list.y + (i - first) as u16;
        let (row, base) = popup::row(frame, list, y, i == inspector.selected, theme);
        let (mark, style) = match entry.state {
            EntryState::Fixed | EntryState::Sent => ("  sent ", base),
            EntryState::Pinned => ("pinned ", base.add_modifier(Modifier::BOLD)),
            EntryState::Dropped => (
                "dropped",
                base.patch(theme.gutter).add_modifier(Modifier::CROSSED_OUT),
            ),
            EntryState::Withheld => ("  never", base.patch(theme.error)),
        };
        let tokens = if entry.state == EntryState::Withheld {
            String::new()
        } else {
            entry.tokens.to_string()
        };
        let text = format!(
            " {mark} {:<21} {:<place_width$} {tokens:>6}  {}",
            entry.kind,
            clip(&entry.place, place_width),
            entry.why
        );
        frame.render_widget(Line::from(Span::styled(clip(&text, width), style)), row);
    }
    let rule_y = list.y + list_rows;
    let (title, text) = match inspector.view {
        View::Entry => {
            let entry = &plan.entries[inspector.selected.min(plan.entries.len() - 1)];
            let title = match entry.state {
                EntryState::Withheld => format!("── {} · never sent: {}", entry.place, entry.why),
                EntryState::Dropped => {
                    format!("── {} {} · dropped: would add", entry.kind, entry.place)
                }
                _ => format!("── {} {} · as sent", entry.kind, entry.place),
            };
            (title, entry.text.clone())
        }
        View::Request => (
            format!(
                "── the whole request: {} messages, as sent",
                plan.messages.len()
            ),
            whole_request(plan),
        ),
    };
    frame.render_widget(
        Line::from(Span::styled(
            clip(&title, width),
            body.patch(theme.picker_border),
        )),
        Rect::new(inner.x, rule_y, inner.width, 1),
    );
    let text_area = Rect::new(
        inner.x,
        rule_y + 1,
        inner.width,
        inner.bottom().saturating_sub(rule_y + 2),
    );
    let rows = wrap(&text, width);
    for (n, row) in rows
        .iter()
        .skip(inspector.scroll)
        .take(usize::from(text_area.height))
        .enumerate()
    {
        frame.render_widget(
            Line::from(Span::styled(row.as_str(), body)),
            Rect::new(text_area.x, text_area.y + n as u16, text_area.width, 1),
        );
    }
    let keys = "↑↓ select · d drop/restore · p pin · Tab whole request · PgUp/PgDn scroll · Enter send · Esc close";
    frame.render_widget(
        Line::from(Span::styled(clip(keys, width), body.patch(theme.gutter))),
        Rect::new(inner.x, inner.bottom() - 1, inner.width, 1),
    );
}

/// " Next chat question · 1234 tokens · code 900/4000 · gpt-4o: ~$0.0031 ".
fn heading(app: &App, plan: &Plan) -> String {
    let what = match plan.target {
        Target::Chat => "chat question",
        Target::Explain => "Ctrl-E explain",
    };
    let cost = match &app.chat.provider {
        ProviderState::Ready(p) => {
            match crate::ai::cost::estimate(&p.model, plan.tokens as u64, 0, p.is_local()) {
                Some(d) if d > 0.0 => format!(" · {}: ~{}", p.model, crate::ai::cost::format(d)),
                Some(_) => format!(" · {}: free (local)", p.model),
                None => format!(" · {}: price unknown", p.model),
            }
        }
        _ => " · no provider yet".to_string(),
    };
    let about = if plan.estimated { "~" } else { "" };
    format!(
        " Next {what} · {about}{} tokens · code {about}{}/{}{cost} ",
        plan.tokens, plan.context_tokens, plan.budget
    )
}

/// Every message as the model receives it, each under its role.
fn whole_request(plan: &Plan) -> String {
    let mut out = String::new();
    for m in &plan.messages {
        let role = match m.role {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
        };
        let _ = writeln!(out, "── {role} ──");
        out.push_str(&m.content);
        if !m.content.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// `text` cut to `width` columns.
fn clip(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out
}

/// `text` broken into rows of at most `width` columns; tabs shown as four spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut rows = Vec::new();
    for line in text.split('\n') {
        let mut row = String::new();
        let mut used = 0;
        for c in line.chars() {
            let shown = match c {
                '\t' => "    ".to_string(),
                c if c.is_control() => "�".to_string(),
                c => c.to_string(),
            };
            let w: usize = shown.chars().map(|c| c.width().unwrap_or(0)).sum();
            if used + w > width && !row.is_empty() {
                rows.push(std::mem::take(&mut row));
                used = 0;
            }
            row.push_str(&shown);
            used += w;
        }
        rows.push(row);
    }
    rows
}
