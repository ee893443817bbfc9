//! The Serious Incident Notification (referral) any agency sends when an
//! incident may meet the threshold: the fields of KRSCP appendix 1 and the
//! Kirklees form. Raw input from the form or the API is parsed here into a
//! [`Referral`], or into field errors a person can act on.
//!
//! A parsed referral splits in two: [`ReferralFacts`], which carry no one's
//! identity and are stored in clear for lists and deadlines, and
//! [`PersonalDetails`], which are sealed (encrypted) before storage.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::field_error::FieldErrors;
use crate::form_input::{optional, past_date, required, text};

/// The national notification system takes at most four children per notification.
pub const MAX_CHILDREN: usize = 4;
pub const SHORT_TEXT_MAX: usize = 200;
pub const LONG_TEXT_MAX: usize = 10_000;
pub const SUMMARY_MIN_CHARS: usize = 10;

/// Field names as the API and the form use them.
pub mod fields {
    pub const REFERRER_AGENCY: &str = "referrer_agency";
    pub const INCIDENT_DATE: &str = "incident_date";
    pub const AWARE_ON: &str = "aware_on";
    pub const SUMMARY: &str = "summary";
}

/// A referral exactly as submitted: every field optional and untrusted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReferralInput {
    pub referrer_name: Option<String>,
    pub referrer_agency: Option<String>,
    pub referrer_role: Option<String>,
    pub referrer_contact: Option<String>,
    pub aware_on: Option<String>,
    pub incident_date: Option<String>,
    pub incident_time: Option<String>,
    pub incident_place: Option<String>,
    pub incident_borough: Option<String>,
    /// What happened.
    pub summary: Option<String>,
    pub immediate_safeguarding: Option<String>,
    pub agencies_involved: Vec<String>,
    pub children: Vec<ChildInput>,
    pub parents: Vec<ParentInput>,
    pub household: Vec<HouseholdMemberInput>,
    /// For a referral the partnership team enters on an agency's behalf:
    /// `email`, `phone` or `post` (blank: this form), and the date it arrived.
    pub received_via: Option<String>,
    pub received_on: Option<String>,
}

/// How a referral reached the partnership.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceivedVia {
    /// Sent by the referrer on this form: received when sent.
    #[default]
    Form,
    Email,
    Phone,
    Post,
}

impl ReceivedVia {
    pub const ALL: [ReceivedVia; 4] = [ReceivedVia::Form, ReceivedVia::Email, ReceivedVia::Phone, ReceivedVia::Post];

