//! The live decision flowchart: as answers are given, the notification
//! threshold engine (the domain crate, running here in the browser) shows the
//! result, its reasons and sources, who must be told and by when, and the
//! questions still open. On a case, the partnership confirms or overrides it.

use domain::form_input::choice;
use domain::threshold::ThresholdDecisionInput;
use chrono::NaiveDate;
use domain::FieldErrors;
use domain::calendar::Calendar;
use domain::date_input::DateParts;
use domain::threshold::{AbuseOrNeglect, ChildOutcome, Location, SeriousHarm, ThresholdAnswers, ThresholdOptions, ThresholdOutcome, ThresholdResult, decide, decide_with};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiFailure};
use crate::components::checkboxes::Checkboxes;
use crate::components::date_input::DateInput;
use crate::components::error_summary::ErrorSummary;
use crate::components::flowchart::ThresholdFlowchart;
use crate::components::radios::{Radios, YES_NO_UNKNOWN, tri};
use crate::components::text_field::{TextArea, TextInput};
use crate::routes::use_case_reference;
use crate::session::Session;
use crate::ui::long_date;

const OUTCOMES: [(&str, &str); 5] = [
    ("died", "The child died"),
    ("seriously_harmed", "The child was seriously harmed"),
    ("harmed_not_seriously", "Harmed, but not seriously"),
    ("no_harm", "No harm"),
    ("unknown", "Not known yet"),
];
const ABUSE: [(&str, &str); 4] = [("known", "Known"), ("suspected", "Suspected"), ("not_suspected", "Not suspected"), ("unknown", "Not known yet")];
const LOCATIONS: [(&str, &str); 4] = [
    ("in_area", "In this authority's area"),
    ("outside_england_resident", "Outside England, child normally resident here"),
    ("elsewhere_in_england_resident", "Elsewhere in England, child resident here"),
    ("unknown", "Not known yet"),
];
const HARM_INDICATORS: [(&str, &str); 3] = [
    ("life_threatening", "Potentially life-threatening"),
    ("life_changing", "Life-changing"),
    ("long_term_impairment", "Serious or likely long-term impairment of health or development"),
];
const PLAYBOOKS: [(&str, &str); 5] = [("national", "National minimum"), ("krscp", "KRSCP"), ("llr", "LLR"), ("kent", "Kent"), ("kirklees", "Kirklees")];

fn parse<T: serde::de::DeserializeOwned>(raw: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(raw.to_string())).ok()
}

/// Every answer on the page, as typed.
#[derive(Clone, Copy)]
struct Answers {
    outcome: RwSignal<String>,
    harm: RwSignal<Vec<String>>,
    abuse: RwSignal<String>,
    looked_after: RwSignal<String>,
    care_leaver: RwSignal<String>,
    regulated_setting: RwSignal<String>,
    placed: RwSignal<String>,
    unexpected: RwSignal<String>,
    age: RwSignal<String>,
    location: RwSignal<String>,
}

impl Answers {
    fn new() -> Self {
        let s = |v: &str| RwSignal::new(v.to_string());
        Answers {
            outcome: s("unknown"),
            harm: RwSignal::new(Vec::new()),
            abuse: s("unknown"),
            looked_after: s("unknown"),
            care_leaver: s("unknown"),
            regulated_setting: s("unknown"),
            placed: s("unknown"),
            unexpected: s("unknown"),
            age: RwSignal::new(String::new()),
            location: s("unknown"),
        }
    }

    fn engine_input(&self, aware_on: NaiveDate, playbook: String) -> ThresholdAnswers {
        let harm = self.harm.get();
        let outcome = parse(&self.outcome.get()).unwrap_or(ChildOutcome::Unknown);
        ThresholdAnswers {
            aware_on,
            outcome,
            serious_harm: (outcome == ChildOutcome::SeriouslyHarmed && !harm.is_empty()).then(|| SeriousHarm {
                life_threatening: harm.iter().any(|h| h == "life_threatening"),
                life_changing: harm.iter().any(|h| h == "life_changing"),
                long_term_impairment: harm.iter().any(|h| h == "long_term_impairment"),
            }),
            abuse_or_neglect: parse(&self.abuse.get()).unwrap_or(AbuseOrNeglect::Unknown),
            looked_after: tri(&self.looked_after.get()),
            care_leaver: tri(&self.care_leaver.get()),
            regulated_setting: tri(&self.regulated_setting.get()),
            placed_by_other_authority: tri(&self.placed.get()),
            unexpected_death: tri(&self.unexpected.get()),
            age_years: self.age.get().trim().parse().ok().filter(|a: &u32| *a <= 30),
            location: parse(&self.location.get()).unwrap_or(Location::Unknown),
            playbook,
        }
    }

