//! Alt-A, applying a code block of the chat for review: an answer of SEARCH/REPLACE blocks is
//! staged whole (every file it names gets a review, its refused blocks are kept with why), a
//! plain block is placed over the region of the current file it rewrites; and `r` sends the
//! refused blocks back to the model. Nothing is written to disk: only accepting hunks changes
//! the buffers, and saving them is the user's.

use super::Review;
use crate::ai::edit::{Refusal, StagedFile, check_target, is_elision, parse_reply, stage};
use crate::ai::transcript::Outcome;
use crate::app::App;
use crate::chat::PendingQuestion;
use crate::diff::Proposal;
use crate::event::BufferId;
use crate::headless::edit::replace_lines;

/// The code block Alt-A applies, and the answer it is part of.
struct Picked {
    text: String,
    answer: String,
    question: String,
}

/// An item of the current file as the tags see it, 0-based lines: where it starts (with the
/// comments above it), where its header ends and where it ends.
#[derive(Debug, Clone, Copy)]
struct ItemLines {
    start: usize,
    header_end: usize,
    end: usize,
}

impl App {
    /// Alt-A in the chat pane (or `ai_apply`): the newest code block of the chat, or the one
    /// Ctrl-C walked back to, becomes a review. A block of an answer made of SEARCH/REPLACE
    /// blocks applies the whole answer, to every file it names; a plain block rewrites a
    /// region of the current file.
    pub fn apply_chat_code(&mut self) {
        self.resume_chat();
        self.ensure_buffer();
        let Some(picked) = self.picked_code_block() else {
            return;
        };
        let default = self.current_rel();
        let parsed = parse_reply(&picked.answer, default.as_deref());
        if parsed.blocks.is_empty() && parsed.malformed.is_empty() {
            self.apply_plain_block(&picked);
        } else {
            self.apply_reply(&picked, default.as_deref());
        }
        self.redraw = true;
    }

    /// The block copy would take: the newest, or the one a run of Ctrl-C stopped at.
    fn picked_code_block(&mut self) -> Option<Picked> {
        let total: usize = self
            .chat
            .exchanges
            .iter()
            .map(|e| e.view.code_blocks().len())
            .sum();
        if total == 0 {
            self.set_message("no code block in the chat to apply");
            return None;
        }
        let nth = if self.chat.copy_streak {
            self.chat.copied % total
        } else {
            0
        };
        let mut index = total - 1 - nth;
        let mut found = None;
        for e in &self.chat.exchanges {
            let blocks = e.view.code_blocks();
            if index < blocks.len() {
                found = Some((e, &blocks[index]));
                break;
            }
            index -= blocks.len();
        }
        let (exchange, block) = found?;
        if exchange.data.outcome == Outcome::Running {
            self.set_message("the answer is still arriving: apply its code once it is complete");
            return None;
        }
        Some(Picked {
            text: block.text.clone(),
            answer: exchange.data.answer.clone(),
            question: exchange.data.question.clone(),
        })
    }

    /// The current buffer's workspace-relative path, the file a reply means when it names none.
    fn current_rel(&self) -> Option<String> {
        self.doc()
            .path
            .as_deref()
            .and_then(|p| self.workspace_rel(p))
    }

    /// The buffer holding the file at `rel`.
    fn buffer_at(&self, rel: &str) -> Option<usize> {
        self.buffers.iter().position(|b| {
            b.doc
                .path
                .as_deref()
                .is_some_and(|p| self.workspace_rel(p).as_deref() == Some(rel))
        })
    }

    /// A file's text as a reply is matched against it: the buffer's, unsaved edits included,
    /// when it is open, else the file's (without the BOM, as a buffer would hold it).
    fn text_for_staging(&self, rel: &str) -> Option<String> {
        if let Some(i) = self.buffer_at(rel) {
            return Some(self.buffers[i].doc.text().to_string());
        }
        let text = std::fs::read_to_string(self.root.join(rel)).ok()?;
        Some(match text.strip_prefix(crate::core::load::BOM) {
            Some(rest) => rest.to_string(),
            None => text,
        })
    }

    /// An answer of SEARCH/REPLACE blocks: every file it changes gets a review (opened when it
    /// is not), blocks that cannot be placed are refused with why, and the status line says
    /// what became of each.
    /// [`App::apply_reply`] for an answer that is not a code block of the pane (a fix):
    /// returns the buffers that got a review.
    pub(crate) fn review_answer(&mut self, answer: &str, question: &str) -> Vec<BufferId> {
        let picked = Picked {
            text: String::new(),
            answer: answer.to_string(),
            question: question.to_string(),
        };
        let default = self.current_rel();
        self.apply_reply(&picked, default.as_deref())
    }

