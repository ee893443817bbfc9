//! The case matrix: every case the person may see, with filters, search, sort
//! and pages kept in the address (so a view can be bookmarked and survives a
//! reload), and a CSV export for the annual report. Never a child's details.

use domain::access::Capability;
use domain::case::{CaseSummary, THEMES};
use domain::threshold::ThresholdOutcome;
use domain::timeline::Stage;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::components::figures::FiguresSection;
use crate::session::Session;
use crate::ui::long_date;

const FILTERS: [&str; 6] = ["stage", "outcome", "theme", "year", "overdue", "q"];

fn encode(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", js_sys::encode_uri_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[component]
pub fn CaseListPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |key: &str| query.with(|q| q.get(key).unwrap_or_default());
    let query_string = move || {
        let keys = ["stage", "outcome", "theme", "year", "overdue", "q", "sort", "order", "page"];
        encode(&keys.iter().map(|k| (*k, get(k))).collect::<Vec<_>>())
    };
    let cases = LocalResource::new(move || api::list_cases(query_string()));
    let may_export = Session::get().user().is_some_and(|u| u.grants().may(Capability::ViewCaseMatrix));

    view! {
        <h1 class="heading-l">"Cases"</h1>
        <Filters/>
        {move || may_export.then(|| {
            let filters = encode(&FILTERS.iter().map(|k| (*k, get(k))).chain([("sort", get("sort")), ("order", get("order"))]).collect::<Vec<_>>());
            view! { <p><a href=api::cases_csv_url(&filters) download>"Download these cases as CSV"</a></p> }
        })}
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading cases…"</p> }>
            {move || Suspend::new(async move {
                match cases.await {
                    Ok(list) if list.cases.is_empty() => view! { <p>"No cases match."</p> }.into_any(),
                    Ok(list) => view! { <CaseTable rows=list.cases total=list.total page=list.page per_page=list.per_page/> }.into_any(),
                    Err(failure) => view! {
                        <div class="notification notification--error" role="alert">
                            <p>{failure.message()}</p>
                            <button class="button button--secondary" on:click=move |_| cases.refetch()>"Try again"</button>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
        {may_export.then(|| view! { <FiguresSection/> })}
    }
}

#[component]
fn Filters() -> impl IntoView {
    let query = use_query_map();
    let initial = move |key: &str| query.with_untracked(|q| q.get(key).unwrap_or_default());
    let stage = RwSignal::new(initial("stage"));
    let outcome = RwSignal::new(initial("outcome"));
    let overdue = RwSignal::new(initial("overdue") == "1");
    let theme = RwSignal::new(initial("theme"));
    let year = RwSignal::new(initial("year"));
    let search = RwSignal::new(initial("q"));
    let navigate = use_navigate();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let sort = query.with_untracked(|q| (q.get("sort").unwrap_or_default(), q.get("order").unwrap_or_default()));
        let qs = encode(&[
            ("stage", stage.get()),
            ("outcome", outcome.get()),
            ("theme", theme.get()),
            ("year", year.get()),
            ("overdue", if overdue.get() { "1".to_string() } else { String::new() }),
            ("q", search.get()),
            ("sort", sort.0),
            ("order", sort.1),
        ]);
        navigate(&format!("/cases?{qs}"), Default::default());
    };
    let select = |id: &'static str, label: &'static str, value: RwSignal<String>, options: Vec<(String, String)>| {
        view! {
            <div class="filters__item">
                <label class="label" for=id>{label}</label>
                <select class="select" id=id prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
                    <option value="">"Any"</option>
                    {options.into_iter().map(|(v, l)| view! { <option value=v.clone() selected=move || value.get() == v>{l}</option> }).collect_view()}
                </select>
            </div>
        }
    };
    let stages: Vec<(String, String)> = Stage::ALL.iter().map(|s| (s.as_str().to_string(), s.label().to_string())).collect();
    let themes: Vec<(String, String)> = THEMES.iter().map(|(k, l)| (k.to_string(), l.to_string())).collect();
    let mut outcomes: Vec<(String, String)> = domain::rapid_review::ReviewOption::ALL.iter().map(|o| (o.as_str().to_string(), o.label().to_string())).collect();
    outcomes.extend([ThresholdOutcome::Notify, ThresholdOutcome::NotNotifiable].map(|o| (o.as_str().to_string(), o.label().to_string())));
    let this_year = js_sys::Date::new_0().get_full_year() as i32;
    let years: Vec<(String, String)> = (2019..=this_year).rev().map(|y| (y.to_string(), y.to_string())).collect();
    view! {
        <form class="filters" role="search" aria-label="Filter cases" on:submit=on_submit>
            {select("stage", "Stage", stage, stages)}
            {select("outcome", "Outcome", outcome, outcomes)}
            {select("theme", "Theme", theme, themes)}
            {select("year", "Year referred", year, years)}
            <div class="filters__item filters__item--wide">
                <label class="label" for="q">"Search"</label>
                <div class="hint" id="q-hint">"Reference, pseudonym, agency or tag"</div>
                <input class="input" id="q" type="search" maxlength="48" aria-describedby="q-hint" prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
            </div>
            <div class="filters__item checkboxes checkboxes--small">
                <div class="checkboxes__item">
                    <input class="checkboxes__input" type="checkbox" id="overdue" prop:checked=move || overdue.get() on:change=move |ev| overdue.set(event_target_checked(&ev))/>
                    <label class="checkboxes__label" for="overdue">"Only cases with an overdue deadline"</label>
                </div>
            </div>
            <button type="submit" class="button button--secondary filters__button">"Apply"</button>
        </form>
    }
}

#[component]
fn SortHeader(key: &'static str, label: &'static str) -> impl IntoView {
    let query = use_query_map();
    let current = move || query.with(|q| (q.get("sort").unwrap_or_else(|| "received".into()), q.get("order").unwrap_or_else(|| "desc".into())));
    let href = move || {
        let (sort, order) = current();
        let next = if sort == key && order == "asc" { "desc" } else { "asc" };
        let mut pairs: Vec<(&str, String)> = FILTERS.iter().map(|k| (*k, query.with(|q| q.get(k).unwrap_or_default()))).collect();
        pairs.push(("sort", key.to_string()));
        pairs.push(("order", next.to_string()));
        format!("/cases?{}", encode(&pairs))
    };
    let aria_sort = move || {
        let (sort, order) = current();
        if sort != key { "none" } else if order == "asc" { "ascending" } else { "descending" }
    };
    view! { <th scope="col" aria-sort=aria_sort><A href=href attr:class="sort-link">{label}</A></th> }
}

#[component]
fn CaseTable(rows: Vec<CaseSummary>, total: u64, page: u32, per_page: u32) -> impl IntoView {
    let query = use_query_map();
    let first = (page.max(1) as u64 - 1) * per_page as u64 + 1;
    let last = first + rows.len() as u64 - 1;
    let page_href = move |p: u32| {
        let mut pairs: Vec<(&str, String)> = FILTERS.iter().chain(["sort", "order"].iter()).map(|k| (*k, query.with(|q| q.get(k).unwrap_or_default()))).collect();
        pairs.push(("page", p.to_string()));
        format!("/cases?{}", encode(&pairs))
    };
    let has_next = last < total;
    view! {
        <table class="table table--stack" aria-describedby="case-count">
            <caption class="table__caption" id="case-count">{format!("Cases {first} to {last} of {total}")}</caption>
            <thead>
                <tr>
                    <SortHeader key="reference" label="Reference"/>
                    <SortHeader key="stage" label="Stage"/>
                    <th scope="col">"Referred by"</th>
                    <SortHeader key="incident" label="Incident"/>
                    <th scope="col">"Next deadline"</th>
                    <th scope="col">"Overdue"</th>
                    <th scope="col">"Open actions"</th>
                    <th scope="col">"Themes"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|case| {
                    let themes = case.themes.iter().map(|t| THEMES.iter().find(|(k, _)| k == t).map_or(t.as_str(), |(_, l)| *l)).collect::<Vec<_>>().join(", ");
                    view! {
                        <tr>
                            <th scope="row" data-label="Reference" class="case-reference">
                                <div>
                                    <A href=format!("/cases/{}", case.reference)>{case.reference.clone()}</A>
                                    {case.pseudonym.clone().map(|p| view! { <br/><span class="hint">{p}</span> })}
                                </div>
                            </th>
                            <td data-label="Stage"><div><span class="tag">{case.stage.label()}</span></div></td>
                            <td data-label="Referred by"><div>{case.referrer_agency.clone()}</div></td>
                            <td data-label="Incident"><div>{long_date(&case.incident_date)}</div></td>
                            <td data-label="Next deadline"><div>{case.next_deadline.clone().map(|n| view! {
                                {n.name.clone()}<br/>
                                <span class=format!("deadline-status deadline-status--{}", n.status.as_str())>{format!("{} · {}", long_date(&n.due), n.status.label().to_lowercase())}</span>
                            })}</div></td>
                            <td data-label="Overdue" class="table__numeric"><div>{case.overdue}</div></td>
                            <td data-label="Open actions" class="table__numeric"><div>{case.open_actions}</div></td>
                            <td data-label="Themes"><div>{themes}</div></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <nav class="pagination" aria-label="Pages of cases">
            {(page > 1).then(|| view! { <A href=page_href(page - 1) attr:rel="prev">"Previous page"</A> })}
            <span class="pagination__where">{format!("Page {page}")}</span>
            {has_next.then(|| view! { <A href=page_href(page + 1) attr:rel="next">"Next page"</A> })}
        </nav>
    }
}
