//! Applying accepted hunks: the pure text they give, and for the editor the one Transaction
//! (one undo step) that applies them to the document as it is now.

use crate::core::document::Document;
use crate::core::history::EditKind;
use crate::core::transaction::{Change, Transaction};
use crate::diff::hunk::Hunk;
use crate::diff::proposal::{Decision, Proposal};
use crate::diff::{DiffError, anchor, lines};

/// The text `base` becomes with the hunks whose indices are in `accepted` applied and the
/// others left out. Pure; the hunks must be `base`'s (as from [`crate::diff::hunks`]).
pub fn text_for(base: &str, hunks: &[Hunk], accepted: &[usize]) -> String {
    let lines = lines::split(base);
    let mut take = vec![false; hunks.len()];
    for &i in accepted {
        if let Some(t) = take.get_mut(i) {
            *t = true;
        }
    }
    let mut order: Vec<usize> = (0..hunks.len()).filter(|&i| take[i]).collect();
    order.sort_by_key(|&i| hunks[i].old_start);
    let mut out = String::with_capacity(base.len());
    let mut at = 0;
    for i in order {
        let h = &hunks[i];
        if h.old_start < at || h.old_end() > lines.len() {
            continue;
        }
        out.extend(lines[at..h.old_start].iter().copied());
        out.extend(h.new_lines.iter().map(String::as_str));
        at = h.old_end();
    }
    out.extend(lines[at..].iter().copied());
    out
}

/// Accepting some hunks, worked out against one version of the document's text: apply
/// `transaction` to exactly that text, then hand the plan to [`Proposal::commit`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The edit that applies every hunk in `accepted`: one undo step.
    pub transaction: Transaction,
    /// The hunks it applies, in order.
    pub accepted: Vec<usize>,
    /// Hunks asked for that no longer apply; they are marked stale on commit.
    pub stale: Vec<usize>,
    /// (hunk, document line where its old lines start), for each accepted hunk.
    at: Vec<(usize, usize)>,
    /// The document version the plan was made against.
    version: u64,
}

/// The char offset of every line start of `lines`, plus the end.
fn char_starts(lines: &[&str]) -> Vec<usize> {
    let mut out = Vec::with_capacity(lines.len() + 1);
    let mut at = 0;
    out.push(0);
    for l in lines {
        at += l.chars().count();
        out.push(at);
    }
    out
}

/// The changes that apply `hunk` with its old lines at document line `at`: only its changed
/// runs, so the unchanged lines between them (and the cursor on them) are left alone.
fn hunk_changes(hunk: &Hunk, at: usize, starts: &[usize], out: &mut Vec<Change>) {
    for b in &hunk.blocks {
        out.push(Change {
            from: starts[at + b.old.start],
            to: starts[at + b.old.end],
            text: hunk.new_lines[b.new.clone()].concat(),
        });
    }
}

impl Proposal {
    /// Plans accepting the hunks `which` (open ones; others are refused) against `current`,
    /// the document's text at `version`: each is located (see [`Proposal::reanchor`]);
    /// those not found go to `stale`. Nothing changes until [`Proposal::commit`].
    fn plan(&self, which: &[usize], current: &str, version: u64) -> Result<Plan, DiffError> {
        let now = lines::split(current);
        let base = self.base_lines();
        let mut found: Vec<(usize, usize)> = Vec::new();
        let mut stale = Vec::new();
        for &i in which {
            let hunk = self.check_open(i)?;
            match anchor::locate(hunk, &now, self.known(i, version), &base) {
                Some(at) => found.push((i, at)),
                None => stale.push(i),
            }
        }
        // Two hunks found over the same lines cannot both be right: the later one waits.
        found.sort_by_key(|&(i, at)| (at, i));
        let mut end = 0;
        let mut kept: Vec<(usize, usize)> = Vec::with_capacity(found.len());
        for (i, at) in found {
            if kept.last().is_some_and(|&(_, prev)| at < end || at == prev) {
                stale.push(i);
            } else {
                end = at + self.hunks[i].old_lines.len();
                kept.push((i, at));
            }
        }
        let starts = char_starts(&now);
        let mut changes = Vec::new();
        for &(i, at) in &kept {
            hunk_changes(&self.hunks[i], at, &starts, &mut changes);
        }
        let transaction = Transaction::new(changes)?;
        stale.sort_unstable();
        let mut accepted: Vec<usize> = kept.iter().map(|&(i, _)| i).collect();
        accepted.sort_unstable();
        Ok(Plan {
            transaction,
            accepted,
            stale,
            at: kept,
            version,
        })
    }

