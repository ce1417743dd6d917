//! Criterion benchmarks of the context engine on a large real codebase nobody here wrote: the
//! sources of tokio from the local cargo registry (or `$CARET_BENCH_WORKSPACE`), copied to a
//! temporary folder. Cold index, the update after a one-line edit, context at a position, `@`
//! completion; and the quality figure: over sampled functions, the share of the
//! workspace-defined names they use whose definitions land in a 4,000-token context, and its
//! tokens against sending the whole files instead.

// Benchmark setup has nowhere to report an error to: failing loudly is the right answer.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use caret::context::assemble::PieceKind;
use caret::context::engine::{Engine, Spot};
use caret::context::index::Progress;
use caret::context::rank::answering;
use criterion::{Criterion, criterion_group, criterion_main};

/// tokio's `src` from the cargo registry, unless a workspace is named.
fn source() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CARET_BENCH_WORKSPACE") {
        return Some(PathBuf::from(dir));
    }
    let home = PathBuf::from(std::env::var_os("CARGO_HOME").unwrap_or_else(|| {
        PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
            .join(".cargo")
            .into()
    }));
    let registry = home.join("registry/src");
    let mut found: Vec<PathBuf> = std::fs::read_dir(registry)
        .ok()?
        .flatten()
        .flat_map(|index| {
            std::fs::read_dir(index.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("tokio-1."))
        })
        .collect();
    found.sort();
    found.pop().map(|p| p.join("src"))
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn open(root: &Path) -> Engine {
    let registry = caret::syntax::registry::Registry::new(None);
    Engine::open(
        root,
        registry.languages().clone(),
        None,
        None,
        &Progress::default(),
    )
}

fn count(text: &str) -> usize {
    caret::ai::tokens::count(text)
}

fn benches(c: &mut Criterion) {
    let Some(src) = source() else {
        eprintln!("skipped: no tokio sources in the cargo registry and no CARET_BENCH_WORKSPACE");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap().join("ws");
    copy(&src, &root);
    caret::ai::tokens::count("warm up the tables");

    let started = Instant::now();
    let mut engine = open(&root);
    println!(
        "context/cold_index: {} files, {} lines in {:?} ({} definitions)",
        engine.index.files.len(),
        engine.index.line_count(),
        started.elapsed(),
        engine.index.names().count()
    );
    let mut group = c.benchmark_group("context");
    group.sample_size(10);
    group.bench_function("cold_index", |b| b.iter(|| open(&root)));

    // A one-line edit to a big file, then its update.
    let (big, _) = engine
        .index
        .files
        .iter()
        .map(|f| (f.path.clone(), f.lines))
        .max_by_key(|(_, lines)| *lines)
        .unwrap();
    let big_path = root.join(&big);
    let original = std::fs::read_to_string(&big_path).unwrap();
    // As in the editor: the buffer's tree follows the edit and is re-parsed incrementally,
    // then the index takes the buffer's symbols from that tree.
    let grammar = caret::syntax::languages::grammar("rust").unwrap();
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&grammar).unwrap();
    let base = parser.parse(&original, None).unwrap();
    let at = original.find("\n\n").map_or(0, |i| i + 1);
    let edited = format!("{}// edited\n{}", &original[..at], &original[at..]);
    let edit = tree_sitter::InputEdit {
        start_byte: at,
        old_end_byte: at,
        new_end_byte: at + "// edited\n".len(),
        start_position: tree_sitter::Point::new(original[..at].lines().count(), 0),
        old_end_position: tree_sitter::Point::new(original[..at].lines().count(), 0),
        new_end_position: tree_sitter::Point::new(original[..at].lines().count() + 1, 0),
    };
    group.sample_size(50);
    group.bench_function("update_after_one_line_edit", |b| {
        b.iter(|| {
            let mut tree = base.clone();
            tree.edit(&edit);
            let tree = parser.parse(&edited, Some(&tree)).unwrap();
            engine.update_text(&big, &edited, Some(&tree));
        });
    });
    let started = Instant::now();
    engine.refresh(&big_path);
    let refresh = started.elapsed();
    let (_, entry) = engine.index.file(&big).unwrap();
    let lang = engine
        .languages
        .by_name(entry.language.as_deref().unwrap_or("rust"))
        .unwrap();
    let started = Instant::now();
    let _ = engine.tags.extract(lang, &original);
    println!(
        "context/update: {big} ({} lines): from the file on disk (parsed whole) {refresh:?}, of which extracting its symbols {:?}",
        entry.lines,
        started.elapsed()
    );

    // Context at a function deep in that file.
    let (_, entry) = engine.index.file(&big).unwrap();
    let line = entry
        .symbols
        .items
        .iter()
        .filter(|i| i.kind == "function" || i.kind == "method")
        .nth(5)
        .map_or(10, |i| i.lines.0 + 1);
    group.bench_function("context_at_a_position", |b| {
        b.iter(|| engine.context(&big, &original, &Spot::Line(line), 4000, &count));
    });
    // @ completion runs on every keystroke of an @word; listing what can be mentioned, once
    // per change of the index (ranking the workspace first when no ranking is at hand).
    let started = Instant::now();
    let first = engine.mention_candidates("", 8);
    let cold = started.elapsed();
    engine.refresh(&big_path);
    let started = Instant::now();
    let _ = engine.mention_candidates("", 8);
    println!(
        "context/mention_candidates: first call {cold:?} ({} shown), first after a file changed {:?}",
        first.len(),
        started.elapsed()
    );
    for query in ["", "rt", "spawn_blocking", "runtime/task/mod"] {
        group.bench_function(format!("mention_candidates {query:?}"), |b| {
            b.iter(|| engine.mention_candidates(query, 8));
        });
    }
    group.finish();
    quality(&engine);
}

