//! The file picker: a background .gitignore-aware walk streamed into a nucleo fuzzy matcher.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering, fence};

use ignore::{DirEntry, WalkBuilder, WalkState};
use nucleo::pattern::{CaseMatching, Normalization};
use nucleo::{Config, Matcher, Nucleo, Utf32String};

/// How long (ms) one `tick` may wait for the matcher: below the ~10 ms frame budget,
/// leaving room for nucleo's cancel handshake when the query changed.
const TICK_TIMEOUT_MS: u64 = 8;

/// Walker and matcher threads. One core is left to the UI thread: with every core busy,
/// a 2-core machine measured `tick` at 20-35 ms instead of its timeout.
fn background_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1))
}

/// One visible match: the relative path and the char indices to highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickerItem<'a> {
    pub path: &'a str,
    pub indices: Vec<u32>,
}

pub struct Picker {
    root: PathBuf,
    query: String,
    nucleo: Nucleo<Box<str>>,
    /// Separate from nucleo's worker matchers: only used to compute highlight indices.
    matcher: Matcher,
    selected: u32,
    /// nucleo's `Status::running` from the last tick: the matcher has not caught up yet.
    matching: bool,
    walking: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    /// Set once a notification went out; cleared by `tick`. Collapses the per-file
    /// notifications of a 100k-file walk into one redraw request per frame.
    notified: Arc<AtomicBool>,
}

