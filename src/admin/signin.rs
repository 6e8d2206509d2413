//! Signing in (password, then the second factor), enrolling the second factor, signing
//! out, and the first-run set-up page.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::accounts::rate_limit::{self, Admission, Buckets, Limits};
use crate::accounts::session::{self, Stage};
use crate::accounts::totp::TotpSecret;
use crate::accounts::{insert_user, normalise_email, password, recovery, Password, Role};
use crate::audit;
use crate::db::users;
use crate::db::{sessions, write_transaction};
use crate::error::AppError;
use crate::messages::accounts as msg;
use crate::secrets::Token;
use crate::web::{client_address, render, AppState};

use super::auth::{check_origin, session_cookie, AdminError, PartlySignedIn, SignedIn};
use super::forms::{self, field, see_other};
use super::views::{EnrolPage, RecoveryCodesPage, SecondFactorPage, SetupPage, SignInPage};

/// The name the audit log gives a sign-in attempt for an email that has no account:
/// never what was typed, which might be a password in the wrong box.
const UNKNOWN_ACCOUNT: &str = "(unknown account)";

fn with_session_cookie(
    mut response: HttpResponse,
    token: &Token,
    https: bool,
) -> Result<HttpResponse, AdminError> {
    response
        .add_cookie(&session_cookie(Some(token), https))
        .map_err(|_| AppError::BadRequest(crate::messages::BAD_REQUEST))?;
    Ok(response)
}

#[derive(Deserialize)]
pub struct SetupQuery {
    token: Option<String>,
}

fn setup_link_dead() -> HttpResponse {
    super::views::error_page(
        crate::error::ErrorCode::NotFound,
        crate::messages::NOT_FOUND,
        msg::SETUP_LINK_DEAD,
    )
}

pub async fn setup_form(
    state: web::Data<AppState>,
    query: web::Query<SetupQuery>,
) -> Result<HttpResponse, AdminError> {
    let token = query.into_inner().token.unwrap_or_default();
    let no_accounts = state
        .db
        .run(|conn| users::count(conn).map_err(AppError::from))
        .await?
        == 0;
    if !no_accounts || !state.setup.matches(&token) {
        return Ok(setup_link_dead());
    }
    Ok(render(
        HttpResponse::Ok(),
        &SetupPage {
            token: &token,
            email: "",
            error: None,
        },
    ))
}

/// Checks a new account's email and password as typed; the normalised email when good.
fn check_new_account(fields: &forms::Fields) -> Result<String, &'static str> {
    let email = normalise_email(field(fields, "email")).ok_or(msg::EMAIL_INVALID)?;
    let password = Password::new(field(fields, "password"));
    password::check_new(&password, &email)?;
    if field(fields, "password") != field(fields, "password_again") {
        return Err(msg::PASSWORDS_DIFFER);
    }
    Ok(email)
}

pub async fn setup(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let fields = forms::read(&state, &req, payload).await?;
    check_origin(&req, &state)?;
    let token = field(&fields, "token").to_owned();
    if !state.setup.matches(&token) {
        return Ok(setup_link_dead());
    }
    let email = match check_new_account(&fields) {
        Ok(email) => email,
        Err(error) => {
            return Ok(render(
                HttpResponse::UnprocessableEntity(),
                &SetupPage {
                    token: &token,
                    email: field(&fields, "email"),
                    error: Some(error),
                },
            ))
        }
    };
    let hash = state
        .passwords
        .hash(Password::new(field(&fields, "password")))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    if !state.setup.consume(&token) {
        return Ok(setup_link_dead());
    }
    let now = state.clock.now();
    let created = state
        .db
        .run(move |conn| {
            write_transaction(conn, |conn| -> Result<bool, AppError> {
                if users::count(conn)? > 0 {
                    return Ok(false);
                }
                insert_user(conn, &email, Role::Admin, &hash, now)?;
                audit::record(
                    conn,
                    now,
                    &email,
                    "account.created",
                    "first admin, by the set-up link",
                )?;
                Ok(true)
            })
        })
        .await?;
    if !created {
        return Ok(setup_link_dead());
    }
    Ok(see_other(format!("/admin/signin?{CREATED_QUERY}")))
}

