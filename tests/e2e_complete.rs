//! Inline completion end to end: the real binary in a pseudo-terminal shows the scripted
//! server's completion after a typing pause, Tab takes it and it is saved; `caret complete`
//! prints only the completion, and fails with one line on stderr and exit status 1.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "e2e/harness.rs"]
#[allow(dead_code)]
mod harness;
#[path = "common/llm_server.rs"]
mod llm_server;

use harness::{Caret, Sandbox, key};
use llm_server::{Reply, Server};

const TAB: &[u8] = b"\t";

fn configure(sb: &Sandbox, server: &Server) {
    sb.use_scripted_model(&server.base_url(), "\n[completion]\ndebounce_ms = 50\n");
    sb.write(".gitignore", b"config/\nstate/\nhome/\n");
}

fn fim(text: &str) -> Reply {
    Reply::json(&serde_json::json!({"choices": [{"index": 0, "text": text}]}))
}

#[test]
fn typed_then_tab_takes_the_ghost_text_and_it_is_saved() {
    let server = Server::routed(vec![(
        "/v1/completions",
        fim("(a: i32) -> i32 {\n    a * 2\n}"),
    )]);
    let sb = Sandbox::new();
    configure(&sb, &server);
    sb.write("lib.rs", b"// Doubles.\n\n");
    let caret = Caret::start(&sb, &["lib.rs"]);
    caret.send(key::DOWN);
    caret.type_text("fn twice");
    caret.wait_for("fn twice(a: i32) -> i32 {");
    caret.wait_for("    a * 2");
    caret.send(TAB);
    caret.send(key::CTRL_S);
    caret.wait_status_without("[+]");
    assert_eq!(
        String::from_utf8(sb.read("lib.rs")).unwrap(),
        "// Doubles.\nfn twice(a: i32) -> i32 {\n    a * 2\n}\n"
    );
    let body = server.requests()[0].json();
    assert_eq!(body["prompt"], "// Doubles.\nfn twice");
    assert_eq!(body["suffix"], "\n");
}

#[test]
fn caret_complete_prints_only_the_completion() {
    let server = Server::routed(vec![("/v1/completions", fim(" a * 2\n}\n\nfn other() {}"))]);
    let sb = Sandbox::new();
    configure(&sb, &server);
    sb.write("lib.rs", b"fn twice(a: i32) -> i32 {\n    \n}\n");
    let out = sb.command(&["complete", "lib.rs:2:5"]).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "nothing on stderr when it works"
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "a * 2");
    let body = server.requests()[0].json();
    assert_eq!(body["prompt"], "fn twice(a: i32) -> i32 {\n    ");
    assert_eq!(body["suffix"], "\n}\n");
}

#[test]
fn caret_complete_fails_with_one_line_and_status_1_and_usage_errors_with_2() {
    let server = Server::routed(vec![(
        "/v1/chat/completions",
        Reply::error(500, r#"{"error":{"message":"the model crashed"}}"#),
    )]);
    let sb = Sandbox::new();
    configure(&sb, &server);
    sb.write("lib.rs", b"fn main() {\n}\n");
    let out = sb.command(&["complete", "lib.rs:1:3"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("the model crashed"), "{stderr}");
    // Without a column it is a usage error.
    let out = sb.command(&["complete", "lib.rs:1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    // A secret file is never sent.
    sb.write(".env", b"TOKEN=1\n");
    let before = server.requests().len();
    let out = sb.command(&["complete", ".env:1:3"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(server.requests().len(), before);
}
