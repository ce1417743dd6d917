//! `e` in a review: the hunk's new lines open in a buffer of their own, edited like any text;
//! Ctrl-S puts them in the hunk (still to accept with `y`), Ctrl-W drops the edit. As
//! `git add -p` does with an editor, but in the editor the user is already in.

use ropey::Rope;

use crate::app::App;
use crate::core::document::Document;
use crate::event::BufferId;

/// A buffer holding a hunk's new lines while the user edits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HunkEdit {
    /// The buffer under review.
    pub origin: BufferId,
    /// The hunk, by index in its proposal.
    pub hunk: usize,
}

impl App {
    /// `e`: opens the current hunk's new lines for editing.
    pub(crate) fn edit_current_hunk(&mut self) {
        let origin = self.buf().id;
        let name = self.buf().display_name();
        let Some(review) = self.buf_mut().review.as_mut() else {
            return;
        };
        let i = review.proposal.current();
        if i >= review.decidable() {
            self.set_message(format!("change {} is still arriving", i + 1));
            return;
        }
        if !review
            .proposal
            .decision(i)
            .is_some_and(crate::diff::Decision::is_open)
        {
            self.set_message(format!("change {} is already decided", i + 1));
            return;
        }
        let Some(text) = review
            .proposal
            .hunks()
            .get(i)
            .map(crate::diff::Hunk::new_text)
        else {
            return;
        };
        review.active = false;
        let language = self.buf().syntax_language;
        let title = format!("change {} of {name}", i + 1);
        let mut doc = Document::from_rope(Rope::from_str(&text), None);
        doc.tab_width = self.doc().tab_width;
        self.add_buffer(doc);
        let buf = self.buf_mut();
        buf.name = Some(title);
        buf.hunk_edit = Some(HunkEdit { origin, hunk: i });
        // Highlighted as the file it goes into (detection by path would find nothing).
        buf.syntax_for = Some(None);
        buf.syntax_language = language;
        self.set_message(
            "edit the new lines · Ctrl-S puts them in the change · Ctrl-W drops the edit",
        );
    }

    /// Ctrl-S in a hunk's buffer: its text becomes the hunk's new lines, and the review of
    /// the file it belongs to takes the keys again.
    pub(crate) fn finish_hunk_edit(&mut self) {
        let Some(edit) = self.buf().hunk_edit else {
            return;
        };
        let text = self.doc().text().to_string();
        let scratch = self.buf().id;
        let Some(origin) = self.buffers.iter().position(|b| b.id == edit.origin) else {
            self.set_error("the file this change was for is closed; the edit has nowhere to go");
            return;
        };
        let Some(review) = self.buffers[origin].review.as_mut() else {
            self.set_error("that review is over; the edit has nowhere to go");
            return;
        };
        let result = review.proposal.edit(edit.hunk, &text);
        if let Err(e) = result {
            self.set_error(e.to_string());
            return;
        }
        let _ = review.proposal.select(edit.hunk);
        review.active = true;
        self.close_buffer_only(scratch);
        if let Some(i) = self.buffers.iter().position(|b| b.id == edit.origin) {
            self.current = i;
        }
        self.reveal_current_hunk();
        self.set_message(format!(
            "change {} edited — y accepts it as it is now",
            edit.hunk + 1
        ));
    }

    /// A hunk's buffer closed without Ctrl-S: the review goes back to the keys, unchanged.
    pub(crate) fn hunk_edit_closed(&mut self, edit: HunkEdit) {
        if let Some(i) = self.buffers.iter().position(|b| b.id == edit.origin) {
            if let Some(review) = self.buffers[i].review.as_mut() {
                review.active = true;
            }
            self.current = i;
            self.reveal_current_hunk();
            self.set_message(format!("change {} left as proposed", edit.hunk + 1));
        }
    }
}
