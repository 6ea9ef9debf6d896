//! Logging: structured `tracing` output to stderr, filtered by `RUST_LOG` (default `info`), as
//! text for people or, with `LAPORLAPAK_LOG_FORMAT=json`, one JSON object per line carrying the
//! current request's span (request id, route, operation). Request lines come from
//! [`crate::web::request`]; request bodies, query strings, header values, secrets and personal
//! data are never logged (a test greps a whole test run's log for the fixtures' values).

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Starts logging; `RUST_LOG` that does not parse is refused (the caller exits, naming it).
pub fn init(format: LogFormat) -> Result<(), crate::config::ConfigError> {
    let filter = crate::config::log_filter()?.unwrap_or_else(|| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second call (tests start many servers in one process) leaves the first subscriber in place.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
    Ok(())
}
