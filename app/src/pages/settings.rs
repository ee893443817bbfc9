//! Settings for the partnership team: the playbook (a preset or the
//! partnership's own copy), closure days, agencies and contacts.

use domain::access::Capability;
use domain::date_input::DateParts;
use domain::playbook::Playbook;
use leptos::prelude::*;

use crate::api::{self, ApiFailure, Settings};
use crate::components::date_input::DateInput;
use crate::components::radios::Radios;
use crate::components::text_field::TextInput;
use crate::pages::case_list::long_date;
use crate::session::Session;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let may = Session::get().user().is_some_and(|u| u.grants().may(Capability::ManageSettings));
    let settings = LocalResource::new(api::settings);
    view! {
        <h1 class="heading-l">"Settings"</h1>
        {(!may).then(|| view! { <p>"Only the partnership team can change the settings. You can see the agencies and the playbook."</p> })}
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading settings…"</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(s) => view! { <SettingsView s may reload=move || settings.refetch()/> }.into_any(),
                    Err(f) => view! { <div class="notification notification--error" role="alert"><p>{f.message()}</p></div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SettingsView(s: Settings, may: bool, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let version = s.version;
    let change = Action::new_local(|(what, put, body): &(&'static str, bool, serde_json::Value)| api::change_settings(what, *put, body.clone()));
    let message = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(result) = change.value().get() {
            message.set(result.as_ref().err().map(ApiFailure::problems));
            if result.is_ok() {
                reload();
            }
        }
    });
    let preset = RwSignal::new(s.playbook_id.clone());
    let presets: Vec<(&'static str, &'static str)> =
        vec![("national", "National minimum"), ("krscp", "KRSCP"), ("llr", "LLR"), ("kent", "Kent"), ("kirklees", "Kirklees")];
    let closure = RwSignal::new(DateParts::default());
    let days = s.closure_days.clone();
    let agency_name = RwSignal::new(String::new());
    let agency_kind = RwSignal::new("other".to_string());
    view! {
        {move || message.get().map(|m| view! { <div class="notification notification--error" role="alert"><p>{m}</p></div> })}
        <h2 class="heading-m">"Playbook"</h2>
        <p>{format!("{} follows {}{}.", s.name, s.playbook.name, if s.custom_playbook { " (edited)" } else { "" })}</p>
        <PlaybookSteps playbook=s.playbook.clone()/>
        {may.then(|| view! {
            <form on:submit=move |ev| {
                ev.prevent_default();
                change.dispatch_local(("playbook", true, serde_json::json!({ "version": version, "preset": preset.get() })));
            }>
                <Radios id="preset" legend="Start from a preset" options=presets selected=preset inline=true/>
                <button type="submit" class="button button--secondary">"Use this playbook"</button>
            </form>
            <crate::pages::playbook_editor::PlaybookEditor playbook=s.playbook.clone() version saved=Callback::new(move |_| reload())/>
        })}

        <h2 class="heading-m">"Closure days"</h2>
        <p class="hint">"Days the partnership is closed, on top of bank holidays. They are not working days for any deadline."</p>
        {if days.is_empty() { view! { <p>"None."</p> }.into_any() } else { view! {
            <ul class="list">{days.iter().map(|d| {
                let d = d.clone();
                let rest: Vec<String> = days.iter().filter(|x| **x != d).cloned().collect();
                view! { <li>{long_date(&d)}" "{may.then(|| view! {
                    <button type="button" class="button button--secondary button--small"
                        on:click=move |_| { change.dispatch_local(("closure-days", true, serde_json::json!({ "version": version, "days": rest.clone() }))); }>
                        "Remove"<span class="visually-hidden">{format!(" {}", long_date(&d))}</span>
                    </button>
                })}</li> }
            }).collect_view()}</ul>
        }.into_any() }}
        {may.then(|| {
            let days = days.clone();
            view! {
                <form novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    match closure.get().parse() {
                        Ok(day) => {
                            let mut all = days.clone();
                            all.push(day.to_string());
                            change.dispatch_local(("closure-days", true, serde_json::json!({ "version": version, "days": all })));
                        }
                        Err(p) => message.set(Some(p.message("closure day"))),
                    }
                }>
                    <DateInput id="closure_day" legend="Add a closure day" value=closure error=Signal::derive(|| None::<String>)/>
                    <button type="submit" class="button button--secondary">"Add closure day"</button>
                </form>
            }
        })}

        <h2 class="heading-m">"Agencies"</h2>
        <table class="table table--stack">
            <thead><tr><th scope="col">"Agency"</th><th scope="col">"Kind"</th><th scope="col">"Safeguarding partner"</th></tr></thead>
            <tbody>{s.agencies.iter().map(|a| view! {
                <tr>
                    <th scope="row" data-label="Agency"><div>{a.name.clone()}</div></th>
                    <td data-label="Kind"><div>{a.kind.replace('_', " ")}</div></td>
                    <td data-label="Safeguarding partner"><div>{if a.safeguarding_partner { "Yes" } else { "No" }}</div></td>
                </tr>
            }).collect_view()}</tbody>
        </table>
        {may.then(|| view! {
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                change.dispatch_local(("agencies", false, serde_json::json!({ "name": agency_name.get(), "kind": agency_kind.get() })));
            }>
                <TextInput id="agency_name" label="Add an agency" value=agency_name error=Signal::derive(|| None::<String>)/>
                <Radios id="agency_kind" legend="Kind of agency" selected=agency_kind inline=true options=vec![
                    ("education", "Education"), ("health", "Health"), ("local_authority", "Local authority"), ("police", "Police"),
                    ("probation", "Probation"), ("voluntary", "Voluntary"), ("other", "Other")]/>
                <button type="submit" class="button button--secondary">"Add agency"</button>
            </form>
        })}

        {s.contacts.map(|contacts| view! {
            <h2 class="heading-m">"Who is told what"</h2>
            <table class="table table--stack">
                <thead><tr><th scope="col">"Contact"</th><th scope="col">"Receives"</th><th scope="col">"Email"</th></tr></thead>
                <tbody>{contacts.into_iter().map(|c| view! {
                    <tr>
                        <th scope="row" data-label="Contact"><div>{c.name}</div></th>
                        <td data-label="Receives"><div>{c.purpose.replace('_', " ")}</div></td>
                        <td data-label="Email"><div>{c.email}</div></td>
                    </tr>
                }).collect_view()}</tbody>
            </table>
        })}
    }
}

#[component]
fn PlaybookSteps(playbook: Playbook) -> impl IntoView {
    view! {
        <table class="table table--stack playbook">
            <caption class="table__caption">"Steps and timescales"</caption>
            <thead><tr><th scope="col">"Step"</th><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"Source"</th></tr></thead>
            <tbody>{playbook.steps.into_iter().map(|s| view! {
                <tr>
                    <th scope="row" data-label="Step"><div>{s.name.clone()}{s.statutory.then_some(" (statutory)")}</div></th>
                    <td data-label="When"><div>{format!("{} {}", s.unit.describe(s.offset), s.anchor.as_str().replace('_', " "))}</div></td>
                    <td data-label="Who"><div>{s.owner.label()}</div></td>
                    <td data-label="Source"><div class="hint">{s.source.clone()}</div></td>
                </tr>
            }).collect_view()}</tbody>
        </table>
    }
}
