use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::{fmt, prelude::*, reload, EnvFilter};

use amplify_lsp::check;

/// A language server for AWS Amplify Gen2 backend files (amplify/**/*.ts).
///
/// With no command (or with --stdio) it speaks the Language Server Protocol over stdin/stdout.
#[derive(Parser)]
#[command(name = "amplify-lsp", version, about, long_about = None)]
struct Cli {
    /// Serve LSP over stdin/stdout (the default).
    #[arg(long)]
    stdio: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Check Amplify backend files and print findings like a linter; exits 1 when any error is found.
    Check {
        /// Files or folders to check (default: the current folder).
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: check::Format,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Check { paths, format }) => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            match check::run(&paths, format, &mut lock) {
                Ok(code) => ExitCode::from(code as u8),
                Err(e) => {
                    let message = format!("amplify-lsp: {e:#}");
                    eprintln!("{}", amplify_lsp::analysis::redact::redact(&message));
                    ExitCode::from(2)
                }
            }
        }
        None => serve(),
    }
}

/// The stderr log filter for a level or directive string. The protocol library's wire log (every message in
/// full, document text included) is always off, so no log level can leak what a document contains.
fn log_filter(spec: &str) -> Result<EnvFilter, tracing_subscriber::filter::ParseError> {
    EnvFilter::try_new(spec).map(without_wire_log)
}

fn without_wire_log(f: EnvFilter) -> EnvFilter {
    let mut f = f;
    for d in [
        "tower_lsp_server::codec=off",
        "tower_lsp_server::service::client=info",
        // the folder walker's own debug lines say nothing a user needs
        "ignore=info",
        "globset=info",
        // a cancellation that arrives after its answer was sent is normal traffic, not news
        "tower_lsp_server::service::pending=warn",
    ] {
        if let Ok(d) = d.parse() {
            f = f.add_directive(d);
        }
    }
    f
}

fn serve() -> ExitCode {
    // Logs go to stderr only: stdout carries protocol bytes.
    let initial = std::env::var("AMPLIFY_LSP_LOG").unwrap_or_else(|_| "info".to_string());
    let filter = log_filter(&initial).unwrap_or_else(|_| without_wire_log(EnvFilter::new("info")));
    let (filter, handle) = reload::Layer::new(filter);
    // While a client is connected, log lines go to it as `window/logMessage` (clients show stderr as errors);
    // stderr has the rest: what happens before the connection and after it ends.
    tracing_subscriber::registry()
        .with(filter)
        .with(amplify_lsp::lsp::log::ClientLayer)
        .with(
            fmt::layer()
                .with_writer(amplify_lsp::lsp::log::Stderr)
                .with_ansi(false)
                .with_target(false)
                .with_filter(tracing_subscriber::filter::filter_fn(
                    amplify_lsp::lsp::log::to_stderr,
                )),
        )
        .init();
    let env_fixed = std::env::var_os("AMPLIFY_LSP_LOG").is_some();
    let reload: amplify_lsp::lsp::LogReload = Box::new(move |level: &str| {
        if env_fixed {
            return Ok(()); // the environment variable wins over the setting
        }
        // the error quotes the directive it could not read: only say that it was not one
        let f = log_filter(level).map_err(|_| {
            "not a log level (error, warn, info, debug, trace) nor a filter directive".to_string()
        })?;
        handle.reload(f).map_err(|e| e.to_string())
    });
    std::panic::set_hook(Box::new(|info| {
        // Never print the panic payload's values: they could contain document text.
        let loc = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        // Inside a catching layer, that layer logs one line with the request's document and position.
        if amplify_lsp::lsp::panics::hook_should_log(&loc) {
            tracing::error!("panic at {loc}");
        }
    }));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("amplify-lsp: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let code = runtime.block_on(amplify_lsp::lsp::serve_stdio(Some(reload)));
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    ExitCode::from(code as u8)
}
