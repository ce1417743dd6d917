//! Against a real local model server, when one is given in `CARET_REAL_LLM_BASE_URL` (e.g.
//! `eval "$(../shared/real-llm/start.sh 18090)"; export CARET_REAL_LLM_BASE_URL=$BASE_URL`):
//! `caret ask`, `caret explain` and `caret complete` from the shell, a question with a
//! follow-up in the pane, and a completion as ghost text. Skipped, saying so, when the
//! variable is not set. The model may be tiny: these check the protocol and the plumbing, not
//! the wisdom of the answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "e2e/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::process::Command;

use caret::ai::transcript::Outcome;
use caret::config::Config;
use common::Harness;

/// The server has one slot: the tests take turns.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn base_url() -> Option<String> {
    let url = std::env::var("CARET_REAL_LLM_BASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!(
            "skipped: set CARET_REAL_LLM_BASE_URL to a running OpenAI-compatible server (see ../shared/real-llm/)"
        );
    }
    url
}

fn cli(base: &str, args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("config/caret")).unwrap();
    std::fs::write(
        dir.path().join("config/caret/config.toml"),
        "[ai]\nmax_tokens = 48\n",
    )
    .unwrap();
    Command::new(env!("CARGO_BIN_EXE_caret"))
        .args(args)
        .args(["--provider", "openai", "--base-url", base])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env_remove("OPENAI_API_KEY")
        .env_remove("CARET_MODEL")
        .output()
        .unwrap()
}

#[test]
fn ask_and_explain_from_the_shell() {
    let Some(base) = base_url() else { return };
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let out = cli(&base, &["ask", "Say hello in one short sentence."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let answer = String::from_utf8_lossy(&out.stdout);
    assert!(answer.trim().len() > 2, "an answer: {answer:?}");
    eprintln!("caret ask answered: {}", answer.trim());

    let out = cli(&base, &["explain", "src/ai/cost.rs:52"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.stdout.is_empty());
}

#[test]
fn a_question_and_a_follow_up_in_the_pane() {
    let Some(base) = base_url() else { return };
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut config = Config::default();
    config.ai.provider = Some("openai".into());
    config.ai.base_url = Some(base);
    config.ai.max_tokens = 48;
    let mut h = Harness::with_config(100, 30, config);
    h.app.chat.probe_candidates.clear();
    h.key("ctrl-l");
    for question in ["What is 2 + 2?", "And 3 + 3?"] {
        h.type_str(question);
        h.key("enter");
        h.wait_until("the answer", |app| {
            !app.chat.is_running()
                && app.chat.exchanges.last().is_some_and(|e| {
                    e.data.outcome != Outcome::Running && e.data.question == question
                })
        });
        let e = &h.app.chat.exchanges.last().unwrap().data;
        assert_eq!(e.outcome, Outcome::Done, "{e:?}");
        assert!(!e.answer.trim().is_empty());
        assert!(e.stats.output_tokens.is_some() && e.stats.ttft_ms.is_some());
        eprintln!("pane answered {question:?}: {}", e.answer.trim());
    }
    assert_eq!(h.app.chat.exchanges.len(), 2);
}

#[test]
fn the_real_binary_in_a_terminal() {
    let Some(base) = base_url() else { return };
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let sb = harness::Sandbox::new();
    sb.write("config/caret/config.toml", b"[ai]\nmax_tokens = 32\n");
    sb.write("sq.rs", b"fn sq(x: i32) -> i32 {\n    x * x\n}\n");
    let caret = harness::Caret::start(&sb, &["--base-url", &base, "sq.rs"]);
    caret.send(b"\x05"); // Ctrl-E: explain the function
    caret.wait_until(
        "the answer's footer",
        std::time::Duration::from_mins(1),
        |s| harness::screen_text(s).contains(" in / "),
    );
    let screen = caret.screen();
    assert!(
        screen.contains("Explain this code from `sq.rs:1-3`"),
        "{screen}"
    );
    eprintln!("the pane showed:\n{screen}");
}

#[test]
fn completion_from_the_shell_and_as_ghost_text() {
    let Some(base) = base_url() else { return };
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let out = cli(&base, &["complete", "src/ai/cost.rs:51:200"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    eprintln!(
        "caret complete answered: {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    let mut config = Config::default();
    config.ai.provider = Some("openai".into());
    config.ai.base_url = Some(base);
    config.completion.debounce_ms = 50;
    config.completion.max_tokens = 32;
    let mut h = Harness::with_config(100, 30, config);
    h.app.chat.probe_candidates.clear();
    h.file(
        "calc.py",
        b"def add(a, b):\n    return a + b\n\n\ndef multiply(a, b):\n",
    );
    h.open("calc.py");
    h.keys(&["ctrl-end"]);
    h.type_str("    return");
    h.wait_until("the completion's answer", |app| {
        app.completion.sent > 0 && !app.completion.in_flight()
    });
    assert!(
        h.app.message.as_ref().is_none_or(|m| !m.error),
        "{:?}",
        h.app.message
    );
    eprintln!(
        "ghost text after `    return`: {:?}",
        h.app.visible_ghost().map(|g| g.text.clone())
    );
}
