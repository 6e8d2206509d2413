//! A question's chart as a picture for the Word report: the page's chart geometry
//! (`charts::option_bars`) drawn as a standalone SVG that survives print and black and white
//! (a pattern per group, the group named beside each bar with its figure, a legend), then
//! rasterised to PNG with resvg. The font ships in the repository (`assets/fonts/`, DejaVu
//! Sans with its licence) and is loaded explicitly, so labels render on a server with no
//! fonts installed.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::charts::Chart;

const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const FONT_FAMILY: &str = "DejaVu Sans";
/// Pixels per SVG unit: about 150 dpi at the width the report places charts.
const SCALE: f32 = 2.0;
/// Room on the right for "46.7% Council" and below for the legend.
const EXTRA_WIDTH: u32 = 110;
const LEGEND_ROW: u32 = 18;

/// Fills per series: dark to light greys under distinct patterns, so groups differ in
/// black and white as well as in colour.
const SERIES: [(&str, Option<&str>); 8] = [
    ("#1d70b8", None),
    ("#f47738", Some("diagonal")),
    ("#00703c", Some("dots")),
    ("#6f72af", Some("cross")),
    ("#912b88", Some("horizontal")),
    ("#505a5f", Some("vertical")),
    ("#b58840", Some("diagonal")),
    ("#28a197", Some("dots")),
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

/// The chart as a standalone SVG document; `series_labels[i]` names column `i`.
pub fn svg(chart: &Chart, series_labels: &[String]) -> String {
    let series: Vec<usize> = {
        let mut s: Vec<usize> = chart.bars.iter().map(|b| b.series).collect();
        s.sort_unstable();
        s.dedup();
        s
    };
    let several = series.len() > 1;
    let legend_height = if several {
        LEGEND_ROW * series.len() as u32 + 8
    } else {
        0
    };
    let width = chart.width + EXTRA_WIDTH;
    let height = chart.height + legend_height;
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT_FAMILY}" font-size="12"><rect width="100%" height="100%" fill="#ffffff"/><defs>"##
    );
    let patterns = [
        (
            "diagonal",
            r##"<path d="M0,6 L6,0" stroke="#ffffff" stroke-width="1.6"/>"##,
        ),
        (
            "dots",
            r##"<circle cx="3" cy="3" r="1.3" fill="#ffffff"/>"##,
        ),
        (
            "cross",
            r##"<path d="M0,0 L6,6 M6,0 L0,6" stroke="#ffffff" stroke-width="1.2"/>"##,
        ),
        (
            "horizontal",
            r##"<path d="M0,3 L6,3" stroke="#ffffff" stroke-width="1.6"/>"##,
        ),
        (
            "vertical",
            r##"<path d="M3,0 L3,6" stroke="#ffffff" stroke-width="1.6"/>"##,
        ),
    ];
    for (name, shape) in patterns {
        let _ = write!(
            out,
            r#"<pattern id="{name}" width="6" height="6" patternUnits="userSpaceOnUse">{shape}</pattern>"#
        );
    }
    out.push_str("</defs>");
    for label in &chart.labels {
        let _ = write!(
            out,
            r##"<text x="0" y="{}" fill="#0b0c0c">{}</text>"##,
            label.y,
            escape(&label.text)
        );
    }
    let name = |s: usize| series_labels.get(s).cloned().unwrap_or_default();
    for bar in &chart.bars {
        let (fill, pattern) = SERIES[bar.series % SERIES.len()];
        let _ = write!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}"/>"#,
            bar.x, bar.y, bar.width, bar.height
        );
        if let Some(pattern) = pattern {
            let _ = write!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{pattern})"/>"#,
                bar.x, bar.y, bar.width, bar.height
            );
        }
        let value = if several {
            format!("{} {}", bar.value, name(bar.series))
        } else {
            bar.value.clone()
        };
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" fill="#0b0c0c">{}</text>"##,
            bar.value_x,
            bar.value_y,
            escape(&value)
        );
    }
    if several {
        for (row, s) in series.iter().enumerate() {
            let y = chart.height + 8 + row as u32 * LEGEND_ROW;
            let (fill, pattern) = SERIES[*s % SERIES.len()];
            let _ = write!(
                out,
                r#"<rect x="0" y="{y}" width="24" height="12" fill="{fill}"/>"#
            );
            if let Some(pattern) = pattern {
                let _ = write!(
                    out,
                    r#"<rect x="0" y="{y}" width="24" height="12" fill="url(#{pattern})"/>"#
                );
            }
            let _ = write!(
                out,
                r##"<text x="30" y="{}" fill="#0b0c0c">{}</text>"##,
                y + 11,
                escape(&name(*s))
            );
        }
    }
    out.push_str("</svg>");
    out
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
    let png = pixmap
        .encode_png()
        .map_err(|e| ChartImageError::Png(e.to_string()))?;
    Ok(ChartImage {
        png,
        width: size.width(),
        height: size.height(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::{Bar, RowLabel};

    fn chart() -> Chart {
        Chart {
            width: 550,
            height: 46,
            label_width: 190,
            bars: vec![
                Bar {
                    x: 190,
                    y: 0,
                    width: 150,
                    height: 16,
                    series: 0,
                    value_x: 344,
                    value_y: 13,
                    value: "50%".to_owned(),
                },
                Bar {
                    x: 190,
                    y: 18,
                    width: 30,
                    height: 16,
                    series: 1,
                    value_x: 224,
                    value_y: 31,
                    value: "10%".to_owned(),
                },
            ],
            labels: vec![RowLabel {
                y: 13,
                text: "Agree & <more>".to_owned(),
            }],
        }
    }

    #[test]
    fn groups_are_named_beside_their_bars_and_patterned() {
        let labels = vec!["All responses".to_owned(), "Council".to_owned()];
        let svg = svg(&chart(), &labels);
        assert!(svg.contains(">50% All responses</text>"));
        assert!(svg.contains(">10% Council</text>"));
        assert!(svg.contains("fill=\"url(#diagonal)\""));
        assert!(svg.contains(">Agree &amp; &lt;more&gt;</text>"));
    }

    #[test]
    fn renders_text_with_the_shipped_font() {
        let labels = vec!["All responses".to_owned(), "Council".to_owned()];
        let image = png(&svg(&chart(), &labels)).unwrap();
        assert_eq!(image.width, (550 + EXTRA_WIDTH) * 2);
        assert!(image.png.starts_with(b"\x89PNG"));
        // Text was drawn: dark pixels in the label area, left of every bar.
        let without_text =
            png(&svg(&chart(), &labels).replace("Agree &amp; &lt;more&gt;", "")).unwrap();
        assert_ne!(image.png, without_text.png);
    }
}
