//! Reads a .docx the way the tests need it: the parts unzipped, the body as paragraphs
//! (style, text) and tables (rows of cell texts) in document order.

#![allow(dead_code)]

use std::io::Read;

pub struct Document {
    pub document: String,
    pub styles: String,
    pub core: String,
    pub media: Vec<String>,
}

pub fn open(bytes: &[u8]) -> Document {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut part = |name: &str| {
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap_or_else(|_| panic!("no part {name}"))
            .read_to_string(&mut text)
            .expect("a UTF-8 part");
        text
    };
    let document = part("word/document.xml");
    let styles = part("word/styles.xml");
    let core = part("docProps/core.xml");
    let media = archive
        .file_names()
        .filter(|n| n.starts_with("word/media/") && !n.ends_with('/'))
        .map(str::to_owned)
        .collect();
    Document {
        document,
        styles,
        core,
        media,
    }
}

/// One block of the body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph { style: String, text: String },
    Table(Vec<Vec<String>>),
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text of a piece of XML: every `<w:t>` joined; paragraphs joined by a space.
fn text_of(xml: &str) -> String {
    let mut out = String::new();
    for (i, paragraph) in xml.split("</w:p>").enumerate() {
        let mut rest = paragraph;
        let mut words = String::new();
        while let Some(start) = rest.find("<w:t") {
            let after = &rest[start..];
            // `<w:t>` or `<w:t xml:space=…>`, not `<w:tc>`, `<w:tbl>`, `<w:tr>`.
            let is_text = after.starts_with("<w:t>") || after.starts_with("<w:t ");
            let Some(open_end) = after.find('>') else {
                break;
            };
            if !is_text || after[..open_end].ends_with('/') {
                rest = &after[open_end + 1..];
                continue;
            }
            let body = &after[open_end + 1..];
            let Some(close) = body.find("</w:t>") else {
                break;
            };
            words.push_str(&unescape(&body[..close]));
            rest = &body[close..];
        }
        if !words.is_empty() {
            if i > 0 && !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&words);
        }
    }
    out
}

fn style_of(paragraph: &str) -> String {
    paragraph
        .find("<w:pStyle w:val=\"")
        .map(|i| {
            let rest = &paragraph[i + "<w:pStyle w:val=\"".len()..];
            rest[..rest.find('"').unwrap_or(0)].to_owned()
        })
        .unwrap_or_default()
}

/// The body's paragraphs and tables in order (paragraphs inside tables belong to tables).
pub fn blocks(document: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut rest = document;
    loop {
        let paragraph = rest
            .find("<w:p>")
            .into_iter()
            .chain(rest.find("<w:p "))
            .min();
        let table = rest.find("<w:tbl>");
        match (paragraph, table) {
            (Some(p), t) if t.is_none_or(|t| p < t) => {
                let end = rest[p..].find("</w:p>").map_or(rest.len(), |e| p + e + 6);
                let xml = &rest[p..end];
                blocks.push(Block::Paragraph {
                    style: style_of(xml),
                    text: text_of(xml),
                });
                rest = &rest[end..];
            }
            (_, Some(t)) => {
                let end = rest[t..].find("</w:tbl>").map_or(rest.len(), |e| t + e + 8);
                let xml = &rest[t..end];
                let rows = xml
                    .split("</w:tr>")
                    .filter(|r| r.contains("<w:tc"))
                    .map(|row| {
                        row.split("</w:tc>")
                            .filter(|c| c.contains("<w:tc"))
                            .map(text_of)
                            .collect()
                    })
                    .collect();
                blocks.push(Block::Table(rows));
                rest = &rest[end..];
            }
            _ => break,
        }
    }
    blocks
}

/// Paragraphs of a style, in order.
pub fn styled(blocks: &[Block], style: &str) -> Vec<String> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { style: s, text } if s == style => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// The table right after the caption paragraph that starts with `caption`.
pub fn table_after<'a>(blocks: &'a [Block], caption: &str) -> &'a [Vec<String>] {
    let at = blocks
        .iter()
        .position(|b| matches!(b, Block::Paragraph { style, text } if style == "Caption" && text.contains(caption)))
        .unwrap_or_else(|| panic!("no caption {caption}"));
    match &blocks[at + 1] {
        Block::Table(rows) => rows,
        other => panic!("no table after {caption}: {other:?}"),
    }
}

/// The `descr` of every picture, in order.
pub fn alt_texts(document: &str) -> Vec<String> {
    document
        .split("<wp:docPr ")
        .skip(1)
        .map(|piece| {
            let start = piece.find("descr=\"").map(|i| i + 7).unwrap_or(0);
            let end = piece[start..].find('"').map_or(start, |e| start + e);
            unescape(&piece[start..end])
        })
        .collect()
}
