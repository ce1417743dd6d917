//! `@` mentions in the chat input, through the same entry point as the real loop, against a
//! scripted model server: the completion popup as the user sees it and its keys, and what a
//! sent question carries of the files and definitions it mentions — never a secret file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/llm_server.rs"]
mod llm_server;

use caret::ai::transcript::Outcome;
use caret::config::Config;
use caret::context::candidates::MentionKind;
use common::Harness;
use llm_server::{Reply, Server, openai_stream};

const LIB: &str = "pub mod render;\npub mod shapes;\n";
const RENDER: &str = "//! Turning shapes into text.\n\nuse crate::shapes::Circle;\n\n/// Describes a circle for people.\npub fn render_circle(circle: &Circle) -> String {\n    format!(\"a circle of radius {}\", circle.r)\n}\n";
const SHAPES: &str = "/// A circle of radius `r`.\npub struct Circle {\n    pub r: f64,\n}\n\n/// The circle of radius one.\npub fn unit() -> Circle {\n    Circle { r: 1.0 }\n}\n";
const SECRET: &str = "DATABASE_URL=postgres://admin:hunter2hunter2@db/prod\n";

fn config_for(server: &Server) -> Config {
    common::scripted_ai_config(server.base_url())
}

/// A small crate (and a secret file) in the test folder, indexed, with the pane open.
fn indexed(width: u16, height: u16, config: Config) -> Harness {
    let mut h = Harness::with_config(width, height, config);
    h.app.chat.probe_candidates.clear();
    // caret's own state lives in the test folder: not part of the workspace.
    h.file(".gitignore", b"state/\n");
    h.file("src/lib.rs", LIB.as_bytes());
    h.file("src/render.rs", RENDER.as_bytes());
    h.file("src/shapes.rs", SHAPES.as_bytes());
    h.file(".env", SECRET.as_bytes());
    h.app.start_indexing();
    h.wait_until("the index", |app| app.engine.is_some());
    h.key("ctrl-l");
    h.wait_until("the provider", |app| {
        matches!(app.chat.provider, caret::chat::ProviderState::Ready(_))
    });
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

/// The user message of the `n`th request the server received.
fn sent(server: &Server, n: usize) -> String {
    let json = server.requests()[n].json();
    let messages = json["messages"].as_array().unwrap();
    messages.last().unwrap()["content"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The pane's rows, the border cut off and trailing spaces trimmed.
fn pane_rows(h: &mut Harness) -> Vec<String> {
    h.screen();
    let area = caret::ui::layout_for(&h.app).chat;
    (area.y..area.y + area.height)
        .map(|y| {
            let row: String = (area.x..area.x + area.width)
                .map(|x| h.symbol_at(x, y).to_string())
                .collect();
            row.trim_start_matches('│').trim_end().to_string()
        })
        .collect()
}

/// The popup's rows as "kind text" pairs, in order.
fn shown(h: &Harness) -> Vec<(MentionKind, String)> {
    h.app
        .chat
        .mention
        .as_ref()
        .map(|p| {
            p.candidates
                .iter()
                .map(|c| (c.kind, c.text.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// The screen without the status line (it shows timings), the server's port replaced.
fn steady_screen(h: &mut Harness) -> String {
    let screen = h.screen();
    let rows: Vec<&str> = screen.lines().collect();
    let mut out = rows[..rows.len() - 2].join("\n");
    let mut from = 0;
    while let Some(at) = out[from..].find("127.0.0.1:") {
        let start = from + at + "127.0.0.1:".len();
        let end = out[start..]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(out.len(), |n| start + n);
        out.replace_range(start..end, "PORT");
        from = start;
    }
    out
}

#[test]
fn typing_an_at_word_shows_its_completions_above_the_input() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["ok"]))]);
    let mut h = indexed(120, 24, config_for(&server));
    h.type_str("explain @rend");
    let rows = shown(&h);
    assert!(
        rows.contains(&(MentionKind::File, "src/render.rs".to_string())),
        "{rows:?}"
    );
    assert!(
        rows.contains(&(MentionKind::Symbol, "render_circle".to_string())),
        "{rows:?}"
    );
    let pane = pane_rows(&mut h);
    let n = pane.len();
    assert_eq!(pane[n - 1], "› explain @rend");
    // Right above the input: the candidates, each with its kind and where it is.
    let popup = &pane[n - 1 - rows.len()..n - 1];
    assert!(
        popup
            .iter()
            .any(|r| r.starts_with("file src/render.rs") && r.ends_with("rust")),
        "{pane:#?}"
    );
    assert!(
        popup
            .iter()
            .any(|r| r.starts_with("sym  render_circle") && r.ends_with("src/render.rs:6")),
        "{pane:#?}"
    );
    assert!(
        pane[n - 2 - rows.len()].starts_with("─ Tab: insert · Esc: close ─"),
        "{pane:#?}"
    );
    // The matched letters stand out.
    let area = caret::ui::layout_for(&h.app).chat;
    let y = area.y + area.height - 1 - rows.len() as u16
        + rows.iter().position(|(_, t)| t == "src/render.rs").unwrap() as u16;
    let x = area.x + 1 + "file src/".len() as u16;
    assert_eq!(h.symbol_at(x, y), "r");
    assert_eq!(h.style_at(x, y).fg, h.app.theme.picker_match.fg);
    assert_ne!(h.style_at(x - 1, y).fg, h.app.theme.picker_match.fg);
    // Once the word is done, the popup goes.
    h.type_str(" now");
    assert!(h.app.chat.mention.is_none());
    assert!(
        !pane_rows(&mut h)
            .iter()
            .any(|r| r.contains("src/render.rs"))
    );
}

#[test]
fn tab_inserts_the_choice_and_a_space() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["ok"]))]);
    let mut h = indexed(120, 24, config_for(&server));
    h.type_str("look at @shap");
    // The module `shapes` and the file: Down to the file.
    let file = shown(&h)
        .iter()
        .position(|row| *row == (MentionKind::File, "src/shapes.rs".into()))
        .unwrap();
    for _ in 0..file {
        h.key("down");
    }
    h.key("tab");
    assert_eq!(h.app.chat.input, "look at @src/shapes.rs ");
    assert_eq!(h.app.chat.input_cursor, h.app.chat.input.len());
    assert!(h.app.chat.mention.is_none());
    let pane = pane_rows(&mut h);
    assert_eq!(pane.last().unwrap(), "› look at @src/shapes.rs");
    // Inside a word, the whole word is replaced; a space already there is kept, not doubled.
    h.key("ctrl-u");
    h.type_str("@Cir and more");
    h.keys(&[
        "left", "left", "left", "left", "left", "left", "left", "left", "left",
    ]);
    assert_eq!(shown(&h)[0], (MentionKind::Symbol, "Circle".into()));
    h.key("tab");
    assert_eq!(h.app.chat.input, "@Circle and more");
    assert_eq!(h.app.chat.input_cursor, "@Circle ".len());
    assert!(server.requests().is_empty());
}

