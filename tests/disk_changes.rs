//! Files changed on disk by other programs, as key-sequence tests: the watcher's event is fed
//! in through `App::handle_event`, as the real loop does, and the assertions are on the text,
//! the undo history, the screen and the bytes on disk.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use caret::app::Overlay;
use caret::buffer::DiskState;
use caret::dialog::DialogKind;
use common::Harness;
use crossterm::event::Event;

fn banner_up(h: &Harness) -> bool {
    matches!(&h.app.overlay, Overlay::Dialog(d) if matches!(d.kind, DialogKind::ChangedOnDisk(_)))
}

fn overwrite_asked(h: &Harness) -> bool {
    matches!(&h.app.overlay, Overlay::Dialog(d) if matches!(d.kind, DialogKind::OverwriteChanged(_)))
}

/// a.txt opened with `before`, "mine " typed at its start, then rewritten on disk to
/// `after` while the buffer is dirty, and the watcher's event delivered.
fn conflict(size: (u16, u16), before: &[u8], after: &[u8]) -> Harness {
    let mut h = Harness::new(size.0, size.1);
    h.file("a.txt", before);
    h.open("a.txt");
    h.type_str("mine ");
    h.replace_file("a.txt", after);
    h.fs_changed("a.txt");
    h
}

#[test]
fn clean_buffer_reloads_as_one_undo_step() {
    let mut h = Harness::new(60, 10);
    h.file("a.txt", b"one\ntwo\nthree\n");
    h.open("a.txt");
    h.keys(&["down", "down", "right"]);
    h.replace_file("a.txt", b"zero\none\ntwo\nthree\nfour\n");
    h.fs_changed("a.txt");
    assert_eq!(h.text(), "zero\none\ntwo\nthree\nfour\n");
    assert!(
        !h.app.doc().is_dirty(),
        "a reloaded buffer matches the disk"
    );
    let screen = h.screen();
    assert!(
        screen.contains("reloaded a.txt (changed on disk)"),
        "{screen}"
    );
    // The cursor stayed on its text: "three", one char in.
    assert!(screen.contains("Ln 4, Col 2"), "{screen}");

    h.key("ctrl-z");
    assert_eq!(h.text(), "one\ntwo\nthree\n");
    assert!(
        h.app.doc().is_dirty(),
        "the old text is not what is on disk"
    );
    h.key("ctrl-y");
    assert_eq!(h.text(), "zero\none\ntwo\nthree\nfour\n");
    assert!(!h.app.doc().is_dirty());
    assert_eq!(h.disk("a.txt"), b"zero\none\ntwo\nthree\nfour\n");
}

#[test]
fn typing_after_a_reload_is_a_separate_undo_step() {
    let mut h = Harness::new(60, 10);
    h.file("a.txt", b"abc\n");
    h.open("a.txt");
    h.type_str("x");
    h.key("ctrl-s");
    std::fs::write(h.dir.path().join("a.txt"), b"xabc\nmore\n").unwrap();
    h.fs_changed("a.txt");
    assert_eq!(h.text(), "xabc\nmore\n");
    h.type_str("y");
    h.key("ctrl-z");
    assert_eq!(h.text(), "xabc\nmore\n");
    h.key("ctrl-z");
    assert_eq!(h.text(), "xabc\n");
    h.key("ctrl-z");
    assert_eq!(h.text(), "abc\n");
}

#[test]
fn in_place_rewrite_with_crlf_and_no_final_newline() {
    let mut h = Harness::new(60, 10);
    h.file("w.txt", b"\xEF\xBB\xBFa\r\nb\r\nc");
    h.open("w.txt");
    std::fs::write(h.dir.path().join("w.txt"), b"\xEF\xBB\xBFa\r\nbee\r\nc").unwrap();
    h.fs_changed("w.txt");
    assert_eq!(h.text(), "a\r\nbee\r\nc");
    assert!(h.screen().contains("CRLF  BOM"));
    // Saving writes back exactly the bytes on disk.
    h.type_str("!");
    h.key("ctrl-z");
    h.key("ctrl-s");
    assert_eq!(h.disk("w.txt"), b"\xEF\xBB\xBFa\r\nbee\r\nc");
}

#[test]
fn own_save_is_not_a_change_on_disk() {
    let mut h = Harness::new(60, 10);
    h.file("a.txt", b"one\n");
    h.open("a.txt");
    h.type_str("x");
    h.key("ctrl-s");
    let saved = h.message();
    h.fs_changed("a.txt");
    h.app.handle_event(caret::event::AppEvent::IdleTick);
    assert_eq!(h.message(), saved);
    assert!(h.app.overlay_is_none());
    h.key("ctrl-z");
    assert_eq!(h.text(), "one\n", "no reload step got in between");
}

