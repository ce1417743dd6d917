//! End-to-end tests: the real caret binary in a pseudo-terminal. Each test asserts what the
//! user sees on the emulated screen and the bytes that end up on disk.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "e2e/harness.rs"]
mod harness;

use std::fmt::Write as _;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use harness::{COLS, Caret, Options, ROWS, Sandbox, WAIT, is_root, key, mode};

/// A new file: what was typed is saved byte for byte with LF, the file is created by the
/// save (not before), and it gets the usual mode for umask 022.
#[test]
fn new_file_is_created_with_exactly_the_typed_bytes() {
    let sb = Sandbox::new();
    let path = sb.path("notes.txt");
    let caret = Caret::spawn(
        &sb,
        &["notes.txt"],
        &Options {
            umask: Some(0o022),
            ..Options::default()
        },
    );
    caret.wait_ready();
    caret.wait_message("notes.txt: new file");
    assert!(!path.exists(), "opening a missing path must not create it");

    caret.type_text("hello\rworld\r");
    caret.wait_status("Ln 3, Col 1");
    caret.wait_status("[+]");
    assert!(!path.exists(), "typing must not create the file");
    caret.send(key::CTRL_S);
    caret.wait_message("saved notes.txt (12 bytes)");
    caret.wait_status_without("[+]");
    assert_eq!(sb.read("notes.txt"), b"hello\nworld\n");
    assert_eq!(format!("{:o}", mode(&path)), "644");

    let mut caret = caret;
    caret.send(key::CTRL_Q);
    let status = caret.wait_exit(WAIT);
    assert!(status.success(), "{status:?}");
    assert_eq!(sb.read("notes.txt"), b"hello\nworld\n");
}

/// A user with umask 077 expects new files to be private, as every other editor makes them.
#[test]
fn new_file_respects_the_umask() {
    let sb = Sandbox::new();
    let caret = Caret::spawn(
        &sb,
        &["private.txt"],
        &Options {
            umask: Some(0o077),
            ..Options::default()
        },
    );
    caret.wait_ready();
    caret.type_text("secret");
    caret.wait_status("[+]");
    caret.send(key::CTRL_S);
    caret.wait_message("saved private.txt (6 bytes)");
    assert_eq!(sb.read("private.txt"), b"secret");
    assert_eq!(
        format!("{:o}", mode(&sb.path("private.txt"))),
        "600",
        "umask 077 must give 0600"
    );
}

/// CRLF + BOM + no final newline survive an edit that adds a line.
#[test]
fn crlf_bom_and_missing_final_newline_are_kept() {
    let sb = Sandbox::new();
    sb.write("win.txt", b"\xEF\xBB\xBFfirst\r\nsecond\r\nthird");
    let caret = Caret::start(&sb, &["win.txt"]);
    caret.wait_status("CRLF");
    caret.wait_status("BOM");
    caret.wait_for("second");

    caret.send(key::DOWN);
    caret.send(key::END);
    caret.wait_status("Ln 2, Col 7");
    caret.send(key::ENTER);
    caret.type_text("inserted");
    caret.wait_status("Ln 3, Col 9");
    caret.wait_for("inserted");
    caret.send(key::CTRL_S);
    caret.wait_message("saved win.txt (");
    caret.wait_status_without("[+]");

    assert_eq!(
        sb.read("win.txt"),
        b"\xEF\xBB\xBFfirst\r\nsecond\r\ninserted\r\nthird".to_vec(),
        "BOM, CRLF everywhere and no final newline"
    );
    let screen = caret.screen();
    let lines: Vec<&str> = screen.lines().collect();
    assert!(lines[1].ends_with("first"), "{screen}");
    assert!(lines[2].ends_with("second"), "{screen}");
    assert!(lines[3].ends_with("inserted"), "{screen}");
    assert!(lines[4].ends_with("third"), "{screen}");
}

