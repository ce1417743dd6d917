//! Unified diffs of a proposal in the form `git apply` takes: `diff --git` header, `a/` and
//! `b/` names, `new file mode` for new files, exact line endings, and the marker for a last
//! line without a newline.

use std::fmt::Write as _;

use crate::diff::hunk::{self, Hunk};

/// Quotes a path the way git does when it holds characters a header cannot carry as they
/// are (quotes, backslashes, control characters); other paths are written as they are.
fn quoted(prefix: &str, path: &str) -> String {
    let plain = !path
        .chars()
        .any(|c| c == '"' || c == '\\' || c.is_control());
    if plain {
        return format!("{prefix}{path}");
    }
    let mut out = String::from("\"");
    out.push_str(prefix);
    for b in path.bytes() {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\t' => out.push_str("\\t"),
            b if b < 0x20 || b == 0x7f => {
                let _ = write!(out, "\\{b:03o}");
            }
            // Multi-byte UTF-8 passes through: git reads it back as is.
            _ => out.push(char::from(b)),
        }
    }
    out.push('"');
    out
}

/// Appends one diff line: its marker, the line with its own ending, and git's marker when it
/// has none (the last line of a text without a final newline).
fn line(out: &mut String, marker: char, text: &str) {
    out.push(marker);
    out.push_str(text);
    if !text.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// `start,count` of a hunk header: 1-based, or the line before when the count is 0.
fn range(start: usize, count: usize) -> String {
    if count == 0 {
        format!("{start},0")
    } else {
        format!("{},{count}", start + 1)
    }
}

fn write_hunk(out: &mut String, h: &Hunk) {
    let before = h.context_before.len();
    let after = h.context_after.len();
    let old = range(h.old_start - before, before + h.old_lines.len() + after);
    let new = range(h.new_start - before, before + h.new_lines.len() + after);
    let _ = writeln!(out, "@@ -{old} +{new} @@");
    for l in &h.context_before {
        line(out, ' ', l);
    }
    let (mut o, mut n) = (0, 0);
    for b in &h.blocks {
        for l in &h.old_lines[o..b.old.start] {
            line(out, ' ', l);
        }
        for l in &h.old_lines[b.old.clone()] {
            line(out, '-', l);
        }
        for l in &h.new_lines[b.new.clone()] {
            line(out, '+', l);
        }
        (o, n) = (b.old.end, b.new.end);
    }
    debug_assert_eq!(h.old_lines.len() - o, h.new_lines.len() - n);
    for l in &h.old_lines[o..] {
        line(out, ' ', l);
    }
    for l in &h.context_after {
        line(out, ' ', l);
    }
}

/// The unified diff (3 lines of context) that turns `base` into `proposed` for the file at
/// `path` (relative to the repository root, `/`-separated); `base` `None` means the file is
/// new. Empty when there is nothing to change. `git apply` takes it as it is.
pub fn unified(path: &str, base: Option<&str>, proposed: &str) -> String {
    let hunks = hunk::hunks(base.unwrap_or(""), proposed);
    if base.is_some() && hunks.is_empty() {
        return String::new();
    }
    let (a, b) = (quoted("a/", path), quoted("b/", path));
    let mut out = format!("diff --git {a} {b}\n");
    if base.is_none() {
        out.push_str("new file mode 100644\n");
        if hunks.is_empty() {
            // An empty new file: git writes the header alone.
            return out;
        }
    }
    let from = if base.is_some() {
        a.as_str()
    } else {
        "/dev/null"
    };
    let _ = write!(out, "--- {from}\n+++ {b}\n");
    for h in &hunks {
        write_hunk(&mut out, h);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_file_reads_like_git_diff() {
        let diff = unified("src/a.txt", Some("a\nb\nc\n"), "a\nB\nc\n");
        assert_eq!(
            diff,
            "diff --git a/src/a.txt b/src/a.txt\n--- a/src/a.txt\n+++ b/src/a.txt\n\
             @@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
        assert_eq!(unified("x", Some("same"), "same"), "");
    }

    #[test]
    fn a_new_file_comes_from_dev_null() {
        let diff = unified("new.txt", None, "one\ntwo");
        assert_eq!(
            diff,
            "diff --git a/new.txt b/new.txt\nnew file mode 100644\n--- /dev/null\n\
             +++ b/new.txt\n@@ -0,0 +1,2 @@\n+one\n+two\n\\ No newline at end of file\n"
        );
        assert_eq!(
            unified("e", None, ""),
            "diff --git a/e b/e\nnew file mode 100644\n"
        );
    }

    #[test]
    fn odd_paths_are_quoted() {
        assert_eq!(quoted("a/", "we\"ird\tname"), "\"a/we\\\"ird\\tname\"");
        assert_eq!(quoted("b/", "dir/файл с пробелом"), "b/dir/файл с пробелом");
    }
}
