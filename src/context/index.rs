//! The workspace's symbol index: every source file the gate lets through, parsed in parallel
//! for its definitions, references, items and imports; cached on disk by path, size, mtime
//! and content hash (so a repository is scanned once, not per request); updated one file at
//! a time from file-watch events and buffer edits.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::tags::{FileSymbols, Tags};
use crate::config::fnv1a;
use crate::syntax::languages::Languages;

/// Files bigger than this are listed but not parsed: generated or vendored, not read by people.
pub const MAX_FILE_BYTES: u64 = 1 << 20;
/// Bumped when the cached shape or the extraction changes, so old caches are not trusted.
const CACHE_VERSION: u32 = 1;

/// One indexed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the workspace root, with `/` separators.
    pub path: String,
    pub size: u64,
    /// Modification time in nanoseconds since the epoch (0 when unknown).
    pub mtime: u128,
    /// FNV-1a of the content.
    pub hash: u64,
    /// The language's name (as in languages.toml), if one was detected.
    pub language: Option<String>,
    pub lines: u32,
    pub symbols: FileSymbols,
}

/// Where a definition is: (file index, definition index in that file).
pub type DefId = (u32, u32);

/// The index of one workspace.
#[derive(Debug, Default)]
pub struct Index {
    pub root: PathBuf,
    pub files: Vec<FileEntry>,
    by_path: HashMap<String, u32>,
    /// Every definition of each name.
    defs_by_name: HashMap<String, Vec<DefId>>,
    /// The text of files edited in the editor and not saved: what their entries describe,
    /// so pieces are cut from the text the lines refer to.
    unsaved: HashMap<String, String>,
}

#[derive(Serialize, Deserialize)]
struct Cache {
    version: u32,
    caret: String,
    files: Vec<FileEntry>,
}

/// Progress of a build, readable from another thread (for the status line).
#[derive(Debug, Default)]
pub struct Progress {
    pub done: AtomicUsize,
    pub total: AtomicUsize,
}

/// `path` relative to `root` with `/` separators, as the index names files.
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

pub fn mtime_of(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// What indexing one file needs besides the file.
pub struct Indexer<'a> {
    pub languages: &'a Languages,
    pub tags: &'a Tags,
}

impl Indexer<'_> {
    /// Reads and indexes `path`; `cached` is reused when the file did not change (same size
    /// and mtime; or same content hash).
    fn index_file(
        &self,
        root: &Path,
        path: &Path,
        cached: Option<&FileEntry>,
    ) -> Option<FileEntry> {
        let meta = std::fs::metadata(path).ok()?;
        let rel = relative(root, path)?;
        let size = meta.len();
        let mtime = mtime_of(&meta);
        if let Some(c) = cached
            && c.size == size
            && c.mtime == mtime
            && mtime != 0
        {
            return Some(c.clone());
        }
        if size > MAX_FILE_BYTES {
            return Some(FileEntry {
                path: rel,
                size,
                mtime,
                hash: 0,
                language: None,
                lines: 0,
                symbols: FileSymbols::default(),
            });
        }
        let bytes = std::fs::read(path).ok()?;
        let hash = fnv1a(&bytes);
        if let Some(c) = cached
            && c.hash == hash
        {
            return Some(FileEntry { mtime, ..c.clone() });
        }
        Some(self.entry_for_text(rel, size, mtime, hash, &bytes))
    }

    /// Indexes a text (a file's bytes, or a buffer's current text).
    pub fn entry_for_text(
        &self,
        rel: String,
        size: u64,
        mtime: u128,
        hash: u64,
        bytes: &[u8],
    ) -> FileEntry {
        // Binary files have no symbols to offer.
        let text = if bytes.contains(&0) {
            None
        } else {
            std::str::from_utf8(bytes).ok()
        };
        let first_line = text.and_then(|t| t.lines().next()).unwrap_or("");
        let language = self.languages.detect(Some(Path::new(&rel)), first_line);
        let symbols = match (language, text) {
            (Some(lang), Some(text)) if self.tags.supports(lang) => {
                self.tags.extract(lang, text).unwrap_or_default()
            }
            _ => FileSymbols::default(),
        };
        FileEntry {
            path: rel,
            size,
            mtime,
            hash,
            language: language
                .and_then(|l| self.languages.get(l))
                .map(|l| l.name.clone()),
            lines: text.map_or(0, |t| t.lines().count() as u32),
            symbols,
        }
    }
}

