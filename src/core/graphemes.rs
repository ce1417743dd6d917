//! Grapheme clusters and display widths over ropes: cursor steps land on what the terminal
//! shows as one character, and columns count the cells it takes (wide CJK, emoji, tabs).

use std::borrow::Cow;

use ropey::RopeSlice;
use unicode_segmentation::{GraphemeCursor, GraphemeIncomplete, UnicodeSegmentation};
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

/// Iterates the grapheme clusters of a slice. Walks the rope's chunks directly: a cluster
/// inside one chunk is borrowed from it; only one that spans two chunks is copied.
pub struct Graphemes<'a> {
    slice: RopeSlice<'a>,
    chunks: ropey::iter::Chunks<'a>,
    /// What is left of the current chunk; always starts on a cluster boundary.
    rest: &'a str,
    /// Byte offset of `rest` within the slice.
    byte: usize,
}

impl<'a> Graphemes<'a> {
    pub fn new(slice: RopeSlice<'a>) -> Self {
        Self {
            slice,
            chunks: slice.chunks(),
            rest: "",
            byte: 0,
        }
    }

    /// Skips up to `max` clusters of printable ASCII at once — one byte and one column
    /// each — and returns how many. This keeps very long lines (minified files) cheap.
    pub fn skip_plain(&mut self, max: usize) -> usize {
        let bytes = self.rest.as_bytes();
        let plain = bytes
            .iter()
            .position(|b| !(0x20..0x7f).contains(b))
            .unwrap_or(bytes.len());
        // The last plain byte may join a mark that follows it (here or in the next chunk),
        // so it is left for the exact path.
        let n = plain.saturating_sub(1).min(max);
        self.rest = &self.rest[n..];
        self.byte += n;
        n
    }
}

impl<'a> Iterator for Graphemes<'a> {
    type Item = Cow<'a, str>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.rest.is_empty() {
            self.rest = self.chunks.next()?;
        }
        let bytes = self.rest.as_bytes();
        // Fast path: a printable ASCII byte followed by another ASCII byte in the same chunk
        // is a cluster by itself (only a following non-ASCII mark could join it).
        if bytes.len() > 1 && bytes[0].is_ascii() && bytes[0] != b'\r' && bytes[1].is_ascii() {
            let (g, rest) = self.rest.split_at(1);
            self.rest = rest;
            self.byte += 1;
            return Some(Cow::Borrowed(g));
        }
        let first = self.rest.graphemes(true).next().unwrap_or(self.rest);
        if first.len() < self.rest.len() {
            let (g, rest) = self.rest.split_at(first.len());
            self.rest = rest;
            self.byte += g.len();
            return Some(Cow::Borrowed(g));
        }
        // The cluster reaches the end of the chunk and may go on in the next ones.
        let start = self.byte;
        let end = next_boundary_byte(self.slice, start);
        let chunk_end = start + self.rest.len();
        if end <= chunk_end {
            let g = self.rest;
            self.rest = "";
            self.byte = chunk_end;
            return Some(Cow::Borrowed(g));
        }
        let cluster = self.slice.byte_slice(start..end).to_string();
        // Skip the chunks the cluster covers, keeping the part of the last one after it.
        let mut covered = chunk_end;
        self.rest = "";
        while covered < end {
            let Some(chunk) = self.chunks.next() else {
                break;
            };
            if covered + chunk.len() > end {
                self.rest = &chunk[end - covered..];
            }
            covered += chunk.len();
        }
        self.byte = end;
        Some(Cow::Owned(cluster))
    }
}

/// Walks a line slice (no line break inside) from display column `start_col` and stops
/// before the first cluster that would end past column `stop_col` (if given). Returns the
/// chars walked and the display column reached.
pub fn walk_columns(
    slice: RopeSlice<'_>,
    start_col: usize,
    stop_col: Option<usize>,
    tab_width: usize,
) -> (usize, usize) {
    let mut col = start_col;
    let mut chars = 0usize;
    let mut clusters = Graphemes::new(slice);
    loop {
        let room = stop_col.map_or(usize::MAX, |stop| stop.saturating_sub(col));
        let skipped = clusters.skip_plain(room);
        col += skipped;
        chars += skipped;
        let Some(g) = clusters.next() else { break };
        let w = glyph(&g, col, tab_width).width();
        if stop_col.is_some_and(|stop| col + w > stop) {
            break;
        }
        col += w;
        chars += g.chars().count();
    }
    (chars, col)
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
    walk_columns(slice, start_col, None, tab_width).1 - start_col
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
