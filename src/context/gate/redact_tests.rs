//! Tests of line redaction: each rule on both sides, the shape of the output, and the
//! properties every caller relies on (same line count; unreported lines untouched).

use proptest::prelude::*;

use super::*;

fn one(line: &str) -> String {
    let (out, withheld) = redact("f", line);
    assert_eq!(out.lines().count(), line.lines().count());
    if withheld.is_empty() {
        assert_eq!(out, line);
    }
    out
}

fn assert_redacted(line: &str, expected: &str) {
    assert_eq!(one(line), expected, "input: {line}");
}

fn assert_kept(line: &str) {
    let (out, withheld) = redact("f", line);
    assert!(withheld.is_empty(), "redacted {line:?}: {withheld:?}");
    assert_eq!(out, line);
}

#[test]
fn the_detectors_compile() {
    assert!(DETECTORS.is_ok(), "{:?}", DETECTORS.as_ref().err());
}

#[test]
fn entropy_is_bits_per_char() {
    assert!(entropy("").abs() < f64::EPSILON);
    assert!(entropy("aaaa").abs() < f64::EPSILON);
    assert!((entropy("abab") - 1.0).abs() < 1e-9);
    assert!((entropy("0123456789abcdef") - 4.0).abs() < 1e-9);
}

#[test]
fn tokens_with_known_shapes() {
    let cases = [
        (
            r#"aws_id = "AKIAIOSFODNN7EXAMPLE""#,
            "aws_id = [redacted: likely secret (AWS access key)]",
        ),
        (
            "    creds(ASIAIOSFODNN7EXAMPLE, x)",
            "    creds([redacted: likely secret (AWS access key)]",
        ),
        (
            "GITHUB_TOKEN=ghp_FAKEfake0123456789abcdefghijklmnopqr",
            "GITHUB_TOKEN=[redacted: likely secret (GitHub token)]",
        ),
        (
            "gho_FAKEfake0123456789abcdefghijklmnopqr",
            "[redacted: likely secret (GitHub token)]",
        ),
        (
            "t: github_pat_11FAKE0000_abcdefghijklmnopqrstuvwxyz0123",
            "t: [redacted: likely secret (GitHub token)]",
        ),
        (
            r#"client = OpenAI(api_key="sk-proj-FakeKey0123456789AbCdEfGhIjKl")"#,
            "client = OpenAI(api_key=[redacted: likely secret (OpenAI API key)]",
        ),
        (
            "OPENAI=sk-FAKE0123456789abcdefghijklmnopqrstuvwxyzABCD",
            "OPENAI=[redacted: likely secret (OpenAI API key)]",
        ),
        (
            "ANTHROPIC_API_KEY=sk-ant-api03-FAKE0123456789abcdefghij",
            "ANTHROPIC_API_KEY=[redacted: likely secret (Anthropic API key)]",
        ),
        (
            "  slack: 'xoxb-0000000000-FAKEfakeFAKE'",
            "  slack: [redacted: likely secret (Slack token)]",
        ),
        (
            "maps(b\"AIzaFAKE0123456789abcdefghijklmnopqrstu\")",
            "maps([redacted: likely secret (Google API key)]",
        ),
        (
            "stripe.api_key = 'sk_live_FAKE0123456789abcdef'",
            "stripe.api_key = [redacted: likely secret (Stripe key)]",
        ),
        (
            "rk_live_FAKE0123456789abcdef",
            "[redacted: likely secret (Stripe key)]",
        ),
        (
            "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmYWtlIn0.ZmFrZXNpZ25hdHVyZQ",
            "jwt [redacted: likely secret (JWT)]",
        ),
        (
            "DATABASE_URL=postgres://app:s3cr3t-Pa55@db.internal:5432/app",
            "DATABASE_URL=[redacted: likely secret (password in URL)]",
        ),
        (
            "redis://:Zq81fakeRedis@cache:6379",
            "[redacted: likely secret (password in URL)]",
        ),
        (
            r#"curl -H "Authorization: Bearer FAKEq8Zt3vN1xW7pL2mK9sR4""#,
            "curl -H \"Authorization: [redacted: likely secret (bearer token)]",
        ),
    ];
    for (line, expected) in cases {
        assert_redacted(line, expected);
    }
}

