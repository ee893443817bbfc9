//! Who may do what: the roles of SPEC.md "Who uses it", what each may do, and
//! which cases each may see. The worker asks these questions on every request;
//! nothing here knows about HTTP or storage.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Any agency's practitioner who sends a Serious Incident Notification.
    Referrer,
    /// The named safeguarding lead of one agency: answers information requests.
    AgencyLead,
    /// Business unit, partnership manager, review co-ordinator: runs the process.
    PartnershipTeam,
    /// Delegated safeguarding partner (local authority, police, health).
    DecisionMaker,
    /// Independent scrutineer, chair or advisor.
    Scrutineer,
    /// Lead reviewer of an LCSPR: sees only the reviews they were commissioned for.
    Reviewer,
    /// Strategic leadership group / executive: overview, escalations, sign-off.
    StrategicLeadership,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Referrer,
        Role::AgencyLead,
        Role::PartnershipTeam,
        Role::DecisionMaker,
        Role::Scrutineer,
        Role::Reviewer,
        Role::StrategicLeadership,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Referrer => "referrer",
            Role::AgencyLead => "agency_lead",
            Role::PartnershipTeam => "partnership_team",
            Role::DecisionMaker => "decision_maker",
            Role::Scrutineer => "scrutineer",
            Role::Reviewer => "reviewer",
            Role::StrategicLeadership => "strategic_leadership",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Referrer => "Referrer",
            Role::AgencyLead => "Agency safeguarding lead",
            Role::PartnershipTeam => "Partnership team",
            Role::DecisionMaker => "Decision maker (safeguarding partner)",
            Role::Scrutineer => "Independent scrutineer",
            Role::Reviewer => "Lead reviewer",
            Role::StrategicLeadership => "Strategic leadership",
        }
    }

    /// The cases this role may see at all, within its own partnership.
    pub fn case_scope(self) -> CaseScope {
        match self {
            Role::Referrer => CaseScope::OwnReferrals,
            Role::AgencyLead => CaseScope::RequestsToOwnAgency,
            Role::Reviewer => CaseScope::CommissionedReviews,
            Role::PartnershipTeam | Role::DecisionMaker | Role::Scrutineer | Role::StrategicLeadership => {
                CaseScope::WholePartnership
            }
        }
    }

    pub fn may(self, capability: Capability) -> bool {
        use Capability::*;
        match self {
            // The team runs the process; signing for the partners is the partners' own act.
            Role::PartnershipTeam => !matches!(capability, SignOff | SignForPartner),
            // A referrer follows the stage and dates of their own referrals: not the working record.
            Role::Referrer => matches!(capability, SubmitReferral | ListCases | ReadCase),
            Role::AgencyLead => {
                matches!(capability, SubmitReferral | ListCases | ReadCase | ReadCaseRecord | ReadPersonalData | AnswerInformationRequest)
            }
            Role::DecisionMaker => matches!(
                capability,
                SubmitReferral
                    | ListCases
                    | ReadCase
                    | ReadCaseRecord
                    | ReadPersonalData
                    | RecordDecision
                    | ViewCaseMatrix
                    | SignOff
                    | SignForPartner
            ),
            Role::Scrutineer => {
                matches!(capability, ListCases | ReadCase | ReadCaseRecord | ReadPersonalData | ViewCaseMatrix | RecordDecision)
            }
            Role::Reviewer => matches!(capability, ListCases | ReadCase | ReadCaseRecord | ReadPersonalData | SubmitReviewDraft),
            Role::StrategicLeadership => matches!(capability, ListCases | ReadCase | ReadCaseRecord | ViewCaseMatrix | SignOff),
        }
    }
}

/// Which cases of the partnership a role can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CaseScope {
    /// Only the referrals this user submitted.
    OwnReferrals,
    /// Only cases with an information request addressed to the user's agency.
    RequestsToOwnAgency,
    /// Only the reviews the user was commissioned for.
    CommissionedReviews,
    /// Every case of the partnership.
    WholePartnership,
}

/// Things a person can do. Personal data is its own capability: seeing a case
/// does not mean seeing who the child is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Capability {
    SubmitReferral,
    ListCases,
    /// A case's reference, stage and dates (its summary and timeline).
    ReadCase,
    /// The working record beyond stage and dates: requests, meetings, the
    /// report, the review, the action plan, the message log.
    ReadCaseRecord,
    ReadPersonalData,
    /// Change a case's record: external references, themes, tags.
    EditCase,
    RecordDecision,
    RecordEvent,
    ExtendDeadline,
    ManageInformationRequests,
    AnswerInformationRequest,
    ManageMeetings,
    ManageReview,
    SubmitReviewDraft,
    ManageActions,
    /// The executive's approval of an LCSPR's final report.
    SignOff,
    /// Signing the rapid review report for one safeguarding partner: only
    /// that partner's own decision maker (`rapid_review_report::may_sign_for`).
    SignForPartner,
    ViewCaseMatrix,
    ManageSettings,
    ReadAudit,
}

/// Everything one user holds in one partnership: the union of their roles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grants {
    pub roles: Vec<Role>,
}

impl Grants {
    pub fn new(mut roles: Vec<Role>) -> Self {
        roles.sort();
        roles.dedup();
        Grants { roles }
    }

    pub fn may(&self, capability: Capability) -> bool {
        self.roles.iter().any(|r| r.may(capability))
    }