    fn apply_reply(&mut self, picked: &Picked, default: Option<&str>) -> Vec<BufferId> {
        let staged = {
            let check = crate::ai::edit::target_checker(&self.root, self.gate());
            stage(
                &picked.answer,
                &|rel: &str| self.text_for_staging(rel),
                default,
                &check,
            )
        };
        let instruction = format!(
            "apply the chat's answer to \"{}\"",
            crate::ai::clip(&picked.question, 60)
        );
        let start = self.buf().id;
        let mut notes = Vec::new();
        let mut placed: Vec<(BufferId, usize)> = Vec::new();
        for file in &staged.files {
            // Deleting a file is not a hunk to wave through among others: an answer that
            // empties one is not staged at all, and the user deletes it deliberately.
            if file.proposed.is_empty() && file.base.as_deref().is_some_and(|b| !b.is_empty()) {
                notes.push(format!(
                    "the reply empties {}; delete it by hand if that is what you want",
                    file.path
                ));
                continue;
            }
            match self.review_staged_file(file, &instruction) {
                Ok(Some(done)) => placed.push(done),
                Ok(None) => notes.push(format!("{} already has this code", file.path)),
                Err(why) => notes.push(why),
            }
        }
        if staged.incomplete {
            notes.push("the answer ends inside a block (cut off): that block is left out".into());
        }
        // The review to start with: the file the user was in, else the first one.
        let shown = placed
            .iter()
            .find(|(id, _)| *id == start)
            .or(placed.first())
            .map_or(start, |(id, _)| *id);
        if let Some(i) = self.index_of(shown) {
            self.current = i;
        }
        self.chat.last_refused.clone_from(&staged.refused);
        if !placed.is_empty() {
            if let Some(review) = self.buf_mut().review.as_mut() {
                review.refused.clone_from(&staged.refused);
            }
            // The review keys are the next thing the user needs.
            self.chat.focused = false;
            self.follow_cursor = true;
            self.reveal_current_hunk();
        }
        let message = reply_message(&placed, &staged.refused, &notes);
        if staged.refused.is_empty() && notes.is_empty() && !placed.is_empty() {
            self.set_message(message);
        } else {
            self.set_error(message);
        }
        placed.into_iter().map(|(id, _)| id).collect()
    }

    /// Puts the review of one staged file on its buffer, opening the file first when needed.
    /// `Ok(None)`: the file already reads so. `Err`: why it was left out.
    fn review_staged_file(
        &mut self,
        file: &StagedFile,
        instruction: &str,
    ) -> Result<Option<(BufferId, usize)>, String> {
        let index = if let Some(i) = self.buffer_at(&file.path) {
            i
        } else {
            // A file the reply creates opens as a new buffer that saves to it.
            let path = self.root.join(&file.path);
            self.open_path(&path);
            self.buffer_at(&file.path)
                .ok_or_else(|| format!("{} could not be opened", file.path))?
        };
        let root = self.root.clone();
        let buf = &mut self.buffers[index];
        if buf.loading.is_some() {
            return Err(format!(
                "{} is still loading: apply again once it is in",
                file.path
            ));
        }
        if buf.review.is_some() {
            return Err(format!(
                "{} already has a review: finish it (Ctrl-K there), then apply again",
                file.path
            ));
        }
        let text = buf.doc.text().to_string();
        // The reply was matched against what was read; a file read from disk that the buffer
        // opened differently (or that changed meanwhile) is not forced.
        if text != file.base.as_deref().unwrap_or_default() {
            return Err(format!(
                "{} changed while it was opened: apply again",
                file.path
            ));
        }
        if file.proposed == text {
            return Ok(None);
        }
        let path = buf
            .doc
            .path
            .clone()
            .unwrap_or_else(|| root.join(&file.path));
        let mut proposal = Proposal::new(path, text, buf.doc.version(), file.proposed.clone());
        proposal.finish(file.proposed.clone());
        let hunks = proposal.hunks().len();
        buf.review = Some(Box::new(Review::new(proposal, instruction)));
        Ok(Some((buf.id, hunks)))
    }