/// The query the set-up page sends the browser on with, so that the sign-in page can say the
/// account was made.
const CREATED_QUERY: &str = "created=1";
/// The query sign-out sends the browser on with, so that the sign-in page says so.
const SIGNED_OUT_QUERY: &str = "signed-out=1";

pub async fn sign_in_form(req: HttpRequest) -> HttpResponse {
    render(
        HttpResponse::Ok(),
        &SignInPage {
            email: "",
            error: None,
            notice: match req.query_string() {
                CREATED_QUERY => Some(msg::ACCOUNT_CREATED),
                SIGNED_OUT_QUERY => Some(msg::SIGNED_OUT),
                _ => None,
            },
        },
    )
}

fn limited_page(state: &AppState, email: &str) -> HttpResponse {
    render(
        HttpResponse::TooManyRequests(),
        &SignInPage {
            email,
            error: Some(&limited(state)),
            notice: None,
        },
    )
}

fn limited(state: &AppState) -> String {
    msg::sign_in_limited(state.settings.security.login_window_minutes)
}

pub async fn sign_in(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let fields = forms::read(&state, &req, payload).await?;
    check_origin(&req, &state)?;
    let typed_email = field(&fields, "email").to_owned();
    let email = normalise_email(&typed_email).unwrap_or_else(|| typed_email.trim().to_lowercase());
    let buckets = Buckets::new(
        &email,
        client_address(&req, &state.settings.security.trusted_proxies),
    );
    let limits = Limits::from_settings(&state.settings.security);
    let now = state.clock.now();

    let (lookup_email, lookup_limits) = (email.clone(), limits);
    let buckets = std::sync::Arc::new(buckets);
    let lookup_buckets = buckets.clone();
    let (limited, user) = state
        .db
        .run(move |conn| {
            write_transaction(conn, |conn| -> Result<_, AppError> {
                let admission = rate_limit::reserve(conn, &lookup_limits, &lookup_buckets, now)?;
                if let Admission::Refused { first } = admission {
                    if first {
                        let actor = users::find_by_email(conn, &lookup_email)?
                            .map_or(UNKNOWN_ACCOUNT.to_owned(), |u| u.email);
                        audit::record(
                            conn,
                            now,
                            &actor,
                            "sign-in.refused",
                            msg::REFUSALS_AUDITED_ONCE,
                        )?;
                    }
                    return Ok((true, None));
                }
                Ok((false, users::find_by_email(conn, &lookup_email)?))
            })
        })
        .await?;
    if limited {
        return Ok(limited_page(&state, &typed_email));
    }

    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let password_ok = state
        .passwords
        .verify(Password::new(field(&fields, "password")), stored)
        .await;
    let key = state.secret_key.clone();
    let user = match user {
        Some(user) if password_ok && !user.disabled => user,
        refused => {
            // The failure was counted when the attempt was admitted.
            let (actor, reason) = match refused {
                None => (UNKNOWN_ACCOUNT.to_owned(), "no such account"),
                Some(known) if !password_ok => (known.email, "wrong password"),
                Some(known) => (known.email, "account disabled"),
            };
            state
                .db
                .run(move |conn| -> Result<_, AppError> {
                    Ok(audit::record(conn, now, &actor, "sign-in.failed", reason)?)
                })
                .await?;
            return Ok(render(
                HttpResponse::Ok(),
                &SignInPage {
                    email: &typed_email,
                    error: Some(msg::SIGN_IN_FAILED),
                    notice: None,
                },
            ));
        }
    };

    let enrolled = user.totp_confirmed;
    let token = state
        .db
        .run(move |conn| {
            write_transaction(conn, |conn| -> Result<Token, AppError> {
                if !user.totp_confirmed && user.totp_secret.is_none() {
                    let secret = TotpSecret::generate().seal(&key, user.id);
                    users::set_totp_secret(conn, user.id, Some(&secret), now)?;
                }
                rate_limit::release(conn, &buckets, now)?;
                let token = session::start(conn, user.id, Stage::Password, now)?;
                audit::record(conn, now, &user.email, "sign-in.password-accepted", "")?;
                Ok(token)
            })
        })
        .await?;
    let next = if enrolled {
        "/admin/2fa"
    } else {
        "/admin/2fa/enrol"
    };
    with_session_cookie(see_other(next), &token, state.secure_cookies())
}

