//! `caret edit` end to end: the real binary against a scripted model server. Without --apply it
//! prints a unified diff `git apply --check` takes and writes nothing; with --apply it writes
//! every file of the change or none; refused blocks are said on stderr; exit 1 when nothing
//! could be applied, 2 for a malformed target.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "e2e/harness.rs"]
#[allow(dead_code)]
mod harness;
#[path = "common/llm_server.rs"]
mod llm_server;

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use harness::Sandbox;
use llm_server::{Reply, Server, openai_stream};

const LIB: &str = "pub fn add(a: i32, b: i32) -> i32 {\n    a - b\n}\n\npub fn twice(x: i32) -> i32 {\n    x * 3\n}\n";

fn workspace(server: &Server) -> Sandbox {
    let sb = Sandbox::new();
    sb.use_scripted_model(&server.base_url(), "");
    sb.write(".gitignore", b"config/\nstate/\nhome/\n");
    sb.write("src/lib.rs", LIB.as_bytes());
    sb
}

fn caret(sb: &Sandbox, args: &[&str]) -> Output {
    sb.command(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `git apply --check` of `diff` in the sandbox (a fresh repository there).
fn git_apply_check(sb: &Sandbox, diff: &str) -> Output {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(sb.root())
            .output()
            .unwrap()
    };
    git(&["init", "-q"]);
    std::fs::write(sb.path("change.diff"), diff).unwrap();
    git(&["apply", "--check", "change.diff"])
}

#[test]
fn a_range_is_rewritten_and_printed_as_a_diff_git_takes_and_nothing_is_written() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&[
        "Here it is:\n\n```rust\npub fn add(a: i32, b: i32) -> i32 {\n",
        "    a + b\n}\n```\n",
    ]))]);
    let sb = workspace(&server);
    let out = caret(&sb, &["edit", "src/lib.rs:1-3", "-m", "fix the sign"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let diff = text(&out.stdout);
    assert!(
        diff.contains("--- a/src/lib.rs\n+++ b/src/lib.rs\n"),
        "{diff}"
    );
    assert!(diff.contains("-    a - b\n+    a + b\n"), "{diff}");
    assert_eq!(
        sb.read("src/lib.rs"),
        LIB.as_bytes(),
        "written without --apply"
    );
    let check = git_apply_check(&sb, &diff);
    assert!(check.status.success(), "{}", text(&check.stderr));
    // What was asked: the region first, with the instruction.
    let sent = server.requests()[0].json();
    let user = sent["messages"][1]["content"].as_str().unwrap();
    assert!(
        user.starts_with("Change lines 1-3 of `src/lib.rs`"),
        "{user}"
    );
    assert!(user.contains("fix the sign"), "{user}");
    assert!(
        user.contains("(enclosing item: the region to change):"),
        "{user}"
    );
}

#[test]
fn search_replace_blocks_apply_and_a_refused_one_is_said() {
    let reply = "Two fixes.\n\nsrc/lib.rs\n```rust\n<<<<<<< SEARCH\n    a - b\n=======\n    a + b\n>>>>>>> REPLACE\n```\n\nsrc/lib.rs\n```rust\n<<<<<<< SEARCH\n    x * 4\n=======\n    x * 2\n>>>>>>> REPLACE\n```\n\nsrc/new.rs\n```rust\n<<<<<<< SEARCH\n=======\npub const ANSWER: i32 = 42;\n>>>>>>> REPLACE\n```\n";
    let server = Server::start(vec![Reply::sse(&openai_stream(&[reply]))]);
    let sb = workspace(&server);
    let out = caret(
        &sb,
        &["edit", "src/lib.rs", "-m", "fix the arithmetic", "--apply"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("caret: not applied: "), "{stderr}");
    assert!(
        stderr.contains("the SEARCH text matches nothing in the file; did you mean line 6"),
        "{stderr}"
    );
    assert!(stderr.contains("caret: wrote 2 file(s)"), "{stderr}");
    assert_eq!(text(&sb.read("src/lib.rs")), LIB.replace("a - b", "a + b"));
    assert_eq!(
        text(&sb.read("src/new.rs")),
        "pub const ANSWER: i32 = 42;\n"
    );
    let diff = text(&out.stdout);
    assert!(diff.contains("--- /dev/null\n+++ b/src/new.rs\n"), "{diff}");
    // The whole file was shown, with the format asked for in the system prompt.
    let sent = server.requests()[0].json();
    assert!(
        sent["messages"][0]["content"]
            .as_str()
            .unwrap()
            .contains("<<<<<<< SEARCH")
    );
}

#[test]
fn nothing_applied_is_exit_1_with_the_reasons_and_files_untouched() {
    let reply = "../outside.txt\n```\n<<<<<<< SEARCH\n=======\npwned\n>>>>>>> REPLACE\n```\n\nsrc/lib.rs\n```\n<<<<<<< SEARCH\nfn nowhere() {}\n=======\nfn somewhere() {}\n>>>>>>> REPLACE\n```\n";
    let server = Server::start(vec![Reply::sse(&openai_stream(&[reply]))]);
    let sb = workspace(&server);
    let out = caret(&sb, &["edit", "src/lib.rs", "-m", "escape", "--apply"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("outside.txt"), "{stderr}");
    assert!(
        stderr.contains("src/lib.rs: the SEARCH text matches nothing"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("caret: no change could be applied\n"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    assert_eq!(sb.read("src/lib.rs"), LIB.as_bytes());
    assert!(!sb.root().parent().unwrap().join("outside.txt").exists());
}

#[test]
fn a_file_changed_while_the_model_answers_means_nothing_is_written() {
    // A range is rewritten from the text the model was shown; if the file moved on meanwhile,
    // the lines may no longer be the same ones, so nothing is written.
    let reply = "```rust\npub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n```\n";
    let body = openai_stream(&[reply]);
    let events: Vec<&str> = body.split_inclusive("\n\n").collect();
    let server = Server::start(vec![
        Reply::sse("").drip(Duration::from_millis(400), &events),
    ]);
    let sb = workspace(&server);
    let child = sb
        .command(&["edit", "src/lib.rs:1-3", "-m", "fix", "--apply"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.requests().is_empty() {
        assert!(Instant::now() < deadline, "no request");
        std::thread::sleep(Duration::from_millis(10));
    }
    // Someone saves the file while the answer streams.
    let theirs = format!("// a new first line\n{LIB}");
    std::fs::write(sb.path("src/lib.rs"), &theirs).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("changed while the model was answering; nothing was written"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(text(&sb.read("src/lib.rs")), theirs);
}

#[test]
fn a_secret_file_or_a_bad_range_is_refused_before_asking() {
    let server = Server::start(vec![]);
    let sb = workspace(&server);
    sb.write(".env", b"API_TOKEN=sk-live-abcdefghijklmnopqrstuvwx\n");
    let out = caret(&sb, &["edit", ".env", "-m", "rotate"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains(".env"), "{}", text(&out.stderr));
    let out = caret(&sb, &["edit", "src/lib.rs:5-2", "-m", "x"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let out = caret(&sb, &["edit", "src/lib.rs:40-41", "-m", "x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("has 7 lines"),
        "{}",
        text(&out.stderr)
    );
    assert!(server.requests().is_empty());
}
