//! Where a proposal under review shows in the editor: the lines its pending hunks add sit as
//! virtual rows between document lines, pushing the lines below them down. Pure, so the
//! renderer, scrolling and mouse clicks all count rows the same way.

use std::ops::Range;

use crate::buffer::Buffer;
use crate::diff::Decision;
use crate::review::Review;

/// Lines a pending hunk adds, drawn between document lines without being in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VirtualRows {
    /// The document line they are drawn just before; the document's line count when they
    /// come after its last line.
    pub before: usize,
    /// The hunk they belong to.
    pub hunk: usize,
    /// Which of the hunk's `new_lines` they show.
    pub lines: Range<usize>,
}

impl VirtualRows {
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// One row of the text area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisplayRow {
    /// A document line.
    Line(usize),
    /// Line `line` of hunk `hunk`'s `new_lines`, not in the document.
    Added { hunk: usize, line: usize },
}

/// The virtual rows of every pending hunk of `review` on a document of `line_count` lines
/// (as ropey counts them), in document order. Accepted hunks are already in the text, and
/// rejected and stale ones have no place, so they add nothing.
pub fn virtual_rows(review: &Review, line_count: usize) -> Vec<VirtualRows> {
    let proposal = &review.proposal;
    let mut rows = Vec::new();
    for (i, hunk) in proposal.hunks().iter().enumerate() {
        if proposal.decision(i) != Some(Decision::Pending) {
            continue;
        }
        let Some(at) = proposal.position(i) else {
            continue;
        };
        for block in hunk.blocks.iter().filter(|b| !b.new.is_empty()) {
            rows.push(VirtualRows {
                // A hunk anchored past the end (the text shrank under it) still shows, last.
                before: (at + block.old.end).min(line_count),
                hunk: i,
                lines: block.new.clone(),
            });
        }
    }
    // Hunks never overlap while their anchors are right; a stable sort keeps each hunk's own
    // order when a guessed anchor makes two meet.
    rows.sort_by_key(|r| r.before);
    rows
}

/// The virtual rows of a buffer's review, if it has one (none otherwise).
pub fn buffer_rows(buf: &Buffer) -> Vec<VirtualRows> {
    buf.review.as_deref().map_or_else(Vec::new, |review| {
        virtual_rows(review, buf.doc.text().len_lines())
    })
}

/// Whether rows drawn just before document line `before` show in a view whose first line is
/// `top`: they belong to the line above them, except those before the first line, which show
/// at the top of the text.
fn shown_below(before: usize, top: usize) -> bool {
    before > top || top == 0
}

/// How many virtual rows sit between the top of a view starting at document line `top` and
/// document line `line` (`line >= top`): those drawn before `line` and after `top`'s own row.
pub fn rows_above(rows: &[VirtualRows], top: usize, line: usize) -> usize {
    rows.iter()
        .take_while(|r| r.before <= line)
        .filter(|r| shown_below(r.before, top))
        .map(VirtualRows::len)
        .sum()
}

/// The display row of document line `line` (`line >= top`) in a view starting at `top`.
pub fn row_of_line(rows: &[VirtualRows], top: usize, line: usize) -> usize {
    rows_above(rows, top, line) + line.saturating_sub(top)
}

/// The first line of the view that shows document line `line` as low as it fits in `height`
/// rows, with as many lines above it as the rows allow.
pub fn top_for(rows: &[VirtualRows], line: usize, height: usize) -> usize {
    let mut used = 1;
    let mut top = line;
    while top > 0 {
        // One more line above, and the rows drawn between it and the line below it.
        let cost = 1 + rows
            .iter()
            .filter(|r| r.before == top)
            .map(VirtualRows::len)
            .sum::<usize>();
        if used + cost > height {
            break;
        }
        used += cost;
        top -= 1;
    }
    top
}

/// The rows of a view `height` rows tall whose first line is `top`, on a document of
/// `line_count` lines, leaving out the first `skip` rows.
pub fn display_rows(
    rows: &[VirtualRows],
    top: usize,
    line_count: usize,
    skip: usize,
    height: usize,
) -> Vec<DisplayRow> {
    let wanted = skip + height;
    let mut out = Vec::with_capacity(wanted);
    let mut next = rows.partition_point(|r| !shown_below(r.before, top));
    let mut line = top;
    while out.len() < wanted {
        while let Some(r) = rows.get(next).filter(|r| r.before <= line) {
            let room = wanted.saturating_sub(out.len());
            out.extend(r.lines.clone().take(room).map(|i| DisplayRow::Added {
                hunk: r.hunk,
                line: i,
            }));
            next += 1;
        }
        if line >= line_count {
            break;
        }
        out.push(DisplayRow::Line(line));
        line += 1;
    }
    out.truncate(wanted);
    out.split_off(skip.min(out.len()))
}

