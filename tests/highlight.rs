//! Highlight fixtures in the style of tree-sitter's own tests: each file under
//! tests/highlight/<language>/ holds code and comment lines asserting which capture lies at
//! a column of the nearest code line above (see tests/highlight/README.md).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::Path;

use caret::syntax::highlight_all;
use caret::syntax::registry::Registry;

struct Assertion {
    row: usize,
    col: usize,
    expected: String,
    negated: bool,
    line_no: usize,
}

/// Parses the assertion on `line`, if it is one: the comment token, spaces, then `^` or `<-`.
fn assertion(line: &str, token: &str) -> Option<(usize, String, bool)> {
    let indent = line.len() - line.trim_start().len();
    let rest = line[indent..].strip_prefix(token)?;
    let after_token = rest.trim_start();
    let (col, rest) = if let Some(r) = after_token.strip_prefix("<-") {
        (line[..indent].chars().count(), r)
    } else if let Some(r) = after_token.strip_prefix('^') {
        let caret_byte = line.len() - after_token.len();
        (line[..caret_byte].chars().count(), r)
    } else {
        return None;
    };
    let name = rest.trim().trim_end_matches("-->").trim();
    let (negated, name) = match name.strip_prefix('!') {
        Some(n) => (true, n),
        None => (false, name),
    };
    Some((col, name.to_string(), negated))
}

fn assertions(text: &str, token: &str) -> Vec<Assertion> {
    let mut out = Vec::new();
    let mut last_code = None;
    for (i, line) in text.lines().enumerate() {
        match assertion(line, token) {
            Some((col, expected, negated)) => {
                if let Some(row) = last_code {
                    out.push(Assertion {
                        row,
                        col,
                        expected,
                        negated,
                        line_no: i + 1,
                    });
                }
            }
            None => last_code = Some(i),
        }
    }
    out
}

fn check_file(
    registry: &Registry,
    language: usize,
    token: &str,
    path: &Path,
) -> (usize, Vec<String>) {
    let text = fs::read_to_string(path).unwrap();
    let spans = highlight_all(registry, language, &text)
        .unwrap_or_else(|| panic!("{}: does not highlight", path.display()));
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let list = assertions(&text, token);
    let mut failures = Vec::new();
    for a in &list {
        let line = text[line_starts[a.row]..].lines().next().unwrap_or("");
        let byte = line_starts[a.row]
            + line
                .char_indices()
                .nth(a.col)
                .map_or(line.len(), |(b, _)| b);
        let found = spans
            .iter()
            .find(|(r, _)| r.contains(&byte))
            .map_or("", |(_, name)| name.as_str());
        let matches = found == a.expected || found.starts_with(&format!("{}.", a.expected));
        if matches == a.negated {
            failures.push(format!(
                "{}:{}: expected {}{} at line {} column {}, found {:?}",
                path.display(),
                a.line_no,
                if a.negated { "not " } else { "" },
                a.expected,
                a.row + 1,
                a.col + 1,
                found
            ));
        }
    }
    (list.len(), failures)
}

#[test]
fn highlight_fixtures_hold() {
    let registry = Registry::new(None);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/highlight");
    let mut failures = Vec::new();
    let mut checked = Vec::new();
    for lang in registry.languages().all() {
        let dir = root.join(&lang.name);
        if lang.name == "markdown_inline" {
            continue;
        }
        let files: Vec<_> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e} (every language needs fixtures)", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        let index = registry.languages().by_name(&lang.name).unwrap();
        let token = if lang.comment.is_empty() {
            "<!--"
        } else {
            lang.comment.as_str()
        };
        let mut count = 0;
        for file in files {
            let (n, mut f) = check_file(&registry, index, token, &file);
            count += n;
            failures.append(&mut f);
        }
        assert!(count > 0, "{}: no assertions found", dir.display());
        checked.push(format!("{} {count}", lang.name));
    }
    assert!(
        failures.is_empty(),
        "{} highlight assertion(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("assertions checked: {}", checked.join(", "));
}

#[test]
fn assertion_lines_are_read_as_documented() {
    assert_eq!(
        assertion("  // ^ keyword", "//"),
        Some((5, "keyword".into(), false))
    );
    assert_eq!(
        assertion("// <- comment", "//"),
        Some((0, "comment".into(), false))
    );
    assert_eq!(
        assertion("    # <- !string", "#"),
        Some((4, "string".into(), true))
    );
    assert_eq!(
        assertion("<!-- ^ markup.bold -->", "<!--"),
        Some((5, "markup.bold".into(), false))
    );
    assert_eq!(assertion("// just a comment", "//"), None);
}
