//! Loading files into ropes: refuses binary and non-UTF-8 files with a clear reason, strips
//! and remembers a BOM, detects the line ending, and streams big files in chunks so the first
//! screen can be shown while the rest arrives.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use ropey::{Rope, RopeBuilder};

pub const BOM: &str = "\u{feff}";

/// Bytes read per step of a streaming load.
const CHUNK: usize = 1 << 20;

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

/// Loads a whole file. `progress(bytes_read, total)` is called after each chunk; returning
/// false cancels the load.
pub fn load_file(
    path: &Path,
    mut progress: impl FnMut(u64, u64) -> bool,
) -> Result<Loaded, LoadError> {
    let mut file = File::open(path).map_err(io_err(path))?;
    let meta = file.metadata().map_err(io_err(path))?;
    if meta.is_dir() {
        return Err(LoadError::Directory(path.to_path_buf()));
    }
    let total = meta.len();
    let mut builder = RopeBuilder::new();
    let mut buf = vec![0u8; CHUNK];
    // Bytes of a character split across two reads, carried into the next one.
    let mut carry = 0usize;
    let mut offset: u64 = 0;
    let mut first = true;
    let mut bom = false;
    let mut line_ending = None;
    loop {
        let n = read_full(&mut file, &mut buf[carry..]).map_err(io_err(path))?;
        let filled = carry + n;
        if filled == 0 {
            break;
        }
        let mut start = 0;
        if first {
            check_binary(path, &buf[..filled])?;
            if buf[..filled].starts_with(BOM.as_bytes()) {
                bom = true;
                start = BOM.len();
            }
            first = false;
        }
        let at_eof = n == 0;
        let (valid, rest) = match std::str::from_utf8(&buf[start..filled]) {
            Ok(s) => (s, 0),
            Err(e) if e.error_len().is_none() && !at_eof => {
                let end = start + e.valid_up_to();
                // Safe split: valid_up_to is a char boundary of already-validated bytes.
                let s = std::str::from_utf8(&buf[start..end]).unwrap_or_default();
                (s, filled - end)
            }
            Err(e) => {
                return Err(LoadError::NotUtf8 {
                    path: path.to_path_buf(),
                    offset: offset + (start + e.valid_up_to()) as u64,
                });
            }
        };
        if line_ending.is_none() {
            line_ending = LineEnding::detect(valid);
        }
        builder.append(valid);
        offset += (filled - rest) as u64;
        buf.copy_within(filled - rest..filled, 0);
        carry = rest;
        if !progress(offset, total) {
            return Err(LoadError::Cancelled(path.to_path_buf()));
        }
        if at_eof {
            break;
        }
    }
    Ok(Loaded {
        rope: builder.finish(),
        bom,
        line_ending: line_ending.unwrap_or_default(),
    })
}

/// Fills `buf` as far as the file allows (short reads happen on pipes and some filesystems).
fn read_full(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
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
}
