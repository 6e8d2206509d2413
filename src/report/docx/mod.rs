//! The Word report (`results.docx`): a document the review team edits and pastes from,
//! built with docx-rs from the same published figures as the results page (`Results`, the
//! summary of statements, the page's charts and tables, the comments the page may show).
//!
//! Order: a title page (survey, dates, responses, response rate), how the survey was run,
//! the summary of statements, then a Heading 1 per theme with a Heading 2, a chart (PNG with
//! alternative text stating its figures) and a table per question, and the theme's comments
//! where they may be shown. Built-in style names (Title, Heading 1/2, Caption, a table
//! style), header rows that repeat, and the language set to en-GB (`finish`).

mod finish;
mod styles;

use std::io::Cursor;

use docx_rs::{
    BreakType, Docx, LineSpacing, PageMargin, Paragraph, Pic, Run, RunFonts, Shading, ShdType,
    Table, TableCell, TableChild, TableLayoutType, TableRow, WidthType,
};

use super::chart_image::{self, ChartImageError};
use super::comments::Comments;
use super::overview::Overview;
use super::page::{results_page, QuestionView};
use super::results::Results;
use super::summary::{band, Summary, SummaryCell, BAND_FILLS, TEXT};
use crate::messages::findings as msg;
use crate::questionnaire::Questionnaire;

pub use finish::{FinishError, LANGUAGE};

#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error(transparent)]
    Chart(#[from] ChartImageError),
    #[error(transparent)]
    Finish(#[from] FinishError),
    #[error("the Word document could not be written: {0}")]
    Write(String),
}

/// A4 text width in EMU (A4 is 210 mm wide; 20 mm margins leave 170 mm).
const TEXT_WIDTH_EMU: u32 = 170 * 36_000;
/// The tallest a chart is placed: 200 mm, room for its heading and caption on the page.
const MAX_HEIGHT_EMU: u32 = 200 * 36_000;
/// A4 in twentieths of a point, and 20 mm margins.
const A4: (u32, u32) = (11_906, 16_838);
const MARGIN: i32 = 1_134;
/// The text width in twentieths of a point, and the first column's share of tables.
const TEXT_WIDTH: usize = 9_638;
const FIRST_COLUMN: usize = 2_900;
/// Table text: 9 pt (half points).
const TABLE_SIZE: usize = 18;

/// Column widths: a wide first column, the rest shared.
fn grid(columns: usize) -> Vec<usize> {
    let rest = columns.saturating_sub(1).max(1);
    let mut widths = vec![FIRST_COLUMN];
    widths.extend(std::iter::repeat_n(
        (TEXT_WIDTH - FIRST_COLUMN) / rest,
        rest,
    ));
    widths
}

/// What the report is made of.
pub struct ReportInput<'a> {
    pub questionnaire: &'a Questionnaire,
    pub results: &'a Results,
    pub summary: &'a Summary,
    pub overview: &'a Overview,
    /// The comments when they may be shown.
    pub comments: Option<&'a [Comments]>,
}

/// Collects the document body and the pictures' alternative texts in order.
struct Builder {
    docx: Docx,
    alt: Vec<String>,
    tables: usize,
    figures: usize,
}

fn text(style: &str, content: &str) -> Paragraph {
    Paragraph::new()
        .style(style)
        .add_run(Run::new().add_text(content))
}

fn plain(content: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(content))
}

fn small(content: &str) -> Run {
    Run::new().add_text(content).size(TABLE_SIZE)
}

fn cell(content: &str) -> TableCell {
    TableCell::new().add_paragraph(Paragraph::new().add_run(small(content)))
}

fn header_cell(content: &str) -> TableCell {
    TableCell::new().add_paragraph(Paragraph::new().add_run(small(content).bold()))
}

impl Builder {
    fn paragraph(&mut self, p: Paragraph) {
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_paragraph(p);
    }

    fn table(&mut self, caption: &str, table: Table) {
        self.tables += 1;
        let caption = format!("Table {}: {caption}", self.tables);
        self.paragraph(text(styles::CAPTION, &caption).keep_next(true));
        let docx = std::mem::take(&mut self.docx);
        let columns = match table.rows.first() {
            Some(TableChild::TableRow(row)) => row.cells.len(),
            None => 1,
        };
        self.docx = docx.add_table(
            table
                .style(styles::TABLE)
                .layout(TableLayoutType::Fixed)
                .width(TEXT_WIDTH, WidthType::Dxa)
                .set_grid(grid(columns)),
        );
        self.paragraph(Paragraph::new());
    }

