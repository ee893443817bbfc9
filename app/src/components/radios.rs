//! GOV.UK radios: one answer from a few, in a fieldset with a legend.

use leptos::prelude::*;

use super::text_field::FieldError;

#[component]
pub fn Radios(
    #[prop(into)] id: String,
    #[prop(into)] legend: String,
    #[prop(optional, into)] hint: Option<String>,
    /// (value, label) of each option.
    options: Vec<(&'static str, &'static str)>,
    selected: RwSignal<String>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
    /// Small radios laid out in a row (yes / no / not known).
    #[prop(optional)]
    inline: bool,
) -> impl IntoView {
    let error = error.unwrap_or_else(|| Signal::derive(|| None));
    let hint_id = format!("{id}-hint");
    let described_by = hint.as_ref().map(|_| hint_id.clone());
    let name = id.clone();
    view! {
        <div class=move || if error.get().is_some() { "form-group form-group--error" } else { "form-group" }>
            <fieldset class="fieldset" aria-describedby=described_by>
                <legend class="fieldset__legend fieldset__legend--s">{legend}</legend>
                {hint.map(|h| view! { <div class="hint" id=hint_id.clone()>{h}</div> })}
                <FieldError id=id.clone() error=error/>
                <div class=if inline { "radios radios--inline" } else { "radios" }>
                    {options.into_iter().enumerate().map(|(i, (value, label))| {
                        let input_id = if i == 0 { id.clone() } else { format!("{id}-{i}") };
                        let name = name.clone();
                        view! {
                            <div class="radios__item">
                                <input class="radios__input" id=input_id.clone() name=name type="radio" value=value
                                    prop:checked=move || selected.get() == value
                                    on:change=move |_| selected.set(value.to_string())/>
                                <label class="radios__label" for=input_id>{label}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        </div>
    }
}

pub const YES_NO_UNKNOWN: [(&str, &str); 3] = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known yet")];

/// "yes" / "no" / anything else as the engine's answer.
pub fn tri(value: &str) -> Option<bool> {
    match value {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}
