//! A question's chart as a picture for the Word report: the page's chart geometry
//! (`charts::option_bars`) drawn as a standalone SVG that survives print and black and white
//! (each option's label on its own line, the group named beside each bar with its figure,
//! fills of different lightness, a legend), then
//! rasterised to PNG with resvg. The font ships in the repository (`assets/fonts/`, DejaVu
//! Sans with its licence) and is loaded explicitly, so labels render on a server with no
//! fonts installed.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::charts::Chart;

const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const FONT_FAMILY: &str = "DejaVu Sans";
/// Pixels per SVG unit: about 145 dpi at the width the report places charts (170 mm).
const SCALE: f32 = 1.5;
/// The picture's width, the longest bar, and the heights of a label line and a bar line.
const WIDTH: u32 = 640;
const BAR_AREA: f64 = 400.0;
const LINE: u32 = 17;
const BAR: u32 = 13;
const ROW_GAP: u32 = 8;
/// Characters of a row label kept on its line, and of a group's name beside a bar.
const LABEL_CHARS: usize = 100;
const GROUP_CHARS: usize = 28;

/// Fills per series, of clearly different lightness; the group's name beside each bar and
/// the legend identify it in black and white.
const SERIES: [&str; 8] = [
    "#1d70b8", "#f9a87a", "#00703c", "#b7b9e0", "#912b88", "#c8cacb", "#594d00", "#85d6cd",
];

#[derive(Debug, thiserror::Error)]
pub enum ChartImageError {
    #[error("the chart could not be drawn: {0}")]
    Svg(#[from] usvg::Error),
    #[error("the chart has no size")]
    Empty,
    #[error("the chart could not be encoded: {0}")]
    Png(String),
}

/// A chart as PNG, with its size in pixels.
pub struct ChartImage {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn shorten(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        text.to_owned()
    } else {
        let kept: String = text.chars().take(most - 1).collect();
        format!("{}…", kept.trim_end())
    }
}

/// A group's name beside its bars: without a parenthesis, shortened.
fn short_group(label: &str) -> String {
    let name = label.split(" (").next().unwrap_or(label);
    shorten(name, GROUP_CHARS)
}

/// An option's label and its bars: (series, percentage, value text).
type Row<'a> = (&'a str, Vec<(usize, f64, &'a str)>);

/// The chart's rows: each option's label and its bars (series, percentage, value text),
/// read from the page's chart data. A withheld figure has no bar and reads as its value.
fn rows(chart: &Chart) -> Vec<Row<'_>> {
    chart
        .rows
        .iter()
        .map(|row| {
            let bars = row
                .bars
                .iter()
                .map(|bar| {
                    let percent = bar
                        .length
                        .trim_end_matches('%')
                        .parse::<f64>()
                        .unwrap_or(0.0);
                    (bar.series, percent, bar.value.as_str())
                })
                .collect();
            (row.label.as_str(), bars)
        })
        .collect()
}

/// The chart as a standalone SVG document for print: each option's label on its own line,
/// its bars below it with the figure (and, with several groups, the group's name) beside
/// each, and a legend; `series_labels[i]` names column `i`.
pub fn svg(chart: &Chart, series_labels: &[String]) -> String {
    let rows = rows(chart);
    let mut series: Vec<usize> = chart
        .rows
        .iter()
        .flat_map(|row| row.bars.iter().map(|b| b.series))
        .collect();
    series.sort_unstable();
    series.dedup();
    let several = series.len() > 1;
    let name = |s: usize| series_labels.get(s).map(String::as_str).unwrap_or_default();
    let mut body = String::new();
    let mut y = 0;
    for (label, bars) in &rows {
        y += LINE;
        let _ = write!(
            body,
            r##"<text x="0" y="{}" fill="#0b0c0c">{}</text>"##,
            y - 4,
            escape(&shorten(label, LABEL_CHARS))
        );
        for (s, percent, value) in bars {
            let width = (percent / 100.0 * BAR_AREA).round();
            let _ = write!(
                body,
                r##"<rect x="0" y="{}" width="{width}" height="{BAR}" fill="{}" stroke="#0b0c0c" stroke-width="0.5"/>"##,
                y + 2,
                SERIES[*s % SERIES.len()]
            );
            let text = if several {
                format!("{value} {}", short_group(name(*s)))
            } else {
                (*value).to_owned()
            };
            let _ = write!(
                body,
                r##"<text x="{}" y="{}" fill="#0b0c0c">{}</text>"##,
                width + 5.0,
                y + BAR,
                escape(&text)
            );
            y += LINE;
        }
        y += ROW_GAP;
    }
    if several {
        y += 4;
        for s in &series {
            let _ = write!(
                body,
                r##"<rect x="0" y="{y}" width="24" height="12" fill="{}" stroke="#0b0c0c" stroke-width="0.5"/>"##,
                SERIES[*s % SERIES.len()]
            );
            let _ = write!(
                body,
                r##"<text x="30" y="{}" fill="#0b0c0c">{}</text>"##,
                y + 11,
                escape(&shorten(name(*s), LABEL_CHARS))
            );
            y += LINE;
        }
    }
    let height = y + 4;
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="{FONT_FAMILY}" font-size="12"><rect width="100%" height="100%" fill="#ffffff"/>{body}</svg>"##
    )
}

