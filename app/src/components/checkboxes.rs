//! GOV.UK checkboxes: a fieldset of options, several may be chosen.

use leptos::prelude::*;

#[component]
pub fn Checkboxes(
    #[prop(into)] id: String,
    #[prop(into)] legend: String,
    #[prop(optional, into)] hint: Option<String>,
    /// (value, label) of each option.
    options: Vec<(&'static str, &'static str)>,
    chosen: RwSignal<Vec<String>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let described_by = hint.as_ref().map(|_| hint_id.clone());
    view! {
        <div class="form-group">
            <fieldset class="fieldset" aria-describedby=described_by>
                <legend class="fieldset__legend">{legend}</legend>
                {hint.map(|h| view! { <div class="hint" id=hint_id.clone()>{h}</div> })}
                <div class="checkboxes">
                    {options.into_iter().enumerate().map(|(i, (value, label))| {
                        let input_id = if i == 0 { id.clone() } else { format!("{id}-{i}") };
                        view! {
                            <div class="checkboxes__item">
                                <input
                                    class="checkboxes__input"
                                    id=input_id.clone()
                                    type="checkbox"
                                    value=value
                                    prop:checked=move || chosen.get().iter().any(|c| c == value)
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|list| {
                                            list.retain(|c| c != value);
                                            if on { list.push(value.to_string()); }
                                        });
                                    }
                                />
                                <label class="checkboxes__label" for=input_id>{label}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        </div>
    }
}
