//! Reading what a check command printed: rustc's JSON messages (`cargo check
//! --message-format=json`) and its human form (`error[E0308]: …` then ` --> file:line:col`),
//! the `file:line:col: message` lines most compilers and linters print, TypeScript's
//! `file(line,col): error …`, Python's tracebacks, and the `panicked at file:line:col:` of a
//! failing Rust test. Pure.

use super::{Diagnostic, Severity};

/// Every diagnostic in `output`, whatever form each line has; duplicates (the same place and
/// message, as a crate checked for several targets gives) once.
pub fn parse(output: &str) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    let lines: Vec<&str> = output.lines().collect();
    let mut python_frame: Option<(String, usize)> = None;
    for (i, line) in lines.iter().enumerate() {
        let found = if line.starts_with('{') {
            cargo_json(line)
        } else if let Some(d) = panic_line(line, &lines[i + 1..]) {
            Some(d)
        } else if let Some(d) = rustc_human(line, &lines[..i]) {
            Some(d)
        } else if let Some(frame) = python_file_line(line) {
            python_frame = Some(frame);
            None
        } else if let Some(d) =
            python_frame
                .take_if(|_| python_exception(line))
                .map(|(path, at)| Diagnostic {
                    path,
                    line: at,
                    col: 0,
                    end_line: at,
                    severity: Severity::Error,
                    message: line.trim().to_string(),
                    code: None,
                    rendered: None,
                })
        {
            Some(d)
        } else {
            typescript(line).or_else(|| generic(line))
        };
        if let Some(d) = found
            && !out.iter().any(|o| o.same_as(&d))
        {
            out.push(d);
        }
    }
    out
}

/// One line of `cargo --message-format=json`: a compiler message with a primary span.
fn cargo_json(line: &str) -> Option<Diagnostic> {
    let value: serde_json::Value = serde_json::from_str(line).ok()?;
    if value.get("reason")?.as_str()? != "compiler-message" {
        return None;
    }
    let message = value.get("message")?;
    let severity = match message.get("level")?.as_str()? {
        "error" | "error: internal compiler error" => Severity::Error,
        "warning" => Severity::Warning,
        _ => Severity::Info,
    };
    let spans = message.get("spans")?.as_array()?;
    let span = spans
        .iter()
        .find(|s| s.get("is_primary").and_then(serde_json::Value::as_bool) == Some(true))
        .or_else(|| spans.first())?;
    let number = |key: &str| {
        span.get(key)
            .and_then(serde_json::Value::as_u64)
            .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX))
    };
    let text = message.get("message")?.as_str()?.to_string();
    let code = message
        .get("code")
        .and_then(|c| c.get("code"))
        .and_then(serde_json::Value::as_str)
        .map(str::to_string);
    Some(Diagnostic {
        path: span.get("file_name")?.as_str()?.to_string(),
        line: number("line_start").saturating_sub(1),
        col: number("column_start").saturating_sub(1),
        end_line: number("line_end").saturating_sub(1),
        severity,
        message: text,
        code,
        rendered: message
            .get("rendered")
            .and_then(serde_json::Value::as_str)
            .map(str::to_string),
    })
}

/// A one-line diagnostic at 0-based `line` and `col`.
fn at(
    path: String,
    line: usize,
    col: usize,
    severity: Severity,
    message: String,
    code: Option<String>,
) -> Diagnostic {
    Diagnostic {
        path,
        line,
        col,
        end_line: line,
        severity,
        message,
        code,
        rendered: None,
    }
}

/// `path:line:col: [error|warning|note:] message` or `path:line: message`.
fn generic(line: &str) -> Option<Diagnostic> {
    let line = line.trim_end();
    // Skip a leading "error: " of tools that put the place after it ("  --> src/a.rs:3:5").
    let rest = line.trim_start().strip_prefix("--> ").unwrap_or(line);
    let mut parts = rest.splitn(4, ':');
    let path = parts.next()?.trim();
    // A path with blanks in it is a sentence ("at /rustc/…" of a backtrace) far more often
    // than a file name.
    if path.is_empty() || path.contains(char::is_whitespace) {
        return None;
    }
    let line_no: usize = parts.next()?.trim().parse().ok()?;
    let third = parts.next().unwrap_or("");
    let (col, message) = if let Ok(c) = third.trim().parse::<usize>() {
        (c, parts.next().unwrap_or("").trim())
    } else {
        let after: Vec<&str> = rest.splitn(3, ':').collect();
        (1, after.get(2).copied().unwrap_or("").trim())
    };
    if line_no == 0 || !looks_like_path(path) || message.is_empty() {
        return None;
    }
    let lower = message.to_lowercase();
    let (severity, message) = if let Some(m) = strip_word(message, &lower, "error") {
        (Severity::Error, m)
    } else if let Some(m) = strip_word(message, &lower, "warning") {
        (Severity::Warning, m)
    } else if let Some(m) = strip_word(message, &lower, "note") {
        (Severity::Info, m)
    } else {
        (Severity::Error, message)
    };
    Some(at(
        path.to_string(),
        line_no - 1,
        col.saturating_sub(1),
        severity,
        message.to_string(),
        None,
    ))
}

