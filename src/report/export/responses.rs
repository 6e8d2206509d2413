//! Anonymised responses: one row per response, one column per question, rows in random-id
//! order (unrelated to submission order), free text only when asked for, no dates, and the
//! breakdown columns generalised by `kanon` so that every combination of them that appears is
//! shared by at least the minimum group size of rows. Two passes, each reading a page of
//! responses at a time: the combination counts, then the rows.

use std::collections::HashMap;
use std::io::Write;

use rust_xlsxwriter::Workbook;

use super::table::Value;
use super::{write_row, Format};
use crate::db::DbConnection;
use crate::messages::report as msg;
use crate::questionnaire::{Question, QuestionKind, Questionnaire};
use crate::report::kanon::{self, Combination, Plan};
use crate::report::stored;
use crate::report::{neutralise, tally, ReportError};

/// Responses read per page.
const PAGE: i64 = 1_000;

pub struct ResponsesExport<'q> {
    pub survey_id: i32,
    pub questionnaire: &'q Questionnaire,
    pub with_text: bool,
}

/// Where rows go.
trait Rows {
    fn row(&mut self, values: &[Value]) -> Result<(), ReportError>;
}

struct CsvRows<W: Write>(csv::Writer<W>);

impl<W: Write> Rows for CsvRows<W> {
    fn row(&mut self, values: &[Value]) -> Result<(), ReportError> {
        let cells: Vec<String> = values.iter().map(Value::to_text).collect();
        self.0
            .write_record(cells.iter().map(|c| neutralise::cell(c).into_owned()))?;
        Ok(())
    }
}

struct SheetRows<'w> {
    sheet: &'w mut rust_xlsxwriter::Worksheet,
    next: u32,
}

impl Rows for SheetRows<'_> {
    fn row(&mut self, values: &[Value]) -> Result<(), ReportError> {
        write_row(self.sheet, self.next, values)?;
        self.next += 1;
        Ok(())
    }
}

