//! Sessions stored in the database (so any instance can serve any request): the cookie
//! holds 256 random bits, the table only their hash. Idle and absolute timeouts are
//! checked here on every request.

use chrono::{Duration, NaiveDateTime};
use diesel::QueryResult;
use sha2::{Digest, Sha256};

use crate::config::SecuritySettings;
use crate::db::sessions::{self, SessionRow};
use crate::db::users::{self, UserRow};
use crate::db::{DbConnection, UserId};
use crate::secrets::Token;

/// How far a session has got: password accepted, or password and second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Password,
    Full,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Password => "password",
            Stage::Full => "full",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Timeouts {
    pub idle: Duration,
    pub absolute: Duration,
}

impl Timeouts {
    pub fn from_settings(security: &SecuritySettings) -> Self {
        Self {
            idle: Duration::minutes(security.session_idle_minutes.into()),
            absolute: Duration::minutes(security.session_absolute_minutes.into()),
        }
    }
}

/// Starts a session under a new id (a new id at every step of signing in).
pub fn start(
    conn: &mut DbConnection,
    user_id: UserId,
    stage: Stage,
    now: NaiveDateTime,
) -> QueryResult<Token> {
    let token = Token::generate();
    sessions::insert(
        conn,
        &SessionRow {
            id_hash: token.hash(),
            user_id,
            stage: stage.as_str().to_owned(),
            created_at: now,
            last_seen_at: now,
        },
    )?;
    Ok(token)
}

/// Replaces a session by a new one for the same user at a new stage. The absolute timeout
/// still counts from the first step.
pub fn advance(
    conn: &mut DbConnection,
    old: &SessionRow,
    stage: Stage,
    now: NaiveDateTime,
) -> QueryResult<Token> {
    sessions::delete(conn, &old.id_hash)?;
    let token = Token::generate();
    sessions::insert(
        conn,
        &SessionRow {
            id_hash: token.hash(),
            user_id: old.user_id,
            stage: stage.as_str().to_owned(),
            created_at: old.created_at,
            last_seen_at: now,
        },
    )?;
    Ok(token)
}

pub enum Lookup {
    Active(Box<(SessionRow, UserRow)>),
    /// It existed but timed out (now deleted): the person is told, not silently dropped.
    Expired,
    Missing,
}

/// How stale `last_seen_at` may get before a request writes it again: minute precision is
/// plenty for a 30-minute idle timeout, and most page views then write nothing.
const TOUCH_EVERY: chrono::Duration = chrono::Duration::minutes(1);

/// Finds the session behind a cookie, ends it when timed out or when its account is
/// disabled, and otherwise records the activity (at most once a minute).
pub fn load(
    conn: &mut DbConnection,
    token: &Token,
    timeouts: &Timeouts,
    now: NaiveDateTime,
) -> QueryResult<Lookup> {
    let hash = token.hash();
    let Some(row) = sessions::find(conn, &hash)? else {
        return Ok(Lookup::Missing);
    };
    if now - row.last_seen_at > timeouts.idle || now - row.created_at > timeouts.absolute {
        sessions::delete(conn, &hash)?;
        return Ok(Lookup::Expired);
    }
    match users::find(conn, row.user_id)? {
        Some(user) if !user.disabled => {
            if now - row.last_seen_at >= TOUCH_EVERY {
                sessions::touch(conn, &hash, now)?;
            }
            Ok(Lookup::Active(Box::new((row, user))))
        }
        _ => {
            sessions::delete(conn, &hash)?;
            Ok(Lookup::Missing)
        }
    }
}

/// The CSRF token of a session: derived from the cookie's secret, so it needs no storage
/// and cannot be computed from a copy of the database.
pub fn csrf_token(token: &Token) -> String {
    hex::encode(Sha256::digest(
        format!("candour-csrf:{}", token.expose()).as_bytes(),
    ))
}
