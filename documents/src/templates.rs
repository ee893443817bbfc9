//! The templates, each from its seed: the rapid review report follows the
//! KRSCP "Rapid Review Report" template; the terms of reference KRSCP
//! appendix 3 and SPEC.md; the family letter KRSCP appendix 4; the
//! publication notice SPEC.md ("at least 7 working days before publication").

use chrono::NaiveDate;
use domain::rapid_review::RapidReviewFindings;
use domain::rapid_review_report::WriteUp;
use domain::review::TermsOfReference;
use serde::{Deserialize, Serialize};

use crate::Document;

fn long(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

fn long_or(d: Option<NaiveDate>, none: &str) -> String {
    d.map_or_else(|| none.to_string(), long)
}

fn yes_no(b: bool) -> String {
    (if b { "Yes" } else { "No" }).to_string()
}

/// A child's details: personal data, only ever passed for roles allowed to see them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildDetails {
    pub name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub date_of_death: Option<NaiveDate>,
    pub gender: Option<String>,
    pub ethnicity: Option<String>,
    pub needs: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdMember {
    pub name: Option<String>,
    pub relationship: String,
    pub age_or_date_of_birth: Option<String>,
}

/// What the people decided at the end of the rapid review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RapidReviewOutcome {
    pub option_label: String,
    pub lcspr: bool,
    pub rationale: String,
    pub equality_and_racism: String,
    pub key_lines_of_enquiry: Vec<String>,
    pub findings: RapidReviewFindings,
    pub decided_on: NaiveDate,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyReturn {
    pub agency: String,
    pub submitted: bool,
    pub represented: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOffLine {
    pub partner: String,
    pub name: Option<String>,
    pub signed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RapidReviewReport {
    pub reference: String,
    pub partnership: String,
    pub meeting_on: Option<NaiveDate>,
    pub meeting_time: Option<String>,
    pub meeting_location: Option<String>,
    /// Personal data: `None` for roles that may not read it.
    pub children: Option<Vec<ChildDetails>>,
    pub household: Option<Vec<HouseholdMember>>,
    /// The write-up describes the child: personal data too.
    pub write_up: Option<WriteUp>,
    pub agencies: Vec<AgencyReturn>,
    pub outcome: Option<RapidReviewOutcome>,
    pub signoffs: Vec<SignOffLine>,
}

pub fn rapid_review_report(r: &RapidReviewReport) -> Document {
    let mut doc = Document::new("Rapid Review Report").fields([
        ("Case", r.reference.clone()),
        ("Partnership", r.partnership.clone()),
        ("Date", long_or(r.meeting_on, "Not held yet")),
        ("Time", r.meeting_time.clone().unwrap_or_default()),
        ("Location", r.meeting_location.clone().unwrap_or_default()),
    ]);
    doc = doc.heading("Details of child");
    match &r.children {
        Some(children) => {
            for child in children {
                doc = doc.fields([
                    ("Name", child.name.clone()),
                    ("Date of birth", long_or(child.date_of_birth, "Not known")),
                    ("Date of death (if applicable)", long_or(child.date_of_death, "")),
                    ("Gender", child.gender.clone().unwrap_or_default()),
                    ("Ethnicity", child.ethnicity.clone().unwrap_or_default()),
                    ("Known health needs including disability", child.needs.clone().unwrap_or_default()),
                ]);
            }
            if let Some(household) = r.household.as_ref().filter(|h| !h.is_empty()) {
                doc = doc.subheading("Other family and household members").table(
                    &["Name", "Relationship to child", "Age or date of birth"],
                    household.iter().map(|h| vec![h.name.clone().unwrap_or_default(), h.relationship.clone(), h.age_or_date_of_birth.clone().unwrap_or_default()]).collect(),
                );
            }
        }
        None => doc = doc.note("The child's details are left out: this copy was made by someone who may not read personal data."),
    }
    let w = r.write_up.clone();
    let section = |doc: Document, question: &str, answer: Option<&str>| match answer {
        Some(a) => doc.subheading(question).paragraph(a),
        None => doc,
    };
    doc = section(doc, "Any additional information of note", w.as_ref().map(|w| w.additional_information.as_str()));
    doc = section(doc, "Summary of serious incident and relevant context", w.as_ref().map(|w| w.summary_and_context.as_str()));
    doc = doc.heading("Supporting information").table(
        &["Agency", "Submitted chronology or similar", "Represented at rapid review"],
        r.agencies.iter().map(|a| vec![a.agency.clone(), yes_no(a.submitted), yes_no(a.represented)]).collect(),
    );
    doc = section(doc, "Any information not gathered or included at the time of the rapid review meeting", w.as_ref().map(|w| w.information_not_gathered.as_str()));
    doc = section(doc, "Immediate safeguarding arrangements of any children involved", w.as_ref().map(|w| w.immediate_safeguarding.as_str()));
    doc = doc.heading("Consideration of the serious incident");
    if w.is_none() {
        doc = doc.note("The write-up is left out: it describes the child, and this copy was made by someone who may not read personal data.");
    }
    for (question, answer) in [
        ("The child's lived experience and how their voice can be heard in the review", w.as_ref().map(|w| w.lived_experience.as_str())),
        ("How were the race, culture, faith and ethnicity of the child and family considered by practitioners, and did cultural consideration affect practice?", w.as_ref().map(|w| w.race_culture_faith.as_str())),
        ("How did any disability, physical or mental health issues and identity issues affect the child's lived experience?", w.as_ref().map(|w| w.disability_and_health.as_str())),
        ("What are the issues and learning identifiable?", w.as_ref().map(|w| w.issues_and_learning.as_str())),
        ("Are there examples of good practice?", w.as_ref().map(|w| w.good_practice.as_str())),
        ("Are there any relevant local or national reviews that relate to the potential learning in this case?", w.as_ref().map(|w| w.context_and_related_reviews.as_str())),
    ] {
        doc = section(doc, question, answer);
    }
    doc = doc.heading("Decision making");
    match &r.outcome {
        Some(o) => {
            let f = &o.findings;
            let criteria = f.improvements_needed || f.recurrent_themes || f.agencies_working_together_concerns || f.panel_suggests_local_review;
            doc = doc.fields([
                ("Are the criteria for a child safeguarding practice review met?".to_string(), yes_no(criteria)),
                ("Does the partnership consider there is additional learning, beyond existing local and national reviews?".into(), yes_no(f.additional_learning)),
                ("Is a local child safeguarding practice review (CSPR) recommended?".into(), yes_no(o.lcspr)),
                ("The partners' decision".into(), format!("{} ({})", o.option_label, long(o.decided_on))),
                ("What is the rationale for this decision?".into(), o.rationale.clone()),
                ("How did racism, inequality and protected characteristics affect the child's experience and the professionals' response?".into(), o.equality_and_racism.clone()),
                ("If a CSPR is indicated, what are the key lines of enquiry?".into(), o.key_lines_of_enquiry.join("\n")),
                (
                    "Is a national child safeguarding practice review recommended?".into(),
                    w.as_ref().and_then(|w| w.national_review_recommended).map_or_else(|| "Not recorded".to_string(), yes_no),
                ),
            ]);
        }
        None => doc = doc.paragraph("The partners have not recorded their decision yet."),
    }
    doc = section(doc, "Is any other form of review indicated, including where a CSPR is not recommended?", w.as_ref().map(|w| w.other_review.as_str()));
    doc = section(doc, "Is there any learning identified by this rapid review and how will it be shared?", w.as_ref().map(|w| w.learning_and_sharing.as_str()));
    doc.heading("Sign-off by the safeguarding partners").table(
        &["Partner", "Signed by", "Date"],
        r.signoffs.iter().map(|s| vec![s.partner.clone(), s.name.clone().unwrap_or_else(|| "Awaiting".into()), long_or(s.signed_on, "")]).collect(),
    )
}

/// Terms of reference of an LCSPR. Written to be shared with the reviewer and
/// published with the report: the review is named by its pseudonym only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsOfReferenceDocument {
    pub partnership: String,
    pub pseudonym: String,
    pub decided_on: Option<NaiveDate>,
    pub publish_by: Option<NaiveDate>,
    pub reviewer: Option<String>,
    pub methodology: Option<String>,
    pub terms: TermsOfReference,
    /// Agency names (the terms hold ids).
    pub agencies: Vec<String>,
    pub key_lines_of_enquiry: Vec<String>,
}

pub fn terms_of_reference(t: &TermsOfReferenceDocument) -> Document {
    let period = match (t.terms.period_from, t.terms.period_to) {
        (Some(a), Some(b)) => format!("{} to {}", long(a), long(b)),
        _ => "To be agreed".into(),
    };
    let mut doc = Document::new(format!("Local child safeguarding practice review: {} – terms of reference", t.pseudonym))
        .fields([
            ("Partnership", t.partnership.clone()),
            ("Review", t.pseudonym.clone()),
            ("Decision to review", long_or(t.decided_on, "Not recorded")),
            ("Publication due by (6 months from the decision)", long_or(t.publish_by, "Not set")),
            ("Lead reviewer", t.reviewer.clone().unwrap_or_else(|| "To be commissioned".into())),
            ("Methodology", t.methodology.clone().unwrap_or_else(|| "To be agreed".into())),
            ("Period under review", period),
        ])
        .heading("Key lines of enquiry");
    if t.key_lines_of_enquiry.len() > domain::review::KLOE_ADVISED_MAX {
        doc = doc.note("The national panel advises no more than 3 or 4 key lines of enquiry.");
    }
    doc = doc.table(&["", "Line of enquiry"], t.key_lines_of_enquiry.iter().enumerate().map(|(i, l)| vec![(i + 1).to_string(), l.clone()]).collect());
    doc.heading("Agencies taking part")
        .paragraph(if t.agencies.is_empty() { String::new() } else { t.agencies.join("\n") })
        .heading("Parallel processes")
        .paragraph(t.terms.parallel_processes.clone().unwrap_or_default())
        .heading("Family involvement")
        .paragraph(t.terms.family_involvement.clone().unwrap_or_default())
        .heading("Timetable")
        .paragraph(t.terms.timetable.clone().unwrap_or_default())
}

/// The letter inviting a family member to take part (KRSCP appendix 4).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyLetter {
    pub partnership: String,
    pub date: NaiveDate,
    /// Personal data: `None` leaves "Dear [name]" for the writer to complete.
    pub addressee: Option<String>,
    /// What the review concerns, in the family's words if they chose the pseudonym.
    pub about: String,
    pub reviewer: Option<String>,
    /// How to arrange a meeting: a named contact at the partnership.
    pub contact: String,
    pub signatory: String,
}

pub fn family_letter(l: &FamilyLetter) -> Document {
    Document::new("Confidential: Local Child Safeguarding Practice Review")
        .paragraph(long(l.date))
        .paragraph(format!("Dear {},", l.addressee.clone().unwrap_or_else(|| "[name]".into())))
        .paragraph(format!("{} helps protect children from harm.", l.partnership))
        .paragraph("When children are seriously harmed, we collect and share information to understand what happened. The information we collect helps us to learn how to protect children better. This process is known as a child safeguarding practice review.")
        .paragraph(format!("We are holding a child safeguarding practice review regarding {}.", l.about))
        .paragraph(format!("{} has been chosen to lead this review.", l.reviewer.clone().unwrap_or_else(|| "An independent reviewer".into())))
        .paragraph(format!(
            "I would like to invite you to talk to me about your experiences, if you would like to. We could meet in person or virtually. You are welcome to have anyone present that you feel would be helpful to support you. If you would like to meet with me, we can make a plan to do this through {}.",
            l.contact
        ))
        .paragraph("When the review is complete there will be a report which will be published. This report is published so people can read and learn from it. The report will not identify you or others involved. We will share its contents with you before it is published.")
        .paragraph("All the information shared with this review will be kept confidential and safe and we will only use it to assist our work in protecting children. There is a privacy notice with this letter that has more information about how we use information.")
        .paragraph("Yours sincerely,")
        .paragraph(l.signatory.clone())
}

/// The notification to the Child Safeguarding Practice Review Panel, as an
/// email cover note. The child's details go through the panel's secure form,
/// never in an email.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelNotification {
    pub reference: String,
    pub partnership: String,
    pub incident_on: NaiveDate,
    pub aware_on: NaiveDate,
    pub notify_by: Option<NaiveDate>,
    pub notified_on: NaiveDate,
    pub national_reference: Option<String>,
    pub rapid_review_due: Option<NaiveDate>,
}

