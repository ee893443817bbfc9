//! Bringing every stored value to the current seal (`platform::sealed`): a
//! value written in clear before its column was sealed (migration 0007), or
//! sealed as `v1.` (one key, bound to no place), is resealed as `v2.` under
//! its partnership's key and bound to its place. The daily job does a batch
//! of each column at a time; readers open every version meanwhile, so the
//! change needs no downtime. A write applies only if the value is still what
//! was read.

use std::collections::HashMap;

use worker::Env;

use crate::db::sealing::{self, ALL};
use crate::http::error::ApiError;
use crate::platform::sealed::Sealer;

/// Rows per column per run: a large backlog is resealed within days.
const BATCH: u32 = 200;

/// Returns how many values were resealed.
pub async fn reseal_stale(env: &Env) -> Result<u32, ApiError> {
    let db = env.d1("DB")?;
    let mut sealers: HashMap<String, Sealer> = HashMap::new();
    let mut statements = Vec::new();
    for column in ALL {
        for read in sealing::stale(&db, column, BATCH).await? {
            if !sealers.contains_key(&read.partnership_id) {
                sealers.insert(read.partnership_id.clone(), Sealer::for_partnership(env, &read.partnership_id).await?);
            }
            let resealed = sealers[&read.partnership_id].reseal(column.at(&read.row), &read.value).await?;
            statements.push(sealing::replace(&db, column, &read, resealed)?);
        }
    }
    let count = statements.len() as u32;
    if count > 0 {
        db.batch(statements).await?;
    }
    Ok(count)
}
