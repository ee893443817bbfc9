//! The two renderers: a self-contained HTML page (every value escaped, A4
//! print styles) and a Word document with real headings and tables.

use docx_rs::{
    AlignmentType, BorderType, Docx, Paragraph, Run, RunFonts, Style, StyleType, Table, TableBorder, TableBorderPosition, TableBorders,
    TableCell, TableRow, WidthType,
};

use crate::{Block, Document};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentError {
    /// The .docx could not be packed (zip); nothing to do but try again.
    Packing(String),
}

impl std::fmt::Display for DocumentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DocumentError::Packing(why) => write!(f, "The Word document could not be put together ({why}); try again"),
        }
    }
}

impl std::error::Error for DocumentError {}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Line breaks in free text survive into HTML.
fn escape_lines(text: &str) -> String {
    escape(text).replace('\n', "<br>")
}

/// The page's only stylesheet; a Content-Security-Policy can allow exactly it by hash.
pub const STYLE: &str = "@page{size:A4;margin:20mm}body{font-family:Arial,Helvetica,sans-serif;font-size:11pt;line-height:1.4;color:#0b0c0c;max-width:190mm;margin:0 auto;padding:12px}\
h1{font-size:20pt;margin:0 0 12pt}h2{font-size:14pt;margin:18pt 0 6pt;break-after:avoid}h3{font-size:12pt;margin:12pt 0 4pt;break-after:avoid}\
table{border-collapse:collapse;width:100%;margin:6pt 0 12pt}th,td{border:1px solid #505a5f;padding:4pt 6pt;text-align:left;vertical-align:top}\
th{background:#f3f2f1}tr{break-inside:avoid}.marking{font-weight:bold;letter-spacing:.05em}.note{border-left:4pt solid #f47738;padding-left:6pt;font-weight:bold}\
@media print{body{padding:0}th{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

impl Document {
    /// A complete HTML page, ready to print or save as PDF from the browser.
    pub fn to_html(&self) -> String {
        let mut body = String::new();
        if let Some(marking) = &self.marking {
            body.push_str(&format!("<p class=\"marking\">{}</p>", escape(marking)));
        }
        body.push_str(&format!("<h1>{}</h1>", escape(&self.title)));
        for block in &self.blocks {
            match block {
                Block::Heading(t) => body.push_str(&format!("<h2>{}</h2>", escape(t))),
                Block::Subheading(t) => body.push_str(&format!("<h3>{}</h3>", escape(t))),
                Block::Paragraph(t) => body.push_str(&format!("<p>{}</p>", escape_lines(t))),
                Block::Note(t) => body.push_str(&format!("<p class=\"note\">{}</p>", escape_lines(t))),
                Block::Fields(fields) => {
                    body.push_str("<table><tbody>");
                    for (k, v) in fields {
                        body.push_str(&format!("<tr><th scope=\"row\">{}</th><td>{}</td></tr>", escape(k), escape_lines(v)));
                    }
                    body.push_str("</tbody></table>");
                }
                Block::Table { header, rows } => {
                    body.push_str("<table><thead><tr>");
                    for h in header {
                        body.push_str(&format!("<th scope=\"col\">{}</th>", escape(h)));
                    }
                    body.push_str("</tr></thead><tbody>");
                    for row in rows {
                        body.push_str("<tr>");
                        for cell in row {
                            body.push_str(&format!("<td>{}</td>", escape_lines(cell)));
                        }
                        body.push_str("</tr>");
                    }
                    body.push_str("</tbody></table>");
                }
            }
        }
        format!(
            "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{}</title><style>{STYLE}</style></head><body>{body}</body></html>",
            escape(&self.title)
        )
    }

    /// The same document as a Word file (.docx bytes).
    pub fn to_docx(&self) -> Result<Vec<u8>, DocumentError> {
        let font = || RunFonts::new().ascii("Arial").hi_ansi("Arial").cs("Arial");
        let text = |t: &str| -> Paragraph {
            // Each line of free text is its own line in Word too.
            let mut p = Paragraph::new();
            for (i, line) in t.split('\n').enumerate() {
                let mut run = Run::new().fonts(font()).size(22);
                if i > 0 {
                    run = run.add_break(docx_rs::BreakType::TextWrapping);
                }
                p = p.add_run(run.add_text(line));
            }
            p
        };
        let cell = |t: &str, bold: bool| {
            let mut run = Run::new().fonts(font()).size(22).add_text(t);
            if bold {
                run = run.bold();
            }
            TableCell::new().add_paragraph(Paragraph::new().add_run(run))
        };
        let borders = || {
            let mut b = TableBorders::new();
            for position in [
                TableBorderPosition::Top,
                TableBorderPosition::Bottom,
                TableBorderPosition::Left,
                TableBorderPosition::Right,
                TableBorderPosition::InsideH,
                TableBorderPosition::InsideV,
            ] {
                b = b.set(TableBorder::new(position).border_type(BorderType::Single).size(4).color("505A5F"));
            }
            b
        };
        let mut docx = Docx::new()
            .add_style(Style::new("Heading1", StyleType::Paragraph).name("Heading 1").size(40).bold().fonts(font()))
            .add_style(Style::new("Heading2", StyleType::Paragraph).name("Heading 2").size(28).bold().fonts(font()))
            .add_style(Style::new("Heading3", StyleType::Paragraph).name("Heading 3").size(24).bold().fonts(font()));
        if let Some(marking) = &self.marking {
            docx = docx.add_paragraph(Paragraph::new().align(AlignmentType::Right).add_run(Run::new().fonts(font()).size(20).bold().add_text(marking)));
        }
        docx = docx.add_paragraph(Paragraph::new().style("Heading1").add_run(Run::new().add_text(&self.title)));
        for block in &self.blocks {
            docx = match block {
                Block::Heading(t) => docx.add_paragraph(Paragraph::new().style("Heading2").add_run(Run::new().add_text(t))),
                Block::Subheading(t) => docx.add_paragraph(Paragraph::new().style("Heading3").add_run(Run::new().add_text(t))),
                Block::Paragraph(t) => docx.add_paragraph(text(t)),
                Block::Note(t) => docx.add_paragraph(Paragraph::new().add_run(Run::new().fonts(font()).size(22).bold().add_text(t))),
                Block::Fields(fields) => {
                    let rows = fields.iter().map(|(k, v)| TableRow::new(vec![cell(k, true), cell(v, false)])).collect();
                    docx.add_table(Table::new(rows).width(9000, WidthType::Dxa).set_borders(borders()))
                }
                Block::Table { header, rows } => {
                    let mut all = vec![TableRow::new(header.iter().map(|h| cell(h, true)).collect())];
                    all.extend(rows.iter().map(|r| TableRow::new(r.iter().map(|c| cell(c, false)).collect())));
                    docx.add_table(Table::new(all).width(9000, WidthType::Dxa).set_borders(borders()))
                }
            };
        }
        let mut buffer = std::io::Cursor::new(Vec::new());
        docx.build().pack(&mut buffer).map_err(|e| DocumentError::Packing(e.to_string()))?;
        Ok(buffer.into_inner())
    }
}
