//! Tests of the path rules: ignore-file precedence as git and ripgrep apply it, `.git/`, the
//! workspace boundary, secret files, and the walker agreeing with `check_path`.

use std::path::{Path, PathBuf};

use super::*;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn reason(gate: &Gate, rel: &str) -> Option<String> {
    gate.check_path(Path::new(rel)).err().map(|w| {
        assert_eq!(w.what, rel.trim_start_matches("./"), "what of {rel}");
        w.reason
    })
}

fn walked(gate: &Gate) -> Vec<String> {
    gate.walk()
        .map(|p| display(p.strip_prefix(gate.root()).unwrap()))
        .collect()
}

#[test]
fn a_gate_is_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Gate>();
}

#[test]
fn nested_gitignores_and_their_precedence() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        ".gitignore",
        "*.log\nbuild/\n!build/keep.txt\n/top-only.txt\n",
    );
    write(root, "sub/.gitignore", "!keep.log\nlocal.txt\n");
    for f in [
        "a.log",
        "sub/x.log",
        "sub/keep.log",
        "sub/local.txt",
        "local.txt",
        "build/keep.txt",
        "top-only.txt",
        "sub/top-only.txt",
    ] {
        write(root, f, "x");
    }
    let gate = Gate::new(root);
    assert_eq!(
        reason(&gate, "a.log").as_deref(),
        Some("ignored by .gitignore (*.log)")
    );
    assert_eq!(
        reason(&gate, "sub/x.log").as_deref(),
        Some("ignored by .gitignore (*.log)")
    );
    assert_eq!(
        reason(&gate, "sub/keep.log"),
        None,
        "the deeper file decides"
    );
    assert_eq!(
        reason(&gate, "sub/local.txt").as_deref(),
        Some("ignored by sub/.gitignore (local.txt)")
    );
    assert_eq!(reason(&gate, "local.txt"), None);
    assert_eq!(
        reason(&gate, "build/keep.txt").as_deref(),
        Some("in build/, ignored by .gitignore (build/)"),
        "nothing below an ignored folder can be re-included"
    );
    assert_eq!(
        reason(&gate, "top-only.txt").as_deref(),
        Some("ignored by .gitignore (/top-only.txt)")
    );
    assert_eq!(reason(&gate, "sub/top-only.txt"), None);
    assert_eq!(
        walked(&gate),
        [
            ".gitignore",
            "local.txt",
            "sub/.gitignore",
            "sub/keep.log",
            "sub/top-only.txt"
        ]
    );
}

#[test]
fn caretignore_outranks_gitignore_and_nests() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".gitignore", "generated/\n");
    write(root, ".caretignore", "!generated/\ndocs/private.md\n");
    write(root, "docs/.caretignore", "drafts/\n");
    for f in [
        "generated/api.rs",
        "docs/private.md",
        "docs/public.md",
        "docs/drafts/x.md",
    ] {
        write(root, f, "x");
    }
    let gate = Gate::new(root);
    assert_eq!(reason(&gate, "generated/api.rs"), None);
    assert_eq!(
        reason(&gate, "docs/private.md").as_deref(),
        Some("ignored by .caretignore (docs/private.md)")
    );
    assert_eq!(
        reason(&gate, "docs/drafts/x.md").as_deref(),
        Some("in docs/drafts/, ignored by docs/.caretignore (drafts/)")
    );
    assert_eq!(
        walked(&gate),
        [
            ".caretignore",
            ".gitignore",
            "docs/.caretignore",
            "docs/public.md",
            "generated/api.rs"
        ]
    );
}

#[test]
fn git_folder_and_info_exclude() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".git/config", "[core]\n");
    write(root, ".git/info/exclude", "scratch.txt\n");
    write(root, "scratch.txt", "x");
    write(root, "sub/.git", "gitdir: ../.git/modules/sub\n");
    write(root, ".git/modules/sub/info/exclude", "mine.txt\n");
    write(root, "sub/mine.txt", "x");
    write(root, "sub/scratch.txt", "x");
    let gate = Gate::new(root);
    assert_eq!(
        reason(&gate, ".git/config").as_deref(),
        Some("inside .git/")
    );
    assert_eq!(reason(&gate, ".git").as_deref(), Some("inside .git/"));
    assert_eq!(reason(&gate, "sub/.git").as_deref(), Some("inside .git/"));
    assert_eq!(
        reason(&gate, "scratch.txt").as_deref(),
        Some("ignored by .git/info/exclude (scratch.txt)")
    );
    assert_eq!(
        reason(&gate, "sub/mine.txt").as_deref(),
        Some("ignored by .git/modules/sub/info/exclude (mine.txt)")
    );
    assert_eq!(
        reason(&gate, "sub/scratch.txt"),
        None,
        "a nested repository has its own excludes"
    );
    assert_eq!(walked(&gate), ["sub/scratch.txt"]);
}

