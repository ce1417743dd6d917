//! The check command in the editor: run in the background on save and on demand (in a
//! scratch copy with the unsaved buffers in it when some are dirty, so what is checked is
//! what is on screen and nothing is written), its diagnostics kept per file with the buffer
//! versions they were made for — a buffer edited since shows none of them — and F8 / Shift-F8
//! to walk them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::app::App;
use crate::diagnostics::check::{self, CheckRun};
use crate::diagnostics::scratch::{self, Scratch};
use crate::diagnostics::{Diagnostic, Severity};
use crate::event::{AppEvent, BufferId};

/// The check state of the workspace.
#[derive(Debug, Default)]
pub struct Checks {
    next_run: u64,
    /// The run in flight, if any.
    pub running: Option<RunningCheck>,
    /// Diagnostics of the last finished run, by workspace-relative path.
    pub by_path: HashMap<String, Vec<Diagnostic>>,
    /// The version each open buffer had when the last finished run started.
    pub versions: HashMap<BufferId, u64>,
    /// The workspace path of each open buffer's file, worked out once per finished run so a
    /// frame only looks diagnostics up.
    pub paths: HashMap<BufferId, String>,
    /// How the last finished run ended.
    pub last: Option<CheckOutcome>,
    /// Ctrl-T found nothing to fix yet: the fix is asked once the running check reports.
    pub fix_when_done: bool,
}

#[derive(Debug, Clone)]
pub struct RunningCheck {
    pub run: u64,
    pub command: String,
    pub started: Instant,
    pub versions: HashMap<BufferId, u64>,
    /// Run to verify a fix just accepted: its result is said as "fixed" or "still failing".
    pub after_fix: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOutcome {
    pub command: String,
    pub passed: bool,
    pub errors: usize,
    pub warnings: usize,
}

/// What a finished run sends back to the loop.
#[derive(Debug)]
pub struct CheckDone {
    pub run: u64,
    pub result: Result<CheckRun, String>,
    /// The folder it ran in, for turning absolute paths back into workspace paths.
    pub ran_in: PathBuf,
}

impl App {
    /// The check command for the current buffer's file, expanded, if it has one.
    fn check_command(&self) -> Option<(String, String)> {
        let path = self.doc().path.as_ref()?;
        let rel = self.workspace_rel(path)?;
        let language = self
            .buf()
            .syntax_language
            .and_then(|i| self.syntax.language(i))
            .map(|l| l.name.clone())?;
        let command = self.config.check.command_for(&language, &self.root)?;
        Some((check::expand(command, Some(&rel)), rel))
    }

    /// After a save: the check runs when the file's language has one and `on_save` is on.
    pub fn check_after_save(&mut self) {
        if self.config.check.on_save && self.check_command().is_some() {
            self.start_check(false);
        }
    }

    /// Runs the current file's check in the background; a newer run makes an older one's
    /// result stale. `after_fix`: its result is reported as the verdict on a fix.
    pub fn start_check(&mut self, after_fix: bool) {
        let Some((command, _)) = self.check_command() else {
            self.set_message("no check command for this file ([check.commands] in config.toml)");
            return;
        };
        let run = self.checks.next_run;
        self.checks.next_run += 1;
        let versions: HashMap<BufferId, u64> = self
            .buffers
            .iter()
            .map(|b| (b.id, b.doc.version()))
            .collect();
        // Unsaved buffers of the workspace go into a scratch copy: the check sees the text
        // on screen, and nothing of the user's is written.
        let dirty: Vec<(String, String)> = self
            .buffers
            .iter()
            .filter(|b| b.doc.is_dirty())
            .filter_map(|b| {
                let rel = self.workspace_rel(b.doc.path.as_ref()?)?;
                Some((rel, b.doc.text().to_string()))
            })
            .collect();
        let root = self.root.clone();
        let limit = Duration::from_secs(self.config.check.timeout_secs.max(1));
        let events = self.events.clone();
        let shown = command.clone();
        let spawned = std::thread::Builder::new()
            .name("caret-check".into())
            .spawn(move || {
                let (result, ran_in) = run_check(&command, &root, &dirty, limit);
                events.send(AppEvent::CheckDone(Box::new(CheckDone {
                    run,
                    result,
                    ran_in,
                })));
            });
        if let Err(e) = spawned {
            self.set_error(format!("cannot run the check: {e}"));
            return;
        }
        self.checks.running = Some(RunningCheck {
            run,
            command: shown,
            started: Instant::now(),
            versions,
            after_fix,
        });
        self.redraw = true;
    }

