//! Your account: who you are signed in as, in which partnership and with
//! which roles, and the two ways to end sessions: here, or on every device
//! (for a lost phone, or a shared computer left signed in).

use leptos::prelude::*;

use crate::api;
use crate::device::signed_out;
use crate::session::Session;

#[component]
pub fn AccountPage() -> impl IntoView {
    let who = Session::get().user();
    let failure = RwSignal::new(None::<String>);
    let sign_out = Action::new_local(|everywhere: &bool| api::sign_out(*everywhere));
    Effect::new(move |_| match sign_out.value().get() {
        Some(Ok(())) => signed_out(),
        Some(Err(f)) => failure.set(Some(f.message())),
        None => {}
    });
    let pending = sign_out.pending();
    view! {
        <h1 class="heading-l">"Your account"</h1>
        {who.map(|who| view! {
            <dl class="summary-list">
                <div class="summary-list__row"><dt class="summary-list__key">"Name"</dt><dd class="summary-list__value">{who.name.clone()}</dd></div>
                <div class="summary-list__row"><dt class="summary-list__key">"Email address"</dt><dd class="summary-list__value">{who.email.clone()}</dd></div>
                <div class="summary-list__row"><dt class="summary-list__key">"Partnership"</dt><dd class="summary-list__value">{who.partnership_name.clone()}</dd></div>
                <div class="summary-list__row">
                    <dt class="summary-list__key">"Roles"</dt>
                    <dd class="summary-list__value">{who.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ")}</dd>
                </div>
                {who.agency_name.clone().map(|agency| view! {
                    <div class="summary-list__row"><dt class="summary-list__key">"Agency"</dt><dd class="summary-list__value">{agency}</dd></div>
                })}
            </dl>
        })}
        <h2 class="heading-m">"Signing out"</h2>
        <p>{format!(
            "You are signed out after {} without using the service, and 8 hours after you signed in. Signing out clears anything you were writing on this device.",
            minutes(Session::get().user().map_or(30, |u| u.idle_timeout_seconds.div_ceil(60)))
        )}</p>
        {move || failure.get().map(|message| view! { <div class="notification notification--error" role="alert"><p>{message}</p></div> })}
        <p>"Sign out everywhere ends every session you have, on every phone and computer, at once: use it if you lost a device or left yourself signed in somewhere."</p>
        <div class="button-group">
            <button type="button" class="button" disabled=move || pending.get() on:click=move |_| { sign_out.dispatch_local(false); }>"Sign out"</button>
            <button type="button" class="button button--warning" disabled=move || pending.get() on:click=move |_| { sign_out.dispatch_local(true); }>"Sign out everywhere"</button>
        </div>
    }
}

fn minutes(n: u32) -> String {
    if n == 1 { "1 minute".into() } else { format!("{n} minutes") }
}
