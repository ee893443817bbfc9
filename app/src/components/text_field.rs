//! Labelled text inputs with hint and inline error, linked for screen readers.

use leptos::prelude::*;

fn group_class(error: Option<String>) -> &'static str {
    if error.is_some() { "form-group form-group--error" } else { "form-group" }
}

fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let parts: Vec<String> = [(hint, "hint"), (error, "error")]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, kind)| format!("{id}-{kind}"))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

#[component]
pub fn FieldError(id: String, #[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    move || {
        error.get().map(|message| {
            view! {
                <p class="error-message" id=format!("{id}-error")>
                    <span class="visually-hidden">"Error: "</span>
                    {message}
                </p>
            }
        })
    }
}

#[component]
pub fn TextInput(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional, into)] autocomplete: Option<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] width: Option<&'static str>,
) -> impl IntoView {
    let has_hint = hint.is_some();
    let id_for_desc = id.clone();
    view! {
        <div class=move || group_class(error.get())>
            <label class="label" for=id.clone()>{label}</label>
            {hint.map(|h| view! { <div class="hint" id=format!("{}-hint", id)>{h}</div> })}
            <FieldError id=id.clone() error=error/>
            <input
                class=format!("input {}", width.unwrap_or(""))
                class:input--error=move || error.get().is_some()
                id=id.clone()
                name=id.clone()
                type=input_type
                autocomplete=autocomplete
                spellcheck="false"
                aria-describedby=move || described_by(&id_for_desc, has_hint, error.get().is_some())
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </div>
    }
}

#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(default = 6)] rows: u32,
) -> impl IntoView {
    let has_hint = hint.is_some();
    let id_for_desc = id.clone();
    view! {
        <div class=move || group_class(error.get())>
            <label class="label" for=id.clone()>{label}</label>
            {hint.map(|h| view! { <div class="hint" id=format!("{}-hint", id)>{h}</div> })}
            <FieldError id=id.clone() error=error/>
            <textarea
                class="textarea"
                class:input--error=move || error.get().is_some()
                id=id.clone()
                name=id.clone()
                rows=rows
                aria-describedby=move || described_by(&id_for_desc, has_hint, error.get().is_some())
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
        </div>
    }
}
