//! The signed-in person, loaded once from the API and shared through context.
//! The routes that need a session are wrapped in [`SignedInOnly`] once, by
//! their parent route in `app.rs`.

use std::cell::Cell;
use std::rc::Rc;

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
        keep_alive_while_working(session);
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


/// While the person is working (typing or clicking, on a form that sends
/// nothing until the end), the session is kept alive: a `GET /session` at
/// most every third of the idle time. If the session has ended meanwhile,
/// the device lets go of it at once (`device::session_ended`).
fn keep_alive_while_working(session: Session) {
    let last_ping = Rc::new(Cell::new(js_sys::Date::now()));
    let on_activity = move || {
        let Some(who) = session.0.get_untracked().flatten() else { return };
        let every_ms = (f64::from(who.idle_timeout_seconds) * 1000.0 / 3.0).max(1000.0);
        let now = js_sys::Date::now();
        if now - last_ping.get() < every_ms {
            return;
        }
        last_ping.set(now);
        leptos::task::spawn_local(async move {
            if let Ok(None) = api::current_session().await {
                crate::device::session_ended();
            }
        });
    };
    let on_click = on_activity.clone();
    let _ = window_event_listener(leptos::ev::input, move |_| on_activity());
    let _ = window_event_listener(leptos::ev::click, move |_| on_click());
}
