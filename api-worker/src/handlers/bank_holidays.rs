//! Deployed, the daily run fetches gov.uk's `bank-holidays.json` (the
//! `BANK_HOLIDAYS_URL` var) so a partnership's official years grow without
//! anyone loading a file; deadlines counted through projected years are
//! counted again. Locally the var is unset and nothing is fetched.

use domain::calendar::Calendar;
use worker::{Env, Fetch, Url};

use crate::db::{audit, settings, timeline};
use crate::http::error::ApiError;
use crate::platform::clock;

/// Returns how many partnerships took the newer file.
pub async fn refresh(env: &Env) -> Result<u32, ApiError> {
    let Ok(url) = env.var("BANK_HOLIDAYS_URL").map(|v| v.to_string()) else { return Ok(0) };
    let url = Url::parse(&url).map_err(|e| ApiError::Internal(worker::Error::RustError(e.to_string())))?;
    let mut response = Fetch::Url(url).send().await?;
    if response.status_code() != 200 {
        return Ok(0);
    }
    let json = response.text().await?;
    let shipped = Calendar::england_and_wales();
    // A file that does not read as gov.uk's is ignored: the calendar keeps what it had.
    let Ok(fetched) = shipped.with_newer_gov_uk_json(&json) else { return Ok(0) };
    let db = env.d1("DB")?;
    let mut updated = 0;
    for p in settings::bank_holidays_everywhere(&db).await? {
        let current = p.bank_holidays.as_deref().and_then(|j| shipped.with_newer_gov_uk_json(j).ok()).map_or(shipped.official_years(), |c| c.official_years());
        if fetched.official_years().1 <= current.1 {
            continue;
        }
        db.batch(vec![
            settings::refresh_bank_holidays(&db, &p.id, &json, &clock::now_rfc3339())?,
            audit::entry_by(&db, None, &p.id, None, "bank_holidays_refreshed", &format!("official to {}", fetched.official_years().1))?,
        ])
        .await?;
        timeline::recompute_partnership_by(&db, None, &p.id, "bank holidays refreshed from gov.uk").await?;
        updated += 1;
    }
    Ok(updated)
}
