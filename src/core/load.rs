//! Loading files into ropes: refuses binary and non-UTF-8 files with a clear reason, strips
//! and remembers a BOM, detects the line ending, and streams big files in chunks so the first
//! screen can be shown while the rest arrives.

use std::fs::File;
use std::io::{self, Read};
use std::num::NonZeroUsize;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use ropey::{Rope, RopeBuilder};

pub const BOM: &str = "\u{feff}";

/// Bytes read per step of a streaming load.
const CHUNK: usize = 1 << 19;

/// Files smaller than this are loaded by the calling thread alone.
const PARALLEL_MIN: u64 = 4 << 20;

/// At most this many threads read one file.
const MAX_PARTS: usize = 4;

/// How often progress is reported while waiting for the other parts.
const PROGRESS_POLL: Duration = Duration::from_millis(10);

/// How many leading bytes are checked for NUL to call a file binary (as git does).
const BINARY_SNIFF: usize = 8000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineEnding {
    #[default]
    Lf,
    Crlf,
    Cr,
}

impl LineEnding {
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::Crlf => "\r\n",
            LineEnding::Cr => "\r",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            LineEnding::Lf => "LF",
            LineEnding::Crlf => "CRLF",
            LineEnding::Cr => "CR",
        }
    }

    /// The first line ending found in `text`, if any.
    pub fn detect(text: &str) -> Option<Self> {
        let i = text.find(['\n', '\r'])?;
        let bytes = text.as_bytes();
        Some(match (bytes[i], bytes.get(i + 1)) {
            // A lone CR at the very end of the sniffed text may be half of a CRLF.
            (b'\r', Some(b'\n') | None) => LineEnding::Crlf,
            (b'\r', Some(_)) => LineEnding::Cr,
            _ => LineEnding::Lf,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{} looks like a binary file (it contains NUL bytes); caret edits text only", .0.display())]
    Binary(PathBuf),
    #[error("{} is not valid UTF-8 (bad byte at offset {offset}); caret refuses it rather than corrupt it on save", path.display())]
    NotUtf8 { path: PathBuf, offset: u64 },
    #[error("{} is a directory", .0.display())]
    Directory(PathBuf),
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("loading {} was cancelled", .0.display())]
    Cancelled(PathBuf),
}

/// A whole file, ready to edit.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub rope: Rope,
    pub bom: bool,
    pub line_ending: LineEnding,
}

