//! Alt-A in the chat pane, through the same entry point as the real loop against a scripted
//! model server: a code block of an answer becomes reviews of the files it changes — every
//! file a SEARCH/REPLACE answer names, or the region of the current file a plain block
//! rewrites — decided with the review keys; blocks that cannot be placed are refused with why
//! and go back to the model with `r`; nothing reaches the disk until saved.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/llm_server.rs"]
mod llm_server;

use std::time::Duration;

use caret::ai::transcript::Outcome;
use common::Harness;
use llm_server::{Reply, Server, openai_stream};

const AREA: &str = "fn area(w: u32, h: u32) -> u32 {
    let a = w * h;
    a
}

fn perimeter(w: u32, h: u32) -> u32 {
    let p = 2 * (w + h);
    p
}

fn half(x: u32) -> u32 {
    let p = 2 * (w + h);
    x / 2
}
";

const UTIL: &str = "pub fn double(x: u32) -> u32 {
    x * 2
}
";

fn harness(server: &Server) -> Harness {
    let mut h = Harness::with_config(100, 30, common::scripted_ai_config(server.base_url()));
    h.app.chat.probe_candidates.clear();
    h.file("src/area.rs", AREA.as_bytes());
    h.file("src/util.rs", UTIL.as_bytes());
    h.open("src/area.rs");
    h
}

fn answer(text: &str) -> Reply {
    Reply::sse(&openai_stream(&[text]))
}

/// Asks in the chat pane (Ctrl-L focuses it) and waits for the answer to end.
fn ask(h: &mut Harness, question: &str) {
    let asked = h.app.chat.exchanges.len();
    if !h.app.chat.focused {
        h.key("ctrl-l");
    }
    assert!(h.app.chat.focused);
    h.type_str(question);
    h.key("enter");
    wait_answer(h, asked);
}

fn wait_answer(h: &mut Harness, asked: usize) {
    h.wait_until("the answer", |app| {
        !app.chat.is_running()
            && app.chat.pending.is_none()
            && app.chat.exchanges.len() > asked
            && app
                .chat
                .exchanges
                .iter()
                .all(|e| e.data.outcome != Outcome::Running)
    });
}

fn buffer<'a>(h: &'a Harness, name: &str) -> Option<&'a caret::buffer::Buffer> {
    let path = h.dir.path().join(name);
    h.app
        .buffers
        .iter()
        .find(|b| b.doc.path.as_deref() == Some(path.as_path()))
}

fn text_of(h: &Harness, name: &str) -> String {
    buffer(h, name).unwrap().doc.text().to_string()
}

fn message(h: &Harness) -> String {
    h.message().unwrap_or_default()
}

const TWO_FILES: &str = "Rename in both files:

src/area.rs
```rust
<<<<<<< SEARCH
    let a = w * h;
    a
=======
    let area = w * h;
    area
>>>>>>> REPLACE
```

src/util.rs
```rust
<<<<<<< SEARCH
    x * 2
=======
    x + x
>>>>>>> REPLACE
```
";

#[test]
fn a_search_replace_answer_becomes_a_review_in_every_file_it_names() {
    let server = Server::start(vec![answer(TWO_FILES)]);
    let mut h = harness(&server);
    ask(&mut h, "rename a and double differently");
    h.key("alt-a");
    let m = message(&h);
    assert_eq!(
        m,
        "2 changes in 2 files to review: y accept · n reject · a all · d the rest · j/k move · \
         q leave · Alt-Left/Right to the other files"
    );
    // Both files have a review; nothing changed yet, nothing written.
    assert!(buffer(&h, "src/area.rs").unwrap().review.is_some());
    assert!(buffer(&h, "src/util.rs").unwrap().review.is_some());
    assert_eq!(text_of(&h, "src/area.rs"), AREA);
    assert_eq!(text_of(&h, "src/util.rs"), UTIL);
    // The keys are the review's now, in the file the user was in.
    assert!(!h.app.chat.focused);
    assert_eq!(
        h.app.doc().path.as_deref(),
        Some(h.dir.path().join("src/area.rs").as_path())
    );
    h.key("y");
    assert_eq!(
        text_of(&h, "src/area.rs"),
        AREA.replace(
            "    let a = w * h;\n    a\n",
            "    let area = w * h;\n    area\n"
        )
    );
    assert!(buffer(&h, "src/area.rs").unwrap().review.is_none());
    h.key("alt-right");
    assert_eq!(
        h.app.doc().path.as_deref(),
        Some(h.dir.path().join("src/util.rs").as_path())
    );
    h.key("a");
    let doubled = UTIL.replace("x * 2", "x + x");
    assert_eq!(text_of(&h, "src/util.rs"), doubled);
    assert_eq!(
        h.disk("src/util.rs"),
        UTIL.as_bytes(),
        "not written until saved"
    );
    assert_eq!(h.disk("src/area.rs"), AREA.as_bytes());
    h.key("ctrl-s");
    assert_eq!(h.disk("src/util.rs"), doubled.as_bytes());
}

