//! The AI pane through the same entry point as the real loop, against a scripted model server:
//! asking, following up, explaining, cancelling, failing and retrying, superseding, the
//! journal and resuming, clearing, no provider, keys kept secret — and what the pane shows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/llm_server.rs"]
mod llm_server;

use std::time::Duration;

use caret::ai::transcript::Outcome;
use caret::config::Config;
use common::Harness;
use llm_server::{Reply, Server, openai_stream};

fn config_for(server: &Server) -> Config {
    common::scripted_ai_config(server.base_url())
}

fn harness(server: &Server, width: u16, height: u16) -> Harness {
    let mut h = Harness::with_config(width, height, config_for(server));
    h.app.chat.probe_candidates.clear();
    h
}

fn wait_answer(h: &mut Harness) {
    h.wait_until("the answer to end", |app| {
        !app.chat.is_running()
            && app
                .chat
                .exchanges
                .last()
                .is_some_and(|e| e.data.outcome != Outcome::Running)
    });
}

fn last_outcome(h: &Harness) -> Outcome {
    h.app.chat.exchanges.last().unwrap().data.outcome.clone()
}

fn last_answer(h: &Harness) -> String {
    h.app.chat.exchanges.last().unwrap().data.answer.clone()
}

/// The screen without its last two rows (the status line shows timings and a spinner), the
/// server's port and the timings in answer footers written as placeholders.
fn screen_without_status(h: &mut Harness) -> String {
    let screen = h.screen();
    let rows: Vec<&str> = screen.lines().collect();
    rows[..rows.len() - 2]
        .iter()
        .map(|row| steady(row))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `127.0.0.1:PORT`, `Ns to first token`, without `· N tok/s`.
fn steady(row: &str) -> String {
    let mut out = row.to_string();
    if let Some(at) = out.find("127.0.0.1:") {
        let start = at + "127.0.0.1:".len();
        let end = out[start..]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(out.len(), |n| start + n);
        out.replace_range(start..end, "PORT");
    }
    if let Some(at) = out.find("s to first token") {
        let start = out[..at]
            .rfind(|c: char| !(c.is_ascii_digit() || c == '.'))
            .map_or(0, |i| i + 1);
        out.replace_range(start..at, "N");
    }
    if let Some(at) = out.find(" tok/s")
        && let Some(start) = out[..at].rfind(" · ")
    {
        out.replace_range(start..at + " tok/s".len(), "");
    }
    out
}

/// The pane's rows as one line of text (rows joined by a space, so wrapped sentences read
/// whole again).
fn pane_text(h: &mut Harness) -> String {
    h.screen();
    let area = caret::ui::layout_for(&h.app).chat;
    let mut rows = Vec::new();
    for y in area.y..area.y + area.height {
        let mut row = String::new();
        for x in area.x..area.x + area.width {
            row.push_str(h.symbol_at(x, y));
        }
        rows.push(row.trim_start_matches('│').trim().to_string());
    }
    rows.join(" ")
}

const ANSWER: &[&str] = &[
    "`add` returns the **sum** of its arguments.\n\n",
    "```rust\nfn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n```\n\n",
    "- no overflow check\n- `i32` only\n",
];

#[test]
fn ask_in_the_pane_streams_the_answer() {
    let server = Server::start(vec![Reply::sse(&openai_stream(ANSWER)).split_every(5)]);
    // Wide enough that the footer never wraps, whatever the timings.
    let mut h = harness(&server, 180, 24);
    h.key("ctrl-l");
    assert!(h.app.chat.open && h.app.chat.focused);
    h.wait_until("the provider", |app| {
        matches!(app.chat.provider, caret::chat::ProviderState::Ready(_))
    });
    let intro = pane_text(&mut h);
    assert!(
        intro.contains(
            "Ask about the code: type a question and press Enter. test-model at 127.0.0.1:"
        ),
        "{intro}"
    );
    h.type_str("what does add do?");
    h.key("enter");
    wait_answer(&mut h);
    assert_eq!(last_outcome(&h), Outcome::Done);
    assert_eq!(last_answer(&h), ANSWER.concat());
    let sent = server.requests()[0].json();
    assert_eq!(sent["messages"][1]["content"], "what does add do?");
    insta::assert_snapshot!(screen_without_status(&mut h));
    // Per answer: the model, time to first token, speed, tokens and cost.
    let screen = h.screen();
    assert!(screen.contains("test-model ·"), "{screen}");
    assert!(screen.contains("12 in / 7 out · free"), "{screen}");
}

#[test]
fn follow_up_questions_keep_the_conversation() {
    let server = Server::start(vec![
        Reply::sse(&openai_stream(&["Four."])),
        Reply::sse(&openai_stream(&["Five."])),
    ]);
    let mut h = harness(&server, 100, 24);
    h.key("ctrl-l");
    h.type_str("2+2?\n");
    wait_answer(&mut h);
    h.type_str("and plus one?\n");
    wait_answer(&mut h);
    let sent = server.requests()[1].json();
    let roles: Vec<&str> = sent["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["system", "user", "assistant", "user"]);
    assert_eq!(sent["messages"][2]["content"], "Four.");
    assert_eq!(sent["messages"][3]["content"], "and plus one?");
}

const LIB: &str = "use std::fmt;\nuse std::io::Write;\n\n/// Adds two numbers.\npub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n\npub fn other() {}\n";

#[test]
fn explain_sends_the_enclosing_item_and_the_imports_while_typing_goes_on() {
    let body = openai_stream(&["It ", "adds ", "numbers."]);
    let events: Vec<&str> = body.split_inclusive("\n\n").collect();
    let server = Server::start(vec![
        Reply::sse("").drip(Duration::from_millis(100), &events),
    ]);
    let mut h = harness(&server, 100, 24);
    h.file("src/lib.rs", LIB.as_bytes());
    h.open("src/lib.rs");
    h.keys(&["down", "down", "down", "down", "down"]);
    h.key("ctrl-e");
    assert!(h.app.chat.open);
    assert!(!h.app.chat.focused, "explain leaves the focus in the text");
    // Typing in the buffer while the answer streams.
    h.key("end");
    h.type_str(" // typed");
    wait_answer(&mut h);
    assert!(h.text().contains("a + b // typed"), "{}", h.text());
    assert_eq!(last_answer(&h), "It adds numbers.");
    let user = server.requests()[0].json()["messages"][1]["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        user.starts_with("Explain this code from `src/lib.rs:4-7`"),
        "{user}"
    );
    // Imports go only when the item uses what they bring in; `add` uses neither.
    assert!(!user.contains("use std::fmt"), "{user}");
    assert!(
        user.contains("`src/lib.rs:4-7` (enclosing item: the function around line 6):\n```rust\n/// Adds two numbers.\npub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n```"),
        "{user}"
    );
    assert!(!user.contains("other"), "only the item: {user}");
}

#[test]
fn esc_cancels_at_once_and_keeps_the_partial_answer() {
    let mut reply = Reply::sse(&openai_stream(&["partial "]));
    let body = openai_stream(&["partial "]);
    let cut = body
        .find("data: {\"choices\":[{\"index\":0,\"delta\":{},")
        .unwrap();
    reply.pieces = vec![
        (Duration::ZERO, body.as_bytes()[..cut].to_vec()),
        (Duration::from_secs(30), body.as_bytes()[cut..].to_vec()),
    ];
    let server = Server::start(vec![reply]);
    let mut h = harness(&server, 100, 24);
    h.key("ctrl-l");
    h.type_str("slow one\n");
    h.wait_until("the first words", |app| {
        app.chat
            .exchanges
            .last()
            .is_some_and(|e| !e.data.answer.is_empty())
    });
    h.key("esc");
    assert_eq!(last_outcome(&h), Outcome::Cancelled);
    assert_eq!(last_answer(&h), "partial ");
    assert!(!h.app.chat.is_running());
    assert_eq!(h.message().as_deref(), Some("AI request cancelled"));
    let pane = pane_text(&mut h);
    assert!(pane.contains("✗ cancelled"), "{pane}");
    // A second Esc gives the focus back to the text.
    h.key("esc");
    assert!(!h.app.chat.focused);
}

#[test]
fn a_failure_after_text_keeps_it_and_enter_retries() {
    let mut body = openai_stream(&["half an "]);
    body.truncate(
        body.find("data: {\"choices\":[{\"index\":0,\"delta\":{},")
            .unwrap(),
    );
    let server = Server::start(vec![
        Reply::sse(&body).cut(),
        Reply::sse(&openai_stream(&["whole answer"])),
    ]);
    let mut h = harness(&server, 100, 24);
    h.key("ctrl-l");
    h.type_str("question\n");
    wait_answer(&mut h);
    assert_eq!(
        last_outcome(&h),
        Outcome::Failed("stream ended early".into())
    );
    assert_eq!(last_answer(&h), "half an ");
    assert_eq!(
        server.requests().len(),
        1,
        "never retried silently after text"
    );
    let pane = pane_text(&mut h);
    assert!(
        pane.contains("✗ stream ended early — partial answer kept"),
        "{pane}"
    );
    // One key: Enter on the empty input asks again, with the same words.
    h.key("enter");
    wait_answer(&mut h);
    assert_eq!(last_outcome(&h), Outcome::Done);
    assert_eq!(last_answer(&h), "whole answer");
    let requests = server.requests();
    assert_eq!(
        requests[1].json()["messages"],
        requests[0].json()["messages"]
    );
}

#[test]
fn a_newer_question_supersedes_the_running_one() {
    let slow = {
        let body = openai_stream(&["old"]);
        let mut r = Reply::sse(&body);
        r.pieces = vec![(Duration::from_secs(30), body.into_bytes())];
        r
    };
    let server = Server::start(vec![slow, Reply::sse(&openai_stream(&["new"]))]);
    let mut h = harness(&server, 100, 24);
    h.key("ctrl-l");
    h.type_str("first\n");
    h.wait_until("the first request", |_| !server.requests().is_empty());
    h.type_str("second\n");
    wait_answer(&mut h);
    let exchanges = &h.app.chat.exchanges;
    assert_eq!(exchanges.len(), 2);
    assert_eq!(exchanges[0].data.outcome, Outcome::Cancelled);
    assert_eq!(exchanges[0].data.answer, "");
    assert_eq!(exchanges[1].data.answer, "new");
}

#[test]
fn retries_show_in_the_status_line() {
    let server = Server::start(vec![
        Reply::error(429, "{\"error\":{\"message\":\"slow down\"}}").header("retry-after", "2"),
        Reply::sse(&openai_stream(&["ok"])),
    ]);
    let mut h = harness(&server, 100, 24);
    h.key("ctrl-l");
    h.type_str("q\n");
    h.wait_until("the retry note", |app| {
        app.chat.running.as_ref().is_some_and(|r| r.retry.is_some())
    });
    let screen = h.screen();
    let status = screen.lines().rev().nth(1).unwrap();
    assert!(status.contains("retrying in 2s (429)"), "{status}");
    wait_answer(&mut h);
    assert_eq!(last_answer(&h), "ok");
}

#[test]
fn the_journal_keeps_a_cut_answer_and_the_chat_resumes() {
    let mut body = openai_stream(&["kept ", "words"]);
    body.truncate(
        body.find("data: {\"choices\":[{\"index\":0,\"delta\":{},")
            .unwrap(),
    );
    let server = Server::start(vec![Reply::sse(&body).cut()]);
    let mut h = harness(&server, 100, 24);
    h.key("ctrl-l");
    h.type_str("remember me\n");
    wait_answer(&mut h);
    h.app.chat_flush();
    // A new session in the same workspace picks the transcript up.
    let state = h.dir.path().join("state");
    let (events, _rx) = caret::event::AppEventSender::new();
    let mut again = caret::app::App::new(
        config_for(&server),
        h.dir.path().to_path_buf(),
        events,
        state.join("recovery"),
    );
    again.resume_chat();
    let e = &again.chat.exchanges[0];
    assert_eq!(e.data.question, "remember me");
    assert_eq!(e.data.answer, "kept words");
    assert_eq!(e.data.outcome, Outcome::Failed("stream ended early".into()));
    // Clearing forgets it on disk too.
    h.key("ctrl-u");
    h.type_str("/clear\n");
    assert!(h.app.chat.exchanges.is_empty());
    let chats: Vec<_> = std::fs::read_dir(state.join("chats")).unwrap().collect();
    assert!(chats.is_empty(), "{chats:?}");
}

#[test]
fn without_a_provider_the_pane_says_how_to_configure_one() {
    let mut h = Harness::new(100, 50);
    h.app.chat.probe_candidates.clear();
    h.app.config.ai.probe_local = false;
    h.key("ctrl-l");
    h.wait_until("the provider search", |app| {
        !matches!(
            app.chat.provider,
            caret::chat::ProviderState::Resolving | caret::chat::ProviderState::Unknown
        )
    });
    if matches!(h.app.chat.provider, caret::chat::ProviderState::Ready(_)) {
        eprintln!("skipped: a provider is configured in this environment");
        return;
    }
    h.type_str("hello?\n");
    // Asking searches again (a server may have been started since), then explains.
    h.wait_until("the explanation", |app| !app.chat.exchanges.is_empty());
    let pane = pane_text(&mut h);
    assert!(pane.contains("No AI provider is configured"), "{pane}");
    assert!(pane.contains("OPENAI_API_KEY"), "{pane}");
    // The editor still works.
    h.key("esc");
    h.type_str("plain editing");
    assert_eq!(h.text(), "plain editing");
}

#[test]
fn the_key_never_reaches_the_screen_or_the_journal() {
    let server = Server::start(vec![Reply::error(
        401,
        r#"{"error":{"message":"Incorrect API key provided: sk-caret-test-key-0042"}}"#,
    )]);
    let mut config = config_for(&server);
    config.ai.key_command = Some("echo sk-caret-test-key-0042".into());
    let mut h = Harness::with_config(100, 24, config);
    h.app.chat.probe_candidates.clear();
    h.key("ctrl-l");
    h.type_str("q\n");
    wait_answer(&mut h);
    assert_eq!(
        server.requests()[0].header("authorization").as_deref(),
        Some("Bearer sk-caret-test-key-0042")
    );
    h.app.chat_flush();
    let pane = pane_text(&mut h);
    assert!(
        pane.contains("HTTP 401: Incorrect API key provided: [key]"),
        "{pane}"
    );
    let screen = h.screen();
    assert!(!screen.contains("sk-caret"), "{screen}");
    let journal = std::fs::read_to_string(h.app.chat.journal.path()).unwrap();
    assert!(!journal.contains("sk-caret"), "{journal}");
    assert!(!format!("{:?}", h.app.chat.provider).contains("sk-caret"));
}

#[test]
fn narrow_terminals_get_the_pane_below_the_text() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["Short answer."]))]);
    let mut h = harness(&server, 90, 20);
    h.file("a.txt", b"one\ntwo\nthree\n");
    h.open("a.txt");
    h.key("ctrl-l");
    h.type_str("why?\n");
    wait_answer(&mut h);
    insta::assert_snapshot!(screen_without_status(&mut h));
}

