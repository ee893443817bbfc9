//! The Serious Incident Notification: any agency, phone first.
//!
//! Answers are checked in the browser with the same domain rules the API
//! applies, kept as a draft in the tab, and sent with an idempotency key so a
//! retry after a dropped connection can never create a second case.

use domain::FieldErrors;
use domain::date_input::DateParts;
use domain::referral::{ChildInput, LegalStatus, ReferralInput, fields};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::api::{self, ApiFailure};
use crate::components::checkboxes::Checkboxes;
use crate::components::date_input::DateInput;
use crate::components::error_summary::ErrorSummary;
use crate::components::text_field::{TextArea, TextInput};
use crate::draft::ReferralDraft;
use crate::session::Session;

const CHILD_DOB: &str = "children[0].date_of_birth";
const DATE_FIELDS: &[&str] = &[CHILD_DOB, fields::INCIDENT_DATE, fields::AWARE_ON];
/// The order questions appear in, so the error summary reads top to bottom.
const FORM_ORDER: &[&str] = &[
    "referrer_name",
    fields::REFERRER_AGENCY,
    "referrer_role",
    "referrer_contact",
    "children",
    "children[0].name",
    CHILD_DOB,
    "children[0].nhs_number",
    fields::INCIDENT_DATE,
    "incident_time",
    "incident_place",
    "incident_borough",
    fields::AWARE_ON,
    fields::SUMMARY,
    "immediate_safeguarding",
];

fn today_on_this_device() -> chrono::NaiveDate {
    let now = js_sys::Date::new_0();
    chrono::NaiveDate::from_ymd_opt(now.get_full_year() as i32, now.get_month() + 1, now.get_date())
        .unwrap_or_default()
}

/// The three date boxes as the API's ISO date, or the GOV.UK message for what is wrong with them.
fn iso_date(parts: &DateParts, field: &str, label: &str, errors: &mut FieldErrors) -> Option<String> {
    if parts.is_blank() {
        return None;
    }
    match parts.parse() {
        Ok(date) => Some(date.to_string()),
        Err(problem) => {
            errors.push(field, problem.message(label));
            None
        }
    }
}

fn some(text: &str) -> Option<String> {
    Some(text.to_string()).filter(|t| !t.trim().is_empty())
}

/// Problems with the date boxes themselves come first; then the referral's own rules, in form order.
fn check(draft: &ReferralDraft) -> Result<ReferralInput, FieldErrors> {
    let mut box_errors = FieldErrors::default();
    let input = ReferralInput {
        referrer_name: some(&draft.referrer_name),
        referrer_agency: some(&draft.referrer_agency),
        referrer_role: some(&draft.referrer_role),
        referrer_contact: some(&draft.referrer_contact),
        incident_date: iso_date(&draft.incident_date, fields::INCIDENT_DATE, "date of the incident", &mut box_errors),
        incident_time: some(&draft.incident_time),
        incident_place: some(&draft.incident_place),
        incident_borough: some(&draft.incident_borough),
        aware_on: iso_date(&draft.aware_on, fields::AWARE_ON, "date your agency became aware", &mut box_errors),
        summary: some(&draft.summary),
        immediate_safeguarding: some(&draft.immediate_safeguarding),
        agencies_involved: Vec::new(),
        children: vec![ChildInput {
            name: some(&draft.child_name),
            date_of_birth: iso_date(&draft.child_date_of_birth, CHILD_DOB, "child's date of birth", &mut box_errors),
            nhs_number: some(&draft.child_nhs_number),
            legal_status: draft.child_legal_status.clone(),
            ..Default::default()
        }],
        parents: Vec::new(),
        household: Vec::new(),
    };
    let rule_errors = match input.parse(today_on_this_device()) {
        Ok(_) if box_errors.is_empty() => return Ok(input),
        Ok(_) => FieldErrors::default(),
        Err(errors) => errors,
    };
    let mut all = FieldErrors::default();
    for field in FORM_ORDER {
        if let Some(message) = box_errors.for_field(field).or_else(|| rule_errors.for_field(field)) {
            all.push(field, message);
        }
    }
    for other in rule_errors.0.iter().filter(|e| !FORM_ORDER.contains(&e.field.as_str())) {
        all.push(&other.field, other.message.clone());
    }
    Err(all)
}

