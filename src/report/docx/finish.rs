//! What docx-rs does not write, added to the parts it built: the document's language
//! (en-GB, in the default run properties and the core properties), tables' first rows
//! marked as header rows that repeat on each page, and each picture's alternative text
//! (with a unique drawing id). Each is one attribute or element inserted at a place
//! docx-rs always writes; `Report::finish` checks that every insertion found its place.

use docx_rs::XMLDocx;

pub const LANGUAGE: &str = "en-GB";

#[derive(Debug, thiserror::Error)]
#[error("the Word document could not be finished: {0}")]
pub struct FinishError(pub &'static str);

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\n', " ")
}

/// Sets the language in the default run properties of `styles.xml`.
pub fn language(styles: &str) -> Result<String, FinishError> {
    let lang = format!(r#"<w:lang w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}" w:bidi="ar-SA" />"#);
    let defaults = styles
        .find("<w:rPrDefault>")
        .ok_or(FinishError("no default run properties"))?;
    let at = styles[defaults..]
        .find("</w:rPr>")
        .map(|i| defaults + i)
        .ok_or(FinishError("no default run properties"))?;
    Ok(format!("{}{lang}{}", &styles[..at], &styles[at..]))
}

/// Sets `dc:language` in `docProps/core.xml`.
pub fn core_language(core: &str) -> String {
    let element = format!("<dc:language>{LANGUAGE}</dc:language>");
    match (core.find("<dc:language>"), core.find("</dc:language>")) {
        (Some(start), Some(end)) if end > start => format!(
            "{}{element}{}",
            &core[..start],
            &core[end + "</dc:language>".len()..]
        ),
        _ => core.replacen(
            "</cp:coreProperties>",
            &format!("{element}</cp:coreProperties>"),
            1,
        ),
    }
}

/// Marks the first row of every table as a header row that repeats across pages.
pub fn header_rows(document: &str) -> Result<String, FinishError> {
    let mut out = String::with_capacity(document.len() + 1024);
    let mut rest = document;
    while let Some(table) = rest.find("<w:tbl>") {
        let row = rest[table..]
            .find("<w:tr>")
            .or_else(|| rest[table..].find("<w:tr "))
            .map(|i| table + i)
            .ok_or(FinishError("a table without rows"))?;
        let properties = rest[row..]
            .find("<w:trPr")
            .map(|i| row + i)
            .ok_or(FinishError("a row without properties"))?;
        out.push_str(&rest[..properties]);
        rest = &rest[properties..];
        if let Some(after) = rest.strip_prefix("<w:trPr />") {
            out.push_str("<w:trPr><w:tblHeader /></w:trPr>");
            rest = after;
        } else {
            let open = rest.find('>').ok_or(FinishError("a broken row"))? + 1;
            out.push_str(&rest[..open]);
            out.push_str("<w:tblHeader />");
            rest = &rest[open..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// Gives the n-th picture the n-th alternative text, and every picture its own id.
pub fn alt_texts(document: &str, texts: &[String]) -> Result<String, FinishError> {
    const DRAWING: &str = r#"<wp:docPr id="1" name="Figure""#;
    let found = document.matches(DRAWING).count();
    if found != texts.len() {
        return Err(FinishError(
            "pictures and alternative texts differ in number",
        ));
    }
    let mut out =
        String::with_capacity(document.len() + texts.iter().map(String::len).sum::<usize>());
    let mut pieces = document.split(DRAWING);
    if let Some(first) = pieces.next() {
        out.push_str(first);
    }
    for (n, (piece, text)) in pieces.zip(texts).enumerate() {
        out.push_str(&format!(
            r#"<wp:docPr id="{}" name="Chart {}" descr="{}""#,
            n + 1,
            n + 1,
            escape_attribute(text)
        ));
        out.push_str(piece);
    }
    Ok(out)
}

/// All of the above on a built document.
pub fn finish(xml: &mut XMLDocx, alt: &[String]) -> Result<(), FinishError> {
    let text = |bytes: &[u8]| {
        String::from_utf8(bytes.to_vec()).map_err(|_| FinishError("a part is not UTF-8"))
    };
    xml.styles = language(&text(&xml.styles)?)?.into_bytes();
    xml.doc_props.core = core_language(&text(&xml.doc_props.core)?).into_bytes();
    let document = header_rows(&text(&xml.document)?)?;
    xml.document = alt_texts(&document, alt)?.into_bytes();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_rows_are_marked_once_per_table() {
        let doc = "<w:body><w:tbl><w:tblPr /><w:tr><w:trPr /><w:tc /></w:tr><w:tr><w:trPr /></w:tr></w:tbl>\
                   <w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl></w:body>";
        let done = header_rows(doc).unwrap();
        assert_eq!(done.matches("<w:tblHeader />").count(), 2);
        assert!(done.contains(
            "<w:tr><w:trPr><w:tblHeader /></w:trPr><w:tc /></w:tr><w:tr><w:trPr /></w:tr>"
        ));
        assert!(done.contains("<w:trPr><w:tblHeader /><w:cantSplit /></w:trPr>"));
    }

    #[test]
    fn pictures_get_their_own_ids_and_texts() {
        let doc = r#"<wp:docPr id="1" name="Figure" /><x/><wp:docPr id="1" name="Figure" />"#;
        let done = alt_texts(doc, &["A \"b\" & c".to_owned(), "D".to_owned()]).unwrap();
        assert_eq!(
            done,
            r#"<wp:docPr id="1" name="Chart 1" descr="A &quot;b&quot; &amp; c" /><x/><wp:docPr id="2" name="Chart 2" descr="D" />"#
        );
        assert!(alt_texts(doc, &["A".to_owned()]).is_err());
    }

    #[test]
    fn the_language_is_set() {
        let styles = "<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val=\"22\" /></w:rPr></w:rPrDefault></w:docDefaults>";
        assert!(language(styles)
            .unwrap()
            .contains("<w:sz w:val=\"22\" /><w:lang w:val=\"en-GB\""));
        assert_eq!(
            core_language("<cp:coreProperties><dc:language>en</dc:language></cp:coreProperties>"),
            "<cp:coreProperties><dc:language>en-GB</dc:language></cp:coreProperties>"
        );
    }
}
