//! The AI chat pane's state: the transcript with each answer's rendered markdown, the input
//! line, scrolling, the request in flight and its progress, which provider is in use, and the
//! rows prepared for the next frame.

pub mod frame;
pub mod inspector;
pub mod keys;
pub mod mention;
pub mod plan;
pub mod requests;

use std::time::{Duration, Instant};

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::ai::provider::Provider;
use crate::ai::transcript::{Exchange, Journal, Outcome};
use crate::context::assemble::Attachment;
use crate::event::RequestId;
use crate::ui::markdown::{MarkdownView, sanitize, wrap};
use crate::ui::theme::Theme;

/// What is known about the model to talk to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderState {
    /// Not looked at yet (nothing has needed it).
    Unknown,
    /// Reading the configuration, running the key command or probing local servers.
    Resolving,
    Ready(Provider),
    /// Nothing configured and nothing found; the pane says how to set one up.
    Missing,
    /// The configuration is wrong; the message says how.
    Invalid(String),
}

/// One question and answer as shown.
pub struct ExchangeView {
    pub data: Exchange,
    pub view: MarkdownView,
}

impl std::fmt::Debug for ExchangeView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExchangeView")
            .field("data", &self.data)
            .finish_non_exhaustive()
    }
}

/// The request in flight.
#[derive(Debug)]
pub struct Running {
    pub id: RequestId,
    pub abort: tokio::task::AbortHandle,
    pub started: Instant,
    pub first_token: Option<Instant>,
    /// Deltas received, a stand-in for output tokens until the API reports usage.
    pub deltas: u64,
    /// A retry is scheduled: when, and why.
    pub retry: Option<(Instant, String)>,
    /// Everything the request sent (system prompt, history, question), for counting its
    /// tokens when the API does not report them.
    pub sent: String,
    /// See [`PendingQuestion::notice`].
    pub notice: Option<String>,
}

/// A question waiting for the provider to be known.
#[derive(Debug, Clone)]
pub struct PendingQuestion {
    /// As the user asked it.
    pub question: String,
    /// The user message to send: the question with its code.
    pub user: String,
    /// Where the code came from, for the label.
    pub context: Option<String>,
    /// What the gate kept back from this request, said again when the answer ends so the
    /// answer's figures do not hide it.
    pub notice: Option<String>,
    /// An inline edit: the review its reply streams into. Sent without the conversation.
    pub edit: Option<crate::review::request::EditSpec>,
    /// A fix (Ctrl-T): asked for SEARCH/REPLACE blocks, without the conversation; its
    /// answer becomes reviews.
    pub fix: bool,
}

/// How to set up a provider, shown in the pane when none is found.
pub const SETUP_HELP: &str = "No AI provider is configured, and no local model server answered \
(Ollama on 127.0.0.1:11434, llama.cpp on 127.0.0.1:8080).\n\nTo use one, either:\n\n\
- set `OPENAI_API_KEY` (OpenAI) or `ANTHROPIC_API_KEY` (Anthropic) in the environment, or\n\
- start a local server (`ollama serve`, or `llama-server -m model.gguf`), or\n\
- add to `~/.config/caret/config.toml`:\n\n```toml\n[ai]\nprovider = \"openai\"   # or \"anthropic\", \"ollama\"\nbase_url = \"http://127.0.0.1:8080/v1\"\nmodel = \"my-model\"\nkey_command = \"pass show openai\"   # optional\n```\n\n\
or pass `--provider`, `--base-url` and `--model` to caret.";

