//! What the next request will carry, entry by entry — the system prompt, the earlier
//! exchanges, the question and each piece of context, as the user dropped or pinned them —
//! and the messages built from exactly those entries. The inspector shows a plan; sending
//! sends one, so what is shown is what goes.

use crate::ai::{ChatMessage, prompt, tokens};
use crate::app::App;
use crate::context::assemble::{Attachment, Piece, PieceKind};
use crate::context::gate::Withheld;
use crate::event::RequestId;

/// An earlier exchange as a new request would carry it: (id, user message as sent, answer).
pub type PastExchange = (RequestId, String, String);

/// Which request a plan is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The question in the chat pane's input (Enter).
    Chat,
    /// Explaining the selection or the item at the cursor (Ctrl-E).
    Explain,
}

/// Names an entry the user can drop or pin, stable across plans.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EntryKey {
    Piece {
        kind: PieceKind,
        path: String,
        lines: (u32, u32),
    },
    Exchange(RequestId),
}

impl EntryKey {
    pub fn of(piece: &Piece) -> Self {
        Self::Piece {
            kind: piece.kind,
            path: piece.path.clone(),
            lines: piece.lines,
        }
    }
}

/// Whether an entry goes with the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryState {
    /// Always sent: the system prompt and the question.
    Fixed,
    Sent,
    /// Sent with this and every later request, until unpinned.
    Pinned,
    /// Left out by the user.
    Dropped,
    /// Held back by the gate (an ignored or secret file, a redacted line).
    Withheld,
}

/// One line of the inspector.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// "system prompt", "question", "conversation", or a piece's kind.
    pub kind: String,
    /// "src/a.rs:3-9", "chat", "" …
    pub place: String,
    pub why: String,
    pub tokens: usize,
    /// The bytes this entry adds to the request (for a dropped one: what it would add).
    pub text: String,
    pub state: EntryState,
    pub key: Option<EntryKey>,
}

/// The next request, as it will be sent.
#[derive(Debug, Clone)]
pub struct Plan {
    pub target: Target,
    /// As the user asked it (or the explain request).
    pub question: String,
    /// The user message: the question, then each piece sent.
    pub user: String,
    /// Where the code came from, for the transcript ("src/a.rs:3-9 (function)").
    pub label: Option<String>,
    pub messages: Vec<ChatMessage>,
    pub entries: Vec<Entry>,
    /// Every piece chosen, pinned or dropped (for pinning from the inspector).
    pub pieces: Vec<Piece>,
    /// Tokens of every message.
    pub tokens: usize,
    /// Tokens of the context pieces sent, and the budget they were chosen for.
    pub context_tokens: usize,
    pub budget: usize,
    /// The counts are estimates (the tokenizer's table is still loading).
    pub estimated: bool,
}

impl Plan {
    /// True when nothing of the code may go (everything was withheld or dropped).
    pub fn sends_no_code(&self) -> bool {
        !self
            .entries
            .iter()
            .any(|e| e.key.is_some() && matches!(e.state, EntryState::Sent | EntryState::Pinned))
    }

    pub fn withheld(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(|e| e.state == EntryState::Withheld)
    }
}

/// "src/a.rs:3-9", "src/a.rs:3", or the path alone for a piece from no lines.
pub fn place_of(piece: &Piece) -> String {
    match piece.lines {
        (0, 0) => piece.path.clone(),
        (a, b) if a == b => format!("{}:{a}", piece.path),
        (a, b) => format!("{}:{a}-{b}", piece.path),
    }
}

impl App {
    /// The plan for `target` as things stand: the code chosen for it (through the context
    /// engine and its gate), the user's drops and pins, and the conversation that fits.
    /// `None` when there is nothing to explain.
    pub fn plan(&mut self, target: Target) -> Option<Plan> {
        self.sync_index_with_buffers();
        let (question, attachment) = match target {
            Target::Chat => {
                let question = self.chat.input.trim().to_string();
                let attachment = self.with_mentions(&question, self.chat.attached.clone());
                (question, attachment)
            }
            Target::Explain => {
                let attachment = self.cursor_attachment()?;
                (prompt::explain_at(&attachment.location), Some(attachment))
            }
        };
        Some(self.plan_with(target, question, attachment))
    }

