//! Unit tests of the reply parser: paths, fences, markers, streaming.

use super::*;

fn paths(reply: &str, default: Option<&str>) -> Vec<Option<String>> {
    parse_reply(reply, default)
        .blocks
        .into_iter()
        .map(|b| b.path)
        .collect()
}

const BODY: &str = "<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n";

#[test]
fn a_plain_block() {
    let reply = format!("Change it:\n\nsrc/a.rs\n```rust\n{BODY}```\nDone.\n");
    let parsed = parse_reply(&reply, None);
    assert_eq!(
        parsed.blocks,
        vec![Block {
            index: 0,
            path: Some("src/a.rs".to_string()),
            search: "a\n".to_string(),
            replace: "b\n".to_string(),
            line: 5,
        }]
    );
    assert!(!parsed.incomplete && parsed.malformed.is_empty());
}

#[test]
fn paths_wherever_models_put_them() {
    for reply in [
        format!("**src/a.rs**\n```rust\n{BODY}```\n"),
        format!("`src/a.rs`\n\n```\n{BODY}```\n"),
        format!("### File: src/a.rs\n~~~rust\n{BODY}~~~\n"),
        format!("```src/a.rs\n{BODY}```\n"),
        format!("```rust:src/a.rs\n{BODY}```\n"),
        format!("```\nsrc/a.rs\n{BODY}```\n"),
        format!("src/a.rs\n{BODY}"),
    ] {
        assert_eq!(
            paths(&reply, None),
            vec![Some("src/a.rs".to_string())],
            "{reply}"
        );
    }
}

#[test]
fn a_block_without_a_path_takes_the_previous_one_else_the_default() {
    let reply = format!("```\n{BODY}```\nsrc/b.rs\n```\n{BODY}```\nAnd:\n```\n{BODY}```\n");
    assert_eq!(
        paths(&reply, Some("src/a.rs")),
        vec![
            Some("src/a.rs".to_string()),
            Some("src/b.rs".to_string()),
            Some("src/b.rs".to_string())
        ]
    );
    assert_eq!(paths(BODY, None), vec![None]);
}

#[test]
fn prose_far_before_a_block_is_no_path() {
    let reply = format!("src/a.rs\nis where the bug is. Here is the fix:\n```rust\n{BODY}```\n");
    assert_eq!(
        paths(&reply, Some("main.rs")),
        vec![Some("main.rs".to_string())]
    );
}

#[test]
fn crlf_and_marker_lengths() {
    let reply = "x.py\r\n<<<<< SEARCH\r\nold\r\n=========\r\nnew\r\n>>>>>>>>> REPLACE\r\n";
    let parsed = parse_reply(reply, None);
    assert_eq!(parsed.blocks.len(), 1);
    assert_eq!(parsed.blocks[0].search, "old\n");
    assert_eq!(parsed.blocks[0].replace, "new\n");
    // Four or ten brackets are something else.
    let parsed = parse_reply("<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n", None);
    assert!(parsed.blocks.is_empty());
}

#[test]
fn several_blocks_in_one_fence() {
    let reply = format!("src/a.rs\n```\n{BODY}{BODY}```\n");
    let parsed = parse_reply(&reply, None);
    assert_eq!(parsed.blocks.len(), 2);
    assert_eq!(parsed.blocks[1].index, 1);
    assert_eq!(parsed.blocks[1].path.as_deref(), Some("src/a.rs"));
}

#[test]
fn an_empty_search_and_an_empty_replace() {
    let parsed = parse_reply(
        "new.txt\n<<<<<<< SEARCH\n=======\nhello\n>>>>>>> REPLACE\n",
        None,
    );
    assert_eq!(parsed.blocks[0].search, "");
    assert_eq!(parsed.blocks[0].replace, "hello\n");
    let parsed = parse_reply("<<<<<<< SEARCH\ngone\n=======\n>>>>>>> REPLACE", None);
    assert_eq!(parsed.blocks[0].replace, "");
}

#[test]
fn blocks_indented_in_a_list_item_lose_that_indentation() {
    let reply = "1. In `a.rs`:\n   ```rust\n   <<<<<<< SEARCH\n   fn a() {\n       x();\n   =======\n   fn a() {}\n   >>>>>>> REPLACE\n   ```\n";
    let parsed = parse_reply(reply, Some("a.rs"));
    assert_eq!(parsed.blocks[0].search, "fn a() {\n    x();\n");
}

#[test]
fn a_missing_divider_or_end_is_malformed() {
    let reply =
        format!("<<<<<<< SEARCH\na\n>>>>>>> REPLACE\n<<<<<<< SEARCH\nc\n=======\nd\n{BODY}");
    let parsed = parse_reply(&reply, Some("f"));
    assert_eq!(parsed.malformed.len(), 2);
    assert_eq!(parsed.malformed[0].index, 0);
    assert!(parsed.malformed[0].reason.contains("\"=======\""));
    assert_eq!(parsed.malformed[1].index, 1);
    assert!(parsed.malformed[1].reason.contains("REPLACE"));
    assert_eq!(parsed.malformed[1].replace, "d\n");
    assert_eq!(parsed.blocks.len(), 1);
    assert_eq!(parsed.blocks[0].index, 2);
}

#[test]
fn a_block_still_arriving_is_incomplete() {
    let parsed = parse_reply("a.rs\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPL", None);
    assert!(parsed.blocks.is_empty());
    assert!(parsed.incomplete);
}

#[test]
fn the_streaming_parser_returns_each_block_once() {
    let reply = format!("a.rs\n```\n{BODY}```\nb.rs\n```\n{BODY}```\n");
    let mut parser = ReplyParser::new(None);
    let mut got = Vec::new();
    for c in reply.chars() {
        got.extend(parser.push(&c.to_string()));
    }
    let whole = parser.finish();
    assert_eq!(got, whole.blocks);
    assert_eq!(got.len(), 2);
    assert_eq!(whole, parse_reply(&reply, None));
}
