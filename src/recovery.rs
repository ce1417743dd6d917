//! Recovery files: copies of dirty buffers under $`XDG_STATE_HOME/caret/recovery`/, written
//! while idle and on panic or SIGTERM/SIGHUP, so that a crash loses at most a few seconds.

use std::fs::{self, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use ropey::Rope;

const MAGIC: &str = "caret-recovery 1";

/// FNV-1a: stable across builds, so a recovery file is found again after an upgrade.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Where the recovery copy of the file at `path` lives (one per absolute path).
pub fn path_for_file(dir: &Path, path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let name = abs
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let hash = fnv1a(abs.as_os_str().as_encoded_bytes());
    dir.join(format!("{name}-{hash:016x}.recover"))
}

/// Another name for `file`, private to this process: used when the usual one holds an older
/// copy the user kept for later.
pub fn path_for_session(dir: &Path, file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map_or_else(|| "file".into(), |s| s.to_string_lossy().into_owned());
    dir.join(format!("{stem}.{}.recover", std::process::id()))
}

/// Every recovery file of `path` (the usual one and those of other sessions), newest first.
pub fn files_for(dir: &Path, path: &Path) -> Vec<PathBuf> {
    let usual = path_for_file(dir, path);
    let stem = usual
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(Option<SystemTime>, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.ends_with(".recover")
                && (name == format!("{stem}.recover") || name.starts_with(&format!("{stem}.")))
        })
        .map(|e| (e.metadata().and_then(|m| m.modified()).ok(), e.path()))
        .collect();
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    found.into_iter().map(|(_, p)| p).collect()
}

/// Where the recovery copy of an unnamed buffer lives (per process and buffer).
pub fn path_for_untitled(dir: &Path, buffer: u64) -> PathBuf {
    dir.join(format!("untitled-{}-{buffer}.recover", std::process::id()))
}

/// Numbers temporary files: an idle write in the background and a write on SIGTERM may overlap.
static NEXT_TEMP: AtomicU64 = AtomicU64::new(0);

/// Recovery files of unnamed buffers whose caret process is gone (nothing will offer them).
pub fn orphaned_untitled(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(rest) = name
                .strip_prefix("untitled-")
                .and_then(|r| r.strip_suffix(".recover"))
            else {
                return false;
            };
            let pid = rest.split('-').next().unwrap_or("");
            !pid.is_empty() && !Path::new("/proc").join(pid).exists()
        })
        .map(|e| e.path())
        .collect()
}

/// Writes `text` (and which file it belongs to) atomically with mode 0600.
pub fn write(dir: &Path, target: &Path, original: Option<&Path>, text: &Rope) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let n = NEXT_TEMP.fetch_add(1, Ordering::Relaxed);
    let tmp = target.with_extension(format!("tmp{}-{n}", std::process::id()));
    let result = (|| {
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        let mut w = BufWriter::new(file);
        let original = original.map(|p| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()));
        // The header is one line; the path is escaped so a newline in it cannot end it early.
        writeln!(
            w,
            "{MAGIC}\t{:?}",
            original
                .as_deref()
                .unwrap_or(Path::new(""))
                .to_string_lossy()
        )?;
        for chunk in text.chunks() {
            w.write_all(chunk.as_bytes())?;
        }
        let file = w.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        fs::rename(&tmp, target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A recovery file read back.
#[derive(Debug, Clone)]
pub struct Recovered {
    pub text: String,
    pub written: Option<SystemTime>,
}

/// Reads a recovery file; `Ok(None)` when there is none.
pub fn read(target: &Path) -> io::Result<Option<Recovered>> {
    let bytes = match fs::read(target) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let text =
        String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    let Some((header, body)) = text.split_once('\n') else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "recovery file has no header",
        ));
    };
    if !header.starts_with(MAGIC) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "not a caret recovery file",
        ));
    }
    let written = fs::metadata(target).and_then(|m| m.modified()).ok();
    Ok(Some(Recovered {
        text: body.to_string(),
        written,
    }))
}

/// Removes a recovery file that is no longer needed; a missing one is fine.
pub fn remove(target: &Path) {
    let _ = fs::remove_file(target);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn round_trip_is_private_and_exact() {
        let dir = tempfile::tempdir().unwrap();
        let target = path_for_file(dir.path(), Path::new("/tmp/some file.rs"));
        let text = Rope::from_str("fn main() {\r\n}\n\u{feff}odd\n");
        write(
            dir.path(),
            &target,
            Some(Path::new("/tmp/some file.rs")),
            &text,
        )
        .unwrap();
        let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let back = read(&target).unwrap().unwrap();
        assert_eq!(back.text, text.to_string());
        assert!(
            target
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("some file.rs-")
        );
        remove(&target);
        assert!(read(&target).unwrap().is_none());
    }

    #[test]
    fn files_for_finds_the_usual_and_session_copies_only() {
        let dir = tempfile::tempdir().unwrap();
        let file = Path::new("/w/a.rs");
        let usual = path_for_file(dir.path(), file);
        let session = path_for_session(dir.path(), &usual);
        let other = path_for_file(dir.path(), Path::new("/w/b.rs"));
        for p in [&usual, &session, &other] {
            write(dir.path(), p, Some(file), &Rope::from_str("x")).unwrap();
        }
        let mut found = files_for(dir.path(), file);
        found.sort();
        let mut expected = vec![usual, session];
        expected.sort();
        assert_eq!(found, expected);
    }

    #[test]
    fn only_untitled_copies_of_dead_processes_are_orphans() {
        let dir = tempfile::tempdir().unwrap();
        let text = Rope::from_str("x");
        let dead = dir.path().join("untitled-999999999-1.recover");
        let alive = path_for_untitled(dir.path(), 1);
        let named = path_for_file(dir.path(), Path::new("/w/a.rs"));
        for p in [&dead, &alive, &named] {
            write(dir.path(), p, None, &text).unwrap();
        }
        assert_eq!(orphaned_untitled(dir.path()), vec![dead]);
    }

    #[test]
    fn different_paths_get_different_files() {
        let d = Path::new("/r");
        assert_ne!(
            path_for_file(d, Path::new("/a/x.rs")),
            path_for_file(d, Path::new("/b/x.rs"))
        );
    }
}
