//! The respondent's place in a survey. On the open link: a random id in a cookie, the
//! answers so far in the database under the id's hash, stored only once the first answers
//! are saved (starting stores nothing; `draft_bounds` limits new drafts). Through an
//! invitation: a session cookie that names the invitation (`invite_session`: never the link's
//! token), the answers sealed under the invitation's draft key, which is stored sealed under
//! the server's key (see `invite::sealing`). No answer ever travels in a cookie or URL.

use crate::db::InvitationId;
use crate::db::SurveyId;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::HttpRequest;

use crate::db::drafts::{self, Created, DraftRow};
use crate::db::invitations::{self, SealedDraft};
use crate::db::{DbConnection, DbError};
use crate::invite::DraftKey;
use crate::questionnaire::{stored, Answers};
use crate::secrets::SecretKey;
use crate::secrets::Token;
use crate::web::AppState;

use super::invite_session::SessionKey;

pub const COOKIE: &str = "candour_draft";
pub const INVITE_COOKIE: &str = "candour_invite";

/// Marks an open-link draft's stored answers as sealed (older ones are plain JSON).
const SEALED_PREFIX: &str = "sealed:";

/// What the browser presents: an invitation wins over an open-link draft.
#[derive(Debug, Clone)]
pub enum Pass {
    Open(Token),
    /// The invitation a valid session cookie names.
    Invited(InvitationId),
}

/// Whose draft it is, and how it is saved.
#[derive(Debug, Clone)]
pub enum Owner {
    Open {
        id_hash: String,
        /// Derived from the cookie's random value: seals the answers at rest.
        key: DraftKey,
        /// Whether the draft is in the database (it is not until its first answers are saved).
        stored: bool,
    },
    Invited {
        invitation_id: InvitationId,
        key: DraftKey,
        /// The key sealed under the server's secret key, stored beside the draft.
        server_sealed_key: Option<String>,
    },
}

/// A draft as a page sees it.
#[derive(Debug, Clone)]
pub struct Draft {
    pub survey_id: SurveyId,
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

impl Draft {
    /// An open-link draft whose first answers have not been saved yet.
    pub fn is_unstored(&self) -> bool {
        matches!(self.owner, Owner::Open { stored: false, .. })
    }
}

impl Found {
    pub fn draft(self) -> Option<Draft> {
        match self {
            Found::Draft(draft) => Some(draft),
            _ => None,
        }
    }
}

pub fn pass_from(req: &HttpRequest, state: &AppState) -> Option<Pass> {
    let invited = req.cookie(INVITE_COOKIE).and_then(|cookie| {
        SessionKey::new(&state.secret_key).invitation(
            cookie.value(),
            state.today(),
            state.settings.server.draft_days,
        )
    });
    invited.map(Pass::Invited).or_else(|| {
        req.cookie(COOKIE)
            .and_then(|c| Token::parse(c.value()))
            .map(Pass::Open)
    })
}

fn build_cookie(name: &'static str, slug: &str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build(name, value)
        .path(format!("/s/{slug}"))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish()
}

pub fn cookie(slug: &str, token: &Token, secure: bool) -> Cookie<'static> {
    build_cookie(COOKIE, slug, token.expose().to_owned(), secure)
}

/// The invited respondent's session cookie: it names the invitation, and is not the link.
/// A browser session's cookie (no Max-Age), so that a shared computer forgets it when the
/// browser closes; the server honours it for `server.draft_days` at most.
pub fn invite_cookie(
    state: &AppState,
    slug: &str,
    invitation_id: &InvitationId,
) -> Cookie<'static> {
    let value = SessionKey::new(&state.secret_key).issue(invitation_id, state.today());
    build_cookie(INVITE_COOKIE, slug, value, state.secure_cookies())
}

/// Removal cookies for both kinds, sent once a response is stored.
pub fn expired_cookies(slug: &str, secure: bool) -> [Cookie<'static>; 2] {
    [COOKIE, INVITE_COOKIE].map(|name| {
        let mut cookie = build_cookie(name, slug, String::new(), secure);
        cookie.make_removal();
        cookie
    })
}

/// The draft the pass leads to. `server` is the server's secret key.
pub fn load(
    conn: &mut DbConnection,
    pass: Option<&Pass>,
    survey_id: SurveyId,
    server: &SecretKey,
) -> Result<Found, DbError> {
    match pass {
        None => Ok(Found::Nothing),
        Some(Pass::Open(token)) => load_open(conn, token, survey_id),
        Some(Pass::Invited(invitation_id)) => load_invited(conn, invitation_id, survey_id, server),
    }
}

fn load_open(
    conn: &mut DbConnection,
    token: &Token,
    survey_id: SurveyId,
) -> Result<Found, DbError> {
    let stored = drafts::find(conn, &token.hash(), survey_id)?;
    open_draft(
        survey_id,
        token,
        stored.as_ref().map(|row| row.answers.as_str()),
    )
    .map(Found::Draft)
}

