//! Configuration and the command line. Every setting has an environment variable and a
//! flag; with none of them, laporlapak serves on 127.0.0.1:8080 over SQLite in `./data`.

use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use clap::{Args, Parser, Subcommand, ValueEnum};

use laporlapak_api::web::connections::ConnectionSettings;
use laporlapak_db::DatabaseUrl;
use laporlapak_domain::evidence::MediaType;
use laporlapak_service::auth::token::MIN_SECRET_BYTES;
pub use laporlapak_service::settings::{Environment, EvidenceSettings, RetentionSettings, Secret};
use laporlapak_service::storage::{S3Settings, StoreSettings};

const SECRET_FILE: &str = "jwt-secret";

#[derive(Debug, Parser)]
#[command(
    name = "laporlapak",
    version,
    about = "Report illegal online listings; track takedown requests"
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: SettingsArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage accounts from the command line.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Print the GraphQL schema (SDL) to standard output.
    ExportSchema,
    /// Compare the schema with an earlier one (SDL) and fail on a change that breaks clients,
    /// unless the earlier schema deprecated the element with a removal date now past.
    SchemaDiff {
        /// The earlier schema: an SDL file, or `-` for standard input.
        old: PathBuf,
        /// The newer schema: an SDL file; this binary's own schema when omitted.
        new: Option<PathBuf>,
        /// The day deprecation dates are judged against (YYYY-MM-DD) [default: today, UTC].
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
        /// List description changes one by one instead of counting them.
        #[arg(long)]
        verbose: bool,
    },
    /// Recompute the SHA-256 of every stored evidence file (original and redacted) and report any
    /// that is missing or differs from the hash recorded at intake; exits non-zero on any.
    VerifyEvidence,
    /// Recompute the audit log's hash chain from the events and check every signed day head
    /// (docs/audit-log.md); names each altered or deleted event by id and position and exits
    /// non-zero on any.
    VerifyAudit,
    /// Compare the transparency report computed from the per-day counters with a full recount of
    /// the rows, for all time and for the given period (UTC, `2026-11-30T08:00:00`), and print
    /// both timings; exits non-zero when they differ.
    VerifyTransparency {
        /// Start of the period (inclusive).
        #[arg(long)]
        from: Option<chrono::NaiveDateTime>,
        /// End of the period (exclusive).
        #[arg(long)]
        to: Option<chrono::NaiveDateTime>,
    },
    /// Copy the SQLite database, consistently, while the server runs (PostgreSQL: use pg_dump,
    /// see docs/guide-operators.md).
    Backup {
        /// The copy to write; it must not exist yet.
        #[arg(long)]
        to: PathBuf,
    },
    /// Check a backup and install it as the SQLite database (stop the server first).
    Restore {
        /// The backup to install.
        #[arg(long)]
        from: PathBuf,
        /// Replace a database that already holds data (its old file is kept beside it).
        #[arg(long)]
        force: bool,
    },
    /// Personal data protection (UU 27/2022 PDP): subject-access exports, retention, data keys.
    Pdp {
        #[command(subcommand)]
        command: PdpCommand,
    },
    /// Fill an empty, migrated database with realistic demo or benchmark data.
    Seed {
        /// Complaints to create (grouped into about a third as many cases).
        #[arg(long, default_value_t = 10_000,
              value_parser = clap::value_parser!(u64).range(3..=100_000_000))]
        complaints: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum PdpCommand {
    /// Print everything held about a citizen as one JSON document (for a request by letter); the
    /// export is recorded in the citizen's access log.
    Export {
        /// The citizen's sign-in e-mail.
        #[arg(long)]
        email: String,
    },
    /// Apply the retention rules now; with --dry-run, only count what they would erase.
    Retention {
        #[arg(long)]
        dry_run: bool,
    },
    /// Put a new data key first in DATA_DIR/data-key, re-seal every row under it while servers
    /// keep running, then retire the old key. With LAPORLAPAK_DATA_KEY set, re-seals under the
    /// first key given (put the new key first on every replica beforehand).
    RotateKey {
        /// How long running servers are given to notice the new key file (they look every second).
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(0..=600))]
        settle_seconds: u64,
    },
    /// Apply the erasure ledger (DATA_DIR/erasure-ledger) to the database again: every account
    /// erased since the backup it was restored from is erased again. `restore` and every server
    /// start do it on their own; this is for a PostgreSQL database restored with its own tools.
    ReapplyErasures,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a staff account (the first ADMIN, typically). The password comes from
    /// LAPORLAPAK_ADMIN_PASSWORD or is asked for on the terminal.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, value_enum, default_value = "admin")]
        role: StaffRoleArg,
        /// The platform slug, for PLATFORM accounts.
        #[arg(long)]
        platform: Option<String>,
        #[arg(long, default_value = "Administrator")]
        display_name: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