#[component]
pub fn ReferralFormPage() -> impl IntoView {
    let mut draft = ReferralDraft::load_or_new();
    // Start from what we know of the person signed in; they can change it.
    if let Some(who) = Session::get().user() {
        if draft.referrer_name.is_empty() {
            draft.referrer_name = who.name.clone();
        }
        if draft.referrer_agency.is_empty() {
            draft.referrer_agency = who.agency_name.clone().unwrap_or_default();
        }
        if draft.referrer_contact.is_empty() {
            draft.referrer_contact = who.email.clone();
        }
    }
    let idempotency_key = draft.idempotency_key.clone();
    let referrer_name = RwSignal::new(draft.referrer_name);
    let agency = RwSignal::new(draft.referrer_agency);
    let referrer_role = RwSignal::new(draft.referrer_role);
    let referrer_contact = RwSignal::new(draft.referrer_contact);
    let child_name = RwSignal::new(draft.child_name);
    let child_dob = RwSignal::new(draft.child_date_of_birth);
    let child_nhs = RwSignal::new(draft.child_nhs_number);
    let child_status = RwSignal::new(draft.child_legal_status);
    let incident_date = RwSignal::new(draft.incident_date);
    let incident_time = RwSignal::new(draft.incident_time);
    let incident_place = RwSignal::new(draft.incident_place);
    let incident_borough = RwSignal::new(draft.incident_borough);
    let aware_on = RwSignal::new(draft.aware_on);
    let summary = RwSignal::new(draft.summary);
    let safeguarding = RwSignal::new(draft.immediate_safeguarding);
    let errors = RwSignal::new(Vec::new());
    let failure = RwSignal::new(None::<ApiFailure>);

    let current = move || ReferralDraft {
        referrer_name: referrer_name.get(),
        referrer_agency: agency.get(),
        referrer_role: referrer_role.get(),
        referrer_contact: referrer_contact.get(),
        child_name: child_name.get(),
        child_date_of_birth: child_dob.get(),
        child_nhs_number: child_nhs.get(),
        child_legal_status: child_status.get(),
        incident_date: incident_date.get(),
        incident_time: incident_time.get(),
        incident_place: incident_place.get(),
        incident_borough: incident_borough.get(),
        aware_on: aware_on.get(),
        summary: summary.get(),
        immediate_safeguarding: safeguarding.get(),
        idempotency_key: idempotency_key.clone(),
    };
    let current = StoredValue::new(current);
    Effect::new(move |_| current.with_value(|f| f()).save());

    let submit = Action::new_local(|(input, key): &(ReferralInput, String)| {
        let (input, key) = (input.clone(), key.clone());
        async move { api::submit_referral(input, key).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(receipt)) => {
            ReferralDraft::discard();
            navigate(&format!("/referrals/received/{}", receipt.reference), Default::default());
        }
        Some(Err(ApiFailure::Rejected(rejection))) if !rejection.fields.is_empty() => errors.set(rejection.fields),
        Some(Err(other)) => failure.set(Some(other)),
        None => {}
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let draft = current.with_value(|f| f());
        match check(&draft) {
            Ok(input) => {
                errors.set(Vec::new());
                submit.dispatch_local((input, draft.idempotency_key));
            }
            Err(found) => errors.set(found.0),
        }
    };

    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            errors.with(|list: &Vec<domain::FieldError>| {
                list.iter().find(|e| e.field == field).map(|e| e.message.clone())
            })
        })
    };
    let pending = submit.pending();
    let legal_status_options: Vec<(&'static str, &'static str)> =
        LegalStatus::ALL.into_iter().map(|s| (s.as_str(), s.label())).collect();

    view! {
        <div class="grid-row">
            <div class="grid-column-two-thirds">
                <ErrorSummary errors=errors date_fields=DATE_FIELDS/>
                <span class="caption-l">"Serious incident notification"</span>
                <h1 class="heading-l">"Tell us about a serious incident"</h1>
                <p>"Tell us within 24 hours of your agency becoming aware. Questions are required unless they say optional."</p>
                {move || failure.get().map(|f| view! {
                    <div class="notification notification--error" role="alert">
                        <h2 class="heading-s">"We could not confirm that your referral was received"</h2>
                        <p>{f.message()}</p>
                        <p>"Your answers are kept on this device. Send again when you are connected: it is safe, and will never create a second referral."</p>
                    </div>
                })}
                <form novalidate on:submit=on_submit>
                    <h2 class="heading-m">"About you"</h2>
                    <TextInput id="referrer_name" label="Your name" value=referrer_name error=error_for("referrer_name") autocomplete="name"/>
                    <TextInput id=fields::REFERRER_AGENCY label="Your agency"
                        hint="For example, Kingston Hospital or Richmond Children's Services"
                        value=agency error=error_for(fields::REFERRER_AGENCY) autocomplete="organization"/>
                    <TextInput id="referrer_role" label="Your role" value=referrer_role error=error_for("referrer_role") autocomplete="organization-title"/>
                    <TextInput id="referrer_contact" label="Telephone number or email address" hint="So the partnership team can contact you"
                        value=referrer_contact error=error_for("referrer_contact")/>

                    <hr class="section-break"/>
                    <h2 class="heading-m">"The child"</h2>
                    {move || error_for("children").get().map(|m| view! { <p class="error-message" id="children">{m}</p> })}
                    <TextInput id="children[0].name" label="Child's full name" value=child_name error=error_for("children[0].name") autocomplete="off"/>
                    <DateInput id=CHILD_DOB legend="Child's date of birth (optional)" hint="For example, 14 3 2019"
                        value=child_dob error=error_for(CHILD_DOB)/>
                    <TextInput id="children[0].nhs_number" label="NHS number (optional)" hint="10 digits, for example 943 476 5919"
                        value=child_nhs error=error_for("children[0].nhs_number") width="input--width-10" autocomplete="off"/>
                    <Checkboxes id="children[0].legal_status" legend="Child's legal status (optional)" hint="Select all that apply"
                        options=legal_status_options chosen=child_status/>

                    <hr class="section-break"/>
                    <h2 class="heading-m">"The incident"</h2>
                    <DateInput id=fields::INCIDENT_DATE legend="When did the incident happen?"
                        hint="For example, 27 3 2026" value=incident_date error=error_for(fields::INCIDENT_DATE)/>
                    <TextInput id="incident_time" label="Time of the incident (optional)" hint="24-hour clock, for example 21:40"
                        value=incident_time error=error_for("incident_time") width="input--width-5"/>
                    <TextInput id="incident_place" label="Where did it happen?" hint="For example, family home or school"
                        value=incident_place error=error_for("incident_place")/>
                    <TextInput id="incident_borough" label="Borough (optional)" value=incident_borough error=error_for("incident_borough")/>
                    <DateInput id=fields::AWARE_ON legend="When did your agency become aware of it?"
                        hint="The statutory timescales start from this date" value=aware_on error=error_for(fields::AWARE_ON)/>
                    <TextArea id=fields::SUMMARY label="What happened?"
                        hint="Describe the incident and what is known so far."
                        value=summary error=error_for(fields::SUMMARY)/>
                    <TextArea id="immediate_safeguarding" label="Immediate safeguarding arrangements"
                        hint="For this child and any other children, for example siblings"
                        value=safeguarding error=error_for("immediate_safeguarding") rows=4/>
                    <button type="submit" class="button" disabled=move || pending.get() aria-disabled=move || pending.get().to_string()>
                        {move || if pending.get() { "Sending…" } else { "Send referral" }}
                    </button>
                    <p class="visually-hidden" role="status" aria-live="polite">
                        {move || if pending.get() { "Sending your referral" } else { "" }}
                    </p>
                </form>
            </div>
        </div>
    }
}

#[component]
pub fn ReferralReceivedPage() -> impl IntoView {
    let params = use_params_map();
    let reference = move || params.read().get("reference").unwrap_or_default();
    view! {
        <div class="grid-row">
            <div class="grid-column-two-thirds">
                <div class="panel panel--confirmation">
                    <h1 class="panel__title">"Referral received"</h1>
                    <div class="panel__body">"Your reference is"<br/><strong class="case-reference">{reference}</strong></div>
                </div>
                <h2 class="heading-m">"What happens next"</h2>
                <p>"The partnership team will consider whether the incident must be notified to the national Child Safeguarding Practice Review Panel. They may contact you for more information."</p>
                <p>"Quote your reference in any message about this incident. Do not send personal details by email."</p>
                <p><A href="/referrals/new">"Refer another incident"</A></p>
            </div>
        </div>
    }
}
