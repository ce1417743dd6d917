//! Unit tests of staging: order, refusals, and the two messages.

use super::*;
use crate::ai::edit::normalize_path;

fn files(map: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = map
        .iter()
        .map(|(p, t)| ((*p).to_string(), (*t).to_string()))
        .collect();
    move |p| map.get(p).cloned()
}

fn lexical(rel: &str) -> Result<String, String> {
    normalize_path(rel).map_err(|e| e.to_string())
}

fn block(path: &str, search: &str, replace: &str) -> String {
    format!("{path}\n```\n<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n```\n")
}

#[test]
fn blocks_for_one_file_apply_in_order() {
    let reply = format!(
        "{}{}",
        block("a.txt", "one\n", "1\n"),
        block("./a.txt", "1\ntwo\n", "1\n2\n")
    );
    let staged = stage(&reply, &files(&[("a.txt", "one\ntwo\n")]), None, &lexical);
    assert_eq!(
        staged.files,
        vec![StagedFile {
            path: "a.txt".to_string(),
            base: Some("one\ntwo\n".to_string()),
            proposed: "1\n2\n".to_string(),
            blocks: vec![0, 1],
        }]
    );
    assert!(staged.refused.is_empty());
}

#[test]
fn a_refused_block_does_not_stop_the_others() {
    let reply = format!(
        "{}{}{}",
        block("a.txt", "missing\n", "x\n"),
        block("../up.txt", "", "x\n"),
        block("new.txt", "", "hello\n")
    );
    let staged = stage(&reply, &files(&[("a.txt", "one\n")]), None, &lexical);
    assert_eq!(staged.files.len(), 1);
    assert_eq!(staged.files[0].path, "new.txt");
    assert_eq!(staged.files[0].base, None);
    let kinds: Vec<_> = staged
        .refused
        .iter()
        .map(|r| (r.block, r.kind.clone()))
        .collect();
    assert_eq!(
        kinds,
        vec![(0, RefusalKind::NoMatch), (1, RefusalKind::Target)]
    );
    assert_eq!(staged.refused[0].search, "missing\n");
    assert_eq!(
        staged.refused[1].message(),
        "../up.txt: refused: the path leads out of the workspace through \"..\""
    );
}

#[test]
fn messages_read_well() {
    let text = "a\nb\nc\nx\ny\nz\na\nb\nc\n";
    let reply = block("f.txt", "a\nb\nc\n", "A\n");
    let staged = stage(&reply, &files(&[("f.txt", text)]), None, &lexical);
    let refusal = &staged.refused[0];
    assert_eq!(
        refusal.message(),
        "f.txt: the SEARCH text matches 2 places (lines 1-3, 7-9); more lines around it would make it one"
    );
    let ask = refusal.for_model();
    assert!(
        ask.starts_with("Your SEARCH/REPLACE block 1 for `f.txt` was not applied"),
        "{ask}"
    );
    assert!(ask.contains("```\na\nb\nc\n```\n"), "{ask}");

    let reply = block("g.rs", "fn add(a: u32) -> u32 {\n    a\n}\n", "x\n");
    let g = "// add\nfn add(a: i32) -> i32 {\n    a\n}\n";
    let staged = stage(&reply, &files(&[("g.rs", g)]), None, &lexical);
    let refusal = &staged.refused[0];
    let message = refusal.message();
    assert!(
        message.starts_with(
            "g.rs: the SEARCH text matches nothing in the file; did you mean lines 2-4 ("
        ),
        "{message}"
    );
    assert!(
        message.ends_with("alike): fn add(a: i32) -> i32 {"),
        "{message}"
    );
    let ask = refusal.for_model();
    assert!(
        ask.contains("The closest place in the file is lines 2-4:\n```\nfn add(a: i32)"),
        "{ask}"
    );
}

#[test]
fn a_block_naming_no_file() {
    let staged = stage(
        "<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n",
        &files(&[]),
        None,
        &lexical,
    );
    assert_eq!(staged.refused[0].kind, RefusalKind::NoPath);
    assert_eq!(
        staged.refused[0].message(),
        "block 1: the block names no file"
    );
}

#[test]
fn a_cut_reply_is_incomplete_and_keeps_what_is_complete() {
    let reply = format!(
        "{}a.txt\n```\n<<<<<<< SEARCH\ntwo\n=====",
        block("a.txt", "one\n", "1\n")
    );
    let staged = stage(&reply, &files(&[("a.txt", "one\ntwo\n")]), None, &lexical);
    assert!(staged.incomplete);
    assert_eq!(staged.files[0].proposed, "1\ntwo\n");
}

#[test]
fn quoting_outgrows_backticks_in_the_text() {
    assert_eq!(quoted("a ``` b"), "````\na ``` b\n````\n");
}

#[test]
fn a_place_that_differs_only_in_nesting_says_so() {
    let reply = block("n.py", "if a:\nif b:\n    go()\n", "x\n");
    let text = "if a:\n    if b:\n        go()\n";
    let staged = stage(&reply, &files(&[("n.py", text)]), None, &lexical);
    assert_eq!(
        staged.refused[0].message(),
        "n.py: the SEARCH text matches nothing in the file; lines 1-3 differ from it only in whitespace: if a:"
    );
}