#[test]
fn the_pane_while_an_answer_streams() {
    let first = "Here is the **fix**:\n\n```rust\nfn add(a: i32, b: i32) -> i32 {\n    a + b\n";
    let body = openai_stream(&[first, "}\n```\n\nDone."]);
    let second = body[..body.find("\"content\":\"}").unwrap()]
        .rfind("data: ")
        .unwrap();
    let mut reply = Reply::sse("");
    // Everything up to a partial line, then a long pause.
    let partial = body[..second].to_string()
        + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"    // still typ\"}}]}\n\n";
    reply.pieces = vec![
        (Duration::ZERO, partial.into_bytes()),
        (Duration::from_secs(30), body.as_bytes()[second..].to_vec()),
    ];
    let server = Server::start(vec![reply]);
    let mut h = harness(&server, 110, 20);
    h.key("ctrl-l");
    h.type_str("fix add\n");
    h.wait_until("the partial line", |app| {
        app.chat
            .exchanges
            .last()
            .is_some_and(|e| e.data.answer.ends_with("still typ"))
    });
    insta::assert_snapshot!(screen_without_status(&mut h));
    let screen = h.screen();
    let status = screen.lines().rev().nth(1).unwrap();
    assert!(status.contains("to first token"), "{status}");
    h.key("esc");
}

