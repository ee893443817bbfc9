//! The GOV.UK error summary: every problem at the top of the page, each a link
//! to the field, focused when it appears so screen readers announce it.

use domain::FieldError;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The id of the element a field's error link should move focus to.
pub fn anchor_for(field: &str, date_fields: &[&str]) -> String {
    if date_fields.contains(&field) { format!("{field}-day") } else { field.to_string() }
}

/// As GOV.UK Frontend does: move focus to the field itself (the router would
/// otherwise treat the link as navigation) and bring its question into view.
fn focus_field(id: &str) {
    let Some(element) = document().get_element_by_id(id) else { return };
    let question = element.closest("fieldset").ok().flatten().or_else(|| element.closest(".form-group").ok().flatten());
    if let Some(question) = question {
        question.scroll_into_view();
    }
    if let Ok(html) = element.dyn_into::<web_sys::HtmlElement>() {
        let _ = html.focus();
    }
}

#[component]
pub fn ErrorSummary(
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    /// Fields rendered as day/month/year inputs: their links go to the day box.
    #[prop(optional)]
    date_fields: &'static [&'static str],
) -> impl IntoView {
    let summary = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if !errors.get().is_empty() {
            if let Some(element) = summary.get() {
                let _ = element.focus();
            }
        }
    });
    view! {
        <Show when=move || !errors.get().is_empty()>
            <div class="error-summary" node_ref=summary tabindex="-1" role="alert" aria-labelledby="error-summary-title">
                <h2 class="error-summary__title" id="error-summary-title">"There is a problem"</h2>
                <ul class="error-summary__list">
                    <For each=move || errors.get() key=|e| e.field.clone() let:error>
                        <li>
                            <a
                                href=format!("#{}", anchor_for(&error.field, date_fields))
                                on:click={
                                    let target = anchor_for(&error.field, date_fields);
                                    move |ev: leptos::ev::MouseEvent| {
                                        ev.prevent_default();
                                        focus_field(&target);
                                    }
                                }
                            >{error.message.clone()}</a>
                        </li>
                    </For>
                </ul>
            </div>
        </Show>
    }
}