/// An open-link draft from its stored answers (sealed under a key derived from the cookie,
/// padded like invited drafts, or plain JSON as stored before drafts were sealed), or an
/// empty one, not stored yet, when the cookie has no draft in the database.
pub fn open_draft(
    survey_id: SurveyId,
    cookie: &Token,
    stored: Option<&str>,
) -> Result<Draft, DbError> {
    let id_hash = cookie.hash();
    let key = DraftKey::for_open_draft(cookie);
    let Some(stored) = stored else {
        return Ok(Draft {
            survey_id,
            owner: Owner::Open {
                id_hash,
                key,
                stored: false,
            },
            answers: Answers::new(),
        });
    };
    let json = match stored.strip_prefix(SEALED_PREFIX) {
        Some(sealed) => key
            .open(sealed, &id_hash)
            .ok_or_else(|| DbError::Corrupt("an open-link draft does not open".to_owned()))?,
        None => stored.to_owned(),
    };
    let answers = stored::decode_draft(&json)?;
    Ok(Draft {
        survey_id,
        owner: Owner::Open {
            id_hash,
            key,
            stored: true,
        },
        answers,
    })
}

/// An invitation's draft (empty until first saved), opened through the server's seal of its
/// key. A draft that the seal cannot open (sealed under another server key) is deleted and the
/// respondent starts afresh.
fn load_invited(
    conn: &mut DbConnection,
    invitation_id: &InvitationId,
    survey_id: SurveyId,
    server: &SecretKey,
) -> Result<Found, DbError> {
    let Some((survey, completed)) = invitations::find_by_id(conn, invitation_id)? else {
        return Ok(Found::Nothing);
    };
    if survey != survey_id {
        return Ok(Found::Nothing);
    }
    if completed {
        return Ok(Found::Completed);
    }
    let id = invitation_id.to_owned();
    let stored = invitations::find_draft(conn, &id)?;
    let Some(key) = key_from_server(stored.as_ref(), server, &id) else {
        // A fresh key can open no earlier draft: that draft is deleted, nothing to read.
        if stored.is_some() {
            invitations::delete_draft(conn, &id)?;
        }
        let key = DraftKey::generate();
        return Ok(Found::Draft(invited_draft(
            survey_id,
            id,
            key,
            server,
            Answers::new(),
        )));
    };
    let answers = stored
        .and_then(|draft| key.open(&draft.sealed, id.as_str()))
        .and_then(|json| stored::decode_draft(&json).ok())
        .unwrap_or_default();
    Ok(Found::Draft(invited_draft(
        survey_id, id, key, server, answers,
    )))
}

fn key_from_server(
    stored: Option<&SealedDraft>,
    server: &SecretKey,
    invitation_id: &InvitationId,
) -> Option<DraftKey> {
    let wrapped = stored?.server_sealed_key.as_deref()?;
    DraftKey::unwrap_for_server(wrapped, server, invitation_id.as_str())
}

fn invited_draft(
    survey_id: SurveyId,
    invitation_id: InvitationId,
    key: DraftKey,
    server: &SecretKey,
    answers: Answers,
) -> Draft {
    let server_sealed_key = Some(key.wrap_for_server(server, invitation_id.as_str()));
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

/// Forgets a draft (the respondent chose to start again).
pub fn discard(conn: &mut DbConnection, draft: &Draft) -> Result<(), DbError> {
    match &draft.owner {
        Owner::Open { stored: false, .. } => {}
        Owner::Open { id_hash, .. } => drafts::delete(conn, id_hash).map(drop)?,
        Owner::Invited { invitation_id, .. } => invitations::delete_draft(conn, invitation_id)?,
    }
    Ok(())
}

/// What saving a draft came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Done,
    /// An open-link draft that was stored no longer exists (sent, or expired).
    Gone,
    /// A new open-link draft, and its survey already holds the most drafts it may.
    SurveyFull,
}

/// Saves the answers: a new open-link draft is stored now, unless its survey already holds
/// `max_per_survey` drafts.
pub fn save(
    conn: &mut DbConnection,
    draft: &Draft,
    today: chrono::NaiveDate,
    max_per_survey: u32,
) -> Result<Saved, DbError> {
    let json = stored::encode_draft(&draft.answers)?;
    match &draft.owner {
        Owner::Open {
            id_hash,
            key,
            stored,
        } => {
            let sealed = format!("{SEALED_PREFIX}{}", key.seal(&json, id_hash));
            if *stored {
                return Ok(match drafts::save_answers(conn, id_hash, &sealed, today)? {
                    true => Saved::Done,
                    false => Saved::Gone,
                });
            }
            let row = DraftRow {
                id_hash: id_hash.clone(),
                survey_id: draft.survey_id,
                answers: sealed,
                updated_on: today,
            };
            Ok(
                match drafts::create_bounded(conn, &row, max_per_survey.into())? {
                    Created::Stored => Saved::Done,
                    Created::SurveyFull => Saved::SurveyFull,
                },
            )
        }
        Owner::Invited {
            invitation_id,
            key,
            server_sealed_key,
        } => {
            let sealed = SealedDraft {
                sealed: key.seal(&json, invitation_id.as_str()),
                server_sealed_key: server_sealed_key.clone(),
            };
            invitations::save_draft(conn, invitation_id, draft.survey_id, &sealed, today)?;
            Ok(Saved::Done)
        }
    }
}
