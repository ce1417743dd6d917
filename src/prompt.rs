//! The one-line prompt at the bottom: find (incremental), replace, go to line, save as —
//! its input editing and what Enter and Esc do for each kind.

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::{App, Overlay};
use crate::core::history::EditKind;
use crate::core::movement;
use crate::core::search::{self, Query};
use crate::core::selection::Selection;
use crate::core::transaction::{Change, Transaction};
use crate::dialog::{Dialog, DialogKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    Find,
    ReplaceFind,
    ReplaceWith {
        find: String,
    },
    GotoLine,
    SaveAs,
    /// Ctrl-K: what to change in lines `first..=last` (0-based) of the buffer.
    EditInstruction {
        first: usize,
        last: usize,
    },
}

#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: String,
    /// Cursor in `input`, as a byte index on a char boundary.
    pub cursor: usize,
    /// Where the cursor was when the prompt opened: Esc in find goes back there.
    pub origin: Selection,
    /// The input was prefilled: typing replaces it, as in VS Code.
    pub replace_on_type: bool,
}

impl Prompt {
    pub fn label(&self) -> String {
        match self.kind {
            PromptKind::Find => "Find: ".into(),
            PromptKind::ReplaceFind => "Replace: ".into(),
            PromptKind::ReplaceWith { .. } => "Replace with: ".into(),
            PromptKind::GotoLine => "Go to line[:column]: ".into(),
            PromptKind::SaveAs => "Save as: ".into(),
            PromptKind::EditInstruction { first, last } if first == last => {
                format!("Edit line {}: ", first + 1)
            }
            PromptKind::EditInstruction { first, last } => {
                format!("Edit lines {}-{}: ", first + 1, last + 1)
            }
        }
    }

    /// Edits the input line; returns true if the text changed.
    fn edit(&mut self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if std::mem::take(&mut self.replace_on_type)
            && matches!(
                key.code,
                KeyCode::Char(_) | KeyCode::Backspace | KeyCode::Delete
            )
            && !ctrl
        {
            self.input.clear();
            self.cursor = 0;
            if !matches!(key.code, KeyCode::Char(_)) {
                return true;
            }
        }
        match key.code {
            KeyCode::Char('u') if ctrl => {
                self.input.clear();
                self.cursor = 0;
                true
            }
            KeyCode::Char(c) if !ctrl => {
                self.input.insert(self.cursor, c);
                self.cursor += c.len_utf8();
                true
            }
            KeyCode::Backspace if self.cursor > 0 => {
                let prev = self.input[..self.cursor]
                    .chars()
                    .next_back()
                    .map_or(0, char::len_utf8);
                self.cursor -= prev;
                self.input.remove(self.cursor);
                true
            }
            KeyCode::Delete if self.cursor < self.input.len() => {
                self.input.remove(self.cursor);
                true
            }
            KeyCode::Left => {
                let prev = self.input[..self.cursor]
                    .chars()
                    .next_back()
                    .map_or(0, char::len_utf8);
                self.cursor -= prev;
                false
            }
            KeyCode::Right => {
                let next = self.input[self.cursor..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8);
                self.cursor += next;
                false
            }
            KeyCode::Home => {
                self.cursor = 0;
                false
            }
            KeyCode::End => {
                self.cursor = self.input.len();
                false
            }
            _ => false,
        }
    }

    /// Inserts pasted text at the cursor (first line only).
    pub fn paste(&mut self, text: &str) {
        if std::mem::take(&mut self.replace_on_type) {
            self.input.clear();
            self.cursor = 0;
        }
        let line = text.lines().next().unwrap_or("");
        self.input.insert_str(self.cursor, line);
        self.cursor += line.len();
    }
}

