//! Criterion benchmarks of the stream-to-screen path of the AI pane: per token, the SSE bytes
//! parsed, the `OpenAI` chunk decoded, the delta folded into the transcript (markdown, journal)
//! through the app's event entry point, and a frame drawn to a `TestBackend` every 16 tokens
//! (1,000 tokens/s at 60 frames/s) — at the start of a transcript and after 100,000 tokens.
//! And keystroke-to-frame with the pane idle against with such a stream rendering.

// Benchmark setup has nowhere to report an error to: failing loudly is the right answer.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use caret::ai::client::ClientEvent;
use caret::ai::openai::OpenAiWire;
use caret::ai::provider::WireFormat as _;
use caret::ai::sse::SseParser;
use caret::ai::transcript::{AnswerStats, Exchange, Outcome};
use caret::app::App;
use caret::chat::{ExchangeView, Running};
use caret::config::Config;
use caret::event::{AiUpdate, AppEvent, AppEventSender};
use caret::ui::markdown::MarkdownView;
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{Event, KeyCode, KeyEvent};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// A markdown answer of the usual shape, cut into tokens of 1 to 6 characters.
fn tokens(count: usize) -> Vec<String> {
    const DOC: &str = "Here is what `parse_config` does, step by step.\n\n\
1. It **reads** the file and splits it into lines.\n2. Each line is matched against the \
grammar; a failure is *reported* with its line number.\n3. The result is cached.\n\n\
```rust\nfn parse_config(path: &Path) -> Result<Config, Error> {\n    let text = std::fs::read_to_string(path)?;\n    \
let mut config = Config::default();\n    for (n, line) in text.lines().enumerate() {\n        \
config.apply(line).map_err(|e| Error::Line(n + 1, e))?;\n    }\n    Ok(config)\n}\n```\n\n\
> Note: the cache is keyed by path, so a renamed file is parsed again.\n\n\
The main risk is that `apply` trusts its input; see [the docs](https://example.com/docs) for the rules.\n\n";
    let chars: Vec<char> = DOC.chars().collect();
    let mut out = Vec::with_capacity(count);
    let mut at = 0;
    let mut size = 1;
    while out.len() < count {
        let end = (at + size).min(chars.len());
        out.push(chars[at..end].iter().collect());
        at = if end == chars.len() { 0 } else { end };
        size = size % 6 + 1;
    }
    out
}

/// The SSE bytes an OpenAI-compatible server sends for one token.
fn sse_event(token: &str) -> Vec<u8> {
    let json =
        serde_json::json!({"choices":[{"index":0,"delta":{"content":token},"finish_reason":null}]});
    format!("data: {json}\n\n").into_bytes()
}

struct Rig {
    app: App,
    terminal: Terminal<TestBackend>,
    parser: SseParser,
    wire: OpenAiWire,
    _runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

/// Languages with the Rust queries compiled, shared by every rig: compiling them (tens of
/// milliseconds, on a thread of its own) must not run during a measurement.
fn registry() -> std::sync::Arc<caret::syntax::registry::Registry> {
    static SHARED: std::sync::OnceLock<std::sync::Arc<caret::syntax::registry::Registry>> =
        std::sync::OnceLock::new();
    SHARED
        .get_or_init(|| {
            let registry = caret::syntax::registry::Registry::new(None);
            let rust = registry.languages().by_name("rust").expect("rust");
            registry.config(rust).expect("rust queries");
            std::sync::Arc::new(registry)
        })
        .clone()
}

/// An app with the pane open and a request "running" whose events the bench delivers.
fn rig(width: u16, height: u16) -> Rig {
    let dir = tempfile::tempdir().expect("temp dir");
    let (events, _rx) = AppEventSender::new();
    let mut app = App::new(
        Config::default(),
        dir.path().to_path_buf(),
        events,
        dir.path().join("state/recovery"),
    );
    app.size = (width, height);
    app.syntax = registry();
    app.chat.open = true;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let abort = runtime.spawn(std::future::pending::<()>()).abort_handle();
    app.chat.exchanges.push(ExchangeView {
        data: Exchange {
            id: 1,
            question: "What does parse_config do?".into(),
            prompt: String::new(),
            context: None,
            answer: String::new(),
            outcome: Outcome::Running,
            stats: AnswerStats::default(),
        },
        view: MarkdownView::new(),
    });
    app.chat.running = Some(Running {
        id: 1,
        abort,
        started: Instant::now(),
        first_token: None,
        deltas: 0,
        retry: None,
        sent: String::new(),
        notice: None,
    });
    Rig {
        app,
        terminal: Terminal::new(TestBackend::new(width, height)).expect("terminal"),
        parser: SseParser::new(),
        wire: OpenAiWire,
        _runtime: runtime,
        _dir: dir,
    }
}

impl Rig {
    /// One token through the whole path.
    fn token(&mut self, bytes: &[u8], events: &mut Vec<caret::ai::sse::SseEvent>) {
        self.parser.push(bytes, events);
        for event in events.drain(..) {
            for parsed in self.wire.parse(&event).expect("valid chunk") {
                self.app.handle_event(AppEvent::Ai {
                    id: 1,
                    update: AiUpdate::Client(ClientEvent::Stream(parsed)),
                });
            }
        }
    }