#[test]
fn enter_on_the_popup_inserts_and_sends_nothing_then_the_file_goes_with_the_question() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["It formats."]))]);
    let mut h = indexed(120, 24, config_for(&server));
    h.type_str("what does @render.r");
    assert_eq!(shown(&h)[0], (MentionKind::File, "src/render.rs".into()));
    h.key("enter");
    assert_eq!(h.app.chat.input, "what does @src/render.rs ");
    assert!(h.app.chat.exchanges.is_empty(), "Enter sent the question");
    assert!(server.requests().is_empty());
    h.type_str("do?\n");
    wait_answer(&mut h);
    let user = sent(&server, 0);
    assert!(
        user.starts_with("what does @src/render.rs do?\n\n"),
        "{user}"
    );
    assert!(
        user.contains(&format!(
            "`src/render.rs:1-8` (mention: the file named in the question (@src/render.rs)):\n```rust\n{RENDER}```"
        )),
        "{user}"
    );
}

#[test]
fn an_at_name_sends_its_definition() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["A unit circle."]))]);
    let mut h = indexed(120, 24, config_for(&server));
    // A plain short word, marked as a name by its @.
    h.type_str("what is @unit");
    assert_eq!(shown(&h)[0], (MentionKind::Symbol, "unit".into()));
    h.key("esc");
    assert!(h.app.chat.focused, "Esc closed only the popup");
    h.type_str("?\n");
    wait_answer(&mut h);
    let user = sent(&server, 0);
    assert!(
        user.contains("`src/shapes.rs:6-9` (mention: defines `unit`, named in the question (@unit)):\n```rust\n/// The circle of radius one.\npub fn unit() -> Circle {\n    Circle { r: 1.0 }\n}\n```"),
        "{user}"
    );
}

