//! End-to-end tests of files changed on disk while the real caret binary has them open: this
//! test process plays the other program (git, a formatter, another editor) and no key is
//! pressed until the change shows on the emulated screen.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "e2e/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::io::Write as _;
use std::time::{Duration, Instant};

use harness::{Caret, Sandbox, key};

/// Writes `rel` the way git and formatters do: a new file renamed over the old one.
fn replace_by_rename(sb: &Sandbox, rel: &str, bytes: &[u8]) {
    let temp = sb.path(&format!(".{rel}.formatter-tmp"));
    std::fs::write(&temp, bytes).unwrap();
    std::fs::rename(&temp, sb.path(rel)).unwrap();
}

/// Rewrites `rel` in place: truncate, then write (as `>` in a shell does).
fn rewrite_in_place(sb: &Sandbox, rel: &str, bytes: &[u8]) {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(sb.path(rel))
        .unwrap();
    file.write_all(bytes).unwrap();
}

/// Idle re-checks once in ten minutes: whatever shows up sooner came from the file watcher.
fn watcher_only(sb: &Sandbox) {
    sb.write(
        "config/caret/config.toml",
        b"[editor]\nrecovery_idle_ms = 600000\n",
    );
}

/// Checks that `check` keeps holding for `period` (for "nothing happens" assertions, which
/// need some wait: well past the watcher's debounce and an idle re-check).
fn stays(caret: &Caret, period: Duration, what: &str, check: impl Fn(&str) -> bool) {
    let start = Instant::now();
    while start.elapsed() < period {
        let screen = caret.screen();
        assert!(check(&screen), "{what}; screen:\n{screen}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// (a) A clean buffer follows the file, whether it is replaced by rename or rewritten in
/// place, and each reload is one Ctrl-Z away.
#[test]
fn clean_buffer_follows_the_file_and_undo_brings_the_old_text_back() {
    let sb = Sandbox::new();
    watcher_only(&sb);
    sb.write("a.txt", b"first version\n");
    let caret = Caret::start(&sb, &["a.txt"]);
    caret.wait_for("first version");

    replace_by_rename(&sb, "a.txt", b"second version\nfrom a formatter\n");
    caret.wait_for("from a formatter");
    caret.wait_message("reloaded a.txt (changed on disk)");
    caret.wait_gone("first version");
    caret.wait_status_without("[+]");

    rewrite_in_place(&sb, "a.txt", b"third version\n");
    caret.wait_for("third version");
    caret.wait_gone("from a formatter");

    caret.send(key::CTRL_Z);
    caret.wait_for("from a formatter");
    caret.wait_status("[+]");
    caret.send(key::CTRL_Z);
    caret.wait_for("first version");
    caret.wait_gone("second version");
    assert_eq!(sb.read("a.txt"), b"third version\n", "undo touches no file");
}

/// (b) Unsaved changes and a change on disk: the banner asks; keep mine keeps the buffer,
/// and saving still asks before overwriting, then writes my bytes.
#[test]
fn dirty_buffer_banner_keep_mine_then_overwrite() {
    let sb = Sandbox::new();
    sb.write("a.txt", b"one\n");
    let caret = Caret::start(&sb, &["a.txt"]);
    caret.wait_for("one");
    caret.type_text("mine ");
    caret.wait_for("mine one");

    replace_by_rename(&sb, "a.txt", b"theirs\n");
    caret.wait_message("a.txt changed on disk (unsaved edits here).");
    caret.wait_message("[r]reload [k]keep mine [d]diff");
    assert!(caret.screen().contains("mine one"), "nothing reloaded yet");
    caret.send(b"k");
    caret.wait_message("kept your changes to a.txt");
    caret.wait_status("[+]");

    caret.send(key::CTRL_S);
    caret.wait_message("changed on disk since it was loaded. Overwrite it?");
    caret.send(b"o");
    caret.wait_message("saved a.txt (9 bytes)");
    caret.wait_status_without("[+]");
    assert_eq!(sb.read("a.txt"), b"mine one\n");
}

/// (b) The other way: reload shows the disk text, and Ctrl-Z brings my text back.
#[test]
fn dirty_buffer_banner_reload_then_undo_recovers_my_text() {
    let sb = Sandbox::new();
    watcher_only(&sb);
    sb.write("a.txt", b"one\ntwo\n");
    let caret = Caret::start(&sb, &["a.txt"]);
    caret.wait_for("two");
    caret.type_text("mine ");
    caret.wait_for("mine one");

    rewrite_in_place(&sb, "a.txt", b"one\ntwo\nthree from git\n");
    caret.wait_message("[r]reload");
    caret.send(b"r");
    caret.wait_for("three from git");
    caret.wait_gone("mine one");
    caret.wait_message("Ctrl-Z brings your changes back");
    caret.wait_status_without("[+]");

    caret.send(key::CTRL_Z);
    caret.wait_for("mine one");
    caret.wait_gone("three from git");
    caret.wait_status("[+]");
    assert_eq!(sb.read("a.txt"), b"one\ntwo\nthree from git\n");
}

/// (c) A file deleted while open: the buffer keeps its text and says so; Ctrl-S writes it
/// back.
#[test]
fn deleted_file_is_marked_and_saved_back() {
    let sb = Sandbox::new();
    watcher_only(&sb);
    sb.write("gone.txt", b"precious\n");
    let caret = Caret::start(&sb, &["gone.txt"]);
    caret.wait_for("precious");

    std::fs::remove_file(sb.path("gone.txt")).unwrap();
    caret.wait_status("[deleted]");
    caret.wait_message("gone.txt was deleted or moved on disk");
    caret.wait_for("gone.txt [deleted]");
    assert!(caret.screen().contains("precious"));

    caret.send(key::CTRL_S);
    caret.wait_message("saved gone.txt (9 bytes)");
    caret.wait_status_without("[deleted]");
    caret.wait_status_without("[+]");
    assert_eq!(sb.read("gone.txt"), b"precious\n");
}

/// (d) caret's own saves are never taken for changes by someone else.
#[test]
fn own_save_triggers_no_reload_and_no_banner() {
    let sb = Sandbox::new();
    sb.write("a.txt", b"text\n");
    let caret = Caret::start(&sb, &["a.txt"]);
    caret.wait_for("text");
    for round in 0..3 {
        caret.type_text("x");
        caret.wait_status("[+]");
        caret.send(key::CTRL_S);
        caret.wait_message(&format!("saved a.txt ({} bytes)", 6 + round));
        caret.wait_status_without("[+]");
    }
    // Past the debounce and at least one idle re-check: still only our own message.
    stays(
        &caret,
        Duration::from_millis(1500),
        "no reload or banner after our own save",
        |s| s.contains("saved a.txt (8 bytes)") && !s.contains("changed on disk"),
    );
    caret.send(key::CTRL_Z);
    caret.wait_for("xxtext");
    caret.wait_gone("xxxtext");
}
