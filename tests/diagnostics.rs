//! Reading real check output, recorded from the tools themselves (tests/diagnostics/): cargo's
//! JSON and human forms, a failing Rust test, gcc, Python, and TypeScript's own form.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use caret::diagnostics::Severity;
use caret::diagnostics::parse::parse;

fn recorded(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/diagnostics/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn lines(name: &str) -> Vec<String> {
    parse(&recorded(name))
        .iter()
        .map(caret::diagnostics::Diagnostic::one_line)
        .collect()
}

#[test]
fn cargo_check_json() {
    let d = parse(&recorded("cargo_check_e0308.json"));
    assert_eq!(
        d.iter()
            .map(caret::diagnostics::Diagnostic::one_line)
            .collect::<Vec<_>>(),
        ["src/lib.rs:2:5: error: mismatched types [E0308]"]
    );
    let rendered = d[0].rendered.as_deref().unwrap();
    assert!(
        rendered.contains("expected `i32`, found `&str`"),
        "{rendered}"
    );
}

#[test]
fn cargo_check_human() {
    assert_eq!(
        lines("cargo_check_human.txt"),
        ["src/lib.rs:2:5: error: mismatched types [E0308]"]
    );
}

#[test]
fn a_failing_cargo_test_and_its_warning() {
    assert_eq!(
        lines("cargo_test_failure.txt"),
        [
            "src/lib.rs:2:9: warning: unused variable: `unused`",
            "src/lib.rs:10:9: error: test tests::adds failed: assertion `left == right` failed   left: 0  right: 4",
        ]
    );
}

#[test]
fn gcc() {
    let d = parse(&recorded("gcc.txt"));
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!((d[0].path.as_str(), d[0].line, d[0].col), ("bad.c", 1, 10));
    assert_eq!(d[0].severity, Severity::Warning);
    assert_eq!(
        d[1].one_line(),
        "bad.c:3:3: error: expected ‘,’ or ‘;’ before ‘return’"
    );
}

#[test]
fn python_traceback() {
    assert_eq!(
        lines("py_compile.txt"),
        ["bad.py:1:1: error: SyntaxError: invalid syntax"]
    );
    let run = "Traceback (most recent call last):\n  File \"app.py\", line 9, in <module>\n    main()\n  File \"lib/calc.py\", line 3, in main\n    1 / 0\nZeroDivisionError: division by zero\n";
    let d = parse(run);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        d[0].one_line(),
        "lib/calc.py:3:1: error: ZeroDivisionError: division by zero"
    );
}

#[test]
fn typescript() {
    let d = parse(
        "src/app.ts(12,7): error TS2322: Type 'string' is not assignable to type 'number'.\n",
    );
    assert_eq!(
        d[0].one_line(),
        "src/app.ts:12:7: error: Type 'string' is not assignable to type 'number'. [TS2322]"
    );
}

#[test]
fn the_default_python_check_reports_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.py"), "x = 1\ndef f(:\n  pass\n").unwrap();
    let config = caret::config::CheckConfig::default();
    let Some(command) = config.command_for("python", dir.path()) else {
        panic!("no default Python check");
    };
    let command = caret::diagnostics::check::expand(command, Some("bad.py"));
    let run = caret::diagnostics::check::run(
        &command,
        dir.path(),
        &[],
        std::time::Duration::from_secs(30),
    )
    .unwrap();
    if run.output.contains("not found") {
        eprintln!("skipped: no python3 here");
        return;
    }
    assert!(!run.passed);
    assert_eq!(
        run.diagnostics
            .iter()
            .map(caret::diagnostics::Diagnostic::one_line)
            .collect::<Vec<_>>(),
        ["bad.py:2:1: error: SyntaxError: invalid syntax"]
    );
    assert!(!dir.path().join("__pycache__").exists());
}
