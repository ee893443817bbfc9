//! Settings for the partnership team: the playbook (a preset or the
//! partnership's own copy), closure days, agencies and contacts.

use domain::access::Capability;
use domain::date_input::DateParts;
use domain::api::BankHolidayYears;
use domain::playbook::{Applies, Playbook};
use leptos::prelude::*;

use crate::api::{self, ApiFailure};
use domain::api::PartnershipSettings as Settings;
use domain::form_input::choice;
use domain::rapid_review::AgencyKind;
use domain::settings::{AgencyInput, BankHolidaysInput, ClosureDaysInput, PlaybookChangeInput};

/// One change to the settings; each answers with what the page reloads.
#[derive(Clone)]
pub enum SettingsChange {
    Playbook(PlaybookChangeInput),
    ClosureDays(ClosureDaysInput),
    Agency(AgencyInput),
    BankHolidays(BankHolidaysInput),
}

impl SettingsChange {
    async fn send(self) -> Result<(), ApiFailure> {
        match self {
            SettingsChange::Playbook(input) => api::set_playbook(input).await.map(drop),
            SettingsChange::ClosureDays(input) => api::set_closure_days(input).await.map(drop),
            SettingsChange::Agency(input) => api::add_agency(input).await.map(drop),
            SettingsChange::BankHolidays(input) => api::load_bank_holidays(input).await.map(drop),
        }
    }
}

/// The kinds of agency in the order the form offers them.
const AGENCY_KINDS: [AgencyKind; 7] = [
    AgencyKind::Education,
    AgencyKind::Health,
    AgencyKind::LocalAuthority,
    AgencyKind::Police,
    AgencyKind::Probation,
    AgencyKind::Voluntary,
    AgencyKind::Other,
];
use crate::components::date_input::DateInput;
use crate::components::playbook_editor::PlaybookEditor;
use crate::components::radios::Radios;
use crate::components::text_field::TextInput;
use crate::session::Session;
use crate::ui::long_date;

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
    let change: SettingsAction = Action::new_local(|change: &SettingsChange| change.clone().send());
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
                change.dispatch_local(SettingsChange::Playbook(PlaybookChangeInput { version: Some(version), preset: Some(preset.get()), playbook: None }));
            }>
                <Radios id="preset" legend="Start from a preset" options=presets selected=preset inline=true/>
                <button type="submit" class="button button--secondary">"Use this playbook"</button>
            </form>
            <PlaybookEditor playbook=s.playbook.clone() version saved=Callback::new(move |_| reload())/>
        })}

        <h2 class="heading-m">"Closure days"</h2>
        <p class="hint">"Days the partnership is closed, on top of bank holidays. They are not working days for any deadline."</p>
        {if days.is_empty() { view! { <p>"None."</p> }.into_any() } else { view! {
            <ul class="list">{days.iter().map(|d| {
                let d = d.clone();
                let rest: Vec<String> = days.iter().filter(|x| **x != d).cloned().collect();
                view! { <li>{long_date(&d)}" "{may.then(|| view! {
                    <button type="button" class="button button--secondary button--small"
                        on:click=move |_| { change.dispatch_local(SettingsChange::ClosureDays(ClosureDaysInput { version: Some(version), days: rest.clone() })); }>
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
                            change.dispatch_local(SettingsChange::ClosureDays(ClosureDaysInput { version: Some(version), days: all }));
                        }
                        Err(p) => message.set(Some(p.message("closure day"))),
                    }
                }>
                    <DateInput id="closure_day" legend="Add a closure day" value=closure error=Signal::derive(|| None::<String>)/>
                    <button type="submit" class="button button--secondary">"Add closure day"</button>
                </form>
            }
        })}

        <BankHolidays years=s.bank_holidays.clone() may version change/>

        <h2 class="heading-m">"Agencies"</h2>
        <table class="table table--stack">
            <thead><tr><th scope="col">"Agency"</th><th scope="col">"Kind"</th><th scope="col">"Safeguarding partner"</th></tr></thead>
            <tbody>{s.agencies.iter().map(|a| view! {
                <tr>
                    <th scope="row" data-label="Agency"><div>{a.name.clone()}</div></th>
                    <td data-label="Kind"><div>{a.kind.label()}</div></td>
                    <td data-label="Safeguarding partner"><div>{if a.safeguarding_partner { "Yes" } else { "No" }}</div></td>
                </tr>
            }).collect_view()}</tbody>
        </table>
        {may.then(|| view! {
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                change.dispatch_local(SettingsChange::Agency(AgencyInput { name: Some(agency_name.get()), kind: choice(&agency_kind.get()), safeguarding_partner: None }));
            }>
                <TextInput id="agency_name" label="Add an agency" value=agency_name error=Signal::derive(|| None::<String>)/>
                <Radios id="agency_kind" legend="Kind of agency" selected=agency_kind inline=true options=AGENCY_KINDS.iter().map(|k| (k.as_str(), k.label())).collect()/>
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
                        <td data-label="Receives"><div>{c.purpose.label()}</div></td>
                        <td data-label="Email"><div>{c.email}</div></td>
                    </tr>
                }).collect_view()}</tbody>
            </table>
        })}
    }
}