/// Saving through a symlink writes the target and keeps the link a link.
#[test]
fn saving_through_a_symlink_updates_the_target() {
    let sb = Sandbox::new();
    sb.write("real.txt", b"original\n");
    symlink("real.txt", sb.path("link.txt")).unwrap();
    let caret = Caret::start(&sb, &["link.txt"]);
    caret.wait_for("original");
    caret.type_text("edited ");
    caret.wait_for("edited original");
    caret.send(key::CTRL_S);
    caret.wait_message("saved link.txt (16 bytes)");

    assert_eq!(sb.read("real.txt"), b"edited original\n");
    let link = std::fs::symlink_metadata(sb.path("link.txt")).unwrap();
    assert!(
        link.file_type().is_symlink(),
        "link.txt must stay a symlink"
    );
    assert_eq!(
        std::fs::read_link(sb.path("link.txt")).unwrap(),
        Path::new("real.txt")
    );
    let leftovers: Vec<_> = std::fs::read_dir(sb.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("caret"))
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
}

/// A hard-linked file is rewritten in place, so every name sees the new text.
#[test]
fn saving_a_hard_linked_file_keeps_the_link() {
    let sb = Sandbox::new();
    sb.write("one.txt", b"shared\n");
    std::fs::hard_link(sb.path("one.txt"), sb.path("two.txt")).unwrap();
    let caret = Caret::start(&sb, &["one.txt"]);
    caret.wait_for("shared");
    caret.type_text("still ");
    caret.wait_for("still shared");
    caret.send(key::CTRL_S);
    caret.wait_message("saved one.txt (13 bytes)");
    assert_eq!(sb.read("one.txt"), b"still shared\n");
    assert_eq!(sb.read("two.txt"), b"still shared\n");
    let (a, b) = (
        std::fs::metadata(sb.path("one.txt")).unwrap(),
        std::fs::metadata(sb.path("two.txt")).unwrap(),
    );
    assert_eq!((a.ino(), a.nlink()), (b.ino(), 2));
}

/// Someone else rewrote the file: saving asks first; cancel keeps their bytes, overwrite
/// writes ours.
#[test]
fn save_asks_before_overwriting_a_file_changed_on_disk() {
    let sb = Sandbox::new();
    sb.write("a.txt", b"one\n");
    let caret = Caret::start(&sb, &["a.txt"]);
    caret.wait_for("one");
    caret.type_text("A");
    caret.wait_for("Aone");
    caret.wait_status("[+]");

    sb.write("a.txt", b"the other writer was here\n");
    // The watcher notices first; keeping mine must not make the save skip the question.
    caret.wait_message("[k]keep mine");
    caret.send(b"k");
    caret.wait_gone("[k]keep mine");
    caret.send(key::CTRL_S);
    caret.wait_message("a.txt changed on disk since it was loaded. Overwrite it?");
    caret.wait_message("[o]overwrite");
    caret.wait_message("[c]cancel");
    caret.send(b"c");
    caret.wait_gone("Overwrite it?");
    caret.wait_status("[+]");
    assert_eq!(sb.read("a.txt"), b"the other writer was here\n");

    caret.send(key::CTRL_S);
    caret.wait_message("Overwrite it?");
    caret.send(b"o");
    caret.wait_message("saved a.txt (5 bytes)");
    caret.wait_status_without("[+]");
    assert_eq!(sb.read("a.txt"), b"Aone\n");
}

