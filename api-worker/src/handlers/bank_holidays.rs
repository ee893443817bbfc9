//! Deployed, the daily run fetches gov.uk's `bank-holidays.json` (the
//! `BANK_HOLIDAYS_URL` var) so a partnership's official years grow without
//! anyone loading a file; deadlines counted through projected years are
//! counted again. Locally the var is unset and nothing is fetched.

use domain::calendar::Calendar;
use serde::Deserialize;
use worker::{Env, Fetch, Url};

use crate::http::error::ApiError;
use crate::handlers::timeline::recompute_partnership_by;
use crate::db::audit;
use crate::platform::clock;

#[derive(Deserialize)]
struct Stored {
    id: String,
    bank_holidays: Option<String>,
}

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
    let partnerships: Vec<Stored> = db.prepare("SELECT id, bank_holidays FROM partnerships").all().await?.results()?;
    let mut updated = 0;
    for p in partnerships {
        let current = p.bank_holidays.as_deref().and_then(|j| shipped.with_newer_gov_uk_json(j).ok()).map_or(shipped.official_years(), |c| c.official_years());
        if fetched.official_years().1 <= current.1 {
            continue;
        }
        db.batch(vec![
            db.prepare("UPDATE partnerships SET bank_holidays = ?1, bank_holidays_loaded_at = ?2 WHERE id = ?3")
                .bind(&[json.as_str().into(), clock::now_rfc3339().into(), p.id.as_str().into()])?,
            audit::entry_by(&db, None, &p.id, None, "bank_holidays_refreshed", &format!("official to {}", fetched.official_years().1))?,
        ])
        .await?;
        recompute_partnership_by(&db, None, &p.id, "bank holidays refreshed from gov.uk").await?;
        updated += 1;
    }
    Ok(updated)
}
