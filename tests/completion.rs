//! Inline completion through the same entry point as the real loop, against a scripted model
//! server: the ghost text after a typing pause (dim, the cursor where it was), what is sent
//! (fill-in-the-middle, no secrets), Tab, Ctrl-Right, typing over it, Esc, stale answers,
//! falling back to chat when fill-in-the-middle is refused, the cache, and turning it off.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/llm_server.rs"]
mod llm_server;

use std::time::{Duration, Instant};

use caret::config::Config;
use common::Harness;
use crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use llm_server::{Reply, Server, openai_stream};
use ratatui::style::Modifier;

const SOURCE: &str = "const KEY: &str = \"AKIAIOSFODNN7EXAMPLE\";\n\nfn main() {\n    \n}\n";

fn config_for(server: &Server) -> Config {
    let mut config = common::scripted_ai_config(server.base_url());
    config.completion.debounce_ms = 30;
    config
}

fn fim(text: &str) -> Reply {
    Reply::json(&serde_json::json!({"choices": [{"index": 0, "text": text}]}))
}

/// An editor on `main.rs` (SOURCE) with the cursor on the empty line of `main`.
fn editor(config: Config) -> Harness {
    let mut h = Harness::with_config(60, 12, config);
    h.app.chat.probe_candidates.clear();
    h.file("main.rs", SOURCE.as_bytes());
    h.open("main.rs");
    h.keys(&["down", "down", "down", "end"]);
    h
}

fn ghost(h: &Harness) -> Option<String> {
    h.app.visible_ghost().map(|g| g.text.clone())
}

fn wait_ghost(h: &mut Harness) -> String {
    h.wait_until("the ghost text", |app| app.visible_ghost().is_some());
    ghost(h).unwrap()
}

/// Pumps events for `time`, checking `ok` all along.
fn for_a_while(h: &mut Harness, time: Duration, mut ok: impl FnMut(&mut Harness)) {
    let until = Instant::now() + time;
    while Instant::now() < until {
        std::thread::sleep(Duration::from_millis(10));
        h.pump();
        ok(h);
    }
}

#[test]
fn ghost_text_shows_dim_after_a_pause_and_tab_takes_it_as_one_undo_step() {
    let server = Server::routed(vec![("/v1/completions", fim(" = 42;\n}"))]);
    let mut h = editor(config_for(&server));
    h.type_str("let x");
    assert_eq!(ghost(&h), None, "nothing before the pause");
    assert_eq!(
        wait_ghost(&mut h),
        " = 42;",
        "the suffix's `}}` is not repeated"
    );
    let screen = h.screen();
    assert!(screen.contains("    let x = 42;"), "{screen}");
    // Row 4 of the screen is line 4; the ghost starts right after the cursor, which stays.
    let row = screen.lines().position(|l| l.contains("let x")).unwrap() as u16;
    let x = screen
        .lines()
        .nth(row as usize)
        .unwrap()
        .find("let x")
        .unwrap() as u16
        + 5;
    assert_eq!(h.cursor(), (x, row));
    assert_eq!(h.symbol_at(x + 1, row), "=");
    assert!(h.style_at(x + 1, row).add_modifier.contains(Modifier::DIM));
    assert!(!h.style_at(x - 1, row).add_modifier.contains(Modifier::DIM));
    // What went out: the text before and after the cursor, and never the key.
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path(), "/v1/completions");
    let body = requests[0].json();
    assert!(
        body["prompt"]
            .as_str()
            .unwrap()
            .ends_with("fn main() {\n    let x")
    );
    assert_eq!(body["suffix"], "\n}\n");
    assert_eq!(body["model"], "test-model");
    let raw = String::from_utf8_lossy(&requests[0].body).into_owned();
    assert!(!raw.contains("AKIAIOSFODNN7EXAMPLE"), "{raw}");
    h.key("tab");
    assert!(h.text().contains("    let x = 42;\n}"), "{}", h.text());
    assert_eq!(ghost(&h), None);
    h.key("ctrl-z");
    assert!(
        h.text().contains("    let x\n}"),
        "one undo step: {}",
        h.text()
    );
}

#[test]
fn ctrl_right_takes_a_word_typing_it_keeps_the_rest_and_other_keys_drop_it() {
    let server = Server::routed(vec![("/v1/completions", fim(" = compute(1);"))]);
    let mut h = editor(config_for(&server));
    h.type_str("let x");
    wait_ghost(&mut h);
    h.key("ctrl-right");
    assert!(h.text().contains("    let x =\n"), "{}", h.text());
    assert_eq!(ghost(&h).as_deref(), Some(" compute(1);"));
    h.type_str(" co");
    assert_eq!(ghost(&h).as_deref(), Some("mpute(1);"));
    assert!(h.screen().contains("let x = compute(1);"));
    assert!(h.text().contains("    let x = co\n"), "{}", h.text());
    h.type_str("x");
    assert_eq!(ghost(&h), None);
    assert!(!h.screen().contains("mpute"));
    assert!(h.text().contains("    let x = cox\n"), "{}", h.text());
}

