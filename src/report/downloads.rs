//! Downloads as the review team area and the API deliver them: find the survey, write the
//! file (results in memory, since their size depends on the questionnaire only; responses to
//! an anonymous temporary file, so memory does not grow with the number of responses), and
//! record who downloaded what in the audit log. Nothing is recorded for a refused download.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom};

use super::export::responses::ResponsesExport;
use super::export::{self, Format};
use super::ReportError;
use crate::audit;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::survey::Catalog;

/// The UTF-8 byte-order mark that CSV downloads start with, so that Excel on Windows reads
/// them as UTF-8 (without it, "Don’t know" and accented names turn into mojibake).
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Starts a download of this format: the byte-order mark for CSV, nothing otherwise.
pub fn write_start(format: Format, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    if format == Format::Csv {
        out.write_all(UTF8_BOM)?;
    }
    Ok(())
}

/// What is downloaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// The published figures, by a breakdown question when given.
    Results { breakdown: Option<String> },
    /// Anonymised, k-anonymous responses (admins only; the caller checks the role).
    Responses { with_text: bool },
    /// The Word report of the published figures, by a breakdown question when given.
    Report { breakdown: Option<String> },
}

impl What {
    /// The formats this download is offered in.
    pub fn offers(&self, format: Format) -> bool {
        match self {
            What::Results { .. } => format != Format::Docx,
            What::Responses { .. } => !matches!(format, Format::Json | Format::Docx),
            What::Report { .. } => format == Format::Docx,
        }
    }
}

/// A finished download, ready to send.
pub struct Download {
    pub format: Format,
    pub filename: String,
    pub body: Body,
}

pub enum Body {
    Memory(Vec<u8>),
    /// An unlinked temporary file, positioned at its start, and its length.
    File(File, u64),
}

/// What the edge answers for a download or results page that could not be made.
impl From<ReportError> for AppError {
    fn from(error: ReportError) -> Self {
        match error {
            ReportError::SurveyNotFound => AppError::SurveyNotFound,
            ReportError::Results(error) => AppError::UnknownBreakdown(error.to_string()),
            ReportError::Refused(reason) => AppError::DownloadRefused(reason),
            ReportError::Db(error) => AppError::Db(error),
            ReportError::Write(error) => {
                AppError::Internal(format!("a download could not be written: {error}"))
            }
        }
    }
}

/// Writes a download of survey `slug` for `actor` (an account's email), and records it in
/// the audit log at `now`; `channel` says how it was asked for ("web" or "API").
#[allow(clippy::too_many_arguments)]
pub fn prepare(
    conn: &mut DbConnection,
    catalog: &Catalog,
    slug: &str,
    what: &What,
    format: Format,
    actor: &str,
    channel: &str,
    now: chrono::NaiveDateTime,
) -> Result<Download, ReportError> {
    let survey = catalog
        .live(conn, slug)?
        .ok_or(ReportError::SurveyNotFound)?;
    let q = &survey.questionnaire;
    let (body, stem, action, detail) = match what {
        What::Results { breakdown } => {
            let results = super::results(conn, survey.id, q, breakdown.as_deref())?;
            let mut bytes = Vec::new();
            write_start(format, &mut bytes)?;
            export::write_results(&results, format, &mut bytes)?;
            let (stem, by) = match breakdown {
                Some(key) => (format!("{slug}-results-by-{key}"), format!(", by {key}")),
                None => (format!("{slug}-results"), String::new()),
            };
            let detail = format!("{slug}: results as {}{by}", format.extension());
            (Body::Memory(bytes), stem, "results.downloaded", detail)
        }
        What::Report { breakdown } => {
            let bytes = super::report_docx(conn, survey.id, q, breakdown.as_deref())?;
            let (stem, by) = match breakdown {
                Some(key) => (format!("{slug}-report-by-{key}"), format!(", by {key}")),
                None => (format!("{slug}-report"), String::new()),
            };
            let detail = format!("{slug}: report as {}{by}", format.extension());
            (Body::Memory(bytes), stem, "report.downloaded", detail)
        }
        What::Responses { with_text } => {
            let mut out = BufWriter::new(tempfile::tempfile()?);
            write_start(format, &mut out)?;
            let rows = ResponsesExport {
                survey_id: survey.id,
                questionnaire: q,
                with_text: *with_text,
            }
            .write(conn, format, &mut out)?;
            let mut file = out
                .into_inner()
                .map_err(|e| ReportError::from(e.into_error()))?;
            let length = file.stream_position()?;
            file.seek(SeekFrom::Start(0))?;
            let text = if *with_text { ", with free text" } else { "" };
            let detail = format!(
                "{slug}: responses as {}{text} ({rows} rows)",
                format.extension()
            );
            (
                Body::File(file, length),
                // Distinct names, so the two downloads do not overwrite each other.
                if *with_text {
                    format!("{slug}-responses-with-free-text")
                } else {
                    format!("{slug}-responses")
                },
                "responses.downloaded",
                detail,
            )
        }
    };
    audit::record(conn, now, actor, action, &format!("{detail}, by {channel}"))?;
    Ok(Download {
        format,
        filename: format!("{stem}.{}", format.extension()),
        body,
    })
}
