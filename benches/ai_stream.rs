//! Criterion benchmarks of streaming an AI answer into the markdown view: the cost of one
//! token pushed at the start of a 100,000-token answer against one pushed after ~99,000 (it
//! must not grow: only the block still growing is redrawn), and a whole 100,000-token answer.
//!
//! The answer is generated from a fixed seed: headings, paragraphs with inline code and bold,
//! bullet and numbered lists, and fenced Rust blocks of 5–40 lines of caret's own source, cut into
//! tokens of 1–6 characters as a model's deltas are. Before the criterion runs, one timed pass
//! prints the per-token distribution (median, p90, p99, max), which criterion's means hide.

// Benchmark setup has nowhere to report an error to: failing loudly is the right answer.
#![allow(clippy::expect_used)]

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use caret::syntax::registry::Registry;
use caret::themes::Catalog;
use caret::ui::markdown::MarkdownView;
use caret::ui::theme::{ColorMode, Theme};
use criterion::{Criterion, criterion_group, criterion_main};

const TOKENS: usize = 100_000;
/// Tokens per measured stretch, at the start and at the end of the answer.
const WINDOW: usize = 1_000;
/// How far the answer may grow past ~99,000 tokens before the end benchmark starts again
/// from a fresh copy (building one costs a whole run, so it cannot happen per window).
const END_GROWTH: usize = 20_000;

const SOURCES: &[&str] = &[
    include_str!("../src/app.rs"),
    include_str!("../src/syntax/mod.rs"),
    include_str!("../src/core/document.rs"),
    include_str!("../src/picker.rs"),
];

const WORDS: &[&str] = &[
    "the",
    "parser",
    "returns",
    "a",
    "value",
    "when",
    "buffer",
    "is",
    "empty",
    "and",
    "then",
    "we",
    "call",
    "it",
    "again",
    "with",
    "new",
    "state",
    "so",
    "that",
    "each",
    "line",
    "of",
    "input",
    "gets",
    "handled",
    "once",
    "this",
    "means",
    "you",
    "can",
    "change",
    "function",
    "to",
    "take",
    "reference",
    "instead",
    "because",
    "borrow",
    "checker",
    "needs",
    "lifetime",
    "error",
    "here",
    "fix",
    "test",
    "should",
    "pass",
    "now",
    "in",
    "loop",
    "index",
    "bounds",
];

/// xorshift64*: a fixed, dependency-free sequence.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }

    fn word(&mut self) -> &'static str {
        WORDS[self.range(0, WORDS.len() - 1)]
    }
}

/// A sentence-ish run of words, now and then with `inline code` or **bold**.
fn words(rng: &mut Rng, n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        match rng.range(0, 19) {
            0 => {
                let (a, b) = (rng.word(), rng.word());
                let _ = write!(out, "`{a}_{b}()`");
            }
            1 => {
                let (a, b) = (rng.word(), rng.word());
                let _ = write!(out, "**{a} {b}**");
            }
            _ => out.push_str(rng.word()),
        }
    }
    out
}

fn paragraph(rng: &mut Rng) -> String {
    let lines = rng.range(1, 5);
    let mut out = String::new();
    for _ in 0..lines {
        let n = rng.range(8, 14);
        out.push_str(&words(rng, n));
        out.push('\n');
    }
    out
}

fn list(rng: &mut Rng) -> String {
    let ordered = rng.range(0, 1) == 0;
    let mut out = String::new();
    for i in 0..rng.range(2, 6) {
        let marker = if ordered {
            format!("{}. ", i + 1)
        } else {
            "- ".to_string()
        };
        let n = rng.range(4, 16);
        let _ = writeln!(out, "{marker}{}", words(rng, n));
        if rng.range(0, 3) == 0 {
            let n = rng.range(3, 8);
            let _ = writeln!(out, "   - {}", words(rng, n));
        }
    }
    out
}

fn code(rng: &mut Rng) -> String {
    let src = SOURCES[rng.range(0, SOURCES.len() - 1)];
    let lines: Vec<&str> = src.lines().collect();
    let n = rng.range(5, 40);
    let start = rng.range(0, lines.len() - n - 1);
    let mut out = "```rust\n".to_string();
    for line in &lines[start..start + n] {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("```\n");
    out
}

/// Cuts `text` into tokens of 1–6 characters.
fn tokenize(rng: &mut Rng, text: &str, tokens: &mut Vec<String>) {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let n = rng.range(1, 6).min(chars.len() - i);
        tokens.push(chars[i..i + n].iter().collect());
        i += n;
    }
}

/// The answer's tokens, and the token indices where a section (ending in a blank line)
/// starts: a stretch of whole sections can be pushed again and still be good markdown.
fn answer() -> (Vec<String>, Vec<usize>) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut tokens = Vec::new();
    let mut sections = vec![0];
    while tokens.len() < TOKENS {
        let mut section = match rng.range(0, 9) {
            0 => format!("## {}\n", words(&mut rng, 4)),
            1..=4 => paragraph(&mut rng),
            5 | 6 => list(&mut rng),
            _ => code(&mut rng),
        };
        section.push('\n');
        tokenize(&mut rng, &section, &mut tokens);
        sections.push(tokens.len());
    }
    (tokens, sections)
}

