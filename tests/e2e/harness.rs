//! A small PTY harness: runs the real caret binary in a pseudo-terminal inside a per-test
//! sandbox folder, feeds everything it prints into a vt100 screen, and sends the raw bytes a
//! terminal would send for each key.

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// Default terminal size.
pub const ROWS: u16 = 30;
pub const COLS: u16 = 100;

/// Upper bound for every wait on the screen or the process.
pub const WAIT: Duration = Duration::from_secs(10);

/// How often the screen is polled while waiting.
const POLL: Duration = Duration::from_millis(20);

/// The raw bytes a terminal sends for keys.
pub mod key {
    pub const CTRL_S: &[u8] = b"\x13";
    pub const CTRL_Q: &[u8] = b"\x11";
    pub const CTRL_Z: &[u8] = b"\x1a";
    pub const CTRL_P: &[u8] = b"\x10";
    pub const ENTER: &[u8] = b"\r";
    pub const DOWN: &[u8] = b"\x1b[B";
    pub const END: &[u8] = b"\x1b[F";
}

/// A throw-away folder holding the files under test plus HOME and the XDG folders, so
/// caret's config, logs and recovery files stay inside it.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("caret-e2e")
            .tempdir()
            .expect("create sandbox");
        for sub in ["home", "config", "state"] {
            std::fs::create_dir(dir.path().join(sub)).expect("create sandbox folder");
        }
        Self { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent folder");
        }
        std::fs::write(path, bytes).expect("write fixture");
    }

    /// The caret binary run as a command-line tool in the sandbox, with its own home,
    /// config and state folders and nothing else of the environment.
    // Not every test binary that shares this harness runs caret as a command.
    #[allow(dead_code)]
    pub fn command(&self, args: &[&str]) -> std::process::Command {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_caret"));
        command
            .args(args)
            .current_dir(self.root())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path("home"))
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_STATE_HOME", self.path("state"));
        command
    }

    /// Points caret's config at a scripted model server, with `extra` config after `[ai]`.
    #[allow(dead_code)]
    pub fn use_scripted_model(&self, base_url: &str, extra: &str) {
        self.write(
            "config/caret/config.toml",
            format!(
                "[ai]\nprovider = \"openai\"\nbase_url = \"{base_url}\"\nmodel = \"scripted\"\nmax_retries = 0\n{extra}"
            )
            .as_bytes(),
        );
    }

    /// What a caret in the sandbox needs to run the Rust toolchain (its environment is
    /// otherwise cleared): rustup's folders, and a build folder of the sandbox's own, not the
    /// one of the tests running it.
    #[allow(dead_code)]
    pub fn toolchain_env(&self) -> Vec<(String, String)> {
        let home = std::env::var("HOME").unwrap_or_default();
        let mut env = vec![
            (
                "RUSTUP_HOME".to_string(),
                std::env::var("RUSTUP_HOME").unwrap_or(format!("{home}/.rustup")),
            ),
            (
                "CARGO_HOME".to_string(),
                std::env::var("CARGO_HOME").unwrap_or(format!("{home}/.cargo")),
            ),
            (
                "CARGO_TARGET_DIR".to_string(),
                self.path("check-target").display().to_string(),
            ),
        ];
        if let Ok(toolchain) = std::env::var("RUSTUP_TOOLCHAIN") {
            env.push(("RUSTUP_TOOLCHAIN".to_string(), toolchain));
        }
        env
    }

    pub fn read(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Where caret keeps recovery files ($`XDG_STATE_HOME/caret/recovery`).
    pub fn recovery_dir(&self) -> PathBuf {
        self.path("state/caret/recovery")
    }

    /// The finished recovery files (temp files of a write in progress are left out).
    pub fn recovery_files(&self) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(self.recovery_dir()) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "recover"))
            .collect();
        files.sort();
        files
    }
}

/// How to start caret.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Run as this program prefix (e.g. setpriv … --) instead of directly.
    pub wrapper: Vec<String>,
    /// The caret binary to run (default: the one cargo built).
    pub binary: Option<PathBuf>,
    /// The umask for the child.
    pub umask: Option<u32>,
    /// Variables added to the child's (otherwise empty) environment.
    pub env: Vec<(String, String)>,
}

/// A running caret in a pseudo-terminal.
pub struct Caret {
    master: Box<dyn MasterPty + Send>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    pid: u32,
    status: Option<ExitStatus>,
    size: (u16, u16),
}

