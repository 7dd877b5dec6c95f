//! Charts for the console, as inline SVG written here rather than with a
//! plotting crate: two shapes (horizontal bars in up to two series, and
//! vertical bars) are all the console needs, and the page's strict
//! Content-Security-Policy refuses inline `style`, which plotting crates'
//! SVG output uses for text. These charts use presentation attributes only.
//!
//! Every chart is `role="img"` with its title as its accessible name, says
//! every number in text on the chart (no information by colour alone), and
//! the page shows the same figures in a table beside it for screen readers.
//! Text goes through minijinja's HTML escaping, as in the templates.

use std::fmt::Write;

use minijinja::{HtmlEscape, Value};

/// One bar of a chart: its label and its values (one per series), and
/// the words to write instead of the values (a figure too small to show).
pub struct Bar {
    pub label: String,
    pub values: Vec<u64>,
    pub text: Option<String>,
}

impl Bar {
    pub fn new(label: impl Into<String>, values: Vec<u64>) -> Bar {
        Bar {
            label: label.into(),
            values,
            text: None,
        }
    }

    /// A bar with no length and `text` where its value would be.
    pub fn withheld(label: impl Into<String>, text: impl Into<String>) -> Bar {
        Bar {
            label: label.into(),
            values: vec![0],
            text: Some(text.into()),
        }
    }
}

/// Fill colours of the series (contrast ≥ 3:1 on white) and their legend
/// is always written in text.
const FILLS: [&str; 2] = ["#166534", "#9a3412"];

/// The colour of text and axes.
const INK: &str = "#1f1f1f";

const WIDTH: u32 = 640;
/// The room for the row labels of horizontal bars (a label that would not
/// fit is shortened with "…"; the table beside the chart has it whole).
const LABEL_W: u32 = 250;
/// About how many characters of 13 px text fit in `LABEL_W`.
const LABEL_CHARS: usize = 34;

/// `label`, shortened to fit the label column.
fn fit(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_string();
    }
    let mut short: String = label.chars().take(LABEL_CHARS - 1).collect();
    short.push('…');
    short
}
const ROW_H: u32 = 28;

fn esc(s: &str) -> String {
    HtmlEscape(s).to_string()
}

