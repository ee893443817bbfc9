//! The rapid review on the case page: the agency table (who was asked for
//! what, by when, returned or not), asking an agency, an agency lead's return
//! of their chronology, and the merged multi-agency chronology, colour-coded
//! by agency, opened on purpose (it is personal data, and audited).

use domain::access::Capability;
use domain::date_input::DateParts;
use domain::information::RequestKind;
use leptos::prelude::*;

use crate::api;
use domain::api::{ChronologyLine, InformationRequest};
use domain::form_input::choice;
use domain::information::{EntryInput, RequestInput, ReturnInput};
use domain::rapid_review::RapidReviewDecisionInput;
use crate::components::date_input::DateInput;
use crate::components::reveal::open_on_purpose;
use crate::components::text_field::{TextArea, TextInput};
use crate::session::Session;
use crate::ui::long_date;

const KINDS: [RequestKind; 5] = [
    RequestKind::Chronology,
    RequestKind::InformationGatheringTool,
    RequestKind::AgencyInvolvementSummary,
    RequestKind::Imr,
    RequestKind::FactualSummary,
];



#[component]
pub fn RapidReviewSection(reference: String) -> impl IntoView {
    let user = Session::get().user();
    let may_ask = user.as_ref().is_some_and(|u| u.grants().may(Capability::ManageInformationRequests));
    let may_answer = user.as_ref().is_some_and(|u| u.grants().may(Capability::AnswerInformationRequest));
    let may_read = user.as_ref().is_some_and(|u| u.grants().may(Capability::ReadPersonalData));
    let for_fetch = reference.clone();
    let requests = LocalResource::new(move || api::information_requests(for_fetch.clone()));
    let changed = Callback::new(move |_: ()| requests.refetch());
    view! {
        <h2 class="heading-m">"Information from agencies"</h2>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading requests…"</p> }>
            {move || {
                let reference = reference.clone();
                Suspend::new(async move {
                    match requests.await {
                        Ok(requests) => {
                            let list = requests.requests;
                            view! {
                            <AgencyTable list=list.clone()/>
                            {may_answer.then(|| list.iter().filter(|r| r.returned_on.is_none()).map(|r| view! { <ReturnForm request=r.clone() changed/> }).collect_view())}
                            {may_ask.then(|| view! { <AskForm reference=reference.clone() changed/> })}
                            {may_read.then(|| view! { <Chronology reference=reference.clone()/> })}
                        }.into_any()
                        }
                        Err(f) => view! { <p class="error-message">{f.message()}</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn AgencyTable(list: Vec<InformationRequest>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p>"No agency has been asked yet."</p> }.into_any();
    }
    view! {
        <table class="table table--stack agency-table">
            <thead><tr><th scope="col">"Agency"</th><th scope="col">"Asked for"</th><th scope="col">"Due"</th><th scope="col">"Submitted"</th></tr></thead>
            <tbody>{list.into_iter().map(|r| view! {
                <tr>
                    <th scope="row" data-label="Agency"><div>{r.agency}</div></th>
                    <td data-label="Asked for"><div>{r.kind.label()}</div></td>
                    <td data-label="Due"><div>{long_date(&r.due_on)}</div></td>
                    <td data-label="Submitted"><div>{match r.returned_on {
                        Some(on) => format!("Yes, {} ({} entries)", long_date(&on), r.entries),
                        None => "Not yet".to_string(),
                    }}</div></td>
                </tr>
            }).collect_view()}</tbody>
        </table>
    }.into_any()
}

#[component]
fn AskForm(reference: String, changed: Callback<()>) -> impl IntoView {
    let agencies = LocalResource::new(api::settings);
    let agency = RwSignal::new(String::new());
    let kind = RwSignal::new("chronology".to_string());
    let error = RwSignal::new(None::<String>);
    let send = Action::new_local(move |input: &RequestInput| api::send_information_request(reference.clone(), input.clone()));
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => {
            error.set(None);
            changed.run(());
        }
        Some(Err(f)) => error.set(Some(f.problems())),
        None => {}
    });
    view! {
        <form class="inline-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            send.dispatch_local(RequestInput { agency_id: Some(agency.get()), kind: choice(&kind.get()), due_on: None });
        }>
            <h3 class="heading-s">"Ask an agency"</h3>
            {move || error.get().map(|e| view! { <p class="error-message" role="alert">{e}</p> })}
            <div class="form-group">
                <label class="label" for="ask-agency">"Agency"</label>
                <select class="select" id="ask-agency" on:change=move |ev| agency.set(event_target_value(&ev))>
                    <option value="">"Choose an agency"</option>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            agencies.await.map(|s| s.agencies.into_iter().map(|a| view! { <option value=a.id>{a.name}</option> }).collect_view()).ok()
                        })}
                    </Suspense>
                </select>
            </div>
            <div class="form-group">
                <label class="label" for="ask-kind">"Asked for"</label>
                <select class="select" id="ask-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    {KINDS.iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                </select>
            </div>
            <p class="hint">"The due date follows the partnership's playbook."</p>
            <button type="submit" class="button button--secondary">"Send request"</button>
        </form>
    }
}

