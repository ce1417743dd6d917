//! The context engine of one workspace: its gate, its symbol index, and the choice of what
//! to send for a place in a file — the one road by which repository text reaches a model.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::assemble::{self, Context, Here, Piece, PieceKind};
use super::gate::Gate;
use super::index::{Index, Progress};
use super::rank::Ranking;
use super::tags::{FileSymbols, Tags};
use super::workspace::{self, BuildReport};
use crate::syntax::languages::Languages;

/// (index version, focus file, ranking).
type RankCache = (u64, Option<u32>, Arc<Ranking>);

pub struct Engine {
    pub root: PathBuf,
    pub languages: Languages,
    pub tags: Tags,
    pub gate: Gate,
    pub index: Index,
    pub report: BuildReport,
    /// Bumped whenever the index changes, so cached rankings are known stale.
    pub(super) version: u64,
    /// Buffers edited and not saved, indexed from their text: path → document version.
    buffers: HashMap<String, u64>,
    /// The last ranking: (index version, focus file, ranking). Questions come in runs from
    /// the same file; ranking the whole graph each time would cost more than the rest of
    /// choosing the context.
    ranked: Mutex<Option<RankCache>>,
    /// What @-mentions can name, in rank order, for the index version it was listed from:
    /// completion runs on every keystroke, the listing only when the index changed.
    pub(super) mentionable: Mutex<Option<Arc<super::candidates::Mentionable>>>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("root", &self.root)
            .field("report", &self.report)
            .finish_non_exhaustive()
    }
}

/// Where the question points, in a file of the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spot {
    /// 0-based line.
    Line(u32),
    /// 0-based inclusive lines.
    Lines(u32, u32),
    WholeFile,
}

impl Engine {
    /// Opens the workspace at `root`: the gate, then the index (through its cache).
    pub fn open(
        root: &Path,
        languages: Languages,
        grammars: Option<PathBuf>,
        cache: Option<&Path>,
        progress: &Progress,
    ) -> Self {
        let tags = Tags::new(&languages, grammars);
        let gate = Gate::new(root);
        let (index, report) = workspace::index(&gate, &languages, &tags, cache, progress);
        Self {
            root: gate.root().to_path_buf(),
            languages,
            tags,
            gate,
            index,
            report,
            version: 0,
            buffers: HashMap::new(),
            ranked: Mutex::new(None),
            mentionable: Mutex::new(None),
        }
    }

    /// Indexes `path` again from the disk (saved, changed, created or deleted): only that
    /// file's entry and names change.
    pub fn refresh(&mut self, path: &Path) {
        let Some(rel) = self.relative(path) else {
            return;
        };
        // The disk has the say now; an edited buffer is indexed again when next asked.
        self.buffers.remove(&rel);
        self.index.set_unsaved(&rel, None);
        if self.gate.check_path(path).is_err() {
            self.index.update(None, &rel);
            self.version += 1;
            return;
        }
        let entry = std::fs::read(path).ok().map(|bytes| {
            let meta = std::fs::metadata(path).ok();
            let indexer = super::index::Indexer {
                languages: &self.languages,
                tags: &self.tags,
            };
            indexer.entry_for_text(
                rel.clone(),
                bytes.len() as u64,
                meta.map_or(0, |m| super::index::mtime_of(&m)),
                crate::config::fnv1a(&bytes),
                &bytes,
            )
        });
        self.index.update(entry, &rel);
        self.version += 1;
    }

    /// The document version an unsaved buffer of `rel` was indexed at.
    pub fn buffer_version(&self, rel: &str) -> Option<u64> {
        self.buffers.get(rel).copied()
    }

    /// Indexes the unsaved text of a buffer (document `version`): its definitions and the
    /// pieces cut from it follow the edits, not the file on disk.
    pub fn edit_buffer(&mut self, rel: &str, version: u64, text: &str) {
        if self.gate.check_path(&self.root.join(rel)).is_err() {
            return;
        }
        self.update_text(rel, text, None);
        self.index.set_unsaved(rel, Some(text.to_string()));
        self.buffers.insert(rel.to_string(), version);
    }

    /// Buffers no longer edited (saved, closed, reverted) go back to their files.
    pub fn forget_buffers_except(&mut self, edited: &HashSet<String>) {
        let gone: Vec<String> = self
            .buffers
            .keys()
            .filter(|rel| !edited.contains(*rel))
            .cloned()
            .collect();
        for rel in gone {
            let path = self.root.join(&rel);
            self.refresh(&path);
        }
    }