#[test]
fn touched_file_with_the_same_text_changes_nothing() {
    let mut h = Harness::new(60, 10);
    h.file("a.txt", b"same\n");
    h.file("b.txt", b"base\n");
    h.open("a.txt");
    h.open("b.txt");
    h.type_str("mine ");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    for name in ["a.txt", "b.txt"] {
        let file = std::fs::File::options()
            .write(true)
            .open(h.dir.path().join(name))
            .unwrap();
        file.set_modified(later).unwrap();
    }
    h.fs_changed("a.txt");
    assert!(
        h.app.overlay_is_none(),
        "no conflict: disk still has the base text"
    );
    assert_eq!(h.text(), "mine base\n");
    assert!(!h.app.buffers[0].doc.can_undo(), "nothing was reloaded");
    // The new stamps were taken in: saving does not ask.
    h.key("ctrl-s");
    assert_eq!(h.disk("b.txt"), b"mine base\n");
}

#[test]
fn dirty_buffer_keep_mine_then_save_asks_before_overwriting() {
    let mut h = conflict((80, 10), b"one\n", b"theirs\n");
    assert!(banner_up(&h));
    let screen = h.screen();
    assert!(
        screen
            .contains("a.txt changed on disk (unsaved edits here). [r]reload [k]keep mine [d]diff"),
        "{screen}"
    );
    // Typing does not reach the buffer while the banner waits for an answer.
    h.type_str("x");
    assert_eq!(h.text(), "mine one\n");
    h.key("k");
    assert!(h.app.overlay_is_none());
    assert_eq!(h.text(), "mine one\n");
    assert!(h.app.doc().is_dirty());
    // The same disk version does not ask again.
    h.fs_changed("a.txt");
    assert!(h.app.overlay_is_none());

    h.key("ctrl-s");
    assert!(overwrite_asked(&h));
    h.key("o");
    assert_eq!(h.disk("a.txt"), b"mine one\n");
    assert!(!h.app.doc().is_dirty());
}

#[test]
fn dirty_buffer_reload_keeps_my_text_one_undo_away() {
    let mut h = conflict((80, 10), b"one\n", b"theirs\n");
    h.key("r");
    assert_eq!(h.text(), "theirs\n");
    assert!(!h.app.doc().is_dirty());
    assert!(h.screen().contains("Ctrl-Z brings your changes back"));
    h.key("ctrl-z");
    assert_eq!(h.text(), "mine one\n");
    assert!(h.app.doc().is_dirty());
    // Saving now is a deliberate choice over the reloaded disk text: no question.
    h.key("ctrl-s");
    assert_eq!(h.disk("a.txt"), b"mine one\n");
}

#[test]
fn dirty_buffer_view_diff_then_choose() {
    let mut h = conflict((80, 12), b"one\ntwo\n", b"one\ntwo\nthree\n");
    h.key("d");
    assert_eq!(h.app.buffers.len(), 2);
    assert_eq!(h.app.buf().display_name(), "a.txt (disk ↔ buffer).diff");
    assert_eq!(
        h.text(),
        "--- disk\n+++ buffer\n@@ -1,3 +1,2 @@\n-one\n+mine one\n two\n-three\n"
    );
    assert!(h.app.overlay_is_none(), "the banner stays with a.txt");
    h.type_str("x");
    assert!(
        h.text().starts_with("--- disk"),
        "the diff view is read-only"
    );
    let screen = h.screen();
    assert!(screen.contains("a.txt (disk ↔ buffer).diff"), "{screen}");

    h.key("alt-left");
    assert_eq!(h.app.buf().display_name(), "a.txt");
    assert!(banner_up(&h), "the banner returns on the original buffer");
    h.key("d");
    assert_eq!(
        h.app.buffers.len(),
        2,
        "a second look replaces the first view"
    );
    h.key("alt-left");
    h.key("k");
    assert!(h.app.overlay_is_none());
    assert_eq!(h.text(), "mine one\ntwo\n");
    h.key("alt-right");
    h.key("alt-left");
    assert!(h.app.overlay_is_none(), "answered: no banner any more");
}