#[value(rename_all = "UPPERCASE")]
pub enum StaffRoleArg {
    #[value(alias = "admin")]
    Admin,
    #[value(alias = "reviewer")]
    Reviewer,
    #[value(alias = "platform")]
    Platform,
    /// An officer of Komdigi.
    #[value(alias = "regulator")]
    Regulator,
}

/// `--environment`: [`Environment`] as the command line spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum EnvironmentArg {
    #[default]
    Development,
    Production,
}

impl From<EnvironmentArg> for Environment {
    fn from(arg: EnvironmentArg) -> Self {
        match arg {
            EnvironmentArg::Development => Self::Development,
            EnvironmentArg::Production => Self::Production,
        }
    }
}

#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// sqlite://PATH or postgres://USER@HOST/DB [default: sqlite://DATA_DIR/laporlapak.db]
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Address to serve on.
    #[arg(
        long,
        env = "LAPORLAPAK_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: String,
    /// Where the SQLite file and the generated JWT secret live.
    #[arg(
        long,
        env = "LAPORLAPAK_DATA_DIR",
        default_value = "./data",
        global = true
    )]
    pub data_dir: PathBuf,
    /// HS256 key, at least 32 bytes [default: generated once and kept in DATA_DIR/jwt-secret].
    #[arg(
        long,
        env = "LAPORLAPAK_JWT_SECRET",
        global = true,
        hide_env_values = true
    )]
    pub jwt_secret: Option<Secret>,
    /// `production` turns off GraphiQL, introspection and field suggestions.
    #[arg(
        long = "env",
        env = "LAPORLAPAK_ENV",
        value_enum,
        default_value = "development",
        global = true
    )]
    pub environment: EnvironmentArg,
    /// Lifetime of an access token, in seconds.
    #[arg(long, env = "LAPORLAPAK_TOKEN_TTL_SECONDS", default_value_t = 3600, global = true,
          value_parser = clap::value_parser!(u32).range(60..=86_400))]
    pub token_ttl_seconds: u32,
    /// Rate limits on sign-in, registration and submissions (`false` only behind limits of your own).
    #[arg(long, env = "LAPORLAPAK_RATE_LIMITS", default_value = "true", global = true,
          action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub rate_limits: bool,
    /// Read the client address from `X-Forwarded-For` (only behind a reverse proxy that sets it):
    /// the right-most hop that is not one of the trusted proxies.
    #[arg(long, env = "LAPORLAPAK_TRUST_PROXY", default_value = "false", global = true,
          action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub trust_proxy: bool,
    /// The reverse proxies (addresses or CIDR ranges, comma-separated) whose `X-Forwarded-For` hops
    /// are skipped; with `--trust-proxy`, a request from any other peer has its header ignored.
    #[arg(
        long,
        env = "LAPORLAPAK_TRUSTED_PROXIES",
        value_delimiter = ',',
        default_value = laporlapak_api::web::client::DEFAULT_TRUSTED_PROXIES,
        global = true
    )]
    pub trusted_proxies: Vec<String>,
    /// Web origins (e.g. `https://lapor.kemenkopukm.go.id`, comma-separated) whose pages may call
    /// the API from a browser; none by default.
    #[arg(
        long,
        env = "LAPORLAPAK_CORS_ORIGINS",
        value_delimiter = ',',
        global = true
    )]
    pub cors_origins: Vec<String>,
    /// Hosts (names or addresses, comma-separated) that webhooks may reach over plain `http` and
    /// on loopback or private networks; none by default (webhooks go to public `https` only).
    #[arg(
        long,
        env = "LAPORLAPAK_WEBHOOK_ALLOW_HOSTS",
        value_delimiter = ',',
        global = true
    )]
    pub webhook_allow_hosts: Vec<String>,
    /// Database connections per server process.
    #[arg(long, env = "LAPORLAPAK_DB_POOL_SIZE", default_value_t = 16, global = true,
          value_parser = clap::value_parser!(u32).range(1..=512))]
    pub db_pool_size: u32,
    /// Longest a PostgreSQL statement may run, in milliseconds; a request waits at most 6 s for a
    /// database connection, then this plus 2 s for its answer.
    #[arg(long, env = "LAPORLAPAK_DB_STATEMENT_TIMEOUT_MS", default_value_t = 30_000, global = true,
          value_parser = clap::value_parser!(u32).range(100..=3_600_000))]
    pub db_statement_timeout_ms: u32,
    /// Days after a platform answered REMOVED during which a new complaint about the same target,
    /// or about a seller linked to it, opens its case as a re-listing.
    #[arg(long, env = "LAPORLAPAK_RELISTING_DAYS", default_value_t = 90, global = true,
          value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub relisting_days: u32,
    /// Days a case's reporters have to answer a reviewer's question (`requestInformation`); at
    /// the deadline the case closes as "no reply", and a later reply reopens it.
    #[arg(long, env = "LAPORLAPAK_INFORMATION_REPLY_DAYS", default_value_t = 14, global = true,
          value_parser = clap::value_parser!(u32).range(1..=365))]
    pub information_reply_days: u32,
    /// The SMTP relay notification mails go through, as a URL: `smtp://host:587?tls=required`
    /// (STARTTLS), `smtps://host:465` (implicit TLS), `smtp://host:25` (plain, for a relay on the
    /// same host), with `user:password@` before the host for authentication. Unset: mails wait in
    /// the outbox until a relay is configured.
    #[arg(
        long,
        env = "LAPORLAPAK_SMTP_URL",
        global = true,
        hide_env_values = true
    )]
    pub smtp_url: Option<Secret>,
    /// The `From` of notification mails.
    #[arg(
        long,
        env = "LAPORLAPAK_MAIL_FROM",
        default_value = "LaporLapak <noreply@localhost>",
        global = true
    )]
    pub mail_from: String,
    /// Where people reach this server (scheme, host, optional port; no trailing slash), for the
    /// links in mails (unsubscribe, the report's status).
    #[arg(
        long,
        env = "LAPORLAPAK_PUBLIC_URL",
        default_value = "http://localhost:8080",
        global = true
    )]
    pub public_url: String,
    /// Days after a platform answered a takedown request with a removal or an account action
    /// that the reporters who opted in to mails are asked whether the listing is still online.
    #[arg(long, env = "LAPORLAPAK_STILL_ONLINE_DAYS", default_value_t = 7, global = true,
          value_parser = clap::value_parser!(u32).range(1..=365))]
    pub still_online_days: u32,
    /// Most notification mails one address receives in 24 hours; the rest wait.
    #[arg(long, env = "LAPORLAPAK_MAIL_PER_RECIPIENT_PER_DAY", default_value_t = 20, global = true,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub mail_per_recipient_per_day: u32,
    /// When set, `GET /metrics` answers only `Authorization: Bearer <this token>`.
    #[arg(
        long,
        env = "LAPORLAPAK_METRICS_TOKEN",
        global = true,
        hide_env_values = true
    )]
    pub metrics_token: Option<Secret>,
    /// On SIGTERM, the longest the server waits for requests in flight and background work.
    #[arg(long, env = "LAPORLAPAK_SHUTDOWN_GRACE_SECONDS", default_value_t = 30, global = true,
          value_parser = clap::value_parser!(u32).range(1..=3_600))]
    pub shutdown_grace_seconds: u32,
    /// On SIGTERM, how long the server still accepts requests (with `/readyz` already 503) before
    /// it stops accepting: time for a load balancer to notice.
    #[arg(long, env = "LAPORLAPAK_SHUTDOWN_DELAY_SECONDS", default_value_t = 0, global = true,
          value_parser = clap::value_parser!(u32).range(0..=300))]
    pub shutdown_delay_seconds: u32,
    /// `text` (for people) or `json` (one object per line, for a log collector).
    #[arg(
        long,
        env = "LAPORLAPAK_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,
    /// The data keys that seal the fields identifying a person: base64 of 256 random bits each,
    /// comma-separated, the one to seal with first [default: generated once and kept in
    /// DATA_DIR/data-key].
    #[arg(
        long,
        env = "LAPORLAPAK_DATA_KEY",
        global = true,
        hide_env_values = true
    )]
    pub data_key: Option<Secret>,
    /// Days after a case became final (resolved, rejected, closed) that its complaints keep their
    /// contact e-mail and their link to the reporter's account.
    #[arg(long, env = "LAPORLAPAK_RETENTION_FINAL_CASE_DAYS", default_value_t = 365,
          global = true, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub retention_final_case_days: u32,
    /// A request body that is not an upload must arrive whole within this many seconds; an upload
    /// gets as long as grace, then must keep LAPORLAPAK_UPLOAD_MIN_BYTES_PER_SECOND.
    #[arg(long, env = "LAPORLAPAK_BODY_TIMEOUT_SECONDS", default_value_t = 10, global = true,
          value_parser = clap::value_parser!(u32).range(1..=300))]
    pub body_timeout_seconds: u32,
    /// The slowest average rate an upload may keep after its grace period, in bytes a second.
    #[arg(long, env = "LAPORLAPAK_UPLOAD_MIN_BYTES_PER_SECOND", default_value_t = 8192,
          global = true, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub upload_min_bytes_per_second: u64,
    /// Most connections the process keeps open [default: the file-descriptor limit (raised to
    /// the hard limit at start) less 512 kept for database connections and files].
    #[arg(long, env = "LAPORLAPAK_MAX_CONNECTIONS", global = true,
          value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub max_connections: Option<u64>,
    /// Most connections one client address (an IPv6 /64) may hold open; the trusted proxies'
    /// are not counted.
    #[arg(long, env = "LAPORLAPAK_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = 256,
          global = true, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_connections_per_address: u32,
    #[command(flatten)]
    pub evidence: EvidenceArgs,
}

