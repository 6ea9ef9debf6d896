//! Data protection in the API: `myData`, `privacyNotice`, `updateMyProfile`, `deleteMyAccount`,
//! `eraseComplaintContact`, and the types `PersonalData`, `IdentityAccess`, `PrivacyNotice` and
//! `ErasureReceipt`.

use crate::graphql::datetime::DateTime;
use async_graphql::{Context, Description, ID, InputObject, Object, SimpleObject};

use crate::graphql::ContextExt as _;
use crate::graphql::account::{Account, UmkmInput};
use crate::graphql::complaint::Complaint;
use crate::graphql::enums::{Role, SellerIdentifierKind, SellerIdentifierSource};
use crate::graphql::id::{self, NodeType};
use laporlapak_service::account::UmkmRequest;
use laporlapak_service::privacy::{
    self as service, ErasureReceipt as ReceiptView, IdentityAccess as AccessView,
    PersonalData as DataView, ProfileChange,
};

/// Everything laporlapak holds about the signed-in citizen (UU 27/2022 PDP: access and
/// portability): the account, every complaint with its public status, thread and evidence files,
/// the privacy notice accepted, and the access log. Ask for every field to get a complete copy;
/// the answer is the JSON document a data-subject request is answered with (the operator's
/// `laporlapak pdp export --email` prints the same).
#[derive(Description)]
pub struct PersonalData(pub DataView);

#[Object(use_type_description)]
impl PersonalData {
    /// The account, with the identifying data as stored (decrypted for you).
    async fn account(&self) -> Account {
        Account(self.0.account.clone())
    }
    /// Every complaint you filed while signed in, newest first (at most 5,000; see
    /// `complaintsTruncated`), as you see them in `myComplaints`: status, thread, files.
    async fn complaints(&self) -> Vec<Complaint> {
        self.0
            .complaints
            .iter()
            .cloned()
            .map(Complaint::from)
            .collect()
    }
    /// Whether you have more complaints than listed; ask the ministry for the rest by letter.
    async fn complaints_truncated(&self) -> bool {
        self.0.complaints_truncated
    }
    /// Every time staff read your identity, newest first (at most 5,000): which role, for what
    /// and when, never who.
    async fn access_log(&self) -> Vec<IdentityAccess> {
        self.0
            .access_log
            .iter()
            .cloned()
            .map(IdentityAccess)
            .collect()
    }
    /// Seller identifiers (phone numbers, bank accounts, links) read from your own words — the
    /// descriptions of your complaints and the seller details of your replies — oldest first. They
    /// are held about the seller, and go with your complaint's evidence when retention applies.
    async fn seller_identifiers(&self) -> Vec<IdentifierFromYourWords> {
        self.0
            .identifiers
            .iter()
            .map(|row| IdentifierFromYourWords {
                kind: row.kind.into(),
                value: row.value.clone(),
                source: row.source.into(),
                complaint_id: row
                    .complaint_id
                    .map(|complaint| id::encode(NodeType::Complaint, complaint)),
                at: row.at.into(),
            })
            .collect()
    }
    /// What you did, as the audit trail recorded it (submissions, replies, withdrawals,
    /// corrections…), newest first (at most 5,000).
    async fn actions(&self) -> Vec<OwnAction> {
        self.0
            .actions
            .iter()
            .map(|action| OwnAction {
                at: action.at.into(),
                action: action.action.as_str().to_owned(),
                case_id: action
                    .case_id
                    .map(|case_id| id::encode(NodeType::Case, case_id)),
                details: action.details.clone(),
            })
            .collect()
    }
    /// The privacy notice you accepted at registration; null for an account registered before
    /// notices were recorded.
    async fn privacy_notice_version(&self) -> Option<&str> {
        self.0.account.privacy_notice_version.as_deref()
    }
    /// When you accepted it.
    async fn privacy_accepted_at(&self) -> Option<DateTime> {
        self.0.account.privacy_accepted_at.map(Into::into)
    }
    /// When this copy was made.
    async fn generated_at(&self) -> DateTime {
        self.0.generated_at.into()
    }
}

/// One read of a citizen's identity by the ministry's staff: recorded whenever a reviewer or an
/// administrator is shown who you are (as the reporter of a complaint you did not file
/// anonymously, when an administrator looks your account up, or when the operator exports your
/// data).
#[derive(Description)]
pub struct IdentityAccess(pub AccessView);

