//! Ctrl-K, the inline edit, through the same entry point as the real loop against a scripted
//! model server: the request carries the region and the instruction, the reply streams into
//! a proposal drawn over the text, and `y n a d j k q` decide it hunk by hunk — accepted
//! hunks are one undo step each, rejected ones leave no trace, and typing elsewhere while the
//! reply streams moves the hunks with the text.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/llm_server.rs"]
mod llm_server;

use std::time::Duration;

use caret::app::Overlay;
use caret::diff::Decision;
use common::Harness;
use llm_server::{Reply, Server, openai_stream};

const FILE: &str = "fn area(w: u32, h: u32) -> u32 {
    let a = w * h;
    // keep
    // these
    // lines
    // apart
    // so
    // that
    // the
    // changes
    // are
    // two
    // hunks
    a
}
";

/// The region (lines 1-15) as the model rewrites it: line 2 and line 14 changed.
const NEW_REGION: &str = "fn area(w: u32, h: u32) -> u32 {
    let area = w * h;
    // keep
    // these
    // lines
    // apart
    // so
    // that
    // the
    // changes
    // are
    // two
    // hunks
    area
}
";

fn reply(region: &str) -> String {
    format!("Here is the function with a better name:\n\n```rust\n{region}```\n")
}

fn harness(server: &Server) -> Harness {
    let mut h = Harness::with_config(100, 30, common::scripted_ai_config(server.base_url()));
    h.app.chat.probe_candidates.clear();
    h.file("src/area.rs", FILE.as_bytes());
    h.open("src/area.rs");
    h
}

/// Selects every line of the file and asks for `instruction`.
/// Returns how many exchanges there were before, for [`wait_final`].
fn ask_for_whole_file(h: &mut Harness, instruction: &str) -> usize {
    let asked = h.app.chat.exchanges.len();
    h.key("ctrl-a");
    h.key("ctrl-k");
    assert!(
        matches!(&h.app.overlay, Overlay::Prompt(p) if p.label() == "Edit lines 1-15: "),
        "{:?}",
        h.app.overlay
    );
    h.type_str(instruction);
    h.key("enter");
    asked
}

/// Waits for the reply of the latest request to end.
fn wait_final(h: &mut Harness, asked: usize) {
    h.wait_until("the proposal to be final", |app| {
        !app.chat.is_running()
            && app.chat.pending.is_none()
            && app.chat.exchanges.len() > asked
            && app
                .chat
                .exchanges
                .iter()
                .all(|e| e.data.outcome != caret::ai::transcript::Outcome::Running)
    });
}

fn decisions(h: &Harness) -> Vec<Decision> {
    h.app
        .buf()
        .review
        .as_ref()
        .unwrap()
        .proposal
        .decisions()
        .to_vec()
}

#[test]
fn the_request_carries_the_region_and_the_instruction_and_no_conversation() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&[&reply(NEW_REGION)]))]);
    let mut h = harness(&server);
    let asked = ask_for_whole_file(&mut h, "rename a to area");
    wait_final(&mut h, asked);
    let json = server.requests()[0].json();
    let messages = json["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert_eq!(messages[0]["role"], "system");
    let user = messages[1]["content"].as_str().unwrap();
    assert!(
        user.starts_with("Change lines 1-15 of `src/area.rs`"),
        "{user}"
    );
    assert!(user.contains("rename a to area"), "{user}");
    assert!(user.contains("    let a = w * h;"), "{user}");
    // The proposal is drawn over the text; the text itself is untouched until accepted.
    assert_eq!(h.text(), FILE);
    assert!(!h.app.doc().is_dirty());
    assert_eq!(decisions(&h), [Decision::Pending, Decision::Pending]);
    assert!(h.app.buf().review.as_ref().unwrap().active);
    let message = h.message().unwrap();
    assert!(
        message.starts_with("2 changes proposed: y accept"),
        "{message}"
    );
}

