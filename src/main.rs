//! The `laporlapak` command: `serve` (default), `migrate`, `admin create`, `export-schema`,
//! `schema-diff`, `verify-evidence`, `verify-audit`, `backup`, `restore`, `seed`.

use std::io::{IsTerminal as _, Read as _};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser as _;

use laporlapak::config::{
    AdminCommand, Cli, Command, Environment, PdpCommand, Settings, StaffRoleArg,
};
use laporlapak::db::Database;
use laporlapak::domain::Role;
use laporlapak::error::ServiceError;
use laporlapak::i18n::Lang;
use laporlapak::schema_diff::{self, Severity};
use laporlapak::service::account::{self, StaffAccountRequest};
use laporlapak::startup::{self, Application};

#[actix_web::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(error) = laporlapak::telemetry::init(cli.settings.log_format) {
        eprintln!("laporlapak: {error}");
        return ExitCode::FAILURE;
    }
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("laporlapak: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Some(Command::ExportSchema) => {
            print!("{}", laporlapak::graphql::sdl());
            return Ok(());
        }
        Some(Command::SchemaDiff {
            old,
            new,
            today,
            verbose,
        }) => return diff_schema(&old, new.as_deref(), today, verbose),
        _ => {}
    }
    let settings = Settings::from_args(cli.settings).map_err(|e| e.to_string())?;
    match cli.command {
        None | Some(Command::Serve) => serve(&settings).await,
        Some(Command::Migrate) => {
            let db = Database::connect(&settings.database_url, 1, settings.db_statement_timeout)
                .map_err(|e| e.to_string())?;
            db.migrate().map_err(|e| e.to_string())?;
            println!("{}: migrations applied", settings.database_url.display());
            Ok(())
        }
        Some(Command::Admin {
            command:
                AdminCommand::Create {
                    email,
                    role,
                    platform,
                    display_name,
                },
        }) => create_account(&settings, email, role, platform, display_name).await,
        Some(Command::VerifyEvidence) => verify_evidence(&settings).await,
        Some(Command::VerifyAudit) => verify_audit(&settings).await,
        Some(Command::VerifyTransparency { from, to }) => {
            verify_transparency(&settings, from, to).await
        }
        Some(Command::Backup { to }) => {
            laporlapak::db::backup::backup(&settings.database_url, &to)
                .map_err(|e| e.to_string())?;
            println!(
                "{}: backup of {} written",
                to.display(),
                settings.database_url.display()
            );
            Ok(())
        }
        Some(Command::Restore { from, force }) => {
            let (complaints, kept) =
                laporlapak::db::backup::restore(&settings.database_url, &from, force)
                    .map_err(|e| e.to_string())?;
            println!(
                "{}: restored from {} ({complaints} complaints)",
                settings.database_url.display(),
                from.display()
            );
            if let Some(kept) = kept {
                println!("  the database it replaced is kept as {}", kept.display());
            }
            // Accounts erased after the backup was taken are erased again before anyone can use
            // the restored database (a server start would do it too).
            let ledger = settings
                .data_dir
                .join(laporlapak::service::privacy::ledger::LEDGER_FILE);
            if !ledger.exists() {
                println!(
                    "erasure ledger {}: none (no account was erased with this data directory)",
                    ledger.display()
                );
                return Ok(());
            }
            let services = startup::build_command_services(&settings).map_err(|e| {
                format!(
                    "restored, but the erasure ledger could not be applied again ({e}); a server \
                     will not start until it can: fix this and run `laporlapak pdp reapply-erasures`"
                )
            })?;
            reapply_erasures(&services).await
        }
        Some(Command::Seed { complaints }) => {
            Database::migrate_url(&settings.database_url, settings.db_statement_timeout)
                .map_err(|e| e.to_string())?;
            let started = std::time::Instant::now();
            let seeded = laporlapak::db::seed::seed(&settings.database_url, complaints)
                .map_err(|e| e.to_string())?;
            println!(
                "seeded {} in {:.1}s: {} complaints, {} cases, {} takedown requests, {} accounts, \
                 {} events (every account's password: bench-password-123)",
                settings.database_url.display(),
                started.elapsed().as_secs_f64(),
                seeded.complaints,
                seeded.cases,
                seeded.takedown_requests,
                seeded.accounts,
                seeded.events
            );
            // The scripts write identifying fields in clear: seal the accounts' now, so they can
            // sign in as soon as a server starts; the first server start seals the rest (contact
            // e-mails, messages) in the background.
            let services = startup::build_command_services(&settings).map_err(|e| e.to_string())?;
            let sealed = laporlapak::service::privacy::keys::reseal_accounts(&services)
                .await
                .map_err(describe)?;
            println!(
                "sealed {} account values; a server seals contact e-mails and messages, and hashes tracking codes, when it starts",
                sealed.total()
            );
            Ok(())
        }
        Some(Command::Pdp { command }) => pdp(&settings, command).await,
        Some(Command::ExportSchema | Command::SchemaDiff { .. }) => Ok(()),
    }
}