#[Object(use_type_description)]
impl IdentityAccess {
    /// When.
    async fn at(&self) -> DateTime {
        self.0.at.into()
    }
    /// The reader's role (REVIEWER or ADMIN); null for the operator at the server's command line.
    async fn role(&self) -> Option<Role> {
        self.0
            .role
            .and_then(laporlapak_domain::ActorRole::role)
            .map(Role::from)
    }
    /// Why: `reporter` (reading a case you reported in), `account` (an administrator looked your
    /// account up) or `export` (the operator exported your data on request).
    async fn purpose(&self) -> &str {
        &self.0.purpose
    }
    /// The case that was being read, for `reporter`.
    async fn case_id(&self) -> Option<ID> {
        self.0
            .case_id
            .map(|case_id| id::encode(NodeType::Case, case_id))
    }
}

/// A seller identifier read from your own words.
#[derive(SimpleObject)]
pub struct IdentifierFromYourWords {
    /// What kind of identifier.
    pub kind: SellerIdentifierKind,
    /// The identifier, normalised (a phone number as `+62…`).
    pub value: String,
    /// Where it was read: `DESCRIPTION` or `REPLY` (the seller details of a reply).
    pub source: SellerIdentifierSource,
    /// The complaint it was read from.
    pub complaint_id: Option<ID>,
    /// When it was read.
    pub at: DateTime,
}

/// Something you did, as the audit trail recorded it.
#[derive(SimpleObject)]
pub struct OwnAction {
    /// When.
    pub at: DateTime,
    /// What, e.g. `complaint.submitted`, `complaint.withdrawn`, `personal_data.corrected`.
    pub action: String,
    /// The case it concerned, if any.
    pub case_id: Option<ID>,
    /// What the record adds (e.g. the fields a correction changed).
    pub details: Option<String>,
}

/// The privacy notice: what laporlapak stores about you, why, for how long, and your rights. Its
/// full text is at `url`, in Indonesian and English.
#[derive(SimpleObject)]
pub struct PrivacyNotice {
    /// The current version; registration records the one accepted (`RegisterInput.privacyNoticeVersion`).
    pub version: String,
    /// Where the notice is served: `/privacy` (add `?lang=en` for English).
    pub url: String,
}

/// What an erasure removed and what it kept, and why.
#[derive(Description)]
pub struct ErasureReceipt(pub ReceiptView);

#[Object(use_type_description)]
impl ErasureReceipt {
    /// What was erased: `EMAIL`, `DISPLAY_NAME`, `UMKM` (NIB and business name), `PASSWORD`,
    /// `SESSIONS` (every token stops working at once), `REPORTER_LINKS`, `CONTACT_EMAILS`,
    /// `TRACKING_CODES` (revoked: they no longer open your complaints or their replies),
    /// `EVIDENCE_FILES` (files you uploaded), `RATE_LIMIT_COUNTERS`, `IDEMPOTENCY_KEYS`.
    async fn erased(&self) -> Vec<&str> {
        self.0.erased.clone()
    }
    /// What was kept, without any link to you, and why.
    async fn kept(&self) -> Vec<KeptData> {
        let lang = crate::graphql::error::current_lang();
        self.0
            .kept
            .iter()
            .map(|kept| KeptData {
                item: kept.item.to_owned(),
                count: kept.count,
                reason: kept.reason.text(lang).into_owned(),
            })
            .collect()
    }
    /// When.
    async fn at(&self) -> DateTime {
        self.0.at.into()
    }
}

/// Data an erasure keeps.
#[derive(SimpleObject)]
pub struct KeptData {
    /// `COMPLAINTS`, `AUDIT_EVENTS` or `REPLIES`.
    pub item: String,
    /// How many.
    pub count: i64,
    /// Why, in the request's language.
    pub reason: String,
}

/// A correction of your own data; fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateMyProfileInput {
    /// The name shown for the account, 1 to 100 characters.
    pub display_name: Option<String>,
    /// A new sign-in e-mail address; one already registered answers BAD_USER_INPUT.
    pub email: Option<String>,
    /// Declare (or correct) your UMKM business.
    pub umkm: Option<UmkmInput>,
    /// Withdraw your UMKM declaration: its NIB and business name are erased.
    #[graphql(default)]
    pub remove_umkm: bool,
    /// Your current password: required with `email` (missing answers BAD_USER_INPUT on
    /// `input.currentPassword`, wrong answers the same; checks are rate-limited like sign-in).
    pub current_password: Option<String>,
}

#[derive(Default)]
pub struct PrivacyQuery;

