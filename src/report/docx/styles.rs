//! The report's Word styles, by their built-in names (Title, Heading 1, Heading 2, Caption,
//! a table style), so that a team's own template restyles the whole document.

use docx_rs::{
    BorderType, RunFonts, Style, StyleType, TableBorder, TableBorderPosition, TableBorders,
    TableProperty,
};

pub const TITLE: &str = "Title";
pub const SUBTITLE: &str = "Subtitle";
pub const HEADING_1: &str = "Heading1";
pub const HEADING_2: &str = "Heading2";
pub const CAPTION: &str = "Caption";
pub const QUOTE: &str = "Quote";
pub const TABLE: &str = "ResultsTable";

/// Font sizes are in half points.
pub fn styles() -> Vec<Style> {
    let font = || RunFonts::new().ascii("Arial").hi_ansi("Arial").cs("Arial");
    let border = |position| {
        TableBorder::new(position)
            .size(4)
            .color("808080")
            .border_type(BorderType::Single)
    };
    let borders = TableBorders::new()
        .set(border(TableBorderPosition::Top))
        .set(border(TableBorderPosition::Bottom))
        .set(border(TableBorderPosition::Left))
        .set(border(TableBorderPosition::Right))
        .set(border(TableBorderPosition::InsideH))
        .set(border(TableBorderPosition::InsideV));
    vec![
        Style::new(TITLE, StyleType::Paragraph)
            .name("Title")
            .based_on("Normal")
            .fonts(font())
            .size(52)
            .bold(),
        Style::new(SUBTITLE, StyleType::Paragraph)
            .name("Subtitle")
            .based_on("Normal")
            .fonts(font())
            .size(32),
        Style::new(HEADING_1, StyleType::Paragraph)
            .name("heading 1")
            .based_on("Normal")
            .next("Normal")
            .fonts(font())
            .size(36)
            .bold()
            .outline_lvl(0),
        Style::new(HEADING_2, StyleType::Paragraph)
            .name("heading 2")
            .based_on("Normal")
            .next("Normal")
            .fonts(font())
            .size(26)
            .bold()
            .outline_lvl(1),
        Style::new(CAPTION, StyleType::Paragraph)
            .name("caption")
            .based_on("Normal")
            .next("Normal")
            .fonts(font())
            .size(18)
            .italic(),
        Style::new(QUOTE, StyleType::Paragraph)
            .name("Quote")
            .based_on("Normal")
            .indent(Some(567), None, None, None),
        Style::new(TABLE, StyleType::Table)
            .name("Results Table")
            .table_property(TableProperty::new().set_borders(borders)),
    ]
}
