//! A workspace's index, end to end: the files the gate lets through, the cache read back,
//! the parallel build, the cache written again when something changed.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Instant;

use super::gate::Gate;
use super::index::{Index, Indexer, Progress};
use super::tags::Tags;
use crate::syntax::languages::Languages;

/// What a build did, for the status line and the benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildReport {
    pub files: usize,
    pub lines: u64,
    pub millis: u128,
}

/// Builds the index of the files the gate lets through (never an ignored or secret one),
/// reusing and then refreshing the cache at `cache_path`.
pub fn index(
    gate: &Gate,
    languages: &Languages,
    tags: &Tags,
    cache_path: Option<&Path>,
    progress: &Progress,
) -> (Index, BuildReport) {
    let started = Instant::now();
    let cache = cache_path.map(Index::load_cache).unwrap_or_default();
    let root = gate.root();
    let paths: Vec<PathBuf> = gate.walk().collect();
    let threads = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let indexer = Indexer { languages, tags };
    let index = Index::build(root, &paths, &indexer, &cache, threads, progress);
    // Written only when something changed: a large repository opened again is read, not
    // rewritten (and two instances in one folder do not race to write the same file).
    let unchanged = index.files.len() == cache.len()
        && index
            .files
            .iter()
            .all(|f| cache.get(&f.path).is_some_and(|c| c == f));
    if let Some(path) = cache_path
        && !unchanged
        && let Err(e) = index.save(path)
    {
        tracing::warn!("cannot write the index cache {}: {e}", path.display());
    }
    let report = BuildReport {
        files: index.files.len(),
        lines: index.line_count(),
        millis: started.elapsed().as_millis(),
    };
    progress
        .done
        .store(progress.total.load(Ordering::Relaxed), Ordering::Relaxed);
    (index, report)
}
