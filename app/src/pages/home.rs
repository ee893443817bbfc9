use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <h1 class="heading-xl">"Serious child safeguarding incidents"</h1>
        <p class="body-l">
            "Tell the safeguarding children partnership about an incident where a child has died or been \
             seriously harmed and abuse or neglect is known or suspected."
        </p>
        <p>"Use this service from any agency. It takes about 5 minutes. Your answers are kept on this device until you send them."</p>
        <A href="/referrals/new" attr:class="button button--start" attr:role="button" attr:draggable="false">
            "Start now"
            <svg class="button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false">
                <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z"/>
            </svg>
        </A>
        <h2 class="heading-m">"Partnership team"</h2>
        <p><A href="/cases">"See all cases"</A></p>
    }
}
