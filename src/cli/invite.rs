//! `candour invite …` and `candour remind`.

use std::path::PathBuf;

use clap::Subcommand;

use super::{check_reach, links, now, CliError};
use crate::config::Settings;
use crate::invite::{self, InviteImportError};
use crate::server::{self, StartError};

#[derive(Debug, Subcommand)]
pub enum InviteCommand {
    /// Add invitees from a CSV file (header: email[,name][,group], any order).
    Import { slug: String, file: PathBuf },
    /// Queue the invitation mail of every invitee not yet sent one.
    Send { slug: String },
}

pub(super) fn run_invite(settings: &Settings, command: InviteCommand) -> Result<(), CliError> {
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

/// `candour remind SLUG [--yes]`.
pub(super) fn run_remind(settings: &Settings, slug: &str, yes: bool) -> Result<(), CliError> {
    let mut conn = server::open_connection(settings).map_err(StartError::from)?;
    if !yes {
        // Only the count: no link is built, so the public_url check waits for --yes.
        let count = invite::count_reminders(&mut conn, slug, now().date())?;
        return Err(CliError::App(
            crate::messages::invitations::remind_unconfirmed(count),
        ));
    }
    check_reach(settings)?;
    let links = links(settings, &mut conn)?;
    let count = invite::queue_reminders(
        &mut conn,
        &links,
        slug,
        now(),
        invite::ReminderScope::AllEligible,
    )?;
    println!("queued {count} reminder(s)");
    Ok(())
}
