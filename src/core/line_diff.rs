//! Line diffs between two versions of a text: as a Transaction (reloading a file that changed
//! on disk becomes one undoable step that touches only the lines that changed) and as a
//! unified diff for people to read.

use std::time::Duration;

use ropey::Rope;
use similar::{Algorithm, DiffOp, TextDiff};

use crate::core::movement;
use crate::core::selection::Selection;
use crate::core::transaction::{Assoc, Change, Transaction};

/// A diff that takes longer than this settles for a coarser (still exact) result rather than
/// freezing the editor on a pathological pair of files.
const DIFF_TIMEOUT: Duration = Duration::from_millis(500);

fn diff<'a>(old: &'a str, new: &'a str) -> TextDiff<'a, 'a, 'a, str> {
    TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .timeout(DIFF_TIMEOUT)
        .diff_lines(old, new)
}

/// The transaction that turns `old` into `new`, replacing whole lines where they differ.
/// Lines keep their own endings (LF, CRLF), and a missing final newline is just a last line
/// without one, so applying it to `old` gives exactly `new`.
pub fn transaction(old: &str, new: &str) -> Transaction {
    let diff = diff(old, new);
    let new_lines = diff.new_slices();
    // Char offset where each old line starts, plus the end of the text.
    let mut starts = Vec::with_capacity(diff.old_slices().len() + 1);
    let mut at = 0;
    starts.push(at);
    for line in diff.old_slices() {
        at += line.chars().count();
        starts.push(at);
    }
    let changes: Vec<Change> = diff
        .ops()
        .iter()
        .filter(|op| !matches!(op, DiffOp::Equal { .. }))
        .map(|op| {
            let (old_range, new_range) = (op.old_range(), op.new_range());
            Change {
                from: starts[old_range.start],
                to: starts[old_range.end],
                text: new_lines[new_range].concat(),
            }
        })
        .collect();
    // The ops come in order and never overlap; should that ever fail, replacing everything
    // is still correct, only coarser.
    Transaction::new(changes).unwrap_or_else(|_| Transaction::replace(0, at, new))
}

/// Where a selection made in `old` belongs after `tx` (a line diff from `old` to `new`).
/// Positions in unchanged text move with it. A position inside a changed block keeps its line
/// and column within the block as far as the new block has them, so a cursor on a line that a
/// formatter re-indented stays on that line instead of jumping to the block's start.
pub fn map_selection(tx: &Transaction, old: &Rope, new: &Rope, sel: Selection) -> Selection {
    Selection::new(
        map_pos(tx, old, new, sel.anchor),
        map_pos(tx, old, new, sel.head),
    )
}

fn map_pos(tx: &Transaction, old: &Rope, new: &Rope, pos: usize) -> usize {
    let pos = pos.min(old.len_chars());
    let Some(change) = tx.changes().iter().find(|c| c.from <= pos && pos < c.to) else {
        // Lines inserted at a line start push the text after them (and its cursor) down.
        return tx.map_pos(pos, Assoc::After).min(new.len_chars());
    };
    let start = tx.map_pos(change.from, Assoc::Before);
    let inserted = change.text.chars().count();
    if inserted == 0 {
        return start.min(new.len_chars());
    }
    let old_line = old.char_to_line(pos);
    let line_in_block = old_line - old.char_to_line(change.from);
    let col = pos - old.line_to_char(old_line);
    let first = new.char_to_line(start);
    let last = new.char_to_line(start + inserted - 1);
    let line = (first + line_in_block).min(last);
    (new.line_to_char(line) + col)
        .min(movement::line_end(new, line))
        .min(start + inserted)
}

