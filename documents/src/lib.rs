//! The partnership's documents, generated from case data: the rapid review
//! report (KRSCP guidance, "Rapid Review Report"), the terms of reference of
//! an LCSPR (KRSCP appendix 3), the letter inviting the family to take part
//! (KRSCP appendix 4), the notification to the national panel, and the
//! publication notice sent at least 7 working days before publication.
//!
//! Each template builds one [`Document`]; two renderers turn any document
//! into a print-ready HTML page or a `.docx`. Personal details enter only
//! through fields typed `Option<...>` that the caller fills for roles allowed
//! to see them; documents meant for publication have no such field at all.

mod render;
mod templates;

pub use render::{DocumentError, STYLE};
pub use templates::*;

/// A document as headings, paragraphs and tables, before it is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub title: String,
    /// Shown above the title, e.g. "OFFICIAL-SENSITIVE".
    pub marking: Option<String>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Subheading(String),
    Paragraph(String),
    /// Label and value pairs, as a two-column table.
    Fields(Vec<(String, String)>),
    Table { header: Vec<String>, rows: Vec<Vec<String>> },
    /// Advice or a warning the reader must not miss.
    Note(String),
}

impl Document {
    pub fn new(title: impl Into<String>) -> Self {
        Document { title: title.into(), marking: Some("OFFICIAL-SENSITIVE".into()), blocks: Vec::new() }
    }

    pub fn heading(mut self, text: impl Into<String>) -> Self {
        self.blocks.push(Block::Heading(text.into()));
        self
    }

    pub fn subheading(mut self, text: impl Into<String>) -> Self {
        self.blocks.push(Block::Subheading(text.into()));
        self
    }

    /// A paragraph; an empty one reads "Not recorded." rather than vanishing.
    pub fn paragraph(mut self, text: impl Into<String>) -> Self {
        let text = text.into();
        self.blocks.push(Block::Paragraph(if text.trim().is_empty() { "Not recorded.".into() } else { text }));
        self
    }

    pub fn fields<K: Into<String>, V: Into<String>>(mut self, fields: impl IntoIterator<Item = (K, V)>) -> Self {
        self.blocks.push(Block::Fields(fields.into_iter().map(|(k, v)| (k.into(), v.into())).collect()));
        self
    }

    pub fn table(mut self, header: &[&str], rows: Vec<Vec<String>>) -> Self {
        self.blocks.push(Block::Table { header: header.iter().map(|h| h.to_string()).collect(), rows });
        self
    }

    pub fn note(mut self, text: impl Into<String>) -> Self {
        self.blocks.push(Block::Note(text.into()));
        self
    }

    /// All the text of the document, for tests and search.
    pub fn plain_text(&self) -> String {
        let mut out = vec![self.title.clone()];
        for block in &self.blocks {
            match block {
                Block::Heading(t) | Block::Subheading(t) | Block::Paragraph(t) | Block::Note(t) => out.push(t.clone()),
                Block::Fields(f) => out.extend(f.iter().map(|(k, v)| format!("{k}: {v}"))),
                Block::Table { header, rows } => {
                    out.push(header.join(" | "));
                    out.extend(rows.iter().map(|r| r.join(" | ")));
                }
            }
        }
        out.join("\n")
    }
}