    fn plan_with(&self, target: Target, question: String, attachment: Option<Attachment>) -> Plan {
        let count = &tokens::count_quick;
        let mut pieces: Vec<(Piece, EntryState)> = Vec::new();
        let mut withheld: Vec<Withheld> = Vec::new();
        let label = attachment
            .as_ref()
            .and_then(|a| (!a.pieces.is_empty()).then(|| a.label()));
        if let Some(att) = attachment {
            withheld = att.withheld;
            for piece in att.pieces {
                let key = EntryKey::of(&piece);
                let state = if self.chat.pinned.iter().any(|p| EntryKey::of(p) == key) {
                    EntryState::Pinned
                } else if self.chat.dropped.contains(&key) {
                    EntryState::Dropped
                } else {
                    EntryState::Sent
                };
                pieces.push((piece, state));
            }
        }
        for pinned in &self.chat.pinned {
            let key = EntryKey::of(pinned);
            if pieces.iter().any(|(p, _)| EntryKey::of(p) == key) {
                continue;
            }
            match self.reread(pinned) {
                Ok(piece) => pieces.push((piece, EntryState::Pinned)),
                Err(w) => withheld.push(w),
            }
        }
        let sent: Vec<Piece> = pieces
            .iter()
            .filter(|(_, s)| *s != EntryState::Dropped)
            .map(|(p, _)| p.clone())
            .collect();
        let user = prompt::user_message_with(&question, &sent);
        let (history, dropped_history) = self.history_for_next();
        let messages = prompt::conversation(
            &history
                .iter()
                .map(|(_, q, a)| (q.clone(), a.clone()))
                .collect::<Vec<_>>(),
            user.clone(),
            self.config.ai.history_tokens,
            count,
        );
        // `conversation` keeps the newest exchanges that fit: the last ones of `history`.
        let kept = (messages.len() - 2) / 2;
        let mut entries = vec![Entry {
            kind: "system prompt".to_string(),
            place: String::new(),
            why: "how caret asks the model to answer".to_string(),
            tokens: count(prompt::SYSTEM),
            text: prompt::SYSTEM.to_string(),
            state: EntryState::Fixed,
            key: None,
        }];
        let conversation_entry = |id: RequestId, q: &str, a: &str, state| {
            let first_line = q.lines().next().unwrap_or("");
            Entry {
                kind: "conversation".to_string(),
                place: "chat".to_string(),
                why: format!("earlier question: {first_line}"),
                tokens: count(q) + count(a),
                text: format!("{q}\n\n{a}"),
                state,
                key: Some(EntryKey::Exchange(id)),
            }
        };
        for (id, q, a) in &history[history.len() - kept..] {
            entries.push(conversation_entry(*id, q, a, EntryState::Sent));
        }
        for (id, q, a) in &dropped_history {
            entries.push(conversation_entry(*id, q, a, EntryState::Dropped));
        }
        entries.push(Entry {
            kind: "question".to_string(),
            place: String::new(),
            why: match target {
                Target::Chat if question.is_empty() => {
                    "type it in the chat pane; it goes first".to_string()
                }
                Target::Chat => "as typed".to_string(),
                Target::Explain => "what Ctrl-E asks".to_string(),
            },
            tokens: count(&question),
            text: question.clone(),
            state: EntryState::Fixed,
            key: None,
        });
        let mut context_tokens = 0;
        let all_pieces: Vec<Piece> = pieces.iter().map(|(p, _)| p.clone()).collect();
        for (piece, state) in pieces {
            let text = prompt::render_piece(&piece);
            let tokens = count(&text);
            if state != EntryState::Dropped {
                context_tokens += tokens;
            }
            entries.push(Entry {
                kind: piece.kind.label().to_string(),
                place: place_of(&piece),
                why: piece.why.clone(),
                tokens,
                text,
                state,
                key: Some(EntryKey::of(&piece)),
            });
        }
        for w in withheld {
            entries.push(Entry {
                kind: "withheld".to_string(),
                place: w.what,
                why: w.reason,
                tokens: 0,
                text: String::new(),
                state: EntryState::Withheld,
                key: None,
            });
        }
        let tokens = messages.iter().map(|m| count(&m.content)).sum();
        Plan {
            target,
            question,
            user,
            label,
            messages,
            entries,
            pieces: all_pieces,
            tokens,
            context_tokens,
            budget: self.config.ai.context_tokens,
            estimated: !tokens::exact(),
        }
    }