const SOME_REFUSED: &str = "src/area.rs
```rust
<<<<<<< SEARCH
    let p = 2 * (w + h);
=======
    let p = (w + h) * 2;
>>>>>>> REPLACE
```

src/area.rs
```rust
<<<<<<< SEARCH
fn half(x: u32) -> u32 {
    let q = 2 * (w + h);
    x / 2
}
=======
fn half(x: u32) -> u32 {
    x / 2
}
>>>>>>> REPLACE
```

src/area.rs
```rust
<<<<<<< SEARCH
    x / 2
=======
    x >> 1
>>>>>>> REPLACE
```
";

#[test]
fn blocks_that_cannot_be_placed_are_refused_with_why_and_r_sends_them_back() {
    // The second answer waits a little, so what `r` says is still there to read.
    let later = openai_stream(&["Sorry, here they are."]);
    let server = Server::start(vec![
        answer(SOME_REFUSED),
        Reply::sse("").drip(Duration::from_millis(300), &[&later]),
    ]);
    let mut h = harness(&server);
    ask(&mut h, "tidy this");
    h.key("alt-a");
    let m = message(&h);
    assert!(
        m.starts_with("1 change in 1 file to review · 2 blocks refused: "),
        "{m}"
    );
    assert!(
        m.contains("src/area.rs: the SEARCH text matches 2 places (lines 7, 12)"),
        "{m}"
    );
    assert!(
        m.contains(
            "src/area.rs: the SEARCH text matches nothing in the file; did you mean lines 11-14"
        ),
        "{m}"
    );
    assert!(m.ends_with("— r sends them back to the model"), "{m}");
    // The good block is reviewable, and only it.
    let review = h.app.buf().review.as_ref().unwrap();
    assert_eq!(review.proposal.hunks().len(), 1);
    assert_eq!(review.refused.len(), 2);
    let for_model: Vec<String> = review
        .refused
        .iter()
        .map(caret::ai::edit::Refusal::for_model)
        .collect();
    assert!(
        for_model[0].contains("matches 2 places"),
        "{}",
        for_model[0]
    );
    // The refused blocks stay whole in the chat, to apply by hand.
    assert_eq!(h.app.chat.last_refused.len(), 2);
    assert!(h.app.chat.exchanges[0].data.answer.contains("let q = 2"));

    // `v` lists them under the open change, whole, to apply by hand.
    h.key("v");
    let view = h.text();
    assert!(view.contains("+    x >> 1\n"), "{view}");
    assert!(
        view.contains("# 2 blocks were not applied (r sends them back to the model):"),
        "{view}"
    );
    assert!(
        view.contains("# src/area.rs: the SEARCH text matches 2 places"),
        "{view}"
    );
    assert!(view.contains("let q = 2"), "{view}");
    assert!(view.contains("<<<<<<< SEARCH\n"), "{view}");
    h.key("alt-left");
    assert_eq!(h.app.buf().display_name(), "area.rs");

    let asked = h.app.chat.exchanges.len();
    h.key("r");
    assert!(
        message(&h).starts_with("sent the 2 blocks that did not apply back to the model"),
        "{:?}",
        h.message()
    );
    assert!(h.app.buf().review.as_ref().unwrap().refused.is_empty());
    assert!(h.app.chat.last_refused.is_empty());
    wait_answer(&mut h, asked);
    let json = server.requests()[1].json();
    let messages = json["messages"].as_array().unwrap();
    let user = messages.last().unwrap()["content"].as_str().unwrap();
    for text in &for_model {
        assert!(
            user.contains(text.as_str()),
            "{user}\n--- lacks ---\n{text}"
        );
    }
    assert!(
        user.contains("Reply with corrected SEARCH/REPLACE blocks"),
        "{user}"
    );
    // The conversation goes along, so the model sees what it answered.
    assert!(messages.iter().any(|m| {
        m["content"]
            .as_str()
            .is_some_and(|c| c.contains("let q = 2"))
    }));
    // The good block is still there to accept.
    h.key("a");
    assert_eq!(text_of(&h, "src/area.rs"), AREA.replace("x / 2", "x >> 1"));
}

