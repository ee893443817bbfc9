//! The Serious Incident Notification: any agency, phone first, one topic per
//! page (you, the child or children, the incident), then "check your answers".
//!
//! Answers are checked in the browser with the same domain rules the API
//! applies, kept as a draft in the tab (a reload or a dropped connection loses
//! nothing), and sent with an idempotency key so a retry can never create a
//! second case.

use domain::FieldErrors;
use domain::date_input::DateParts;
use domain::referral::{ChildInput, LegalStatus, MAX_CHILDREN, ReceivedVia, ReferralInput};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiFailure};
use crate::components::checkboxes::Checkboxes;
use crate::components::date_input::DateInput;
use crate::components::radios::Radios;
use crate::components::error_summary::ErrorSummary;
use crate::components::text_field::{TextArea, TextInput};
use crate::draft::{ChildDraft, ReferralDraft};
use crate::routes::{use_case_reference, use_referral_step};
use crate::session::Session;
use crate::ui::{long_date, today_on_this_device};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    You,
    Children,
    Incident,
    Check,
}

impl Step {
    fn parse(raw: Option<String>) -> Step {
        match raw.as_deref() {
            Some("children") => Step::Children,
            Some("incident") => Step::Incident,
            Some("check") => Step::Check,
            _ => Step::You,
        }
    }
    fn path(self) -> &'static str {
        match self {
            Step::You => "/referrals/new",
            Step::Children => "/referrals/new/children",
            Step::Incident => "/referrals/new/incident",
            Step::Check => "/referrals/new/check",
        }
    }
    fn next(self) -> Step {
        match self {
            Step::You => Step::Children,
            Step::Children => Step::Incident,
            Step::Incident | Step::Check => Step::Check,
        }
    }
    fn back(self) -> Option<Step> {
        match self {
            Step::You => None,
            Step::Children => Some(Step::You),
            Step::Incident => Some(Step::Children),
            Step::Check => Some(Step::Incident),
        }
    }
    fn number(self) -> u8 {
        match self {
            Step::You => 1,
            Step::Children => 2,
            Step::Incident => 3,
            Step::Check => 4,
        }
    }
    /// The step a field is asked on.
    fn of(field: &str) -> Step {
        if field.starts_with("referrer_") || field.starts_with("received_") {
            Step::You
        } else if field.starts_with("children") {
            Step::Children
        } else {
            Step::Incident
        }
    }
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

fn dob_field(i: usize) -> String {
    format!("children[{i}].date_of_birth")
}

/// The whole referral as the API takes it, or every problem with it: the date
/// boxes' own problems first, then the referral's rules, in the order asked.
fn check(draft: &ReferralDraft) -> Result<ReferralInput, FieldErrors> {
    let mut box_errors = FieldErrors::default();
    let children = draft
        .children
        .iter()
        .enumerate()
        .map(|(i, c)| ChildInput {
            name: some(&c.name),
            date_of_birth: iso_date(&c.date_of_birth, &dob_field(i), "child's date of birth", &mut box_errors),
            nhs_number: some(&c.nhs_number),
            legal_status: c.legal_status.clone(),
            ..Default::default()
        })
        .collect();
    let input = ReferralInput {
        referrer_name: some(&draft.referrer_name),
        referrer_agency: some(&draft.referrer_agency),
        referrer_role: some(&draft.referrer_role),
        referrer_contact: some(&draft.referrer_contact),
        incident_date: iso_date(&draft.incident_date, "incident_date", "date of the incident", &mut box_errors),
        incident_time: some(&draft.incident_time),
        incident_place: some(&draft.incident_place),
        incident_borough: some(&draft.incident_borough),
        aware_on: iso_date(&draft.aware_on, "aware_on", "date your agency became aware", &mut box_errors),
        summary: some(&draft.summary),
        immediate_safeguarding: some(&draft.immediate_safeguarding),
        agencies_involved: Vec::new(),
        children,
        parents: Vec::new(),
        household: Vec::new(),
        received_via: some(&draft.received_via).filter(|v| v != "form"),
        received_on: if draft.received_via.is_empty() || draft.received_via == "form" {
            None
        } else {
            iso_date(&draft.received_on, "received_on", "date the referral was received", &mut box_errors)
        },
    };
    let rule_errors = match input.parse(today_on_this_device()) {
        Ok(_) if box_errors.is_empty() => return Ok(input),
        Ok(_) => FieldErrors::default(),
        Err(errors) => errors,
    };
    let mut all = FieldErrors::default();
    for e in rule_errors.0.iter().filter(|e| box_errors.for_field(&e.field).is_none()).chain(box_errors.0.iter()) {
        all.push(&e.field, e.message.clone());
    }
    all.0.sort_by_key(|e| Step::of(&e.field).number());
    Err(all)
}

