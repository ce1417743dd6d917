//! Unit tests of the matcher: each strategy, the refusals, line endings.

use super::*;

fn apply(text: &str, search: &str, replace: &str) -> Result<Applied, MatchError> {
    apply_block(Some(text), search, replace)
}

#[test]
fn exact_match_replaces_only_those_lines() {
    let out = apply("a\nb\nc\n", "b\n", "B\nB2\n").unwrap();
    assert_eq!(out.text, "a\nB\nB2\nc\n");
    assert_eq!(out.lines, LineRange { start: 2, end: 2 });
    assert_eq!(out.strategy, Strategy::Exact);
}

#[test]
fn trailing_whitespace_is_forgiven_and_kept_on_unchanged_lines() {
    let text = "fn a() {   \n    x();\t\n}\n";
    let out = apply(text, "fn a() {\n    x();\n}\n", "fn a() {\n    y();\n}\n").unwrap();
    assert_eq!(out.strategy, Strategy::TrailingWhitespace);
    assert_eq!(out.text, "fn a() {   \n    y();\n}\n");
}

#[test]
fn indentation_drift_is_reindented() {
    let text = "impl A {\n    fn a(&self) {\n        one();\n    }\n}\n";
    let out = apply(
        text,
        "fn a(&self) {\n    one();\n}\n",
        "fn a(&self) {\n    one();\n    two();\n}\n",
    )
    .unwrap();
    assert_eq!(out.strategy, Strategy::Indentation);
    assert_eq!(
        out.text,
        "impl A {\n    fn a(&self) {\n        one();\n        two();\n    }\n}\n"
    );
}

#[test]
fn changed_nesting_is_not_forced() {
    let text = "if a:\n    if b:\n        go()\n";
    let err = apply(text, "if b:\ngo()\n", "if b:\nstop()\n").unwrap_err();
    assert!(matches!(err, MatchError::NoMatch { .. }), "{err:?}");
}

#[test]
fn curly_quotes_and_dashes_from_the_model_are_folded() {
    let text = "msg = \"it's done - really\"\nother = 1\n";
    let out = apply(
        text,
        "msg = \u{201c}it\u{2019}s done \u{2014} really\u{201d}\n",
        "msg = \u{201c}it\u{2019}s finished\u{201d}\n",
    )
    .unwrap();
    assert_eq!(out.strategy, Strategy::Punctuation);
    assert_eq!(out.text, "msg = \"it's finished\"\nother = 1\n");
}

#[test]
fn elided_lines_are_kept() {
    let text = "fn a() {\n    one();\n    two();\n    three();\n    four();\n}\n";
    let out = apply(
        text,
        "fn a() {\n    one();\n    // ... existing code ...\n    four();\n}\n",
        "fn a() {\n    zero();\n    one();\n    // ... existing code ...\n    four();\n    five();\n}\n",
    )
    .unwrap();
    assert_eq!(out.strategy, Strategy::Elision);
    assert_eq!(
        out.text,
        "fn a() {\n    zero();\n    one();\n    two();\n    three();\n    four();\n    five();\n}\n"
    );
}

#[test]
fn an_elision_only_in_replace_is_refused() {
    let text = "fn a() {\n    one();\n    two();\n}\n";
    let err = apply(
        text,
        "fn a() {\n    one();\n    two();\n}\n",
        "fn a() {\n    // ... existing code ...\n    three();\n}\n",
    )
    .unwrap_err();
    assert!(matches!(err, MatchError::ElisionMismatch { .. }), "{err:?}");
}

#[test]
fn a_bare_ellipsis_in_replace_is_code() {
    let out = apply("def f():\n    return 1\n", "    return 1\n", "    ...\n").unwrap();
    assert_eq!(out.text, "def f():\n    ...\n");
}

#[test]
fn several_places_are_ambiguous() {
    let text = "x = 1\ny = 2\nx = 1\n";
    let err = apply(text, "x = 1\n", "x = 3\n").unwrap_err();
    assert_eq!(
        err,
        MatchError::Ambiguous {
            places: vec![
                LineRange { start: 1, end: 1 },
                LineRange { start: 3, end: 3 }
            ]
        }
    );
    assert_eq!(
        err.to_string(),
        "the SEARCH text matches 2 places (lines 1, 3)"
    );
}

