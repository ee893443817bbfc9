//! The shell: header, navigation and the routes of the app.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use crate::pages::{case_list::CaseListPage, home::HomePage, not_found::NotFoundPage};
use crate::pages::referral::{ReferralFormPage, ReferralReceivedPage};

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <a href="#main-content" class="skip-link">"Skip to main content"</a>
            <header class="header">
                <div class="width-container header__inner">
                    <A href="/" attr:class="header__service">"Safeguarding case reviews"</A>
                    <nav aria-label="Main">
                        <ul class="header__nav">
                            <li><A href="/referrals/new">"Refer an incident"</A></li>
                            <li><A href="/cases">"Cases"</A></li>
                        </ul>
                    </nav>
                </div>
            </header>
            <div class="width-container">
                <main id="main-content" class="main" tabindex="-1">
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=HomePage/>
                        <Route path=path!("/referrals/new") view=ReferralFormPage/>
                        <Route path=path!("/referrals/received/:reference") view=ReferralReceivedPage/>
                        <Route path=path!("/cases") view=CaseListPage/>
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
