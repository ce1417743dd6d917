//! Line redaction: finds likely secrets in text bound for a model and replaces every line that
//! holds one with a placeholder, keeping the line count, the indentation and the assigned name.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::Withheld;

/// A private-key block longer than this is not one: the marker is more likely a string constant
/// in code that looks for keys, and redacting to the end of such a file would hide the code.
const MAX_KEY_BLOCK_LINES: usize = 400;
/// Shortest literal the high-entropy rule considers; shorter ones are rarely credentials.
const MIN_SECRET_LEN: usize = 16;
/// Shannon entropy (bits per char) from which a literal looks random rather than written.
const MIN_ENTROPY: f64 = 3.5;

/// A rule for one kind of token with a recognisable shape.
struct Detector {
    kind: &'static str,
    re: Regex,
    /// A second look at a match, for shapes that ordinary text can take too.
    confirm: fn(&str) -> bool,
}

struct Detectors {
    tokens: Vec<Detector>,
    assignment: Regex,
    key_begin: Regex,
    key_end: Regex,
    key_line: Regex,
    base64_line: Regex,
}

/// ASCII word boundaries: the Unicode ones would push the regex engine off its fastest path.
const B: &str = r"(?-u:\b)";

fn compile() -> Result<Detectors, regex::Error> {
    let token = |kind: &'static str,
                 pattern: &str,
                 confirm: fn(&str) -> bool|
     -> Result<Detector, regex::Error> {
        Ok(Detector {
            kind,
            re: Regex::new(&pattern.replace("\\b", B))?,
            confirm,
        })
    };
    Ok(Detectors {
        // Order matters where shapes overlap: the first kind found at a position names it.
        tokens: vec![
            token("AWS access key", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", always)?,
            token("GitHub token", r"\bgh[pousr]_[A-Za-z0-9]{30,}\b", always)?,
            token("GitHub token", r"\bgithub_pat_[A-Za-z0-9_]{22,}", always)?,
            token("Anthropic API key", r"\bsk-ant-[A-Za-z0-9_-]{20,}", always)?,
            token(
                "OpenAI API key",
                r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}",
                openai_body_is_random,
            )?,
            token("Slack token", r"\bxox[abeoprs]-[A-Za-z0-9-]{10,}", always)?,
            token("Google API key", r"\bAIza[0-9A-Za-z_-]{35}", always)?,
            token(
                "Stripe key",
                r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}",
                always,
            )?,
            token(
                "JWT",
                r"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*",
                always,
            )?,
            token(
                "password in URL",
                r#"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#@:'"`]*:[^\s/?#@'"`]+@"#,
                url_password_is_real,
            )?,
            token(
                "bearer token",
                r"(?i)\bbearer[ \t]+[A-Za-z0-9_.~+/-]{20,}=*",
                scheme_token_is_real,
            )?,
            token(
                "HTTP basic credentials",
                r"(?i)\bbasic[ \t]+[A-Za-z0-9+/]{12,}={0,2}",
                scheme_token_is_real,
            )?,
        ],
        // A name that says "secret" (api_key, apiToken, DB_PASSWORD, "client_secret", …),
        // an optional type annotation (`: &str`, `: str`), an assignment operator, and the
        // value: a quoted literal or a bare word. `[ \t]` rather than `\s`: no match may
        // cross a line.
        assignment: Regex::new(
            r#"(?i)(?P<name>[A-Za-z0-9_.$@-]*(?:key|token|secret|passw(?:or)?d|pwd|credential|auth)[A-Za-z0-9_.-]*)["']?[ \t]*(?::[ \t]*[A-Za-z_&][A-Za-z0-9_&'<>:\[\] ]{0,40}?[ \t]*)?(?P<op>===|!==|==|!=|:=|=>|=|:)[ \t]*(?P<value>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`\n]*`|[^\s,;'"`]+)"#,
        )?,
        key_begin: Regex::new(r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")?,
        key_end: Regex::new(r"-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")?,
        // A line inside a key block: base64 or a PEM header, perhaps quoted as code quotes it.
        key_line: Regex::new(
            r#"^[ \t"'`(]*(?:[A-Za-z0-9+/=]*|(?:Proc-Type|DEK-Info|Comment|Version|Hash): [^"'`]*)[ \t"'`,;+)\\n]*$"#,
        )?,
        base64_line: Regex::new(r#"^[ \t"'`(]*[A-Za-z0-9+/=]{16,}[ \t"'`,;+)\\n]*$"#)?,
    })
}

static DETECTORS: LazyLock<Result<Detectors, regex::Error>> = LazyLock::new(compile);

/// A line to replace: keep `line[..cut]`, then the placeholder naming `kind`.
#[derive(Clone, Copy)]
struct Mark {
    cut: usize,
    kind: &'static str,
}

/// One line of the text: `start..end` without its terminator, which is `end..next`.
struct Line {
    start: usize,
    end: usize,
    next: usize,
}

fn split_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\n') {
        let end = if text[start..i].ends_with('\r') {
            i - 1
        } else {
            i
        };
        lines.push(Line {
            start,
            end,
            next: i + 1,
        });
        start = i + 1;
    }
    let tail = text.len() - usize::from(text[start..].ends_with('\r'));
    lines.push(Line {
        start,
        end: tail,
        next: text.len(),
    });
    lines
}