#[test]
fn y_and_n_keep_exactly_what_was_chosen_and_each_accept_is_one_undo_step() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&[&reply(NEW_REGION)]))]);
    let mut h = harness(&server);
    let asked = ask_for_whole_file(&mut h, "rename a to area");
    wait_final(&mut h, asked);
    h.key("y");
    let first_only = FILE.replace("let a =", "let area =");
    assert_eq!(h.text(), first_only);
    assert_eq!(decisions(&h), [Decision::Accepted, Decision::Pending]);
    // Typing keys are the review's: nothing is typed into the text.
    h.key("x");
    assert_eq!(h.text(), first_only);
    h.key("n");
    assert!(
        h.app.buf().review.is_none(),
        "the review ends once all is decided"
    );
    assert_eq!(h.text(), first_only);
    assert!(
        h.message()
            .unwrap()
            .starts_with("review done: 1 accepted, 1 rejected")
    );
    // One undo step takes the accepted hunk back, exactly.
    h.key("ctrl-z");
    assert_eq!(h.text(), FILE);
    h.key("ctrl-y");
    h.key("ctrl-s");
    assert_eq!(h.disk("src/area.rs"), first_only.as_bytes());
}

#[test]
fn a_accepts_every_hunk_as_one_step_and_d_rejects_the_rest() {
    let server = Server::start(vec![
        Reply::sse(&openai_stream(&[&reply(NEW_REGION)])),
        Reply::sse(&openai_stream(&[&reply(NEW_REGION)])),
    ]);
    let mut h = harness(&server);
    let asked = ask_for_whole_file(&mut h, "rename a to area");
    wait_final(&mut h, asked);
    h.key("a");
    let all = FILE
        .replace("let a =", "let area =")
        .replace("    a\n}", "    area\n}");
    assert_eq!(h.text(), all);
    assert!(h.app.buf().review.is_none());
    h.key("ctrl-z");
    assert_eq!(h.text(), FILE, "accept-all is one undo step");

    let asked = ask_for_whole_file(&mut h, "rename a to area");
    wait_final(&mut h, asked);
    h.key("j");
    h.key("k");
    h.key("d");
    assert!(h.app.buf().review.is_none());
    assert_eq!(h.text(), FILE, "a rejected proposal leaves no trace");
    assert!(!h.app.doc().is_dirty());
}

#[test]
fn q_leaves_the_review_and_ctrl_k_comes_back_to_it() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&[&reply(NEW_REGION)]))]);
    let mut h = harness(&server);
    let asked = ask_for_whole_file(&mut h, "rename a to area");
    wait_final(&mut h, asked);
    h.key("q");
    assert!(!h.app.buf().review.as_ref().unwrap().active);
    assert_eq!(
        h.message().unwrap(),
        "2 changes left to review — Ctrl-K comes back to them"
    );
    // The keys type again; the proposal stays, moved with the text.
    h.key("ctrl-home");
    h.type_str("// area\n");
    assert_eq!(decisions(&h), [Decision::Pending, Decision::Pending]);
    h.key("ctrl-k");
    assert!(h.app.buf().review.as_ref().unwrap().active);
    h.key("a");
    assert_eq!(
        h.text(),
        format!(
            "// area\n{}",
            FILE.replace("let a =", "let area =")
                .replace("    a\n}", "    area\n}")
        )
    );
}

#[test]
fn a_hunk_whose_lines_were_changed_meanwhile_is_stale_and_never_forced() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&[&reply(NEW_REGION)]))]);
    let mut h = harness(&server);
    let asked = ask_for_whole_file(&mut h, "rename a to area");
    wait_final(&mut h, asked);
    h.key("q");
    // The user rewrites the line the first hunk changes.
    h.key("ctrl-home");
    h.key("down");
    h.key("end");
    h.type_str(" // mine");
    h.key("ctrl-k");
    h.app.prepare_frame();
    assert_eq!(decisions(&h), [Decision::Stale, Decision::Pending]);
    h.key("y");
    assert!(
        h.message().unwrap().contains("no longer applies"),
        "{:?}",
        h.message()
    );
    assert!(h.text().contains("let a = w * h; // mine"));
    // The other hunk still applies.
    h.key("j");
    h.key("y");
    assert!(h.text().contains("    area\n}"));
    assert!(h.text().contains("let a = w * h; // mine"));
}

