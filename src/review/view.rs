//! Keeping reviews on the text: hunks re-anchored after the document changed (typing, undo,
//! a reload), and the current hunk brought on screen.

use crate::app::App;

impl App {
    /// Scrolls so the current hunk is on screen, with a few lines above it when possible.
    pub fn reveal_current_hunk(&mut self) {
        let height = self.editor_height();
        let buf = self.buf_mut();
        let Some(review) = &buf.review else {
            return;
        };
        let i = review.proposal.current();
        let Some(at) = review.proposal.position(i) else {
            return;
        };
        let rows = review
            .proposal
            .hunks()
            .get(i)
            .map_or(1, |h| h.old_lines.len() + h.new_lines.len());
        if at < buf.scroll_line || at + rows.min(height) > buf.scroll_line + height {
            buf.scroll_line = at.saturating_sub(3);
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
