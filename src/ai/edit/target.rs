//! Which files a reply may write: inside the workspace once every symlink is resolved (for a
//! file still to be created, through its deepest existing folder), never in `.git/`, never a
//! file the context gate withholds (ignored or secret), never a binary or non-UTF-8 file.
//! This is the only part of the edit module that touches the file system, and it only reads.

use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::context::gate::{Gate, resolve_existing};

/// Bytes read to tell a binary file, as git does.
const SNIFF: usize = 8 * 1024;

/// Why a reply may not write a path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("no file path")]
    Empty,
    #[error("the path has control characters")]
    BadName,
    #[error("an absolute path outside the workspace")]
    Absolute,
    #[error("the path leads out of the workspace through \"..\"")]
    ParentEscape,
    #[error("the path leads out of the workspace through a symlink (to {target})")]
    SymlinkEscape { target: String },
    #[error("files inside .git/ are never edited")]
    InsideGit,
    /// The context gate holds the file back (ignored, secret).
    #[error("caret keeps this file from models: {reason}")]
    Withheld { reason: String },
    #[error("it is a folder")]
    Folder,
    #[error("it is a binary file")]
    Binary,
    #[error("it is not UTF-8 text")]
    NotText,
    #[error("cannot read it: {0}")]
    Unreadable(String),
}

/// The workspace-relative form of a path a reply wrote (`/`-separated, `.` and `..` resolved
/// without touching the disk), or why it cannot be one: empty, absolute, escaping through
/// `..`, or inside `.git/`.
pub fn normalize_path(rel: &str) -> Result<String, TargetError> {
    let rel = rel.trim();
    if rel.is_empty() {
        return Err(TargetError::Empty);
    }
    if rel.chars().any(char::is_control) {
        return Err(TargetError::BadName);
    }
    let bytes = rel.as_bytes();
    let drive = bytes.len() >= 3
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && matches!(bytes[2], b'/' | b'\\');
    if rel.starts_with('/') || rel.starts_with('\\') || rel.starts_with('~') || drive {
        return Err(TargetError::Absolute);
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(TargetError::ParentEscape);
                }
            }
            name => parts.push(name),
        }
    }
    if parts.iter().any(|p| p.eq_ignore_ascii_case(".git")) {
        return Err(TargetError::InsideGit);
    }
    if parts.is_empty() {
        return Err(TargetError::Empty);
    }
    Ok(parts.join("/"))
}

/// Checks that a reply may write `rel` (workspace-relative, or absolute inside the
/// workspace) and returns the file's real path, symlinks resolved.
pub fn check_target(root: &Path, gate: &Gate, rel: &str) -> Result<PathBuf, TargetError> {
    locate(root, gate, rel).map(|(_, path)| path)
}

/// The check [`super::stage`] takes: [`check_target`] for a workspace, answering with the
/// workspace-relative path (as written, `..` resolved) or the reason for refusing it.
pub fn target_checker<'a>(
    root: &'a Path,
    gate: &'a Gate,
) -> impl Fn(&str) -> Result<String, String> + 'a {
    move |rel| {
        locate(root, gate, rel)
            .map(|(rel, _)| rel)
            .map_err(|e| e.to_string())
    }
}

/// The relative path and the real path of a target, once every rule passed.
fn locate(root: &Path, gate: &Gate, rel: &str) -> Result<(String, PathBuf), TargetError> {
    let canonical_root = fs::canonicalize(root)
        .map_err(|e| TargetError::Unreadable(format!("{}: {e}", root.display())))?;
    let written = rel.trim();
    let rel = if Path::new(written).is_absolute() {
        inside(&canonical_root, root, Path::new(written)).ok_or(TargetError::Absolute)?
    } else {
        written.to_string()
    };
    let rel = normalize_path(&rel)?;
    let path = canonical_root.join(&rel);
    let resolved = resolve_existing(&path);
    let Ok(resolved_below_root) = resolved.strip_prefix(&canonical_root) else {
        return Err(TargetError::SymlinkEscape {
            target: resolved.display().to_string(),
        });
    };
    if resolved_below_root
        .components()
        .any(|c| c.as_os_str().eq_ignore_ascii_case(".git"))
    {
        return Err(TargetError::InsideGit);
    }
    gate.check_path(&path)
        .map_err(|w| TargetError::Withheld { reason: w.reason })?;
    if let Ok(meta) = fs::metadata(&resolved) {
        if meta.is_dir() {
            return Err(TargetError::Folder);
        }
        check_text(&resolved)?;
    }
    Ok((rel, resolved))
}