#[test]
fn typing_elsewhere_while_the_reply_streams_moves_the_hunks_with_the_text() {
    let body = openai_stream(&[&reply(NEW_REGION)]);
    // The reply arrives over ~1.5 s, a few lines at a time.
    let pieces: Vec<String> = body
        .as_bytes()
        .chunks(body.len() / 6 + 1)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
    let server = Server::start(vec![
        Reply::sse("").drip(Duration::from_millis(250), &pieces),
    ]);
    let mut h = harness(&server);
    let asked = ask_for_whole_file(&mut h, "rename a to area");
    h.wait_until("the reply to start", |app| {
        app.buf().review.as_ref().is_some_and(|r| r.is_streaming())
    });
    h.key("q");
    h.key("ctrl-end");
    h.type_str("// typed while the reply streams\n");
    h.key("ctrl-home");
    h.type_str("use std::fmt;\n");
    wait_final(&mut h, asked);
    h.key("ctrl-k");
    h.key("a");
    let expected = format!(
        "use std::fmt;\n{}// typed while the reply streams\n",
        FILE.replace("let a =", "let area =")
            .replace("    a\n}", "    area\n}")
    );
    assert_eq!(h.text(), expected);
    h.key("ctrl-s");
    assert_eq!(h.disk("src/area.rs"), expected.as_bytes());
}

#[test]
fn without_a_selection_ctrl_k_takes_the_item_at_the_cursor() {
    let server = Server::start(vec![]);
    let mut h = harness(&server);
    h.key("down");
    h.key("ctrl-k");
    assert!(
        matches!(&h.app.overlay, Overlay::Prompt(p) if p.label() == "Edit lines 1-15: "),
        "{:?}",
        h.app.overlay
    );
    // Esc puts the cursor back where it was and sends nothing.
    h.key("esc");
    assert!(h.app.doc().selection().is_empty());
    assert_eq!(h.app.doc().cursor(), FILE.find("    let").unwrap());
    assert!(server.requests().is_empty());
}

#[test]
fn a_region_holding_a_secret_is_refused_before_anything_is_sent() {
    let server = Server::start(vec![]);
    let mut h = harness(&server);
    h.file(
        "src/keys.rs",
        b"const A: u32 = 1;\nconst KEY: &str = \"sk-proj-4fGh7Jk9LmNp2QrSt5UvWx8Yz1Ab3Cd6Ef\";\n",
    );
    h.open("src/keys.rs");
    h.key("ctrl-a");
    h.key("ctrl-k");
    h.type_str("use an env var");
    h.key("enter");
    let message = h.message().unwrap();
    assert!(message.contains("hold a likely secret"), "{message}");
    assert!(h.app.buf().review.is_none());
    std::thread::sleep(Duration::from_millis(100));
    assert!(server.requests().is_empty());
}

#[test]
fn a_reply_without_a_code_block_says_so_and_changes_nothing() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&[
        "I would rather not change this function.",
    ]))]);
    let mut h = harness(&server);
    let asked = ask_for_whole_file(&mut h, "rename a to area");
    wait_final(&mut h, asked);
    assert!(h.app.buf().review.is_none());
    let message = h.message().unwrap();
    assert!(
        message.starts_with("the reply holds no code block"),
        "{message}"
    );
    assert_eq!(h.text(), FILE);
}

