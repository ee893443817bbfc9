//! Editing the partnership's playbook: rename a step, change its timescale
//! or owner, remove a local step, add one. The API refuses anything that
//! loosens a statutory step, and its message appears next to the step.

use domain::access::Role;
use domain::playbook::{Applies, Event, Playbook, Step, StepUnit};
use leptos::prelude::*;

use crate::api::{self, ApiFailure};
use domain::settings::PlaybookChangeInput;

const UNITS: [(StepUnit, &str); 7] = [
    (StepUnit::WorkingDaysAfter, "working days after"),
    (StepUnit::WorkingDaysBefore, "working days before"),
    (StepUnit::DayNumber, "by Day N from"),
    (StepUnit::CalendarDays, "days after"),
    (StepUnit::Weeks, "weeks after"),
    (StepUnit::Months, "months after"),
    (StepUnit::Hours, "hours after"),
];

fn applies_key(applies: Applies) -> String {
    serde_json::to_value(applies).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

fn unit_key(unit: StepUnit) -> String {
    serde_json::to_value(unit).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

fn event_label(event: Event) -> &'static str {
    event.label()
}

/// One step as the form holds it.
#[derive(Clone, Copy)]
struct StepFields {
    name: RwSignal<String>,
    offset: RwSignal<String>,
    unit: RwSignal<String>,
    owner: RwSignal<String>,
    anchor: RwSignal<String>,
    done_by: RwSignal<String>,
    applies: RwSignal<String>,
    /// A window's start, in the same unit (blank: not a window).
    earliest: RwSignal<String>,
    /// The original step (key, statutory, source) or none for a new one.
    original: StoredValue<Option<Step>>,
}

impl StepFields {
    fn of(step: &Step) -> Self {
        StepFields {
            name: RwSignal::new(step.name.clone()),
            offset: RwSignal::new(step.offset.to_string()),
            unit: RwSignal::new(unit_key(step.unit)),
            owner: RwSignal::new(step.owner.as_str().to_string()),
            anchor: RwSignal::new(step.anchor.as_str().to_string()),
            done_by: RwSignal::new(step.done_by.as_str().to_string()),
            applies: RwSignal::new(applies_key(step.applies)),
            earliest: RwSignal::new(step.earliest.map(|e| e.to_string()).unwrap_or_default()),
            original: StoredValue::new(Some(step.clone())),
        }
    }

    fn blank() -> Self {
        StepFields {
            name: RwSignal::new(String::new()),
            offset: RwSignal::new("5".into()),
            unit: RwSignal::new("working_days_after".into()),
            owner: RwSignal::new("partnership_team".into()),
            anchor: RwSignal::new("notified".into()),
            done_by: RwSignal::new("meeting_held".into()),
            applies: RwSignal::new(applies_key(Applies::Always)),
            earliest: RwSignal::new(String::new()),
            original: StoredValue::new(None),
        }
    }

    fn step(&self, index: usize) -> serde_json::Value {
        let original = self.original.get_value();
        let name = self.name.get();
        let key = original.as_ref().map(|s| s.key.clone()).unwrap_or_else(|| {
            let slug: String = name.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
            format!("local_{}_{}", slug.trim_matches('_').chars().take(30).collect::<String>(), index)
        });
        serde_json::json!({
            "key": key,
            "name": name,
            "anchor": self.anchor.get(),
            "offset": self.offset.get().trim().parse::<u32>().unwrap_or(0),
            "unit": self.unit.get(),
            "done_by": self.done_by.get(),
            "owner": self.owner.get(),
            "statutory": original.as_ref().is_some_and(|s| s.statutory),
            "applies": self.applies.get(),
            "earliest": self.earliest.get().trim().parse::<u32>().ok(),
            "source": original.map(|s| s.source).unwrap_or_else(|| "Set by the partnership".into()),
        })
    }
}

#[component]
pub fn PlaybookEditor(playbook: Playbook, version: u32, saved: Callback<()>) -> impl IntoView {
    let rows = RwSignal::new(playbook.steps.iter().map(StepFields::of).collect::<Vec<_>>());
    let failure = RwSignal::new(None::<ApiFailure>);
    let base = StoredValue::new(playbook);
    let send = Action::new_local(move |input: &PlaybookChangeInput| api::set_playbook(input.clone()));
    let pending = send.pending();
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => {
            failure.set(None);
            saved.run(());
        }
        Some(Err(f)) => failure.set(Some(f)),
        None => {}
    });
    let owner = Owner::current().unwrap_or_default();
    let add = move |_| {
        let fields = owner.with(StepFields::blank);
        rows.update(|r| r.push(fields));
    };
    let general = move || failure.get().and_then(|f| f.for_field("steps").or_else(|| f.for_field("playbook.steps")).or_else(|| (f.fields().iter().all(|x| x.field == "form")).then(|| f.problems())));
    view! {
        <details class="details">
            <summary class="details__summary">"Edit the steps"</summary>
            <form class="details__text" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let mut playbook = serde_json::to_value(base.get_value()).unwrap_or_default();
                playbook["steps"] = serde_json::Value::Array(rows.get().iter().enumerate().map(|(i, r)| r.step(i)).collect());
                send.dispatch_local(PlaybookChangeInput { version: Some(version), preset: None, playbook: Some(playbook) });
            }>
                <p class="hint">"Statutory steps can be made shorter, never longer, and cannot be removed."</p>
                {move || general().map(|m| view! { <p class="error-message" role="alert">{m}</p> })}
                {move || rows.get().into_iter().enumerate().map(|(i, r)| {
                    let id = format!("step-{i}");
                    let field = move |f: &'static str| Signal::derive(move || failure.get().and_then(|x| x.for_field(&format!("playbook.steps[{i}].{f}"))));
                    let statutory = r.original.get_value().is_some_and(|s| s.statutory);
                    let legend = move || if r.name.get().is_empty() { format!("New step {}", i + 1) } else { r.name.get() };
                    view! {
                        <fieldset class="fieldset playbook-step">
                            <legend class="fieldset__legend fieldset__legend--s">{legend}{statutory.then_some(" (statutory)")}</legend>
                            <crate::components::text_field::TextInput id=format!("{id}-name") label="Step" value=r.name error=field("name")/>
                            <div class="playbook-step__when">
                                <crate::components::text_field::TextInput id=format!("{id}-offset") label="How many" value=r.offset error=field("offset") width="input--width-3" input_type="number"/>
                                <div class="form-group">
                                    <label class="label" for=format!("{id}-unit")>"Counted as"</label>
                                    <select class="select" id=format!("{id}-unit") on:change=move |ev| r.unit.set(event_target_value(&ev))>
                                        {UNITS.iter().map(|(u, label)| { let key = unit_key(*u); let k2 = key.clone(); view! { <option value=key selected=move || r.unit.get() == k2>{*label}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <div class="form-group">
                                    <label class="label" for=format!("{id}-anchor")>"From"</label>
                                    <select class="select" id=format!("{id}-anchor") disabled=statutory on:change=move |ev| r.anchor.set(event_target_value(&ev))>
                                        {Event::ALL.iter().map(|e| { let key = e.as_str(); view! { <option value=key selected=move || r.anchor.get() == key>{event_label(*e)}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <div class="form-group">
                                    <label class="label" for=format!("{id}-done")>"Done when"</label>
                                    <select class="select" id=format!("{id}-done") disabled=statutory on:change=move |ev| r.done_by.set(event_target_value(&ev))>
                                        {Event::ALL.iter().map(|e| { let key = e.as_str(); view! { <option value=key selected=move || r.done_by.get() == key>{event_label(*e)}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <crate::components::text_field::TextInput id=format!("{id}-earliest") label="Not before (optional)" hint="For a window, such as between 7 and 13 working days: the 7"
                                    value=r.earliest error=field("earliest") width="input--width-3" input_type="number"/>
                                <div class="form-group">
                                    <label class="label" for=format!("{id}-applies")>"Applies to"</label>
                                    <select class="select" id=format!("{id}-applies") disabled=statutory on:change=move |ev| r.applies.set(event_target_value(&ev))>
                                        {Applies::ALL.iter().map(|a| { let key = applies_key(*a); let k2 = key.clone(); view! { <option value=key selected=move || r.applies.get() == k2>{a.label()}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <div class="form-group">
                                    <label class="label" for=format!("{id}-owner")>"Whose"</label>
                                    <select class="select" id=format!("{id}-owner") on:change=move |ev| r.owner.set(event_target_value(&ev))>
                                        {Role::ALL.iter().map(|role| { let key = role.as_str(); view! { <option value=key selected=move || r.owner.get() == key>{role.label()}</option> } }).collect_view()}
                                    </select>
                                </div>
                            </div>
                            {(!statutory).then(|| view! {
                                <button type="button" class="button button--secondary button--small" on:click=move |_| rows.update(|all| { all.remove(i); })>
                                    "Remove this step"<span class="visually-hidden">{move || format!(": {}", r.name.get())}</span>
                                </button>
                            })}
                        </fieldset>
                    }
                }).collect_view()}
                <button type="button" class="button button--secondary" on:click=add>"Add a step"</button>
                " "
                <button type="submit" class="button" disabled=move || pending.get()>{move || if pending.get() { "Saving…" } else { "Save the playbook" }}</button>
            </form>
        </details>
    }
}
