//! Reference data — platforms with their hosts, complaint categories and keyword rules — held in
//! memory, so that no request reads it: a queue page, a look-up or a submission takes it from here.
//!
//! Freshness across replicas:
//! * a change made through this process (`upsertPlatform`) is visible here as soon as it commits;
//! * every process re-reads the tables every [`REFRESH_INTERVAL`], so a change made on another
//!   replica (or in SQL by an operator) is seen within that time;
//! * a row that names a platform or category this process does not know yet (created on another
//!   replica moments ago) makes it re-read at once, so a new platform or category is never "missing";
//!   an unknown slug or code given by a client does too, at most once per [`MISS_RELOAD_INTERVAL`],
//!   so that a client cannot make every request re-read the tables.
//!
//! What may be stale, for at most [`REFRESH_INTERVAL`], is a change to an existing row: a platform
//! deactivated or given new response hours or hosts, a category deactivated, a keyword rule edited.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::error::{ServiceError, ServiceResult};
use laporlapak_db::DbConnection;
use laporlapak_db::models::category::Category;
use laporlapak_db::models::keyword_rule::KeywordRule;
use laporlapak_db::models::platform::{Platform, PlatformWithHosts};
use laporlapak_domain::keywords;

/// How often every process re-reads the reference tables: the longest a change made elsewhere
/// stays unseen here.
pub const REFRESH_INTERVAL: Duration = Duration::from_secs(30);

/// The shortest time between two re-reads caused by a slug or code nobody knows.
const MISS_RELOAD_INTERVAL: Duration = Duration::from_secs(1);

/// One consistent copy of the reference tables.
#[derive(Debug)]
pub struct ReferenceData {
    /// Every platform, active or not, by slug.
    platforms: Vec<Arc<PlatformWithHosts>>,
    /// Every category, active or not, in display order.
    categories: Vec<Arc<Category>>,
    /// The active keyword rules, in rule order.
    keyword_rules: Vec<keywords::Rule>,
    loaded_at: Instant,
}

impl ReferenceData {
    /// Reads the reference tables (four statements).
    pub fn read(conn: &mut DbConnection) -> diesel::QueryResult<Self> {
        Ok(Self {
            platforms: Platform::list_with_hosts(conn, true)?
                .into_iter()
                .map(Arc::new)
                .collect(),
            categories: Category::list_all(conn)?
                .into_iter()
                .map(Arc::new)
                .collect(),
            keyword_rules: KeywordRule::list(conn)?
                .into_iter()
                .filter(|rule| rule.active)
                .map(|rule| keywords::Rule {
                    phrase: rule.phrase,
                    category_id: rule.category_id,
                    weight: u32::try_from(rule.weight).unwrap_or(1),
                })
                .collect(),
            loaded_at: Instant::now(),
        })
    }

    pub fn platform(&self, id: i64) -> Option<&Arc<PlatformWithHosts>> {
        self.platforms.iter().find(|p| p.platform.id == id)
    }

    /// A platform by its (lower-case) slug, active or not.
    pub fn platform_by_slug(&self, slug: &str) -> Option<&Arc<PlatformWithHosts>> {
        self.platforms.iter().find(|p| p.platform.slug == slug)
    }

    /// The active platforms, by slug.
    pub fn active_platforms(&self) -> impl Iterator<Item = &Arc<PlatformWithHosts>> + Clone {
        self.platforms.iter().filter(|p| p.platform.active)
    }

    /// Every platform, by slug.
    pub fn all_platforms(&self) -> &[Arc<PlatformWithHosts>] {
        &self.platforms
    }

    pub fn category(&self, id: i64) -> Option<&Arc<Category>> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// A category by its code, active or not.
    pub fn category_by_code(&self, code: &str) -> Option<&Arc<Category>> {
        self.categories.iter().find(|c| c.code == code)
    }

    /// The active categories, in display order.
    pub fn active_categories(&self) -> impl Iterator<Item = &Arc<Category>> + Clone {
        self.categories.iter().filter(|c| c.active)
    }

    /// Every category, in display order.
    pub fn all_categories(&self) -> &[Arc<Category>] {
        &self.categories
    }