impl Picker {
    /// Starts walking `root` on a background thread; `notify` asks the app for a redraw.
    pub fn new(root: PathBuf, notify: Arc<dyn Fn() + Send + Sync>) -> Self {
        let root = std::path::absolute(&root).unwrap_or(root);
        let notified = Arc::new(AtomicBool::new(false));
        let coalesced: Arc<dyn Fn() + Send + Sync> = {
            let notified = Arc::clone(&notified);
            Arc::new(move || {
                // Pairs with the fence in `tick` so a wakeup racing the reset is never lost.
                fence(Ordering::SeqCst);
                if !notified.load(Ordering::Relaxed) && !notified.swap(true, Ordering::SeqCst) {
                    notify();
                }
            })
        };
        let nucleo = Nucleo::new(
            Config::DEFAULT.match_paths(),
            Arc::clone(&coalesced),
            Some(background_threads()),
            1,
        );
        let walking = Arc::new(AtomicBool::new(true));
        let stop = Arc::new(AtomicBool::new(false));

        let spawned = {
            let root = root.clone();
            let injector = nucleo.injector();
            let walking = Arc::clone(&walking);
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("picker-walk".into())
                .spawn(move || {
                    walk(&root, &injector, &stop);
                    walking.store(false, Ordering::Release);
                    coalesced();
                })
        };
        if spawned.is_err() {
            // No thread means no files; the picker still works, it is just empty.
            walking.store(false, Ordering::Release);
        }

        Self {
            root,
            query: String::new(),
            nucleo,
            matcher: Matcher::new(Config::DEFAULT.match_paths()),
            selected: 0,
            matching: false,
            walking,
            stop,
            notified,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    pub fn set_query(&mut self, query: &str) {
        if query == self.query {
            return;
        }
        // nucleo only guards against a trailing negative atom; a trailing `\` or `$`
        // changes how the old last atom parses, so the new matches are not a subset.
        let append = query.starts_with(self.query.as_str())
            && !self.query.ends_with('\\')
            && !self.query.ends_with('$');
        self.nucleo
            .pattern
            .reparse(0, query, CaseMatching::Smart, Normalization::Smart, append);
        query.clone_into(&mut self.query);
        self.selected = 0;
    }

    /// Lets the matcher make progress; call once per frame before reading.
    pub fn tick(&mut self) {
        self.notified.store(false, Ordering::SeqCst);
        fence(Ordering::SeqCst);
        self.matching = self.nucleo.tick(TICK_TIMEOUT_MS).running;
        self.selected = self.selected.min(self.matched_count().saturating_sub(1));
    }

    pub fn matched_count(&self) -> u32 {
        self.nucleo.snapshot().matched_item_count()
    }

    pub fn total_count(&self) -> u32 {
        self.nucleo.snapshot().item_count()
    }

    pub fn is_walking(&self) -> bool {
        self.walking.load(Ordering::Acquire)
    }

    pub fn selected(&self) -> u32 {
        self.selected
    }

    pub fn move_selection(&mut self, delta: i32) {
        let last = i64::from(self.matched_count().saturating_sub(1));
        let target = (i64::from(self.selected) + i64::from(delta)).clamp(0, last);
        self.selected = u32::try_from(target).unwrap_or(0);
    }

    /// Matches in `[offset, offset + len)`, best first, with char indices to highlight.
    pub fn items(&mut self, offset: u32, len: u32) -> Vec<PickerItem<'_>> {
        let snapshot = self.nucleo.snapshot();
        let count = snapshot.matched_item_count();
        let start = offset.min(count);
        let end = offset.saturating_add(len).min(count);
        let pattern = snapshot.pattern().column_pattern(0);
        let matcher = &mut self.matcher;
        snapshot
            .matched_items(start..end)
            .map(|item| {
                let mut indices = Vec::new();
                if let Some(column) = item.matcher_columns.first() {
                    pattern.indices(column.slice(..), matcher, &mut indices);
                }
                indices.sort_unstable();
                indices.dedup();
                PickerItem {
                    path: item.data,
                    indices,
                }
            })
            .collect()
    }

    /// Absolute path of the selected match, if any.
    pub fn selected_path(&self) -> Option<PathBuf> {
        let item = self.nucleo.snapshot().get_matched_item(self.selected)?;
        Some(self.root.join(&**item.data))
    }
}

impl Drop for Picker {
    fn drop(&mut self) {
        // Walker threads see this on their next entry and quit; no join, so the UI never waits.
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn walk(root: &Path, injector: &nucleo::Injector<Box<str>>, stop: &Arc<AtomicBool>) {
    // Defaults already honour .ignore, .gitignore, .git/info/exclude and the global excludes.
    WalkBuilder::new(root)
        .hidden(true)
        .require_git(false)
        .threads(background_threads().min(12))
        .filter_entry(|entry| entry.file_name() != ".git")
        .build_parallel()
        .run(|| {
            let injector = injector.clone();
            let stop = Arc::clone(stop);
            Box::new(move |entry| {
                if stop.load(Ordering::Relaxed) {
                    return WalkState::Quit;
                }
                if let Some(rel) = entry.ok().and_then(|entry| relative_file(root, &entry)) {
                    injector.push(rel, |path, columns| {
                        if let Some(column) = columns.first_mut() {
                            *column = match_column(path);
                        }
                    });
                }
                WalkState::Continue
            })
        });
}

/// The '/'-separated path of a file (or symlink to a file) relative to `root`.
/// Non-UTF-8 paths are skipped: they could not be displayed or joined back losslessly.
fn relative_file(root: &Path, entry: &DirEntry) -> Option<Box<str>> {
    let file_type = entry.file_type()?;
    if !(file_type.is_file() || (file_type.is_symlink() && entry.path().is_file())) {
        return None;
    }
    let rel = entry.path().strip_prefix(root).ok()?.to_str()?;
    if rel.is_empty() {
        return None;
    }
    if cfg!(windows) {
        Some(rel.replace('\\', "/").into_boxed_str())
    } else {
        Some(rel.into())
    }
}

/// One `char` per haystack slot (nucleo's `From<&str>` would fold grapheme clusters),
/// so match indices are char indices into the path as promised to the UI.
fn match_column(path: &str) -> Utf32String {
    if path.is_ascii() {
        Utf32String::Ascii(path.into())
    } else {
        Utf32String::Unicode(path.chars().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::time::{Duration, Instant};

    fn touch(root: &Path, rel: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, b"x").unwrap();
    }

    fn picker(root: &Path) -> Picker {
        Picker::new(root.to_path_buf(), Arc::new(|| {}))
    }

    /// Ticks until the walk is over and the matcher has absorbed every item.
    fn settle(picker: &mut Picker, timeout: Duration) {
        let start = Instant::now();
        loop {
            let walking = picker.is_walking();
            picker.tick();
            if !walking && !picker.matching {
                return;
            }
            assert!(
                start.elapsed() < timeout,
                "picker did not settle in {timeout:?}"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    fn all_paths(picker: &mut Picker) -> Vec<String> {
        let mut paths: Vec<String> = picker
            .items(0, u32::MAX)
            .into_iter()
            .map(|item| item.path.to_owned())
            .collect();
        paths.sort();
        paths
    }

    fn sample_tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for rel in [
            "src/main.rs",
            "src/lib.rs",
            "src/ui/mod.rs",
            "misc/unknown.txt",
            "a/b/c/deep.txt",
            "docs/café.md",
            "README.md",
            ".gitignore",
            ".ignore",
            "target/debug/caret",
            "target/main.d",
            "debug.log",
            ".git/config",
            ".git/objects/ab/cdef",
            ".hidden/secret.rs",
        ] {
            touch(dir.path(), rel);
        }
        fs::write(dir.path().join(".gitignore"), "target/\n").unwrap();
        fs::write(dir.path().join(".ignore"), "*.log\n").unwrap();
        dir
    }

    #[test]
    fn walk_lists_files_honouring_ignores() {
        let dir = sample_tree();
        let mut picker = picker(dir.path());
        settle(&mut picker, Duration::from_secs(10));
        let expected = [
            "README.md",
            "a/b/c/deep.txt",
            "docs/café.md",
            "misc/unknown.txt",
            "src/lib.rs",
            "src/main.rs",
            "src/ui/mod.rs",
        ];
        assert_eq!(all_paths(&mut picker), expected);
        assert_eq!(picker.total_count(), 7);
        assert_eq!(picker.matched_count(), 7);
        assert!(picker.query().is_empty());
        assert_eq!(picker.root(), dir.path());
    }

    #[test]
    fn query_ranks_and_highlights() {
        let dir = sample_tree();
        let mut picker = picker(dir.path());
        settle(&mut picker, Duration::from_secs(10));
        // Typed one char at a time, so the second reparse takes the append path.
        picker.set_query("m");
        picker.set_query("mn");
        assert_eq!(picker.query(), "mn");
        settle(&mut picker, Duration::from_secs(10));
        let items = picker.items(0, 10);
        let paths: Vec<&str> = items.iter().map(|item| item.path).collect();
        assert_eq!(paths.first(), Some(&"src/main.rs"), "{paths:?}");
        assert!(paths.contains(&"misc/unknown.txt"), "{paths:?}");
        assert!(!paths.contains(&"src/lib.rs"));
        assert_eq!(items[0].indices, [4, 7]);
        for item in &items {
            let chars: Vec<char> = item.path.chars().collect();
            let hit: String = item.indices.iter().map(|&i| chars[i as usize]).collect();
            assert_eq!(hit, "mn", "{item:?}");
        }
        assert_eq!(picker.selected_path(), Some(dir.path().join("src/main.rs")));

        // Indices count chars, not bytes: 'é' is two bytes but one index.
        picker.set_query("é.m");
        settle(&mut picker, Duration::from_secs(10));
        let items = picker.items(0, 10);
        assert_eq!(items[0].path, "docs/café.md");
        assert_eq!(items[0].indices, [8, 9, 10]);

        // Not an extension of the previous query: must rescore, not narrow.
        picker.set_query("lib");
        settle(&mut picker, Duration::from_secs(10));
        assert_eq!(picker.items(0, 1)[0].path, "src/lib.rs");
        picker.set_query("");
        settle(&mut picker, Duration::from_secs(10));
        assert_eq!(picker.matched_count(), 7);
        assert!(
            picker
                .items(0, 10)
                .iter()
                .all(|item| item.indices.is_empty())
        );
    }

    #[test]
    fn selection_clamps() {
        let dir = sample_tree();
        let mut picker = picker(dir.path());
        settle(&mut picker, Duration::from_secs(10));
        picker.move_selection(-3);
        assert_eq!(picker.selected(), 0);
        picker.move_selection(2);
        assert_eq!(picker.selected(), 2);
        picker.move_selection(i32::MAX);
        assert_eq!(picker.selected(), 6);
        assert!(picker.items(6, 100).len() == 1 && picker.items(100, 5).is_empty());
        let selected = picker.items(6, 1)[0].path.to_owned();
        assert_eq!(picker.selected_path(), Some(dir.path().join(selected)));

        picker.set_query("zzzz");
        settle(&mut picker, Duration::from_secs(10));
        assert_eq!(picker.matched_count(), 0);
        picker.move_selection(1);
        assert_eq!(picker.selected(), 0);
        assert_eq!(picker.selected_path(), None);
    }

    #[test]
    fn notify_fires_and_drop_stops_the_walk() {
        let dir = tempfile::tempdir().unwrap();
        let files = 50 * 100;
        for d in 0..50 {
            let sub = dir.path().join(format!("d{d:03}"));
            fs::create_dir(&sub).unwrap();
            for f in 0..100 {
                fs::write(sub.join(format!("f{f:03}.txt")), b"").unwrap();
            }
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let notify = Arc::new(move || {
            let _ = tx.send(());
        });
        let picker = Picker::new(dir.path().to_path_buf(), notify);
        rx.recv_timeout(Duration::from_secs(10))
            .expect("notified of first items");
        let injector = picker.nucleo.injector();
        let walking = Arc::clone(&picker.walking);

        let start = Instant::now();
        drop(picker);
        assert!(
            start.elapsed() < Duration::from_millis(200),
            "drop took {:?}",
            start.elapsed()
        );
        while walking.load(Ordering::Acquire) {
            assert!(
                start.elapsed() < Duration::from_secs(2),
                "walk did not stop"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(injector.injected_items() < files, "walk ran to completion");
    }

    /// Timings on a 100,000-file tree; run with
    /// `cargo test --release --lib picker -- --ignored --nocapture`.
    #[test]
    #[ignore = "benchmark: builds a 100k-file tree under the temp dir"]
    fn bench_100k() {
        let root = std::env::temp_dir().join("caret_picker_bench_100k");
        if !root.join("done").exists() {
            for d in 0..1000 {
                let sub = root.join(format!("dir{d:04}"));
                fs::create_dir_all(&sub).unwrap();
                for f in 0..100 {
                    fs::write(sub.join(format!("file{f:03}.rs")), b"").unwrap();
                }
            }
            fs::write(root.join(".ignore"), "done\n").unwrap();
            fs::write(root.join("done"), b"").unwrap();
        }
        let (start, mut picker) = (Instant::now(), picker(&root));
        let (mut first, mut max_tick) = (None, Duration::ZERO);
        while picker.is_walking() {
            let t = Instant::now();
            picker.tick();
            max_tick = max_tick.max(t.elapsed());
            if picker.matched_count() > 0 && first.is_none() {
                first = Some((start.elapsed(), picker.matched_count()));
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        let walked = start.elapsed();
        settle(&mut picker, Duration::from_secs(30));
        println!(
            "first results {first:?}, walk done {walked:?}, all matched {:?}",
            start.elapsed()
        );
        println!("slowest tick during the walk: {max_tick:?}");
        assert_eq!(picker.total_count(), 100_000);
        for query in ["d42", "f", "fi", "fi7", "r9", "r9d", "", "e12"] {
            let t = Instant::now();
            picker.set_query(query);
            picker.tick();
            let tick = t.elapsed();
            settle(&mut picker, Duration::from_secs(30));
            let top = picker.items(0, 1).first().map(|item| item.path.to_owned());
            let n = picker.matched_count();
            println!(
                "{query:?}: set_query+tick {tick:?}, settled {:?}, {n} matches, top {top:?}",
                t.elapsed()
            );
        }
        let t = Instant::now();
        let rows = picker.items(0, 50).len();
        println!("items(0, 50): {:?} for {rows} rows", t.elapsed());
        let t = Instant::now();
        drop(picker);
        println!("drop: {:?}", t.elapsed());
    }
}
