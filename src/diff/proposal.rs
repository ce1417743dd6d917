//! A proposal under review: one file's base text and proposed text, its hunks and what the
//! user decided about each (the `git add -p` model), and where each hunk sits in the
//! document now.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::core::document::Document;
use crate::diff::DiffError;
use crate::diff::anchor;
use crate::diff::hunk::Hunk;
use crate::diff::lines::{self, LineStarts, Lines};
use crate::diff::spans::{self, Span};

/// What became of one hunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Decision {
    /// Not decided yet.
    #[default]
    Pending,
    /// Applied to the document.
    Accepted,
    /// Left out; the document is untouched by it.
    Rejected,
    /// Undecided, and its lines or context are no longer found (exactly once) in the document,
    /// so it cannot be applied; it becomes pending again if they come back.
    Stale,
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Stale => "stale",
        })
    }
}

impl Decision {
    /// Pending or stale: still waiting for the user.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Pending | Self::Stale)
    }
}

/// One file's suggested edit under review. It lives beside the document, never in it: only
/// accepting a hunk changes the text, through a [`crate::core::transaction::Transaction`].
#[derive(Debug, Clone)]
pub struct Proposal {
    path: PathBuf,
    pub(crate) base: String,
    base_version: u64,
    proposed: String,
    pub(crate) hunks: Vec<Hunk>,
    pub(crate) decisions: Vec<Decision>,
    /// Byte offset of each line start of `base` and of `proposed` (plus the end).
    pub(crate) base_starts: LineStarts,
    pub(crate) proposed_starts: LineStarts,
    /// The changes base → proposed (the model's lines), which the hunks are grouped from.
    pub(crate) spans: Vec<Span>,
    /// The first proposed line the last streamed round changed.
    pub(crate) last_change: usize,
    /// For each hunk, the document line where its old lines start (for an accepted hunk,
    /// where its new lines start) as of `anchored_version`; always checked against the text.
    pub(crate) anchors: Vec<usize>,
    /// Whether each anchor is known (followed through every edit), not a guess: only a known
    /// place may hold a hunk whose lines occur more than once.
    pub(crate) exact: Vec<bool>,
    pub(crate) anchored_version: u64,
    /// No edit but this proposal's own accepts has reached the document since the base.
    pub(crate) pristine: bool,
    pub(crate) current: usize,
    pub(crate) finished: bool,
}

impl Proposal {
    /// The proposal to turn `base` (the document's text at `base_version`) into `proposed`.
    pub fn new(
        path: impl Into<PathBuf>,
        base: impl Into<String>,
        base_version: u64,
        proposed: impl Into<String>,
    ) -> Self {
        let (base, proposed): (String, String) = (base.into(), proposed.into());
        let (base_starts, proposed_starts) = (LineStarts::new(&base), LineStarts::new(&proposed));
        let old = Lines::new(&base, &base_starts);
        let new = Lines::new(&proposed, &proposed_starts);
        let spans = spans::diff(old, new);
        let hunks = spans::hunks(old, new, &spans);
        Self {
            path: path.into(),
            last_change: proposed_starts.lines(),
            base_starts,
            proposed_starts,
            spans,
            decisions: vec![Decision::Pending; hunks.len()],
            anchors: hunks.iter().map(|h| h.old_start).collect(),
            exact: vec![true; hunks.len()],
            hunks,
            base,
            base_version,
            proposed,
            anchored_version: base_version,
            pristine: true,
            current: 0,
            finished: false,
        }
    }

    /// The file the proposal is for.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The document's text when the request was made.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The document's version when the request was made.
    pub fn base_version(&self) -> u64 {
        self.base_version
    }

    /// The model's text for the whole file (so far, while the reply streams).
    pub fn proposed(&self) -> &str {
        &self.proposed
    }

    /// Replaces the proposed text (the caller keeps the line starts and spans).
    pub(crate) fn set_proposed(&mut self, text: String) {
        self.proposed = text;
    }

    /// The hunks, in text order.
    pub fn hunks(&self) -> &[Hunk] {
        &self.hunks
    }

    /// The decision on each hunk, parallel to [`Proposal::hunks`].
    pub fn decisions(&self) -> &[Decision] {
        &self.decisions
    }

    /// The decision on hunk `i`.
    pub fn decision(&self, i: usize) -> Option<Decision> {
        self.decisions.get(i).copied()
    }

    /// Whether the final text of the reply is in (see [`Proposal::finish`]).
    pub fn is_final(&self) -> bool {
        self.finished
    }

    /// The document line where hunk `i` is now (its old lines, or its new lines once
    /// accepted), for drawing it over the text; `None` when stale or rejected.
    pub fn position(&self, i: usize) -> Option<usize> {
        match self.decisions.get(i)? {
            Decision::Pending | Decision::Accepted => self.anchors.get(i).copied(),
            Decision::Rejected | Decision::Stale => None,
        }
    }