/// Every answer of the form as signals, written back to the draft on each change.
#[derive(Clone, Copy)]
struct Answers {
    referrer_name: RwSignal<String>,
    agency: RwSignal<String>,
    role: RwSignal<String>,
    contact: RwSignal<String>,
    children: RwSignal<Vec<ChildAnswers>>,
    incident_date: RwSignal<DateParts>,
    incident_time: RwSignal<String>,
    place: RwSignal<String>,
    borough: RwSignal<String>,
    aware_on: RwSignal<DateParts>,
    summary: RwSignal<String>,
    safeguarding: RwSignal<String>,
    received_via: RwSignal<String>,
    received_on: RwSignal<DateParts>,
    key: StoredValue<String>,
    /// Whose draft this is (their address): another person signing in here starts afresh.
    author: StoredValue<String>,
    /// The owner of the page: a child added later gets its signals from it, not
    /// from the step being shown, which is disposed when the step changes.
    owner: StoredValue<Owner>,
}

#[derive(Clone, Copy)]
struct ChildAnswers {
    name: RwSignal<String>,
    dob: RwSignal<DateParts>,
    nhs: RwSignal<String>,
    status: RwSignal<Vec<String>>,
}

impl ChildAnswers {
    fn from(c: ChildDraft) -> Self {
        ChildAnswers { name: RwSignal::new(c.name), dob: RwSignal::new(c.date_of_birth), nhs: RwSignal::new(c.nhs_number), status: RwSignal::new(c.legal_status) }
    }
    fn draft(&self) -> ChildDraft {
        ChildDraft { name: self.name.get(), date_of_birth: self.dob.get(), nhs_number: self.nhs.get(), legal_status: self.status.get() }
    }
}

impl Answers {
    fn load() -> Self {
        let author = Session::get().user().map(|who| who.email).unwrap_or_default();
        let mut d = ReferralDraft::load_or_new(&author);
        // Start from what we know of the person signed in; they can change it.
        if let Some(who) = Session::get().user() {
            if d.referrer_name.is_empty() {
                d.referrer_name = who.name.clone();
            }
            if d.referrer_agency.is_empty() {
                d.referrer_agency = who.agency_name.clone().unwrap_or_default();
            }
            if d.referrer_contact.is_empty() {
                d.referrer_contact = who.email.clone();
            }
        }
        let answers = Answers {
            referrer_name: RwSignal::new(d.referrer_name),
            agency: RwSignal::new(d.referrer_agency),
            role: RwSignal::new(d.referrer_role),
            contact: RwSignal::new(d.referrer_contact),
            children: RwSignal::new(d.children.into_iter().map(ChildAnswers::from).collect()),
            incident_date: RwSignal::new(d.incident_date),
            incident_time: RwSignal::new(d.incident_time),
            place: RwSignal::new(d.incident_place),
            borough: RwSignal::new(d.incident_borough),
            aware_on: RwSignal::new(d.aware_on),
            summary: RwSignal::new(d.summary),
            safeguarding: RwSignal::new(d.immediate_safeguarding),
            received_via: RwSignal::new(if d.received_via.is_empty() { "form".into() } else { d.received_via }),
            received_on: RwSignal::new(d.received_on),
            key: StoredValue::new(d.idempotency_key),
            author: StoredValue::new(d.author),
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
        };
        Effect::new(move |_| answers.draft().save());
        answers
    }

    fn add_child(&self) {
        if self.children.with_untracked(|c| c.len()) < MAX_CHILDREN {
            let child = self.owner.with_value(|owner| owner.with(|| ChildAnswers::from(ChildDraft::default())));
            self.children.update(|c| c.push(child));
        }
    }

    fn draft(&self) -> ReferralDraft {
        ReferralDraft {
            author: self.author.get_value(),
            referrer_name: self.referrer_name.get(),
            referrer_agency: self.agency.get(),
            referrer_role: self.role.get(),
            referrer_contact: self.contact.get(),
            children: self.children.get().iter().map(ChildAnswers::draft).collect(),
            incident_date: self.incident_date.get(),
            incident_time: self.incident_time.get(),
            incident_place: self.place.get(),
            incident_borough: self.borough.get(),
            aware_on: self.aware_on.get(),
            summary: self.summary.get(),
            immediate_safeguarding: self.safeguarding.get(),
            received_via: self.received_via.get(),
            received_on: self.received_on.get(),
            idempotency_key: self.key.get_value(),
        }
    }
}