#[test]
fn esc_and_moving_drop_the_ghost_text() {
    let server = Server::routed(vec![("/v1/completions", fim(" = 1;"))]);
    let mut h = editor(config_for(&server));
    h.type_str("let x");
    wait_ghost(&mut h);
    h.key("esc");
    assert_eq!(ghost(&h), None);
    assert!(!h.screen().contains("= 1;"));
    assert!(h.text().contains("    let x\n"));
    // Tab now indents as ever.
    h.key("tab");
    assert!(h.text().contains("    let x    \n") || h.text().contains("    let x   \n"));
    h.type_str("y");
    wait_ghost(&mut h);
    h.key("left");
    assert_eq!(ghost(&h), None);
}

#[test]
fn an_answer_for_text_that_has_changed_is_never_shown() {
    // The first request is slow; typing on sends a second, whose answer is the one shown.
    let server = Server::start(vec![
        fim(" = OLD;").after(Duration::from_millis(300)),
        fim(" = NEW;"),
    ]);
    let mut h = editor(config_for(&server));
    h.type_str("let x");
    let requests = server.requests.clone();
    h.wait_until("a request at the server", |app| {
        app.completion.in_flight() && requests.lock().unwrap().len() == 1
    });
    h.type_str("y");
    assert!(!h.app.completion.in_flight(), "typing cancels it");
    let mut shown = Vec::new();
    for_a_while(&mut h, Duration::from_millis(600), |h| {
        shown.extend(ghost(h));
    });
    assert_eq!(wait_ghost(&mut h), " = NEW;");
    assert!(shown.iter().all(|g| g == " = NEW;"), "{shown:?}");
    // A change that does not come from a key (the file reloaded from disk) makes the answer
    // in flight stale too.
    let server = Server::start(vec![fim(" = STALE;").after(Duration::from_millis(300))]);
    let mut h = editor(config_for(&server));
    h.type_str("let x");
    h.key("ctrl-s");
    h.wait_until("a request in flight", |app| app.completion.in_flight());
    h.replace_file("main.rs", SOURCE.replace("fn main", "fn other").as_bytes());
    h.fs_changed("main.rs");
    assert!(h.text().contains("fn other"));
    h.wait_until("the answer", |app| !app.completion.in_flight());
    for_a_while(&mut h, Duration::from_millis(100), |h| {
        assert_eq!(ghost(h), None);
    });
    assert!(!h.screen().contains("STALE"));
}