/// The chat pane.
#[derive(Debug)]
pub struct Chat {
    pub open: bool,
    /// Keys go to the pane's input line rather than the editor.
    pub focused: bool,
    pub exchanges: Vec<ExchangeView>,
    pub input: String,
    /// Byte offset of the cursor in `input`.
    pub input_cursor: usize,
    /// Rows scrolled up from the bottom; 0 follows the answer as it streams.
    pub scroll: usize,
    /// The completions for the `@word` at the input cursor, shown over the transcript.
    pub mention: Option<mention::MentionPopup>,
    /// Where the `@word` starts whose completions Esc closed: they stay closed while the
    /// cursor is in that word.
    pub mention_dismissed: Option<usize>,
    pub provider: ProviderState,
    pub running: Option<Running>,
    pub pending: Option<PendingQuestion>,
    /// Code the next question from the pane goes with (the selection or item when it opened).
    pub attached: Option<Attachment>,
    /// Entries the user dropped in the inspector: pieces for the next request, earlier
    /// exchanges until restored.
    pub dropped: std::collections::HashSet<plan::EntryKey>,
    /// Pieces the user pinned: they go with every request until unpinned.
    pub pinned: Vec<crate::context::assemble::Piece>,
    pub journal: Journal,
    /// The journal was read back into `exchanges`.
    pub resumed: bool,
    /// A journal write failed; said once.
    pub journal_failed: bool,
    pub next_id: RequestId,
    pub spinner: usize,
    /// The rows to draw in the transcript area, prepared before each frame.
    pub rows: Vec<Line<'static>>,
    /// Transcript rows in total at the last preparation (for the scroll indicator).
    pub rows_above: usize,
    /// Deltas arrived since the last frame; drawn at most at `FRAME_INTERVAL`.
    pub stream_dirty: bool,
    pub last_frame: Option<Instant>,
    /// Ctrl-C pressed repeatedly walks back through the code blocks.
    /// The fix request in flight (Ctrl-T), whose answer becomes reviews.
    pub fix_request: Option<RequestId>,
    pub copy_streak: bool,
    pub copied: usize,
    /// The blocks of the last answer applied (Alt-A) that did not apply, until they are sent
    /// back to the model: kept here too, since a review that ends takes its own with it.
    pub last_refused: Vec<crate::ai::edit::Refusal>,
    /// The theme the answers were rendered in.
    pub theme_name: String,
    /// How to find the provider: command-line flags, and the local servers to probe.
    pub flags: crate::ai::provider::ProviderFlags,
    pub probe_candidates: Vec<(crate::ai::provider::ProviderKind, String)>,
}

/// Stream redraws are capped at about 60 a second; keys are drawn at once.
pub const FRAME_INTERVAL: Duration = Duration::from_millis(16);

const SPINNER: &[char] = &['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

impl Chat {
    pub fn new(journal: Journal) -> Self {
        Self {
            open: false,
            focused: false,
            exchanges: Vec::new(),
            input: String::new(),
            input_cursor: 0,
            scroll: 0,
            mention: None,
            mention_dismissed: None,
            provider: ProviderState::Unknown,
            running: None,
            pending: None,
            attached: None,
            dropped: std::collections::HashSet::new(),
            pinned: Vec::new(),
            journal,
            resumed: false,
            journal_failed: false,
            next_id: 1,
            spinner: 0,
            rows: Vec::new(),
            rows_above: 0,
            stream_dirty: false,
            last_frame: None,
            fix_request: None,
            copy_streak: false,
            copied: 0,
            last_refused: Vec::new(),
            theme_name: String::new(),
            flags: crate::ai::provider::ProviderFlags::default(),
            probe_candidates: crate::ai::client::default_probe_candidates(),
        }
    }

    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// The exchange a request id belongs to.
    pub fn exchange_mut(&mut self, id: RequestId) -> Option<&mut ExchangeView> {
        self.exchanges.iter_mut().rev().find(|e| e.data.id == id)
    }

    /// The live progress for the status line: spinner and wait, retry countdown, or speed.
    pub fn status(&self) -> Option<String> {
        let running = self.running.as_ref()?;
        let now = Instant::now();
        if let Some((at, reason)) = &running.retry {
            let secs = at.saturating_duration_since(now).as_secs_f64().ceil() as u64;
            return Some(format!("retrying in {secs}s ({reason})"));
        }
        let spin = SPINNER[self.spinner % SPINNER.len()];
        match running.first_token {
            None => Some(format!(
                "{spin} waiting for the model {:.1}s",
                now.duration_since(running.started).as_secs_f64()
            )),
            Some(first) => {
                let ttft = first.duration_since(running.started).as_secs_f64();
                let streaming = now.duration_since(first).as_secs_f64();
                let rate = if streaming > 0.2 {
                    format!("{:.0} tok/s", running.deltas as f64 / streaming)
                } else {
                    "…".to_string()
                };
                Some(format!("{spin} {rate} · {ttft:.1}s to first token"))
            }
        }
    }

    /// Works out the transcript rows to show in an area `width` x `height`, scrolled
    /// `self.scroll` rows up from the bottom. Only the rows needed are wrapped, walking up
    /// from the last answer, so the cost does not grow with the transcript.
    pub fn prepare_rows(&mut self, width: u16, height: u16, theme: &Theme) {
        self.rows.clear();
        let want = usize::from(height) + self.scroll;
        let mut rows: Vec<Line<'static>> = Vec::new();
        if self.exchanges.is_empty() {
            let intro = match &self.provider {
                ProviderState::Missing => None,
                ProviderState::Invalid(e) => Some(format!("AI provider problem: {e}")),
                ProviderState::Ready(p) => Some(format!(
                    "Ask about the code: type a question and press Enter. {} is answering.",
                    p.label()
                )),
                _ => Some("Ask about the code: type a question and press Enter.".to_string()),
            };
            // Rows are gathered bottom-up and turned over at the end.
            if let Some(text) = intro {
                rows.extend(
                    wrap(&Line::styled(text, theme.comment()), width)
                        .into_iter()
                        .rev(),
                );
            }
        }
        'outer: for exchange in self.exchanges.iter().rev() {
            let (head, foot) = exchange_frame(exchange, theme);
            // Walked from the bottom up: only the rows that will be shown are wrapped,
            // however long the answer.
            let view = &exchange.view;
            let answer = (0..view.lines().len())
                .rev()
                .map(|i| view.wrapped(i, width));
            let lines = foot
                .iter()
                .rev()
                .map(|l| wrap(l, width))
                .chain(answer)
                .chain(head.iter().rev().map(|l| wrap(l, width)));
            for wrapped in lines {
                for row in wrapped.into_iter().rev() {
                    rows.push(row);
                    if rows.len() >= want {
                        break 'outer;
                    }
                }
            }
            rows.push(Line::default());
        }
        self.rows_above = rows.len().saturating_sub(usize::from(height));
        // The scroll cannot go past the top.
        if rows.len() < want {
            self.scroll = rows.len().saturating_sub(usize::from(height));
        }
        rows.reverse();
        let skip_bottom = self.scroll;
        let end = rows.len().saturating_sub(skip_bottom);
        let start = end.saturating_sub(usize::from(height));
        self.rows = rows.drain(start..end).collect();
    }
}