#[component]
pub fn ReferralFormPage() -> impl IntoView {
    let step_in_address = use_referral_step();
    let step = Memo::new(move |_| Step::parse(step_in_address()));
    let answers = Answers::load();
    let errors = RwSignal::new(Vec::<domain::FieldError>::new());
    // A new page starts without the previous page's errors.
    Effect::new(move |_| {
        step.track();
        errors.set(Vec::new());
    });
    let navigate = use_navigate();
    let on_continue = move |ev: SubmitEvent| {
        ev.prevent_default();
        let here = step.get_untracked();
        let found: Vec<domain::FieldError> = match check(&answers.draft()) {
            Ok(_) => Vec::new(),
            Err(all) => all.0.into_iter().filter(|e| Step::of(&e.field) == here).collect(),
        };
        if found.is_empty() {
            errors.set(Vec::new());
            navigate(here.next().path(), Default::default());
        } else {
            errors.set(found);
        }
    };
    let error_for = move |field: String| Signal::derive(move || errors.with(|l| l.iter().find(|e| e.field == field).map(|e| e.message.clone())));
    let date_fields: &'static [&'static str] = &[
        "received_on",
        "incident_date",
        "aware_on",
        "children[0].date_of_birth",
        "children[1].date_of_birth",
        "children[2].date_of_birth",
        "children[3].date_of_birth",
    ];

    view! {
        <div class="grid-row">
            <div class="grid-column-two-thirds">
                {move || step.get().back().map(|b| view! { <A href=b.path() attr:class="back-link">"Back"</A> })}
                <ErrorSummary errors=errors date_fields=date_fields/>
                <span class="caption-l">{move || format!("Serious incident notification · step {} of 4", step.get().number())}</span>
                {move || match step.get() {
                    Step::Check => view! { <CheckAnswers answers/> }.into_any(),
                    current => view! {
                        <form novalidate on:submit=on_continue.clone()>
                            {match current {
                                Step::You => view! { <YouStep answers error_for/> }.into_any(),
                                Step::Children => view! { <ChildrenStep answers error_for errors/> }.into_any(),
                                _ => view! { <IncidentStep answers error_for/> }.into_any(),
                            }}
                            <button type="submit" class="button">"Continue"</button>
                        </form>
                    }.into_any(),
                }}
            </div>
        </div>
    }
}


#[component]
fn YouStep(answers: Answers, error_for: impl Fn(String) -> Signal<Option<String>> + 'static) -> impl IntoView {
    let e = move |f: &str| error_for(f.to_string());
    view! {
        <h1 class="heading-l">"About you"</h1>
        <p>"Tell us within 24 hours of your agency becoming aware. Questions are required unless they say optional."</p>
        <TextInput id="referrer_name" label="Your name" value=answers.referrer_name error=e("referrer_name") autocomplete="name"/>
        <TextInput id="referrer_agency" label="Your agency" hint="For example, Kingston Hospital or Richmond Children's Services"
            value=answers.agency error=e("referrer_agency") autocomplete="organization"/>
        <TextInput id="referrer_role" label="Your role" value=answers.role error=e("referrer_role") autocomplete="organization-title"/>
        <TextInput id="referrer_contact" label="Telephone number or email address" hint="So the partnership team can contact you"
            value=answers.contact error=e("referrer_contact")/>
        {enters_on_behalf().then(|| view! { <ReceivedAnotherWay answers error_for=e/> })}
    }
}

/// The partnership team may enter a referral an agency sent by email, phone or post.
fn enters_on_behalf() -> bool {
    Session::get().user().is_some_and(|u| u.grants().may(domain::access::Capability::RecordEvent))
}

#[component]
fn ReceivedAnotherWay(answers: Answers, error_for: impl Fn(&str) -> Signal<Option<String>> + 'static) -> impl IntoView {
    let options: Vec<(&'static str, &'static str)> = ReceivedVia::ALL.into_iter().map(|v| (v.as_str(), v.label())).collect();
    let another_way = move || answers.received_via.get() != "form";
    let date_error = error_for("received_on");
    view! {
        <Radios id="received_via" legend="How did this referral reach the partnership?"
            hint="If an agency sent it by email, phone or post, you can enter it for them. Its deadlines count from the day it arrived."
            options selected=answers.received_via error=error_for("received_via")/>
        <Show when=another_way>
            <DateInput id="received_on" legend="Date the referral was received" hint="For example, 27 11 2026"
                value=answers.received_on error=date_error/>
        </Show>
    }
}