    /// A run finished: its diagnostics replace the last ones, unless a newer run started.
    pub fn check_done(&mut self, done: CheckDone) {
        let Some(running) = self.checks.running.take_if(|r| r.run == done.run) else {
            return;
        };
        self.redraw = true;
        let run = match done.result {
            Ok(run) => run,
            Err(e) => {
                self.set_error(e);
                return;
            }
        };
        let root = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        let mut by_path: HashMap<String, Vec<Diagnostic>> = HashMap::new();
        for mut d in run.diagnostics {
            let path = Path::new(&d.path);
            let rel = if path.is_absolute() {
                crate::context::index::relative(&done.ran_in, path)
                    .or_else(|| crate::context::index::relative(&root, path))
            } else {
                Some(d.path.clone())
            };
            let Some(rel) = rel else { continue };
            d.path.clone_from(&rel);
            by_path.entry(rel).or_default().push(d);
        }
        let count = |s: Severity| {
            by_path
                .values()
                .flatten()
                .filter(|d| d.severity == s)
                .count()
        };
        let outcome = CheckOutcome {
            command: running.command.clone(),
            passed: run.passed,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
        };
        self.checks.by_path = by_path;
        self.checks.versions = running.versions;
        self.checks.paths = self
            .buffers
            .iter()
            .filter_map(|b| Some((b.id, self.workspace_rel(b.doc.path.as_ref()?)?)))
            .collect();
        self.report_check(&outcome, running.after_fix);
        let passed = outcome.passed;
        self.checks.last = Some(outcome);
        if std::mem::take(&mut self.checks.fix_when_done) && !passed {
            if self.diagnostics_of(self.current).is_empty() {
                self.set_error("the check fails, but not in this file: `diagnostics` lists where");
            } else {
                self.fix_at_cursor();
            }
        }
    }

    fn report_check(&mut self, outcome: &CheckOutcome, after_fix: bool) {
        let command = &outcome.command;
        if outcome.passed {
            let warnings = match outcome.warnings {
                0 => String::new(),
                1 => " (1 warning)".to_string(),
                n => format!(" ({n} warnings)"),
            };
            if after_fix {
                self.set_message(format!("fixed: `{command}` passes{warnings}"));
            } else {
                self.set_message(format!("`{command}` passes{warnings}"));
            }
            return;
        }
        let first = self
            .checks
            .by_path
            .values()
            .flatten()
            .min_by_key(|d| (d.severity, d.path.clone(), d.line))
            .map(Diagnostic::one_line);
        let what = first.unwrap_or_else(|| "see its output".to_string());
        if after_fix {
            self.set_error(format!("still failing: {what} — Ctrl-T tries again"));
        } else {
            self.set_error(format!("`{command}` fails: {what} — Ctrl-T fixes"));
        }
    }

    /// The diagnostics to show for buffer `i`: those of its file from the last run, if the
    /// buffer is still at the version that run checked.
    pub fn diagnostics_of(&self, i: usize) -> &[Diagnostic] {
        let Some(buf) = self.buffers.get(i) else {
            return &[];
        };
        if self.checks.versions.get(&buf.id) != Some(&buf.doc.version()) {
            return &[];
        }
        self.checks
            .paths
            .get(&buf.id)
            .and_then(|rel| self.checks.by_path.get(rel))
            .map_or(&[], Vec::as_slice)
    }

    /// F8 / Shift-F8: the next (previous) diagnostic of the file, wrapping round.
    pub fn goto_diagnostic(&mut self, forward: bool) {
        let text = self.doc().text();
        let here = text.char_to_line(self.doc().cursor());
        let mut lines: Vec<(usize, usize)> = self
            .diagnostics_of(self.current)
            .iter()
            .map(|d| (d.line, d.col))
            .collect();
        lines.sort_unstable();
        lines.dedup();
        let target = if forward {
            lines.iter().find(|(l, _)| *l > here).or(lines.first())
        } else {
            lines.iter().rev().find(|(l, _)| *l < here).or(lines.last())
        };
        let Some(&(line, col)) = target else {
            self.set_message("no diagnostics in this file");
            return;
        };
        let line = line.min(text.len_lines().saturating_sub(1));
        let start = text.line_to_char(line);
        let len = text.line(line).len_chars();
        self.doc_mut().move_to(start + col.min(len), false);
        self.follow_cursor = true;
        if let Some(d) = self
            .diagnostics_of(self.current)
            .iter()
            .find(|d| d.line == line)
        {
            let message = format!("{}: {} — Ctrl-T fixes", d.severity.label(), d.message);
            self.set_message(message);
        }
    }
}

/// Runs the check in the workspace, or in a scratch copy holding the unsaved texts.
fn run_check(
    command: &str,
    root: &Path,
    dirty: &[(String, String)],
    limit: Duration,
) -> (Result<CheckRun, String>, PathBuf) {
    if dirty.is_empty() {
        let result = check::run(command, root, &[], limit).map_err(|e| e.to_string());
        return (result, root.to_path_buf());
    }
    let copy = match Scratch::copy(root) {
        Ok(c) => c,
        Err(e) => {
            return (
                Err(format!("cannot copy the workspace to check it: {e}")),
                root.to_path_buf(),
            );
        }
    };
    for (rel, text) in dirty {
        if let Err(e) = copy.write(rel, text) {
            return (
                Err(format!("cannot write the scratch copy: {e}")),
                root.to_path_buf(),
            );
        }
    }
    let target = scratch::cargo_target(root);
    let env: Vec<(&str, &Path)> = target
        .as_deref()
        .map(|t| vec![("CARGO_TARGET_DIR", t)])
        .unwrap_or_default();
    let result = check::run(command, copy.path(), &env, limit).map_err(|e| e.to_string());
    (result, copy.path().to_path_buf())
}
