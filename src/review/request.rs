//! Ctrl-K, the inline edit: the instruction prompt over the region it changes, the request
//! (the region first, then the code around it and what it uses, through the gate, and no
//! conversation), and the reply streaming into the region's proposal until it is final.

use super::Review;
use crate::ai::edit::{fence_line, fenced_replacement};
use crate::ai::prompt;
use crate::ai::transcript::Outcome;
use crate::app::App;
use crate::chat::PendingQuestion;
use crate::context::assemble::{Piece, PieceKind, lines_of};
use crate::context::engine::Spot;
use crate::core::selection::Selection;
use crate::diff::Proposal;
use crate::event::{BufferId, RequestId};
use crate::headless::edit::replace_lines;
use crate::prompt::PromptKind;

/// An edit waiting for its request to go: the review its reply will stream into.
#[derive(Debug, Clone)]
pub struct EditSpec {
    pub buffer: BufferId,
    /// The system prompt: an edit asks with its own, without the conversation.
    pub system: String,
    pub review: Review,
}

/// Without a selection, Ctrl-K takes the item at the cursor when it is at most this long
/// (else just the cursor's line).
const LONGEST_ITEM: u32 = 150;

impl App {
    /// Ctrl-K: back to the review when the buffer has one; else asks what to change in the
    /// selected lines (or the item at the cursor), showing them selected meanwhile.
    pub fn inline_edit(&mut self) {
        if let Some(review) = self.buf_mut().review.as_mut() {
            review.active = true;
            self.reveal_current_hunk();
            self.redraw = true;
            return;
        }
        if self.buf().loading.is_some() {
            self.set_message("the file is still loading");
            return;
        }
        let (first, last) = self.edit_region();
        self.open_prompt(PromptKind::EditInstruction { first, last });
        let text = self.doc().text();
        let from = text.line_to_char(first);
        let to = if last + 1 < text.len_lines() {
            text.line_to_char(last + 1)
        } else {
            text.len_chars()
        };
        self.doc_mut().set_selection(Selection::new(from, to));
        self.follow_cursor = true;
    }

    /// The 0-based lines Ctrl-K changes: the selected lines (a selection ending at the start
    /// of a line does not take that line), else the item around the cursor, else its line.
    fn edit_region(&self) -> (usize, usize) {
        let doc = self.doc();
        let sel = doc.selection();
        let text = doc.text();
        if !sel.is_empty() {
            let first = text.char_to_line(sel.from());
            let mut last = text.char_to_line(sel.to());
            if last > first && text.line_to_char(last) == sel.to() {
                last -= 1;
            }
            return (first, last);
        }
        let line = text.char_to_line(doc.cursor());
        let item = self.cursor_attachment().and_then(|a| {
            a.pieces.into_iter().next().filter(|p| {
                p.kind == PieceKind::EnclosingItem
                    // Not a window of lines around the cursor, nor part of an item too big.
                    && !p.why.starts_with("the lines around")
                    && !p.why.contains("(the part around")
                    && p.lines.0 >= 1
                    && p.lines.1 - p.lines.0 < LONGEST_ITEM
            })
        });
        match item {
            Some(p) => {
                let (a, b) = (p.lines.0 as usize - 1, p.lines.1 as usize - 1);
                if (a..=b).contains(&line) {
                    (a, b)
                } else {
                    (line, line)
                }
            }
            None => (line, line),
        }
    }

