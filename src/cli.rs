//! The `candour` command line: every command exits non-zero with a one-line reason on bad
//! input, and changes nothing then.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::db::responses;
use crate::db::surveys;
use crate::error::AppError;
use crate::invite::{self, InviteImportError};
use crate::server::{self, StartError};
use crate::survey;

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

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account; the password is read from standard input (one line) or a prompt.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long, value_parser = ["admin", "viewer"])]
        role: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for an account and print it (it is shown only this once).
    Create {
        #[arg(long)]
        email: String,
    },
    /// List API tokens (never the tokens themselves).
    List,
    /// Revoke an API token by its number from `token list`.
    Revoke { id: i32 },
}

#[derive(Debug, Subcommand)]
pub enum InviteCommand {
    /// Add invitees from a CSV file (header: email[,name][,group], any order).
    Import { slug: String, file: PathBuf },
    /// Queue the invitation mail of every invitee not yet sent one.
    Send { slug: String },
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    pub slug: String,
    #[arg(long, value_enum)]
    pub what: ExportWhat,
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Results only: split every figure by this breakdown question.
    #[arg(long)]
    pub breakdown: Option<String>,
    /// Responses only: include free-text answers.
    #[arg(long)]
    pub with_text: bool,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportWhat {
    Results,
    Responses,
    /// The Word report (`--format docx`).
    Report,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Json,
    Docx,
}

#[derive(Debug, Subcommand)]
pub enum SurveyCommand {
    /// Check a questionnaire file and store it; prints the survey's slug.
    Import { file: PathBuf },
    /// List surveys with their status and response counts.
    List,
    /// Start accepting responses.
    Open { slug: String },
    /// Stop accepting responses.
    Close { slug: String },
    /// Status and response count of one survey.
    Status { slug: String },
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Import(String),
    #[error("{0}")]
    App(String),
    #[error(transparent)]
    Key(#[from] crate::server_key::KeyError),
}

impl From<AppError> for CliError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::SurveyNotFound => CliError::App(crate::messages::NO_SUCH_SURVEY.to_owned()),
            AppError::SurveyNotOpen => {
                CliError::App(crate::messages::SURVEY_NOT_ACCEPTING.to_owned())
            }
            other => CliError::App(other.to_string()),
        }
    }
}

impl From<diesel::result::Error> for CliError {
    fn from(error: diesel::result::Error) -> Self {
        CliError::App(crate::db::DbError::from(error).to_string())
    }
}

impl From<crate::db::DbError> for CliError {
    fn from(error: crate::db::DbError) -> Self {
        CliError::App(error.to_string())
    }
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
        Command::Survey(command) => run_survey(&settings, command),
        Command::User(command) => crate::cli_accounts::run_user(&settings, command),
        Command::Token(command) => crate::cli_accounts::run_token(&settings, command),
        Command::Invite(command) => run_invite(&settings, command),
        Command::Remind { slug, yes } => {
            let mut conn = server::open_connection(&settings).map_err(StartError::from)?;
            if !yes {
                // Only the count: no link is built, so the public_url check waits for --yes.
                let count = invite::count_reminders(&mut conn, &slug, now().date())?;
                return Err(CliError::App(
                    crate::messages::invitations::remind_unconfirmed(count),
                ));
            }
            check_reach(&settings)?;
            let links = links(&settings, &mut conn)?;
            let count = invite::queue_reminders(
                &mut conn,
                &links,
                &slug,
                now(),
                invite::ReminderScope::AllEligible,
            )?;
            println!("queued {count} reminder(s)");
            Ok(())
        }
        Command::Export(args) => run_export(&settings, args),
    }
}

/// Before mail with links is queued: refuses when the links would cross the network
/// unencrypted, warns (on stderr) when they would open only on this computer.
fn check_reach(settings: &Settings) -> Result<(), CliError> {
    match invite::reach::reach(&settings.server.public_url) {
        invite::reach::Reach::Fine => Ok(()),
        invite::reach::Reach::Warn(warning) => {
            eprintln!("warning: {warning}");
            Ok(())
        }
        invite::reach::Reach::Refuse(reason) => Err(CliError::App(reason)),
    }
}

