//! The caret binary: parses the command line, loads the config, opens the files, and runs
//! the app in the terminal — restoring the terminal and keeping dirty buffers whatever happens.

use std::io::Write as _;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use caret::ai::provider::ProviderFlags;
use caret::app::App;
use caret::config::{self, Config};
use caret::event::AppEventSender;
use caret::headless::{self, Location};
use caret::term;

/// A terminal code editor with an AI pair built in.
#[derive(Debug, Parser)]
#[command(name = "caret", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Files to open; a folder opens the file picker there; a missing file is created on save.
    paths: Vec<PathBuf>,
    /// Use this config file instead of `$XDG_CONFIG_HOME/caret/config.toml`.
    #[arg(long, value_name = "FILE", global = true)]
    config: Option<PathBuf>,
    /// AI provider: openai (any OpenAI-compatible server), anthropic or ollama.
    #[arg(long, global = true)]
    provider: Option<String>,
    /// Base URL of the provider's API, e.g. <http://127.0.0.1:8080/v1>.
    #[arg(long, value_name = "URL", global = true)]
    base_url: Option<String>,
    /// Model name.
    #[arg(long, value_name = "NAME", global = true)]
    model: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Stream an answer to stdout.
    Ask {
        /// Ask about the code at FILE[:LINE[:COL]].
        #[arg(long, value_name = "FILE[:LINE[:COL]]")]
        at: Option<String>,
        /// The question.
        #[arg(required = true, num_args = 1..)]
        question: Vec<String>,
    },
    /// Explain the item at <FILE:LINE>[:COL], or the whole file.
    Explain {
        #[arg(value_name = "FILE[:LINE[:COL]]")]
        target: String,
    },
    /// Print exactly what would be sent about FILE[:LINE[:COL]]: each piece with why it
    /// was chosen and its tokens.
    Context {
        #[arg(value_name = "FILE[:LINE[:COL]]")]
        target: String,
        /// Token budget of the context (default: `context_tokens` in `[ai]`).
        #[arg(long, value_name = "TOKENS")]
        budget: Option<usize>,
        /// The pieces, what was withheld and the request's messages as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Ask for a change to FILE (or lines START-END of it) and print it as a unified diff;
    /// with --apply, write it (every file or none).
    Edit {
        #[arg(value_name = "FILE[:START-END]")]
        target: String,
        /// What to change.
        #[arg(
            short = 'm',
            long = "message",
            value_name = "INSTRUCTION",
            required = true
        )]
        instruction: String,
        /// Write the change (atomically; all files or none) instead of only printing it.
        #[arg(long)]
        apply: bool,
    },
    /// Fix what a check command reports about FILE: ask, apply to a scratch copy, re-run
    /// the check, until it passes or the rounds run out; print each round's diff. Exit 0
    /// only if the check passes at the end; --apply writes only a passing result.
    Fix {
        file: PathBuf,
        /// The check (run with `sh -c` in the workspace; `{file}` is FILE). Default: the
        /// `[check]` command for FILE's language.
        #[arg(long, value_name = "CMD")]
        check: Option<String>,
        /// Write the passing result (atomically; all files or none).
        #[arg(long)]
        apply: bool,
        /// Rounds of asking and checking, at most.
        #[arg(long, value_name = "N", default_value_t = 3)]
        rounds: u32,
    },
    /// Print the inline completion at <FILE:LINE:COL> (1-based), and nothing else.
    Complete {
        #[arg(value_name = "FILE:LINE:COL")]
        target: String,
    },
    /// Print the ranked repo map: files with their most relevant definitions.
    Map {
        /// The workspace (default: the current folder).
        dir: Option<PathBuf>,
        /// Token budget of the map.
        #[arg(long, value_name = "TOKENS", default_value_t = 2048)]
        budget: usize,
    },
}

