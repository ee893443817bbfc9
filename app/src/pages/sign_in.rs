//! Sign in with an email address and password.

use domain::FieldErrors;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, ApiFailure};
use crate::components::error_summary::ErrorSummary;
use crate::components::text_field::TextInput;
use crate::session::Session;

/// Only paths inside the app: `next` must not send anyone to another site.
fn safe_next(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//")).unwrap_or_else(|| "/".into())
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = Session::get();
    let query = use_query_map();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());

    let attempt = Action::new_local(|(email, password): &(String, String)| {
        let (email, password) = (email.clone(), password.clone());
        async move { api::sign_in(domain::access::SignInInput { email: Some(email), password: Some(password) }).await }
    });
    Effect::new(move |_| match attempt.value().get() {
        Some(Ok(who)) => {
            session.0.set(Some(Some(who)));
            navigate(&safe_next(query.read_untracked().get("next")), Default::default());
        }
        Some(Err(ApiFailure::Rejected(rejection))) => {
            if rejection.fields.is_empty() {
                let mut e = FieldErrors::default();
                e.push("email", rejection.message);
                errors.set(e.0);
            } else {
                errors.set(rejection.fields);
            }
        }
        Some(Err(other)) => {
            let mut e = FieldErrors::default();
            e.push("email", other.message());
            errors.set(e.0);
        }
        None => {}
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::default();
        if email.get().trim().is_empty() {
            e.push("email", "Enter your email address");
        }
        if password.get().is_empty() {
            e.push("password", "Enter your password");
        }
        if e.is_empty() {
            errors.set(Vec::new());
            attempt.dispatch_local((email.get(), password.get()));
        } else {
            errors.set(e.0);
        }
    };
    let error_for = move |field: &'static str| {
        Signal::derive(move || errors.with(|l: &Vec<domain::FieldError>| l.iter().find(|e| e.field == field).map(|e| e.message.clone())))
    };
    let pending = attempt.pending();

    view! {
        <div class="grid-row">
            <div class="grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <h1 class="heading-l">"Sign in"</h1>
                {move || query.read().get("ended").is_some().then(|| view! {
                    <div class="notification" role="status">
                        <p>"You were signed out because you had not used the service for a while, or you signed out on another device. Anything you had not sent was cleared from this device to keep it safe."</p>
                    </div>
                })}
                <form novalidate on:submit=on_submit>
                    <TextInput id="email" label="Email address" value=email error=error_for("email") autocomplete="username" input_type="email"/>
                    <TextInput id="password" label="Password" value=password error=error_for("password") autocomplete="current-password" input_type="password"/>
                    <button type="submit" class="button" disabled=move || pending.get()>
                        {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </form>
            </div>
        </div>
    }
}
