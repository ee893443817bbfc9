//! The documents generated from a case, as the path names them:
//! `GET /cases/{reference}/documents/{kind}.{format}`.

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    PanelNotification,
    RapidReviewReport,
    TermsOfReference,
    FamilyLetter,
    PublicationNotice,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 5] = [
        DocumentKind::PanelNotification,
        DocumentKind::RapidReviewReport,
        DocumentKind::TermsOfReference,
        DocumentKind::FamilyLetter,
        DocumentKind::PublicationNotice,
    ];

    /// The path segment.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::PanelNotification => "panel-notification",
            DocumentKind::RapidReviewReport => "rapid-review-report",
            DocumentKind::TermsOfReference => "terms-of-reference",
            DocumentKind::FamilyLetter => "family-letter",
            DocumentKind::PublicationNotice => "publication-notice",
        }
    }

    pub fn parse(raw: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::PanelNotification => "Notification to the national panel (cover note)",
            DocumentKind::RapidReviewReport => "Rapid review report",
            DocumentKind::TermsOfReference => "LCSPR terms of reference",
            DocumentKind::FamilyLetter => "Letter inviting the family to take part",
            DocumentKind::PublicationNotice => "Publication notice to the panel, Ofsted and DfE",
        }
    }

    /// The documents of a local child safeguarding practice review, made only once one is decided.
    pub fn is_for_a_review(self) -> bool {
        matches!(self, DocumentKind::TermsOfReference | DocumentKind::FamilyLetter | DocumentKind::PublicationNotice)
    }
}

/// The two formats every document is made in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentFormat {
    /// Print-ready HTML, opened in the browser.
    Html,
    /// A Word file, downloaded.
    Docx,
}

impl DocumentFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentFormat::Html => "html",
            DocumentFormat::Docx => "docx",
        }
    }

    /// `{kind}.{format}`, as the path's last segment.
    pub fn parse_file(file: &str) -> Option<(DocumentKind, DocumentFormat)> {
        let (name, format) = file.rsplit_once('.')?;
        let format = match format {
            "html" => DocumentFormat::Html,
            "docx" => DocumentFormat::Docx,
            _ => return None,
        };
        Some((DocumentKind::parse(name)?, format))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_file_name_and_nothing_else_does() {
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentFormat::parse_file(&format!("{}.docx", kind.as_str())), Some((kind, DocumentFormat::Docx)));
            assert_eq!(DocumentFormat::parse_file(&format!("{}.html", kind.as_str())), Some((kind, DocumentFormat::Html)));
        }
        assert_eq!(DocumentFormat::parse_file("rapid-review-report.pdf"), None);
        assert_eq!(DocumentFormat::parse_file("minutes.html"), None);
        assert_eq!(DocumentFormat::parse_file("family-letter"), None);
        assert_eq!(DocumentKind::ALL.iter().filter(|k| k.is_for_a_review()).count(), 3);
    }
}
