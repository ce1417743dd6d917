//! The line diff as a list of changes (spans of base lines replaced by proposed lines), and
//! hunks cut from it: grouped as `git diff` groups them, built fresh or, while a reply
//! streams, extended in place from the hunk of the round before.

use std::ops::Range;
use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;
use similar::algorithms::{Capture, Replace};
use similar::{Algorithm, DiffOp};

use crate::diff::CONTEXT;
use crate::diff::hunk::{Block, Hunk};
use crate::diff::lines::Lines;

/// A line diff that takes longer than this settles for a coarser (still exact) result, so a
/// pathological pair of texts cannot hang the editor.
const DIFF_TIMEOUT: Duration = Duration::from_millis(200);

/// Myers, as git's default (long texts are first cut at lines unique to both sides, see
/// `anchored`). similar's own Patience took eight times as long on two versions of a
/// 10,000-line file, and its `Compact` pass garbles Patience's ops.
const ALGORITHM: Algorithm = Algorithm::Myers;

/// One change in absolute line numbers: base lines `old` became proposed lines `new`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Span {
    pub old: Range<usize>,
    pub new: Range<usize>,
}

/// The changes between the lines `old[old_range]` and `new[new_range]`, in absolute line
/// numbers, adjacent changes merged. Lines the two ranges begin or end with alike are never
/// changes: the diff proper only sees what lies between (cheaper, and the incremental
/// re-diff relies on an unchanged stretch staying unchanged).
pub(crate) fn changes(
    old: &[&str],
    mut old_range: Range<usize>,
    new: &[&str],
    mut new_range: Range<usize>,
) -> Vec<Span> {
    while !old_range.is_empty()
        && !new_range.is_empty()
        && old[old_range.start] == new[new_range.start]
    {
        old_range.start += 1;
        new_range.start += 1;
    }
    while !old_range.is_empty()
        && !new_range.is_empty()
        && old[old_range.end - 1] == new[new_range.end - 1]
    {
        old_range.end -= 1;
        new_range.end -= 1;
    }
    if old_range.is_empty() && new_range.is_empty() {
        return Vec::new();
    }
    let deadline = Instant::now().checked_add(DIFF_TIMEOUT);
    let anchored = || anchored(old, &old_range, new, &new_range, deadline);
    let myers = || ops(ALGORITHM, old, &old_range, new, &new_range, deadline);
    let tries: [&dyn Fn() -> Vec<DiffOp>; 2] = if old_range.len() + new_range.len() >= ANCHOR_FROM {
        [&anchored, &myers]
    } else {
        [&myers, &myers]
    };
    let ops = tries
        .into_iter()
        .map(|f| f())
        .find(|ops| tiles(ops, &old_range, &new_range))
        // Replacing everything is still exact, only coarse.
        .unwrap_or_else(|| {
            vec![DiffOp::Replace {
                old_index: old_range.start,
                old_len: old_range.len(),
                new_index: new_range.start,
                new_len: new_range.len(),
            }]
        });
    let mut spans: Vec<Span> = Vec::new();
    for op in ops {
        if let DiffOp::Equal { .. } = op {
            continue;
        }
        let (o, n) = (op.old_range(), op.new_range());
        match spans.last_mut() {
            Some(last) if last.old.end == o.start && last.new.end == n.start => {
                last.old.end = o.end;
                last.new.end = n.end;
            }
            _ => spans.push(Span { old: o, new: n }),
        }
    }
    spans
}

/// Below this many lines (both sides), Myers alone is quick enough.
const ANCHOR_FROM: usize = 1024;

