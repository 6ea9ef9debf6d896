//! Notification mails: the consent text's version, and a citizen's setting.

use async_graphql::{Context, Object, SimpleObject};

use crate::graphql::enums::CaseStatus;

use crate::graphql::ContextExt as _;
use crate::graphql::error::current_lang;
use laporlapak_service::mail;

#[derive(Default)]
pub struct MailQuery;

#[Object]
impl MailQuery {
    /// The version of the consent text for notification mails, to send with
    /// `SubmitComplaintInput.mailConsentVersion` or `setMailNotifications`. Public.
    async fn mail_consent_version(&self) -> &'static str {
        mail::CONSENT_VERSION
    }

    /// Whether you receive notification mails about your complaints. CITIZEN only.
    #[graphql(complexity = "crate::graphql::DB_READ")]
    async fn my_mail_notifications(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(mail::citizen_setting(ctx.services()?, ctx.viewer()).await?)
    }
}

#[derive(Default)]
pub struct MailMutation;

#[Object]
impl MailMutation {
    /// Turns notification mails about your complaints on or off (on: to your account's e-mail,
    /// in the language of this request, recording the consent text's version). Off drops the
    /// mails not yet sent. Returns whether they are on. CITIZEN only.
    async fn set_mail_notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "True to receive notification mails, false to stop them.")] enabled: bool,
        #[graphql(
            desc = "The consent text's version (`mailConsentVersion`); the current one when omitted."
        )]
        consent_version: Option<String>,
    ) -> async_graphql::Result<bool> {
        Ok(mail::set_for_citizen(
            ctx.services()?,
            ctx.viewer(),
            enabled,
            consent_version.as_deref(),
            current_lang(),
        )
        .await?)
    }

    /// Answers "is the listing still online?" for the complaint a tracking code names, after its
    /// platform answered with a removal or an account action. `stillOnline: true` disputes the
    /// removal and puts a resolved case back in the review queue; `false` confirms it. Public;
    /// rate-limited with every use of a tracking code (120 a minute per client address). An
    /// unknown code is NOT_FOUND; a case with no removal to check is CONFLICT.
    async fn answer_still_online_by_tracking_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The complaint's tracking code, e.g. `LL-7K3M-Q9XP`.")]
        tracking_code: String,
        #[graphql(desc = "True when the listing can still be opened, false when it is gone.")]
        still_online: bool,
    ) -> async_graphql::Result<StillOnlineAnswer> {
        let outcome = mail::still_online::answer_by_tracking_code(
            ctx.services()?,
            ctx.viewer(),
            ctx.client_address(),
            &tracking_code,
            still_online,
        )
        .await?;
        Ok(StillOnlineAnswer {
            status: outcome.status.into(),
            disputed: outcome.disputed,
        })
    }
}

/// What a reporter's answer to "is it still online?" did.
#[derive(SimpleObject)]
pub struct StillOnlineAnswer {
    /// The status of the complaint's case after the answer (IN_REVIEW when a resolved case's
    /// removal was disputed).
    pub status: CaseStatus,
    /// Whether the platform's removal now stands disputed by a reporter.
    pub disputed: bool,
}