#[derive(Clone, Copy)]
struct EntryFields {
    on: RwSignal<DateParts>,
    time: RwSignal<String>,
    text: RwSignal<String>,
}

#[component]
fn ReturnForm(request: InformationRequest, changed: Callback<()>) -> impl IntoView {
    let owner = Owner::current().unwrap_or_default();
    let new_entry = move || owner.with(|| EntryFields { on: RwSignal::new(DateParts::default()), time: RwSignal::new(String::new()), text: RwSignal::new(String::new()) });
    let entries = RwSignal::new(vec![new_entry()]);
    let error = RwSignal::new(None::<String>);
    let id = request.id.clone();
    let send = Action::new_local(move |input: &ReturnInput| api::return_information(id.clone(), input.clone()));
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => changed.run(()),
        Some(Err(f)) => error.set(Some(f.problems())),
        None => {}
    });
    let prefix = format!("return-{}", request.id);
    view! {
        <form class="inline-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let entries = entries.get().iter().map(|e| EntryInput {
                occurred_on: Some(e.on.get().parse().map(|d| d.to_string()).unwrap_or_default()),
                occurred_time: Some(e.time.get()),
                entry: Some(e.text.get()),
            }).collect();
            send.dispatch_local(ReturnInput { entries });
        }>
            <h3 class="heading-s">{format!("Return: {} from {}", request.kind.label(), request.agency)}</h3>
            <p class="hint">{format!("Due by {}. Each entry is kept sealed.", long_date(&request.due_on))}</p>
            {move || error.get().map(|e| view! { <p class="error-message" role="alert">{e}</p> })}
            {move || entries.get().into_iter().enumerate().map(|(i, e)| {
                let p = format!("{prefix}-{i}");
                view! {
                    <fieldset class="fieldset chronology-entry">
                        <legend class="fieldset__legend fieldset__legend--s">{format!("Entry {}", i + 1)}</legend>
                        <DateInput id=format!("{p}-on") legend="Date" value=e.on error=Signal::derive(|| None::<String>)/>
                        <TextInput id=format!("{p}-time") label="Time (optional)" hint="24-hour clock" value=e.time error=Signal::derive(|| None::<String>) width="input--width-5"/>
                        <TextArea id=format!("{p}-text") label="What happened" value=e.text error=Signal::derive(|| None::<String>) rows=3/>
                    </fieldset>
                }
            }).collect_view()}
            <button type="button" class="button button--secondary" on:click=move |_| entries.update(|v| v.push(new_entry()))>"Add another entry"</button>
            " "
            <button type="submit" class="button">"Send the chronology"</button>
        </form>
    }
}

/// A stable colour per agency, so each agency's entries can be told apart (and named in words too).
fn colour(agency_id: &str) -> usize {
    agency_id.bytes().fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize)) % 8
}