/// The diff ops between `old[o]` and `new[n]` when they are long: the lines that occur
/// exactly once on each side are paired, the longest chain of pairs in order on both sides
/// is kept as fixed points (as patience diff does), and Myers runs between them. Myers alone
/// costs the product of length and changes; between anchors both are small.
fn anchored(
    old: &[&str],
    o: &Range<usize>,
    new: &[&str],
    n: &Range<usize>,
    deadline: Option<Instant>,
) -> Vec<DiffOp> {
    // line → (count in old, count in new, last index in old, last index in new)
    // Fx: lines are hashed once each, and SipHash made that half the cost of a diff.
    let mut seen: FxHashMap<&str, (u32, u32, usize, usize)> = FxHashMap::default();
    seen.reserve(o.len());
    for i in o.clone() {
        let e = seen.entry(old[i]).or_insert((0, 0, 0, 0));
        (e.0, e.2) = (e.0 + 1, i);
    }
    for j in n.clone() {
        let e = seen.entry(new[j]).or_insert((0, 0, 0, 0));
        (e.1, e.3) = (e.1 + 1, j);
    }
    let mut pairs: Vec<(usize, usize)> = seen
        .into_values()
        .filter(|e| e.0 == 1 && e.1 == 1)
        .map(|e| (e.2, e.3))
        .collect();
    pairs.sort_unstable_by_key(|p| p.1);
    let mut out = Vec::new();
    let (mut oi, mut ni) = (o.start, n.start);
    for (a, b) in increasing(&pairs) {
        if a > oi || b > ni {
            out.extend(ops(
                Algorithm::Myers,
                old,
                &(oi..a),
                new,
                &(ni..b),
                deadline,
            ));
        }
        out.push(DiffOp::Equal {
            old_index: a,
            new_index: b,
            len: 1,
        });
        (oi, ni) = (a + 1, b + 1);
    }
    out.extend(ops(
        Algorithm::Myers,
        old,
        &(oi..o.end),
        new,
        &(ni..n.end),
        deadline,
    ));
    out
}

/// The longest chain of `pairs` (sorted by their second index) whose first indices increase
/// too, found by patience sorting.
fn increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut tails: Vec<usize> = Vec::new();
    let mut back: Vec<Option<usize>> = vec![None; pairs.len()];
    for (k, p) in pairs.iter().enumerate() {
        let at = tails.partition_point(|&t| pairs[t].0 < p.0);
        back[k] = at.checked_sub(1).map(|i| tails[i]);
        if at == tails.len() {
            tails.push(k);
        } else {
            tails[at] = k;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut k = tails.last().copied();
    while let Some(i) = k {
        chain.push(pairs[i]);
        k = back[i];
    }
    chain.reverse();
    chain
}

/// The diff ops of `alg`. similar's `capture_diff*` also runs its `Compact` pass, which in
/// similar 2.7 can emit ops with inconsistent indices after Patience; this does without it.
fn ops(
    alg: Algorithm,
    old: &[&str],
    old_range: &Range<usize>,
    new: &[&str],
    new_range: &Range<usize>,
    deadline: Option<Instant>,
) -> Vec<DiffOp> {
    let mut hook = Replace::new(Capture::new());
    let Ok(()) = similar::algorithms::diff_deadline(
        alg,
        &mut hook,
        old,
        old_range.clone(),
        new,
        new_range.clone(),
        deadline,
    );
    hook.into_inner().into_ops()
}

/// Whether `ops` cover both ranges in order, each op starting where the last one ended:
/// hunks are cut from them, so a diff that does not is not used.
fn tiles(ops: &[DiffOp], old_range: &Range<usize>, new_range: &Range<usize>) -> bool {
    let (mut o, mut n) = (old_range.start, new_range.start);
    for op in ops {
        if op.old_range().start != o || op.new_range().start != n {
            return false;
        }
        (o, n) = (op.old_range().end, op.new_range().end);
    }
    o == old_range.end && n == new_range.end
}

/// Splits `spans` into the runs that share a hunk: changes at most `2 * CONTEXT` unchanged
/// lines apart.
pub(crate) fn group(spans: &[Span]) -> Vec<&[Span]> {
    let mut groups = Vec::new();
    let mut start = 0;
    for i in 1..spans.len() {
        if spans[i].old.start - spans[i - 1].old.end > 2 * CONTEXT {
            groups.push(&spans[start..i]);
            start = i;
        }
    }
    if start < spans.len() {
        groups.push(&spans[start..]);
    }
    groups
}

fn owned(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|l| (*l).to_owned()).collect()
}