impl App {
    pub fn open_prompt(&mut self, kind: PromptKind) {
        let origin = self.doc().selection();
        let doc = self.doc();
        // Prefill find with a one-line selection, as most editors do.
        let input = match kind {
            PromptKind::Find | PromptKind::ReplaceFind if !origin.is_empty() => {
                let text = doc.selected_text();
                if text.contains(['\n', '\r']) {
                    String::new()
                } else {
                    text
                }
            }
            PromptKind::Find | PromptKind::ReplaceFind => self
                .last_search
                .as_ref()
                .map(|q| q.needle().to_string())
                .unwrap_or_default(),
            PromptKind::SaveAs => doc
                .path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            _ => String::new(),
        };
        let cursor = input.len();
        let replace_on_type = !input.is_empty();
        self.overlay = Overlay::Prompt(Prompt {
            kind,
            input,
            cursor,
            origin,
            replace_on_type,
        });
    }

    pub(crate) fn prompt_key(&mut self, key: &KeyEvent) {
        let Overlay::Prompt(prompt) = &mut self.overlay else {
            return;
        };
        let kind = prompt.kind.clone();
        let origin = prompt.origin;
        match key.code {
            KeyCode::Esc => {
                if matches!(kind, PromptKind::Find | PromptKind::EditInstruction { .. }) {
                    self.doc_mut().set_selection(origin);
                    self.follow_cursor = true;
                }
                self.overlay = Overlay::None;
            }
            KeyCode::Enter => {
                let input = prompt.input.clone();
                self.overlay = Overlay::None;
                self.prompt_submit(kind, input, origin);
            }
            KeyCode::Down | KeyCode::F(3) if kind == PromptKind::Find => self.find_again(true),
            KeyCode::Up if kind == PromptKind::Find => self.find_again(false),
            _ => {
                if prompt.edit(key) && kind == PromptKind::Find {
                    let query = Query::new(&prompt.input);
                    self.incremental_find(query, origin.from());
                }
            }
        }
    }

    /// Moves the selection to the first match at or after `from` as the query is typed.
    fn incremental_find(&mut self, query: Query, from: usize) {
        if query.is_empty() {
            self.last_search = None;
            return;
        }
        match search::find_next(self.doc().text(), &query, from) {
            Some((s, e, _)) => {
                self.doc_mut().set_selection(Selection::new(s, e));
                self.follow_cursor = true;
                self.message = None;
            }
            None => self.set_message(format!("no match for '{}'", query.needle())),
        }
        self.last_search = Some(query);
        self.highlight_search = true;
    }

    /// F3 / Shift-F3: the next or previous match of the last search.
    pub fn find_again(&mut self, forward: bool) {
        let Some(query) = self.last_search.clone() else {
            self.open_prompt(PromptKind::Find);
            return;
        };
        self.highlight_search = true;
        let sel = self.doc().selection();
        let found = if forward {
            search::find_next(
                self.doc().text(),
                &query,
                sel.to()
                    .max(sel.from() + 1)
                    .min(self.doc().text().len_chars()),
            )
        } else {
            search::find_prev(self.doc().text(), &query, sel.from())
        };
        match found {
            Some((s, e, wrapped)) => {
                self.doc_mut().set_selection(Selection::new(s, e));
                self.follow_cursor = true;
                if wrapped {
                    self.set_message("search wrapped");
                }
            }
            None => self.set_message(format!("no match for '{}'", query.needle())),
        }
    }

    fn prompt_submit(&mut self, kind: PromptKind, input: String, origin: Selection) {
        match kind {
            PromptKind::Find => {
                if !input.is_empty() {
                    self.last_search = Some(Query::new(&input));
                    self.highlight_search = true;
                }
            }
            PromptKind::ReplaceFind => {
                if input.is_empty() {
                    return;
                }
                self.last_search = Some(Query::new(&input));
                self.highlight_search = true;
                self.overlay = Overlay::Prompt(Prompt {
                    kind: PromptKind::ReplaceWith { find: input },
                    input: String::new(),
                    cursor: 0,
                    origin,
                    replace_on_type: false,
                });
            }
            PromptKind::ReplaceWith { find } => self.start_replace(&find, input),
            PromptKind::GotoLine => self.goto_line(&input),
            PromptKind::EditInstruction { first, last } => {
                self.doc_mut().set_selection(origin);
                self.request_inline_edit(first, last, input.trim());
            }
            PromptKind::SaveAs => {
                if input.trim().is_empty() {
                    self.set_error("save cancelled: no file name");
                    return;
                }
                let path = PathBuf::from(input.trim());
                // The old name's recovery copy would be orphaned by the rename.
                self.forget_recovery(self.current);
                self.buf_mut().recovery_file = None;
                self.doc_mut().path = Some(path);
                self.doc_mut().disk_stamp = None;
                self.save_current(false);
            }
        }
    }