/// See [`super::Gate::redact`].
pub(super) fn redact(path: &str, text: &str) -> (String, Vec<Withheld>) {
    let lines = split_lines(text);
    let marks = match &*DETECTORS {
        Ok(detectors) => find_secrets(detectors, text, &lines),
        // Fail closed: without the detectors nothing can be told safe.
        Err(_) => lines
            .iter()
            .map(|l| {
                Some(Mark {
                    cut: indentation(&text[l.start..l.end]),
                    kind: "redaction unavailable",
                })
            })
            .collect(),
    };
    let mut out = String::with_capacity(text.len());
    let mut withheld = Vec::new();
    for (n, (line, mark)) in lines.iter().zip(&marks).enumerate() {
        let Some(mark) = mark else {
            out.push_str(&text[line.start..line.next]);
            continue;
        };
        let body = &text[line.start..line.end];
        out.push_str(&body[..mark.cut]);
        out.push_str("[redacted: likely secret (");
        out.push_str(mark.kind);
        out.push_str(")]");
        out.push_str(&text[line.end..line.next]);
        withheld.push(Withheld {
            what: format!("{path}:{}", n + 1),
            reason: format!("likely secret ({})", mark.kind),
        });
    }
    (out, withheld)
}

/// For each line, whether (and where) it must be cut. Each regex runs once over the whole text
/// (none can match across a line break), and matches are placed by binary search, so the work
/// grows with the text's length (times its logarithm), never with the square of a line.
fn find_secrets(d: &Detectors, text: &str, lines: &[Line]) -> Vec<Option<Mark>> {
    let starts: Vec<usize> = lines.iter().map(|l| l.start).collect();
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset).saturating_sub(1);
    let mut marks: Vec<Option<Mark>> = vec![None; lines.len()];
    mark_key_blocks(d, text, lines, &line_of, &mut marks);

    // Where a token sits inside an assigned value, cut at the value so no quote dangles.
    // Matches come in order and do not overlap, so the spans are sorted.
    let mut value_spans: Vec<(usize, usize)> = Vec::new();
    // Findings outside key blocks, per line: (cut, rank, kind); the earliest cut wins, and at
    // the same cut a token of known shape (rank 0) names the secret better than entropy (1).
    let mut found: Vec<Option<(usize, u8, &'static str)>> = vec![None; lines.len()];
    let mut note = |line: usize, cut: usize, rank: u8, kind: &'static str| {
        let slot = &mut found[line];
        if slot.is_none_or(|(c, r, _)| (cut, rank) < (c, r)) {
            *slot = Some((cut, rank, kind));
        }
    };
    for caps in d.assignment.captures_iter(text) {
        let (Some(name), Some(value)) = (caps.name("name"), caps.name("value")) else {
            continue;
        };
        let line = line_of(value.start());
        value_spans.push((value.start(), value.end()));
        if names_a_secret(name.as_str()) && is_secret_literal(value.as_str()) {
            let lower = name.as_str().to_ascii_lowercase();
            let kind = if lower.contains("passw") || lower.contains("pwd") {
                "password"
            } else {
                "high-entropy value"
            };
            note(line, value.start() - lines[line].start, 1, kind);
        }
    }
    for det in &d.tokens {
        for m in det.re.find_iter(text) {
            if !(det.confirm)(m.as_str()) {
                continue;
            }
            let mut at = m.start();
            let after = value_spans.partition_point(|&(start, _)| start <= at);
            if let Some(&(start, end)) = after.checked_sub(1).map(|i| &value_spans[i])
                && at < end
            {
                at = start;
            }
            let line = line_of(at);
            note(line, at - lines[line].start, 0, det.kind);
        }
    }
    for (n, f) in found.iter().enumerate() {
        if let (Some((cut, _, kind)), None) = (f, marks[n]) {
            let body = &text[lines[n].start..lines[n].end];
            marks[n] = Some(Mark {
                cut: trim_open_quotes(body, *cut),
                kind,
            });
        }
    }
    marks
}

