//! Decides at build time whether the PostgreSQL variants of the tests run: with `TEST_DATABASE_URL`
//! set (and not empty) they are compiled as ordinary tests; without it they are marked `#[ignore]`,
//! so `cargo test` reports them as ignored instead of counting them as passed.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=TEST_DATABASE_URL");
    println!("cargo::rustc-check-cfg=cfg(laporlapak_postgres_tests)");
    if std::env::var_os("TEST_DATABASE_URL").is_some_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=laporlapak_postgres_tests");
    }
}
