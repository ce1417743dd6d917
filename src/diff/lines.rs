//! Lines of a text with their endings kept, as every diff here counts them: a line ends after
//! `\n` (so CRLF lines keep their `\r`), and a last line without one is a line of its own.

/// The lines of `text`, each with its ending; a text that does not end with a newline has a
/// last line without one, and the empty text has no lines.
pub(crate) fn split(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// Where each line of a text starts (and where the text ends), kept as a gap: the entries
/// before the gap as byte offsets from the start of the text, those after it as distances
/// back from its end. An edit in the middle of the text leaves both kinds valid, so updating
/// for it only touches the entries between the old gap and the edit, never all of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LineStarts {
    head: Vec<usize>,
    /// Distances from the end, the last entry (the end itself, 0) first.
    tail: Vec<usize>,
    len: usize,
}

impl LineStarts {
    /// The line starts of `text`, and its end.
    pub(crate) fn new(text: &str) -> Self {
        let mut head = Vec::with_capacity(text.len() / 32 + 1);
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            head.push(at);
            at += line.len();
        }
        Self {
            head,
            tail: vec![0],
            len: text.len(),
        }
    }

    /// How many entries: the lines, plus the end.
    fn entries(&self) -> usize {
        self.head.len() + self.tail.len()
    }

    /// How many lines.
    pub(crate) fn lines(&self) -> usize {
        self.entries() - 1
    }

    /// Where line `i` starts; `get(lines())` is the end of the text.
    pub(crate) fn get(&self, i: usize) -> usize {
        match i.checked_sub(self.head.len()) {
            None => self.head[i],
            Some(k) => self.len - self.tail[self.tail.len() - 1 - k],
        }
    }
}

/// A text and where its lines start: line access by number without splitting the whole
/// text again.
#[derive(Clone, Copy)]
pub(crate) struct Lines<'a> {
    text: &'a str,
    starts: &'a LineStarts,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str, starts: &'a LineStarts) -> Self {
        Self { text, starts }
    }

    /// How many lines there are.
    pub(crate) fn len(&self) -> usize {
        self.starts.lines()
    }

    /// Line `i`, with its ending.
    pub(crate) fn get(&self, i: usize) -> &'a str {
        &self.text[self.starts.get(i)..self.starts.get(i + 1)]
    }

    /// Lines `range`, each with its ending.
    pub(crate) fn slice(&self, range: std::ops::Range<usize>) -> Vec<&'a str> {
        range.map(|i| self.get(i)).collect()
    }
}

/// The line ending of `line`: `"\r\n"`, `"\n"` or none.
pub(crate) fn ending(line: &str) -> &str {
    if line.ends_with("\r\n") {
        "\r\n"
    } else if line.ends_with('\n') {
        "\n"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_their_endings() {
        assert!(split("").is_empty());
        assert_eq!(split("a"), ["a"]);
        assert_eq!(split("a\r\nb\n"), ["a\r\n", "b\n"]);
        assert_eq!(split("a\n\nb"), ["a\n", "\n", "b"]);
        let starts = LineStarts::new("a\nb\nc");
        let lines = Lines::new("a\nb\nc", &starts);
        assert_eq!((lines.len(), lines.get(2)), (3, "c"));
        assert_eq!(lines.slice(1..3), ["b\n", "c"]);
        assert_eq!(LineStarts::new("").lines(), 0);
        assert_eq!(ending("x\r\n"), "\r\n");
        assert_eq!(ending("x"), "");
    }
}
