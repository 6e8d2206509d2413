//! The respondent's place in a survey. On the open link: a random id in a cookie, the
//! answers so far in the database under the id's hash. Through an invitation: the link's
//! token in a cookie, the answers sealed under the invitation's draft key, which only the
//! invitation's tokens (and the server's secret key, when set) can open (see
//! `invite::sealing`). No answer ever travels in a cookie or URL.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::HttpRequest;

use crate::db::drafts::{self, DraftRow};
use crate::db::invitations::{self, SealedDraft};
use crate::db::{write_transaction, DbConnection, DbError};
use crate::invite::DraftKey;
use crate::questionnaire::Answers;
use crate::secrets::SecretKey;
use crate::secrets::Token;

pub const COOKIE: &str = "candour_draft";
pub const INVITE_COOKIE: &str = "candour_invite";

/// Marks an open-link draft's stored answers as sealed (older ones are plain JSON).
const SEALED_PREFIX: &str = "sealed:";

/// What the browser presents: an invitation wins over an open-link draft.
#[derive(Debug, Clone)]
pub enum Pass {
    Open(Token),
    Invited(Token),
}

/// Whose draft it is, and how it is saved.
#[derive(Debug, Clone)]
pub enum Owner {
    Open {
        id_hash: String,
        /// Derived from the cookie's random value: seals the answers at rest.
        key: DraftKey,
    },
    Invited {
        invitation_id: String,
        key: DraftKey,
        /// The key sealed under the server's secret key, stored beside the draft.
        server_sealed_key: Option<String>,
    },
}

/// A draft as a page sees it.
#[derive(Debug, Clone)]
pub struct Draft {
    pub survey_id: i32,
    pub owner: Owner,
    pub answers: Answers,
}

/// What the presented cookie leads to in one survey.
#[derive(Debug)]
pub enum Found {
    Nothing,
    Draft(Draft),
    /// An invitation of this survey that has already responded.
    Completed,
}

impl Found {
    pub fn draft(self) -> Option<Draft> {
        match self {
            Found::Draft(draft) => Some(draft),
            _ => None,
        }
    }
}

pub fn pass_from(req: &HttpRequest) -> Option<Pass> {
    let token = |name| req.cookie(name).and_then(|c| Token::parse(c.value()));
    token(INVITE_COOKIE)
        .map(Pass::Invited)
        .or_else(|| token(COOKIE).map(Pass::Open))
}

fn build_cookie(name: &'static str, slug: &str, token: &Token, secure: bool) -> Cookie<'static> {
    Cookie::build(name, token.expose().to_owned())
        .path(format!("/s/{slug}"))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish()
}

pub fn cookie(slug: &str, token: &Token, secure: bool) -> Cookie<'static> {
    build_cookie(COOKIE, slug, token, secure)
}

pub fn invite_cookie(slug: &str, token: &Token, secure: bool) -> Cookie<'static> {
    build_cookie(INVITE_COOKIE, slug, token, secure)
}

/// Removal cookies for both kinds, sent once a response is stored.
pub fn expired_cookies(slug: &str, secure: bool) -> [Cookie<'static>; 2] {
    [COOKIE, INVITE_COOKIE].map(|name| {
        let mut cookie = build_cookie(name, slug, &Token::generate(), secure);
        cookie.make_removal();
        cookie
    })
}

/// The draft the pass leads to. `server` is the server's secret key.
pub fn load(
    conn: &mut DbConnection,
    pass: Option<&Pass>,
    survey_id: i32,
    server: &SecretKey,
) -> Result<Found, DbError> {
    match pass {
        None => Ok(Found::Nothing),
        Some(Pass::Open(token)) => load_open(conn, token, survey_id),
        Some(Pass::Invited(token)) => load_invited(conn, token, survey_id, server),
    }
}

fn load_open(conn: &mut DbConnection, token: &Token, survey_id: i32) -> Result<Found, DbError> {
    match drafts::find(conn, &token.hash(), survey_id)? {
        Some(row) => open_draft(survey_id, token, &row.answers).map(Found::Draft),
        None => Ok(Found::Nothing),
    }
}

/// An open-link draft from its stored answers: sealed under a key derived from the cookie
/// (padded, like invited drafts), or plain JSON as stored before drafts were sealed.
pub fn open_draft(survey_id: i32, cookie: &Token, stored: &str) -> Result<Draft, DbError> {
    let id_hash = cookie.hash();
    let key = DraftKey::for_open_draft(cookie);
    let json = match stored.strip_prefix(SEALED_PREFIX) {
        Some(sealed) => key
            .open(sealed, &id_hash)
            .ok_or_else(|| DbError::Corrupt("an open-link draft does not open".to_owned()))?,
        None => stored.to_owned(),
    };
    let answers =
        serde_json::from_str(&json).map_err(|e| DbError::Corrupt(format!("draft answers: {e}")))?;
    Ok(Draft {
        survey_id,
        owner: Owner::Open { id_hash, key },
        answers,
    })
}

