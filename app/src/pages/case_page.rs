//! One case: its facts for everyone who may see it, and the child's and
//! family's details only for roles that may, behind an explicit, audited
//! "Show personal details".

use domain::referral::PersonalDetails;
use leptos::prelude::*;
use leptos_router::components::A;

use domain::access::Capability;
use domain::date_input::DateParts;

use crate::components::date_input::DateInput;
use crate::components::meetings::MeetingsSection;
use crate::components::rapid_review::{OutcomeSection, RapidReviewSection};
use crate::components::reveal::open_on_purpose;
use crate::components::text_field::TextArea;

use crate::api;
use domain::notification::MessageStatus;
use domain::api::{CaseView, DocumentKind, DeadlineView, TimelineEvent};
use domain::deadline::{DeadlineStatus, ExtensionInput};
use domain::playbook::Event;
use domain::timeline::EventInput;
use crate::routes::use_case_reference;
use crate::session::Session;
use crate::ui::{long_date, long_date_of, long_date_or_not_known};

#[component]
pub fn CasePage() -> impl IntoView {
    let reference = use_case_reference();
    let case = LocalResource::new(move || api::read_case(reference()));
    view! {
        <A href="/cases" attr:class="back-link">"All cases"</A>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the case…"</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(view) => view! { <CaseDetails view/> }.into_any(),
                    Err(f) if f.is_not_found() => view! {
                        <h1 class="heading-l">"Case not found"</h1>
                        <p>"There is no case with this reference that you can see."</p>
                    }.into_any(),
                    Err(failure) => view! {
                        <div class="notification notification--error" role="alert"><p>{failure.message()}</p></div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn row(key: &'static str, value: String) -> impl IntoView {
    view! {
        <div class="summary-list__row">
            <dt class="summary-list__key">{key}</dt>
            <dd class="summary-list__value">{value}</dd>
        </div>
    }
}

fn or_none(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "Not recorded".into())
}

#[component]
fn CaseDetails(view: CaseView) -> impl IntoView {
    let CaseView { case, may_read_personal_details } = view;
    let may_decide = Session::get().user().is_some_and(|u| u.grants().may(Capability::RecordDecision));
    // A referrer follows the stage and dates of their referral; the working record is the partnership's.
    let may_read_record = Session::get().user().is_some_and(|u| u.grants().may(Capability::ReadCaseRecord));
    let reference = case.reference.clone();
    let themes = if case.themes.is_empty() { "None recorded".to_string() } else { case.themes.join(", ").replace('_', " ") };
    view! {
        <span class="caption-l">"Case"</span>
        <h1 class="heading-l case-reference">{case.reference.clone()}</h1>
        <p><span class="tag">{case.stage.label()}</span></p>
        <dl class="summary-list">
            {row("Referred by", case.referrer_agency.clone())}
            {row("Incident", long_date(&case.incident_date))}
            {row("Agency became aware", long_date(&case.aware_on))}
            {row("Children", case.children_count.to_string())}
            {row("National notification reference", or_none(&case.national_reference))}
            {row("StEIS reference", or_none(&case.steis_reference))}
            {row("Themes", themes)}
        </dl>
        {may_decide.then(|| view! {
            <A href=format!("/cases/{}/threshold", case.reference) attr:class="button button--secondary">"Threshold decision"</A>
        })}
        {may_read_record.then(|| view! {
            <p class="case-links">
                {case.outcome.is_some_and(|o| o.is_lcspr()).then(|| view! {
                    <A href=format!("/cases/{}/lcspr", case.reference) attr:class="button button--secondary">"LCSPR workspace"</A>" "
                })}
                <A href=format!("/cases/{}/rapid-review-report", case.reference) attr:class="button button--secondary">"Rapid review report"</A>" "
                <A href=format!("/cases/{}/actions", case.reference) attr:class="button button--secondary">"Action plan"</A>
            </p>
        })}
        <TimelineSection reference=reference.clone()/>
        {may_read_record.then(|| view! {
            <RapidReviewSection reference=reference.clone()/>
            <MeetingsSection reference=reference.clone()/>
        })}
        {may_decide.then(|| view! { <OutcomeSection reference=reference.clone()/> })}
        {may_read_record.then(|| view! {
            <DocumentsSection reference=reference.clone() lcspr=case.outcome.is_some_and(|o| o.is_lcspr())/>
            <NotificationsSection reference=reference.clone()/>
        })}
        {may_read_personal_details.then(|| view! { <PersonalDetailsPanel reference/> })}
    }
}

/// The documents the partnership sends or files, generated from the case.
#[component]
fn DocumentsSection(reference: String, lcspr: bool) -> impl IntoView {
    let user = Session::get().user();
    let may = user.as_ref().is_some_and(|u| {
        let g = u.grants();
        g.may(Capability::ManageReview) || g.may(Capability::SignOff) || g.may(Capability::SubmitReviewDraft) || g.may(Capability::RecordDecision)
    });
    if !may {
        return ().into_any();
    }
    // The terms of reference are free text about the family: for those who may read it.
    let may_read = user.as_ref().is_some_and(|u| u.grants().may(Capability::ReadPersonalData));
    let kinds = DocumentKind::ALL
        .into_iter()
        .filter(|k| lcspr || !k.is_for_a_review())
        .filter(|k| may_read || *k != DocumentKind::TermsOfReference)
        .map(|k| (k.as_str(), k.label()));
    view! {
        <h2 class="heading-m">"Documents"</h2>
        <p class="hint">"Made from the case when you open them, and recorded in the audit trail. Personal details appear only if you may read them."</p>
        <ul class="list documents">
            {kinds.into_iter().map(|(kind, label)| view! {
                <li>
                    {label}": "
                    <a class="link" href=api::document_url(&reference, &format!("{kind}.html")) target="_blank" rel="noopener">"print view"<span class="visually-hidden">{format!(" of the {}", label.to_lowercase())}</span></a>
                    " · "
                    <a class="link" href=api::document_url(&reference, &format!("{kind}.docx")) download="">"Word"<span class="visually-hidden">{format!(" file of the {}", label.to_lowercase())}</span></a>
                </li>
            }).collect_view()}
        </ul>
    }.into_any()
}

fn countdown(days: Option<i64>) -> String {
    match days {
        None => String::new(),
        Some(0) => "due today".into(),
        Some(1) => "1 working day left".into(),
        Some(n) if n > 1 => format!("{n} working days left"),
        Some(-1) => "1 working day overdue".into(),
        Some(n) => format!("{} working days overdue", -n),
    }
}

#[component]
fn TimelineSection(reference: String) -> impl IntoView {
    let for_fetch = reference.clone();
    let timeline = LocalResource::new(move || api::timeline(for_fetch.clone()));
    let may_record = Session::get().user().is_some_and(|u| u.grants().may(Capability::RecordEvent));
    let changed = Callback::new(move |_: ()| timeline.refetch());
    view! {
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading deadlines…"</p> }>
            {move || {
                let reference = reference.clone();
                Suspend::new(async move {
                match timeline.await {
                    Ok(t) => view! {
                        <Deadlines deadlines=t.deadlines.clone()/>
                        {may_record.then(|| view! { <ExtendDeadline reference=reference.clone() deadlines=t.deadlines.clone() changed/> })}
                        <Events events=t.events/>
                        {may_record.then(|| view! { <RecordEvent reference=reference.clone() changed/> })}
                    }.into_any(),
                    Err(failure) => view! { <div class="notification notification--error" role="alert"><p>{failure.message()}</p></div> }.into_any(),
                }
            })}}
        </Suspense>
    }
}

/// What the timeline form offers, in the order of the process: every event
/// recorded by hand, and corrections of the referral's own two dates.
fn recordable() -> Vec<(Event, String)> {
    let mut options: Vec<(Event, String)> = Event::ALL.into_iter().filter(|e| e.recorded_on_the_timeline()).map(|e| (e, e.label().to_string())).collect();
    options.push((Event::Aware, "Correct the date the referrer's agency became aware".into()));
    options.push((Event::ReferralReceived, "Correct the date the referral was received".into()));
    options
}

#[component]
fn RecordEvent(reference: String, changed: Callback<()>) -> impl IntoView {
    let options = recordable();
    let kind = RwSignal::new(options[0].0);
    let on = RwSignal::new(DateParts::default());
    let time = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let warning = RwSignal::new(None::<String>);
    let send = Action::new_local(move |input: &EventInput| api::record_event(reference.clone(), input.clone()));
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => {
            error.set(None);
            on.set(DateParts::default());
            time.set(String::new());
            note.set(String::new());
            changed.run(());
        }
        Some(Err(f)) => error.set(Some(f.problems())),
        None => {}
    });
    view! {
        <form class="inline-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let date = match on.get().parse() {
                Ok(date) => date,
                Err(p) => return error.set(Some(p.message("date"))),
            };
            let at = match domain::uk_time::parse_uk_time_of_day(date, time.get().trim()) {
                Ok(at) => at,
                Err(message) => return error.set(Some(message)),
            };
            warning.set(None);
            let note = Some(note.get()).filter(|n| !n.trim().is_empty());
            send.dispatch_local(EventInput { kind: Some(kind.get().as_str().into()), on: Some(date.to_string()), at, note, corrects: None });
        }>
            <h3 class="heading-s">"Record what happened"</h3>
            {move || error.get().map(|e| view! { <p class="error-message" role="alert">{e}</p> })}
            <div class="form-group">
                <label class="label" for="event-kind">"What happened"</label>
                <select class="select" id="event-kind" on:change=move |ev| {
                    if let Some(event) = Event::parse(&event_target_value(&ev)) { kind.set(event) }
                }>
                    {options.into_iter().map(|(event, label)| view! { <option value=event.as_str()>{label}</option> }).collect_view()}
                </select>
            </div>
            <DateInput id="event-on" legend="On what date?" value=on error=Signal::derive(|| None::<String>)/>
            <div class="form-group">
                <label class="label" for="event-time">"At what time (optional)"</label>
                <div class="hint" id="event-time-hint">"UK time, for steps counted in hours, for example 14:30"</div>
                <input class="input input--width-5" id="event-time" name="event-time" type="text" inputmode="numeric" autocomplete="off"
                    aria-describedby="event-time-hint" prop:value=move || time.get() on:input=move |ev| time.set(event_target_value(&ev))/>
            </div>
            <TextArea id="event-note" label="Note (optional)" hint="Kept sealed like personal details" value=note error=Signal::derive(|| None::<String>) rows=2/>
            <button type="submit" class="button button--secondary" disabled=move || send.pending().get()>"Record"</button>
        </form>
    }
}