/// Evidence files: limits, accepted types and where they are stored.
#[derive(Debug, Args)]
pub struct EvidenceArgs {
    /// Largest evidence file accepted, in bytes (10 MiB by default; at most 50 MiB).
    #[arg(long, env = "LAPORLAPAK_EVIDENCE_MAX_FILE_BYTES", default_value_t = 10 * 1024 * 1024,
          global = true, value_parser = clap::value_parser!(u64).range(1024..=50 * 1024 * 1024))]
    pub evidence_max_file_bytes: u64,
    /// Most files one request (a complaint, an `addEvidence`, a reply) may carry.
    #[arg(long, env = "LAPORLAPAK_EVIDENCE_MAX_FILES_PER_REQUEST", default_value_t = 5,
          global = true, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub evidence_max_files_per_request: u32,
    /// Most files a complaint may hold in all.
    #[arg(long, env = "LAPORLAPAK_EVIDENCE_MAX_FILES_PER_COMPLAINT", default_value_t = 30,
          global = true, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub evidence_max_files_per_complaint: u32,
    /// Accepted types (comma-separated among image/jpeg, image/png, image/webp, image/heic,
    /// application/pdf, video/mp4) [default: all six].
    #[arg(
        long,
        env = "LAPORLAPAK_EVIDENCE_TYPES",
        value_delimiter = ',',
        global = true
    )]
    pub evidence_types: Vec<String>,
    /// Where evidence files are stored: `local` (DATA_DIR/evidence) or `s3`.
    #[arg(
        long,
        env = "LAPORLAPAK_EVIDENCE_STORE",
        default_value = "local",
        global = true
    )]
    pub evidence_store: String,
    /// The S3 bucket (with `--evidence-store s3`).
    #[arg(long, env = "LAPORLAPAK_S3_BUCKET", global = true)]
    pub s3_bucket: Option<String>,
    /// The S3-compatible endpoint, e.g. a MinIO address [default: AWS for the region].
    #[arg(long, env = "LAPORLAPAK_S3_ENDPOINT", global = true)]
    pub s3_endpoint: Option<String>,
    /// The bucket's region.
    #[arg(
        long,
        env = "LAPORLAPAK_S3_REGION",
        default_value = "us-east-1",
        global = true
    )]
    pub s3_region: String,
    /// The access key id [default: the instance's or environment's AWS credentials].
    #[arg(
        long,
        env = "LAPORLAPAK_S3_ACCESS_KEY_ID",
        global = true,
        hide_env_values = true
    )]
    pub s3_access_key_id: Option<Secret>,
    /// The secret access key.
    #[arg(
        long,
        env = "LAPORLAPAK_S3_SECRET_ACCESS_KEY",
        global = true,
        hide_env_values = true
    )]
    pub s3_secret_access_key: Option<Secret>,
    /// Prefix of every object name.
    #[arg(
        long,
        env = "LAPORLAPAK_S3_PREFIX",
        default_value = "evidence/",
        global = true
    )]
    pub s3_prefix: String,
    /// Allow an `http://` endpoint (a local test server; never in production).
    #[arg(long, env = "LAPORLAPAK_S3_ALLOW_HTTP", default_value = "false", global = true,
          action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub s3_allow_http: bool,
    /// How long a download link of an evidence file stays valid, in seconds.
    #[arg(long, env = "LAPORLAPAK_EVIDENCE_URL_TTL_SECONDS", default_value_t = 300, global = true,
          value_parser = clap::value_parser!(u32).range(10..=3600))]
    pub evidence_url_ttl_seconds: u32,
}

