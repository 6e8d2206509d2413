//! docker-compose.yml cannot be run here (no Docker engine), so check what it can be checked
//! for: it parses, and every CANDOUR_ variable it sets is a real setting with a valid value.

use candour::config::Settings;
use figment::providers::Serialized;

#[test]
fn every_candour_variable_in_docker_compose_is_a_real_setting() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docker-compose.yml"))
        .expect("docker-compose.yml exists");
    let compose: serde_yaml::Value =
        serde_yaml::from_str(&text).expect("docker-compose.yml parses");
    let environment = compose["services"]["app"]["environment"]
        .as_mapping()
        .expect("the app service has an environment map");
    let mut figment = Settings::defaults();
    let mut seen = 0;
    for (key, value) in environment {
        let key = key.as_str().expect("a variable name");
        let Some(setting) = key.strip_prefix("CANDOUR_") else {
            continue;
        };
        let (section, name) = setting
            .split_once("__")
            .unwrap_or_else(|| panic!("{key} is not CANDOUR_<SECTION>__<KEY>"));
        let path = format!("{}.{}", section.to_lowercase(), name.to_lowercase());
        let value = value
            .as_str()
            .unwrap_or_else(|| panic!("{key} is quoted text"));
        figment = match value.parse::<i64>() {
            Ok(number) => figment.merge(Serialized::default(&path, number)),
            Err(_) => figment.merge(Serialized::default(&path, value)),
        };
        seen += 1;
    }
    assert!(
        seen >= 5,
        "the app is configured through CANDOUR_ variables"
    );
    // deny_unknown_fields rejects a misspelt or invented setting; validation rejects bad values.
    let settings = Settings::from_figment(figment).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        settings.database.url.expose(),
        "postgres://candour:candour@db:5432/candour"
    );
    assert_eq!(settings.mail.smtp_url.expose(), "smtp://mail:1025");
}

#[test]
fn the_image_runs_as_a_non_root_user() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Dockerfile"))
        .expect("Dockerfile exists");
    let user = text
        .lines()
        .rev()
        .find(|l| l.starts_with("USER "))
        .expect("a USER line");
    assert_ne!(user.trim(), "USER root");
    assert!(text.contains("cargo build --release"));
}
