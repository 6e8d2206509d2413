//! The `candour` binary, run against a test database.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::TestDb;

/// Runs the CLI with the test database and a working folder of its own.
pub fn cli_with(db: &TestDb, args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_candour"));
    command
        .args(args)
        .current_dir(db.dir())
        .env("CANDOUR_DATABASE__URL", &db.url)
        .env("CANDOUR_MAIL__FILE_DIR", db.dir().join("mail"))
        .env("CANDOUR_SECURITY__KEY_FILE", db.key_file())
        .env_remove("DATABASE_URL")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("run candour");
    if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
        use std::io::Write;
        pipe.write_all(input.as_bytes()).expect("write stdin");
    }
    child.wait_with_output().expect("candour finishes")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn write_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a file");
    path
}