fn evidence_settings(args: EvidenceArgs) -> Result<EvidenceSettings, ConfigError> {
    let types = if args.evidence_types.iter().all(|t| t.trim().is_empty()) {
        MediaType::ALL.to_vec()
    } else {
        args.evidence_types
            .iter()
            .filter(|t| !t.trim().is_empty())
            .map(|t| {
                MediaType::parse(t.trim().to_ascii_lowercase().as_str())
                    .map_err(|_| ConfigError::EvidenceType(t.trim().to_owned()))
            })
            .collect::<Result<_, _>>()?
    };
    let store = match args.evidence_store.trim().to_ascii_lowercase().as_str() {
        "local" => StoreSettings::Local,
        "s3" => StoreSettings::S3(S3Settings {
            bucket: args
                .s3_bucket
                .filter(|b| !b.trim().is_empty())
                .ok_or(ConfigError::S3BucketMissing)?,
            endpoint: args.s3_endpoint.filter(|e| !e.trim().is_empty()),
            region: args.s3_region,
            access_key_id: args.s3_access_key_id,
            secret_access_key: args.s3_secret_access_key,
            prefix: args.s3_prefix,
            allow_http: args.s3_allow_http,
        }),
        other => return Err(ConfigError::EvidenceStore(other.to_owned())),
    };
    Ok(EvidenceSettings {
        max_file_bytes: args.evidence_max_file_bytes,
        max_files_per_request: usize::try_from(args.evidence_max_files_per_request).unwrap_or(5),
        max_files_per_complaint: usize::try_from(args.evidence_max_files_per_complaint)
            .unwrap_or(30),
        types,
        store,
        url_ttl: std::time::Duration::from_secs(u64::from(args.evidence_url_ttl_seconds)),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Settings after parsing and defaulting: what the application is built from.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: DatabaseUrl,
    pub bind: String,
    pub data_dir: PathBuf,
    pub jwt_secret: Option<Secret>,
    pub environment: Environment,
    pub token_ttl: chrono::Duration,
    pub db_pool_size: u32,
    pub db_statement_timeout: std::time::Duration,
    pub rate_limits: bool,
    pub trust_proxy: bool,
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Serialised origins (`https://host[:port]`).
    pub cors_origins: Vec<String>,
    /// Hosts webhooks may reach although private or over plain `http`.
    pub webhook_allow_hosts: Vec<String>,
    pub evidence: EvidenceSettings,
    /// How long after a removal a new complaint about the same target or seller is a re-listing.
    pub relisting_window: chrono::Duration,
    /// How long reporters have to answer a reviewer's question.
    pub reply_window: chrono::Duration,
    /// The bearer token `/metrics` requires, if any.
    pub metrics_token: Option<Secret>,
    /// Notification mails: the SMTP relay, the sender, the links' base URL, the daily bound.
    pub mail: laporlapak_service::mail::MailSettings,
    /// Draining on SIGTERM: how long to keep accepting, then how long to wait for work in flight.
    pub shutdown_delay: std::time::Duration,
    pub shutdown_grace: std::time::Duration,
    /// `LAPORLAPAK_DATA_KEY`, when set; otherwise the key file in the data directory.
    pub data_key: Option<Secret>,
    pub retention: RetentionSettings,
    /// Body deadlines and connection caps (`crate::web::connections`).
    pub connections: ConnectionSettings,
}

/// A web origin as a browser sends it: `http(s)://host[:port]`, nothing after.
fn parse_origin(value: &str) -> Result<String, ConfigError> {
    let refused = || ConfigError::CorsOrigin(value.trim().to_owned());
    let url = url::Url::parse(value.trim()).map_err(|_| refused())?;
    let bare = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() || !bare {
        return Err(refused());
    }
    Ok(url.origin().ascii_serialization())
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(transparent)]
    Database(#[from] laporlapak_db::DbError),
    #[error("LAPORLAPAK_JWT_SECRET is refused: it must be at least {MIN_SECRET_BYTES} bytes")]
    SecretTooShort,
    #[error("the JWT secret file {path} is refused: {reason}")]
    SecretFile { path: PathBuf, reason: String },
    #[error(
        "LAPORLAPAK_TRUSTED_PROXIES: {0:?} is neither an address nor a CIDR range (10.0.0.0/8)"
    )]
    TrustedProxy(String),
    #[error("LAPORLAPAK_CORS_ORIGINS: {0:?} is not an origin such as https://lapor.example.go.id")]
    CorsOrigin(String),
    #[error(
        "LAPORLAPAK_EVIDENCE_TYPES: {0:?} is not one of image/jpeg, image/png, image/webp, \
         image/heic, application/pdf, video/mp4"
    )]
    EvidenceType(String),
    #[error("LAPORLAPAK_EVIDENCE_STORE: {0:?} is neither `local` nor `s3`")]
    EvidenceStore(String),
    #[error("LAPORLAPAK_EVIDENCE_STORE=s3 needs LAPORLAPAK_S3_BUCKET")]
    S3BucketMissing,
    #[error(
        "LAPORLAPAK_METRICS_TOKEN is set but empty: give it a token, or unset it to leave \
         /metrics open"
    )]
    MetricsTokenEmpty,
    #[error(
        "LAPORLAPAK_WEBHOOK_ALLOW_HOSTS: {0:?} is not a host name or address (such as \
         receiver.internal or 10.0.0.5)"
    )]
    WebhookAllowHost(String),
    #[error("LAPORLAPAK_BIND: {0:?} is not an address to listen on (such as 0.0.0.0:8080)")]
    Bind(String),
    #[error("LAPORLAPAK_DATA_DIR: {path} cannot be used: {reason}")]
    DataDir { path: PathBuf, reason: String },
    #[error("RUST_LOG: {value:?} is not a log filter (such as info,laporlapak=debug): {reason}")]
    LogFilter { value: String, reason: String },
}