#[test]
fn a_selection_goes_with_the_question_asked_from_the_pane() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["Because."]))]);
    let mut h = harness(&server, 100, 24);
    h.file("src/lib.rs", LIB.as_bytes());
    h.open("src/lib.rs");
    h.keys(&["down", "down", "down", "down", "shift-down", "shift-down"]);
    h.key("ctrl-l");
    let pane = pane_text(&mut h);
    assert!(pane.contains("ask about src/lib.rs:5-6 (the sel"), "{pane}");
    assert_eq!(
        h.app
            .chat
            .attached
            .as_ref()
            .map(caret::context::assemble::Attachment::label),
        Some("src/lib.rs:5-6 (the selection)".to_string())
    );
    h.type_str("why i32?\n");
    wait_answer(&mut h);
    let user = server.requests()[0].json()["messages"][1]["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(user.starts_with("why i32?\n\n"), "{user}");
    assert!(
        user.contains("`src/lib.rs:5-6` (enclosing item: the selection):\n```rust\npub fn add(a: i32, b: i32) -> i32 {\n    a + b\n```"),
        "{user}"
    );
    // The code went with that one question only.
    assert!(h.app.chat.attached.is_none());
}

#[test]
fn without_usage_from_the_api_tokens_are_counted_here() {
    let body: String = openai_stream(&["counted ", "here"])
        .split_inclusive("\n\n")
        .filter(|e| !e.contains("usage"))
        .collect();
    let server = Server::start(vec![Reply::sse(&body)]);
    let mut h = harness(&server, 180, 24);
    h.key("ctrl-l");
    h.type_str("q\n");
    wait_answer(&mut h);
    let stats = &h.app.chat.exchanges[0].data.stats;
    assert!(stats.counted);
    assert!(stats.output_tokens.unwrap() >= 2, "{stats:?}");
    let pane = pane_text(&mut h);
    assert!(pane.contains(" in / ~"), "{pane}");
}

