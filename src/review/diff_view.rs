//! `v` in a review: the changes still to decide as a unified diff, in a read-only buffer of
//! its own — the text as it is now against the text with every open change applied, so the
//! diff is what `a` would do, and reads like `git diff`.

use ropey::Rope;

use crate::app::App;
use crate::core::document::Document;

impl App {
    /// Opens (or refreshes) the unified diff of the current buffer's open changes.
    pub(crate) fn show_review_diff(&mut self) {
        let name = self.buf().display_name();
        let rel = match (&self.engine, &self.doc().path) {
            (Some(engine), Some(path)) => engine
                .relative(path)
                .unwrap_or_else(|| self.display_path(Some(path))),
            (None, Some(path)) => self.display_path(Some(path)),
            (_, None) => name.clone(),
        };
        let Some(review) = &self.buf().review else {
            return;
        };
        let now = self.doc().text().clone();
        let version = self.doc().version();
        let current = now.to_string();
        let proposal = &review.proposal;
        let decidable = review.decidable();
        let open: Vec<usize> = (0..decidable)
            .filter(|&i| proposal.decision(i) == Some(crate::diff::Decision::Pending))
            .collect();
        let Some(&first) = open.first() else {
            self.set_message("no change is open to show");
            return;
        };
        let after = match proposal.plan_accept_rest(first, &current, version) {
            Ok(plan) => {
                let mut rope = now;
                if let Err(e) = plan.transaction.apply(&mut rope) {
                    self.set_error(e.to_string());
                    return;
                }
                rope.to_string()
            }
            Err(e) => {
                self.set_error(e.to_string());
                return;
            }
        };
        let diff = crate::diff::unified(&rel, Some(&current), &after);
        let title = format!("{name} (proposed).diff");
        if let Some(old) = self
            .buffers
            .iter()
            .find(|b| b.name.as_deref() == Some(title.as_str()))
            .map(|b| b.id)
        {
            self.close_buffer(old);
        }
        let mut doc = Document::from_rope(Rope::from(diff), None);
        doc.read_only = Some("a diff view".to_string());
        self.add_buffer(doc);
        self.buf_mut().name = Some(title);
        self.set_message("the open changes as a diff · Alt-Left goes back to the review");
    }
}