/// A host webhooks may reach although private or over plain `http`: a name or an address,
/// nothing more (no scheme, port or path).
fn parse_allow_host(value: &str) -> Result<String, ConfigError> {
    let value = value.trim();
    let bare = value.trim_matches(['[', ']']);
    let refused = || ConfigError::WebhookAllowHost(value.to_owned());
    if bare.parse::<std::net::IpAddr>().is_ok() {
        return Ok(value.to_owned());
    }
    match url::Host::parse(bare) {
        Ok(url::Host::Domain(_))
            if bare
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')) =>
        {
            Ok(value.to_owned())
        }
        _ => Err(refused()),
    }
}

/// An address to listen on: `host:port`, the host a name or an address.
fn check_bind(value: &str) -> Result<(), ConfigError> {
    let refused = || ConfigError::Bind(value.to_owned());
    if value.parse::<std::net::SocketAddr>().is_ok() {
        return Ok(());
    }
    let (host, port) = value.rsplit_once(':').ok_or_else(refused)?;
    port.parse::<u16>().map_err(|_| refused())?;
    match url::Host::parse(host) {
        Ok(url::Host::Domain(_)) => Ok(()),
        _ => Err(refused()),
    }
}

/// The `RUST_LOG` filter, when set: one that does not parse refuses to start (it would otherwise
/// fall back silently to `info`).
pub fn log_filter() -> Result<Option<tracing_subscriber::EnvFilter>, ConfigError> {
    match std::env::var("RUST_LOG") {
        Ok(value) if !value.trim().is_empty() => tracing_subscriber::EnvFilter::builder()
            .parse(&value)
            .map(Some)
            .map_err(|error| ConfigError::LogFilter {
                value,
                reason: error.to_string(),
            }),
        Ok(_) | Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(ConfigError::LogFilter {
            value: String::new(),
            reason: "not UTF-8".to_owned(),
        }),
    }
}