    /// Sends the inline edit of lines `first..=last` (0-based) of the current buffer. A file
    /// the gate keeps back, or a region holding a likely secret, is refused: the model would
    /// get a placeholder, and its reply would put the placeholder in place of the secret.
    pub fn request_inline_edit(&mut self, first: usize, last: usize, instruction: &str) {
        if instruction.is_empty() {
            self.set_message("nothing was asked: Ctrl-K, type what to change, then Enter");
            return;
        }
        let buf = self.buf();
        let doc = &buf.doc;
        let text = doc.text().to_string();
        let lines = doc.text().len_lines().max(1);
        let (first, last) = (first.min(lines - 1), last.min(lines - 1));
        let rel = match &doc.path {
            Some(path) => self
                .workspace_rel(path)
                .unwrap_or_else(|| self.display_path(Some(path))),
            None => buf.display_name(),
        };
        let gate = self.gate();
        if doc.path.is_some()
            && let Err(e) = crate::ai::edit::check_target(&self.root, gate, &rel)
        {
            self.set_error(format!("{rel} cannot be edited by the model: {e}"));
            return;
        }
        let place = if first == last {
            format!("line {}", first + 1)
        } else {
            format!("lines {}-{}", first + 1, last + 1)
        };
        let region_text = lines_of(&text, first as u32, last as u32);
        let (_, withheld) = gate.redact(&rel, &region_text);
        if let Some(w) = withheld.first() {
            self.set_error(format!(
                "{place} hold a likely secret ({}); select lines without it",
                w.what
            ));
            return;
        }
        let language = buf
            .syntax_language
            .and_then(|i| self.syntax.language(i))
            .map(|l| l.name.clone());
        let region = Piece {
            kind: PieceKind::EnclosingItem,
            path: rel.clone(),
            lines: (first as u32 + 1, last as u32 + 1),
            why: "the region to change".to_string(),
            tokens: crate::ai::tokens::count_quick(&region_text),
            text: region_text,
            language,
        };
        // The code around the region and the definitions it uses, for reference.
        let around = self.attachment_at(&Spot::Lines(first as u32, last as u32));
        let mut pieces = vec![region];
        let mut notice = None;
        if let Some(a) = around {
            if !a.withheld.is_empty() {
                notice = Some(crate::chat::requests::withheld_message(
                    a.withheld.iter().map(|w| (&w.what, &w.reason)),
                ));
            }
            pieces.extend(
                a.pieces
                    .into_iter()
                    .filter(|p| p.kind != PieceKind::EnclosingItem),
            );
        }
        let ask = prompt::edit_region(instruction, &rel, first as u32 + 1, last as u32 + 1);
        let user = prompt::user_message_with(&ask, &pieces);
        let path = doc.path.clone().unwrap_or_else(|| rel.clone().into());
        let mut review = Review::new(
            Proposal::new(path, text.clone(), doc.version(), text),
            instruction,
        );
        review.region = Some((first, last));
        let buffer = buf.id;
        self.submit(PendingQuestion {
            question: format!("edit {rel} {place}: {instruction}"),
            user,
            context: Some(format!("{rel}:{} (the region to change)", {
                if first == last {
                    format!("{}", first + 1)
                } else {
                    format!("{}-{}", first + 1, last + 1)
                }
            })),
            notice,
            edit: Some(EditSpec {
                buffer,
                system: prompt::SYSTEM.to_string(),
                review,
            }),
            fix: false,
        });
    }

    /// The request `id` was sent for `spec`: its review goes on the buffer, replacing none
    /// (Ctrl-K goes back to a review rather than starting another).
    pub(crate) fn start_edit_review(&mut self, id: RequestId, spec: EditSpec) {
        let Some(buf) = self.buffers.iter_mut().find(|b| b.id == spec.buffer) else {
            return;
        };
        let mut review = spec.review;
        review.request = Some(id);
        review.active = true;
        buf.review = Some(Box::new(review));
        self.redraw = true;
    }

    /// The index of the buffer whose review request `id` streams into.
    fn review_buffer(&self, id: RequestId) -> Option<usize> {
        self.buffers
            .iter()
            .position(|b| b.review.as_ref().is_some_and(|r| r.request == Some(id)))
    }

    /// Whether request `id` is an edit streaming into a review.
    pub(crate) fn is_edit_request(&self, id: RequestId) -> bool {
        self.review_buffer(id).is_some()
    }

    /// A line of the reply completed: the proposal is re-diffed with the region's lines so
    /// far in place of as many of its old lines (the rest of the old region stays until the
    /// reply gets there), and placed onto the text as it is now.
    pub(crate) fn review_stream(&mut self, id: RequestId) {
        let Some(bi) = self.review_buffer(id) else {
            return;
        };
        let Some(answer) = self.chat.exchange_mut(id).map(|e| e.data.answer.clone()) else {
            return;
        };
        let Some(end) = answer.rfind('\n') else {
            return;
        };
        let complete = &answer[..=end];
        // Prose before the code block is not code: nothing is shown until the block opens.
        if !complete.lines().any(|l| fence_line(l).is_some()) {
            return;
        }
        let Some(so_far) = fenced_replacement(complete) else {
            return;
        };
        let buf = &mut self.buffers[bi];
        let Some(review) = buf.review.as_mut() else {
            return;
        };
        let Some((first, last)) = review.region else {
            return;
        };
        let proposed = streamed_text(review.proposal.base(), first, last, &so_far);
        review.proposal.update(proposed);
        review.proposal.reanchor_document(&buf.doc);
        self.redraw = true;
    }

