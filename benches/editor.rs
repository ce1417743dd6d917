//! Criterion benchmarks of the performance goals: loading big files into a rope, editing a
//! 100 MiB document, drawing one frame, and one keystroke (handle + prepare + draw) on a
//! 10k-line file, a 100 MiB file and a 20 MiB single-line file.
//!
//! Inputs are generated once per process under `$CARET_BENCH_DIR` (default
//! `/tmp/caret-bench`); nothing is written inside the repository.

// Benchmark setup has nowhere to report an error to: failing loudly is the right answer.
#![allow(clippy::expect_used)]

use std::fmt::Write as _;
use std::fs;
use std::hint::black_box;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use caret::app::App;
use caret::config::Config;
use caret::core::document::Document;
use caret::core::history::EditKind;
use caret::core::load::load_file;
use caret::core::movement;
use caret::event::{AppEvent, AppEventSender};
use criterion::{
    BatchSize, BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ropey::Rope;

const MIB: usize = 1 << 20;
const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

/// The generated input files.
struct Inputs {
    src10m: PathBuf,
    src100m: PathBuf,
    rust10k: PathBuf,
    min20m: PathBuf,
}

fn bench_dir() -> PathBuf {
    std::env::var_os("CARET_BENCH_DIR")
        .map_or_else(|| PathBuf::from("/tmp/caret-bench"), PathBuf::from)
}

/// Source-code-like lines: indentation, keywords, identifiers, numbers, strings, comments.
fn rust_line(i: usize, out: &mut String) {
    const NAMES: [&str; 12] = [
        "buffer",
        "cursor",
        "offset",
        "line_start",
        "selection",
        "history",
        "rope",
        "theme",
        "config",
        "events",
        "scroll_col",
        "tab_width",
    ];
    let a = NAMES[i % NAMES.len()];
    let b = NAMES[(i / 3 + 5) % NAMES.len()];
    let depth = (i % 7).min(4);
    let indent = "    ".repeat(depth);
    let _ = match i % 16 {
        0 => writeln!(
            out,
            "{indent}/// Returns the {a} for item {i}, clamped to the {b}."
        ),
        1 => writeln!(
            out,
            "{indent}pub fn {a}_{i}(&self, {b}: usize) -> Option<usize> {{"
        ),
        2 => writeln!(
            out,
            "{indent}let {a} = self.{b}.get({i}).copied().unwrap_or_default();"
        ),
        3 => writeln!(out, "{indent}if {a} > {b} && {a} % {} != 0 {{", i % 97 + 2),
        4 => writeln!(
            out,
            "{indent}    return Some({a}.saturating_sub({b}) + {i});"
        ),
        5 => writeln!(out, "{indent}}}"),
        6 => writeln!(out, "{indent}match {a}.kind() {{"),
        7 => writeln!(
            out,
            "{indent}    Kind::Text(w) => {b} += w, // {i}: wide characters count twice"
        ),
        8 => writeln!(out, "{indent}    _ => {{}}"),
        9 => writeln!(
            out,
            "{indent}for (n, item) in {a}.iter().enumerate().skip({}) {{",
            i % 13
        ),
        10 => writeln!(
            out,
            "{indent}    eprintln!(\"{a}[{{n}}] = {{item:?}} (step {i})\");"
        ),
        11 => writeln!(out, "{indent}#[derive(Debug, Clone, PartialEq)]"),
        12 => writeln!(
            out,
            "{indent}struct {}{i} {{ {a}: Vec<u8>, {b}: u64 }}",
            a.to_uppercase()
        ),
        13 => writeln!(out),
        14 => writeln!(out, "{indent}const LIMIT_{i}: usize = {} << 10;", i % 1024),
        _ => writeln!(out, "{indent}}} // end of {a}_{i}"),
    };
}

/// Writes Rust-like lines until at least `target` bytes; returns the line count.
fn write_rust(path: &Path, target: usize, max_lines: usize) -> usize {
    let file = fs::File::create(path).expect("create bench input");
    let mut w = BufWriter::with_capacity(MIB, file);
    let mut line = String::new();
    let mut written = 0;
    let mut i = 0;
    while written < target && i < max_lines {
        line.clear();
        rust_line(i, &mut line);
        w.write_all(line.as_bytes()).expect("write bench input");
        written += line.len();
        i += 1;
    }
    w.flush().expect("flush bench input");
    i
}

/// One line of minified-JavaScript-like text, `target` bytes or a little more, plus "\n".
fn write_minified(path: &Path, target: usize) {
    let file = fs::File::create(path).expect("create bench input");
    let mut w = BufWriter::with_capacity(MIB, file);
    let mut part = String::new();
    let mut written = 0;
    let mut k = 0usize;
    while written < target {
        part.clear();
        let _ = write!(
            part,
            "function _{k:x}(a,b){{var c=a.length>>{};for(var i=0;i<c;i++)b.push(a[i]*{}+\"k{k}\");return c?b:null}};M[\"f{k}\"]=_{k:x};",
            k % 7,
            k % 97
        );
        w.write_all(part.as_bytes()).expect("write bench input");
        written += part.len();
        k += 1;
    }
    w.write_all(b"\n").expect("write bench input");
    w.flush().expect("flush bench input");
}

fn inputs() -> &'static Inputs {
    static INPUTS: OnceLock<Inputs> = OnceLock::new();
    INPUTS.get_or_init(|| {
        let dir = bench_dir();
        fs::create_dir_all(&dir).expect("create bench dir");
        let inputs = Inputs {
            src10m: dir.join("src10m.rs"),
            src100m: dir.join("src100m.rs"),
            rust10k: dir.join("rust10k.rs"),
            min20m: dir.join("min20m.js"),
        };
        write_rust(&inputs.src10m, 10 * MIB, usize::MAX);
        write_rust(&inputs.src100m, 100 * MIB, usize::MAX);
        write_rust(&inputs.rust10k, usize::MAX, 10_000);
        write_minified(&inputs.min20m, 20 * MIB);
        inputs
    })
}