#[test]
fn banner_waits_for_its_buffer_to_be_current() {
    let mut h = Harness::new(80, 10);
    h.file("a.txt", b"a\n");
    h.file("b.txt", b"b\n");
    h.open("a.txt");
    h.type_str("mine ");
    h.open("b.txt");
    h.replace_file("a.txt", b"theirs\n");
    h.fs_changed("a.txt");
    assert!(h.app.overlay_is_none());
    assert!(
        h.screen()
            .contains("a.txt changed on disk and has unsaved changes here")
    );
    h.key("alt-left");
    assert!(banner_up(&h));
    // Switching away while it is up: it goes, and comes back with its buffer.
    h.key("alt-right");
    assert!(h.app.overlay_is_none());
    assert_eq!(h.text(), "b\n");
    h.key("alt-left");
    assert!(banner_up(&h));
    h.key("esc");
    assert!(h.app.overlay_is_none(), "Esc keeps mine");
    assert_eq!(h.text(), "mine a\n");
}

#[test]
fn deleted_file_is_marked_and_written_back_on_save() {
    let mut h = Harness::new(80, 10);
    h.file("a.txt", b"keep me\n");
    h.open("a.txt");
    std::fs::remove_file(h.dir.path().join("a.txt")).unwrap();
    h.fs_changed("a.txt");
    assert_eq!(h.text(), "keep me\n");
    assert_eq!(
        h.app.buf().on_disk,
        DiskState::Deleted {
            clean_version: Some(h.app.doc().version())
        }
    );
    assert!(h.app.doc().is_dirty(), "the text exists only here now");
    let screen = h.screen();
    assert!(screen.starts_with(" a.txt [deleted] ●"), "{screen}");
    assert!(screen.contains("a.txt [+] [deleted]"), "{screen}");
    assert!(
        screen.contains("a.txt was deleted or moved on disk; kept here (Ctrl-S writes it back)"),
        "{screen}"
    );
    h.key("ctrl-q");
    assert!(!h.app.quit, "quitting asks");
    h.key("c");

    h.key("ctrl-s");
    assert_eq!(h.disk("a.txt"), b"keep me\n");
    assert_eq!(h.app.buf().on_disk, DiskState::Present);
    assert!(!h.screen().contains("[deleted]"));
}

#[test]
fn file_moved_away_and_back_is_clean_again() {
    let mut h = Harness::new(60, 10);
    h.file("a.txt", b"text\n");
    h.open("a.txt");
    let (here, away) = (h.dir.path().join("a.txt"), h.dir.path().join("b.txt"));
    std::fs::rename(&here, &away).unwrap();
    h.fs_changed("a.txt");
    assert!(h.app.doc().is_dirty());
    std::fs::rename(&away, &here).unwrap();
    h.fs_changed("a.txt");
    assert_eq!(h.app.buf().on_disk, DiskState::Present);
    assert!(!h.app.doc().is_dirty());
    assert!(h.screen().contains("a.txt is back on disk"));
}

#[test]
fn file_that_comes_back_changed_reloads_if_untouched_else_asks() {
    let mut h = Harness::new(80, 10);
    h.file("a.txt", b"old\n");
    h.file("b.txt", b"old\n");
    h.open("a.txt");
    h.open("b.txt");
    h.type_str("typed ");
    for name in ["a.txt", "b.txt"] {
        std::fs::remove_file(h.dir.path().join(name)).unwrap();
    }
    h.fs_changed("a.txt");
    h.file("a.txt", b"new\n");
    h.file("b.txt", b"new\n");
    h.fs_changed("a.txt");
    // b.txt (current) had typing: asks.
    assert!(banner_up(&h));
    h.key("alt-left");
    assert_eq!(h.text(), "new\n", "a.txt was untouched: reloaded");
    assert!(!h.app.doc().is_dirty());
    h.key("ctrl-z");
    assert_eq!(h.text(), "old\n");
}

#[test]
fn binary_or_unreadable_replacement_is_not_reloaded() {
    let mut h = Harness::new(90, 10);
    h.file("a.txt", b"text\n");
    h.open("a.txt");
    h.replace_file("a.txt", b"\x00\x01binary");
    h.fs_changed("a.txt");
    assert_eq!(h.text(), "text\n");
    let msg = h.message().unwrap();
    assert!(
        msg.contains("a.txt changed on disk and was not reloaded") && msg.contains("binary"),
        "{msg}"
    );
    // Told once: the same version is not reported again.
    h.app.message = None;
    h.fs_changed("a.txt");
    assert_eq!(h.message(), None);
    // Saving still asks before replacing it.
    h.type_str("x");
    h.key("ctrl-s");
    assert!(overwrite_asked(&h));
}

#[test]
fn focus_gained_checks_the_files_too() {
    let mut h = Harness::new(60, 10);
    h.file("a.txt", b"one\n");
    h.open("a.txt");
    h.replace_file("a.txt", b"two\n");
    h.event(Event::FocusGained);
    assert_eq!(h.text(), "two\n");
}