    pub fn as_str(self) -> &'static str {
        match self {
            ReceivedVia::Form => "form",
            ReceivedVia::Email => "email",
            ReceivedVia::Phone => "phone",
            ReceivedVia::Post => "post",
        }
    }

    pub fn parse(raw: &str) -> Option<ReceivedVia> {
        ReceivedVia::ALL.into_iter().find(|v| v.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReceivedVia::Form => "Sent by the referrer on this form",
            ReceivedVia::Email => "By email",
            ReceivedVia::Phone => "By phone",
            ReceivedVia::Post => "By post",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChildInput {
    pub name: Option<String>,
    pub date_of_birth: Option<String>,
    pub date_of_death: Option<String>,
    pub nhs_number: Option<String>,
    pub gender: Option<String>,
    pub ethnicity: Option<String>,
    pub needs: Option<String>,
    pub address: Option<String>,
    /// Borough of residence, or the authority looking after the child.
    pub borough: Option<String>,
    pub legal_status: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ParentInput {
    pub name: Option<String>,
    pub address: Option<String>,
    pub parental_responsibility: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HouseholdMemberInput {
    pub name: Option<String>,
    pub relationship: Option<String>,
    pub age_or_date_of_birth: Option<String>,
}

/// A referral that has passed every rule: the only kind that is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    pub facts: ReferralFacts,
    pub personal: PersonalDetails,
}

/// What may be stored in clear and shown in lists: no one's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralFacts {
    pub referrer_agency: String,
    pub incident_date: NaiveDate,
    /// The date the referrer's agency became aware: the statutory clocks start here.
    pub aware_on: NaiveDate,
    pub children_count: u8,
    pub received_via: ReceivedVia,
    /// When entered on an agency's behalf, the date it arrived (else: when sent).
    pub received_on: Option<NaiveDate>,
}

/// Special category personal data: sealed before storage, shown only to roles that may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalDetails {
    pub referrer_name: String,
    pub referrer_role: String,
    pub referrer_contact: String,
    pub incident_time: Option<NaiveTime>,
    pub incident_place: String,
    pub incident_borough: Option<String>,
    pub summary: String,
    pub immediate_safeguarding: String,
    pub agencies_involved: Vec<String>,
    pub children: Vec<Child>,
    pub parents: Vec<Parent>,
    pub household: Vec<HouseholdMember>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Child {
    pub name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub date_of_death: Option<NaiveDate>,
    pub nhs_number: Option<NhsNumber>,
    pub gender: Option<String>,
    pub ethnicity: Option<String>,
    pub needs: Option<String>,
    pub address: Option<String>,
    pub borough: Option<String>,
    pub legal_status: Vec<LegalStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parent {
    pub name: String,
    pub address: Option<String>,
    pub parental_responsibility: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdMember {
    pub name: Option<String>,
    pub relationship: String,
    pub age_or_date_of_birth: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalStatus {
    LookedAfter,
    CareLeaver,
    ChildProtectionPlan,
    ChildInNeed,
}

impl LegalStatus {
    pub const ALL: [LegalStatus; 4] =
        [LegalStatus::LookedAfter, LegalStatus::CareLeaver, LegalStatus::ChildProtectionPlan, LegalStatus::ChildInNeed];

    pub fn as_str(self) -> &'static str {
        match self {
            LegalStatus::LookedAfter => "looked_after",
            LegalStatus::CareLeaver => "care_leaver",
            LegalStatus::ChildProtectionPlan => "child_protection_plan",
            LegalStatus::ChildInNeed => "child_in_need",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LegalStatus::LookedAfter => "Looked after",
            LegalStatus::CareLeaver => "Care leaver",
            LegalStatus::ChildProtectionPlan => "On a child protection plan",
            LegalStatus::ChildInNeed => "Child in need",
        }
    }
}

/// A 10-digit NHS number whose check digit is right (modulus 11).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NhsNumber(String);

impl NhsNumber {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let digits: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err("NHS number must be 10 digits, like 943 476 5919");
        }
        let d: Vec<u32> = digits.bytes().map(|b| (b - b'0') as u32).collect();
        let sum: u32 = d[..9].iter().enumerate().map(|(i, x)| x * (10 - i as u32)).sum();
        let check = match 11 - sum % 11 {
            11 => 0,
            10 => return Err("This is not a valid NHS number: check the digits"),
            c => c,
        };
        if check != d[9] {
            return Err("This is not a valid NHS number: check the digits");
        }
        Ok(NhsNumber(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for NhsNumber {
    type Error = &'static str;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        NhsNumber::parse(&value)
    }
}

impl From<NhsNumber> for String {
    fn from(value: NhsNumber) -> Self {
        value.0
    }
}

impl ReferralInput {
    /// Reads a referral from a JSON body. A value of the wrong type or an
    /// unknown field is reported against its path, e.g. `children[0].name`.
    pub fn from_json(body: &serde_json::Value) -> Result<Self, FieldErrors> {
        crate::field_error::from_json(body, "a referral")
    }

    /// Parses the input as of `today` (dates in the future are refused).
    pub fn parse(&self, today: NaiveDate) -> Result<Referral, FieldErrors> {
        let mut e = FieldErrors::default();
        let referrer_name = required(&mut e, "referrer_name", &self.referrer_name, "Enter your name", SHORT_TEXT_MAX);
        let referrer_agency =
            required(&mut e, "referrer_agency", &self.referrer_agency, "Enter the name of your agency", SHORT_TEXT_MAX);
        let referrer_role = required(&mut e, "referrer_role", &self.referrer_role, "Enter your role", SHORT_TEXT_MAX);
        let referrer_contact = required(
            &mut e,
            "referrer_contact",
            &self.referrer_contact,
            "Enter a telephone number or email address we can contact you on",
            SHORT_TEXT_MAX,
        );
        let incident_date = past_date(&mut e, "incident_date", "date of the incident", &self.incident_date, today, true);
        let aware_on = past_date(&mut e, "aware_on", "date your agency became aware", &self.aware_on, today, true);
        if let (Some(incident), Some(aware)) = (incident_date, aware_on) {
            if aware < incident {
                e.push(
                    "aware_on",
                    "The date your agency became aware must be the same as or after the date of the incident",
                );
            }
        }
        let incident_time = match text(&self.incident_time) {
            None => None,
            Some(raw) => match NaiveTime::parse_from_str(&raw, "%H:%M") {
                Ok(time) => Some(time),
                Err(_) => {
                    e.push("incident_time", "Enter the time as hours and minutes on the 24-hour clock, like 14:30");
                    None
                }
            },
        };
        let incident_place =
            required(&mut e, "incident_place", &self.incident_place, "Enter where the incident happened", SHORT_TEXT_MAX);
        let incident_borough = optional(&mut e, "incident_borough", &self.incident_borough, SHORT_TEXT_MAX);
        let summary = required(&mut e, "summary", &self.summary, "Enter what happened", LONG_TEXT_MAX);
        if let Some(s) = &summary {
            if s.chars().count() < SUMMARY_MIN_CHARS {
                e.push("summary", format!("Describe what happened in at least {SUMMARY_MIN_CHARS} characters"));
            }
        }
        let immediate_safeguarding = required(
            &mut e,
            "immediate_safeguarding",
            &self.immediate_safeguarding,
            "Enter the immediate safeguarding arrangements for this child and any other children",
            LONG_TEXT_MAX,
        );
        let agencies_involved = list(&mut e, "agencies_involved", &self.agencies_involved, 40, "agencies");
        let received_via = match text(&self.received_via) {
            None => ReceivedVia::Form,
            Some(raw) => ReceivedVia::parse(&raw).unwrap_or_else(|| {
                e.push("received_via", "Choose how the referral reached the partnership: form, email, phone or post");
                ReceivedVia::Form
            }),
        };
        let received_on = match (received_via, text(&self.received_on)) {
            (ReceivedVia::Form, None) => None,
            (ReceivedVia::Form, Some(_)) => {
                e.push("received_on", "A referral sent on this form is received when it is sent: leave the date received blank");
                None
            }
            (_, _) => past_date(&mut e, "received_on", "date the referral was received", &self.received_on, today, true),
        };
        if let (Some(received), Some(aware)) = (received_on, aware_on) {
            if received < aware {
                e.push("received_on", "The date the referral was received must be the same as or after the date the agency became aware");
            }
        }

        let children = self.parse_children(&mut e, today);
        let parents = self.parse_parents(&mut e);
        let household = self.parse_household(&mut e);

        if !e.is_empty() {
            return Err(e);
        }
        // Every Option below is Some when no error was pushed.
        let (Some(referrer_name), Some(referrer_agency), Some(referrer_role), Some(referrer_contact)) =
            (referrer_name, referrer_agency, referrer_role, referrer_contact)
        else {
            unreachable!("required referrer fields were checked")
        };
        let (Some(incident_date), Some(aware_on), Some(incident_place), Some(summary), Some(immediate_safeguarding)) =
            (incident_date, aware_on, incident_place, summary, immediate_safeguarding)
        else {
            unreachable!("required incident fields were checked")
        };
        Ok(Referral {
            facts: ReferralFacts { referrer_agency, incident_date, aware_on, children_count: children.len() as u8, received_via, received_on },
            personal: PersonalDetails {
                referrer_name,
                referrer_role,
                referrer_contact,
                incident_time,
                incident_place,
                incident_borough,
                summary,
                immediate_safeguarding,
                agencies_involved,
                children,
                parents,
                household,
            },
        })
    }

    fn parse_children(&self, e: &mut FieldErrors, today: NaiveDate) -> Vec<Child> {
        if self.children.is_empty() {
            e.push("children", "Add the details of the child");
            return Vec::new();
        }
        if self.children.len() > MAX_CHILDREN {
            e.push(
                "children",
                format!("One notification can concern up to {MAX_CHILDREN} children: send another for the others"),
            );
            return Vec::new();
        }
        let mut children = Vec::new();
        for (i, child) in self.children.iter().enumerate() {
            let at = |field: &str| format!("children[{i}].{field}");
            let name = required(e, &at("name"), &child.name, "Enter the child's name", SHORT_TEXT_MAX);
            let born = past_date(e, &at("date_of_birth"), "child's date of birth", &child.date_of_birth, today, false);
            let died = past_date(e, &at("date_of_death"), "child's date of death", &child.date_of_death, today, false);
            if let (Some(born), Some(died)) = (born, died) {
                if died < born {
                    e.push(&at("date_of_death"), "The date of death must be the same as or after the date of birth");
                }
            }
            let nhs_number = match text(&child.nhs_number) {
                None => None,
                Some(raw) => match NhsNumber::parse(&raw) {
                    Ok(n) => Some(n),
                    Err(message) => {
                        e.push(&at("nhs_number"), message);
                        None
                    }
                },
            };
            let mut legal_status = Vec::new();
            for (j, raw) in child.legal_status.iter().enumerate() {
                match LegalStatus::ALL.into_iter().find(|s| s.as_str() == raw.trim()) {
                    Some(status) if !legal_status.contains(&status) => legal_status.push(status),
                    Some(_) => {}
                    None => e.push(
                        &format!("children[{i}].legal_status[{j}]"),
                        "Choose from looked_after, care_leaver, child_protection_plan, child_in_need",
                    ),
                }
            }
            let gender = optional(e, &at("gender"), &child.gender, SHORT_TEXT_MAX);
            let ethnicity = optional(e, &at("ethnicity"), &child.ethnicity, SHORT_TEXT_MAX);
            let needs = optional(e, &at("needs"), &child.needs, LONG_TEXT_MAX);
            let address = optional(e, &at("address"), &child.address, LONG_TEXT_MAX);
            let borough = optional(e, &at("borough"), &child.borough, SHORT_TEXT_MAX);
            if let Some(name) = name {
                children.push(Child {
                    name,
                    date_of_birth: born,
                    date_of_death: died,
                    nhs_number,
                    gender,
                    ethnicity,
                    needs,
                    address,
                    borough,
                    legal_status,
                });
            }
        }
        children
    }

    fn parse_parents(&self, e: &mut FieldErrors) -> Vec<Parent> {
        if self.parents.len() > 6 {
            e.push("parents", "Add at most 6 parents or carers; put others under household members");
            return Vec::new();
        }
        let mut parents = Vec::new();
        for (i, parent) in self.parents.iter().enumerate() {
            let name = required(e, &format!("parents[{i}].name"), &parent.name, "Enter the parent's name", SHORT_TEXT_MAX);
            let address = optional(e, &format!("parents[{i}].address"), &parent.address, LONG_TEXT_MAX);
            if let Some(name) = name {
                parents.push(Parent { name, address, parental_responsibility: parent.parental_responsibility });
            }
        }
        parents
    }

    fn parse_household(&self, e: &mut FieldErrors) -> Vec<HouseholdMember> {
        if self.household.len() > 12 {
            e.push("household", "Add at most 12 household members");
            return Vec::new();
        }
        let mut household = Vec::new();
        for (i, member) in self.household.iter().enumerate() {
            let at = |field: &str| format!("household[{i}].{field}");
            let relationship = required(
                e,
                &at("relationship"),
                &member.relationship,
                "Enter how this person is related to the child",
                SHORT_TEXT_MAX,
            );
            let name = optional(e, &at("name"), &member.name, SHORT_TEXT_MAX);
            let age = optional(e, &at("age_or_date_of_birth"), &member.age_or_date_of_birth, SHORT_TEXT_MAX);
            if let Some(relationship) = relationship {
                household.push(HouseholdMember { name, relationship, age_or_date_of_birth: age });
            }
        }
        household
    }
}

fn list(e: &mut FieldErrors, field: &str, raw: &[String], max_items: usize, what: &str) -> Vec<String> {
    if raw.len() > max_items {
        e.push(field, format!("List at most {max_items} {what}"));
        return Vec::new();
    }
    let mut items = Vec::new();
    for (i, item) in raw.iter().enumerate() {
        if let Some(value) = optional(e, &format!("{field}[{i}]"), &Some(item.clone()), SHORT_TEXT_MAX) {
            if !items.contains(&value) {
                items.push(value);
            }
        }
    }
    items
}


#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    pub(crate) fn valid() -> ReferralInput {
        ReferralInput {
            referrer_name: Some("Jo Bloggs".into()),
            referrer_agency: Some("Kingston Hospital".into()),
            referrer_role: Some("Named nurse for safeguarding".into()),
            referrer_contact: Some("jo.bloggs@nhs.example".into()),
            aware_on: Some("2026-11-21".into()),
            incident_date: Some("2026-11-20".into()),
            incident_time: Some("14:30".into()),
            incident_place: Some("Family home".into()),
            incident_borough: Some("Kingston".into()),
            summary: Some("Infant admitted with unexplained head injury.".into()),
            immediate_safeguarding: Some("Sibling staying with grandparents under a safety plan.".into()),
            agencies_involved: vec!["Kingston Hospital".into(), "Metropolitan Police Service".into()],
            children: vec![ChildInput {
                name: Some("Baby A".into()),
                date_of_birth: Some("2026-07-01".into()),
                nhs_number: Some("943 476 5919".into()),
                legal_status: vec!["child_in_need".into()],
                ..Default::default()
            }],
            parents: vec![ParentInput { name: Some("Parent A".into()), parental_responsibility: Some(true), ..Default::default() }],
            household: vec![HouseholdMemberInput { relationship: Some("Sibling".into()), age_or_date_of_birth: Some("4".into()), ..Default::default() }],
            received_via: None,
            received_on: None,
        }
    }

    #[test]
    fn a_complete_referral_parses_and_splits_facts_from_personal_details() {
        let referral = valid().parse(today()).unwrap();
        assert_eq!(referral.facts.referrer_agency, "Kingston Hospital");
        assert_eq!(referral.facts.aware_on, NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
        assert_eq!(referral.facts.children_count, 1);
        assert_eq!(referral.personal.children[0].nhs_number.as_ref().unwrap().as_str(), "9434765919");
        assert_eq!(referral.personal.children[0].legal_status, vec![LegalStatus::ChildInNeed]);
        let facts = serde_json::to_string(&referral.facts).unwrap();
        assert!(!facts.contains("Baby A") && !facts.contains("head injury"));
    }

    #[test]
    fn an_empty_referral_names_every_required_field() {
        let errors = ReferralInput::default().parse(today()).unwrap_err();
        let named: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            named,
            vec![
                "referrer_name",
                "referrer_agency",
                "referrer_role",
                "referrer_contact",
                "incident_date",
                "aware_on",
                "incident_place",
                "summary",
                "immediate_safeguarding",
                "children"
            ]
        );
    }

    #[test]
    fn future_dates_and_awareness_before_the_incident_are_refused() {
        let mut input = valid();
        input.incident_date = Some("2026-11-25".into());
        let errors = input.parse(today()).unwrap_err();
        assert_eq!(errors.for_field("incident_date"), Some("The date of the incident must be today or in the past"));

        let mut input = valid();
        input.aware_on = Some("2026-11-19".into());
        let errors = input.parse(today()).unwrap_err();
        assert!(errors.for_field("aware_on").unwrap().contains("after the date of the incident"));
        assert_eq!(errors.0.len(), 1);
    }

    #[test]
    fn children_are_between_one_and_four_and_each_is_checked() {
        let mut input = valid();
        input.children = vec![ChildInput { name: Some("C".into()), ..Default::default() }; 5];
        assert!(input.parse(today()).unwrap_err().for_field("children").unwrap().contains("up to 4"));

        let mut input = valid();
        input.children.push(ChildInput {
            name: None,
            date_of_birth: Some("2026-01-01".into()),
            date_of_death: Some("2025-12-31".into()),
            nhs_number: Some("9434765918".into()),
            legal_status: vec!["orphan".into()],
            ..Default::default()
        });
        let errors = input.parse(today()).unwrap_err();
        assert_eq!(errors.for_field("children[1].name"), Some("Enter the child's name"));
        assert!(errors.for_field("children[1].date_of_death").unwrap().contains("after the date of birth"));
        assert!(errors.for_field("children[1].nhs_number").unwrap().contains("not a valid NHS number"));
        assert!(errors.for_field("children[1].legal_status[0]").is_some());
    }

    #[test]
    fn nhs_numbers_follow_modulus_11() {
        assert!(NhsNumber::parse("943 476 5919").is_ok());
        assert!(NhsNumber::parse("4857773457").is_ok());
        assert!(NhsNumber::parse("9434765918").is_err());
        assert!(NhsNumber::parse("485777345").is_err());
        assert!(NhsNumber::parse("abcdefghij").is_err());
    }

    #[test]
    fn a_referral_entered_on_an_agencys_behalf_has_its_own_received_date() {
        let mut input = valid();
        input.received_via = Some("email".into());
        let e = input.parse(today()).unwrap_err();
        assert_eq!(e.0[0].field, "received_on", "the date it arrived is needed");
        input.received_on = input.aware_on.clone();
        let facts = input.parse(today()).unwrap().facts;
        assert_eq!((facts.received_via, facts.received_on), (ReceivedVia::Email, facts.aware_on.into()));
        input.received_via = Some("pigeon".into());
        assert_eq!(input.parse(today()).unwrap_err().0[0].field, "received_via");
        input.received_via = None;
        assert_eq!(input.parse(today()).unwrap_err().0[0].field, "received_on", "the form is received when sent");
        let plain = valid().parse(today()).unwrap().facts;
        assert_eq!((plain.received_via, plain.received_on), (ReceivedVia::Form, None));
    }

    #[test]
    fn text_limits_and_times_are_checked() {
        let mut input = valid();
        input.summary = Some("short".into());
        input.incident_time = Some("2.30pm".into());
        input.referrer_name = Some("x".repeat(SHORT_TEXT_MAX + 1));
        let errors = input.parse(today()).unwrap_err();
        assert!(errors.for_field("summary").is_some());
        assert!(errors.for_field("incident_time").unwrap().contains("24-hour"));
        assert_eq!(errors.for_field("referrer_name"), Some("Must be 200 characters or fewer"));
    }

    #[test]
    fn json_of_the_wrong_shape_names_the_field() {
        let errors = ReferralInput::from_json(&serde_json::json!({"summary": 5})).unwrap_err();
        assert_eq!(errors.for_field("summary"), Some("Must be text"));
        let errors = ReferralInput::from_json(&serde_json::json!({"children": [{"name": ["x"]}]})).unwrap_err();
        assert_eq!(errors.for_field("children[0].name"), Some("Must be text"));
        let errors = ReferralInput::from_json(&serde_json::json!({"children": [{"nmae": "x"}]})).unwrap_err();
        assert_eq!(errors.for_field("children[0].nmae"), Some("This field is not part of a referral"));
        let errors = ReferralInput::from_json(&serde_json::json!({"parents": [{"parental_responsibility": "yes"}]})).unwrap_err();
        assert_eq!(errors.for_field("parents[0].parental_responsibility"), Some("Must be true or false"));
        assert!(ReferralInput::from_json(&serde_json::json!([1])).unwrap_err().for_field("body").is_some());
        let input = ReferralInput::from_json(&serde_json::json!({"summary": "abc", "children": []})).unwrap();
        assert_eq!(input.summary.as_deref(), Some("abc"));
    }

    #[test]
    fn dates_must_be_iso() {
        let mut input = valid();
        input.incident_date = Some("20/11/2026".into());
        let errors = input.parse(today()).unwrap_err();
        assert!(errors.for_field("incident_date").unwrap().contains("YYYY-MM-DD"));
    }
}
