//! Meetings on the case page: the rapid review meeting and others, with who
//! came for which agency, the quorum by the partnership's rule, notes (shown
//! only to roles that may read personal data), and an .ics to download.

use domain::access::Capability;
use domain::date_input::DateParts;
use domain::meeting::MeetingKind;
use leptos::prelude::*;

use crate::api::{self, ApiFailure};
use domain::api::Meeting;
use domain::meeting::{AttendanceInput, AttendeeInput, MeetingInput};
use crate::components::date_input::DateInput;
use crate::components::error_summary::ErrorSummary;
use crate::components::text_field::{TextArea, TextInput};
use crate::session::Session;
use crate::ui::long_date;

fn when(starts_at: &str) -> String {
    let (date, time) = starts_at.split_once('T').unwrap_or((starts_at, ""));
    format!("{}, {}", long_date(date), time)
}

#[component]
pub fn MeetingsSection(reference: String) -> impl IntoView {
    let may_manage = Session::get().user().is_some_and(|u| u.grants().may(Capability::ManageMeetings));
    let for_fetch = reference.clone();
    let meetings = LocalResource::new(move || api::meetings(for_fetch.clone()));
    let changed = Callback::new(move |_: ()| meetings.refetch());
    view! {
        <h2 class="heading-m" id="meetings">"Meetings"</h2>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading meetings…"</p> }>
            {move || {
                let reference = reference.clone();
                Suspend::new(async move {
                    match meetings.await {
                        Ok(list) => view! {
                            {list.meetings.is_empty().then(|| view! { <p>"No meeting booked yet."</p> })}
                            {list.meetings.into_iter().map(|m| view! { <MeetingCard reference=reference.clone() meeting=m may_manage changed/> }).collect_view()}
                            {may_manage.then(|| view! { <BookMeeting reference=reference.clone() changed/> })}
                        }.into_any(),
                        Err(f) => view! { <p class="error-message">{f.message()}</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn MeetingCard(reference: String, meeting: Meeting, may_manage: bool, changed: Callback<()>) -> impl IntoView {
    let ics = api::invitation_url(&reference, &meeting.id);
    let quorum = match meeting.quorate {
        Some(true) => Some(("tag tag--green", "Quorate")),
        Some(false) => Some(("tag tag--red", "Not quorate")),
        None => None,
    };
    let heading = format!("{}: {}", meeting.label, when(&meeting.starts_at));
    view! {
        <div class="meeting">
            <h3 class="heading-s">{heading}</h3>
            <p>
                {if meeting.held { view! { <span class="tag tag--grey">"Held"</span> }.into_any() } else { view! { <span class="tag">"Booked"</span> }.into_any() }}
                " "
                {quorum.map(|(class, text)| view! { <span class=class>{text}</span> })}
            </p>
            {meeting.quorum_note.clone().map(|n| view! { <p class="hint">{n}</p> })}
            {meeting.warnings.iter().map(|w| view! { <p class="warning-text"><span class="visually-hidden">"Warning: "</span>{w.clone()}</p> }).collect_view()}
            {meeting.location.clone().map(|l| view! { <p>{format!("Where: {l}")}</p> })}
            {(!meeting.attendees.is_empty()).then(|| view! {
                <table class="table table--stack">
                    <caption class="visually-hidden">"Attendees"</caption>
                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Agency"</th><th scope="col">"Decision maker"</th><th scope="col">"Attended"</th></tr></thead>
                    <tbody>{meeting.attendees.iter().map(|a| view! {
                        <tr>
                            <th scope="row" data-label="Name"><div>{format!("{} ({})", a.name, a.role_title)}</div></th>
                            <td data-label="Agency"><div>{a.agency.clone().unwrap_or_else(|| "No agency".into())}</div></td>
                            <td data-label="Decision maker"><div>{if a.decision_maker { "Yes" } else { "No" }}</div></td>
                            <td data-label="Attended"><div>{if a.present { "Yes" } else { "Apologies" }}</div></td>
                        </tr>
                    }).collect_view()}</tbody>
                </table>
            })}
            {meeting.notes.clone().map(|n| view! { <div class="inset"><p class="hint">"Notes (personal data)"</p><p class="pre-wrap">{n}</p></div> })}
            <p><a class="link" href=ics download="">"Download the calendar invitation (.ics)"</a></p>
            {may_manage.then(|| view! { <RecordAttendance reference meeting changed/> })}
        </div>
    }
}

/// One attendee row of a form.
#[derive(Clone, Copy)]
struct Row {
    agency: RwSignal<String>,
    name: RwSignal<String>,
    role: RwSignal<String>,
    decision_maker: RwSignal<bool>,
    present: RwSignal<bool>,
    email: RwSignal<String>,
}

impl Row {
    fn input(&self) -> AttendeeInput {
        let agency = self.agency.get();
        AttendeeInput {
            agency_id: if agency.is_empty() { None } else { Some(agency) },
            name: Some(self.name.get()),
            role_title: Some(self.role.get()),
            decision_maker: self.decision_maker.get(),
            present: Some(self.present.get()),
            email: Some(self.email.get()),
        }
    }
}

#[component]
fn AttendeeRows(#[prop(into)] prefix: String, rows: RwSignal<Vec<Row>>, failure: RwSignal<Option<ApiFailure>>, ask_present: bool) -> impl IntoView {
    let agencies = LocalResource::new(api::settings);
    let owner = Owner::current().unwrap_or_default();
    let add = move |_| {
        let row = owner.with(|| Row {
            agency: RwSignal::new(String::new()),
            name: RwSignal::new(String::new()),
            role: RwSignal::new(String::new()),
            decision_maker: RwSignal::new(false),
            present: RwSignal::new(true),
            email: RwSignal::new(String::new()),
        });
        rows.update(|r| r.push(row));
    };
    view! {
        {move || rows.get().into_iter().enumerate().map(|(i, row)| {
            let p = format!("{}-attendee-{i}", prefix);
            let field = move |f: &'static str| Signal::derive(move || failure.get().and_then(|x| x.for_field(&format!("attendees[{i}].{f}"))));
            view! {
                <fieldset class="fieldset attendee">
                    <legend class="fieldset__legend fieldset__legend--s">{format!("Attendee {}", i + 1)}</legend>
                    <TextInput id=format!("{p}-name") label="Name" value=row.name error=field("name")/>
                    <TextInput id=format!("{p}-role") label="Job title" value=row.role error=field("role_title")/>
                    <TextInput id=format!("{p}-email") label="Work email (optional)" hint="To tell them when the papers are ready" value=row.email error=field("email") input_type="email" autocomplete="off"/>
                    <div class="form-group">
                        <label class="label" for=format!("{p}-agency")>"Agency"</label>
                        <select class="select" id=format!("{p}-agency") on:change=move |ev| row.agency.set(event_target_value(&ev))>
                            <option value="" selected=move || row.agency.get().is_empty()>"No agency (for example the independent chair)"</option>
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    agencies.await.map(|s| s.agencies.into_iter().map(|a| {
                                        let id = a.id.clone();
                                        view! { <option value=a.id selected=move || row.agency.get() == id>{a.name}</option> }
                                    }).collect_view()).ok()
                                })}
                            </Suspense>
                        </select>
                    </div>
                    <div class="checkboxes checkboxes--small">
                        <div class="checkboxes__item">
                            <input class="checkboxes__input" type="checkbox" id=format!("{p}-dm") prop:checked=move || row.decision_maker.get()
                                on:change=move |ev| row.decision_maker.set(event_target_checked(&ev))/>
                            <label class="checkboxes__label" for=format!("{p}-dm")>"Can make decisions for their agency"</label>
                        </div>
                        {ask_present.then(|| view! {
                            <div class="checkboxes__item">
                                <input class="checkboxes__input" type="checkbox" id=format!("{p}-present") prop:checked=move || row.present.get()
                                    on:change=move |ev| row.present.set(event_target_checked(&ev))/>
                                <label class="checkboxes__label" for=format!("{p}-present")>"Attended"</label>
                            </div>
                        })}
                    </div>
                </fieldset>
            }
        }).collect_view()}
        <button type="button" class="button button--secondary" on:click=add>"Add an attendee"</button>
    }
}

const KINDS: [MeetingKind; 6] = MeetingKind::ALL;

#[component]
fn BookMeeting(reference: String, changed: Callback<()>) -> impl IntoView {
    let kind = RwSignal::new("rapid_review".to_string());
    let on = RwSignal::new(DateParts::default());
    let time = RwSignal::new(String::new());
    let location = RwSignal::new(String::new());
    let rows = RwSignal::new(Vec::<Row>::new());
    let failure = RwSignal::new(None::<ApiFailure>);
    let key = StoredValue::new(api::new_key());
    let send = Action::new_local(move |input: &MeetingInput| api::book_meeting(reference.clone(), input.clone(), key.get_value()));
    let pending = send.pending();
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => {
            failure.set(None);
            key.set_value(api::new_key());
            changed.run(());
        }
        Some(Err(f)) => failure.set(Some(f)),
        None => {}
    });
    let field = move |f: &'static str| Signal::derive(move || failure.get().and_then(|x| x.for_field(f)));
    view! {
        <form class="inline-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let date = on.get().parse().map(|d| d.to_string()).unwrap_or_default();
            send.dispatch_local(MeetingInput {
                kind: Some(kind.get()),
                on: Some(date),
                time: Some(time.get()),
                duration_minutes: None,
                location: Some(location.get()),
                attendees: rows.get().iter().map(Row::input).collect(),
            });
        }>
            <h3 class="heading-s">"Book a meeting"</h3>
            <ErrorSummary errors=Signal::derive(move || failure.get().map(|f| f.fields()).unwrap_or_default()) date_fields=&["on"]/>
            <div class="form-group">
                <label class="label" for="kind">"Kind of meeting"</label>
                <select class="select" id="kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    {KINDS.iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                </select>
            </div>
            <DateInput id="on" legend="Date" hint="For example, 3 12 2026" value=on error=field("on")/>
            <TextInput id="time" label="Start time" hint="24-hour clock, like 14:30" value=time error=field("time") width="input--width-5"/>
            <TextInput id="location" label="Where (optional)" value=location error=field("location")/>
            <AttendeeRows prefix="book" rows failure ask_present=false/>
            " "
            <button type="submit" class="button" disabled=move || pending.get()>{move || if pending.get() { "Booking…" } else { "Book the meeting" }}</button>
        </form>
    }
}

#[component]
fn RecordAttendance(reference: String, meeting: Meeting, changed: Callback<()>) -> impl IntoView {
    let rows = RwSignal::new(
        meeting
            .attendees
            .iter()
            .map(|a| Row {
                agency: RwSignal::new(a.agency_id.clone().unwrap_or_default()),
                name: RwSignal::new(a.name.clone()),
                role: RwSignal::new(a.role_title.clone()),
                decision_maker: RwSignal::new(a.decision_maker),
                present: RwSignal::new(a.present),
                email: RwSignal::new(a.email.clone().unwrap_or_default()),
            })
            .collect::<Vec<_>>(),
    );
    let notes = RwSignal::new(meeting.notes.clone().unwrap_or_default());
    let held = RwSignal::new(meeting.held);
    let failure = RwSignal::new(None::<ApiFailure>);
    let version = meeting.version;
    let meeting_id = meeting.id.clone();
    let send = Action::new_local(move |input: &AttendanceInput| api::record_meeting(reference.clone(), meeting_id.clone(), input.clone()));
    let pending = send.pending();
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => changed.run(()),
        Some(Err(f)) => failure.set(Some(f)),
        None => {}
    });
    let prefix = format!("m-{}", meeting.id);
    let notes_id = format!("{prefix}-notes");
    let held_id = format!("{prefix}-held");
    view! {
        <details class="details">
            <summary class="details__summary">"Record attendance and notes"</summary>
            <form class="details__text" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                send.dispatch_local(AttendanceInput {
                    version: Some(version),
                    held: held.get(),
                    notes: Some(notes.get()),
                    attendees: rows.get().iter().map(Row::input).collect(),
                });
            }>
                {move || failure.get().map(|f| match &f {
                    f if f.is_conflict() => view! { <p class="error-message" role="alert">"Someone else changed this meeting. Reload the page to see their changes, then record yours."</p> }.into_any(),
                    other => view! { <p class="error-message" role="alert">{other.problems()}</p> }.into_any(),
                })}
                <AttendeeRows prefix=prefix.clone() rows failure ask_present=true/>
                <TextArea id=notes_id label="Notes" hint="Kept sealed; shown only to people who may read personal details" value=notes error=Signal::derive(move || failure.get().and_then(|f| f.for_field("notes"))) rows=4/>
                <div class="checkboxes">
                    <div class="checkboxes__item">
                        <input class="checkboxes__input" type="checkbox" id=held_id.clone() prop:checked=move || held.get() on:change=move |ev| held.set(event_target_checked(&ev))/>
                        <label class="checkboxes__label" for=held_id>"The meeting was held"</label>
                    </div>
                </div>
                <button type="submit" class="button" disabled=move || pending.get()>"Save"</button>
            </form>
        </details>
    }
}
