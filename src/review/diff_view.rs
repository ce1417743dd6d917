//! `v` in a review: the changes still to decide as a unified diff, in a read-only buffer of
//! its own — the text as it is now against the text with every open change applied, so the
//! diff is what `a` would do, and reads like `git diff` — followed by the blocks of the reply
//! that were refused, each with why and its SEARCH/REPLACE as the model wrote it, to apply by
//! hand or send back with `r`.

use crate::app::App;

impl App {
    /// Opens (or refreshes) the unified diff of the current buffer's open changes.
    pub(crate) fn show_review_diff(&mut self) {
        let name = self.buf().display_name();
        let rel = match &self.doc().path {
            Some(path) => self
                .workspace_rel(path)
                .unwrap_or_else(|| self.display_path(Some(path))),
            None => name.clone(),
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
        if open.is_empty() && review.refused.is_empty() {
            self.set_message("no change is open to show");
            return;
        }
        let after = match open
            .first()
            .map(|&first| proposal.plan_accept_rest(first, &current, version))
        {
            None => current.clone(),
            Some(Ok(plan)) => {
                let mut rope = now;
                if let Err(e) = plan.transaction.apply(&mut rope) {
                    self.set_error(e.to_string());
                    return;
                }
                rope.to_string()
            }
            Some(Err(e)) => {
                self.set_error(e.to_string());
                return;
            }
        };
        let mut diff = crate::diff::unified(&rel, Some(&current), &after);
        let refused = &review.refused;
        if !refused.is_empty() {
            if !diff.is_empty() {
                diff.push('\n');
            }
            diff.push_str(&refused_section(refused));
        }
        let title = format!("{name} (proposed).diff");
        self.show_read_only(title, diff, "a diff view");
        self.set_message("the open changes as a diff · Alt-Left goes back to the review");
    }
}

/// The refused blocks as text: why, then the block as the model wrote it.
fn refused_section(refused: &[crate::ai::edit::Refusal]) -> String {
    let mut out = format!(
        "# {} not applied (r sends {} back to the model):\n",
        if refused.len() == 1 {
            "1 block was".to_string()
        } else {
            format!("{} blocks were", refused.len())
        },
        if refused.len() == 1 { "it" } else { "them" }
    );
    for r in refused {
        out.push_str("\n# ");
        out.push_str(&r.message());
        out.push('\n');
        if !r.path.is_empty() {
            out.push_str(&r.path);
            out.push('\n');
        }
        out.push_str("<<<<<<< SEARCH\n");
        push_lines(&mut out, &r.search);
        out.push_str("=======\n");
        push_lines(&mut out, &r.replace);
        out.push_str(">>>>>>> REPLACE\n");
    }
    out
}

fn push_lines(out: &mut String, text: &str) {
    out.push_str(text);
    if !text.is_empty() && !text.ends_with('\n') {
        out.push('\n');
    }
}