/// Runs `ask` or `explain`: the answer streams to stdout, a failure is one line on stderr.
fn run_headless(command: Command, config: &Config, flags: &ProviderFlags) -> ExitCode {
    let root = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    if let Command::Map { dir, budget } = &command {
        let dir = dir.clone().unwrap_or_else(|| root.clone());
        return match headless::repo_map(&dir, *budget) {
            Ok(map) => {
                print!("{map}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e.to_string()),
        };
    }
    if let Command::Edit {
        target,
        instruction,
        apply,
    } = &command
    {
        return run_edit(config, flags, &root, target, instruction, *apply);
    }
    if let Command::Fix {
        file,
        check,
        apply,
        rounds,
    } = &command
    {
        let options = headless::fix::FixOptions {
            file: file.clone(),
            check: check.clone(),
            apply: *apply,
            rounds: *rounds,
        };
        return run_fix(config, flags, &root, &options);
    }
    if let Command::Complete { target } = &command {
        return run_complete(config, flags, &root, target);
    }
    let budget = config.ai.context_tokens;
    let messages = match command {
        Command::Ask { at: None, question } => caret::ai::prompt::conversation(
            &[],
            question.join(" "),
            0,
            &caret::ai::tokens::count_quick,
        ),
        Command::Ask {
            at: Some(at),
            question,
        } => {
            let engine = headless::open_engine(&workspace_of(&at, &root));
            match headless::prepare(
                &engine,
                &Location::parse(&at),
                Some(&question.join(" ")),
                budget,
            ) {
                Ok(p) => p.messages,
                Err(e) => return fail(&e.to_string()),
            }
        }
        Command::Explain { target } => {
            let engine = headless::open_engine(&workspace_of(&target, &root));
            match headless::prepare(&engine, &Location::parse(&target), None, budget) {
                Ok(p) => p.messages,
                Err(e) => return fail(&e.to_string()),
            }
        }
        Command::Context {
            target,
            budget,
            json,
        } => {
            let engine = headless::open_engine(&workspace_of(&target, &root));
            let budget = budget.unwrap_or(config.ai.context_tokens);
            return match headless::prepare(&engine, &Location::parse(&target), None, budget) {
                Ok(p) if json => match serde_json::to_string_pretty(&p) {
                    Ok(text) => {
                        println!("{text}");
                        ExitCode::SUCCESS
                    }
                    Err(e) => fail(&e.to_string()),
                },
                Ok(p) => {
                    print!("{}", headless::describe(&p));
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e.to_string()),
            };
        }
        Command::Map { .. }
        | Command::Edit { .. }
        | Command::Fix { .. }
        | Command::Complete { .. } => {
            return ExitCode::SUCCESS;
        }
    };
    let runtime = match headless_runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let mut stdout = std::io::stdout();
    let result = runtime.block_on(headless::stream_answer(
        config,
        flags,
        messages,
        &mut stdout,
    ));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(caret::headless::HeadlessError::Ai(e @ caret::ai::AiError::EndedEarly)) => {
            fail(&format!("{e} (the answer above is incomplete)"))
        }
        Err(e) => fail(&e.to_string()),
    }
}

/// The workspace a command is about: a folder named as its target, else the current one.
/// `caret edit`: the change as a unified diff on stdout, refused blocks on stderr; exit 1 when
/// nothing could be applied, 2 for a malformed target.
fn run_edit(
    config: &Config,
    flags: &ProviderFlags,
    root: &std::path::Path,
    target: &str,
    instruction: &str,
    apply: bool,
) -> ExitCode {
    use caret::headless::edit;
    let target = match edit::EditTarget::parse(target) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("caret: {e}");
            return ExitCode::from(2);
        }
    };
    let engine = headless::open_engine(&workspace_of(&target.path.to_string_lossy(), root));
    let request = match edit::prepare_edit(&engine, &target, instruction, config.ai.context_tokens)
    {
        Ok(r) => r,
        Err(e) => return fail(&e.to_string()),
    };
    let runtime = match headless_runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let mut reply: Vec<u8> = Vec::new();
    if let Err(e) = runtime.block_on(headless::stream_answer(
        config,
        flags,
        request.messages.clone(),
        &mut reply,
    )) {
        return fail(&e.to_string());
    }
    let staged = edit::stage_reply(&engine, &request, &String::from_utf8_lossy(&reply));
    for refusal in &staged.refused {
        eprintln!("caret: not applied: {}", refusal.message());
    }
    if staged.files.is_empty() {
        return fail("no change could be applied");
    }
    for file in &staged.files {
        print!(
            "{}",
            caret::diff::unified(&file.path, file.base.as_deref(), &file.proposed)
        );
    }
    if apply {
        if let Err(e) = edit::apply(&engine.root, &staged.files) {
            return fail(&e.to_string());
        }
        eprintln!("caret: wrote {} file(s)", staged.files.len());
    }
    ExitCode::SUCCESS
}

fn run_fix(
    config: &Config,
    flags: &ProviderFlags,
    root: &std::path::Path,
    options: &headless::fix::FixOptions,
) -> ExitCode {
    let engine = headless::open_engine(&workspace_of(&options.file.to_string_lossy(), root));
    let runtime = match headless_runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let mut ask = |messages| {
        let mut reply: Vec<u8> = Vec::new();
        runtime
            .block_on(headless::stream_answer(config, flags, messages, &mut reply))
            .map(|()| String::from_utf8_lossy(&reply).into_owned())
    };
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr();
    match headless::fix::run_fix(&engine, config, options, &mut ask, &mut stdout, &mut stderr) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => fail(&e.to_string()),
    }
}

