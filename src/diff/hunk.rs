//! Hunks: the changed lines between a base text and a proposed text, grouped with their
//! context as `git diff` groups them, and laid out as rows for display.

use std::ops::Range;

use crate::diff::lines::{self, LineStarts, Lines};
use crate::diff::{spans, words};

/// One changed run inside a hunk: `old` lines of the hunk's old lines became its `new` lines.
/// Both ranges are relative to the hunk; the lines between blocks are equal on both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Range in [`Hunk::old_lines`].
    pub old: Range<usize>,
    /// Range in [`Hunk::new_lines`].
    pub new: Range<usize>,
}

/// A group of nearby changes with up to [`CONTEXT`] unchanged lines on each side. Every line
/// keeps its own ending (`\n`, `\r\n`, or none for a last line without one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    /// 0-based line of the base text where `old_lines` start.
    pub old_start: usize,
    /// 0-based line of the proposed text where the model's new lines start.
    pub new_start: usize,
    /// The base lines this hunk replaces, from its first change to its last (unchanged lines
    /// between nearby changes included).
    pub old_lines: Vec<String>,
    /// The lines that replace them (the user's, once edited with [`Hunk::set_new_text`]).
    pub new_lines: Vec<String>,
    /// Unchanged base lines just before `old_lines` (fewer at the start of the text).
    pub context_before: Vec<String>,
    /// Unchanged base lines just after `old_lines` (fewer at the end of the text).
    pub context_after: Vec<String>,
    /// The changed runs, in order; empty when the new lines equal the old ones.
    pub blocks: Vec<Block>,
    /// The model's new lines, kept when the user edited them.
    pub model_lines: Option<Vec<String>>,
}

/// What a display row of a hunk is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// Unchanged: shown for orientation.
    Context,
    /// A base line the hunk removes.
    Removed,
    /// A line the hunk adds.
    Added,
}

/// One display row of a hunk, as `git diff` would print it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row<'a> {
    /// Context, removed or added.
    pub kind: RowKind,
    /// The line, with its ending.
    pub text: &'a str,
    /// Byte ranges of `text` that differ from the other side (words removed or added), for
    /// highlighting; empty when the line has no counterpart or is too different for word
    /// emphasis to help (then the whole line is the change).
    pub emphasis: Vec<Range<usize>>,
    /// 0-based line in the base text (context and removed rows).
    pub old_line: Option<usize>,
    /// 0-based line in the proposed text (context and added rows); edited hunks count from
    /// their `new_start`.
    pub new_line: Option<usize>,
}

/// The hunks that turn `base` into `proposed`, grouped as `git diff -U3` groups them.
pub fn hunks(base: &str, proposed: &str) -> Vec<Hunk> {
    let (old_starts, new_starts) = (LineStarts::new(base), LineStarts::new(proposed));
    let old = Lines::new(base, &old_starts);
    let new = Lines::new(proposed, &new_starts);
    spans::hunks(old, new, &spans::diff(old, new))
}

fn context<'a>(rows: &mut Vec<Row<'a>>, text: &'a str, old: usize, new: usize) {
    rows.push(Row {
        kind: RowKind::Context,
        text,
        emphasis: Vec::new(),
        old_line: Some(old),
        new_line: Some(new),
    });
}

impl Hunk {
    pub(crate) fn empty() -> Self {
        Self {
            old_start: 0,
            new_start: 0,
            old_lines: Vec::new(),
            new_lines: Vec::new(),
            context_before: Vec::new(),
            context_after: Vec::new(),
            blocks: Vec::new(),
            model_lines: None,
        }
    }

    /// The base lines after the hunk's old lines end (0-based, exclusive).
    pub fn old_end(&self) -> usize {
        self.old_start + self.old_lines.len()
    }

    /// The model's new lines: `new_lines`, or what they were before the user edited them.
    pub fn proposed_lines(&self) -> &[String] {
        self.model_lines.as_deref().unwrap_or(&self.new_lines)
    }

    /// The hunk's new text, as one string (what `e` opens for editing).
    pub fn new_text(&self) -> String {
        self.new_lines.concat()
    }

    /// The hunk's old text, as one string.
    pub fn old_text(&self) -> String {
        self.old_lines.concat()
    }

    /// Replaces the new lines with `text` (the user edited the hunk). A hunk that ends before
    /// the end of the text keeps its last line break: `text` without one gets the ending of
    /// the hunk's lines, so it cannot run into the line after it.
    pub fn set_new_text(&mut self, text: &str) {
        let ends_file = self.context_after.is_empty();
        let mut text = text.to_owned();
        if !ends_file && !text.is_empty() && !text.ends_with('\n') {
            let ending = self
                .new_lines
                .iter()
                .chain(&self.old_lines)
                .chain(&self.context_before)
                .map(|l| lines::ending(l))
                .find(|e| !e.is_empty())
                .unwrap_or("\n");
            text.push_str(ending);
        }
        let new = lines::split(&text);
        if self.model_lines.is_none() {
            self.model_lines = Some(std::mem::take(&mut self.new_lines));
        }
        let old: Vec<&str> = self.old_lines.iter().map(String::as_str).collect();
        self.blocks = spans::changes(&old, 0..old.len(), &new, 0..new.len())
            .into_iter()
            .map(|s| Block {
                old: s.old,
                new: s.new,
            })
            .collect();
        self.new_lines = new.iter().map(|l| (*l).to_owned()).collect();
    }

