//! The context inspector (Ctrl-O): the next request entry by entry — kind, place, why, tokens —
//! with the total and its estimated cost; entries dropped or pinned before sending; the
//! selected entry, or the whole request, shown byte for byte as it will be sent.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::plan::{EntryState, Plan, Target};
use crate::app::{App, Overlay};

/// What the lower half shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The selected entry's text as sent.
    Entry,
    /// Every message of the request, with its role.
    Request,
}

#[derive(Debug)]
pub struct Inspector {
    pub plan: Plan,
    pub selected: usize,
    pub view: View,
    /// Rows scrolled in the lower half.
    pub scroll: usize,
}

impl App {
    /// Ctrl-O: opens the inspector on the next request — the chat question when the pane is
    /// open, else what Ctrl-E would send — or closes it.
    pub fn toggle_inspector(&mut self) {
        if matches!(self.overlay, Overlay::Inspector(_)) {
            self.overlay = Overlay::None;
            self.redraw = true;
            return;
        }
        let target = if self.chat.open {
            Target::Chat
        } else {
            Target::Explain
        };
        // The model's name and price go in the heading.
        self.ensure_provider();
        if !crate::ai::tokens::exact() {
            // Estimates until the table is in; then the plan is counted again.
            let events = self.events.clone();
            crate::ai::tokens::warm_up_then(move || {
                events.send(crate::event::AppEvent::TokensReady);
            });
        }
        let Some(plan) = self.plan(target) else {
            self.set_message("nothing to send from here");
            return;
        };
        // Start on the first piece of code: that is what people open this to look at.
        let selected = plan
            .entries
            .iter()
            .position(|e| matches!(e.key, Some(super::plan::EntryKey::Piece { .. })))
            .unwrap_or(0);
        self.overlay = Overlay::Inspector(Box::new(Inspector {
            plan,
            selected,
            view: View::Entry,
            scroll: 0,
        }));
        self.redraw = true;
    }

    pub(crate) fn inspector_key(&mut self, key: &KeyEvent) {
        let Overlay::Inspector(inspector) = &mut self.overlay else {
            return;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let last = inspector.plan.entries.len().saturating_sub(1);
        let page = usize::from(self.size.1 / 3).max(1);
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => self.overlay = Overlay::None,
            KeyCode::Char('o') if ctrl => self.overlay = Overlay::None,
            KeyCode::Up | KeyCode::Char('k') => {
                inspector.selected = inspector.selected.saturating_sub(1);
                inspector.scroll = 0;
            }
            KeyCode::Down | KeyCode::Char('j') => {
                inspector.selected = (inspector.selected + 1).min(last);
                inspector.scroll = 0;
            }
            KeyCode::Home => inspector.selected = 0,
            KeyCode::End => inspector.selected = last,
            KeyCode::PageDown => inspector.scroll += page,
            KeyCode::PageUp => inspector.scroll = inspector.scroll.saturating_sub(page),
            KeyCode::Tab => {
                inspector.view = match inspector.view {
                    View::Entry => View::Request,
                    View::Request => View::Entry,
                };
                inspector.scroll = 0;
            }
            KeyCode::Char('d' | ' ') | KeyCode::Delete => self.inspector_drop(),
            KeyCode::Char('p') => self.inspector_pin(),
            KeyCode::Enter => self.inspector_send(),
            _ => return,
        }
        self.redraw = true;
    }

    fn inspector_drop(&mut self) {
        let Overlay::Inspector(inspector) = &self.overlay else {
            return;
        };
        let entry = &inspector.plan.entries[inspector.selected];
        match (&entry.key, entry.state) {
            (Some(key), _) => {
                let key = key.clone();
                self.toggle_dropped(&key);
                self.replan();
            }
            (None, EntryState::Withheld) => {
                self.set_message("withheld by the gate: it is never sent");
            }
            (None, _) => self.set_message("the system prompt and the question always go"),
        }
    }

    fn inspector_pin(&mut self) {
        let Overlay::Inspector(inspector) = &self.overlay else {
            return;
        };
        let entry = inspector.plan.entries[inspector.selected].clone();
        let plan = inspector.plan.clone();
        if self.toggle_pinned(&entry, &plan) {
            self.replan();
        } else {
            self.set_message("only code can be pinned; earlier exchanges can be dropped");
        }
    }

    /// Makes the plan again after a drop or a pin, keeping the selection on the same entry.
    pub(crate) fn replan(&mut self) {
        let Overlay::Inspector(inspector) = &self.overlay else {
            return;
        };
        let target = inspector.plan.target;
        let key = inspector.plan.entries[inspector.selected].key.clone();
        let Some(plan) = self.plan(target) else {
            self.overlay = Overlay::None;
            return;
        };
        let Overlay::Inspector(inspector) = &mut self.overlay else {
            return;
        };
        if let Some(i) = plan
            .entries
            .iter()
            .position(|e| key.is_some() && e.key == key)
        {
            inspector.selected = i;
        }
        inspector.selected = inspector.selected.min(plan.entries.len().saturating_sub(1));
        inspector.plan = plan;
        self.redraw = true;
    }

    /// Enter: sends what the inspector shows. A chat question not typed yet is typed first.
    fn inspector_send(&mut self) {
        let Overlay::Inspector(inspector) = std::mem::replace(&mut self.overlay, Overlay::None)
        else {
            return;
        };
        let plan = inspector.plan;
        match plan.target {
            Target::Chat if plan.question.is_empty() => {
                self.chat.open = true;
                self.chat.focused = true;
                self.set_message("type the question, then Enter");
            }
            Target::Chat => {
                self.chat.input.clear();
                self.chat.input_cursor = 0;
                self.chat.attached = None;
                self.send_plan(plan);
            }
            Target::Explain if plan.sends_no_code() => {
                self.set_error(super::requests::withheld_message(
                    plan.withheld().map(|e| (&e.place, &e.why)),
                ));
            }
            Target::Explain => self.send_plan(plan),
        }
    }
}