/// `message` without a leading `word:` (any case), if it has one.
fn strip_word<'a>(message: &'a str, lower: &str, word: &str) -> Option<&'a str> {
    lower
        .starts_with(word)
        .then(|| message[word.len()..].trim_start())
        .and_then(|m| {
            m.strip_prefix(':')
                .or_else(|| m.strip_prefix('[').map(|_| m))
        })
        .map(str::trim_start)
}

/// A file name rather than a timestamp or a URL: has an extension or a slash, no scheme.
fn looks_like_path(path: &str) -> bool {
    !path.contains("://")
        && !path.chars().all(|c| c.is_ascii_digit())
        && (path.contains('.') || path.contains('/'))
}

/// ` --> src/lib.rs:2:5` under `error[E0308]: mismatched types` (rustc's human form): the
/// message is the nearest `error`/`warning` line above.
fn rustc_human(line: &str, before: &[&str]) -> Option<Diagnostic> {
    let place = line.trim_start().strip_prefix("--> ")?;
    let mut parts = place.trim_end().rsplitn(3, ':');
    let col: usize = parts.next()?.parse().ok()?;
    let line_no: usize = parts.next()?.parse().ok()?;
    let path = parts.next()?;
    let head = before
        .iter()
        .rev()
        .take(4)
        .find(|l| l.starts_with("error") || l.starts_with("warning"))?;
    let (kind, message) = head.split_once(": ")?;
    let severity = if kind.starts_with("error") {
        Severity::Error
    } else {
        Severity::Warning
    };
    let code = kind
        .split_once('[')
        .map(|(_, c)| c.trim_end_matches(']').to_string());
    Some(at(
        path.to_string(),
        line_no.saturating_sub(1),
        col.saturating_sub(1),
        severity,
        message.trim().to_string(),
        code,
    ))
}

/// `  File "app.py", line 3` (a traceback frame): the file and 0-based line.
fn python_file_line(line: &str) -> Option<(String, usize)> {
    let rest = line.trim_start().strip_prefix("File \"")?;
    let (path, rest) = rest.split_once('"')?;
    let number = rest.trim_start_matches(", line ").split(',').next()?.trim();
    let at: usize = number.parse().ok()?;
    Some((path.to_string(), at.saturating_sub(1)))
}

/// `SyntaxError: invalid syntax`, `ZeroDivisionError: …`: the line ending a traceback.
fn python_exception(line: &str) -> bool {
    !line.starts_with(char::is_whitespace)
        && line.split(':').next().is_some_and(|n| {
            n.ends_with("Error") || n.ends_with("Exception") || n == "AssertionError"
        })
}

/// TypeScript's `src/a.ts(3,5): error TS2322: Type 'string' is not assignable …`.
fn typescript(line: &str) -> Option<Diagnostic> {
    let (path, rest) = line.split_once('(')?;
    let (place, message) = rest.split_once("): ")?;
    let (l, c) = place.split_once(',')?;
    let (line_no, col): (usize, usize) = (l.trim().parse().ok()?, c.trim().parse().ok()?);
    if !looks_like_path(path) || path.contains(' ') {
        return None;
    }
    let (severity, message) = if let Some(m) = message.strip_prefix("error ") {
        (Severity::Error, m)
    } else if let Some(m) = message.strip_prefix("warning ") {
        (Severity::Warning, m)
    } else {
        (Severity::Error, message)
    };
    let (code, message) = match message.split_once(": ") {
        Some((code, m)) if code.starts_with("TS") => (Some(code.to_string()), m),
        _ => (None, message),
    };
    Some(at(
        path.to_string(),
        line_no.saturating_sub(1),
        col.saturating_sub(1),
        severity,
        message.trim().to_string(),
        code,
    ))
}

