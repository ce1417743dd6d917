//! Property tests of the core invariants: transactions invert exactly, undo/redo replay the
//! same texts, and positions map through edits onto the same characters.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use caret::core::document::Document;
use caret::core::history::EditKind;
use caret::core::selection::Selection;
use caret::core::transaction::{Assoc, Change, Transaction};
use proptest::prelude::*;
use ropey::Rope;

/// Text with the characters that make editors stumble: CRLF, wide, combining, emoji.
fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("a"),
            Just("b"),
            Just(" "),
            Just("\n"),
            Just("\r\n"),
            Just("中"),
            Just("e\u{301}"),
            Just("👍🏽"),
            Just("\t"),
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

/// Non-overlapping changes inside a text of `len` chars.
fn changes(len: usize) -> impl Strategy<Value = Vec<Change>> {
    proptest::collection::vec((0..=len, 0..=len, text()), 0..5).prop_map(move |raw| {
        let mut cuts: Vec<(usize, usize, String)> = raw
            .into_iter()
            .map(|(a, b, t)| (a.min(b), a.max(b), t))
            .collect();
        cuts.sort_by_key(|c| (c.0, c.1));
        let mut out: Vec<Change> = Vec::new();
        let mut end = 0;
        for (from, to, t) in cuts {
            if from >= end && !(from == end && !out.is_empty() && out.last().unwrap().from == from)
            {
                out.push(Change { from, to, text: t });
                end = to.max(from + 1);
            }
        }
        out
    })
}

fn text_and_changes() -> impl Strategy<Value = (String, Vec<Change>)> {
    text().prop_flat_map(|t| {
        let len = t.chars().count();
        (Just(t), changes(len))
    })
}

proptest! {
    #[test]
    fn applying_then_inverting_restores_the_text((original, changes) in text_and_changes()) {
        let rope = Rope::from_str(&original);
        let tx = Transaction::new(changes).unwrap();
        let mut edited = rope.clone();
        tx.apply(&mut edited).unwrap();
        let inverse = tx.invert(&rope);
        let mut back = edited.clone();
        inverse.apply(&mut back).unwrap();
        prop_assert_eq!(back.to_string(), original);
        // And the inverse of the inverse redoes the edit.
        let mut again = back.clone();
        inverse.invert(&edited).apply(&mut again).unwrap();
        prop_assert_eq!(&again, &edited);
        prop_assert_eq!(
            rope.len_chars() as isize + tx.len_delta(),
            edited.len_chars() as isize
        );
    }

    #[test]
    fn positions_outside_changes_keep_their_character((original, changes) in text_and_changes(), pos in 0usize..60) {
        let rope = Rope::from_str(&original);
        prop_assume!(pos < rope.len_chars());
        let tx = Transaction::new(changes).unwrap();
        prop_assume!(tx.changes().iter().all(|c| pos < c.from || pos >= c.to.max(c.from + 1)));
        let mut edited = rope.clone();
        tx.apply(&mut edited).unwrap();
        let mapped = tx.map_pos(pos, Assoc::After);
        // Inserts exactly at pos push it right; it still points at the same character.
        prop_assert_eq!(edited.char(mapped), rope.char(pos));
        let sel = Selection::new(pos, pos).map(&tx);
        prop_assert_eq!(sel.head, mapped);
    }

    #[test]
    fn undo_and_redo_replay_the_same_texts(ops in proptest::collection::vec((0u8..6, 0usize..50, text()), 1..40)) {
        let mut doc = Document::new(None);
        // history[i] is the text after i undo steps from the newest state.
        let mut states = vec![doc.text().to_string()];
        let mut undone = 0usize;
        for (op, pos, t) in ops {
            let len = doc.text().len_chars();
            match op {
                0 | 1 => {
                    doc.set_selection(Selection::point(pos.min(len)));
                    doc.insert(&t, EditKind::Other).unwrap();
                }
                2 => {
                    doc.set_selection(Selection::new(pos.min(len), (pos + 3).min(len)));
                    doc.delete_selection().unwrap();
                }
                3 => {
                    doc.set_selection(Selection::point(pos.min(len)));
                    doc.backspace().unwrap();
                }
                4 => {
                    let did = doc.undo().unwrap();
                    prop_assert_eq!(did, undone + 1 < states.len());
                    if did {
                        undone += 1;
                        prop_assert_eq!(doc.text().to_string(), states[states.len() - 1 - undone].clone());
                    }
                    continue;
                }
                _ => {
                    let did = doc.redo().unwrap();
                    prop_assert_eq!(did, undone > 0);
                    if did {
                        undone -= 1;
                        prop_assert_eq!(doc.text().to_string(), states[states.len() - 1 - undone].clone());
                    }
                    continue;
                }
            }
            let now = doc.text().to_string();
            if now != states[states.len() - 1 - undone] {
                // A new edit drops the redo states.
                states.truncate(states.len() - undone);
                undone = 0;
                states.push(now);
            }
            doc.seal_history();
        }
        // Undo everything: back to the empty start, clean again.
        while doc.undo().unwrap() {}
        prop_assert_eq!(doc.text().to_string(), "");
        prop_assert!(!doc.is_dirty());
    }
}

/// A line with long ASCII runs (so the plain-chunk skipping is exercised) mixed with the
/// characters whose width or clustering is special.
fn line() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => "[ -~]{0,1500}".prop_map(|s| s),
            1 => prop_oneof![
                Just("\t".to_string()), Just("中".to_string()), Just("\u{301}".to_string()),
                Just("👍🏽".to_string()), Just("\u{200b}".to_string()), Just("🇫🇷".to_string()),
                Just("\u{1b}".to_string()),
            ],
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The fast column walk agrees with going cluster by cluster over the whole string.
    #[test]
    fn column_walks_match_cluster_by_cluster(text in line(), target in 0usize..4000) {
        use caret::core::graphemes::{glyph, walk_columns};
        use unicode_segmentation::UnicodeSegmentation;
        let rope = Rope::from_str(&text);
        let mut col = 0;
        let mut chars_at_target = None;
        let mut chars = 0;
        for g in text.graphemes(true) {
            let w = glyph(g, col, 4).width();
            if chars_at_target.is_none() && col + w > target {
                chars_at_target = Some((chars, col));
            }
            col += w;
            chars += g.chars().count();
        }
        prop_assert_eq!(walk_columns(rope.slice(..), 0, None, 4), (chars, col));
        prop_assert_eq!(
            walk_columns(rope.slice(..), 0, Some(target), 4),
            chars_at_target.unwrap_or((chars, col))
        );
        let clusters: Vec<String> = caret::core::graphemes::Graphemes::new(rope.slice(..)).map(std::borrow::Cow::into_owned).collect();
        let expected: Vec<&str> = text.graphemes(true).collect();
        prop_assert_eq!(clusters, expected);
    }
}
