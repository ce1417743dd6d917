//! Inline edits: the reply to "rewrite this selection" is one fenced code block holding the
//! new text. Fence lines themselves are recognised here for the block parser too.

use super::text::with_newlines;

/// A code fence line: three or more backticks or tildes, and an info string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fence<'a> {
    pub ch: char,
    pub len: usize,
    pub info: &'a str,
    /// The whitespace before the fence (fences nested in list items are indented).
    pub indent: &'a str,
}

/// The fence a line is, if it is one.
pub fn fence_line(line: &str) -> Option<Fence<'_>> {
    let t = line.trim_start();
    let ch = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = t.chars().take_while(|&c| c == ch).count();
    if len < 3 {
        return None;
    }
    let info = t[len..].trim();
    // "```x```" on one line is inline code, not a fence.
    if ch == '`' && info.contains('`') {
        return None;
    }
    Some(Fence {
        ch,
        len,
        info,
        indent: &line[..line.len() - t.len()],
    })
}

/// Openings of chat rather than code, for replies that forgot the fence.
const CHATTY: [&str; 12] = [
    "here is",
    "here's",
    "here are",
    "sure",
    "certainly",
    "of course",
    "okay",
    "i've ",
    "i have ",
    "i'll ",
    "below ",
    "the following",
];

/// The new text of an inline edit: the content of the reply's first fenced block (a missing
/// closing fence at the end is forgiven, so a streaming reply gives its text so far), or the
/// whole reply when it has no fence and does not open like chat. Lines end with `\n` (CRLF
/// replies included); `None` when there is nothing to take.
pub fn fenced_replacement(reply: &str) -> Option<String> {
    let lines: Vec<&str> = reply
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    // A reply ending in a newline has an empty last piece that is no line.
    let lines = match lines.split_last() {
        Some((&"", rest)) => rest,
        _ => &lines[..],
    };
    let Some(open_at) = lines.iter().position(|l| fence_line(l).is_some()) else {
        return whole_reply(lines);
    };
    let open = fence_line(lines[open_at])?;
    let mut depth = 0usize;
    let mut content: Vec<&str> = Vec::new();
    let mut closed = false;
    for line in &lines[open_at + 1..] {
        if let Some(f) = fence_line(line).filter(|f| f.ch == open.ch && f.len >= open.len) {
            if !f.info.is_empty() {
                // A fence with a language inside ours: the model nested a code block without
                // lengthening the outer fence; its closing line is not ours.
                depth += 1;
            } else if depth > 0 {
                depth -= 1;
            } else {
                closed = true;
                break;
            }
        }
        content.push(line);
    }
    if !closed {
        // Streaming: the closing fence may be arriving right now, a character at a time.
        if content.last().is_some_and(|l| is_partial_fence(l, open.ch)) {
            content.pop();
        }
    }
    Some(with_newlines(
        content
            .iter()
            .map(|l| l.strip_prefix(open.indent).unwrap_or(l)),
    ))
}

/// A line that could be the start of a closing fence still arriving.
fn is_partial_fence(line: &str, ch: char) -> bool {
    let t = line.trim();
    !t.is_empty() && t.chars().all(|c| c == ch)
}

/// A reply without any fence: the whole of it, unless it reads as chat.
fn whole_reply(lines: &[&str]) -> Option<String> {
    let first = lines.iter().find(|l| !l.trim().is_empty())?;
    let lower = first.trim().to_lowercase();
    let sentence = first.trim_start().starts_with(|c: char| c.is_uppercase())
        && lower.ends_with(['.', '!', '?'])
        && lower.split_whitespace().count() >= 4;
    let chatty = CHATTY.iter().any(|c| lower.starts_with(c))
        || ((lower.ends_with(':') && lower.split_whitespace().count() >= 3) || sentence)
            && !lower.contains(['{', '(', '=', ';', '"']);
    if chatty {
        return None;
    }
    Some(with_newlines(lines.iter().copied()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_fenced_block_is_the_new_text() {
        let reply = "Here you go:\n\n```rust\nfn a() -> u8 {\n    1\n}\n```\n\nAnd ```x``` too.\n```\nnot this\n```\n";
        assert_eq!(
            fenced_replacement(reply).as_deref(),
            Some("fn a() -> u8 {\n    1\n}\n")
        );
    }

    #[test]
    fn a_reply_of_prose_is_no_code() {
        assert_eq!(
            fenced_replacement("I would rather not change this function.\n"),
            None
        );
        assert_eq!(fenced_replacement("Sorry, that cannot be done here!"), None);
        // Code without a fence is still taken.
        assert_eq!(
            fenced_replacement("Ok(value.len())\n").as_deref(),
            Some("Ok(value.len())\n")
        );
        assert_eq!(
            fenced_replacement("print(\"Hello there, my friend.\")\n").as_deref(),
            Some("print(\"Hello there, my friend.\")\n")
        );
    }

    #[test]
    fn tildes_crlf_and_a_missing_closing_fence() {
        assert_eq!(
            fenced_replacement("~~~\r\na\r\nb\r\n~~~\r\n").as_deref(),
            Some("a\nb\n")
        );
        assert_eq!(
            fenced_replacement("```py\nx = 1\ny = 2\n``").as_deref(),
            Some("x = 1\ny = 2\n")
        );
        assert_eq!(
            fenced_replacement("```py\nx = 1\n").as_deref(),
            Some("x = 1\n")
        );
        assert_eq!(fenced_replacement("```\n```").as_deref(), Some(""));
    }

    #[test]
    fn nested_fences_stay_inside() {
        let reply = "```markdown\n# Title\n\n```sh\ncargo run\n```\n\nEnd.\n```\n";
        assert_eq!(
            fenced_replacement(reply).as_deref(),
            Some("# Title\n\n```sh\ncargo run\n```\n\nEnd.\n")
        );
    }

    #[test]
    fn indented_fences_lose_their_indentation() {
        let reply = "1. Change it:\n   ```rust\n   let a = 1;\n       nested();\n   ```\n";
        assert_eq!(
            fenced_replacement(reply).as_deref(),
            Some("let a = 1;\n    nested();\n")
        );
    }

    #[test]
    fn no_fence_code_is_taken_whole_and_chat_is_not() {
        assert_eq!(
            fenced_replacement("let x = 2;\nlet y = x + 1;").as_deref(),
            Some("let x = 2;\nlet y = x + 1;\n")
        );
        assert_eq!(
            fenced_replacement("Here is the updated code:\nlet x = 2;"),
            None
        );
        assert_eq!(fenced_replacement("Sure! I changed the loop."), None);
        assert_eq!(fenced_replacement("   \n"), None);
    }
}
