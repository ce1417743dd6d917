//! The context inspector (Ctrl-O) through the same entry point as the real loop, against a
//! scripted model server: what it lists is what the request carries, byte for byte; dropped
//! pieces stay home, pinned ones go with every request, earlier exchanges can be left out,
//! and buffers edited and not saved are what context is cut from.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/llm_server.rs"]
mod llm_server;

use caret::ai::transcript::Outcome;
use caret::app::Overlay;
use common::Harness;
use llm_server::{Reply, Server, openai_stream};

fn harness(server: &Server) -> Harness {
    let mut h = Harness::with_config(140, 40, common::scripted_ai_config(server.base_url()));
    h.app.chat.probe_candidates.clear();
    // Exact counts from the start, so what the screen shows does not depend on timing.
    caret::ai::tokens::count("");
    h.file(
        "src/util.rs",
        b"/// Doubles a number.\npub fn twice(x: i32) -> i32 {\n    x * 2\n}\n",
    );
    h.file(
        "src/main.rs",
        b"mod util;\n\nuse util::twice;\n\nfn main() {\n    println!(\"{}\", twice(21));\n}\n",
    );
    h.app.start_indexing();
    h.wait_until("the index", |app| app.engine.is_some());
    h
}

fn wait_answers(h: &mut Harness, n: usize) {
    h.wait_until("the answer to end", |app| {
        !app.chat.is_running()
            && app.chat.exchanges.len() >= n
            && app
                .chat
                .exchanges
                .iter()
                .all(|e| e.data.outcome != Outcome::Running)
    });
}

/// The messages of the plan the inspector shows, as (role, content).
fn shown_messages(h: &Harness) -> Vec<(String, String)> {
    let Overlay::Inspector(inspector) = &h.app.overlay else {
        panic!("the inspector is not open");
    };
    inspector
        .plan
        .messages
        .iter()
        .map(|m| {
            (
                serde_json::to_value(m.role)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string(),
                m.content.clone(),
            )
        })
        .collect()
}

/// The messages of the `n`th request the server received, as (role, content).
fn sent_messages(server: &Server, n: usize) -> Vec<(String, String)> {
    server.requests()[n].json()["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["role"].as_str().unwrap().to_string(),
                m["content"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn row_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle:?} in\n{screen}"))
}

#[test]
fn the_inspector_lists_each_piece_and_enter_sends_exactly_what_it_shows() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["It prints 42."]))]);
    let mut h = harness(&server);
    h.open("src/main.rs");
    h.keys(&["down", "down", "down", "down", "down"]);
    h.key("ctrl-o");
    let screen = h.screen();
    assert!(screen.contains("Next Ctrl-E explain · "), "{screen}");
    let enclosing = row_with(&screen, "enclosing item");
    assert!(enclosing.contains("src/main.rs:5-7"), "{enclosing}");
    let definition = row_with(&screen, "referenced definition");
    assert!(definition.contains("src/util.rs:1-4"), "{definition}");
    assert!(
        definition.contains("defines `twice`, used at line 6"),
        "{definition}"
    );
    assert!(row_with(&screen, "imports").contains("src/main.rs:3"));
    // The selected piece, as the model reads it.
    assert!(
        screen.contains("`src/main.rs:5-7` (enclosing item: the function around line 6):"),
        "{screen}"
    );
    // Each row's tokens, and the total over the whole request in the title.
    let Overlay::Inspector(inspector) = &h.app.overlay else {
        panic!()
    };
    let total = inspector.plan.tokens;
    let def_tokens = inspector
        .plan
        .entries
        .iter()
        .find(|e| e.kind == "referenced definition")
        .unwrap()
        .tokens;
    assert!(
        screen.contains(&format!("· {total} tokens · code ")),
        "{screen}"
    );
    assert!(
        definition.contains(&format!(" {def_tokens}  defines")),
        "{definition}"
    );
    // The whole request, message by message.
    h.key("tab");
    let screen = h.screen();
    assert!(
        screen.contains("── the whole request: 2 messages, as sent"),
        "{screen}"
    );
    assert!(screen.contains("── user ──"), "{screen}");
    assert!(
        screen.contains("Explain this code from `src/main.rs:5-7`: what it does"),
        "{screen}"
    );
    let shown = shown_messages(&h);
    h.key("enter");
    assert!(matches!(h.app.overlay, Overlay::None));
    wait_answers(&mut h, 1);
    assert_eq!(sent_messages(&server, 0), shown);
}

