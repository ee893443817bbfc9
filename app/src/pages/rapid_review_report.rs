//! The rapid review report (KRSCP appendix 2) to print and submit to the
//! national panel: the team writes it up after the meeting, the three
//! safeguarding partners sign it off, and the page prints as the template.
//! The child's details are added only when opened on purpose (audited).

use domain::access::Capability;
use domain::rapid_review_report::{Section, WriteUp};
use domain::referral::PersonalDetails;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, ApiFailure};
use domain::api::{DecisionTexts, Meeting, RapidReviewReport as Report, ReportDecision};
use domain::rapid_review_report::{Partner, SignOffInput, WriteUpInput};
use crate::components::reveal::open_on_purpose;
use crate::components::text_field::TextArea;
use crate::routes::use_case_reference;
use crate::session::Session;
use crate::ui::{long_date, long_date_or_not_known};


fn yes_no(b: bool) -> &'static str {
    if b { "Yes" } else { "No" }
}

#[component]
pub fn RapidReviewReportPage() -> impl IntoView {
    let reference = use_case_reference();
    let report = LocalResource::new(move || api::rapid_review_report(reference()));
    let meetings = LocalResource::new(move || api::meetings(reference()));
    let changed = Callback::new(move |_: ()| report.refetch());
    view! {
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the report…"</p> }>
            {move || Suspend::new(async move {
                let meeting = meetings.await.ok().and_then(|m| m.meetings.into_iter().find(|m| m.kind == domain::meeting::MeetingKind::RapidReview));
                match report.await {
                    Ok(r) => view! { <ReportView report=r meeting changed/> }.into_any(),
                    Err(f) => view! { <div class="notification notification--error" role="alert"><p>{f.message()}</p></div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReportView(report: Report, meeting: Option<Meeting>, changed: Callback<()>) -> impl IntoView {
    let user = Session::get().user();
    let may_write = user.as_ref().is_some_and(|u| u.grants().may(Capability::ManageReview));
    let may_read = user.as_ref().is_some_and(|u| u.grants().may(Capability::ReadPersonalData));
    let reference = report.reference.clone();
    let (date, time) = meeting.as_ref().map(|m| {
        let (d, t) = m.starts_at.split_once('T').unwrap_or((m.starts_at.as_str(), ""));
        (long_date(d), t.to_string())
    }).unwrap_or_default();
    let location = meeting.as_ref().and_then(|m| m.location.clone()).unwrap_or_default();
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let details_ref = reference.clone();
    view! {
        <div class="no-print">
            <span class="caption-l">{format!("Case {reference}")}</span>
            <p><A href=format!("/cases/{reference}") attr:class="link">"Back to the case"</A></p>
            {if report.signed_by_all_partners {
                view! { <p class="notification" role="status">"Signed off by the three safeguarding partners: ready to submit to the national panel."</p> }.into_any()
            } else {
                view! { <p class="warning-text">"Not yet signed off by all three safeguarding partners."</p> }.into_any()
            }}
            {(!report.missing.is_empty()).then(|| view! {
                <p class="hint">{format!("Still to write: {}.", report.missing.join("; "))}</p>
            })}
            <button type="button" class="button button--secondary print-button" on:click=print>"Print the report"</button>
        </div>
        <article class="report">
            <h1 class="heading-l">"Rapid Review Report"</h1>
            <dl class="summary-list">
                <div class="summary-list__row"><dt class="summary-list__key">"Case"</dt><dd class="summary-list__value">{reference.clone()}</dd></div>
                <div class="summary-list__row"><dt class="summary-list__key">"Date"</dt><dd class="summary-list__value">{date}</dd></div>
                <div class="summary-list__row"><dt class="summary-list__key">"Time"</dt><dd class="summary-list__value">{time}</dd></div>
                <div class="summary-list__row"><dt class="summary-list__key">"Location"</dt><dd class="summary-list__value">{location}</dd></div>
            </dl>
            <h2 class="heading-m">"Details of child"</h2>
            {if may_read {
                open_on_purpose(
                    "The child's and family's details are personal data. Opening them is recorded in the audit trail; they print only once opened.",
                    "Add the child's details",
                    move || api::read_personal_details(details_ref.clone()),
                    |details| view! { <ChildDetails details/> },
                ).into_any()
            } else {
                view! { <p>"Only people who may read personal details see the child's details."</p> }.into_any()
            }}
            {match &report.write_up {
                Some(w) => Section::ALL[..4].iter().map(|s| view! {
                    <h2 class="heading-s">{s.question()}</h2>
                    <p class="pre-wrap">{non_empty(w.section(*s).to_string())}</p>
                }).collect_view().into_any(),
                None => ().into_any(),
            }}
            <h2 class="heading-m">"Supporting information"</h2>
            <table class="table">
                <thead><tr><th scope="col">"Agency"</th><th scope="col">"Submitted chronology or similar"</th><th scope="col">"Represented at rapid review"</th></tr></thead>
                <tbody>{report.agencies.iter().map(|a| view! {
                    <tr><th scope="row">{a.agency.clone()}</th><td>{yes_no(a.submitted)}</td><td>{yes_no(a.represented)}</td></tr>
                }).collect_view()}</tbody>
            </table>
            <h2 class="heading-m">"Consideration of the serious incident"</h2>
            {match &report.write_up {
                Some(w) => Section::ALL[4..10].iter().map(|s| view! {
                    <h3 class="heading-s">{s.question()}</h3>
                    <p class="pre-wrap">{non_empty(w.section(*s).to_string())}</p>
                }).collect_view().into_any(),
                None => ().into_any(),
            }}
            <DecisionMaking decision=report.decision.clone() write_up=report.write_up.clone()/>
            <h2 class="heading-m">"Sign-off by the safeguarding partners"</h2>
            <SignOffs report=report.clone() changed/>
        </article>
        {(may_write && report.write_up.is_some()).then(|| view! { <WriteUpForm report=report.clone() changed/> })}
    }
}

fn non_empty(s: String) -> String {
    if s.is_empty() { "Not written yet.".into() } else { s }
}

#[component]
fn ChildDetails(details: PersonalDetails) -> impl IntoView {
    view! {
        {details.children.into_iter().map(|c| view! {
            <table class="table">
                <tbody>
                    <tr><th scope="row">"Name"</th><td>{c.name}</td></tr>
                    <tr><th scope="row">"Date of birth"</th><td>{long_date_or_not_known(c.date_of_birth)}</td></tr>
                    <tr><th scope="row">"Date of death (if applicable)"</th><td>{long_date_or_not_known(c.date_of_death)}</td></tr>
                    <tr><th scope="row">"Gender"</th><td>{c.gender.unwrap_or_default()}</td></tr>
                    <tr><th scope="row">"Ethnicity"</th><td>{c.ethnicity.unwrap_or_default()}</td></tr>
                    <tr><th scope="row">"Known health needs including disability"</th><td>{c.needs.unwrap_or_default()}</td></tr>
                </tbody>
            </table>
        }).collect_view()}
        {(!details.household.is_empty()).then(|| view! {
            <h3 class="heading-s">"Other family and household members"</h3>
            <table class="table">
                <thead><tr><th scope="col">"Name"</th><th scope="col">"Relationship to child"</th><th scope="col">"Age or date of birth"</th></tr></thead>
                <tbody>{details.household.into_iter().map(|h| view! {
                    <tr><td>{h.name.unwrap_or_default()}</td><td>{h.relationship}</td><td>{h.age_or_date_of_birth.unwrap_or_default()}</td></tr>
                }).collect_view()}</tbody>
            </table>
        })}
    }
}

#[component]
fn DecisionMaking(decision: Option<ReportDecision>, write_up: Option<WriteUp>) -> impl IntoView {
    let Some(d) = decision else {
        return view! { <h2 class="heading-m">"Decision making"</h2><p>"The partners have not recorded their decision yet."</p> }.into_any();
    };
    // The texts and findings come only to those who may read personal data.
    let withheld = || "Shown only to those who may read personal data".to_string();
    let texts = d.texts.clone();
    let f = texts.as_ref().and_then(|t| t.findings);
    let criteria = f.map(|f| f.improvements_needed || f.recurrent_themes || f.agencies_working_together_concerns || f.panel_suggests_local_review);
    let national = write_up.as_ref().and_then(|w| w.national_review_recommended).map_or("Not recorded", yes_no);
    let text = |pick: fn(&DecisionTexts) -> String| texts.as_ref().map_or_else(withheld, pick);
    let rows: Vec<(&str, String)> = vec![
        ("Are the criteria for a child safeguarding practice review met?", criteria.map_or_else(withheld, |c| yes_no(c).into())),
        ("Does the partnership consider there is additional learning, beyond existing local and national reviews?", f.map_or_else(withheld, |f| yes_no(f.additional_learning).into())),
        ("Is a local child safeguarding practice review recommended?", yes_no(d.option == domain::rapid_review::ReviewOption::Lcspr).into()),
        ("The partners' decision", format!("{} ({})", d.label, long_date(d.decided_at.get(..10).unwrap_or(&d.decided_at)))),
        ("What is the rationale for this decision?", text(|t| t.rationale.clone())),
        ("How did racism, inequality and protected characteristics affect the child's experience and the professionals' response?", text(|t| t.equality_and_racism.clone().unwrap_or_default())),
        ("If a CSPR is indicated, what are the key lines of enquiry?", text(|t| t.key_lines_of_enquiry.clone().unwrap_or_default().join("; "))),
        ("Is a national child safeguarding practice review recommended?", national.into()),
    ];
    view! {
        <h2 class="heading-m">"Decision making"</h2>
        <dl class="summary-list">
            {rows.into_iter().map(|(q, a)| view! {
                <div class="summary-list__row"><dt class="summary-list__key">{q}</dt><dd class="summary-list__value pre-wrap">{a}</dd></div>
            }).collect_view()}
        </dl>
        {write_up.map(|w| Section::ALL[10..].iter().map(|s| view! {
            <h3 class="heading-s">{s.question()}</h3>
            <p class="pre-wrap">{non_empty(w.section(*s).to_string())}</p>
        }).collect_view())}
    }.into_any()
}

#[component]
fn SignOffs(report: Report, changed: Callback<()>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let reference = report.reference.clone();
    let version = report.version;
    let sign = Action::new_local(move |partner: &Partner| {
        api::sign_off_rapid_review_report(reference.clone(), SignOffInput { partner: Some(partner.as_str().into()), version: Some(version) })
    });
    Effect::new(move |_| match sign.value().get() {
        Some(Ok(_)) => changed.run(()),
        Some(Err(f)) => error.set(Some(match &f {
            f if f.is_conflict() => "The report changed since you opened it. Reload and read it again before signing.".to_string(),
            other => other.problems(),
        })),
        None => {}
    });
    // Each partner's decision maker signs their own partner's line, once there is a report to sign.
    let signs_for = report.signs_for.filter(|_| version > 0);
    view! {
        {move || error.get().map(|e| view! { <p class="error-message" role="alert">{e}</p> })}
        <table class="table signoffs">
            <thead><tr><th scope="col">"Partner"</th><th scope="col">"Signed by"</th><th scope="col">"Date"</th></tr></thead>
            <tbody>{report.signoffs.into_iter().map(|s| {
                let partner = s.partner;
                let label = s.label.clone();
                view! {
                    <tr>
                        <th scope="row">{s.label.clone()}</th>
                        <td>{match (s.name.clone(), signs_for == Some(partner)) {
                            (Some(name), _) => view! { <span>{name}</span> }.into_any(),
                            (None, true) => view! {
                                <button type="button" class="button button--secondary button--small no-print" on:click=move |_| { sign.dispatch_local(partner); }>
                                    "Sign off"<span class="visually-hidden">{format!(" for {label}")}</span>
                                </button>
                            }.into_any(),
                            (None, false) => view! { <span>"Awaiting"</span> }.into_any(),
                        }}</td>
                        <td>{s.signed_at.map(|t| long_date(t.get(..10).unwrap_or(&t))).unwrap_or_default()}</td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table>
    }
}

#[component]
fn WriteUpForm(report: Report, changed: Callback<()>) -> impl IntoView {
    let w = report.write_up.clone().unwrap_or_default();
    let values: Vec<(Section, RwSignal<String>)> = Section::ALL.into_iter().map(|s| (s, RwSignal::new(w.section(s).to_string()))).collect();
    let national = RwSignal::new(match w.national_review_recommended { Some(true) => "yes", Some(false) => "no", None => "unknown" }.to_string());
    let failure = RwSignal::new(None::<ApiFailure>);
    let reference = report.reference.clone();
    let version = report.version;
    let send = Action::new_local(move |input: &WriteUpInput| api::write_rapid_review_report(reference.clone(), input.clone()));
    let pending = send.pending();
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => changed.run(()),
        Some(Err(f)) => failure.set(Some(f)),
        None => {}
    });
    let fields = StoredValue::new(values.clone());
    let signed = report.signoffs.iter().any(|s| s.signed_at.is_some());
    view! {
        <form class="inline-form no-print" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let mut write_up = WriteUp { national_review_recommended: crate::components::radios::tri(&national.get()), ..WriteUp::default() };
            for (section, value) in fields.get_value() {
                *write_up.section_mut(section) = value.get();
            }
            send.dispatch_local(WriteUpInput { version: Some(version), write_up });
        }>
            <h2 class="heading-m">"Write up the rapid review"</h2>
            {report.updated_at.clone().map(|t| view! { <p class="hint" role="status">{format!("Last saved {} at {} (UTC), version {}.", long_date(t.get(..10).unwrap_or(&t)), t.get(11..16).unwrap_or(""), report.version)}</p> })}
            {signed.then(|| view! { <p class="warning-text">"Saving a change withdraws the partners' sign-offs: they sign what they read."</p> })}
            {move || failure.get().map(|f| match &f {
                f if f.is_conflict() => view! { <p class="error-message" role="alert">"Someone else changed the report. Reload to see their changes, then make yours."</p> }.into_any(),
                other => view! { <p class="error-message" role="alert">{other.problems()}</p> }.into_any(),
            })}
            {values.into_iter().map(|(section, value)| view! {
                <TextArea id=format!("write-up-{}", section.key()) label=section.question() value error=Signal::derive(move || failure.get().and_then(|f| f.for_field(&format!("write_up.{}", section.key())))) rows=3/>
            }).collect_view()}
            <crate::components::radios::Radios id="national_review_recommended" legend="Is a national child safeguarding practice review recommended?" options=crate::components::radios::YES_NO_UNKNOWN.to_vec() selected=national inline=true/>
            <button type="submit" class="button" disabled=move || pending.get()>{move || if pending.get() { "Saving…" } else { "Save the report" }}</button>
        </form>
    }
}
