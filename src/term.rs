//! The terminal: entering raw mode and the alternate screen with mouse, paste and focus
//! reporting, and always leaving it again — on exit, error and panic.

use std::io::{self, Write};

use crossterm::event::{
    DisableBracketedPaste, DisableFocusChange, DisableMouseCapture, EnableBracketedPaste,
    EnableFocusChange, EnableMouseCapture,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Tui = Terminal<CrosstermBackend<io::Stdout>>;

/// Puts the terminal into the editor's mode.
pub fn init() -> io::Result<Tui> {
    if !crossterm::tty::IsTty::is_tty(&io::stdout()) || !crossterm::tty::IsTty::is_tty(&io::stdin())
    {
        return Err(io::Error::other(
            "caret needs a terminal: stdin and stdout must be a tty",
        ));
    }
    enable_raw_mode()?;
    let mut out = io::stdout();
    let entered = execute!(
        out,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        EnableFocusChange
    );
    if let Err(e) = entered {
        restore();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(out))
}

/// Leaves the editor's mode; safe to call more than once and from a panic hook.
pub fn restore() {
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableFocusChange,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// Restores the terminal before the panic message is printed, so it can be read.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        tracing::error!("panic: {info}");
        previous(info);
    }));
}

/// Writes raw escape sequences (OSC 52) straight to the terminal.
pub fn write_raw(seq: &str) {
    let mut out = io::stdout();
    let _ = out.write_all(seq.as_bytes());
    let _ = out.flush();
}