    /// A plain code block: the new text of the selected lines, else of the region of the
    /// current file it is placed over (see [`place_block`]).
    fn apply_plain_block(&mut self, picked: &Picked) {
        let buf = self.buf();
        let name = self
            .current_rel()
            .unwrap_or_else(|| self.display_path(buf.doc.path.as_deref()));
        if buf.loading.is_some() {
            self.set_message("the file is still loading");
            return;
        }
        if buf.review.is_some() {
            self.set_error(format!(
                "{name} already has a review: finish it (Ctrl-K), then apply again"
            ));
            return;
        }
        if buf.doc.path.is_some()
            && let Err(e) = check_target(&self.root, self.gate(), &name)
        {
            self.set_error(format!("{name} cannot be edited by the model: {e}"));
            return;
        }
        let text = buf.doc.text().to_string();
        let block = picked.text.as_str();
        if let Some(line) = block.lines().find(|l| is_elision(l)) {
            self.set_error(format!(
                "could not apply the block: it leaves lines out (`{}`) — ask for the whole code, \
                 or for SEARCH/REPLACE blocks",
                crate::ai::clip(line, 40)
            ));
            return;
        }
        let placed = match self.selected_lines() {
            Some(lines) => Ok(lines),
            None => place_block(&text, block, &self.items_of_current(&text), &name),
        };
        let (first, last) = match placed {
            Ok(lines) => lines,
            Err(why) => {
                self.set_error(why);
                return;
            }
        };
        let new = fitted_block(&text, first, block);
        let proposed = replace_lines(&text, first as u32 + 1, last as u32 + 1, &new);
        if proposed == text {
            self.set_message(format!("{name} already has this code"));
            return;
        }
        let doc = &self.buf().doc;
        let path = doc.path.clone().unwrap_or_else(|| name.clone().into());
        let mut proposal = Proposal::new(path, text, doc.version(), proposed.clone());
        proposal.finish(proposed);
        let hunks = proposal.hunks().len();
        let instruction = format!(
            "apply a code block of the chat's answer to \"{}\"",
            crate::ai::clip(&picked.question, 60)
        );
        self.buf_mut().review = Some(Box::new(Review::new(proposal, instruction)));
        self.chat.focused = false;
        self.follow_cursor = true;
        self.reveal_current_hunk();
        let lines = if first == last {
            format!("line {}", first + 1)
        } else {
            format!("lines {}-{}", first + 1, last + 1)
        };
        self.set_message(format!(
            "{} over {lines} of {name} to review: y accept · n reject · a all · d the rest · \
             j/k move · q leave",
            count(hunks, "change")
        ));
    }

    /// The whole lines the selection covers (one ending at the start of a line does not take
    /// that line), 0-based; `None` without a selection.
    fn selected_lines(&self) -> Option<(usize, usize)> {
        let doc = self.doc();
        let sel = doc.selection();
        if sel.is_empty() {
            return None;
        }
        let text = doc.text();
        let first = text.char_to_line(sel.from());
        let mut last = text.char_to_line(sel.to());
        if last > first && text.line_to_char(last) == sel.to() {
            last -= 1;
        }
        Some((first, last))
    }

