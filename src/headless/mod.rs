//! `caret ask` and `caret explain`: the same provider, prompt and stream as the pane, with the
//! answer going to stdout as it arrives and any failure as one line on stderr (exit 1).

pub mod complete;
pub mod edit;
pub mod fix;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::ai::client::{self, ClientEvent, ClientSettings};
use crate::ai::prompt;
use crate::ai::provider::{self, Provider, ProviderFlags};
use crate::ai::{AiError, ChatRequest, StreamEvent, tokens};
use crate::config::Config;

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

/// Opens the context engine of the workspace at `root` (the index through its cache).
pub fn open_engine(root: &Path) -> crate::context::engine::Engine {
    let grammars = crate::config::config_dir().join("grammars");
    let registry = crate::syntax::registry::Registry::new(Some(grammars.clone()));
    let cache = crate::config::workspace_file(&crate::config::state_dir(), "index", root, "json");
    crate::context::engine::Engine::open(
        root,
        registry.languages().clone(),
        Some(grammars),
        Some(&cache),
        &crate::context::index::Progress::default(),
    )
}

/// What would be sent to explain `location`: the question, the chosen context, and the
/// messages of the request, byte for byte.
#[derive(Debug, serde::Serialize)]
pub struct Prepared {
    pub question: String,
    pub context: crate::context::assemble::Context,
    pub tokens: usize,
    pub messages: Vec<crate::ai::ChatMessage>,
}

/// Chooses the context for `location` (a question about it, or its explanation) through the
/// engine, and builds the request's messages.
pub fn prepare(
    engine: &crate::context::engine::Engine,
    location: &Location,
    question: Option<&str>,
    budget: usize,
) -> Result<Prepared, HeadlessError> {
    use crate::context::engine::Spot;
    let absolute = std::path::absolute(&location.path)
        .ok()
        .and_then(|p| std::fs::canonicalize(p).ok())
        .ok_or_else(|| {
            HeadlessError::Input(format!(
                "cannot read {}: no such file",
                location.path.display()
            ))
        })?;
    if absolute.is_dir() {
        return Ok(prepare_map(engine, &absolute, question, budget));
    }
    let rel = engine.relative(&absolute).ok_or_else(|| {
        HeadlessError::Input(format!(
            "{} is outside the workspace {}",
            location.path.display(),
            engine.root.display()
        ))
    })?;
    let bytes = std::fs::read(&absolute).map_err(|e| {
        HeadlessError::Input(format!("cannot read {}: {e}", location.path.display()))
    })?;
    if bytes.contains(&0) {
        return Err(HeadlessError::Input(format!(
            "{} is not a text file",
            location.path.display()
        )));
    }
    let text = String::from_utf8_lossy(&bytes);
    let spot = match location.line {
        Some(line) => Spot::Line(line.saturating_sub(1) as u32),
        None => Spot::WholeFile,
    };
    let context = engine.context(&rel, &text, &spot, budget, &tokens::count);
    let question = match (question, context.pieces.first()) {
        (Some(q), _) => q.to_string(),
        (None, _) if spot == Spot::WholeFile => format!(
            "Explain what the file `{rel}` does: its purpose, its main parts and how they fit together."
        ),
        (None, Some(p)) => prompt::explain_at(&format!("{}:{}-{}", p.path, p.lines.0, p.lines.1)),
        (None, None) => {
            return Err(HeadlessError::Input(format!(
                "nothing of {rel} may be sent: {}",
                context
                    .withheld
                    .iter()
                    .map(|w| format!("{} ({})", w.what, w.reason))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    };
    let user = prompt::user_message_with(&question, &context.pieces);
    let messages = prompt::conversation(&[], user, 0, &tokens::count);
    let tokens = messages.iter().map(|m| tokens::count(&m.content)).sum();
    Ok(Prepared {
        question,
        context,
        tokens,
        messages,
    })
}

/// A question about a whole folder (or "explain this codebase"): the repo map goes with it.
fn prepare_map(
    engine: &crate::context::engine::Engine,
    dir: &Path,
    question: Option<&str>,
    budget: usize,
) -> Prepared {
    use crate::context::assemble::{Context, Piece, PieceKind};
    let rel = engine.relative(dir).unwrap_or_default();
    let shown = if rel.is_empty() {
        ".".to_string()
    } else {
        rel.clone()
    };
    let ranking = crate::context::rank::rank(
        &engine.index,
        &std::collections::HashMap::new(),
        &std::collections::HashSet::new(),
    );
    let (map, _) = crate::context::map::fit(&engine.index, &ranking, budget, &tokens::count);
    let question = question.map_or_else(
        || {
            format!(
                "Explain what the codebase in `{shown}` does: its purpose, its main parts and how they fit together, from this map of its files and most referenced definitions."
            )
        },
        str::to_string,
    );
    let context = Context {
        pieces: vec![Piece {
            kind: PieceKind::RepoMap,
            path: shown,
            lines: (0, 0),
            why: "the most referenced definitions of the workspace".to_string(),
            tokens: tokens::count(&map),
            text: map,
            language: None,
        }],
        withheld: Vec::new(),
        budget,
    };
    let user = prompt::user_message_with(&question, &context.pieces);
    let messages = prompt::conversation(&[], user, 0, &tokens::count);
    let tokens = messages.iter().map(|m| tokens::count(&m.content)).sum();
    Prepared {
        question,
        context,
        tokens,
        messages,
    }
}

/// `caret context` as a person reads it: each piece with its kind, place, why and tokens.
pub fn describe(prepared: &Prepared) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for p in &prepared.context.pieces {
        let _ = writeln!(
            out,
            "── {} · {}:{}-{} · {} tokens · {}",
            p.kind.label(),
            p.path,
            p.lines.0,
            p.lines.1,
            p.tokens,
            p.why
        );
        out.push_str(&p.text);
        if !p.text.ends_with('\n') {
            out.push('\n');
        }
    }
    for w in &prepared.context.withheld {
        let _ = writeln!(out, "── withheld · {} · {}", w.what, w.reason);
    }
    let _ = writeln!(
        out,
        "── {} tokens of context (budget {}), {} tokens in the whole request",
        prepared.context.tokens(),
        prepared.context.budget,
        prepared.tokens
    );
    out
}

/// `caret map`: indexes `dir` (through its cache) and prints the map that fits `budget`.
pub fn repo_map(dir: &Path, budget: usize) -> Result<String, HeadlessError> {
    let root = std::fs::canonicalize(dir)
        .map_err(|e| HeadlessError::Input(format!("cannot read {}: {e}", dir.display())))?;
    if !root.is_dir() {
        return Err(HeadlessError::Input(format!(
            "{} is not a folder",
            dir.display()
        )));
    }
    let engine = open_engine(&root);
    tracing::info!(report = ?engine.report, "indexed for the repo map");
    let index = &engine.index;
    let ranking = crate::context::rank::rank(
        index,
        &std::collections::HashMap::new(),
        &std::collections::HashSet::new(),
    );
    let (map, _) = crate::context::map::fit(index, &ranking, budget, &tokens::count);
    Ok(map)
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
    messages: Vec<crate::ai::ChatMessage>,
    out: &mut (dyn std::io::Write + Send),
) -> Result<(), HeadlessError> {
    let settings = ClientSettings::from(&config.ai);
    let http = client::http_client(&settings)?;
    let provider = find_provider(config, flags, &http).await?;
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
