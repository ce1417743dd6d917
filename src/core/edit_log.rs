//! The byte-level record of recent edits, in the form incremental parsers want: each edit's
//! start, old end and new end as byte offsets and (row, byte column) points, in the order
//! they were applied.

use std::collections::VecDeque;

use ropey::Rope;

use crate::core::transaction::Change;

/// A (row, byte column) position; rows count line breaks as ropey does.
pub type Point = (usize, usize);

/// One replacement, described against the text as it was just before it was applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteEdit {
    pub start_byte: usize,
    pub old_end_byte: usize,
    pub new_end_byte: usize,
    pub start: Point,
    pub old_end: Point,
    pub new_end: Point,
}

fn point_at(rope: &Rope, byte: usize) -> Point {
    let row = rope.byte_to_line(byte);
    (row, byte - rope.line_to_byte(row))
}

impl ByteEdit {
    /// The edit `change` makes to `rope`, which it has not been applied to yet.
    pub fn of(rope: &Rope, change: &Change) -> Self {
        let start_byte = rope.char_to_byte(change.from);
        let old_end_byte = rope.char_to_byte(change.to);
        let start = point_at(rope, start_byte);
        let new_end = match change.text.rfind('\n') {
            Some(last) => (
                start.0 + change.text.matches('\n').count(),
                change.text.len() - last - 1,
            ),
            None => (start.0, start.1 + change.text.len()),
        };
        Self {
            start_byte,
            old_end_byte,
            new_end_byte: start_byte + change.text.len(),
            start,
            old_end: point_at(rope, old_end_byte),
            new_end,
        }
    }
}

/// How many versions back the log reaches, and how many edits it holds at most; a reader
/// further behind starts over (a full re-parse) instead.
const MAX_VERSIONS: usize = 512;
const MAX_EDITS: usize = 200_000;

#[derive(Debug, Clone, Default)]
pub struct EditLog {
    /// (version reached, edits that led to it); `None` edits mean the whole text was replaced.
    entries: VecDeque<(u64, Option<Vec<ByteEdit>>)>,
    edits: usize,
}

impl EditLog {
    pub fn record(&mut self, version: u64, edits: Option<Vec<ByteEdit>>) {
        self.edits += edits.as_ref().map_or(0, Vec::len);
        self.entries.push_back((version, edits));
        while self.entries.len() > MAX_VERSIONS || self.edits > MAX_EDITS {
            let Some((_, dropped)) = self.entries.pop_front() else {
                break;
            };
            self.edits -= dropped.as_ref().map_or(0, Vec::len);
        }
    }

    /// Every edit from `version` to `current`, in order; `None` when the log no longer
    /// reaches back that far or the whole text was replaced in between.
    pub fn since(&self, version: u64, current: u64) -> Option<Vec<ByteEdit>> {
        if version == current {
            return Some(Vec::new());
        }
        let first = self.entries.iter().position(|(v, _)| *v > version)?;
        if self.entries[first].0 != version + 1 {
            return None;
        }
        let mut out = Vec::new();
        for (_, edits) in self.entries.iter().skip(first) {
            out.extend_from_slice(edits.as_ref()?);
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::transaction::Transaction;

    #[test]
    fn edits_describe_each_change_against_the_text_before_it() {
        let mut rope = Rope::from_str("héllo\nworld\n");
        let tx = Transaction::new(vec![
            Change {
                from: 1,
                to: 2,
                text: "e".into(),
            },
            Change {
                from: 6,
                to: 11,
                text: "big\nwide".into(),
            },
        ])
        .unwrap();
        let mut edits = Vec::new();
        tx.apply_logged(&mut rope, &mut edits).unwrap();
        assert_eq!(rope.to_string(), "hello\nbig\nwide\n");
        // Applied back to front: the later change first, in the original byte offsets.
        assert_eq!(
            edits[0],
            ByteEdit {
                start_byte: 7,
                old_end_byte: 12,
                new_end_byte: 15,
                start: (1, 0),
                old_end: (1, 5),
                new_end: (2, 4),
            }
        );
        assert_eq!(edits[1].start_byte, 1);
        assert_eq!(edits[1].old_end_byte, 3);
        assert_eq!(edits[1].new_end_byte, 2);
    }

    #[test]
    fn the_log_answers_only_what_it_still_reaches() {
        let mut log = EditLog::default();
        let edit = ByteEdit {
            start_byte: 0,
            old_end_byte: 0,
            new_end_byte: 1,
            start: (0, 0),
            old_end: (0, 0),
            new_end: (0, 1),
        };
        log.record(1, Some(vec![edit]));
        log.record(2, Some(vec![edit, edit]));
        assert_eq!(log.since(0, 2).map(|e| e.len()), Some(3));
        assert_eq!(log.since(1, 2).map(|e| e.len()), Some(2));
        assert_eq!(log.since(2, 2).map(|e| e.len()), Some(0));
        log.record(3, None);
        assert_eq!(log.since(1, 3), None);
        assert_eq!(log.since(3, 3).map(|e| e.len()), Some(0));
        for v in 4..(4 + MAX_VERSIONS as u64) {
            log.record(v, Some(vec![edit]));
        }
        // Versions 4.. are all still there, so from 3 on is known; before 3 is not.
        let current = 3 + MAX_VERSIONS as u64;
        assert_eq!(log.since(3, current).map(|e| e.len()), Some(MAX_VERSIONS));
        assert_eq!(log.since(2, current), None);
    }
}