#[test]
fn a_strict_match_wins_over_looser_ones() {
    // Exactly once as written, and once more with other indentation: the exact one is meant.
    let text = "x()\n    x()\n";
    let out = apply(text, "x()\n", "y()\n").unwrap();
    assert_eq!(out.text, "y()\n    x()\n");
}

#[test]
fn no_match_offers_the_nearest_place() {
    let text = "fn one() {}\nfn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n";
    let err = apply(text, "fn add(a: u32, b: u32) -> u32 {\n    a + b\n}\n", "").unwrap_err();
    let MatchError::NoMatch { nearest } = err else {
        panic!("{err:?}")
    };
    assert_eq!(nearest[0].lines, LineRange { start: 2, end: 4 });
}

#[test]
fn crlf_files_stay_crlf() {
    let text = "a\r\nb\r\nc\r\n";
    let out = apply(text, "b\n", "B\nB2\n").unwrap();
    assert_eq!(out.text, "a\r\nB\r\nB2\r\nc\r\n");
}

#[test]
fn a_missing_final_newline_stays_missing() {
    let out = apply("a\nb", "b\n", "c\n").unwrap();
    assert_eq!(out.text, "a\nc");
}

#[test]
fn blank_lines_the_file_lacks_at_the_ends_of_search_are_forgiven() {
    let out = apply("a\nb\n", "\nb\n\n", "\nc\n\n").unwrap();
    assert_eq!(out.text, "a\nc\n");
}

#[test]
fn empty_search_creates_or_refuses() {
    let out = apply_block(None, "", "new\n").unwrap();
    assert_eq!(
        (out.text.as_str(), out.strategy),
        ("new\n", Strategy::Create)
    );
    assert_eq!(apply_block(Some(""), "", "x\n").unwrap().text, "x\n");
    assert_eq!(
        apply_block(Some("old\n"), "", "x\n"),
        Err(MatchError::FileNotEmpty)
    );
    assert_eq!(apply_block(None, "x\n", "y\n"), Err(MatchError::NoSuchFile));
}

#[test]
fn tabs_in_the_file_spaces_in_the_reply() {
    let text = "func main() {\n\tif x {\n\t\tgo()\n\t}\n}\n";
    let out = apply(
        text,
        "    if x {\n        go()\n    }\n",
        "    if x {\n        go()\n        stop()\n    }\n",
    )
    .unwrap();
    assert_eq!(
        out.text,
        "func main() {\n\tif x {\n\t\tgo()\n\t\tstop()\n\t}\n}\n"
    );
}

#[test]
fn a_bom_is_kept_out_of_matching_and_in_the_file() {
    let out = apply("\u{feff}first\nsecond\n", "first\n", "1st\n").unwrap();
    assert_eq!(out.text, "\u{feff}1st\nsecond\n");
}

#[test]
fn an_elision_at_the_start_only() {
    let text = "fn a() {\n    one();\n    two();\n}\n";
    let out = apply(
        text,
        "    // ... existing code ...\n    two();\n}\n",
        "    // ... existing code ...\n    two();\n    three();\n}\n",
    )
    .unwrap();
    assert_eq!(out.strategy, Strategy::Elision);
    assert_eq!(
        out.text,
        "fn a() {\n    one();\n    two();\n    three();\n}\n"
    );
}

#[test]
fn a_search_that_elides_and_a_replace_that_does_not_replace_the_whole_span() {
    let text = "keep();\nfn old() {\n    a();\n    b();\n}\nafter();\n";
    let out = apply(text, "fn old() {\n    // ...\n}\n", "").unwrap();
    assert_eq!(out.text, "keep();\nafter();\n");
    assert_eq!(out.lines, LineRange { start: 2, end: 5 });
}

#[test]
fn elisions_at_different_places_are_refused() {
    let text = "a\nb\nc\nd\ne\n";
    let err = apply(text, "a\n// ...\nc\n// ...\ne\n", "a\n// ...\nE\n").unwrap_err();
    assert!(matches!(err, MatchError::ElisionMismatch { .. }), "{err:?}");
}

#[test]
fn an_elided_search_matching_twice_is_ambiguous() {
    let text = "fn a() {\n    x();\n}\nfn a() {\n    y();\n}\n";
    let err = apply(
        text,
        "fn a() {\n    // ...\n}\n",
        "fn b() {\n    // ...\n}\n",
    )
    .unwrap_err();
    assert!(matches!(err, MatchError::Ambiguous { .. }), "{err:?}");
}
