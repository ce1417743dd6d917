//! Lines of a file with their own endings, and the line keys each matching strategy compares:
//! exact, without trailing whitespace, without indentation, with Unicode punctuation folded.

use std::borrow::Cow;

/// A file's text cut into lines, each keeping its own ending, so that lines left alone come
/// back byte for byte.
#[derive(Debug, Clone)]
pub struct FileLines<'a> {
    /// A byte-order mark the text started with; matching never sees it.
    pub bom: bool,
    /// Each line's content (no ending) and its ending: `"\n"`, `"\r\n"` or `""` for a last line
    /// without one.
    pub lines: Vec<(&'a str, &'a str)>,
    /// The ending new lines get: the one most lines have (LF when tied or none).
    pub eol: &'static str,
}

impl<'a> FileLines<'a> {
    /// Cuts `text` at LF only (a lone CR stays inside its line, as git sees it).
    pub fn new(text: &'a str) -> Self {
        let (bom, text) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let mut lines = Vec::new();
        let (mut crlf, mut lf) = (0usize, 0usize);
        for piece in text.split_inclusive('\n') {
            let (content, eol) = if let Some(c) = piece.strip_suffix("\r\n") {
                crlf += 1;
                (c, "\r\n")
            } else if let Some(c) = piece.strip_suffix('\n') {
                lf += 1;
                (c, "\n")
            } else {
                (piece, "")
            };
            lines.push((content, eol));
        }
        Self {
            bom,
            lines,
            eol: if crlf > lf { "\r\n" } else { "\n" },
        }
    }

    /// The contents of the lines, without endings.
    pub fn contents(&self) -> Vec<&'a str> {
        self.lines.iter().map(|(c, _)| *c).collect()
    }

    /// The text with `lines[range]` replaced by `new` (contents without endings). New lines
    /// get the file's ending; when the range reaches a last line that had no ending, the last
    /// new line gets none either.
    pub fn splice(&self, range: std::ops::Range<usize>, new: &[Cow<'_, str>]) -> String {
        let mut out = String::new();
        if self.bom {
            out.push('\u{feff}');
        }
        for (content, eol) in &self.lines[..range.start] {
            out.push_str(content);
            out.push_str(eol);
        }
        let open_end = range.end == self.lines.len()
            && self.lines.last().is_some_and(|(_, eol)| eol.is_empty());
        for (i, line) in new.iter().enumerate() {
            out.push_str(line);
            if !(open_end && i + 1 == new.len()) {
                out.push_str(self.eol);
            }
        }
        for (content, eol) in &self.lines[range.end..] {
            out.push_str(content);
            out.push_str(eol);
        }
        out
    }
}

/// The lines of a SEARCH or REPLACE text, without endings (a trailing CR is dropped too, for
/// text that came from a CRLF reply unparsed).
pub fn block_lines(text: &str) -> Vec<&str> {
    if text.is_empty() {
        return Vec::new();
    }
    let text = text.strip_suffix('\n').unwrap_or(text);
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

/// Lines joined, each ending with `\n`: the form block texts take.
pub fn with_newlines<'l>(lines: impl IntoIterator<Item = &'l str>) -> String {
    let mut out = String::new();
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// True when a line holds only whitespace.
pub fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// The leading whitespace of a line.
pub fn indentation(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

/// How strictly two lines must agree, from the strictest; each level forgives more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Exact,
    TrailingWhitespace,
    Indentation,
    Punctuation,
}

impl Level {
    /// Every level, strictest first.
    pub const ALL: [Level; 4] = [
        Level::Exact,
        Level::TrailingWhitespace,
        Level::Indentation,
        Level::Punctuation,
    ];

    /// What this level compares of a line.
    pub fn key(self, line: &str) -> Cow<'_, str> {
        match self {
            Level::Exact => Cow::Borrowed(line),
            Level::TrailingWhitespace => Cow::Borrowed(line.trim_end()),
            Level::Indentation => Cow::Borrowed(line.trim()),
            Level::Punctuation => fold_punctuation(line.trim()),
        }
    }

    /// Whether this level looks past indentation (and so needs an indentation fit).
    pub fn ignores_indentation(self) -> bool {
        self >= Level::Indentation
    }
}

/// The ASCII a typographic character stands for, when models (or word processors) write one
/// in place of the other: curly quotes, dashes and minus, odd spaces, the ellipsis.
pub fn ascii_for(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' => "'",
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' => "\"",
        '\u{2010}'..='\u{2015}' | '\u{2212}' => "-",
        '\u{00a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => " ",
        '\u{2026}' => "...",
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => "",
        _ => return None,
    })
}

/// The line with [`ascii_for`] applied to every character; borrowed when nothing changes.
pub fn fold_punctuation(line: &str) -> Cow<'_, str> {
    if !line.chars().any(|c| ascii_for(c).is_some()) {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match ascii_for(c) {
            Some(ascii) => out.push_str(ascii),
            None => out.push(c),
        }
    }
    // Folding a space may have made spaces at the ends.
    Cow::Owned(out.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rebuilt(text: &str) -> String {
        let file = FileLines::new(text);
        file.splice(0..0, &[])
    }

    #[test]
    fn lines_come_back_byte_for_byte() {
        for text in [
            "",
            "a",
            "a\n",
            "a\r\nb",
            "a\r\nb\n\r\n",
            "\u{feff}x\r\n",
            "a\rb\n",
        ] {
            assert_eq!(rebuilt(text), text);
        }
    }

    #[test]
    fn the_ending_most_lines_have_is_used_for_new_lines() {
        assert_eq!(FileLines::new("a\r\nb\r\nc\n").eol, "\r\n");
        assert_eq!(FileLines::new("a\r\nb\n").eol, "\n");
        assert_eq!(FileLines::new("one line").eol, "\n");
    }

    #[test]
    fn replacing_an_open_last_line_keeps_it_open() {
        let file = FileLines::new("a\nb");
        let new = [Cow::Borrowed("c"), Cow::Borrowed("d")];
        assert_eq!(file.splice(1..2, &new), "a\nc\nd");
        assert_eq!(file.splice(0..1, &new), "c\nd\nb");
    }

    #[test]
    fn punctuation_folds_to_ascii() {
        assert_eq!(
            fold_punctuation("say(\u{201c}hi\u{201d}) \u{2014} it\u{2019}s\u{2026}"),
            "say(\"hi\") - it's..."
        );
        assert_eq!(fold_punctuation("a\u{00a0}=\u{00a0}1"), "a = 1");
    }

    #[test]
    fn block_lines_drop_endings() {
        assert_eq!(block_lines(""), Vec::<&str>::new());
        assert_eq!(block_lines("a\r\nb\n"), ["a", "b"]);
        assert_eq!(block_lines("\n"), [""]);
    }
}