/// The start of a file, for painting the first screen before the whole file is in.
#[derive(Debug, Clone)]
pub struct Head {
    pub text: String,
    pub bom: bool,
    pub line_ending: LineEnding,
    pub total_bytes: u64,
    /// True when `text` is the whole file.
    pub complete: bool,
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> LoadError + '_ {
    move |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Reads up to `max` bytes from the start of `path` and checks them.
pub fn read_head(path: &Path, max: usize) -> Result<Head, LoadError> {
    let mut file = File::open(path).map_err(io_err(path))?;
    let meta = file.metadata().map_err(io_err(path))?;
    if meta.is_dir() {
        return Err(LoadError::Directory(path.to_path_buf()));
    }
    let total_bytes = meta.len();
    let mut buf = Vec::with_capacity(max.min(total_bytes as usize + 1));
    (&mut file)
        .take(max as u64)
        .read_to_end(&mut buf)
        .map_err(io_err(path))?;
    let complete = (buf.len() as u64) >= total_bytes && buf.len() < max;
    check_binary(path, &buf)?;
    let bom = buf.starts_with(BOM.as_bytes());
    let body = if bom { &buf[BOM.len()..] } else { &buf[..] };
    let text = match std::str::from_utf8(body) {
        Ok(s) => s.to_owned(),
        // Cut mid-character by the size limit: keep the valid prefix.
        Err(e) if e.error_len().is_none() && !complete => {
            String::from_utf8_lossy(&body[..e.valid_up_to()]).into_owned()
        }
        Err(e) => {
            return Err(LoadError::NotUtf8 {
                path: path.to_path_buf(),
                offset: (e.valid_up_to() + usize::from(bom) * BOM.len()) as u64,
            });
        }
    };
    let line_ending = LineEnding::detect(&text).unwrap_or_default();
    Ok(Head {
        text,
        bom,
        line_ending,
        total_bytes,
        complete,
    })
}

fn check_binary(path: &Path, head: &[u8]) -> Result<(), LoadError> {
    if head[..head.len().min(BINARY_SNIFF)].contains(&0) {
        return Err(LoadError::Binary(path.to_path_buf()));
    }
    Ok(())
}

/// Loads a whole file. `progress(bytes_read, total)` is called now and then on the calling
/// thread; returning false cancels the load. Big files are read in parts on several threads
/// (most of the time goes to faulting in fresh memory for the rope, which scales with cores).
pub fn load_file(path: &Path, progress: impl FnMut(u64, u64) -> bool) -> Result<Loaded, LoadError> {
    let file = File::open(path).map_err(io_err(path))?;
    let meta = file.metadata().map_err(io_err(path))?;
    if meta.is_dir() {
        return Err(LoadError::Directory(path.to_path_buf()));
    }
    let parts = if meta.len() < PARALLEL_MIN {
        1
    } else {
        thread::available_parallelism()
            .map_or(1, NonZeroUsize::get)
            .min(MAX_PARTS)
    };
    load_in_parts(path, &file, meta.len(), parts, progress)
}

/// What the parts of one load share.
struct Shared {
    /// Bytes taken into ropes so far, over all parts (and the BOM).
    done: AtomicU64,
    cancel: AtomicBool,
    /// Lowest index of a part that failed: the parts after it stop, as their errors would
    /// come later in the file.
    failed: AtomicUsize,
}

enum PartError {
    Stopped,
    Io(io::Error),
    NotUtf8(u64),
}

type PartResult = Result<(Rope, Option<LineEnding>), PartError>;

fn load_in_parts(
    path: &Path,
    file: &File,
    total: u64,
    parts: usize,
    mut progress: impl FnMut(u64, u64) -> bool,
) -> Result<Loaded, LoadError> {
    let mut head = vec![0u8; BINARY_SNIFF.min(usize::try_from(total).unwrap_or(usize::MAX))];
    let n = read_full_at(file, &mut head, 0).map_err(io_err(path))?;
    check_binary(path, &head[..n])?;
    let bom = head[..n].starts_with(BOM.as_bytes());
    let start = if bom { BOM.len() as u64 } else { 0 };
    let bounds = split_points(file, start, total, parts.max(1)).map_err(io_err(path))?;
    let shared = Shared {
        done: AtomicU64::new(start),
        cancel: AtomicBool::new(false),
        failed: AtomicUsize::new(usize::MAX),
    };
    let results: Vec<PartResult> = thread::scope(|scope| {
        // Every part holds a sender; the channel disconnects once all of them are done.
        let (tx, rx) = mpsc::channel::<()>();
        let handles: Vec<_> = (1..bounds.len() - 1)
            .map(|i| {
                let (tx, shared, range) = (tx.clone(), &shared, (bounds[i], bounds[i + 1]));
                scope.spawn(move || {
                    let result = load_part(file, i, range, shared, &mut || {});
                    drop(tx);
                    result
                })
            })
            .collect();
        drop(tx);
        let mut report = || {
            if !shared.cancel.load(Ordering::Relaxed)
                && !progress(shared.done.load(Ordering::Relaxed), total)
            {
                shared.cancel.store(true, Ordering::Relaxed);
            }
        };
        // The first part is read here, so the progress callback stays on this thread.
        let first = (bounds[0], bounds[1]);
        let mut results = vec![load_part(file, 0, first, &shared, &mut report)];
        while let Err(RecvTimeoutError::Timeout) = rx.recv_timeout(PROGRESS_POLL) {
            report();
        }
        let joined = handles.into_iter().map(thread::ScopedJoinHandle::join);
        results.extend(joined.map(|r| r.unwrap_or_else(|p| std::panic::resume_unwind(p))));
        results
    });
    let cancelled = || LoadError::Cancelled(path.to_path_buf());
    if shared.cancel.load(Ordering::Relaxed) {
        return Err(cancelled());
    }
    let mut rope = Rope::new();
    let mut line_ending = None;
    for result in results {
        match result {
            Ok((part, ending)) => {
                line_ending = line_ending.or(ending);
                rope.append(part);
            }
            Err(PartError::NotUtf8(offset)) => {
                return Err(LoadError::NotUtf8 {
                    path: path.into(),
                    offset,
                });
            }
            Err(PartError::Io(source)) => return Err(io_err(path)(source)),
            // Only parts after a failed one stop, and that one is reported first.
            Err(PartError::Stopped) => return Err(cancelled()),
        }
    }
    if !progress(shared.done.load(Ordering::Relaxed), total) {
        return Err(cancelled());
    }
    Ok(Loaded {
        rope,
        bom,
        line_ending: line_ending.unwrap_or_default(),
    })
}

/// Byte offsets where the parts of a load begin, plus `u64::MAX` as the end of the last one
/// (so a file that grew meanwhile is read to its end). Each is moved forward to the start of
/// a character and past the `\n` of a CRLF.
fn split_points(file: &File, start: u64, total: u64, parts: usize) -> io::Result<Vec<u64>> {
    let len = total.saturating_sub(start);
    let mut bounds = vec![start];
    for i in 1..parts as u64 {
        let at = boundary_at(file, start + len / parts as u64 * i, total)?;
        let prev = bounds.last().copied().unwrap_or(start);
        bounds.push(at.max(prev));
    }
    bounds.push(u64::MAX);
    Ok(bounds)
}

/// The first offset at or after `at` that starts a character and does not split a CRLF.
fn boundary_at(file: &File, at: u64, total: u64) -> io::Result<u64> {
    if at == 0 || at >= total {
        return Ok(at.min(total));
    }
    let mut window = [0u8; 8];
    let n = read_full_at(file, &mut window, at - 1)?;
    let window = &window[..n];
    // Index of `at` in the window; at most 3 continuation bytes belong to one character.
    let mut k = 1;
    while k < 4 && window.get(k).is_some_and(|b| b & 0xC0 == 0x80) {
        k += 1;
    }
    if window.get(k - 1) == Some(&b'\r') && window.get(k) == Some(&b'\n') {
        k += 1;
    }
    Ok(at - 1 + k.min(n) as u64)
}

/// Reads the bytes `from..to` of `file` into a rope, streaming through one buffer.
fn load_part(
    file: &File,
    index: usize,
    (from, to): (u64, u64),
    shared: &Shared,
    report: &mut dyn FnMut(),
) -> PartResult {
    let mut builder = RopeBuilder::new();
    let mut buf = vec![0u8; usize::try_from(to - from).map_or(CHUNK, |len| len.min(CHUNK))];
    // Bytes of a character split across two reads, carried into the next one.
    let mut carry = 0usize;
    // File offsets of `buf[0]` and of the next byte to read.
    let (mut offset, mut next) = (from, from);
    let mut line_ending = None;
    loop {
        if shared.cancel.load(Ordering::Relaxed) || shared.failed.load(Ordering::Relaxed) < index {
            return Err(PartError::Stopped);
        }
        let want = (buf.len() - carry).min(usize::try_from(to - next).unwrap_or(usize::MAX));
        let n = match read_full_at(file, &mut buf[carry..carry + want], next) {
            Ok(n) => n,
            Err(e) => {
                shared.failed.fetch_min(index, Ordering::Relaxed);
                return Err(PartError::Io(e));
            }
        };
        next += n as u64;
        let filled = carry + n;
        if filled == 0 {
            break;
        }
        let at_end = n < want || next >= to;
        let (valid, rest) = match std::str::from_utf8(&buf[..filled]) {
            Ok(s) => (s, 0),
            Err(e) if e.error_len().is_none() && !at_end => {
                let end = e.valid_up_to();
                // valid_up_to is a char boundary of already-validated bytes.
                let s = std::str::from_utf8(&buf[..end]).unwrap_or_default();
                (s, filled - end)
            }
            Err(e) => {
                shared.failed.fetch_min(index, Ordering::Relaxed);
                return Err(PartError::NotUtf8(offset + e.valid_up_to() as u64));
            }
        };
        if line_ending.is_none() {
            line_ending = LineEnding::detect(valid);
        }
        builder.append(valid);
        let used = (filled - rest) as u64;
        offset += used;
        shared.done.fetch_add(used, Ordering::Relaxed);
        buf.copy_within(filled - rest..filled, 0);
        carry = rest;
        report();
        if at_end {
            break;
        }
    }
    Ok((builder.finish(), line_ending))
}

/// Fills `buf` from `offset` as far as the file allows (reads may come back short).
fn read_full_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read_at(&mut buf[n..], offset + n as u64) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_with(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        f
    }