    fn picture(&mut self, image: &chart_image::ChartImage, alt: String, caption: &str) {
        // At most the text width, and at most most of a page's height.
        let natural = TEXT_WIDTH_EMU.min(image.width * 9_525 * 2 / 3);
        let ratio = f64::from(image.height) / f64::from(image.width.max(1));
        let width = f64::from(natural).min(f64::from(MAX_HEIGHT_EMU) / ratio.max(0.01));
        let (width, height) = (width as u32, (width * ratio) as u32);
        let pic = Pic::new_with_dimensions(image.png.clone(), image.width, image.height)
            .size(width, height);
        self.paragraph(
            Paragraph::new()
                .keep_next(true)
                .add_run(Run::new().add_image(pic)),
        );
        self.alt.push(alt);
        self.figures += 1;
        let caption = format!("Figure {}: {caption}", self.figures);
        self.paragraph(text(styles::CAPTION, &caption));
    }
}

/// Builds the report as the bytes of a .docx file.
pub fn write(input: &ReportInput<'_>) -> Result<Vec<u8>, DocxError> {
    let mut docx = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN),
        )
        .default_size(22)
        .default_fonts(
            RunFonts::new()
                .ascii("Arial")
                .hi_ansi("Arial")
                .cs("Arial")
                .east_asia("Arial"),
        )
        .default_line_spacing(LineSpacing::new().after(120));
    for style in styles::styles() {
        docx = docx.add_style(style);
    }
    let mut b = Builder {
        docx,
        alt: Vec::new(),
        tables: 0,
        figures: 0,
    };
    let breakdown = input.results.breakdown.as_ref().map(|b| b.text.as_str());
    title_page(&mut b, input.overview, breakdown);
    method(&mut b, input);
    summary(&mut b, input.summary);
    themes(&mut b, input)?;

    let mut xml = b.docx.build();
    finish::finish(&mut xml, &b.alt)?;
    let mut out = Cursor::new(Vec::new());
    xml.pack(&mut out)
        .map_err(|e| DocxError::Write(e.to_string()))?;
    Ok(out.into_inner())
}

fn title_page(b: &mut Builder, overview: &Overview, breakdown: Option<&str>) {
    for _ in 0..4 {
        b.paragraph(Paragraph::new());
    }
    b.paragraph(text(styles::TITLE, &overview.title));
    b.paragraph(text(styles::SUBTITLE, msg::REPORT_SUBTITLE));
    b.paragraph(Paragraph::new());
    let mut facts = vec![
        (msg::FACT_DATES, overview.dates.clone()),
        (msg::FACT_RESPONSES, overview.responses.clone()),
    ];
    if let Some(rate) = &overview.rate {
        facts.push((msg::RESPONSE_RATE, rate.clone()));
    }
    if let Some(by) = breakdown {
        facts.push((msg::FACT_BREAKDOWN, by.to_owned()));
    }
    let rows = facts
        .iter()
        .map(|(label, value)| TableRow::new(vec![header_cell(label), cell(value)]))
        .collect();
    b.table(msg::FACTS_CAPTION, Table::new(rows));
    b.paragraph(plain(msg::REPORT_ABOUT));
    b.paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)));
}

fn method(b: &mut Builder, input: &ReportInput<'_>) {
    let q = input.questionnaire;
    b.paragraph(text(styles::HEADING_1, msg::METHOD_TITLE));
    for line in msg::method(
        q.min_group_size,
        q.comments_threshold,
        input.overview.invited,
    ) {
        b.paragraph(plain(&line));
    }
    for note in &input.overview.notes {
        b.paragraph(plain(note));
    }
    if !input.overview.groups.is_empty() {
        let mut rows = vec![TableRow::new(vec![
            header_cell(msg::GROUP),
            header_cell(msg::RESPONSE_RATE),
        ])];
        for (group, rate) in &input.overview.groups {
            rows.push(TableRow::new(vec![cell(group), cell(rate)]));
        }
        b.table(msg::RATES_CAPTION, Table::new(rows));
    }
}

/// The text of a summary cell, one line per figure.
fn summary_cell(c: &SummaryCell, reverse: bool) -> TableCell {
    match c {
        SummaryCell::Suppressed => cell(&msg::suppressed()),
        SummaryCell::TooFewAnswers { answered } => cell(&msg::too_few(*answered)),
        SummaryCell::Shown {
            agree,
            disagree,
            answered,
        } => {
            let fill = BAND_FILLS[band(c.favourable(reverse).unwrap_or(50.0))];
            TableCell::new()
                .shading(
                    Shading::new()
                        .shd_type(ShdType::Clear)
                        .color("auto")
                        .fill(fill),
                )
                .add_paragraph(
                    Paragraph::new().add_run(small(&msg::agree_cell(*agree)).bold().color(TEXT)),
                )
                .add_paragraph(
                    Paragraph::new().add_run(small(&msg::disagree_line(*disagree)).color(TEXT)),
                )
                .add_paragraph(
                    Paragraph::new().add_run(small(&msg::answered_line(*answered)).color(TEXT)),
                )
        }
    }
}

