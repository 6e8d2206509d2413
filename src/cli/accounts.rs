//! `candour user …` and `candour token …`.

use std::io::{BufRead, IsTerminal};

use clap::Subcommand;

use super::{now, CliError};
use crate::accounts::{self, normalise_email, password, Password, Role};
use crate::audit;
use crate::config::Settings;
use crate::db::{api_tokens, users, write_transaction};
use crate::error::AppError;
use crate::server::{self, StartError};

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

const BY_CLI: &str = "(command line)";

/// One line from standard input, or a prompt without echo (asked twice) at a terminal.
fn read_password() -> Result<Password, CliError> {
    let fail = |e: std::io::Error| CliError::App(format!("cannot read the password: {e}"));
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").map_err(fail)?;
        let again = rpassword::prompt_password("Password again: ").map_err(fail)?;
        if first != again {
            return Err(CliError::App(accounts_msg(
                crate::messages::accounts::PASSWORDS_DIFFER,
            )));
        }
        return Ok(Password::new(first));
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(fail)?;
    Ok(Password::new(line.trim_end_matches(['\r', '\n'])))
}

fn accounts_msg(text: &str) -> String {
    text.to_lowercase()
}

pub(super) fn run_user(settings: &Settings, command: UserCommand) -> Result<(), CliError> {
    match command {
        UserCommand::Add { email, role } => {
            let email = normalise_email(&email).ok_or_else(|| {
                CliError::App(accounts_msg(crate::messages::accounts::EMAIL_INVALID))
            })?;
            let role = Role::parse(&role).ok_or_else(|| {
                CliError::App(accounts_msg(crate::messages::accounts::ROLE_INVALID))
            })?;
            let password = read_password()?;
            password::check_new(&password, &email).map_err(|e| CliError::App(accounts_msg(e)))?;
            let hash = password::hash_now(&password).map_err(|e| CliError::App(e.to_string()))?;
            let mut conn = server::open_connection(settings).map_err(StartError::from)?;
            write_transaction(&mut conn, |conn| -> Result<(), CliError> {
                if users::find_by_email(conn, &email)?.is_some() {
                    return Err(CliError::App(accounts_msg(
                        crate::messages::accounts::EMAIL_TAKEN,
                    )));
                }
                accounts::insert_user(conn, &email, role, &hash, now())?;
                audit::record(
                    conn,
                    now(),
                    BY_CLI,
                    "account.created",
                    &format!("{email} as {}", role.as_str()),
                )?;
                Ok(())
            })?;
            println!(
                "added {email} as {}; they set up their authenticator app at first sign-in",
                role.as_str()
            );
            Ok(())
        }
    }
}

pub(super) fn run_token(settings: &Settings, command: TokenCommand) -> Result<(), CliError> {
    let mut conn = server::open_connection(settings).map_err(StartError::from)?;
    match command {
        TokenCommand::Create { email } => {
            let token = write_transaction(&mut conn, |conn| -> Result<_, AppError> {
                accounts::api_tokens::create(conn, &email, now())
            })?;
            println!("{}", token.expose());
            Ok(())
        }
        TokenCommand::List => {
            for row in api_tokens::list(&mut conn)? {
                let owner = users::find(&mut conn, row.user_id)?
                    .map(|u| u.email)
                    .unwrap_or_default();
                let state = match row.revoked_at {
                    Some(at) => format!("revoked {}", at.format("%Y-%m-%d %H:%M")),
                    None => "active".to_owned(),
                };
                println!(
                    "{}\t{owner}\tcreated {}\t{state}",
                    row.id,
                    row.created_at.format("%Y-%m-%d %H:%M")
                );
            }
            Ok(())
        }
        TokenCommand::Revoke { id } => {
            write_transaction(&mut conn, |conn| -> Result<(), CliError> {
                if !api_tokens::revoke(conn, id, now())? {
                    return Err(CliError::App(format!(
                        "there is no active API token number {id}"
                    )));
                }
                audit::record(
                    conn,
                    now(),
                    BY_CLI,
                    "api-token.revoked",
                    &format!("token {id}"),
                )?;
                Ok(())
            })?;
            println!("API token {id} is revoked");
            Ok(())
        }
    }
}
