//! Plain-text search over a rope, in blocks so a 1 GiB file is never copied whole.
//! Smart case: a query with no uppercase letters matches ASCII letters of either case.

use ropey::Rope;

const BLOCK: usize = 1 << 20;

/// A query with its case rule resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    needle: String,
    ignore_case: bool,
}

impl Query {
    pub fn new(needle: &str) -> Self {
        Self {
            needle: needle.to_string(),
            ignore_case: !needle.chars().any(char::is_uppercase),
        }
    }

    pub fn needle(&self) -> &str {
        &self.needle
    }

    pub fn is_empty(&self) -> bool {
        self.needle.is_empty()
    }

    fn matches_at(&self, hay: &[u8], i: usize) -> bool {
        let n = self.needle.as_bytes();
        let h = &hay[i..i + n.len()];
        if self.ignore_case {
            h.eq_ignore_ascii_case(n)
        } else {
            h == n
        }
    }

    /// Byte offsets of matches in `hay` starting at or after `from`, non-overlapping.
    fn scan(&self, hay: &[u8], from: usize, mut visit: impl FnMut(usize) -> bool) {
        let n = self.needle.len();
        if n == 0 || hay.len() < n {
            return;
        }
        let first = self.needle.as_bytes()[0];
        let mut i = from;
        while i + n <= hay.len() {
            let b = hay[i];
            let hit = (b == first || (self.ignore_case && b.eq_ignore_ascii_case(&first)))
                && self.matches_at(hay, i);
            if hit {
                if !visit(i) {
                    return;
                }
                i += n;
            } else {
                i += 1;
            }
        }
    }
}

/// Calls `visit(start_byte)` for each match whose start lies in `[from, to)` bytes.
fn scan_bytes(
    rope: &Rope,
    query: &Query,
    from: usize,
    to: usize,
    mut visit: impl FnMut(usize) -> bool,
) {
    let n = query.needle.len();
    let total = rope.len_bytes();
    let mut start = from;
    while start < to.min(total) {
        let end = (start + BLOCK).min(to);
        // Extend past the block so matches straddling its end are seen.
        let read_end = (end + n.saturating_sub(1)).min(total);
        let block = rope.byte_slice(start..read_end).to_string();
        let mut keep_going = true;
        let mut last_end = 0;
        query.scan(block.as_bytes(), 0, |i| {
            if start + i >= end {
                return false;
            }
            last_end = i + n;
            keep_going = visit(start + i);
            keep_going
        });
        if !keep_going {
            return;
        }
        start = end.max(start + last_end);
    }
}

/// Byte index of a char index, clamped.
fn byte_of(rope: &Rope, ch: usize) -> usize {
    rope.char_to_byte(ch.min(rope.len_chars()))
}

/// The first match at or after char `from`, wrapping around to the start.
/// Returns char indices `(start, end)` and whether it wrapped.
pub fn find_next(rope: &Rope, query: &Query, from: usize) -> Option<(usize, usize, bool)> {
    if query.is_empty() {
        return None;
    }
    let from_b = byte_of(rope, from);
    let mut found = None;
    scan_bytes(rope, query, from_b, rope.len_bytes(), |b| {
        found = Some(b);
        false
    });
    let mut wrapped = false;
    if found.is_none() {
        scan_bytes(rope, query, 0, from_b, |b| {
            found = Some(b);
            false
        });
        wrapped = true;
    }
    found.map(|b| {
        let s = rope.byte_to_char(b);
        (s, rope.byte_to_char(b + query.needle.len()), wrapped)
    })
}

/// The last match starting before char `before`, wrapping around to the end.
pub fn find_prev(rope: &Rope, query: &Query, before: usize) -> Option<(usize, usize, bool)> {
    if query.is_empty() {
        return None;
    }
    let before_b = byte_of(rope, before);
    let last_in = |from: usize, to: usize| {
        // Walk back block by block so the common case (a match nearby) stays cheap.
        let mut block_end = to;
        while block_end > from {
            let block_start = block_end.saturating_sub(BLOCK).max(from);
            let mut last = None;
            scan_bytes(rope, query, block_start, block_end, |b| {
                last = Some(b);
                true
            });
            if last.is_some() {
                return last;
            }
            block_end = block_start;
        }
        None
    };
    let (found, wrapped) = match last_in(0, before_b) {
        Some(b) => (Some(b), false),
        None => (last_in(before_b, rope.len_bytes()), true),
    };
    found.map(|b| {
        let s = rope.byte_to_char(b);
        (s, rope.byte_to_char(b + query.needle.len()), wrapped)
    })
}

/// All matches starting within chars `[from, to)`, as char ranges (for highlighting).
pub fn find_in(rope: &Rope, query: &Query, from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if query.is_empty() {
        return out;
    }
    scan_bytes(rope, query, byte_of(rope, from), byte_of(rope, to), |b| {
        out.push((
            rope.byte_to_char(b),
            rope.byte_to_char(b + query.needle.len()),
        ));
        true
    });
    out
}

/// All matches in the whole text, as char ranges.
pub fn find_all(rope: &Rope, query: &Query) -> Vec<(usize, usize)> {
    find_in(rope, query, 0, rope.len_chars())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smart_case_and_wrapping() {
        let rope = Rope::from_str("Foo foo fOO\nbar föö");
        let q = Query::new("foo");
        assert_eq!(find_next(&rope, &q, 1), Some((4, 7, false)));
        assert_eq!(find_next(&rope, &q, 9), Some((0, 3, true)));
        assert_eq!(find_prev(&rope, &q, 4), Some((0, 3, false)));
        assert_eq!(find_prev(&rope, &q, 0), Some((8, 11, true)));
        let exact = Query::new("Foo");
        assert_eq!(find_all(&rope, &exact), vec![(0, 3)]);
        assert_eq!(find_all(&rope, &Query::new("föö")), vec![(16, 19)]);
    }

    #[test]
    fn matches_across_block_edges() {
        let mut text = "x".repeat(BLOCK - 2);
        text.push_str("needle");
        text.push_str(&"y".repeat(10));
        text.push_str("needle");
        let rope = Rope::from_str(&text);
        let q = Query::new("needle");
        assert_eq!(
            find_all(&rope, &q),
            vec![(BLOCK - 2, BLOCK + 4), (BLOCK + 14, BLOCK + 20)]
        );
        assert_eq!(
            find_prev(&rope, &q, rope.len_chars()),
            Some((BLOCK + 14, BLOCK + 20, false))
        );
    }
}