#[test]
fn up_and_down_choose_and_esc_closes_only_the_popup() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["ok"]))]);
    let mut h = indexed(120, 24, config_for(&server));
    h.type_str("@");
    // Nothing typed yet: the most relevant files and names, in turn.
    let rows = shown(&h);
    assert!(rows.len() >= 3, "{rows:?}");
    assert_eq!(rows[0].0, MentionKind::File);
    assert_eq!(rows[1].0, MentionKind::Symbol);
    h.keys(&["down", "down", "up"]);
    assert_eq!(h.app.chat.mention.as_ref().unwrap().selected, 1);
    assert_eq!(
        h.app.chat.scroll, 0,
        "Up moved the selection, not the transcript"
    );
    // The selected row is drawn highlighted.
    let pane = pane_rows(&mut h);
    let n = pane.len();
    let area = caret::ui::layout_for(&h.app).chat;
    let first_row = area.y + area.height - 1 - rows.len() as u16;
    // The first letter of the second candidate, after its kind.
    let x = area.x + 1 + 5;
    let selected = h.app.theme.picker_selected.add_modifier;
    assert!(!selected.is_empty());
    assert!(
        h.style_at(x, first_row + 1).add_modifier.contains(selected),
        "{pane:#?}"
    );
    assert!(
        !h.style_at(x, first_row).add_modifier.contains(selected),
        "{pane:#?}"
    );
    assert_eq!(pane[n - 1], "› @");
    h.key("esc");
    assert!(h.app.chat.mention.is_none());
    assert!(h.app.chat.focused && h.app.chat.open);
    // It stays closed for this word…
    h.type_str("sh");
    assert!(h.app.chat.mention.is_none());
    // A new @word opens it again.
    h.type_str(" @sh");
    assert!(h.app.chat.mention.is_some());
    // Esc with no popup leaves the pane, as before.
    h.key("esc");
    h.key("esc");
    assert!(!h.app.chat.focused);
}

#[test]
fn the_popup_follows_every_edit_of_the_input() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["ok"]))]);
    let mut h = indexed(120, 24, config_for(&server));
    h.type_str("see @rend now");
    assert!(h.app.chat.mention.is_none());
    // Left into the @word: back; Right out of it: gone.
    h.keys(&["left", "left", "left", "left"]);
    assert_eq!(h.app.chat.mention.as_ref().unwrap().start, 4);
    assert!(shown(&h).iter().any(|(_, t)| t == "src/render.rs"));
    h.key("right");
    assert!(h.app.chat.mention.is_none());
    h.key("left");
    // Backspace narrows it down and, past the @, closes it.
    h.keys(&["backspace", "backspace", "backspace"]);
    assert_eq!(h.app.chat.input, "see @r now");
    assert!(h.app.chat.mention.is_some());
    h.keys(&["backspace", "backspace"]);
    assert_eq!(h.app.chat.input, "see  now");
    assert!(h.app.chat.mention.is_none());
    // Delete and Home and End move or change it too.
    h.key("ctrl-u");
    h.type_str("@shapesX");
    assert!(h.app.chat.mention.is_none(), "nothing matches");
    h.key("left");
    h.key("delete");
    assert_eq!(h.app.chat.input, "@shapes");
    assert!(h.app.chat.mention.is_some());
    h.key("home");
    assert!(h.app.chat.mention.is_none());
    h.key("end");
    assert!(h.app.chat.mention.is_some());
    // A pasted mention completes as well.
    h.key("ctrl-u");
    h.paste("explain @circ");
    assert_eq!(shown(&h)[0], (MentionKind::Symbol, "Circle".into()));
}