#[component]
fn Chronology(reference: String) -> impl IntoView {
    view! {
        <h2 class="heading-m">"Multi-agency chronology"</h2>
        {open_on_purpose(
            "The merged chronology holds personal details. Opening it is recorded in the audit trail.",
            "Show the chronology",
            move || api::chronology(reference.clone()),
            |chronology: domain::api::Chronology| view! { <ChronologyTable lines=chronology.entries/> },
        )}
    }
}

#[component]
fn ChronologyTable(lines: Vec<ChronologyLine>) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p>"No agency has returned a chronology yet."</p> }.into_any();
    }
    let mut agencies: Vec<(String, String)> = lines.iter().map(|l| (l.agency_id.clone(), l.agency.clone())).collect();
    agencies.sort_by(|a, b| a.1.cmp(&b.1));
    agencies.dedup();
    // Filtered in the page: the whole chronology is already here, opened on purpose.
    let shown = RwSignal::new(String::new());
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <div class="chronology-tools no-print">
            <div class="form-group">
                <label class="label" for="chronology-agency">"Show entries from"</label>
                <select class="select" id="chronology-agency" on:change=move |ev| shown.set(event_target_value(&ev))>
                    <option value="">"Every agency"</option>
                    {agencies.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                </select>
            </div>
            <button type="button" class="button button--secondary" on:click=print>"Print the chronology"</button>
        </div>
        <table class="table table--stack chronology">
            <thead><tr><th scope="col">"When"</th><th scope="col">"Agency"</th><th scope="col">"What happened"</th></tr></thead>
            <tbody>{lines.into_iter().map(|l| {
                let agency_id = l.agency_id.clone();
                view! {
                <tr class=format!("chronology__row chronology__row--{}", colour(&l.agency_id)) hidden=move || { let s = shown.get(); !s.is_empty() && s != agency_id }>
                    <th scope="row" data-label="When"><div>{format!("{}{}", long_date(&l.occurred_on), l.occurred_time.map(|t| format!(", {t}")).unwrap_or_default())}</div></th>
                    <td data-label="Agency"><div>{l.agency}</div></td>
                    <td data-label="What happened"><div>{l.entry}</div></td>
                </tr>
            }}).collect_view()}</tbody>
        </table>
    }.into_any()
}

const FINDINGS: [(&str, &str); 14] = [
    ("improvements_needed", "The case highlights improvements needed to safeguard children"),
    ("recurrent_themes", "It highlights recurrent themes"),
    ("agencies_working_together_concerns", "Concerns about two or more agencies working together"),
    ("panel_suggests_local_review", "The national panel concluded a local review may be more appropriate"),
    ("single_agency_concern", "Concern about a single agency's actions"),
    ("no_agency_involvement_concern", "No agency involvement, and that causes concern"),
    ("more_than_one_area", "More than one local authority, police or health area involved"),
    ("institutional_setting", "An institutional setting (children's home, custody, detention)"),
    ("legislative_or_guidance_change", "It may show a need to change legislation or guidance"),
    ("educated_otherwise_than_at_school", "The child was educated otherwise than at school"),
    ("in_care_or_on_protection_plan", "In care, or on (or recently off) a child protection plan"),
    ("range_of_abuse_types", "A range of types of abuse"),
    ("additional_learning", "Learning beyond what existing reviews have found is claimed"),
    ("other_statutory_review_fits", "Another statutory review fits (DHR, SAR, child death review)"),
];

