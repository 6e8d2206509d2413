//! Typed settings: `config/default.toml`, then `config/local.toml`, then the environment.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::Deserialize;

mod from_address;

/// The shipped defaults, compiled in so the binary runs from any directory.
pub const DEFAULT_TOML: &str = include_str!("../../config/default.toml");

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("bad setting: {0}")]
    Load(String),
    #[error("bad setting {setting}: {reason}")]
    Invalid {
        setting: &'static str,
        reason: String,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub responses: ResponseSettings,
    pub mail: MailSettings,
    pub reminders: ReminderDefaults,
    pub disclosure: DisclosureDefaults,
    pub security: SecuritySettings,
    pub scheduler: SchedulerSettings,
    pub invitations: InvitationSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub bind: SocketAddr,
    pub public_url: url::Url,
    pub workers: usize,
    pub max_body_bytes: usize,
    pub draft_days: u32,
    /// New open-link drafts one client address may create per clock hour.
    pub drafts_per_address_per_hour: u32,
    /// Open-link drafts one survey may hold at once.
    pub drafts_per_survey: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: Secret,
    pub pool_size: u32,
    pub busy_timeout_ms: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseSettings {
    pub max_batch: usize,
    pub queue_capacity: usize,
    pub release_seconds: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    File,
    Smtp,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    pub transport: MailTransport,
    pub file_dir: PathBuf,
    pub smtp_url: Secret,
    pub from: String,
    pub rate_per_second: u32,
    pub connections: u32,
    pub retry_base_seconds: u32,
    pub max_attempts: u32,
    pub poll_ms: u64,
    pub smtp_timeout_seconds: u64,
    pub lease_seconds: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReminderDefaults {
    pub first_after_days: u32,
    pub every_days: u32,
    pub max: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisclosureDefaults {
    pub min_group_size: u32,
    pub comments_threshold: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecuritySettings {
    pub secret_key: Secret,
    pub key_file: String,
    pub session_idle_minutes: u32,
    pub session_absolute_minutes: u32,
    pub login_window_minutes: u32,
    pub login_max_failures_per_account: u32,
    pub login_max_failures_per_address: u32,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub password_hash_concurrency: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchedulerSettings {
    pub interval_seconds: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvitationSettings {
    pub max_upload_bytes: usize,
}

/// A setting that may hold credentials (database and SMTP URLs): never printed.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Settings {
    /// Loads the layered settings, with `config_dir/local.toml` as the optional local file.
    pub fn load(config_dir: &Path) -> Result<Self, ConfigError> {
        Self::from_figment(Self::layers(config_dir))
    }

    /// The shipped defaults alone; tests merge their own settings on top.
    pub fn defaults() -> Figment {
        Figment::from(Toml::string(DEFAULT_TOML))
    }

    /// The layers in order of precedence, lowest first.
    pub fn layers(config_dir: &Path) -> Figment {
        let mut figment = Self::defaults().merge(Toml::file(config_dir.join("local.toml")));
        if let Ok(url) = std::env::var("DATABASE_URL") {
            figment = figment.merge(Serialized::default("database.url", url));
        }
        // Only CANDOUR_<SECTION>__<KEY>: other CANDOUR_ variables (test settings) are not ours.
        figment.merge(
            Env::prefixed("CANDOUR_")
                .filter(|key| key.as_str().contains("__"))
                .split("__"),
        )
    }

    pub fn from_figment(figment: Figment) -> Result<Self, ConfigError> {
        let mut settings: Settings = figment
            .extract()
            .map_err(|error| ConfigError::Load(describe_figment_error(error)))?;
        // Not candour@localhost once mail goes beyond this computer.
        match from_address::derive(&settings.mail.from, &settings.server.public_url) {
            Ok(Some(derived)) => settings.mail.from = derived,
            Ok(None) => {}
            Err(reason) => {
                return Err(ConfigError::Invalid {
                    setting: "mail.from",
                    reason,
                })
            }
        }
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |setting, reason: &str| {
            Err(ConfigError::Invalid {
                setting,
                reason: reason.to_owned(),
            })
        };
        if !matches!(self.server.public_url.scheme(), "http" | "https") {
            return invalid("server.public_url", "must start with http:// or https://");
        }
        if self.server.max_body_bytes < 1024 {
            return invalid("server.max_body_bytes", "must be at least 1024");
        }
        if self.server.draft_days == 0 {
            return invalid("server.draft_days", "must be at least 1");
        }
        if self.server.drafts_per_address_per_hour == 0 || self.server.drafts_per_survey == 0 {
            return invalid(
                "server",
                "drafts_per_address_per_hour and drafts_per_survey must be at least 1",
            );
        }
        if let Err(reason) = crate::db::DatabaseUrl::parse(self.database.url.expose()) {
            return invalid("database.url", &reason.to_string());
        }
        if self.database.pool_size == 0 || self.database.pool_size > 256 {
            return invalid("database.pool_size", "must be between 1 and 256");
        }
        if self.responses.max_batch == 0 || self.responses.max_batch > 1000 {
            return invalid("responses.max_batch", "must be between 1 and 1000");
        }
        if self.responses.queue_capacity == 0 {
            return invalid("responses.queue_capacity", "must be at least 1");
        }
        if self.mail.transport == MailTransport::Smtp {
            match url::Url::parse(self.mail.smtp_url.expose()) {
                Ok(url) if matches!(url.scheme(), "smtp" | "smtps") => {}
                _ => {
                    return invalid(
                        "mail.smtp_url",
                        "must be smtp://… or smtps://… when mail.transport is \"smtp\"",
                    )
                }
            }
        }
        if self.mail.from.parse::<lettre::message::Mailbox>().is_err() {
            return invalid(
                "mail.from",
                "must be an address such as Name <name@example.org>",
            );
        }
        if self.responses.release_seconds == 0 {
            return invalid("responses.release_seconds", "must be at least 1");
        }
        if self.mail.rate_per_second == 0 {
            return invalid("mail.rate_per_second", "must be at least 1");
        }
        if self.mail.connections == 0 || self.mail.connections > 256 {
            return invalid("mail.connections", "must be between 1 and 256");
        }
        if self.mail.max_attempts == 0 {
            return invalid("mail.max_attempts", "must be at least 1");
        }
        if self.mail.poll_ms == 0 {
            return invalid("mail.poll_ms", "must be at least 1");
        }
        if !(1..=3600).contains(&self.mail.smtp_timeout_seconds) {
            return invalid("mail.smtp_timeout_seconds", "must be between 1 and 3600");
        }
        if !(1..=86_400).contains(&self.mail.lease_seconds) {
            return invalid("mail.lease_seconds", "must be between 1 and 86400");
        }
        if self.scheduler.interval_seconds == 0 {
            return invalid("scheduler.interval_seconds", "must be at least 1");
        }
        if self.reminders.first_after_days == 0 || self.reminders.every_days == 0 {
            return invalid(
                "reminders",
                "first_after_days and every_days must be at least 1",
            );
        }
        if !(2..=1000).contains(&self.disclosure.min_group_size) {
            return invalid("disclosure.min_group_size", "must be between 2 and 1000");
        }
        if self.disclosure.comments_threshold == 0 {
            return invalid("disclosure.comments_threshold", "must be at least 1");
        }
        self.validate_security()?;
        Ok(())
    }

    fn validate_security(&self) -> Result<(), ConfigError> {
        let invalid = |setting, reason: &str| {
            Err(ConfigError::Invalid {
                setting,
                reason: reason.to_owned(),
            })
        };
        let security = &self.security;
        if !security.secret_key.is_empty()
            && crate::secrets::SecretKey::parse(security.secret_key.expose()).is_none()
        {
            return invalid("security.secret_key", "must be 64 hexadecimal characters");
        }
        if security.secret_key.is_empty() && self.is_https() {
            return invalid(
                "security.secret_key",
                "must be set (64 hexadecimal characters) when server.public_url is https",
            );
        }
        if security.session_idle_minutes == 0 || security.session_absolute_minutes == 0 {
            return invalid(
                "security",
                "session_idle_minutes and session_absolute_minutes must be at least 1",
            );
        }
        if security.login_window_minutes == 0
            || security.login_max_failures_per_account == 0
            || security.login_max_failures_per_address == 0
        {
            return invalid(
                "security",
                "login_window_minutes and the login_max_failures settings must be at least 1",
            );
        }
        if security.password_hash_concurrency == 0 {
            return invalid("security.password_hash_concurrency", "must be at least 1");
        }
        Ok(())
    }

    /// The site's origin (`scheme://host[:port]`), which a browser's Origin header names.
    pub fn public_origin(&self) -> String {
        self.server.public_url.origin().ascii_serialization()
    }

    /// Whether cookies must carry `Secure` (and the `__Host-` prefix).
    pub fn is_https(&self) -> bool {
        self.server.public_url.scheme() == "https"
    }
}

fn describe_figment_error(error: figment::Error) -> String {
    error
        .into_iter()
        .map(|e| {
            let key = e.path.join(".");
            let source = e
                .metadata
                .as_ref()
                .map(|m| format!(" (from {})", m.name))
                .unwrap_or_default();
            if key.is_empty() {
                format!("{}{source}", e.kind)
            } else {
                format!("{key}: {}{source}", e.kind)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(extra: &str) -> Result<Settings, ConfigError> {
        Settings::from_figment(Figment::from(Toml::string(DEFAULT_TOML)).merge(Toml::string(extra)))
    }

    #[test]
    fn default_toml_holds_every_setting_and_only_known_ones() {
        // No field has a serde default, so a setting missing from default.toml fails here,
        // and deny_unknown_fields fails on a key the code does not know.
        let settings = with("").expect("default.toml loads");
        assert_eq!(settings.server.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(
            settings.database.url.expose(),
            "sqlite://data/candour.sqlite3"
        );
        assert_eq!(settings.disclosure.min_group_size, 5);
    }

    #[test]
    fn unknown_key_is_named() {
        let error = with("[server]\nbindd = \"x\"").unwrap_err().to_string();
        assert!(error.contains("bindd"), "{error}");
    }

    #[test]
    fn bad_value_is_named() {
        let error = with("[server]\nbind = \"not an address\"")
            .unwrap_err()
            .to_string();
        assert!(error.contains("server.bind"), "{error}");
        let error = with("[database]\npool_size = 0").unwrap_err().to_string();
        assert!(error.contains("database.pool_size"), "{error}");
        let error = with("[database]\nurl = \"mysql://x\"")
            .unwrap_err()
            .to_string();
        assert!(error.contains("database.url"), "{error}");
        let error = with("[mail]\ntransport = \"smtp\"")
            .unwrap_err()
            .to_string();
        assert!(error.contains("mail.smtp_url"), "{error}");
    }

    #[test]
    fn mail_timeout_and_lease_are_bounded() {
        let settings = with("").unwrap();
        assert_eq!(settings.mail.smtp_timeout_seconds, 30);
        assert_eq!(settings.mail.lease_seconds, 60);
        for (toml, setting) in [
            (
                "[mail]\nsmtp_timeout_seconds = 0",
                "mail.smtp_timeout_seconds",
            ),
            (
                "[mail]\nsmtp_timeout_seconds = 3601",
                "mail.smtp_timeout_seconds",
            ),
            ("[mail]\nlease_seconds = 0", "mail.lease_seconds"),
            ("[mail]\nlease_seconds = 86401", "mail.lease_seconds"),
        ] {
            let error = with(toml).unwrap_err().to_string();
            assert!(error.contains(setting), "{toml}: {error}");
        }
        assert!(with("[mail]\nsmtp_timeout_seconds = 1\nlease_seconds = 1").is_ok());
    }

    #[test]
    fn secrets_are_not_printed() {
        let settings = with("[database]\nurl = \"postgres://user:hunter2@localhost/db\"").unwrap();
        assert!(!format!("{settings:?}").contains("hunter2"));
    }
}