impl ResponsesExport<'_> {
    fn columns(&self) -> Vec<&Question> {
        self.questionnaire
            .questions()
            .filter(|q| self.with_text || !matches!(q.kind, QuestionKind::Text { .. }))
            .collect()
    }

    /// Writes every response; returns how many rows were written.
    pub fn write(
        &self,
        conn: &mut DbConnection,
        format: Format,
        out: impl Write + Send,
    ) -> Result<u64, ReportError> {
        let breakdowns = tally::breakdown_keys(self.questionnaire);
        let counts = self.combination_counts(conn, &breakdowns)?;
        let plan = kanon::plan(&counts, self.questionnaire.min_group_size).ok_or_else(|| {
            ReportError::Refused(msg::too_few_for_rows(self.questionnaire.min_group_size))
        })?;
        match format {
            Format::Csv => {
                let mut rows = CsvRows(csv::Writer::from_writer(out));
                let written = self.rows(conn, &breakdowns, &plan, &mut rows)?;
                rows.0.flush()?;
                Ok(written)
            }
            Format::Xlsx => {
                let mut workbook = Workbook::new();
                let sheet = workbook.add_worksheet_with_constant_memory();
                sheet.set_name("Responses")?;
                let mut rows = SheetRows { sheet, next: 0 };
                let written = self.rows(conn, &breakdowns, &plan, &mut rows)?;
                workbook.save_to_writer(out)?;
                Ok(written)
            }
            Format::Json => Err(ReportError::Refused(
                "responses can be downloaded as CSV or XLSX".to_owned(),
            )),
        }
    }

    fn combination_counts(
        &self,
        conn: &mut DbConnection,
        breakdowns: &[String],
    ) -> Result<HashMap<Combination, u64>, ReportError> {
        let mut counts: HashMap<Combination, u64> = HashMap::new();
        let mut after: Option<String> = None;
        loop {
            let page = stored::page(
                conn,
                self.questionnaire,
                self.survey_id,
                after.as_deref(),
                PAGE,
                Some(breakdowns),
                false,
            )?;
            let (ids, answers) = (page.ids, page.answers);
            if ids.is_empty() {
                break;
            }
            let mut a = 0;
            for id in &ids {
                let mut combination = vec![String::new(); breakdowns.len()];
                while a < answers.len() && answers[a].response_id == *id {
                    if let Some(i) = breakdowns
                        .iter()
                        .position(|k| *k == answers[a].question_key)
                    {
                        combination[i] = answers[a].value.clone();
                    }
                    a += 1;
                }
                *counts.entry(combination).or_insert(0) += 1;
            }
            after = ids.last().cloned();
        }
        Ok(counts)
    }

    fn rows(
        &self,
        conn: &mut DbConnection,
        breakdowns: &[String],
        plan: &Plan,
        sink: &mut dyn Rows,
    ) -> Result<u64, ReportError> {
        let columns = self.columns();
        let header: Vec<Value> = columns.iter().map(|q| Value::Text(q.key.clone())).collect();
        sink.row(&header)?;
        let mut written = 0;
        let mut after: Option<String> = None;
        loop {
            let page = stored::page(
                conn,
                self.questionnaire,
                self.survey_id,
                after.as_deref(),
                PAGE,
                None,
                self.with_text,
            )?;
            let (ids, answers, texts) = (page.ids, page.answers, page.texts);
            if ids.is_empty() {
                break;
            }
            let (mut a, mut t) = (0, 0);
            for id in &ids {
                let mut given: HashMap<&str, Vec<&str>> = HashMap::new();
                let mut numbers: HashMap<&str, f64> = HashMap::new();
                while a < answers.len() && answers[a].response_id == *id {
                    let answer = &answers[a];
                    given
                        .entry(answer.question_key.as_str())
                        .or_default()
                        .push(answer.value.as_str());
                    if let Some(n) = answer.number {
                        numbers.insert(answer.question_key.as_str(), n);
                    }
                    a += 1;
                }
                let mut bodies: HashMap<&str, &str> = HashMap::new();
                while t < texts.len() && texts[t].0 == *id {
                    bodies.insert(texts[t].1.as_str(), texts[t].2.as_str());
                    t += 1;
                }
                let combination: Combination = breakdowns
                    .iter()
                    .map(|k| {
                        given
                            .get(k.as_str())
                            .and_then(|v| v.first())
                            .map(|v| (*v).to_owned())
                            .unwrap_or_default()
                    })
                    .collect();
                let published = plan.publish(&combination);
                let row: Vec<Value> = columns
                    .iter()
                    .map(|question| {
                        if let Some(i) = breakdowns.iter().position(|k| *k == question.key) {
                            return match &published[i] {
                                None => Value::Text(msg::SUPPRESSED.to_owned()),
                                Some(v) if v.is_empty() => Value::Empty,
                                Some(v) => Value::Text(label(question, v)),
                            };
                        }
                        cell(
                            question,
                            given.get(question.key.as_str()),
                            numbers.get(question.key.as_str()),
                            bodies.get(question.key.as_str()),
                        )
                    })
                    .collect();
                sink.row(&row)?;
                written += 1;
            }
            after = ids.last().cloned();
        }
        Ok(written)
    }
}

fn label(question: &Question, value: &str) -> String {
    question.label_for(value).unwrap_or(value).to_owned()
}

fn cell(
    question: &Question,
    values: Option<&Vec<&str>>,
    number: Option<&f64>,
    body: Option<&&str>,
) -> Value {
    match &question.kind {
        QuestionKind::Number { .. } => number.map_or(Value::Empty, |n| Value::Number(*n)),
        QuestionKind::Text { .. } => body.map_or(Value::Empty, |b| Value::Text((*b).to_owned())),
        QuestionKind::Multi { options, .. } => match values {
            // In the options' order, whatever order they were stored in.
            Some(chosen) => Value::Text(
                options
                    .iter()
                    .filter(|o| chosen.contains(&o.value.as_str()))
                    .map(|o| o.label.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            None => Value::Empty,
        },
        QuestionKind::Single { .. } | QuestionKind::Likert { .. } => values
            .and_then(|v| v.first())
            .map_or(Value::Empty, |v| Value::Text(label(question, v))),
    }
}