    #[test]
    fn keeps_bom_crlf_and_missing_final_newline() {
        let f = file_with(b"\xEF\xBB\xBFa\r\nb");
        let loaded = load_file(f.path(), |_, _| true).unwrap();
        assert!(loaded.bom);
        assert_eq!(loaded.line_ending, LineEnding::Crlf);
        assert_eq!(loaded.rope.to_string(), "a\r\nb");
    }

    #[test]
    fn refuses_binary_and_bad_utf8_with_offsets() {
        let f = file_with(b"abc\0def");
        assert!(matches!(
            load_file(f.path(), |_, _| true),
            Err(LoadError::Binary(_))
        ));
        let f = file_with(b"abc\xffdef");
        match load_file(f.path(), |_, _| true) {
            Err(LoadError::NotUtf8 { offset, .. }) => assert_eq!(offset, 3),
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(
            read_head(f.path(), 100),
            Err(LoadError::NotUtf8 { .. })
        ));
    }

    #[test]
    fn chars_split_across_chunks_survive() {
        // 'é' straddles the 1 MiB chunk boundary.
        let mut text = "a".repeat(CHUNK - 1);
        text.push_str("é and more");
        let f = file_with(text.as_bytes());
        let loaded = load_file(f.path(), |_, _| true).unwrap();
        assert_eq!(loaded.rope.to_string(), text);
        let head = read_head(f.path(), CHUNK).unwrap();
        assert!(!head.complete);
        assert_eq!(head.text.len(), CHUNK - 1);
    }