#[test]
fn e_edits_a_hunks_new_lines_before_accepting_them() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&[&reply(NEW_REGION)]))]);
    let mut h = harness(&server);
    let asked = ask_for_whole_file(&mut h, "rename a to area");
    wait_final(&mut h, asked);
    h.key("e");
    assert_eq!(h.app.buf().display_name(), "change 1 of area.rs");
    assert_eq!(h.text(), "    let area = w * h;\n");
    h.key("end");
    h.type_str(" // checked");
    h.key("ctrl-s");
    assert_eq!(h.app.buf().display_name(), "area.rs");
    assert_eq!(h.app.buffers.len(), 1, "the change's buffer is gone");
    assert!(h.message().unwrap().starts_with("change 1 edited"));
    h.key("y");
    assert!(h.text().contains("    let area = w * h; // checked\n"));
    // Ctrl-W on the change's buffer drops the edit and leaves the hunk as proposed.
    h.key("e");
    h.type_str("junk");
    h.key("ctrl-w");
    assert_eq!(h.app.buffers.len(), 1);
    assert!(
        h.message()
            .unwrap()
            .starts_with("change 2 left as proposed")
    );
    h.key("y");
    assert_eq!(
        h.text(),
        FILE.replace("let a = w * h;", "let area = w * h; // checked")
            .replace("    a\n}", "    area\n}")
    );
    assert!(!h.disk("src/area.rs").ends_with(b"junk"));
}

#[test]
fn a_file_changed_on_disk_during_review_raises_the_banner_and_reloading_re_anchors() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&[&reply(NEW_REGION)]))]);
    let mut h = harness(&server);
    let asked = ask_for_whole_file(&mut h, "rename a to area");
    wait_final(&mut h, asked);
    // Another program rewrites the line of the second change.
    let theirs = FILE.replace("    a\n}", "    a + 0\n}");
    h.file("src/area.rs", theirs.as_bytes());
    h.fs_changed("src/area.rs");
    h.app.prepare_frame();
    let Overlay::Dialog(dialog) = &h.app.overlay else {
        panic!("no banner: {:?}", h.app.overlay);
    };
    assert_eq!(
        dialog.text,
        "area.rs changed on disk (a proposal under review here)."
    );
    assert_eq!(h.text(), FILE, "nothing reloads before the user chooses");
    h.key("r");
    assert_eq!(h.text(), theirs);
    h.app.prepare_frame();
    assert_eq!(decisions(&h), [Decision::Pending, Decision::Stale]);
    h.key("a");
    assert_eq!(h.text(), theirs.replace("let a =", "let area ="));
}

#[test]
fn undoing_an_accepted_hunk_during_the_review_opens_it_again() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&[&reply(NEW_REGION)]))]);
    let mut h = harness(&server);
    let asked = ask_for_whole_file(&mut h, "rename a to area");
    wait_final(&mut h, asked);
    h.key("y");
    assert_eq!(decisions(&h), [Decision::Accepted, Decision::Pending]);
    h.key("ctrl-z");
    assert_eq!(h.text(), FILE);
    h.app.prepare_frame();
    assert_eq!(decisions(&h), [Decision::Pending, Decision::Pending]);
    h.key("k");
    h.key("n");
    h.key("y");
    assert!(h.app.buf().review.is_none());
    assert_eq!(h.text(), FILE.replace("    a\n}", "    area\n}"));
}

#[test]
fn v_shows_the_open_changes_as_a_unified_diff() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&[&reply(NEW_REGION)]))]);
    let mut h = harness(&server);
    let asked = ask_for_whole_file(&mut h, "rename a to area");
    wait_final(&mut h, asked);
    h.key("y");
    h.key("v");
    assert_eq!(h.app.buf().display_name(), "area.rs (proposed).diff");
    let diff = h.text();
    assert!(
        diff.starts_with("diff --git a/src/area.rs b/src/area.rs\n--- a/src/area.rs\n"),
        "{diff}"
    );
    // Only what is still open: the accepted change is in the text already.
    assert!(diff.contains("-    a\n+    area\n"), "{diff}");
    assert!(!diff.contains("let a = w"), "{diff}");
    h.key("alt-left");
    assert_eq!(h.app.buf().display_name(), "area.rs");
    h.key("y");
    assert!(h.app.buf().review.is_none());
}
