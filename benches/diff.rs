//! Criterion benchmarks of suggested-edit diffs: the hunks between two versions of a
//! 10,000-line file, and re-diffing while a 500-line reply streams in line by line —
//! incrementally (`Proposal::update`) against a full re-diff each round, on a 10,000-line
//! and a 100,000-line file, to show the incremental cost follows what changed, not the file
//! (beyond one comparison of the whole text, measured on its own as `compare_only`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use caret::diff::{Proposal, hunks};
use criterion::{Criterion, criterion_group, criterion_main};

/// Where the streamed reply starts, and how long it is.
const REPLY_AT: usize = 4_000;
const REPLY_LINES: usize = 500;

/// A deterministic stream of numbers (no randomness between runs).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }
}

/// Source-like lines: indentation, braces, blank lines, statements with names and numbers.
fn code_line(i: usize, rng: &mut Lcg) -> String {
    const NAMES: [&str; 8] = [
        "buffer", "cursor", "offset", "line", "rope", "hunk", "anchor", "proposal",
    ];
    match i % 12 {
        0 => format!("fn step_{i}(input: &str) -> usize {{\n"),
        5 => "\n".to_owned(),
        11 => "}\n".to_owned(),
        _ => {
            let a = NAMES[rng.next() % NAMES.len()];
            let b = NAMES[rng.next() % NAMES.len()];
            format!("    let {a}_{i} = {b}.len() + {};\n", rng.next() % 1000)
        }
    }
}

fn file(lines: usize) -> Vec<String> {
    let mut rng = Lcg(7);
    (0..lines).map(|i| code_line(i, &mut rng)).collect()
}

/// `lines` with every `every`-th line edited (and a line inserted or dropped now and then).
fn edited(lines: &[String], every: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len() + lines.len() / every);
    for (i, l) in lines.iter().enumerate() {
        match (i % every == every / 2, i % (every * 3)) {
            (true, 0) => {}
            (true, k) if k == every => {
                out.push(l.clone());
                out.push("    // added by the model\n".to_owned());
            }
            (true, _) => out.push(l.replace(".len()", ".len_chars()")),
            _ => out.push(l.clone()),
        }
    }
    out
}

/// The proposed text after `k` lines of the reply: the reply's first `k` lines in place of
/// the base's lines there (how a whole-region reply fills in as it streams).
fn streamed(base: &[String], reply: &[String], k: usize) -> String {
    let mut out = String::new();
    for l in &base[..REPLY_AT] {
        out.push_str(l);
    }
    for l in &reply[..k] {
        out.push_str(l);
    }
    for l in &base[REPLY_AT + k..] {
        out.push_str(l);
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `Proposal::update` each round.
    Incremental,
    /// A new `Proposal` (a full diff) each round.
    Full,
    /// `Proposal::update` with the text it already has: only the comparison of the whole
    /// text with the last round's, the part of a round that grows with the file.
    Compare,
}

/// The time re-diffing takes over a whole stream of `reply` into `base`: each round's text
/// is built outside the timing (as the reply parser would build it), only the diff counts.
fn stream_time(base_lines: &[String], reply: &[String], mode: Mode) -> Duration {
    let base = base_lines.concat();
    let mut p = Proposal::new("f.rs", base.as_str(), 0, base.as_str());
    let mut spent = Duration::ZERO;
    for k in 1..=reply.len() {
        let text = streamed(base_lines, reply, k);
        if mode == Mode::Compare {
            p.update(text.clone());
        }
        let started = Instant::now();
        match mode {
            // The reply parser hands over the text it built: moved, not copied.
            Mode::Incremental | Mode::Compare => p.update(text),
            Mode::Full => p = Proposal::new("f.rs", base.as_str(), 0, text),
        }
        spent += started.elapsed();
    }
    black_box(&p);
    spent
}

fn report(label: &str, base_lines: &[String], reply: &[String], mode: Mode) {
    // Figures only under `cargo bench`; `cargo test --benches` checks the benchmarks run.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    // A full re-diff of 100,000 lines per round takes seconds over a stream: once is enough.
    let runs: u32 = if mode == Mode::Full && base_lines.len() > 10_000 {
        1
    } else {
        3
    };
    let total = (0..runs)
        .map(|_| stream_time(base_lines, reply, mode))
        .sum::<Duration>()
        / runs;
    println!(
        "{label}: {total:?} for {} lines, {:?} per line",
        reply.len(),
        total / reply.len() as u32
    );
}

fn two_versions(c: &mut Criterion) {
    let base_lines = file(10_000);
    let base = base_lines.concat();
    let mut group = c.benchmark_group("diff");
    for every in [100, 10] {
        let new = edited(&base_lines, every).concat();
        println!(
            "diff/10k_lines_every_{every}th_changed: {} hunks",
            hunks(&base, &new).len()
        );
        group.bench_function(format!("10k_lines_every_{every}th_changed"), |b| {
            b.iter(|| hunks(black_box(&base), black_box(&new)));
        });
    }
    let new = edited(&base_lines, 100).concat();
    group.bench_function("proposal_new_10k_lines", |b| {
        b.iter(|| Proposal::new("f.rs", black_box(base.as_str()), 0, new.as_str()));
    });
    group.finish();
}

fn streaming(c: &mut Criterion) {
    let mut group = c.benchmark_group("stream");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    let timed = |b: &mut criterion::Bencher, base: &[String], reply: &[String], mode| {
        b.iter_custom(|iters| (0..iters).map(|_| stream_time(base, reply, mode)).sum());
    };
    for lines in [10_000, 100_000] {
        let base = file(lines);
        // An edit of a 500-line region: every 4th line changed, as a model's fix would.
        let reply = edited(&base[REPLY_AT..REPLY_AT + REPLY_LINES], 4);
        let reply = &reply[..REPLY_LINES];
        let k = lines / 1000;
        report(
            &format!("stream/edit_{k}k_incremental"),
            &base,
            reply,
            Mode::Incremental,
        );
        report(
            &format!("stream/edit_{k}k_full_rediff"),
            &base,
            reply,
            Mode::Full,
        );
        report(
            &format!("stream/edit_{k}k_compare_only"),
            &base,
            reply,
            Mode::Compare,
        );
        group.bench_function(format!("edit_500_lines_into_{k}k_incremental"), |b| {
            timed(b, &base, reply, Mode::Incremental);
        });
        if lines == 10_000 {
            group.bench_function("edit_500_lines_into_10k_full_rediff", |b| {
                timed(b, &base, reply, Mode::Full);
            });
        }
    }
    // A rewrite: 500 lines with nothing in common with the lines they replace.
    let base = file(10_000);
    let rewrite: Vec<String> = (0..REPLY_LINES)
        .map(|i| format!("    rewritten({i});\n"))
        .collect();
    report(
        "stream/rewrite_10k_incremental",
        &base,
        &rewrite,
        Mode::Incremental,
    );
    report(
        "stream/rewrite_10k_full_rediff",
        &base,
        &rewrite,
        Mode::Full,
    );
    group.bench_function("rewrite_500_lines_into_10k_incremental", |b| {
        timed(b, &base, &rewrite, Mode::Incremental);
    });
    group.finish();
}

criterion_group!(benches, two_versions, streaming);
criterion_main!(benches);