#[test]
fn near_misses_of_the_known_shapes() {
    for line in [
        "AKIAIOSFODNN7EXAMPLEX is too long",
        "akiaiosfodnn7example",
        "let s = \"sk-learn-compatibility-layer-of-doom\";",
        "mask-0123456789abcdefghijklmnop",
        "ghp_short",
        "xoxb-",
        "eyJhbGciOiJIUzI1NiJ9 alone",
        "see https://user@example.com/path and http://localhost:8080/x",
        "DATABASE_URL=postgres://user:password@localhost/db",
        "url = f\"postgres://${DB_USER}:${DB_PASS}@{host}/db\"",
        "format!(\"{}://{}:{}@{}\", scheme, user, pass, host)",
        "\"{scheme}://{user}:{password}@{host}\"",
        "Authorization: Bearer <token>",
        "Authorization: Bearer ${TOKEN}",
        "the Bearer authentication scheme is described in the standard",
        "Basic authentication over TLS only; BasicAuthenticationHandler",
    ] {
        assert_kept(line);
    }
}

#[test]
fn high_entropy_assignments() {
    let cases = [
        (
            r#"API_KEY = "q8Zt3vN1xW7pL2mK9sR4""#,
            "API_KEY = [redacted: likely secret (high-entropy value)]",
        ),
        (
            "    db_password: \"Xy7#kP2!mQ9$vL4@wR8\"",
            "    db_password: [redacted: likely secret (password)]",
        ),
        (
            "export SECRET_TOKEN=Zm9vYmFyYmF6cXV4MTIzNDU2",
            "export SECRET_TOKEN=[redacted: likely secret (high-entropy value)]",
        ),
        (
            "\tauthToken := \"Q2x9FAKEv7Lp3Rt8Wm1K\"",
            "\tauthToken := [redacted: likely secret (high-entropy value)]",
        ),
        (
            "const API_SECRET: &str = \"a8F9e7D6c5B4fake3f2E1\";",
            "const API_SECRET: &str = [redacted: likely secret (high-entropy value)]",
        ),
        (
            r#"  "client_secret": "GOCSPX-FAKE9q8w7e6r5t4y3","#,
            "  \"client_secret\": [redacted: likely secret (high-entropy value)]",
        ),
        (
            "'api-key' => 'q8Zt3vN1xW7pL2mK9sR4',",
            "'api-key' => [redacted: likely secret (high-entropy value)]",
        ),
        (
            "self.Credentials = 'kJhGfDsAqWeRtYuIoPlMnBvC'",
            "self.Credentials = [redacted: likely secret (high-entropy value)]",
        ),
        (
            "SECRET_KEY = 'django-insecure-k#3v$9x@q!7b2&z*fake'",
            "SECRET_KEY = [redacted: likely secret (high-entropy value)]",
        ),
        (
            "if api_key == \"q8Zt3vN1xW7pL2mK9sR4\":",
            "if api_key == [redacted: likely secret (high-entropy value)]",
        ),
        (
            "LICENSE_KEY=Q2X9FAKEV7LP3RT8WM1K2",
            "LICENSE_KEY=[redacted: likely secret (high-entropy value)]",
        ),
        (
            "  \"Authorization\": \"Basic dXNlcjpGQUtFcGFzc3dvcmQxMjM=\"",
            "  \"Authorization\": [redacted: likely secret (HTTP basic credentials)]",
        ),
        (
            "DB_PWD=9f86d081884c7d659a2feaa0c55ad015",
            "DB_PWD=[redacted: likely secret (password)]",
        ),
    ];
    for (line, expected) in cases {
        assert_redacted(line, expected);
    }
}