    /// The reply to edit request `id` ended (`outcome`): the proposal is final — from the
    /// whole reply, or from what arrived of a reply cut off — or, when the reply holds no
    /// code block, the review goes and the status line says to look at the pane.
    pub(crate) fn review_reply_ended(&mut self, id: RequestId, outcome: &Outcome) {
        let Some(bi) = self.review_buffer(id) else {
            return;
        };
        let answer = self
            .chat
            .exchange_mut(id)
            .map(|e| e.data.answer.clone())
            .unwrap_or_default();
        let done = matches!(outcome, Outcome::Done);
        // A reply cut off counts only its complete lines.
        let usable = if done {
            answer.as_str()
        } else {
            answer.rfind('\n').map_or("", |end| &answer[..=end])
        };
        let replacement = fenced_replacement(usable)
            .filter(|_| done || usable.lines().any(|l| fence_line(l).is_some()));
        let buf = &mut self.buffers[bi];
        let Some(mut review) = buf.review.take() else {
            return;
        };
        review.request = None;
        let (Some(new_region), Some((first, last))) = (replacement, review.region) else {
            self.set_error(match outcome {
                Outcome::Done => "the reply holds no code block with the new text — see the chat \
                                  pane (Ctrl-L)"
                    .to_string(),
                Outcome::Failed(e) => format!("the edit failed before any code arrived: {e}"),
                _ => "the edit was stopped before any code arrived".to_string(),
            });
            return;
        };
        let proposed = if done {
            replace_lines(
                review.proposal.base(),
                first as u32 + 1,
                last as u32 + 1,
                &new_region,
            )
        } else {
            streamed_text(review.proposal.base(), first, last, &new_region)
        };
        review.proposal.finish(proposed);
        review.proposal.reanchor_document(&buf.doc);
        let hunks = review.proposal.hunks().len();
        if hunks == 0 {
            self.set_message("the model proposed no change");
            return;
        }
        buf.review = Some(review);
        let what = if hunks == 1 {
            "1 change".to_string()
        } else {
            format!("{hunks} changes")
        };
        if done {
            self.set_message(format!(
                "{what} proposed: y accept · n reject · a all · d the rest · j/k move · q leave"
            ));
        } else {
            let why = match outcome {
                Outcome::Failed(e) => format!("the reply failed ({e})"),
                _ => "the reply was stopped".to_string(),
            };
            self.set_error(format!(
                "{why}: {what} from what arrived, to review with care"
            ));
        }
        self.reveal_current_hunk();
        self.redraw = true;
    }
}

/// The base with the first lines of the region replaced by the lines of the reply so far
/// and the region's other old lines kept after them, until the reply gets to them.
pub fn streamed_text(base: &str, first: usize, last: usize, so_far: &str) -> String {
    let old: Vec<&str> = base.split_inclusive('\n').collect();
    let region_end = (last + 1).min(old.len());
    let arrived = so_far.split_inclusive('\n').count();
    let mut partial = so_far.to_string();
    if first + arrived < region_end {
        partial.extend(old[first + arrived..region_end].iter().copied());
    }
    replace_lines(base, first as u32 + 1, last as u32 + 1, &partial)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_region_fills_in_as_lines_arrive() {
        let base = "a\nb\nc\nd\n";
        assert_eq!(streamed_text(base, 1, 2, "B\n"), "a\nB\nc\nd\n");
        assert_eq!(streamed_text(base, 1, 2, "B\nC\nC2\n"), "a\nB\nC\nC2\nd\n");
        assert_eq!(streamed_text(base, 1, 2, ""), base);
        assert_eq!(
            streamed_text("a\r\nb\r\n", 0, 0, "A\n"),
            "a\r\nb\r\n".replace('a', "A")
        );
    }
}
