//! Diagnostics and Ctrl-T in the editor, through the same entry point as the real loop: a
//! check command's report shows in the gutter and the status line (and goes away once the
//! buffer is edited), F8 walks it, Ctrl-T asks for a fix that is reviewed like any proposal,
//! and accepting it re-runs the check — on the text on screen, unsaved — which says "fixed"
//! or "still failing", with Ctrl-T again sending the new errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/llm_server.rs"]
mod llm_server;

use caret::action::Action;
use common::Harness;
use llm_server::{Reply, Server, openai_stream};

const LIB: &str = "pub fn add(a: i32, b: i32) -> i32 {\n    a - b\n}\n";

/// Fails (with a compiler-like line) until `add` adds, then until `a + b` is commented.
const CHECK: &str = "grep -q 'a + b' src/lib.rs || { echo 'src/lib.rs:2:5: error: wrong sign'; exit 1; }\n\
grep -q '// sum' src/lib.rs || { echo 'src/lib.rs:2:5: warning: say what it is'; echo 'src/lib.rs:1:1: error: undocumented'; exit 1; }\n";

fn fix_reply(search: &str, replace: &str) -> Reply {
    Reply::sse(&openai_stream(&[&format!(
        "Fixed:\n\nsrc/lib.rs\n```rust\n<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n```\n"
    )]))
}

fn harness(server: &Server) -> Harness {
    let mut config = common::scripted_ai_config(server.base_url());
    config
        .check
        .commands
        .insert("rust".into(), "sh check.sh".into());
    let mut h = Harness::with_config(80, 20, config);
    h.app.chat.probe_candidates.clear();
    h.file("check.sh", CHECK.as_bytes());
    h.file("src/lib.rs", LIB.as_bytes());
    h.open("src/lib.rs");
    h
}

fn wait_check(h: &mut Harness) {
    h.wait_until("the check", |app| app.checks.running.is_none());
}

#[test]
fn a_check_shows_in_the_gutter_and_status_line_until_the_buffer_changes() {
    let server = Server::start(vec![]);
    let mut h = harness(&server);
    h.app.run_action(Action::Check);
    assert!(h.screen().contains("checking…"));
    wait_check(&mut h);
    let message = h.message().unwrap();
    assert_eq!(
        message,
        "`sh check.sh` fails: src/lib.rs:2:5: error: wrong sign — Ctrl-T fixes"
    );
    let screen = h.screen();
    let row = screen.lines().nth(2).unwrap();
    assert!(row.starts_with("  2●"), "{screen}");
    assert!(screen.contains("✖ 1"), "{screen}");
    // F8 goes to it and says what it is.
    h.key("f8");
    assert_eq!(h.app.doc().cursor(), LIB.find("a - b").unwrap());
    assert_eq!(h.message().unwrap(), "error: wrong sign — Ctrl-T fixes");
    // With no message shown, the line's diagnostic and the fix key are offered below.
    h.key("right");
    assert!(h.message().is_none());
    let screen = h.screen();
    assert_eq!(
        screen.lines().last().unwrap(),
        "error: wrong sign — Ctrl-T fixes",
        "{screen}"
    );
    h.key("ctrl-home");
    assert!(!h.screen().contains("Ctrl-T fixes"));
    // Editing the buffer makes the report stale: it is no longer shown.
    h.key("end");
    h.type_str(" ");
    let screen = h.screen();
    let row = screen.lines().nth(2).unwrap();
    assert!(row.starts_with("  2     a - b"), "{screen}");
    assert!(!screen.contains("✖"), "{screen}");
}