#[test]
fn ordinary_code_is_not_a_secret() {
    for line in [
        "let token = lexer.next_token();",
        "    password_field: String,",
        "fn secret_key(&self) -> &str {",
        "pub fn auth_token(&self) -> Option<&AuthToken> { self.auth_token.as_ref() }",
        "let auth = request.headers.authorization_value_v2;",
        "let key = format!(\"{}:{}\", namespace, name);",
        "key = hashlib.sha256(data).hexdigest()",
        "api_key = os.environ[\"API_KEY\"]",
        "API_KEY=${API_KEY}",
        "apiKey: process.env.OPENAI_API_KEY,",
        "let key = std::env::var(\"ANTHROPIC_API_KEY\")?;",
        "token: ${{ secrets.GITHUB_TOKEN }}",
        "password = getenv('DB_PASSWORD_FOR_PRODUCTION')",
        "API_KEY=<your-api-key-goes-here>",
        "password = \"changeme-changeme-123\"",
        "SECRET=xxxxxxxxxxxxxxxxxxxx",
        "api_key: \"your_api_key_here_please\"",
        "password = \"aaaaaaaaaaaaaaaaaaaa\"",
        "token = \"1111111111111111\"",
        "password = \"hunter2\"",
        "token_kind = \"identifier_or_keyword\"",
        "AUTH_HEADER_NAME = \"X-Authorization-Token\"",
        "\"keywords\": \"rust,editor,terminal,ai,code\",",
        "author = \"Jane Q. Developer <jane@example.com>\"",
        "key_file = \"/etc/ssl/private/server.key\"",
        "auth_url = \"https://accounts.example.com/o/oauth2/auth\"",
        "TokenKind::Keyword => \"keyword_or_identifier\",",
        "let tokens: Vec<Token> = tokenize(&source_text_with_comments);",
        "if token == Token::EndOfFileMarker {",
        "auth: Option<AuthenticationSettings>,",
        "public_key = \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFAKE user@host\"",
        "for (key, value) in map.iter_mut_sorted_by_key() {",
        "    monkey = zookeeper.connect(hosts)",
        "let authority_str = \"a%2f:b%2f@example.com\";",
        "    check_private_key_bytes: x25519_check_private_key_bytes,",
        "/// - `SecretKind::ResumptionPSKBinderKey`",
        "b\"HTTP/1.1 200 OK\\r\\nAccess-Control-Allow-Credentials: hell\\x01o\\r\\n\";",
        "let m = Proxy::all(\"http://letme:in@yo.local\")",
        "keywords = \"q8Zt3vN1xW7pL2mK9sR4\"",
        "DEFAULT_KEY_NAME = \"KEY_DEFAULT_VALUE_1\"",
        "token_class = \"HTTPServerRequestTokenizer\"",
        "    pub GenerateKey: BCryptGenerateSymmetricKeyFn,",
        "const AUTH_OPEN: AUTH_ALGORITHM = DOT11_AUTH_ALGO_80211_OPEN;",
        "const D3D11_REGKEY_PATH: &str = \"Software\\\\Microsoft\\\\Direct3D\";",
    ] {
        assert_kept(line);
    }
}

#[test]
fn private_key_blocks_are_redacted_line_by_line() {
    let text = "before\nkey = \"\"\"\n    -----BEGIN RSA PRIVATE KEY-----\n    MIIEFAKEFAKEFAKEFAKE0123456789abcdef\n    FAKEFAKEFAKE0123456789abcdef==\n    -----END RSA PRIVATE KEY-----\n\"\"\"\nafter\n";
    let (out, withheld) = redact("k.py", text);
    assert_eq!(
        out,
        "before\nkey = \"\"\"\n    [redacted: likely secret (private key)]\n    [redacted: likely secret (private key)]\n    [redacted: likely secret (private key)]\n    [redacted: likely secret (private key)]\n\"\"\"\nafter\n"
    );
    let lines: Vec<&str> = withheld.iter().map(|w| w.what.as_str()).collect();
    assert_eq!(lines, ["k.py:3", "k.py:4", "k.py:5", "k.py:6"]);
    assert!(
        withheld
            .iter()
            .all(|w| w.reason == "likely secret (private key)")
    );
}

#[test]
fn private_keys_in_other_shapes() {
    // One line, as in a service-account JSON file.
    assert_redacted(
        r#"  "private_key": "-----BEGIN PRIVATE KEY-----\nMIIFAKE\n-----END PRIVATE KEY-----\n","#,
        "  \"private_key\": [redacted: likely secret (private key)]",
    );
    // Truncated: the marker and the base64 after it, not the code after that.
    let text = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEFAKEFAKEFAKE\nFAKEFAKEFAKEFAKEFAKE0000\nfn main() {}\n";
    let (out, withheld) = redact("t", text);
    assert_eq!(withheld.len(), 3);
    assert!(out.ends_with("\nfn main() {}\n"), "{out}");
    // A marker kept as a constant by code that looks for keys: that line only.
    let text = "const HEADER: &str = \"-----BEGIN EC PRIVATE KEY-----\";\nfn is_key(s: &str) -> bool {\n    s.contains(HEADER)\n}\n";
    let (out, withheld) = redact("t", text);
    assert_eq!(withheld.len(), 1);
    assert_eq!(
        out,
        "const HEADER: &str = [redacted: likely secret (private key)]\nfn is_key(s: &str) -> bool {\n    s.contains(HEADER)\n}\n"
    );
    // Code between a BEGIN and an END marker is not a key.
    let text = "const BEGIN: &str = \"-----BEGIN RSA PRIVATE KEY-----\";\nfn parse(s: &str) -> Option<&str> {\n    s.strip_prefix(BEGIN)\n}\nconst END: &str = \"-----END RSA PRIVATE KEY-----\";\n";
    let (out, withheld) = redact("t", text);
    assert_eq!(withheld.len(), 1, "{out}");
    assert!(
        out.contains(
            "fn parse(s: &str) -> Option<&str> {\n    s.strip_prefix(BEGIN)\n}\nconst END"
        )
    );
    // A key quoted line by line in code, with a header and a short last line.
    let text = "KEY = (\"-----BEGIN RSA PRIVATE KEY-----\\n\"\n       \"Proc-Type: 4,ENCRYPTED\\n\"\n       \"MIIEFAKEFAKE0123456789abcdef\\n\"\n       \"AbCd==\\n\"\n       \"-----END RSA PRIVATE KEY-----\\n\")\nx = 1\n";
    let (out, withheld) = redact("t", text);
    assert_eq!(withheld.len(), 5, "{out}");
    assert!(
        out.starts_with("KEY = ([redacted: likely secret (private key)]\n       [redacted"),
        "{out}"
    );
    assert!(out.ends_with("\nx = 1\n"), "{out}");
    // PGP and encrypted keys are blocks too.
    let text = "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQFAKE\n-----END PGP PRIVATE KEY BLOCK-----\n-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFAKE\n-----END ENCRYPTED PRIVATE KEY-----";
    let (out, withheld) = redact("t", text);
    assert_eq!(withheld.len(), 7);
    assert!(!out.contains("FAKE"));
    // A public key or certificate is not secret.
    assert_kept("-----BEGIN PUBLIC KEY-----\nMIIBFAKE\n-----END PUBLIC KEY-----\n");
}