    /// The widest view any of the user's roles gives; `None` when they have no role here.
    pub fn widest_scope(&self) -> Option<CaseScope> {
        self.roles.iter().map(|r| r.case_scope()).max()
    }

    /// Every scope the roles give, for queries that combine them (a referrer who is also an agency lead).
    pub fn scopes(&self) -> Vec<CaseScope> {
        let mut scopes: Vec<CaseScope> = self.roles.iter().map(|r| r.case_scope()).collect();
        scopes.sort();
        scopes.dedup();
        scopes
    }
}

/// The signed-in person as the API tells the app: enough to choose what to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    pub name: String,
    pub email: String,
    pub partnership_code: String,
    pub partnership_name: String,
    /// The preset the partnership's playbook follows (national, krscp, llr, kent, kirklees).
    #[serde(default)]
    pub playbook: String,
    pub roles: Vec<Role>,
    /// The agency a referrer or agency lead belongs to.
    pub agency_name: Option<String>,
    /// The session ends after this many seconds without a request.
    pub idle_timeout_seconds: u32,
}

/// `POST /session`: an email address and password as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignInInput {
    pub email: Option<String>,
    pub password: Option<String>,
}

/// Credentials worth checking: an address in the right form (lower case) and
/// the password exactly as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

impl SignInInput {
    pub fn parse(&self) -> Result<Credentials, crate::FieldErrors> {
        let mut errors = crate::FieldErrors::default();
        let email = self.email.as_deref().unwrap_or("").trim().to_lowercase();
        // Exactly as typed: spaces are characters of a password, and trimming
        // would let "  secret  " in for "secret".
        let password = self.password.clone().unwrap_or_default();
        if email.is_empty() {
            errors.push("email", "Enter your email address");
        } else if !email.contains('@') || email.len() > 254 {
            errors.push("email", "Enter an email address in the correct format, like name@example.org");
        }
        if password.is_empty() {
            errors.push("password", "Enter your password");
        }
        errors.into_result(|| Credentials { email, password })
    }
}

impl SignedIn {
    pub fn grants(&self) -> Grants {
        Grants::new(self.roles.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_is_checked_exactly_as_typed_and_an_address_in_lower_case() {
        let input = |email: &str, password: &str| SignInInput { email: Some(email.into()), password: Some(password.into()) }.parse();
        let c = input(" Team@KRSCP.demo ", "  demo-password-2026  ").unwrap();
        assert_eq!((c.email.as_str(), c.password.as_str()), ("team@krscp.demo", "  demo-password-2026  "));
        assert_eq!(input("team@krscp.demo", "").unwrap_err().0[0].field, "password");
        assert!(input("team@krscp.demo", " ").is_ok(), "a space is a character; the check says whether it is right");
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(serde_json::to_string(&role).unwrap(), format!("\"{}\"", role.as_str()));
        }
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn only_roles_that_need_it_see_personal_data() {
        let allowed: Vec<Role> = Role::ALL.into_iter().filter(|r| r.may(Capability::ReadPersonalData)).collect();
        assert_eq!(
            allowed,
            vec![Role::AgencyLead, Role::PartnershipTeam, Role::DecisionMaker, Role::Scrutineer, Role::Reviewer]
        );
    }

    #[test]
    fn strategic_leadership_is_read_only_apart_from_the_executive_sign_off() {
        let leadership = Role::StrategicLeadership;
        assert!(leadership.may(Capability::ViewCaseMatrix));
        assert!(leadership.may(Capability::SignOff));
        assert!(!leadership.may(Capability::SignForPartner), "only a partner's own decision maker signs for that partner");
        assert!(!Role::PartnershipTeam.may(Capability::SignForPartner), "the team writes the report; the partners sign it");
        let signers: Vec<Role> = Role::ALL.into_iter().filter(|r| r.may(Capability::SignForPartner)).collect();
        assert_eq!(signers, vec![Role::DecisionMaker]);
        for write in [Capability::SubmitReferral, Capability::RecordDecision, Capability::RecordEvent, Capability::ManageSettings] {
            assert!(!leadership.may(write), "{write:?}");
        }
    }

    #[test]
    fn a_referrer_reads_stages_and_dates_only() {
        let record: Vec<Role> = Role::ALL.into_iter().filter(|r| !r.may(Capability::ReadCaseRecord)).collect();
        assert_eq!(record, vec![Role::Referrer]);
        assert!(Role::Referrer.may(Capability::ReadCase));
    }

    #[test]
    fn narrow_roles_see_narrow_scopes() {
        assert_eq!(Role::Referrer.case_scope(), CaseScope::OwnReferrals);
        assert_eq!(Role::AgencyLead.case_scope(), CaseScope::RequestsToOwnAgency);
        assert_eq!(Role::Reviewer.case_scope(), CaseScope::CommissionedReviews);
        let both = Grants::new(vec![Role::Referrer, Role::AgencyLead, Role::Referrer]);
        assert_eq!(both.roles.len(), 2);
        assert_eq!(both.scopes(), vec![CaseScope::OwnReferrals, CaseScope::RequestsToOwnAgency]);
        assert!(both.may(Capability::AnswerInformationRequest));
        assert_eq!(Grants::default().widest_scope(), None);
    }

    #[test]
    fn only_the_partnership_team_manages_settings_and_reads_the_audit() {
        for role in Role::ALL {
            assert_eq!(role.may(Capability::ManageSettings), role == Role::PartnershipTeam);
            assert_eq!(role.may(Capability::ReadAudit), role == Role::PartnershipTeam);
        }
    }
}
