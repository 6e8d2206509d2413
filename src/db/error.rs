#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    #[error("no database connection available: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error("the database task was cancelled")]
    Cancelled,
}

/// Stored answers that do not read back are corrupt data.
impl From<crate::questionnaire::stored::CodecError> for DbError {
    fn from(error: crate::questionnaire::stored::CodecError) -> Self {
        DbError::Corrupt(error.to_string())
    }
}

impl DbError {
    /// Unique-constraint violations, for callers that turn them into a conflict.
    pub fn is_unique_violation(&self) -> bool {
        matches!(
            self,
            DbError::Query(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _
            ))
        )
    }
}