/// An invitation's draft (empty until first saved). The first time a token is used its seal
/// of the draft key is made. A token minted after the draft was started (by a reminder) opens
/// the draft through the server's seal of the key. A draft that neither can open (sealed
/// under another server key) is deleted and the respondent starts afresh.
fn load_invited(
    conn: &mut DbConnection,
    token: &Token,
    survey_id: i32,
    server: &SecretKey,
) -> Result<Found, DbError> {
    let hash = token.hash();
    let Some(found) = invitations::find_by_token(conn, &hash)? else {
        return Ok(Found::Nothing);
    };
    if found.survey_id != survey_id {
        return Ok(Found::Nothing);
    }
    if found.completed {
        return Ok(Found::Completed);
    }
    let id = found.invitation_id;
    let by_token = found
        .wrapped_key
        .as_deref()
        .and_then(|wrapped| DraftKey::unwrap(wrapped, token, &id));
    let stored = invitations::find_draft(conn, &id)?;
    let key = match by_token {
        Some(key) => key,
        None => match key_from_server(stored.as_ref(), server, &id) {
            // An earlier link's draft: this link may open it from now on too.
            Some(key) => {
                invitations::set_wrapped_key(conn, &id, &hash, &key.wrap(token, &id), false)?;
                key
            }
            // A fresh key can open no earlier draft: that draft is deleted, nothing to read.
            None => {
                let key = DraftKey::generate();
                write_transaction(conn, |conn| {
                    invitations::delete_draft(conn, &id)?;
                    invitations::set_wrapped_key(conn, &id, &hash, &key.wrap(token, &id), true)
                })?;
                return Ok(Found::Draft(invited_draft(
                    survey_id,
                    id,
                    key,
                    server,
                    Answers::new(),
                )));
            }
        },
    };
    let answers = stored
        .and_then(|draft| key.open(&draft.sealed, &id))
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    Ok(Found::Draft(invited_draft(
        survey_id, id, key, server, answers,
    )))
}

fn key_from_server(
    stored: Option<&SealedDraft>,
    server: &SecretKey,
    invitation_id: &str,
) -> Option<DraftKey> {
    let wrapped = stored?.server_sealed_key.as_deref()?;
    DraftKey::unwrap_for_server(wrapped, server, invitation_id)
}

fn invited_draft(
    survey_id: i32,
    invitation_id: String,
    key: DraftKey,
    server: &SecretKey,
    answers: Answers,
) -> Draft {
    let server_sealed_key = Some(key.wrap_for_server(server, &invitation_id));
    Draft {
        survey_id,
        owner: Owner::Invited {
            invitation_id,
            key,
            server_sealed_key,
        },
        answers,
    }
}

pub fn create(
    conn: &mut DbConnection,
    survey_id: i32,
    today: chrono::NaiveDate,
) -> Result<Token, DbError> {
    let token = Token::generate();
    drafts::insert(
        conn,
        &DraftRow {
            id_hash: token.hash(),
            survey_id,
            answers: "{}".to_owned(),
            updated_on: today,
        },
    )?;
    Ok(token)
}

/// Forgets a draft (the respondent chose to start again).
pub fn discard(conn: &mut DbConnection, draft: &Draft) -> Result<(), DbError> {
    match &draft.owner {
        Owner::Open { id_hash, .. } => drafts::delete(conn, id_hash).map(drop)?,
        Owner::Invited { invitation_id, .. } => invitations::delete_draft(conn, invitation_id)?,
    }
    Ok(())
}

/// Saves the answers; false when an open-link draft no longer exists.
pub fn save(
    conn: &mut DbConnection,
    draft: &Draft,
    today: chrono::NaiveDate,
) -> Result<bool, DbError> {
    let json = serde_json::to_string(&draft.answers)
        .map_err(|e| DbError::Corrupt(format!("draft answers: {e}")))?;
    match &draft.owner {
        Owner::Open { id_hash, key } => {
            let sealed = format!("{SEALED_PREFIX}{}", key.seal(&json, id_hash));
            Ok(drafts::save_answers(conn, id_hash, &sealed, today)?)
        }
        Owner::Invited {
            invitation_id,
            key,
            server_sealed_key,
        } => {
            let sealed = SealedDraft {
                sealed: key.seal(&json, invitation_id),
                server_sealed_key: server_sealed_key.clone(),
            };
            invitations::save_draft(conn, invitation_id, draft.survey_id, &sealed, today)?;
            Ok(true)
        }
    }
}
