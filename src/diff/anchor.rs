//! Re-anchoring: finding where a hunk's old lines are in a document that changed since the
//! proposal was made, by their exact lines and context, never by guessing.

use crate::core::edit_log::ByteEdit;
use crate::diff::hunk::Hunk;

/// Whether the hunk's context before, old lines and context after are the lines of `lines`
/// with its old lines starting at `at`.
pub(crate) fn matches_at(hunk: &Hunk, lines: &[&str], at: usize) -> bool {
    matches_with(hunk, &hunk.old_lines, lines, at)
}

/// [`matches_at`] for the hunk's new lines: it is applied there.
pub(crate) fn new_matches_at(hunk: &Hunk, lines: &[&str], at: usize) -> bool {
    matches_with(hunk, &hunk.new_lines, lines, at)
}

fn matches_with(hunk: &Hunk, middle: &[String], lines: &[&str], at: usize) -> bool {
    let (before, old, after) = (
        hunk.context_before.len(),
        middle.len(),
        hunk.context_after.len(),
    );
    if at < before || at + old + after > lines.len() {
        return false;
    }
    let same = |want: &[String], from: usize| {
        want.iter()
            .zip(&lines[from..from + want.len()])
            .all(|(w, l)| w == l)
    };
    same(&hunk.context_before, at - before)
        && same(middle, at)
        && same(&hunk.context_after, at + old)
}

/// Every place in `lines` where the hunk's lines and context are found, up to `limit`.
fn find_all(hunk: &Hunk, lines: &[&str], limit: usize) -> Vec<usize> {
    let span = hunk.context_before.len() + hunk.old_lines.len() + hunk.context_after.len();
    let first = hunk.context_before.len();
    let mut found = Vec::new();
    if span > lines.len() {
        return found;
    }
    for at in first..=first + (lines.len() - span) {
        if matches_at(hunk, lines, at) {
            found.push(at);
            if found.len() >= limit {
                break;
            }
        }
    }
    found
}

/// Where the hunk's old lines start in `lines`: at `known` (where the proposal knows they
/// are, having followed every edit since it last saw them) when its lines and all of its
/// context are there; else the one place they are found, if exactly one — and only when
/// they were unique in `base` too, because a twin of lines the user has since changed must
/// not receive the change meant for them. `None` means stale: nowhere, or more than one
/// place.
pub(crate) fn locate(
    hunk: &Hunk,
    lines: &[&str],
    known: Option<usize>,
    base: &[&str],
) -> Option<usize> {
    let span = hunk.context_before.len() + hunk.old_lines.len() + hunk.context_after.len();
    if span == 0 {
        // Only an empty base gives a hunk nothing to hold on to: it fills an empty text.
        return lines.is_empty().then_some(0);
    }
    if let Some(at) = known.filter(|&at| matches_at(hunk, lines, at)) {
        return Some(at);
    }
    match find_all(hunk, lines, 2).as_slice() {
        [at] if find_all(hunk, base, 2).len() == 1 => Some(*at),
        _ => None,
    }
}

/// Where line `line` (a line start) is after `edits`, applied in order; a line whose start
/// was inside an edited range stays where it was (the content check decides about it).
pub(crate) fn shift_line(line: usize, edits: &[ByteEdit]) -> usize {
    let mut line = line;
    for e in edits {
        if e.old_end.0 < line || e.old_end == (line, 0) {
            line = line.saturating_add_signed(e.new_end.0 as isize - e.old_end.0 as isize);
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::hunk::hunks;
    use crate::diff::lines::split;

    const BASE: &str = "a\nb\nc\nd\ne\nf\ng\n";

    #[test]
    fn a_hunk_is_found_where_its_lines_moved() {
        let h = &hunks(BASE, "a\nb\nc\nD\ne\nf\ng\n")[0];
        let base = split(BASE);
        assert_eq!(locate(h, &base, Some(3), &base), Some(3));
        let moved = split("new\nnew 2\na\nb\nc\nd\ne\nf\ng\n");
        assert_eq!(locate(h, &moved, Some(3), &base), Some(5));
        assert_eq!(locate(h, &moved, None, &base), Some(5));
        // Its own line changed: stale.
        let edited = split("a\nb\nc\nd!\ne\nf\ng\n");
        assert_eq!(locate(h, &edited, Some(3), &base), None);
        // Twice in the text: ambiguous unless the place is known.
        let twice = split("a\nb\nc\nd\ne\nf\ng\nx\na\nb\nc\nd\ne\nf\ng\n");
        assert_eq!(locate(h, &twice, Some(11), &base), Some(11));
        assert_eq!(locate(h, &twice, Some(5), &base), None);
        assert_eq!(locate(h, &twice, None, &base), None);
    }

    #[test]
    fn a_hunk_twinned_in_the_base_only_applies_where_expected() {
        let base_text = "x\nx\nx\ny\nx\nx\nx\n..\nx\nx\nx\ny\nx\nx\nx\n";
        let h = &hunks(base_text, "x\nx\nx\nY\nx\nx\nx\n..\nx\nx\nx\ny\nx\nx\nx\n")[0];
        let base = split(base_text);
        // The user changed the first `y`: the second one must not take the change.
        let now = split("x\nx\nx\ny!\nx\nx\nx\n..\nx\nx\nx\ny\nx\nx\nx\n");
        assert_eq!(locate(h, &now, None, &base), None);
    }

    #[test]
    fn an_empty_base_only_fills_an_empty_text() {
        let h = &hunks("", "new\n")[0];
        assert_eq!(locate(h, &[], Some(0), &[]), Some(0));
        assert_eq!(locate(h, &["typed\n"], Some(0), &[]), None);
    }

    #[test]
    fn lines_shift_through_edits_above_them() {
        let insert_two = ByteEdit {
            start_byte: 0,
            old_end_byte: 0,
            new_end_byte: 4,
            start: (1, 0),
            old_end: (1, 0),
            new_end: (3, 0),
        };
        assert_eq!(shift_line(5, &[insert_two]), 7);
        assert_eq!(shift_line(1, &[insert_two]), 3);
        assert_eq!(shift_line(0, &[insert_two]), 0);
    }
}