    fn goto_line(&mut self, input: &str) {
        let mut parts = input.trim().splitn(2, ':');
        let line = parts.next().and_then(|s| s.trim().parse::<usize>().ok());
        let col = parts.next().and_then(|s| s.trim().parse::<usize>().ok());
        let Some(line) = line.filter(|l| *l > 0) else {
            self.set_error(format!("not a line number: '{input}'"));
            return;
        };
        let text = self.doc().text();
        let line = (line - 1).min(text.len_lines().saturating_sub(1));
        let pos = match col {
            Some(c) if c > 0 => movement::pos_at_col(text, line, c - 1, self.doc().tab_width),
            _ => movement::first_non_blank(text, line),
        };
        self.doc_mut().move_to(pos, false);
        self.follow_cursor = true;
    }

    /// Starts asking about each match in turn (y/n/a/q, like `git add -p`).
    fn start_replace(&mut self, find: &str, with: String) {
        let query = Query::new(find);
        let from = self.doc().selection().from();
        match search::find_next(self.doc().text(), &query, from) {
            Some((s, e, _)) => {
                self.doc_mut().set_selection(Selection::new(s, e));
                self.follow_cursor = true;
                let total = search::find_all(self.doc().text(), &query).len();
                self.overlay = Overlay::Dialog(Dialog::new(
                    DialogKind::Replace {
                        query,
                        with,
                        replaced: 0,
                    },
                    format!("Replace this match ({total} in all)?"),
                ));
            }
            None => self.set_message(format!("no match for '{find}'")),
        }
    }

    /// One step of the replace dialog: 'y' replace this, 'n' skip, 'a' all remaining, 'q' stop.
    pub(crate) fn replace_step(
        &mut self,
        query: Query,
        with: String,
        replaced: usize,
        choice: char,
    ) {
        let sel = self.doc().selection();
        let mut replaced = replaced;
        match choice {
            'y' => {
                let tx = Transaction::replace(sel.from(), sel.to(), with.clone());
                let end = sel.from() + with.chars().count();
                self.edit(|doc| {
                    doc.apply_with_selection(&tx, Selection::point(end), EditKind::Other)
                });
                replaced += 1;
            }
            'a' => {
                // Every remaining match from here to the end, as one undo step.
                let text = self.doc().text();
                let matches = search::find_in(text, &query, sel.from(), text.len_chars());
                let n = matches.len();
                let changes = matches
                    .into_iter()
                    .map(|(from, to)| Change {
                        from,
                        to,
                        text: with.clone(),
                    })
                    .collect();
                if let Ok(tx) = Transaction::new(changes) {
                    self.edit(|doc| doc.apply(&tx, EditKind::Other));
                }
                self.set_message(format!("replaced {} matches", replaced + n));
                self.overlay = Overlay::None;
                return;
            }
            'n' => {}
            _ => {
                self.set_message(format!("replaced {replaced} matches"));
                self.overlay = Overlay::None;
                return;
            }
        }
        let from = self.doc().selection().to();
        let next = search::find_next(self.doc().text(), &query, from)
            .filter(|(s, _, wrapped)| !*wrapped || *s >= from);
        if let Some((s, e, _)) = next {
            self.doc_mut().set_selection(Selection::new(s, e));
            self.follow_cursor = true;
            self.overlay = Overlay::Dialog(Dialog::new(
                DialogKind::Replace {
                    query,
                    with,
                    replaced,
                },
                "Replace this match?".to_string(),
            ));
        } else {
            self.set_message(format!("replaced {replaced} matches; no more matches"));
            self.overlay = Overlay::None;
        }
    }
}
