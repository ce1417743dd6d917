//! The gate against the fixture workspace tests/gate/ws: which files the walker yields, why
//! `check_path` refuses the others, and what redaction makes of a settings file.
//!
//! The fixture is copied to a temporary folder first, so that the repository around it lends
//! it no rules, and so that the parts git cannot hold (a `.git` folder, symlinks) can be added.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

use caret::context::gate::{Gate, Withheld};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/gate/ws");

struct Workspace {
    _dir: tempfile::TempDir,
    root: PathBuf,
    outside: PathBuf,
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn workspace() -> Workspace {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    copy_tree(Path::new(FIXTURE), &root);
    fs::create_dir_all(root.join(".git/info")).unwrap();
    fs::write(root.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    fs::write(root.join(".git/info/exclude"), "scratch.md\n").unwrap();
    fs::write(root.join("scratch.md"), "only on this machine\n").unwrap();
    let outside = dir.path().join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("passwd"), "root:x:0:0\n").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.join("passwd"), root.join("src/passwd.txt")).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("outside-dir")).unwrap();
    }
    Workspace {
        _dir: dir,
        root,
        outside,
    }
}

fn relative(gate: &Gate, path: &Path) -> String {
    let rel = path.strip_prefix(gate.root()).unwrap();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn walk_yields_exactly_the_files_that_may_be_sent() {
    let ws = workspace();
    let gate = Gate::new(&ws.root);
    let files: Vec<String> = gate.walk().map(|p| relative(&gate, &p)).collect();
    assert_eq!(
        files,
        [
            ".caretignore",
            ".env.example",
            ".github/workflows/ci.yml",
            ".gitignore",
            "README.md",
            "config/app.yaml",
            "deploy/deploy.sh",
            "deploy/id_rsa.pub",
            "docs/.caretignore",
            "docs/guide.md",
            "src/.gitignore",
            "src/generated_keep.py",
            "src/main.py",
            "src/settings.py",
        ]
    );
}

#[test]
fn check_path_refuses_each_forbidden_file_with_its_reason() {
    let ws = workspace();
    let gate = Gate::new(&ws.root);
    let mut cases = vec![
        (".env", "secret file (matches .env)"),
        ("config/secrets.yaml", "secret file (matches secrets.*)"),
        ("deploy/id_rsa", "secret file (matches id_rsa*)"),
        ("build/out.txt", "in build/, ignored by .gitignore (build/)"),
        ("build", "ignored by .gitignore (build/)"),
        ("src/debug.log", "ignored by .gitignore (*.log)"),
        (
            "src/generated_api.py",
            "ignored by src/.gitignore (generated_*.py)",
        ),
        (
            "private/notes.md",
            "in private/, ignored by .caretignore (private/)",
        ),
        (
            "docs/drafts/next.md",
            "in docs/drafts/, ignored by docs/.caretignore (drafts/)",
        ),
        ("scratch.md", "ignored by .git/info/exclude (scratch.md)"),
        (".git/HEAD", "inside .git/"),
        ("../outside/passwd", "outside the workspace"),
    ];
    if cfg!(unix) {
        cases.push(("src/passwd.txt", "outside the workspace (symlink)"));
        cases.push(("outside-dir/passwd", "outside the workspace (symlink)"));
    }
    for (path, reason) in cases {
        assert_eq!(
            gate.check_path(Path::new(path)),
            Err(Withheld {
                what: path.to_string(),
                reason: reason.to_string(),
            }),
            "{path}"
        );
    }
    let err = gate.check_path(&ws.outside.join("passwd")).unwrap_err();
    assert_eq!(err.reason, "outside the workspace");
    // Absolute paths inside the workspace are judged the same way.
    assert_eq!(
        gate.check_path(&ws.root.join(".env")).unwrap_err().reason,
        "secret file (matches .env)"
    );
    assert_eq!(gate.check_path(&ws.root.join("src/settings.py")), Ok(()));
}

/// Every file and folder in the workspace, ignored or not, symlinks not followed.
fn everything(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        out.push(entry.path());
        if entry.file_type().unwrap().is_dir() {
            everything(&entry.path(), out);
        }
    }
}

#[test]
fn walk_and_check_path_agree_on_every_file() {
    let ws = workspace();
    let gate = Gate::new(&ws.root);
    let walked: Vec<PathBuf> = gate.walk().collect();
    let mut all = Vec::new();
    everything(gate.root(), &mut all);
    for path in all.iter().filter(|p| p.is_file()) {
        assert_eq!(
            gate.check_path(path).is_ok(),
            walked.contains(path),
            "{}",
            path.display()
        );
    }
}

#[test]
fn settings_py_is_redacted_as_expected() {
    let ws = workspace();
    let gate = Gate::new(&ws.root);
    let text = fs::read_to_string(ws.root.join("src/settings.py")).unwrap();
    let expected = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/gate/settings.py.redacted"
    ))
    .unwrap();
    let (out, withheld) = gate.redact("src/settings.py", &text);
    assert_eq!(out, expected);
    assert_eq!(
        withheld,
        [
            Withheld {
                what: "src/settings.py:9".to_string(),
                reason: "likely secret (AWS access key)".to_string(),
            },
            Withheld {
                what: "src/settings.py:16".to_string(),
                reason: "likely secret (password)".to_string(),
            },
        ]
    );
}

#[test]
fn the_admitted_files_other_than_settings_need_no_redaction() {
    let ws = workspace();
    let gate = Gate::new(&ws.root);
    for path in gate.walk() {
        let rel = relative(&gate, &path);
        if rel == "src/settings.py" {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let (out, withheld) = gate.redact(&rel, &text);
        assert!(withheld.is_empty(), "{rel}: {withheld:?}");
        assert_eq!(out, text);
    }
}
