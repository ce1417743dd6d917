//! Running a check command: through `sh -c` in a folder, with `{file}` standing for the file
//! checked, its output (stdout and stderr) read whole, and killed when it takes too long.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::Diagnostic;

/// What a check run gave.
#[derive(Debug, Clone)]
pub struct CheckRun {
    /// The command exited with status 0.
    pub passed: bool,
    pub diagnostics: Vec<Diagnostic>,
    /// Everything it printed, stdout then stderr.
    pub output: String,
    pub duration: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("cannot run `{command}`: {source}")]
    Spawn {
        command: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`{command}` took longer than {}s and was stopped", .limit.as_secs())]
    Timeout { command: String, limit: Duration },
}

/// `command` with `{file}` replaced by `file`, quoted for the shell.
pub fn expand(command: &str, file: Option<&str>) -> String {
    match file {
        Some(f) => command.replace("{file}", &shell_quote(f)),
        None => command.to_string(),
    }
}

fn shell_quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-'))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Runs `command` (already expanded) in `dir` and reads what it reports; `env` is added to
/// its environment (a scratch copy checks with the real target folder, for one).
pub fn run(
    command: &str,
    dir: &Path,
    env: &[(&str, &Path)],
    limit: Duration,
) -> Result<CheckRun, CheckError> {
    let started = Instant::now();
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        cmd.env(key, value);
    }
    let mut child = cmd.spawn().map_err(|source| CheckError::Spawn {
        command: command.to_string(),
        source,
    })?;
    // Both pipes are drained while it runs, so a chatty command never blocks on a full pipe.
    let readers: Vec<_> = [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    .map(|mut pipe| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    })
    .collect();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(CheckError::Timeout {
                    command: command.to_string(),
                    limit,
                });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break None,
        }
    };
    let mut output = String::new();
    for reader in readers {
        if let Ok(bytes) = reader.join() {
            output.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    Ok(CheckRun {
        passed: status.is_some_and(|s| s.success()),
        diagnostics: super::parse::parse(&output),
        output,
        duration: started.elapsed(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passing_and_a_failing_command() {
        let dir = tempfile::tempdir().unwrap();
        let ok = run("echo fine", dir.path(), &[], Duration::from_secs(10)).unwrap();
        assert!(ok.passed);
        assert!(ok.diagnostics.is_empty());
        let bad = run(
            "echo 'a.c:3:7: error: boom' >&2; exit 1",
            dir.path(),
            &[],
            Duration::from_secs(10),
        )
        .unwrap();
        assert!(!bad.passed);
        assert_eq!(bad.diagnostics[0].one_line(), "a.c:3:7: error: boom");
    }

    #[test]
    fn too_long_is_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let e = run("sleep 5", dir.path(), &[], Duration::from_millis(200)).unwrap_err();
        assert!(matches!(e, CheckError::Timeout { .. }));
    }

    #[test]
    fn the_file_is_quoted() {
        assert_eq!(expand("lint {file}", Some("a b.py")), "lint 'a b.py'");
        assert_eq!(expand("lint {file}", Some("src/a.py")), "lint src/a.py");
    }
}