/// The rows to leave out at the top of a view starting at `top` so that the cursor's line
/// shows: only rows added before the first line can be in the way once scrolling has done
/// what it can (the view cannot start above the first line).
pub fn skip_for(rows: &[VirtualRows], top: usize, cursor_line: usize, height: usize) -> usize {
    if top != 0 || height == 0 || cursor_line >= height {
        return 0;
    }
    let before_first: usize = rows
        .iter()
        .take_while(|r| r.before == 0)
        .map(VirtualRows::len)
        .sum();
    (row_of_line(rows, 0, cursor_line) + 1)
        .saturating_sub(height)
        .min(before_first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Proposal;

    fn review(base: &str, new: &str) -> Review {
        Review::new(Proposal::new("f.txt", base, 0, new), "test")
    }

    fn numbered(n: usize) -> String {
        (0..n)
            .map(|i| format!("line {i}\n"))
            .collect::<Vec<_>>()
            .concat()
    }

    #[test]
    fn added_lines_sit_after_the_lines_they_replace() {
        let base = numbered(20);
        let new = base
            .replace("line 2\n", "two\nzwei\n")
            .replace("line 10\n", "")
            .replace("line 18\n", "line 18\nnew\n");
        let r = review(&base, &new);
        let rows = virtual_rows(&r, 21);
        assert_eq!(
            rows,
            [
                VirtualRows {
                    before: 3,
                    hunk: 0,
                    lines: 0..2
                },
                VirtualRows {
                    before: 19,
                    hunk: 2,
                    lines: 0..1
                },
            ]
        );
        assert_eq!(rows_above(&rows, 0, 2), 0);
        assert_eq!(rows_above(&rows, 0, 3), 2);
        assert_eq!(
            rows_above(&rows, 3, 20),
            1,
            "rows before the top line are not shown"
        );
        assert_eq!(rows_above(&rows, 2, 18), 2);
        assert_eq!(rows_above(&rows, 2, 19), 3);
        assert_eq!(row_of_line(&rows, 1, 4), 5);
        let shown = display_rows(&rows, 1, 21, 0, 5);
        assert_eq!(
            shown,
            [
                DisplayRow::Line(1),
                DisplayRow::Line(2),
                DisplayRow::Added { hunk: 0, line: 0 },
                DisplayRow::Added { hunk: 0, line: 1 },
                DisplayRow::Line(3),
            ]
        );
    }

    #[test]
    fn decided_hunks_add_no_rows() {
        let base = numbered(20);
        let new = base
            .replace("line 2\n", "two\n")
            .replace("line 15\n", "fifteen\n");
        let mut r = review(&base, &new);
        r.proposal.reject(0).unwrap();
        let rows = virtual_rows(&r, 21);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].hunk, 1);
        r.proposal
            .reanchor(&base.replace("line 15\n", "line 15!\n"), 1);
        assert!(virtual_rows(&r, 21).is_empty(), "stale");
    }

    #[test]
    fn insertions_at_the_ends_of_the_text() {
        let base = "a\nb\n";
        let r = review(base, "first\na\nb\nlast\n");
        // Ropey counts the empty line after the last line break.
        let rows = virtual_rows(&r, 3);
        assert_eq!(rows.iter().map(|r| r.before).collect::<Vec<_>>(), [0, 2]);
        assert_eq!(
            display_rows(&rows, 0, 3, 0, 10),
            [
                DisplayRow::Added { hunk: 0, line: 0 },
                DisplayRow::Line(0),
                DisplayRow::Line(1),
                DisplayRow::Added { hunk: 0, line: 3 },
                DisplayRow::Line(2),
            ]
        );
        // Rows before the first line belong to the top of the text, not to a line above.
        assert_eq!(rows_above(&rows, 0, 0), 1);
        assert_eq!(display_rows(&rows, 1, 3, 0, 2)[0], DisplayRow::Line(1));
        // Past the last line (the text shrank under a hunk): drawn at the end.
        let r = review("a\nb\nc\nd\n", "a\nb\nc\nd\ne\n");
        assert_eq!(virtual_rows(&r, 2)[0].before, 2);
        assert_eq!(
            display_rows(&virtual_rows(&r, 2), 1, 2, 0, 5),
            [DisplayRow::Line(1), DisplayRow::Added { hunk: 0, line: 0 }]
        );
    }

    #[test]
    fn scrolling_counts_the_virtual_rows() {
        let base = numbered(30);
        let added = (0..5)
            .map(|i| format!("new {i}\n"))
            .collect::<Vec<_>>()
            .concat();
        let new = base.replace("line 10\n", &format!("line 10\n{added}"));
        let r = review(&base, &new);
        let rows = virtual_rows(&r, 31);
        // Line 12 lowest in 8 rows: lines 11 and 12 below five added rows and line 10.
        assert_eq!(top_for(&rows, 12, 8), 10);
        assert_eq!(row_of_line(&rows, 10, 12), 7);
        assert_eq!(top_for(&rows, 12, 7), 11);
        assert_eq!(top_for(&rows, 12, 1), 12);
        // Without a review this is the plain editor's rule.
        assert_eq!(top_for(&[], 12, 8), 5);
        assert_eq!(top_for(&[], 3, 8), 0);
    }

    #[test]
    fn a_tall_insertion_at_the_top_skips_rows_to_show_the_cursor() {
        let added = (0..10)
            .map(|i| format!("new {i}\n"))
            .collect::<Vec<_>>()
            .concat();
        let r = review("a\nb\n", &format!("{added}a\nb\n"));
        let rows = virtual_rows(&r, 3);
        assert_eq!(skip_for(&rows, 0, 0, 4), 7);
        assert_eq!(skip_for(&rows, 0, 1, 4), 8);
        assert_eq!(skip_for(&rows, 1, 1, 4), 0);
        assert_eq!(
            display_rows(&rows, 0, 3, 7, 4),
            [
                DisplayRow::Added { hunk: 0, line: 7 },
                DisplayRow::Added { hunk: 0, line: 8 },
                DisplayRow::Added { hunk: 0, line: 9 },
                DisplayRow::Line(0),
            ]
        );
    }
}
