//! Elisions: lines such as `// ... existing code ...`, `# ...`, `/* ... */` or a bare `...`
//! with which models say "the lines here stay as they are". A SEARCH and its REPLACE that
//! elide are cut into segments at those lines; the segments are matched in order and the
//! elided file lines between them kept.

use super::text::is_blank;

/// Comment openers and closers an elision may be wrapped in.
const COMMENT_MARKS: [&str; 10] = ["<!--", "-->", "/*", "*/", "//", "#", "--", ";", "*", "%"];

/// Whether a line only says "unchanged lines here". It must be a comment (or nothing) around
/// `...` or `…`, with at most a few words ("existing code", "rest of the file unchanged").
pub fn is_elision(line: &str) -> bool {
    let mut rest = line.trim();
    if rest.len() > 80 {
        return false;
    }
    // Peel comment marks from both ends until none is left.
    loop {
        let before = rest;
        for mark in COMMENT_MARKS {
            rest = rest.strip_prefix(mark).unwrap_or(rest).trim_start();
            rest = rest.strip_suffix(mark).unwrap_or(rest).trim_end();
        }
        if rest == before {
            break;
        }
    }
    let text = rest.trim_matches(|c: char| c == '(' || c == ')' || c == '[' || c == ']');
    let text = text.trim();
    let has_dots = text.starts_with("...")
        || text.starts_with('…')
        || text.ends_with("...")
        || text.ends_with('…');
    if !has_dots {
        return false;
    }
    // Words only (no code punctuation), and not many of them.
    let words = text
        .split(|c: char| c.is_whitespace() || c == '.' || c == '…')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>();
    words.len() <= 8
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '\'' | '-' | ',' | ':' | '_'))
        })
}

/// Lines cut at elisions: the pieces between them (with blank lines next to an elision
/// dropped, as the elided stretch absorbs them), and whether the text started or ended with
/// one. Consecutive elisions count as one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segments<'a> {
    pub pieces: Vec<Vec<&'a str>>,
    pub leading: bool,
    pub trailing: bool,
}

impl Segments<'_> {
    /// The number of elisions inside (between pieces).
    pub fn inner(&self) -> usize {
        self.pieces.len().saturating_sub(1)
    }
}

/// Whether any line is an elision.
pub fn has_elision(lines: &[&str]) -> bool {
    lines.iter().any(|l| is_elision(l))
}

/// Cuts lines at their elisions.
pub fn segments<'a>(lines: &[&'a str]) -> Segments<'a> {
    let mut pieces: Vec<Vec<&'a str>> = vec![Vec::new()];
    let mut leading = false;
    let mut trailing = false;
    for line in lines {
        if is_elision(line) {
            let Some(piece) = pieces.last_mut() else {
                continue;
            };
            // Blank lines next to an elision belong to the elided stretch.
            while piece.last().is_some_and(|l| is_blank(l)) {
                piece.pop();
            }
            if piece.is_empty() {
                leading |= pieces.len() == 1;
            } else {
                pieces.push(Vec::new());
            }
            trailing = true;
        } else if let Some(piece) = pieces.last_mut() {
            if !is_blank(line) {
                trailing = false;
                piece.push(line);
            } else if !piece.is_empty() || !(leading || trailing) {
                piece.push(line);
            }
        }
    }
    if pieces.len() > 1 && pieces.last().is_some_and(Vec::is_empty) {
        pieces.pop();
    }
    Segments {
        pieces,
        leading,
        trailing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elisions_in_the_usual_spellings() {
        for line in [
            "// ... existing code ...",
            "    # ...",
            "/* ... */",
            "...",
            "…",
            "<!-- ... rest unchanged ... -->",
            "// ...rest of the function",
            "-- ...",
            "  // … other fields …",
        ] {
            assert!(is_elision(line), "{line}");
        }
    }

    #[test]
    fn code_with_dots_is_no_elision() {
        for line in [
            "let v = [a, ...rest];",
            "fn f(args: ...) {}",
            "print(\"...\")",
            "x = ...;",
            "spread(...args)",
            "// TODO: this is slow, see issue 12 and the discussion there about caching ...",
            "",
        ] {
            assert!(!is_elision(line), "{line}");
        }
    }

    #[test]
    fn segments_around_elisions() {
        let lines = [
            "fn a() {",
            "",
            "    // ... existing code ...",
            "",
            "    x();",
            "    // ...",
            "    // ...",
            "}",
        ];
        let s = segments(&lines);
        assert_eq!(
            s.pieces,
            vec![vec!["fn a() {"], vec!["    x();"], vec!["}"]]
        );
        assert!(!s.leading && !s.trailing);
        assert_eq!(s.inner(), 2);
        let s = segments(&["// ...", "x", "// ..."]);
        assert_eq!(s.pieces, vec![vec!["x"]]);
        assert!(s.leading && s.trailing);
    }
}
