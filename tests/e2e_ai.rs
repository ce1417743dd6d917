//! End-to-end: the real caret binary, pointed at a scripted model server in this test process.
//! In a pseudo-terminal the answer streams into the pane while typing in the buffer goes on,
//! Esc cancels (the server sees the connection dropped), and what the inspector (Ctrl-O)
//! leaves out is not sent; `caret ask` and `caret explain`
//! stream to stdout and fail with one line on stderr and exit status 1.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "e2e/harness.rs"]
#[allow(dead_code)]
mod harness;
#[path = "common/llm_server.rs"]
mod llm_server;

use std::process::Command;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use harness::{Caret, Sandbox, key};
use llm_server::{Reply, Server, openai_stream};

const CTRL_E: &[u8] = b"\x05";
const CTRL_L: &[u8] = b"\x0c";
const CTRL_O: &[u8] = b"\x0f";

fn configure(sb: &Sandbox, server: &Server) {
    sb.use_scripted_model(&server.base_url(), "");
}

/// An answer of `words` words, one event every `pause`.
fn dripping(words: usize, pause: Duration) -> Reply {
    let pieces: Vec<String> = (0..words).map(|i| format!("word{i} ")).collect();
    let refs: Vec<&str> = pieces.iter().map(String::as_str).collect();
    let body = openai_stream(&refs);
    let events: Vec<&str> = body.split_inclusive("\n\n").collect();
    Reply::sse("").drip(pause, &events)
}

#[test]
fn the_answer_streams_while_typing_in_the_buffer_works() {
    let server = Server::start(vec![dripping(30, Duration::from_millis(60))]);
    let sb = Sandbox::new();
    configure(&sb, &server);
    sb.write("lib.rs", b"fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n");
    let caret = Caret::start(&sb, &["lib.rs"]);
    caret.send(key::DOWN);
    caret.send(CTRL_E);
    caret.wait_for("word1 ");
    // The stream is still running: type into the text.
    caret.send(key::END);
    caret.type_text(" // typed while streaming");
    caret.wait_for("a + b // typed while streaming");
    assert!(
        !caret.screen().contains("word29"),
        "typing was handled while the answer was still streaming"
    );
    caret.wait_for("word29");
    caret.wait_for("scripted ·");
    caret.send(key::CTRL_S);
    caret.wait_status_without("[+]");
    assert_eq!(
        sb.read("lib.rs"),
        b"fn add(a: i32, b: i32) -> i32 {\n    a + b // typed while streaming\n}\n"
    );
    let sent = server.requests()[0].json();
    let user = sent["messages"][1]["content"].as_str().unwrap();
    assert!(user.contains("fn add(a: i32, b: i32) -> i32 {"), "{user}");
}

#[test]
fn the_inspector_shows_the_request_and_a_dropped_piece_stays_home() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["Doubled."]))]);
    let sb = Sandbox::new();
    configure(&sb, &server);
    sb.write(
        "src/util.rs",
        b"/// Doubles a number.\npub fn twice(x: i32) -> i32 {\n    x * 2\n}\n",
    );
    sb.write(
        "src/main.rs",
        b"mod util;\n\nuse util::twice;\n\nfn main() {\n    println!(\"{}\", twice(21));\n}\n",
    );
    let caret = Caret::start(&sb, &["src/main.rs"]);
    for _ in 0..5 {
        caret.send(key::DOWN);
    }
    // Once the workspace is indexed, the definition of `twice` is among the pieces.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        caret.send(CTRL_O);
        caret.wait_for("Next Ctrl-E explain");
        if caret.screen().contains("referenced definition") {
            break;
        }
        assert!(Instant::now() < deadline, "{}", caret.screen());
        caret.esc();
        std::thread::sleep(Duration::from_millis(200));
    }
    caret.wait_for("enclosing item");
    caret.type_text("jjd");
    caret.wait_for("dropped: would add");
    caret.send(key::ENTER);
    caret.wait_for("scripted ·");
    let sent = server.requests()[0].json();
    let user = sent["messages"][1]["content"].as_str().unwrap();
    assert!(user.contains("fn main() {"), "{user}");
    assert!(!user.contains("pub fn twice"), "{user}");
}

