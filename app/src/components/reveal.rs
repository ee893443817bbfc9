//! Personal data shown only when a person asks for it: a warning, a button,
//! then the data (each opening is audited by the API).

use std::future::Future;

use leptos::prelude::*;

use crate::api::ApiFailure;

/// `load` fetches the data when the button is pressed; `show` renders it.
pub fn open_on_purpose<T, Fut, V>(
    intro: &'static str,
    button: &'static str,
    load: impl Fn() -> Fut + 'static,
    show: impl Fn(T) -> V + Copy + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<T, ApiFailure>> + 'static,
    V: IntoView + 'static,
{
    let open = Action::new_local(move |_: &()| load());
    let pending = open.pending();
    move || match open.value().get() {
        None => view! {
            <p>{intro}</p>
            <button type="button" class="button button--secondary" disabled=move || pending.get()
                on:click=move |_| { open.dispatch_local(()); }>
                {move || if pending.get() { "Opening…" } else { button }}
            </button>
        }
        .into_any(),
        Some(Ok(data)) => show(data).into_any(),
        Some(Err(failure)) => view! {
            <div class="notification notification--error" role="alert"><p>{failure.message()}</p></div>
        }
        .into_any(),
    }
}