/// Horizontal bars, one row per [`Bar`], stacked by series, with each
/// value written after its bar. `series` names the series (legend).
pub fn horizontal(id: &str, title: &str, series: &[&str], bars: &[Bar]) -> Value {
    let max = bars
        .iter()
        .map(|b| b.values.iter().sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let legend_h = 24;
    let height = legend_h + ROW_H * u32::try_from(bars.len()).unwrap_or(u32::MAX / ROW_H).max(1);
    // Room after the longest bar for its figures in words.
    let plot_w = WIDTH - LABEL_W - if series.len() > 1 { 230 } else { 80 };
    let mut svg = open(id, title, height);
    legend(&mut svg, series);
    for (row, bar) in bars.iter().enumerate() {
        let y = legend_h + ROW_H * row as u32;
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="end" font-size="13" fill="{INK}">{}</text>"#,
            LABEL_W - 8,
            y + 18,
            esc(&fit(&bar.label))
        );
        let mut x = LABEL_W;
        for (i, value) in bar.values.iter().enumerate() {
            let w = (u64::from(plot_w) * value / max) as u32;
            if w > 0 {
                let _ = write!(
                    svg,
                    r#"<rect x="{x}" y="{}" width="{w}" height="{}" fill="{}"/>"#,
                    y + 4,
                    ROW_H - 8,
                    FILLS[i % FILLS.len()]
                );
            }
            x += w;
        }
        let text = if let Some(text) = &bar.text {
            text.clone()
        } else if series.len() > 1 {
            bar.values
                .iter()
                .zip(series)
                .map(|(v, name)| format!("{name} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            bar.values
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" font-size="13" fill="{INK}">{}</text>"#,
            x + 6,
            y + 18,
            esc(&text)
        );
    }
    close(svg)
}

/// Vertical bars of one series (a histogram), each value above its bar and
/// each label below it.
pub fn vertical(id: &str, title: &str, bars: &[Bar]) -> Value {
    let max = bars
        .iter()
        .map(|b| b.values.first().copied().unwrap_or(0))
        .max()
        .unwrap_or(0)
        .max(1);
    let plot_h = 160u32;
    let height = plot_h + 60;
    let n = u32::try_from(bars.len()).unwrap_or(1).max(1);
    let slot = (WIDTH - 20) / n;
    let bar_w = (slot * 7 / 10).max(2);
    let mut svg = open(id, title, height);
    for (i, bar) in bars.iter().enumerate() {
        let value = bar.values.first().copied().unwrap_or(0);
        let h = (u64::from(plot_h) * value / max) as u32;
        let x = 10 + slot * i as u32 + (slot - bar_w) / 2;
        let top = 20 + plot_h - h;
        if h > 0 {
            let _ = write!(
                svg,
                r#"<rect x="{x}" y="{top}" width="{bar_w}" height="{h}" fill="{}"/>"#,
                FILLS[0]
            );
        }
        let mid = x + bar_w / 2;
        let shown = bar.text.clone().unwrap_or_else(|| value.to_string());
        let _ = write!(
            svg,
            r#"<text x="{mid}" y="{}" text-anchor="middle" font-size="12" fill="{INK}">{}</text>"#,
            top.saturating_sub(4).max(12),
            esc(&shown)
        );
        let _ = write!(
            svg,
            r#"<text x="{mid}" y="{}" text-anchor="middle" font-size="11" fill="{INK}">{}</text>"#,
            20 + plot_h + 18,
            esc(&bar.label)
        );
    }
    let _ = write!(
        svg,
        r##"<line x1="10" y1="{y}" x2="{x2}" y2="{y}" stroke="#4b4b4b"/>"##,
        y = 20 + plot_h,
        x2 = WIDTH - 10
    );
    close(svg)
}

fn open(id: &str, title: &str, height: u32) -> String {
    let mut svg = String::with_capacity(2048);
    let _ = write!(
        svg,
        r#"<svg class="chart" role="img" aria-labelledby="{id}-title" viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title>"#,
        esc(title)
    );
    svg
}

fn legend(svg: &mut String, series: &[&str]) {
    let mut x = LABEL_W;
    for (i, name) in series.iter().enumerate() {
        let _ = write!(
            svg,
            r#"<rect x="{x}" y="4" width="14" height="14" fill="{}"/><text x="{}" y="16" font-size="13" fill="{INK}">{}</text>"#,
            FILLS[i % FILLS.len()],
            x + 20,
            esc(name)
        );
        x += 24 + 9 * name.chars().count() as u32;
    }
}

fn close(mut svg: String) -> Value {
    svg.push_str("</svg>");
    Value::from_safe_string(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_escape_text_and_use_no_inline_style() {
        let bars = vec![
            Bar::new("<identity>", vec![3, 1]),
            Bar::new("support", vec![0, 0]),
            Bar::withheld("other", "fewer than 5"),
        ];
        let h = horizontal("c1", "Matched & not", &["matched", "unmatched"], &bars).to_string();
        assert!(h.starts_with("<svg class=\"chart\" role=\"img\" aria-labelledby=\"c1-title\""));
        assert!(h.contains("<title id=\"c1-title\">Matched &amp; not</title>"));
        assert!(h.contains("&lt;identity&gt;"));
        assert!(
            h.contains(">matched 3, unmatched 1</text>"),
            "every value in words"
        );
        assert!(h.contains(">matched 0, unmatched 0</text>"));
        assert!(h.contains(">fewer than 5</text>"));
        assert!(!h.contains("style"));
        let v = vertical(
            "c2",
            "Load",
            &[Bar::new("0", vec![5]), Bar::withheld("1", "<5")],
        )
        .to_string();
        assert!(v.contains(">5</text>"));
        assert!(
            v.contains(">&lt;5</text>"),
            "the words instead of the value"
        );
        assert!(!v.contains("style"));
        assert!(v.ends_with("</svg>"));
    }
}
