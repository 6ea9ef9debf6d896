//! `Platform` and `Category`, and the public queries that list them. Both wrap the process's
//! shared copy of the reference data: a page of fifty cases shares one platform value, it does not
//! copy it fifty times.

use std::sync::Arc;

use async_graphql::{Context, InputObject, Object};

use crate::db::models::category::Category as CategoryRow;
use crate::db::models::platform::PlatformWithHosts;
use crate::graphql::ContextExt as _;
use crate::graphql::error::current_lang;
use crate::i18n::Lang;
use crate::service::reference::{self, PlatformRequest};

/// A platform that receives takedown requests.
#[derive(Clone)]
pub struct Platform(pub Arc<PlatformWithHosts>);

/// A platform that receives takedown requests.
#[Object]
impl Platform {
    /// Stable identifier, e.g. `instagram`.
    async fn slug(&self) -> &str {
        &self.0.platform.slug
    }
    async fn name(&self) -> &str {
        &self.0.platform.name
    }
    /// Host names that identify this platform's URLs (subdomains included).
    async fn hosts(&self) -> &[String] {
        &self.0.hosts
    }
    /// Hours a platform has to answer a NORMAL takedown request (Permenkominfo 5/2020: 24).
    async fn response_hours(&self) -> i32 {
        self.0.platform.response_hours
    }
    /// Hours a platform has to answer an URGENT takedown request (Permenkominfo 5/2020: 4).
    async fn urgent_response_hours(&self) -> i32 {
        self.0.platform.urgent_response_hours
    }
    async fn active(&self) -> bool {
        self.0.platform.active
    }
}

/// What a complaint is about, with the law that makes it a violation.
pub struct Category(pub Arc<CategoryRow>);

#[Object]
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
}

#[derive(Default)]
pub struct ReferenceQuery;

#[Object]
impl ReferenceQuery {
    /// Complaint categories, in display order. Public.
    #[graphql(complexity = "crate::graphql::DB_READ + 10 * child_complexity")]
    async fn categories(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Category>> {
        let rows = reference::categories(ctx.services()?);
        Ok(rows.into_iter().map(Category).collect())
    }

    /// Active platforms, by slug. Public.
    #[graphql(complexity = "crate::graphql::DB_READ + 10 * child_complexity")]
    async fn platforms(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Platform>> {
        let rows = reference::platforms(ctx.services()?);
        Ok(rows.into_iter().map(Platform).collect())
    }
}

#[derive(InputObject)]
pub struct PlatformInput {
    /// Lower-case letters, digits and hyphens; an existing slug updates that platform.
    pub slug: String,
    pub name: String,
    /// Host names that identify the platform's URLs, e.g. `instagram.com` (subdomains included).
    pub hosts: Vec<String>,
    /// 1–720; 24 for a new platform when omitted.
    pub response_hours: Option<i32>,
    /// 1–720; 4 for a new platform when omitted.
    pub urgent_response_hours: Option<i32>,
    pub active: Option<bool>,
}

#[derive(Default)]
pub struct ReferenceMutation;

#[Object]
impl ReferenceMutation {
    /// ADMIN only: creates or updates a platform.
    async fn upsert_platform(
        &self,
        ctx: &Context<'_>,
        input: PlatformInput,
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
}
