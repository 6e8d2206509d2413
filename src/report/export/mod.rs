//! Downloads: results (the published figures) as CSV, XLSX or JSON, and anonymised,
//! k-anonymous responses as CSV or XLSX. Every text cell of a spreadsheet download goes
//! through `neutralise`; CSV quoting is the `csv` crate's. Writers stream: responses are
//! read a page at a time and XLSX sheets use rust_xlsxwriter's constant-memory mode.

pub mod responses;
pub mod table;

use std::io::Write;

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use super::neutralise;
use super::results::Results;
use super::ReportError;
use crate::messages::report as msg;
use table::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Json,
    /// The Word report (`report::docx`), offered for `What::Report` only.
    Docx,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
            Format::Docx => "docx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Json => "application/json",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }
}

impl From<csv::Error> for ReportError {
    fn from(error: csv::Error) -> Self {
        ReportError::Write(error.to_string())
    }
}

impl From<XlsxError> for ReportError {
    fn from(error: XlsxError) -> Self {
        ReportError::Write(error.to_string())
    }
}

impl From<std::io::Error> for ReportError {
    fn from(error: std::io::Error) -> Self {
        ReportError::Write(error.to_string())
    }
}

/// Writes the results in a format; the figures are exactly those of `results`.
pub fn write_results(
    results: &Results,
    format: Format,
    out: impl Write + Send,
) -> Result<(), ReportError> {
    match format {
        Format::Json => {
            let mut out = out;
            serde_json::to_writer_pretty(&mut out, results)
                .map_err(|e| ReportError::Write(e.to_string()))?;
            out.write_all(b"\n")?;
            Ok(())
        }
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            writer.write_record(
                table::csv_header(results)
                    .iter()
                    .map(|c| neutralise::cell(c).into_owned()),
            )?;
            let width = table::csv_header(results).len();
            for section in table::sections(results) {
                for row in section.rows {
                    let mut record = vec![section.title.clone()];
                    record.extend(row.iter().map(Value::to_text));
                    writer.write_record(record.iter().map(|c| neutralise::cell(c).into_owned()))?;
                }
            }
            // The notes last, one per row in the figure's place, the row shape kept.
            for note in table::notes(results) {
                let mut record = vec![String::new(); width];
                record[0] = msg::NOTES.to_owned();
                if let Some(place) = record.get_mut(3) {
                    *place = note;
                }
                writer.write_record(record.iter().map(|c| neutralise::cell(c).into_owned()))?;
            }
            writer.flush()?;
            Ok(())
        }
        Format::Docx => Err(ReportError::Write(
            "the Word report is written by report::docx".to_owned(),
        )),
        Format::Xlsx => {
            let mut workbook = Workbook::new();
            let cover = workbook.add_worksheet_with_constant_memory();
            cover.set_name(msg::COVER_SHEET)?;
            for (row, line) in table::cover(results).iter().enumerate() {
                write_row(cover, row as u32, line)?;
            }
            let header = table::sheet_header(results);
            for (index, section) in table::sections(results).into_iter().enumerate() {
                let sheet = workbook.add_worksheet_with_constant_memory();
                sheet.set_name(sheet_name(index, &section.key))?;
                write_row(sheet, 0, &header)?;
                for (row, line) in section.rows.iter().enumerate() {
                    write_row(sheet, row as u32 + 1, line)?;
                }
            }
            workbook.save_to_writer(out)?;
            Ok(())
        }
    }
}

/// Excel sheet names: at most 31 characters; section keys use only safe characters.
fn sheet_name(index: usize, key: &str) -> String {
    let prefix = format!("{} ", index + 1);
    let room = 31 - prefix.len();
    format!("{prefix}{}", key.chars().take(room).collect::<String>())
}

pub(crate) fn write_row(
    sheet: &mut Worksheet,
    row: u32,
    values: &[Value],
) -> Result<(), XlsxError> {
    for (column, value) in values.iter().enumerate() {
        let column = column as u16;
        match value {
            Value::Empty => {}
            Value::Number(n) => {
                sheet.write_number(row, column, *n)?;
            }
            Value::Text(text) => {
                sheet.write_string(row, column, neutralise::cell(text))?;
            }
        }
    }
    Ok(())
}
