//! A scratch copy of a workspace: its files (as `.gitignore` allows, without `.git/` and
//! build output) in a temporary folder, with some files replaced by other texts, so a check
//! command can judge a change before anything of the user's is written.

use std::path::{Path, PathBuf};

/// The copy; removed when dropped.
#[derive(Debug)]
pub struct Scratch {
    dir: tempfile::TempDir,
}

/// Folders never copied: version control and build output (a check rebuilds what it needs).
const SKIPPED: &[&str] = &[".git", "target", "node_modules", "__pycache__"];

impl Scratch {
    /// Copies the workspace at `root`.
    pub fn copy(root: &Path) -> std::io::Result<Self> {
        let dir = tempfile::Builder::new().prefix("caret-check-").tempdir()?;
        let walk = ignore::WalkBuilder::new(root)
            .hidden(false)
            .filter_entry(|e| {
                !(e.file_type().is_some_and(|t| t.is_dir())
                    && SKIPPED.contains(&e.file_name().to_string_lossy().as_ref()))
            })
            .build();
        for entry in walk.flatten() {
            let Ok(rel) = entry.path().strip_prefix(root) else {
                continue;
            };
            if rel.as_os_str().is_empty() || !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let to = dir.path().join(rel);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::copy(entry.path(), &to)?;
        }
        Ok(Self { dir })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The copy's file at workspace-relative `rel`.
    pub fn file(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Puts `text` in the copy's file at `rel` (creating folders as needed).
    pub fn write(&self, rel: &str, text: &str) -> std::io::Result<()> {
        let to = self.file(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(to, text)
    }

    /// The copy's text of `rel`, if it has that file.
    pub fn read(&self, rel: &str) -> Option<String> {
        std::fs::read_to_string(self.file(rel)).ok()
    }
}

/// Where a Rust check of the copy keeps its build output: the workspace's own target folder
/// (so dependencies are not built again), unless `CARGO_TARGET_DIR` says otherwise.
pub fn cargo_target(root: &Path) -> Option<PathBuf> {
    if std::env::var_os("CARGO_TARGET_DIR").is_some() {
        return None;
    }
    Some(root.join("target"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_what_git_would_keep() {
        let root = tempfile::tempdir().unwrap();
        let w = |rel: &str, text: &str| {
            let p = root.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        w("src/lib.rs", "fn a() {}\n");
        w(".gitignore", "*.log\n");
        w("debug.log", "noise");
        w("target/debug/x", "built");
        w(".git/HEAD", "ref");
        // `ignore` reads .gitignore only inside a git repository.
        std::fs::create_dir_all(root.path().join(".git")).unwrap();
        let s = Scratch::copy(root.path()).unwrap();
        assert_eq!(s.read("src/lib.rs").as_deref(), Some("fn a() {}\n"));
        assert!(s.read("debug.log").is_none());
        assert!(s.read("target/debug/x").is_none());
        assert!(s.read(".git/HEAD").is_none());
        s.write("src/new.rs", "x").unwrap();
        assert_eq!(s.read("src/new.rs").as_deref(), Some("x"));
    }
}
