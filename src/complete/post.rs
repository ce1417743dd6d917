//! What a model's completion becomes before it is shown: code fences and an echo of the
//! line before the cursor taken off, cut where it would repeat the text after the cursor,
//! and at most so many lines.

use super::request::FimRequest;

/// The text to show after the cursor (empty: nothing worth showing).
pub fn clean(raw: &str, request: &FimRequest, from_chat: bool, max_lines: usize) -> String {
    let mut text = raw.replace("\r\n", "\n");
    if from_chat {
        text = unfence(&text);
        text = text.replace("<CURSOR>", "");
        // Chat models like to start again from the beginning of the line.
        let before = request.line_before().trim_start();
        if !before.is_empty() {
            let trimmed = text.trim_start();
            if let Some(rest) = trimmed.strip_prefix(before) {
                text = rest.to_string();
            }
        }
    }
    // After a blank (and at the indentation of an empty line) models often put one more
    // (their tokens carry the space before a word); the space is typed already.
    let before = request.line_before();
    if before.ends_with([' ', '\t']) {
        text = text.trim_start_matches([' ', '\t']).to_string();
    }
    let after = request.line_after().trim();
    // The first line with text below the cursor's line.
    let next = request
        .suffix
        .split('\n')
        .skip(1)
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    // With text after the cursor on its line, only the rest of that line is completed.
    let max_lines = if after.is_empty() { max_lines } else { 1 };
    // The completion belongs to the block the cursor is in: a line indented less than the
    // cursor's line leaves it (a model without the suffix goes on writing the next function).
    let indent = before.len() - before.trim_start().len();
    let mut lines: Vec<&str> = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        // A line that the text after the cursor already has ends the completion.
        if i > 0 && !next.is_empty() && line.trim() == next {
            break;
        }
        let dedented = !line.trim().is_empty() && line.len() - line.trim_start().len() < indent;
        if i > 0 && dedented {
            break;
        }
        if lines.len() == max_lines.max(1) {
            break;
        }
        lines.push(line);
    }
    let mut out = lines.join("\n").trim_end().to_string();
    // What already follows the cursor on its line is not typed twice (`)` after `foo(`).
    if !after.is_empty()
        && let Some(cut) = out.strip_suffix(after)
    {
        out = cut.trim_end().to_string();
    }
    // A completion of only blank space would show as nothing.
    if out.trim().is_empty() {
        return String::new();
    }
    out
}

/// The contents of the first fenced block, or the text as it is when there is none.
fn unfence(text: &str) -> String {
    let Some(open) = text.find("```") else {
        return text.to_string();
    };
    let after_open = &text[open + 3..];
    let Some(body_start) = after_open.find('\n') else {
        return text.to_string();
    };
    let body = &after_open[body_start + 1..];
    let body = body.find("```").map_or(body, |close| &body[..close]);
    body.strip_suffix('\n').unwrap_or(body).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(prefix: &str, suffix: &str) -> FimRequest {
        FimRequest {
            path: "f.rs".into(),
            language: None,
            prefix: prefix.into(),
            suffix: suffix.into(),
        }
    }

    #[test]
    fn fences_echoes_and_repeats_go() {
        let r = req("fn main() {\n    let x = ", "\n}\n");
        assert_eq!(
            clean("```rust\nlet x = 42;\n```\nThis sets x.", &r, true, 8),
            "42;"
        );
        assert_eq!(clean("42;\n}\nfn other() {}", &r, false, 8), "42;");
        assert_eq!(clean("a\n    b\n    c\n    d", &r, false, 2), "a\n    b");
        assert_eq!(clean("   \n  ", &r, false, 8), "");
        let r = req("def multiply(a, b):\n    ", "\n");
        assert_eq!(
            clean(
                " return a * b\n\n\ndef add(a, b):\n    return a + b",
                &r,
                false,
                8
            ),
            "return a * b"
        );
        let r = req("foo(", ")\n");
        assert_eq!(clean("a, b)", &r, false, 8), "a, b");
        assert_eq!(clean("a, b)\nbar()", &r, false, 8), "a, b");
        let r = req("    return \"Hello, \" + ", "\n");
        assert_eq!(clean(" name + \"!\"", &r, false, 8), "name + \"!\"");
        let r = req("    for w in words {\n        ", "\n\n    }\n");
        assert_eq!(clean("n += 1;\n    }\n    n", &r, false, 8), "n += 1;");
    }
}