    /// The answers as the API takes them (without aware_on and playbook, which come from the case).
    fn json(&self, input: &ThresholdAnswers) -> serde_json::Value {
        let mut value = serde_json::to_value(input).unwrap_or_default();
        if let Some(object) = value.as_object_mut() {
            object.remove("aware_on");
            object.remove("playbook");
        }
        value
    }
}

fn recipient_label(r: &domain::threshold::Recipient) -> &'static str {
    use domain::threshold::Recipient::*;
    match r {
        NationalPanel => "Child Safeguarding Practice Review Panel",
        Ofsted => "Ofsted",
        Dfe => "Department for Education",
        SecretaryOfState => "Secretary of State for Education",
        ChildDeathReviewPartners => "Child death review partners",
        SafeguardingPartners => "The safeguarding partners",
    }
}

fn question_label(field: &str) -> &str {
    match field {
        "outcome" => "What happened to the child",
        "abuse_or_neglect" => "Whether abuse or neglect is known or suspected",
        "location" => "Where it happened",
        "looked_after" => "Whether the child was looked after",
        "care_leaver" => "Whether they were a care leaver",
        "regulated_setting" => "Whether it was in a regulated setting",
        "placed_by_other_authority" => "Whether another authority placed the child here",
        "unexpected_death" => "Whether the death was unexpected",
        "age_years" => "The child's age",
        other => other,
    }
}

#[component]
fn ResultPanel(#[prop(into)] result: Signal<Result<ThresholdResult, String>>) -> impl IntoView {
    move || match result.get() {
        Err(message) => view! { <div class="notification notification--error" role="alert"><p>{message}</p></div> }.into_any(),
        Ok(r) => {
            let class = format!("decision decision--{}", r.outcome.as_str());
            view! {
                <section class=class aria-live="polite" aria-labelledby="decision-title">
                    <h2 class="heading-m" id="decision-title">{r.outcome.label()}</h2>
                    {r.due.map(|due| view! { <p class="decision__due">"Due by "<strong>{due.format("%A %-d %B %Y").to_string()}</strong></p> })}
                    {match r.rapid_review_required {
                        Some(true) => Some(view! { <p>"A rapid review is required."</p> }.into_any()),
                        Some(false) => Some(view! { <p>"No rapid review is required."</p> }.into_any()),
                        None => None,
                    }}
                    {(!r.notify.is_empty()).then(|| view! {
                        <h3 class="heading-s">"Who must be told"</h3>
                        <ul class="list">{r.notify.iter().map(|n| view! { <li>{recipient_label(n)}</li> }).collect_view()}</ul>
                    })}
                    {(!r.open_questions.is_empty()).then(|| view! {
                        <h3 class="heading-s">"Questions still open"</h3>
                        <ul class="list">{r.open_questions.iter().map(|q| view! { <li>{question_label(q).to_string()}</li> }).collect_view()}</ul>
                    })}
                    {(!r.prompts.is_empty()).then(|| view! {
                        <div class="inset">{r.prompts.iter().map(|p| view! { <p>{p.clone()}</p> }).collect_view()}</div>
                    })}
                    <h3 class="heading-s">"Why"</h3>
                    <ul class="list reasons">
                        {r.reasons.iter().map(|reason| view! {
                            <li>{reason.text.clone()}<br/><span class="reasons__source">{reason.source.clone()}</span></li>
                        }).collect_view()}
                    </ul>
                </section>
            }.into_any()
        }
    }
}