/// `caret complete`: only the completion on stdout; 2 when the target has no line and column.
fn run_complete(
    config: &Config,
    flags: &ProviderFlags,
    root: &std::path::Path,
    target: &str,
) -> ExitCode {
    let location = Location::parse(target);
    if location.line.is_none() || location.col.is_none() {
        eprintln!("caret: complete needs FILE:LINE:COL (1-based), not \"{target}\"");
        return ExitCode::from(2);
    }
    let request = match headless::complete::prepare(root, &location, config) {
        Ok(r) => r,
        Err(e) => return fail(&e.to_string()),
    };
    let runtime = match headless_runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    match runtime.block_on(headless::complete::complete(config, flags, &request)) {
        Ok(text) => {
            print!("{text}");
            let _ = std::io::stdout().flush();
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
}

/// The single-threaded runtime a headless command streams on.
fn headless_runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(&format!("cannot start: {e}")))
}

fn workspace_of(target: &str, current: &std::path::Path) -> PathBuf {
    let path = std::path::Path::new(target);
    if path.is_dir() {
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
    } else {
        std::fs::canonicalize(current).unwrap_or_else(|_| current.to_path_buf())
    }
}

fn fail(message: &str) -> ExitCode {
    tracing::error!("{message}");
    eprintln!("caret: {message}");
    ExitCode::from(1)
}

/// Logs go to `$XDG_STATE_HOME/caret/caret.log`, never to the terminal in use. The level comes
/// from `CARET_LOG` (error, warn, info, debug, trace); info by default.
fn init_logging() {
    let dir = config::state_dir();
    let _ = std::fs::create_dir_all(&dir);
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("caret.log"))
    else {
        return;
    };
    let level = std::env::var("CARET_LOG")
        .ok()
        .and_then(|l| l.parse::<tracing::Level>().ok())
        .unwrap_or(tracing::Level::INFO);
    let _ = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_max_level(level)
        .try_init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        pid = std::process::id(),
        "caret starting"
    );
    let (config, config_error) = match &cli.config {
        Some(path) => match Config::load(path, true) {
            Ok(c) => (c, None),
            Err(e) => {
                eprintln!("caret: {e}");
                return ExitCode::from(1);
            }
        },
        // A broken default config should not lock anyone out of their editor.
        None => match Config::load(&config::config_dir().join("config.toml"), false) {
            Ok(c) => (c, None),
            Err(e) => (Config::default(), Some(e.to_string())),
        },
    };
    let flags = ProviderFlags {
        provider: cli.provider.clone(),
        base_url: cli.base_url.clone(),
        model: cli.model.clone(),
    };
    if let Some(command) = cli.command {
        if let Some(e) = &config_error {
            eprintln!("caret: {e} (using defaults)");
        }
        return run_headless(command, &config, &flags);
    }
    let root = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let (events, receiver) = AppEventSender::new();
    let mut app = App::new(config, root, events, config::state_dir().join("recovery"));
    app.chat.flags = flags;
    if let Some(e) = config_error {
        app.set_error(format!("{e} (using defaults)"));
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("caret: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    // Background loads report through the runtime's channel, so open inside it.
    let _guard = runtime.enter();
    for path in &cli.paths {
        app.open_path(path);
    }
    app.ensure_buffer();
    // Like other editors, start on the first file named.
    app.current = 0;

    term::install_panic_hook();
    let mut terminal = match term::init() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("caret: {e}");
            return ExitCode::from(1);
        }
    };
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
        runtime.block_on(app.run(&mut terminal, receiver, term::write_raw))
    }));
    term::restore();
    let code = match outcome {
        Ok(Ok(())) => u8::try_from(app.exit_code).unwrap_or(1),
        Ok(Err(e)) => {
            let written = app.write_all_recovery();
            app.exit_report.push(format!("caret: {e}"));
            app.exit_report.extend(written);
            1
        }
        Err(_) => {
            tracing::error!("panic in the app loop; writing recovery files");
            let written = app.write_all_recovery();
            app.exit_report.extend(written);
            101
        }
    };
    // The terminal may be gone (SIGHUP): a failed write must not turn into a panic.
    let mut stderr = std::io::stderr();
    for line in &app.exit_report {
        tracing::info!("{line}");
        let _ = writeln!(stderr, "{line}");
    }
    ExitCode::from(code)
}
