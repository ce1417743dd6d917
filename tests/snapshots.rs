//! Snapshot tests of whole rendered frames (ratatui `TestBackend` + insta).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Harness;
use ratatui::style::{Color, Modifier};

const RUST: &str =
    "use std::io;\n\nfn main() {\n    let name = \"caret\";\n    println!(\"hello {name}\");\n}\n";

#[test]
fn editor_with_a_file_and_a_selection() {
    let mut h = Harness::new(50, 10);
    h.file("main.rs", RUST.as_bytes());
    h.open("main.rs");
    h.keys(&[
        "down",
        "down",
        "down",
        "ctrl-right",
        "right",
        "ctrl-shift-right",
    ]);
    insta::assert_snapshot!(h.screen());
    // The selected word "name" is drawn reversed; the current line number stands out.
    for x in 12..16 {
        assert!(h.style_at(x, 4).add_modifier.contains(Modifier::REVERSED));
    }
    assert!(!h.style_at(16, 4).add_modifier.contains(Modifier::REVERSED));
    assert_eq!(h.style_at(2, 4).fg, Some(Color::Yellow));
    assert_eq!(h.cursor(), (16, 4));
}

#[test]
fn find_prompt_highlights_visible_matches() {
    let mut h = Harness::new(50, 10);
    h.file("main.rs", RUST.as_bytes());
    h.open("main.rs");
    h.key("ctrl-f");
    h.type_str("name");
    insta::assert_snapshot!(h.screen());
    // "name" on line 5 (row 5), inside the format string, is highlighted as a match.
    assert_eq!(h.style_at(4 + 21, 5).bg, Some(Color::Yellow));
    assert_ne!(h.style_at(4 + 20, 5).bg, Some(Color::Yellow));
    assert_eq!(h.cursor(), (10, 9));
}

#[test]
fn quit_dialog() {
    let mut h = Harness::new(70, 6);
    h.file("notes.md", b"# notes\n");
    h.open("notes.md");
    h.type_str("x");
    h.key("ctrl-q");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn file_picker() {
    let mut h = Harness::new(50, 12);
    h.file("src/main.rs", b"");
    h.file("src/lib.rs", b"");
    h.file("README.md", b"");
    h.file("target/debug/junk.rs", b"");
    h.file(".gitignore", b"target/\n");
    h.key("ctrl-p");
    h.type_str("mrs");
    h.wait_until("picker", |app| match &app.overlay {
        caret::app::Overlay::Picker(v) => !v.picker.is_walking() && v.rows.len() == 1,
        _ => false,
    });
    insta::assert_snapshot!(h.screen());
}

#[test]
fn wide_tabs_and_invisible_characters() {
    let mut h = Harness::new(30, 6);
    h.paste("\tx中文y\u{200b}z\u{1b}!\nüñï👍e\u{301}\n");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn long_lines_scroll_horizontally_and_split_wide_chars_cleanly() {
    let mut h = Harness::new(20, 5);
    h.paste(&"中".repeat(30));
    // The cursor is at the end: the view has scrolled right.
    insta::assert_snapshot!(h.screen());
}

#[test]
fn narrow_terminal_keeps_the_text() {
    let mut h = Harness::new(16, 3);
    h.file("main.rs", RUST.as_bytes());
    h.open("main.rs");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn big_file_while_loading() {
    let mut h = Harness::new(60, 6);
    let body = "0123456789\n".repeat(1_000_000);
    h.file("big.txt", body.as_bytes());
    h.open("big.txt");
    // Straight after opening, before the background load reports back.
    let screen = h.screen();
    assert!(screen.contains("big.txt  loading"), "{screen}");
    h.wait_until("load", |app| app.buf().loading.is_none());
    insta::assert_snapshot!(h.screen());
}

#[test]
fn command_palette() {
    let mut h = Harness::new(60, 10);
    h.key("ctrl-\\");
    h.type_str("sel wo");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn theme_list() {
    let mut h = Harness::new(60, 12);
    h.file("main.rs", RUST.as_bytes());
    h.open("main.rs");
    h.key("ctrl-\\");
    h.type_str("colour theme");
    h.key("enter");
    h.type_str("l");
    insta::assert_snapshot!(h.screen());
    // The best match is previewed: one-light's background under the editor and the popup.
    assert_eq!(h.app.theme.name(), "one-light");
    let bg = Some(Color::Rgb(0xfa, 0xfa, 0xfa));
    assert_eq!(h.style_at(1, 11).bg, bg);
    assert_eq!(h.style_at(10, 6).bg, Some(Color::Rgb(0xea, 0xea, 0xeb)));
    assert_eq!(
        h.style_at(10, 2).bg,
        Some(Color::Rgb(0xe5, 0xe5, 0xe6)),
        "selected row"
    );
}

#[test]
fn changed_on_disk_banner() {
    let mut h = Harness::new(80, 8);
    h.file("main.rs", RUST.as_bytes());
    h.open("main.rs");
    h.type_str("// mine\n");
    h.replace_file("main.rs", b"fn main() {}\n");
    h.fs_changed("main.rs");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn file_deleted_on_disk() {
    let mut h = Harness::new(80, 6);
    h.file("notes.md", b"# notes\n");
    h.open("notes.md");
    std::fs::remove_file(h.dir.path().join("notes.md")).unwrap();
    h.fs_changed("notes.md");
    insta::assert_snapshot!(h.screen());
}