/// `thread 'name' panicked at src/lib.rs:10:5:` and the message on the lines after it.
fn panic_line(line: &str, after: &[&str]) -> Option<Diagnostic> {
    let (_, place) = line.split_once(" panicked at ")?;
    let place = place.trim_end().trim_end_matches(':');
    // Older toolchains: "panicked at 'message', src/lib.rs:10:5".
    let (quoted, place) = match place.rsplit_once("', ") {
        Some((q, p)) => (Some(q.trim_start_matches('\'')), p),
        None => (None, place),
    };
    let mut parts = place.rsplitn(3, ':');
    let col: usize = parts.next()?.parse().ok()?;
    let line_no: usize = parts.next()?.parse().ok()?;
    let path = parts.next()?;
    let test = line
        .split('\'')
        .nth(1)
        .map(|t| format!("test {t} failed: "))
        .unwrap_or_default();
    let message = match quoted {
        Some(q) => q.to_string(),
        None => after
            .iter()
            .take_while(|l| {
                !l.trim().is_empty() && !l.starts_with("note:") && !l.starts_with("stack backtrace")
            })
            .take(4)
            .copied()
            .collect::<Vec<_>>()
            .join(" "),
    };
    Some(at(
        path.to_string(),
        line_no.saturating_sub(1),
        col.saturating_sub(1),
        Severity::Error,
        format!("{test}{message}"),
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUSTC: &str = r#"{"reason":"compiler-artifact","package_id":"x"}
{"reason":"compiler-message","package_id":"demo 0.1.0","manifest_path":"/w/Cargo.toml","target":{"name":"demo"},"message":{"rendered":"error[E0308]: mismatched types\n --> src/lib.rs:2:5\n","$message_type":"diagnostic","children":[],"code":{"code":"E0308","explanation":"..."},"level":"error","message":"mismatched types","spans":[{"byte_end":40,"byte_start":35,"column_end":10,"column_start":5,"expansion":null,"file_name":"src/lib.rs","is_primary":true,"label":"expected `i32`, found `&str`","line_end":2,"line_start":2,"suggested_replacement":null,"suggestion_applicability":null,"text":[]}]}}
{"reason":"compiler-message","package_id":"demo 0.1.0","manifest_path":"/w/Cargo.toml","target":{"name":"demo"},"message":{"rendered":"warning: unused variable: `x`\n","$message_type":"diagnostic","children":[],"code":{"code":"unused_variables","explanation":null},"level":"warning","message":"unused variable: `x`","spans":[{"byte_end":9,"byte_start":8,"column_end":10,"column_start":9,"expansion":null,"file_name":"src/main.rs","is_primary":true,"label":null,"line_end":4,"line_start":4,"suggested_replacement":null,"suggestion_applicability":null,"text":[]}]}}
{"reason":"compiler-message","package_id":"demo 0.1.0","manifest_path":"/w/Cargo.toml","target":{"name":"demo"},"message":{"rendered":"error: aborting due to 1 previous error\n","$message_type":"diagnostic","children":[],"code":null,"level":"error","message":"aborting due to 1 previous error","spans":[]}}
{"reason":"build-finished","success":false}"#;

    #[test]
    fn rustc_json_messages_with_their_primary_span() {
        let d = parse(RUSTC);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].path, "src/lib.rs");
        assert_eq!((d[0].line, d[0].col), (1, 4));
        assert_eq!(d[0].severity, Severity::Error);
        assert_eq!(d[0].message, "mismatched types");
        assert_eq!(d[0].code.as_deref(), Some("E0308"));
        assert_eq!(d[1].severity, Severity::Warning);
        assert_eq!(d[1].path, "src/main.rs");
    }

    #[test]
    fn file_line_col_lines_of_other_tools() {
        let out = "main.c:12:5: error: expected ';' before '}' token\n\
                   app.py:3: SyntaxError: invalid syntax\n\
                   src/x.ts:7:1: warning: unused\n\
                   Compiling at 12:30:45 all fine\n\
                   see https://example.com:443/a\n";
        let d = parse(out);
        assert_eq!(d.len(), 3, "{d:?}");
        assert_eq!((d[0].path.as_str(), d[0].line, d[0].col), ("main.c", 11, 4));
        assert_eq!(d[0].message, "expected ';' before '}' token");
        assert_eq!(d[1].path, "app.py");
        assert_eq!(d[1].message, "SyntaxError: invalid syntax");
        assert_eq!(d[2].severity, Severity::Warning);
    }

    #[test]
    fn a_failing_rust_test() {
        let out = "running 1 test\n\
                   thread 'tests::adds' (1234) panicked at src/lib.rs:10:9:\n\
                   assertion `left == right` failed\n  left: 3\n right: 4\n\
                   note: run with `RUST_BACKTRACE=1`\n";
        let d = parse(out);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].path.as_str(), d[0].line), ("src/lib.rs", 9));
        assert_eq!(
            d[0].message,
            "test tests::adds failed: assertion `left == right` failed   left: 3  right: 4"
        );
    }
}
