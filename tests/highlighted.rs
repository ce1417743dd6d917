//! Snapshot tests of highlighted frames: the text of each row and, under it, the runs of
//! colour and emphasis the theme gave it, for several languages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fmt::Write as _;

use common::Harness;
use ratatui::style::{Color, Modifier};

/// Opens `name` holding `text` in a 60x14 terminal and waits until it is highlighted.
fn highlighted(name: &str, text: &str) -> Harness {
    let mut h = Harness::new(60, 14);
    h.file(name, text.as_bytes());
    h.open(name);
    h.wait_until("the view to be highlighted", |app| {
        app.buf()
            .syntax
            .as_ref()
            .and_then(|s| s.highlights())
            .is_some_and(|hl| !hl.spans.is_empty())
    });
    h
}

/// The screen with each row's styled runs listed under it (`fg` colour and modifiers).
fn styled_screen(h: &mut Harness) -> String {
    let screen = h.screen();
    let mut out = String::new();
    for (y, line) in screen.lines().enumerate() {
        let y = y as u16;
        let _ = writeln!(out, "{line}");
        let mut runs: Vec<(u16, u16, String)> = Vec::new();
        for x in 0..60u16 {
            let style = h.style_at(x, y);
            let mut desc = match style.fg {
                Some(Color::Reset) | None => String::new(),
                Some(c) => format!("{c:?}"),
            };
            for (m, name) in [
                (Modifier::BOLD, "bold"),
                (Modifier::ITALIC, "italic"),
                (Modifier::DIM, "dim"),
                (Modifier::UNDERLINED, "underlined"),
            ] {
                if style.add_modifier.contains(m) {
                    let _ = write!(desc, "+{name}");
                }
            }
            match runs.last_mut() {
                Some((_, end, d)) if *d == desc && *end == x => *end = x + 1,
                _ => runs.push((x, x + 1, desc)),
            }
        }
        let described: Vec<String> = runs
            .into_iter()
            .filter(|(_, _, d)| !d.is_empty())
            .map(|(s, e, d)| format!("{s}-{e}:{d}"))
            .collect();
        if !described.is_empty() && y > 0 && y < 12 {
            let _ = writeln!(out, "    » {}", described.join(" "));
        }
    }
    out
}

#[test]
fn rust_is_highlighted() {
    let mut h = highlighted(
        "lib.rs",
        "/// Adds one.\n#[inline]\npub fn add_one(x: u32) -> u32 {\n    let s = \"n\\t\";\n    x + 1 // done\n}\n\nstruct Point { x: i64 }\nconst MAX: usize = 10;\n",
    );
    insta::assert_snapshot!(styled_screen(&mut h));
    let (lang, _) = h.app.language_status();
    assert_eq!(lang, "Rust");
}

#[test]
fn python_is_highlighted() {
    let mut h = highlighted(
        "tool.py",
        "import os\n\n@cache\ndef size(path: str) -> int:\n    \"\"\"Bytes on disk.\"\"\"\n    if not path:\n        return None  # nothing\n    return os.stat(path).st_size\n",
    );
    insta::assert_snapshot!(styled_screen(&mut h));
}

#[test]
fn markdown_with_a_rust_fence_is_highlighted() {
    let mut h = highlighted(
        "README.md",
        "# Title\n\nSome **bold** and `code` with a [link](https://x.org).\n\n- item\n\n```rust\nfn main() { let x = 1; }\n```\n",
    );
    // The fenced Rust needs its own queries, compiled in the background: wait for them too.
    h.wait_until("the fence to be highlighted", |app| {
        let Some(hl) = app.buf().syntax.as_ref().and_then(|s| s.highlights()) else {
            return false;
        };
        let rust = app.syntax.languages().by_name("rust").unwrap();
        hl.spans.iter().any(|s| usize::from(s.id.language) == rust)
    });
    insta::assert_snapshot!(styled_screen(&mut h));
}

#[test]
fn a_shebang_picks_the_language_of_a_file_without_extension() {
    let h = highlighted("run", "#!/usr/bin/env bash\necho \"hi\" # greet\n");
    let (lang, _) = h.app.language_status();
    assert_eq!(lang, "Bash");
}
