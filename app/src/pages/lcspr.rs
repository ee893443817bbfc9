//! The LCSPR workspace: terms of reference, pseudonym, reviewer, key lines of
//! enquiry (advice above 4), the family engagement log and key practice
//! episodes (personal data, opened on purpose), drafts and their approvals,
//! and the publication plan against the 7-working-day notice and the 6-month limit.

use domain::access::Capability;
use domain::date_input::DateParts;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, ApiFailure, ReviewLogKind};
use domain::api::{Review, ReviewLog};
use domain::form_input::choice;
use domain::review::{ApprovalInput, ContactKind, DraftInput, EpisodeInput, FamilyContactInput, ReviewInput, TermsOfReferenceInput};
use crate::components::date_input::DateInput;
use crate::components::error_summary::ErrorSummary;
use crate::components::reveal::open_on_purpose;
use crate::components::text_field::{TextArea, TextInput};
use crate::routes::use_case_reference;
use crate::session::Session;
use crate::ui::{iso, long_date, long_date_of, today_on_this_device};

fn date_parts(date: &Option<String>) -> DateParts {
    date.as_deref().and_then(|d| domain::date_input::parse_iso_date(d).ok()).map(DateParts::from_date).unwrap_or_default()
}

#[component]
pub fn LcsprPage() -> impl IntoView {
    let reference = use_case_reference();
    let review = LocalResource::new(move || api::review(reference()));
    let changed = Callback::new(move |_: ()| review.refetch());
    view! {
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the review…"</p> }>
            {move || Suspend::new(async move {
                match review.await {
                    Ok(r) => view! { <Workspace review=r changed/> }.into_any(),
                    Err(f) if f.is_not_found() => view! {
                        <h1 class="heading-l">"No local review for this case"</h1>
                        <p>"A local child safeguarding practice review starts when the partners decide on one after the rapid review."</p>
                    }.into_any(),
                    Err(f) => view! { <div class="notification notification--error" role="alert"><p>{f.message()}</p></div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Workspace(review: Review, changed: Callback<()>) -> impl IntoView {
    let user = Session::get().user();
    let may_manage = user.as_ref().is_some_and(|u| u.grants().may(Capability::ManageReview));
    let may_write = may_manage || user.as_ref().is_some_and(|u| u.grants().may(Capability::SubmitReviewDraft));
    let may_read = user.as_ref().is_some_and(|u| u.grants().may(Capability::ReadPersonalData));
    let may_sign = user.as_ref().is_some_and(|u| u.grants().may(Capability::SignOff));
    let reference = review.reference.clone();
    let title = review.pseudonym.clone().map_or_else(|| "Pseudonym not chosen yet".to_string(), |p| format!("Review of {p}"));
    view! {
        <span class="caption-l">{format!("Local child safeguarding practice review · {}", reference)}</span>
        <h1 class="heading-l">{title}</h1>
        <p><A href=format!("/cases/{reference}") attr:class="link">"Back to the case"</A>" · "<A href=format!("/cases/{reference}/actions") attr:class="link">"Action plan"</A></p>
        {(!review.warnings.is_empty()).then(|| view! {
            <div class="warning-text" role="status">{review.warnings.iter().map(|w| view! { <p>{w.clone()}</p> }).collect_view()}</div>
        })}
        <PublicationPlan review=review.clone()/>
        {if may_manage {
            view! { <DetailsForm review=review.clone() changed/> }.into_any()
        } else {
            view! { <DetailsSummary review=review.clone()/> }.into_any()
        }}
        <Drafts review=review.clone() may_write may_manage may_sign changed/>
        <SealedLog reference=reference.clone() what=ReviewLogKind::FamilyEngagement may_read may_write count=review.family_engagement_count/>
        <SealedLog reference=reference.clone() what=ReviewLogKind::Episodes may_read may_write count=review.episode_count/>
    }
}

/// The road to publication as a picture: the decision, the notice to the
/// panel, the planned date, and the 6-month limit, with today marked.
#[component]
fn PublicationPlan(review: Review) -> impl IntoView {
    let today = today_on_this_device();
    let parse = |d: &Option<String>| d.as_deref().and_then(|x| domain::date_input::parse_iso_date(x).ok());
    let mut points: Vec<(&'static str, chrono::NaiveDate, &'static str)> = Vec::new();
    if let Some(d) = parse(&review.decided_on) {
        points.push(("Decision to review", d, "plan__point--start"));
    }
    if let Some(d) = review.notice_by {
        points.push((if review.notice_sent { "Report sent to panel, Ofsted, DfE" } else { "Send report to panel, Ofsted, DfE by" }, d, "plan__point--notice"));
    }
    if let Some(d) = parse(&review.planned_publication_on) {
        points.push(("Planned publication", d, "plan__point--planned"));
    }
    if let Some(d) = review.publish_by {
        points.push(("6-month limit", d, "plan__point--limit"));
    }
    if let Some(d) = parse(&review.published_on) {
        points.push(("Published", d, "plan__point--done"));
    }
    points.sort_by_key(|p| p.1);
    let (Some(first), Some(last)) = (points.first().map(|p| p.1), points.last().map(|p| p.1.max(today))) else {
        return view! { <p>"No publication plan yet."</p> }.into_any();
    };
    let first = first.min(today);
    let span = (last - first).num_days().max(1) as f64;
    let x = move |d: chrono::NaiveDate| 20.0 + 560.0 * (d - first).num_days() as f64 / span;
    let description = points.iter().map(|(label, d, _)| format!("{label}: {}", long_date_of(*d))).collect::<Vec<_>>().join("; ");
    view! {
        <h2 class="heading-m">"Publication plan"</h2>
        <svg class="plan" viewBox="0 0 600 90" role="img" aria-labelledby="plan-title plan-desc">
            <title id="plan-title">"Timeline to publication"</title>
            <desc id="plan-desc">{description}</desc>
            <line x1="20" y1="45" x2="580" y2="45" class="plan__axis"/>
            <line x1=x(today) y1="20" x2=x(today) y2="70" class="plan__today"/>
            <text x=x(today) y="14" text-anchor="middle" class="plan__label">"Today"</text>
            {points.iter().enumerate().map(|(i, (_, d, class))| view! {
                <circle cx=x(*d) cy="45" r="7" class=format!("plan__point {class}")/>
                <text x=x(*d) y=if i % 2 == 0 { "85" } else { "30" } text-anchor="middle" class="plan__label">{d.format("%-d %b").to_string()}</text>
            }).collect_view()}
        </svg>
        <ol class="plan__list">
            {points.into_iter().map(|(label, d, class)| view! {
                <li class=format!("plan__item {class}")><strong>{label}</strong>{format!(": {}", long_date_of(d))}</li>
            }).collect_view()}
        </ol>
    }
    .into_any()
}

fn summary_row(key: &'static str, value: String) -> impl IntoView {
    view! { <div class="summary-list__row"><dt class="summary-list__key">{key}</dt><dd class="summary-list__value">{value}</dd></div> }
}

#[component]
fn DetailsSummary(review: Review) -> impl IntoView {
    let none = || "Not recorded".to_string();
    // The terms are free text about the family: absent for those who may not read personal data.
    let withheld = review.terms_of_reference.is_none();
    let hidden = || "Shown only to those who may read personal data".to_string();
    let tor = review.terms_of_reference.clone().unwrap_or_default();
    let lines = review.key_lines_of_enquiry.clone().unwrap_or_default();
    let text = move |value: Option<String>| if withheld { hidden() } else { value.unwrap_or_else(none) };
    view! {
        <h2 class="heading-m">"Terms of reference"</h2>
        <dl class="summary-list">
            {summary_row("Pseudonym", review.pseudonym.clone().unwrap_or_else(none))}
            {summary_row("Lead reviewer", review.reviewer_name.clone().unwrap_or_else(none))}
            {summary_row("Methodology", review.methodology.clone().unwrap_or_else(none))}
            {summary_row("Period under review", match (tor.period_from, tor.period_to) {
                (Some(a), Some(b)) => format!("{} to {}", long_date_of(a), long_date_of(b)),
                _ if withheld => hidden(),
                _ => none(),
            })}
            {summary_row("Key lines of enquiry", text((!lines.is_empty()).then(|| lines.join("; "))))}
            {summary_row("Parallel processes", text(tor.parallel_processes.clone()))}
            {summary_row("Family involvement", text(tor.family_involvement.clone()))}
            {summary_row("Timetable", text(tor.timetable.clone()))}
        </dl>
    }
}

#[component]
fn DetailsForm(review: Review, changed: Callback<()>) -> impl IntoView {
    // Only those who manage the review see this form, and they may read the terms.
    let tor = review.terms_of_reference.clone().unwrap_or_default();
    let pseudonym = RwSignal::new(review.pseudonym.clone().unwrap_or_default());
    let reviewer = RwSignal::new(review.reviewer_user_id.clone().unwrap_or_default());
    let reviewer_name = RwSignal::new(if review.reviewer_user_id.is_some() { String::new() } else { review.reviewer_name.clone().unwrap_or_default() });
    let independent = RwSignal::new(review.reviewer_independent);
    let interest = RwSignal::new(review.expressions_of_interest.map(|n| n.to_string()).unwrap_or_default());
    let conflicts = RwSignal::new(review.conflicts_declared);
    let methodology = RwSignal::new(review.methodology.clone().unwrap_or_default());
    let from = RwSignal::new(tor.period_from.map(DateParts::from_date).unwrap_or_default());
    let to = RwSignal::new(tor.period_to.map(DateParts::from_date).unwrap_or_default());
    let parallel = RwSignal::new(tor.parallel_processes.clone().unwrap_or_default());
    let family = RwSignal::new(tor.family_involvement.clone().unwrap_or_default());
    let timetable = RwSignal::new(tor.timetable.clone().unwrap_or_default());
    let lines = RwSignal::new(review.key_lines_of_enquiry.clone().unwrap_or_default().join("\n"));
    let planned = RwSignal::new(date_parts(&review.planned_publication_on));
    let agencies = tor.agencies.clone();
    let failure = RwSignal::new(None::<ApiFailure>);
    let saved = RwSignal::new(false);
    let reference = review.reference.clone();
    let version = review.version;
    let send = Action::new_local(move |input: &ReviewInput| api::update_review(reference.clone(), input.clone()));
    let pending = send.pending();
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => {
            failure.set(None);
            saved.set(true);
            changed.run(());
        }
        Some(Err(f)) => failure.set(Some(f)),
        None => {}
    });
    let field = move |f: &'static str| Signal::derive(move || failure.get().and_then(|x| x.for_field(f)));
    let kloe = move || lines.get().lines().filter(|l| !l.trim().is_empty()).count();
    let reviewers = review.reviewers.clone();
    view! {
        <h2 class="heading-m">"Terms of reference"</h2>
        <form class="inline-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            saved.set(false);
            let interest = interest.get().trim().parse::<u32>().ok();
            send.dispatch_local(ReviewInput {
                version: Some(version),
                pseudonym: Some(pseudonym.get()),
                reviewer_user_id: Some(reviewer.get()),
                reviewer_name: Some(reviewer_name.get()),
                reviewer_independent: independent.get(),
                expressions_of_interest: interest,
                conflicts_declared: conflicts.get(),
                methodology: Some(methodology.get()),
                terms_of_reference: TermsOfReferenceInput {
                    period_from: Some(iso(&from.get())),
                    period_to: Some(iso(&to.get())),
                    agencies: agencies.clone(),
                    parallel_processes: Some(parallel.get()),
                    family_involvement: Some(family.get()),
                    timetable: Some(timetable.get()),
                },
                key_lines_of_enquiry: lines.get().lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
                planned_publication_on: Some(iso(&planned.get())),
            });
        }>
            <ErrorSummary errors=Signal::derive(move || failure.get().map(|f| f.fields()).unwrap_or_default())
                date_fields=&["terms_of_reference.period_from", "terms_of_reference.period_to", "planned_publication_on"]/>
            {move || failure.get().filter(ApiFailure::is_conflict).map(|_| view! {
                <p class="error-message" role="alert">"Someone else changed this review. Reload the page to see their changes, then make yours."</p>
            })}
            <TextInput id="pseudonym" label="Pseudonym" hint="How the review is known in public, like \"Child Q\". Never the child's name." value=pseudonym error=field("pseudonym") width="input--width-20"/>
            <div class=move || if field("reviewer_user_id").get().is_some() { "form-group form-group--error" } else { "form-group" }>
                <label class="label" for="reviewer_user_id">"Lead reviewer with an account"</label>
                {move || field("reviewer_user_id").get().map(|e| view! { <p class="error-message" id="reviewer_user_id-error">{e}</p> })}
                <select class="select" id="reviewer_user_id" on:change=move |ev| reviewer.set(event_target_value(&ev))>
                    <option value="" selected=move || reviewer.get().is_empty()>"None yet"</option>
                    {reviewers.into_iter().map(|p| {
                        let id = p.id.clone();
                        view! { <option value=p.id selected=move || reviewer.get() == id>{p.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <TextInput id="reviewer_name" label="Or the reviewer's name (optional)" hint="An independent reviewer who does not sign in" value=reviewer_name error=field("reviewer_name")/>
            <div class="checkboxes">
                <div class="checkboxes__item">
                    <input class="checkboxes__input" type="checkbox" id="reviewer_independent" prop:checked=move || independent.get() on:change=move |ev| independent.set(event_target_checked(&ev))/>
                    <label class="checkboxes__label" for="reviewer_independent">"The reviewer is independent"</label>
                </div>
                <div class=move || if field("conflicts_declared").get().is_some() { "checkboxes__item form-group--error" } else { "checkboxes__item" }>
                    <input class="checkboxes__input" type="checkbox" id="conflicts_declared" prop:checked=move || conflicts.get() on:change=move |ev| conflicts.set(event_target_checked(&ev))/>
                    <label class="checkboxes__label" for="conflicts_declared">"The reviewer has declared any conflicts of interest"</label>
                </div>
            </div>
            {move || field("conflicts_declared").get().map(|e| view! { <p class="error-message">{e}</p> })}
            <TextInput id="expressions_of_interest" label="Expressions of interest sought (optional)" hint="At least 3 where the reviewer is independent" value=interest error=field("expressions_of_interest") width="input--width-3" input_type="number"/>
            <TextArea id="methodology" label="Methodology" value=methodology error=field("methodology") rows=2/>
            <DateInput id="terms_of_reference.period_from" legend="Period under review: from" value=from error=field("terms_of_reference.period_from")/>
            <DateInput id="terms_of_reference.period_to" legend="Period under review: to" value=to error=field("terms_of_reference.period_to")/>
            <TextArea id="key_lines_of_enquiry" label="Key lines of enquiry (one per line)" hint="The national panel advises no more than 3 or 4" value=lines error=field("key_lines_of_enquiry") rows=4/>
            {move || (kloe() > 4).then(|| view! { <p class="warning-text" role="status">{format!("{} lines of enquiry: the national panel advises no more than 3 or 4.", kloe())}</p> })}
            <TextArea id="terms_of_reference.parallel_processes" label="Parallel processes" hint="Criminal proceedings, inquest, other reviews" value=parallel error=field("terms_of_reference.parallel_processes") rows=2/>
            <TextArea id="terms_of_reference.family_involvement" label="Family involvement" value=family error=field("terms_of_reference.family_involvement") rows=2/>
            <TextArea id="terms_of_reference.timetable" label="Timetable" value=timetable error=field("terms_of_reference.timetable") rows=2/>
            <DateInput id="planned_publication_on" legend="Planned publication date" hint="Within 6 months of the decision; the report goes to the panel, Ofsted and DfE 7 working days before" value=planned error=field("planned_publication_on")/>
            {move || saved.get().then(|| view! { <p class="notification" role="status">"Saved."</p> })}
            <button type="submit" class="button" disabled=move || pending.get()>{move || if pending.get() { "Saving…" } else { "Save the terms of reference" }}</button>
        </form>
    }
}

#[component]
fn Drafts(review: Review, may_write: bool, may_manage: bool, may_sign: bool, changed: Callback<()>) -> impl IntoView {
    let reference = review.reference.clone();
    let label = RwSignal::new(String::new());
    let received = RwSignal::new(DateParts::default());
    let failure = RwSignal::new(None::<ApiFailure>);
    let key = StoredValue::new(api::new_key());
    let add_to = reference.clone();
    let add = Action::new_local(move |input: &DraftInput| api::add_draft(add_to.clone(), input.clone(), key.get_value()));
    Effect::new(move |_| match add.value().get() {
        Some(Ok(_)) => {
            key.set_value(api::new_key());
            changed.run(());
        }
        Some(Err(f)) => failure.set(Some(f)),
        None => {}
    });
    let approve_error = RwSignal::new(None::<String>);
    let approve_ref = reference.clone();
    let approve = Action::new_local(move |(id, level): &(String, &'static str)| {
        let today = today_on_this_device().to_string();
        api::approve_draft(approve_ref.clone(), id.clone(), ApprovalInput { level: choice(level), approved_on: Some(today) })
    });
    Effect::new(move |_| match approve.value().get() {
        Some(Ok(_)) => changed.run(()),
        Some(Err(f)) => approve_error.set(Some(f.problems())),
        None => {}
    });
    let field = move |f: &'static str| Signal::derive(move || failure.get().and_then(|x| x.for_field(f)));
    view! {
        <h2 class="heading-m">"Drafts and approvals"</h2>
        {move || approve_error.get().map(|e| view! { <p class="error-message" role="alert">{e}</p> })}
        {if review.drafts.is_empty() {
            view! { <p>"No draft received yet."</p> }.into_any()
        } else {
            view! {
                <table class="table table--stack">
                    <thead><tr><th scope="col">"Draft"</th><th scope="col">"Received"</th><th scope="col">"Subgroup"</th><th scope="col">"Executive"</th></tr></thead>
                    <tbody>{review.drafts.iter().map(|d| {
                        let (id1, id2) = (d.id.clone(), d.id.clone());
                        let subgroup = match &d.subgroup_approved_on {
                            Some(on) => view! { <span>{format!("Approved {}", long_date(on))}</span> }.into_any(),
                            None if may_manage => view! { <button type="button" class="button button--secondary button--small" on:click=move |_| { approve.dispatch_local((id1.clone(), "subgroup")); }>"Record subgroup approval today"</button> }.into_any(),
                            None => view! { <span>"Awaiting"</span> }.into_any(),
                        };
                        let executive = match &d.executive_approved_on {
                            Some(on) => view! { <span>{format!("Approved {}", long_date(on))}</span> }.into_any(),
                            None if may_sign && d.subgroup_approved_on.is_some() => view! { <button type="button" class="button button--secondary button--small" on:click=move |_| { approve.dispatch_local((id2.clone(), "executive")); }>"Sign off for the executive today"</button> }.into_any(),
                            None => view! { <span>"Awaiting"</span> }.into_any(),
                        };
                        view! {
                            <tr>
                                <th scope="row" data-label="Draft"><div>{d.label.clone()}</div></th>
                                <td data-label="Received"><div>{long_date(&d.received_on)}</div></td>
                                <td data-label="Subgroup"><div>{subgroup}</div></td>
                                <td data-label="Executive"><div>{executive}</div></td>
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            }.into_any()
        }}
        {may_write.then(|| view! {
            <form class="inline-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                add.dispatch_local(DraftInput { label: Some(label.get()), received_on: Some(iso(&received.get())) });
            }>
                <h3 class="heading-s">"Record a draft received"</h3>
                <TextInput id="draft-label" label="Draft" hint="For example, Draft 2" value=label error=field("label") width="input--width-10"/>
                <DateInput id="draft-received" legend="Received on" value=received error=field("received_on")/>
                <button type="submit" class="button button--secondary">"Record the draft"</button>
            </form>
        })}
    }
}

#[component]
fn SealedLog(reference: String, what: ReviewLogKind, may_read: bool, may_write: bool, count: u32) -> impl IntoView {
    let (heading, intro, button) = match what {
        ReviewLogKind::FamilyEngagement => ("Family engagement", "The family engagement log holds personal details. Opening it is recorded in the audit trail.", "Show the family engagement log"),
        ReviewLogKind::Episodes => ("Key practice episodes", "Key practice episodes hold personal details. Opening them is recorded in the audit trail.", "Show the key practice episodes"),
    };
    let read_from = reference.clone();
    view! {
        <h2 class="heading-m">{heading}</h2>
        <p class="hint">{format!("{count} recorded")}</p>
        {may_read.then(|| open_on_purpose(intro, button, move || api::review_log(read_from.clone(), what), move |log: ReviewLog| view! { <LogTable log what/> }))}
        {may_write.then(|| view! { <AddToLog reference what/> })}
    }
}

#[component]
fn LogTable(log: ReviewLog, what: ReviewLogKind) -> impl IntoView {
    if log.entries.is_empty() {
        return view! { <p>"Nothing recorded yet."</p> }.into_any();
    }
    view! {
        <table class="table table--stack">
            <thead><tr><th scope="col">"When"</th><th scope="col">{if what == ReviewLogKind::FamilyEngagement { "Contact" } else { "Episode" }}</th><th scope="col">"Detail"</th></tr></thead>
            <tbody>{log.entries.into_iter().map(|e| view! {
                <tr>
                    <th scope="row" data-label="When"><div>{long_date(&e.occurred_on)}</div></th>
                    <td data-label="What"><div>{e.kind.map(|k| contact_label(k).to_string()).or(e.title.clone()).unwrap_or_default()}</div></td>
                    <td data-label="Detail"><div class="pre-wrap">{e.entry.clone().or(e.analysis.clone()).unwrap_or_default()}</div></td>
                </tr>
            }).collect_view()}</tbody>
        </table>
    }.into_any()
}

const CONTACTS: [(&str, &str); 5] = [("letter", "Letter"), ("meeting", "Meeting"), ("call", "Telephone call"), ("declined", "The family declined to take part"), ("other", "Other")];

fn contact_label(kind: ContactKind) -> &'static str {
    CONTACTS.iter().find(|(k, _)| *k == kind.as_str()).map_or("Other", |(_, l)| l)
}

/// One addition to a sealed log.
#[derive(Clone)]
enum Addition {
    Family(FamilyContactInput),
    Episode(EpisodeInput),
}

#[component]
fn AddToLog(reference: String, what: ReviewLogKind) -> impl IntoView {
    let on = RwSignal::new(DateParts::default());
    let kind = RwSignal::new("letter".to_string());
    let title = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<ApiFailure>);
    let added = RwSignal::new(0u32);
    let key = StoredValue::new(api::new_key());
    let send = Action::new_local(move |addition: &Addition| {
        let (reference, addition, key) = (reference.clone(), addition.clone(), key.get_value());
        async move {
            match addition {
                Addition::Family(input) => api::add_family_contact(reference, input, key).await,
                Addition::Episode(input) => api::add_episode(reference, input, key).await,
            }
        }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => {
            failure.set(None);
            key.set_value(api::new_key());
            text.set(String::new());
            title.set(String::new());
            added.update(|n| *n += 1);
        }
        Some(Err(f)) => failure.set(Some(f)),
        None => {}
    });
    let field = move |f: &'static str| Signal::derive(move || failure.get().and_then(|x| x.for_field(f)));
    let p = if what == ReviewLogKind::FamilyEngagement { "family" } else { "episode" };
    view! {
        <form class="inline-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let date = iso(&on.get());
            send.dispatch_local(if what == ReviewLogKind::FamilyEngagement {
                Addition::Family(FamilyContactInput { occurred_on: Some(date), kind: choice(&kind.get()), entry: Some(text.get()) })
            } else {
                Addition::Episode(EpisodeInput { occurred_on: Some(date), title: Some(title.get()), analysis: Some(text.get()) })
            });
        }>
            <h3 class="heading-s">{if what == ReviewLogKind::FamilyEngagement { "Record contact with the family" } else { "Add a key practice episode" }}</h3>
            <DateInput id=format!("{p}-on") legend="Date" value=on error=field("occurred_on")/>
            {(what == ReviewLogKind::FamilyEngagement).then(|| view! {
                <crate::components::radios::Radios id=format!("{p}-kind") legend="How" options=CONTACTS.to_vec() selected=kind error=field("kind")/>
            })}
            {(what == ReviewLogKind::Episodes).then(|| view! { <TextInput id=format!("{p}-title") label="Title" value=title error=field("title")/> })}
            <TextArea id=format!("{p}-text") label=if what == ReviewLogKind::FamilyEngagement { "What happened (or the reason the family gave for not taking part)" } else { "What happened and what it shows about practice" } value=text error=Signal::derive(move || field("entry").get().or(field("analysis").get())) rows=3/>
            {move || (added.get() > 0).then(|| view! { <p class="notification" role="status">"Recorded and sealed."</p> })}
            <button type="submit" class="button button--secondary">"Record"</button>
        </form>
    }
}