pub fn panel_notification(n: &PanelNotification) -> Document {
    let on_time = n.notify_by.is_none_or(|by| n.notified_on <= by);
    let mut doc = Document::new(format!("Serious child safeguarding incident notification: {}", n.reference)).fields([
        ("Partnership", n.partnership.clone()),
        ("Our reference", n.reference.clone()),
        ("National notification reference", n.national_reference.clone().unwrap_or_else(|| "Not yet issued".into())),
        ("Date of the incident", long(n.incident_on)),
        ("Date the local authority became aware", long(n.aware_on)),
        ("Date of this notification", long(n.notified_on)),
        ("Rapid review to be submitted by", long_or(n.rapid_review_due, "15 working days from this notification")),
    ]);
    if !on_time {
        doc = doc.note(format!(
            "This notification is later than 5 working days after the local authority became aware ({}). The reasons are given below.",
            long_or(n.notify_by, "")
        ));
    }
    doc.paragraph("The safeguarding partners notify the Child Safeguarding Practice Review Panel of this serious child safeguarding incident. The child's details have been submitted through the panel's secure notification form; they are not included in this message.")
        .paragraph(format!("A rapid review will be held and submitted to the panel. Please quote our reference {} in any reply.", n.reference))
}

/// The notice to the national panel, Ofsted and DfE that a review will be
/// published. For publication: the pseudonym only, by construction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationNotice {
    pub partnership: String,
    pub pseudonym: String,
    pub decided_on: NaiveDate,
    pub planned_publication_on: NaiveDate,
    pub notice_on: NaiveDate,
    /// 7 working days before the planned date.
    pub notice_due_by: NaiveDate,
}

