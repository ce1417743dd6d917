//! The one gate every piece of repository text passes before it may reach a model: which
//! files may be read at all (ignore files, secret files, `.git/`, the workspace boundary), a
//! walker that honours the same rules, and line redaction of likely secrets.
//!
//! Ignore rules follow git, with ripgrep's precedence for caret's own file: in each folder a
//! `.caretignore` (gitignore syntax) outranks the `.gitignore`, which outranks the repository's
//! `.git/info/exclude`, which outranks the global excludes (`core.excludesFile`); among files
//! of one kind the deepest folder's wins; and nothing below an ignored folder can be
//! re-included. A `.gitignore` counts even where there is no repository: a gate errs on the
//! side of withholding. Secret files and `.git/` are withheld whatever any ignore file says.

mod redact;
mod secret_files;

use std::collections::HashMap;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// Why something was held back, for the context inspector ("withheld: .env (secret file)").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Withheld {
    /// The path relative to the workspace root (`/`-separated), or `path:line` for a line.
    pub what: String,
    pub reason: String,
}

/// The rules for one workspace. Cheap to clone and share between threads: clones share one
/// cache of the ignore files read so far. Ignore files are read the first time a path below
/// their folder is checked and kept; build a new `Gate` when one of them changes.
#[derive(Clone)]
pub struct Gate {
    inner: Arc<Inner>,
}

struct Inner {
    /// The workspace root, canonical (symlinks resolved).
    root: PathBuf,
    /// The root as it was given, made absolute, for paths spelled through it.
    given_root: PathBuf,
    /// The top of the git work tree holding the root, whose `.gitignore`s apply from there
    /// down as git applies them; the root itself when it is in no repository.
    top: PathBuf,
    global: Gitignore,
    folders: Mutex<HashMap<PathBuf, Arc<FolderRules>>>,
}

/// The ignore files of one folder (each empty when absent).
struct FolderRules {
    caret: Gitignore,
    git: Gitignore,
    exclude: Gitignore,
    /// A repository starts here: `.gitignore`s above do not reach into it.
    has_git: bool,
}

impl std::fmt::Debug for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gate")
            .field("root", &self.inner.root)
            .finish_non_exhaustive()
    }
}

const CARETIGNORE: &str = ".caretignore";