#[component]
fn ChildrenStep(
    answers: Answers,
    error_for: impl Fn(String) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
    errors: RwSignal<Vec<domain::FieldError>>,
) -> impl IntoView {
    let legal_status_options: Vec<(&'static str, &'static str)> = LegalStatus::ALL.into_iter().map(|s| (s.as_str(), s.label())).collect();
    let count = move || answers.children.with(|c| c.len());
    let add = move |_| answers.add_child();
    view! {
        <h1 class="heading-l">{move || if count() == 1 { "The child" } else { "The children" }}</h1>
        <p>"One notification can concern up to 4 children, for example siblings harmed in the same incident."</p>
        {move || errors.with(|l| l.iter().find(|e| e.field == "children").map(|e| view! { <p class="error-message" id="children">{e.message.clone()}</p> }))}
        {move || answers.children.get().into_iter().enumerate().map(|(i, child)| {
            let options = legal_status_options.clone();
            let many = count() > 1;
            view! {
                <div class="child">
                    {many.then(|| view! { <h2 class="heading-m">{format!("Child {}", i + 1)}</h2> })}
                    <TextInput id=format!("children[{i}].name") label=if many { format!("Child {}: full name", i + 1) } else { "Child's full name".to_string() }
                        value=child.name error=error_for(format!("children[{i}].name")) autocomplete="off"/>
                    <DateInput id=dob_field(i) legend="Date of birth (optional)" hint="For example, 14 3 2019"
                        value=child.dob error=error_for(dob_field(i))/>
                    <TextInput id=format!("children[{i}].nhs_number") label="NHS number (optional)" hint="10 digits, for example 943 476 5919"
                        value=child.nhs error=error_for(format!("children[{i}].nhs_number")) width="input--width-10" autocomplete="off"/>
                    <Checkboxes id=format!("children[{i}].legal_status") legend="Legal status (optional)" hint="Select all that apply"
                        options chosen=child.status/>
                    {many.then(|| view! {
                        <button type="button" class="button button--secondary button--small"
                            on:click=move |_| answers.children.update(|c| { if c.len() > 1 { c.remove(i); } })>
                            {format!("Remove child {}", i + 1)}
                        </button>
                    })}
                </div>
            }
        }).collect_view()}
        <Show when=move || count() < MAX_CHILDREN>
            <button type="button" class="button button--secondary" on:click=add>"Add another child"</button>
        </Show>
    }
}

#[component]
fn IncidentStep(answers: Answers, error_for: impl Fn(String) -> Signal<Option<String>> + 'static) -> impl IntoView {
    let e = move |f: &str| error_for(f.to_string());
    view! {
        <h1 class="heading-l">"The incident"</h1>
        <DateInput id="incident_date" legend="When did the incident happen?" hint="For example, 27 3 2026"
            value=answers.incident_date error=e("incident_date")/>
        <TextInput id="incident_time" label="Time of the incident (optional)" hint="24-hour clock, for example 21:40"
            value=answers.incident_time error=e("incident_time") width="input--width-5"/>
        <TextInput id="incident_place" label="Where did it happen?" hint="For example, family home or school"
            value=answers.place error=e("incident_place")/>
        <TextInput id="incident_borough" label="Borough (optional)" value=answers.borough error=e("incident_borough")/>
        <DateInput id="aware_on" legend="When did your agency become aware of it?"
            hint="The statutory timescales start from this date" value=answers.aware_on error=e("aware_on")/>
        <TextArea id="summary" label="What happened?" hint="Describe the incident and what is known so far."
            value=answers.summary error=e("summary")/>
        <TextArea id="immediate_safeguarding" label="Immediate safeguarding arrangements"
            hint="For this child and any other children, for example siblings"
            value=answers.safeguarding error=e("immediate_safeguarding") rows=4/>
    }
}

fn row(key: String, value: String, change: Step, what: &'static str) -> impl IntoView {
    view! {
        <div class="summary-list__row summary-list__row--actions">
            <dt class="summary-list__key">{key.clone()}</dt>
            <dd class="summary-list__value">{if value.trim().is_empty() { "Not given".to_string() } else { value }}</dd>
            <dd class="summary-list__actions">
                <A href=change.path()>"Change"<span class="visually-hidden">{format!(" {what}")}</span></A>
            </dd>
        </div>
    }
}

