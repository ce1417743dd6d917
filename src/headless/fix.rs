//! `caret fix FILE [--check CMD] [--apply] [--rounds N]`: run the check, ask the model for a
//! fix of what it reports, apply the fix to a scratch copy of the workspace, run the check
//! there again — until it passes or the rounds run out. Each round's diff is printed. Only a
//! passing result is written (with `--apply`, every file or none); the user's files are never
//! left half-fixed.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::HeadlessError;
use crate::ai::edit::{StagedFile, check_target, stage, target_checker};
use crate::ai::{ChatMessage, Role, prompt};
use crate::config::Config;
use crate::context::engine::Engine;
use crate::diagnostics::check::{self, CheckRun};
use crate::diagnostics::scratch::{self, Scratch};

/// What `caret fix` was asked to do.
#[derive(Debug, Clone)]
pub struct FixOptions {
    pub file: PathBuf,
    pub check: Option<String>,
    pub apply: bool,
    pub rounds: u32,
}

/// Files shown to the model in one request, at most.
const MOST_FILES: usize = 4;
/// Problems listed in one request, at most.
const MOST_PROBLEMS: usize = 20;

/// Runs the loop; `ask` sends messages to the model and returns its reply. `Ok(true)` when
/// the check passes at the end.
pub fn run_fix(
    engine: &Engine,
    config: &Config,
    options: &FixOptions,
    ask: &mut dyn FnMut(Vec<ChatMessage>) -> Result<String, HeadlessError>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<bool, HeadlessError> {
    let root = &engine.root;
    let shown = options.file.display();
    let absolute = std::fs::canonicalize(&options.file)
        .map_err(|e| HeadlessError::Input(format!("cannot read {shown}: {e}")))?;
    let rel = engine.relative(&absolute).ok_or_else(|| {
        HeadlessError::Input(format!(
            "{shown} is outside the workspace {}",
            root.display()
        ))
    })?;
    check_target(root, &engine.gate, &rel)
        .map_err(|e| HeadlessError::Input(format!("{rel}: {e}")))?;
    let command = if let Some(c) = &options.check {
        c.clone()
    } else {
        let language = engine
            .languages
            .detect(Some(Path::new(&rel)), "")
            .and_then(|l| engine.languages.get(l))
            .map(|l| l.name.clone())
            .unwrap_or_default();
        config
            .check
            .command_for(&language, root)
            .map(str::to_string)
            .ok_or_else(|| {
                HeadlessError::Input(format!(
                    "no check command for {rel}: give one with --check CMD"
                ))
            })?
    };
    let command = check::expand(&command, Some(&rel));
    let limit = Duration::from_secs(config.check.timeout_secs.max(1));
    let copy = Scratch::copy(root)
        .map_err(|e| HeadlessError::Input(format!("cannot copy the workspace to check it: {e}")))?;
    let target = scratch::cargo_target(root);
    let env: Vec<(&str, &Path)> = target
        .as_deref()
        .map(|t| vec![("CARGO_TARGET_DIR", t)])
        .unwrap_or_default();
    let run = |copy: &Scratch| {
        check::run(&command, copy.path(), &env, limit)
            .map_err(|e| HeadlessError::Input(e.to_string()))
    };
    let mut result = run(&copy)?;
    if result.passed {
        let _ = writeln!(err, "caret: `{command}` passes; nothing to fix");
        return Ok(true);
    }
    // The user's text of every file a round changed, to write against (or leave alone).
    let mut originals: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut earlier = String::new();
    for round in 1..=options.rounds.max(1) {
        let problems = problems(&result, copy.path());
        let _ = writeln!(
            err,
            "caret: round {round}: `{command}` fails ({}); asking for a fix",
            summary(&result)
        );
        let files = files_to_show(engine, &copy, &rel, &result);
        let mut user = prompt::fix_request(&command, &problems, &files, &earlier);
        for piece in used_definitions(engine, &copy, &rel, &result, config.ai.context_tokens) {
            user.push_str("\n\n");
            user.push_str(&prompt::render_piece(&piece));
        }
        let messages = vec![
            ChatMessage::new(
                Role::System,
                format!("{}\n\n{}", prompt::SYSTEM, prompt::EDIT_FORMAT),
            ),
            ChatMessage::new(Role::User, user),
        ];
        let reply = ask(messages)?;
        let read = |path: &str| copy.read(path);
        let check_path = target_checker(root, &engine.gate);
        let staged = stage(&reply, &read, Some(&rel), &check_path);
        earlier.clear();
        for refusal in &staged.refused {
            let _ = writeln!(err, "caret: not applied: {}", refusal.message());
            earlier.push_str(&refusal.for_model());
            earlier.push('\n');
        }
        if staged.files.is_empty() {
            let why = if staged.refused.is_empty() {
                "the reply holds no SEARCH/REPLACE block"
            } else {
                "no block of the reply applies"
            };
            let _ = writeln!(err, "caret: round {round}: {why}");
            continue;
        }
        for file in &staged.files {
            let _ = write!(
                out,
                "{}",
                crate::diff::unified(&file.path, file.base.as_deref(), &file.proposed)
            );
            if !originals.contains_key(&file.path) {
                let now = std::fs::read_to_string(root.join(&file.path)).ok();
                originals.insert(file.path.clone(), now);
            }
            copy.write(&file.path, &file.proposed)
                .map_err(|e| HeadlessError::Input(format!("cannot write the scratch copy: {e}")))?;
        }
        let _ = out.flush();
        result = run(&copy)?;
        if result.passed {
            let _ = writeln!(err, "caret: `{command}` passes after {round} round(s)");
            return finish(root, &copy, &originals, options.apply, err).map(|()| true);
        }
    }
    let _ = writeln!(
        err,
        "caret: `{command}` still fails after {} round(s) ({}); nothing was written",
        options.rounds.max(1),
        summary(&result)
    );
    Ok(false)
}

/// Writes the passing result with `--apply` (all files or none), else says how to.
fn finish(
    root: &Path,
    copy: &Scratch,
    originals: &BTreeMap<String, Option<String>>,
    apply: bool,
    err: &mut dyn Write,
) -> Result<(), HeadlessError> {
    if !apply {
        let _ = writeln!(err, "caret: not written (--apply writes it)");
        return Ok(());
    }
    let files: Vec<StagedFile> = originals
        .iter()
        .filter_map(|(path, base)| {
            let proposed = copy.read(path)?;
            (base.as_deref() != Some(proposed.as_str())).then(|| StagedFile {
                path: path.clone(),
                base: base.clone(),
                proposed,
                blocks: Vec::new(),
            })
        })
        .collect();
    super::edit::apply(root, &files)?;
    let _ = writeln!(err, "caret: wrote {} file(s)", files.len());
    Ok(())
}

/// "2 errors, 1 warning", or "exit status only" when nothing could be read from the output.
fn summary(run: &CheckRun) -> String {
    use crate::diagnostics::Severity;
    let count = |s: Severity| run.diagnostics.iter().filter(|d| d.severity == s).count();
    let (e, w) = (count(Severity::Error), count(Severity::Warning));
    match (e, w) {
        (0, 0) => "no message it printed could be read".to_string(),
        (e, 0) => format!("{e} error(s)"),
        (e, w) => format!("{e} error(s), {w} warning(s)"),
    }
}

/// The problems as the model reads them: the errors first, one per line with the compiler's
/// own explanation; or the end of the output when no message could be read.
fn problems(run: &CheckRun, scratch: &Path) -> String {
    let mut list: Vec<&crate::diagnostics::Diagnostic> = run.diagnostics.iter().collect();
    list.sort_by_key(|d| d.severity);
    if list.is_empty() {
        let tail: Vec<&str> = run.output.lines().rev().take(60).collect();
        return tail.into_iter().rev().collect::<Vec<_>>().join("\n");
    }
    let scratch = scratch.display().to_string();
    list.iter()
        .take(MOST_PROBLEMS)
        .map(|d| {
            let text = d.rendered.as_deref().unwrap_or("").trim_end();
            let line = d.one_line();
            if text.is_empty() {
                line
            } else {
                format!("{line}\n{text}")
            }
            .replace(&format!("{scratch}/"), "")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The file asked about and the workspace files the problems are in, from the scratch
/// copy, through the gate (lines with likely secrets redacted; secret files left out).
fn files_to_show(
    engine: &Engine,
    copy: &Scratch,
    rel: &str,
    run: &CheckRun,
) -> Vec<(String, String)> {
    let scratch = copy.path().display().to_string();
    let mut paths = vec![rel.to_string()];
    for d in &run.diagnostics {
        let path = d
            .path
            .strip_prefix(&format!("{scratch}/"))
            .unwrap_or(&d.path)
            .to_string();
        if !paths.contains(&path) && paths.len() < MOST_FILES {
            paths.push(path);
        }
    }
    paths
        .into_iter()
        .filter(|p| check_target(&engine.root, &engine.gate, p).is_ok())
        .filter_map(|p| {
            let text = copy.read(&p)?;
            let (redacted, _) = engine.gate.redact(&p, &text);
            Some((p, redacted))
        })
        .collect()
}

/// The definitions from elsewhere that the problem lines of `rel` use, chosen by the context
/// engine (through its gate) within `budget` tokens.
fn used_definitions(
    engine: &Engine,
    copy: &Scratch,
    rel: &str,
    run: &CheckRun,
    budget: usize,
) -> Vec<crate::context::assemble::Piece> {
    let lines: Vec<usize> = run
        .diagnostics
        .iter()
        .filter(|d| d.path == rel || d.path.ends_with(&format!("/{rel}")))
        .map(|d| d.line)
        .collect();
    let (Some(&first), Some(&last), Some(text)) =
        (lines.iter().min(), lines.iter().max(), copy.read(rel))
    else {
        return Vec::new();
    };
    let spot = crate::context::engine::Spot::Lines(first as u32, last as u32);
    engine
        .context(rel, &text, &spot, budget, &crate::ai::tokens::count_quick)
        .pieces
        .into_iter()
        .filter(|p| p.kind == crate::context::assemble::PieceKind::Definition)
        .collect()
}