#[test]
fn a_wrong_configuration_is_explained_in_the_pane() {
    let mut config = Config::default();
    config.ai.provider = Some("gemini".into());
    let mut h = Harness::with_config(100, 30, config);
    h.app.chat.probe_candidates.clear();
    h.key("ctrl-l");
    h.wait_until("the provider search", |app| {
        matches!(app.chat.provider, caret::chat::ProviderState::Invalid(_))
    });
    h.type_str("hello?\n");
    // Asking searches again (a server may have been started since), then explains.
    h.wait_until("the explanation", |app| !app.chat.exchanges.is_empty());
    let pane = pane_text(&mut h);
    assert!(
        pane.contains(
            "The AI provider is not usable: unknown provider \"gemini\" (use openai, anthropic or ollama)"
        ),
        "{pane}"
    );
    // Asking again searches again (a server may have been started since).
    h.key("enter");
    h.wait_until("the second search", |app| {
        matches!(app.chat.provider, caret::chat::ProviderState::Invalid(_))
    });
    assert_eq!(h.app.chat.exchanges.len(), 2);
    assert_eq!(h.app.chat.exchanges[1].data.question, "hello?");
}

#[test]
fn keys_in_the_pane_never_edit_the_text_behind_it() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["ok"]))]);
    let mut h = harness(&server, 100, 24);
    h.file("a.txt", b"one\n");
    h.open("a.txt");
    h.type_str("typed ");
    h.key("ctrl-l");
    h.keys(&[
        "ctrl-z",
        "tab",
        "shift-down",
        "ctrl-x",
        "ctrl-v",
        "delete",
        "backspace",
    ]);
    h.type_str("question");
    assert_eq!(h.text(), "typed one\n");
    assert_eq!(h.app.chat.input, "question");
    // Saving still works from the pane.
    h.key("ctrl-s");
    assert_eq!(h.disk("a.txt"), b"typed one\n");
}