    /// The hunk as display rows: context, then each change's removed and added lines (with
    /// word emphasis), unchanged lines between changes as context, then trailing context.
    pub fn rows(&self) -> Vec<Row<'_>> {
        let first_old = self.old_start - self.context_before.len();
        let first_new = self.new_start - self.context_before.len();
        let mut rows = Vec::with_capacity(
            self.context_before.len()
                + self.old_lines.len()
                + self.new_lines.len()
                + self.context_after.len(),
        );
        for (i, line) in self.context_before.iter().enumerate() {
            context(&mut rows, line.as_str(), first_old + i, first_new + i);
        }
        let (mut o, mut n) = (0, 0);
        for block in &self.blocks {
            while o < block.old.start {
                context(
                    &mut rows,
                    self.old_lines[o].as_str(),
                    self.old_start + o,
                    self.new_start + n,
                );
                o += 1;
                n += 1;
            }
            let old = &self.old_lines[block.old.clone()];
            let new = &self.new_lines[block.new.clone()];
            let (old_em, new_em) = words::emphasis(old, new);
            for (i, (line, em)) in old.iter().zip(old_em).enumerate() {
                rows.push(Row {
                    kind: RowKind::Removed,
                    text: line,
                    emphasis: em,
                    old_line: Some(self.old_start + block.old.start + i),
                    new_line: None,
                });
            }
            for (i, (line, em)) in new.iter().zip(new_em).enumerate() {
                rows.push(Row {
                    kind: RowKind::Added,
                    text: line,
                    emphasis: em,
                    old_line: None,
                    new_line: Some(self.new_start + block.new.start + i),
                });
            }
            o = block.old.end;
            n = block.new.end;
        }
        while o < self.old_lines.len() {
            context(
                &mut rows,
                self.old_lines[o].as_str(),
                self.old_start + o,
                self.new_start + n,
            );
            o += 1;
            n += 1;
        }
        let after_new = self.new_start + self.new_lines.len();
        for (i, line) in self.context_after.iter().enumerate() {
            context(&mut rows, line.as_str(), self.old_end() + i, after_new + i);
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(n: usize) -> String {
        (0..n)
            .map(|i| format!("line {i}\n"))
            .collect::<Vec<_>>()
            .concat()
    }

    #[test]
    fn nearby_changes_share_a_hunk_and_distant_ones_do_not() {
        let base = numbered(40);
        // Changes 6 lines apart share a hunk; 7 apart do not (as git -U3).
        let near = base
            .replace("line 10\n", "ten\n")
            .replace("line 17\n", "seventeen\n");
        let hs = hunks(&base, &near);
        assert_eq!(hs.len(), 1);
        assert_eq!(hs[0].old_start, 10);
        assert_eq!(hs[0].old_lines.len(), 8);
        assert_eq!(hs[0].blocks.len(), 2);
        assert_eq!(hs[0].context_before, ["line 7\n", "line 8\n", "line 9\n"]);
        let far = base
            .replace("line 10\n", "ten\n")
            .replace("line 18\n", "eighteen\n");
        assert_eq!(hunks(&base, &far).len(), 2);
    }

    #[test]
    fn context_is_cut_at_the_ends_of_the_text() {
        let hs = hunks("a\nb\n", "A\nb\n");
        assert!(hs[0].context_before.is_empty());
        assert_eq!(hs[0].context_after, ["b\n"]);
        let hs = hunks("a\nb", "a\nb\n");
        assert_eq!(hs[0].old_lines, ["b"]);
        assert_eq!(hs[0].new_lines, ["b\n"]);
        assert!(hunks("same\r\n", "same\r\n").is_empty());
        let hs = hunks("", "new\n");
        assert_eq!((hs[0].old_start, hs[0].old_lines.len()), (0, 0));
    }

    #[test]
    fn rows_read_like_git_diff() {
        let base = "fn a() {\n    let x = 1;\n    let y = 2;\n}\n";
        let new = "fn a() {\n    let x = 10;\n    let y = 2;\n}\n";
        let hs = hunks(base, new);
        let rows = hs[0].rows();
        let kinds: Vec<_> = rows.iter().map(|r| r.kind).collect();
        assert_eq!(
            kinds,
            [
                RowKind::Context,
                RowKind::Removed,
                RowKind::Added,
                RowKind::Context,
                RowKind::Context
            ]
        );
        assert_eq!(&rows[1].text[rows[1].emphasis[0].clone()], "1");
        assert_eq!(&rows[2].text[rows[2].emphasis[0].clone()], "10");
        assert_eq!((rows[1].old_line, rows[2].new_line), (Some(1), Some(1)));
        assert_eq!((rows[4].old_line, rows[4].new_line), (Some(3), Some(3)));
    }

    #[test]
    fn an_edited_hunk_keeps_its_line_break_and_the_model_lines() {
        let mut hs = hunks("a\nb\nc\n", "a\nB\nc\n");
        hs[0].set_new_text("bee");
        assert_eq!(hs[0].new_lines, ["bee\n"]);
        assert_eq!(hs[0].proposed_lines(), ["B\n"]);
        hs[0].set_new_text("b\n");
        assert!(hs[0].blocks.is_empty());
        // At the end of the text, what the user typed is kept exactly.
        let mut hs = hunks("a\nb", "a\nB");
        hs[0].set_new_text("x");
        assert_eq!(hs[0].new_lines, ["x"]);
    }
}