/// The hunk of one group of changes between the lines `old` and `new`.
pub(crate) fn build(old: Lines<'_>, new: Lines<'_>, group: &[Span]) -> Hunk {
    let (Some(first), Some(last)) = (group.first(), group.last()) else {
        return Hunk::empty();
    };
    let (o, n) = (first.old.start..last.old.end, first.new.start..last.new.end);
    let before = o.start.saturating_sub(CONTEXT);
    let after = (o.end + CONTEXT).min(old.len());
    Hunk {
        old_start: o.start,
        new_start: n.start,
        old_lines: owned(&old.slice(o.clone())),
        new_lines: owned(&new.slice(n.clone())),
        context_before: owned(&old.slice(before..o.start)),
        context_after: owned(&old.slice(o.end..after)),
        blocks: group
            .iter()
            .map(|s| Block {
                old: s.old.start - o.start..s.old.end - o.start,
                new: s.new.start - n.start..s.new.end - n.start,
            })
            .collect(),
        model_lines: None,
    }
}

/// The changes between all of `old` and all of `new`.
pub(crate) fn diff(old: Lines<'_>, new: Lines<'_>) -> Vec<Span> {
    let (o, n) = (old.slice(0..old.len()), new.slice(0..new.len()));
    changes(&o, 0..o.len(), &n, 0..n.len())
}

/// The hunks of `spans`, a diff of `old` → `new`.
pub(crate) fn hunks(old: Lines<'_>, new: Lines<'_>, spans: &[Span]) -> Vec<Hunk> {
    group(spans)
        .into_iter()
        .map(|g| build(old, new, g))
        .collect()
}

/// Where `hunk`'s lines end in the base and in the proposed text (the model's lines).
fn ends(hunk: &Hunk) -> (usize, usize) {
    (
        hunk.old_start + hunk.old_lines.len(),
        hunk.new_start + hunk.proposed_lines().len(),
    )
}