/// Marks every line of each private-key block, from BEGIN to END.
fn mark_key_blocks(
    d: &Detectors,
    text: &str,
    lines: &[Line],
    line_of: &dyn Fn(usize) -> usize,
    marks: &mut [Option<Mark>],
) {
    const KIND: &str = "private key";
    let ends: Vec<(usize, usize)> = d
        .key_end
        .find_iter(text)
        .map(|m| (line_of(m.start()), m.start()))
        .collect();
    let mut next_end = 0;
    let mut free_from = 0;
    for begin in d.key_begin.find_iter(text) {
        let first = line_of(begin.start());
        if first < free_from {
            continue;
        }
        let body = &text[lines[first].start..lines[first].end];
        marks[first] = Some(Mark {
            cut: trim_open_quotes(body, begin.start() - lines[first].start),
            kind: KIND,
        });
        free_from = first + 1;
        // A key written on one line (JSON with `\n` escapes) ends where it begins.
        while next_end < ends.len() && ends[next_end].1 < begin.end() {
            next_end += 1;
        }
        if next_end < ends.len() && ends[next_end].0 == first {
            continue;
        }
        let line_text = |n: usize| &text[lines[n].start..lines[n].end];
        // A block holds key material only; code between a BEGIN and an END (a parser's
        // constants, a test's strings) is no block.
        let block_end = ends.get(next_end).and_then(|&(end, _)| {
            (end - first <= MAX_KEY_BLOCK_LINES
                && (first + 1..end).all(|n| d.key_line.is_match(line_text(n))))
            .then_some(end)
        });
        let last = block_end.unwrap_or_else(|| {
            // Truncated, or no block: the base64 right after the marker, if any.
            let mut last = first;
            while last + 1 < lines.len()
                && last - first < MAX_KEY_BLOCK_LINES
                && d.base64_line.is_match(line_text(last + 1))
            {
                last += 1;
            }
            last
        });
        for (n, line) in lines.iter().enumerate().take(last + 1).skip(first + 1) {
            marks[n] = Some(Mark {
                cut: indentation(&text[line.start..line.end]),
                kind: KIND,
            });
        }
        free_from = last + 1;
    }
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// Moves a cut back over the quotes (and string prefixes) that opened the secret's string,
/// so that `key = "AKIA…"` becomes `key = [redacted …]`, not `key = "[redacted …]`.
fn trim_open_quotes(line: &str, cut: usize) -> usize {
    let kept = line[..cut].trim_end_matches(['"', '\'', '`']);
    if kept.len() == cut {
        return cut;
    }
    // b"…", r"…", f"…" — a single letter glued to the quote belongs to the literal.
    let before = kept.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if kept.len() - before.len() == 1
        && !before.ends_with(|c: char| c.is_alphanumeric() || c == '_')
    {
        before.len()
    } else {
        kept.len()
    }
}

fn always(_: &str) -> bool {
    true
}

/// `sk-` also starts kebab-case words (`sk-learn-compat`); keys mix digits and both cases.
fn openai_body_is_random(m: &str) -> bool {
    let body = ["sk-proj-", "sk-svcacct-", "sk-admin-", "sk-"]
        .iter()
        .find_map(|p| m.strip_prefix(p))
        .unwrap_or(m);
    body.bytes().any(|b| b.is_ascii_digit())
        && body.bytes().any(|b| b.is_ascii_lowercase())
        && body.bytes().any(|b| b.is_ascii_uppercase())
}

fn url_password_is_real(m: &str) -> bool {
    let Some((_, creds)) = m.split_once("://") else {
        return false;
    };
    let Some((_, password)) = creds.trim_end_matches('@').split_once(':') else {
        return false;
    };
    // `http://a:b@host`, `letme:in@`: too short to be anyone's password; examples.
    !(password.chars().count() < 4
        || is_reference(password)
        || is_placeholder(password)
        || password.starts_with(['{', '%', '<', '['])
        || matches!(
            password.to_ascii_lowercase().as_str(),
            "pass" | "password" | "passwd" | "pwd" | "secret" | "pw" | "user"
        ))
}

/// The token after `Bearer` or `Basic`, unless it is a word of prose or a placeholder.
fn scheme_token_is_real(m: &str) -> bool {
    let token = m.split_whitespace().nth(1).unwrap_or("");
    !is_placeholder(token) && !identifier_like(token) && entropy(token) >= MIN_ENTROPY
}

/// The assignment regex finds the keywords anywhere in a name; some words merely contain them.
fn names_a_secret(name: &str) -> bool {
    const LOOKALIKES: &[&str] = &[
        "authority",
        "authorities",
        "authored",
        "authors",
        "keyword",
        "keyboard",
        "keyframe",
        "keystroke",
        "keypress",
        "keymap",
        "keycode",
        "keybind",
        "monkey",
        "turkey",
        "donkey",
        "hockey",
        "jockey",
    ];
    let mut lower = name.to_ascii_lowercase();
    for word in LOOKALIKES {
        lower = lower.replace(word, "_");
    }
    // `author` alone, but not `authorization`/`authorisation`.
    let lower = lower
        .replace("authoriz", "auth_z")
        .replace("authoris", "auth_s")
        .replace("author", "_");
    [
        "key",
        "token",
        "secret",
        "passw",
        "pwd",
        "credential",
        "auth",
    ]
    .iter()
    .any(|k| lower.contains(k))
}

/// Does an assigned value look like a credential rather than code, prose, a path or a
/// placeholder? `raw` is the value as written, quotes included.
fn is_secret_literal(raw: &str) -> bool {
    let quoted = raw.len() >= 2 && raw.starts_with(['"', '\'', '`']) && raw.ends_with(&raw[..1]);
    if raw.starts_with([':', '=']) {
        return false;
    }
    let value = if quoted { &raw[1..raw.len() - 1] } else { raw };
    if value.chars().count() < MIN_SECRET_LEN
        || value.chars().any(char::is_whitespace)
        || is_reference(value)
        || is_placeholder(value)
        || looks_like_path(value)
        || identifier_like(value)
    {
        return false;
    }
    // A bare word in code is an expression: a call, an index, a field path.
    if !quoted
        && (value.contains([
            '(', ')', '[', ']', '{', '}', '<', '>', '!', '&', '*', '|', '\\',
        ]) || is_code_path(value))
    {
        return false;
    }
    entropy(value) >= MIN_ENTROPY
}

/// References to a secret kept elsewhere, which are exactly what code should hold.
fn is_reference(v: &str) -> bool {
    const REFS: &[&str] = &[
        "${",
        "{{",
        "%(",
        "os.environ",
        "getenv",
        "process.env",
        "env::var",
        "env!(",
        "env[",
        "import.meta.env",
        "secrets.",
        "vault:",
        "keychain",
    ];
    let lower = v.to_ascii_lowercase();
    v.starts_with('$') || REFS.iter().any(|r| lower.contains(r))
}

fn is_placeholder(v: &str) -> bool {
    const PLACEHOLDERS: &[&str] = &[
        "xxx",
        "***",
        "...",
        "your_",
        "your-",
        "yourkey",
        "yoursecret",
        "changeme",
        "change_me",
        "change-me",
        "placeholder",
        "replace_me",
        "replace-me",
        "replaceme",
        "redacted",
        "todo",
        "dummy",
        "insert_",
        "insert-",
    ];
    let lower = v.to_ascii_lowercase();
    (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with('{') && v.ends_with('}'))
        || PLACEHOLDERS.iter().any(|p| lower.contains(p))
}

fn looks_like_path(v: &str) -> bool {
    v.starts_with(['/', '~', '\\'])
        || v.starts_with("./")
        || v.starts_with("../")
        || v.contains("://")
}

/// `lexer.next_token`, `self.config.auth`, `crate::auth::Key`: a path through code.
fn is_code_path(v: &str) -> bool {
    let parts: Vec<&str> = v.split(['.', ':']).filter(|p| !p.is_empty()).collect();
    parts.len() > 1
        && parts.iter().all(|p| {
            p.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// Names and prose joined by separators (`password_confirmation_field`, `NextTokenKind`,
/// `BCryptExportKeyFn`, `x25519_private_key`, `rust,editor,terminal`) are written by people:
/// they split into words of one case (or Capitalised), a few letters long on average. Random
/// strings split into runs of one or two letters, or letters mixed with digits.
fn identifier_like(v: &str) -> bool {
    let (mut words, mut lettered, mut letters) = (0, 0, 0);
    for part in v.split(|c: char| !c.is_ascii_alphanumeric()) {
        for word in camel_words(part) {
            let Some(n) = word_letters(word) else {
                return false;
            };
            words += 1;
            if n > 0 {
                lettered += 1;
                letters += n;
            }
        }
    }
    words > 0 && letters >= 3 * lettered
}

/// `fooBarBaz`, `HTTPServer`, `utf8Decoder` → their words; a word keeps its trailing digits.
fn camel_words(part: &str) -> Vec<&str> {
    let b = part.as_bytes();
    let mut words = Vec::new();
    let mut start = 0;
    for i in 1..b.len() {
        let lower_then_upper = (b[i - 1].is_ascii_lowercase() || b[i - 1].is_ascii_digit())
            && b[i].is_ascii_uppercase();
        let acronym_end = b[i - 1].is_ascii_uppercase()
            && b[i].is_ascii_uppercase()
            && b.get(i + 1).is_some_and(u8::is_ascii_lowercase);
        if lower_then_upper || acronym_end {
            words.push(&part[start..i]);
            start = i;
        }
    }
    if start < part.len() {
        words.push(&part[start..]);
    }
    words
}

/// The number of letters in a word as people write it — letters in one case (or Capitalised),
/// then at most a few digits (`utf8`, `x25519`), or a number — or `None` for anything else.
fn word_letters(word: &str) -> Option<usize> {
    let letters = word.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = word.len() - letters.len();
    if letters.is_empty() {
        return (digits <= 6).then_some(0);
    }
    let cased = letters.bytes().all(|b| b.is_ascii_uppercase())
        || (letters.as_bytes()[0].is_ascii_alphabetic()
            && letters.bytes().skip(1).all(|b| b.is_ascii_lowercase()));
    (cased && digits <= 6).then_some(letters.len())
}

/// Shannon entropy of the text's characters, in bits per character.
pub(super) fn entropy(s: &str) -> f64 {
    let mut counts: HashMap<char, usize> = HashMap::new();
    let mut n = 0usize;
    for c in s.chars() {
        *counts.entry(c).or_default() += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    let n = n as f64;
    counts
        .values()
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
#[path = "redact_tests.rs"]
mod tests;