#[test]
fn a_secret_file_is_never_offered_nor_sent() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["no"]))]);
    let mut h = indexed(120, 24, config_for(&server));
    for query in ["@", "@.e", "@.env", "@env"] {
        h.key("ctrl-u");
        h.type_str(query);
        assert!(
            !shown(&h).iter().any(|(_, t)| t.contains(".env")),
            "{query}: {:?}",
            shown(&h)
        );
    }
    h.type_str(" what is in there?\n");
    wait_answer(&mut h);
    let body = String::from_utf8(server.requests()[0].body.clone()).unwrap();
    assert!(!body.contains("hunter2"), "{body}");
    assert!(sent(&server, 0).starts_with("@env what is in there?"));
    h.type_str("and @.env?\n");
    let message = h.message().unwrap_or_default();
    assert!(
        message.starts_with("not sent: .env (secret file"),
        "{message}"
    );
    // The answer's figures, when it ends, do not hide what was kept back.
    wait_answer(&mut h);
    let message = h.message().unwrap_or_default();
    assert!(
        message.starts_with("not sent: .env (secret file") && message.contains("answer: "),
        "{message}"
    );
    let body = String::from_utf8(server.requests()[1].body.clone()).unwrap();
    assert!(!body.contains("hunter2"), "{body}");
}

#[test]
fn at_mentions_may_use_the_whole_context_budget() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["ok"]))]);
    let mut config = config_for(&server);
    // render.rs counts about 50 tokens: more than half this budget, less than all of it.
    config.ai.context_tokens = 70;
    let mut h = indexed(120, 24, config);
    h.type_str("explain src/render.rs\n");
    wait_answer(&mut h);
    let user = sent(&server, 0);
    assert!(!user.contains("the file named in the question"), "{user}");
    // (A space ends the @word: Enter then sends rather than completes.)
    h.type_str("explain @src/render.rs please\n");
    wait_answer(&mut h);
    let user = sent(&server, 1);
    assert!(user.contains(RENDER), "{user}");
}

#[test]
fn before_the_index_is_ready_there_is_no_popup_and_nothing_breaks() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["ok"]))]);
    let mut h = Harness::with_config(120, 24, config_for(&server));
    h.app.chat.probe_candidates.clear();
    h.file("src/render.rs", RENDER.as_bytes());
    h.key("ctrl-l");
    h.type_str("@rend");
    assert!(h.app.chat.mention.is_none());
    h.keys(&["tab", "up", "down"]);
    assert_eq!(h.app.chat.input, "@rend");
    h.key("enter");
    wait_answer(&mut h);
    assert_eq!(sent(&server, 0), "@rend");
}

#[test]
fn the_popup_fits_any_pane() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["ok"]))]);
    let mut h = indexed(120, 24, config_for(&server));
    h.type_str("@");
    for (w, hgt) in [(120, 24), (60, 8), (30, 6), (12, 5), (4, 4), (2, 3), (1, 1)] {
        h.resize(w, hgt);
        let screen = h.screen();
        assert!(screen.lines().count() == usize::from(hgt), "{w}x{hgt}");
    }
}

#[test]
fn the_pane_with_the_popup_open() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["ok"]))]);
    let mut h = indexed(100, 20, config_for(&server));
    h.type_str("how does @rend");
    h.key("down");
    insta::assert_snapshot!(steady_screen(&mut h));
}

#[test]
fn lines_already_in_a_mentioned_file_are_not_sent_twice() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["It formats."]))]);
    let mut h = indexed(120, 24, config_for(&server));
    h.key("ctrl-l");
    h.open("src/render.rs");
    h.keys(&["down", "down", "down", "down", "down", "down"]);
    // The item at the cursor goes with the question, and so does its whole file.
    h.key("ctrl-l");
    assert!(h.app.chat.attached.is_some());
    h.type_str("why @src/render.rs ?\n");
    wait_answer(&mut h);
    let user = sent(&server, 0);
    assert_eq!(user.matches("pub fn render_circle(").count(), 1, "{user}");
    assert!(
        user.contains("(mention: the file named in the question (@src/render.rs))"),
        "{user}"
    );
}
