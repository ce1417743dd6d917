//! `caret fix` end to end: the real binary against a scripted model server and a real check
//! command. A crate with a failing test ends with the test passing and exit 0 (written only
//! with --apply); an unfixable one ends with exit 1 and the files as they were; the check runs
//! in a scratch copy, so nothing of the user's is touched while the loop runs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "e2e/harness.rs"]
#[allow(dead_code)]
mod harness;
#[path = "common/llm_server.rs"]
mod llm_server;

use std::process::Output;

use harness::Sandbox;
use llm_server::{Reply, Server, openai_stream};

const CARGO_TOML: &str =
    "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n";

const LIB: &str = "pub fn add(a: i32, b: i32) -> i32 {
    a - b
}

#[cfg(test)]
mod tests {
    #[test]
    fn adds() {
        assert_eq!(super::add(2, 2), 4);
    }
}
";

const FIX: &str = "The sign is wrong:

src/lib.rs
```rust
<<<<<<< SEARCH
    a - b
=======
    a + b
>>>>>>> REPLACE
```
";

fn workspace(server: &Server) -> Sandbox {
    let sb = Sandbox::new();
    sb.use_scripted_model(&server.base_url(), "");
    sb.write(
        ".gitignore",
        b"config/\nstate/\nhome/\ntarget/\ncheck-target/\n",
    );
    sb.write("Cargo.toml", CARGO_TOML.as_bytes());
    sb.write("src/lib.rs", LIB.as_bytes());
    sb
}

/// `caret ARGS` in the sandbox, able to run the toolchain (rustup's folders pass through;
/// the check builds into a folder of the sandbox, not the one running these tests).
fn caret(sb: &Sandbox, args: &[&str]) -> Output {
    sb.command(args).envs(sb.toolchain_env()).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_failing_test_is_fixed_verified_and_written_with_apply() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&[FIX]))]);
    let sb = workspace(&server);
    let out = caret(
        &sb,
        &[
            "fix",
            "src/lib.rs",
            "--check",
            "cargo test --quiet",
            "--apply",
        ],
    );
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("round 1: `cargo test --quiet` fails"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`cargo test --quiet` passes after 1 round(s)"),
        "{stderr}"
    );
    assert!(stderr.contains("wrote 1 file(s)"), "{stderr}");
    let diff = text(&out.stdout);
    assert!(diff.contains("-    a - b\n+    a + b\n"), "{diff}");
    assert_eq!(text(&sb.read("src/lib.rs")), LIB.replace("a - b", "a + b"));
    // The model was shown the failing test's message and the file.
    let json = server.requests()[0].json();
    let user = json["messages"][1]["content"].as_str().unwrap();
    assert!(user.contains("test tests::adds failed"), "{user}");
    assert!(
        user.contains("pub fn add(a: i32, b: i32) -> i32 {"),
        "{user}"
    );
}

#[test]
fn without_apply_a_passing_fix_is_printed_and_not_written() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&[FIX]))]);
    let sb = workspace(&server);
    sb.write(
        "check.sh",
        b"grep -q 'a + b' src/lib.rs || { echo 'src/lib.rs:2:5: error: wrong sign'; exit 1; }\n",
    );
    let out = caret(&sb, &["fix", "src/lib.rs", "--check", "sh check.sh"]);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("not written (--apply writes it)"),
        "{stderr}"
    );
    assert!(text(&out.stdout).contains("+    a + b\n"));
    assert_eq!(text(&sb.read("src/lib.rs")), LIB);
    let json = server.requests()[0].json();
    let user = json["messages"][1]["content"].as_str().unwrap();
    assert!(user.contains("src/lib.rs:2:5: error: wrong sign"), "{user}");
}

#[test]
fn an_unfixable_crate_ends_with_exit_1_and_its_files_unchanged() {
    // Each round "fixes" something else; the check never passes.
    let wrong = "Try this:\n\nsrc/lib.rs\n```\n<<<<<<< SEARCH\n    a - b\n=======\n    a - b - 0\n>>>>>>> REPLACE\n```\n";
    let again = "And this:\n\nsrc/lib.rs\n```\n<<<<<<< SEARCH\n    a - b - 0\n=======\n    b - a\n>>>>>>> REPLACE\n```\n";
    let server = Server::start(vec![
        Reply::sse(&openai_stream(&[wrong])),
        Reply::sse(&openai_stream(&[again])),
    ]);
    let sb = workspace(&server);
    sb.write(
        "check.sh",
        b"grep -q 'a + b' src/lib.rs || { echo 'src/lib.rs:2:5: error: wrong sign'; exit 1; }\n",
    );
    let out = caret(
        &sb,
        &[
            "fix",
            "src/lib.rs",
            "--check",
            "sh check.sh",
            "--apply",
            "--rounds",
            "2",
        ],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("still fails after 2 round(s) (1 error(s)); nothing was written"),
        "{stderr}"
    );
    // Both rounds' diffs were printed, the second against the first's result.
    let diff = text(&out.stdout);
    assert!(diff.contains("+    a - b - 0\n"), "{diff}");
    assert!(diff.contains("-    a - b - 0\n+    b - a\n"), "{diff}");
    assert_eq!(text(&sb.read("src/lib.rs")), LIB);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_check_that_passes_asks_nothing_and_a_missing_check_is_a_clear_error() {
    let server = Server::start(vec![]);
    let sb = workspace(&server);
    let out = caret(&sb, &["fix", "src/lib.rs", "--check", "true"]);
    assert!(out.status.success());
    assert!(text(&out.stderr).contains("`true` passes; nothing to fix"));
    assert!(server.requests().is_empty());
    sb.write("notes.txt", b"hello\n");
    let out = caret(&sb, &["fix", "notes.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "caret: no check command for notes.txt: give one with --check CMD\n"
    );
}