pub async fn second_factor_form(who: PartlySignedIn) -> Result<HttpResponse, AdminError> {
    if !who.0.user.totp_confirmed {
        return Ok(see_other("/admin/2fa/enrol"));
    }
    Ok(render(
        HttpResponse::Ok(),
        &SecondFactorPage {
            csrf: &who.0.csrf(),
            error: None,
        },
    ))
}

enum CodeOutcome {
    Accepted(Token, Option<Vec<String>>),
    Rejected,
    Limited,
    NotEnrolled,
}

/// Checks a second-factor code (or, when `allow_recovery`, a recovery code) for the
/// session's user, counting failures against the sign-in limits; on success moves the
/// session to a new id at the full stage.
async fn check_code(
    state: &AppState,
    req: &HttpRequest,
    who: &PartlySignedIn,
    code: String,
    enrolling: bool,
) -> Result<CodeOutcome, AdminError> {
    let limits = Limits::from_settings(&state.settings.security);
    let buckets = Buckets::new(
        &who.0.user.email,
        client_address(req, &state.settings.security.trusted_proxies),
    );
    let now = state.clock.now();
    let key = state.secret_key.clone();
    let row = who.0.row.clone();
    let user_id = who.0.user.id;
    state
        .db
        .run(move |conn| {
            write_transaction(conn, |conn| -> Result<CodeOutcome, AdminError> {
                let user = users::find(conn, user_id)?.ok_or(AdminError::NotSignedIn)?;
                if user.totp_confirmed == enrolling {
                    return Ok(CodeOutcome::NotEnrolled);
                }
                if let Admission::Refused { first } =
                    rate_limit::admit(conn, &limits, &buckets, now)?
                {
                    if first {
                        audit::record(
                            conn,
                            now,
                            &user.email,
                            "sign-in.refused",
                            msg::REFUSALS_AUDITED_ONCE,
                        )?;
                    }
                    return Ok(CodeOutcome::Limited);
                }
                let secret = user
                    .totp_secret
                    .as_deref()
                    .map(|stored| TotpSecret::open(stored, &key, user.id))
                    .transpose()
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                let unix = now.and_utc().timestamp();
                let by_app = secret
                    .as_ref()
                    .and_then(|s| s.matching_step(&code, unix))
                    .map(|step| users::claim_totp_step(conn, user.id, step))
                    .transpose()?
                    .unwrap_or(false);
                let by_recovery = !by_app
                    && !enrolling
                    && recovery::looks_like_code(&code)
                    && users::use_recovery_code(conn, user.id, &recovery::hash(&code), now)?;
                if !by_app && !by_recovery {
                    rate_limit::record_failure(conn, &buckets, now)?;
                    audit::record(conn, now, &user.email, "sign-in.second-factor-failed", "")?;
                    return Ok(CodeOutcome::Rejected);
                }
                let codes = if enrolling {
                    users::confirm_totp(conn, user.id, now)?;
                    let codes = recovery::generate();
                    let hashes: Vec<String> = codes.iter().map(|c| recovery::hash(c)).collect();
                    users::replace_recovery_codes(conn, user.id, &hashes)?;
                    audit::record(conn, now, &user.email, "second-factor.enrolled", "")?;
                    Some(codes)
                } else {
                    None
                };
                let detail = if by_recovery {
                    format!(
                        "with a recovery code ({} left)",
                        users::unused_recovery_codes(conn, user.id)?
                    )
                } else {
                    "with the app's code".to_owned()
                };
                audit::record(conn, now, &user.email, "sign-in.completed", &detail)?;
                let token = session::advance(conn, &row, Stage::Full, now)?;
                Ok(CodeOutcome::Accepted(token, codes))
            })
        })
        .await
}

