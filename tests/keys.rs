//! Key-sequence tests: keys go in through `App::handle_event`, as in the real loop; the
//! assertions are on the text, the screen and the bytes on disk.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::format_collect)]

mod common;

use caret::app::Overlay;
use common::Harness;
use ratatui::style::Color;

#[test]
fn typing_editing_and_saving_round_trip() {
    let mut h = Harness::new(60, 10);
    h.file("a.txt", b"hello\n");
    h.open("a.txt");
    h.keys(&["end"]);
    h.type_str(" world");
    assert_eq!(h.text(), "hello world\n");
    assert!(h.screen().contains("a.txt [+]"));
    h.key("ctrl-s");
    assert_eq!(h.disk("a.txt"), b"hello world\n");
    let screen = h.screen();
    assert!(screen.contains("saved <dir>/a.txt (12 bytes)"), "{screen}");
    assert!(!screen.contains("[+]"));
}

#[test]
fn undo_groups_typing_and_redo_restores() {
    let mut h = Harness::new(60, 10);
    h.type_str("one two");
    h.key("enter");
    h.type_str("three");
    assert_eq!(h.text(), "one two\nthree");
    h.key("ctrl-z");
    assert_eq!(h.text(), "one two\n");
    h.key("ctrl-z");
    h.key("ctrl-z");
    assert_eq!(h.text(), "");
    h.key("ctrl-y");
    assert_eq!(h.text(), "one two");
    h.keys(&["ctrl-y", "ctrl-y"]);
    assert_eq!(h.text(), "one two\nthree");
    h.key("ctrl-y");
    assert!(h.screen().contains("nothing to redo"));
}

#[test]
fn selection_copy_cut_paste_and_osc52() {
    let mut h = Harness::new(60, 10);
    h.type_str("alpha beta");
    h.keys(&["home", "ctrl-shift-right"]);
    assert!(h.screen().contains("(5 selected)"));
    h.key("ctrl-c");
    let osc = h.app.terminal_output.last().cloned().unwrap();
    assert_eq!(osc, "\x1b]52;c;YWxwaGE=\x07");
    h.key("end");
    h.key("ctrl-v");
    assert_eq!(h.text(), "alpha betaalpha");
    h.keys(&["shift-left", "shift-left", "ctrl-x"]);
    assert_eq!(h.text(), "alpha betaalp");
    assert_eq!(h.app.register, "ha");
    // Cut with no selection takes the whole line.
    h.key("ctrl-x");
    assert_eq!(h.text(), "");
    assert_eq!(h.app.register, "alpha betaalp");
}

#[test]
fn word_line_page_and_document_motions() {
    let mut h = Harness::new(40, 8);
    let body: String = (1..=50).map(|i| format!("    line {i} word\n")).collect();
    h.file("m.txt", body.as_bytes());
    h.open("m.txt");
    h.key("ctrl-right");
    h.key("ctrl-right");
    assert!(h.screen().contains("Ln 1, Col 11"));
    h.key("home");
    assert!(
        h.screen().contains("Ln 1, Col 5"),
        "smart home goes to the first non-blank"
    );
    h.key("home");
    assert!(h.screen().contains("Ln 1, Col 1"));
    h.key("pagedown");
    let s = h.screen();
    assert!(s.contains("Ln 5, Col 1"), "{s}");
    h.key("ctrl-end");
    let s = h.screen();
    assert!(s.contains("Ln 51, Col 1"), "{s}");
    assert!(
        s.contains("50     line 50 word"),
        "view follows the cursor: {s}"
    );
    h.key("ctrl-home");
    assert!(h.screen().contains("Ln 1, Col 1"));
}

#[test]
fn enter_auto_indents() {
    let mut h = Harness::new(40, 8);
    h.type_str("fn main() {");
    h.key("enter");
    h.type_str("let x = 1;");
    h.key("enter");
    h.type_str("}");
    assert_eq!(h.text(), "fn main() {\n    let x = 1;\n    }");
}

#[test]
fn tab_indents_selected_lines_and_shift_tab_outdents() {
    let mut h = Harness::new(40, 8);
    h.type_str("a\nb\nc");
    h.keys(&["ctrl-home", "shift-down", "shift-down", "shift-end", "tab"]);
    assert_eq!(h.text(), "    a\n    b\n    c");
    h.key("shift-tab");
    assert_eq!(h.text(), "a\nb\nc");
    h.keys(&["ctrl-end", "tab"]);
    assert_eq!(h.text(), "a\nb\nc   ");
}

