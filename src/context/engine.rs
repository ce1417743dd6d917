//! The context engine of one workspace: its gate, its symbol index, and the choice of what
//! to send for a place in a file — the one road by which repository text reaches a model.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::assemble::{self, Context, Here, Piece, PieceKind};
use super::gate::Gate;
use super::index::{Index, Progress};
use super::tags::{FileSymbols, Tags};
use super::workspace::{self, BuildReport};
use crate::syntax::languages::Languages;

/// (index version, focus file, definition ranks).
type RankCache = (
    u64,
    Option<u32>,
    std::sync::Arc<HashMap<super::index::DefId, f64>>,
);

pub struct Engine {
    pub root: PathBuf,
    pub languages: Languages,
    pub tags: Tags,
    pub gate: Gate,
    pub index: Index,
    pub report: BuildReport,
    /// Bumped whenever the index changes, so cached rankings are known stale.
    version: u64,
    /// Buffers edited and not saved, indexed from their text: path → document version.
    buffers: HashMap<String, u64>,
    /// The last ranking: (index version, focus file, definition ranks). Questions come in
    /// runs from the same file; ranking the whole graph each time would cost more than the
    /// rest of choosing the context.
    ranked: std::sync::Mutex<Option<RankCache>>,
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
            ranked: std::sync::Mutex::new(None),
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

    /// Pieces for what a question names: workspace definitions it mentions by name (specific
    /// names only: `parse_config`, `Circle`, not `new`) and files by path, at most `budget`
    /// tokens. With nothing named and `map_if_nothing`, the repo map instead.
    pub fn mentions(
        &self,
        question: &str,
        map_if_nothing: bool,
        budget: usize,
        count: &dyn Fn(&str) -> usize,
    ) -> Context {
        let mut ctx = Context {
            budget,
            ..Context::default()
        };
        let mut used = 0;
        let mut seen = HashSet::new();
        let words = question
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '/' || c == '-'))
            .map(|w| w.trim_matches('.'))
            .filter(|w| w.len() > 2);
        for word in words {
            if !seen.insert(word.to_string()) {
                continue;
            }
            let piece = if word.contains('/') || word.contains('.') {
                self.mentioned_file(word, count)
            } else if super::rank::specificity(word) >= 1.0 && !word.chars().all(char::is_lowercase)
            {
                self.mentioned_definition(word, count)
            } else {
                None
            };
            let Some(piece) = piece else {
                continue;
            };
            if let Err(w) = self.gate.check_path(&self.root.join(&piece.path)) {
                ctx.withheld.push(w);
                continue;
            }
            let (text, withheld) = self.gate.redact(&piece.path, &piece.text);
            let tokens = count(&text);
            if used + tokens > budget {
                continue;
            }
            used += tokens;
            ctx.withheld.extend(withheld);
            ctx.pieces.push(Piece {
                text,
                tokens,
                ..piece
            });
        }
        if ctx.pieces.is_empty() && map_if_nothing {
            let ranking = super::rank::rank(&self.index, &HashMap::new(), &HashSet::new());
            let (map, _) = super::map::fit(&self.index, &ranking, budget, count);
            if !map.is_empty() {
                ctx.pieces.push(Piece {
                    kind: PieceKind::RepoMap,
                    path: ".".to_string(),
                    lines: (0, 0),
                    why: "the most referenced definitions of the workspace".to_string(),
                    tokens: count(&map),
                    text: map,
                    language: None,
                });
            }
        }
        ctx
    }

    fn mentioned_definition(&self, name: &str, count: &dyn Fn(&str) -> usize) -> Option<Piece> {
        let ranks = self.def_ranks(None);
        let id = *self.index.definitions(name).iter().max_by(|a, b| {
            let ra = ranks.get(a).copied().unwrap_or(0.0);
            let rb = ranks.get(b).copied().unwrap_or(0.0);
            ra.total_cmp(&rb)
        })?;
        let (file, def) = self.index.def(id)?;
        let source = self.index.source(&file.path)?;
        let lines = def
            .item
            .and_then(|i| file.symbols.items.get(i as usize))
            .map_or((def.line, def.line), |it| it.lines);
        let text = assemble::lines_of(&source, lines.0, lines.1);
        Some(Piece {
            kind: PieceKind::Mention,
            path: file.path.clone(),
            lines: (lines.0 + 1, lines.1 + 1),
            why: format!("defines `{name}`, named in the question"),
            tokens: count(&text),
            text,
            language: file.language.clone(),
        })
    }

    fn mentioned_file(&self, word: &str, count: &dyn Fn(&str) -> usize) -> Option<Piece> {
        let word = word.trim_start_matches("./");
        let file = self
            .index
            .files
            .iter()
            .find(|f| f.path == word || f.path.ends_with(&format!("/{word}")))?;
        let text = self.index.source(&file.path)?;
        Some(Piece {
            kind: PieceKind::Mention,
            path: file.path.clone(),
            lines: (1, file.lines.max(1)),
            why: "the file named in the question".to_string(),
            tokens: count(&text),
            text,
            language: file.language.clone(),
        })
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

    /// Definition ranks personalised on `file`, from the cache when the index is unchanged.
    fn def_ranks(&self, file: Option<u32>) -> std::sync::Arc<HashMap<super::index::DefId, f64>> {
        if let Ok(cached) = self.ranked.lock()
            && let Some((version, focus, ranks)) = &*cached
            && *version == self.version
            && *focus == file
        {
            return std::sync::Arc::clone(ranks);
        }
        let mut focus = HashMap::new();
        if let Some(i) = file {
            focus.insert(i, 1.0);
        }
        let ranks =
            std::sync::Arc::new(super::rank::rank(&self.index, &focus, &HashSet::new()).defs);
        if let Ok(mut cached) = self.ranked.lock() {
            *cached = Some((self.version, file, std::sync::Arc::clone(&ranks)));
        }
        ranks
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
        let ranks = self.def_ranks(self.index.file(rel).map(|(i, _)| i));
        let here = Here {
            path: rel,
            text,
            symbols: &symbols,
            language: language.as_deref(),
            line,
            selection,
        };
        assemble::for_position(&self.index, &self.gate, &here, &ranks, budget, count)
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