type SettingsAction = Action<SettingsChange, Result<(), ApiFailure>>;

/// Which years are gov.uk's and which are projected; a newer file can be loaded.
#[component]
fn BankHolidays(years: BankHolidayYears, may: bool, version: u32, change: SettingsAction) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let load = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let file = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("bank_holidays_file"))
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(e).ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else { return problem.set(Some("Choose the bank-holidays.json file downloaded from gov.uk".into())) };
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()).unwrap_or_default();
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(json) => {
                    problem.set(None);
                    change.dispatch_local(SettingsChange::BankHolidays(BankHolidaysInput { version: Some(version), file: Some(json) }));
                }
                Err(_) => problem.set(Some("The file is not JSON: choose the bank-holidays.json file downloaded from gov.uk".into())),
            }
        });
    };
    view! {
        <h2 class="heading-m">"Bank holidays"</h2>
        <dl class="summary-list">
            <div class="summary-list__row">
                <dt class="summary-list__key">"Official (gov.uk)"</dt>
                <dd class="summary-list__value">{format!("{} to {}", years.official_from, years.official_to)}
                    {years.loaded_at.as_deref().and_then(|t| t.get(..10)).map(|d| format!(" (a newer file was loaded on {})", long_date(d)))}</dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">"Projected"</dt>
                <dd class="summary-list__value">{format!("From {}: worked out by their usual rules. A one-off holiday declared later is not in them.", years.projected_from)}</dd>
            </div>
        </dl>
        {may.then(|| view! {
            <form novalidate on:submit=load>
                <div class=move || if problem.get().is_some() { "form-group form-group--error" } else { "form-group" }>
                    <label class="label" for="bank_holidays_file">"Load a newer bank holidays file"</label>
                    <div class="hint" id="bank_holidays_file-hint">"The bank-holidays.json file from www.gov.uk/bank-holidays.json. Every case's open deadlines are counted again."</div>
                    {move || problem.get().map(|p| view! { <p class="error-message" id="bank_holidays_file-error"><span class="visually-hidden">"Error: "</span>{p}</p> })}
                    <input class="file-upload" id="bank_holidays_file" name="bank_holidays_file" type="file" accept=".json,application/json"
                        aria-describedby="bank_holidays_file-hint"/>
                </div>
                <button type="submit" class="button button--secondary">"Load file"</button>
            </form>
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
                    <th scope="row" data-label="Step"><div>{s.name.clone()}{s.statutory.then_some(" (statutory)")}
                        {(s.applies != Applies::Always).then(|| view! { <br/><span class="hint">{format!("Applies: {}", s.applies.label().to_lowercase())}</span> })}
                    </div></th>
                    <td data-label="When"><div>{s.when()}</div></td>
                    <td data-label="Who"><div>{s.owner.label()}</div></td>
                    <td data-label="Source"><div class="hint">{s.source.clone()}</div></td>
                </tr>
            }).collect_view()}</tbody>
        </table>
    }
}