#[test]
fn a_plain_block_rewrites_the_function_it_starts_and_one_found_nowhere_is_refused() {
    // The first block rewrites `area` and ends differently from it (a shorter function with
    // a comment after its brace): only the function's own end tells where it stops. The
    // second block's first line is nowhere in the file.
    let server = Server::start(vec![answer(
        "Shorter:\n\n```rust\nfn area(w: u32, h: u32) -> u32 {\n    w * h\n} // the rectangle\n```\n\n\
         And a new one:\n\n```rust\nfn volume(w: u32, h: u32, d: u32) -> u32 {\n    w * h * d\n}\n```\n",
    )]);
    let mut h = harness(&server);
    ask(&mut h, "simplify area");
    h.key("alt-a");
    let m = message(&h);
    assert_eq!(
        m,
        "could not place the block: its first line `fn volume(w: u32, h: u32, d: u32) -> u32 {` \
         is not in src/area.rs — select the lines it replaces and apply again"
    );
    assert!(h.app.buf().review.is_none());
    assert!(
        h.app.chat.focused,
        "nothing to review: the pane keeps the keys"
    );
    // Ctrl-C walks back to the first block, and Alt-A applies that one.
    h.key("ctrl-c");
    h.key("ctrl-c");
    assert!(
        message(&h).starts_with("copied code block 1 of 2"),
        "{:?}",
        h.message()
    );
    h.key("alt-a");
    assert!(
        message(&h).contains("over lines 1-4 of src/area.rs"),
        "{:?}",
        h.message()
    );
    assert!(h.app.buf().review.is_some());
    h.key("a");
    assert_eq!(
        h.text(),
        AREA.replace(
            "fn area(w: u32, h: u32) -> u32 {\n    let a = w * h;\n    a\n}\n",
            "fn area(w: u32, h: u32) -> u32 {\n    w * h\n} // the rectangle\n"
        )
    );
    assert_eq!(h.disk("src/area.rs"), AREA.as_bytes());
}

#[test]
fn a_plain_block_whose_first_line_is_in_the_file_twice_needs_a_selection() {
    let block = "    let p = 2 * (w + h);\n    p + 0\n";
    let server = Server::start(vec![answer(&format!("```rust\n{block}```\n"))]);
    let mut h = harness(&server);
    ask(&mut h, "change p");
    h.key("alt-a");
    let m = message(&h);
    assert!(
        m.ends_with(
            "is in src/area.rs 2 times (lines 7, 12) — select the lines it replaces and apply again"
        ),
        "{m}"
    );
    // Selecting lines 7-8 and applying again places it there.
    h.key("esc");
    assert!(!h.app.chat.focused);
    h.key("ctrl-g");
    h.type_str("7:1\n");
    h.keys(&["shift-down", "shift-down"]);
    h.key("alt-a");
    h.key("a");
    assert_eq!(
        h.text(),
        AREA.replacen("    let p = 2 * (w + h);\n    p\n", block, 1)
    );
}