    /// `y`: plans accepting hunk `i` against `current`, the document's text at `version`.
    /// [`DiffError::Stale`] when it no longer applies.
    pub fn plan_accept(&self, i: usize, current: &str, version: u64) -> Result<Plan, DiffError> {
        let plan = self.plan(&[i], current, version)?;
        if plan.accepted.is_empty() {
            return Err(DiffError::Stale(i));
        }
        Ok(plan)
    }

    /// `a`: plans accepting hunk `i` and every open hunk after it, as one transaction; the
    /// ones that no longer apply are listed in [`Plan::stale`] and left out.
    pub fn plan_accept_rest(
        &self,
        i: usize,
        current: &str,
        version: u64,
    ) -> Result<Plan, DiffError> {
        self.check_open(i)?;
        let which: Vec<usize> = (i..self.hunks.len())
            .filter(|&k| self.decisions[k].is_open())
            .collect();
        self.plan(&which, current, version)
    }

    /// The one transaction that applies the hunks `which` to `current`, the document's text
    /// at `version`; [`DiffError::Stale`] names the first that no longer applies. Changes
    /// nothing: the editor plans and commits instead, so the review state follows.
    pub fn transaction_for(
        &self,
        which: &[usize],
        current: &str,
        version: u64,
    ) -> Result<Transaction, DiffError> {
        let plan = self.plan(which, current, version)?;
        match plan.stale.first() {
            Some(&i) => Err(DiffError::Stale(i)),
            None => Ok(plan.transaction),
        }
    }

    /// Records that `plan.transaction` was applied to the text the plan was made from,
    /// giving document version `version`: its hunks are accepted, the hunks after them move
    /// by the lines they added or removed, and the cursor goes to the next open hunk.
    pub fn commit(&mut self, plan: &Plan, version: u64) {
        if plan.version != self.anchored_version {
            // Planned on a text the proposal had not followed: the other places are guesses.
            self.pristine = false;
            self.exact.fill(false);
        }
        let shifts: Vec<(usize, isize)> = plan
            .at
            .iter()
            .map(|&(i, at)| {
                let h = &self.hunks[i];
                (at, h.new_lines.len() as isize - h.old_lines.len() as isize)
            })
            .collect();
        for (k, anchor) in self.anchors.iter_mut().enumerate() {
            if plan.at.iter().any(|&(i, _)| i == k) {
                continue;
            }
            let by: isize = shifts
                .iter()
                .filter(|&&(at, _)| at < *anchor)
                .map(|&(_, d)| d)
                .sum();
            *anchor = anchor.saturating_add_signed(by);
        }
        for &(i, at) in &plan.at {
            self.decisions[i] = Decision::Accepted;
            self.anchors[i] = at;
            self.exact[i] = true;
        }
        for &i in &plan.stale {
            self.decisions[i] = Decision::Stale;
            self.exact[i] = false;
        }
        self.anchored_version = version;
        if let Some(&last) = plan.accepted.last().or(plan.stale.last()) {
            self.advance(last);
        }
    }

    /// Plans with `plan`, applies the transaction to `doc` as one undo step and commits.
    fn accept_into(
        &mut self,
        doc: &mut Document,
        plan: impl FnOnce(&Self, &str, u64) -> Result<Plan, DiffError>,
    ) -> Result<Plan, DiffError> {
        self.follow(doc);
        let planned = plan(self, &doc.text().to_string(), doc.version())?;
        // `Other` edits never join another undo step: one accept, one undo.
        doc.apply(&planned.transaction, EditKind::Other)?;
        self.commit(&planned, doc.version());
        Ok(planned)
    }

