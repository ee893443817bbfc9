//! The parameters the app's addresses carry, typed once here for the routes
//! in `app.rs` and the pages they show, so no page spells a parameter's name.
//! Nothing here knows a page: pages import it, and it imports none of them.

use leptos::prelude::*;
use leptos_router::hooks::use_params;
use leptos_router::params::Params;

/// `/cases/:reference/…`, and `/referrals/received/:reference`: the receipt
/// names the case the referral became.
#[derive(Params, PartialEq, Clone, Debug)]
pub struct CaseParams {
    pub reference: Option<String>,
}

/// `/referrals/new/:step`; the form's first page has none.
#[derive(Params, PartialEq, Clone, Debug)]
pub struct StepParams {
    pub step: Option<String>,
}

/// The case reference in the address, followed as it changes: moving from one
/// case to another keeps the page and changes only its parameters.
pub fn use_case_reference() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params::<CaseParams>();
    move || params.with(|p| p.as_ref().ok().and_then(|p| p.reference.clone()).unwrap_or_default())
}

/// The step of the referral form in the address, if any.
pub fn use_referral_step() -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let params = use_params::<StepParams>();
    move || params.with(|p| p.as_ref().ok().and_then(|p| p.step.clone()))
}
