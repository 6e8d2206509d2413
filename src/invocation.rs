//! How the person started this program, so that the hints it prints name a command they can
//! type: `cargo run --release --` under cargo, the path they typed for a binary, or what the
//! container image says to type (its Dockerfile sets `CANDOUR_COMMAND`).

/// Set by the container image: the command people type to reach the binary inside it.
const COMMAND_ENV: &str = "CANDOUR_COMMAND";

/// The words to type before a subcommand (`survey open …`), for whoever started this process.
pub fn command_prefix() -> String {
    let argv0 = std::env::args()
        .next()
        .unwrap_or_else(|| "candour".to_owned());
    let container = std::env::var(COMMAND_ENV).ok();
    prefix_for(
        &argv0,
        std::env::var_os("CARGO").is_some(),
        container.as_deref(),
    )
}

/// `argv0` as the process received it; `under_cargo` when cargo started it (`cargo run`
/// sets CARGO); `container`, the command the container image names.
pub fn prefix_for(argv0: &str, under_cargo: bool, container: Option<&str>) -> String {
    let path = argv0.replace('\\', "/");
    let in_target = |profile: &str| path.contains(&format!("target/{profile}/"));
    if under_cargo || in_target("release") || in_target("debug") {
        return if in_target("debug") {
            "cargo run --".to_owned()
        } else {
            "cargo run --release --".to_owned()
        };
    }
    if let Some(command) = container.filter(|c| !c.trim().is_empty()) {
        return command.trim().to_owned();
    }
    if path.is_empty() {
        "candour".to_owned()
    } else {
        argv0.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::prefix_for;

    #[test]
    fn names_the_command_people_ran() {
        assert_eq!(
            prefix_for("target/release/candour", true, None),
            "cargo run --release --"
        );
        assert_eq!(
            prefix_for("/src/app/target/debug/candour", true, None),
            "cargo run --"
        );
        assert_eq!(
            prefix_for("/work/x/target/release/candour", false, None),
            "cargo run --release --"
        );
        assert_eq!(prefix_for("candour", false, None), "candour");
        assert_eq!(
            prefix_for("/usr/local/bin/candour", false, None),
            "/usr/local/bin/candour"
        );
        assert_eq!(prefix_for("./candour", false, None), "./candour");
        assert_eq!(
            prefix_for("candour", false, Some("docker compose exec app candour")),
            "docker compose exec app candour"
        );
    }
}