/// Personal links from the public address, with opt-out links under the server's key (the
/// same key the server checks them with).
fn links(
    settings: &Settings,
    conn: &mut crate::db::DbConnection,
) -> Result<invite::Links, CliError> {
    let key = crate::server_key::load(settings)?;
    crate::server_key::check(conn, &key)?;
    Ok(invite::Links::new(&settings.server.public_url, &key))
}

fn now() -> chrono::NaiveDateTime {
    crate::clock::Clock::system().now()
}

fn run_survey(settings: &Settings, command: SurveyCommand) -> Result<(), CliError> {
    // Read the file before touching the database, so a typo changes nothing at all.
    let source = match &command {
        SurveyCommand::Import { file } => Some(std::fs::read_to_string(file).map_err(
            |source| CliError::Read {
                path: file.clone(),
                source,
            },
        )?),
        _ => None,
    };
    let mut conn = server::open_connection(settings).map_err(StartError::from)?;
    match command {
        SurveyCommand::Import { .. } => {
            let source = source.unwrap_or_default();
            match survey::import(&mut conn, &source, now()) {
                Ok((questionnaire, _)) => {
                    for warning in crate::questionnaire::contact::warnings(&questionnaire) {
                        eprintln!("{warning}");
                    }
                    for warning in crate::questionnaire::intro_check::warnings(&questionnaire) {
                        eprintln!("{warning}");
                    }
                    println!("{}", questionnaire.slug);
                    Ok(())
                }
                Err(AppError::Import(problems)) => Err(CliError::Import(format!(
                    "the questionnaire has {} problem(s), nothing was imported:\n{problems}",
                    problems.0.len()
                ))),
                Err(other) => Err(other.into()),
            }
        }
        SurveyCommand::List => {
            let counts = responses::counts_by_survey(&mut conn)?;
            for row in surveys::list(&mut conn)? {
                let count = counts.get(&row.id).copied().unwrap_or(0);
                println!(
                    "{}\t{}\t{} responses\t{}",
                    row.slug, row.status, count, row.title
                );
            }
            Ok(())
        }
        SurveyCommand::Open { slug } => {
            survey::open(&mut conn, &slug, now())?;
            println!("{slug} is open");
            Ok(())
        }
        SurveyCommand::Close { slug } => {
            surveys::head_by_slug(&mut conn, &slug)?.ok_or(AppError::SurveyNotFound)?;
            let key = crate::server_key::load(settings)?;
            crate::server_key::check(&mut conn, &key)?;
            let seal = crate::release::ResponseSeal::new(&key);
            let released = survey::close(&mut conn, &slug, now(), &seal)?;
            println!("{slug} is closed");
            if released > 0 {
                println!("released {released} waiting response(s)");
            }
            Ok(())
        }
        SurveyCommand::Status { slug } => {
            let row = surveys::find_by_slug(&mut conn, &slug)?.ok_or(AppError::SurveyNotFound)?;
            let count = responses::count_for_survey(&mut conn, row.id)?;
            let waiting = crate::db::waiting::count_for_survey(&mut conn, row.id)?;
            println!(
                "survey: {}\nstatus: {}\nresponses: {count}\nwaiting: {waiting}",
                row.slug, row.status
            );
            let min_group_size =
                serde_json::from_str::<crate::questionnaire::Questionnaire>(&row.definition)
                    .map(|q| q.min_group_size)
                    .unwrap_or(settings.disclosure.min_group_size);
            if waiting > 0 {
                println!(
                    "{}",
                    crate::messages::waiting_responses(waiting, min_group_size)
                );
            }
            print!(
                "{}",
                status_lines(&invite::response_rates(&mut conn, row.id, min_group_size)?)
            );
            Ok(())
        }
    }
}