    /// The platform and category a stored row names. Every row names existing ones, and a copy
    /// from [`ReferenceCache::covering`] knows them: missing, they are an invariant broken.
    pub fn named_by_row(
        &self,
        platform_id: i64,
        category_id: i64,
    ) -> ServiceResult<(Arc<PlatformWithHosts>, Arc<Category>)> {
        let platform = self
            .platform(platform_id)
            .cloned()
            .ok_or(ServiceError::invariant(
                "a stored row names a known platform",
            ))?;
        let category = self
            .category(category_id)
            .cloned()
            .ok_or(ServiceError::invariant(
                "a stored row names a known category",
            ))?;
        Ok((platform, category))
    }

    /// The active keyword rules, in rule order.
    pub fn keyword_rules(&self) -> &[keywords::Rule] {
        &self.keyword_rules
    }

    /// What `flags` weigh in a case's priority under the current rules.
    pub fn flag_weight(&self, flags: &[&str]) -> u32 {
        keywords::flag_weight(&self.keyword_rules, flags)
    }

    /// Does this copy know every platform and category these rows name?
    fn knows(&self, platform_ids: &[i64], category_ids: &[i64]) -> bool {
        platform_ids.iter().all(|id| self.platform(*id).is_some())
            && category_ids.iter().all(|id| self.category(*id).is_some())
    }
}

/// The process's copy of the reference data, shared by every request.
#[derive(Debug)]
pub struct ReferenceCache {
    current: RwLock<Arc<ReferenceData>>,
}

impl ReferenceCache {
    /// Reads the tables once, at start-up.
    pub fn load(conn: &mut DbConnection) -> diesel::QueryResult<Self> {
        Ok(Self {
            current: RwLock::new(Arc::new(ReferenceData::read(conn)?)),
        })
    }

    /// The current copy.
    pub fn get(&self) -> Arc<ReferenceData> {
        // A writer that panicked left a complete copy behind: replacing an `Arc` cannot tear.
        match self.current.read() {
            Ok(current) => current.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Installs a copy read after a change (or by the periodic refresh).
    pub fn replace(&self, data: ReferenceData) {
        let data = Arc::new(data);
        match self.current.write() {
            Ok(mut current) => *current = data,
            Err(poisoned) => *poisoned.into_inner() = data,
        }
    }

    /// Re-reads the tables on `conn` and installs the result.
    pub fn reload(&self, conn: &mut DbConnection) -> diesel::QueryResult<Arc<ReferenceData>> {
        self.replace(ReferenceData::read(conn)?);
        Ok(self.get())
    }

    /// A copy that knows every platform and category these rows name: the current one, or, when
    /// a row names one created since (on another replica), a fresh read.
    pub fn covering(
        &self,
        conn: &mut DbConnection,
        platform_ids: &[i64],
        category_ids: &[i64],
    ) -> diesel::QueryResult<Arc<ReferenceData>> {
        let current = self.get();
        if current.knows(platform_ids, category_ids) {
            Ok(current)
        } else {
            self.reload(conn)
        }
    }

    /// What `find` finds in the current copy, or else in a fresh read (see [`Self::after_miss`]):
    /// for a slug or code a client named.
    pub fn find_named<T>(
        &self,
        conn: &mut DbConnection,
        find: impl Fn(&ReferenceData) -> Option<T>,
    ) -> diesel::QueryResult<Option<T>> {
        if let Some(found) = find(&self.get()) {
            return Ok(Some(found));
        }
        Ok(self.after_miss(conn)?.and_then(|fresh| find(&fresh)))
    }

    /// The id of the platform a client named by `slug` (in any letter case); BAD_USER_INPUT on
    /// `field` when no platform has it.
    pub fn platform_id_named(
        &self,
        conn: &mut DbConnection,
        slug: &str,
        field: &'static str,
    ) -> ServiceResult<i64> {
        let slug = slug.to_lowercase();
        self.find_named(conn, |data| {
            data.platform_by_slug(&slug).map(|p| p.platform.id)
        })?
        .ok_or_else(|| {
            ServiceError::bad_input(field, laporlapak_domain::i18n::Msg::UnknownPlatform)
        })
    }

    /// After a client named a slug or code this copy does not know: a fresh read, unless this copy
    /// is itself very recent (then `None`: the name is unknown).
    pub fn after_miss(
        &self,
        conn: &mut DbConnection,
    ) -> diesel::QueryResult<Option<Arc<ReferenceData>>> {
        if self.get().loaded_at.elapsed() < MISS_RELOAD_INTERVAL {
            return Ok(None);
        }
        self.reload(conn).map(Some)
    }
}
