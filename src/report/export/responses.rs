//! Anonymised responses: one row per response, one column per question, rows in random-id
//! order (unrelated to submission order), free text only when asked for, no dates, and the
//! breakdown columns generalised by `kanon` so that every combination of them that appears is
//! shared by at least the minimum group size of rows; where a row's breakdown answer is
//! suppressed, its answers to questions shown only to some of that breakdown's groups are
//! blank (`disclosure::rows`), and the XLSX file's "About" sheet says so. Two passes, each
//! reading a page of responses at a time: the combination counts, then the rows.

use crate::db::{ResponseId, SurveyId};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;

use rust_xlsxwriter::Workbook;

use super::Format;
use crate::db::responses::SurveyPages;
use crate::db::DbConnection;
use crate::messages::report as msg;
use crate::questionnaire::stored::{Layout, Slots};
use crate::questionnaire::{Question, QuestionKind, Questionnaire};

/// The question texts, then their keys.
const HEADER_ROWS: u32 = 2;
use crate::report::disclosure::rows::show_if_dependencies;
use crate::report::kanon::{self, Combination, Plan};
use crate::report::{neutralise, tally, ReportError};

/// Responses read per page.
const PAGE: i64 = 1_000;

pub struct ResponsesExport<'q> {
    pub survey_id: SurveyId,
    pub questionnaire: &'q Questionnaire,
    pub with_text: bool,
}

/// Where rows go, a cell at a time; text is neutralised here.
trait Rows {
    fn text(&mut self, text: &str) -> Result<(), ReportError>;
    fn number(&mut self, number: f64) -> Result<(), ReportError>;
    fn empty(&mut self) -> Result<(), ReportError>;
    fn end_row(&mut self) -> Result<(), ReportError>;
}

struct CsvRows<W: Write> {
    writer: csv::Writer<W>,
    /// Reused for numbers, written as `f64`'s `Display` writes them.
    number: String,
}

impl<W: Write> Rows for CsvRows<W> {
    fn text(&mut self, text: &str) -> Result<(), ReportError> {
        Ok(self.writer.write_field(neutralise::cell(text).as_bytes())?)
    }

    fn number(&mut self, number: f64) -> Result<(), ReportError> {
        self.number.clear();
        let _ = write!(self.number, "{number}");
        // Neutralised like any cell: a negative number starts with '-'.
        let cell = neutralise::cell(&self.number);
        Ok(self.writer.write_field(cell.as_bytes())?)
    }

    fn empty(&mut self) -> Result<(), ReportError> {
        Ok(self.writer.write_field(b"")?)
    }

    fn end_row(&mut self) -> Result<(), ReportError> {
        Ok(self.writer.write_record(None::<&[u8]>)?)
    }
}

struct SheetRows<'w> {
    sheet: &'w mut rust_xlsxwriter::Worksheet,
    row: u32,
    column: u16,
}

impl Rows for SheetRows<'_> {
    fn text(&mut self, text: &str) -> Result<(), ReportError> {
        self.sheet
            .write_string(self.row, self.column, neutralise::cell(text))?;
        self.column += 1;
        Ok(())
    }

    fn number(&mut self, number: f64) -> Result<(), ReportError> {
        self.sheet.write_number(self.row, self.column, number)?;
        self.column += 1;
        Ok(())
    }

    fn empty(&mut self) -> Result<(), ReportError> {
        self.column += 1;
        Ok(())
    }

    fn end_row(&mut self) -> Result<(), ReportError> {
        self.row += 1;
        self.column = 0;
        Ok(())
    }
}

/// The breakdown answers of the decoded response, into `combination` (reused).
fn combination_of(slots: &Slots<'_, '_>, breakdown_slots: &[usize], combination: &mut Combination) {
    for (value, slot) in combination.iter_mut().zip(breakdown_slots) {
        value.clear();
        if let Some(least) = slots.least_value(*slot) {
            value.push_str(least);
        }
    }
}

