//! `caret ask` and `caret explain`: the same provider, prompt and stream as the pane, with the
//! answer going to stdout as it arrives and any failure as one line on stderr (exit 1).

use std::path::{Path, PathBuf};
use std::time::Duration;

use ropey::Rope;

use crate::ai::client::{self, ClientEvent, ClientSettings};
use crate::ai::prompt::{self, CodeContext};
use crate::ai::provider::{self, Provider, ProviderFlags};
use crate::ai::{AiError, ChatRequest, StreamEvent, tokens};
use crate::config::Config;
use crate::context::{self, Focus};

/// A place in a file as given on the command line: `FILE[:LINE[:COL]]` (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub col: Option<usize>,
}

impl Location {
    pub fn parse(text: &str) -> Self {
        let mut path = text;
        let mut numbers = Vec::new();
        // Up to two trailing ":N" parts are line and column (a file name may hold colons).
        for _ in 0..2 {
            match path.rsplit_once(':') {
                Some((rest, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                    numbers.insert(0, n.parse::<usize>().unwrap_or(1));
                    path = rest;
                }
                _ => break,
            }
        }
        Self {
            path: PathBuf::from(path),
            line: numbers.first().copied(),
            col: numbers.get(1).copied(),
        }
    }
}

/// What the command failed with, for the one line on stderr.
#[derive(Debug, thiserror::Error)]
pub enum HeadlessError {
    #[error(transparent)]
    Ai(#[from] AiError),
    #[error("{0}")]
    Input(String),
}

/// Reads the code at `location` and picks the context as the pane would.
pub fn context_at(
    location: &Location,
    root: &Path,
    budget: usize,
) -> Result<CodeContext, HeadlessError> {
    let bytes = std::fs::read(&location.path).map_err(|e| {
        HeadlessError::Input(format!("cannot read {}: {e}", location.path.display()))
    })?;
    if bytes.contains(&0) {
        return Err(HeadlessError::Input(format!(
            "{} is not a text file",
            location.path.display()
        )));
    }
    let text = Rope::from_str(&String::from_utf8_lossy(&bytes));
    let registry = crate::syntax::registry::Registry::new(None);
    let first_line = text
        .lines()
        .next()
        .map(|l| l.to_string())
        .unwrap_or_default();
    let language = registry
        .languages()
        .detect(Some(&location.path), &first_line)
        .and_then(|i| registry.language(i))
        .and_then(|l| crate::syntax::languages::grammar(&l.name).map(|g| (l.name.clone(), g)));
    let focus = match location.line {
        None => Focus::File,
        Some(line) => {
            let line = line
                .saturating_sub(1)
                .min(text.len_lines().saturating_sub(1));
            let start = text.line_to_char(line);
            let len = text.line(line).len_chars();
            Focus::Cursor(start + location.col.unwrap_or(1).saturating_sub(1).min(len))
        }
    };
    let absolute = std::path::absolute(&location.path).unwrap_or_else(|_| location.path.clone());
    let shown = absolute
        .strip_prefix(root)
        .unwrap_or(&location.path)
        .display()
        .to_string();
    Ok(context::code_context(
        &text,
        &shown,
        language.as_ref().map(|(n, g)| (n.as_str(), g)),
        &focus,
        budget,
    ))
}

/// Finds the provider as the editor does, probing local servers if nothing is configured.
pub async fn find_provider(
    config: &Config,
    flags: &ProviderFlags,
    http: &reqwest::Client,
) -> Result<Provider, HeadlessError> {
    if let Some(p) = provider::resolve(flags, &config.ai, &|k| std::env::var(k).ok())? {
        return Ok(client::with_model(http, p).await?);
    }
    if config.ai.probe_local
        && let Some(p) = client::probe_local(
            http,
            &client::default_probe_candidates(),
            Duration::from_millis(300),
        )
        .await
    {
        return Ok(p);
    }
    Err(AiError::NotConfigured(
        "set OPENAI_API_KEY or ANTHROPIC_API_KEY, start Ollama or llama.cpp, or pass --provider/--base-url/--model".to_string(),
    )
    .into())
}

/// Streams the answer to `question` (with `context`) to `out`. Retries are reported on
/// stderr; a failure after some text leaves that text in `out` and returns the error.
pub async fn stream_answer(
    config: &Config,
    flags: &ProviderFlags,
    question: &str,
    context: Option<&CodeContext>,
    out: &mut (dyn std::io::Write + Send),
) -> Result<(), HeadlessError> {
    let settings = ClientSettings::from(&config.ai);
    let http = client::http_client(&settings)?;
    let provider = find_provider(config, flags, &http).await?;
    let messages = prompt::conversation(
        &[],
        prompt::user_message(question, context),
        0,
        &tokens::count_quick,
    );
    let request = ChatRequest {
        messages,
        max_tokens: config.ai.max_tokens,
        temperature: None,
    };
    let mut ended_with_newline = true;
    let mut closed = false;
    // A reader that went away (`| head`) ends the request — the connection is dropped, so the
    // model stops generating — rather than the program, with a panic.
    let reader_gone = tokio::sync::Notify::new();
    let mut on = |event: ClientEvent| match event {
        ClientEvent::Stream(StreamEvent::Delta(text)) if !closed => {
            if out
                .write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .is_err()
            {
                closed = true;
                reader_gone.notify_one();
            }
            ended_with_newline = text.ends_with('\n');
        }
        ClientEvent::Retrying { delay, reason, .. } => {
            eprintln!(
                "caret: retrying in {}s ({reason})",
                delay.as_secs_f64().ceil()
            );
        }
        ClientEvent::Stream(_) => {}
    };
    let result = tokio::select! {
        result = client::stream_chat(&http, &provider, &request, &settings, &mut on) => result,
        () = reader_gone.notified() => return Ok(()),
    };
    if !ended_with_newline {
        let _ = out.write_all(b"\n");
        let _ = out.flush();
    }
    result.map_err(HeadlessError::from)
}
