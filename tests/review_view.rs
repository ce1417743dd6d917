//! A suggested edit under review drawn in the editor: removed lines in place, added lines as
//! rows between them, the gutter's marks, scrolling and the cursor around the added rows,
//! and what the status line says.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use caret::ai::edit::{Refusal, RefusalKind};
use caret::diff::Proposal;
use caret::review::Review;
use common::Harness;
use ratatui::style::{Color, Modifier};

const RUST: &str = "use std::io;\n\nfn main() {\n    let name = \"caret\";\n    println!(\"hello {name}\");\n    let unused = 1;\n}\n";

/// One line added, one replaced (one word differs), one removed.
const RUST_NEW: &str = "use std::io;\nuse std::fmt;\n\nfn main() {\n    let name = \"world\";\n    println!(\"hello {name}\");\n}\n";

/// Puts the model's `proposed` text for the current buffer under review.
fn review(h: &mut Harness, proposed: &str) {
    let path = h.app.doc().path.clone().unwrap_or_default();
    let base = h.text();
    let version = h.app.doc().version();
    h.app.buf_mut().review = Some(Box::new(Review::new(
        Proposal::new(path, base, version, proposed),
        "instruction",
    )));
}

fn review_mut(h: &mut Harness) -> &mut Review {
    h.app.buf_mut().review.as_mut().unwrap()
}

fn numbered(n: usize) -> String {
    (1..=n)
        .map(|i| format!("line {i}\n"))
        .collect::<Vec<_>>()
        .concat()
}

fn status_line(screen: &str, height: usize) -> String {
    screen.lines().nth(height - 2).unwrap().trim().to_string()
}

#[test]
fn replaced_added_and_removed_lines() {
    let mut h = Harness::new(60, 14);
    h.file("main.rs", RUST.as_bytes());
    h.open("main.rs");
    review(&mut h, RUST_NEW);
    assert_eq!(
        h.app.buf().review.as_ref().unwrap().proposal.hunks().len(),
        1
    );
    insta::assert_snapshot!(h.screen());
    // Nothing is in the text until it is accepted.
    assert_eq!(h.text(), RUST);
    assert_eq!(h.cursor(), (5, 1));
}

#[test]
fn styles_of_added_removed_and_changed_words() {
    let mut h = Harness::new(60, 14);
    h.file("main.rs", RUST.as_bytes());
    h.open("main.rs");
    review(&mut h, RUST_NEW);
    let screen = h.screen();
    let rows: Vec<&str> = screen.lines().collect();
    // Row 5: `    let name = "caret";` removed; row 6: `    let name = "world";` added.
    let (removed, added) = (5u16, 6u16);
    assert!(
        rows[usize::from(removed)].ends_with("    let name = \"caret\";"),
        "{screen}"
    );
    assert!(
        rows[usize::from(added)].ends_with("    let name = \"world\";"),
        "{screen}"
    );
    let text_x = 5;
    let plus = h.app.theme.diff_plus;
    let minus = h.app.theme.diff_minus;
    assert_eq!(plus.fg, Some(Color::Green));
    assert_eq!(minus.fg, Some(Color::Red));
    // `let` is a keyword, yet drawn in the diff's colours.
    assert_eq!(h.style_at(text_x + 4, added).fg, plus.fg);
    assert_eq!(h.style_at(text_x + 4, removed).fg, minus.fg);
    let emphasis = Modifier::BOLD | Modifier::UNDERLINED;
    // The changed word (`world` inside the quotes) stands out; the rest does not.
    let word = text_x + 16;
    assert!(h.style_at(word, added).add_modifier.contains(emphasis));
    assert!(h.style_at(word, removed).add_modifier.contains(emphasis));
    assert!(
        !h.style_at(text_x + 4, added)
            .add_modifier
            .contains(emphasis)
    );
    assert!(
        !h.style_at(text_x + 4, removed)
            .add_modifier
            .contains(emphasis)
    );
    // The gutter: `-` after a removed line's number, `+` on an added row, the hunk's mark.
    assert_eq!(h.symbol_at(4, removed), "-");
    assert_eq!(h.style_at(4, removed).fg, minus.fg);
    assert_eq!(h.symbol_at(4, added), "+");
    assert_eq!(h.style_at(4, added).fg, plus.fg);
    assert_eq!(h.symbol_at(0, removed), "▌");
    // A whole added line has no counterpart: drawn in the plus colour, no word stands out.
    assert_eq!(h.symbol_at(4, 2), "+");
    assert_eq!(h.style_at(text_x, 2).fg, plus.fg);
    assert!(!h.style_at(text_x, 2).add_modifier.contains(emphasis));
}

