//! Every case of the partnership: references and dates only, never a child's details.

use domain::case::{CaseSummary, stage_label};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;

#[component]
pub fn CaseListPage() -> impl IntoView {
    let cases = LocalResource::new(api::list_cases);
    view! {
        <h1 class="heading-l">"Cases"</h1>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading cases…"</p> }>
            {move || Suspend::new(async move {
                match cases.await {
                    Ok(rows) if rows.is_empty() => view! { <p>"No cases yet."</p> }.into_any(),
                    Ok(rows) => view! { <CaseTable rows/> }.into_any(),
                    Err(failure) => view! {
                        <div class="notification notification--error" role="alert">
                            <p>{failure.message()}</p>
                            <button class="button button--secondary" on:click=move |_| cases.refetch()>"Try again"</button>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CaseTable(rows: Vec<CaseSummary>) -> impl IntoView {
    let count = rows.len();
    view! {
        <table class="table table--stack" aria-describedby="case-count">
            <caption class="table__caption" id="case-count">{format!("{count} case{}", if count == 1 { "" } else { "s" })}</caption>
            <thead>
                <tr>
                    <th scope="col">"Reference"</th>
                    <th scope="col">"Stage"</th>
                    <th scope="col">"Referred by"</th>
                    <th scope="col">"Incident"</th>
                    <th scope="col">"Agency aware"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|case| view! {
                    <tr>
                        <th scope="row" data-label="Reference" class="case-reference">
                            <div><A href=format!("/cases/{}", case.reference)>{case.reference.clone()}</A></div>
                        </th>
                        <td data-label="Stage"><div><span class="tag">{stage_label(&case.stage).to_string()}</span></div></td>
                        <td data-label="Referred by">{case.referrer_agency.clone()}</td>
                        <td data-label="Incident">{long_date(&case.incident_date)}</td>
                        <td data-label="Agency aware">{long_date(&case.aware_on)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// `2026-11-24` as people read it: 24 November 2026.
pub fn long_date(iso: &str) -> String {
    domain::date_input::parse_iso_date(iso)
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_else(|_| iso.to_string())
}
