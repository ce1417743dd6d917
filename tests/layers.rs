//! The layering DESIGN.md promises: `core/` knows nothing of the UI, the AI, the app loop,
//! async or the terminal; `ui/` only reads state (no tokio, no network, no file system);
//! only `ai/client.rs` builds HTTP requests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// Every (file, line) under `dir` that mentions one of `banned`.
fn offences(dir: &str, banned: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut found = Vec::new();
    for file in sources(&root) {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in banned {
                if code.contains(word) {
                    found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    found
}

#[test]
fn core_is_pure_text() {
    let found = offences(
        "src/core",
        &[
            "crate::ui",
            "crate::ai",
            "crate::app",
            "crate::chat",
            "tokio",
            "ratatui",
            "reqwest",
            "crossterm",
        ],
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn ui_only_reads_state() {
    let found = offences("src/ui", &["tokio", "reqwest", "std::fs", "File::"]);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn only_the_client_builds_requests() {
    let mut found = offences("src", &[".post(", "Client::builder", "reqwest::get"]);
    found.retain(|f| !f.contains("src/ai/client.rs"));
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn edit_replies_are_read_without_io() {
    // Parsing, matching and staging are pure; only the target checks look at the disk.
    let mut found = offences(
        "src/ai/edit",
        &[
            "std::fs",
            "fs::",
            "File::",
            "std::process",
            "Command::",
            "tokio",
        ],
    );
    found.extend(
        offences("src/ai", &["std::fs", "fs::"])
            .into_iter()
            .filter(|f| f.contains("src/ai/edit.rs")),
    );
    found.retain(|f| !f.contains("src/ai/edit/target.rs") && !f.contains("/tests.rs"));
    assert!(found.is_empty(), "{found:#?}");
}
