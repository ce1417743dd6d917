//! Moving the view over a proposal under review: bringing the hunk under review on screen,
//! finding the document line under a row when added lines sit between the lines, and
//! keeping hunks on the text as it changes (typing, undo, a reload).

use crate::app::App;
use crate::core::movement;
use crate::diff::{CONTEXT, Decision};
use crate::review::layout::{self, buffer_rows};

impl App {
    /// Scrolls so the hunk under review shows from its first row (removed or added), with as
    /// many of its rows as fit and up to three lines of context above it, and puts the cursor
    /// at the start of its first line (for lines added before any removed one, of the line
    /// they follow) so the next cursor move does not scroll it away. A hunk already wholly on
    /// screen is not scrolled to. Does nothing unless the hunk under review is pending.
    pub fn reveal_current_hunk(&mut self) {
        let height = self.editor_height();
        let buf = self.buf_mut();
        let Some(review) = buf.review.as_deref() else {
            return;
        };
        let proposal = &review.proposal;
        let i = proposal.current();
        let (Some(Decision::Pending), Some(at), Some(hunk)) = (
            proposal.decision(i),
            proposal.position(i),
            proposal.hunks().get(i),
        ) else {
            return;
        };
        let (Some(first), Some(last)) = (hunk.blocks.first(), hunk.blocks.last()) else {
            return;
        };
        let line_count = buf.doc.text().len_lines();
        let last_line = line_count.saturating_sub(1);
        let rows = layout::virtual_rows(review, line_count);
        // The document line the hunk starts at: its first removed line, or the line its first
        // added rows are drawn before. Those rows show only while the line above them does,
        // so that line is the latest the view can start at, and where the cursor goes.
        let anchor = (at + first.old.start).min(line_count);
        let cursor_line = if first.old.is_empty() {
            anchor.saturating_sub(1)
        } else {
            anchor
        }
        .min(last_line);
        let latest_top = cursor_line;
        // Where the hunk's rows (and the cursor's line) end, in rows from a given top.
        let end = |top: usize| {
            let hunk_end = if last.new.is_empty() {
                layout::row_of_line(&rows, top, at + last.old.end - 1) + 1
            } else {
                layout::row_of_line(&rows, top, (at + last.old.end).min(line_count))
            };
            hunk_end.max(layout::row_of_line(&rows, top, cursor_line) + 1)
        };
        let fits = |top: usize| top <= latest_top && end(top) <= height;
        if !fits(buf.scroll_line) {
            buf.scroll_line = (0..=CONTEXT)
                .rev()
                .map(|c| anchor.saturating_sub(c))
                .find(|&top| fits(top))
                .unwrap_or(latest_top);
        }
        let pos = movement::line_start(buf.doc.text(), cursor_line);
        buf.doc.move_to(pos, false);
        // The cursor is on screen now; following it fixes only the horizontal scroll.
        self.follow_cursor = true;
        self.redraw = true;
    }

    /// The document line shown at `row` of the text area (for a row of added lines, the line
    /// they are drawn before), and `None` below the text.
    pub fn line_at_row(&self, row: usize) -> Option<usize> {
        let buf = self.buf();
        let line_count = buf.doc.text().len_lines();
        let rows = buffer_rows(buf);
        let height = self.editor_height();
        let cursor_line = movement::line_of(buf.doc.text(), buf.doc.cursor());
        let skip = layout::skip_for(&rows, buf.scroll_line, cursor_line, height);
        let shown = layout::display_rows(&rows, buf.scroll_line, line_count, skip, row + 1);
        match *shown.get(row)? {
            layout::DisplayRow::Line(line) => Some(line),
            layout::DisplayRow::Added { hunk, line } => rows
                .iter()
                .find(|r| r.hunk == hunk && r.lines.contains(&line))
                .map(|r| r.before.min(line_count.saturating_sub(1))),
        }
    }
}

impl App {
    /// Re-anchors the hunks of every review whose document changed since they were placed:
    /// moved with the edits, or marked stale when their lines are gone.
    pub fn prepare_reviews(&mut self) {
        for buf in &mut self.buffers {
            if let Some(review) = buf.review.as_mut()
                && review.proposal.anchored_version != buf.doc.version()
            {
                review.proposal.reanchor_document(&buf.doc);
            }
        }
    }
}
