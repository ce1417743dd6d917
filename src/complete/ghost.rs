//! Ghost text: a completion shown after the cursor but not in the document, and the ways it
//! shrinks as it is typed over or taken a word at a time.

use crate::event::{BufferId, RequestId};

/// A completion on screen, valid while its buffer is at `doc_version` with the cursor at `at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GhostText {
    pub buffer: BufferId,
    pub request_id: RequestId,
    pub doc_version: u64,
    /// The char position of the cursor it follows.
    pub at: usize,
    pub text: String,
}

impl GhostText {
    pub fn next_char(&self) -> Option<char> {
        self.text.chars().next()
    }

    /// The next word of it, as Ctrl-Right would move over it in the text (blanks before a
    /// word go with it; a line break is a word of its own).
    pub fn next_word(&self) -> &str {
        let rope = ropey::Rope::from_str(&self.text);
        let chars = crate::core::movement::word_right(&rope, 0);
        let end = rope.char_to_byte(chars);
        &self.text[..end]
    }

    /// What is left once `taken` (its start) is in the text and the cursor after it.
    pub fn advance(&mut self, taken: &str, doc_version: u64, at: usize) {
        self.text = self.text[taken.len()..].to_string();
        self.doc_version = doc_version;
        self.at = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_what_is_left() {
        let mut g = GhostText {
            buffer: 1,
            request_id: 1,
            doc_version: 3,
            at: 10,
            text: "foo(bar)\n    baz".into(),
        };
        assert_eq!(g.next_word(), "foo");
        g.advance("foo", 4, 13);
        assert_eq!(
            (g.text.as_str(), g.at, g.doc_version),
            ("(bar)\n    baz", 13, 4)
        );
        g.advance("(bar)", 5, 18);
        assert_eq!(g.next_word(), "\n");
        g.advance("\n", 6, 19);
        assert_eq!(g.next_word(), "    baz");
    }
}
