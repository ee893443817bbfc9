//! The scheduled reminder run (Workers cron trigger; `/__scheduled` under
//! `wrangler dev --test-scheduled`). It finds deadlines that have become due
//! soon or overdue and tells the owner and the partnership team once per
//! change of state, not on every run: `deadlines.reminded_state` remembers
//! what was last said, in the same batch as the message.

use std::collections::HashMap;

use domain::access::Role;
use domain::deadline::DeadlineStatus;
use domain::notification::{MessageFacts, Template};
use domain::settings::ContactPurpose;
use worker::Env;

use crate::db::deadlines::{self, StoredDeadline, judge};
use crate::db::partnership::{Rules, rules};
use crate::http::error::ApiError;
use crate::messaging::notifier::{self, Recipients};
use crate::platform::clock;

/// Who hears about a deadline: the partnership team always, and the contacts of the owner's role.
fn purposes(owner: Role) -> Vec<ContactPurpose> {
    let mut p = vec![ContactPurpose::PartnershipTeam];
    match owner {
        Role::AgencyLead => p.push(ContactPurpose::AgencyLead),
        Role::StrategicLeadership => p.push(ContactPurpose::StrategicLeadership),
        Role::DecisionMaker => p.push(ContactPurpose::PartnershipManager),
        _ => {}
    }
    p
}

/// Returns how many reminders were queued.
pub async fn run(env: &Env, origin: &str) -> Result<u32, ApiError> {
    let db = env.d1("DB")?;
    let open = deadlines::open_everywhere(&db).await?;
    let today = clock::today_in_uk();
    let mut partnership_rules: HashMap<String, Rules> = HashMap::new();
    let mut statements = Vec::new();
    let mut sent = 0;
    for d in open {
        if !partnership_rules.contains_key(&d.partnership_id) {
            partnership_rules.insert(d.partnership_id.clone(), rules(&db, &d.partnership_id).await?);
        }
        let calendar = &partnership_rules[&d.partnership_id].calendar;
        let Some(owner) = Role::parse(&d.owner_role) else { continue };
        let stored = StoredDeadline {
            original_due: &d.original_due,
            due: &d.due,
            extension_reason: d.extension_reason.as_deref(),
            earliest: None,
            done_on: None,
            not_applicable: None,
        };
        let Some((status, _)) = judge(&stored, today, calendar) else { continue };
        let due = d.due.clone();
        let (template, state) = match status {
            DeadlineStatus::DueSoon => (Template::DeadlineDueSoon, "due_soon"),
            DeadlineStatus::Overdue => (Template::DeadlineOverdue, "overdue"),
            _ => continue,
        };
        if d.reminded_state.as_deref() == Some(state) {
            continue;
        }
        let facts = MessageFacts {
            reference: d.reference.clone(),
            partnership: d.partnership_name.clone(),
            needed: Some(d.name.clone()),
            due: domain::date_input::parse_iso_date(&due).ok(),
            link: format!("{origin}/cases/{}", d.reference),
        };
        statements.push(notifier::queue_to(&db, env, &d.partnership_id, &d.case_id, template, &facts, Recipients::Purposes(&purposes(owner)))?);
        statements.push(deadlines::reminded(&db, &d.id, state)?);
        sent += 1;
    }
    // Small batches (each one transaction); a reminder and its state change are
    // adjacent and the chunk size is even, so a pair is never split.
    for chunk in statements.chunks(50) {
        db.batch(chunk.to_vec()).await?;
    }
    Ok(sent)
}
