//! Syntax highlighting of one buffer: its tree kept in step with the text through each
//! transaction's byte edits, re-parsed incrementally with a deadline (in the background when
//! that is not enough), and highlights computed for the visible rows only, cached by version.

pub mod highlight;
pub mod languages;
pub mod parse;
pub mod registry;

use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

use ropey::Rope;
use tree_sitter::{Language, Parser, Tree};

use crate::core::document::Document;
use crate::syntax::highlight::Span;
use crate::syntax::parse::{input_edit, line_bytes, ts_range};
use crate::syntax::registry::{HighlightConfig, Registry};

/// Files up to this size are parsed whole before the first frame; bigger ones in the
/// background, with the visible part parsed on its own meanwhile (the first frame of any
/// file costs a parse of about a screen, whatever its size).
const SYNC_PARSE_BYTES: usize = 64 << 10;
/// A parse on the UI thread gives up after this long and continues in the background.
const FIRST_PARSE_DEADLINE: Duration = Duration::from_millis(50);
const EDIT_PARSE_DEADLINE: Duration = Duration::from_millis(15);
/// Above this size the whole file is never parsed; the lines around the view are.
pub const FULL_PARSE_MAX_BYTES: usize = 32 << 20;
/// A line longer than this turns syntax off for the buffer: highlighting it would cost
/// more than a keystroke may.
pub const MAX_LINE_BYTES: usize = 64 << 10;
/// Lines parsed above and below the view when only the view is parsed.
const WINDOW_MARGIN_LINES: usize = 60;

/// A parse for a background thread: owned text and, for an incremental parse, the old tree
/// already edited to match it.
pub struct ParseJob {
    pub version: u64,
    language: Language,
    rope: Rope,
    old: Option<Tree>,
}

impl ParseJob {
    pub fn run(self) -> Option<Tree> {
        let mut parser = Parser::new();
        parse::parse(
            &mut parser,
            &self.language,
            &self.rope,
            self.old.as_ref(),
            None,
            None,
        )
    }
}

/// The highlighted runs of the visible lines, in byte offsets of the text.
#[derive(Debug, Clone, Default)]
pub struct Highlights {
    pub version: u64,
    pub lines: Range<usize>,
    pub spans: Vec<Span>,
}

pub struct Syntax {
    config: Arc<HighlightConfig>,
    parser: Parser,
    /// The whole file's tree, its positions matching `tree_version`.
    tree: Option<Tree>,
    tree_version: u64,
    /// The tree was edited to follow the text but not re-parsed since.
    stale: bool,
    /// The version a background parse is running for.
    job: Option<u64>,
    /// A tree of only the lines around the view: (version, bytes covered, tree).
    window: Option<(u64, Range<usize>, Tree)>,
    /// Why highlighting is off for this buffer, if it is.
    off: Option<String>,
    highlights: Option<Highlights>,
    /// Injected languages seen in the view whose queries are not compiled yet.
    wanted: Vec<usize>,
    /// The view was highlighted from a tree edited but not re-parsed (see `prepare`).
    unsettled: bool,
}

impl std::fmt::Debug for Syntax {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Syntax")
            .field("language", &self.config.index)
            .field("tree_version", &self.tree_version)
            .field("stale", &self.stale)
            .field("job", &self.job)
            .field("off", &self.off)
            .finish_non_exhaustive()
    }
}

impl Syntax {
    pub fn new(config: Arc<HighlightConfig>) -> Self {
        Self {
            config,
            parser: Parser::new(),
            tree: None,
            tree_version: 0,
            stale: false,
            job: None,
            window: None,
            off: None,
            highlights: None,
            wanted: Vec::new(),
            unsettled: false,
        }
    }

    /// Whether the view was last highlighted from a tree not yet re-parsed after an edit.
    pub fn is_unsettled(&self) -> bool {
        self.unsettled
    }

    /// Injected languages the view needs compiled, taken once.
    pub fn take_wanted(&mut self) -> Vec<usize> {
        std::mem::take(&mut self.wanted)
    }

