//! `candour survey …`.

use std::path::PathBuf;

use clap::Subcommand;

use super::{now, CliError};
use crate::config::Settings;
use crate::db::{responses, surveys};
use crate::error::AppError;
use crate::server::{self, StartError};
use crate::survey;

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

pub(super) fn run_survey(settings: &Settings, command: SurveyCommand) -> Result<(), CliError> {
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
            let min_group_size = row
                .questionnaire()
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
                status_lines(&crate::report::response_rates::response_rates(
                    &mut conn,
                    row.id,
                    min_group_size
                )?)
            );
            let unconfirmed = crate::db::outbox::count_unconfirmed(&mut conn, row.id)?;
            if let Some(notice) = crate::messages::invitations::unconfirmed_mail(unconfirmed) {
                println!("{notice}");
            }
            Ok(())
        }
    }
}

/// Response rates as `survey status` prints them: counts only, never who.
fn status_lines(rates: &crate::report::response_rates::ResponseRates) -> String {
    let counts = |c: &crate::report::response_rates::Counts| {
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
