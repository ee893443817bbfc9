//! The single-page app that staff of every agency use in the browser.

mod api;
mod app;
mod components;
mod device;
mod draft;
mod pages;
mod routes;
mod session;
mod ui;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