#[test]
fn esc_cancels_and_drops_the_connection() {
    let server = Server::start(vec![dripping(200, Duration::from_millis(100))]);
    let sb = Sandbox::new();
    configure(&sb, &server);
    let caret = Caret::start(&sb, &[]);
    caret.send(CTRL_L);
    caret.type_text("tell me a long story");
    caret.send(key::ENTER);
    caret.wait_for("word2 ");
    caret.esc();
    caret.wait_for("cancelled");
    let screen = caret.screen();
    assert!(
        screen.contains("word2 "),
        "the partial answer stays:\n{screen}"
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.hung_up.load(Ordering::SeqCst) == 0 {
        assert!(
            Instant::now() < deadline,
            "the server never saw the connection dropped"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!caret.screen().contains("word60"));
}

fn caret_cli(sb: &Sandbox, args: &[&str]) -> std::process::Output {
    sb.command(args).output().unwrap()
}

#[test]
fn ask_and_explain_stream_to_stdout() {
    let server = Server::start(vec![Reply::sse(&openai_stream(&["The answer", " is 4."]))]);
    let sb = Sandbox::new();
    configure(&sb, &server);
    let out = caret_cli(&sb, &["ask", "what", "is", "2+2?"]);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(out.stdout, b"The answer is 4.\n");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        server.requests()[0].json()["messages"][1]["content"],
        "what is 2+2?"
    );

    sb.write(
        "calc.py",
        b"import math\n\ndef area(r):\n    return math.pi * r * r\n\nprint(area(2))\n",
    );
    let out = caret_cli(&sb, &["explain", "calc.py:4", "--model", "flagged"]);
    assert_eq!(out.status.code(), Some(0));
    let sent = server.requests()[1].json();
    assert_eq!(sent["model"], "flagged", "flags beat the config");
    let user = sent["messages"][1]["content"].as_str().unwrap();
    assert!(
        user.starts_with("Explain this code from `calc.py:3-4`"),
        "{user}"
    );
    assert!(user.contains("```python\nimport math\n```"), "{user}");
    assert!(
        user.contains("def area(r):\n    return math.pi * r * r\n```"),
        "{user}"
    );
}

#[test]
fn cli_failures_are_one_line_on_stderr_with_exit_1() {
    let mut body = openai_stream(&["partial"]);
    body.truncate(
        body.find("data: {\"choices\":[{\"index\":0,\"delta\":{},")
            .unwrap(),
    );
    let server = Server::start(vec![Reply::sse(&body).cut()]);
    let sb = Sandbox::new();
    configure(&sb, &server);
    let out = caret_cli(&sb, &["ask", "q"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(out.stdout, b"partial\n", "what arrived is printed");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "caret: stream ended early (the answer above is incomplete)\n"
    );

    let out = caret_cli(&sb, &["explain", "missing.rs:3"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("caret: cannot read missing.rs: "),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1);

    let none = Sandbox::new();
    none.write("config/caret/config.toml", b"[ai]\nprobe_local = false\n");
    let out = caret_cli(&none, &["ask", "anyone?"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("caret: no AI provider configured: "),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1);

    let out = caret_cli(&none, &["ask"]);
    assert_eq!(out.status.code(), Some(2), "usage error");
}

#[test]
fn ask_into_a_closed_pipe_stops_the_request() {
    let server = Server::start(vec![dripping(300, Duration::from_millis(20))]);
    let sb = Sandbox::new();
    configure(&sb, &server);
    let mut child = Command::new(env!("CARGO_BIN_EXE_caret"))
        .args(["ask", "a long story"])
        .current_dir(sb.root())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", sb.path("home"))
        .env("XDG_CONFIG_HOME", sb.path("config"))
        .env("XDG_STATE_HOME", sb.path("state"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read the first words, then go away like `| head` does.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 12];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    assert_eq!(&first, b"word0 word1 ");
    drop(stdout);
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "caret kept streaming into a closed pipe"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.hung_up.load(Ordering::SeqCst) == 0 {
        assert!(Instant::now() < deadline, "the connection was not dropped");
        std::thread::sleep(Duration::from_millis(20));
    }
}

const CTRL_K: &[u8] = b"\x0b";
const SHIFT_DOWN: &[u8] = b"\x1b[1;2B";
const CTRL_END: &[u8] = b"\x1b[1;5F";

const AREA: &str = "fn area(w: u32, h: u32) -> u32 {
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

/// The model's reply to "rename a to area", one SSE event per line, one every `pause`.
fn area_reply(pause: Duration) -> Reply {
    let region = AREA
        .replace("let a =", "let area =")
        .replace("    a\n}", "    area\n}");
    let text = format!("Renamed:\n\n```rust\n{region}```\n");
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let body = openai_stream(&lines);
    let events: Vec<&str> = body.split_inclusive("\n\n").collect();
    Reply::sse("").drip(pause, &events)
}

/// caret on `area.rs`, the whole function selected, Ctrl-K "rename a to area" sent.
fn ask_to_rename(server: &Server) -> (Sandbox, Caret) {
    let sb = Sandbox::new();
    configure(&sb, server);
    sb.write("area.rs", AREA.as_bytes());
    let caret = Caret::start(&sb, &["area.rs"]);
    for _ in 0..15 {
        caret.send(SHIFT_DOWN);
    }
    caret.send(CTRL_K);
    caret.wait_message("Edit lines 1-15: ");
    caret.type_text("rename a to area");
    caret.send(key::ENTER);
    (sb, caret)
}

#[test]
fn ctrl_k_streams_a_diff_reviewed_hunk_by_hunk_and_saves_what_was_accepted() {
    let server = Server::start(vec![area_reply(Duration::from_millis(20))]);
    let (sb, caret) = ask_to_rename(&server);
    // The proposal is drawn over the text: the old line and the new one both show.
    caret.wait_for("let area = w * h;");
    caret.wait_message("2 changes proposed");
    assert!(
        caret.screen().contains("let a = w * h;"),
        "{}",
        caret.screen()
    );
    caret.send(b"y");
    caret.wait_gone("let a = w * h;");
    caret.send(b"n");
    caret.wait_message("review done: 1 accepted, 1 rejected");
    caret.send(key::CTRL_S);
    caret.wait_status_without("[+]");
    assert_eq!(
        String::from_utf8(sb.read("area.rs")).unwrap(),
        AREA.replace("let a =", "let area =")
    );
}

#[test]
fn typing_elsewhere_while_the_diff_streams_keeps_both() {
    let server = Server::start(vec![area_reply(Duration::from_millis(300))]);
    let (sb, caret) = ask_to_rename(&server);
    caret.wait_for("let area = w * h;");
    // Mid-stream: leave the review and type at the end of the file.
    caret.send(b"q");
    caret.send(CTRL_END);
    caret.type_text("// mine");
    caret.send(key::ENTER);
    caret.wait_for("// mine");
    assert!(
        !caret.message_line().contains("changes proposed"),
        "typing happened while the reply was still streaming"
    );
    caret.wait_message("2 changes proposed");
    caret.send(CTRL_K);
    caret.send(b"a");
    caret.wait_message("review done: 2 accepted");
    caret.send(key::CTRL_S);
    caret.wait_status_without("[+]");
    assert_eq!(
        String::from_utf8(sb.read("area.rs")).unwrap(),
        format!(
            "{}// mine\n",
            AREA.replace("let a =", "let area =")
                .replace("    a\n}", "    area\n}")
        )
    );
}

const CTRL_T: &[u8] = b"\x14";

#[test]
fn ctrl_t_fixes_a_compile_error_and_cargo_check_confirms_it() {
    let fix = "The function returns a string:\n\nsrc/lib.rs\n```rust\n<<<<<<< SEARCH\n    \"a + b\"\n=======\n    a + b\n>>>>>>> REPLACE\n```\n";
    let server = Server::start(vec![Reply::sse(&openai_stream(&[fix]))]);
    let sb = Sandbox::new();
    configure(&sb, &server);
    sb.write(".gitignore", b"config/\nstate/\nhome/\ncheck-target/\n");
    sb.write(
        "Cargo.toml",
        b"[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n",
    );
    let broken = "pub fn add(a: i32, b: i32) -> i32 {\n    \"a + b\"\n}\n";
    sb.write("src/lib.rs", broken.as_bytes());
    let options = harness::Options {
        env: sb.toolchain_env(),
        ..harness::Options::default()
    };
    let caret = Caret::spawn(&sb, &["src/lib.rs"], &options);
    caret.wait_ready();
    caret.send(key::DOWN);
    // Nothing checked yet: Ctrl-T runs `cargo check`, then asks for a fix of what it says.
    caret.send(CTRL_T);
    caret.wait_until(
        "the fix drawn over the text",
        Duration::from_mins(2),
        |screen| screen.contents().contains("+    a + b"),
    );
    let json = server.requests()[0].json();
    let user = json["messages"][1]["content"].as_str().unwrap();
    assert!(user.contains("mismatched types"), "{user}");
    caret.send(b"y");
    caret.wait_until("the verdict", Duration::from_mins(2), |screen| {
        screen.contents().contains("fixed: `cargo check")
    });
    // Verified on the unsaved text; saving writes it.
    assert_eq!(sb.read("src/lib.rs"), broken.as_bytes());
    caret.send(key::CTRL_S);
    caret.wait_status_without("[+]");
    assert_eq!(
        sb.read("src/lib.rs"),
        broken.replace("\"a + b\"", "a + b").as_bytes()
    );
}
