//! Ctrl-T, the fix: the diagnostics at the cursor (else every one of the file) and the file
//! go to the model, which answers with SEARCH/REPLACE blocks; its answer becomes reviews as
//! any applied answer does, and once every change of them is decided and one was accepted,
//! the check runs again by itself and says "fixed" or "still failing" (Ctrl-T again sends
//! the new errors). The list of diagnostics (`diagnostics`) is a read-only buffer.

use crate::ai::prompt;
use crate::app::App;
use crate::chat::PendingQuestion;
use crate::diagnostics::Diagnostic;
use crate::event::RequestId;

/// Problems sent in one fix request, at most.
const MOST_PROBLEMS: usize = 12;

impl App {
    /// Ctrl-T.
    pub fn fix_at_cursor(&mut self) {
        if self.buf().review.is_some() {
            self.set_message(
                "this file has a review open: finish it first (Ctrl-K goes back to it)",
            );
            return;
        }
        let diagnostics = self.diagnostics_of(self.current).to_vec();
        if diagnostics.is_empty() {
            if self.checks.running.is_some() {
                self.checks.fix_when_done = true;
                self.set_message("the check is running: the fix is asked once it reports");
            } else if let Some(outcome) = self.checks.last.as_ref().filter(|o| {
                o.passed && self.checks.versions.get(&self.buf().id) == Some(&self.doc().version())
            }) {
                let command = outcome.command.clone();
                self.set_message(format!("nothing to fix: `{command}` passes"));
            } else {
                self.checks.fix_when_done = true;
                self.start_check(false);
                if self.checks.running.is_some() {
                    self.set_message("checking first: the fix is asked once the check reports");
                }
            }
            return;
        }
        let line = self.doc().text().char_to_line(self.doc().cursor());
        let here: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.line <= line && line <= d.end_line.max(d.line))
            .collect();
        let mut chosen: Vec<&Diagnostic> = if here.is_empty() {
            diagnostics.iter().collect()
        } else {
            here
        };
        chosen.sort_by_key(|d| (d.severity, d.line));
        chosen.truncate(MOST_PROBLEMS);
        self.ask_for_fix(&chosen);
    }

    /// Sends the fix request for `problems` of the current file.
    fn ask_for_fix(&mut self, problems: &[&Diagnostic]) {
        let Some(path) = self.doc().path.clone() else {
            return;
        };
        let Some(rel) = self.workspace_rel(&path) else {
            self.set_error("this file is outside the workspace");
            return;
        };
        let gate = self.gate();
        if let Err(e) = crate::ai::edit::check_target(&self.root, gate, &rel) {
            self.set_error(format!("{rel} cannot be edited by the model: {e}"));
            return;
        }
        let (text, withheld) = gate.redact(&rel, &self.doc().text().to_string());
        let command = self
            .checks
            .last
            .as_ref()
            .map_or_else(String::new, |o| o.command.clone());
        let listed: Vec<String> = problems
            .iter()
            .map(|d| {
                let rendered = d.rendered.as_deref().unwrap_or("").trim_end();
                if rendered.is_empty() {
                    d.one_line()
                } else {
                    format!("{}\n{rendered}", d.one_line())
                }
            })
            .collect();
        let mut user =
            prompt::fix_request(&command, &listed.join("\n"), &[(rel.clone(), text)], "");
        // What the problem lines use from elsewhere (definitions of the types and functions
        // they name), chosen by the context engine as for any question, through its gate.
        let first = problems.iter().map(|d| d.line).min().unwrap_or(0);
        let last = problems
            .iter()
            .map(|d| d.end_line.max(d.line))
            .max()
            .unwrap_or(first);
        if let Some(around) = self.attachment_at(&crate::context::engine::Spot::Lines(
            first as u32,
            last as u32,
        )) {
            for piece in around
                .pieces
                .iter()
                .filter(|p| p.kind == crate::context::assemble::PieceKind::Definition)
            {
                user.push_str("\n\n");
                user.push_str(&prompt::render_piece(piece));
            }
        }
        let first = problems
            .first()
            .map(|d| format!("{}:{}: {}", rel, d.line + 1, d.message))
            .unwrap_or_default();
        let notice = (!withheld.is_empty()).then(|| {
            crate::chat::requests::withheld_message(withheld.iter().map(|w| (&w.what, &w.reason)))
        });
        self.submit(PendingQuestion {
            question: format!("fix {first}"),
            user,
            context: Some(format!("{rel} (the file to fix)")),
            notice,
            edit: None,
            fix: true,
        });
        self.set_message(format!(
            "asking for a fix of {} problem(s) — Esc cancels",
            problems.len()
        ));
    }

    /// The answer to fix request `id` ended: what it changes becomes reviews, marked so that
    /// deciding them all re-runs the check.
    pub(crate) fn fix_reply_ended(&mut self, id: RequestId, ok: bool) {
        let Some(exchange) = self.chat.exchange_mut(id) else {
            return;
        };
        let answer = exchange.data.answer.clone();
        let question = exchange.data.question.clone();
        if !ok && answer.trim().is_empty() {
            return;
        }
        let parsed = crate::ai::edit::parse_reply(&answer, None);
        if parsed.blocks.is_empty() && parsed.malformed.is_empty() {
            self.set_error(
                "the answer holds no SEARCH/REPLACE block to apply — it is in the chat pane \
                 (Ctrl-L); Ctrl-T asks again",
            );
            return;
        }
        let placed = self.review_answer(&answer, &question);
        for buf in &mut self.buffers {
            if placed.contains(&buf.id)
                && let Some(review) = buf.review.as_mut()
            {
                review.fix = true;
            }
        }
    }

    /// A review of a fix is over: when no other one is left and something was accepted,
    /// the check runs again to say whether it fixed it.
    pub(crate) fn fix_review_done(&mut self, accepted: usize) {
        let others = self
            .buffers
            .iter()
            .any(|b| b.review.as_ref().is_some_and(|r| r.fix));
        if accepted > 0 && !others {
            self.start_check(true);
            if let Some(running) = &self.checks.running {
                let command = running.command.clone();
                self.set_message(format!("checking the fix: `{command}` …"));
            }
        }
    }

    /// `diagnostics`: every diagnostic of the last check in a read-only buffer.
    pub fn list_diagnostics(&mut self) {
        let Some(outcome) = self.checks.last.clone() else {
            self.set_message("no check has run yet (`check` runs it; saving does too)");
            return;
        };
        let mut all: Vec<&Diagnostic> = self.checks.by_path.values().flatten().collect();
        all.sort_by_key(|d| (d.severity, d.path.clone(), d.line, d.col));
        let mut text = format!(
            "`{}` {}: {} error(s), {} warning(s)\n\n",
            outcome.command,
            if outcome.passed { "passes" } else { "fails" },
            outcome.errors,
            outcome.warnings
        );
        for d in all {
            text.push_str(&d.one_line());
            text.push('\n');
        }
        let title = "diagnostics".to_string();
        self.show_read_only(title, text, "the list of diagnostics");
        self.set_message(
            "the last check's diagnostics · Alt-Left goes back · F8 walks them in a file",
        );
    }
}