/// The data directory: created when missing (mode 0700), and refused with its setting's name when
/// it cannot be created, is not a directory or cannot be written.
pub fn prepare_data_dir(path: &Path) -> Result<(), ConfigError> {
    let refuse = |reason: String| ConfigError::DataDir {
        path: path.to_owned(),
        reason,
    };
    if !path.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(path)
            .map_err(|e| refuse(format!("cannot create it: {e}")))?;
    }
    if !path.is_dir() {
        return Err(refuse("not a directory".to_owned()));
    }
    tempfile::tempfile_in(path).map_err(|e| refuse(format!("cannot write in it: {e}")))?;
    Ok(())
}

impl Settings {
    pub fn from_args(args: SettingsArgs) -> Result<Self, ConfigError> {
        let database_url = match &args.database_url {
            Some(url) => DatabaseUrl::parse(url)?,
            None => DatabaseUrl::Sqlite(args.data_dir.join("laporlapak.db")),
        };
        check_bind(&args.bind)?;
        Ok(Self {
            database_url,
            bind: args.bind,
            data_dir: args.data_dir,
            jwt_secret: args.jwt_secret,
            environment: args.environment.into(),
            token_ttl: chrono::Duration::seconds(i64::from(args.token_ttl_seconds)),
            db_pool_size: args.db_pool_size,
            db_statement_timeout: std::time::Duration::from_millis(u64::from(
                args.db_statement_timeout_ms,
            )),
            rate_limits: args.rate_limits,
            relisting_window: chrono::Duration::days(i64::from(args.relisting_days)),
            reply_window: chrono::Duration::days(i64::from(args.information_reply_days)),
            trust_proxy: args.trust_proxy,
            trusted_proxies: args
                .trusted_proxies
                .iter()
                .filter(|value| !value.trim().is_empty())
                .map(|value| {
                    laporlapak_api::web::client::parse_proxy(value)
                        .map_err(ConfigError::TrustedProxy)
                })
                .collect::<Result<_, _>>()?,
            cors_origins: args
                .cors_origins
                .iter()
                .filter(|value| !value.trim().is_empty())
                .map(|value| parse_origin(value))
                .collect::<Result<_, _>>()?,
            webhook_allow_hosts: args
                .webhook_allow_hosts
                .iter()
                .filter(|host| !host.trim().is_empty())
                .map(|host| parse_allow_host(host))
                .collect::<Result<_, _>>()?,
            connections: ConnectionSettings {
                body_timeout: std::time::Duration::from_secs(u64::from(args.body_timeout_seconds)),
                upload_min_bytes_per_second: args.upload_min_bytes_per_second,
                max_connections: args.max_connections,
                max_connections_per_address: args.max_connections_per_address,
            },
            evidence: evidence_settings(args.evidence)?,
            metrics_token: match args.metrics_token {
                Some(token) if token.0.trim().is_empty() => {
                    return Err(ConfigError::MetricsTokenEmpty);
                }
                token => token,
            },
            mail: laporlapak_service::mail::MailSettings {
                relay: args
                    .smtp_url
                    .map(|url| url.0.trim().to_owned())
                    .filter(|url| !url.is_empty()),
                from: args.mail_from,
                public_url: args.public_url.trim_end_matches('/').to_owned(),
                per_recipient_per_day: i64::from(args.mail_per_recipient_per_day),
                still_online_after: chrono::Duration::days(i64::from(args.still_online_days)),
            },
            shutdown_delay: std::time::Duration::from_secs(u64::from(args.shutdown_delay_seconds)),
            shutdown_grace: std::time::Duration::from_secs(u64::from(args.shutdown_grace_seconds)),
            data_key: args.data_key.filter(|key| !key.0.trim().is_empty()),
            retention: RetentionSettings {
                final_case: chrono::Duration::days(i64::from(args.retention_final_case_days)),
            },
        })
    }