    /// The hunk under review (the `j`/`k` cursor).
    pub fn current(&self) -> usize {
        self.current
    }

    /// Puts the review cursor on hunk `i`.
    pub fn select(&mut self, i: usize) -> Result<(), DiffError> {
        self.check(i)?;
        self.current = i;
        Ok(())
    }

    /// `j`: moves to the next hunk; false at the last one.
    pub fn next_hunk(&mut self) -> bool {
        let moved = self.current + 1 < self.hunks.len();
        if moved {
            self.current += 1;
        }
        moved
    }

    /// `k`: moves to the previous hunk; false at the first one.
    pub fn prev_hunk(&mut self) -> bool {
        let moved = self.current > 0;
        if moved {
            self.current -= 1;
        }
        moved
    }

    /// The hunks still pending, in order (stale ones are listed by [`Proposal::stale`]).
    pub fn pending(&self) -> Vec<usize> {
        self.with(Decision::Pending)
    }

    /// The hunks that no longer apply to the document.
    pub fn stale(&self) -> Vec<usize> {
        self.with(Decision::Stale)
    }

    /// Whether every hunk is accepted or rejected.
    pub fn is_reviewed(&self) -> bool {
        !self.decisions.iter().any(|d| d.is_open())
    }

    fn with(&self, decision: Decision) -> Vec<usize> {
        (0..self.decisions.len())
            .filter(|&i| self.decisions[i] == decision)
            .collect()
    }

    pub(crate) fn check(&self, i: usize) -> Result<&Hunk, DiffError> {
        self.hunks.get(i).ok_or(DiffError::NoSuchHunk(i))
    }

    /// Checks that hunk `i` exists and is still open.
    pub(crate) fn check_open(&self, i: usize) -> Result<&Hunk, DiffError> {
        let hunk = self.check(i)?;
        match self.decisions[i] {
            d @ (Decision::Accepted | Decision::Rejected) => Err(DiffError::Decided {
                hunk: i,
                decision: d,
            }),
            Decision::Pending | Decision::Stale => Ok(hunk),
        }
    }

    /// After deciding hunk `after`, the cursor goes to the next open hunk, wrapping round
    /// to the first one, as `git add -p` does; it stays when none is left.
    pub(crate) fn advance(&mut self, after: usize) {
        let n = self.hunks.len();
        if let Some(next) = (after + 1..n)
            .chain(0..after.min(n))
            .find(|&i| self.decisions[i].is_open())
        {
            self.current = next;
        }
    }

    /// `n`: rejects hunk `i`; the text is not touched.
    pub fn reject(&mut self, i: usize) -> Result<(), DiffError> {
        self.check_open(i)?;
        self.decisions[i] = Decision::Rejected;
        self.advance(i);
        Ok(())
    }

    /// `d`: rejects hunk `i` and every open hunk after it; returns how many were rejected.
    pub fn reject_rest(&mut self, i: usize) -> Result<usize, DiffError> {
        self.check_open(i)?;
        let mut count = 0;
        for d in &mut self.decisions[i..] {
            if d.is_open() {
                *d = Decision::Rejected;
                count += 1;
            }
        }
        self.advance(i);
        Ok(count)
    }

    /// `e`: replaces hunk `i`'s new lines with `text` before it is accepted (see
    /// [`Hunk::set_new_text`]); the model's lines stay in [`Hunk::model_lines`].
    pub fn edit(&mut self, i: usize, text: &str) -> Result<(), DiffError> {
        self.check_open(i)?;
        self.hunks[i].set_new_text(text);
        Ok(())
    }

    /// Where hunk `i` is known to be in the document's text at `version`, if it is known
    /// (rather than guessed): the proposal followed every edit since.
    pub(crate) fn known(&self, i: usize, version: u64) -> Option<usize> {
        (self.exact[i] && version == self.anchored_version).then(|| self.anchors[i])
    }

    /// The base's lines.
    pub(crate) fn base_lines(&self) -> Vec<&str> {
        let lines = Lines::new(&self.base, &self.base_starts);
        lines.slice(0..lines.len())
    }

    /// Re-anchors every open hunk against `current`, the document's text at `version`:
    /// found (its lines with all their context, at the place it is known to be, or else
    /// exactly once in the text) → pending at that place; else stale.
    pub fn reanchor(&mut self, current: &str, version: u64) {
        if version != self.anchored_version {
            self.pristine = false;
        }
        let now = lines::split(current);
        // An accepted hunk whose new lines gave way to its old ones at the place it is known
        // to be was undone: it is open again, to accept or reject anew.
        for i in 0..self.hunks.len() {
            if self.decisions[i] == Decision::Accepted
                && let Some(at) = self.known(i, version)
                && !anchor::new_matches_at(&self.hunks[i], &now, at)
                && anchor::matches_at(&self.hunks[i], &now, at)
            {
                self.decisions[i] = Decision::Pending;
            }
        }
        let base = self.base_lines();
        let mut found = Vec::with_capacity(self.hunks.len());
        for i in 0..self.hunks.len() {
            let open = self.decisions[i].is_open();
            found.push(
                open.then(|| anchor::locate(&self.hunks[i], &now, self.known(i, version), &base)),
            );
        }
        for (i, f) in found.into_iter().enumerate() {
            match f {
                Some(Some(at)) => {
                    self.anchors[i] = at;
                    self.exact[i] = true;
                    self.decisions[i] = Decision::Pending;
                }
                Some(None) => {
                    self.exact[i] = false;
                    self.decisions[i] = Decision::Stale;
                }
                None => {}
            }
        }
        self.anchored_version = version;
    }

