//! The signed-in person, loaded once from the API and shared through context.
//! The routes that need a session are wrapped in [`SignedInOnly`] once, by
//! their parent route in `app.rs`.

use domain::access::SignedIn;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api;

/// `None` while loading; `Some(None)` when nobody is signed in.
#[derive(Clone, Copy)]
pub struct Session(pub RwSignal<Option<Option<SignedIn>>>);

impl Session {
    pub fn provide() -> Self {
        let session = Session(RwSignal::new(None));
        leptos::task::spawn_local(async move {
            // If the API cannot be reached, treat the person as signed out: the sign-in page says why.
            let who = api::current_session().await.unwrap_or(None);
            session.0.set(Some(who));
        });
        provide_context(session);
        session
    }

    pub fn get() -> Self {
        expect_context::<Session>()
    }

    pub fn user(&self) -> Option<SignedIn> {
        self.0.get().flatten()
    }
}

/// Shows its children to a signed-in person; sends anyone else to sign in and back.
#[component]
pub fn SignedInOnly(children: ChildrenFn) -> impl IntoView {
    let session = Session::get();
    let location = use_location();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(None) = session.0.get() {
            let next = location.pathname.get_untracked();
            navigate(&format!("/sign-in?next={}", js_sys::encode_uri_component(&next)), Default::default());
        }
    });
    move || match session.0.get() {
        None => view! { <p class="loading" role="status">"Checking you are signed in…"</p> }.into_any(),
        Some(None) => view! { <p>"Sign in to continue."</p> }.into_any(),
        Some(Some(_)) => children().into_any(),
    }
}

/// After signing out: every draft and cached answer on this device is
/// cleared, and the page is loaded afresh, so nothing of the session stays in
/// memory for the next person at this browser.
pub fn signed_out() {
    crate::draft::forget_everything();
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign("/sign-in");
    }
}
