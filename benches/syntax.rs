//! Criterion benchmarks of syntax highlighting: the incremental re-parse after a one-char
//! edit in a 10k-line Rust file, highlighting one 50-row screen of it, and the first frame
//! of a 100 MiB Rust file with highlighting on.
//!
//! The Rust text is caret's own source, repeated; generated files go under
//! `$CARET_BENCH_DIR` (default `/tmp/caret-bench`), never inside the repository.

// Benchmark setup has nowhere to report an error to: failing loudly is the right answer.
#![allow(clippy::expect_used)]

use std::fs;
use std::hint::black_box;
use std::io::{BufWriter, Write as _};
use std::path::PathBuf;
use std::time::Duration;

use caret::app::App;
use caret::config::Config;
use caret::core::transaction::Transaction;
use caret::event::AppEventSender;
use caret::syntax::highlight::highlight;
use caret::syntax::parse::{input_edit, line_bytes, parse};
use caret::syntax::registry::Registry;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ropey::Rope;
use tree_sitter::Parser;

const SOURCES: &[&str] = &[
    include_str!("../src/app.rs"),
    include_str!("../src/files.rs"),
    include_str!("../src/core/document.rs"),
    include_str!("../src/core/save.rs"),
    include_str!("../src/core/load.rs"),
    include_str!("../src/picker.rs"),
    include_str!("../src/syntax/mod.rs"),
];

/// Real Rust source repeated up to `lines` lines.
fn rust_text(lines: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    'outer: loop {
        for src in SOURCES {
            for line in src.lines() {
                out.push_str(line);
                out.push('\n');
                count += 1;
                if count == lines {
                    break 'outer;
                }
            }
        }
    }
    out
}

fn bench_dir() -> PathBuf {
    std::env::var_os("CARET_BENCH_DIR")
        .map_or_else(|| PathBuf::from("/tmp/caret-bench"), PathBuf::from)
}

fn rust_language(registry: &Registry) -> usize {
    registry
        .languages()
        .by_name("rust")
        .expect("rust is a bundled language")
}

fn reparse_and_highlight(c: &mut Criterion) {
    let registry = Registry::new(None);
    let config = registry
        .config(rust_language(&registry))
        .expect("rust queries compile");
    let rope = Rope::from_str(&rust_text(10_000));
    let mut parser = Parser::new();
    let tree = parse(&mut parser, &config.language, &rope, None, None, None).expect("parse");
    // Typing a letter inside an identifier, as in ordinary editing.
    let line = rope.line(5_000).to_string();
    let in_word = line
        .char_indices()
        .find(|(_, c)| c.is_alphabetic())
        .map_or(0, |(i, _)| line[..i].chars().count() + 1);
    let mid = rope.line_to_char(5_000) + in_word;

    let mut group = c.benchmark_group("syntax_rust10k");
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    group.bench_function("reparse_after_one_char_edit", |b| {
        b.iter_batched(
            || {
                let mut edited = rope.clone();
                let mut edits = Vec::new();
                Transaction::insert(mid, "x")
                    .apply_logged(&mut edited, &mut edits)
                    .expect("edit");
                let mut old = tree.clone();
                for e in &edits {
                    old.edit(&input_edit(e));
                }
                (edited, old)
            },
            |(edited, old)| {
                parse(
                    &mut parser,
                    &config.language,
                    &edited,
                    Some(&old),
                    None,
                    None,
                )
                .expect("reparse")
            },
            BatchSize::SmallInput,
        );
    });
    group.bench_function("reparse_plain_api", |b| {
        b.iter_batched_ref(
            || {
                let mut edited = rope.clone();
                let mut edits = Vec::new();
                Transaction::insert(mid, "x")
                    .apply_logged(&mut edited, &mut edits)
                    .expect("edit");
                let mut old = tree.clone();
                for e in &edits {
                    old.edit(&input_edit(e));
                }
                (edited.to_string(), old)
            },
            |(edited, old)| parser.parse(edited.as_str(), Some(old)).expect("reparse"),
            BatchSize::SmallInput,
        );
    });
    let screen = line_bytes(&rope, 5_000, 5_049);
    group.bench_function("highlight_50_rows", |b| {
        b.iter(|| {
            highlight(
                &registry,
                &config,
                &tree,
                black_box(&rope),
                screen.clone(),
                &mut parser,
                &mut Vec::new(),
            )
        });
    });
    group.bench_function("full_parse", |b| {
        b.iter(|| parse(&mut parser, &config.language, &rope, None, None, None));
    });
    group.finish();
}

/// Opening a 100 MiB Rust file and drawing its first, highlighted, frame.
fn first_paint(c: &mut Criterion) {
    let dir = bench_dir();
    fs::create_dir_all(&dir).expect("bench dir");
    let path = dir.join("syntax100m.rs");
    if fs::metadata(&path).map_or(0, |m| m.len()) < 100 << 20 {
        let block = rust_text(20_000);
        let mut w = BufWriter::new(fs::File::create(&path).expect("create input"));
        let mut written = 0;
        while written < 100 << 20 {
            w.write_all(block.as_bytes()).expect("write input");
            written += block.len();
        }
        w.flush().expect("flush input");
    }
    let mut group = c.benchmark_group("first_paint");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    // The first frame: the text at once, while the queries compile in the background.
    group.bench_function("rust_100MiB_first_frame", |b| {
        b.iter(|| {
            let (sender, _rx) = AppEventSender::new();
            let mut app = App::new(Config::default(), dir.clone(), sender, dir.join("recovery"));
            app.size = (120, 40);
            app.open_path(&path);
            app.prepare_frame();
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
            terminal.draw(|f| caret::ui::render(f, &app)).expect("draw");
            // Stops the rest of the file loading behind the frame.
            let id = app.buf().id;
            app.close_buffer(id);
        });
    });
    // From start to the first frame with colours: includes compiling the Rust queries.
    group.bench_function("rust_100MiB_first_highlighted_frame", |b| {
        b.iter(|| {
            let (sender, mut rx) = AppEventSender::new();
            let mut app = App::new(Config::default(), dir.clone(), sender, dir.join("recovery"));
            app.size = (120, 40);
            app.open_path(&path);
            app.prepare_frame();
            let highlighted = |app: &App| {
                app.buf()
                    .syntax
                    .as_ref()
                    .and_then(|s| s.highlights())
                    .is_some_and(|h| !h.spans.is_empty())
            };
            while !highlighted(&app) {
                let event = rx.blocking_recv().expect("events");
                app.handle_event(event);
                app.prepare_frame();
            }
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
            terminal.draw(|f| caret::ui::render(f, &app)).expect("draw");
            let id = app.buf().id;
            app.close_buffer(id);
        });
    });
    group.finish();
}

/// Compiling each bundled language's queries (done once per language per run, off the UI
/// thread).
fn query_compile(c: &mut Criterion) {
    let mut group = c.benchmark_group("query_compile");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for name in ["rust", "python", "typescript", "markdown"] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let registry = Registry::new(None);
                let index = registry.languages().by_name(name).expect("bundled");
                registry.config(index).expect("compiles")
            });
        });
    }
    group.finish();
}

criterion_group!(benches, reparse_and_highlight, first_paint, query_compile);
criterion_main!(benches);