/// The share of workspace-defined names used by sampled functions whose definitions are in
/// their 4,000-token context, and the tokens against whole files.
fn quality(engine: &Engine) {
    let mut covered = 0usize;
    let mut wanted = 0usize;
    let mut sampled = 0usize;
    let mut context_tokens = 0usize;
    let mut file_tokens = 0usize;
    // The same files come up again and again; counting them once is enough.
    let mut whole_file_tokens: std::collections::HashMap<String, usize> =
        std::collections::HashMap::new();
    let files = &engine.index.files;
    let step = (files.len() / 120).max(1);
    'files: for file in files.iter().step_by(step) {
        let Ok(text) = std::fs::read_to_string(engine.root.join(&file.path)) else {
            continue;
        };
        for item in file
            .symbols
            .items
            .iter()
            .filter(|i| i.kind == "function" || i.kind == "method")
        {
            if item.lines.1 - item.lines.0 < 3 {
                continue;
            }
            // (name, called through a value): a method call can only mean a method.
            let names: HashSet<(&str, bool)> = file
                .symbols
                .refs
                .iter()
                .filter(|r| item.lines.0 <= r.line && r.line <= item.lines.1)
                .map(|r| (r.name.as_str(), r.kind == "method"))
                .filter(|(n, method)| {
                    answering(&engine.index, n, *method).any(|d| {
                        engine.index.def(d).is_some_and(|(f, def)| {
                            !(f.path == file.path
                                && item.lines.0 <= def.line
                                && def.line <= item.lines.1)
                        })
                    })
                })
                .collect();
            if names.is_empty() {
                continue;
            }
            let ctx = engine.context(
                &file.path,
                &text,
                &Spot::Line(item.lines.0 + 1),
                4000,
                &count,
            );
            let mut whole: HashSet<&str> = HashSet::from([file.path.as_str()]);
            for (name, method) in &names {
                wanted += 1;
                let hit = answering(&engine.index, name, *method).any(|d| {
                    let Some((f, def)) = engine.index.def(d) else {
                        return false;
                    };
                    whole.insert(f.path.as_str());
                    ctx.pieces.iter().any(|p| {
                        p.kind != PieceKind::Imports
                            && p.path == f.path
                            && p.lines.0 <= def.line + 1
                            && def.line < p.lines.1
                    })
                });
                if hit {
                    covered += 1;
                }
            }
            context_tokens += ctx.tokens();
            for path in whole {
                file_tokens += *whole_file_tokens
                    .entry(path.to_string())
                    .or_insert_with(|| {
                        std::fs::read_to_string(engine.root.join(path)).map_or(0, |t| count(&t))
                    });
            }
            sampled += 1;
            if sampled == 100 {
                break 'files;
            }
            break;
        }
    }
    println!(
        "context/quality: {sampled} functions, {covered} of {wanted} referenced workspace definitions in a 4,000-token context ({:.1}%); {context_tokens} tokens of context against {file_tokens} for the whole files ({:.1}%)",
        100.0 * covered as f64 / wanted.max(1) as f64,
        100.0 * context_tokens as f64 / file_tokens.max(1) as f64
    );
    // The target, checked wherever the benchmark runs (`cargo test --benches` in CI too).
    assert!(
        covered * 10 >= wanted * 9,
        "context quality under 90%: {covered} of {wanted}"
    );
}

criterion_group!(context_benches, benches);
criterion_main!(context_benches);