    #[test]
    fn cancel_stops_loading() {
        let f = file_with("x".repeat(CHUNK * 2).as_bytes());
        assert!(matches!(
            load_file(f.path(), |_, _| false),
            Err(LoadError::Cancelled(_))
        ));
    }

    fn load_split(bytes: &[u8], parts: usize) -> (Result<Loaded, LoadError>, Vec<u64>) {
        let f = file_with(bytes);
        let file = File::open(f.path()).unwrap();
        let total = bytes.len() as u64;
        let mut reports = Vec::new();
        let result = load_in_parts(f.path(), &file, total, parts, |read, all| {
            reports.push(read);
            assert_eq!(all, total);
            true
        });
        (result, reports)
    }

    #[test]
    fn split_points_land_on_char_starts_outside_crlf() {
        let text = "a\r\né€😀\r\n\r\rb\n😀x\r\n";
        let f = file_with(text.as_bytes());
        let file = File::open(f.path()).unwrap();
        let total = text.len() as u64;
        for at in 0..=total {
            let b = boundary_at(&file, at, total).unwrap();
            let i = b as usize;
            assert!(b >= at && b - at <= 4, "{at} -> {b}");
            assert!(text.is_char_boundary(i), "{at} -> {b}");
            assert!(!(text[..i].ends_with('\r') && text[i..].starts_with('\n')));
            if text.is_char_boundary(at as usize) && !text[..at as usize].ends_with('\r') {
                assert_eq!(b, at);
            }
        }
    }

