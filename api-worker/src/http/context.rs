//! What every signed-in request starts from, built once by the route table:
//! the database, the principal and the UK date ([`Ctx`]); for a route under
//! `/cases/{reference}`, also the case, found within the principal's scope
//! ([`CaseCtx`]). A handler never opens the database or looks a case up itself.

use chrono::NaiveDate;
use domain::access::Capability;
use worker::{D1Database, Env, Request};

use crate::auth::principal::Principal;
use crate::auth::session;
use crate::db::audit::{self, SealedRead};
use crate::db::cases::{self, CaseRef, StoredCase};
use crate::http::error::ApiError;
use crate::platform::clock;
use crate::platform::sealed::{Opener, Sealer};

pub struct Ctx<'a> {
    pub env: &'a Env,
    pub db: D1Database,
    pub who: Principal,
    /// Today in the UK, where the statutory clocks run; read once per request.
    pub today: NaiveDate,
}

impl<'a> Ctx<'a> {
    /// 401 without a live session.
    pub async fn signed_in(req: &Request, env: &'a Env) -> Result<Ctx<'a>, ApiError> {
        let who = session::principal(req, env).await?;
        Ok(Ctx { env, db: env.d1("DB")?, who, today: clock::today_in_uk() })
    }

    pub fn require(&self, capability: Capability) -> Result<(), ApiError> {
        self.who.require(capability)
    }

    /// The case by reference, for someone who may read cases: 403 for a role
    /// that reads none, 404 for one outside their scope, so nobody learns
    /// which references exist in other partnerships.
    pub async fn case(&self, reference: &str) -> Result<CaseCtx<'_>, ApiError> {
        self.require(Capability::ReadCase)?;
        let stored = cases::find(&self.db, &self.who, reference).await?;
        Ok(CaseCtx { case: stored.case_ref()?, stored, ctx: self })
    }
}

/// A request about one case the principal may see.
pub struct CaseCtx<'a> {
    ctx: &'a Ctx<'a>,
    pub case: CaseRef,
    /// The row as stored, for the handlers that answer with it.
    pub stored: StoredCase,
}

impl<'a> std::ops::Deref for CaseCtx<'a> {
    type Target = Ctx<'a>;

    fn deref(&self) -> &Ctx<'a> {
        self.ctx
    }
}

impl CaseCtx<'_> {
    /// Whether the principal may read what is sealed: personal data and free text about the family.
    pub fn may_read_sealed(&self) -> bool {
        self.who.grants.may(Capability::ReadPersonalData)
    }

    /// The one way to open what is sealed on this case: refused (403) to a
    /// role that may not read personal data; otherwise the read is audited,
    /// naming what was opened, before anything is opened.
    pub async fn opener(&self, what: SealedRead) -> Result<Opener, ApiError> {
        self.require(Capability::ReadPersonalData)?;
        let read = audit::sealed_read(&self.db, &self.who, &self.case.id, what).await?;
        Ok(Sealer::for_partnership(self.env, &self.who.partnership_id).await?.opener(read))
    }
}