#[test]
fn a_local_server_started_later_is_found_when_asking_again() {
    let mut h = Harness::new(100, 40);
    h.app.chat.probe_candidates = vec![(
        caret::ai::provider::ProviderKind::OpenAi,
        "http://127.0.0.1:9/v1".to_string(),
    )];
    h.key("ctrl-l");
    h.type_str("anyone there?\n");
    h.wait_until("the set-up help", |app| !app.chat.exchanges.is_empty());
    if !matches!(h.app.chat.provider, caret::chat::ProviderState::Missing) {
        eprintln!("skipped: a provider is configured in this environment");
        return;
    }
    // A server comes up (its model list, then the answer).
    let server = Server::start(vec![
        Reply::error(200, r#"{"data":[{"id":"late-model"}]}"#),
        Reply::sse(&openai_stream(&["Here now."])),
    ]);
    h.app.chat.probe_candidates =
        vec![(caret::ai::provider::ProviderKind::OpenAi, server.base_url())];
    h.key("enter");
    wait_answer(&mut h);
    h.wait_until("the answer", |app| {
        app.chat
            .exchanges
            .last()
            .is_some_and(|e| e.data.outcome == Outcome::Done)
    });
    let e = &h.app.chat.exchanges.last().unwrap().data;
    assert_eq!(
        (e.question.as_str(), e.answer.as_str()),
        ("anyone there?", "Here now.")
    );
    assert_eq!(server.requests()[1].json()["model"], "late-model");
}

#[test]
fn the_pane_speaks_anthropic_too() {
    let server = Server::start(vec![
        Reply::sse(&llm_server::anthropic_stream(&["Claude ", "says ", "hi."])).split_every(3),
    ]);
    let mut config = config_for(&server);
    config.ai.provider = Some("anthropic".into());
    let mut h = Harness::with_config(180, 24, config);
    h.app.chat.probe_candidates.clear();
    h.key("ctrl-l");
    h.type_str("hello\n");
    wait_answer(&mut h);
    assert_eq!(last_answer(&h), "Claude says hi.");
    let r = &server.requests()[0];
    assert!(r.head.starts_with("POST /v1/messages "), "{}", r.head);
    assert_eq!(r.json()["system"], caret::ai::prompt::SYSTEM);
    let pane = pane_text(&mut h);
    assert!(pane.contains("20 in / 9 out"), "{pane}");
}

#[test]
fn streamed_text_is_drawn_at_most_about_sixty_times_a_second() {
    use std::time::Instant;
    let server = Server::start(vec![Reply::sse(&openai_stream(&["x"]))]);
    let mut h = harness(&server, 100, 24);
    assert_eq!(h.app.stream_frame_due(), None, "nothing streamed: no frame");
    h.app.chat.stream_dirty = true;
    assert_eq!(
        h.app.stream_frame_due(),
        Some(Duration::ZERO),
        "first frame at once"
    );
    h.app.chat.last_frame = Some(Instant::now());
    let wait = h.app.stream_frame_due().unwrap();
    assert!(
        wait > Duration::from_millis(10) && wait <= caret::chat::FRAME_INTERVAL,
        "the next waits for its slot: {wait:?}"
    );
    h.app.chat.last_frame = Instant::now().checked_sub(Duration::from_millis(40));
    assert_eq!(h.app.stream_frame_due(), Some(Duration::ZERO));
}

#[test]
fn the_item_at_the_cursor_goes_with_a_question_unless_dropped() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["Sure."]))]);
    let mut h = harness(&server, 140, 24);
    h.file("src/lib.rs", LIB.as_bytes());
    h.open("src/lib.rs");
    h.keys(&["down", "down", "down", "down", "down"]);
    h.key("ctrl-l");
    let pane = pane_text(&mut h);
    assert!(
        pane.contains("ask about src/lib.rs:4-7 (the function around line 6)"),
        "{pane}"
    );
    h.type_str("is this fast?\n");
    wait_answer(&mut h);
    let user = server.requests()[0].json()["messages"][1]["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        user.contains("pub fn add(a: i32, b: i32) -> i32 {"),
        "{user}"
    );
    // Dropped with Backspace: the question goes alone.
    h.keys(&["ctrl-l", "ctrl-l", "backspace"]);
    assert!(h.app.chat.attached.is_none());
    h.type_str("and in general?\n");
    wait_answer(&mut h);
    let sent = server.requests()[1].json();
    let last = sent["messages"].as_array().unwrap().last().unwrap()["content"].clone();
    assert_eq!(last, "and in general?");
}