impl Gate {
    /// The gate for a workspace root: its `.gitignore` files (root and nested, those of the
    /// enclosing repository above the root, `.git/info/exclude` and the global excludes), its
    /// `.caretignore` files (root and nested), and the secret-file patterns.
    pub fn new(root: &Path) -> Self {
        let given_root = if root.is_absolute() {
            root.to_path_buf()
        } else {
            std::env::current_dir().map_or_else(|_| root.to_path_buf(), |cwd| cwd.join(root))
        };
        let root = fs::canonicalize(&given_root).unwrap_or_else(|_| given_root.clone());
        let top = root
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .unwrap_or(&root)
            .to_path_buf();
        let (global, _) = GitignoreBuilder::new(&top).build_global();
        Self {
            inner: Arc::new(Inner {
                root,
                given_root,
                top,
                global,
                folders: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// The workspace root, canonical.
    pub fn root(&self) -> &Path {
        &self.inner.root
    }

    /// May this file's text be sent at all? `path` is absolute or relative to the root. Err
    /// for secret files, ignored files (or files in ignored folders), anything inside `.git/`,
    /// and paths that resolve, through `..` or symlinks, outside the root. A symlink inside the
    /// root is judged by its own path and by its target's. The path need not exist.
    pub fn check_path(&self, path: &Path) -> Result<(), Withheld> {
        let Some(rel) = self.relative(path) else {
            return Err(outside(path.display().to_string()));
        };
        if rel.as_os_str().is_empty() {
            return Ok(());
        }
        let abs = self.inner.root.join(&rel);
        let is_dir = fs::metadata(&abs).is_ok_and(|m| m.is_dir());
        self.check_rel(&rel, is_dir, true)?;
        let resolved = resolve_existing(&abs);
        match resolved.strip_prefix(&self.inner.root) {
            Ok(target) if target != rel => {
                self.check_rel(target, is_dir, true).map_err(|w| Withheld {
                    what: display(&rel),
                    reason: format!("symlink to {}: {}", w.what, w.reason),
                })
            }
            Ok(_) => Ok(()),
            Err(_) => Err(Withheld {
                what: display(&rel),
                reason: "outside the workspace (symlink)".to_string(),
            }),
        }
    }

    /// The text with every line holding a likely secret replaced by a placeholder such as
    /// `[redacted: likely secret (AWS access key)]`, and what was redacted: one [`Withheld`]
    /// per line, `what` being `path:line` (1-based). The line count never changes; the
    /// indentation and whatever precedes the secret on its line (such as `API_KEY = `) stay.
    /// The regexes match in linear time; placing the matches adds a logarithmic factor at most.
    pub fn redact(&self, path: &str, text: &str) -> (String, Vec<Withheld>) {
        redact::redact(path, text)
    }

    /// The workspace's files that [`Gate::check_path`] admits, as absolute paths (under the
    /// canonical root), in a stable order (sorted by name within each folder). Ignored folders
    /// and `.git/` are not entered; dotfiles that are not ignored are included; symlinks are
    /// not followed, and one is yielded only when it leads to an admitted file in the root.
    ///
    /// An iterator rather than the `ignore::WalkBuilder` it is built on, because a builder
    /// lets a caller replace the filter that enforces the rules.
    pub fn walk(&self) -> Walk {
        let gate = self.clone();
        let walk = ignore::WalkBuilder::new(&self.inner.root)
            .standard_filters(false)
            .follow_links(false)
            .sort_by_file_name(Ord::cmp)
            .filter_entry(move |entry| gate.admits(entry))
            .build();
        Walk { walk }
    }

    /// The walker's filter: the parent folder was admitted already, so only the entry's own
    /// name and rules are left to check (symlinks get the full check).
    fn admits(&self, entry: &ignore::DirEntry) -> bool {
        if entry.path_is_symlink() {
            return self.check_path(entry.path()).is_ok();
        }
        let Ok(rel) = entry.path().strip_prefix(&self.inner.root) else {
            return false;
        };
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        self.check_rel(rel, is_dir, false).is_ok()
    }

    /// The path relative to the canonical root, `.` and `..` resolved without following
    /// symlinks; `None` when it lies outside.
    fn relative(&self, path: &Path) -> Option<PathBuf> {
        let inner = &*self.inner;
        let rest = if path.is_absolute() {
            if let Ok(rest) = path.strip_prefix(&inner.root) {
                rest.to_path_buf()
            } else if let Ok(rest) = path.strip_prefix(&inner.given_root) {
                rest.to_path_buf()
            } else {
                // Spelled through some other symlink to the workspace, perhaps.
                let real = resolve_existing(path);
                real.strip_prefix(&inner.root).ok()?.to_path_buf()
            }
        } else {
            path.to_path_buf()
        };
        let mut rel = PathBuf::new();
        for part in rest.components() {
            match part {
                Component::CurDir => {}
                Component::ParentDir => {
                    if !rel.pop() {
                        return None;
                    }
                }
                Component::Normal(name) => rel.push(name),
                Component::RootDir | Component::Prefix(_) => return None,
            }
        }
        Some(rel)
    }

    /// The rules on a relative path, in the order that gives the most useful reason: `.git/`,
    /// secret file, ignored folder above it, ignored itself.
    fn check_rel(&self, rel: &Path, is_dir: bool, with_folders: bool) -> Result<(), Withheld> {
        let withheld = |reason: String| Withheld {
            what: display(rel),
            reason,
        };
        if rel
            .components()
            .any(|c| c.as_os_str().eq_ignore_ascii_case(".git"))
        {
            return Err(withheld("inside .git/".to_string()));
        }
        if !is_dir && let Some(rule) = secret_files::secret_file_rule(rel) {
            return Err(withheld(format!("secret file (matches {rule})")));
        }
        if with_folders {
            let mut folder = PathBuf::new();
            let parts: Vec<_> = rel.components().collect();
            for part in parts.iter().take(parts.len().saturating_sub(1)) {
                folder.push(part);
                if let Some(reason) = self.ignored(&folder, true) {
                    return Err(withheld(format!("in {}/, {reason}", display(&folder))));
                }
            }
        }
        match self.ignored(rel, is_dir) {
            Some(reason) => Err(withheld(reason)),
            None => Ok(()),
        }
    }

    /// Whether the ignore files exclude `rel` itself, and by which pattern of which file.
    fn ignored(&self, rel: &Path, is_dir: bool) -> Option<String> {
        let inner = &*self.inner;
        let abs = inner.root.join(rel);
        let parent = abs.parent()?;
        let folders: Vec<Arc<FolderRules>> = parent
            .ancestors()
            .take_while(|dir| dir.starts_with(&inner.top))
            .map(|dir| self.folder(dir))
            .collect();
        // Deepest first: the nearest file that has a say decides, within each kind.
        let (mut caret, mut git, mut exclude) = (Match::None, Match::None, Match::None);
        let mut in_repo = false;
        for rules in &folders {
            if caret.is_none() {
                caret = rules.caret.matched(&abs, is_dir);
            }
            // A nested repository's files answer to its own .gitignores only.
            if !in_repo {
                if git.is_none() {
                    git = rules.git.matched(&abs, is_dir);
                }
                if exclude.is_none() {
                    exclude = rules.exclude.matched(&abs, is_dir);
                }
            }
            in_repo |= rules.has_git;
        }
        let global = inner.global.matched(&abs, is_dir);
        let (kind, decided) = [caret, git, exclude, global]
            .into_iter()
            .enumerate()
            .find(|(_, m)| !m.is_none())?;
        let Match::Ignore(glob) = decided else {
            return None;
        };
        let source = match glob.from() {
            _ if kind == 3 => "the global git excludes".to_string(),
            Some(file) => display(file.strip_prefix(&inner.root).unwrap_or(file)),
            None => "an ignore rule".to_string(),
        };
        Some(format!("ignored by {source} ({})", glob.original()))
    }

    /// The ignore files of one folder, read once.
    fn folder(&self, dir: &Path) -> Arc<FolderRules> {
        let cache = || {
            self.inner
                .folders
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
        };
        if let Some(rules) = cache().get(dir) {
            return Arc::clone(rules);
        }
        // Read outside the lock: other threads may be checking other folders meanwhile.
        let rules = Arc::new(self.read_folder(dir));
        Arc::clone(cache().entry(dir.to_path_buf()).or_insert(rules))
    }

    fn read_folder(&self, dir: &Path) -> FolderRules {
        let dot_git = dir.join(".git");
        let has_git = dot_git.exists();
        // .caretignore is the workspace's own: one above the root is some other project's.
        let caret = if dir.starts_with(&self.inner.root) {
            load(dir, &dir.join(CARETIGNORE))
        } else {
            Gitignore::empty()
        };
        let exclude = match git_common_dir(&dot_git) {
            Some(common) if has_git => load(dir, &common.join("info").join("exclude")),
            _ => Gitignore::empty(),
        };
        FolderRules {
            caret,
            git: load(dir, &dir.join(".gitignore")),
            exclude,
            has_git,
        }
    }
}

/// An iterator over the files that the gate admits; see [`Gate::walk`].
pub struct Walk {
    walk: ignore::Walk,
}

impl Iterator for Walk {
    type Item = PathBuf;

    fn next(&mut self) -> Option<PathBuf> {
        loop {
            // Unreadable folders are skipped: what cannot be read cannot be sent.
            let Ok(entry) = self.walk.next()? else {
                continue;
            };
            let is_file = match entry.file_type() {
                Some(t) if t.is_symlink() => fs::metadata(entry.path()).is_ok_and(|m| m.is_file()),
                Some(t) => t.is_file(),
                None => false,
            };
            if is_file {
                return Some(entry.into_path());
            }
        }
    }
}

/// A matcher for a gitignore-syntax file, relative to `dir`; a missing or unreadable file and
/// bad lines add nothing (as with git).
fn load(dir: &Path, file: &Path) -> Gitignore {
    if !file.is_file() {
        return Gitignore::empty();
    }
    let mut builder = GitignoreBuilder::new(dir);
    let _partial_error = builder.add(file);
    builder.build().unwrap_or_else(|_| Gitignore::empty())
}

/// The folder holding `info/exclude` for a `.git` that is a folder, or a `gitdir:` file (as
/// in worktrees and submodules, whose common folder may be elsewhere).
fn git_common_dir(dot_git: &Path) -> Option<PathBuf> {
    if dot_git.is_dir() {
        return Some(dot_git.to_path_buf());
    }
    let text = fs::read_to_string(dot_git).ok()?;
    let git_dir = text.trim().strip_prefix("gitdir:")?.trim();
    let git_dir = dot_git.parent()?.join(git_dir);
    let common = match fs::read_to_string(git_dir.join("commondir")) {
        Ok(common) => git_dir.join(common.trim()),
        Err(_) => git_dir,
    };
    Some(fs::canonicalize(&common).unwrap_or(common))
}

/// The path with every symlink resolved, as far as it exists; the missing rest is appended.
pub(crate) fn resolve_existing(path: &Path) -> PathBuf {
    let mut missing = Vec::new();
    let mut existing = path;
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            return missing.iter().rev().fold(real, |p, name| p.join(name));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name);
                existing = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}

fn outside(what: String) -> Withheld {
    Withheld {
        what,
        reason: "outside the workspace".to_string(),
    }
}

/// A relative path as the inspector shows it: `/`-separated on every platform.
fn display(rel: &Path) -> String {
    let parts: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

#[cfg(test)]
mod tests;
