//! The decisions recorded on a case: the threshold decision (whether to
//! notify the national panel) and the rapid review outcome. Each is stored
//! with the event it is on the timeline, in one batch that also moves the
//! case's route, deadlines and stage.

use domain::access::Capability;
use domain::deadline::{ReviewRoute, ThresholdRoute};
use domain::notification::Template;
use domain::playbook::Event;
use domain::threshold::{ThresholdDecisionInput, ThresholdOutcome};
use domain::settings::ContactPurpose;
use worker::{Request, Response};

use crate::db::decisions::{self, NewDecision};
use crate::db::timeline::{self, Entry, RouteFacts};
use crate::db::{cases, partnership, sealing};
use crate::http::context::CaseCtx;
use crate::http::error::ApiError;
use crate::http::{body, reply};
use crate::messaging::notifier::{self, Recipients};
use crate::platform::clock;
use crate::platform::sealed::Sealer;
use crate::platform::webcrypto::random_uuid;

/// The threshold decision: the engine's proposal and the people's decision, with rationale.
pub async fn record_threshold_decision(req: &mut Request, c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    let json = body::json(req).await?;
    c.require(Capability::RecordDecision)?;
    let (db, who, case) = (&c.db, &c.who, &c.case);
    let rules = partnership::rules(db, &who.partnership_id).await?;
    let rows = timeline::event_rows(db, &case.id).await?;
    let aware_on = timeline::recorded(case, &rows).iter().filter(|e| e.kind == Event::Aware).map(|e| e.on).min().unwrap_or(case.aware_on);
    let input: ThresholdDecisionInput = domain::field_error::from_json(&json, "a threshold decision")?;
    let decision = input.parse(aware_on, rules.playbook.threshold, &rules.calendar, c.today)?;
    let decided_on = decision.decided_on;
    let now = clock::now_rfc3339();
    let id = random_uuid();
    // The facts that choose the case's route. Overriding the engine leaves the
    // rapid review to the route the people chose.
    let facts = RouteFacts {
        rapid_review_required: if decision.overrides_engine { None } else { decision.engine.rapid_review_required },
        child_died: match decision.answers.outcome {
            domain::threshold::ChildOutcome::Died => Some(true),
            domain::threshold::ChildOutcome::Unknown => None,
            _ => Some(false),
        },
        decided_on: Some(decided_on),
    };
    let sealer = Sealer::for_partnership(c.env, &who.partnership_id).await?;
    let mut route = timeline::case_route(db, &case.id).await?;
    route.threshold = Some(ThresholdRoute { outcome: decision.outcome, decided_on, rapid_review_required: facts.rapid_review_required, child_died: facts.child_died });
    let mut statements = vec![decisions::insert(
        db,
        "threshold",
        NewDecision {
            id: &id,
            case_id: &case.id,
            answers_sealed: sealer.seal(sealing::DECISION_ANSWERS.at(&id), &serde_json::to_string(&decision.answers).unwrap_or_default()).await?,
            engine_outcome: Some(decision.engine.outcome.as_str()),
            outcome: decision.outcome.as_str(),
            overrides_engine: decision.overrides_engine,
            rationale_sealed: sealer.seal(sealing::DECISION_RATIONALE.at(&id), &decision.rationale).await?,
            decided_by: &who.user_id,
            decided_at: &now,
            facts: &facts,
        },
    )?];
    // Timed when decided today, so that steps counted in hours from the decision (Kent's 24 hours) start now.
    let at = (decided_on == c.today).then(|| now.clone());
    statements.extend(timeline::event_statements_on_route(db, who, case, Entry { at, ..Entry::of(Event::ThresholdDecided, decided_on) }, &route).await?);
    statements.push(cases::set_outcome(db, &case.id, decision.outcome.as_str(), None)?);
    if decision.outcome == ThresholdOutcome::Notify {
        // KRSCP: the partnership manager is told the same day; the strategic leadership too.
        let to = Recipients::Purposes(&[ContactPurpose::PartnershipManager, ContactPurpose::StrategicLeadership]);
        statements.push(notifier::about_case(c, req, Template::DecisionToNotify, decision.engine.due, to)?);
    }
    db.batch(statements).await?;
    reply::json(
        201,
        &domain::api::ThresholdDecisionRecorded {
            id,
            outcome: decision.outcome,
            overrides_engine: decision.overrides_engine,
            rationale: decision.rationale,
            engine: decision.engine,
        },
    )
}

/// The rapid review outcome: the partners' decision with its rationale (and, for
/// an LCSPR, its key lines of enquiry). An LCSPR starts the review's own clock.
pub async fn record_rapid_review_decision(req: &mut Request, c: &CaseCtx<'_>) -> Result<Response, ApiError> {
    let json = body::json(req).await?;
    c.require(Capability::RecordDecision)?;
    let (db, who, case) = (&c.db, &c.who, &c.case);
    let input: domain::rapid_review::RapidReviewDecisionInput = domain::field_error::from_json(&json, "a rapid review decision")?;
    let decision = input.parse(c.today)?;
    let option = decision.option.as_str();
    let decided_on = decision.decided_on;
    let id = random_uuid();
    let now = clock::now_rfc3339();
    let sealer = Sealer::for_partnership(c.env, &who.partnership_id).await?;
    let mut statements = vec![decisions::insert(
        db,
        "rapid_review_outcome",
        NewDecision {
            id: &id,
            case_id: &case.id,
            answers_sealed: sealer
                .seal(sealing::DECISION_ANSWERS.at(&id), &serde_json::to_string(&domain::rapid_review::DecisionAnswers::from(&decision)).unwrap_or_default())
                .await?,
            engine_outcome: None,
            outcome: option,
            overrides_engine: false,
            rationale_sealed: sealer.seal(sealing::DECISION_RATIONALE.at(&id), &decision.rationale).await?,
            decided_by: &who.user_id,
            decided_at: &now,
            facts: &RouteFacts { decided_on: Some(decided_on), ..RouteFacts::default() },
        },
    )?];
    let lcspr = decision.option == domain::rapid_review::ReviewOption::Lcspr;
    // An LCSPR starts its own clock: publication within 6 months of the decision to review.
    let also: &[Event] = if lcspr { &[Event::ReviewDecided] } else { &[] };
    let mut route = timeline::case_route(db, &case.id).await?;
    route.review = Some(ReviewRoute { option: decision.option, decided_on });
    statements.extend(timeline::event_statements_on_route(db, who, case, Entry { also, ..Entry::of(Event::OutcomeDecided, decided_on) }, &route).await?);
    if lcspr {
        let lines = sealer.seal(sealing::LINES_OF_ENQUIRY.at(&case.id), &serde_json::to_string(&decision.key_lines_of_enquiry).unwrap_or_default()).await?;
        statements.push(decisions::start_review(db, &case.id, lines, decided_on)?);
    }
    statements.push(cases::set_outcome(db, &case.id, option, Some(lcspr))?);
    db.batch(statements).await?;
    reply::json(201, &domain::api::RapidReviewDecisionRecorded { id, option: decision.option, warnings: decision.warnings })
}