/// The questions, the live result and the flowchart. `aware_on` and
/// `playbook` are signals so the stand-alone page can let people set them.
#[component]
fn ThresholdQuestions(answers: Answers, #[prop(into)] result: Signal<Result<ThresholdResult, String>>, local_rules: Signal<(bool, bool)>) -> impl IntoView {
    let path = Signal::derive(move || result.get().map(|r| r.path).unwrap_or_default());
    let died = move || answers.outcome.get() == "died";
    let serious = move || answers.outcome.get() == "seriously_harmed";
    view! {
        <div class="threshold">
            <div class="threshold__questions">
                <Radios id="outcome" legend="What happened to the child?" options=OUTCOMES.to_vec() selected=answers.outcome/>
                <Show when=serious>
                    <Checkboxes id="serious_harm" legend="Which indicators of serious harm apply?" hint="Select all that apply"
                        options=HARM_INDICATORS.to_vec() chosen=answers.harm/>
                </Show>
                <Radios id="abuse_or_neglect" legend="Is abuse or neglect known or suspected?" options=ABUSE.to_vec() selected=answers.abuse/>
                <Radios id="location" legend="Where did it happen?" options=LOCATIONS.to_vec() selected=answers.location/>
                <TextInput id="age_years" label="Age in years (optional)" value=answers.age error=Signal::derive(|| None::<String>) width="input--width-2"/>
                <Radios id="looked_after" legend="Was the child looked after?" options=YES_NO_UNKNOWN.to_vec() selected=answers.looked_after inline=true/>
                <Show when=died>
                    <Radios id="unexpected_death" legend="Was the death unexpected?" options=YES_NO_UNKNOWN.to_vec() selected=answers.unexpected inline=true/>
                    <Radios id="care_leaver" legend="Was this a care leaver?" options=YES_NO_UNKNOWN.to_vec() selected=answers.care_leaver inline=true/>
                </Show>
                <Show when=move || died() && local_rules.get().0>
                    <Radios id="regulated_setting" legend="Was the child in a regulated setting or service?" options=YES_NO_UNKNOWN.to_vec() selected=answers.regulated_setting inline=true/>
                </Show>
                <Show when=move || local_rules.get().1>
                    <Radios id="placed_by_other_authority" legend="Was the child placed here by another local authority?" options=YES_NO_UNKNOWN.to_vec() selected=answers.placed inline=true/>
                </Show>
            </div>
            <div class="threshold__result">
                <ResultPanel result/>
                <ThresholdFlowchart path/>
            </div>
        </div>
    }
}

fn run_engine(answers: &Answers, aware_on: Option<NaiveDate>, playbook: String) -> Result<ThresholdResult, String> {
    let aware_on = aware_on.ok_or_else(|| "Enter the date the agency became aware to see the due date.".to_string())?;
    decide(&answers.engine_input(aware_on, playbook), Calendar::england_and_wales()).map_err(|e| e.to_string())
}

fn local_rules(playbook: &str) -> (bool, bool) {
    domain::threshold::options_for_playbook(playbook).map(|o| local_questions(&o)).unwrap_or_default()
}

/// Which of the local questions the options ask.
fn local_questions(options: &ThresholdOptions) -> (bool, bool) {
    (options.regulated_setting_death_notifiable, options.placing_authority_invited)
}

/// The stand-alone tool: no case, no sign-in, nothing stored.
#[component]
pub fn ThresholdToolPage() -> impl IntoView {
    let answers = Answers::new();
    let aware = RwSignal::new(DateParts::default());
    let playbook = RwSignal::new("national".to_string());
    let result = Signal::derive(move || run_engine(&answers, aware.get().parse().ok(), playbook.get()));
    let rules = Signal::derive(move || local_rules(&playbook.get()));
    view! {
        <span class="caption-l">"Notification threshold"</span>
        <h1 class="heading-l">"Must the national panel be notified?"</h1>
        <p>"Answer what you know. The result changes as you answer; unknown answers never make a case not notifiable. Nothing here is stored."</p>
        <DateInput id="aware_on" legend="When did the agency become aware?" value=aware error=Signal::derive(|| None::<String>)/>
        <Radios id="playbook" legend="Which partnership's rules?" options=PLAYBOOKS.to_vec() selected=playbook inline=true/>
        <ThresholdQuestions answers result local_rules=rules/>
    }
}