    /// The items (functions, classes, …) the tags find in the current buffer's text.
    fn items_of_current(&self, text: &str) -> Vec<ItemLines> {
        let buf = self.buf();
        let first_line = text.lines().next().unwrap_or("");
        let Some(language) = buf.syntax_language.or_else(|| {
            self.syntax
                .languages()
                .detect(buf.doc.path.as_deref(), first_line)
        }) else {
            return Vec::new();
        };
        let tags = self
            .fallback_tags
            .get_or_init(|| crate::context::tags::Tags::new(self.syntax.languages(), None));
        tags.extract(language, text)
            .map(|symbols| {
                symbols
                    .items
                    .iter()
                    .map(|it| ItemLines {
                        start: it.lines.0 as usize,
                        header_end: it.header.1 as usize,
                        end: it.lines.1 as usize,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `r` in a review (or `ai_send_refused`): the blocks of the last applied answer that did
    /// not apply go back to the model in one question, each with why and the nearest place,
    /// asking for corrected SEARCH/REPLACE blocks; its answer is applied like any other.
    pub(crate) fn send_refused_back(&mut self) {
        let from_review = self
            .buffers
            .get_mut(self.current)
            .and_then(|b| b.review.as_mut())
            .map(|r| std::mem::take(&mut r.refused))
            .unwrap_or_default();
        let from_chat = std::mem::take(&mut self.chat.last_refused);
        let refused = if from_review.is_empty() {
            from_chat
        } else {
            from_review
        };
        if refused.is_empty() {
            self.set_message("no refused block to send back to the model");
            return;
        }
        let gate = self.gate();
        // What goes back quotes the file's lines: through the gate like any other code.
        let reports: Vec<String> = refused
            .iter()
            .map(|r| gate.redact(&r.path, &r.for_model()).0)
            .collect();
        let user = format!(
            "{}\n\nReply with corrected SEARCH/REPLACE blocks for these only: the file's path \
             alone on a line, a code fence, <<<<<<< SEARCH, the file's current lines exactly, \
             =======, the new lines, >>>>>>> REPLACE, and the closing fence.",
            reports.join("\n")
        );
        let what = count(refused.len(), "block");
        // Said after sending, unless sending said something wrong itself (no provider).
        self.message = None;
        self.submit(PendingQuestion {
            question: format!("these {what} did not apply; correct them"),
            user,
            context: None,
            notice: None,
            edit: None,
            fix: false,
        });
        if self.message.is_none() {
            self.set_message(format!(
                "sent the {what} that did not apply back to the model — Alt-A in the chat pane \
                 applies its answer"
            ));
        }
        self.redraw = true;
    }
}

/// What became of an applied answer, for the status line: "3 changes in 2 files to review ·
/// 1 block refused: src/a.rs: the SEARCH text matches nothing … — r sends it back".
fn reply_message(placed: &[(BufferId, usize)], refused: &[Refusal], notes: &[String]) -> String {
    let mut parts = Vec::new();
    if placed.is_empty() {
        parts.push("nothing to review".to_string());
    } else {
        let hunks = placed.iter().map(|(_, n)| n).sum();
        parts.push(format!(
            "{} in {} to review",
            count(hunks, "change"),
            count(placed.len(), "file")
        ));
    }
    if refused.is_empty() && notes.is_empty() && !placed.is_empty() {
        // Nothing else to read: the keys instead.
        let mut keys =
            ": y accept · n reject · a all · d the rest · j/k move · q leave".to_string();
        if placed.len() > 1 {
            keys.push_str(" · Alt-Left/Right to the other files");
        }
        parts[0].push_str(&keys);
    }
    if !refused.is_empty() {
        let reasons: Vec<String> = refused.iter().map(Refusal::message).collect();
        let how = if placed.is_empty() {
            "ai_send_refused (Ctrl-\\) sends"
        } else {
            "r sends"
        };
        let them = if refused.len() == 1 { "it" } else { "them" };
        parts.push(format!(
            "{} refused: {} — {how} {them} back to the model",
            count(refused.len(), "block"),
            reasons.join(" · ")
        ));
    }
    parts.extend(notes.iter().cloned());
    parts.join(" · ")
}

/// "1 change", "3 changes".
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn indentation(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

/// The 0-based lines of `text` that a plain code block rewrites. Its first non-blank line
/// must be exactly one line of the file (whitespace aside): a block is never placed by
/// resemblance. The region ends where the item (function, class, …) starting there ends,
/// else at the first later line like the block's last one at the same indentation as its
/// first, else after as many lines as the block has.
fn place_block(
    text: &str,
    block: &str,
    items: &[ItemLines],
    name: &str,
) -> Result<(usize, usize), String> {
    let lines: Vec<&str> = text.lines().collect();
    let code: Vec<&str> = block.lines().collect();
    let Some(b0) = code.iter().position(|l| !l.trim().is_empty()) else {
        return Err("the code block is empty".to_string());
    };
    let b1 = code
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .unwrap_or(b0);
    let head = code[b0].trim();
    let at: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].trim() == head)
        .collect();
    let shown = crate::ai::clip(head, 60);
    let first = match at.as_slice() {
        [] => {
            return Err(format!(
                "could not place the block: its first line `{shown}` is not in {name} — select \
                 the lines it replaces and apply again"
            ));
        }
        [one] => *one,
        many => {
            let places: Vec<String> = many.iter().take(5).map(|i| (i + 1).to_string()).collect();
            let more = if many.len() > 5 { ", …" } else { "" };
            return Err(format!(
                "could not place the block: its first line `{shown}` is in {name} {} times \
                 (lines {}{more}) — select the lines it replaces and apply again",
                many.len(),
                places.join(", ")
            ));
        }
    };
    let last = lines.len().saturating_sub(1);
    // The innermost item whose head (comments, attributes, signature) holds that line. A
    // one-line block is only that line, never a whole item.
    let item = items
        .iter()
        .filter(|it| it.start <= first && first <= it.header_end && it.end >= first)
        .min_by_key(|it| it.end - it.start)
        .filter(|_| b1 > b0);
    if let Some(it) = item {
        return Ok((first, it.end.min(last)));
    }
    if b1 > b0 {
        let tail = code[b1].trim();
        let indent = indentation(lines[first]);
        if let Some(end) = (first + 1..lines.len())
            .find(|&j| lines[j].trim() == tail && indentation(lines[j]) == indent)
        {
            return Ok((first, end));
        }
    }
    Ok((first, (first + b1 - b0).min(last)))
}

/// The block's lines from its first non-blank one to its last, moved to the indentation of
/// line `first` of the file when the model indented it otherwise (a method shown outside its
/// class); a shift that not every line can take is left as it is.
fn fitted_block(text: &str, first: usize, block: &str) -> String {
    let code: Vec<&str> = block.lines().collect();
    let (Some(b0), Some(b1)) = (
        code.iter().position(|l| !l.trim().is_empty()),
        code.iter().rposition(|l| !l.trim().is_empty()),
    ) else {
        return String::new();
    };
    let code = &code[b0..=b1];
    let want = text
        .lines()
        .skip(first)
        .find(|l| !l.trim().is_empty())
        .map_or("", indentation);
    let have = indentation(code[0]);
    let shifted: Option<Vec<String>> = if want == have {
        None
    } else if let Some(add) = want.strip_suffix(have) {
        Some(
            code.iter()
                .map(|l| {
                    if l.trim().is_empty() {
                        String::new()
                    } else {
                        format!("{add}{l}")
                    }
                })
                .collect(),
        )
    } else if let Some(cut) = have.strip_suffix(want) {
        code.iter()
            .map(|l| {
                if l.trim().is_empty() {
                    Some(String::new())
                } else {
                    l.strip_prefix(cut).map(str::to_string)
                }
            })
            .collect()
    } else {
        None
    };
    let mut out = match shifted {
        Some(lines) => lines.join("\n"),
        None => code.join("\n"),
    };
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "fn a() {\n    if x {\n        y();\n    }\n}\n\nfn b() {\n    z();\n}\n";

    #[test]
    fn a_block_is_placed_over_the_item_it_starts() {
        let items = [ItemLines {
            start: 0,
            header_end: 0,
            end: 4,
        }];
        let block = "fn a() {\n    w();\n} // done\n";
        assert_eq!(place_block(FILE, block, &items, "f.rs"), Ok((0, 4)));
        // One line is only that line.
        assert_eq!(place_block(FILE, "fn a() {\n", &items, "f.rs"), Ok((0, 0)));
    }

    #[test]
    fn without_items_the_last_line_at_the_same_indentation_ends_the_region() {
        let block = "\nfn a() {\n    w();\n}\n\n";
        assert_eq!(place_block(FILE, block, &[], "f.rs"), Ok((0, 4)));
        // Nothing like its last line: as many lines as the block has.
        let block = "fn b() {\n    z(1);\n";
        assert_eq!(place_block(FILE, block, &[], "f.rs"), Ok((6, 7)));
    }

    #[test]
    fn a_first_line_found_nowhere_or_twice_is_refused() {
        let e = place_block(FILE, "fn c() {}\n", &[], "f.rs").unwrap_err();
        assert!(
            e.starts_with("could not place the block: its first line `fn c() {}` is not in f.rs"),
            "{e}"
        );
        let e = place_block(FILE, "}\n", &[], "f.rs").unwrap_err();
        assert!(e.contains("is in f.rs 3 times (lines 4, 5, 9)"), "{e}");
        assert!(place_block(FILE, "\n  \n", &[], "f.rs").is_err());
    }

    #[test]
    fn the_block_takes_the_indentation_of_the_line_it_replaces() {
        let text = "impl A {\n    fn f() {\n        1\n    }\n}\n";
        assert_eq!(
            fitted_block(text, 1, "fn f() {\n    2\n\n}\n"),
            "    fn f() {\n        2\n\n    }\n"
        );
        assert_eq!(fitted_block("x\n", 0, "    x\n      y\n"), "x\n  y\n");
        // A line that cannot lose the indentation keeps the block as the model wrote it.
        assert_eq!(fitted_block("x\n", 0, "    x\n  y\n"), "    x\n  y\n");
    }
}
