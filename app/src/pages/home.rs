//! The start page for anyone; for a signed-in person, what they must do next.

use leptos::prelude::*;
use leptos_router::components::A;

use domain::deadline::DeadlineStatus;

use crate::api;
use domain::api::{ActionOfMine, CaseWaiting, RequestToMe, WorkItem};
use crate::session::Session;
use crate::ui::long_date_of;

#[component]
pub fn HomePage() -> impl IntoView {
    let session = Session::get();
    move || match session.0.get() {
        Some(Some(who)) => view! { <YourWork name=who.name/> }.into_any(),
        _ => view! { <StartPage/> }.into_any(),
    }
}

#[component]
fn StartPage() -> impl IntoView {
    view! {
        <h1 class="heading-xl">"Serious child safeguarding incidents"</h1>
        <p class="body-l">
            "Tell the safeguarding children partnership about an incident where a child has died or been \
             seriously harmed and abuse or neglect is known or suspected."
        </p>
        <p>"Use this service from any agency. It takes about 5 minutes. Your answers are kept on this device until you send them."</p>
        <A href="/referrals/new" attr:class="button button--start" attr:role="button" attr:draggable="false">
            "Start now"
            <svg class="button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false">
                <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z"/>
            </svg>
        </A>
        <h2 class="heading-m">"Not sure whether to notify?"</h2>
        <p><A href="/threshold">"Check the notification threshold"</A>" (no sign-in needed, nothing is stored)."</p>
        <h2 class="heading-m">"Partnership staff"</h2>
        <p><A href="/sign-in">"Sign in"</A>" to see your cases and deadlines."</p>
    }
}

#[component]
fn YourWork(name: String) -> impl IntoView {
    let work = LocalResource::new(api::my_work);
    view! {
        <span class="caption-l">{name}</span>
        <h1 class="heading-l">"Your work"</h1>
        <p><A href="/referrals/new">"Refer a new incident"</A>" · "<A href="/cases">"All cases"</A>" · "<A href="/threshold">"Threshold check"</A></p>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading your work…"</p> }>
            {move || Suspend::new(async move {
                match work.await {
                    Ok(w) => {
                        let with = |status: DeadlineStatus| -> Vec<WorkItem> { w.deadlines.iter().filter(|d| d.status == status).cloned().collect() };
                        let (overdue, soon, later) = (with(DeadlineStatus::Overdue), with(DeadlineStatus::DueSoon), with(DeadlineStatus::OnTrack));
                        let nothing = w.deadlines.is_empty() && w.awaiting_decision.is_empty() && w.requests.is_empty() && w.actions.is_empty() && w.awaiting_sign_off.is_empty();
                        view! {
                            <Awaiting cases=w.awaiting_decision/>
                            <Requests requests=w.requests/>
                            <SignOffs cases=w.awaiting_sign_off/>
                            <Actions actions=w.actions/>
                            <WorkList title="Overdue" items=overdue/>
                            <WorkList title="Due in the next two working days" items=soon/>
                            <WorkList title="Coming up" items=later/>
                            {nothing.then(|| view! { <p>"Nothing needs you now."</p> })}
                        }.into_any()
                    }
                    Err(failure) => view! { <div class="notification notification--error" role="alert"><p>{failure.message()}</p></div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Awaiting(cases: Vec<CaseWaiting>) -> impl IntoView {
    (!cases.is_empty()).then(|| view! {
        <h2 class="heading-m">"Waiting for a threshold decision"</h2>
        <ul class="list work-list">
            {cases.into_iter().map(|c| view! {
                <li>
                    <A href=format!("/cases/{}/threshold", c.reference)>{c.reference.clone()}</A>
                    {format!(" · referred by {} · aware {}", c.referrer_agency, long_date_of(c.aware_on))}
                </li>
            }).collect_view()}
        </ul>
    })
}

#[component]
fn Requests(requests: Vec<RequestToMe>) -> impl IntoView {
    (!requests.is_empty()).then(|| view! {
        <h2 class="heading-m">"Information your agency is asked for"</h2>
        <ul class="list work-list">
            {requests.into_iter().map(|r| view! {
                <li>
                    <A href=format!("/cases/{}", r.reference)>{r.reference.clone()}</A>
                    {format!(" · {} · due {}", r.kind.label().to_lowercase(), long_date_of(r.due_on))}
                </li>
            }).collect_view()}
        </ul>
    })
}

#[component]
fn SignOffs(cases: Vec<CaseWaiting>) -> impl IntoView {
    (!cases.is_empty()).then(|| view! {
        <h2 class="heading-m">"Rapid review reports to sign off"</h2>
        <ul class="list work-list">
            {cases.into_iter().map(|c| view! {
                <li><A href=format!("/cases/{}/rapid-review-report", c.reference)>{c.reference.clone()}</A></li>
            }).collect_view()}
        </ul>
    })
}

#[component]
fn Actions(actions: Vec<ActionOfMine>) -> impl IntoView {
    (!actions.is_empty()).then(|| view! {
        <h2 class="heading-m">"Your agency's actions"</h2>
        <ul class="list work-list">
            {actions.into_iter().map(|a| view! {
                <li>
                    <A href="/actions">{a.reference.clone()}</A>
                    {format!(" · {} · due {} · {}", a.description, long_date_of(a.due_on), a.status.label().to_lowercase())}
                </li>
            }).collect_view()}
        </ul>
    })
}

#[component]
fn WorkList(title: &'static str, items: Vec<WorkItem>) -> impl IntoView {
    (!items.is_empty()).then(|| view! {
        <h2 class="heading-m">{title}</h2>
        <ul class="list work-list">
            {items.into_iter().map(|d| view! {
                <li>
                    <A href=format!("/cases/{}", d.reference)>{d.reference.clone()}</A>
                    {format!(" · {}{} · due {}", d.name, if d.statutory { " (statutory)" } else { "" }, long_date_of(d.due))}
                    {d.working_days_left.filter(|n| *n < 0).map(|n| view! { <strong class="overdue-count">{format!(" · {} working days overdue", -n)}</strong> })}
                </li>
            }).collect_view()}
        </ul>
    })
}