#[test]
fn blocks_for_files_outside_the_workspace_or_secret_are_refused_and_nothing_changes() {
    let server = Server::start(vec![answer(
        "../outside.rs\n```rust\n<<<<<<< SEARCH\n=======\nfn outside() {}\n>>>>>>> REPLACE\n```\n\n\
         .env\n```\n<<<<<<< SEARCH\nKEY=1\n=======\nKEY=2\n>>>>>>> REPLACE\n```\n",
    )]);
    let mut h = harness(&server);
    h.file(".env", b"KEY=1\n");
    ask(&mut h, "configure it");
    let buffers = h.app.buffers.len();
    h.key("alt-a");
    let m = message(&h);
    assert!(
        m.starts_with("nothing to review · 2 blocks refused: "),
        "{m}"
    );
    assert!(
        m.contains("../outside.rs: refused: the path leads out of the workspace through \"..\""),
        "{m}"
    );
    assert!(
        m.contains(".env: refused: caret keeps this file from models"),
        "{m}"
    );
    assert!(m.contains("ai_send_refused"), "{m}");
    assert_eq!(h.app.buffers.len(), buffers, "no file was opened");
    assert!(h.app.buffers.iter().all(|b| b.review.is_none()));
    assert_eq!(h.text(), AREA);
    assert_eq!(h.disk(".env"), b"KEY=1\n");
    assert!(!h.dir.path().join("../outside.rs").exists());
    assert_eq!(h.app.chat.last_refused.len(), 2);
}

#[test]
fn a_block_that_empties_a_file_is_not_staged() {
    let server = Server::start(vec![answer(&format!(
        "src/util.rs\n```rust\n<<<<<<< SEARCH\n{UTIL}=======\n>>>>>>> REPLACE\n```\n\n\
         src/area.rs\n```rust\n<<<<<<< SEARCH\n    x / 2\n=======\n    x >> 1\n>>>>>>> REPLACE\n```\n"
    ))]);
    let mut h = harness(&server);
    ask(&mut h, "remove double");
    h.key("alt-a");
    let m = message(&h);
    assert_eq!(
        m,
        "1 change in 1 file to review · the reply empties src/util.rs; delete it by hand if \
         that is what you want"
    );
    assert!(buffer(&h, "src/util.rs").is_none_or(|b| b.review.is_none()));
    assert!(h.app.buf().review.is_some());
    assert_eq!(h.disk("src/util.rs"), UTIL.as_bytes());
}

#[test]
fn a_file_with_a_review_is_not_overwritten_and_the_palette_runs_apply_too() {
    let server = Server::start(vec![answer(TWO_FILES)]);
    let mut h = harness(&server);
    ask(&mut h, "rename");
    h.key("alt-a");
    h.key("q");
    // Applying the same answer again: both files are under review already.
    h.key("ctrl-\\");
    h.type_str("ai_apply");
    h.key("enter");
    let m = message(&h);
    assert!(
        m.starts_with("nothing to review · src/area.rs already has a review"),
        "{m}"
    );
    assert!(m.contains("src/util.rs already has a review"), "{m}");
    assert_eq!(text_of(&h, "src/area.rs"), AREA);
}

#[test]
fn a_file_the_answer_creates_opens_as_a_new_buffer_under_review() {
    let server = Server::start(vec![answer(
        "src/shapes/square.rs\n```rust\n<<<<<<< SEARCH\n=======\npub fn square(x: u32) -> u32 {\n    x * x\n}\n>>>>>>> REPLACE\n```\n",
    )]);
    let mut h = harness(&server);
    ask(&mut h, "add square");
    h.key("alt-a");
    assert!(
        message(&h).starts_with("1 change in 1 file to review"),
        "{:?}",
        h.message()
    );
    assert_eq!(
        h.app.doc().path.as_deref(),
        Some(h.dir.path().join("src/shapes/square.rs").as_path())
    );
    assert_eq!(h.text(), "");
    h.key("a");
    assert_eq!(h.text(), "pub fn square(x: u32) -> u32 {\n    x * x\n}\n");
    assert!(!h.dir.path().join("src/shapes/square.rs").exists());
}
