use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <h1 class="heading-l">"Page not found"</h1>
        <p>"If you typed the web address, check it is correct."</p>
        <p><A href="/">"Go to the start page"</A></p>
    }
}