#[component]
fn ExtendDeadline(reference: String, deadlines: Vec<DeadlineView>, changed: Callback<()>) -> impl IntoView {
    let open: Vec<DeadlineView> = deadlines.into_iter().filter(|d| d.status.is_open()).collect();
    if open.is_empty() {
        return None;
    }
    let step = RwSignal::new(open[0].step_key.clone());
    let due = RwSignal::new(DateParts::default());
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let versions: Vec<(String, u32)> = open.iter().map(|d| (d.step_key.clone(), d.version)).collect();
    let send = Action::new_local(move |(step, input): &(String, ExtensionInput)| api::extend_deadline(reference.clone(), step.clone(), input.clone()));
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => changed.run(()),
        Some(Err(f)) => error.set(Some(f.problems())),
        None => {}
    });
    Some(view! {
        <details class="details">
            <summary class="details__summary">"Extend a deadline"</summary>
            <form class="inline-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let version = versions.iter().find(|(k, _)| *k == step.get()).map_or(0, |(_, v)| *v);
                match due.get().parse() {
                    Ok(date) => {
                        send.dispatch_local((step.get(), ExtensionInput { due: Some(date.to_string()), reason: Some(reason.get()), version: Some(version) }));
                    }
                    Err(p) => error.set(Some(p.message("new due date"))),
                }
            }>
                {move || error.get().map(|e| view! { <p class="error-message" role="alert">{e}</p> })}
                <div class="form-group">
                    <label class="label" for="extend-step">"Deadline"</label>
                    <select class="select" id="extend-step" on:change=move |ev| step.set(event_target_value(&ev))>
                        {open.iter().map(|d| view! { <option value=d.step_key.clone()>{format!("{} (due {})", d.name, long_date_of(d.due))}</option> }).collect_view()}
                    </select>
                </div>
                <DateInput id="extend-due" legend="New due date" value=due error=Signal::derive(|| None::<String>)/>
                <TextArea id="extend-reason" label="Reason" hint="For example, police information is pending. The original date is kept for reporting."
                    value=reason error=Signal::derive(|| None::<String>) rows=2/>
                <button type="submit" class="button button--secondary">"Extend"</button>
            </form>
        </details>
    })
}