#[test]
fn incremental_find_highlights_and_wraps() {
    let mut h = Harness::new(40, 8);
    h.file("f.txt", b"foo bar\nbar foo\nFoo\n");
    h.open("f.txt");
    h.key("ctrl-f");
    h.type_str("fo");
    // Incremental: the first match from the cursor is selected as the query grows.
    assert_eq!(h.app.doc().selection().from(), 0);
    h.type_str("o");
    h.key("enter");
    h.key("f3");
    assert_eq!(h.app.doc().selection().from(), 12);
    h.key("f3");
    let s = h.screen();
    assert_eq!(h.app.doc().selection().from(), 16, "smart case matches Foo");
    h.key("f3");
    assert!(h.screen().contains("search wrapped"), "{s}");
    h.key("shift-f3");
    assert_eq!(h.app.doc().selection().from(), 16);
}

#[test]
fn find_escape_returns_to_where_it_started() {
    let mut h = Harness::new(40, 8);
    h.file("f.txt", b"abc\nxyz\nabc\n");
    h.open("f.txt");
    h.key("down");
    h.key("ctrl-f");
    h.type_str("abc");
    assert_eq!(h.app.doc().selection().from(), 8);
    h.key("esc");
    assert_eq!(h.app.doc().cursor(), 4);
    assert!(matches!(h.app.overlay, Overlay::None));
}

#[test]
fn replace_asks_per_match_and_all_is_one_undo_step() {
    let mut h = Harness::new(60, 8);
    h.file("r.txt", b"cat cat cat cat\n");
    h.open("r.txt");
    h.key("ctrl-r");
    h.type_str("cat");
    h.key("enter");
    h.type_str("dog");
    h.key("enter");
    assert!(h.screen().contains("Replace this match (4 in all)?"));
    h.key("y");
    h.key("n");
    h.key("a");
    assert_eq!(h.text(), "dog cat dog dog\n");
    assert!(h.screen().contains("replaced 3 matches"));
    h.key("ctrl-z");
    assert_eq!(h.text(), "dog cat cat cat\n");
}

#[test]
fn goto_line_and_column() {
    let mut h = Harness::new(40, 8);
    let body: String = (1..=30).map(|i| format!("row {i}\n")).collect();
    h.file("g.txt", body.as_bytes());
    h.open("g.txt");
    h.key("ctrl-g");
    h.type_str("20:3");
    h.key("enter");
    assert!(h.screen().contains("Ln 20, Col 3"));
    h.key("ctrl-g");
    h.type_str("x");
    h.key("enter");
    assert!(h.screen().contains("not a line number: 'x'"));
}

#[test]
fn buffers_switch_and_close() {
    let mut h = Harness::new(60, 8);
    h.file("one.txt", b"1\n");
    h.file("two.txt", b"2\n");
    h.open("one.txt");
    h.open("two.txt");
    let s = h.screen();
    assert!(s.starts_with(" one.txt   two.txt"), "{s}");
    h.key("alt-left");
    assert_eq!(h.text(), "1\n");
    h.key("alt-right");
    assert_eq!(h.text(), "2\n");
    h.type_str("x");
    h.key("ctrl-w");
    assert!(
        h.screen()
            .contains("two.txt has unsaved changes. [s]save [d]discard [c]cancel")
    );
    h.key("d");
    assert_eq!(h.app.buffers.len(), 1);
    assert_eq!(h.disk("two.txt"), b"2\n");
}

#[test]
fn quit_asks_about_unsaved_buffers() {
    let mut h = Harness::new(80, 8);
    h.file("q.txt", b"q\n");
    h.open("q.txt");
    h.type_str("z");
    h.key("ctrl-q");
    assert!(!h.app.quit);
    assert!(
        h.screen()
            .contains("Unsaved changes in q.txt. [s]save all [d]discard [c]cancel")
    );
    h.key("c");
    assert!(!h.app.quit);
    h.key("ctrl-q");
    h.key("s");
    assert!(h.app.quit);
    assert_eq!(h.disk("q.txt"), b"zq\n");
}

