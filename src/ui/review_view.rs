//! A suggested edit under review, drawn into the text area as Cursor draws it: the lines its
//! pending hunks remove keep their place in the diff's minus colour, the lines they add show
//! as rows of their own below them, changed words stand out, and the gutter marks removed
//! (`-`) and added (`+`) rows and the hunk under review.

use std::ops::Range;

use ratatui::buffer::Buffer as Cells;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::diff::{Decision, RowKind};
use crate::review::Review;
use crate::review::layout::DisplayRow;
use crate::ui::editor_view::{Decor, LineView};
use crate::ui::theme::Theme;

/// The mark of the hunk under review, in the gutter's first column.
const CURRENT_MARK: &str = "▌";

/// What is drawn for the pending hunks that show in one frame.
pub(super) struct Inline<'a> {
    review: &'a Review,
    theme: &'a Theme,
    hunks: Vec<HunkMarks>,
}

/// One pending hunk on screen, worked out once per frame.
struct HunkMarks {
    index: usize,
    /// The document lines from its first changed line to its last.
    span: Range<usize>,
    /// The document lines it removes, each with its changed words (byte ranges).
    removed: Vec<(usize, Vec<Range<usize>>)>,
    /// The lines it adds (indices into `new_lines`), each with its changed words.
    added: Vec<(usize, Vec<Range<usize>>)>,
}

impl<'a> Inline<'a> {
    /// The marks of the pending hunks that reach the rows `shown`.
    pub(super) fn new(review: &'a Review, shown: &[DisplayRow], theme: &'a Theme) -> Self {
        let proposal = &review.proposal;
        let lines = shown.iter().filter_map(|r| match r {
            DisplayRow::Line(l) => Some(*l),
            DisplayRow::Added { .. } => None,
        });
        let (low, high) = lines.fold((usize::MAX, 0), |(lo, hi), l| (lo.min(l), hi.max(l)));
        let mut hunks = Vec::new();
        for (index, hunk) in proposal.hunks().iter().enumerate() {
            if proposal.decision(index) != Some(Decision::Pending) {
                continue;
            }
            let Some(at) = proposal.position(index) else {
                continue;
            };
            let span = at..at + hunk.old_lines.len();
            let on_screen = (span.start <= high && span.end > low)
                || shown
                    .iter()
                    .any(|r| matches!(r, DisplayRow::Added { hunk, .. } if *hunk == index));
            if !on_screen {
                continue;
            }
            let mut marks = HunkMarks {
                index,
                span,
                removed: Vec::new(),
                added: Vec::new(),
            };
            for row in hunk.rows() {
                match (row.kind, row.old_line, row.new_line) {
                    (RowKind::Removed, Some(old), _) => marks
                        .removed
                        .push((at + old - hunk.old_start, row.emphasis)),
                    (RowKind::Added, _, Some(new)) => {
                        marks.added.push((new - hunk.new_start, row.emphasis));
                    }
                    _ => {}
                }
            }
            hunks.push(marks);
        }
        Self {
            review,
            theme,
            hunks,
        }
    }

    /// The removed line `line` of the document, with its changed words, if it is one.
    fn removed(&self, line: usize) -> Option<&[Range<usize>]> {
        self.hunks.iter().find_map(|h| {
            h.removed
                .iter()
                .find(|(l, _)| *l == line)
                .map(|(_, em)| em.as_slice())
        })
    }

    /// Whether a row belongs to the hunk under review (marked only while the review has the
    /// keys).
    fn is_current(&self, row: DisplayRow) -> bool {
        if !self.review.active {
            return false;
        }
        let current = self.review.proposal.current();
        self.hunks
            .iter()
            .filter(|h| h.index == current)
            .any(|h| match row {
                DisplayRow::Line(line) => h.span.contains(&line),
                DisplayRow::Added { hunk, .. } => hunk == current,
            })
    }

    /// How document line `line` is coloured: in the minus colour when a hunk removes it.
    pub(super) fn line_decor(&self, line: usize) -> Decor<'_> {
        match self.removed(line) {
            Some(emphasis) => Decor {
                diff: Some(self.theme.diff_minus),
                emphasis,
                emphasis_style: self.theme.diff_minus_emphasis,
            },
            None => Decor::default(),
        }
    }

    /// Draws the gutter of one row into `area` (its columns): the mark of the hunk under
    /// review, the line number (none on added rows), and `-` or `+` after it.
    pub(super) fn gutter(
        &self,
        cells: &mut Cells,
        area: Rect,
        y: u16,
        row: DisplayRow,
        number_style: Style,
    ) {
        let width = usize::from(area.width);
        if width < 3 {
            return;
        }
        let mark = if self.is_current(row) {
            CURRENT_MARK
        } else {
            " "
        };
        cells.set_stringn(area.x, y, mark, 1, self.theme.gutter_current);
        let digits = width - 2;
        let (number, sign) = match row {
            DisplayRow::Line(line) => {
                let sign = if self.removed(line).is_some() {
                    ("-", self.theme.diff_minus)
                } else {
                    (" ", number_style)
                };
                (format!("{:>digits$}", line + 1), sign)
            }
            DisplayRow::Added { .. } => (" ".repeat(digits), ("+", self.theme.diff_plus)),
        };
        cells.set_stringn(area.x + 1, y, number, digits, number_style);
        cells.set_stringn(area.x + area.width - 1, y, sign.0, 1, sign.1);
    }

    /// Draws line `line` of hunk `hunk`'s new lines (not in the document) on `view`'s row.
    pub(super) fn draw_added(
        &self,
        cells: &mut Cells,
        view: &LineView<'_>,
        hunk: usize,
        line: usize,
    ) {
        let Some(text) = self
            .review
            .proposal
            .hunks()
            .get(hunk)
            .and_then(|h| h.new_lines.get(line))
        else {
            return;
        };
        let text = text.strip_suffix('\n').unwrap_or(text);
        let text = text.strip_suffix('\r').unwrap_or(text);
        let emphasis = self
            .hunks
            .iter()
            .filter(|h| h.index == hunk)
            .flat_map(|h| &h.added)
            .find(|(l, _)| *l == line)
            .map_or(&[][..], |(_, em)| em.as_slice());
        let decor = Decor {
            diff: Some(self.theme.diff_plus),
            emphasis,
            emphasis_style: self.theme.diff_plus_emphasis,
        };
        let rope = ropey::Rope::from_str(text);
        view.unhighlighted()
            .draw(cells, &rope, 0, None, 0..0, &[], decor);
    }
}