pub fn publication_notice(p: &PublicationNotice) -> Document {
    let limit = domain::calendar::add_months(p.decided_on, 6);
    let within = limit.is_none_or(|l| p.planned_publication_on <= l);
    let mut doc = Document::new(format!("Publication notice: local child safeguarding practice review {}", p.pseudonym)).fields([
        ("To", "Child Safeguarding Practice Review Panel; Ofsted; Department for Education".to_string()),
        ("From", p.partnership.clone()),
        ("Review", p.pseudonym.clone()),
        ("Decision to review", long(p.decided_on)),
        ("Planned publication", long(p.planned_publication_on)),
        ("Six months from the decision", long_or(limit, "")),
        ("Date of this notice", long(p.notice_on)),
    ]);
    if p.notice_on > p.notice_due_by {
        doc = doc.note(format!("This notice is later than 7 working days before publication (due by {}).", long(p.notice_due_by)));
    }
    if !within {
        doc = doc.note("Publication is planned more than 6 months after the decision to review. The reasons for the delay are reported to the national panel and the Secretary of State.");
    }
    doc.paragraph(format!(
        "{} intends to publish the local child safeguarding practice review {} on {}. The final report is enclosed, at least 7 working days before publication, as Working Together to Safeguard Children requires.",
        p.partnership,
        p.pseudonym,
        long(p.planned_publication_on)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn docx_xml(doc: &Document) -> String {
        let bytes = doc.to_docx().unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a .docx is a zip");
        let mut xml = String::new();
        zip.by_name("word/document.xml").expect("word/document.xml").read_to_string(&mut xml).unwrap();
        xml
    }

    fn report(children: Option<Vec<ChildDetails>>, write_up: Option<WriteUp>) -> RapidReviewReport {
        RapidReviewReport {
            reference: "KRSCP-2026-0007".into(),
            partnership: "KRSCP".into(),
            meeting_on: Some(day(2026, 11, 20)),
            meeting_time: Some("10:00".into()),
            meeting_location: Some("Guildhall".into()),
            children,
            household: None,
            write_up,
            agencies: vec![AgencyReturn { agency: "Metropolitan Police Service".into(), submitted: true, represented: false }],
            outcome: Some(RapidReviewOutcome {
                option_label: "Local child safeguarding practice review".into(),
                lcspr: true,
                rationale: "Learning about information sharing".into(),
                equality_and_racism: "Language barriers".into(),
                key_lines_of_enquiry: vec!["Information sharing".into()],
                findings: RapidReviewFindings { improvements_needed: true, ..Default::default() },
                decided_on: day(2026, 11, 20),
            }),
            signoffs: vec![SignOffLine { partner: "Police".into(), name: Some("Lee Leadership".into()), signed_on: Some(day(2026, 11, 23)) }],
        }
    }

    #[test]
    fn the_rapid_review_report_carries_the_case_in_html_and_in_word() {
        let child = ChildDetails { name: "Zebedee Quillfeather".into(), date_of_birth: Some(day(2019, 3, 14)), ..Default::default() };
        let write_up = WriteUp { lived_experience: "Rarely seen alone".into(), ..Default::default() };
        let doc = rapid_review_report(&report(Some(vec![child]), Some(write_up)));
        let html = doc.to_html();
        for expected in ["KRSCP-2026-0007", "Zebedee Quillfeather", "14 March 2019", "Rarely seen alone", "Metropolitan Police Service", "Learning about information sharing", "Lee Leadership"] {
            assert!(html.contains(expected), "html lacks {expected}");
        }
        let xml = docx_xml(&doc);
        for expected in ["KRSCP-2026-0007", "Zebedee Quillfeather", "Rarely seen alone", "Lee Leadership", "Heading2"] {
            assert!(xml.contains(expected), "docx lacks {expected}");
        }
        assert!(xml.contains("<w:tbl>"), "tables are real Word tables");
    }

    #[test]
    fn without_personal_data_the_report_says_so_and_holds_none() {
        let doc = rapid_review_report(&report(None, None));
        let text = doc.plain_text();
        assert!(!text.contains("Zebedee"));
        assert!(text.contains("left out"));
        assert!(text.contains("Metropolitan Police Service"), "the agency table is not personal data");
    }

    #[test]
    fn every_value_is_escaped_in_html() {
        let mut r = report(None, None);
        r.partnership = "<script>alert(1)</script> & co".into();
        let html = rapid_review_report(&r).to_html();
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    }

    #[test]
    fn terms_of_reference_advise_on_more_than_four_lines() {
        let t = TermsOfReferenceDocument {
            partnership: "KRSCP".into(),
            pseudonym: "Child Q".into(),
            key_lines_of_enquiry: (1..=5).map(|i| format!("Line {i}")).collect(),
            terms: TermsOfReference { period_from: Some(day(2025, 1, 1)), period_to: Some(day(2026, 10, 1)), ..Default::default() },
            ..Default::default()
        };
        let doc = terms_of_reference(&t);
        assert!(doc.plain_text().contains("no more than 3 or 4"));
        assert!(doc.plain_text().contains("1 January 2025 to 1 October 2026"));
        assert!(docx_xml(&doc).contains("Child Q"));
    }

    #[test]
    fn the_family_letter_follows_appendix_four() {
        let letter = FamilyLetter {
            partnership: "Kingston & Richmond Safeguarding Children Partnership".into(),
            date: day(2026, 11, 24),
            addressee: None,
            about: "Child Q".into(),
            reviewer: Some("Robin Reviewer".into()),
            contact: "the partnership team on 020 0000 0000".into(),
            signatory: "Robin Reviewer, lead reviewer".into(),
        };
        let text = family_letter(&letter).plain_text();
        assert!(text.contains("Dear [name],"));
        assert!(text.contains("The report will not identify you"));
        assert!(text.contains("Robin Reviewer has been chosen to lead this review."));
    }

    #[test]
    fn the_publication_notice_flags_lateness_and_the_six_month_limit() {
        let notice = PublicationNotice {
            partnership: "KRSCP".into(),
            pseudonym: "Child Q".into(),
            decided_on: day(2026, 1, 5),
            planned_publication_on: day(2026, 8, 1),
            notice_on: day(2026, 7, 30),
            notice_due_by: day(2026, 7, 22),
        };
        let text = publication_notice(&notice).plain_text();
        assert!(text.contains("later than 7 working days before publication"));
        assert!(text.contains("more than 6 months after the decision"));
        let ok = PublicationNotice { planned_publication_on: day(2026, 7, 1), notice_on: day(2026, 6, 1), notice_due_by: day(2026, 6, 19), ..notice };
        assert!(!publication_notice(&ok).plain_text().contains("later than"));
    }

    #[test]
    fn a_late_panel_notification_says_so() {
        let n = PanelNotification {
            reference: "KRSCP-2026-0007".into(),
            partnership: "KRSCP".into(),
            incident_on: day(2026, 11, 2),
            aware_on: day(2026, 11, 3),
            notify_by: Some(day(2026, 11, 10)),
            notified_on: day(2026, 11, 12),
            national_reference: None,
            rapid_review_due: None,
        };
        let text = panel_notification(&n).plain_text();
        assert!(text.contains("later than 5 working days"));
        assert!(text.contains("not included in this message"));
    }
}