#[test]
fn ctrl_t_fixes_the_error_at_the_cursor_and_the_check_verifies_it() {
    let server = Server::start(vec![
        fix_reply("    a - b\n", "    a + b\n"),
        fix_reply(
            "pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n",
            "/// Adds.\npub fn add(a: i32, b: i32) -> i32 {\n    a + b // sum\n",
        ),
    ]);
    let mut h = harness(&server);
    // Nothing checked yet: Ctrl-T checks first, then asks.
    h.key("down");
    h.key("ctrl-t");
    h.wait_until("the fix's review", |app| app.buf().review.is_some());
    let json = server.requests()[0].json();
    let messages = json["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert!(
        messages[0]["content"]
            .as_str()
            .unwrap()
            .contains("<<<<<<< SEARCH")
    );
    let user = messages[1]["content"].as_str().unwrap();
    assert!(
        user.starts_with(
            "`sh check.sh` fails with these problems:\n\nsrc/lib.rs:2:5: error: wrong sign"
        ),
        "{user}"
    );
    assert!(user.contains("    a - b\n"), "{user}");
    assert!(!h.app.chat.open, "a fix shows in the text, not the pane");
    // Reviewed like any proposal; accepting it re-runs the check on the unsaved text.
    h.key("y");
    assert_eq!(h.text(), LIB.replace("a - b", "a + b"));
    wait_check(&mut h);
    let message = h.message().unwrap();
    assert!(
        message
            .starts_with("still failing: src/lib.rs:1:1: error: undocumented — Ctrl-T tries again"),
        "{message}"
    );
    assert_eq!(h.disk("src/lib.rs"), LIB.as_bytes(), "nothing was written");
    // Ctrl-T again sends the new problems: those of the cursor's line, else all the file's.
    h.key("ctrl-end");
    h.key("ctrl-t");
    h.wait_until("the second review", |app| app.buf().review.is_some());
    let json = server.requests()[1].json();
    let user = json["messages"][1]["content"].as_str().unwrap();
    assert!(
        user.contains("src/lib.rs:1:1: error: undocumented"),
        "{user}"
    );
    assert!(
        user.contains("src/lib.rs:2:5: warning: say what it is"),
        "{user}"
    );
    h.key("a");
    wait_check(&mut h);
    assert_eq!(h.message().unwrap(), "fixed: `sh check.sh` passes");
    h.key("ctrl-s");
    assert_eq!(
        String::from_utf8(h.disk("src/lib.rs")).unwrap(),
        "/// Adds.\npub fn add(a: i32, b: i32) -> i32 {\n    a + b // sum\n}\n"
    );
}

#[test]
fn rejecting_the_fix_runs_no_check_and_a_passing_check_has_nothing_to_fix() {
    let server = Server::start(vec![fix_reply("    a - b\n", "    a + b\n")]);
    let mut h = harness(&server);
    h.app.run_action(Action::Check);
    wait_check(&mut h);
    h.key("ctrl-t");
    h.wait_until("the fix's review", |app| app.buf().review.is_some());
    h.key("n");
    assert!(h.app.checks.running.is_none(), "nothing accepted: no check");
    assert_eq!(h.text(), LIB);
    // A passing file: nothing to ask.
    h.file("check.sh", b"exit 0\n");
    h.app.run_action(Action::Check);
    wait_check(&mut h);
    assert_eq!(h.message().unwrap(), "`sh check.sh` passes");
    h.key("ctrl-t");
    assert_eq!(h.message().unwrap(), "nothing to fix: `sh check.sh` passes");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_fix_request_carries_the_definitions_the_problem_lines_use() {
    let server = Server::start(vec![fix_reply("    a - b\n", "    a + b\n")]);
    let mut h = harness(&server);
    h.file(
        "src/units.rs",
        b"/// A length in metres.\npub struct Metres(pub i32);\n",
    );
    h.file(
        "src/lib.rs",
        b"mod units;\npub fn add(a: i32, b: i32) -> units::Metres {\n    units::Metres(a - b)\n}\n",
    );
    h.file(
        "check.sh",
        b"grep -q 'a + b' src/lib.rs || { echo 'src/lib.rs:3:5: error: wrong sign'; exit 1; }\n",
    );
    h.fs_changed("src/lib.rs");
    assert!(h.text().contains("Metres"));
    h.app.start_indexing();
    h.wait_until("the index", |app| app.engine.is_some());
    h.app.run_action(Action::Check);
    wait_check(&mut h);
    h.key("ctrl-end");
    h.key("up");
    h.key("up");
    h.key("ctrl-t");
    h.wait_until("the request", |app| {
        app.chat.fix_request.is_none() && !app.chat.exchanges.is_empty()
    });
    let json = server.requests()[0].json();
    let user = json["messages"][1]["content"].as_str().unwrap();
    assert!(user.contains("src/lib.rs:3:5: error: wrong sign"), "{user}");
    assert!(user.contains("pub struct Metres(pub i32);"), "{user}");
}

#[test]
fn a_fix_answer_without_a_block_says_where_the_answer_is() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&[
        "You should change the minus into a plus.",
    ]))]);
    let mut h = harness(&server);
    h.app.run_action(Action::Check);
    wait_check(&mut h);
    h.key("ctrl-t");
    h.wait_until("the answer", |app| {
        app.chat.fix_request.is_none() && !app.chat.exchanges.is_empty() && !app.chat.is_running()
    });
    assert!(h.app.buf().review.is_none());
    assert_eq!(
        h.message().unwrap(),
        "the answer holds no SEARCH/REPLACE block to apply — it is in the chat pane (Ctrl-L); \
         Ctrl-T asks again"
    );
    assert_eq!(h.text(), LIB);
}