    /// Indexes a buffer's text as it is now, with the syntax tree the editor already has for it
    /// when there is one (so only the queries run, not a parse).
    pub fn update_text(&mut self, rel: &str, text: &str, tree: Option<&tree_sitter::Tree>) {
        let first = text.lines().next().unwrap_or("");
        let lang = self.languages.detect(Some(Path::new(rel)), first);
        let symbols = match (lang, tree) {
            (Some(l), Some(tree)) => self.tags.extract_tree(l, tree, text),
            (Some(l), None) => self.tags.extract(l, text),
            _ => None,
        }
        .unwrap_or_default();
        let entry = super::index::FileEntry {
            path: rel.to_string(),
            size: text.len() as u64,
            mtime: 0,
            hash: crate::config::fnv1a(text.as_bytes()),
            language: lang
                .and_then(|l| self.languages.get(l))
                .map(|l| l.name.clone()),
            lines: text.lines().count() as u32,
            symbols,
        };
        self.index.update(Some(entry), rel);
        self.version += 1;
    }

    /// The ranking personalised on `file`, from the cache when the index is unchanged.
    pub(super) fn ranking(&self, file: Option<u32>) -> Arc<Ranking> {
        if let Some(ranking) = self.cached_ranking(file) {
            return ranking;
        }
        let mut focus = HashMap::new();
        if let Some(i) = file {
            focus.insert(i, 1.0);
        }
        let ranking = Arc::new(super::rank::rank(&self.index, &focus, &HashSet::new()));
        if let Ok(mut cached) = self.ranked.lock() {
            *cached = Some((self.version, file, Arc::clone(&ranking)));
        }
        ranking
    }

    /// The ranking personalised on `file` if it is cached for the index as it is.
    pub(super) fn cached_ranking(&self, file: Option<u32>) -> Option<Arc<Ranking>> {
        let cached = self.ranked.lock().ok()?;
        let (version, focus, ranking) = cached.as_ref()?;
        (*version == self.version && *focus == file).then(|| Arc::clone(ranking))
    }

    /// The path of `path` relative to the root, with `/` separators (`None` outside it).
    pub fn relative(&self, path: &Path) -> Option<String> {
        super::index::relative(&self.root, path).or_else(|| {
            // The same file by another name (a symlinked folder on the way).
            super::index::relative(&self.root, &std::fs::canonicalize(path).ok()?)
        })
    }

    /// The symbols of a text as it is now (an unsaved buffer, or a file just read).
    pub fn symbols_of(&self, rel: &str, text: &str) -> (FileSymbols, Option<String>) {
        // Unchanged since it was indexed: no need to parse it again.
        if let Some((_, entry)) = self.index.file(rel)
            && entry.hash == crate::config::fnv1a(text.as_bytes())
            && entry.size == text.len() as u64
        {
            return (entry.symbols.clone(), entry.language.clone());
        }
        let first = text.lines().next().unwrap_or("");
        let lang = self.languages.detect(Some(Path::new(rel)), first);
        let name = lang
            .and_then(|l| self.languages.get(l))
            .map(|l| l.name.clone());
        let symbols = lang
            .filter(|l| self.tags.supports(*l))
            .and_then(|l| self.tags.extract(l, text))
            .unwrap_or_default();
        (symbols, name)
    }

    /// What to send about `spot` in the file `rel` whose text is `text`, within `budget`.
    pub fn context(
        &self,
        rel: &str,
        text: &str,
        spot: &Spot,
        budget: usize,
        count: &dyn Fn(&str) -> usize,
    ) -> Context {
        let (symbols, language) = self.symbols_of(rel, text);
        if *spot == Spot::WholeFile {
            return self.whole_file(rel, text, language, budget, count);
        }
        let (line, selection) = match *spot {
            Spot::Line(l) => (l, None),
            Spot::Lines(a, b) => (a, Some((a, b))),
            Spot::WholeFile => (0, None),
        };
        let ranking = self.ranking(self.index.file(rel).map(|(i, _)| i));
        let here = Here {
            path: rel,
            text,
            symbols: &symbols,
            language: language.as_deref(),
            line,
            selection,
        };
        assemble::for_position(&self.index, &self.gate, &here, &ranking.defs, budget, count)
    }

    fn whole_file(
        &self,
        rel: &str,
        text: &str,
        language: Option<String>,
        budget: usize,
        count: &dyn Fn(&str) -> usize,
    ) -> Context {
        let mut ctx = Context {
            budget,
            ..Context::default()
        };
        if let Err(w) = self.gate.check_path(&self.root.join(rel)) {
            ctx.withheld.push(w);
            return ctx;
        }
        let (redacted, withheld) = self.gate.redact(rel, text);
        ctx.withheld = withheld;
        // As many whole lines as fit.
        let mut kept = String::new();
        let mut used = 0;
        let mut last = 0;
        for (n, line) in redacted.split_inclusive('\n').enumerate() {
            let cost = count(line);
            if used + cost > budget {
                break;
            }
            used += cost;
            kept.push_str(line);
            last = n as u32;
        }
        let all = redacted.lines().count() as u32;
        let why = if last + 1 < all {
            format!("the whole file, first {} of {all} lines", last + 1)
        } else {
            "the whole file".to_string()
        };
        ctx.pieces.push(Piece {
            kind: PieceKind::EnclosingItem,
            path: rel.to_string(),
            lines: (1, last + 1),
            why,
            tokens: count(&kept),
            text: kept,
            language,
        });
        ctx
    }
}
