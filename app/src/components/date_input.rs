//! The GOV.UK date input: day, month and year in three boxes inside a fieldset.

use domain::date_input::DateParts;
use leptos::prelude::*;

use super::text_field::FieldError;

#[component]
pub fn DateInput(
    #[prop(into)] id: String,
    #[prop(into)] legend: String,
    #[prop(optional, into)] hint: Option<String>,
    value: RwSignal<DateParts>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_hint = hint.is_some();
    let described_by = move || {
        let mut parts = Vec::new();
        if has_hint {
            parts.push(hint_id.clone());
        }
        if error.get().is_some() {
            parts.push(error_id.clone());
        }
        parts.join(" ")
    };
    let part = |name: &'static str,
                label: &'static str,
                width: &'static str,
                get: fn(&DateParts) -> String,
                set: fn(&mut DateParts, String)| {
        let input_id = format!("{id}-{name}");
        view! {
            <div class="date-input__item">
                <label class="label date-input__label" for=input_id.clone()>{label}</label>
                <input
                    class=format!("input date-input__input {width}")
                    class:input--error=move || error.get().is_some()
                    id=input_id.clone()
                    name=input_id
                    type="text"
                    inputmode="numeric"
                    prop:value=move || get(&value.get())
                    on:input=move |ev| value.update(|v| set(v, event_target_value(&ev)))
                />
            </div>
        }
    };
    view! {
        <div class=move || if error.get().is_some() { "form-group form-group--error" } else { "form-group" }>
            <fieldset class="fieldset" role="group" aria-describedby=described_by>
                <legend class="fieldset__legend">{legend}</legend>
                {hint.map(|h| view! { <div class="hint" id=format!("{}-hint", id)>{h}</div> })}
                <FieldError id=id.clone() error=error/>
                <div class="date-input" id=id.clone()>
                    {part("day", "Day", "input--width-2", |v| v.day.clone(), |v, s| v.day = s)}
                    {part("month", "Month", "input--width-2", |v| v.month.clone(), |v, s| v.month = s)}
                    {part("year", "Year", "input--width-4", |v| v.year.clone(), |v, s| v.year = s)}
                </div>
            </fieldset>
        </div>
    }
}
