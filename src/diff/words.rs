//! Word emphasis inside changed lines: which byte ranges of removed lines are gone and of
//! added lines are new, found by diffing the lines of one change as sequences of words.

use std::ops::Range;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp};

/// Word diffs are for the eye: past this much text, or this long, the whole lines are the
/// change (as `git diff --word-diff` users expect from big rewrites).
const MAX_BYTES: usize = 16 * 1024;
const TIMEOUT: Duration = Duration::from_millis(10);

/// Below this share of unchanged non-blank text, emphasis would mark nearly everything and
/// only add noise: the lines are shown as replaced whole.
const MIN_SIMILARITY: f64 = 0.4;

/// Emphasised byte ranges of each line.
type Emphasis = Vec<Vec<Range<usize>>>;

/// A token: (line index, byte range in that line).
type Token = (usize, Range<usize>);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Space,
    Ending,
    Other,
}

fn class(c: char) -> Class {
    match c {
        '\r' | '\n' => Class::Ending,
        c if c.is_alphanumeric() || c == '_' => Class::Word,
        c if c.is_whitespace() => Class::Space,
        _ => Class::Other,
    }
}

/// Words (letters, digits, `_`), runs of blanks, the line ending, and every other character
/// on its own: `foo(bar, 1)` is `foo` `(` `bar` `,` ` ` `1` `)`.
fn tokenize<S: AsRef<str>>(lines: &[S]) -> Vec<Token> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let line = line.as_ref();
        let mut start = 0;
        let mut prev: Option<Class> = None;
        for (at, c) in line.char_indices() {
            let cl = class(c);
            let joins = prev == Some(cl) && cl != Class::Other;
            if !joins && at > start {
                out.push((i, start..at));
                start = at;
            }
            prev = Some(cl);
        }
        if line.len() > start {
            out.push((i, start..line.len()));
        }
    }
    out
}

fn text<'a, S: AsRef<str>>(lines: &'a [S], t: &Token) -> &'a str {
    &lines[t.0].as_ref()[t.1.clone()]
}

fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// Merges each line's emphasised tokens into ranges; a single blank between two emphasised
/// tokens is taken in, so `a b` reads as one change rather than two.
fn ranges<S: AsRef<str>>(lines: &[S], tokens: &[Token], marked: &[bool]) -> Emphasis {
    let mut out = vec![Vec::new(); lines.len()];
    for (k, t) in tokens.iter().enumerate() {
        let bridges = !marked[k]
            && k > 0
            && k + 1 < tokens.len()
            && marked[k - 1]
            && marked[k + 1]
            && tokens[k - 1].0 == t.0
            && tokens[k + 1].0 == t.0
            && is_blank(text(lines, t));
        if !marked[k] && !bridges {
            continue;
        }
        let line: &mut Vec<Range<usize>> = &mut out[t.0];
        match line.last_mut() {
            Some(last) if last.end == t.1.start => last.end = t.1.end,
            _ => line.push(t.1.clone()),
        }
    }
    out
}

/// For the removed lines `old` and added lines `new` of one change, the emphasised byte
/// ranges of each line; all empty when one side is empty, the change is big, or the two
/// sides have too little in common.
pub(crate) fn emphasis<S: AsRef<str>>(old: &[S], new: &[S]) -> (Emphasis, Emphasis) {
    let none = || (vec![Vec::new(); old.len()], vec![Vec::new(); new.len()]);
    let bytes = |ls: &[S]| ls.iter().map(|l| l.as_ref().len()).sum::<usize>();
    if old.is_empty() || new.is_empty() || bytes(old) + bytes(new) > MAX_BYTES {
        return none();
    }
    let (ot, nt) = (tokenize(old), tokenize(new));
    let os: Vec<&str> = ot.iter().map(|t| text(old, t)).collect();
    let ns: Vec<&str> = nt.iter().map(|t| text(new, t)).collect();
    let deadline = Instant::now().checked_add(TIMEOUT);
    let ops = similar::capture_diff_slices_deadline(Algorithm::Myers, &os, &ns, deadline);
    let (mut om, mut nm) = (vec![false; os.len()], vec![false; ns.len()]);
    let mut same = 0usize;
    for op in &ops {
        if let DiffOp::Equal { old_index, len, .. } = op {
            same += os[*old_index..old_index + len]
                .iter()
                .filter(|s| !is_blank(s))
                .map(|s| s.len())
                .sum::<usize>();
        } else {
            om[op.old_range()].fill(true);
            nm[op.new_range()].fill(true);
        }
    }
    let solid = |ss: &[&str]| {
        ss.iter()
            .filter(|s| !is_blank(s))
            .map(|s| s.len())
            .sum::<usize>()
    };
    let total: usize = solid(&os) + solid(&ns);
    if total == 0 || (2 * same) as f64 / (total as f64) < MIN_SIMILARITY {
        return none();
    }
    (ranges(old, &ot, &om), ranges(new, &nt, &nm))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked<'a>(line: &'a str, em: &[Range<usize>]) -> Vec<&'a str> {
        em.iter().map(|r| &line[r.clone()]).collect()
    }

    #[test]
    fn changed_words_are_marked_on_both_sides() {
        let old = ["let total = price * count;\n"];
        let new = ["let total = price * amount + tax;\n"];
        let (o, n) = emphasis(&old, &new);
        assert_eq!(marked(old[0], &o[0]), ["count"]);
        assert_eq!(marked(new[0], &n[0]), ["amount + tax"]);
    }

    #[test]
    fn lines_with_little_in_common_are_not_marked() {
        let (o, n) = emphasis(&["fn parse(input: &str)\n"], &["// TODO: remove\n"]);
        assert!(o[0].is_empty() && n[0].is_empty());
        let (o, n) = emphasis::<&str>(&["gone\n"], &[]);
        assert_eq!((o.len(), n.len()), (1, 0));
    }

    #[test]
    fn a_split_line_is_marked_across_lines() {
        let old = ["call(alpha, beta);\n"];
        let new = ["call(\n", "    alpha, beta);\n"];
        let (o, n) = emphasis(&old, &new);
        assert!(o[0].is_empty(), "{:?}", o[0]);
        assert_eq!(marked(new[0], &n[0]), ["\n"]);
        assert_eq!(marked(new[1], &n[1]), ["    "]);
    }

    #[test]
    fn a_changed_line_ending_is_marked() {
        let old = ["x = 1\n"];
        let new = ["x = 1\r\n"];
        let (o, n) = emphasis(&old, &new);
        assert_eq!(marked(old[0], &o[0]), ["\n"]);
        assert_eq!(marked(new[0], &n[0]), ["\r\n"]);
    }
}