/// The partners' outcome decision: the summariser runs here as findings are ticked.
#[component]
pub fn OutcomeSection(reference: String) -> impl IntoView {
    use domain::rapid_review::{RapidReviewFindings, ReviewOption, summarise};
    let ticked = RwSignal::new(Vec::<String>::new());
    let findings = move || {
        let t = ticked.get();
        let has = |k: &str| t.iter().any(|x| x == k);
        RapidReviewFindings {
            improvements_needed: has("improvements_needed"),
            recurrent_themes: has("recurrent_themes"),
            agencies_working_together_concerns: has("agencies_working_together_concerns"),
            panel_suggests_local_review: has("panel_suggests_local_review"),
            single_agency_concern: has("single_agency_concern"),
            no_agency_involvement_concern: has("no_agency_involvement_concern"),
            more_than_one_area: has("more_than_one_area"),
            institutional_setting: has("institutional_setting"),
            legislative_or_guidance_change: has("legislative_or_guidance_change"),
            educated_otherwise_than_at_school: has("educated_otherwise_than_at_school"),
            in_care_or_on_protection_plan: has("in_care_or_on_protection_plan"),
            range_of_abuse_types: has("range_of_abuse_types"),
            additional_learning: has("additional_learning"),
            other_statutory_review_fits: has("other_statutory_review_fits"),
        }
    };
    let option = RwSignal::new(String::new());
    let rationale = RwSignal::new(String::new());
    let equality = RwSignal::new(String::new());
    let lines = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let send = Action::new_local(move |input: &RapidReviewDecisionInput| api::record_rapid_review_decision(reference.clone(), input.clone()));
    Effect::new(move |_| match send.value().get() {
        Some(Ok(recorded)) => {
            let warnings = recorded.warnings;
            outcome.set(Some(Ok(if warnings.is_empty() { "The decision is recorded.".into() } else { format!("The decision is recorded. {}", warnings.join(". ")) })));
        }
        Some(Err(f)) => outcome.set(Some(Err(f.problems()))),
        None => {}
    });
    let options: Vec<(&'static str, &'static str)> = ReviewOption::ALL.into_iter().map(|o| (o.as_str(), o.label())).collect();
    let kloe = move || lines.get().lines().map(str::trim).filter(|l| !l.is_empty()).count();
    view! {
        <h2 class="heading-m">"Rapid review outcome"</h2>
        <form class="inline-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let f = findings();
            send.dispatch_local(RapidReviewDecisionInput {
                option: choice(&option.get()),
                rationale: Some(rationale.get()),
                equality_and_racism: Some(equality.get()),
                key_lines_of_enquiry: lines.get().lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
                findings: f,
                decided_on: None,
            });
        }>
            <crate::components::checkboxes::Checkboxes id="findings" legend="What the partners found" hint="Select all that apply"
                options=FINDINGS.to_vec() chosen=ticked/>
            {move || {
                let s = summarise(&findings());
                view! {
                    <div class="inset" aria-live="polite">
                        <p><strong>"Options to consider: "</strong>{s.proposed.iter().map(|o| o.label()).collect::<Vec<_>>().join("; ")}</p>
                        {s.notes.into_iter().map(|n| view! { <p class="hint">{n}</p> }).collect_view()}
                    </div>
                }
            }}
            <crate::components::radios::Radios id="option" legend="What did the partners decide?" options selected=option/>
            <TextArea id="rr-rationale" label="Rationale" value=rationale error=Signal::derive(|| None::<String>) rows=3/>
            <TextArea id="rr-equality" label="How did racism, inequality and protected characteristics affect the child's experience and the professionals' response?"
                hint="Working Together 2023 asks every rapid review" value=equality error=Signal::derive(|| None::<String>) rows=3/>
            <TextArea id="rr-lines" label="Key lines of enquiry (one per line)" hint="Needed for an LCSPR; the national panel advises no more than 3 or 4"
                value=lines error=Signal::derive(|| None::<String>) rows=4/>
            {move || (kloe() > 4).then(|| view! { <p class="warning-text" role="status">{format!("{} lines of enquiry: the national panel advises no more than 3 or 4.", kloe())}</p> })}
            {move || outcome.get().map(|r| match r {
                Ok(m) => view! { <p class="notification" role="status">{m}</p> }.into_any(),
                Err(m) => view! { <p class="error-message" role="alert">{m}</p> }.into_any(),
            })}
            <button type="submit" class="button">"Record the outcome"</button>
        </form>
    }
}
