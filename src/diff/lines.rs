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

    /// The first entry for which `pred` is false, `pred` being true up to some entry.
    pub(crate) fn partition_point(&self, pred: impl Fn(usize) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.entries());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if pred(self.get(mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Follows an edit that made the text `len` bytes long and kept its entries up to
    /// `from` (counted from the start) and after `to` (counted from the end): `middle`, the
    /// new entries between (offsets from the start), takes the place of those from `from + 1`
    /// to `to`.
    pub(crate) fn splice(&mut self, from: usize, to: usize, middle: &[usize], len: usize) {
        let old_len = self.len;
        let entries = self.entries();
        // The gap moves to just after entry `from`; entries it passes over change from one
        // kind to the other, and those up to `to` are dropped.
        while self.head.len() > from + 1 {
            let i = self.head.len() - 1;
            if let Some(v) = self.head.pop()
                && i > to
            {
                self.tail.push(old_len - v);
            }
        }
        while self.head.len() < from + 1 {
            let Some(d) = self.tail.pop() else { break };
            self.head.push(old_len - d);
        }
        while !self.tail.is_empty() && entries - self.tail.len() <= to {
            self.tail.pop();
        }
        self.head.extend_from_slice(middle);
        self.len = len;
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

    fn all(starts: &LineStarts) -> Vec<usize> {
        (0..=starts.lines()).map(|i| starts.get(i)).collect()
    }

    const LINES: [&str; 4] = ["x\n", "yz\n", "\r\n", "long line\n"];

    proptest::proptest! {
        #[test]
        fn spliced_line_starts_equal_fresh_ones(
            start in proptest::collection::vec(0usize..4, 0..20),
            last in proptest::option::of("[a-z]{1,3}"),
            edits in proptest::collection::vec(
                (0usize..40, 0usize..6, proptest::collection::vec(0usize..4, 0..6)),
                1..12,
            ),
        ) {
            // Whole lines replaced here and there, each edit followed through `splice` as
            // `Proposal::update` does; the text may end without a newline.
            let mut text: String = start.iter().map(|&k| LINES[k]).collect();
            text.push_str(last.as_deref().unwrap_or(""));
            let mut starts = LineStarts::new(&text);
            for (at, cut, insert) in edits {
                let old = all(&starts);
                let lines = starts.lines();
                let mut from = at % (lines + 1);
                if from == lines && !text.ends_with('\n') && from > 0 {
                    from -= 1;
                }
                let to = (from + cut).min(lines);
                let insert: String = insert.iter().map(|&k| LINES[k]).collect();
                let (a, b) = (old[from], old[to]);
                let new_text = format!("{}{}{}", &text[..a], insert, &text[b..]);
                let mut end = a;
                let middle: Vec<usize> = insert
                    .split_inclusive('\n')
                    .map(|l| {
                        end += l.len();
                        end
                    })
                    .collect();
                starts.splice(from, to, &middle, new_text.len());
                proptest::prop_assert_eq!(all(&starts), all(&LineStarts::new(&new_text)));
                text = new_text;
            }
        }
    }
}
