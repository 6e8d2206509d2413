use std::fmt;
use std::path::PathBuf;

/// A database location, chosen by URL scheme: `sqlite://PATH` or a plain path, `postgres://…`.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DatabaseUrlError {
    #[error("is empty")]
    Empty,
    #[error(
        "has the unsupported scheme \"{0}\" (use sqlite://PATH, a file path, or postgres://…)"
    )]
    UnsupportedScheme(String),
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, DatabaseUrlError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(DatabaseUrlError::Empty);
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.to_owned()));
        }
        if let Some(path) = raw.strip_prefix("sqlite://") {
            return if path.is_empty() {
                Err(DatabaseUrlError::Empty)
            } else {
                Ok(Self::Sqlite(PathBuf::from(path)))
            };
        }
        match raw.split_once("://") {
            Some((scheme, _)) => Err(DatabaseUrlError::UnsupportedScheme(scheme.to_owned())),
            None => Ok(Self::Sqlite(PathBuf::from(raw))),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Shows where the database is without any password.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "SQLite file {}", path.display()),
            Self::Postgres(raw) => match ::url::Url::parse(raw) {
                Ok(url) => write!(
                    f,
                    "PostgreSQL database {} on {}",
                    url.path().trim_start_matches('/'),
                    url.host_str().unwrap_or("the local socket")
                ),
                Err(_) => f.write_str("PostgreSQL database"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chooses_backend_by_scheme() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/x.sqlite3"),
            Ok(DatabaseUrl::Sqlite("data/x.sqlite3".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("/tmp/x.db"),
            Ok(DatabaseUrl::Sqlite("/tmp/x.db".into()))
        );
        assert!(matches!(
            DatabaseUrl::parse("postgresql://u@h/db"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        assert_eq!(
            DatabaseUrl::parse("mysql://h/db"),
            Err(DatabaseUrlError::UnsupportedScheme("mysql".into()))
        );
        assert_eq!(DatabaseUrl::parse(" "), Err(DatabaseUrlError::Empty));
    }

    #[test]
    fn display_hides_password() {
        let url = DatabaseUrl::parse("postgres://me:secret@db.example/candour").unwrap();
        let shown = url.to_string();
        assert!(!shown.contains("secret"));
        assert!(shown.contains("candour"));
    }
}