fn read_sdl(path: &Path) -> Result<String, String> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("standard input: {e}"))?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Prints what changed from `old` to `new` (default: this binary's schema); fails when a change
/// breaks clients.
fn diff_schema(
    old: &Path,
    new: Option<&Path>,
    today: Option<chrono::NaiveDate>,
    verbose: bool,
) -> Result<(), String> {
    let old_sdl = read_sdl(old)?;
    let new_sdl = match new {
        Some(path) => read_sdl(path)?,
        None => laporlapak::graphql::sdl(),
    };
    let today = today.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let changes = schema_diff::diff(&old_sdl, &new_sdl, today).map_err(|e| e.to_string())?;
    let descriptions = changes
        .iter()
        .filter(|c| c.severity == Severity::Description)
        .count();
    for change in &changes {
        if verbose || change.severity != Severity::Description {
            println!("{change}");
        }
    }
    if descriptions > 0 && !verbose {
        println!("{descriptions} description(s) changed (--verbose lists them)");
    }
    let breaking = changes
        .iter()
        .filter(|c| c.severity == Severity::Breaking)
        .count();
    if breaking > 0 {
        return Err(format!(
            "{breaking} breaking schema change(s) against {}: clients written against it would \
             fail. Keep the element, deprecate it with a dated reason, and remove it after that \
             date (see CHANGELOG.md).",
            old.display()
        ));
    }
    println!(
        "schema-diff: {} change(s) against {}, none breaking",
        changes.len(),
        old.display()
    );
    Ok(())
}

async fn serve(settings: &Settings) -> Result<(), String> {
    let app = Application::build(settings).map_err(|e| e.to_string())?;
    let address = settings.bind.rsplit_once(':').map_or_else(
        || settings.bind.clone(),
        |(host, _)| format!("{host}:{}", app.port()),
    );
    println!(
        "laporlapak is serving on http://{address} over {}",
        settings.database_url.display()
    );
    if settings.environment == Environment::Development {
        println!("  GraphiQL:     http://{address}/graphql");
    }
    println!("  GraphQL API:  POST http://{address}/graphql");
    println!(
        "  First admin:  LAPORLAPAK_ADMIN_PASSWORD='…' laporlapak admin create --email you@example.id"
    );
    println!("                (or: cargo run --release -- admin create --email you@example.id)");
    app.run_until_signalled().await.map_err(|e| e.to_string())
}

async fn create_account(
    settings: &Settings,
    email: String,
    role: StaffRoleArg,
    platform: Option<String>,
    display_name: String,
) -> Result<(), String> {
    let password = match std::env::var("LAPORLAPAK_ADMIN_PASSWORD") {
        Ok(password) => password,
        Err(_) if std::io::stdin().is_terminal() => {
            let first = rpassword::prompt_password("Password for the new account: ")
                .map_err(|e| e.to_string())?;
            let again =
                rpassword::prompt_password("Repeat the password: ").map_err(|e| e.to_string())?;
            if first != again {
                return Err("the passwords differ".to_owned());
            }
            first
        }
        Err(_) => {
            return Err(
                "no password: set LAPORLAPAK_ADMIN_PASSWORD or run on a terminal".to_owned(),
            );
        }
    };
    let services = startup::build_command_services(settings).map_err(|e| e.to_string())?;
    let role = match role {
        StaffRoleArg::Admin => Role::Admin,
        StaffRoleArg::Reviewer => Role::Reviewer,
        StaffRoleArg::Platform => Role::Platform,
        StaffRoleArg::Regulator => Role::Regulator,
    };
    let request = StaffAccountRequest {
        email,
        password,
        display_name,
        role,
        platform,
    };
    let created = account::create_from_command_line(&services, request)
        .await
        .map_err(describe)?;
    println!(
        "created {} account {} (id {})",
        created.role, created.email, created.id
    );
    Ok(())
}

/// `laporlapak pdp …`.
/// Applies the erasure ledger again and says what it did.
async fn reapply_erasures(services: &laporlapak::service::Services) -> Result<(), String> {
    use laporlapak::service::privacy;
    let (report, orphans) = privacy::ledger::reapply(services).map_err(describe)?;
    privacy::remove_orphans(services, orphans).await;
    println!(
        "erasure ledger {}: {} entr{}; {} account(s) erased again, {} already erased, {} matching no account of this database{}",
        services.erasure_ledger.path().display(),
        report.entries,
        if report.entries == 1 { "y" } else { "ies" },
        report.applied,
        report.already_erased,
        report.unmatched,
        if report.unreadable > 0 {
            format!(", {} unreadable line(s) left alone", report.unreadable)
        } else {
            String::new()
        }
    );
    Ok(())
}

async fn pdp(settings: &Settings, command: PdpCommand) -> Result<(), String> {
    use laporlapak::service::privacy;
    let services = startup::build_command_services(settings).map_err(|e| e.to_string())?;
    match command {
        PdpCommand::Export { email } => {
            let data = privacy::export_by_email(&services, &email)
                .await
                .map_err(describe)?;
            let document = laporlapak::graphql::privacy::export_document(services.clone(), data)
                .await
                .map_err(|e| format!("export: {e}"))?;
            println!("{document}");
            Ok(())
        }
        PdpCommand::Retention { dry_run } => {
            let report = privacy::retention::apply(&services, dry_run)
                .await
                .map_err(describe)?;
            let verb = if dry_run { "would erase" } else { "erased" };
            println!(
                "retention {verb}: contact e-mails and reporter links of {} complaint(s) in cases                  final before {}; {} expired idempotency key(s); {} refilled rate-limit counter(s)",
                report.complaints,
                report.final_before.map_or_else(String::new, |at| at
                    .format("%Y-%m-%d %H:%M UTC")
                    .to_string()),
                report.idempotency_keys,
                report.rate_limit_counters
            );
            if dry_run {
                println!(
                    "retention would cover the evidence of {} complaint(s) (file names, originals with a redacted variant, identifiers read from reporters' words)",
                    report.evidence_complaints
                );
            } else {
                println!(
                    "retention covered the evidence of {} complaint(s): {} file name(s) blanked, {} original(s) dropped (redacted kept), {} identifier(s) read from reporters' words deleted",
                    report.evidence_complaints,
                    report.file_names,
                    report.originals,
                    report.identifiers
                );
            }
            Ok(())
        }
        PdpCommand::ReapplyErasures => reapply_erasures(&services).await,
        PdpCommand::RotateKey { settle_seconds } => {
            let report =
                privacy::keys::rotate(&services, std::time::Duration::from_secs(settle_seconds))
                    .await
                    .map_err(describe)?;
            if let Some(key) = &report.new_key {
                println!("rotate-key: new primary data key {key} written to the key file");
            }
            println!(
                "rotate-key: re-sealed {} value(s) under key {}",
                report.resealed.total(),
                services.vault.primary_key_id()
            );
            if report.left_behind > 0 {
                return Err(format!(
                    "{} value(s) are still sealed under an old key; the old key stays readable:                      run the command again",
                    report.left_behind
                ));
            }
            if report.retired.is_empty() {
                println!(
                    "rotate-key: every value is under the primary key; remove any older key from                      LAPORLAPAK_DATA_KEY on every replica"
                );
            } else {
                println!("rotate-key: retired key(s) {}", report.retired.join(", "));
            }
            Ok(())
        }
    }
}

/// Recomputes the hash of every stored evidence file; fails when any is missing or differs.
async fn verify_evidence(settings: &Settings) -> Result<(), String> {
    let services = startup::build_command_services(settings).map_err(|e| e.to_string())?;
    println!(
        "verify-evidence: checking every stored file in {}",
        services.evidence.store.describe()
    );
    let report = laporlapak::service::evidence::verify_all(&services)
        .await
        .map_err(describe)?;
    for problem in &report.problems {
        println!("{problem}");
    }
    println!(
        "verify-evidence: {} file(s), {} byte(s) checked, {} problem(s)",
        report.files_checked,
        report.bytes_checked,
        report.problems.len()
    );
    if report.problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} evidence file(s) missing or altered",
            report.problems.len()
        ))
    }
}