    /// Forgets the cached highlights (e.g. a language injected in the view became ready).
    pub fn invalidate(&mut self) {
        self.highlights = None;
    }

    /// Index of the language in the registry.
    pub fn language(&self) -> usize {
        self.config.index
    }

    pub fn highlights(&self) -> Option<&Highlights> {
        self.highlights.as_ref()
    }

    /// What the status line should say about syntax, if anything.
    pub fn note(&self, doc: &Document) -> Option<String> {
        if let Some(off) = &self.off {
            return Some(off.clone());
        }
        if doc.text().len_bytes() > FULL_PARSE_MAX_BYTES {
            return Some(format!(
                "syntax: nearby lines only (over {} MiB)",
                FULL_PARSE_MAX_BYTES >> 20
            ));
        }
        (self.tree.is_none() && self.job.is_some()).then(|| "parsing…".to_string())
    }

    /// Brings the tree up to the document's version and highlights `lines` (the visible
    /// ones). Returns a parse to run in the background when one is needed. While the text
    /// is still partial (`complete` false: a big file loading), only the view is parsed.
    /// With `defer_reparse`, an edited tree is used as it is (its nodes moved along with the
    /// text) and the re-parse is left for after the frame: a keystroke's echo never waits
    /// for the parser.
    pub fn prepare(
        &mut self,
        registry: &Registry,
        doc: &Document,
        lines: Range<usize>,
        complete: bool,
        defer_reparse: bool,
    ) -> Option<ParseJob> {
        let version = doc.version();
        if self.off.is_some() {
            return None;
        }
        if self
            .highlights
            .as_ref()
            .is_some_and(|h| h.version == version && h.lines == lines)
        {
            return None;
        }
        self.unsettled = false;
        let rope = doc.text();
        if let Some(line) = long_line(rope, lines.clone()) {
            self.off = Some(format!(
                "syntax off: line {} is over {} KiB",
                line + 1,
                MAX_LINE_BYTES >> 10
            ));
            self.tree = None;
            self.window = None;
            self.highlights = None;
            return None;
        }
        let job = if complete {
            self.sync(doc, defer_reparse)
        } else {
            self.tree = None;
            None
        };
        // Without a whole-file tree the view's lines are parsed again after each edit: that
        // too waits until after the echo.
        if defer_reparse && self.tree.is_none() && self.highlights.is_some() {
            self.unsettled = true;
        }
        // The frame that echoes a keystroke moves the last highlights along with the edit
        // instead of querying a tree that is about to be re-parsed anyway.
        if self.unsettled
            && let Some(old) = self.highlights.as_mut().filter(|h| h.lines == lines)
            && let Some(edits) = doc.edits_since(old.version)
        {
            for edit in &edits {
                shift_spans(&mut old.spans, edit);
            }
            old.version = version;
            return job;
        }
        let bytes = line_bytes(rope, lines.start, lines.end.saturating_sub(1));
        // The whole-file tree when there is one, else a tree of the lines around the view.
        let tree = match &self.tree {
            Some(tree) => Some(tree.clone()),
            None => self.window_tree(rope, version, &lines),
        };
        let spans = tree.map_or_else(Vec::new, |tree| {
            highlight::highlight(
                registry,
                &self.config,
                &tree,
                rope,
                bytes,
                &mut self.parser,
                &mut self.wanted,
            )
        });
        self.highlights = Some(Highlights {
            version,
            lines,
            spans,
        });
        job
    }