#[test]
fn a_nested_repository_is_not_ruled_by_the_outer_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".gitignore", "*.tmp\n");
    fs::create_dir_all(root.join("vendor/lib/.git")).unwrap();
    write(root, "vendor/lib/.gitignore", "*.bak\n");
    write(root, "vendor/lib/a.tmp", "x");
    write(root, "vendor/lib/a.bak", "x");
    write(root, "b.tmp", "x");
    let gate = Gate::new(root);
    assert_eq!(reason(&gate, "vendor/lib/a.tmp"), None);
    assert!(reason(&gate, "vendor/lib/a.bak").is_some());
    assert!(reason(&gate, "b.tmp").is_some());
}

#[test]
fn a_workspace_inside_a_repository_honours_the_gitignores_above_it() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    fs::create_dir_all(repo.join(".git")).unwrap();
    write(repo, ".gitignore", "*.log\n");
    write(repo, ".caretignore", "*.md\n");
    write(repo, "app/a.log", "x");
    write(repo, "app/a.md", "x");
    let gate = Gate::new(&repo.join("app"));
    let why = reason(&gate, "a.log").unwrap();
    assert!(why.starts_with("ignored by /"), "{why}");
    assert!(why.ends_with("/.gitignore (*.log)"), "{why}");
    assert_eq!(
        reason(&gate, "a.md"),
        None,
        "a .caretignore above the root is another project's"
    );
}

#[test]
fn secret_files_are_withheld_whatever_the_ignore_files_say() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".gitignore", ".env\n");
    write(root, ".caretignore", "!.env\n!*.pem\n");
    write(root, ".env", "A=1");
    write(root, "certs/server.pem", "x");
    write(root, ".env.example", "A=");
    let gate = Gate::new(root);
    assert_eq!(
        reason(&gate, ".env").as_deref(),
        Some("secret file (matches .env)")
    );
    assert_eq!(
        reason(&gate, "certs/server.pem").as_deref(),
        Some("secret file (matches *.pem)")
    );
    assert_eq!(reason(&gate, ".env.example"), None);
    assert_eq!(
        walked(&gate),
        [".caretignore", ".env.example", ".gitignore"]
    );
}

#[test]
fn the_workspace_boundary() {
    let dir = tempfile::tempdir().unwrap();
    let outside_dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    write(&root, "src/a.rs", "x");
    write(&root, ".env", "x");
    write(outside_dir.path(), "secret.txt", "x");
    let gate = Gate::new(&root);
    assert_eq!(reason(&gate, "src/a.rs"), None);
    assert_eq!(reason(&gate, "./src/../src/a.rs"), None);
    assert_eq!(gate.check_path(&root.join("src/a.rs")), Ok(()));
    assert_eq!(gate.check_path(&root), Ok(()));
    for path in ["../ws2/a.rs", "src/../../x", "/etc/passwd"] {
        let err = gate.check_path(Path::new(path)).unwrap_err();
        assert_eq!(err.reason, "outside the workspace", "{path}");
        assert_eq!(err.what, path);
    }
    let err = gate
        .check_path(&outside_dir.path().join("secret.txt"))
        .unwrap_err();
    assert_eq!(err.reason, "outside the workspace");

    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink(outside_dir.path().join("secret.txt"), root.join("link.txt")).unwrap();
        symlink(outside_dir.path(), root.join("linkdir")).unwrap();
        symlink(root.join(".env"), root.join("notes.txt")).unwrap();
        symlink(root.join("src"), root.join("src-link")).unwrap();
        assert_eq!(
            reason(&gate, "link.txt").as_deref(),
            Some("outside the workspace (symlink)")
        );
        assert_eq!(
            reason(&gate, "linkdir/secret.txt").as_deref(),
            Some("outside the workspace (symlink)")
        );
        assert_eq!(
            reason(&gate, "linkdir/not-there.txt").as_deref(),
            Some("outside the workspace (symlink)")
        );
        assert_eq!(
            reason(&gate, "notes.txt").as_deref(),
            Some("symlink to .env: secret file (matches .env)")
        );
        assert_eq!(reason(&gate, "src-link/a.rs"), None);
        // The root spelled through a symlink is the same workspace.
        let alias = dir.path().join("alias");
        symlink(&root, &alias).unwrap();
        assert_eq!(gate.check_path(&alias.join("src/a.rs")), Ok(()));
        assert_eq!(
            Gate::new(&alias)
                .check_path(&alias.join(".env"))
                .unwrap_err()
                .reason,
            "secret file (matches .env)"
        );
    }
    let files: Vec<PathBuf> = gate.walk().collect();
    assert_eq!(files, [gate.root().join("src/a.rs")]);
}

#[test]
fn nothing_to_read_is_no_error() {
    let gate = Gate::new(Path::new("/nonexistent/caret-gate-test"));
    assert_eq!(gate.walk().count(), 0);
    assert_eq!(gate.check_path(Path::new("a.rs")), Ok(()));
    assert!(gate.check_path(Path::new(".env")).is_err());
}
