//! Logging: structured `tracing` output to stderr, filtered by `RUST_LOG` (default `info`).
//! Request lines come from `tracing-actix-web`; secrets and request bodies are never logged.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // A second call (tests start many servers in one process) leaves the first subscriber in place.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