fn summary(b: &mut Builder, summary: &Summary) {
    b.paragraph(text(styles::HEADING_1, msg::SUMMARY_TITLE));
    if summary.is_empty() {
        b.paragraph(plain(msg::NO_STATEMENTS));
        return;
    }
    b.paragraph(plain(msg::SUMMARY_EXPLAINED));
    let width = summary.columns.len() + 1;
    let mut header = vec![header_cell(msg::STATEMENT)];
    header.extend(summary.columns.iter().map(|c| {
        header_cell(&match c.responses {
            Some(n) => format!("{} ({n})", c.label),
            None => format!("{} ({})", c.label, msg::suppressed()),
        })
    }));
    let mut rows = vec![TableRow::new(header).cant_split()];
    for theme in &summary.themes {
        rows.push(TableRow::new(vec![TableCell::new()
            .grid_span(width)
            .add_paragraph(
                Paragraph::new()
                    .keep_next(true)
                    .add_run(small(&theme.title).bold()),
            )]));
        for statement in &theme.statements {
            let mut label =
                TableCell::new().add_paragraph(Paragraph::new().add_run(small(&statement.text)));
            if statement.reverse {
                label = label
                    .add_paragraph(Paragraph::new().add_run(small(msg::REVERSE_MARK).italic()));
            }
            let mut cells = vec![label];
            cells.extend(
                statement
                    .cells
                    .iter()
                    .map(|c| summary_cell(c, statement.reverse)),
            );
            rows.push(TableRow::new(cells).cant_split());
        }
    }
    b.table(msg::SUMMARY_CAPTION, Table::new(rows));
}

/// The alternative text of a question's chart: every figure of its table.
fn alt_text(question: &QuestionView, columns: &[String]) -> String {
    let figures: Vec<String> = question
        .rows
        .iter()
        .map(|(label, cells)| {
            let values: Vec<String> = columns
                .iter()
                .zip(cells)
                .map(|(column, value)| format!("{column} {value}"))
                .collect();
            format!("{label}: {}.", values.join(", "))
        })
        .collect();
    msg::chart_alt(&question.text, &figures.join(" "))
}

fn themes(b: &mut Builder, input: &ReportInput<'_>) -> Result<(), DocxError> {
    let page = results_page(input.questionnaire, input.results, None, String::new());
    let series: Vec<String> = input
        .results
        .columns
        .iter()
        .map(|c| c.label.clone())
        .collect();
    let comments_of = |key: &str| {
        input
            .comments
            .and_then(|lists| lists.iter().find(|l| l.question == key))
    };
    for (section, view) in input.results.sections.iter().zip(&page.sections) {
        b.paragraph(text(styles::HEADING_1, &section.title).page_break_before(true));
        for (question, qv) in section.questions.iter().zip(&view.questions) {
            if question.kind == "text" {
                comments(b, &question.text, comments_of(&question.key));
                continue;
            }
            b.paragraph(text(styles::HEADING_2, &qv.text).keep_next(true));
            let reverse = input
                .questionnaire
                .question(&question.key)
                .is_some_and(|q| q.reverse);
            if reverse {
                b.paragraph(plain(msg::REVERSE_MARK));
            }
            match &qv.chart {
                Some(chart) => {
                    let image = chart_image::png(&chart_image::svg(chart, &series))?;
                    let alt = alt_text(qv, &page.column_labels);
                    b.picture(&image, alt, &msg::chart_caption(&qv.text));
                }
                None => b.paragraph(plain(msg::CHART_NONE)),
            }
            let mut header = vec![TableCell::new()];
            header.extend(page.column_labels.iter().map(|l| header_cell(l)));
            let mut rows = vec![TableRow::new(header)];
            for (label, cells) in &qv.rows {
                let mut row = vec![header_cell(label)];
                row.extend(cells.iter().map(|c| cell(c)));
                rows.push(TableRow::new(row).cant_split());
            }
            b.table(&msg::table_caption(&qv.text), Table::new(rows));
        }
    }
    Ok(())
}

fn comments(b: &mut Builder, question: &str, list: Option<&Comments>) {
    let Some(list) = list.filter(|l| !l.bodies.is_empty()) else {
        return;
    };
    b.paragraph(text(styles::HEADING_2, &msg::comments_heading(question)).keep_next(true));
    b.paragraph(plain(msg::COMMENTS_ORDER));
    if let Some(total) = list.total {
        if (list.bodies.len() as u64) < total {
            b.paragraph(plain(&msg::comments_some(list.bodies.len(), total)));
        }
    }
    for body in &list.bodies {
        let mut run = Run::new();
        for (i, line) in body.lines().enumerate() {
            if i > 0 {
                run = run.add_break(BreakType::TextWrapping);
            }
            run = run.add_text(line);
        }
        b.paragraph(Paragraph::new().style(styles::QUOTE).add_run(run));
    }
}
