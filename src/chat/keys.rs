//! Keys while the chat pane has focus: the input line, sending, scrolling the transcript,
//! copying and applying code blocks; and opening, focusing and closing the pane.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::App;
use crate::context::mentions::explicit_mentions;

impl App {
    /// Ctrl-L: opens the pane with the input focused, taking the selection, or else the item
    /// at the cursor, as the code the next question is about (Backspace on the empty input
    /// drops it); from the pane, closes it.
    pub fn toggle_chat(&mut self) {
        if self.chat.open && self.chat.focused {
            self.chat.open = false;
            self.chat.focused = false;
        } else {
            self.resume_chat();
            self.ensure_provider();
            self.chat.open = true;
            self.chat.focused = true;
            self.chat.attached = if self.doc().text().len_chars() == 0 {
                None
            } else {
                self.cursor_attachment()
            };
            if let Some(att) = &self.chat.attached
                && att.pieces.is_empty()
            {
                let message = super::requests::withheld_message(
                    att.withheld.iter().map(|w| (&w.what, &w.reason)),
                );
                self.chat.attached = None;
                self.set_error(message);
            }
        }
        self.follow_cursor = true;
        self.redraw = true;
    }

    /// Handles a key for the focused pane; `false` leaves it to the keymap (save, quit, …).
    pub fn chat_key(&mut self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        // Alt-A applies the block a run of Ctrl-C stopped at, so it does not end the run.
        if !(ctrl && key.code == KeyCode::Char('c') || alt && key.code == KeyCode::Char('a')) {
            self.chat.copy_streak = false;
        }
        if self.mention_key(key) {
            self.redraw = true;
            return true;
        }
        // The @ popup follows the input: any key that changes it or moves in it.
        let (was, was_at) = (self.chat.input.clone(), self.chat.input_cursor);
        let page = usize::from(crate::ui::layout_for(self).chat.height.saturating_sub(3)).max(1);
        let chat = &mut self.chat;
        match key.code {
            KeyCode::Esc => {
                if self.cancel_request("cancelled") {
                    self.set_message("AI request cancelled");
                } else {
                    self.chat.focused = false;
                }
            }
            KeyCode::Enter if !alt => self.submit_chat_input(),
            KeyCode::Enter => insert(chat, "\n"),
            KeyCode::Char('c') if ctrl => self.copy_code_block(),
            KeyCode::Char('u') if ctrl => {
                chat.input.clear();
                chat.input_cursor = 0;
            }
            KeyCode::Char('a') if ctrl => chat.input_cursor = 0,
            KeyCode::Char('a') if alt => self.apply_chat_code(),
            KeyCode::Char(c) if !ctrl && !alt || ctrl && alt => {
                let mut buf = [0u8; 4];
                insert(chat, c.encode_utf8(&mut buf));
            }
            KeyCode::Backspace if chat.input.is_empty() && chat.attached.is_some() => {
                chat.attached = None;
            }
            KeyCode::Backspace => {
                if let Some((i, _)) = chat.input[..chat.input_cursor].char_indices().next_back() {
                    chat.input.replace_range(i..chat.input_cursor, "");
                    chat.input_cursor = i;
                }
            }
            KeyCode::Delete => {
                if let Some(c) = chat.input[chat.input_cursor..].chars().next() {
                    let end = chat.input_cursor + c.len_utf8();
                    chat.input.replace_range(chat.input_cursor..end, "");
                }
            }
            KeyCode::Left => {
                if let Some((i, _)) = chat.input[..chat.input_cursor].char_indices().next_back() {
                    chat.input_cursor = i;
                }
            }
            KeyCode::Right => {
                if let Some(c) = chat.input[chat.input_cursor..].chars().next() {
                    chat.input_cursor += c.len_utf8();
                }
            }
            KeyCode::Home => chat.input_cursor = 0,
            KeyCode::End if ctrl => chat.scroll = 0,
            KeyCode::End => chat.input_cursor = chat.input.len(),
            KeyCode::Up => chat.scroll += 1,
            KeyCode::Down => chat.scroll = chat.scroll.saturating_sub(1),
            KeyCode::PageUp => chat.scroll += page,
            KeyCode::PageDown => chat.scroll = chat.scroll.saturating_sub(page),
            _ => return false,
        }
        if self.chat.input != was || self.chat.input_cursor != was_at {
            self.refresh_mention();
        }
        self.redraw = true;
        true
    }

