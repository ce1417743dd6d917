//! Criterion benchmark of what inline completion costs typing: keystroke-to-frame (the key
//! handled through the app's event entry point, the frame prepared and drawn to a
//! `TestBackend`) with completion off, against completion on with a request in flight to a
//! scripted server that takes a minute to answer — each key cancels that request and starts
//! the next typing pause. Prints both medians (and p99s) measured over the same keys.

// Benchmark setup has nowhere to report an error to: failing loudly is the right answer.
#![allow(clippy::expect_used)]

#[path = "../tests/common/llm_server.rs"]
mod llm_server;

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use caret::ai::provider::{Provider, ProviderKind};
use caret::app::App;
use caret::chat::ProviderState;
use caret::complete::CompletionEvent;
use caret::config::Config;
use caret::core::document::Document;
use caret::event::{AppEvent, AppEventSender};
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{Event, KeyCode, KeyEvent};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::mpsc::UnboundedReceiver;

struct Rig {
    app: App,
    rx: UnboundedReceiver<AppEvent>,
    terminal: Terminal<TestBackend>,
    /// Alternates typing a character and deleting it, so the text stays the same size.
    typed: bool,
    /// What the server received, and how much of it was seen: a request counts as in flight
    /// once it is there, waiting for its answer (not while it is still being sent).
    received: Arc<Mutex<Vec<llm_server::Recorded>>>,
    seen: usize,
    /// How long handling the end of each typing pause took.
    due_times: Vec<Duration>,
    _dir: tempfile::TempDir,
}

/// Two hundred lines of Rust, the cursor at the end of one in the middle.
fn source() -> String {
    let mut text = String::new();
    for i in 0..200 {
        let _ = write!(text, "fn item_{i}(x: u32) -> u32 {{\n    x * {i} + 1\n}}\n");
    }
    text
}

fn rig(completion: bool, server: &llm_server::Server) -> Rig {
    let base_url = server.base_url();
    let dir = tempfile::tempdir().expect("temp dir");
    let (events, rx) = AppEventSender::new();
    let mut config = Config::default();
    config.completion.enabled = completion;
    config.completion.debounce_ms = 0;
    let mut app = App::new(
        config,
        dir.path().to_path_buf(),
        events,
        dir.path().join("state/recovery"),
    );
    let scratch: Vec<_> = app.buffers.iter().map(|b| b.id).collect();
    let path = dir.path().join("lib.rs");
    app.add_buffer(Document::from_rope(
        ropey::Rope::from_str(&source()),
        Some(PathBuf::from(&path)),
    ));
    for id in scratch {
        app.close_buffer(id);
    }
    let line = 301;
    let pos = app.doc().text().line_to_char(line + 1) - 1;
    app.doc_mut().move_to(pos, false);
    app.size = (120, 40);
    app.chat.provider = ProviderState::Ready(Provider {
        kind: ProviderKind::OpenAi,
        base_url,
        model: "bench".to_string(),
        key: None,
    });
    let mut rig = Rig {
        app,
        rx,
        terminal: Terminal::new(TestBackend::new(120, 40)).expect("terminal"),
        typed: false,
        received: server.requests.clone(),
        seen: 0,
        due_times: Vec::new(),
        _dir: dir,
    };
    // A first key, so that a request is under way from the first measured key on.
    rig.key();
    rig
}

impl Rig {
    fn frame(&mut self) {
        self.app.prepare_frame();
        let app = &self.app;
        self.terminal
            .draw(|f| caret::ui::render(f, app))
            .expect("draw");
    }

    /// Handles what background work sent until a completion request is in flight (with
    /// completion on), outside the measurement.
    fn settle(&mut self) {
        self.wait_for_request();
        // Both rigs start each key after the same pause: a key right behind another finds
        // warmer caches than one after waiting for the server, which would flatter "off".
        std::thread::sleep(Duration::from_millis(2));
        while let Ok(ev) = self.rx.try_recv() {
            self.app.handle_event(ev);
        }
    }

    fn wait_for_request(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            while let Ok(ev) = self.rx.try_recv() {
                // The end of a typing pause is handled on the loop's thread too: the request
                // is cut and passed through the gate there before it is spawned.
                let due = matches!(ev, AppEvent::Completion(CompletionEvent::Due { .. }));
                let started = Instant::now();
                self.app.handle_event(ev);
                if due {
                    self.due_times.push(started.elapsed());
                }
            }
            if !self.app.config.completion.enabled {
                return;
            }
            let received = self.received.lock().map_or(0, |r| r.len());
            if self.app.completion.in_flight() && received > self.seen {
                self.seen = received;
                return;
            }
            assert!(Instant::now() < deadline, "no completion request went out");
            std::thread::sleep(Duration::from_micros(200));
        }
    }

    /// One keystroke to its frame.
    fn key(&mut self) -> Duration {
        let code = if self.typed {
            KeyCode::Backspace
        } else {
            KeyCode::Char('x')
        };
        self.typed = !self.typed;
        let started = Instant::now();
        self.app
            .handle_event(AppEvent::Input(Event::Key(KeyEvent::from(code))));
        self.frame();
        started.elapsed()
    }
}

fn keystroke_to_frame(c: &mut Criterion) {
    let answer = serde_json::json!({"choices": [{"index": 0, "text": " + 2"}]});
    let server = llm_server::Server::routed(vec![(
        "/v1/completions",
        llm_server::Reply::json(&answer).after(Duration::from_mins(1)),
    )]);
    let mut off = rig(false, &server);
    let mut on = rig(true, &server);
    let mut group = c.benchmark_group("completion_keystroke_to_frame");
    group.sample_size(30);
    group.bench_function("completion_off", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    off.settle();
                    black_box(off.key())
                })
                .sum()
        });
    });
    group.bench_function("completion_on_request_in_flight", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    on.settle();
                    black_box(on.key())
                })
                .sum()
        });
    });
    group.finish();
    // The same keys, interleaved so both see the same machine, each timed on its own.
    let keys = if std::env::args().any(|a| a == "--bench") {
        2000
    } else {
        20
    };
    let (mut off_times, mut on_times) = (Vec::new(), Vec::new());
    for _ in 0..keys {
        off.settle();
        off_times.push(off.key());
        on.settle();
        on_times.push(on.key());
    }
    assert!(on.app.completion.sent > 0, "requests went out");
    report("keystroke-to-frame, completion off", &mut off_times);
    report(
        "keystroke-to-frame, completion on, a request in flight",
        &mut on_times,
    );
    report(
        "the end of a typing pause (request cut, gated, spawned)",
        &mut on.due_times,
    );
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort_unstable();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    println!(
        "completion, {what}: median {:?}, p99 {:?} ({} times)",
        at(0.5),
        at(0.99),
        times.len()
    );
}

criterion_group!(benches, keystroke_to_frame);
criterion_main!(benches);