/// A file's text as a rope, loaded once per process.
fn rope_of(path: &Path) -> Rope {
    load_file(path, |_, _| true).expect("load bench input").rope
}

fn configure(group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
}

fn load(c: &mut Criterion) {
    let inputs = inputs();
    let mut group = c.benchmark_group("load");
    configure(&mut group);
    for (name, path) in [("10MiB", &inputs.src10m), ("100MiB", &inputs.src100m)] {
        let len = fs::metadata(path).expect("stat bench input").len();
        group.throughput(Throughput::Bytes(len));
        // Freeing the result is not part of loading: it is dropped outside the timing.
        group.bench_function(format!("load_file/{name}"), |b| {
            b.iter_with_large_drop(|| load_file(black_box(path), |_, _| true).expect("load"));
        });
        group.bench_function(format!("fs_read/{name}"), |b| {
            b.iter_with_large_drop(|| fs::read(black_box(path)).expect("read"));
        });
    }
    group.finish();
}

fn edit(c: &mut Criterion) {
    let inputs = inputs();
    let mut doc = Document::from_rope(rope_of(&inputs.src100m), None);
    let mid = doc.text().len_chars() / 2;
    doc.move_to(mid, false);
    let mut group = c.benchmark_group("edit_100MiB");
    configure(&mut group);
    // The rope is not shared here, as in the editor: no copy-on-write of the tree.
    group.bench_function("insert_char_then_undo", |b| {
        b.iter(|| {
            doc.insert(black_box("x"), EditKind::Insert)
                .expect("insert");
            doc.undo().expect("undo");
        });
    });
    // Insert alone / undo alone on a clone (the clone shares the tree, so the first edit
    // copies the path from the root to the leaf it touches).
    group.bench_function("insert_char", |b| {
        b.iter_batched_ref(
            || doc.clone(),
            |d| d.insert(black_box("x"), EditKind::Insert).expect("insert"),
            BatchSize::SmallInput,
        );
    });
    let mut inserted = doc.clone();
    inserted.insert("x", EditKind::Insert).expect("insert");
    group.bench_function("undo", |b| {
        b.iter_batched_ref(
            || inserted.clone(),
            |d| d.undo().expect("undo"),
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

/// An app showing `rope` at `pos` in a 120x40 test terminal, with one frame already drawn.
fn app_with(rope: Rope, path: &str, pos: usize) -> (App, Terminal<TestBackend>) {
    let (sender, _rx) = AppEventSender::new();
    let dir = bench_dir();
    let mut app = App::new(Config::default(), dir.clone(), sender, dir.join("recovery"));
    // The empty scratch buffer the app starts with makes way, as when a file is opened.
    let scratch: Vec<_> = app.buffers.iter().map(|b| b.id).collect();
    app.add_buffer(Document::from_rope(rope, Some(PathBuf::from(path))));
    for id in scratch {
        app.close_buffer(id);
    }
    app.size = (WIDTH, HEIGHT);
    app.doc_mut().move_to(pos, false);
    app.prepare_frame();
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("test terminal");
    terminal.draw(|f| caret::ui::render(f, &app)).expect("draw");
    (app, terminal)
}

/// The documents the frame and keystroke benchmarks run on: (name, rope, path, cursor).
fn scenarios() -> Vec<(&'static str, Rope, &'static str, usize)> {
    let inputs = inputs();
    let rust10k = rope_of(&inputs.rust10k);
    let big = rope_of(&inputs.src100m);
    let min = rope_of(&inputs.min20m);
    let rust10k_mid = rust10k.line_to_char(rust10k.len_lines() / 2);
    let big_mid = big.line_to_char(big.len_lines() / 2);
    // The end of the single line, before its newline.
    let min_end = min.len_chars() - 1;
    vec![
        ("rust10k_top", rust10k.clone(), "rust10k.rs", 0),
        ("rust10k_middle", rust10k, "rust10k.rs", rust10k_mid),
        ("100MiB_middle", big, "src100m.rs", big_mid),
        ("min20m_line_start", min.clone(), "min20m.js", 0),
        ("min20m_line_end", min, "min20m.js", min_end),
    ]
}

/// The cases that take seconds per iteration (the end of the 20 MiB line).
fn is_slow(name: &str) -> bool {
    name.ends_with("line_end")
}

/// Slow cases take one iteration per sample.
fn sampling(name: &str) -> SamplingMode {
    if is_slow(name) {
        SamplingMode::Flat
    } else {
        SamplingMode::Auto
    }
}

/// The display column of the cursor at the end of the 20 MiB line: every frame needs it.
fn columns(c: &mut Criterion) {
    let min = rope_of(&inputs().min20m);
    let end = min.len_chars() - 1;
    let mut group = c.benchmark_group("visual_col");
    configure(&mut group);
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(end as u64));
    group.bench_function("min20m_line_end", |b| {
        b.iter(|| movement::visual_col(black_box(&min), black_box(end), 4));
    });
    group.finish();
}

fn frame(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");
    configure(&mut group);
    for (name, rope, path, pos) in scenarios() {
        let (app, mut terminal) = app_with(rope, path, pos);
        group.sampling_mode(sampling(name));
        group.bench_function(name, |b| {
            b.iter(|| {
                terminal
                    .draw(|f| caret::ui::render(f, black_box(&app)))
                    .expect("draw");
            });
        });
    }
    group.finish();
}

fn keystroke(c: &mut Criterion) {
    let mut group = c.benchmark_group("keystroke");
    configure(&mut group);
    for (name, rope, path, pos) in scenarios() {
        if name == "rust10k_top" {
            continue;
        }
        let (mut app, mut terminal) = app_with(rope, path, pos);
        group.sampling_mode(sampling(name));
        let slow = is_slow(name);
        // Each timed keystroke is undone (untimed) so the document, the cursor column and
        // the screen are the same for every sample: typing thousands of 'x' into one line
        // would otherwise measure ever longer lines.
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let key = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
                    let start = Instant::now();
                    app.handle_event(AppEvent::Input(Event::Key(key)));
                    app.prepare_frame();
                    terminal.draw(|f| caret::ui::render(f, &app)).expect("draw");
                    total += start.elapsed();
                    app.doc_mut().undo().expect("undo");
                    // Redrawing costs as much as the keystroke at the end of the 20 MiB
                    // line; there the screen hardly differs, so it is skipped.
                    if !slow {
                        app.follow_cursor = true;
                        app.prepare_frame();
                        terminal.draw(|f| caret::ui::render(f, &app)).expect("draw");
                    }
                }
                total
            });
        });
    }
    group.finish();
}

criterion_group!(benches, load, edit, columns, frame, keystroke);
criterion_main!(benches);