impl Caret {
    /// Starts caret with `args` in the sandbox and waits until its first frame is drawn.
    pub fn start(sandbox: &Sandbox, args: &[&str]) -> Self {
        let caret = Self::spawn(sandbox, args, &Options::default());
        caret.wait_ready();
        caret
    }

    /// Starts caret without waiting for anything.
    pub fn spawn(sandbox: &Sandbox, args: &[&str], options: &Options) -> Self {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open pty");
        let binary = options
            .binary
            .clone()
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_caret")));
        let mut command_line: Vec<std::ffi::OsString> =
            options.wrapper.iter().map(Into::into).collect();
        command_line.push(binary.into_os_string());
        command_line.extend(args.iter().map(Into::into));
        let mut cmd = CommandBuilder::from_argv(command_line);
        cmd.env_clear();
        cmd.env(
            "PATH",
            std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into()),
        );
        cmd.env("HOME", sandbox.path("home"));
        cmd.env("XDG_CONFIG_HOME", sandbox.path("config"));
        cmd.env("XDG_STATE_HOME", sandbox.path("state"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        for (key, value) in &options.env {
            cmd.env(key, value);
        }
        cmd.cwd(sandbox.root());
        cmd.umask(options.umask);
        let child = pair.slave.spawn_command(cmd).expect("spawn caret");
        // Our copy of the slave must go, or the reader never sees the end of the output.
        drop(pair.slave);
        let pid = child.process_id().expect("child pid");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(ROWS, COLS, 0)));
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let feed = Arc::clone(&parser);
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 16 * 1024];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut parser = lock(&feed);
                        let processed =
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                parser.process(&buf[..n]);
                            }));
                        if processed.is_err() {
                            // vt100 0.15 can overflow when output drawn for the old size
                            // arrives after a shrink to one column; start a blank screen of
                            // the same size: caret redraws everything on the next resize.
                            let (rows, cols) = parser.screen().size();
                            *parser = vt100::Parser::new(rows, cols, 0);
                        }
                    }
                }
            }
        });
        let writer = pair.master.take_writer().expect("pty writer");
        Self {
            master: pair.master,
            writer: Arc::new(Mutex::new(writer)),
            child,
            parser,
            pid,
            status: None,
            size: (ROWS, COLS),
        }
    }

    /// The effective uid the caret process runs as.
    pub fn uid(&self) -> u32 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))
            .expect("read /proc/PID/status");
        status
            .lines()
            .find(|l| l.starts_with("Uid:"))
            .and_then(|l| l.split_whitespace().nth(2))
            .and_then(|u| u.parse().ok())
            .expect("Uid line")
    }

    /// Waits until caret is in the alternate screen with bracketed paste on and has drawn
    /// its status line: from then on keys reach it in raw mode.
    pub fn wait_ready(&self) {
        self.wait_until("the first frame", WAIT, |s| {
            s.alternate_screen() && s.bracketed_paste() && screen_text(s).contains("Ln ")
        });
    }

    /// The whole screen as text, one line per row.
    pub fn screen(&self) -> String {
        screen_text(lock(&self.parser).screen())
    }

    /// One row of the screen (0 = top).
    pub fn row(&self, row: u16) -> String {
        let parser = lock(&self.parser);
        let screen = parser.screen();
        let (_, cols) = screen.size();
        screen
            .rows(0, cols)
            .nth(usize::from(row))
            .unwrap_or_default()
    }

    /// The status line: second-to-last row.
    pub fn status_line(&self) -> String {
        self.row(self.size.0.saturating_sub(2))
    }

    /// The message/dialog line: last row.
    pub fn message_line(&self) -> String {
        self.row(self.size.0.saturating_sub(1))
    }

    /// Polls the screen until `check` holds; panics with the screen after `timeout`.
    pub fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        check: impl Fn(&vt100::Screen) -> bool,
    ) {
        let start = Instant::now();
        loop {
            {
                let parser = lock(&self.parser);
                if check(parser.screen()) {
                    return;
                }
            }
            assert!(
                start.elapsed() < timeout,
                "timed out after {timeout:?} waiting for {what}; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(POLL);
        }
    }

    /// Waits until `text` is somewhere on the screen.
    pub fn wait_for(&self, text: &str) {
        self.wait_until(&format!("{text:?}"), WAIT, |s| {
            screen_text(s).contains(text)
        });
    }

    /// Waits until `text` is nowhere on the screen.
    pub fn wait_gone(&self, text: &str) {
        self.wait_until(&format!("{text:?} to go away"), WAIT, |s| {
            !screen_text(s).contains(text)
        });
    }

    /// Waits until the status line contains `text`.
    pub fn wait_status(&self, text: &str) {
        let row = self.size.0.saturating_sub(2);
        self.wait_until(&format!("status line with {text:?}"), WAIT, |s| {
            row_text(s, row).contains(text)
        });
    }

    /// Waits until the status line does not contain `text`.
    pub fn wait_status_without(&self, text: &str) {
        let row = self.size.0.saturating_sub(2);
        self.wait_until(&format!("status line without {text:?}"), WAIT, |s| {
            !row_text(s, row).contains(text)
        });
    }

    /// Waits until the message line contains `text`.
    pub fn wait_message(&self, text: &str) {
        let row = self.size.0.saturating_sub(1);
        self.wait_until(&format!("message line with {text:?}"), WAIT, |s| {
            row_text(s, row).contains(text)
        });
    }

    pub fn send(&self, bytes: &[u8]) {
        let mut w = lock(&self.writer);
        w.write_all(bytes).expect("write to pty");
        w.flush().expect("flush pty");
    }

    pub fn type_text(&self, text: &str) {
        self.send(text.as_bytes());
    }

    /// Esc on its own, followed by a pause so the next key is not read as Alt+key.
    pub fn esc(&self) {
        self.send(b"\x1b");
        std::thread::sleep(Duration::from_millis(100));
    }

    /// Writes `bytes` from a background thread (for inputs bigger than the pty buffer);
    /// the returned handle reports whether all of it was written.
    pub fn send_in_background(&self, bytes: Vec<u8>) -> std::thread::JoinHandle<bool> {
        let writer = Arc::clone(&self.writer);
        std::thread::spawn(move || {
            let mut w = lock(&writer);
            w.write_all(&bytes).is_ok() && w.flush().is_ok()
        })
    }

    /// Resizes the terminal (caret gets SIGWINCH) and the emulated screen with it.
    pub fn resize(&mut self, rows: u16, cols: u16) {
        lock(&self.parser).set_size(rows, cols);
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize pty");
        self.size = (rows, cols);
    }

    /// True while the process has not exited.
    pub fn is_running(&mut self) -> bool {
        if self.status.is_some() {
            return false;
        }
        match self.child.try_wait() {
            Ok(Some(status)) => {
                self.status = Some(status);
                false
            }
            Ok(None) => true,
            Err(e) => panic!("try_wait: {e}"),
        }
    }

    /// Waits for the process to exit and returns its status; panics after `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        let start = Instant::now();
        while self.is_running() {
            assert!(
                start.elapsed() < timeout,
                "caret did not exit within {timeout:?}; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(POLL);
        }
        self.status.clone().expect("exit status")
    }

    /// Sends `signal` (e.g. "TERM", "KILL") to the caret process we started, by its pid.
    pub fn signal(&self, signal: &str) {
        let ok = Command::new("kill")
            .args(["-s", signal, &self.pid.to_string()])
            .status()
            .expect("run kill")
            .success();
        assert!(ok, "kill -s {signal} {} failed", self.pid);
    }
}

impl Drop for Caret {
    fn drop(&mut self) {
        if self.is_running() {
            let _ = Command::new("kill")
                .args(["-s", "KILL", &self.pid.to_string()])
                .status();
            // Reap it; SIGKILL cannot be ignored, so this is quick.
            let start = Instant::now();
            while self.is_running() && start.elapsed() < WAIT {
                std::thread::sleep(POLL);
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking test thread must not hide the screen from the others.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

pub fn screen_text(screen: &vt100::Screen) -> String {
    screen.contents()
}

fn row_text(screen: &vt100::Screen, row: u16) -> String {
    let (_, cols) = screen.size();
    screen
        .rows(0, cols)
        .nth(usize::from(row))
        .unwrap_or_default()
}

/// Unix permission bits of a path (symlinks followed).
pub fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("stat {}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o7777
}

/// True when the test runs with effective uid 0.
pub fn is_root() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("Uid:"))
        .and_then(|l| l.split_whitespace().nth(2))
        == Some("0")
}