    /// Follows the document's edits with the tree and re-parses it, or says what to parse
    /// in the background.
    fn sync(&mut self, doc: &Document, defer_reparse: bool) -> Option<ParseJob> {
        let version = doc.version();
        let rope = doc.text();
        if rope.len_bytes() > FULL_PARSE_MAX_BYTES {
            self.tree = None;
            return None;
        }
        if let Some(tree) = &mut self.tree
            && self.tree_version != version
        {
            match doc.edits_since(self.tree_version) {
                Some(edits) => {
                    for edit in &edits {
                        tree.edit(&input_edit(edit));
                    }
                    self.stale |= !edits.is_empty();
                    self.tree_version = version;
                }
                None => self.tree = None,
            }
        }
        if self.job.is_some() || (self.tree.is_some() && !self.stale) {
            return None;
        }
        if self.tree.is_some() && defer_reparse {
            self.unsettled = true;
            return None;
        }
        let (deadline, old) = match &self.tree {
            Some(tree) => (EDIT_PARSE_DEADLINE, Some(tree)),
            None if rope.len_bytes() <= SYNC_PARSE_BYTES => (FIRST_PARSE_DEADLINE, None),
            None => return Some(self.start_job(version, rope)),
        };
        let language = self.config.language.clone();
        match parse::parse(&mut self.parser, &language, rope, old, None, Some(deadline)) {
            Some(tree) => {
                self.tree = Some(tree);
                self.tree_version = version;
                self.stale = false;
                None
            }
            None => Some(self.start_job(version, rope)),
        }
    }

    fn start_job(&mut self, version: u64, rope: &Rope) -> ParseJob {
        self.job = Some(version);
        ParseJob {
            version,
            language: self.config.language.clone(),
            rope: rope.clone(),
            old: self.tree.clone(),
        }
    }

    /// A background parse finished: its tree replaces the current one, and the edits made
    /// since it started are replayed onto it at the next frame.
    pub fn job_done(&mut self, version: u64, tree: Option<Tree>) {
        if self.job != Some(version) {
            return;
        }
        self.job = None;
        match tree {
            Some(tree) => {
                self.tree = Some(tree);
                self.tree_version = version;
                self.stale = false;
                self.highlights = None;
            }
            None => {
                self.off = Some("syntax off: the parser gave up on this file".to_string());
            }
        }
    }

    /// A tree of the lines around `lines` alone, for files not (yet) parsed whole.
    fn window_tree(&mut self, rope: &Rope, version: u64, lines: &Range<usize>) -> Option<Tree> {
        let bytes = line_bytes(rope, lines.start, lines.end.saturating_sub(1));
        if let Some((v, covered, tree)) = &self.window
            && *v == version
            && covered.start <= bytes.start
            && bytes.end <= covered.end
        {
            return Some(tree.clone());
        }
        let first = lines.start.saturating_sub(WINDOW_MARGIN_LINES);
        let last = lines.end + WINDOW_MARGIN_LINES;
        let covered = line_bytes(rope, first, last);
        let range = ts_range(rope, covered.clone());
        let language = self.config.language.clone();
        let tree = parse::parse(
            &mut self.parser,
            &language,
            rope,
            None,
            Some(&[range]),
            Some(FIRST_PARSE_DEADLINE),
        )?;
        let _ = self.parser.set_included_ranges(&[]);
        self.window = Some((version, covered, tree.clone()));
        Some(tree)
    }
}

/// Moves highlighted runs along with one edit: text inserted inside a run takes its style,
/// runs after the edit shift, runs deleted away vanish.
fn shift_spans(spans: &mut Vec<Span>, edit: &crate::core::edit_log::ByteEdit) {
    let map = |p: usize| {
        if p <= edit.start_byte {
            p
        } else if p >= edit.old_end_byte {
            p - edit.old_end_byte + edit.new_end_byte
        } else {
            edit.new_end_byte
        }
    };
    for span in spans.iter_mut() {
        span.start = map(span.start);
        span.end = map(span.end);
    }
    spans.retain(|s| s.start < s.end);
}

/// The first of `lines` longer than `MAX_LINE_BYTES`, if any.
fn long_line(rope: &Rope, lines: Range<usize>) -> Option<usize> {
    let last = rope.len_lines();
    (lines.start..lines.end.min(last)).find(|&line| {
        let bytes = line_bytes(rope, line, line);
        bytes.len() > MAX_LINE_BYTES
    })
}