#[test]
fn line_endings_and_reports() {
    let text = "a = 1\r\nAPI_KEY = \"q8Zt3vN1xW7pL2mK9sR4\"\r\nb = 2\r\n";
    let (out, withheld) = redact("src/x.py", text);
    assert_eq!(
        out,
        "a = 1\r\nAPI_KEY = [redacted: likely secret (high-entropy value)]\r\nb = 2\r\n"
    );
    assert_eq!(
        withheld,
        [Withheld {
            what: "src/x.py:2".to_string(),
            reason: "likely secret (high-entropy value)".to_string(),
        }]
    );
    // The earliest secret on a line names it; the whole rest of the line goes.
    assert_redacted(
        "a_token = \"q8Zt3vN1xW7pL2mK9sR4\"; aws = \"AKIAIOSFODNN7EXAMPLE\"",
        "a_token = [redacted: likely secret (high-entropy value)]",
    );
    assert_kept("");
    assert_kept("\n\n");
}

/// Lines that redaction must get right: secrets, near misses, code, and noise.
fn line_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("API_KEY = \"q8Zt3vN1xW7pL2mK9sR4\"".to_string()),
        Just("aws = AKIAIOSFODNN7EXAMPLE".to_string()),
        Just("-----BEGIN RSA PRIVATE KEY-----".to_string()),
        Just("MIIEFAKEFAKEFAKEFAKE0123456789abcdef".to_string()),
        Just("-----END RSA PRIVATE KEY-----".to_string()),
        Just("let token = lexer.next_token();".to_string()),
        Just("url = https://u:Zq81fakeP@h/".to_string()),
        Just("password: 'kJhGfDsAqWeRtYuIoPlMnBvC'".to_string()),
        Just("    ".to_string()),
        "[ -~]{0,60}",
        "\\PC{0,40}",
        "[a-zA-Z_ =:\"'0-9\r-]{0,50}",
    ]
}

proptest! {
    #[test]
    fn redaction_keeps_lines_and_reports_every_change(
        lines in prop::collection::vec(line_strategy(), 0..24),
        crlf in any::<bool>(),
        trailing in any::<bool>(),
    ) {
        let mut text = lines.join(if crlf { "\r\n" } else { "\n" });
        if trailing {
            text.push('\n');
        }
        let (out, withheld) = redact("p", &text);
        let before: Vec<&str> = text.split('\n').collect();
        let after: Vec<&str> = out.split('\n').collect();
        prop_assert_eq!(before.len(), after.len());
        let reported: Vec<usize> = withheld
            .iter()
            .map(|w| w.what.strip_prefix("p:").and_then(|n| n.parse().ok()).unwrap_or(0))
            .collect();
        for (i, (b, a)) in before.iter().zip(&after).enumerate() {
            if reported.contains(&(i + 1)) {
                prop_assert!(a.contains("[redacted: likely secret ("));
            } else {
                prop_assert_eq!(b, a, "line {} changed without a report", i + 1);
            }
        }
    }

    #[test]
    fn any_text_keeps_its_line_count(text in "\\PC{0,300}|[\n\r a-zA-Z0-9=:\"'_-]{0,300}") {
        let (out, withheld) = redact("p", &text);
        prop_assert_eq!(text.split('\n').count(), out.split('\n').count());
        if withheld.is_empty() {
            prop_assert_eq!(out, text);
        }
    }
}
