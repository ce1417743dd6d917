//! Grapheme clusters and display widths over ropes: cursor steps land on what the terminal
//! shows as one character, and columns count the cells it takes (wide CJK, emoji, tabs).

use ropey::RopeSlice;
use unicode_segmentation::{GraphemeCursor, GraphemeIncomplete};
use unicode_width::UnicodeWidthStr;

/// The char index of the grapheme boundary after `char_idx` (or the end).
pub fn next_boundary(slice: RopeSlice<'_>, char_idx: usize) -> usize {
    let len = slice.len_chars();
    if char_idx >= len {
        return len;
    }
    let byte = slice.char_to_byte(char_idx);
    slice.byte_to_char(next_boundary_byte(slice, byte))
}

/// The char index of the grapheme boundary before `char_idx` (or 0).
pub fn prev_boundary(slice: RopeSlice<'_>, char_idx: usize) -> usize {
    if char_idx == 0 {
        return 0;
    }
    let char_idx = char_idx.min(slice.len_chars());
    let byte = slice.char_to_byte(char_idx);
    slice.byte_to_char(prev_boundary_byte(slice, byte))
}

/// Snaps `char_idx` to the grapheme boundary at or before it.
pub fn floor_boundary(slice: RopeSlice<'_>, char_idx: usize) -> usize {
    let char_idx = char_idx.min(slice.len_chars());
    let next_of_prev = next_boundary(slice, prev_boundary(slice, char_idx));
    if next_of_prev <= char_idx {
        next_of_prev
    } else {
        prev_boundary(slice, char_idx)
    }
}

fn next_boundary_byte(slice: RopeSlice<'_>, byte: usize) -> usize {
    let total = slice.len_bytes();
    let (mut chunk, mut chunk_start, _, _) = slice.chunk_at_byte(byte);
    let mut cursor = GraphemeCursor::new(byte, total, true);
    loop {
        match cursor.next_boundary(chunk, chunk_start) {
            Ok(Some(b)) => return b,
            Ok(None) => return total,
            Err(GraphemeIncomplete::NextChunk) => {
                chunk_start += chunk.len();
                if chunk_start >= total {
                    return total;
                }
                chunk = slice.chunk_at_byte(chunk_start).0;
            }
            Err(GraphemeIncomplete::PreContext(n)) => {
                let (ctx, ctx_start, _, _) = slice.chunk_at_byte(n.saturating_sub(1));
                cursor.provide_context(ctx, ctx_start);
            }
            Err(_) => return (byte + 1).min(total),
        }
    }
}

fn prev_boundary_byte(slice: RopeSlice<'_>, byte: usize) -> usize {
    let total = slice.len_bytes();
    let (mut chunk, mut chunk_start, _, _) = slice.chunk_at_byte(byte);
    let mut cursor = GraphemeCursor::new(byte, total, true);
    loop {
        match cursor.prev_boundary(chunk, chunk_start) {
            Ok(Some(b)) => return b,
            Ok(None) => return 0,
            Err(GraphemeIncomplete::PrevChunk) => {
                if chunk_start == 0 {
                    return 0;
                }
                let (c, s, _, _) = slice.chunk_at_byte(chunk_start - 1);
                chunk = c;
                chunk_start = s;
            }
            Err(GraphemeIncomplete::PreContext(n)) => {
                let (ctx, ctx_start, _, _) = slice.chunk_at_byte(n.saturating_sub(1));
                cursor.provide_context(ctx, ctx_start);
            }
            Err(_) => return byte.saturating_sub(1),
        }
    }
}

/// Iterates the grapheme clusters of a slice, each as a sub-slice.
pub struct Graphemes<'a> {
    slice: RopeSlice<'a>,
    byte: usize,
}

impl<'a> Graphemes<'a> {
    pub fn new(slice: RopeSlice<'a>) -> Self {
        Self { slice, byte: 0 }
    }
}