/// As the Worker's delivery retries (delivery.rs).
const MAX_ATTEMPTS: u32 = 5;

#[component]
fn NotificationsSection(reference: String) -> impl IntoView {
    let log = LocalResource::new(move || api::case_notifications(reference.clone()));
    view! {
        <h2 class="heading-m">"Notifications sent"</h2>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading notifications…"</p> }>
            {move || Suspend::new(async move {
                match log.await {
                    Ok(log) if log.notifications.is_empty() => view! { <p>"None yet."</p> }.into_any(),
                    Ok(log) => view! {
                        <ul class="list notifications">
                            {log.notifications.into_iter().map(|n| {
                                // A message that could not be delivered is never silent: say so, and whether it will be tried again.
                                let (class, state) = match n.status {
                                    MessageStatus::Sent => ("tag tag--green", "Delivered".to_string()),
                                    MessageStatus::Pending => ("tag", "Waiting to be sent".to_string()),
                                    _ if n.attempts < MAX_ATTEMPTS => ("tag tag--orange", format!("Not delivered yet (attempt {} of {MAX_ATTEMPTS}); it will be tried again", n.attempts)),
                                    _ => ("tag tag--red", format!("Not delivered after {MAX_ATTEMPTS} attempts: send it another way")),
                                };
                                view! {
                                    <li>
                                        <strong>{n.subject}</strong><br/>
                                        <span class="hint">{format!("to {} · {} · ", n.recipient, n.created_at.get(..16).unwrap_or("").replace('T', " "))}</span>
                                        <span class=class>{state}</span>
                                        {n.last_error.filter(|_| n.status != MessageStatus::Sent).map(|e| view! { <br/><span class="hint">{format!("Reason: {e}")}</span> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(failure) => view! { <p class="error-message">{failure.message()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Deadlines(deadlines: Vec<DeadlineView>) -> impl IntoView {
    let projected = deadlines.iter().any(|d| d.projected);
    view! {
        <h2 class="heading-m">"Deadlines"</h2>
        <table class="table table--stack deadlines">
            <thead><tr><th scope="col">"Step"</th><th scope="col">"Due"</th><th scope="col">"Status"</th></tr></thead>
            <tbody>
                {deadlines.into_iter().map(|d| {
                    let not_applicable = d.status == DeadlineStatus::NotApplicable;
                    view! {
                        <tr class:deadlines__closed=not_applicable>
                            <th scope="row" data-label="Step"><div>
                                {d.name.clone()}
                                {d.statutory.then(|| view! { <span class="visually-hidden">" (statutory)"</span><span aria-hidden="true">" ★"</span> })}
                            </div></th>
                            <td data-label="Due"><div>
                                {match d.earliest {
                                    Some(earliest) => format!("Between {} and {}", long_date_of(earliest), long_date_of(d.due)),
                                    None => long_date_of(d.due),
                                }}
                                {d.projected.then(|| view! { <span class="hint">" (projected bank holidays)"</span> })}
                                {d.extension_reason.clone().map(|reason| view! {
                                    <br/><span class="hint">{format!("Extended from {}: {reason}", long_date_of(d.original_due))}</span>
                                })}
                                {d.done_on.map(|done| view! { <br/><span class="hint">{format!("Done {}", long_date_of(done))}</span> })}
                            </div></td>
                            <td data-label="Status"><div>
                                <span class=format!("deadline-status deadline-status--{}", d.status.as_str())>{d.status.label()}</span>
                                {d.not_applicable.clone().map(|reason| view! { <br/><span class="hint deadline-reason">{reason}</span> })}
                                {(d.status == DeadlineStatus::Early).then(|| view! { <br/><span class="hint">"Before the window opened: not counted as late"</span> })}
                                <br/><span class="hint">{countdown(d.working_days_left)}</span>
                            </div></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <p class="hint">"★ statutory duty"</p>
        {projected.then(|| view! {
            <p class="hint">"Projected: counted through bank holidays worked out by their usual rules, beyond the years of the gov.uk list. The partnership team can load a newer list in settings."</p>
        })}
    }
}

#[component]
fn Events(events: Vec<TimelineEvent>) -> impl IntoView {
    view! {
        <h2 class="heading-m">"Timeline"</h2>
        <ol class="timeline">
            {events.into_iter().map(|e| view! {
                <li class:timeline__superseded=e.superseded>
                    <strong>{e.kind.label()}</strong>" · "{long_date_of(e.on)}
                    {e.superseded.then(|| view! { <span class="visually-hidden">" (corrected)"</span> })}
                    {e.recorded_by.clone().map(|who| view! { <span class="hint">{format!(" · recorded by {who}")}</span> })}
                    {e.note.clone().map(|note| view! { <br/><span>{note}</span> })}
                </li>
            }).collect_view()}
        </ol>
    }
}

#[component]
fn PersonalDetailsPanel(reference: String) -> impl IntoView {
    view! {
        <h2 class="heading-m">"Personal details"</h2>
        {open_on_purpose(
            "The child's and family's details are special category data. Opening them is recorded in the audit trail.",
            "Show personal details",
            move || api::read_personal_details(reference.clone()),
            |details| view! { <PersonalDetailsList details/> },
        )}
    }
}

#[component]
fn PersonalDetailsList(details: PersonalDetails) -> impl IntoView {
    view! {
        <div class="personal-details" role="region" aria-label="Personal details">
            {details.children.into_iter().enumerate().map(|(i, child)| view! {
                <h3 class="heading-s">{format!("Child {}", i + 1)}</h3>
                <dl class="summary-list">
                    {row("Name", child.name)}
                    {row("Date of birth", long_date_or_not_known(child.date_of_birth))}
                    {row("NHS number", child.nhs_number.map(|n| n.as_str().to_string()).unwrap_or_else(|| "Not known".into()))}
                    {row("Legal status", child.legal_status.iter().map(|s| s.label()).collect::<Vec<_>>().join(", "))}
                </dl>
            }).collect_view()}
            <h3 class="heading-s">"The incident"</h3>
            <dl class="summary-list">
                {row("Where", details.incident_place)}
                {row("What happened", details.summary)}
                {row("Immediate safeguarding", details.immediate_safeguarding)}
            </dl>
            <h3 class="heading-s">"Referrer"</h3>
            <dl class="summary-list">
                {row("Name", details.referrer_name)}
                {row("Role", details.referrer_role)}
                {row("Contact", details.referrer_contact)}
            </dl>
        </div>
    }
}