pub async fn second_factor(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: PartlySignedIn,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let fields = forms::read_checked(&state, &req, &who.0, payload).await?;
    let code = field(&fields, "code").to_owned();
    let csrf = who.0.csrf();
    let page = |status: actix_web::HttpResponseBuilder, error| {
        render(
            status,
            &SecondFactorPage {
                csrf: &csrf,
                error: Some(error),
            },
        )
    };
    match check_code(&state, &req, &who, code, false).await? {
        CodeOutcome::Accepted(token, _) => {
            with_session_cookie(see_other("/admin/surveys"), &token, state.secure_cookies())
        }
        CodeOutcome::Rejected => Ok(page(HttpResponse::Ok(), msg::CODE_WRONG)),
        CodeOutcome::Limited => Ok(page(HttpResponse::TooManyRequests(), &limited(&state))),
        CodeOutcome::NotEnrolled => Ok(see_other("/admin/2fa/enrol")),
    }
}

fn enrol_page(
    state: &AppState,
    who: &PartlySignedIn,
    status: actix_web::HttpResponseBuilder,
    error: Option<&str>,
) -> Result<HttpResponse, AdminError> {
    let user = &who.0.user;
    let Some(stored) = user.totp_secret.as_deref() else {
        // The secret is made when the password is accepted; without one, start again.
        return Ok(see_other("/admin/signin"));
    };
    let secret = TotpSecret::open(stored, &state.secret_key, user.id)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let svg = secret
        .qr_svg(&user.email)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(render(
        status,
        &EnrolPage {
            csrf: &who.0.csrf(),
            qr_svg: &svg,
            secret: &super::views::in_fours(&secret.base32()),
            error,
        },
    ))
}

pub async fn enrol_form(
    state: web::Data<AppState>,
    who: PartlySignedIn,
) -> Result<HttpResponse, AdminError> {
    if who.0.user.totp_confirmed {
        return Ok(see_other("/admin/2fa"));
    }
    enrol_page(&state, &who, HttpResponse::Ok(), None)
}

pub async fn enrol(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: PartlySignedIn,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let fields = forms::read_checked(&state, &req, &who.0, payload).await?;
    let code = field(&fields, "code").to_owned();
    match check_code(&state, &req, &who, code, true).await? {
        CodeOutcome::Accepted(token, codes) => with_session_cookie(
            render(
                HttpResponse::Ok(),
                &RecoveryCodesPage {
                    codes: codes.unwrap_or_default(),
                },
            ),
            &token,
            state.secure_cookies(),
        ),
        CodeOutcome::Rejected => {
            enrol_page(&state, &who, HttpResponse::Ok(), Some(msg::CODE_WRONG))
        }
        CodeOutcome::Limited => enrol_page(
            &state,
            &who,
            HttpResponse::TooManyRequests(),
            Some(&limited(&state)),
        ),
        CodeOutcome::NotEnrolled => Ok(see_other("/admin/2fa")),
    }
}

pub async fn sign_out(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: SignedIn,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    forms::read_checked(&state, &req, &who.session, payload).await?;
    let hash = who.session.row.id_hash.clone();
    let email = who.account.email.clone();
    let now = state.clock.now();
    state
        .db
        .run(move |conn| -> Result<(), AppError> {
            sessions::delete(conn, &hash)?;
            audit::record(conn, now, &email, "sign-out", "")?;
            Ok(())
        })
        .await?;
    let mut response = see_other(format!("/admin/signin?{SIGNED_OUT_QUERY}"));
    let _ = response.add_removal_cookie(&session_cookie(None, state.secure_cookies()));
    Ok(response)
}