#[test]
fn untitled_buffer_asks_for_a_name() {
    let mut h = Harness::new(60, 8);
    h.type_str("new");
    h.key("ctrl-s");
    assert!(h.screen().contains("Save as:"));
    let target = h.dir.path().join("named.txt").display().to_string();
    h.type_str(&target);
    h.key("enter");
    assert_eq!(h.disk("named.txt"), b"new");
    assert!(!h.app.doc().is_dirty());
}

#[test]
fn paste_normalises_line_endings_to_the_document() {
    let mut h = Harness::new(60, 8);
    h.file("c.txt", b"a\r\nb\r\n");
    h.open("c.txt");
    h.paste("x\ny\rz\r\n");
    assert_eq!(h.text(), "x\r\ny\r\nz\r\na\r\nb\r\n");
}

#[test]
fn big_paste_is_one_transaction() {
    let mut h = Harness::new(60, 8);
    let line = "0123456789".repeat(5) + "\n";
    let big = line.repeat(200_000);
    h.paste(&big);
    assert_eq!(h.app.doc().text().len_bytes(), big.len());
    assert!(h.screen().contains("Ln 200001, Col 1"));
    h.key("ctrl-z");
    assert_eq!(h.text(), "");
}

#[test]
fn mouse_click_drag_and_wheel() {
    use crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let mut h = Harness::new(40, 10);
    let body: String = (1..=40).map(|i| format!("line {i}\n")).collect();
    h.file("m.txt", body.as_bytes());
    h.open("m.txt");
    let mouse = |kind, column, row| {
        Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    // Gutter is 4 columns ("  1 "); row 1 is the first text row (row 0 holds the tabs).
    h.event(mouse(MouseEventKind::Down(MouseButton::Left), 6, 3));
    assert!(h.screen().contains("Ln 3, Col 3"));
    h.event(mouse(MouseEventKind::Drag(MouseButton::Left), 8, 4));
    h.event(mouse(MouseEventKind::Up(MouseButton::Left), 8, 4));
    assert_eq!(h.app.doc().selected_text(), "ne 3\nline");
    h.event(mouse(MouseEventKind::ScrollDown, 6, 3));
    let s = h.screen();
    assert!(s.lines().nth(1).unwrap().starts_with("  4 line 4"), "{s}");
}

#[test]
fn unicode_cursor_moves_by_grapheme_and_columns_match_width() {
    let mut h = Harness::new(40, 6);
    // Pasted, so the tab stays a tab character (the Tab key inserts spaces by default).
    h.paste("a中e\u{301}👍🏽\tb");
    h.key("home");
    h.key("right");
    assert!(h.screen().contains("Col 2"));
    h.key("right");
    assert!(
        h.screen().contains("Col 4"),
        "the CJK char is two columns wide"
    );
    h.key("right");
    assert!(
        h.screen().contains("Col 5"),
        "e + combining accent is one step"
    );
    h.key("right");
    assert!(
        h.screen().contains("Col 7"),
        "emoji with skin tone is one step, two columns"
    );
    h.key("right");
    assert!(h.screen().contains("Col 9"), "tab to the next stop");
    h.key("backspace");
    h.key("backspace");
    assert_eq!(h.text(), "a中e\u{301}b");
    // The cursor on screen sits where the terminal would draw the next character.
    h.key("end");
    h.screen();
    assert_eq!(h.cursor(), (4 + 5, 1));
}

#[test]
fn keymap_overrides_from_config() {
    let mut config = caret::config::Config::default();
    config.keys.insert("f2".into(), "save".into());
    config.keys.insert("ctrl-s".into(), "none".into());
    config.keys.insert("ctrl-b".into(), "bogus".into());
    let mut h = Harness::with_config(60, 8, config);
    assert!(
        h.screen()
            .contains("unknown action 'bogus' for key 'ctrl-b'")
    );
    h.file("k.txt", b"");
    h.open("k.txt");
    h.type_str("k");
    h.key("ctrl-s");
    assert_eq!(h.disk("k.txt"), b"");
    h.key("f2");
    assert_eq!(h.disk("k.txt"), b"k");
}

#[test]
fn tiny_terminals_do_not_panic() {
    let mut h = Harness::new(80, 24);
    h.type_str("some text\nmore 中文 text\n");
    for (w, hgt) in [
        (1, 1),
        (2, 1),
        (1, 2),
        (3, 3),
        (10, 4),
        (0, 0),
        (5, 2),
        (80, 24),
    ] {
        h.resize(w, hgt);
        h.key("left");
        h.screen();
    }
    h.key("ctrl-p");
    for (w, hgt) in [(1, 1), (4, 3), (80, 24)] {
        h.resize(w, hgt);
        h.screen();
    }
}

#[test]
fn binary_and_invalid_utf8_files_are_refused() {
    let mut h = Harness::new(100, 8);
    h.file("bin.dat", b"\x7fELF\0\0\x01");
    h.file("latin1.txt", b"caf\xe9\n");
    h.open("bin.dat");
    assert!(h.screen().contains("looks like a binary file"));
    h.open("latin1.txt");
    assert!(
        h.screen()
            .contains("is not valid UTF-8 (bad byte at offset 3)")
    );
    assert_eq!(h.app.buffers.len(), 1);
    assert!(h.app.doc().path.is_none());
}

#[test]
fn big_files_show_at_once_and_finish_loading() {
    let mut h = Harness::new(60, 8);
    let line = "let value = compute(42); // a comment\n";
    let body = line.repeat((10 << 20) / line.len());
    h.file("big.rs", body.as_bytes());
    h.open("big.rs");
    // The first screen is there before the load completes, and can be edited at once.
    assert!(h.screen().contains("let value = compute(42);"));
    h.type_str("y");
    h.key("ctrl-s");
    let screen = h.screen();
    assert!(
        screen.contains("not saved: <dir>/big.rs is still loading"),
        "{screen}"
    );
    h.wait_until("load", |app| app.buf().loading.is_none());
    assert_eq!(h.app.doc().text().len_bytes(), body.len() + 1);
    h.key("ctrl-end");
    h.type_str("x");
    h.key("ctrl-s");
    let disk = h.disk("big.rs");
    assert_eq!(disk.len(), body.len() + 2);
    assert!(disk.starts_with(b"ylet value"));
    assert!(disk.ends_with(b"comment\nx"));
}

#[test]
fn find_prefills_the_selection_and_typing_replaces_it() {
    let mut h = Harness::new(40, 8);
    h.file("p.txt", b"alpha beta alpha\n");
    h.open("p.txt");
    h.key("ctrl-shift-right");
    h.key("ctrl-f");
    assert!(h.screen().contains("Find: alpha"));
    h.key("enter");
    h.key("f3");
    assert_eq!(h.app.doc().selection().from(), 11);
    h.key("ctrl-f");
    h.type_str("beta");
    assert!(h.screen().contains("Find: beta"));
    assert_eq!(h.app.doc().selection().from(), 6);
}

#[test]
fn work_typed_into_a_new_file_before_a_crash_is_offered_back() {
    let mut h = Harness::new(100, 8);
    let path = h.dir.path().join("never-saved.txt");
    let recovery_dir = h.dir.path().join("state/recovery");
    let file = caret::recovery::path_for_file(&recovery_dir, &path);
    caret::recovery::write(
        &recovery_dir,
        &file,
        Some(&path),
        &ropey::Rope::from_str("typed\n"),
    )
    .unwrap();
    h.open("never-saved.txt");
    let s = h.screen();
    assert!(
        s.contains("never-saved.txt has unsaved changes in a recovery file"),
        "{s}"
    );
    h.key("r");
    assert_eq!(h.text(), "typed\n");
    h.key("ctrl-s");
    assert_eq!(h.disk("never-saved.txt"), b"typed\n");
    assert!(
        !file.exists(),
        "the recovery copy goes once the text is saved"
    );
}

#[test]
fn typing_at_the_end_of_a_very_long_line_draws_what_a_fresh_view_draws() {
    let line = "let x = \"中\";\t".repeat(8_000);
    let mut h = Harness::new(50, 6);
    h.file("long.js", line.as_bytes());
    h.open("long.js");
    h.key("end");
    h.type_str("abc");
    h.key("backspace");
    h.type_str("中z");
    let typed = h.screen();
    // The same text and cursor in a fresh editor, with no column checkpoints to reuse.
    let mut fresh = Harness::new(50, 6);
    fresh.file("long.js", format!("{line}ab中z").as_bytes());
    fresh.open("long.js");
    fresh.key("end");
    let expected = fresh.screen();
    let text_row = |screen: &str| screen.lines().nth(1).unwrap().to_string();
    assert_eq!(text_row(&typed), text_row(&expected));
    assert!(text_row(&typed).ends_with("ab中z"), "{typed}");
    assert!(typed.contains("Ln 1, Col 128006"), "{typed}");
    assert!(expected.contains("Ln 1, Col 128006"), "{expected}");
    assert_eq!(h.cursor(), fresh.cursor());
}

#[test]
fn search_highlights_stay_until_escape_and_come_back_with_f3() {
    let mut h = Harness::new(40, 6);
    h.file("h.txt", b"one two one\n");
    h.open("h.txt");
    h.key("ctrl-f");
    h.type_str("one");
    h.key("enter");
    h.screen();
    // Gutter is 4 columns: the second "one" starts at column 4 + 8.
    assert_eq!(h.style_at(12, 1).bg, Some(Color::Yellow));
    h.key("esc");
    h.screen();
    assert_ne!(h.style_at(12, 1).bg, Some(Color::Yellow));
    h.key("f3");
    h.screen();
    assert_eq!(h.style_at(4, 1).bg, Some(Color::Yellow));
}

#[test]
fn command_palette_runs_an_action_by_name() {
    let mut h = Harness::new(60, 12);
    h.type_str("abc");
    h.key("ctrl-\\");
    assert!(h.screen().contains("Commands"));
    h.type_str("undo");
    h.key("enter");
    assert_eq!(h.text(), "");
    assert!(matches!(h.app.overlay, Overlay::None));
    // Esc closes it without running anything.
    h.type_str("x");
    h.key("ctrl-\\");
    h.type_str("undo");
    h.key("esc");
    assert_eq!(h.text(), "x");
}

#[test]
fn theme_list_previews_keeps_on_enter_and_restores_on_esc() {
    let mut h = Harness::new(60, 14);
    h.type_str("fn main() {}");
    h.key("ctrl-\\");
    h.type_str("colour theme");
    h.key("enter");
    let screen = h.screen();
    assert!(screen.contains("Themes"), "{screen}");
    assert!(screen.contains("gruvbox-dark"), "{screen}");
    assert_eq!(h.app.theme.name(), "default");

    // Typing narrows the list and previews the best match at once.
    h.type_str("gruv");
    assert_eq!(h.app.theme.name(), "gruvbox-dark");
    h.screen();
    // The theme's background fills the screen around the popup, empty rows included.
    let bg = Some(Color::Rgb(0x28, 0x28, 0x28));
    assert_eq!(h.style_at(1, 5).bg, bg);
    assert_eq!(h.style_at(59, 11).bg, bg);
    h.key("esc");
    assert_eq!(h.app.theme.name(), "default", "Esc puts the old theme back");
    h.screen();
    assert_eq!(h.style_at(1, 5).bg, Some(Color::Reset));

    // Moving the selection previews each theme; Enter keeps the one shown.
    h.key("ctrl-\\");
    h.type_str("colour theme");
    h.key("enter");
    h.key("down");
    let next = h.app.theme.name().to_string();
    assert_ne!(next, "default");
    h.keys(&["ctrl-u"]);
    h.type_str("solarized");
    h.key("enter");
    assert!(matches!(h.app.overlay, Overlay::None));
    assert_eq!(h.app.theme.name(), "solarized-light");
    let screen = h.screen();
    assert!(screen.contains("theme: solarized-light"), "{screen}");
    assert_eq!(h.style_at(10, 1).bg, Some(Color::Rgb(0xfd, 0xf6, 0xe3)));
}

#[test]
fn theme_list_includes_user_themes_and_reports_broken_ones() {
    let mut h = Harness::new(60, 14);
    h.file(
        "config/themes/mine.toml",
        b"inherits = \"default\"\n\"ui.text\" = { bg = \"#102030\" }\n",
    );
    h.file("config/themes/broken.toml", b"\"keyword\" = \"purpel\"\n");
    h.key("ctrl-\\");
    h.type_str("colour theme");
    h.key("enter");
    h.type_str("mine");
    assert_eq!(h.app.theme.name(), "mine");
    h.key("ctrl-u");
    h.type_str("broken");
    // The broken theme says what is wrong and leaves the last good preview on screen.
    assert_eq!(h.app.theme.name(), "mine");
    h.key("enter");
    assert_eq!(h.app.theme.name(), "default");
    let message = h.app.message.clone().unwrap();
    assert!(message.error);
    assert!(
        message
            .text
            .contains("/config/themes/broken.toml:1: unknown colour \"purpel\""),
        "{}",
        message.text
    );
}
