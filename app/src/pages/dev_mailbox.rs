//! The local dev mailbox: every message the product "sent" to the team's
//! partnership, so a person trying it (and the tests) can read exactly what
//! went out. For the partnership team; a deployed worker has no mailbox.

use leptos::prelude::*;

use crate::api;

#[component]
pub fn DevMailboxPage() -> impl IntoView {
    let messages = LocalResource::new(api::dev_mailbox);
    view! {
        <h1 class="heading-l">"Dev mailbox"</h1>
        <p class="hint">"Messages sent while running locally. Nothing here leaves this machine."</p>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading messages…"</p> }>
            {move || Suspend::new(async move {
                match messages.await {
                    Ok(mailbox) if mailbox.messages.is_empty() => view! { <p>"No messages yet."</p> }.into_any(),
                    Ok(mailbox) => mailbox.messages.into_iter().map(|m| view! {
                        <article class="message">
                            <h2 class="heading-s">{m.subject}</h2>
                            <p class="hint">{format!("To {} · {}", m.recipient, m.created_at)}</p>
                            <pre class="message__body">{m.body}</pre>
                        </article>
                    }).collect_view().into_any(),
                    Err(f) if f.is_forbidden() => view! { <p>"The dev mailbox is for the partnership team."</p> }.into_any(),
                    Err(_) => view! { <p>"The dev mailbox is only available when running locally."</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
