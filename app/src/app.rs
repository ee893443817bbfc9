//! The shell: header, navigation and the routes of the app. The screens that
//! need a session share one parent route, so the sign-in check is made in one
//! place, and a case's screens share `/cases/:reference`, whose parameter they
//! read as [`crate::routes::CaseParams`].

use leptos::prelude::*;
use leptos_router::components::{A, Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::api;
use crate::pages::account::AccountPage;
use crate::pages::action_plan::{ActionsPage, CaseActionPlanPage};
use crate::pages::case_page::CasePage;
use crate::pages::dev_mailbox::DevMailboxPage;
use crate::pages::lcspr::LcsprPage;
use crate::pages::rapid_review_report::RapidReviewReportPage;
use crate::pages::referral::{ReferralFormPage, ReferralReceivedPage};
use crate::pages::settings::SettingsPage;
use crate::pages::threshold::{CaseThresholdPage, ThresholdToolPage};
use crate::pages::{case_list::CaseListPage, home::HomePage, not_found::NotFoundPage, sign_in::SignInPage};
use crate::session::{Session, SignedInOnly};

#[component]
pub fn App() -> impl IntoView {
    Session::provide();
    view! {
        <Router>
            <a href="#main-content" class="skip-link">"Skip to main content"</a>
            <Header/>
            <div class="width-container">
                <main id="main-content" class="main" tabindex="-1">
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=HomePage/>
                        <Route path=path!("/sign-in") view=SignInPage/>
                        <Route path=path!("/referrals/received/:reference") view=ReferralReceivedPage/>
                        <Route path=path!("/threshold") view=ThresholdToolPage/>
                        <ParentRoute path=path!("") view=SignedInRoutes>
                            <Route path=path!("/referrals/new") view=ReferralFormPage/>
                            <Route path=path!("/referrals/new/:step") view=ReferralFormPage/>
                            <Route path=path!("/cases") view=CaseListPage/>
                            <ParentRoute path=path!("/cases/:reference") view=Outlet>
                                <Route path=path!("") view=CasePage/>
                                <Route path=path!("/threshold") view=CaseThresholdPage/>
                                <Route path=path!("/rapid-review-report") view=RapidReviewReportPage/>
                                <Route path=path!("/lcspr") view=LcsprPage/>
                                <Route path=path!("/actions") view=CaseActionPlanPage/>
                            </ParentRoute>
                            <Route path=path!("/actions") view=ActionsPage/>
                            <Route path=path!("/settings") view=SettingsPage/>
                            <Route path=path!("/account") view=AccountPage/>
                            <Route path=path!("/dev/mailbox") view=DevMailboxPage/>
                        </ParentRoute>
                    </Routes>
                </main>
            </div>
            <footer class="footer">
                <div class="width-container">
                    <p>"Personal details of children and families are special category data. Do not copy them into email."</p>
                </div>
            </footer>
        </Router>
    }
}

/// Every route that needs a session, checked once here: a screen added under
/// this parent cannot forget to send a signed-out visitor to sign in.
#[component]
fn SignedInRoutes() -> impl IntoView {
    view! { <SignedInOnly><Outlet/></SignedInOnly> }
}

#[component]
fn Header() -> impl IntoView {
    let session = Session::get();
    let sign_out = Action::new_local(|_: &()| api::sign_out(false));
    Effect::new(move |_| {
        if sign_out.value().get().is_some() {
            crate::device::signed_out();
        }
    });
    view! {
        <header class="header">
            <div class="width-container header__inner">
                <A href="/" attr:class="header__service">"Safeguarding case reviews"</A>
                <nav aria-label="Main">
                    <ul class="header__nav">
                        <li><A href="/referrals/new">"Refer an incident"</A></li>
                        <li><A href="/cases">"Cases"</A></li>
                        {move || session.user().filter(|u| !u.roles.iter().all(|r| *r == domain::access::Role::Referrer)).map(|_| view! {
                            <li><A href="/actions">"Actions"</A></li>
                        })}
                        {move || session.user().filter(|u| u.grants().may(domain::access::Capability::ManageSettings)).map(|_| view! {
                            <li><A href="/settings">"Settings"</A></li>
                        })}
                        {move || session.user().map(|who| view! {
                            <li class="header__user">
                                <span class="visually-hidden">"Signed in as "</span><A href="/account">{who.name}</A>
                            </li>
                            <li>
                                <button type="button" class="header__link-button" on:click=move |_| { sign_out.dispatch_local(()); }>
                                    "Sign out"
                                </button>
                            </li>
                        })}
                    </ul>
                </nav>
            </div>
        </header>
    }
}

