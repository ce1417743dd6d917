//! A document: the rope, its selection, undo history and version, and what it needs to be
//! saved back byte for byte (path, BOM, line ending, the stamp of the file on disk).

use std::collections::VecDeque;
use std::path::PathBuf;

use ropey::Rope;

use crate::core::edit_log::{ByteEdit, EditLog};
use crate::core::history::{EditKind, History};
use crate::core::load::{LineEnding, Loaded};
use crate::core::movement;
use crate::core::save::DiskStamp;
use crate::core::selection::Selection;
use crate::core::transaction::{Transaction, TransactionError};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EditError {
    #[error("buffer is read-only: {0}")]
    ReadOnly(String),
    #[error(transparent)]
    Transaction(#[from] TransactionError),
}

#[derive(Debug, Clone)]
pub struct Document {
    rope: Rope,
    selection: Selection,
    /// The display column vertical motion aims for, kept across short lines.
    pub preferred_col: Option<usize>,
    history: History,
    version: u64,
    /// History state at the last load or save; `None` when the text never matched disk.
    saved_state: Option<u64>,
    pub path: Option<PathBuf>,
    pub line_ending: LineEnding,
    pub bom: bool,
    /// What the file looked like on disk when loaded or last saved.
    pub disk_stamp: Option<DiskStamp>,
    /// Why edits are refused, if they are (e.g. still loading).
    pub read_only: Option<String>,
    pub tab_width: usize,
    /// (version, first char changed) of the latest changes, for `unchanged_before`.
    recent_changes: VecDeque<(u64, usize)>,
    /// Byte edits of recent versions, for the syntax tree to follow the text incrementally.
    edit_log: EditLog,
}

/// How many recent changes `unchanged_before` can see back.
const RECENT_CHANGES: usize = 64;

impl Document {
    /// A new, empty document; saving it creates `path`.
    pub fn new(path: Option<PathBuf>) -> Self {
        Self::from_rope(Rope::new(), path)
    }

    pub fn from_rope(rope: Rope, path: Option<PathBuf>) -> Self {
        Self {
            rope,
            selection: Selection::default(),
            preferred_col: None,
            history: History::default(),
            version: 0,
            saved_state: Some(0),
            path,
            line_ending: LineEnding::default(),
            bom: false,
            disk_stamp: None,
            read_only: None,
            tab_width: 4,
            recent_changes: VecDeque::new(),
            edit_log: EditLog::default(),
        }
    }

    pub fn from_loaded(loaded: Loaded, path: PathBuf, stamp: Option<DiskStamp>) -> Self {
        let mut doc = Self::from_rope(loaded.rope, Some(path));
        doc.bom = loaded.bom;
        doc.line_ending = loaded.line_ending;
        doc.disk_stamp = stamp;
        doc
    }

    /// Swaps in the complete text of a file whose first part was shown (and maybe edited)
    /// while it loaded. The first part is a prefix of the whole, so edits made to it replay
    /// at the same positions, and their undo history stays valid.
    pub fn finish_loading(&mut self, loaded: Loaded) -> Result<(), EditError> {
        let mut rope = loaded.rope;
        for tx in self.history.applied() {
            tx.apply(&mut rope)?;
        }
        self.rope = rope;
        self.bom = loaded.bom;
        self.line_ending = loaded.line_ending;
        self.selection = self.selection.clamp(self.rope.len_chars());
        self.saved_state = Some(0);
        self.bump_version(0, None);
        Ok(())
    }

    pub fn text(&self) -> &Rope {
        &self.rope
    }

    pub fn selection(&self) -> Selection {
        self.selection
    }

    pub fn cursor(&self) -> usize {
        self.selection.head
    }

    pub fn set_selection(&mut self, selection: Selection) {
        self.selection = selection.clamp(self.rope.len_chars());
    }

    /// Increases on every change of the text.
    pub fn version(&self) -> u64 {
        self.version
    }

    fn bump_version(&mut self, changed_from: usize, edits: Option<Vec<ByteEdit>>) {
        self.version += 1;
        self.edit_log.record(self.version, edits);
        if self.recent_changes.len() == RECENT_CHANGES {
            self.recent_changes.pop_front();
        }
        self.recent_changes.push_back((self.version, changed_from));
    }

    /// The byte edits that turned version `version` of the text into the current one, in
    /// order; `None` when that is no longer known (too far back, or the text was replaced).
    pub fn edits_since(&self, version: u64) -> Option<Vec<ByteEdit>> {
        self.edit_log.since(version, self.version)
    }

    /// How much of the text is known unchanged since `version`: no char before the returned
    /// index has changed (0 when that is not known any more). Lets caches of positions on a
    /// long line survive typing further along it.
    pub fn unchanged_before(&self, version: u64) -> usize {
        if version == self.version {
            return usize::MAX;
        }
        match self.recent_changes.front() {
            Some(&(oldest, _)) if oldest <= version + 1 => self
                .recent_changes
                .iter()
                .filter(|(v, _)| *v > version)
                .map(|(_, from)| *from)
                .min()
                .unwrap_or(usize::MAX),
            _ => 0,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.saved_state != Some(self.history.state())
    }

    /// Records that the current text is what is on disk.
    pub fn mark_saved(&mut self, stamp: Option<DiskStamp>) {
        self.saved_state = Some(self.history.state());
        self.disk_stamp = stamp;
        self.history.seal();
    }

    /// Marks the text as not matching disk (e.g. restored from a recovery file).
    pub fn mark_unsaved(&mut self) {
        self.saved_state = None;
    }

    /// Ends the current undo group.
    pub fn seal_history(&mut self) {
        self.history.seal();
    }

    /// The text as it was at the last load or save, rebuilt by stepping a copy through the
    /// undo history; `None` when that state is no longer in the history or never matched disk.
    /// Tells "changed on disk" apart from "touched on disk" for a buffer with unsaved changes.
    pub fn saved_text(&self) -> Option<Rope> {
        let target = self.saved_state?;
        if self.history.state() == target {
            return Some(self.rope.clone());
        }
        for undo in [true, false] {
            let mut doc = self.clone();
            doc.read_only = None;
            while doc.step_history(undo).ok()? {
                if doc.history.state() == target {
                    return Some(doc.rope);
                }
            }
        }
        None
    }

    /// Applies `tx`, maps the selection through it, and records it for undo.
    pub fn apply(&mut self, tx: &Transaction, kind: EditKind) -> Result<(), EditError> {
        let after = self.selection.map(tx);
        self.apply_with_selection(tx, after, kind)
    }

    /// Applies `tx` and then sets the selection to `after`.
    pub fn apply_with_selection(
        &mut self,
        tx: &Transaction,
        after: Selection,
        kind: EditKind,
    ) -> Result<(), EditError> {
        if let Some(reason) = &self.read_only {
            return Err(EditError::ReadOnly(reason.clone()));
        }
        if tx.is_empty() {
            return Ok(());
        }
        tx.check(self.rope.len_chars())?;
        let inverse = tx.invert(&self.rope);
        let mut edits = Vec::with_capacity(tx.changes().len());
        tx.apply_logged(&mut self.rope, &mut edits)?;
        let before = self.selection;
        self.selection = after.clamp(self.rope.len_chars());
        self.preferred_col = None;
        self.history
            .record(tx.clone(), inverse, before, self.selection, kind);
        self.bump_version(tx.changes().first().map_or(0, |c| c.from), Some(edits));
        Ok(())
    }

    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// Undoes one step. Returns false when there was nothing to undo.
    pub fn undo(&mut self) -> Result<bool, EditError> {
        self.step_history(true)
    }

    /// Redoes one step. Returns false when there was nothing to redo.
    pub fn redo(&mut self) -> Result<bool, EditError> {
        self.step_history(false)
    }

    fn step_history(&mut self, undo: bool) -> Result<bool, EditError> {
        if let Some(reason) = &self.read_only {
            return Err(EditError::ReadOnly(reason.clone()));
        }
        let replay = if undo {
            self.history.undo()
        } else {
            self.history.redo()
        };
        let Some(replay) = replay else {
            return Ok(false);
        };
        let mut from = usize::MAX;
        let mut edits = Vec::new();
        for tx in replay.transactions {
            from = from.min(tx.changes().first().map_or(0, |c| c.from));
            tx.apply_logged(&mut self.rope, &mut edits)?;
        }
        self.selection = replay.selection.clamp(self.rope.len_chars());
        self.preferred_col = None;
        self.bump_version(from, Some(edits));
        Ok(true)
    }

    /// The selected text.
    pub fn selected_text(&self) -> String {
        let sel = self.selection;
        self.rope.slice(sel.from()..sel.to()).to_string()
    }

    /// Replaces the selection with `text` (typing, paste); the cursor ends after it.
    pub fn insert(&mut self, text: &str, kind: EditKind) -> Result<(), EditError> {
        let sel = self.selection;
        let kind = if sel.is_empty() {
            kind
        } else {
            EditKind::Other
        };
        let tx = Transaction::replace(sel.from(), sel.to(), text);
        let end = sel.from() + text.chars().count();
        self.apply_with_selection(&tx, Selection::point(end), kind)
    }

    /// Enter: a line break in the document's line ending, indented like the current line,
    /// one `indent_unit` deeper after an opening bracket; between a bracket pair the closing
    /// one moves to its own line.
    pub fn newline(&mut self, indent_unit: &str) -> Result<(), EditError> {
        let from = self.selection.from();
        let to = self.selection.to();
        let line = movement::line_of(&self.rope, from);
        let start = movement::line_start(&self.rope, line);
        let indent_end = movement::first_non_blank(&self.rope, line);
        // Enter inside the indentation does not add more than what is left of the cursor.
        let indent = self.rope.slice(start..from.min(indent_end)).to_string();
        let before = (start..from)
            .rev()
            .map(|i| self.rope.char(i))
            .find(|c| *c != ' ' && *c != '\t');
        let after = (to < self.rope.len_chars()).then(|| self.rope.char(to));
        let ending = self.line_ending.as_str();
        let opens = matches!(before, Some('{' | '[' | '('));
        let (text, cursor_offset) = if opens {
            let inner = format!("{ending}{indent}{indent_unit}");
            let closes = matches!(
                (before, after),
                (Some('{'), Some('}')) | (Some('['), Some(']')) | (Some('('), Some(')'))
            );
            let n = inner.chars().count();
            if closes {
                (format!("{inner}{ending}{indent}"), n)
            } else {
                (inner, n)
            }
        } else {
            let t = format!("{ending}{indent}");
            let n = t.chars().count();
            (t, n)
        };
        let tx = Transaction::replace(from, to, text);
        self.apply_with_selection(&tx, Selection::point(from + cursor_offset), EditKind::Other)
    }

    /// Backspace: deletes the selection, or the grapheme before the cursor.
    pub fn backspace(&mut self) -> Result<(), EditError> {
        let sel = self.selection;
        if !sel.is_empty() {
            return self.delete_selection();
        }
        let from = movement::grapheme_left(&self.rope, sel.head);
        let tx = Transaction::delete(from, sel.head);
        self.apply_with_selection(&tx, Selection::point(from), EditKind::Delete)
    }

    /// Delete: deletes the selection, or the grapheme after the cursor.
    pub fn delete_forward(&mut self) -> Result<(), EditError> {
        let sel = self.selection;
        if !sel.is_empty() {
            return self.delete_selection();
        }
        let to = movement::grapheme_right(&self.rope, sel.head);
        let tx = Transaction::delete(sel.head, to);
        self.apply_with_selection(&tx, Selection::point(sel.head), EditKind::Delete)
    }

    pub fn delete_selection(&mut self) -> Result<(), EditError> {
        let sel = self.selection;
        let tx = Transaction::delete(sel.from(), sel.to());
        self.apply_with_selection(&tx, Selection::point(sel.from()), EditKind::Other)
    }

    /// Moves the cursor to `pos`, extending the selection if asked; keeps the wanted column
    /// only for vertical motion (the caller sets it).
    pub fn move_to(&mut self, pos: usize, extend: bool) {
        self.selection = self
            .selection
            .put_head(pos.min(self.rope.len_chars()), extend);
        self.preferred_col = None;
        self.history.seal();
    }

    /// Moves `lines` up or down keeping the display column.
    pub fn move_vertical(&mut self, lines: isize, extend: bool) {
        let head = self.selection.head;
        let col = self
            .preferred_col
            .unwrap_or_else(|| movement::visual_col(&self.rope, head, self.tab_width));
        let pos = movement::vertical(&self.rope, head, lines, col, self.tab_width);
        self.selection = self.selection.put_head(pos, extend);
        self.preferred_col = Some(col);
        self.history.seal();
    }

    /// Normalises pasted text to this document's line ending.
    pub fn normalize_line_endings(&self, text: &str) -> String {
        let ending = self.line_ending.as_str();
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    out.push_str(ending);
                }
                '\n' => out.push_str(ending),
                c => out.push(c),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_groups_into_one_undo_step() {
        let mut doc = Document::new(None);
        for c in ["h", "e", "y"] {
            doc.insert(c, EditKind::Insert).unwrap();
        }
        doc.newline("    ").unwrap();
        doc.insert("x", EditKind::Insert).unwrap();
        assert_eq!(doc.text().to_string(), "hey\nx");
        assert!(doc.is_dirty());
        doc.undo().unwrap();
        assert_eq!(doc.text().to_string(), "hey\n");
        doc.undo().unwrap();
        assert_eq!(doc.text().to_string(), "hey");
        doc.undo().unwrap();
        assert_eq!(doc.text().to_string(), "");
        assert!(!doc.is_dirty());
        doc.redo().unwrap();
        assert_eq!(doc.text().to_string(), "hey");
        assert_eq!(doc.cursor(), 3);
    }

    #[test]
    fn enter_keeps_indent_and_line_ending() {
        let mut doc = Document::from_rope(Rope::from_str("    fn x() {\r\n"), None);
        doc.line_ending = LineEnding::Crlf;
        doc.move_to(12, false);
        doc.newline("    ").unwrap();
        assert_eq!(doc.text().to_string(), "    fn x() {\r\n        \r\n");
        assert_eq!(doc.cursor(), 22);
        let mut doc = Document::from_rope(Rope::from_str("  f(x);\n  g({})"), None);
        doc.move_to(4, false);
        doc.newline("  ").unwrap();
        assert_eq!(doc.text().to_string(), "  f(\n    x);\n  g({})");
        doc.move_to(doc.text().len_chars() - 2, false);
        doc.newline("  ").unwrap();
        assert_eq!(doc.text().to_string(), "  f(\n    x);\n  g({\n    \n  })");
        assert_eq!(doc.cursor(), 23);
        // Inside the indentation: no deeper than the cursor.
        let mut doc = Document::from_rope(Rope::from_str("    x"), None);
        doc.move_to(2, false);
        doc.newline("  ").unwrap();
        assert_eq!(doc.text().to_string(), "  \n    x");
    }

    #[test]
    fn backspace_removes_a_whole_grapheme() {
        let mut doc = Document::from_rope(Rope::from_str("a👍🏽\r\n"), None);
        doc.move_to(3, false);
        doc.backspace().unwrap();
        assert_eq!(doc.text().to_string(), "a\r\n");
        doc.delete_forward().unwrap();
        assert_eq!(doc.text().to_string(), "a");
    }

    #[test]
    fn dirty_flag_follows_save_point() {
        let mut doc = Document::new(None);
        doc.insert("a", EditKind::Other).unwrap();
        doc.mark_saved(None);
        assert!(!doc.is_dirty());
        doc.undo().unwrap();
        assert!(doc.is_dirty());
        doc.redo().unwrap();
        assert!(!doc.is_dirty());
    }

    #[test]
    fn edits_made_while_loading_replay_onto_the_whole_file() {
        let mut doc = Document::from_rope(Rope::from_str("fn a() {}\nfn b"), None);
        doc.move_to(3, false);
        doc.insert("x", EditKind::Insert).unwrap();
        doc.move_to(0, false);
        doc.insert("// top\n", EditKind::Other).unwrap();
        let whole = Loaded {
            rope: Rope::from_str("fn a() {}\nfn b() {}\n"),
            bom: false,
            line_ending: LineEnding::Lf,
        };
        doc.finish_loading(whole).unwrap();
        assert_eq!(doc.text().to_string(), "// top\nfn xa() {}\nfn b() {}\n");
        assert!(doc.is_dirty());
        doc.undo().unwrap();
        doc.undo().unwrap();
        assert_eq!(doc.text().to_string(), "fn a() {}\nfn b() {}\n");
        assert!(!doc.is_dirty());
    }

    #[test]
    fn saved_text_is_found_through_undo_and_redo() {
        let mut doc = Document::from_rope(Rope::from_str("base\n"), None);
        assert_eq!(doc.saved_text().unwrap().to_string(), "base\n");
        doc.insert("a", EditKind::Other).unwrap();
        doc.insert("b", EditKind::Other).unwrap();
        assert_eq!(doc.saved_text().unwrap().to_string(), "base\n");
        doc.mark_saved(None);
        doc.undo().unwrap();
        doc.undo().unwrap();
        assert_eq!(doc.text().to_string(), "base\n");
        assert_eq!(doc.saved_text().unwrap().to_string(), "abbase\n");
        doc.mark_unsaved();
        assert!(doc.saved_text().is_none());
    }

    #[test]
    fn read_only_refuses_edits() {
        let mut doc = Document::new(None);
        doc.read_only = Some("load failed".into());
        assert!(doc.insert("a", EditKind::Insert).is_err());
        assert_eq!(doc.text().len_chars(), 0);
    }
}