#[test]
fn once_indexed_explain_sends_the_definitions_the_item_uses() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["It scales."]))]);
    let mut h = harness(&server, 140, 30);
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
    h.open("src/main.rs");
    h.keys(&["down", "down", "down", "down", "down"]);
    h.key("ctrl-e");
    wait_answer(&mut h);
    let user = server.requests()[0].json()["messages"][1]["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        user.starts_with("Explain this code from `src/main.rs:5-7`"),
        "{user}"
    );
    assert!(
        user.contains("`src/util.rs:1-4` (referenced definition: defines `twice`, used at line 6):\n```rust\n/// Doubles a number.\npub fn twice(x: i32) -> i32 {"),
        "{user}"
    );
    assert!(
        user.contains("(imports: the imports of names it uses):\n```rust\nuse util::twice;"),
        "{user}"
    );
}

#[test]
fn a_secret_file_is_never_sent_from_the_editor() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["no"]))]);
    let mut h = harness(&server, 140, 30);
    h.file(
        ".env",
        b"DATABASE_URL=postgres://admin:hunter2hunter2@db/prod\n",
    );
    h.open(".env");
    h.key("ctrl-e");
    let message = h.message().unwrap_or_default();
    assert!(
        message.starts_with("not sent: .env (secret file"),
        "{message}"
    );
    h.key("ctrl-l");
    assert!(h.app.chat.attached.is_none());
    h.type_str("what is in there?\n");
    wait_answer(&mut h);
    let body = String::from_utf8(server.requests()[0].body.clone()).unwrap();
    assert!(!body.contains("hunter2"), "{body}");
}