    /// The finished exchanges a new request takes along (oldest first), and those the user
    /// dropped: (id, user message as sent, answer).
    pub fn history_for_next(&self) -> (Vec<PastExchange>, Vec<PastExchange>) {
        let mut kept = Vec::new();
        let mut dropped = Vec::new();
        for e in &self.chat.exchanges {
            if e.data.outcome != crate::ai::transcript::Outcome::Done {
                continue;
            }
            let row = (e.data.id, e.data.prompt.clone(), e.data.answer.clone());
            if self.chat.dropped.contains(&EntryKey::Exchange(e.data.id)) {
                dropped.push(row);
            } else {
                kept.push(row);
            }
        }
        (kept, dropped)
    }

    /// A pinned piece cut again from its file as it is now (the buffer if it is open), through
    /// the gate; a piece from no lines (the repo map, an outline) stays as it was.
    fn reread(&self, piece: &Piece) -> Result<Piece, Withheld> {
        if piece.lines.0 == 0 {
            return Ok(piece.clone());
        }
        let gone = |reason: &str| Withheld {
            what: place_of(piece),
            reason: format!("pinned, but {reason}"),
        };
        let absolute = self.root.join(&piece.path);
        let gate = self.gate();
        gate.check_path(&absolute)?;
        let open = self.buffers.iter().find(|b| {
            b.doc.path.as_deref().is_some_and(|p| {
                p == absolute
                    || std::fs::canonicalize(p).ok() == std::fs::canonicalize(&absolute).ok()
            })
        });
        let source = match open {
            Some(b) => b.doc.text().to_string(),
            None => {
                std::fs::read_to_string(&absolute).map_err(|_| gone("the file cannot be read"))?
            }
        };
        let lines = source.split_inclusive('\n').count() as u32;
        if piece.lines.0 > lines {
            return Err(gone("the file no longer has those lines"));
        }
        let last = piece.lines.1.min(lines);
        let text = crate::context::assemble::lines_of(&source, piece.lines.0 - 1, last - 1);
        let (text, _) = gate.redact(&piece.path, &text);
        Ok(Piece {
            lines: (piece.lines.0, last),
            tokens: tokens::count_quick(&text),
            text,
            ..piece.clone()
        })
    }

    /// Drops the entry `key` from the next request, or puts it back.
    pub fn toggle_dropped(&mut self, key: &EntryKey) {
        if !self.chat.dropped.remove(key) {
            self.chat.dropped.insert(key.clone());
            self.chat.pinned.retain(|p| EntryKey::of(p) != *key);
        }
    }

    /// Pins `piece` to every request until unpinned (or unpins it); false for what cannot be
    /// pinned (the conversation, the question).
    pub fn toggle_pinned(&mut self, entry: &Entry, plan: &Plan) -> bool {
        let Some(key @ EntryKey::Piece { .. }) = &entry.key else {
            return false;
        };
        let before = self.chat.pinned.len();
        self.chat.pinned.retain(|p| EntryKey::of(p) != *key);
        if self.chat.pinned.len() == before
            && let Some(piece) = plan.pieces.iter().find(|p| EntryKey::of(p) == *key)
        {
            self.chat.dropped.remove(key);
            self.chat.pinned.push(piece.clone());
        }
        true
    }

    /// After a request went: drops of pieces were for it alone (the next request chooses
    /// its own); drops of earlier exchanges and pins stay.
    pub fn request_sent(&mut self) {
        self.chat
            .dropped
            .retain(|k| matches!(k, EntryKey::Exchange(_)));
    }
}
