//! Who is asking: the session cookie and its extractors (`SignedIn`, `RequireAdmin`,
//! `PartlySignedIn`), the bearer-token extractor for the API, the CSRF check, and the
//! client address used for sign-in limits.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use subtle::ConstantTimeEq;

use crate::accounts::session::{self, Lookup, Stage, Timeouts};
use crate::accounts::{self, Account};
use crate::db::sessions::SessionRow;
use crate::db::users::UserRow;
use crate::error::AppError;
use crate::secrets::Token;
use crate::web::{ApiError, AppState};

pub use super::error::AdminError;

/// The hidden form field that carries the CSRF token.
pub const CSRF_FIELD: &str = "_csrf";

pub fn cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-candour_session"
    } else {
        "candour_session"
    }
}

/// The session cookie: HttpOnly, SameSite=Lax, Path=/, and `Secure` with the `__Host-`
/// prefix behind https. No expiry: it ends with the browser, and the server ends it sooner.
pub fn session_cookie(token: Option<&Token>, https: bool) -> Cookie<'static> {
    let mut cookie = Cookie::new(
        cookie_name(https),
        token.map(|t| t.expose().to_owned()).unwrap_or_default(),
    );
    cookie.set_path("/");
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_secure(https);
    cookie
}

fn presented_token(req: &HttpRequest, https: bool) -> Option<Token> {
    req.cookie(cookie_name(https))
        .and_then(|c| Token::parse(c.value()))
}

fn state_of(req: &HttpRequest) -> Result<web::Data<AppState>, AppError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::Internal("the application state is missing".to_owned()))
}

/// A session found through its cookie, at whatever stage.
pub struct CurrentSession {
    pub token: Token,
    pub row: SessionRow,
    pub user: UserRow,
}

impl CurrentSession {
    pub fn csrf(&self) -> String {
        session::csrf_token(&self.token)
    }

    pub fn account(&self) -> Account {
        Account::from_row(&self.user)
    }
}

async fn current_session(req: &HttpRequest) -> Result<Option<CurrentSession>, AdminError> {
    let state = state_of(req)?;
    let https = state.secure_cookies();
    let Some(token) = presented_token(req, https) else {
        return Ok(None);
    };
    let timeouts = Timeouts::from_settings(&state.settings.security);
    let now = state.clock.now();
    let lookup_token = token.clone();
    let lookup = state
        .db
        // No write transaction: each write in `load` (delete or touch) stands alone, and a
        // page view that needs neither takes no write lock.
        .run(move |conn| {
            session::load(conn, &lookup_token, &timeouts, now).map_err(AdminError::from)
        })
        .await?;
    match lookup {
        Lookup::Active(found) => {
            let (row, user) = *found;
            Ok(Some(CurrentSession { token, row, user }))
        }
        Lookup::Expired => Err(AdminError::SessionEnded {
            https,
            idle_minutes: state.settings.security.session_idle_minutes,
            absolute_minutes: state.settings.security.session_absolute_minutes,
        }),
        Lookup::Missing => Ok(None),
    }
}

/// A person who has given their password and second factor.
pub struct SignedIn {
    pub account: Account,
    pub session: CurrentSession,
    /// `security.session_idle_minutes`, for the page footer.
    pub idle_minutes: u32,
}

impl SignedIn {
    /// The token every form of this session must carry.
    pub fn csrf(&self) -> String {
        self.session.csrf()
    }
}

type LocalFuture<T> = Pin<Box<dyn Future<Output = Result<T, AdminError>>>>;

impl FromRequest for SignedIn {
    type Error = AdminError;
    type Future = LocalFuture<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let idle_minutes = state_of(&req)?.settings.security.session_idle_minutes;
            match current_session(&req).await? {
                Some(session) if session.row.stage == Stage::Full.as_str() => Ok(SignedIn {
                    account: session.account(),
                    session,
                    idle_minutes,
                }),
                _ => Err(AdminError::NotSignedIn),
            }
        })
    }
}

/// A signed-in admin; viewers get 403.
pub struct RequireAdmin(pub SignedIn);

impl FromRequest for RequireAdmin {
    type Error = AdminError;
    type Future = LocalFuture<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let signed_in = SignedIn::from_request(req, payload);
        Box::pin(async move {
            let signed_in = signed_in.await?;
            if signed_in.account.is_admin() {
                Ok(RequireAdmin(signed_in))
            } else {
                Err(AppError::Forbidden.into())
            }
        })
    }
}

