//! Parsing a rope with tree-sitter: the input callback that reads ropey chunks in place,
//! parses that give up after a deadline, and byte edits turned into `InputEdit`s.

use std::time::{Duration, Instant};

use ropey::Rope;
use tree_sitter::{InputEdit, Language, ParseOptions, Parser, Point, Range, Tree};

use crate::core::edit_log::ByteEdit;

pub fn input_edit(edit: &ByteEdit) -> InputEdit {
    let point = |(row, column): (usize, usize)| Point { row, column };
    InputEdit {
        start_byte: edit.start_byte,
        old_end_byte: edit.old_end_byte,
        new_end_byte: edit.new_end_byte,
        start_position: point(edit.start),
        old_end_position: point(edit.old_end),
        new_end_position: point(edit.new_end),
    }
}

/// The rest of the chunk holding `byte`, as tree-sitter's input callback wants it.
fn chunk_from(rope: &Rope, byte: usize) -> &[u8] {
    if byte >= rope.len_bytes() {
        return &[];
    }
    let (chunk, chunk_start, _, _) = rope.chunk_at_byte(byte);
    &chunk.as_bytes()[byte - chunk_start..]
}

/// Parses `rope` (reusing `old`, already edited to match, when given), limited to `ranges`
/// when given. Gives up and returns `None` when `deadline` passes.
pub fn parse(
    parser: &mut Parser,
    language: &Language,
    rope: &Rope,
    old: Option<&Tree>,
    ranges: Option<&[Range]>,
    deadline: Option<Duration>,
) -> Option<Tree> {
    parser.set_language(language).ok()?;
    match ranges {
        Some(ranges) => parser.set_included_ranges(ranges).ok()?,
        None => parser.set_included_ranges(&[]).ok()?,
    }
    let started = Instant::now();
    let mut give_up = |_: &tree_sitter::ParseState| deadline.is_some_and(|d| started.elapsed() > d);
    let options = ParseOptions::new().progress_callback(&mut give_up);
    let tree = parser.parse_with_options(
        &mut |byte: usize, _: Point| chunk_from(rope, byte),
        old,
        Some(options),
    );
    if tree.is_none() {
        // A cancelled parse would otherwise resume on the next call, with other text.
        parser.reset();
    }
    tree
}

/// The byte range of a rope's lines `first..=last`, including the last line's break.
pub fn line_bytes(rope: &Rope, first: usize, last: usize) -> std::ops::Range<usize> {
    let lines = rope.len_lines();
    let start = rope.line_to_byte(first.min(lines));
    let end = rope.line_to_byte((last + 1).min(lines));
    start..end
}

/// A tree-sitter range covering `bytes` of `rope`.
pub fn ts_range(rope: &Rope, bytes: std::ops::Range<usize>) -> Range {
    let point = |byte: usize| {
        let row = rope.byte_to_line(byte);
        Point {
            row,
            column: byte - rope.line_to_byte(row),
        }
    };
    Range {
        start_byte: bytes.start,
        end_byte: bytes.end,
        start_point: point(bytes.start),
        end_point: point(bytes.end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::transaction::Transaction;

    fn rust() -> Language {
        tree_sitter_rust::LANGUAGE.into()
    }

    #[test]
    fn incremental_parse_matches_a_fresh_parse() {
        let mut rope = Rope::from_str(&"fn a() { let x = 1; }\n".repeat(2000));
        let mut parser = Parser::new();
        let mut tree = parse(&mut parser, &rust(), &rope, None, None, None).unwrap();
        let tx = Transaction::replace(5000, 5000, "struct S { f: u8 }\n");
        let mut edits = Vec::new();
        tx.apply_logged(&mut rope, &mut edits).unwrap();
        for e in &edits {
            tree.edit(&input_edit(e));
        }
        let again = parse(&mut parser, &rust(), &rope, Some(&tree), None, None).unwrap();
        let fresh = parse(&mut parser, &rust(), &rope, None, None, None).unwrap();
        assert_eq!(again.root_node().to_sexp(), fresh.root_node().to_sexp());
    }

    #[test]
    fn a_parse_past_its_deadline_gives_up_and_the_parser_recovers() {
        let rope = Rope::from_str(&"fn a() { let x = [1, 2, 3]; }\n".repeat(100_000));
        let mut parser = Parser::new();
        let gave_up = parse(
            &mut parser,
            &rust(),
            &rope,
            None,
            None,
            Some(Duration::ZERO),
        );
        assert!(gave_up.is_none());
        let small = Rope::from_str("fn b() {}\n");
        let tree = parse(&mut parser, &rust(), &small, None, None, None).unwrap();
        assert!(!tree.root_node().has_error());
    }

    #[test]
    fn included_ranges_parse_only_that_part_in_place() {
        let rope = Rope::from_str("junk ((( \"\nfn a() {}\nmore junk");
        let bytes = line_bytes(&rope, 1, 1);
        let range = ts_range(&rope, bytes.clone());
        let mut parser = Parser::new();
        let tree = parse(&mut parser, &rust(), &rope, None, Some(&[range]), None).unwrap();
        let root = tree.root_node();
        assert!(!root.has_error(), "{}", root.to_sexp());
        assert_eq!(root.child(0).unwrap().start_byte(), bytes.start);
    }
}