impl<'a> Iterator for Graphemes<'a> {
    type Item = RopeSlice<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.byte >= self.slice.len_bytes() {
            return None;
        }
        let start = self.byte;
        // Fast path: an ASCII byte not followed by a combining mark is a grapheme by itself.
        let (chunk, chunk_start, _, _) = self.slice.chunk_at_byte(start);
        let local = start - chunk_start;
        let bytes = chunk.as_bytes();
        let end = if bytes[local].is_ascii()
            && bytes[local] != b'\r'
            && bytes.get(local + 1).is_some_and(u8::is_ascii)
        {
            start + 1
        } else {
            next_boundary_byte(self.slice, start)
        };
        self.byte = end.max(start + 1);
        Some(self.slice.byte_slice(start..self.byte))
    }
}

/// What a grapheme looks like on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Glyph {
    /// Drawn as itself, taking this many cells.
    Text(usize),
    /// A tab: blank cells up to the next tab stop.
    Tab(usize),
    /// A line ending: not drawn.
    LineEnd,
    /// A control or zero-width character: drawn as a visible one-cell marker.
    Hidden,
}

impl Glyph {
    pub fn width(self) -> usize {
        match self {
            Glyph::Text(w) | Glyph::Tab(w) => w,
            Glyph::LineEnd => 0,
            Glyph::Hidden => 1,
        }
    }
}

/// Classifies grapheme `g` drawn at display column `col`.
pub fn glyph(g: &str, col: usize, tab_width: usize) -> Glyph {
    match g {
        "\t" => {
            let tw = tab_width.max(1);
            Glyph::Tab(tw - col % tw)
        }
        "\n" | "\r\n" | "\r" => Glyph::LineEnd,
        _ => {
            if g.chars().next().is_some_and(char::is_control) {
                return Glyph::Hidden;
            }
            match g.width() {
                0 => Glyph::Hidden,
                w => Glyph::Text(w),
            }
        }
    }
}

/// Display width of a slice (no line breaks expected) starting at column `start_col`.
pub fn width_from(slice: RopeSlice<'_>, start_col: usize, tab_width: usize) -> usize {
    let mut col = start_col;
    for g in Graphemes::new(slice) {
        col += glyph(&std::borrow::Cow::from(g), col, tab_width).width();
    }
    col - start_col
}

#[cfg(test)]
mod tests {
    use super::*;
    use ropey::Rope;

    #[test]
    fn steps_over_whole_clusters() {
        // e + combining acute, family emoji (ZWJ), CJK, CRLF.
        let rope = Rope::from_str("e\u{301}👨‍👩‍👧中\r\nx");
        let s = rope.slice(..);
        let mut stops = vec![0];
        let mut i = 0;
        while i < s.len_chars() {
            i = next_boundary(s, i);
            stops.push(i);
        }
        assert_eq!(stops, vec![0, 2, 7, 8, 10, 11]);
        let mut back = vec![];
        let mut i = s.len_chars();
        while i > 0 {
            i = prev_boundary(s, i);
            back.push(i);
        }
        assert_eq!(back, vec![10, 8, 7, 2, 0]);
        assert_eq!(floor_boundary(s, 1), 0);
        assert_eq!(floor_boundary(s, 9), 8);
    }

    #[test]
    fn widths_match_the_terminal() {
        assert_eq!(glyph("中", 0, 4), Glyph::Text(2));
        assert_eq!(glyph("\t", 1, 4), Glyph::Tab(3));
        assert_eq!(glyph("\u{200b}", 0, 4), Glyph::Hidden);
        assert_eq!(glyph("\u{1}", 0, 4), Glyph::Hidden);
        let rope = Rope::from_str("a\t中e\u{301}");
        assert_eq!(width_from(rope.slice(..), 0, 4), 4 + 2 + 1);
    }

    #[test]
    fn graphemes_iterate_across_chunks() {
        let text = "ab\u{301}".repeat(2000);
        let rope = Rope::from_str(&text);
        let count = Graphemes::new(rope.slice(..)).count();
        assert_eq!(count, 4000);
    }
}