#[Object]
impl PrivacyQuery {
    /// Everything held about you (CITIZEN): see `PersonalData`. Only ever your own: no argument
    /// can name another account.
    #[graphql(complexity = "crate::graphql::DB_READ * 3 + child_complexity")]
    async fn my_data(&self, ctx: &Context<'_>) -> async_graphql::Result<PersonalData> {
        Ok(PersonalData(
            service::my_data(ctx.services()?, ctx.viewer()).await?,
        ))
    }

    /// The current privacy notice's version and where to read it. Public.
    async fn privacy_notice(&self) -> PrivacyNotice {
        PrivacyNotice {
            version: service::NOTICE_VERSION.to_owned(),
            url: "/privacy".to_owned(),
        }
    }
}

#[derive(Default)]
pub struct PrivacyMutation;

#[Object]
impl PrivacyMutation {
    /// Corrects your name, e-mail or UMKM data (CITIZEN; audited, naming only the fields changed).
    async fn update_my_profile(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to change.")] input: UpdateMyProfileInput,
    ) -> async_graphql::Result<Account> {
        let change = ProfileChange {
            display_name: input.display_name,
            email: input.email,
            umkm: input.umkm.map(|umkm| UmkmRequest {
                nib: umkm.nib,
                business_name: umkm.business_name,
            }),
            remove_umkm: input.remove_umkm,
            current_password: input.current_password,
        };
        Ok(Account(
            service::update_my_profile(ctx.services()?, ctx.viewer(), ctx.client_address(), change)
                .await?,
        ))
    }

    /// Erases your account (CITIZEN), after checking your password: e-mail, name, NIB, business
    /// name and password are gone and every token stops working at once. Your complaints stay,
    /// without any link to you (their case may be under legal process), and still count; their
    /// tracking codes are revoked and the evidence files you uploaded are deleted. The erasure
    /// holds across a restore of an older backup (the server keeps an erasure ledger). The
    /// answer lists what was erased and what was kept, and why. Cannot be undone. A wrong password answers BAD_USER_INPUT (`password`);
    /// password checks are rate-limited like sign-in (RATE_LIMITED).
    async fn delete_my_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Your current password.")] password: String,
    ) -> async_graphql::Result<ErasureReceipt> {
        Ok(ErasureReceipt(
            service::delete_my_account(
                ctx.services()?,
                ctx.viewer(),
                ctx.client_address(),
                &password,
            )
            .await?,
        ))
    }

    /// Erases the contact e-mail an anonymous reporter left with a complaint, proving the
    /// complaint is theirs with its tracking code. Public; rate-limited per address like every
    /// use of a tracking code. An unknown code answers NOT_FOUND; a contact already erased,
    /// CONFLICT.
    async fn erase_complaint_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The complaint's tracking code, e.g. `LL-7K3M-Q9XP`.")]
        tracking_code: String,
    ) -> async_graphql::Result<ErasureReceipt> {
        Ok(ErasureReceipt(
            service::erase_contact_by_tracking_code(
                ctx.services()?,
                ctx.viewer(),
                ctx.client_address(),
                &tracking_code,
            )
            .await?,
        ))
    }
}

/// The document `laporlapak pdp export` prints: every field of [`PersonalData`], the same answer
/// `myData` gives a client that asks for everything.
pub const EXPORT_QUERY: &str = "{
  account { id email displayName role umkm { nib businessName } createdAt disabledAt erasedAt
            privacyNoticeVersion }
  privacyNoticeVersion privacyAcceptedAt generatedAt complaintsTruncated
  complaints {
    id trackingCode category { code } platform { slug } listingUrl canonicalUrl accountHandle
    description province city status anonymous flags createdAt withdrawnAt evidenceUrls
    files { id name mediaType uploadedAt original { sha256 size } redacted { sha256 size } }
    messages { id from body at }
  }
  accessLog { at role purpose caseId }
  sellerIdentifiers { kind value source complaintId at }
  actions { at action caseId details }
}";

/// Runs [`EXPORT_QUERY`] against `data` and returns the JSON document.
pub async fn export_document(
    services: laporlapak_service::Services,
    data: DataView,
) -> Result<String, String> {
    let schema = async_graphql::Schema::build(
        PersonalData(data),
        async_graphql::EmptyMutation,
        async_graphql::EmptySubscription,
    )
    .data(services)
    .finish();
    let response = schema.execute(EXPORT_QUERY).await;
    if let Some(error) = response.errors.first() {
        return Err(error.message.clone());
    }
    let value = response
        .data
        .into_json()
        .map_err(|error| error.to_string())?;
    serde_json::to_string_pretty(&value).map_err(|error| error.to_string())
}
