//! Importing invitees from CSV: a header row, `email` required, `name` and `group` optional,
//! in any order. Every bad row is reported by line number; a file with any bad row imports
//! nothing. Addresses are de-duplicated case-insensitively within the survey.

use std::collections::HashSet;
use std::fmt;

use validator::ValidateEmail;

use crate::db::invitations::{self, NewInvitation};
use crate::db::{surveys, write_transaction, DbConnection, InvitationId};
use crate::error::AppError;
use crate::secrets::random_id;

const MAX_FIELD: usize = 200;

/// One bad row (or a problem with the header, on line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: u64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CsvProblems(pub Vec<RowProblem>);

impl fmt::Display for CsvProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self
            .0
            .iter()
            .map(|p| format!("line {}: {}", p.line, p.reason))
            .collect();
        f.write_str(&lines.join("; "))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportSummary {
    pub added: usize,
    pub duplicates: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum InviteImportError {
    #[error("{count} bad row(s), nothing was imported: {problems}")]
    Rows { count: usize, problems: CsvProblems },
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<diesel::result::Error> for InviteImportError {
    fn from(error: diesel::result::Error) -> Self {
        Self::App(AppError::from(error))
    }
}

/// An invitee as read from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitee {
    pub email: String,
    pub name: Option<String>,
    pub group: Option<String>,
}

/// Reads and checks the whole file; returns every invitee or every problem.
pub fn parse_csv(data: &[u8]) -> Result<Vec<(u64, Invitee)>, CsvProblems> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(data);
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(error) => {
            return Err(one_problem(
                1,
                format!("cannot read the header row: {error}"),
            ))
        }
    };
    let mut columns = (None, None, None);
    let mut problems = Vec::new();
    for (index, name) in headers.iter().enumerate() {
        let slot = match name
            .trim_start_matches('\u{feff}')
            .to_ascii_lowercase()
            .as_str()
        {
            "email" => &mut columns.0,
            "name" => &mut columns.1,
            "group" => &mut columns.2,
            other => {
                problems.push(RowProblem {
                    line: 1,
                    reason: format!("unknown column \"{other}\" (expected email, name, group)"),
                });
                continue;
            }
        };
        if slot.replace(index).is_some() {
            problems.push(RowProblem {
                line: 1,
                reason: format!("column \"{name}\" appears twice"),
            });
        }
    }
    let Some(email_column) = columns.0 else {
        problems.push(RowProblem {
            line: 1,
            reason: "the header row has no \"email\" column".to_owned(),
        });
        return Err(CsvProblems(problems));
    };
    let mut invitees = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |p| p.line());
                problems.push(RowProblem {
                    line,
                    reason: format!("cannot read the row: {error}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != headers.len() {
            problems.push(RowProblem {
                line,
                reason: format!(
                    "{} field(s) where the header has {}",
                    record.len(),
                    headers.len()
                ),
            });
            continue;
        }
        let field = |column: Option<usize>| {
            column
                .and_then(|c| record.get(c))
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let email = field(Some(email_column)).unwrap_or_default();
        let mut reasons = Vec::new();
        if email.is_empty() {
            reasons.push("the email address is missing".to_owned());
        } else if !email.validate_email() || has_control(&email) {
            reasons.push(format!(
                "\"{}\" is not a valid email address",
                printable(&email)
            ));
        }
        let name = field(columns.1);
        let group = field(columns.2);
        for (label, value) in [("name", &name), ("group", &group)] {
            if let Some(value) = value {
                if has_control(value) {
                    reasons.push(format!(
                        "the {label} contains a line break or control character"
                    ));
                } else if value.chars().count() > MAX_FIELD {
                    reasons.push(format!("the {label} is longer than {MAX_FIELD} characters"));
                }
            }
        }
        if reasons.is_empty() {
            invitees.push((line, Invitee { email, name, group }));
        } else {
            problems.push(RowProblem {
                line,
                reason: reasons.join(", "),
            });
        }
    }
    if problems.is_empty() {
        Ok(invitees)
    } else {
        Err(CsvProblems(problems))
    }
}

fn one_problem(line: u64, reason: String) -> CsvProblems {
    CsvProblems(vec![RowProblem { line, reason }])
}

fn has_control(value: &str) -> bool {
    value.chars().any(char::is_control)
}

fn printable(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).take(80).collect()
}

/// Imports a checked file in one transaction; addresses already invited (in this file or an
/// earlier import) are skipped and counted.
pub fn import(
    conn: &mut DbConnection,
    slug: &str,
    data: &[u8],
) -> Result<ImportSummary, InviteImportError> {
    let invitees = parse_csv(data).map_err(|problems| InviteImportError::Rows {
        count: problems.0.len(),
        problems,
    })?;
    write_transaction(conn, |conn| {
        let survey = surveys::find_by_slug(conn, slug)?.ok_or(AppError::SurveyNotFound)?;
        let mut seen: HashSet<String> = invitations::email_keys(conn, survey.id)?;
        let mut rows = Vec::with_capacity(invitees.len());
        let mut duplicates = 0;
        for (_, invitee) in invitees {
            let key = invitee.email.to_lowercase();
            if !seen.insert(key.clone()) {
                duplicates += 1;
                continue;
            }
            rows.push(NewInvitation {
                id: InvitationId(random_id()),
                survey_id: survey.id,
                email: invitee.email,
                email_key: key,
                name: invitee.name,
                invitee_group: invitee.group,
                sent: false,
                completed: false,
                opted_out: false,
                undeliverable: false,
                last_error: None,
                reminders_sent: 0,
                next_reminder_on: None,
            });
        }
        invitations::insert_all(conn, &rows)?;
        Ok(ImportSummary {
            added: rows.len(),
            duplicates,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_in_any_order_and_blank_optional_fields() {
        let rows = parse_csv(b"group,Email,name\npolice,a@example.org,Ann\n,b@example.org,\n")
            .expect("valid");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].1.group.as_deref(), Some("police"));
        assert_eq!(rows[0].1.name.as_deref(), Some("Ann"));
        assert_eq!(rows[1].1.name, None);
        assert_eq!(rows[1].0, 3);
    }

    #[test]
    fn every_bad_row_is_reported_by_line() {
        let problems = parse_csv(
            b"email,name\nok@example.org,Ok\nnot-an-email,X\n,Nobody\nfine@example.org,\"Eve\r\nBcc: x@evil.example\"\n",
        )
        .unwrap_err();
        let lines: Vec<u64> = problems.0.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![3, 4, 5], "{problems}");
        assert!(problems.to_string().contains("not-an-email"));
    }

    #[test]
    fn a_header_without_email_is_refused() {
        let problems = parse_csv(b"name,team\nAnn,x\n").unwrap_err();
        assert!(problems.to_string().contains("\"email\""), "{problems}");
        assert!(problems.to_string().contains("team"), "{problems}");
    }
}