    fn frame(&mut self) {
        self.app.chat_flush();
        self.app.prepare_frame();
        let app = &self.app;
        self.terminal
            .draw(|f| caret::ui::render(f, app))
            .expect("draw");
    }

    /// `n` tokens, with a frame after every 16th; returns the time per token.
    fn run(&mut self, sse: &[Vec<u8>], n: usize) -> Duration {
        self.run_framed(sse, n, 16)
    }

    /// `n` tokens, with a frame after every `per_frame`; returns the time per token.
    fn run_framed(&mut self, sse: &[Vec<u8>], n: usize, per_frame: usize) -> Duration {
        let mut events = Vec::new();
        let started = Instant::now();
        for (i, bytes) in sse.iter().cycle().take(n).enumerate() {
            self.token(bytes, &mut events);
            if i % per_frame == per_frame - 1 {
                self.frame();
            }
        }
        started.elapsed() / n as u32
    }
}

fn stream_to_screen(c: &mut Criterion) {
    let sse: Vec<Vec<u8>> = tokens(4096).iter().map(|t| sse_event(t)).collect();
    let mut group = c.benchmark_group("ai_stream_to_screen");
    group.sample_size(20);
    // Batches of 1,600 tokens (100 frames): at the start of an answer…
    group.bench_function("per_1600_tokens_fresh", |b| {
        b.iter_batched_ref(
            || rig(120, 40),
            |rig| black_box(rig.run(&sse, 1600)),
            criterion::BatchSize::LargeInput,
        );
    });
    // …and after 100,000 tokens already in the transcript.
    let mut long = rig(120, 40);
    long.run(&sse, 100_000);
    group.bench_function("per_1600_tokens_after_100k", |b| {
        b.iter(|| black_box(long.run(&sse, 1600)));
    });
    group.finish();
    // The whole 100,000-token answer once, each token timed on its own (the 16th with its
    // frame), reported as a distribution at the start and at the end of the answer.
    let mut whole = rig(120, 40);
    let mut events = Vec::new();
    let mut times = Vec::with_capacity(100_000);
    for (i, bytes) in sse.iter().cycle().take(100_000).enumerate() {
        let started = Instant::now();
        whole.token(bytes, &mut events);
        if i % 16 == 15 {
            whole.frame();
        }
        times.push(started.elapsed());
    }
    report("first 10,000 tokens", &times[..10_000]);
    report("last 10,000 tokens", &times[90_000..]);
    report("all 100,000 tokens", &times);
    // What a token costs without a frame, and what one frame costs, after 100k tokens.
    let started = Instant::now();
    for bytes in sse.iter().take(1600) {
        whole.token(bytes, &mut events);
    }
    println!(
        "ai_stream_to_screen: a token without its frame, after 100k: {:?}",
        started.elapsed() / 1600
    );
    let started = Instant::now();
    for _ in 0..200 {
        whole.frame();
    }
    println!(
        "ai_stream_to_screen: one 120x40 frame, after 100k: {:?}",
        started.elapsed() / 200
    );
}

/// Prints the median, p90, p99 and mean of per-token times.
fn report(what: &str, times: &[Duration]) {
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q) as usize];
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    println!(
        "ai_stream_to_screen per token, {what}: median {:?}, p90 {:?}, p99 {:?}, mean {mean:?}",
        at(0.5),
        at(0.9),
        at(0.99)
    );
}

fn keystroke_to_frame(c: &mut Criterion) {
    let sse: Vec<Vec<u8>> = tokens(4096).iter().map(|t| sse_event(t)).collect();
    let key = Event::Key(KeyEvent::from(KeyCode::Char('x')));
    let mut group = c.benchmark_group("ai_keystroke_to_frame");
    group.sample_size(50);
    let mut idle = rig(120, 40);
    idle.run(&sse, 2000);
    idle.app.chat.running = None;
    group.bench_function("pane_idle", |b| {
        b.iter(|| {
            idle.app.handle_event(AppEvent::Input(key.clone()));
            idle.frame();
        });
    });
    // 1,000 tokens/s at 60 frames/s: 16 tokens arrive between two frames. They are handled as
    // they arrive, between frames; the key's frame then draws everything they changed.
    let mut busy = rig(120, 40);
    busy.run(&sse, 2000);
    let mut events = Vec::new();
    let mut next = 0;
    group.bench_function("streaming_1000_tokens_per_s", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                for _ in 0..16 {
                    busy.token(&sse[next % sse.len()], &mut events);
                    next += 1;
                }
                let started = Instant::now();
                busy.app.handle_event(AppEvent::Input(key.clone()));
                busy.frame();
                total += started.elapsed();
            }
            total
        });
    });
    // The worst case: the key arrives right behind a whole frame's worth of tokens not yet
    // handled, and waits for them.
    group.bench_function("streaming_1000_tokens_per_s_16_pending", |b| {
        b.iter(|| {
            for _ in 0..16 {
                busy.token(&sse[next % sse.len()], &mut events);
                next += 1;
            }
            busy.app.handle_event(AppEvent::Input(key.clone()));
            busy.frame();
        });
    });
    group.finish();
}

criterion_group!(benches, stream_to_screen, keystroke_to_frame);
criterion_main!(benches);