/// A unified diff from `old` to `new` with three lines of context and the given names in its
/// `---`/`+++` header; empty when the texts are equal.
pub fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    diff(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(old: &str, new: &str) -> Transaction {
        let tx = transaction(old, new);
        let mut rope = Rope::from_str(old);
        tx.apply(&mut rope).unwrap();
        assert_eq!(
            rope.to_string(),
            new,
            "applying the diff of {old:?} → {new:?}"
        );
        // Undo (the inverse) gives the old text back.
        tx.invert(&Rope::from_str(old)).apply(&mut rope).unwrap();
        assert_eq!(rope.to_string(), old);
        tx
    }

    #[test]
    fn applying_the_diff_gives_exactly_the_new_text() {
        check("", "");
        check("", "a\n");
        check("a\n", "");
        check("a\nb\nc\n", "a\nB\nc\n");
        check("a\nb\nc\n", "a\nc\n");
        check("a\nc\n", "a\nb\nc\n");
        check("one\ntwo", "one\ntwo\n");
        check("one\ntwo\n", "one\ntwo");
        check("no newline", "still no newline");
        check("x\r\ny\r\nz", "x\r\nY\r\nz\r\n");
        check("lf\nlines\n", "lf\r\nlines\r\n");
        check("ü👍🏽\nсловo\n", "ü👍🏽\nслово!\n中文\n");
    }

    #[test]
    fn only_the_changed_lines_are_replaced() {
        let old = (0..100)
            .map(|i| format!("line {i}\n"))
            .collect::<Vec<_>>()
            .concat();
        let new = old.replace("line 50\n", "line fifty\n");
        let tx = check(&old, &new);
        assert_eq!(tx.changes().len(), 1);
        let change = &tx.changes()[0];
        assert_eq!(change.text, "line fifty\n");
        assert_eq!(change.to - change.from, "line 50\n".len());
    }

    #[test]
    fn crlf_text_keeps_its_line_endings() {
        let tx = check("a\r\nb\r\nc\r\n", "a\r\nbee\r\nc\r\n");
        assert_eq!(tx.changes().len(), 1);
        assert_eq!(tx.changes()[0].text, "bee\r\n");
    }

    #[test]
    fn cursor_stays_on_its_text() {
        let old = Rope::from_str("head\nmiddle\ntail\n");
        let new = Rope::from_str("new first\nhead\nmiddle\ntail\n");
        let tx = transaction(&old.to_string(), &new.to_string());
        // On "middle": lines were inserted above, it moves down with its text.
        let sel = map_selection(&tx, &old, &new, Selection::point(5));
        assert_eq!(sel, Selection::point(15));
        assert_eq!(new.slice(15..21).to_string(), "middle");
        // A selection of "tail" still selects "tail".
        let sel = map_selection(&tx, &old, &new, Selection::new(12, 16));
        assert_eq!(new.slice(sel.from()..sel.to()).to_string(), "tail");
    }

    #[test]
    fn cursor_in_a_rewritten_line_keeps_line_and_column() {
        let old = Rope::from_str("fn a() {\nlet x=1;\nlet y=2;\n}\n");
        let new = Rope::from_str("fn a() {\n    let x = 1;\n    let y = 2;\n}\n");
        let tx = transaction(&old.to_string(), &new.to_string());
        // Column 4 of "let y=2;" (second line of the changed block).
        let pos = old.line_to_char(2) + 4;
        let mapped = map_selection(&tx, &old, &new, Selection::point(pos)).head;
        assert_eq!(new.char_to_line(mapped), 2);
        assert_eq!(mapped - new.line_to_char(2), 4);
        // A block that shrank: the cursor lands on its last line, within that line.
        let short = Rope::from_str("fn a() {\nlet xy=3;\n}\n");
        let tx = transaction(&old.to_string(), &short.to_string());
        let mapped = map_selection(&tx, &old, &short, Selection::point(pos)).head;
        assert_eq!(short.char_to_line(mapped), 1);
        // Deleted lines: the cursor goes to where they were.
        let gone = Rope::from_str("fn a() {\n}\n");
        let tx = transaction(&old.to_string(), &gone.to_string());
        let mapped = map_selection(&tx, &old, &gone, Selection::point(pos)).head;
        assert_eq!(mapped, 9);
    }

    #[test]
    fn unified_diff_has_the_given_headers() {
        let diff = unified("a\nb\n", "a\nc\n", "disk", "buffer");
        assert_eq!(diff, "--- disk\n+++ buffer\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n");
        assert_eq!(unified("same\n", "same\n", "disk", "buffer"), "");
        let diff = unified("x", "y", "disk", "buffer");
        assert!(diff.contains("\\ No newline at end of file"), "{diff}");
    }
}
