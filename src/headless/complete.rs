//! `caret complete FILE:LINE:COL`: the completion the editor would show at that point, made by
//! the same request (through the gate) and the same fetch, printed alone on stdout.

use std::path::Path;

use super::{HeadlessError, Location, find_provider};
use crate::ai::client::{self, ClientSettings};
use crate::ai::provider::ProviderFlags;
use crate::complete::{FimRequest, request};
use crate::config::Config;

/// The request for `location` (1-based line and column, in characters) in the workspace at
/// `root`. Err for a file that cannot be read or may not be sent, or a place not in it.
pub fn prepare(
    root: &Path,
    location: &Location,
    config: &Config,
) -> Result<FimRequest, HeadlessError> {
    let shown = location.path.display();
    let absolute = std::fs::canonicalize(&location.path)
        .map_err(|e| HeadlessError::Input(format!("cannot read {shown}: {e}")))?;
    let bytes = std::fs::read(&absolute)
        .map_err(|e| HeadlessError::Input(format!("cannot read {shown}: {e}")))?;
    let text = String::from_utf8(bytes)
        .ok()
        .filter(|t| !t.contains('\0'))
        .ok_or_else(|| HeadlessError::Input(format!("{shown} is not a text file")))?;
    let gate = crate::context::gate::Gate::new(root);
    let rel = absolute
        .strip_prefix(gate.root())
        .map_err(|_| {
            HeadlessError::Input(format!(
                "{shown} is outside the workspace {}",
                gate.root().display()
            ))
        })?
        .to_string_lossy()
        .into_owned();
    let rope = ropey::Rope::from_str(&text);
    let line = location.line.unwrap_or(1).max(1) - 1;
    let lines = rope.len_lines();
    if line >= lines {
        return Err(HeadlessError::Input(format!(
            "{shown} has {lines} lines, not {}",
            line + 1
        )));
    }
    let start = crate::core::movement::line_start(&rope, line);
    let end = crate::core::movement::line_end(&rope, line);
    // A column past the end of the line means its end.
    let pos = (start + location.col.unwrap_or(1).max(1) - 1).min(end);
    let languages = crate::syntax::registry::Registry::new(None);
    let first_line = text.lines().next().unwrap_or_default();
    let language = languages
        .languages()
        .detect(Some(&absolute), first_line)
        .and_then(|i| languages.languages().get(i))
        .map(|l| l.name.clone());
    let budget = request::Budget {
        prefix_chars: config.completion.prefix_chars,
        suffix_chars: config.completion.suffix_chars,
    };
    request::build(
        &rope,
        pos,
        Some(&absolute),
        &rel,
        language.as_deref(),
        &gate,
        budget,
    )
    .map_err(|why| HeadlessError::Input(format!("no completion for {shown}: {why}")))
}

/// Asks for the completion of `request` (no retries: a completion is worth a quick answer).
pub async fn complete(
    config: &Config,
    flags: &ProviderFlags,
    request: &FimRequest,
) -> Result<String, HeadlessError> {
    let mut settings = ClientSettings::from(&config.ai);
    settings.max_retries = 0;
    let http = client::http_client(&settings)?;
    let provider = find_provider(config, flags, &http).await?;
    let done = crate::complete::fetch::fetch(
        &http,
        &provider,
        request,
        &settings,
        config.completion.max_tokens,
        config.completion.max_lines,
        None,
    )
    .await?;
    tracing::info!(strategy = ?done.strategy, "completion");
    Ok(done.text)
}