    /// Pasted text goes into the question as it is (code included).
    pub fn chat_paste(&mut self, text: &str) {
        insert(&mut self.chat, &text.replace("\r\n", "\n"));
        self.refresh_mention();
        self.redraw = true;
    }

    /// Enter: sends the question; on an empty line, asks the last question again if its
    /// answer did not complete.
    fn submit_chat_input(&mut self) {
        let question = self.chat.input.trim().to_string();
        if question.is_empty() {
            let unfinished = self
                .chat
                .exchanges
                .last()
                .is_some_and(|e| e.data.outcome != crate::ai::transcript::Outcome::Done);
            if unfinished && !self.chat.is_running() {
                self.retry_last();
            }
            return;
        }
        if question == "/clear" {
            self.chat.input.clear();
            self.chat.input_cursor = 0;
            self.clear_chat();
            return;
        }
        let Some(plan) = self.plan(super::plan::Target::Chat) else {
            return;
        };
        self.chat.input.clear();
        self.chat.input_cursor = 0;
        self.chat.attached = None;
        self.send_plan(plan);
    }

    /// Adds what the question names (`@` mentions, definitions, files) to the code it goes
    /// with; with no file open and nothing named, the repo map goes instead. What the gate
    /// held back of what it names is said in the message line.
    pub(crate) fn with_mentions(
        &mut self,
        question: &str,
        attached: Option<crate::context::assemble::Attachment>,
    ) -> Option<crate::context::assemble::Attachment> {
        let Some(engine) = &self.engine else {
            return attached;
        };
        let no_file = attached.is_none() && self.doc().path.is_none();
        // Files and names asked for with `@` may take the whole context budget; words that
        // merely look like names share half of it with the code the question is about.
        let budget = if explicit_mentions(question).is_empty() {
            self.config.ai.context_tokens / 2
        } else {
            self.config.ai.context_tokens
        };
        let named = engine.mentions(question, no_file, budget, &crate::ai::tokens::count_quick);
        if !named.withheld.is_empty() {
            self.set_message(super::requests::withheld_message(
                named.withheld.iter().map(|w| (&w.what, &w.reason)),
            ));
        }
        let mut attachment = match attached {
            Some(a) => a,
            None => crate::context::assemble::Attachment::from_context(named.clone())?,
        };
        if attachment.pieces.as_slice() != named.pieces.as_slice() {
            // The same lines are sent once: a piece inside another goes only as part of it.
            for piece in named.pieces {
                if attachment.pieces.iter().any(|p| covers(p, &piece)) {
                    continue;
                }
                attachment.pieces.retain(|p| !covers(&piece, p));
                attachment.pieces.push(piece);
            }
            attachment.withheld.extend(named.withheld);
        }
        Some(attachment)
    }

    /// Ctrl-C in the pane: copies the newest code block; pressed again, the one before it.
    fn copy_code_block(&mut self) {
        let blocks: Vec<(String, String)> = self
            .chat
            .exchanges
            .iter()
            .flat_map(|e| e.view.code_blocks().iter())
            .map(|b| (b.lang.clone(), b.text.clone()))
            .collect();
        if blocks.is_empty() {
            self.set_message("no code block in the chat");
            return;
        }
        let nth = if self.chat.copy_streak {
            (self.chat.copied + 1) % blocks.len()
        } else {
            0
        };
        let (lang, text) = &blocks[blocks.len() - 1 - nth];
        self.set_clipboard(text);
        self.chat.copied = nth;
        self.chat.copy_streak = true;
        let lang = if lang.is_empty() { "text" } else { lang };
        self.set_message(format!(
            "copied code block {} of {} ({lang}, {} lines) — Ctrl-C again for the one before",
            blocks.len() - nth,
            blocks.len(),
            text.lines().count()
        ));
    }
}

fn insert(chat: &mut crate::chat::Chat, text: &str) {
    chat.input.insert_str(chat.input_cursor, text);
    chat.input_cursor += text.len();
}

/// `outer` holds every line of `inner` (both cut from the same file; an outline or a map,
/// which are no lines of the file, holds none).
fn covers(
    outer: &crate::context::assemble::Piece,
    inner: &crate::context::assemble::Piece,
) -> bool {
    outer.path == inner.path
        && outer.lines != (0, 0)
        && inner.lines != (0, 0)
        && outer.lines.0 <= inner.lines.0
        && inner.lines.1 <= outer.lines.1
}
