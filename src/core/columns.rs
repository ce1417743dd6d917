//! Display columns on long lines without walking them from the start on every frame: known
//! (position, column) checkpoints along one line, kept while the text before them is
//! unchanged, so typing at the end of a 20 MiB line only walks what is new.

use crate::core::document::Document;
use crate::core::graphemes::{self, walk_columns};
use crate::core::movement;

/// Chars between checkpoints.
const STEP: usize = 16 * 1024;

#[derive(Debug, Clone, Default)]
pub struct ColumnCache {
    line_start: usize,
    version: u64,
    /// (char position, display column), sorted; the first is the line start at column 0.
    marks: Vec<(usize, usize)>,
}

impl ColumnCache {
    /// Drops what the edits since the last use may have invalidated.
    fn sync(&mut self, doc: &Document, line_start: usize) {
        let unchanged = doc.unchanged_before(self.version);
        if self.marks.is_empty() || self.line_start != line_start || unchanged < line_start {
            self.marks.clear();
            self.marks.push((line_start, 0));
            self.line_start = line_start;
        } else {
            self.marks.retain(|&(pos, _)| pos <= unchanged);
        }
        self.version = doc.version();
    }

    /// The display column of `pos`.
    pub fn col_at(&mut self, doc: &Document, pos: usize) -> usize {
        let text = doc.text();
        let pos = pos.min(text.len_chars());
        let start = movement::line_start(text, movement::line_of(text, pos));
        self.sync(doc, start);
        let i = self
            .marks
            .partition_point(|&(p, _)| p <= pos)
            .saturating_sub(1);
        let (mut p, mut c) = self.marks[i];
        // Long walks leave checkpoints behind for the next frame.
        while pos - p > STEP {
            let next = graphemes::floor_boundary(text.slice(..), p + STEP);
            if next <= p {
                break;
            }
            c += graphemes::width_from(text.slice(p..next), c, doc.tab_width);
            p = next;
            if self.marks.last().is_some_and(|&(last, _)| p > last) {
                self.marks.push((p, c));
            }
        }
        c + graphemes::width_from(text.slice(p..pos), c, doc.tab_width)
    }

    /// The position and column of the cluster at display column `col` of `line` (the last
    /// one not past it), as `movement::pos_at_col` finds it.
    pub fn pos_at_col(&mut self, doc: &Document, line: usize, col: usize) -> (usize, usize) {
        let text = doc.text();
        let start = movement::line_start(text, line);
        let end = movement::line_end(text, line);
        self.sync(doc, start);
        let i = self
            .marks
            .partition_point(|&(_, c)| c <= col)
            .saturating_sub(1);
        let (p, c) = self.marks[i];
        let (chars, reached) = walk_columns(text.slice(p..end), c, Some(col), doc.tab_width);
        (p + chars, reached)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::history::EditKind;
    use crate::core::selection::Selection;
    use ropey::Rope;

    #[test]
    fn cached_columns_match_a_fresh_walk_through_edits() {
        let line = "ab\t中x".repeat(20_000);
        let mut doc = Document::from_rope(Rope::from_str(&format!("head\n{line}\ntail")), None);
        let mut cache = ColumnCache::default();
        let end = movement::line_end(doc.text(), 1);
        let fresh = |doc: &Document, pos| movement::visual_col(doc.text(), pos, doc.tab_width);
        assert_eq!(cache.col_at(&doc, end), fresh(&doc, end));
        // Typing at the end keeps the checkpoints; an edit near the start drops them.
        doc.set_selection(Selection::point(end));
        doc.insert("中", EditKind::Insert).unwrap();
        assert_eq!(cache.col_at(&doc, end + 1), fresh(&doc, end + 1));
        doc.set_selection(Selection::point(6));
        doc.insert("\t", EditKind::Insert).unwrap();
        assert_eq!(cache.col_at(&doc, end + 2), fresh(&doc, end + 2));
        for pos in [5, 5 + STEP + 3, end - 7] {
            assert_eq!(cache.col_at(&doc, pos), fresh(&doc, pos));
        }
        let col = fresh(&doc, end - 7);
        let (pos, reached) = cache.pos_at_col(&doc, 1, col);
        assert_eq!(pos, movement::pos_at_col(doc.text(), 1, col, doc.tab_width));
        assert_eq!(reached, fresh(&doc, pos));
        // Undo changes text before the checkpoints too.
        doc.undo().unwrap();
        assert_eq!(cache.col_at(&doc, end + 1), fresh(&doc, end + 1));
    }
}