/// Turns `seed`, a hunk of the round before that starts with the same change as `group`,
/// into the hunk of `group`: what it holds before `cut` (base line, proposed line) is still
/// right and is kept; the rest is cut off and `group`'s changes from there are appended. A
/// hunk growing line by line as the reply streams is so extended, not rebuilt.
pub(crate) fn extend(
    seed: &mut Hunk,
    old: Lines<'_>,
    new: Lines<'_>,
    group: &[Span],
    cut: (usize, usize),
) {
    let (old_end, new_end) = ends(seed);
    let (oc, nc) = (
        cut.0.clamp(seed.old_start, old_end) - seed.old_start,
        cut.1.clamp(seed.new_start, new_end) - seed.new_start,
    );
    seed.blocks
        .retain(|b| b.new.start < nc || b.new.end <= nc && b.old.end <= oc);
    if let Some(last) = seed.blocks.last_mut() {
        last.old.end = last.old.end.min(oc);
        last.new.end = last.new.end.min(nc);
    }
    seed.old_lines.truncate(oc);
    seed.new_lines.truncate(nc);
    let (mut o, mut n) = (seed.old_start + oc, seed.new_start + nc);
    for s in group {
        if s.old.end <= o && s.new.end <= n {
            continue;
        }
        if s.old.start < o || s.new.start < n {
            // The change the cut went through goes on.
            if let Some(last) = seed.blocks.last_mut() {
                last.old.end = s.old.end - seed.old_start;
                last.new.end = s.new.end - seed.new_start;
            }
        } else {
            for i in o..s.old.start {
                let line = old.get(i).to_owned();
                seed.new_lines.push(line.clone());
                seed.old_lines.push(line);
            }
            seed.blocks.push(Block {
                old: s.old.start - seed.old_start..s.old.end - seed.old_start,
                new: s.new.start - seed.new_start..s.new.end - seed.new_start,
            });
        }
        seed.old_lines
            .extend((s.old.start.max(o)..s.old.end).map(|i| old.get(i).to_owned()));
        seed.new_lines
            .extend((s.new.start.max(n)..s.new.end).map(|i| new.get(i).to_owned()));
        (o, n) = (s.old.end, s.new.end);
    }
    // A group that ends before the cut ends the hunk there: no unchanged lines after.
    if let Some(last) = group.last() {
        (o, n) = (last.old.end, last.new.end);
        seed.old_lines.truncate(o - seed.old_start);
        seed.new_lines.truncate(n - seed.new_start);
    }
    let after = (o + CONTEXT).min(old.len());
    seed.context_after = (o..after).map(|i| old.get(i).to_owned()).collect();
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::diff::lines;

    #[test]
    fn the_chain_of_anchors_increases_on_both_sides() {
        assert_eq!(
            increasing(&[(3, 0), (1, 1), (2, 2), (0, 3), (4, 4)]),
            [(1, 1), (2, 2), (4, 4)]
        );
        assert!(increasing(&[]).is_empty());
    }

    /// Rebuilds the new lines from the old ones and the ops, as applying them would.
    fn replay(old: &[&str], new: &[&str], ops: &[DiffOp]) -> Vec<String> {
        let mut out = Vec::new();
        for op in ops {
            match op {
                DiffOp::Equal { .. } => {
                    out.extend(old[op.old_range()].iter().map(|l| (*l).to_owned()));
                }
                _ => out.extend(new[op.new_range()].iter().map(|l| (*l).to_owned())),
            }
        }
        out
    }

    proptest! {
        #[test]
        fn anchored_diffs_are_exact(
            old in proptest::collection::vec(0u8..40, 0..120),
            new in proptest::collection::vec(0u8..40, 0..120),
        ) {
            let old: Vec<String> = old.iter().map(|k| format!("line {k}\n")).collect();
            let new: Vec<String> = new.iter().map(|k| format!("line {k}\n")).collect();
            let (o, n): (Vec<&str>, Vec<&str>) = (
                old.iter().map(String::as_str).collect(),
                new.iter().map(String::as_str).collect(),
            );
            let ops = anchored(&o, &(0..o.len()), &n, &(0..n.len()), None);
            prop_assert!(tiles(&ops, &(0..o.len()), &(0..n.len())));
            for op in &ops {
                if let DiffOp::Equal { .. } = op {
                    prop_assert_eq!(&o[op.old_range()], &n[op.new_range()]);
                }
            }
            prop_assert_eq!(replay(&o, &n, &ops), new);
        }
    }

    fn lines_of(text: &str) -> (String, lines::LineStarts) {
        (text.to_owned(), lines::LineStarts::new(text))
    }

    #[test]
    fn a_hunk_extended_at_a_cut_equals_one_built_fresh() {
        let base: String = ["a\n", "b\n", "c\n", "d\n", "e\n", "f\n", "g\n", "h\n"].concat();
        let before = "a\nB\nc\nD\ne\nf\ng\nh\n";
        let after = "a\nB\nc\nD\nE\nF\nX\nY\ng\nh\n";
        let (b, bs) = lines_of(&base);
        let (p, ps) = lines_of(before);
        let (q, qs) = lines_of(after);
        let old = Lines::new(&b, &bs);
        let first = diff(old, Lines::new(&p, &ps));
        let mut seed = build(old, Lines::new(&p, &ps), &first);
        let second = diff(old, Lines::new(&q, &qs));
        // Cut inside the second change (proposed line 3, base line 3).
        extend(&mut seed, old, Lines::new(&q, &qs), &second, (3, 3));
        assert_eq!(seed, build(old, Lines::new(&q, &qs), &second));
        // A cut past the seed's end appends the equal lines between.
        let mut seed = build(old, Lines::new(&p, &ps), &first);
        let third_text = "a\nB\nc\nD\ne\nf\nG\nh\n";
        let (r, rs) = lines_of(third_text);
        let third = diff(old, Lines::new(&r, &rs));
        extend(&mut seed, old, Lines::new(&r, &rs), &third, (5, 5));
        assert_eq!(seed, build(old, Lines::new(&r, &rs), &third));
    }
}
