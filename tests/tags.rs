//! Tags fixtures: each folder tests/tags/<language>/ holds a source file and, in
//! expected.txt, the symbols caret extracts from it, one per line, lines 1-based:
//!
//! ```text
//! item <index> <kind> <first>-<last> header <first>-<last> parent <index|->
//! import <first>-<last>
//! def <kind> <name> <line> item <index|-> | <signature>
//! ref <kind> <name> <line>
//! ```
//!
//! A mismatch prints a diff; `CARET_BLESS=1 cargo test --test tags` rewrites expected.txt.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use caret::context::tags::{FileSymbols, Tags};
use caret::syntax::registry::Registry;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tags")
}

fn render(symbols: &FileSymbols) -> String {
    let mut out = String::new();
    let opt = |i: Option<u32>| i.map_or_else(|| "-".to_string(), |i| i.to_string());
    for (i, item) in symbols.items.iter().enumerate() {
        writeln!(
            out,
            "item {i} {} {}-{} header {}-{} parent {}",
            item.kind,
            item.lines.0 + 1,
            item.lines.1 + 1,
            item.header.0 + 1,
            item.header.1 + 1,
            opt(item.parent)
        )
        .unwrap();
    }
    for (first, last) in &symbols.imports {
        writeln!(out, "import {}-{}", first + 1, last + 1).unwrap();
    }
    for def in &symbols.defs {
        writeln!(
            out,
            "def {} {} {} item {} | {}",
            def.kind,
            def.name,
            def.line + 1,
            opt(def.item),
            def.signature
        )
        .unwrap();
    }
    for r in &symbols.refs {
        writeln!(out, "ref {} {} {}", r.kind, r.name, r.line + 1).unwrap();
    }
    out
}

fn source_file(dir: &Path) -> PathBuf {
    let mut sources: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "expected.txt"))
        .collect();
    assert_eq!(
        sources.len(),
        1,
        "{}: one source file expected",
        dir.display()
    );
    sources.pop().unwrap()
}

#[test]
fn fixtures_match_expected_symbols() {
    let registry = Registry::new(None);
    let tags = Tags::new(registry.languages(), None);
    let bless = std::env::var_os("CARET_BLESS").is_some();
    let mut failures = Vec::new();
    let mut dirs: Vec<PathBuf> = fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut covered = Vec::new();
    for dir in dirs {
        let path = source_file(&dir);
        let source = fs::read_to_string(&path).unwrap();
        let first_line = source.lines().next().unwrap_or("");
        let language = registry
            .languages()
            .detect(Some(&path), first_line)
            .unwrap_or_else(|| panic!("{}: unknown language", path.display()));
        covered.push(registry.language(language).unwrap().name.clone());
        let symbols = tags
            .extract(language, &source)
            .unwrap_or_else(|| panic!("{}: no symbols", path.display()));
        let actual = render(&symbols);
        let expected_path = dir.join("expected.txt");
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if actual == expected {
            continue;
        }
        if bless {
            fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let diff = similar::TextDiff::from_lines(&expected, &actual);
        failures.push(format!(
            "{}:\n{}",
            expected_path.display(),
            diff.unified_diff().header("expected", "actual")
        ));
    }
    assert!(tags.take_problems().is_empty());
    assert!(
        failures.is_empty(),
        "\n{}\n(CARET_BLESS=1 rewrites expected.txt)",
        failures.join("\n")
    );
    // Every language with a tags.scm has a fixture.
    for (index, language) in registry.languages().all().iter().enumerate() {
        if tags.supports(index) {
            assert!(
                covered.contains(&language.name),
                "no fixture under tests/tags/ for {}",
                language.name
            );
        }
    }
}
