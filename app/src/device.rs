//! What this browser holds of a session, and letting go of it. Signing out,
//! or the session ending on the server (idle too long, signed out
//! everywhere), clears every draft and anything stored on the device, and
//! loads the sign-in page afresh, so nothing of the session stays in memory
//! for the next person at this browser.

/// Clears session and local storage: drafts and anything else the app kept.
pub fn forget_everything() {
    use gloo_storage::Storage;
    gloo_storage::SessionStorage::clear();
    gloo_storage::LocalStorage::clear();
}

fn start_again_at(path: &str) {
    forget_everything();
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(path);
    }
}

/// After the person signed out.
pub fn signed_out() {
    start_again_at("/sign-in");
}

/// The API says there is no session any more: the sign-in page says why.
pub fn session_ended() {
    start_again_at("/sign-in?ended=1");
}
