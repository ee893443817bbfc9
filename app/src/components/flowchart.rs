//! The notification threshold flowchart as a picture, with the path the
//! answers took highlighted. The same path is also given as text for screen
//! readers and for anyone who cannot see the colours.

use leptos::prelude::*;

/// Questions, top to bottom, as the engine walks them.
const QUESTIONS: [(&str, &str); 8] = [
    ("age", "A child, or a care leaver under 25?"),
    ("care_leaver_death", "A care leaver who died?"),
    ("looked_after_death", "A looked after child who died?"),
    ("regulated_setting_death", "Died in a regulated setting? (local rule)"),
    ("harm", "Died or seriously harmed?"),
    ("abuse", "Abuse or neglect known or suspected?"),
    ("location", "Where did it happen?"),
    ("placing_authority", "Placed here by another authority? (local rule)"),
];

const OUTCOMES: [(&str, &str); 6] = [
    ("notify", "Notify the national panel"),
    ("placing_authority_invited", "Placing authority invited"),
    ("other_authority_notifies", "Other authority notifies"),
    ("information_only", "Information only"),
    ("not_notifiable", "Not notifiable"),
    ("undecided", "Cannot decide yet"),
];

const ROW: f64 = 52.0;
const Q_X: f64 = 8.0;
const Q_W: f64 = 200.0;
const O_X: f64 = 232.0;
const O_W: f64 = 150.0;
const BOX_H: f64 = 38.0;

fn q_y(i: usize) -> f64 {
    8.0 + i as f64 * ROW
}

fn o_y(i: usize) -> f64 {
    8.0 + i as f64 * (ROW * 8.0 / 6.0)
}

/// Splits a label over two lines so it fits its box.
fn lines(label: &str, max: usize) -> (String, Option<String>) {
    if label.len() <= max {
        return (label.to_string(), None);
    }
    let cut = label[..max].rfind(' ').unwrap_or(max);
    (label[..cut].to_string(), Some(label[cut..].trim().to_string()))
}

#[component]
pub fn ThresholdFlowchart(#[prop(into)] path: Signal<Vec<String>>) -> impl IntoView {
    let on_path = move |node: &str| path.with(|p| p.iter().any(|n| n == node));
    let description = move || {
        path.with(|p| {
            let names: Vec<&str> = p
                .iter()
                .filter_map(|n| QUESTIONS.iter().chain(OUTCOMES.iter()).find(|(id, _)| id == n).map(|(_, label)| *label))
                .collect();
            format!("Path through the flowchart: {}", names.join(" → "))
        })
    };
    let height = q_y(QUESTIONS.len()) + 4.0;
    view! {
        <figure class="flowchart">
            <svg viewBox=format!("0 0 390 {height}") role="img" aria-labelledby="flowchart-title flowchart-desc" class="flowchart__svg">
                <title id="flowchart-title">"Notification threshold flowchart"</title>
                <desc id="flowchart-desc">{description}</desc>
                // The spine between questions.
                {(0..QUESTIONS.len() - 1).map(|i| {
                    let taken = move || on_path(QUESTIONS[i].0) && on_path(QUESTIONS[i + 1].0);
                    view! {
                        <line x1=Q_X + Q_W / 2.0 y1=q_y(i) + BOX_H x2=Q_X + Q_W / 2.0 y2=q_y(i + 1)
                            class=move || if taken() { "flowchart__edge flowchart__edge--taken" } else { "flowchart__edge" }/>
                    }
                }).collect_view()}
                // From the last question on the path to the outcome.
                {move || {
                    let last_q = path.with(|p| p.iter().rev().find_map(|n| QUESTIONS.iter().position(|(id, _)| id == n)));
                    let outcome = path.with(|p| p.iter().rev().find_map(|n| OUTCOMES.iter().position(|(id, _)| id == n)));
                    match (last_q, outcome) {
                        (Some(q), Some(o)) => Some(view! {
                            <path d=format!("M {} {} C {} {} {} {} {} {}", Q_X + Q_W, q_y(q) + BOX_H / 2.0, O_X - 12.0, q_y(q) + BOX_H / 2.0, Q_X + Q_W + 12.0, o_y(o) + BOX_H / 2.0, O_X, o_y(o) + BOX_H / 2.0)
                                class="flowchart__edge flowchart__edge--taken" fill="none"/>
                        }),
                        _ => None,
                    }
                }}
                {QUESTIONS.iter().enumerate().map(|(i, (id, label))| {
                    let (first, second) = lines(label, 30);
                    let id = *id;
                    view! {
                        <g class=move || if on_path(id) { "flowchart__node flowchart__node--taken" } else { "flowchart__node" }>
                            <rect x=Q_X y=q_y(i) width=Q_W height=BOX_H rx="4"/>
                            <text x=Q_X + 8.0 y=q_y(i) + if second.is_some() { 16.0 } else { 23.0 }>{first}</text>
                            {second.map(|s| view! { <text x=Q_X + 8.0 y=q_y(i) + 31.0>{s}</text> })}
                        </g>
                    }
                }).collect_view()}
                {OUTCOMES.iter().enumerate().map(|(i, (id, label))| {
                    let (first, second) = lines(label, 22);
                    let id = *id;
                    view! {
                        <g class=move || if on_path(id) { format!("flowchart__outcome flowchart__outcome--taken flowchart__outcome--{id}") } else { "flowchart__outcome".to_string() }>
                            <rect x=O_X y=o_y(i) width=O_W height=BOX_H rx="19"/>
                            <text x=O_X + 10.0 y=o_y(i) + if second.is_some() { 16.0 } else { 23.0 }>{first}</text>
                            {second.map(|s| view! { <text x=O_X + 10.0 y=o_y(i) + 31.0>{s}</text> })}
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption class="hint">{description}</figcaption>
        </figure>
    }
}