/// Someone whose password was accepted and who still owes the second factor.
pub struct PartlySignedIn(pub CurrentSession);

impl FromRequest for PartlySignedIn {
    type Error = AdminError;
    type Future = LocalFuture<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match current_session(&req).await? {
                Some(session) if session.row.stage == Stage::Password.as_str() => {
                    Ok(PartlySignedIn(session))
                }
                _ => Err(AdminError::NotSignedIn),
            }
        })
    }
}

/// The account behind `Authorization: Bearer <API token>`, for scripted access.
pub struct BearerAccount(pub Account);

impl FromRequest for BearerAccount {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let presented = req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::to_owned)
                .ok_or(AppError::InvalidToken)?;
            let state = state_of(&req)?;
            let account = state
                .db
                .run(move |conn| accounts::api_tokens::account_for(conn, &presented))
                .await?;
            account
                .map(BearerAccount)
                .ok_or(AppError::InvalidToken.into())
        })
    }
}

/// Refuses a form POST that a browser says came from another site.
///
/// Current browsers send `Sec-Fetch-Site` with every request, and no page can forge it:
/// only `same-origin` is accepted. Older browsers send `Origin` instead, which must be the
/// public URL's origin; under `Referrer-Policy: no-referrer` (the set-up page, whose URL holds
/// a token) a browser sends `Origin: null`, so `Sec-Fetch-Site` is what lets that form
/// through. A request with neither header is not from a browser's form and still needs the
/// session's CSRF token where there is a session.
pub fn check_origin(req: &HttpRequest, state: &AppState) -> Result<(), AdminError> {
    let headers = req.headers();
    let fetch_site = headers.get("sec-fetch-site").map(|v| v.as_bytes());
    let origin = headers.get(header::ORIGIN).map(|v| v.as_bytes());
    if from_own_pages(
        fetch_site,
        origin,
        state.settings.public_origin().as_bytes(),
    ) {
        Ok(())
    } else {
        Err(AppError::CsrfFailed.into())
    }
}

fn from_own_pages(fetch_site: Option<&[u8]>, origin: Option<&[u8]>, public_origin: &[u8]) -> bool {
    match (fetch_site, origin) {
        (Some(site), _) => site.eq_ignore_ascii_case(b"same-origin"),
        (None, Some(origin)) => origin == public_origin,
        (None, None) => true,
    }
}

/// The CSRF check for a state-changing form: the Origin check plus the session's token
/// in the `_csrf` field.
pub fn check_csrf(
    req: &HttpRequest,
    state: &AppState,
    session: &CurrentSession,
    fields: &[(String, String)],
) -> Result<(), AdminError> {
    check_origin(req, state)?;
    let expected = session.csrf();
    let presented = fields
        .iter()
        .find(|(name, _)| name == CSRF_FIELD)
        .map(|(_, value)| value.as_str())
        .unwrap_or_default();
    if bool::from(presented.as_bytes().ct_eq(expected.as_bytes())) {
        Ok(())
    } else {
        Err(AppError::CsrfFailed.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLIC: &[u8] = b"https://survey.example.org";

    #[test]
    fn a_browser_saying_same_origin_is_accepted_whatever_its_origin_header() {
        assert!(from_own_pages(Some(b"same-origin"), Some(b"null"), PUBLIC));
        assert!(from_own_pages(Some(b"same-origin"), None, PUBLIC));
        assert!(from_own_pages(Some(b"Same-Origin"), Some(PUBLIC), PUBLIC));
    }

    #[test]
    fn a_browser_saying_another_site_is_refused_even_with_our_origin() {
        for site in [&b"cross-site"[..], b"same-site", b"none", b""] {
            assert!(
                !from_own_pages(Some(site), Some(PUBLIC), PUBLIC),
                "{site:?}"
            );
        }
    }

    #[test]
    fn without_fetch_metadata_the_origin_must_be_ours() {
        assert!(from_own_pages(None, Some(PUBLIC), PUBLIC));
        assert!(!from_own_pages(None, Some(b"null"), PUBLIC));
        assert!(!from_own_pages(None, Some(b"https://evil.example"), PUBLIC));
        assert!(!from_own_pages(
            None,
            Some(b"https://survey.example.org.evil.example"),
            PUBLIC
        ));
        assert!(
            from_own_pages(None, None, PUBLIC),
            "not a browser form: the CSRF token decides"
        );
    }
}