#[test]
fn what_a_question_names_goes_with_it_and_with_no_file_open_the_repo_map() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["Sure."]))]);
    let mut h = harness(&server, 140, 30);
    h.file(
        "src/util.rs",
        b"/// Doubles a number.\npub fn twice_over(x: i32) -> i32 {\n    x * 2\n}\n\npub struct Parser;\n",
    );
    h.file(
        "src/main.rs",
        b"mod util;\n\nfn main() {\n    println!(\"{}\", util::twice_over(21));\n}\n",
    );
    h.app.start_indexing();
    h.wait_until("the index", |app| app.engine.is_some());
    // No file open: the repo map goes with a general question.
    h.key("ctrl-l");
    h.type_str("what does this project do?\n");
    wait_answer(&mut h);
    let user = server.requests()[0].json()["messages"][1]["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        user.contains("(repo map: the most referenced definitions of the workspace)"),
        "{user}"
    );
    assert!(
        user.contains("src/util.rs\n  2: pub fn twice_over(x: i32) -> i32"),
        "{user}"
    );
    // A definition named in the question goes along, whole.
    h.type_str("why is twice_over an i32 function?\n");
    wait_answer(&mut h);
    let sent = server.requests()[1].json();
    let last = sent["messages"].as_array().unwrap().last().unwrap()["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        last.contains("`src/util.rs:1-4` (mention: defines `twice_over`, named in the question):\n```rust\n/// Doubles a number.\npub fn twice_over"),
        "{last}"
    );
    assert!(!last.contains("repo map"), "{last}");
}