struct Setup {
    theme: Theme,
    registry: Registry,
    tokens: Vec<String>,
    /// Whole sections from the start, about `WINDOW` tokens.
    start: Vec<String>,
    /// Whole sections from about token 99,000 on, and the tokens before them.
    prefix: usize,
    end: Vec<String>,
}

fn setup() -> Setup {
    let theme = Catalog::bundled_only()
        .load("default", ColorMode::TrueColor)
        .expect("the default theme loads");
    let registry = Registry::new(None);
    let rust = registry
        .languages()
        .by_name("rust")
        .expect("rust is bundled");
    registry.config(rust).expect("rust queries compile");
    let (all, sections) = answer();
    let start_end = *sections
        .iter()
        .find(|&&s| s >= WINDOW)
        .expect("a section boundary");
    let prefix = *sections
        .iter()
        .rev()
        .find(|&&s| s <= TOKENS - WINDOW)
        .expect("a section boundary");
    let end_end = *sections
        .iter()
        .find(|&&s| s >= prefix + WINDOW)
        .expect("a section boundary");
    let start = all[..start_end].to_vec();
    let end = all[prefix..end_end].to_vec();
    let tokens = all[..TOKENS].to_vec();
    Setup {
        theme,
        registry,
        tokens,
        start,
        prefix,
        end,
    }
}

impl Setup {
    fn prefilled(&self, n: usize) -> MarkdownView {
        let mut view = MarkdownView::new();
        for token in &self.tokens[..n] {
            view.push(token, &self.theme, &self.registry);
        }
        view
    }
}

/// Times `n` pushes from `window` (cycling) onto `view`.
fn timed_pushes(
    s: &Setup,
    view: &mut MarkdownView,
    window: &[String],
    at: &mut usize,
    n: u64,
) -> Duration {
    let started = Instant::now();
    for _ in 0..n {
        view.push(black_box(&window[*at]), &s.theme, &s.registry);
        *at = (*at + 1) % window.len();
    }
    started.elapsed()
}

/// Pushes tokens from `window` onto a view made by `fresh`, starting again from a fresh
/// view after `growth` tokens; only the pushes are timed.
fn bench_window(
    c: &mut Criterion,
    name: &str,
    s: &Setup,
    window: &[String],
    growth: usize,
    fresh: &dyn Fn() -> MarkdownView,
) {
    let mut view = fresh();
    let mut pushed = 0usize;
    let mut at = 0usize;
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            let mut left = iters;
            while left > 0 {
                if pushed >= growth {
                    view = fresh();
                    pushed = 0;
                    at = 0;
                }
                let n = left.min((growth - pushed) as u64);
                total += timed_pushes(s, &mut view, window, &mut at, n);
                pushed += n as usize;
                left -= n;
            }
            total
        });
    });
}

fn percentiles(label: &str, mut times: Vec<Duration>) {
    times.sort_unstable();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    eprintln!(
        "{label:<34} median {:>9.2?}  p90 {:>9.2?}  p99 {:>9.2?}  max {:>9.2?}  mean {:>9.2?}",
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0),
        mean
    );
}

/// One pass over the whole answer timing each push (each timing includes ~25 ns of clock
/// reads), and the same with the pane's work of re-wrapping the lines that may have changed.
fn distribution(s: &Setup) {
    let mut view = MarkdownView::new();
    let mut times = Vec::with_capacity(TOKENS);
    for token in &s.tokens {
        let started = Instant::now();
        view.push(black_box(token), &s.theme, &s.registry);
        times.push(started.elapsed());
    }
    eprintln!(
        "answer: {} tokens, {} bytes, {} lines drawn, {} code blocks",
        s.tokens.len(),
        view.source().len(),
        view.lines().len(),
        view.code_blocks().len()
    );
    percentiles("per token, first 1,000", times[..WINDOW].to_vec());
    percentiles("per token, last 1,000", times[TOKENS - WINDOW..].to_vec());
    percentiles("per token, all 100,000", times);
    let mut view = MarkdownView::new();
    let mut times = Vec::with_capacity(TOKENS);
    for token in &s.tokens {
        let started = Instant::now();
        view.push(black_box(token), &s.theme, &s.registry);
        for i in view.settled()..view.lines().len() {
            black_box(view.wrapped(i, 80));
        }
        times.push(started.elapsed());
    }
    percentiles("per token + re-wrap live lines @80", times);
}

fn ai_stream(c: &mut Criterion) {
    let s = setup();
    distribution(&s);
    bench_window(
        c,
        "ai_stream/push_token_at_start",
        &s,
        &s.start,
        s.start.len(),
        &|| MarkdownView::new(),
    );
    bench_window(
        c,
        "ai_stream/push_token_after_99k",
        &s,
        &s.end,
        END_GROWTH,
        &|| s.prefilled(s.prefix),
    );
    let mut group = c.benchmark_group("ai_stream");
    group.sample_size(10);
    group.bench_function("full_100k_tokens", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let mut view = MarkdownView::new();
                let started = Instant::now();
                for token in &s.tokens {
                    view.push(black_box(token), &s.theme, &s.registry);
                }
                view.finish(&s.theme, &s.registry);
                total += started.elapsed();
                drop(black_box(view));
            }
            total
        });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = ai_stream
}
criterion_main!(benches);
