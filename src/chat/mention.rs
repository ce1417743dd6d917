//! `@` completion in the chat input: the popup of files and names for the `@word` at the
//! cursor, kept up to date as the input changes, and its keys (move, insert, close).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::App;
use crate::context::candidates::MentionCandidate;
use crate::context::mentions::{mention_at, word_end};

/// Completions shown at most.
pub const MENTION_ROWS: usize = 8;

/// The completions for the `@word` being typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionPopup {
    /// Byte offset of the word's `@` in the input.
    pub start: usize,
    pub candidates: Vec<MentionCandidate>,
    pub selected: usize,
}

impl App {
    /// Works out the popup for the input as it is now: shown while the cursor is in an
    /// `@word` that has completions, unless Esc closed it for that word. Nothing before the
    /// workspace is indexed.
    pub fn refresh_mention(&mut self) {
        let chat = &mut self.chat;
        let Some((start, query)) = mention_at(&chat.input, chat.input_cursor) else {
            chat.mention = None;
            chat.mention_dismissed = None;
            return;
        };
        if chat.mention_dismissed == Some(start) {
            chat.mention = None;
            return;
        }
        chat.mention_dismissed = None;
        chat.mention = self
            .engine
            .as_ref()
            .map(|engine| engine.mention_candidates(query, MENTION_ROWS))
            .filter(|candidates| !candidates.is_empty())
            .map(|candidates| MentionPopup {
                start,
                candidates,
                selected: 0,
            });
    }

    /// A key while the popup is shown: Up and Down choose, Tab or Enter insert the choice,
    /// Esc closes the popup (and only that). `false` for the keys it leaves to the input.
    pub(crate) fn mention_key(&mut self, key: &KeyEvent) -> bool {
        let Some(popup) = &mut self.chat.mention else {
            return false;
        };
        let last = popup.candidates.len().saturating_sub(1);
        match key.code {
            KeyCode::Up => popup.selected = popup.selected.saturating_sub(1),
            KeyCode::Down => popup.selected = (popup.selected + 1).min(last),
            KeyCode::Tab => self.accept_mention(),
            KeyCode::Enter if !key.modifiers.contains(KeyModifiers::ALT) => {
                self.accept_mention();
            }
            KeyCode::Esc => {
                self.chat.mention_dismissed = Some(popup.start);
                self.chat.mention = None;
            }
            _ => return false,
        }
        true
    }

    /// Replaces the `@word` at the cursor with `@` and the chosen completion, then a space,
    /// the cursor after it.
    fn accept_mention(&mut self) {
        let Some(popup) = self.chat.mention.take() else {
            return;
        };
        let chat = &mut self.chat;
        let Some(chosen) = popup.candidates.get(popup.selected) else {
            return;
        };
        // The popup follows every edit, but a stale one must not cut the input wrongly.
        if mention_at(&chat.input, chat.input_cursor).map(|(start, _)| start) != Some(popup.start) {
            return;
        }
        let end = word_end(&chat.input, chat.input_cursor);
        let replacement = format!("@{}", chosen.text);
        chat.input.replace_range(popup.start..end, &replacement);
        let mut cursor = popup.start + replacement.len();
        match chat.input[cursor..].chars().next() {
            Some(c) if c.is_whitespace() => cursor += c.len_utf8(),
            _ => {
                chat.input.insert(cursor, ' ');
                cursor += 1;
            }
        }
        chat.input_cursor = cursor;
    }
}
