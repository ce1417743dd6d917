//! Cursor motions over a rope: graphemes, words, lines, visual columns and pages.

use ropey::Rope;

use crate::core::graphemes;

/// Char index of the start of `line` (clamped to the last line).
pub fn line_start(rope: &Rope, line: usize) -> usize {
    rope.line_to_char(line.min(rope.len_lines().saturating_sub(1)))
}

/// Char index just before the line ending of `line` (or the end of the text).
pub fn line_end(rope: &Rope, line: usize) -> usize {
    let line = line.min(rope.len_lines().saturating_sub(1));
    let start = rope.line_to_char(line);
    let slice = rope.line(line);
    let len = slice.len_chars();
    let ending = match (
        len.checked_sub(2).map(|i| slice.char(i)),
        len.checked_sub(1).map(|i| slice.char(i)),
    ) {
        (Some('\r'), Some('\n')) => 2,
        (_, Some('\n' | '\r')) => 1,
        _ => 0,
    };
    start + len - ending
}

/// The line holding char `pos`.
pub fn line_of(rope: &Rope, pos: usize) -> usize {
    rope.char_to_line(pos.min(rope.len_chars()))
}

pub fn grapheme_right(rope: &Rope, pos: usize) -> usize {
    graphemes::next_boundary(rope.slice(..), pos)
}

pub fn grapheme_left(rope: &Rope, pos: usize) -> usize {
    graphemes::prev_boundary(rope.slice(..), pos)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Space,
    LineBreak,
    Word,
    Punct,
}

fn class(c: char) -> CharClass {
    if c == '\n' || c == '\r' {
        CharClass::LineBreak
    } else if c.is_whitespace() {
        CharClass::Space
    } else if c.is_alphanumeric() || c == '_' {
        CharClass::Word
    } else {
        CharClass::Punct
    }
}

/// Ctrl-Right as in VS Code: skip spaces, then one run of word or punctuation characters;
/// a line break is a stop of its own.
pub fn word_right(rope: &Rope, pos: usize) -> usize {
    let len = rope.len_chars();
    let mut i = pos.min(len);
    while i < len && class(rope.char(i)) == CharClass::Space {
        i += 1;
    }
    if i >= len {
        return len;
    }
    let first = class(rope.char(i));
    if first == CharClass::LineBreak {
        return if i == pos { grapheme_right(rope, i) } else { i };
    }
    while i < len && class(rope.char(i)) == first {
        i += 1;
    }
    i
}

/// Ctrl-Left: the mirror of [`word_right`].
pub fn word_left(rope: &Rope, pos: usize) -> usize {
    let mut i = pos.min(rope.len_chars());
    while i > 0 && class(rope.char(i - 1)) == CharClass::Space {
        i -= 1;
    }
    if i == 0 {
        return 0;
    }
    let first = class(rope.char(i - 1));
    if first == CharClass::LineBreak {
        return if i == pos { grapheme_left(rope, i) } else { i };
    }
    while i > 0 && class(rope.char(i - 1)) == first {
        i -= 1;
    }
    i
}

/// First non-blank character of `line`.
pub fn first_non_blank(rope: &Rope, line: usize) -> usize {
    let start = line_start(rope, line);
    let end = line_end(rope, line);
    let mut i = start;
    while i < end && matches!(rope.char(i), ' ' | '\t') {
        i += 1;
    }
    i
}

/// Home: to the first non-blank character, or to column 0 if already there.
pub fn smart_home(rope: &Rope, pos: usize) -> usize {
    let line = line_of(rope, pos);
    let indent = first_non_blank(rope, line);
    if pos == indent {
        line_start(rope, line)
    } else {
        indent
    }
}

/// The display column of `pos` within its line.
pub fn visual_col(rope: &Rope, pos: usize, tab_width: usize) -> usize {
    let line = line_of(rope, pos);
    let start = line_start(rope, line);
    graphemes::width_from(rope.slice(start..pos.min(rope.len_chars())), 0, tab_width)
}

/// The char index on `line` whose display column is the last one not past `col`.
pub fn pos_at_col(rope: &Rope, line: usize, col: usize, tab_width: usize) -> usize {
    let start = line_start(rope, line);
    let end = line_end(rope, line);
    start + graphemes::walk_columns(rope.slice(start..end), 0, Some(col), tab_width).0
}

/// Moves `lines` lines up (negative) or down, aiming for display column `col`.
pub fn vertical(rope: &Rope, pos: usize, lines: isize, col: usize, tab_width: usize) -> usize {
    let line = line_of(rope, pos);
    let last = rope.len_lines().saturating_sub(1);
    let target = line.saturating_add_signed(lines).min(last);
    if lines < 0 && line == 0 {
        return 0;
    }
    if lines > 0 && line == last {
        return rope.len_chars();
    }
    pos_at_col(rope, target, col, tab_width)
}

/// The leading whitespace of `line`, for auto-indent.
pub fn indent_of(rope: &Rope, line: usize) -> String {
    let start = line_start(rope, line);
    let end = first_non_blank(rope, line);
    rope.slice(start..end).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_lines() {
        let rope = Rope::from_str("let foo_bar = baz(1);\r\n  next");
        assert_eq!(word_right(&rope, 0), 3);
        assert_eq!(word_right(&rope, 3), 11);
        assert_eq!(word_right(&rope, 11), 13);
        assert_eq!(word_left(&rope, 11), 4);
        assert_eq!(line_end(&rope, 0), 21);
        assert_eq!(line_start(&rope, 1), 23);
        assert_eq!(word_right(&rope, 21), 23);
        assert_eq!(smart_home(&rope, 27), 25);
        assert_eq!(smart_home(&rope, 25), 23);
        assert_eq!(indent_of(&rope, 1), "  ");
    }

    #[test]
    fn vertical_motion_keeps_the_display_column() {
        // Line 1 has a wide char: column 4 falls after "中中".
        let rope = Rope::from_str("abcdef\n中中xy\nab");
        let col = visual_col(&rope, 4, 4);
        assert_eq!(col, 4);
        let down = vertical(&rope, 4, 1, col, 4);
        assert_eq!(down, 9);
        assert_eq!(visual_col(&rope, down, 4), 4);
        // Shorter line: clamps to its end.
        assert_eq!(vertical(&rope, down, 1, col, 4), rope.len_chars());
        // Inside a wide char, the column snaps before it.
        assert_eq!(pos_at_col(&rope, 1, 3, 4), 8);
    }
}