#[test]
fn an_insertion_at_the_end_of_the_file() {
    let mut h = Harness::new(40, 9);
    h.file("lib.rs", b"fn a() {}\n");
    h.open("lib.rs");
    review(&mut h, "fn a() {}\n\nfn b() {\n\tb()\n}\n");
    insta::assert_snapshot!(h.screen());
    // The tab is drawn as the editor draws tabs (four columns).
    let rows = h.screen();
    assert!(rows.lines().nth(4).unwrap().ends_with("+    b()"), "{rows}");
}

#[test]
fn rejected_and_stale_hunks_draw_nothing() {
    let mut h = Harness::new(40, 24);
    h.file("notes.txt", numbered(20).as_bytes());
    h.open("notes.txt");
    let proposed = numbered(20)
        .replace("line 2\n", "two\n")
        .replace("line 10\n", "ten\n")
        .replace("line 18\n", "eighteen\n");
    review(&mut h, &proposed);
    assert_eq!(review_mut(&mut h).proposal.hunks().len(), 3);
    review_mut(&mut h).proposal.reject(0).unwrap();
    // Typing into the second hunk's line makes it stale: its text is no longer there. (`q`
    // leaves the review first: while it has the keys, typing is held back.)
    h.key("q");
    h.key("ctrl-g");
    h.type_str("10\n");
    h.key("end");
    h.type_str("!");
    h.key("ctrl-k");
    let buf = h.app.buf_mut();
    buf.review
        .as_mut()
        .unwrap()
        .proposal
        .reanchor_document(&buf.doc);
    assert_eq!(review_mut(&mut h).proposal.stale(), [1]);
    let screen = h.screen();
    insta::assert_snapshot!(screen);
    assert!(!screen.contains("two") && !screen.contains("ten"));
    assert!(screen.contains("eighteen"));
    assert!(screen.contains("1 stale"));
}

#[test]
fn the_cursor_and_scrolling_count_the_added_rows() {
    let mut h = Harness::new(40, 12);
    h.file("notes.txt", numbered(40).as_bytes());
    h.open("notes.txt");
    let added = (1..=6)
        .map(|i| format!("new {i}\n"))
        .collect::<Vec<_>>()
        .concat();
    let proposed = numbered(40).replace("line 3\n", &format!("line 3\n{added}"));
    review(&mut h, &proposed);
    // Nine rows of text: lines 1-3, six added rows.
    let screen = h.screen();
    assert_eq!(h.cursor(), (5, 1));
    // Line 4 is below the added rows: the view scrolls as soon as the cursor goes there.
    h.keys(&["down", "down", "down"]);
    let screen_at_4 = h.screen();
    insta::assert_snapshot!(screen_at_4);
    assert_eq!(h.app.buf().scroll_line, 1, "{screen}");
    assert_eq!(h.cursor(), (5, 9));
    assert!(
        screen_at_4
            .lines()
            .nth(9)
            .unwrap()
            .starts_with("   4 line 4")
    );
    // Further down the cursor's line stays on screen. The added rows leave the view together
    // with the line above them (the view starts at a whole line), so at one point the view
    // moves by more than a row.
    let mut rows = Vec::new();
    for _ in 0..12 {
        h.key("down");
        let screen = h.screen();
        let (x, y) = h.cursor();
        rows.push(y);
        assert_eq!(x, 5, "{screen}");
        assert!((1..=9).contains(&y), "{screen}");
        let line = caret::core::movement::line_of(h.app.doc().text(), h.app.doc().cursor());
        let shown = screen.lines().nth(usize::from(y)).unwrap();
        assert!(
            shown.trim_start().starts_with(&format!("{} ", line + 1)),
            "{screen}"
        );
    }
    assert_eq!(rows, [9, 3, 4, 5, 6, 7, 8, 9, 9, 9, 9, 9]);
    // Back up to line 3: the added rows come back into view below it.
    for _ in 0..13 {
        h.key("up");
    }
    let screen = h.screen();
    assert_eq!(h.app.buf().scroll_line, 2, "{screen}");
    assert_eq!(h.cursor(), (5, 1));
    assert!(screen.contains("new 6"));
    // A click lands on the line under it; on an added row, on the line the rows come before.
    h.key("ctrl-home");
    h.screen();
    let mut click = |row| {
        h.event(crossterm::event::Event::Mouse(
            crossterm::event::MouseEvent {
                kind: crossterm::event::MouseEventKind::Down(crossterm::event::MouseButton::Left),
                column: 6,
                row,
                modifiers: crossterm::event::KeyModifiers::NONE,
            },
        ));
        caret::core::movement::line_of(h.app.doc().text(), h.app.doc().cursor())
    };
    assert_eq!(click(3), 2);
    assert_eq!(click(9), 3);
}

