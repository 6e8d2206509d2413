//! The server's secret key: `security.secret_key` when configured, otherwise a key generated
//! at first start into a key file (mode 0600) outside the database. A check value of the key
//! (an HMAC of a fixed label) is kept in the database, so that starting with another key
//! while sealed responses wait is refused instead of leaving them unreadable.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::Settings;
use crate::db::{key_check, waiting, write_transaction, DatabaseUrl, DbConnection, DbError};
use crate::secrets::SecretKey;

const CHECK_LABEL: &[u8] = b"candour/key-check/v1";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the key file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create the key file {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the key file {0} does not hold 64 hexadecimal characters")]
    Invalid(PathBuf),
    #[error(
        "the secret key is not the one the database was used with, and {waiting} sealed \
         responses are waiting for release under the old one: start with the old key \
         (security.secret_key or the key file), or they could never be read"
    )]
    Changed { waiting: i64 },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for KeyError {
    fn from(error: diesel::result::Error) -> Self {
        Self::Db(DbError::from(error))
    }
}

/// Where the generated key lives: `security.key_file` when set, otherwise `secret.key` beside
/// the SQLite file, or `data/secret.key` for PostgreSQL.
pub fn key_file_path(settings: &Settings) -> PathBuf {
    if !settings.security.key_file.is_empty() {
        return PathBuf::from(&settings.security.key_file);
    }
    match DatabaseUrl::parse(settings.database.url.expose()) {
        Ok(DatabaseUrl::Sqlite(path)) => path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .join("secret.key"),
        _ => PathBuf::from("data").join("secret.key"),
    }
}

/// The configured key, or the key file's (created with a fresh key when missing).
pub fn load(settings: &Settings) -> Result<SecretKey, KeyError> {
    if let Some(key) = SecretKey::parse(settings.security.secret_key.expose()) {
        return Ok(key);
    }
    let path = key_file_path(settings);
    match std::fs::read_to_string(&path) {
        Ok(text) => SecretKey::parse(&text).ok_or(KeyError::Invalid(path)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => create(&path),
        Err(source) => Err(KeyError::Read { path, source }),
    }
}

fn create(path: &Path) -> Result<SecretKey, KeyError> {
    let failed = |source| KeyError::Create {
        path: path.to_owned(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(failed)?;
    }
    let hex_key = crate::secrets::Token::generate().expose().to_owned();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(hex_key.as_bytes()).map_err(failed)?;
            file.sync_all().map_err(failed)?;
            tracing::warn!(path = %path.display(), "generated the server's secret key");
            println!(
                "Generated a secret key in {} (it seals waiting responses, drafts and second \
                 factors). Keep it apart from the database and its backups, or set \
                 security.secret_key.",
                path.display()
            );
            SecretKey::parse(&hex_key).ok_or_else(|| KeyError::Invalid(path.to_owned()))
        }
        // Another process created it a moment ago: use theirs.
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = std::fs::read_to_string(path).map_err(|source| KeyError::Read {
                path: path.to_owned(),
                source,
            })?;
            SecretKey::parse(&text).ok_or_else(|| KeyError::Invalid(path.to_owned()))
        }
        Err(source) => Err(failed(source)),
    }
}

/// The key's check value in hex: HKDF-SHA256 expanded with a fixed label (an HMAC of the
/// label under the key's pseudo-random key), which says nothing about the key itself.
pub fn check_value(key: &SecretKey) -> String {
    hex::encode(key.derive(CHECK_LABEL))
}

/// Records the key's check value, or refuses a different key while responses wait sealed
/// under the recorded one. A different key with nothing waiting replaces the record.
pub fn check(conn: &mut DbConnection, key: &SecretKey) -> Result<(), KeyError> {
    let value = check_value(key);
    write_transaction(conn, |conn| -> Result<(), KeyError> {
        match key_check::get(conn)? {
            Some(stored) if stored == value => Ok(()),
            Some(_) => {
                let waiting = waiting::count_all(conn)?;
                if waiting > 0 {
                    return Err(KeyError::Changed { waiting });
                }
                tracing::warn!("the secret key changed; nothing was waiting under the old one");
                key_check::set(conn, &value).map_err(KeyError::from)
            }
            None => key_check::set(conn, &value).map_err(KeyError::from),
        }
    })
}
