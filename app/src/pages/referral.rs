//! The Serious Incident Notification: any agency, phone first.
//!
//! Answers are checked in the browser with the same domain rules the API
//! applies, kept as a draft in the tab, and sent with an idempotency key so a
//! retry after a dropped connection can never create a second case.

use domain::FieldErrors;
use domain::date_input::DateParts;
use domain::referral::{ReferralInput, fields};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::api::{self, ApiFailure};
use crate::components::date_input::DateInput;
use crate::components::error_summary::ErrorSummary;
use crate::components::text_field::{TextArea, TextInput};
use crate::draft::ReferralDraft;

const DATE_FIELDS: &[&str] = &[fields::INCIDENT_DATE, fields::AWARE_ON];
const FORM_ORDER: &[&str] = &[fields::REFERRER_AGENCY, fields::INCIDENT_DATE, fields::AWARE_ON, fields::SUMMARY];

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

/// Problems with the date boxes themselves come first; then the referral's own rules, in form order.
fn check(draft: &ReferralDraft) -> Result<ReferralInput, FieldErrors> {
    let mut box_errors = FieldErrors::default();
    let input = ReferralInput {
        referrer_agency: Some(draft.referrer_agency.clone()),
        incident_date: iso_date(&draft.incident_date, fields::INCIDENT_DATE, "date of the incident", &mut box_errors),
        aware_on: iso_date(&draft.aware_on, fields::AWARE_ON, "date your agency became aware", &mut box_errors),
        summary: Some(draft.summary.clone()),
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
    Err(all)
}

#[component]
pub fn ReferralFormPage() -> impl IntoView {
    let draft = ReferralDraft::load_or_new();
    let idempotency_key = draft.idempotency_key.clone();
    let agency = RwSignal::new(draft.referrer_agency);
    let incident_date = RwSignal::new(draft.incident_date);
    let aware_on = RwSignal::new(draft.aware_on);
    let summary = RwSignal::new(draft.summary);
    let errors = RwSignal::new(Vec::new());
    let failure = RwSignal::new(None::<ApiFailure>);

    let current = move || ReferralDraft {
        referrer_agency: agency.get(),
        incident_date: incident_date.get(),
        aware_on: aware_on.get(),
        summary: summary.get(),
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

    view! {
        <div class="grid-row">
            <div class="grid-column-two-thirds">
                <ErrorSummary errors=errors date_fields=DATE_FIELDS/>
                <span class="caption-l">"Serious incident notification"</span>
                <h1 class="heading-l">"Tell us about a serious incident"</h1>
                <p>"Tell us within 24 hours of your agency becoming aware. All questions are required."</p>
                {move || failure.get().map(|f| view! {
                    <div class="notification notification--error" role="alert">
                        <h2 class="heading-s">"Your referral has not been sent"</h2>
                        <p>{f.message()}</p>
                        <p>"Your answers are kept on this device. Sending again will not create a second referral."</p>
                    </div>
                })}
                <form novalidate on:submit=on_submit>
                    <TextInput id=fields::REFERRER_AGENCY label="Your agency"
                        hint="For example, Kingston Hospital or Richmond Children's Services"
                        value=agency error=error_for(fields::REFERRER_AGENCY) autocomplete="organization"/>
                    <DateInput id=fields::INCIDENT_DATE legend="When did the incident happen?"
                        hint="For example, 27 3 2026" value=incident_date error=error_for(fields::INCIDENT_DATE)/>
                    <DateInput id=fields::AWARE_ON legend="When did your agency become aware of it?"
                        hint="The statutory timescales start from this date" value=aware_on error=error_for(fields::AWARE_ON)/>
                    <TextArea id=fields::SUMMARY label="What happened?"
                        hint="Describe the incident and the immediate safeguarding arrangements. Do not include names."
                        value=summary error=error_for(fields::SUMMARY)/>
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
