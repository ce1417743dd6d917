//! AI requests from the editor: finding the provider, asking (a newer question supersedes
//! the running one), explaining the code at the cursor, cancelling, retrying, clearing, and
//! folding each update of a request into the transcript and its journal.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::ai::client::{self, ClientEvent, ClientSettings};
use crate::ai::prompt;
use crate::ai::provider::{self, Provider};
use crate::ai::transcript::{AnswerStats, Exchange, Outcome};
use crate::ai::{AiError, ChatRequest, StreamEvent, tokens};
use crate::app::App;
use crate::chat::{ExchangeView, PendingQuestion, ProviderState, Running};
use crate::context::assemble::Attachment;
use crate::context::engine::Spot;
use crate::event::{AiUpdate, AppEvent, RequestId};
use crate::ui::markdown::MarkdownView;

/// The network side of the pane: a runtime of its own (one worker thread), so streaming and
/// parsing never run on the thread that draws, and one HTTP client for connection reuse.
pub struct AiBackend {
    runtime: Option<tokio::runtime::Runtime>,
    pub(crate) http: reqwest::Client,
}

impl std::fmt::Debug for AiBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AiBackend").finish_non_exhaustive()
    }
}

impl AiBackend {
    pub fn new(settings: &ClientSettings) -> Result<Self, AiError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("caret-ai")
            .enable_all()
            .build()
            .map_err(|e| AiError::Network(format!("cannot start the AI runtime: {e}")))?;
        // reqwest's client must be built inside a runtime for its connection pool's timers.
        let http = {
            let _guard = runtime.enter();
            client::http_client(settings)?
        };
        Ok(Self {
            runtime: Some(runtime),
            http,
        })
    }

    pub(crate) fn spawn<F>(&self, future: F) -> Option<tokio::task::AbortHandle>
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        self.runtime
            .as_ref()
            .map(|rt| rt.spawn(future).abort_handle())
    }
}

impl Drop for AiBackend {
    fn drop(&mut self) {
        // Requests in flight are dropped with their connections; nothing waits for them.
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

/// "not sent: .env (secret file (matches .env))".
pub(crate) fn withheld_message<'a>(
    withheld: impl Iterator<Item = (&'a String, &'a String)>,
) -> String {
    let what: Vec<String> = withheld
        .map(|(what, reason)| format!("{what} ({reason})"))
        .collect();
    if what.is_empty() {
        "nothing here can be sent".to_string()
    } else {
        format!("not sent: {}", what.join(", "))
    }
}

impl App {
    /// Starts finding the provider (config, env, flags; else probing local servers) unless
    /// that is done or under way. Never blocks: a key command runs on the AI thread.
    pub fn ensure_provider(&mut self) {
        if !matches!(self.chat.provider, ProviderState::Unknown) {
            return;
        }
        let flags = self.chat.flags.clone();
        let candidates = self.chat.probe_candidates.clone();
        let config = self.config.ai.clone();
        let events = self.events.clone();
        let Some(backend) = self.ai_backend() else {
            return;
        };
        let http = backend.http.clone();
        let spawned = backend.spawn(async move {
            let resolved = tokio::task::spawn_blocking(move || {
                provider::resolve(&flags, &config, &|k| std::env::var(k).ok())
                    .map(|p| (p, config.probe_local))
            })
            .await
            .unwrap_or_else(|e| Err(AiError::Key(e.to_string())));
            let result = match resolved {
                Ok((Some(p), _)) => client::with_model(&http, p).await.map(Some),
                Ok((None, true)) => {
                    Ok(client::probe_local(&http, &candidates, Duration::from_millis(300)).await)
                }
                Ok((None, false)) => Ok(None),
                Err(e) => Err(e),
            };
            events.send(AppEvent::ProviderResolved(result));
        });
        if spawned.is_some() {
            self.chat.provider = ProviderState::Resolving;
        }
    }

    pub(crate) fn ai_backend(&mut self) -> Option<&AiBackend> {
        if self.ai.is_none() {
            match AiBackend::new(&ClientSettings::from(&self.config.ai)) {
                Ok(b) => self.ai = Some(b),
                Err(e) => {
                    self.chat.provider = ProviderState::Invalid(e.to_string());
                    return None;
                }
            }
        }
        self.ai.as_ref()
    }