/// The part of an absolute path below the workspace root, however the root is spelled.
fn inside(canonical_root: &Path, given_root: &Path, path: &Path) -> Option<String> {
    let lexical = lexical_clean(path);
    let rest = lexical
        .strip_prefix(canonical_root)
        .or_else(|_| lexical.strip_prefix(given_root))
        .map(Path::to_path_buf)
        .or_else(|_| {
            resolve_existing(&lexical)
                .strip_prefix(canonical_root)
                .map(Path::to_path_buf)
        })
        .ok()?;
    let parts: Vec<String> = rest
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// `.` and `..` taken out of an absolute path without following symlinks.
fn lexical_clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Refuses binary files (a NUL byte in the first 8 KB) and text that is not UTF-8.
fn check_text(path: &Path) -> Result<(), TargetError> {
    let unreadable = |e: std::io::Error| TargetError::Unreadable(e.to_string());
    let mut file = fs::File::open(path).map_err(unreadable)?;
    let mut head = Vec::with_capacity(SNIFF);
    file.by_ref()
        .take(SNIFF as u64)
        .read_to_end(&mut head)
        .map_err(unreadable)?;
    if head.contains(&0) {
        return Err(TargetError::Binary);
    }
    let mut bytes = head;
    file.read_to_end(&mut bytes).map_err(unreadable)?;
    if std::str::from_utf8(&bytes).is_err() {
        return Err(TargetError::NotText);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalise_or_are_refused() {
        assert_eq!(normalize_path("./src//a.rs").unwrap(), "src/a.rs");
        assert_eq!(normalize_path("src/../b.rs").unwrap(), "b.rs");
        assert_eq!(normalize_path("../b.rs"), Err(TargetError::ParentEscape));
        assert_eq!(
            normalize_path("src/../../b.rs"),
            Err(TargetError::ParentEscape)
        );
        assert_eq!(normalize_path("/etc/passwd"), Err(TargetError::Absolute));
        assert_eq!(normalize_path("~/.bashrc"), Err(TargetError::Absolute));
        assert_eq!(normalize_path("C:\\x.txt"), Err(TargetError::Absolute));
        assert_eq!(normalize_path(".git/config"), Err(TargetError::InsideGit));
        assert_eq!(
            normalize_path("sub/.GIT/hooks/pre-commit"),
            Err(TargetError::InsideGit)
        );
        assert_eq!(normalize_path(" "), Err(TargetError::Empty));
        assert_eq!(normalize_path("."), Err(TargetError::Empty));
        assert_eq!(normalize_path("a\u{0}b"), Err(TargetError::BadName));
    }

    #[test]
    fn files_on_disk_are_checked_for_what_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        fs::create_dir_all(root.join("src")).unwrap();
        fs::write(root.join("src/a.rs"), "fn a() {}\n").unwrap();
        fs::write(root.join("latin1.txt"), b"caf\xe9\n").unwrap();
        fs::write(root.join("blob.bin"), b"ab\0cd").unwrap();
        let gate = Gate::new(&root);
        let real = fs::canonicalize(&root).unwrap();
        assert_eq!(
            check_target(&root, &gate, "src/a.rs").unwrap(),
            real.join("src/a.rs")
        );
        // A file still to be created, in a folder still to be created.
        assert_eq!(
            check_target(&root, &gate, "src/new/b.rs").unwrap(),
            real.join("src/new/b.rs")
        );
        assert_eq!(
            check_target(&root, &gate, "latin1.txt"),
            Err(TargetError::NotText)
        );
        assert_eq!(
            check_target(&root, &gate, "blob.bin"),
            Err(TargetError::Binary)
        );
        assert_eq!(check_target(&root, &gate, "src"), Err(TargetError::Folder));
        let check = target_checker(&root, &gate);
        let absolute = real.join("src/a.rs");
        assert_eq!(
            check(&absolute.to_string_lossy()),
            Ok("src/a.rs".to_string())
        );
        assert_eq!(check("./src/../src/a.rs"), Ok("src/a.rs".to_string()));
    }
}
