//! The settings the rules depend on, parsed by the binary's command line (`laporlapak::config`)
//! and handed to [`crate::Services`]: nothing here reads the environment itself.

use std::fmt;

use laporlapak_domain::evidence::MediaType;

use crate::storage::StoreSettings;

/// Where the server runs: development turns on the IDE and readable errors; production hides
/// them and requires the settings a public service must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Environment {
    #[default]
    Development,
    Production,
}

/// How long personal data is kept; the retention job and `laporlapak pdp retention` apply it.
/// (Idempotency keys live 24 hours and rate-limit counters until their window refills; both hold
/// only pseudonyms and are purged hourly.)
#[derive(Debug, Clone, Copy)]
pub struct RetentionSettings {
    /// After a case became final, how long its complaints keep their contact and reporter link.
    pub final_case: chrono::Duration,
}

impl Default for RetentionSettings {
    fn default() -> Self {
        Self {
            final_case: chrono::Duration::days(365),
        }
    }
}

/// Evidence settings after parsing.
#[derive(Debug, Clone)]
pub struct EvidenceSettings {
    pub max_file_bytes: u64,
    pub max_files_per_request: usize,
    pub max_files_per_complaint: usize,
    pub types: Vec<MediaType>,
    pub store: StoreSettings,
    pub url_ttl: std::time::Duration,
}

impl Default for EvidenceSettings {
    fn default() -> Self {
        Self {
            max_file_bytes: 10 * 1024 * 1024,
            max_files_per_request: 5,
            max_files_per_complaint: 30,
            types: MediaType::ALL.to_vec(),
            store: StoreSettings::Local,
            url_ttl: std::time::Duration::from_secs(300),
        }
    }
}

/// A secret value whose `Debug` never prints it.
#[derive(Clone)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}