    /// `y` on a document: accepts hunk `i` into `doc` as one undo step.
    pub fn accept(&mut self, i: usize, doc: &mut Document) -> Result<(), DiffError> {
        self.accept_into(doc, |p, text, v| p.plan_accept(i, text, v))
            .map(|_| ())
    }

    /// `a` on a document: accepts hunk `i` and every open hunk after it into `doc` as one
    /// undo step; returns the plan (what was accepted, what was stale).
    pub fn accept_rest(&mut self, i: usize, doc: &mut Document) -> Result<Plan, DiffError> {
        self.accept_into(doc, |p, text, v| p.plan_accept_rest(i, text, v))
    }

    /// The base with the hunks accepted so far applied (edited ones as edited).
    pub fn accepted_text(&self) -> String {
        let accepted: Vec<usize> = (0..self.hunks.len())
            .filter(|&i| self.decisions[i] == Decision::Accepted)
            .collect();
        text_for(self.base(), &self.hunks, &accepted)
    }
}

#[cfg(test)]
mod tests {
    use ropey::Rope;

    use super::*;

    const BASE: &str = "fn a() {\r\n    1\r\n}\r\n\r\nfn b() {\r\n    2\r\n}\r\n\r\n\r\n\r\nfn c() {\r\n    3\r\n}";
    const NEW: &str = "fn a() {\r\n    one\r\n}\r\n\r\nfn b() {\r\n    2\r\n}\r\n\r\n\r\n\r\nfn c() {\r\n    three\r\n}\r\n";

    #[test]
    fn accepting_some_hunks_keeps_the_rest_of_the_text() {
        let p = Proposal::new("x.rs", BASE, 0, NEW);
        assert_eq!(p.hunks().len(), 2);
        assert_eq!(text_for(BASE, p.hunks(), &[0, 1]), NEW);
        assert_eq!(text_for(BASE, p.hunks(), &[]), BASE);
        assert_eq!(
            text_for(BASE, p.hunks(), &[1]),
            BASE.replace("3\r\n}", "three\r\n}\r\n")
        );
    }

    #[test]
    fn each_accept_is_one_undo_step_and_moves_the_next_hunk() {
        let mut p = Proposal::new("x.rs", BASE, 0, NEW);
        let mut doc = Document::from_rope(Rope::from_str(BASE), None);
        p.accept(0, &mut doc).unwrap();
        assert_eq!(p.decision(0), Some(Decision::Accepted));
        p.accept(1, &mut doc).unwrap();
        assert_eq!(doc.text().to_string(), NEW);
        assert!(p.is_reviewed());
        doc.undo().unwrap();
        assert_eq!(doc.text().to_string(), text_for(BASE, p.hunks(), &[0]));
        doc.undo().unwrap();
        assert_eq!(doc.text().to_string(), BASE);
    }

    #[test]
    fn accept_rest_is_one_step_and_skips_what_no_longer_applies() {
        let mut p = Proposal::new("x.rs", BASE, 0, NEW);
        let mut doc = Document::from_rope(Rope::from_str(BASE), None);
        // The user changed the line the second hunk replaces.
        let at = BASE.find("    3").unwrap();
        doc.apply(&Transaction::insert(at, "//"), EditKind::Other)
            .unwrap();
        let typed = doc.text().to_string();
        let plan = p.accept_rest(0, &mut doc).unwrap();
        assert_eq!(
            (plan.accepted.as_slice(), plan.stale.as_slice()),
            (&[0][..], &[1][..])
        );
        assert_eq!(p.decisions(), [Decision::Accepted, Decision::Stale]);
        assert_eq!(
            p.transaction_for(&[1], &doc.text().to_string(), doc.version()),
            Err(DiffError::Stale(1))
        );
        doc.undo().unwrap();
        assert_eq!(doc.text().to_string(), typed);
    }
}