/// Highlights a whole text at once, for tests and tools: the painted runs in byte offsets,
/// and the capture name of each. `None` when the language has no usable queries or the
/// text does not parse.
pub fn highlight_all(
    registry: &Registry,
    language: usize,
    text: &str,
) -> Option<Vec<(Range<usize>, String)>> {
    let config = registry.config(language)?;
    let rope = Rope::from_str(text);
    let mut parser = Parser::new();
    let tree = parse::parse(&mut parser, &config.language, &rope, None, None, None)?;
    // Injected languages are compiled here and now: a tool can wait for them. Each round
    // may find a language injected into an injected one.
    let mut wanted = Vec::new();
    let mut spans = Vec::new();
    for _ in 0..3 {
        spans = highlight::highlight(
            registry,
            &config,
            &tree,
            &rope,
            0..rope.len_bytes(),
            &mut parser,
            &mut wanted,
        );
        if wanted.is_empty() {
            break;
        }
        for lang in wanted.drain(..) {
            let _ = registry.config(lang);
        }
    }
    Some(
        spans
            .into_iter()
            .map(|s| {
                let name = registry.capture_name(s.id).unwrap_or("").to_string();
                (s.start..s.end, name)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::history::EditKind;

    fn rust_syntax(registry: &Registry) -> Syntax {
        let lang = registry.languages().by_name("rust").unwrap();
        Syntax::new(registry.config(lang).unwrap())
    }

    fn names(registry: &Registry, syntax: &Syntax, doc: &Document) -> Vec<(String, String)> {
        let text = doc.text().to_string();
        syntax
            .highlights()
            .unwrap()
            .spans
            .iter()
            .map(|s| {
                let name = registry.capture_name(s.id).unwrap().to_string();
                (text[s.start..s.end].to_string(), name)
            })
            .collect()
    }

    #[test]
    fn the_echo_frame_moves_old_highlights_and_the_settled_one_matches_a_fresh_parse() {
        let registry = Registry::new(None);
        let mut doc = Document::from_rope(Rope::from_str("fn main() { let x = 1; }\n"), None);
        let mut syntax = rust_syntax(&registry);
        assert!(
            syntax
                .prepare(&registry, &doc, 0..10, true, false)
                .is_none()
        );
        doc.move_to(5, false);
        doc.insert("y", EditKind::Insert).unwrap();
        // Deferred: the tree is only edited, the runs shifted; "main" grew into "mayin".
        syntax.prepare(&registry, &doc, 0..10, true, true);
        assert!(syntax.is_unsettled());
        let shifted = names(&registry, &syntax, &doc);
        assert!(
            shifted.contains(&("mayin".to_string(), "function".to_string())),
            "{shifted:?}"
        );
        assert!(
            shifted.contains(&("let".to_string(), "keyword.storage".to_string())),
            "{shifted:?}"
        );
        // Settled: re-parsed and queried, the same as a parse from scratch.
        syntax.invalidate();
        syntax.prepare(&registry, &doc, 0..10, true, false);
        assert!(!syntax.is_unsettled());
        let mut fresh = rust_syntax(&registry);
        fresh.prepare(&registry, &doc, 0..10, true, false);
        assert_eq!(
            names(&registry, &syntax, &doc),
            names(&registry, &fresh, &doc)
        );
    }

    #[test]
    fn a_very_long_line_turns_syntax_off_with_a_reason() {
        let registry = Registry::new(None);
        let text = format!("fn a() {{}}\nlet s = \"{}\";\n", "x".repeat(MAX_LINE_BYTES));
        let doc = Document::from_rope(Rope::from_str(&text), None);
        let mut syntax = rust_syntax(&registry);
        assert!(
            syntax
                .prepare(&registry, &doc, 0..10, true, false)
                .is_none()
        );
        assert!(syntax.highlights().is_none());
        assert_eq!(
            syntax.note(&doc).as_deref(),
            Some("syntax off: line 2 is over 64 KiB")
        );
    }
}
