//! Transactions: the only way text changes. A set of non-overlapping replacements in char
//! indices of the text they apply to, invertible, and able to map positions through itself.

use ropey::Rope;

/// One replacement: the chars `from..to` of the original text become `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub from: usize,
    pub to: usize,
    pub text: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TransactionError {
    #[error("change {from}..{to} lies outside the text ({len} chars)")]
    OutOfBounds { from: usize, to: usize, len: usize },
    #[error("changes overlap or are out of order at {0}")]
    Overlap(usize),
}

/// Which side a position sticks to when text is inserted exactly at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assoc {
    Before,
    After,
}

/// An ordered set of changes against one version of a text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transaction {
    changes: Vec<Change>,
}

impl Transaction {
    /// Builds a transaction from changes in any order; they must not overlap.
    pub fn new(mut changes: Vec<Change>) -> Result<Self, TransactionError> {
        changes.sort_by_key(|c| (c.from, c.to));
        changes.retain(|c| c.from != c.to || !c.text.is_empty());
        for pair in changes.windows(2) {
            if pair[1].from < pair[0].to {
                return Err(TransactionError::Overlap(pair[1].from));
            }
        }
        Ok(Self { changes })
    }

    /// A single replacement.
    pub fn replace(from: usize, to: usize, text: impl Into<String>) -> Self {
        let change = Change {
            from: from.min(to),
            to: from.max(to),
            text: text.into(),
        };
        Self::new(vec![change]).unwrap_or_default()
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Self::replace(at, at, text)
    }

    pub fn delete(from: usize, to: usize) -> Self {
        Self::replace(from, to, String::new())
    }

    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Checks that every change lies within a text of `len` chars.
    pub fn check(&self, len: usize) -> Result<(), TransactionError> {
        for c in &self.changes {
            if c.to > len {
                return Err(TransactionError::OutOfBounds {
                    from: c.from,
                    to: c.to,
                    len,
                });
            }
        }
        Ok(())
    }

    /// Applies the changes to `rope`. Applied back to front so earlier indices stay valid.
    pub fn apply(&self, rope: &mut Rope) -> Result<(), TransactionError> {
        self.check(rope.len_chars())?;
        for c in self.changes.iter().rev() {
            if c.to > c.from {
                rope.remove(c.from..c.to);
            }
            if !c.text.is_empty() {
                rope.insert(c.from, &c.text);
            }
        }
        Ok(())
    }

    /// Applies the changes like `apply`, and appends the byte edit each one made, in the
    /// order they were made (back to front), for incremental parsers.
    pub fn apply_logged(
        &self,
        rope: &mut Rope,
        edits: &mut Vec<crate::core::edit_log::ByteEdit>,
    ) -> Result<(), TransactionError> {
        self.check(rope.len_chars())?;
        for c in self.changes.iter().rev() {
            edits.push(crate::core::edit_log::ByteEdit::of(rope, c));
            if c.to > c.from {
                rope.remove(c.from..c.to);
            }
            if !c.text.is_empty() {
                rope.insert(c.from, &c.text);
            }
        }
        Ok(())
    }

    /// The transaction that undoes this one, given the text it was applied to.
    #[must_use]
    pub fn invert(&self, original: &Rope) -> Self {
        let mut delta: isize = 0;
        let mut changes = Vec::with_capacity(self.changes.len());
        for c in &self.changes {
            let from = c.from.saturating_add_signed(delta);
            let inserted = c.text.chars().count();
            changes.push(Change {
                from,
                to: from + inserted,
                text: original.slice(c.from..c.to).to_string(),
            });
            delta += inserted as isize - (c.to - c.from) as isize;
        }
        Self { changes }
    }

    /// Where `pos` in the old text ends up in the new text.
    pub fn map_pos(&self, pos: usize, assoc: Assoc) -> usize {
        let mut delta: isize = 0;
        for c in &self.changes {
            if pos < c.from {
                break;
            }
            let start = c.from.saturating_add_signed(delta);
            let inserted = c.text.chars().count();
            let stick = match assoc {
                Assoc::Before => start,
                Assoc::After => start + inserted,
            };
            if c.from == c.to {
                if pos == c.from {
                    return stick;
                }
            } else if pos < c.to {
                return stick;
            } else if pos == c.to {
                return start + inserted;
            }
            delta += inserted as isize - (c.to - c.from) as isize;
        }
        pos.saturating_add_signed(delta)
    }

    /// Net change in length, in chars.
    pub fn len_delta(&self) -> isize {
        self.changes
            .iter()
            .map(|c| c.text.chars().count() as isize - (c.to - c.from) as isize)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apply_and_invert_round_trip() {
        let original = Rope::from_str("hello world\n");
        let tx = Transaction::new(vec![
            Change {
                from: 0,
                to: 5,
                text: "goodbye".into(),
            },
            Change {
                from: 6,
                to: 11,
                text: "moon".into(),
            },
        ])
        .unwrap();
        let mut rope = original.clone();
        tx.apply(&mut rope).unwrap();
        assert_eq!(rope.to_string(), "goodbye moon\n");
        tx.invert(&original).apply(&mut rope).unwrap();
        assert_eq!(rope, original);
    }

    #[test]
    fn overlapping_changes_are_refused() {
        let err = Transaction::new(vec![
            Change {
                from: 0,
                to: 5,
                text: String::new(),
            },
            Change {
                from: 3,
                to: 6,
                text: String::new(),
            },
        ]);
        assert_eq!(err, Err(TransactionError::Overlap(3)));
    }

    #[test]
    fn out_of_bounds_is_an_error_not_a_panic() {
        let mut rope = Rope::from_str("abc");
        assert!(Transaction::delete(1, 9).apply(&mut rope).is_err());
        assert_eq!(rope.to_string(), "abc");
    }

    #[test]
    fn positions_map_through_inserts_and_deletes() {
        let tx = Transaction::insert(2, "xyz");
        assert_eq!(tx.map_pos(1, Assoc::After), 1);
        assert_eq!(tx.map_pos(2, Assoc::Before), 2);
        assert_eq!(tx.map_pos(2, Assoc::After), 5);
        assert_eq!(tx.map_pos(4, Assoc::After), 7);
        let tx = Transaction::delete(2, 5);
        assert_eq!(tx.map_pos(3, Assoc::Before), 2);
        assert_eq!(tx.map_pos(6, Assoc::Before), 3);
    }
}
