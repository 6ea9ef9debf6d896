//! Decides at build time which optional variants of the tests run:
//! * PostgreSQL: with `TEST_DATABASE_URL` set (and not empty) they are compiled as ordinary tests;
//! * the S3 evidence store: with `TEST_S3_ENDPOINT` set (a local S3-compatible server such as the
//!   one `.ci/moto/start.sh` starts);
//! * notification mails: with `TEST_SMTP_URL` set (a local SMTP server such as the aiosmtpd that
//!   `.ci/smtp/start.sh` starts, writing to the Maildir `TEST_SMTP_MAILDIR`).
//!
//! Without them those variants are marked `#[ignore]`, so `cargo test` reports them as ignored
//! instead of counting them as passed.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=TEST_DATABASE_URL");
    println!("cargo::rerun-if-env-changed=TEST_S3_ENDPOINT");
    println!("cargo::rerun-if-env-changed=TEST_SMTP_URL");
    println!("cargo::rustc-check-cfg=cfg(laporlapak_postgres_tests)");
    println!("cargo::rustc-check-cfg=cfg(laporlapak_s3_tests)");
    println!("cargo::rustc-check-cfg=cfg(laporlapak_smtp_tests)");
    if std::env::var_os("TEST_DATABASE_URL").is_some_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=laporlapak_postgres_tests");
    }
    if std::env::var_os("TEST_S3_ENDPOINT").is_some_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=laporlapak_s3_tests");
    }
    if std::env::var_os("TEST_SMTP_URL").is_some_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=laporlapak_smtp_tests");
    }
}