fn run_invite(settings: &Settings, command: InviteCommand) -> Result<(), CliError> {
    match command {
        InviteCommand::Import { slug, file } => {
            let data = std::fs::read(&file).map_err(|source| CliError::Read {
                path: file.clone(),
                source,
            })?;
            let mut conn = server::open_connection(settings).map_err(StartError::from)?;
            match invite::import(&mut conn, &slug, &data) {
                Ok(summary) => {
                    println!(
                        "imported {} invitee(s); {} already on the list (skipped)",
                        summary.added, summary.duplicates
                    );
                    Ok(())
                }
                Err(InviteImportError::App(error)) => Err(error.into()),
                Err(rows) => Err(CliError::Import(rows.to_string())),
            }
        }
        InviteCommand::Send { slug } => {
            check_reach(settings)?;
            let mut conn = server::open_connection(settings).map_err(StartError::from)?;
            let links = links(settings, &mut conn)?;
            let count = invite::queue_invitations(&mut conn, &links, &slug, now())?;
            println!("queued {count} invitation(s)");
            Ok(())
        }
    }
}

/// Response rates as `survey status` prints them: counts only, never who.
fn status_lines(rates: &invite::ResponseRates) -> String {
    let counts = |c: &crate::invite::rates::Counts| {
        format!(
            "invited {}, completed {}, opted out {}, undeliverable {}",
            c.invited, c.completed, c.opted_out, c.undeliverable
        )
    };
    let mut out = format!("invitations: {}\n", counts(&rates.overall));
    for group in &rates.groups {
        let name = group.group.as_deref().unwrap_or("(no group)");
        match &group.counts {
            Some(c) => out.push_str(&format!("group {name}: {}\n", counts(c))),
            None => out.push_str(&format!(
                "group {name}: invited {}, other figures hidden (fewer than the minimum completed or not completed, or they would give a hidden group back)\n",
                group.invited
            )),
        }
    }
    out
}

/// Who the audit log names for downloads from the command line.
const CLI_ACTOR: &str = "command line";

/// `candour export`: the same preparation as the pages and the API (`downloads::prepare`,
/// disclosure control and the audit entry included), then the file copied to its place.
fn run_export(settings: &Settings, args: ExportArgs) -> Result<(), CliError> {
    use crate::report::downloads::{self, Body, DownloadError, What};
    use crate::report::export::Format;
    let format = match args.format {
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Xlsx => Format::Xlsx,
        ExportFormat::Json => Format::Json,
        ExportFormat::Docx => Format::Docx,
    };
    let what = match args.what {
        ExportWhat::Results => What::Results {
            breakdown: args.breakdown.clone(),
        },
        ExportWhat::Responses => What::Responses {
            with_text: args.with_text,
        },
        ExportWhat::Report => What::Report {
            breakdown: args.breakdown.clone(),
        },
    };
    if !what.offers(format) {
        return Err(CliError::App(match what {
            What::Results { .. } => {
                "results can be exported as csv, xlsx or json, not docx".to_owned()
            }
            What::Responses { .. } => format!(
                "responses can be exported as csv or xlsx, not {}",
                format.extension()
            ),
            What::Report { .. } => "the report can be exported as docx only".to_owned(),
        }));
    }
    let mut conn = server::open_connection(settings).map_err(StartError::from)?;
    let catalog = survey::Catalog::new();
    // Everything that can be refused is refused here, before the output file is created.
    let download = downloads::prepare(
        &mut conn,
        &catalog,
        &args.slug,
        &what,
        format,
        CLI_ACTOR,
        CLI_ACTOR,
        now(),
    )
    .map_err(|error| match error {
        DownloadError::SurveyNotFound => CliError::from(AppError::SurveyNotFound),
        DownloadError::Report(error) => report_error(error),
    })?;
    let copy = |out: &mut dyn std::io::Write| -> std::io::Result<()> {
        match download.body {
            Body::Memory(ref bytes) => out.write_all(bytes),
            Body::File(ref file, _) => {
                let mut file = file;
                std::io::copy(&mut file, out).map(|_| ())
            }
        }?;
        out.flush()
    };
    match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|source| CliError::Write {
                path: path.clone(),
                source,
            })?;
            let mut out = std::io::BufWriter::new(file);
            if let Err(source) = copy(&mut out) {
                let _ = std::fs::remove_file(path);
                return Err(CliError::Write {
                    path: path.clone(),
                    source,
                });
            }
            Ok(())
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout());
            copy(&mut out).map_err(|e| CliError::App(e.to_string()))
        }
    }
}

fn report_error(error: crate::report::ReportError) -> CliError {
    CliError::App(error.to_string())
}
