//! The respondent's place in an open-link survey: a random id in a cookie, the answers so
//! far in the database under the id's hash. No answer ever travels in a cookie or URL.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::HttpRequest;

use crate::db::drafts::{self, DraftRow};
use crate::db::{DbConnection, DbError};
use crate::questionnaire::Answers;
use crate::secrets::Token;

pub const COOKIE: &str = "candour_draft";

/// A draft as a page sees it.
pub struct Draft {
    pub id_hash: String,
    pub answers: Answers,
}

pub fn token_from(req: &HttpRequest) -> Option<Token> {
    req.cookie(COOKIE).and_then(|c| Token::parse(c.value()))
}

pub fn cookie(slug: &str, token: &Token, secure: bool) -> Cookie<'static> {
    Cookie::build(COOKIE, token.expose().to_owned())
        .path(format!("/s/{slug}"))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish()
}

pub fn expired_cookie(slug: &str, secure: bool) -> Cookie<'static> {
    let mut cookie = cookie(slug, &Token::generate(), secure);
    cookie.make_removal();
    cookie
}

/// Reads the draft's stored answers (JSON) into a draft.
pub fn from_stored(id_hash: String, answers: &str) -> Result<Draft, DbError> {
    let answers = serde_json::from_str(answers)
        .map_err(|e| DbError::Corrupt(format!("draft answers: {e}")))?;
    Ok(Draft { id_hash, answers })
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

pub fn save(
    conn: &mut DbConnection,
    draft: &Draft,
    today: chrono::NaiveDate,
) -> Result<bool, DbError> {
    let json = serde_json::to_string(&draft.answers)
        .map_err(|e| DbError::Corrupt(format!("draft answers: {e}")))?;
    Ok(drafts::save_answers(conn, &draft.id_hash, &json, today)?)
}