    #[test]
    fn parts_join_to_the_sequential_rope() {
        let unit = "é\r\n€😀\r\nab\rc\n\u{feff}x";
        for reps in [1, 3, 7, 40] {
            for bom in [false, true] {
                let text = unit.repeat(reps);
                let bytes = [if bom { BOM } else { "" }, text.as_str()].concat();
                let (one, _) = load_split(bytes.as_bytes(), 1);
                let one = one.unwrap();
                assert_eq!(one.rope.to_string(), text);
                for parts in 2..=9 {
                    let (many, reports) = load_split(bytes.as_bytes(), parts);
                    let many = many.unwrap();
                    assert_eq!(many.rope, one.rope, "{reps} reps, {parts} parts");
                    assert_eq!(many.rope.len_lines(), one.rope.len_lines());
                    assert_eq!((many.bom, many.line_ending), (bom, LineEnding::Crlf));
                    assert_eq!(reports.last(), Some(&(bytes.len() as u64)));
                    assert!(reports.windows(2).all(|w| w[0] <= w[1]));
                }
            }
        }
    }

    #[test]
    fn parts_report_the_earliest_bad_byte_and_first_line_ending() {
        let mut bytes = "a".repeat(100).into_bytes();
        bytes.extend_from_slice(b"\n\r\n");
        bytes[90] = 0xff;
        bytes[20] = 0xe2; // a truncated three-byte character
        bytes[21] = 0x82;
        for parts in 1..=6 {
            match load_split(&bytes, parts).0 {
                Err(LoadError::NotUtf8 { offset, .. }) => assert_eq!(offset, 20, "{parts}"),
                other => panic!("unexpected {other:?}"),
            }
        }
        // The first line break is in the last part only.
        let mut text = "x".repeat(200);
        text.push_str("\ry\r\n");
        for parts in 1..=6 {
            assert_eq!(
                load_split(text.as_bytes(), parts).0.unwrap().line_ending,
                LineEnding::Cr
            );
        }
        // The NUL sniff looks at the start of the file only.
        let mut late_nul = "z".repeat(BINARY_SNIFF + 10).into_bytes();
        late_nul.push(0);
        assert!(load_split(&late_nul, 3).0.is_ok());
        assert!(matches!(
            load_split(b"ab\0cd", 3).0,
            Err(LoadError::Binary(_))
        ));
    }

    #[test]
    fn cancel_stops_all_parts() {
        let f = file_with("y".repeat(CHUNK * 8).as_bytes());
        let file = File::open(f.path()).unwrap();
        let mut calls = 0;
        let total = (CHUNK * 8) as u64;
        let result = load_in_parts(f.path(), &file, total, 4, |_, _| {
            calls += 1;
            false
        });
        assert!(matches!(result, Err(LoadError::Cancelled(_))));
        assert_eq!(calls, 1);
    }

    /// Times one load per process (page faults are the point), e.g.
    /// `CARET_LOAD_BENCH=/tmp/editor-bench-data/rust100m.rs cargo test --release --lib
    /// load::tests::bench_load -- --ignored --nocapture`.
    #[test]
    #[ignore = "benchmark; needs CARET_LOAD_BENCH=<file>"]
    fn bench_load() {
        let path = std::env::var_os("CARET_LOAD_BENCH").unwrap_or_default();
        let started = std::time::Instant::now();
        let loaded = load_file(Path::new(&path), |_, _| true).unwrap();
        let ms = started.elapsed().as_secs_f64() * 1e3;
        println!("loaded {} bytes in {ms:.1} ms", loaded.rope.len_bytes());
        std::mem::forget(loaded); // dropping is not part of loading
    }
}