    /// The HS256 key: the configured one, or the one kept in the data directory, generated (256
    /// random bits, file mode 0600) on first start.
    pub fn jwt_secret_bytes(&self) -> Result<Vec<u8>, ConfigError> {
        if let Some(Secret(secret)) = &self.jwt_secret {
            if secret.len() < MIN_SECRET_BYTES {
                return Err(ConfigError::SecretTooShort);
            }
            return Ok(secret.as_bytes().to_vec());
        }
        load_or_create_secret(&self.data_dir.join(SECRET_FILE))
    }
}

fn load_or_create_secret(path: &Path) -> Result<Vec<u8>, ConfigError> {
    let refuse = |reason: String| ConfigError::SecretFile {
        path: path.to_owned(),
        reason,
    };
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let mode = std::fs::metadata(path)
                .map_err(|e| refuse(e.to_string()))?
                .permissions()
                .mode();
            if mode & 0o077 != 0 {
                tracing::warn!(path = %path.display(), "JWT secret file is readable by others; chmod 600 it");
            }
            let secret = base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map_err(|e| refuse(format!("not base64: {e}")))?;
            if secret.len() < MIN_SECRET_BYTES {
                return Err(refuse(format!("shorter than {MIN_SECRET_BYTES} bytes")));
            }
            Ok(secret)
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| refuse(e.to_string()))?;
            }
            let mut secret = vec![0u8; MIN_SECRET_BYTES];
            getrandom::fill(&mut secret).map_err(|e| refuse(e.to_string()))?;
            // create_new: two processes starting at once cannot overwrite each other's secret.
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
                .map_err(|e| refuse(e.to_string()))?;
            let encoded = base64::engine::general_purpose::STANDARD.encode(&secret);
            writeln!(file, "{encoded}").map_err(|e| refuse(e.to_string()))?;
            file.sync_all().map_err(|e| refuse(e.to_string()))?;
            tracing::info!(path = %path.display(), "generated a new JWT secret");
            Ok(secret)
        }
        Err(error) => Err(refuse(error.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_is_generated_once_with_mode_0600() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("nested").join(SECRET_FILE);
        let first = load_or_create_secret(&path)?;
        assert_eq!(first.len(), 32);
        assert_eq!(
            std::fs::metadata(&path)?.permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(load_or_create_secret(&path)?, first);
        Ok(())
    }

    #[test]
    fn defaults_follow_the_spec() -> Result<(), Box<dyn std::error::Error>> {
        let cli = Cli::try_parse_from(["laporlapak"])?;
        assert!(cli.command.is_none());
        let args = cli.settings;
        assert_eq!(args.bind, "127.0.0.1:8080");
        assert_eq!(args.data_dir, PathBuf::from("./data"));
        assert!(args.rate_limits);
        assert!(!args.trust_proxy);
        assert_eq!(args.db_statement_timeout_ms, 30_000);
        assert_eq!(args.relisting_days, 90);
        assert_eq!(args.information_reply_days, 14);
        Ok(())
    }
}