    pub fn provider_resolved(&mut self, result: Result<Option<Provider>, AiError>) {
        self.chat.provider = match result {
            Ok(Some(p)) => {
                tracing::info!(provider = %p.label(), "AI provider");
                ProviderState::Ready(p)
            }
            Ok(None) => ProviderState::Missing,
            Err(e) => ProviderState::Invalid(e.to_string()),
        };
        if let Some(pending) = self.chat.pending.take() {
            self.submit_now(pending);
        }
        // The pane's title names the provider; a closed pane has nothing to redraw.
        if self.chat.open {
            self.redraw = true;
        }
    }

    /// Reads the workspace's earlier chat back, once.
    pub fn resume_chat(&mut self) {
        if self.chat.resumed {
            return;
        }
        self.chat.resumed = true;
        match self.chat.journal.load() {
            Ok(exchanges) => {
                let mut views: Vec<ExchangeView> = exchanges
                    .into_iter()
                    .map(|data| {
                        let mut view = MarkdownView::new();
                        view.push(&data.answer, &self.theme, &self.syntax);
                        view.finish(&self.theme, &self.syntax);
                        ExchangeView { data, view }
                    })
                    .collect();
                self.chat.next_id = views.iter().map(|v| v.data.id + 1).max().unwrap_or(1);
                views.append(&mut self.chat.exchanges);
                self.chat.exchanges = views;
            }
            Err(e) => self.set_error(format!(
                "cannot read the chat transcript {}: {e}",
                self.chat.journal.path().display()
            )),
        }
    }

    /// Sends a plan (see `plan.rs`): its user message goes with the conversation it was made
    /// with. A running request is cancelled first: the newer question wins.
    pub fn send_plan(&mut self, plan: super::plan::Plan) {
        self.request_sent();
        let withheld: Vec<_> = plan.withheld().map(|e| (&e.place, &e.why)).collect();
        let notice = (!withheld.is_empty()).then(|| withheld_message(withheld.into_iter()));
        self.submit(PendingQuestion {
            question: plan.question,
            user: plan.user,
            context: plan.label,
            notice,
            edit: None,
            fix: false,
        });
    }

    /// Sends a question once the provider is known. Without a usable one the search runs
    /// again first (a local server may have been started since).
    pub(crate) fn submit(&mut self, question: PendingQuestion) {
        if matches!(
            self.chat.provider,
            ProviderState::Missing | ProviderState::Invalid(_)
        ) {
            self.chat.provider = ProviderState::Unknown;
        }
        self.submit_now(question);
    }

    /// `submit` with what is known of the provider now (after a search, its result stands).
    fn submit_now(&mut self, pending: PendingQuestion) {
        self.resume_chat();
        // An inline edit or a fix shows in the text, not the pane (the reply is kept there).
        if pending.edit.is_none() && !pending.fix {
            self.chat.open = true;
        }
        self.chat.scroll = 0;
        match &self.chat.provider {
            ProviderState::Unknown | ProviderState::Resolving => {
                self.chat.pending = Some(pending);
                self.ensure_provider();
            }
            ProviderState::Missing => self.show_setup_help(pending, None),
            ProviderState::Invalid(e) => {
                let e = e.clone();
                self.show_setup_help(pending, Some(e));
            }
            ProviderState::Ready(_) => self.send(pending),
        }
    }

    /// Sends a user message (question plus code) with the conversation so far.
    fn send(&mut self, pending: PendingQuestion) {
        let PendingQuestion {
            question,
            user,
            context,
            notice,
            edit,
            fix,
        } = pending;
        let ProviderState::Ready(provider) = self.chat.provider.clone() else {
            return;
        };
        self.cancel_request("superseded by a newer question");
        // The same choice the inspector showed: finished exchanges the user did not drop.
        let history: Vec<(String, String)> = self
            .history_for_next()
            .0
            .into_iter()
            .map(|(_, q, a)| (q, a))
            .collect();
        tokens::warm_up();
        let messages = match &edit {
            Some(spec) => vec![
                crate::ai::ChatMessage::new(crate::ai::Role::System, spec.system.clone()),
                crate::ai::ChatMessage::new(crate::ai::Role::User, user.clone()),
            ],
            None if fix => vec![
                crate::ai::ChatMessage::new(
                    crate::ai::Role::System,
                    format!("{}\n\n{}", prompt::SYSTEM, prompt::EDIT_FORMAT),
                ),
                crate::ai::ChatMessage::new(crate::ai::Role::User, user.clone()),
            ],
            None => prompt::conversation(
                &history,
                user.clone(),
                self.config.ai.history_tokens,
                &tokens::count_quick,
            ),
        };
        let request = ChatRequest {
            messages,
            max_tokens: self.config.ai.max_tokens,
            temperature: None,
        };
        let id = self.chat.next_id;
        self.chat.next_id += 1;
        let exchange = Exchange {
            id,
            question,
            prompt: user,
            context,
            answer: String::new(),
            outcome: Outcome::Running,
            stats: AnswerStats {
                model: provider.model.clone(),
                input_tokens: None,
                ..AnswerStats::default()
            },
        };
        self.journal(|j| j.question(&exchange));
        self.chat.exchanges.push(ExchangeView {
            data: exchange,
            view: MarkdownView::new(),
        });
        self.spawn_request(id, provider, request, notice);
        if let Some(spec) = edit {
            self.start_edit_review(id, spec);
        }
        self.chat.fix_request = fix.then_some(id);
        self.redraw = true;
    }

