//! A suggested edit under review drawn in the editor: removed lines in place, added lines as
//! rows between them, the gutter's marks, scrolling and the cursor around the added rows,
//! and what the status line says.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use caret::ai::edit::{Refusal, RefusalKind};
use caret::diff::Proposal;
use caret::review::Review;
use common::Harness;

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

fn status_line(screen: &str, height: usize) -> String {
    screen.lines().nth(height - 2).unwrap().trim().to_string()
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