#[test]
fn an_insertion_taller_than_the_view_at_the_top() {
    let mut h = Harness::new(40, 8);
    h.file("notes.txt", b"first\nsecond\n");
    h.open("notes.txt");
    let added = (1..=10)
        .map(|i| format!("new {i}\n"))
        .collect::<Vec<_>>()
        .concat();
    review(&mut h, &format!("{added}first\nsecond\n"));
    let screen = h.screen();
    // The cursor's line shows under the last added rows that fit.
    assert_eq!(h.cursor(), (5, 5), "{screen}");
    assert!(
        screen.lines().nth(4).unwrap().ends_with("new 10"),
        "{screen}"
    );
}

#[test]
fn reveal_brings_a_hunk_far_down_into_view() {
    let mut h = Harness::new(40, 12);
    h.file("notes.txt", numbered(100).as_bytes());
    h.open("notes.txt");
    let proposed = numbered(100)
        .replace("line 5\n", "five\n")
        .replace("line 80\n", "eighty\n")
        .replace("line 81\n", "eighty-one\n");
    review(&mut h, &proposed);
    review_mut(&mut h).proposal.select(1).unwrap();
    h.app.reveal_current_hunk();
    let screen = h.screen();
    insta::assert_snapshot!(screen);
    // Three lines of context above the hunk's first row; the cursor on its first line.
    assert_eq!(h.app.buf().scroll_line, 76);
    assert_eq!(h.cursor(), (5, 4));
    assert!(screen.contains("eighty-one"));
    // Going back to the first hunk: it is near the top, so the view starts at line 1.
    review_mut(&mut h).proposal.select(0).unwrap();
    h.app.reveal_current_hunk();
    h.screen();
    assert_eq!(h.app.buf().scroll_line, 1);
    // Already wholly on screen: the view stays.
    h.app.buf_mut().scroll_line = 0;
    h.app.reveal_current_hunk();
    h.screen();
    assert_eq!(h.app.buf().scroll_line, 0);
    assert_eq!(h.cursor(), (5, 5));
}

#[test]
fn reveal_a_pure_insertion_in_a_short_view() {
    let mut h = Harness::new(40, 8);
    h.file("notes.txt", numbered(60).as_bytes());
    h.open("notes.txt");
    let added = (1..=4)
        .map(|i| format!("new {i}\n"))
        .collect::<Vec<_>>()
        .concat();
    let proposed = numbered(60).replace("line 40\n", &format!("line 40\n{added}"));
    review(&mut h, &proposed);
    h.app.reveal_current_hunk();
    let screen = h.screen();
    // Five rows: the line the added rows follow, with the cursor, and the four rows.
    assert_eq!(h.app.buf().scroll_line, 39, "{screen}");
    assert!(
        screen.contains("new 1") && screen.contains("new 4"),
        "{screen}"
    );
    assert_eq!(h.cursor(), (5, 1), "{screen}");
}

#[test]
fn narrow_terminals_do_not_panic() {
    let mut h = Harness::new(20, 10);
    h.file("main.rs", RUST.as_bytes());
    h.open("main.rs");
    review(&mut h, RUST_NEW);
    insta::assert_snapshot!(h.screen());
    for (w, ht) in [(1, 1), (5, 3), (9, 4), (12, 5), (13, 2), (30, 3)] {
        h.resize(w, ht);
        h.screen();
        h.app.reveal_current_hunk();
        h.keys(&["down", "down", "down", "end"]);
        h.screen();
    }
}

#[test]
fn status_line_while_reviewing() {
    let mut h = Harness::new(100, 14);
    h.file("main.rs", RUST.as_bytes());
    h.open("main.rs");
    review(&mut h, RUST_NEW);
    let active = status_line(&h.screen(), 14);
    // Narrower: the keys in short, then without the position.
    h.resize(70, 14);
    let narrow = status_line(&h.screen(), 14);
    h.resize(40, 14);
    let narrower = status_line(&h.screen(), 14);
    h.resize(100, 14);
    review_mut(&mut h).request = Some(1);
    review_mut(&mut h).refused.push(Refusal {
        block: 1,
        path: "main.rs".into(),
        kind: RefusalKind::NoMatch,
        reason: "the SEARCH text matches nowhere".into(),
        nearest: Vec::new(),
        search: "x".into(),
        replace: "y".into(),
    });
    let streaming = status_line(&h.screen(), 14);
    review_mut(&mut h).active = false;
    let inactive = status_line(&h.screen(), 14);
    review_mut(&mut h).request = None;
    review_mut(&mut h).refused.clear();
    let left = status_line(&h.screen(), 14);
    insta::assert_snapshot!([active, narrow, narrower, streaming, inactive, left].join("\n"));
}
