//! The `candour` command line: every command exits non-zero with a one-line reason on bad
//! input, and changes nothing then.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

mod accounts;
mod error;
mod export;
mod invite;
mod survey;

pub use accounts::{TokenCommand, UserCommand};
pub use error::CliError;
pub use export::{ExportArgs, ExportFormat, ExportWhat};
pub use invite::InviteCommand;
pub use survey::SurveyCommand;

use crate::config::Settings;
use crate::db::surveys;
use crate::server::{self, StartError};

#[derive(Debug, Parser)]
#[command(
    name = "candour",
    version,
    about = "Anonymous staff and partner questionnaires for safeguarding peer reviews"
)]
pub struct Cli {
    /// Folder holding an optional local.toml with settings.
    #[arg(long, global = true, default_value = "config")]
    pub config_dir: PathBuf,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web server (the default).
    Serve,
    /// Apply pending database migrations.
    Migrate,
    /// Import, list, open and close surveys.
    #[command(subcommand)]
    Survey(SurveyCommand),
    /// Review team accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// API tokens for scripted downloads.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Import invitees and queue their invitations.
    #[command(subcommand)]
    Invite(InviteCommand),
    /// Queue a reminder now for every invitation that has not responded, not opted out,
    /// is deliverable and is under the questionnaire's maximum. Without --yes, prints how
    /// many people would be reminded and sends nothing.
    Remind {
        slug: String,
        /// Send the reminders (without it, only count them).
        #[arg(long)]
        yes: bool,
    },
    /// Download results (with disclosure control) or anonymised responses.
    Export(ExportArgs),
}

/// Runs a command; what it prints goes to stdout, the returned error to stderr.
pub fn run(cli: Cli) -> Result<(), CliError> {
    let settings = Settings::load(&cli.config_dir)?;
    let command = cli.command.unwrap_or(Command::Serve);
    run_command(&settings, command).map_err(|error| with_known_slugs(&settings, error))
}

/// A mistyped slug: the reason names the surveys there are.
fn with_known_slugs(settings: &Settings, error: CliError) -> CliError {
    match &error {
        CliError::App(text) if text == crate::messages::NO_SUCH_SURVEY => {
            let slugs = server::open_connection(settings)
                .ok()
                .and_then(|mut conn| surveys::list(&mut conn).ok())
                .map(|rows| rows.into_iter().map(|row| row.slug).collect::<Vec<_>>());
            match slugs {
                Some(slugs) => CliError::App(crate::messages::no_such_survey_among(&slugs)),
                None => error,
            }
        }
        _ => error,
    }
}

fn run_command(settings: &Settings, command: Command) -> Result<(), CliError> {
    let settings = settings.clone();
    match command {
        Command::Serve => actix_web::rt::System::new()
            .block_on(server::serve(settings))
            .map_err(CliError::from),
        Command::Migrate => {
            server::open_connection(&settings).map_err(StartError::from)?;
            println!("database is up to date");
            Ok(())
        }
        Command::Survey(command) => survey::run_survey(&settings, command),
        Command::User(command) => accounts::run_user(&settings, command),
        Command::Token(command) => accounts::run_token(&settings, command),
        Command::Invite(command) => invite::run_invite(&settings, command),
        Command::Remind { slug, yes } => invite::run_remind(&settings, &slug, yes),
        Command::Export(args) => export::run_export(&settings, args),
    }
}

/// Before mail with links is queued: refuses when the links would cross the network
/// unencrypted, warns (on stderr) when they would open only on this computer.
pub(super) fn check_reach(settings: &Settings) -> Result<(), CliError> {
    match crate::invite::reach::reach(&settings.server.public_url) {
        crate::invite::reach::Reach::Fine => Ok(()),
        crate::invite::reach::Reach::Warn(warning) => {
            eprintln!("warning: {warning}");
            Ok(())
        }
        crate::invite::reach::Reach::Refuse(reason) => Err(CliError::App(reason)),
    }
}

/// Personal links from the public address, with opt-out links under the server's key (the
/// same key the server checks them with).
pub(super) fn links(
    settings: &Settings,
    conn: &mut crate::db::DbConnection,
) -> Result<crate::invite::Links, CliError> {
    let key = crate::server_key::load(settings)?;
    crate::server_key::check(conn, &key)?;
    Ok(crate::invite::Links::new(&settings.server.public_url, &key))
}

pub(super) fn now() -> chrono::NaiveDateTime {
    crate::clock::Clock::system().now()
}
