//! Platforms that receive takedown requests, and the host names that identify their URLs.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::{platform_hosts, platforms};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = platforms)]
pub struct Platform {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub response_hours: i32,
    pub urgent_response_hours: i32,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A platform together with its host names, as the API shows it.
#[derive(Debug, Clone)]
pub struct PlatformWithHosts {
    pub platform: Platform,
    pub hosts: Vec<String>,
}

impl Platform {
    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        platforms::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<Self>> {
        platforms::table
            .filter(platforms::slug.eq(slug))
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    /// Every platform with its hosts, in two queries whatever the number of platforms.
    pub fn list_with_hosts(
        conn: &mut DbConnection,
        include_inactive: bool,
    ) -> QueryResult<Vec<PlatformWithHosts>> {
        let mut query = platforms::table
            .select(Self::as_select())
            .order(platforms::slug.asc())
            .into_boxed();
        if !include_inactive {
            query = query.filter(platforms::active.eq(true));
        }
        let list = query.load(conn)?;
        let ids: Vec<i64> = list.iter().map(|p| p.id).collect();
        let hosts: Vec<(i64, String)> = platform_hosts::table
            .filter(platform_hosts::platform_id.eq_any(&ids))
            .select((platform_hosts::platform_id, platform_hosts::host))
            .order(platform_hosts::host.asc())
            .load(conn)?;
        Ok(list
            .into_iter()
            .map(|platform| {
                let hosts = hosts
                    .iter()
                    .filter(|(id, _)| *id == platform.id)
                    .map(|(_, host)| host.clone())
                    .collect();
                PlatformWithHosts { platform, hosts }
            })
            .collect())
    }

    pub fn with_hosts(self, conn: &mut DbConnection) -> QueryResult<PlatformWithHosts> {
        let hosts = platform_hosts::table
            .filter(platform_hosts::platform_id.eq(self.id))
            .select(platform_hosts::host)
            .order(platform_hosts::host.asc())
            .load(conn)?;
        Ok(PlatformWithHosts {
            platform: self,
            hosts,
        })
    }

    /// Creates the platform or updates the one with this slug; returns its id.
    pub fn upsert(
        conn: &mut DbConnection,
        form: &PlatformForm<'_>,
        at: NaiveDateTime,
    ) -> QueryResult<i64> {
        match Self::find_by_slug(conn, form.slug)? {
            Some(existing) => {
                diesel::update(platforms::table.find(existing.id))
                    .set((
                        platforms::name.eq(form.name),
                        platforms::response_hours.eq(form.response_hours),
                        platforms::urgent_response_hours.eq(form.urgent_response_hours),
                        platforms::active.eq(form.active),
                        platforms::updated_at.eq(at),
                    ))
                    .execute(conn)?;
                Ok(existing.id)
            }
            None => diesel::insert_into(platforms::table)
                .values((
                    platforms::slug.eq(form.slug),
                    platforms::name.eq(form.name),
                    platforms::response_hours.eq(form.response_hours),
                    platforms::urgent_response_hours.eq(form.urgent_response_hours),
                    platforms::active.eq(form.active),
                    platforms::created_at.eq(at),
                    platforms::updated_at.eq(at),
                ))
                .returning(platforms::id)
                .get_result(conn),
        }
    }

    /// Replaces the platform's host names. A host of another platform is a unique violation.
    pub fn replace_hosts(conn: &mut DbConnection, id: i64, hosts: &[String]) -> QueryResult<()> {
        diesel::delete(platform_hosts::table.filter(platform_hosts::platform_id.eq(id)))
            .execute(conn)?;
        for host in hosts {
            diesel::insert_into(platform_hosts::table)
                .values((
                    platform_hosts::host.eq(host),
                    platform_hosts::platform_id.eq(id),
                ))
                .execute(conn)?;
        }
        Ok(())
    }
}

pub struct PlatformForm<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub response_hours: i32,
    pub urgent_response_hours: i32,
    pub active: bool,
}
