//! Property tests of edit matching: a SEARCH that is an exact, unique run of whole lines is
//! replaced exactly there, whatever the REPLACE; and nothing a model or a file can hold makes
//! the parser, the matcher or staging panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use caret::ai::edit::{
    Strategy as Found, apply_block, fenced_replacement, is_elision, parse_reply, stage,
};
use proptest::prelude::*;

/// A line of code-like text, with the characters that make matchers stumble.
fn line() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("a"),
            Just("b"),
            Just(" "),
            Just("\t"),
            Just("{"),
            Just("}"),
            Just("..."),
            Just("//"),
            Just("\u{201c}"),
            Just("\u{a0}"),
            Just("中"),
            Just("="),
            Just("<"),
        ],
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

fn lines(max: usize) -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(line(), 0..max)
}

/// Arbitrary reply-like or file-like text: markers, fences, CR, CRLF, lone CRs.
fn messy() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("<<<<<<< SEARCH"),
            Just("<<<<<<<<<< SEARCH"),
            Just("<<<<< search"),
            Just("======="),
            Just("=="),
            Just(">>>>>>> REPLACE"),
            Just(">>>>>>>>"),
            Just("```"),
            Just("```rust"),
            Just("~~~"),
            Just("src/a.rs"),
            Just("../x"),
            Just("// ... existing code ..."),
            Just("..."),
            Just("    "),
            Just("\t"),
            Just("x"),
            Just("\n"),
            Just("\r\n"),
            Just("\r"),
            Just("\u{feff}"),
            Just("é"),
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

fn joined(lines: &[String], eol: &str) -> String {
    let mut out = String::new();
    for line in lines {
        out.push_str(line);
        out.push_str(eol);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The main promise: an exact unique slice of whole lines is replaced there and nowhere
    /// else, and every other byte stays. (A REPLACE with a `// ...` elision comment the file
    /// does not have is refused instead — writing it would put the comment in place of code.)
    #[test]
    fn an_exact_unique_slice_is_replaced_exactly(
        (text, start, len) in lines(12).prop_flat_map(|t| {
            let n = t.len();
            (Just(t), 0..=n, 1..=4usize)
        }),
        replace in lines(5),
        crlf in any::<bool>(),
    ) {
        let len = len.min(text.len().saturating_sub(start));
        prop_assume!(len > 0);
        let slice = &text[start..start + len];
        prop_assume!(slice.iter().any(|l| !l.trim().is_empty()));
        let unique = (0..=text.len() - len).filter(|&i| text[i..i + len] == *slice).count() == 1;
        prop_assume!(unique);
        prop_assume!(!replace.iter().any(|l| is_elision(l) && l.trim() != "..."));
        let eol = if crlf { "\r\n" } else { "\n" };
        let file = joined(&text, eol);
        let out = apply_block(Some(&file), &joined(slice, "\n"), &joined(&replace, "\n")).unwrap();
        let expected = format!(
            "{}{}{}",
            joined(&text[..start], eol),
            joined(&replace, eol),
            joined(&text[start + len..], eol)
        );
        prop_assert_eq!(out.strategy, Found::Exact);
        prop_assert_eq!(out.text, expected);
    }

    /// The same with the slice at the end of a file without a final newline: that stays so.
    #[test]
    fn the_last_line_keeps_having_no_newline(
        text in lines(8),
        last in "[a-z]{1,6}",
        replace in proptest::collection::vec("[a-z]{0,4}", 1..4),
    ) {
        prop_assume!(!text.contains(&last));
        let file = format!("{}{last}", joined(&text, "\n"));
        let out = apply_block(Some(&file), &format!("{last}\n"), &joined(&replace, "\n")).unwrap();
        let expected = format!("{}{}", joined(&text, "\n"), replace.join("\n"));
        prop_assert_eq!(out.text, expected);
    }

    /// Matching never panics, whatever the file, SEARCH and REPLACE hold; and an applied
    /// block changes only the lines it says it matched.
    #[test]
    fn matching_never_panics(file in messy(), search in messy(), replace in messy(), exists in any::<bool>()) {
        let file = exists.then_some(file.as_str());
        if let Ok(applied) = apply_block(file, &search, &replace) {
            prop_assert!(applied.lines.start >= 1);
            prop_assert!(applied.lines.end >= applied.lines.start);
        }
    }

    /// Parsing and staging never panic on anything, and a block always comes with its index
    /// in order.
    #[test]
    fn parsing_and_staging_never_panic(reply in messy(), file in messy()) {
        let parsed = parse_reply(&reply, Some("src/a.rs"));
        let mut indexes: Vec<usize> = parsed.blocks.iter().map(|b| b.index)
            .chain(parsed.malformed.iter().map(|m| m.index)).collect();
        indexes.sort_unstable();
        prop_assert!(indexes.windows(2).all(|w| w[0] < w[1]));
        let files = |p: &str| (p == "src/a.rs").then(|| file.clone());
        let check = |p: &str| caret::ai::edit::normalize_path(p).map_err(|e| e.to_string());
        let staged = stage(&reply, &files, Some("src/a.rs"), &check);
        for refusal in &staged.refused {
            prop_assert!(!refusal.message().is_empty());
            prop_assert!(!refusal.for_model().is_empty());
        }
        let _ = fenced_replacement(&reply);
    }
}