#[test]
fn refused_fill_in_the_middle_falls_back_to_infill_then_chat_and_is_remembered() {
    let server = Server::routed(vec![
        (
            "/v1/completions",
            Reply::error(404, r#"{"error":{"message":"not found"}}"#),
        ),
        (
            "/infill",
            Reply::error(501, r#"{"error":{"message":"no FIM tokens"}}"#),
        ),
        (
            "/v1/chat/completions",
            Reply::sse(&openai_stream(&["```rust\n", "let x = 42;\n", "```"])),
        ),
    ]);
    let mut h = editor(config_for(&server));
    h.type_str("let x");
    assert_eq!(wait_ghost(&mut h), " = 42;");
    let paths: Vec<String> = server
        .requests()
        .iter()
        .map(llm_server::Recorded::path)
        .collect();
    assert_eq!(
        paths,
        ["/v1/completions", "/infill", "/v1/chat/completions"]
    );
    let chat = server.requests()[2].json();
    let user = chat["messages"][1]["content"].as_str().unwrap();
    assert!(user.contains("    let x<CURSOR>\n}"), "{user}");
    assert!(!user.contains("AKIA"), "{user}");
    let infill = server.requests()[1].json();
    assert!(infill["input_prefix"].as_str().unwrap().ends_with("let x"));
    assert_eq!(infill["input_suffix"], "\n}\n");
    // The next completion goes straight to the chat.
    h.key("esc");
    h.type_str(" ");
    h.wait_until("a second answer", |app| {
        app.completion.sent == 2 && !app.completion.in_flight()
    });
    let paths: Vec<String> = server
        .requests()
        .iter()
        .map(llm_server::Recorded::path)
        .collect();
    assert_eq!(paths.len(), 4, "{paths:?}");
    assert_eq!(paths[3], "/v1/chat/completions");
}

#[test]
fn llama_cpp_infill_is_used_when_completions_refuses_the_suffix() {
    let server = Server::routed(vec![
        (
            "/v1/completions",
            Reply::error(400, r#"{"error":{"message":"Unsupported param: suffix"}}"#),
        ),
        (
            "/infill",
            Reply::json(&serde_json::json!({"content": " = 7;"})),
        ),
    ]);
    let mut h = editor(config_for(&server));
    h.type_str("let x");
    assert_eq!(wait_ghost(&mut h), " = 7;");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn the_same_place_again_is_answered_from_the_cache() {
    let server = Server::routed(vec![("/v1/completions", fim(" = 42;"))]);
    let mut config = config_for(&server);
    config.completion.debounce_ms = 200;
    let mut h = editor(config);
    h.type_str("let x");
    wait_ghost(&mut h);
    assert_eq!(server.requests().len(), 1);
    h.type_str("q");
    assert_eq!(ghost(&h), None);
    h.key("backspace");
    assert_eq!(wait_ghost(&mut h), " = 42;");
    assert_eq!(server.requests().len(), 1, "answered from the cache");
    assert_eq!(h.app.completion.sent, 1);
}

#[test]
fn off_in_config_or_for_the_language_or_for_secret_files_nothing_is_asked() {
    let server = Server::routed(vec![("/v1/completions", fim(" = 42;"))]);
    let off = |change: &dyn Fn(&mut Config)| {
        let mut config = config_for(&server);
        change(&mut config);
        config
    };
    let configs = [
        off(&|c| c.completion.enabled = false),
        off(&|c| c.completion.disabled_languages = vec!["rust".into()]),
        off(&|c| c.completion.languages = vec!["python".into()]),
    ];
    for config in configs {
        let mut h = editor(config);
        h.type_str("let x");
        for_a_while(&mut h, Duration::from_millis(200), |h| {
            assert_eq!(ghost(h), None);
        });
    }
    // A secret file gets no completion at all.
    let mut h = Harness::with_config(60, 12, config_for(&server));
    h.file(".env", b"A=1\n");
    h.open(".env");
    h.type_str("B=");
    for_a_while(&mut h, Duration::from_millis(200), |h| {
        assert_eq!(ghost(h), None);
    });
    assert!(server.requests().is_empty());
    // Allowed by name, it is asked for.
    let mut h = editor(off(&|c| c.completion.languages = vec!["Rust".into()]));
    h.type_str("let x");
    wait_ghost(&mut h);
}

#[test]
fn a_completion_of_several_lines_shows_them_below_and_tab_inserts_them() {
    let server = Server::routed(vec![("/v1/completions", fim("let y = 1;\n    let z = 2;"))]);
    let mut h = editor(config_for(&server));
    h.type_str("let x = 0; ");
    wait_ghost(&mut h);
    let screen = h.screen();
    let lines: Vec<&str> = screen.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("let x = 0; let y = 1;"))
        .unwrap();
    assert!(lines[at + 1].ends_with("    let z = 2;"), "{screen}");
    assert!(
        lines[at + 2].contains('}'),
        "the line below moved down:\n{screen}"
    );
    insta::assert_snapshot!(screen);
    // A click on the line drawn below the ghost rows lands on that line.
    let closing = u16::try_from(at + 2).unwrap();
    h.event(Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 5,
        row: closing,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(ghost(&h), None);
    let doc = h.app.doc();
    assert_eq!(
        doc.text().char_to_line(doc.cursor()),
        4,
        "on the line of `}}`"
    );
    // Back at the end of the line, the same text again: the answer is at hand.
    h.keys(&["up", "end", "q", "backspace"]);
    wait_ghost(&mut h);
    h.key("tab");
    assert!(
        h.text()
            .contains("    let x = 0; let y = 1;\n    let z = 2;\n}"),
        "{}",
        h.text()
    );
}

#[test]
fn in_the_middle_of_a_line_the_rest_of_it_moves_right_of_the_ghost_text() {
    let server = Server::routed(vec![("/v1/completions", fim(", y)\n    more();"))]);
    let mut h = editor(config_for(&server));
    h.type_str("call()");
    h.key("left");
    h.type_str("x");
    assert_eq!(
        wait_ghost(&mut h),
        ", y",
        "one line, without the `)` already there"
    );
    let body = server.requests().last().unwrap().json();
    assert_eq!(body["suffix"], ")\n}\n");
    let screen = h.screen();
    let row = screen.lines().position(|l| l.contains("call(x")).unwrap();
    let line = screen.lines().nth(row).unwrap();
    assert!(line.ends_with("    call(x, y)"), "{screen}");
    let paren = u16::try_from(line.rfind(')').unwrap()).unwrap();
    let row = u16::try_from(row).unwrap();
    assert!(
        h.style_at(paren - 1, row)
            .add_modifier
            .contains(Modifier::DIM)
    );
    assert!(!h.style_at(paren, row).add_modifier.contains(Modifier::DIM));
    h.key("tab");
    assert!(h.text().contains("    call(x, y)\n}"), "{}", h.text());
}