    fn spawn_request(
        &mut self,
        id: RequestId,
        provider: Provider,
        request: ChatRequest,
        notice: Option<String>,
    ) {
        let sent: String = request
            .messages
            .iter()
            .map(|m| m.content.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let settings = ClientSettings::from(&self.config.ai);
        let events = self.events.clone();
        let Some(backend) = self.ai_backend() else {
            return;
        };
        let http = backend.http.clone();
        let waiting = Arc::new(AtomicBool::new(true));
        let ticking = waiting.clone();
        let ticks = events.clone();
        let abort = backend.spawn(async move {
            let stream = async {
                let mut on = |event: ClientEvent| {
                    if matches!(event, ClientEvent::Stream(StreamEvent::Delta(_))) {
                        waiting.store(false, Ordering::Relaxed);
                    }
                    events.send(AppEvent::Ai {
                        id,
                        update: AiUpdate::Client(event),
                    });
                };
                let result =
                    client::stream_chat(&http, &provider, &request, &settings, &mut on).await;
                events.send(AppEvent::Ai {
                    id,
                    update: AiUpdate::Finished(result),
                });
            };
            // The spinner and the retry countdown move while nothing else would redraw.
            let ticker = async {
                loop {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    if ticking.load(Ordering::Relaxed) {
                        ticks.send(AppEvent::AiTick);
                    }
                }
            };
            tokio::select! {
                () = stream => {}
                () = ticker => {}
            }
        });
        let Some(abort) = abort else {
            return;
        };
        self.chat.running = Some(Running {
            id,
            abort,
            started: Instant::now(),
            first_token: None,
            deltas: 0,
            retry: None,
            sent,
            notice,
        });
    }

    /// Folds an update of request `id` into the transcript; updates of any other request are
    /// stale and dropped.
    pub fn ai_update(&mut self, id: RequestId, update: AiUpdate) {
        if self.chat.running.as_ref().is_none_or(|r| r.id != id) {
            return;
        }
        match update {
            AiUpdate::Client(ClientEvent::Retrying {
                delay,
                reason,
                attempt,
            }) => {
                if let Some(r) = &mut self.chat.running {
                    r.retry = Some((Instant::now() + delay, reason.clone()));
                }
                tracing::info!(attempt, %reason, "AI request will be retried");
                self.redraw = true;
            }
            AiUpdate::Client(ClientEvent::Stream(event)) => self.stream_event(id, event),
            AiUpdate::Finished(result) => self.request_finished(id, result),
        }
    }

    fn stream_event(&mut self, id: RequestId, event: StreamEvent) {
        match event {
            StreamEvent::Delta(text) => {
                if let Some(r) = &mut self.chat.running {
                    r.first_token.get_or_insert_with(Instant::now);
                    r.retry = None;
                    r.deltas += 1;
                }
                self.journal(|j| j.delta(id, &text));
                if let Some(e) = self.chat.exchange_mut(id) {
                    e.data.answer.push_str(&text);
                    e.view.push(&text, &self.theme, &self.syntax);
                }
                self.chat.stream_dirty = true;
                if text.contains('\n') {
                    self.review_stream(id);
                }
            }
            StreamEvent::Usage(usage) => {
                if let Some(e) = self.chat.exchange_mut(id) {
                    e.data.stats.input_tokens = usage.input.or(e.data.stats.input_tokens);
                    e.data.stats.output_tokens = usage.output.or(e.data.stats.output_tokens);
                }
            }
            StreamEvent::Finished(_) | StreamEvent::End => {}
        }
    }

    fn request_finished(&mut self, id: RequestId, result: Result<(), AiError>) {
        let outcome = match result {
            Ok(()) => Outcome::Done,
            Err(e) => Outcome::Failed(e.to_string()),
        };
        let failed = matches!(outcome, Outcome::Failed(_));
        let notice = self
            .chat
            .running
            .as_ref()
            .filter(|r| r.id == id)
            .and_then(|r| r.notice.clone());
        let edit = self.is_edit_request(id);
        let fix = self.chat.fix_request.take_if(|f| *f == id).is_some();
        self.end_exchange(id, outcome.clone());
        if edit {
            self.review_reply_ended(id, &outcome);
        } else if fix && !failed {
            self.fix_reply_ended(id, true);
        } else if failed {
            self.set_error("AI request failed — see the chat pane (Ctrl-L); Alt-R retries");
        } else if let Some(e) = self.chat.exchanges.last() {
            let mut text = format!("answer: {}", super::footer(&e.data));
            if let Some(notice) = notice {
                text = format!("{notice} · {text}");
            }
            self.set_message(text);
        }
    }

    /// Closes the books on an exchange: figures, outcome, journal.
    fn end_exchange(&mut self, id: RequestId, outcome: Outcome) {
        let Some(running) = self.chat.running.take() else {
            return;
        };
        let local = matches!(&self.chat.provider, ProviderState::Ready(p) if p.is_local());
        let Some(e) = self.chat.exchange_mut(id) else {
            return;
        };
        e.view.finish(&self.theme, &self.syntax);
        let stats = &mut e.data.stats;
        stats.duration_ms = Some(running.started.elapsed().as_millis() as u64);
        stats.ttft_ms = running
            .first_token
            .map(|t| t.duration_since(running.started).as_millis() as u64);
        // Counted here when the API did not say: with tiktoken's table, loaded on a thread
        // when the request went out (never waited for on this thread: a request that ended
        // before it was in gets an estimate).
        if stats.output_tokens.is_none() && !e.data.answer.is_empty() {
            stats.output_tokens = Some(tokens::count_quick(&e.data.answer) as u64);
            stats.counted = true;
        }
        if stats.input_tokens.is_none() && stats.output_tokens.is_some() {
            stats.input_tokens = Some(tokens::count_quick(&running.sent) as u64);
            stats.counted = true;
        }
        if let (Some(i), Some(o)) = (stats.input_tokens, stats.output_tokens) {
            stats.cost = crate::ai::cost::estimate(&stats.model, i, o, local);
        }
        e.data.outcome = outcome;
        let data = e.data.clone();
        self.journal(|j| j.end(&data));
        self.chat.stream_dirty = false;
        self.redraw = true;
        // A finished answer joins the conversation the next request carries.
        if matches!(self.overlay, crate::app::Overlay::Inspector(_)) {
            self.replan();
        }
    }

    /// Stops the running request at once (its connection is dropped); the partial answer stays.
    pub fn cancel_request(&mut self, why: &str) -> bool {
        let Some(running) = &self.chat.running else {
            return false;
        };
        running.abort.abort();
        let id = running.id;
        tracing::info!(id, why, "AI request cancelled");
        self.end_exchange(id, Outcome::Cancelled);
        self.review_reply_ended(id, &Outcome::Cancelled);
        true
    }

    /// Asks the last question again, with the same code (after a failure, a cancel, or to
    /// get another answer).
    pub fn retry_last(&mut self) {
        let Some(last) = self
            .chat
            .exchanges
            .iter()
            .rev()
            .find(|e| !e.data.prompt.is_empty())
        else {
            self.set_message("nothing to retry");
            return;
        };
        let pending = PendingQuestion {
            question: last.data.question.clone(),
            user: last.data.prompt.clone(),
            context: last.data.context.clone(),
            notice: None,
            edit: None,
            fix: false,
        };
        self.submit(pending);
    }

    /// Forgets the conversation, on screen and on disk.
    pub fn clear_chat(&mut self) {
        self.cancel_request("chat cleared");
        self.chat.exchanges.clear();
        self.chat.scroll = 0;
        self.chat.resumed = true;
        match self.chat.journal.clear() {
            Ok(()) => self.set_message("AI chat cleared"),
            Err(e) => self.set_error(format!("cannot clear the chat transcript: {e}")),
        }
    }

    /// Answers a question that cannot go out with how to set a provider up (and, when the
    /// configuration is what is wrong, what is wrong with it).
    fn show_setup_help(&mut self, pending: PendingQuestion, problem: Option<String>) {
        self.chat.open = true;
        let id = self.chat.next_id;
        self.chat.next_id += 1;
        let mut view = MarkdownView::new();
        let help = match &problem {
            Some(p) => format!("The AI provider is not usable: {p}\n"),
            None => crate::chat::SETUP_HELP.to_string(),
        };
        view.push(&help, &self.theme, &self.syntax);
        view.finish(&self.theme, &self.syntax);
        self.chat.exchanges.push(ExchangeView {
            data: Exchange {
                id,
                question: pending.question,
                // Kept, so the question can be asked again once a provider is there.
                prompt: pending.user,
                context: pending.context,
                answer: String::new(),
                outcome: Outcome::Failed(if problem.is_some() {
                    "provider problem".to_string()
                } else {
                    "no AI provider".to_string()
                }),
                stats: AnswerStats::default(),
            },
            view,
        });
        self.set_error(match problem {
            Some(p) => format!("AI: {p}"),
            None => "no AI provider configured — see the chat pane".to_string(),
        });
    }

    /// Ctrl-E: explains the selection, or the item at the cursor, with what it uses.
    pub fn explain(&mut self) {
        let Some(plan) = self.plan(super::plan::Target::Explain) else {
            return;
        };
        if plan.sends_no_code() {
            self.set_error(withheld_message(
                plan.withheld().map(|e| (&e.place, &e.why)),
            ));
            return;
        }
        self.send_plan(plan);
    }

    /// The code the next question is about: the selection, else the item at the cursor —
    /// chosen by the context engine once the workspace is indexed (with the definitions it
    /// uses), by the syntax tree of the file alone until then.
    pub fn cursor_attachment(&self) -> Option<Attachment> {
        let doc = self.doc();
        let sel = doc.selection();
        let text = doc.text();
        let line = |pos: usize| text.char_to_line(pos) as u32;
        let spot = if sel.is_empty() {
            Spot::Line(line(doc.cursor()))
        } else {
            Spot::Lines(
                line(sel.from()),
                line(sel.to().saturating_sub(1).max(sel.from())),
            )
        };
        self.attachment_at(&spot)
    }

    /// The code for a spot of the current buffer (see [`App::cursor_attachment`]).
    pub fn attachment_at(&self, spot: &Spot) -> Option<Attachment> {
        let buf = self.buf();
        if buf.loading.is_some() {
            return None;
        }
        let doc = &buf.doc;
        let text = doc.text();
        let budget = self.config.ai.context_tokens;
        let spot = spot.clone();
        let current_text = text.to_string();
        if let (Some(engine), Some(path)) = (&self.engine, &doc.path)
            && let Some(rel) = engine.relative(path)
        {
            let ctx = engine.context(&rel, &current_text, &spot, budget, &tokens::count_quick);
            return Attachment::from_context(ctx);
        }
        // Before the index is ready: the same choice from this file alone (its item, headers
        // and imports, no definitions from elsewhere), through the same gate.
        let tags = self
            .fallback_tags
            .get_or_init(|| crate::context::tags::Tags::new(self.syntax.languages(), None));
        let symbols = buf
            .syntax_language
            .and_then(|lang| tags.extract(lang, &current_text))
            .unwrap_or_default();
        let language = buf
            .syntax_language
            .and_then(|i| self.syntax.language(i))
            .map(|l| l.name.clone());
        let path = match &doc.path {
            Some(p) => self.display_path(Some(p)),
            None => buf.display_name(),
        };
        let (line, selection) = match spot {
            Spot::Lines(a, b) => (a, Some((a, b))),
            Spot::Line(l) => (l, None),
            Spot::WholeFile => (0, None),
        };
        let here = crate::context::assemble::Here {
            path: &path,
            text: &current_text,
            symbols: &symbols,
            language: language.as_deref(),
            line,
            selection,
        };
        let index = crate::context::index::Index::default();
        let gate = self.gate();
        let ctx = crate::context::assemble::for_position(
            &index,
            gate,
            &here,
            &std::collections::HashMap::new(),
            budget,
            &tokens::count_quick,
        );
        Attachment::from_context(ctx)
    }

    /// Appends to the journal; a failure is reported once, and the chat goes on in memory.
    fn journal(
        &mut self,
        write: impl FnOnce(&mut crate::ai::transcript::Journal) -> std::io::Result<()>,
    ) {
        if let Err(e) = write(&mut self.chat.journal)
            && !self.chat.journal_failed
        {
            self.chat.journal_failed = true;
            let path = self.chat.journal.path().display().to_string();
            self.set_error(format!("cannot write the chat transcript {path}: {e}"));
        }
    }
}
