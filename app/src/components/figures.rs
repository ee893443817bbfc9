//! The figures of the case matrix over a chosen period, as charts for the
//! annual report: timeliness against the statutory limits, outcomes, themes.
//! Each chart is an SVG with a text alternative, and its numbers are also a table.

use chrono::Datelike;
use domain::figures::{Count, Figures, Timeliness};
use leptos::prelude::*;

use crate::api;
use crate::ui::{long_date, today_on_this_device};

/// One bar: its label, its length as a share of the longest, and the words for its value.
#[derive(Clone)]
struct Bar {
    label: String,
    share: f64,
    value: String,
}

#[component]
fn BarChart(#[prop(into)] title: String, bars: Vec<Bar>, #[prop(into)] empty: String) -> impl IntoView {
    if bars.is_empty() {
        return view! { <h3 class="heading-s">{title}</h3><p>{empty}</p> }.into_any();
    }
    let row = 44.0;
    let height = bars.len() as f64 * row + 4.0;
    let alt = bars.iter().map(|b| format!("{}: {}", b.label, b.value)).collect::<Vec<_>>().join("; ");
    let id = title.to_lowercase().replace(|c: char| !c.is_alphanumeric(), "-");
    view! {
        <figure class="chart">
            <figcaption class="heading-s" id=format!("{id}-title")>{title.clone()}</figcaption>
            <svg class="chart__svg" viewBox=format!("0 0 320 {height}") role="img" aria-labelledby=format!("{id}-title {id}-desc")>
                <desc id=format!("{id}-desc")>{alt}</desc>
                {bars.into_iter().enumerate().map(|(i, b)| {
                    let y = i as f64 * row;
                    view! {
                        <text x="0" y=y + 14.0 class="chart__label">{b.label}</text>
                        <rect x="0" y=y + 20.0 width=(b.share * 170.0).max(2.0) height="16" class="chart__bar"/>
                        <text x=(b.share * 170.0).max(2.0) + 6.0 y=y + 33.0 class="chart__value">{b.value}</text>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }.into_any()
}

fn timeliness_bar(label: &str, t: &Timeliness) -> Option<Bar> {
    t.percent_on_time().map(|p| Bar { label: label.to_string(), share: p as f64 / 100.0, value: format!("{p}% ({} of {})", t.on_time, t.due) })
}

fn count_bars(counts: &[Count], limit: usize) -> Vec<Bar> {
    let max = counts.iter().map(|c| c.count).max().unwrap_or(1).max(1) as f64;
    counts.iter().take(limit).map(|c| Bar { label: c.label.clone(), share: c.count as f64 / max, value: c.count.to_string() }).collect()
}

/// The periods people report on: the last twelve months, financial years (April to March) and calendar years.
fn periods(today: chrono::NaiveDate) -> Vec<(String, String, String)> {
    let mut out = vec![(String::new(), String::new(), "The last 12 months".to_string())];
    let fy_start = if today.month() >= 4 { today.year() } else { today.year() - 1 };
    for y in (fy_start - 2..=fy_start).rev() {
        out.push((format!("{y}-04-01"), format!("{}-03-31", y + 1), format!("April {y} to March {}", y + 1)));
    }
    for y in (today.year() - 2..=today.year()).rev() {
        out.push((format!("{y}-01-01"), format!("{y}-12-31"), format!("The year {y}")));
    }
    out
}

#[component]
pub fn FiguresSection() -> impl IntoView {
    let today = today_on_this_device();
    let choices = periods(today);
    let chosen = RwSignal::new(0usize);
    let options = choices.clone();
    let figures = LocalResource::new(move || {
        let (from, to, _) = options[chosen.get()].clone();
        let query = if from.is_empty() { String::new() } else { format!("from={from}&to={to}") };
        api::figures(query)
    });
    view! {
        <section class="figures" aria-labelledby="figures-heading">
            <h2 class="heading-m" id="figures-heading">"Figures"</h2>
            <div class="form-group">
                <label class="label" for="figures-period">"Period"</label>
                <select class="select" id="figures-period" on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {choices.iter().enumerate().map(|(i, (_, _, label))| view! { <option value=i.to_string()>{label.clone()}</option> }).collect_view()}
                </select>
            </div>
            <Transition fallback=|| view! { <p class="loading" role="status">"Counting…"</p> }>
                {move || Suspend::new(async move {
                    match figures.await {
                        Ok(f) => view! { <FiguresView f/> }.into_any(),
                        Err(failure) => view! { <p class="error-message">{failure.message()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn FiguresView(f: Figures) -> impl IntoView {
    let timeliness: Vec<Bar> = [
        timeliness_bar("Panel notified within 5 working days", &f.notification_on_time),
        timeliness_bar("Rapid reviews submitted within 15 working days", &f.rapid_reviews_on_time),
        timeliness_bar("LCSPRs published within 6 months", &f.lcsprs_within_six_months),
    ]
    .into_iter()
    .flatten()
    .collect();
    let row = |label: &'static str, value: String| view! { <tr><th scope="row">{label}</th><td class="table__numeric">{value}</td></tr> };
    let rate = |t: &Timeliness| match t.percent_on_time() {
        Some(p) => format!("{p}% ({} of {}; {} overdue)", t.on_time, t.due, t.overdue),
        None => "Nothing fell due".to_string(),
    };
    view! {
        <p class="hint" role="status">{format!("From {} to {}.", long_date(&f.period.from.to_string()), long_date(&f.period.to.to_string()))}</p>
        <div class="figures__grid">
            <BarChart title="On time" bars=timeliness empty="Nothing fell due in this period."/>
            <BarChart title="Rapid review outcomes" bars=count_bars(&f.outcomes, 8) empty="No outcome decided in this period."/>
            <BarChart title="Themes" bars=count_bars(&f.themes, 10) empty="No themes recorded for cases received in this period."/>
        </div>
        <details class="details">
            <summary class="details__summary">"The figures as a table"</summary>
            <table class="table">
                <caption class="table__caption visually-hidden">"Figures for the period"</caption>
                <tbody>
                    {row("Referrals received", f.referrals.to_string())}
                    {row("Notified to the national panel", f.notified.to_string())}
                    {row("Panel notified within 5 working days", rate(&f.notification_on_time))}
                    {row("Rapid reviews submitted within 15 working days", rate(&f.rapid_reviews_on_time))}
                    {row("LCSPRs published within 6 months", rate(&f.lcsprs_within_six_months))}
                    {row("Actions open (today)", f.actions_open.to_string())}
                    {row("Actions overdue (today)", f.actions_overdue.to_string())}
                </tbody>
            </table>
        </details>
        <p>{format!("{} referrals received, {} notified to the national panel. {} actions open, {} overdue.", f.referrals, f.notified, f.actions_open, f.actions_overdue)}</p>
    }
}