/// The font database with the shipped font only, built once.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_font_data(FONT.to_vec());
            db.set_sans_serif_family(FONT_FAMILY);
            Arc::new(db)
        })
        .clone()
}

/// Rasterises a standalone SVG document to PNG.
pub fn png(svg: &str) -> Result<ChartImage, ChartImageError> {
    let options = usvg::Options {
        font_family: FONT_FAMILY.to_owned(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options)?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(SCALE)
        .ok_or(ChartImageError::Empty)?;
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or(ChartImageError::Empty)?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(SCALE, SCALE),
        &mut pixmap.as_mut(),
    );
    let png = encode(&pixmap).map_err(|e| ChartImageError::Png(e.to_string()))?;
    Ok(ChartImage {
        png,
        width: size.width(),
        height: size.height(),
    })
}

/// The picture as an RGB PNG at the best compression: it is opaque (drawn on white), so
/// the alpha channel tiny-skia keeps would only add size.
fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Best);
    encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
    encoder.write_header()?.write_image_data(&rgb)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::{Bar, ChartRow};

    fn chart() -> Chart {
        let bar = |series: usize, name: &str, percent: &str| Bar {
            series,
            name: name.to_owned(),
            length: percent.to_owned(),
            value: percent.to_owned(),
        };
        Chart {
            labelled: true,
            rows: vec![ChartRow {
                label: "Agree & <more>".to_owned(),
                bars: vec![bar(0, "All responses", "50%"), bar(1, "Council", "10%")],
            }],
        }
    }

    #[test]
    fn groups_are_named_beside_their_bars() {
        let labels = vec!["All responses".to_owned(), "Council".to_owned()];
        let svg = svg(&chart(), &labels);
        assert!(svg.contains(">50% All responses</text>"), "{svg}");
        assert!(svg.contains(">10% Council</text>"));
        assert!(svg.contains(">Agree &amp; &lt;more&gt;</text>"));
        // The legend names every group in full.
        assert_eq!(svg.matches(">Council</text>").count(), 1);
    }

    #[test]
    fn renders_text_with_the_shipped_font() {
        let labels = vec!["All responses".to_owned(), "Council".to_owned()];
        let image = png(&svg(&chart(), &labels)).unwrap();
        assert_eq!(image.width, WIDTH * 3 / 2);
        assert!(image.png.starts_with(b"\x89PNG"));
        // Text was drawn: dark pixels in the label area, left of every bar.
        let without_text =
            png(&svg(&chart(), &labels).replace("Agree &amp; &lt;more&gt;", "")).unwrap();
        assert_ne!(image.png, without_text.png);
    }
}