/// The lines around one exchange's answer, before wrapping: above it the question (and the
/// code it went with), below it the partial last line and how the answer ended.
fn exchange_frame(
    exchange: &ExchangeView,
    theme: &Theme,
) -> (Vec<Line<'static>>, Vec<Line<'static>>) {
    let data = &exchange.data;
    let mut head = vec![Line::from(vec![
        Span::styled("› ", theme.ai_question()),
        Span::styled(
            sanitize(&data.question.replace('\n', " ")).into_owned(),
            theme.ai_question(),
        ),
    ])];
    if let Some(context) = &data.context {
        head.push(Line::styled(format!("  with {context}"), theme.comment()));
    }
    head.push(Line::default());
    let mut foot = Vec::new();
    if !exchange.view.tail().is_empty() {
        foot.push(Line::raw(sanitize(exchange.view.tail()).into_owned()));
    }
    // Only a question that went out can be asked again.
    let retry = if data.prompt.is_empty() {
        ""
    } else {
        " · Enter on an empty line retries"
    };
    if data.outcome != Outcome::Running && !data.answer.is_empty() {
        foot.push(Line::default());
    }
    match &data.outcome {
        Outcome::Running => {}
        Outcome::Done => foot.push(Line::styled(footer(data), theme.comment())),
        Outcome::Failed(e) => {
            let kept = if data.answer.is_empty() {
                ""
            } else {
                " — partial answer kept"
            };
            foot.push(Line::styled(
                format!("✗ {e}{kept}{retry}"),
                theme.error_style(),
            ));
        }
        Outcome::Cancelled => {
            foot.push(Line::styled(
                format!("✗ cancelled{retry}"),
                theme.error_style(),
            ));
        }
        Outcome::Interrupted => foot.push(Line::styled(
            format!("✗ interrupted (caret stopped while this was streaming){retry}"),
            theme.error_style(),
        )),
    }
    (head, foot)
}

/// "smollm2 · 0.4s to first token · 52 tok/s · 48 in / 11 out · free".
pub fn footer(data: &Exchange) -> String {
    let s = &data.stats;
    let mut parts = vec![s.model.clone()];
    if let Some(ttft) = s.ttft_ms {
        parts.push(format!("{:.1}s to first token", ttft as f64 / 1000.0));
    }
    if let (Some(out), Some(ttft), Some(total)) = (s.output_tokens, s.ttft_ms, s.duration_ms) {
        let streaming = total.saturating_sub(ttft) as f64 / 1000.0;
        if streaming > 0.05 {
            parts.push(format!("{:.0} tok/s", out as f64 / streaming));
        }
    }
    if let (Some(i), Some(o)) = (s.input_tokens, s.output_tokens) {
        let approx = if s.counted { "~" } else { "" };
        parts.push(format!("{approx}{i} in / {approx}{o} out"));
    }
    if let Some(cost) = s.cost {
        parts.push(crate::ai::cost::format(cost));
    }
    parts.join(" · ")
}

impl Theme {
    fn comment(&self) -> Style {
        self.highlight("comment")
    }

    fn ai_question(&self) -> Style {
        self.highlight("markup.heading")
    }

    fn error_style(&self) -> Style {
        self.error
    }
}