#[test]
fn dropped_pieces_stay_home_and_pinned_ones_go_with_every_request() {
    let server = Server::start(vec![
        Reply::sse(&openai_stream(&["Without the definition."])),
        Reply::sse(&openai_stream(&["With the pin."])),
    ]);
    let mut h = harness(&server);
    h.open("src/main.rs");
    h.keys(&["down", "down", "down", "down", "down"]);
    h.key("ctrl-o");
    // The selection starts on the enclosing item; two down is the definition of `twice`.
    h.keys(&["down", "down", "d"]);
    let screen = h.screen();
    let row = row_with(&screen, "referenced definition");
    assert!(row.contains("dropped"), "{row}");
    assert!(screen.contains("dropped: would add"), "{screen}");
    let shown = shown_messages(&h);
    h.key("enter");
    wait_answers(&mut h, 1);
    let sent = sent_messages(&server, 0);
    assert_eq!(sent, shown);
    assert!(!sent[1].1.contains("pub fn twice"), "{}", sent[1].1);
    assert!(sent[1].1.contains("fn main()"), "{}", sent[1].1);

    // The drop was for that request; now pin the definition instead.
    h.key("esc");
    h.app.chat.open = false;
    h.key("ctrl-o");
    let screen = h.screen();
    assert!(!row_with(&screen, "referenced definition").contains("dropped"));
    h.keys(&["down", "down", "p"]);
    let screen = h.screen();
    assert!(
        row_with(&screen, "referenced definition").contains("pinned"),
        "{screen}"
    );
    h.key("esc");
    // A question from the pane without the item at the cursor still takes the pin along.
    h.key("ctrl-l");
    h.key("backspace");
    assert!(h.app.chat.attached.is_none());
    h.type_str("and with more numbers?");
    h.key("ctrl-o");
    let screen = h.screen();
    assert!(screen.contains("Next chat question · "), "{screen}");
    let row = row_with(&screen, "referenced definition");
    assert!(
        row.contains("pinned") && row.contains("src/util.rs:1-4"),
        "{row}"
    );
    // The first exchange is there too, as conversation.
    assert!(
        row_with(&screen, "conversation").contains("earlier question: Explain this code"),
        "{screen}"
    );
    let shown = shown_messages(&h);
    h.key("enter");
    wait_answers(&mut h, 2);
    let sent = sent_messages(&server, 1);
    assert_eq!(sent, shown);
    let user = &sent.last().unwrap().1;
    assert!(user.starts_with("and with more numbers?"), "{user}");
    assert!(user.contains("pub fn twice(x: i32) -> i32 {"), "{user}");
    assert_eq!(sent.len(), 4, "system, the first exchange, the question");
}

#[test]
fn an_earlier_exchange_dropped_is_left_out_of_the_conversation() {
    let server = Server::start(vec![
        Reply::sse(&openai_stream(&["First answer."])),
        Reply::sse(&openai_stream(&["Second answer."])),
    ]);
    let mut h = harness(&server);
    h.key("ctrl-l");
    h.type_str("first question\n");
    wait_answers(&mut h, 1);
    h.type_str("second question");
    h.key("ctrl-o");
    // Entries: system prompt, the earlier exchange, the question …
    h.keys(&["home", "down", "d"]);
    let screen = h.screen();
    let row = row_with(&screen, "earlier question: first question");
    assert!(row.contains("dropped"), "{row}");
    let shown = shown_messages(&h);
    assert_eq!(shown.len(), 2, "{shown:?}");
    h.key("enter");
    wait_answers(&mut h, 2);
    let sent = sent_messages(&server, 1);
    assert_eq!(sent, shown);
    assert!(
        sent[1].1.starts_with("second question\n\n"),
        "{}",
        sent[1].1
    );
}

#[test]
fn context_is_cut_from_the_buffer_as_edited_not_the_file_on_disk() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["Triples."]))]);
    let mut h = harness(&server);
    // Edit util.rs without saving: the definition grows a line and changes.
    h.open("src/util.rs");
    h.keys(&["down", "down", "end"]);
    h.type_str(" + x");
    h.open("src/main.rs");
    h.keys(&["down", "down", "down", "down", "down"]);
    h.key("ctrl-e");
    wait_answers(&mut h, 1);
    let user = &sent_messages(&server, 0)[1].1;
    assert!(user.contains("    x * 2 + x\n}"), "{user}");
    assert_eq!(
        std::fs::read_to_string(h.dir.path().join("src/util.rs")).unwrap(),
        "/// Doubles a number.\npub fn twice(x: i32) -> i32 {\n    x * 2\n}\n"
    );
}

#[test]
fn the_system_prompt_and_a_secret_cannot_be_dropped_or_sent() {
    let server = Server::start(vec![]);
    let mut h = harness(&server);
    h.file(".env", b"API_TOKEN=sk-live-abcdefghijklmnopqrstuvwx\n");
    h.key("ctrl-l");
    h.type_str("what is in @.env and .env?");
    h.key("ctrl-o");
    h.keys(&["home", "d"]);
    assert_eq!(
        h.message().as_deref(),
        Some("the system prompt and the question always go")
    );
    let screen = h.screen();
    assert!(!screen.contains("sk-live"), "{screen}");
    let Overlay::Inspector(inspector) = &h.app.overlay else {
        panic!()
    };
    assert!(
        inspector
            .plan
            .messages
            .iter()
            .all(|m| !m.content.contains("sk-live"))
    );
    h.key("esc");
    assert!(matches!(h.app.overlay, Overlay::None));
}

#[test]
fn snapshot_of_the_inspector() {
    let server = Server::start(vec![]);
    let mut h = harness(&server);
    h.resize(100, 30);
    h.open("src/main.rs");
    h.keys(&["down", "down", "down", "down", "down"]);
    h.key("ctrl-o");
    h.wait_until("the provider", |app| {
        matches!(app.chat.provider, caret::chat::ProviderState::Ready(_))
    });
    h.keys(&["down", "down", "d", "up", "p"]);
    insta::assert_snapshot!("inspector", h.screen());
}

#[test]
fn a_pinned_piece_is_cut_again_from_the_text_as_edited() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["Triples."]))]);
    let mut h = harness(&server);
    h.open("src/main.rs");
    h.keys(&["down", "down", "down", "down", "down"]);
    h.key("ctrl-o");
    h.keys(&["down", "down", "p", "esc"]);
    // Change the pinned definition in its buffer, without saving.
    h.open("src/util.rs");
    h.keys(&["down", "down", "end"]);
    h.type_str(" + x");
    h.key("ctrl-l");
    h.key("backspace");
    h.type_str("what now?\n");
    h.wait_until("the answer", |app| {
        app.chat
            .exchanges
            .last()
            .is_some_and(|e| e.data.outcome == Outcome::Done)
    });
    let user = &sent_messages(&server, 0)[1].1;
    assert!(
        user.contains("(referenced definition: defines `twice`, used at line 6):"),
        "{user}"
    );
    assert!(user.contains("    x * 2 + x\n}"), "{user}");
}