/// Options that run caret as user nobody when the tests run as root (permission checks are
/// vacuous for root); `owned` are chowned to nobody, as are the XDG folders. Err says why
/// that is not possible here.
fn unprivileged(sb: &Sandbox, owned: &[&Path]) -> Result<Options, String> {
    if !is_root() {
        return Ok(Options::default());
    }
    std::fs::set_permissions(sb.root(), std::fs::Permissions::from_mode(0o755))
        .map_err(|e| e.to_string())?;
    let xdg = [sb.path("home"), sb.path("config"), sb.path("state")];
    for p in xdg
        .iter()
        .map(PathBuf::as_path)
        .chain(owned.iter().copied())
    {
        std::os::unix::fs::chown(p, Some(65534), Some(65534)).map_err(|e| e.to_string())?;
    }
    let wrapper: Vec<String> = [
        "setpriv",
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "--",
    ]
    .map(String::from)
    .to_vec();
    let probe = |program: &Path, args: &[&str]| {
        Command::new(&wrapper[0])
            .args(&wrapper[1..])
            .arg(program)
            .args(args)
            .current_dir(sb.root())
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !probe(Path::new("true"), &[]) {
        return Err("running as root and `setpriv --reuid=65534` does not work here".into());
    }
    let state = sb.path("state");
    if !probe(Path::new("test"), &["-w", &state.to_string_lossy()]) {
        return Err(format!(
            "user nobody cannot reach {} (a parent folder is private?)",
            state.display()
        ));
    }
    let built = PathBuf::from(env!("CARGO_BIN_EXE_caret"));
    let binary = if probe(&built, &["--version"]) {
        built
    } else {
        // The build folder is private: give nobody a copy.
        let copy = sb.path("caret-bin");
        std::fs::copy(&built, &copy).map_err(|e| format!("copy caret binary: {e}"))?;
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| e.to_string())?;
        if !probe(&copy, &["--version"]) {
            return Err("user nobody cannot run the caret binary".into());
        }
        copy
    };
    Ok(Options {
        wrapper,
        binary: Some(binary),
        umask: Some(0o022),
        env: Vec::new(),
    })
}