/// On a case: the same tool, then the people's decision with its rationale.
#[component]
pub fn CaseThresholdPage() -> impl IntoView {
    let reference = use_case_reference();
    let case = LocalResource::new(move || api::read_case(reference()));
    // The partnership's own threshold options and calendar, as the API will judge the decision.
    let settings = LocalResource::new(api::settings);
    view! {
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the case…"</p> }>
            {move || Suspend::new(async move {
                match (case.await, settings.await) {
                    (Ok(view), Ok(settings)) => {
                        let closures = settings.closure_days.iter().filter_map(|d| domain::date_input::parse_iso_date(d).ok());
                        let calendar = Calendar::england_and_wales().with_closure_days(closures);
                        view! { <CaseThreshold reference=view.case.reference.clone() aware_on=view.case.aware_on.clone() options=settings.playbook.threshold calendar/> }.into_any()
                    }
                    (Err(failure), _) | (_, Err(failure)) => view! { <div class="notification notification--error" role="alert"><p>{failure.message()}</p></div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CaseThreshold(reference: String, aware_on: String, options: ThresholdOptions, calendar: Calendar) -> impl IntoView {
    let session = Session::get();
    let playbook = session.user().map(|u| u.playbook).filter(|p| !p.is_empty()).unwrap_or_else(|| "national".into());
    let aware_date = domain::date_input::parse_iso_date(&aware_on).ok();
    let answers = Answers::new();
    let result = Signal::derive({
        let playbook = playbook.clone();
        move || {
            let aware_on = aware_date.ok_or_else(|| "Enter the date the agency became aware to see the due date.".to_string())?;
            decide_with(&answers.engine_input(aware_on, playbook.clone()), options, &calendar).map_err(|e| e.to_string())
        }
    });
    let rules = Signal::derive(move || local_questions(&options));
    let decided = RwSignal::new(String::new());
    let rationale = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<domain::FieldError>::new());
    let engine_outcome = move || result.get().ok().map(|r| r.outcome);
    // Until someone chooses otherwise, the decision offered is the engine's.
    Effect::new(move |_| {
        if let Some(outcome) = engine_outcome() {
            if outcome != ThresholdOutcome::Undecided && decided.get_untracked().is_empty() {
                decided.set(outcome.as_str().to_string());
            }
        }
    });
    let submit = Action::new_local({
        let reference = reference.clone();
        move |input: &ThresholdDecisionInput| api::record_threshold_decision(reference.clone(), input.clone())
    });
    let navigate = use_navigate();
    let back = format!("/cases/{reference}");
    Effect::new({
        let back = back.clone();
        move |_| match submit.value().get() {
            Some(Ok(_)) => navigate(&back, Default::default()),
            Some(Err(ApiFailure::Rejected(r))) if !r.fields.is_empty() => errors.set(r.fields),
            Some(Err(other)) => {
                let mut e = FieldErrors::default();
                e.push("decision", other.message());
                errors.set(e.0);
            }
            None => {}
        }
    });
    let playbook_for_submit = playbook.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::default();
        let chosen = parse::<ThresholdOutcome>(&decided.get());
        if chosen.is_none() {
            e.push("decision", "Choose what was decided");
        }
        let overrides = chosen.is_some() && chosen != engine_outcome();
        if overrides && rationale.get().trim().chars().count() < domain::threshold::RATIONALE_MIN_CHARS {
            e.push("rationale", "The decision differs from the engine's: explain why in at least 20 characters");
        }
        if !e.is_empty() {
            errors.set(e.0);
            return;
        }
        errors.set(Vec::new());
        let input = answers.engine_input(aware_date.unwrap_or_default(), playbook_for_submit.clone());
        submit.dispatch_local(ThresholdDecisionInput {
            answers: Some(answers.json(&input)),
            outcome: choice(&decided.get()),
            rationale: Some(rationale.get()),
            decided_on: None,
        });
    };
    let error_for = move |field: &'static str| Signal::derive(move || errors.with(|l| l.iter().find(|e| e.field == field).map(|e| e.message.clone())));
    let decision_options: Vec<(&'static str, &'static str)> = [
        ThresholdOutcome::Notify,
        ThresholdOutcome::InformationOnly,
        ThresholdOutcome::OtherAuthorityNotifies,
        ThresholdOutcome::PlacingAuthorityInvited,
        ThresholdOutcome::NotNotifiable,
    ]
    .into_iter()
    .map(|o| (o.as_str(), o.label()))
    .collect();
    let pending = submit.pending();
    view! {
        <A href=back attr:class="back-link">{format!("Case {reference}")}</A>
        <ErrorSummary errors=errors/>
        <span class="caption-l">{format!("Threshold decision · {reference}")}</span>
        <h1 class="heading-l">"Must the national panel be notified?"</h1>
        <p>{format!("The agency became aware on {}. The clock runs from that date.", long_date(&aware_on))}</p>
        <ThresholdQuestions answers result local_rules=rules/>
        <form novalidate on:submit=on_submit class="decision-form">
            <h2 class="heading-m">"Record the decision"</h2>
            <p>"The engine proposes; the named decision makers decide. A decision that differs from the engine's needs a rationale."</p>
            <Radios id="decision" legend="What was decided?" options=decision_options selected=decided error=error_for("decision")/>
            <TextArea id="rationale" label="Rationale" hint="Required when the decision differs from the engine's proposal"
                value=rationale error=error_for("rationale") rows=4/>
            <button type="submit" class="button" disabled=move || pending.get()>
                {move || if pending.get() { "Recording…" } else { "Record the decision" }}
            </button>
        </form>
    }
}
