//! The selection: an anchor and a head (the cursor) in char indices, plus the visual column
//! the cursor wants to return to when moving through shorter lines.

use crate::core::transaction::{Assoc, Transaction};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Selection {
    pub anchor: usize,
    pub head: usize,
}

impl Selection {
    pub fn point(pos: usize) -> Self {
        Self {
            anchor: pos,
            head: pos,
        }
    }

    pub fn new(anchor: usize, head: usize) -> Self {
        Self { anchor, head }
    }

    pub fn is_empty(self) -> bool {
        self.anchor == self.head
    }

    pub fn from(self) -> usize {
        self.anchor.min(self.head)
    }

    pub fn to(self) -> usize {
        self.anchor.max(self.head)
    }

    /// Moves the head; the anchor follows unless `extend`.
    #[must_use]
    pub fn put_head(self, head: usize, extend: bool) -> Self {
        if extend {
            Self {
                anchor: self.anchor,
                head,
            }
        } else {
            Self::point(head)
        }
    }

    /// The selection after `tx`, so cursors stay on the same text when it moves.
    #[must_use]
    pub fn map(self, tx: &Transaction) -> Self {
        if self.is_empty() {
            return Self::point(tx.map_pos(self.head, Assoc::After));
        }
        let (from_assoc, to_assoc) = (Assoc::After, Assoc::Before);
        let from = tx.map_pos(self.from(), from_assoc);
        let to = tx.map_pos(self.to(), to_assoc).max(from);
        if self.anchor <= self.head {
            Self::new(from, to)
        } else {
            Self::new(to, from)
        }
    }

    /// Clamps both ends to a text of `len` chars.
    #[must_use]
    pub fn clamp(self, len: usize) -> Self {
        Self::new(self.anchor.min(len), self.head.min(len))
    }
}