impl ResponsesExport<'_> {
    fn columns(&self) -> Vec<&Question> {
        self.questionnaire
            .questions()
            .filter(|q| self.with_text || !matches!(q.kind, QuestionKind::Text { .. }))
            .collect()
    }

    fn breakdowns(&self) -> Vec<&Question> {
        let keys = tally::breakdown_keys(self.questionnaire);
        self.questionnaire
            .questions()
            .filter(|q| keys.contains(&q.key))
            .collect()
    }

    /// Writes every response; returns how many rows were written.
    pub fn write(
        &self,
        conn: &mut DbConnection,
        format: Format,
        out: impl Write + Send,
    ) -> Result<u64, ReportError> {
        let breakdowns = self.breakdowns();
        let pages = SurveyPages::new(conn, self.survey_id)?;
        let counts = self.combination_counts(conn, &pages, &breakdowns)?;
        let plan = kanon::plan(&counts, self.questionnaire.min_group_size).ok_or_else(|| {
            ReportError::Refused(msg::too_few_for_rows(self.questionnaire.min_group_size))
        })?;
        match format {
            Format::Csv => {
                let mut rows = CsvRows {
                    writer: csv::Writer::from_writer(out),
                    number: String::new(),
                };
                let written = self.rows(conn, &pages, &breakdowns, &plan, &mut rows)?;
                rows.writer.flush()?;
                Ok(written)
            }
            Format::Xlsx => {
                let mut workbook = Workbook::new();
                let about = workbook.add_worksheet_with_constant_memory();
                about.set_name(msg::COVER_SHEET)?;
                for (row, note) in self.notes(&breakdowns).iter().enumerate() {
                    about.write_string(row as u32, 0, neutralise::cell(note))?;
                }
                let sheet = workbook.add_worksheet_with_constant_memory();
                sheet.set_name("Responses")?;
                let mut rows = SheetRows {
                    sheet,
                    row: 0,
                    column: 0,
                };
                let written = self.rows(conn, &pages, &breakdowns, &plan, &mut rows)?;
                rows.sheet.set_freeze_panes(HEADER_ROWS, 0)?;
                workbook.save_to_writer(out)?;
                Ok(written)
            }
            Format::Json | Format::Docx => Err(ReportError::Refused(
                "responses can be downloaded as CSV or XLSX".to_owned(),
            )),
        }
    }

    /// What the file's notes say: the rules, and which answers are blanked with a
    /// suppressed breakdown answer.
    pub fn notes(&self, breakdowns: &[&Question]) -> Vec<String> {
        let k = self.questionnaire.min_group_size;
        let mut notes = vec![msg::rows_rule(k), msg::ROWS_HEADERS.to_owned()];
        let columns = self.columns();
        let blanked: Vec<String> = show_if_dependencies(self.questionnaire, &columns, breakdowns)
            .iter()
            .zip(&columns)
            .filter(|(depends, _)| !depends.is_empty())
            .map(|(_, question)| question.key.clone())
            .collect();
        if !blanked.is_empty() {
            notes.push(msg::rows_blanked(&blanked));
        }
        notes
    }

    /// Calls `each` with every response's stored answers, a page at a time in random-id
    /// order.
    fn each_response(
        conn: &mut DbConnection,
        pages: &SurveyPages,
        mut each: impl FnMut(&str) -> Result<(), ReportError>,
    ) -> Result<(), ReportError> {
        let mut after: Option<ResponseId> = None;
        loop {
            let page = pages.after(conn, after.as_ref(), PAGE)?;
            let Some(last) = page.last() else {
                return Ok(());
            };
            for response in &page {
                each(&response.answers)?;
            }
            after = Some(last.id.clone());
        }
    }

    /// How many responses give each combination of breakdown answers (only the breakdown
    /// answers are decoded).
    fn combination_counts(
        &self,
        conn: &mut DbConnection,
        pages: &SurveyPages,
        breakdowns: &[&Question],
    ) -> Result<HashMap<Combination, u64>, ReportError> {
        let layout = Layout::new(breakdowns);
        let mut slots = Slots::new(&layout);
        let breakdown_slots: Vec<usize> = (0..breakdowns.len()).collect();
        let mut combination: Combination = vec![String::new(); breakdowns.len()];
        let mut counts: HashMap<Combination, u64> = HashMap::new();
        Self::each_response(conn, pages, |answers| {
            slots.decode(answers)?;
            combination_of(&slots, &breakdown_slots, &mut combination);
            match counts.get_mut(&combination) {
                Some(count) => *count += 1,
                None => {
                    counts.insert(combination.clone(), 1);
                }
            }
            Ok(())
        })?;
        Ok(counts)
    }

    fn rows(
        &self,
        conn: &mut DbConnection,
        pages: &SurveyPages,
        breakdowns: &[&Question],
        plan: &Plan,
        sink: &mut dyn Rows,
    ) -> Result<u64, ReportError> {
        let columns = self.columns();
        // Two header rows: what a person reads, then the stable keys tools join on.
        for question in &columns {
            sink.text(&question.text)?;
        }
        sink.end_row()?;
        for question in &columns {
            sink.text(&question.key)?;
        }
        sink.end_row()?;
        // Slots: the columns, then any breakdown question that is not one.
        let mut wanted = columns.clone();
        for question in breakdowns {
            if !wanted.iter().any(|w| w.key == question.key) {
                wanted.push(question);
            }
        }
        let slot_of = |key: &str| wanted.iter().position(|w| w.key == key);
        let breakdown_slots: Vec<usize> = breakdowns
            .iter()
            .filter_map(|question| slot_of(&question.key))
            .collect();
        // For each column, its place among the breakdowns, if it is one.
        let breakdown_of: Vec<Option<usize>> = columns
            .iter()
            .map(|column| breakdowns.iter().position(|b| b.key == column.key))
            .collect();
        let depends = show_if_dependencies(self.questionnaire, &columns, breakdowns);
        let layout = Layout::new(&wanted);
        let mut slots = Slots::new(&layout);
        let mut combination: Combination = vec![String::new(); breakdowns.len()];
        let mut labels = String::new();
        let mut written = 0;
        Self::each_response(conn, pages, |answers| {
            slots.decode(answers)?;
            combination_of(&slots, &breakdown_slots, &mut combination);
            let published = plan.published(&combination);
            for (slot, question) in columns.iter().enumerate() {
                match breakdown_of[slot] {
                    Some(i) => match published.and_then(|p| p[i].as_deref()) {
                        None => sink.text(msg::SUPPRESSED)?,
                        Some("") => sink.empty()?,
                        Some(value) => sink.text(label(question, value))?,
                    },
                    // Answered only in some groups: blank where the group is suppressed.
                    None if depends[slot]
                        .iter()
                        .any(|&b| published.is_none_or(|p| p[b].is_none())) =>
                    {
                        sink.empty()?
                    }
                    None => cell(question, &slots, slot, &mut labels, sink)?,
                }
            }
            sink.end_row()?;
            written += 1;
            Ok(())
        })?;
        Ok(written)
    }
}