/// A file in a read-only folder cannot be replaced: the save fails with the reason, the file
/// keeps its bytes, the buffer stays dirty and nothing is left behind in the folder.
#[test]
fn save_into_a_read_only_folder_fails_and_keeps_everything() {
    let sb = Sandbox::new();
    sb.write("ro/file.txt", b"keep me\n");
    let (ro, file) = (sb.path("ro"), sb.path("ro/file.txt"));
    // The file itself is writable, so only the folder's permission is in the way.
    let options = match unprivileged(&sb, &[&file]) {
        Ok(o) => o,
        Err(reason) => {
            eprintln!("SKIPPED save_into_a_read_only_folder_fails_and_keeps_everything: {reason}");
            return;
        }
    };
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();

    let caret = Caret::spawn(&sb, &["ro/file.txt"], &options);
    caret.wait_ready();
    assert!(
        caret.uid() != 0,
        "permission checks are vacuous for root: caret must run unprivileged"
    );
    caret.wait_for("keep me");
    caret.type_text("Z");
    caret.wait_for("Zkeep me");
    caret.send(key::CTRL_S);
    caret.wait_message("cannot save ro/file.txt");
    let message = caret.message_line();
    assert!(
        message.contains("Permission denied"),
        "the message must say why: {message:?}"
    );
    assert!(!message.contains("saved"), "{message:?}");
    assert!(caret.status_line().contains("[+]"), "{}", caret.screen());
    assert_eq!(std::fs::read(&file).unwrap(), b"keep me\n");
    let entries: Vec<_> = std::fs::read_dir(&ro)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(entries, ["file.txt"], "no temp file may be left behind");
    drop(caret);
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A read-only file in a writable folder: a rename would replace it, so caret must refuse.
#[test]
fn save_refuses_to_replace_a_read_only_file() {
    let sb = Sandbox::new();
    sb.write("rw/locked.txt", b"do not replace\n");
    let (folder, file) = (sb.path("rw"), sb.path("rw/locked.txt"));
    let options = match unprivileged(&sb, &[&folder, &file]) {
        Ok(o) => o,
        Err(reason) => {
            eprintln!("SKIPPED save_refuses_to_replace_a_read_only_file: {reason}");
            return;
        }
    };
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let inode = std::fs::metadata(&file).unwrap().ino();

    let caret = Caret::spawn(&sb, &["rw/locked.txt"], &options);
    caret.wait_ready();
    assert!(
        caret.uid() != 0,
        "permission checks are vacuous for root: caret must run unprivileged"
    );
    caret.wait_for("do not replace");
    caret.type_text("Z");
    caret.wait_for("Zdo not replace");
    caret.send(key::CTRL_S);
    caret.wait_message("rw/locked.txt is read-only");
    caret.wait_status("[+]");
    assert_eq!(std::fs::read(&file).unwrap(), b"do not replace\n");
    let meta = std::fs::metadata(&file).unwrap();
    assert_eq!((meta.ino(), meta.mode() & 0o777), (inode, 0o444));
}

/// Waits until a recovery file exists whose text (after the header) is `body`.
fn wait_recovery(sb: &Sandbox, body: &[u8]) -> PathBuf {
    let start = Instant::now();
    loop {
        for file in sb.recovery_files() {
            let bytes = std::fs::read(&file).unwrap_or_default();
            if let Some(nl) = bytes.iter().position(|b| *b == b'\n')
                && &bytes[nl + 1..] == body
            {
                return file;
            }
        }
        assert!(
            start.elapsed() < WAIT,
            "no recovery file with {:?} in {}: {:?}",
            String::from_utf8_lossy(body),
            sb.recovery_dir().display(),
            sb.recovery_files()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A crash (SIGKILL) loses at most the last second: the idle recovery file is private, holds
/// the text after a one-line header, and the next start offers to restore it.
#[test]
fn recovery_file_survives_sigkill_and_is_restored() {
    let sb = Sandbox::new();
    sb.write("a.txt", b"base\n");
    let mut caret = Caret::start(&sb, &["a.txt"]);
    caret.wait_for("base");
    caret.type_text("typed text ");
    caret.wait_for("typed text base");
    // Written after 1 s idle: poll for it.
    let file = wait_recovery(&sb, b"typed text base\n");
    caret.signal("KILL");
    let status = caret.wait_exit(WAIT);
    assert!(!status.success());

    assert_eq!(
        format!("{:o}", mode(&file)),
        "600",
        "recovery files must be private"
    );
    let bytes = std::fs::read(&file).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let (header, body) = text.split_once('\n').unwrap();
    assert!(header.starts_with("caret-recovery"), "{header:?}");
    assert!(header.contains("a.txt"), "{header:?}");
    assert_eq!(body, "typed text base\n");
    assert_eq!(
        sb.read("a.txt"),
        b"base\n",
        "a crash must not touch the file"
    );
    drop(caret);

    let caret = Caret::start(&sb, &["a.txt"]);
    caret.wait_message("a.txt has unsaved changes in a recovery file");
    assert!(
        caret.screen().contains("base"),
        "the file's own text shows first"
    );
    caret.send(b"r");
    caret.wait_for("typed text base");
    caret.wait_status("[+]");
    caret.wait_message("restored unsaved changes");
    caret.send(key::CTRL_S);
    caret.wait_message("saved a.txt (16 bytes)");
    caret.wait_status_without("[+]");
    assert_eq!(sb.read("a.txt"), b"typed text base\n");
    assert!(
        sb.recovery_files().is_empty(),
        "the recovery file goes once its text is saved: {:?}",
        sb.recovery_files()
    );
}

/// The restore question must show its choices on an ordinary terminal, however long the
/// recovery file's path is.
#[test]
fn restore_question_shows_its_choices() {
    let sb = Sandbox::new();
    sb.write("a.txt", b"base\n");
    let mut caret = Caret::start(&sb, &["a.txt"]);
    caret.type_text("more ");
    caret.wait_for("more base");
    caret.signal("TERM");
    caret.wait_exit(WAIT);
    assert_eq!(sb.recovery_files().len(), 1);
    drop(caret);

    let caret = Caret::start(&sb, &["a.txt"]);
    caret.wait_for("unsaved changes in a recovery file");
    caret.wait_for("[r]restore");
    caret.wait_for("[d]discard");
    caret.wait_for("[k]keep");
}

/// "Keep for later" must keep the recovered text: editing and saving the file in this session
/// may not overwrite or delete it.
#[test]
fn kept_recovery_file_survives_the_next_session() {
    let sb = Sandbox::new();
    sb.write("a.txt", b"base\n");
    let mut caret = Caret::start(&sb, &["a.txt"]);
    caret.type_text("crashed work ");
    caret.wait_for("crashed work base");
    wait_recovery(&sb, b"crashed work base\n");
    caret.signal("KILL");
    caret.wait_exit(WAIT);
    drop(caret);

    let mut caret = Caret::start(&sb, &["a.txt"]);
    caret.wait_message("has unsaved changes in a recovery file");
    caret.send(b"k");
    caret.wait_gone("has unsaved changes in a recovery file");
    caret.wait_for("base");
    caret.type_text("new ");
    caret.wait_for("new base");
    // Long enough for an idle recovery write (1 s idle).
    std::thread::sleep(Duration::from_millis(2500));
    caret.send(key::CTRL_S);
    caret.wait_message("saved a.txt (9 bytes)");
    caret.send(key::CTRL_Q);
    assert!(caret.wait_exit(WAIT).success());
    assert_eq!(sb.read("a.txt"), b"new base\n");

    let kept = sb.recovery_files().into_iter().any(|f| {
        std::fs::read_to_string(f).is_ok_and(|t| {
            t.split_once('\n')
                .is_some_and(|(_, b)| b == "crashed work base\n")
        })
    });
    assert!(
        kept,
        "the text kept for later is gone: {:?}",
        sb.recovery_files()
    );
}

/// An unnamed buffer's recovery file goes away once the buffer is saved under a name.
#[test]
fn save_as_removes_the_untitled_recovery_file() {
    let sb = Sandbox::new();
    let mut caret = Caret::start(&sb, &[]);
    caret.type_text("scratch work\r");
    caret.wait_for("scratch work");
    wait_recovery(&sb, b"scratch work\n");
    caret.send(key::CTRL_S);
    caret.wait_message("Save as:");
    caret.type_text("named.txt\r");
    caret.wait_message("saved named.txt (13 bytes)");
    caret.wait_status_without("[+]");
    assert_eq!(sb.read("named.txt"), b"scratch work\n");
    caret.send(key::CTRL_Q);
    assert!(caret.wait_exit(WAIT).success());
    assert!(
        sb.recovery_files().is_empty(),
        "stale recovery files: {:?}",
        sb.recovery_files()
    );
}

/// SIGTERM with a dirty buffer: caret writes the recovery file, leaves the terminal, and says
/// where the text went.
#[test]
fn sigterm_writes_recovery_and_says_where() {
    let sb = Sandbox::new();
    sb.write("a.txt", b"line\n");
    let mut caret = Caret::start(&sb, &["a.txt"]);
    caret.wait_for("line");
    caret.type_text("unsaved ");
    caret.wait_for("unsaved line");
    caret.signal("TERM");
    let status = caret.wait_exit(WAIT);
    assert!(
        !status.success(),
        "a signal exit is not a success: {status:?}"
    );

    let files = sb.recovery_files();
    assert_eq!(files.len(), 1, "{files:?}");
    let text = String::from_utf8(std::fs::read(&files[0]).unwrap()).unwrap();
    assert_eq!(text.split_once('\n').unwrap().1, "unsaved line\n");
    assert_eq!(format!("{:o}", mode(&files[0])), "600");
    let shown = files[0].display().to_string();
    caret.wait_until("the exit report", WAIT, |s| {
        !s.alternate_screen() && s.contents().contains(&shown)
    });
    let screen = caret.screen();
    assert!(screen.contains("SIGTERM"), "{screen}");
    assert!(
        screen.contains("unsaved changes to a.txt were written to"),
        "{screen}"
    );
    assert_eq!(sb.read("a.txt"), b"line\n");
}

/// A 10 MB bracketed paste shows up promptly and is saved byte for byte.
#[test]
fn ten_megabyte_paste_is_shown_and_saved_exactly() {
    const LINES: usize = 200_000;
    let sb = Sandbox::new();
    let caret = Caret::start(&sb, &["big.txt"]);
    let mut text = String::with_capacity(LINES * 51);
    for i in 0..LINES {
        // 50 characters and a newline.
        let _ = writeln!(text, "{i:06} abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
    }
    assert_eq!(text.len(), LINES * 51);
    let mut bytes = b"\x1b[200~".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    bytes.extend_from_slice(b"\x1b[201~");

    let start = Instant::now();
    let writer = caret.send_in_background(bytes);
    caret.wait_until("the end of the paste", Duration::from_secs(30), |s| {
        s.contents().contains("Ln 200001, Col 1")
    });
    let shown = start.elapsed();
    assert!(writer.join().unwrap(), "the paste could not be written");
    caret.wait_for("199999 abcdefghij");
    caret.wait_status("[+]");
    eprintln!("10 MB paste shown after {shown:?}");

    caret.send(key::CTRL_S);
    caret.wait_until("the save", Duration::from_secs(20), |s| {
        s.contents().contains("saved big.txt (10200000 bytes)")
    });
    let on_disk = sb.read("big.txt");
    assert_eq!(on_disk.len(), text.len());
    assert!(
        on_disk == text.as_bytes(),
        "saved bytes differ from the paste"
    );
}

/// Tiny terminals do not crash caret (with a file open, and with the picker over it), and the
/// text comes back when the terminal grows again.
#[test]
fn resizing_to_tiny_sizes_and_back_keeps_running() {
    let sb = Sandbox::new();
    sb.write("r.txt", b"resize me please\nsecond line\n");
    let mut caret = Caret::start(&sb, &["r.txt"]);
    caret.wait_for("resize me please");
    // Below 4 rows the text takes the first row, without line numbers.
    for (rows, cols, first_row) in [(1, 1, "r"), (2, 2, "re"), (3, 5, "resiz"), (1, 1, "r")] {
        caret.resize(rows, cols);
        caret.wait_until(&format!("a {cols}x{rows} frame"), WAIT, |s| {
            s.contents().starts_with(first_row)
        });
        assert!(caret.is_running(), "caret died at {cols}x{rows}");
    }
    caret.resize(ROWS, COLS);
    caret.wait_for("resize me please");
    caret.wait_for("second line");
    caret.wait_status("r.txt");
    caret.wait_status("Ln 1, Col 1");

    // The picker popup at tiny sizes.
    caret.send(key::CTRL_P);
    caret.wait_for("Open file");
    for (rows, cols) in [(1, 1), (2, 2), (3, 5), (5, 3)] {
        caret.resize(rows, cols);
        std::thread::sleep(Duration::from_millis(100));
        assert!(
            caret.is_running(),
            "caret died at {cols}x{rows} with the picker open"
        );
    }
    caret.resize(ROWS, COLS);
    caret.wait_for("Open file");
    caret.esc();
    caret.wait_gone("Open file");
    caret.wait_for("resize me please");
    assert!(caret.is_running());
    // Still editing normally.
    caret.type_text("ok ");
    caret.wait_for("ok resize me please");
}

/// `caret DIR` opens the picker on DIR; .gitignore'd folders are not listed; typing narrows
/// the list and Enter opens the file.
#[test]
fn directory_argument_opens_the_gitignore_aware_picker() {
    let sb = Sandbox::new();
    sb.write("proj/alpha.txt", b"alpha content\n");
    sb.write("proj/beta.rs", b"fn beta() {}\n");
    sb.write("proj/src/gamma.rs", b"fn gamma() {}\n");
    sb.write("proj/.gitignore", b"ignored/\n");
    sb.write("proj/ignored/secret.txt", b"hidden\n");
    let caret = Caret::spawn(&sb, &["proj"], &Options::default());
    caret.wait_for("Open file");
    caret.wait_for("alpha.txt");
    caret.wait_for("beta.rs");
    caret.wait_for("src/gamma.rs");
    caret.wait_until("the walk to finish", WAIT, |s| {
        let c = s.contents();
        c.contains("Open file") && !c.contains("scanning")
    });
    let screen = caret.screen();
    assert!(screen.contains("Open file 3/3"), "{screen}");
    assert!(
        !screen.contains("secret"),
        "ignored files are listed:\n{screen}"
    );

    caret.type_text("bet");
    caret.wait_for("Open file 1/3");
    caret.send(key::ENTER);
    caret.wait_gone("Open file");
    caret.wait_for("fn beta() {}");
    caret.wait_status("beta.rs");
    caret.wait_status("Rust");
}

/// Binary and non-UTF-8 files are refused with the reason and never written, even if the
/// user saves.
#[test]
fn binary_and_non_utf8_files_are_refused_and_untouched() {
    let sb = Sandbox::new();
    let binary: &[u8] = b"PK\x03\x04\x00\x00binary\x00data\n";
    let latin1: &[u8] = b"caf\xe9 au lait\n";
    sb.write("bin.dat", binary);
    sb.write("latin1.txt", latin1);

    for (name, reason, bytes) in [
        ("bin.dat", "binary", binary),
        ("latin1.txt", "not valid UTF-8", latin1),
    ] {
        let mut caret = Caret::start(&sb, &[name]);
        caret.wait_message(name);
        caret.wait_message(reason);
        caret.wait_status_without(name);
        caret.type_text("x");
        caret.wait_status("[+]");
        caret.send(key::CTRL_S);
        // Not the refused file: the buffer has no name, so caret asks for one.
        caret.wait_message("Save as:");
        caret.esc();
        caret.wait_gone("Save as:");
        caret.send(key::CTRL_Q);
        caret.wait_message("Unsaved changes");
        caret.send(b"d");
        let status = caret.wait_exit(WAIT);
        assert!(status.success(), "{status:?}");
        assert_eq!(sb.read(name), bytes, "{name} was changed");
    }
    let names: Vec<_> = std::fs::read_dir(sb.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !["home", "config", "state"].contains(&n.as_str()))
        .collect();
    assert_eq!(names.len(), 2, "no new files: {names:?}");
}

/// Undo steps back over a save: the first undo returns to the saved text (clean), the second
/// to the original (dirty), and saving that writes the original bytes.
#[test]
fn undo_across_a_save_restores_the_original() {
    let sb = Sandbox::new();
    sb.write("u.txt", b"original\n");
    let caret = Caret::start(&sb, &["u.txt"]);
    caret.wait_for("original");
    caret.type_text("abc");
    caret.wait_for("abcoriginal");
    caret.send(key::CTRL_S);
    caret.wait_message("saved u.txt (12 bytes)");
    assert_eq!(sb.read("u.txt"), b"abcoriginal\n");
    caret.type_text("def");
    caret.wait_for("abcdeforiginal");
    caret.wait_status("[+]");

    caret.send(key::CTRL_Z);
    caret.wait_gone("abcdeforiginal");
    caret.wait_for("abcoriginal");
    caret.wait_status_without("[+]");
    caret.send(key::CTRL_Z);
    caret.wait_gone("abcoriginal");
    caret.wait_status("[+]");
    let screen = caret.screen();
    assert!(
        screen
            .lines()
            .nth(1)
            .unwrap()
            .trim_end()
            .ends_with(" original"),
        "{screen}"
    );
    caret.send(key::CTRL_S);
    caret.wait_message("saved u.txt (9 bytes)");
    caret.wait_status_without("[+]");
    assert_eq!(sb.read("u.txt"), b"original\n");
}

/// Ctrl-Q with unsaved changes asks; cancel keeps running; save-all writes and exits 0.
#[test]
fn quit_with_unsaved_changes_asks_then_saves() {
    let sb = Sandbox::new();
    sb.write("a.txt", b"hello\n");
    let mut caret = Caret::start(&sb, &["a.txt"]);
    caret.wait_for("hello");
    caret.type_text("X");
    caret.wait_for("Xhello");
    caret.send(key::CTRL_Q);
    caret.wait_message("Unsaved changes in a.txt.");
    caret.wait_message("[s]save all");
    caret.wait_message("[d]discard");
    caret.wait_message("[c]cancel");
    caret.send(b"c");
    caret.wait_gone("Unsaved changes in a.txt.");
    std::thread::sleep(Duration::from_millis(100));
    assert!(caret.is_running(), "cancel must not quit");
    assert_eq!(sb.read("a.txt"), b"hello\n");
    caret.wait_status("[+]");

    caret.send(key::CTRL_Q);
    caret.wait_message("Unsaved changes in a.txt.");
    caret.send(b"s");
    let status = caret.wait_exit(WAIT);
    assert!(status.success(), "{status:?}");
    assert_eq!(status.exit_code(), 0);
    assert_eq!(sb.read("a.txt"), b"Xhello\n");
    assert!(sb.recovery_files().is_empty());
}