    /// Follows the edits the document made since the proposal last saw it (typing above a
    /// hunk moves it down), so each hunk's place stays known. When the document no longer
    /// remembers them, the places of open hunks are worked out from the base through every
    /// edit since the request, or else become guesses. Nothing is decided here.
    pub(crate) fn follow(&mut self, doc: &Document) {
        if doc.version() == self.anchored_version {
            return;
        }
        self.pristine = false;
        if let Some(edits) = doc.edits_since(self.anchored_version) {
            for a in &mut self.anchors {
                *a = anchor::shift_line(*a, &edits);
            }
        } else {
            self.exact.fill(false);
        }
        if self.exact.iter().any(|e| !e)
            && let Some(edits) = doc.edits_since(self.base_version)
        {
            for i in 0..self.hunks.len() {
                if !self.exact[i] && self.decisions[i].is_open() {
                    self.anchors[i] = anchor::shift_line(self.hunks[i].old_start, &edits);
                    self.exact[i] = true;
                }
            }
        }
        self.anchored_version = doc.version();
    }

    /// [`Proposal::reanchor`] against a document, following its recent edits first.
    pub fn reanchor_document(&mut self, doc: &Document) {
        self.follow(doc);
        self.reanchor(&doc.text().to_string(), doc.version());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposal() -> Proposal {
        let base = (0..30)
            .map(|i| format!("line {i}\n"))
            .collect::<Vec<_>>()
            .concat();
        let new = base
            .replace("line 2\n", "two\n")
            .replace("line 12\n", "twelve\n")
            .replace("line 22\n", "twenty-two\n");
        Proposal::new("f.txt", base, 7, new)
    }

    #[test]
    fn decisions_move_the_cursor_like_git_add_p() {
        let mut p = proposal();
        assert_eq!(p.hunks().len(), 3);
        assert_eq!(p.pending(), [0, 1, 2]);
        assert!(p.next_hunk());
        assert_eq!(p.current(), 1);
        p.reject(1).unwrap();
        assert_eq!(p.current(), 2);
        p.reject(2).unwrap();
        // Wraps round to the first undecided hunk.
        assert_eq!(p.current(), 0);
        assert_eq!(
            p.reject(1),
            Err(DiffError::Decided {
                hunk: 1,
                decision: Decision::Rejected
            })
        );
        assert_eq!(p.reject_rest(0), Ok(1));
        assert!(p.is_reviewed());
        assert_eq!(p.reject(9), Err(DiffError::NoSuchHunk(9)));
        assert!(!p.prev_hunk());
        assert!(p.next_hunk());
        assert!(p.prev_hunk());
    }

    #[test]
    fn an_accepted_hunk_undone_is_open_again() {
        let mut p = proposal();
        let mut doc = Document::from_rope(ropey::Rope::from_str(p.base()), None);
        let base_version = doc.version();
        p = Proposal::new(
            "f.txt",
            p.base().to_owned(),
            base_version,
            p.proposed().to_owned(),
        );
        p.accept(0, &mut doc).unwrap();
        p.accept(1, &mut doc).unwrap();
        p.reanchor_document(&doc);
        assert_eq!(p.decisions()[..2], [Decision::Accepted, Decision::Accepted]);
        doc.undo().unwrap();
        p.reanchor_document(&doc);
        assert_eq!(
            p.decisions(),
            [Decision::Accepted, Decision::Pending, Decision::Pending]
        );
        assert_eq!(p.position(1), Some(12));
        // Accepting it again gives the same text as before the undo.
        p.accept(1, &mut doc).unwrap();
        assert!(doc.text().to_string().contains("twelve\n"));
        assert_eq!(p.decisions()[1], Decision::Accepted);
    }

    #[test]
    fn reanchoring_marks_stale_and_recovers() {
        let mut p = proposal();
        let base = p.base().to_owned();
        let typed = format!("// new\n{}", base.replace("line 12\n", "line 12!\n"));
        p.reanchor(&typed, 8);
        assert_eq!(
            p.decisions(),
            [Decision::Pending, Decision::Stale, Decision::Pending]
        );
        assert_eq!(p.position(0), Some(3));
        assert_eq!(p.position(1), None);
        p.reanchor(&base, 9);
        assert_eq!(p.decisions(), [Decision::Pending; 3]);
        assert_eq!(p.position(1), Some(12));
    }
}