impl Index {
    /// Builds the index of `root` from `paths` (what the gate's walk yields), reusing `cache`
    /// entries for files that did not change, parsing the rest on `threads` threads.
    pub fn build(
        root: &Path,
        paths: &[PathBuf],
        indexer: &Indexer<'_>,
        cache: &HashMap<String, FileEntry>,
        threads: usize,
        progress: &Progress,
    ) -> Self {
        progress.total.store(paths.len(), Ordering::Relaxed);
        let next = AtomicUsize::new(0);
        let mut parts: Vec<Vec<FileEntry>> = Vec::new();
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads.max(1))
                .map(|_| {
                    scope.spawn(|| {
                        let mut out = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(path) = paths.get(i) else {
                                break;
                            };
                            let cached = relative(root, path).and_then(|r| cache.get(&r));
                            if let Some(entry) = indexer.index_file(root, path, cached) {
                                out.push(entry);
                            }
                            progress.done.fetch_add(1, Ordering::Relaxed);
                        }
                        out
                    })
                })
                .collect();
            for worker in workers {
                if let Ok(part) = worker.join() {
                    parts.push(part);
                }
            }
        });
        let mut files: Vec<FileEntry> = parts.into_iter().flatten().collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let mut index = Self {
            root: root.to_path_buf(),
            files,
            ..Self::default()
        };
        index.rebuild_maps();
        index
    }

    fn rebuild_maps(&mut self) {
        self.by_path.clear();
        self.defs_by_name.clear();
        for (fi, file) in self.files.iter().enumerate() {
            self.by_path.insert(file.path.clone(), fi as u32);
            for (di, def) in file.symbols.defs.iter().enumerate() {
                self.defs_by_name
                    .entry(def.name.clone())
                    .or_default()
                    .push((fi as u32, di as u32));
            }
        }
    }

    pub fn file(&self, path: &str) -> Option<(u32, &FileEntry)> {
        let i = *self.by_path.get(path)?;
        Some((i, &self.files[i as usize]))
    }

    /// Every definition of `name` in the workspace.
    pub fn definitions(&self, name: &str) -> &[DefId] {
        self.defs_by_name.get(name).map_or(&[], Vec::as_slice)
    }

    pub fn def(&self, id: DefId) -> Option<(&FileEntry, &super::tags::Definition)> {
        let file = self.files.get(id.0 as usize)?;
        Some((file, file.symbols.defs.get(id.1 as usize)?))
    }

    /// The text of `path` as indexed: the unsaved buffer's if it is edited in the editor,
    /// else the file's.
    pub fn source(&self, path: &str) -> Option<String> {
        match self.unsaved.get(path) {
            Some(text) => Some(text.clone()),
            None => std::fs::read_to_string(self.root.join(path)).ok(),
        }
    }

    /// Sets (or with `None` forgets) the unsaved text standing in for `path`.
    pub fn set_unsaved(&mut self, path: &str, text: Option<String>) {
        match text {
            Some(t) => {
                self.unsaved.insert(path.to_string(), t);
            }
            None => {
                self.unsaved.remove(path);
            }
        }
    }

    /// All defined names (for @-mention completion).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.defs_by_name.keys().map(String::as_str)
    }

    /// Replaces (or adds, or with `None` removes) one file's entry: a buffer edit or a file
    /// event. Only that file's names are touched.
    pub fn update(&mut self, entry: Option<FileEntry>, path: &str) {
        match (self.by_path.get(path).copied(), entry) {
            (Some(i), Some(entry)) => {
                let old = std::mem::replace(&mut self.files[i as usize], entry);
                self.forget_names(i, &old);
                let names: Vec<(String, u32)> = self.files[i as usize]
                    .symbols
                    .defs
                    .iter()
                    .enumerate()
                    .map(|(di, d)| (d.name.clone(), di as u32))
                    .collect();
                for (name, di) in names {
                    self.defs_by_name.entry(name).or_default().push((i, di));
                }
            }
            (None, Some(entry)) => {
                // A new file: positions shift, so the maps are rebuilt (rare).
                let at = self.files.partition_point(|f| f.path < entry.path);
                self.files.insert(at, entry);
                self.rebuild_maps();
            }
            (Some(i), None) => {
                self.files.remove(i as usize);
                self.rebuild_maps();
            }
            (None, None) => {}
        }
    }

    fn forget_names(&mut self, file: u32, old: &FileEntry) {
        for def in &old.symbols.defs {
            if let Some(ids) = self.defs_by_name.get_mut(&def.name) {
                ids.retain(|(f, _)| *f != file);
                if ids.is_empty() {
                    self.defs_by_name.remove(&def.name);
                }
            }
        }
    }

    pub fn line_count(&self) -> u64 {
        self.files.iter().map(|f| u64::from(f.lines)).sum()
    }

    /// Reads a cache written by `save`; an unreadable or outdated one is an empty cache.
    pub fn load_cache(path: &Path) -> HashMap<String, FileEntry> {
        let Ok(bytes) = std::fs::read(path) else {
            return HashMap::new();
        };
        match serde_json::from_slice::<Cache>(&bytes) {
            Ok(c) if c.version == CACHE_VERSION && c.caret == env!("CARGO_PKG_VERSION") => {
                c.files.into_iter().map(|f| (f.path.clone(), f)).collect()
            }
            _ => HashMap::new(),
        }
    }

    /// Writes the cache (temp file + rename, so a crash leaves the old one whole).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let cache = Cache {
            version: CACHE_VERSION,
            caret: env!("CARGO_PKG_VERSION").to_string(),
            files: self.files.clone(),
        };
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        let mut writer = std::io::BufWriter::new(tmp.as_file_mut());
        serde_json::to_writer(&mut writer, &cache).map_err(std::io::Error::other)?;
        std::io::Write::flush(&mut writer)?;
        drop(writer);
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}
