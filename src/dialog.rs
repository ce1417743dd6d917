//! Questions that need an answer before going on — unsaved changes at quit or close, a file
//! changed on disk, a recovery file to restore, a replace to confirm — and their answers.

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent};

use crate::action::Action;
use crate::app::{App, Overlay};
use crate::core::search::Query;
use crate::event::BufferId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogKind {
    /// Quit with dirty buffers: save all / discard / cancel.
    QuitUnsaved,
    /// Close a dirty buffer: save / discard / cancel.
    CloseUnsaved(BufferId),
    /// Saving would overwrite changes made on disk since the load: overwrite / cancel.
    OverwriteChanged(BufferId),
    /// The file changed on disk while the buffer has unsaved changes: reload / keep mine /
    /// view the difference.
    ChangedOnDisk(BufferId),
    /// A recovery file exists for a buffer: restore / discard / keep it for later.
    Restore { buffer: BufferId, file: PathBuf },
    /// Replace one match at a time.
    Replace {
        query: Query,
        with: String,
        replaced: usize,
    },
}

#[derive(Debug, Clone)]
pub struct Dialog {
    pub kind: DialogKind,
    pub text: String,
}

impl Dialog {
    pub fn new(kind: DialogKind, text: String) -> Self {
        Self { kind, text }
    }

    /// The keys that answer this dialog and what each does.
    pub fn choices(&self) -> &'static [(char, &'static str)] {
        match self.kind {
            DialogKind::QuitUnsaved => &[('s', "save all"), ('d', "discard"), ('c', "cancel")],
            DialogKind::CloseUnsaved(_) => &[('s', "save"), ('d', "discard"), ('c', "cancel")],
            DialogKind::OverwriteChanged(_) => &[('o', "overwrite"), ('c', "cancel")],
            // Short labels: the question should still fit beside them on 80 columns.
            DialogKind::ChangedOnDisk(_) => &[('r', "reload"), ('k', "keep mine"), ('d', "diff")],
            DialogKind::Restore { .. } => &[('r', "restore"), ('d', "discard"), ('k', "keep")],
            DialogKind::Replace { .. } => &[('y', "yes"), ('n', "no"), ('a', "all"), ('q', "quit")],
        }
    }
}

impl App {
    pub(crate) fn dialog_key(&mut self, key: &KeyEvent) {
        let Overlay::Dialog(dialog) = &self.overlay else {
            return;
        };
        if let DialogKind::ChangedOnDisk(_) = dialog.kind
            && let Some(action) = self.keymap.action_for(key)
            && matches!(
                action,
                Action::PreviousBuffer
                    | Action::NextBuffer
                    | Action::CloseBuffer
                    | Action::FilePicker
                    | Action::Quit
            )
        {
            // The banner waits on its buffer (it comes back there) while the user looks
            // elsewhere, closes it or quits; both of the latter still ask about the changes.
            self.overlay = Overlay::None;
            self.run_action(action);
            if self.overlay_is_none() {
                self.show_next_dialog();
            }
            return;
        }
        let choice = match key.code {
            KeyCode::Char(c) => c.to_ascii_lowercase(),
            // Esc picks the choice that changes nothing.
            KeyCode::Esc => match dialog.kind {
                DialogKind::Restore { .. } | DialogKind::ChangedOnDisk(_) => 'k',
                DialogKind::Replace { .. } => 'q',
                _ => 'c',
            },
            _ => return,
        };
        if !dialog.choices().iter().any(|(c, _)| *c == choice) {
            return;
        }
        let kind = dialog.kind.clone();
        self.overlay = Overlay::None;
        match kind {
            DialogKind::QuitUnsaved => match choice {
                's' if self.save_all() => {
                    self.quit = true;
                }
                'd' => {
                    // Discarded on purpose: their recovery copies go too.
                    for i in 0..self.buffers.len() {
                        self.forget_recovery(i);
                    }
                    self.quit = true;
                }
                _ => {}
            },
            DialogKind::CloseUnsaved(id) => match choice {
                's' => {
                    if let Some(i) = self.index_of(id) {
                        self.current = i;
                        self.save_current(false);
                        if !self.doc().is_dirty() {
                            self.close_buffer(id);
                        }
                    }
                }
                'd' => self.close_buffer(id),
                _ => {}
            },
            DialogKind::OverwriteChanged(id) => {
                if choice == 'o'
                    && let Some(i) = self.index_of(id)
                {
                    self.current = i;
                    self.save_current(true);
                }
            }
            DialogKind::ChangedOnDisk(id) => self.answer_disk_conflict(id, choice),
            DialogKind::Restore { buffer, file } => self.answer_restore(buffer, &file, choice),
            DialogKind::Replace {
                query,
                with,
                replaced,
            } => {
                self.replace_step(query, with, replaced, choice);
            }
        }
        if self.overlay_is_none() {
            self.show_next_dialog();
        }
    }
}
