//! Re-diffing while a reply streams: only the stretch of the proposed text that changed since
//! the last round is diffed again. The changes before and after it are kept, a hunk growing
//! at the stream's edge is extended in place, and decisions on hunks found again unchanged
//! are kept, so a round costs what changed, not the whole file.

use crate::diff::CONTEXT;
use crate::diff::hunk::Hunk;
use crate::diff::lines::Lines;
use crate::diff::proposal::{Decision, Proposal};
use crate::diff::spans::{self, Span};

/// Changes further apart than this many equal lines never share a hunk.
const APART: usize = 2 * CONTEXT + 1;

/// Lines before the first changed line (and after the last) that are diffed again with it,
/// so that new lines can still pair with the base lines just before them.
const SLACK: usize = APART;

/// A copy of `previous` re-diffed against `proposed_so_far`; see [`Proposal::update`].
pub fn rediff(previous: &Proposal, proposed_so_far: &str) -> Proposal {
    let mut next = previous.clone();
    next.update(proposed_so_far);
    next
}

/// Compared a block at a time, which the compiler turns into `memcmp`: a round still reads
/// the whole text once, at memory speed.
const CHUNK: usize = 512;

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + CHUNK <= n && a[i..i + CHUNK] == b[i..i + CHUNK] {
        i += CHUNK;
    }
    i + a[i..n]
        .iter()
        .zip(&b[i..n])
        .take_while(|(x, y)| x == y)
        .count()
}

fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut i = 0;
    while i + CHUNK <= n && a[n - i - CHUNK..n - i] == b[n - i - CHUNK..n - i] {
        i += CHUNK;
    }
    i + a[..n - i]
        .iter()
        .rev()
        .zip(b[..n - i].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// Where `hunk`'s model lines end in the proposed text.
fn new_end(hunk: &Hunk) -> usize {
    hunk.new_start + hunk.proposed_lines().len()
}

/// Appends `s`, joining it to the last change when they touch.
fn push(spans: &mut Vec<Span>, s: Span) {
    match spans.last_mut() {
        Some(last) if last.old.end == s.old.start && last.new.end == s.new.start => {
            last.old.end = s.old.end;
            last.new.end = s.new.end;
        }
        _ => spans.push(s),
    }
}

/// What a round changed: proposed lines `[from, prev_to)` of the old text became `[from,
/// to)` of the new one.
struct Changed {
    from: usize,
    prev_to: usize,
    prev_lines: usize,
    line_shift: isize,
}

impl Proposal {
    /// Re-diffs against `proposed`, the model's text for the file as it stands now (the
    /// reply may still be streaming). The proposed texts of this round and the last are
    /// compared from both ends; the changes more than a few lines before the first changed
    /// line and after the last are kept, and only the stretch between is diffed again. A
    /// hunk found again unchanged (same base lines, same model lines) keeps its decision,
    /// its place in the document and the user's edit; other hunks are pending.
    pub fn update(&mut self, proposed: impl Into<String>) {
        let proposed = proposed.into();
        let Some(changed) = self.splice_lines(&proposed) else {
            return;
        };
        let prev_lines = changed.prev_lines;
        let x = changed.from.saturating_sub(SLACK);
        let y = (changed.prev_to + SLACK).min(prev_lines);
        let shift = |n: usize| n.saturating_add_signed(changed.line_shift);

        // The changes kept before `x` and after `y`; one crossing a cut is cut with it.
        let li = self.spans.partition_point(|s| s.new.end <= x);
        let ri = self.spans.partition_point(|s| s.new.start < y).max(li);
        let mut left = None;
        let mut right = None;
        if li < ri && self.spans[li].new.start < x {
            let s = &self.spans[li];
            let oc = s.old.start + (x - s.new.start).min(s.old.len());
            left = Some(Span {
                old: s.old.start..oc,
                new: s.new.start..x,
            });
        }
        if li < ri && self.spans[ri - 1].new.end > y {
            let s = &self.spans[ri - 1];
            let mut oc = s.old.end - (s.new.end - y).min(s.old.len());
            if let Some(l) = left.as_ref().filter(|_| ri - 1 == li) {
                oc = oc.max(l.old.end);
            }
            right = Some(Span {
                old: oc..s.old.end,
                new: y..s.new.end,
            });
        }
        let base_lines = self.base_starts.lines();
        let lo_old = match (&left, li.checked_sub(1).map(|i| &self.spans[i])) {
            (Some(l), _) => l.old.end,
            (None, Some(s)) => s.old.end + (x - s.new.end),
            (None, None) => x,
        };
        let hi_old = match (&right, self.spans.get(ri)) {
            (Some(r), _) => r.old.start,
            (None, Some(s)) => s.old.start - (s.new.start - y),
            (None, None) => base_lines - (prev_lines - y),
        };
        let (lo_new, hi_new) = (x, shift(y));

        let old = Lines::new(&self.base, &self.base_starts);
        let new = Lines::new(&proposed, &self.proposed_starts);
        let (o, n) = (old.slice(lo_old..hi_old), new.slice(lo_new..hi_new));
        let middle = spans::changes(&o, 0..o.len(), &n, 0..n.len());
        let mut tail = self.spans.split_off(ri);
        self.spans.truncate(li);
        for s in left.into_iter().chain(middle.into_iter().map(|s| Span {
            old: s.old.start + lo_old..s.old.end + lo_old,
            new: s.new.start + lo_new..s.new.end + lo_new,
        })) {
            push(&mut self.spans, s);
        }
        for s in right.into_iter().chain(tail.drain(..)) {
            push(
                &mut self.spans,
                Span {
                    old: s.old,
                    new: shift(s.new.start)..shift(s.new.end),
                },
            );
        }

        self.regroup(&proposed, x, y, (lo_old, lo_new), changed.line_shift);
        self.last_change = changed.from;
        self.set_proposed(proposed);
    }

    /// `update` with the reply's final text: the proposal is complete.
    pub fn finish(&mut self, proposed: impl Into<String>) {
        self.update(proposed);
        self.finished = true;
    }

    /// How many hunks, from the first, a reply that goes on streaming past the last changed
    /// line can no longer change: they are far enough above it. All, once final.
    pub fn settled(&self) -> usize {
        if self.finished {
            return self.hunks.len();
        }
        self.hunks
            .partition_point(|h| new_end(h) + APART + SLACK <= self.last_change)
    }

    /// Updates the line starts of the proposed text for `proposed` (common lines at both
    /// ends kept, the middle scanned); `None` when the texts are the same.
    fn splice_lines(&mut self, proposed: &str) -> Option<Changed> {
        let prev = self.proposed().as_bytes();
        let prev_lines = self.proposed_starts.lines();
        let pb = common_prefix(prev, proposed.as_bytes());
        if pb == prev.len() && pb == proposed.len() {
            return None;
        }
        // Lines wholly inside the common prefix; a last line without a newline is not, as
        // the new text may go on with it.
        let mut from = self.proposed_starts.partition_point(|s| s <= pb) - 1;
        if from == prev_lines && !prev.ends_with(b"\n") && from > 0 {
            from -= 1;
        }
        let from_byte = self.proposed_starts.get(from);
        let limit = prev.len().min(proposed.len()) - from_byte;
        let sb = common_suffix(prev, proposed.as_bytes()).min(limit);
        // The first line of the common suffix must start a line in both texts.
        let suffix_byte = prev.len() - sb;
        let mut to = self
            .proposed_starts
            .partition_point(|s| s < suffix_byte)
            .max(from);
        let new_at = proposed.len() - sb;
        if to < prev_lines
            && self.proposed_starts.get(to) == suffix_byte
            && new_at > 0
            && proposed.as_bytes()[new_at - 1] != b'\n'
        {
            to += 1;
        }
        let byte_shift = proposed.len() as isize - prev.len() as isize;
        let mid_end = self
            .proposed_starts
            .get(to)
            .saturating_add_signed(byte_shift);
        let mut at = from_byte;
        let middle: Vec<usize> = proposed[from_byte..mid_end]
            .split_inclusive('\n')
            .map(|l| {
                at += l.len();
                at
            })
            .collect();
        let added = middle.len();
        self.proposed_starts
            .splice(from, to, &middle, proposed.len());
        Some(Changed {
            from,
            prev_to: to,
            prev_lines,
            line_shift: (from + added) as isize - to as isize,
        })
    }

    /// Rebuilds the hunks whose changes lie within reach of the proposed lines `x..y` of
    /// the last round (which the spans were re-diffed over, cut at `cut`); the others are
    /// kept, those after moved by `line_shift`.
    fn regroup(
        &mut self,
        proposed: &str,
        x: usize,
        y: usize,
        cut: (usize, usize),
        line_shift: isize,
    ) {
        let hb = self.hunks.partition_point(|h| new_end(h) + APART <= x);
        let ha = self
            .hunks
            .partition_point(|h| h.new_start < y + APART)
            .max(hb);
        let (b_old, b_new) = match hb.checked_sub(1).map(|i| &self.hunks[i]) {
            Some(h) => (h.old_end(), new_end(h)),
            None => (0, 0),
        };
        let s_lo = self
            .spans
            .partition_point(|s| s.old.end <= b_old && s.new.end <= b_new);
        let s_hi = match self.hunks.get(ha) {
            Some(h) => self.spans.partition_point(|s| s.old.start < h.old_start),
            None => self.spans.len(),
        };
        let old = Lines::new(&self.base, &self.base_starts);
        let new = Lines::new(proposed, &self.proposed_starts);

        let had = self.hunks.len();
        let mut tail_hunks = self.hunks.split_off(ha);
        let mut tail_decisions = self.decisions.split_off(ha);
        let mut tail_anchors = self.anchors.split_off(ha);
        let mut tail_exact = self.exact.split_off(ha);
        let mut candidates = self
            .hunks
            .split_off(hb)
            .into_iter()
            .zip(self.decisions.split_off(hb))
            .zip(
                self.anchors
                    .split_off(hb)
                    .into_iter()
                    .zip(self.exact.split_off(hb)),
            )
            .peekable();
        let spans = std::mem::take(&mut self.spans);
        let groups = spans::group(&spans[s_lo..s_hi]);
        let rebuilt = groups.len();
        for g in groups {
            let (Some(first), Some(last)) = (g.first(), g.last()) else {
                continue;
            };
            while candidates
                .peek()
                .is_some_and(|((c, _), _)| c.old_start < first.old.start)
            {
                candidates.next();
            }
            let same = |c: &Hunk| {
                c.old_lines.len() == last.old.end - first.old.start
                    && c.proposed_lines().len() == last.new.end - first.new.start
                    && c.proposed_lines()
                        .iter()
                        .zip(first.new.start..)
                        .all(|(l, i)| l == new.get(i))
            };
            let found = candidates.next_if(|((c, _), _)| c.old_start == first.old.start);
            let (hunk, decision, anchor, exact) = match found {
                Some(((mut kept, decision), (anchor, exact))) if same(&kept) => {
                    kept.new_start = first.new.start;
                    (kept, decision, anchor, exact)
                }
                Some(((mut c, _), _))
                    if c.model_lines.is_none() && c.new_start == first.new.start =>
                {
                    spans::extend(&mut c, old, new, g, cut);
                    let at = self.expected_line(&c);
                    (c, Decision::Pending, at, self.pristine)
                }
                _ => {
                    let h = spans::build(old, new, g);
                    let at = self.expected_line(&h);
                    (h, Decision::Pending, at, self.pristine)
                }
            };
            self.hunks.push(hunk);
            self.decisions.push(decision);
            self.anchors.push(anchor);
            self.exact.push(exact);
        }
        self.spans = spans;
        for h in &mut tail_hunks {
            h.new_start = h.new_start.saturating_add_signed(line_shift);
        }
        self.hunks.append(&mut tail_hunks);
        self.decisions.append(&mut tail_decisions);
        self.anchors.append(&mut tail_anchors);
        self.exact.append(&mut tail_exact);

        if had == 0 {
            // The first hunks to appear: the review starts at the first.
            self.current = 0;
        } else if self.current >= ha {
            self.current = self.current - (ha - hb) + rebuilt;
        } else if self.current >= hb {
            self.current = self.current.min(hb + rebuilt.saturating_sub(1));
        }
        self.current = self.current.min(self.hunks.len().saturating_sub(1));
    }

    /// Where a new hunk most likely is in the document: its base line, moved as much as the
    /// nearest hunk before it has moved (by the user's edits, and by its own new lines once
    /// accepted).
    fn expected_line(&self, h: &Hunk) -> usize {
        // Hunks are pushed in order: the last one so far is the nearest before `h`.
        let Some(k) = self.hunks.len().checked_sub(1) else {
            return h.old_start;
        };
        let o = &self.hunks[k];
        let mut shift = self.anchors[k] as isize - o.old_start as isize;
        if self.decisions[k] == Decision::Accepted {
            shift += o.new_lines.len() as isize - o.old_lines.len() as isize;
        }
        h.old_start.saturating_add_signed(shift)
    }
}
