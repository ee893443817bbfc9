//! Action plans: a case's recommendations and their SMART actions (what,
//! how we will know, owner agency, due date), and every action across cases,
//! overdue first. An owner agency's lead reports progress with evidence.

use domain::access::Capability;
use domain::action_plan::ActionStatus;
use domain::date_input::DateParts;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::{self, ApiFailure};
use domain::action_plan::{ActionInput, ActionUpdateInput, RecommendationInput};
use domain::api::PlannedAction;
use crate::components::date_input::DateInput;
use crate::components::error_summary::ErrorSummary;
use crate::components::text_field::{TextArea, TextInput};
use crate::routes::use_case_reference;
use crate::session::Session;
use crate::ui::{iso, long_date};

fn theme_label(key: &str) -> &'static str {
    domain::case::THEMES.iter().find(|(k, _)| *k == key).map_or("", |(_, l)| l)
}

#[component]
pub fn CaseActionPlanPage() -> impl IntoView {
    let reference = use_case_reference();
    let plan = LocalResource::new(move || api::action_plan(reference()));
    let changed = Callback::new(move |_: ()| plan.refetch());
    let may_manage = Session::get().user().is_some_and(|u| u.grants().may(Capability::ManageActions));
    view! {
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the action plan…"</p> }>
            {move || Suspend::new(async move {
                match plan.await {
                    Ok(plan) => {
                        let reference = plan.reference.clone();
                        view! {
                            <span class="caption-l">{format!("Case {reference}")}</span>
                            <h1 class="heading-l">"Action plan"</h1>
                            <p><A href=format!("/cases/{reference}") attr:class="link">"Back to the case"</A>" · "<A href="/actions" attr:class="link">"All actions"</A></p>
                            <p>{format!("{} open actions, {} overdue.", plan.open_actions, plan.overdue_actions)}</p>
                            {plan.recommendations.is_empty().then(|| view! { <p>"No recommendations yet."</p> })}
                            {plan.recommendations.into_iter().enumerate().map(|(i, r)| view! {
                                <section class="recommendation">
                                    <h2 class="heading-m">{format!("Recommendation {}", i + 1)}</h2>
                                    <p>{r.text.clone()}</p>
                                    {r.theme.as_deref().map(|t| view! { <p><span class="tag tag--grey">{theme_label(t)}</span></p> })}
                                    <ActionsTable actions=r.actions.clone() show_case=false changed/>
                                    {may_manage.then(|| view! { <AddAction reference=reference.clone() recommendation=r.id.clone() changed/> })}
                                </section>
                            }).collect_view()}
                            {may_manage.then(|| view! { <AddRecommendation reference=reference.clone() changed/> })}
                        }.into_any()
                    }
                    Err(f) => view! { <div class="notification notification--error" role="alert"><p>{f.message()}</p></div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ActionsPage() -> impl IntoView {
    let query = use_query_map();
    let overdue = move || query.read().get("overdue").is_some_and(|v| v == "1");
    let list = LocalResource::new(move || api::actions(overdue()));
    let changed = Callback::new(move |_: ()| list.refetch());
    view! {
        <h1 class="heading-l">"Actions across cases"</h1>
        <p>
            {move || if overdue() {
                view! { <A href="/actions" attr:class="link">"Show all actions"</A> }.into_any()
            } else {
                view! { <A href="/actions?overdue=1" attr:class="link">"Show only overdue actions"</A> }.into_any()
            }}
        </p>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading actions…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! {
                        <p role="status">{format!("{} actions, {} overdue.", list.total, list.overdue)}</p>
                        <ActionsTable actions=list.actions show_case=true changed/>
                    }.into_any(),
                    Err(f) => view! { <div class="notification notification--error" role="alert"><p>{f.message()}</p></div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ActionsTable(actions: Vec<PlannedAction>, show_case: bool, changed: Callback<()>) -> impl IntoView {
    if actions.is_empty() {
        return view! { <p>"No actions."</p> }.into_any();
    }
    let user = Session::get().user();
    let manages = user.as_ref().is_some_and(|u| u.grants().may(Capability::ManageActions));
    let lead_of = user.as_ref().and_then(|u| u.agency_name.clone()).filter(|_| user.as_ref().is_some_and(|u| u.grants().may(Capability::AnswerInformationRequest)));
    view! {
        <table class="table table--stack actions-table">
            <thead><tr>
                {show_case.then(|| view! { <th scope="col">"Case"</th> })}
                <th scope="col">"Action"</th><th scope="col">"Owner"</th><th scope="col">"Due"</th><th scope="col">"Status"</th>
            </tr></thead>
            <tbody>{actions.into_iter().map(|a| {
                let may_update = manages || lead_of.as_deref() == Some(a.owner_agency.as_str());
                let status_class = match (a.overdue, a.status.as_str()) {
                    (true, _) => "tag tag--red",
                    (_, "complete") => "tag tag--green",
                    (_, "escalated") => "tag tag--orange",
                    _ => "tag",
                };
                view! {
                    <tr class:actions-table__row--overdue=a.overdue>
                        {show_case.then(|| {
                            let (href, label) = (format!("/cases/{}/actions", a.reference), a.pseudonym.clone().unwrap_or_else(|| a.reference.clone()));
                            view! { <td data-label="Case"><div><A href=href attr:class="link">{label}</A></div></td> }
                        })}
                        <th scope="row" data-label="Action"><div>
                            {a.description.clone()}
                            {a.measure.clone().map(|m| view! { <br/><span class="hint">{format!("Measured by: {m}")}</span> })}
                            {a.evidence.clone().map(|e| view! { <br/><span class="hint">{format!("Evidence: {e}")}</span> })}
                        </div></th>
                        <td data-label="Owner"><div>{a.owner_agency.clone()}</div></td>
                        <td data-label="Due"><div>{long_date(&a.due_on)}</div></td>
                        <td data-label="Status"><div>
                            <span class=status_class>{if a.overdue { format!("Overdue · {}", a.status_label) } else { a.status_label.clone() }}</span>
                            {may_update.then(|| { let action = a.clone(); view! { <UpdateAction action changed/> } })}
                        </div></td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table>
    }.into_any()
}

#[component]
fn UpdateAction(action: PlannedAction, changed: Callback<()>) -> impl IntoView {
    let status = RwSignal::new(action.status.as_str().to_string());
    let evidence = RwSignal::new(action.evidence.clone().unwrap_or_default());
    let failure = RwSignal::new(None::<ApiFailure>);
    let action_id = action.id.clone();
    let version = action.version;
    let send = Action::new_local(move |input: &ActionUpdateInput| api::update_action(action_id.clone(), input.clone()));
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => changed.run(()),
        Some(Err(f)) => failure.set(Some(f)),
        None => {}
    });
    let id = format!("action-{}", action.id);
    let status_id = format!("{id}-status");
    view! {
        <details class="details">
            <summary class="details__summary">"Update progress"</summary>
            <form class="details__text" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                send.dispatch_local(ActionUpdateInput { version: Some(version), status: Some(status.get()), evidence: Some(evidence.get()) });
            }>
                {move || failure.get().map(|f| match &f {
                    f if f.is_conflict() => view! { <p class="error-message" role="alert">"Someone else updated this action. Reload to see their update."</p> }.into_any(),
                    other => view! { <p class="error-message" role="alert">{other.problems()}</p> }.into_any(),
                })}
                <div class="form-group">
                    <label class="label" for=status_id.clone()>"Status"</label>
                    <select class="select" id=status_id on:change=move |ev| status.set(event_target_value(&ev))>
                        {ActionStatus::ALL.into_iter().map(|s| {
                            let value = s.as_str();
                            view! { <option value=value selected=move || status.get() == value>{s.label()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <TextArea id=format!("{id}-evidence") label="Evidence of progress and impact" hint="Needed to mark the action complete" value=evidence error=Signal::derive(move || failure.get().and_then(|f| f.for_field("evidence"))) rows=3/>
                <button type="submit" class="button button--secondary">"Save progress"</button>
            </form>
        </details>
    }
}

#[component]
fn AddRecommendation(reference: String, changed: Callback<()>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let theme = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<ApiFailure>);
    let key = StoredValue::new(api::new_key());
    let send = Action::new_local(move |input: &RecommendationInput| api::add_recommendation(reference.clone(), input.clone(), key.get_value()));
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => {
            key.set_value(api::new_key());
            text.set(String::new());
            changed.run(());
        }
        Some(Err(f)) => failure.set(Some(f)),
        None => {}
    });
    view! {
        <form class="inline-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            send.dispatch_local(RecommendationInput { text: Some(text.get()), theme: Some(theme.get()) });
        }>
            <h2 class="heading-m">"Add a recommendation"</h2>
            <TextArea id="recommendation-text" label="Recommendation" value=text error=Signal::derive(move || failure.get().and_then(|f| f.for_field("text"))) rows=3/>
            <div class="form-group">
                <label class="label" for="recommendation-theme">"Learning theme (optional)"</label>
                <select class="select" id="recommendation-theme" on:change=move |ev| theme.set(event_target_value(&ev))>
                    <option value="">"No theme"</option>
                    {domain::case::THEMES.iter().map(|(k, l)| view! { <option value=*k>{*l}</option> }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">"Add the recommendation"</button>
        </form>
    }
}

#[component]
fn AddAction(reference: String, recommendation: String, changed: Callback<()>) -> impl IntoView {
    let description = RwSignal::new(String::new());
    let measure = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(DateParts::default());
    let failure = RwSignal::new(None::<ApiFailure>);
    let warnings = RwSignal::new(Vec::<String>::new());
    let agencies = LocalResource::new(api::settings);
    let key = StoredValue::new(api::new_key());
    let recommendation_id = recommendation.clone();
    let send = Action::new_local(move |input: &ActionInput| api::add_action(reference.clone(), recommendation_id.clone(), input.clone(), key.get_value()));
    Effect::new(move |_| match send.value().get() {
        Some(Ok(added)) => {
            key.set_value(api::new_key());
            warnings.set(added.warnings);
            changed.run(());
        }
        Some(Err(f)) => failure.set(Some(f)),
        None => {}
    });
    let p = format!("action-{recommendation}");
    let field = move |f: &'static str| Signal::derive(move || failure.get().and_then(|x| x.for_field(f)));
    let owner_id = format!("{p}-owner");
    view! {
        <details class="details">
            <summary class="details__summary">"Add a SMART action"</summary>
            <form class="details__text" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let due_on = iso(&due.get());
                send.dispatch_local(ActionInput { description: Some(description.get()), measure: Some(measure.get()), owner_agency_id: Some(owner.get()), due_on: Some(due_on) });
            }>
                <ErrorSummary errors=Signal::derive(move || failure.get().map(|f| f.fields()).unwrap_or_default()) date_fields=&["due_on"]/>
                {move || warnings.get().into_iter().map(|w| view! { <p class="warning-text" role="status">{w}</p> }).collect_view()}
                <TextArea id=format!("{p}-description") label="What will be done (specific)" value=description error=field("description") rows=2/>
                <TextInput id=format!("{p}-measure") label="How you will know it worked (measurable)" value=measure error=field("measure")/>
                <div class=move || if field("owner_agency_id").get().is_some() { "form-group form-group--error" } else { "form-group" }>
                    <label class="label" for=owner_id.clone()>"Owner agency"</label>
                    {move || field("owner_agency_id").get().map(|e| view! { <p class="error-message">{e}</p> })}
                    <select class="select" id=owner_id.clone() on:change=move |ev| owner.set(event_target_value(&ev))>
                        <option value="">"Choose an agency"</option>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                agencies.await.map(|s| s.agencies.into_iter().map(|a| view! { <option value=a.id>{a.name}</option> }).collect_view()).ok()
                            })}
                        </Suspense>
                    </select>
                </div>
                <DateInput id="due_on" legend="Due by (time-bound)" value=due error=field("due_on")/>
                <button type="submit" class="button button--secondary">"Add the action"</button>
            </form>
        </details>
    }
}
