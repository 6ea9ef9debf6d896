//! `schema.graphql` at the repository root is exactly what the running schema exports.

use crate::helpers::repo_path;

#[test]
fn schema_file_matches_the_running_schema() {
    let on_disk = std::fs::read_to_string(repo_path("schema.graphql")).unwrap_or_default();
    let running = laporlapak::graphql::sdl();
    assert!(
        on_disk == running,
        "schema.graphql is out of date: run `cargo run -- export-schema > schema.graphql`"
    );
}

#[test]
fn export_schema_command_prints_the_same_sdl() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_laporlapak"))
        .arg("export-schema")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        laporlapak::graphql::sdl()
    );
}
