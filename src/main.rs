use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use candour::cli::{self, Cli};

/// glibc gives every thread that allocates its own heap arena, and each keeps what it once
/// held; with a blocking thread per database task the resident size grows with the thread
/// count. Two arenas keep the server within its memory budget at no measurable cost.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only tunes the allocator; called once, before any other thread starts.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

fn main() -> ExitCode {
    limit_malloc_arenas();
    let cli = Cli::parse();
    let serving = matches!(cli.command, None | Some(cli::Command::Serve));
    let default_level = if serving { "info" } else { "warn" };
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level)),
        )
        .with_writer(std::io::stderr)
        // Colour only for a person at a terminal: none in files, pipes and log collectors.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let text = error.to_string();
            eprintln!("candour: {text}");
            ExitCode::FAILURE
        }
    }
}
