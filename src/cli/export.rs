//! `candour export`.

use std::path::PathBuf;

use super::{now, CliError};
use crate::config::Settings;
use crate::error::AppError;
use crate::server::{self, StartError};
use crate::survey;

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

/// Who the audit log names for downloads from the command line.
const CLI_ACTOR: &str = "command line";

/// `candour export`: the same preparation as the pages and the API (`downloads::prepare`,
/// disclosure control and the audit entry included), then the file copied to its place.
pub(super) fn run_export(settings: &Settings, args: ExportArgs) -> Result<(), CliError> {
    use crate::report::downloads::{self, Body, What};
    use crate::report::export::Format;
    use crate::report::ReportError;
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
        ReportError::SurveyNotFound => CliError::from(AppError::SurveyNotFound),
        error => report_error(error),
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