fn label<'a>(question: &'a Question, value: &'a str) -> &'a str {
    question.label_for(value).unwrap_or(value)
}

/// Writes the cell of a question that is not a breakdown; `labels` is reused for the
/// chosen options of a multi question.
fn cell(
    question: &Question,
    slots: &Slots<'_, '_>,
    slot: usize,
    labels: &mut String,
    sink: &mut dyn Rows,
) -> Result<(), ReportError> {
    match &question.kind {
        QuestionKind::Number { .. } => match slots.number(slot) {
            Some(number) => sink.number(number),
            None => sink.empty(),
        },
        QuestionKind::Text { .. } => match slots.body(slot) {
            Some(body) => sink.text(body),
            None => sink.empty(),
        },
        QuestionKind::Multi { options, .. } => {
            if !slots.has_values(slot) {
                return sink.empty();
            }
            // In the options' order, whatever order they were stored in.
            labels.clear();
            let chosen = slots.values(slot);
            let mut first = true;
            for option in options {
                if chosen.clone().any(|value| value == option.value) {
                    if !first {
                        labels.push_str("; ");
                    }
                    labels.push_str(&option.label);
                    first = false;
                }
            }
            sink.text(labels)
        }
        QuestionKind::Single { .. } | QuestionKind::Likert { .. } => {
            match slots.least_value(slot) {
                Some(value) => sink.text(label(question, value)),
                None => sink.empty(),
            }
        }
    }
}
