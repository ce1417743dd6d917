//! The review keys, as `git add -p` has them: `y` accept the hunk, `n` reject it, `a` accept
//! it and all after, `d` reject it and all after, `j`/`k` next/previous, `q`/Esc leave the
//! review (undecided hunks stay); `e` edits a hunk first, `v` shows the open ones as a
//! unified diff. An accepted hunk is one Transaction, so one undo step.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Review;
use crate::app::App;
use crate::core::history::EditKind;
use crate::diff::{DiffError, Plan};

impl App {
    /// A key while the current buffer's review has the keys; true when it was taken. Keys
    /// that move or scroll and Ctrl/Alt keys go on to the editor; others that would type are
    /// held back, so a review is never answered into the text.
    pub(crate) fn review_key(&mut self, key: &KeyEvent) -> bool {
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return false;
        }
        match key.code {
            KeyCode::Char('y') => self.review_accept(false),
            KeyCode::Char('a') => self.review_accept(true),
            KeyCode::Char('n') => self.review_reject(false),
            KeyCode::Char('d') => self.review_reject(true),
            KeyCode::Char('j') => self.review_move(true),
            KeyCode::Char('k') => self.review_move(false),
            KeyCode::Char('e') => self.edit_current_hunk(),
            KeyCode::Char('v') => self.show_review_diff(),
            KeyCode::Char('q') | KeyCode::Esc => self.leave_review(),
            KeyCode::Char('r') => self.send_refused_back(),
            KeyCode::Char(_)
            | KeyCode::Enter
            | KeyCode::Tab
            | KeyCode::Backspace
            | KeyCode::Delete => {
                self.set_message(
                    "reviewing: y accept · n reject · a all · d the rest · j/k move · e edit · v diff · q leave to type",
                );
            }
            _ => return false,
        }
        self.redraw = true;
        true
    }

    /// Takes the review out of the current buffer for a step that also changes its document.
    fn take_review(&mut self) -> Option<Box<Review>> {
        let buf = self.buf_mut();
        let mut review = buf.review.take()?;
        review.proposal.reanchor_document(&buf.doc);
        Some(review)
    }

    /// `y` (or `a`): applies the current hunk (and with `all` every open hunk after it) as
    /// one Transaction against the text as it is now. A hunk whose lines are no longer there
    /// is marked stale and left alone.
    fn review_accept(&mut self, all: bool) {
        let Some(mut review) = self.take_review() else {
            return;
        };
        let i = review.proposal.current();
        if all && review.is_streaming() {
            self.set_message(
                "the reply is still arriving: a works once it is complete (y takes one hunk)",
            );
        } else if i >= review.decidable() {
            self.set_message(format!("change {} is still arriving", i + 1));
        } else {
            let (text, version) = (self.doc().text().to_string(), self.doc().version());
            let planned = if all {
                review.proposal.plan_accept_rest(i, &text, version)
            } else {
                review.proposal.plan_accept(i, &text, version)
            };
            match planned {
                Ok(plan) => self.apply_review_plan(&mut review, &plan),
                Err(e) => self.review_refused(&mut review, &e),
            }
        }
        self.put_review_back(review);
    }

    fn apply_review_plan(&mut self, review: &mut Review, plan: &Plan) {
        let mut failed = None;
        self.edit(|doc| {
            doc.apply(&plan.transaction, EditKind::Other)
                .inspect_err(|e| failed = Some(e.to_string()))
        });
        if failed.is_some() {
            // The refusal is in the status line already (read-only buffer and the like).
            return;
        }
        review.proposal.commit(plan, self.doc().version());
        if !plan.stale.is_empty() {
            let which: Vec<String> = plan.stale.iter().map(|i| (i + 1).to_string()).collect();
            self.set_error(format!(
                "change {} no longer applies: the text around it changed (left alone)",
                which.join(", ")
            ));
        }
    }

    fn review_refused(&mut self, review: &mut Review, e: &DiffError) {
        if matches!(e, DiffError::Stale(_)) {
            // Said once here; re-anchoring marks it so the review lists it as stale.
            review.proposal.reanchor_document(&self.buf().doc);
        }
        self.set_error(e.to_string());
    }

    /// `n` (or `d`): the current hunk (and every open one after it) is left out.
    fn review_reject(&mut self, rest: bool) {
        let Some(mut review) = self.take_review() else {
            return;
        };
        let i = review.proposal.current();
        let result = if rest {
            review.proposal.reject_rest(i).map(|_| ())
        } else {
            review.proposal.reject(i)
        };
        if let Err(e) = result {
            self.set_error(e.to_string());
        }
        self.put_review_back(review);
    }

    /// `j`/`k`.
    fn review_move(&mut self, forward: bool) {
        let Some(review) = self.buf_mut().review.as_mut() else {
            return;
        };
        let moved = if forward {
            review.proposal.next_hunk()
        } else {
            review.proposal.prev_hunk()
        };
        if !moved {
            self.set_message(if forward {
                "this is the last change"
            } else {
                "this is the first change"
            });
        }
        self.reveal_current_hunk();
    }

    /// `q`/Esc: the keys go back to the text; undecided hunks stay, drawn over it.
    fn leave_review(&mut self) {
        let Some(review) = self.buf_mut().review.as_mut() else {
            return;
        };
        review.active = false;
        let (pending, stale, _, _) = review.counts();
        let open = pending + stale;
        let streaming = review.is_streaming();
        self.set_message(match (open, streaming) {
            (_, true) => "left the review while the reply arrives — Ctrl-K comes back".to_string(),
            (1, _) => "1 change left to review — Ctrl-K comes back to it".to_string(),
            (n, _) => format!("{n} changes left to review — Ctrl-K comes back to them"),
        });
    }

    /// Puts a review back on the current buffer, or, when nothing is left to decide, ends it
    /// with what became of it.
    fn put_review_back(&mut self, review: Box<Review>) {
        if review.is_done() {
            let (_, _, accepted, rejected) = review.counts();
            let message = format!(
                "review done: {accepted} accepted, {rejected} rejected{}",
                if accepted > 0 {
                    " — Ctrl-Z undoes, Ctrl-S saves"
                } else {
                    ""
                }
            );
            if self.message.as_ref().is_none_or(|m| !m.error) {
                self.set_message(message);
            }
            self.redraw = true;
            if review.fix {
                self.fix_review_done(accepted);
            }
            return;
        }
        self.buf_mut().review = Some(review);
        self.reveal_current_hunk();
    }
}
