//! `Platform` and `Category`, and the public queries that list them. Both wrap the process's
//! shared copy of the reference data: a page of fifty cases shares one platform value, it does not
//! copy it fifty times.

use std::sync::Arc;

use async_graphql::{Context, Description, InputObject, Object};

use crate::graphql::ContextExt as _;
use crate::graphql::error::current_lang;
use laporlapak_domain::i18n::Lang;
use laporlapak_service::reference::Category as CategoryRow;
use laporlapak_service::reference::PlatformWithHosts;
use laporlapak_service::reference::{self, PlatformRequest};

/// A platform that receives takedown requests (Instagram, TikTok, Shopee, …). Public reference
/// data; administrators manage it with `upsertPlatform`.
#[derive(Clone, Description)]
pub struct Platform(pub Arc<PlatformWithHosts>);

#[Object(use_type_description)]
impl Platform {
    /// Stable identifier, e.g. `instagram`: lower-case letters, digits and inner hyphens, at most
    /// 32 characters.
    async fn slug(&self) -> &str {
        &self.0.platform.slug
    }
    /// The platform's display name, e.g. `Instagram`.
    async fn name(&self) -> &str {
        &self.0.platform.name
    }
    /// Host names that identify this platform's URLs (subdomains included).
    async fn hosts(&self) -> &[String] {
        &self.0.hosts
    }
    /// The platform's committed hours to answer a NORMAL notice (24 by default): the platform's
    /// own commitment, not a statutory deadline. Komdigi's orders run on the statutory 1×24 hours
    /// whatever this says.
    async fn response_hours(&self) -> i32 {
        self.0.platform.response_hours
    }
    /// The platform's committed hours to answer an URGENT notice (4 by default): a commitment, not
    /// statutory. Urgent orders run on the statutory 4 hours.
    async fn urgent_response_hours(&self) -> i32 {
        self.0.platform.urgent_response_hours
    }
    /// Whether the platform takes complaints and appears in `platforms`; an inactive one keeps its
    /// cases and requests.
    async fn active(&self) -> bool {
        self.0.platform.active
    }
}

/// What a complaint is about, with the law that makes it a violation. Public reference data.
#[derive(Description)]
pub struct Category(pub Arc<CategoryRow>);

#[Object(use_type_description)]
impl Category {
    /// Stable code, e.g. `USED_CLOTHING_IMPORT`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// The label in the request's language (Indonesian unless `Accept-Language: en`).
    async fn label(&self) -> &str {
        match current_lang() {
            Lang::Id => &self.0.label_id,
            Lang::En => &self.0.label_en,
        }
    }
    /// The label in Indonesian.
    async fn label_id(&self) -> &str {
        &self.0.label_id
    }
    /// The label in English.
    async fn label_en(&self) -> &str {
        &self.0.label_en
    }
    /// The regulation that makes this a violation.
    async fn legal_basis(&self) -> &str {
        &self.0.legal_basis
    }
    /// 1 (lowest) to 5 (highest); raises the priority of cases in this category.
    async fn severity(&self) -> i32 {
        self.0.severity
    }
    /// Whether the 4-hour track may apply to this category's content: only the kinds
    /// Permenkominfo 5/2020 lists as urgent (terrorism, child sexual abuse material, content that
    /// disturbs public order). An URGENT order (or recommendation) in any other category is
    /// refused (BAD_USER_INPUT, field `input.urgency`). None of the seeded trade categories is of
    /// those kinds; an ADMIN sets it with `setCategoryUrgentTrack`.
    async fn urgent_track(&self) -> bool {
        self.0.urgent_track
    }
}

#[derive(Default)]
pub struct ReferenceQuery;

#[Object]
impl ReferenceQuery {
    /// Active complaint categories, in display order. Public (no token needed).
    #[graphql(complexity = "crate::graphql::DB_READ + 10 * child_complexity")]
    async fn categories(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Category>> {
        let rows = reference::categories(ctx.services()?);
        Ok(rows.into_iter().map(Category).collect())
    }

    /// Active platforms, by slug. Public (no token needed).
    #[graphql(complexity = "crate::graphql::DB_READ + 10 * child_complexity")]
    async fn platforms(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Platform>> {
        let rows = reference::platforms(ctx.services()?);
        Ok(rows.into_iter().map(Platform).collect())
    }
}

/// A platform to create or update, by slug.
#[derive(InputObject)]
pub struct PlatformInput {
    /// Lower-case letters, digits and inner hyphens, at most 32 characters; an existing slug
    /// updates that platform.
    pub slug: String,
    /// The display name, 1 to 100 characters.
    pub name: String,
    /// 1 to 20 host names that identify the platform's URLs, e.g. `instagram.com` (subdomains
    /// included). They replace the platform's hosts; a host of another platform answers
    /// BAD_USER_INPUT.
    pub hosts: Vec<String>,
    /// The platform's committed hours to answer a NORMAL notice, 1–720 (a commitment of the
    /// platform, not a statutory deadline; orders run on the statutory 24 hours); when omitted, 24
    /// for a new platform and unchanged for an existing one.
    pub response_hours: Option<i32>,
    /// The platform's committed hours to answer an URGENT notice, 1–720 (not statutory; urgent
    /// orders run on the statutory 4 hours); when omitted, 4 for a new platform and unchanged for
    /// an existing one.
    pub urgent_response_hours: Option<i32>,
    /// Whether the platform takes complaints; when omitted, true for a new platform and unchanged
    /// for an existing one.
    pub active: Option<bool>,
}

#[derive(Default)]
pub struct ReferenceMutation;

#[Object]
impl ReferenceMutation {
    /// ADMIN only: creates a platform, or updates the one with the same slug. Requests already
    /// issued keep their deadlines.
    async fn upsert_platform(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The platform.")] input: PlatformInput,
    ) -> async_graphql::Result<Platform> {
        let request = PlatformRequest {
            slug: input.slug,
            name: input.name,
            hosts: input.hosts,
            response_hours: input.response_hours,
            urgent_response_hours: input.urgent_response_hours,
            active: input.active,
        };
        Ok(Platform(
            reference::upsert_platform(ctx.services()?, ctx.viewer(), request).await?,
        ))
    }

    /// ADMIN only: whether a category's content is of the kinds Permenkominfo 5/2020 puts on the
    /// 4-hour track (terrorism, child sexual abuse material, content that disturbs public order),
    /// so that Komdigi's orders for it may be URGENT. Audited.
    async fn set_category_urgent_track(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The category's code.")] code: String,
        #[graphql(desc = "Whether the urgent track may apply.")] allowed: bool,
    ) -> async_graphql::Result<Category> {
        Ok(Category(
            reference::set_category_urgent_track(ctx.services()?, ctx.viewer(), code, allowed)
                .await?,
        ))
    }
}