async fn verify_audit(settings: &Settings) -> Result<(), String> {
    let services = startup::build_command_services(settings).map_err(|e| e.to_string())?;
    let report = laporlapak::service::audit_log::verify::verify(&services)
        .await
        .map_err(describe)?;
    for problem in &report.problems {
        println!("{problem}");
    }
    for key in &report.retired_keys {
        println!(
            "note: some heads are signed by key {key}, which is not in the keyring (retired): \
             compare its public key with the one published then"
        );
    }
    println!(
        "verify-audit: {} event(s) in the chain, {} signed day head(s), {} event(s) not yet \
         sealed, {} problem(s)",
        report.links,
        report.heads,
        report.unsealed,
        report.problems.len()
    );
    if report.problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the audit log does not verify: {} problem(s)",
            report.problems.len()
        ))
    }
}

async fn verify_transparency(
    settings: &Settings,
    from: Option<chrono::NaiveDateTime>,
    to: Option<chrono::NaiveDateTime>,
) -> Result<(), String> {
    use laporlapak::db::models::report::Period;
    use laporlapak::service::transparency::{Source, compute_from, differences};
    let services = startup::build_command_services(settings).map_err(|e| e.to_string())?;
    let mut periods = vec![Period::default()];
    if from.is_some() || to.is_some() {
        periods.push(Period { from, to });
    }
    let mut problems = 0;
    for period in periods {
        let started = std::time::Instant::now();
        let counters = compute_from(&services, period, Source::Counters)
            .await
            .map_err(describe)?;
        let counters_time = started.elapsed();
        let started = std::time::Instant::now();
        let recount = compute_from(&services, period, Source::FullRecount)
            .await
            .map_err(describe)?;
        let recount_time = started.elapsed();
        let found = differences(&counters, &recount);
        println!(
            "verify-transparency: {} to {}: counters {:.1} ms, full recount {:.1} ms, {} complaint(s), {} request(s), {} difference(s)",
            period
                .from
                .map_or("the start".to_owned(), |at| at.to_string()),
            period.to.map_or("now".to_owned(), |at| at.to_string()),
            counters_time.as_secs_f64() * 1000.0,
            recount_time.as_secs_f64() * 1000.0,
            recount.total_complaints,
            recount.totals.issued,
            found.len()
        );
        for difference in &found {
            println!("  {difference}");
        }
        problems += found.len();
    }
    if problems == 0 {
        Ok(())
    } else {
        Err(format!(
            "the counters differ from the full recount in {problems} place(s)"
        ))
    }
}

fn describe(error: ServiceError) -> String {
    match &error {
        ServiceError::BadInput { field, .. } => {
            format!(
                "{}: {}",
                field.trim_start_matches("input."),
                error.message(Lang::En)
            )
        }
        ServiceError::Internal(internal) => internal.chain(),
        _ => error.message(Lang::En).into_owned(),
    }
}