fn date_text(parts: &DateParts) -> String {
    parts.parse().map(|d| long_date(&d.to_string())).unwrap_or_default()
}

#[component]
fn CheckAnswers(answers: Answers) -> impl IntoView {
    let errors = RwSignal::new(Vec::<domain::FieldError>::new());
    let failure = RwSignal::new(None::<ApiFailure>);
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
        let draft = answers.draft();
        match check(&draft) {
            Ok(input) => {
                errors.set(Vec::new());
                submit.dispatch_local((input, draft.idempotency_key));
            }
            Err(found) => errors.set(found.0),
        }
    };
    let pending = submit.pending();
    let d = answers.draft();
    view! {
        <h1 class="heading-l">"Check your answers before sending"</h1>
        {move || (!errors.get().is_empty()).then(|| view! {
            <div class="error-summary" role="alert" tabindex="-1">
                <h2 class="error-summary__title">"There is a problem"</h2>
                <ul class="error-summary__list">
                    {errors.get().into_iter().map(|e| view! {
                        <li><A href=Step::of(&e.field).path()>{e.message.clone()}</A></li>
                    }).collect_view()}
                </ul>
            </div>
        })}
        {move || failure.get().map(|f| view! {
            <div class="notification notification--error" role="alert">
                <h2 class="heading-s">"We could not confirm that your referral was received"</h2>
                <p>{f.message()}</p>
                <p>"Your answers are kept on this device. Send again when you are connected: it is safe, and will never create a second referral."</p>
            </div>
        })}
        <h2 class="heading-m">"About you"</h2>
        <dl class="summary-list">
            {row("Name".into(), d.referrer_name.clone(), Step::You, "your name")}
            {row("Agency".into(), d.referrer_agency.clone(), Step::You, "your agency")}
            {row("Role".into(), d.referrer_role.clone(), Step::You, "your role")}
            {row("Contact".into(), d.referrer_contact.clone(), Step::You, "how to contact you")}
            {ReceivedVia::parse(&d.received_via).filter(|v| *v != ReceivedVia::Form).map(|via| view! {
                {row("Received".into(), format!("{}, {}", via.label(), date_text(&d.received_on)), Step::You, "how and when it was received")}
            })}
        </dl>
        {d.children.iter().enumerate().map(|(i, c)| view! {
            <h2 class="heading-m">{if d.children.len() == 1 { "The child".to_string() } else { format!("Child {}", i + 1) }}</h2>
            <dl class="summary-list">
                {row("Name".into(), c.name.clone(), Step::Children, "the child's name")}
                {row("Date of birth".into(), date_text(&c.date_of_birth), Step::Children, "the date of birth")}
                {row("NHS number".into(), c.nhs_number.clone(), Step::Children, "the NHS number")}
                {row("Legal status".into(), c.legal_status.iter().filter_map(|s| LegalStatus::ALL.into_iter().find(|l| l.as_str() == s)).map(|l| l.label()).collect::<Vec<_>>().join(", "), Step::Children, "the legal status")}
            </dl>
        }).collect_view()}
        <h2 class="heading-m">"The incident"</h2>
        <dl class="summary-list">
            {row("Date".into(), date_text(&d.incident_date), Step::Incident, "the date of the incident")}
            {row("Time".into(), d.incident_time.clone(), Step::Incident, "the time")}
            {row("Where".into(), d.incident_place.clone(), Step::Incident, "where it happened")}
            {row("Borough".into(), d.incident_borough.clone(), Step::Incident, "the borough")}
            {row("Your agency became aware".into(), date_text(&d.aware_on), Step::Incident, "when your agency became aware")}
            {row("What happened".into(), d.summary.clone(), Step::Incident, "what happened")}
            {row("Immediate safeguarding".into(), d.immediate_safeguarding.clone(), Step::Incident, "the safeguarding arrangements")}
        </dl>
        <h2 class="heading-m">"Now send your referral"</h2>
        <p>"By sending it you confirm the details are correct to the best of your knowledge. The partnership team will be told at once."</p>
        <form novalidate on:submit=on_submit>
            <button type="submit" class="button" disabled=move || pending.get()>
                {move || if pending.get() { "Sending…" } else { "Send referral" }}
            </button>
            <p class="visually-hidden" role="status" aria-live="polite">{move || if pending.get() { "Sending your referral" } else { "" }}</p>
        </form>
    }
}

#[component]
pub fn ReferralReceivedPage() -> impl IntoView {
    let reference = use_case_reference();
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
