//! The accounts page (admins): add, change role, disable or enable, reset the second
//! factor. And a person's own password change, after re-entering the current one.

use actix_web::{web, HttpRequest, HttpResponse, HttpResponseBuilder};

use crate::accounts::{normalise_email, password, Password, Role, UserId};
use crate::audit;
use crate::db::users::{self, UserRow};
use crate::db::{sessions, write_transaction, DbError};
use crate::error::AppError;
use crate::messages::accounts as msg;
use crate::web::{render, AppState};

use super::auth::{AdminError, RequireAdmin, SignedIn};
use super::forms::{self, field, see_other};
use super::views::{AccountLine, AccountsPage, Chrome, PasswordPage};
use crate::accounts::insert_user;

async fn accounts_page(
    state: &AppState,
    who: &SignedIn,
    status: HttpResponseBuilder,
    error: Option<String>,
    new_email: String,
) -> Result<HttpResponse, AdminError> {
    let rows = state
        .db
        .run(|conn| users::list(conn).map_err(AppError::from))
        .await?;
    let accounts = rows
        .into_iter()
        .map(|row| AccountLine {
            is_self: row.id == who.account.id,
            id: row.id,
            email: row.email,
            role: row.role,
            disabled: row.disabled,
            enrolled: row.totp_confirmed,
        })
        .collect();
    Ok(render(
        status,
        &AccountsPage {
            chrome: Chrome::new(who, "accounts"),
            accounts,
            notice: None,
            error,
            new_email,
        },
    ))
}

pub async fn list(
    state: web::Data<AppState>,
    who: RequireAdmin,
) -> Result<HttpResponse, AdminError> {
    accounts_page(&state, &who.0, HttpResponse::Ok(), None, String::new()).await
}

pub async fn add(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: RequireAdmin,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let who = who.0;
    let fields = forms::read_checked(&state, &req, &who.session, payload).await?;
    let typed_email = field(&fields, "email").to_owned();
    let checked = normalise_email(&typed_email)
        .ok_or(msg::EMAIL_INVALID)
        .and_then(|email| {
            Role::parse(field(&fields, "role"))
                .map(|r| (email, r))
                .ok_or(msg::ROLE_INVALID)
        })
        .and_then(|(email, role)| {
            password::check_new(&Password::new(field(&fields, "password")), &email)?;
            if field(&fields, "password") != field(&fields, "password_again") {
                return Err(msg::PASSWORDS_DIFFER);
            }
            Ok((email, role))
        });
    let (email, role) = match checked {
        Ok(checked) => checked,
        Err(error) => {
            return accounts_page(
                &state,
                &who,
                HttpResponse::UnprocessableEntity(),
                Some(error.to_owned()),
                typed_email,
            )
            .await
        }
    };
    let hash = state
        .passwords
        .hash(Password::new(field(&fields, "password")))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let now = state.clock.now();
    let actor = who.account.email.clone();
    let inserted = state
        .db
        .run(move |conn| -> Result<bool, AppError> {
            if let Err(error) = insert_user(conn, &email, role, &hash, now) {
                let error = DbError::from(error);
                return if error.is_unique_violation() {
                    Ok(false)
                } else {
                    Err(error.into())
                };
            }
            audit::record(
                conn,
                now,
                &actor,
                "account.created",
                &format!("{email} as {}", role.as_str()),
            )?;
            Ok(true)
        })
        .await?;
    if !inserted {
        return accounts_page(
            &state,
            &who,
            HttpResponse::UnprocessableEntity(),
            Some(msg::EMAIL_TAKEN.to_owned()),
            typed_email,
        )
        .await;
    }
    Ok(see_other("/admin/accounts"))
}

/// A change to one account by an admin, checked and recorded in one transaction.
async fn change_account(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: RequireAdmin,
    id: UserId,
    payload: web::Payload,
    change: impl FnOnce(
            &mut crate::db::DbConnection,
            &UserRow,
            &forms::Fields,
            chrono::NaiveDateTime,
        ) -> Result<Result<String, &'static str>, AppError>
        + Send
        + 'static,
    action: &'static str,
) -> Result<HttpResponse, AdminError> {
    let who = who.0;
    let fields = forms::read_checked(&state, &req, &who.session, payload).await?;
    let now = state.clock.now();
    let actor = who.account.email.clone();
    let outcome = state
        .db
        .run(move |conn| {
            write_transaction(conn, |conn| -> Result<Result<(), &'static str>, AppError> {
                let target = users::find(conn, id)?.ok_or(AppError::NotFound)?;
                match change(conn, &target, &fields, now)? {
                    Ok(detail) => {
                        audit::record(
                            conn,
                            now,
                            &actor,
                            action,
                            &format!("{}: {detail}", target.email),
                        )?;
                        Ok(Ok(()))
                    }
                    Err(refusal) => Ok(Err(refusal)),
                }
            })
        })
        .await?;
    match outcome {
        Ok(()) => Ok(see_other("/admin/accounts")),
        Err(refusal) => {
            accounts_page(
                &state,
                &who,
                HttpResponse::UnprocessableEntity(),
                Some(refusal.to_owned()),
                String::new(),
            )
            .await
        }
    }
}

fn is_last_admin(conn: &mut crate::db::DbConnection, target: &UserRow) -> Result<bool, AppError> {
    Ok(target.role == Role::Admin
        && !target.disabled
        && users::count_active_admins_except(conn, target.id)? == 0)
}

pub async fn change_role(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: RequireAdmin,
    id: web::Path<UserId>,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let change =
        |conn: &mut crate::db::DbConnection, target: &UserRow, fields: &forms::Fields, now| {
            let Some(role) = Role::parse(field(fields, "role")) else {
                return Ok(Err(msg::ROLE_INVALID));
            };
            if role == Role::Viewer && is_last_admin(conn, target)? {
                return Ok(Err(msg::LAST_ADMIN));
            }
            users::set_role(conn, target.id, role, now)?;
            Ok(Ok(format!("now {}", role.as_str())))
        };
    change_account(
        state,
        req,
        who,
        id.into_inner(),
        payload,
        change,
        "account.role-changed",
    )
    .await
}

pub async fn change_status(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: RequireAdmin,
    id: web::Path<UserId>,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let change =
        |conn: &mut crate::db::DbConnection, target: &UserRow, fields: &forms::Fields, now| {
            let disable = field(fields, "disabled") == "true";
            if disable && is_last_admin(conn, target)? {
                return Ok(Err(msg::LAST_ADMIN));
            }
            users::set_disabled(conn, target.id, disable, now)?;
            if disable {
                sessions::delete_for_user(conn, target.id)?;
            }
            Ok(Ok(if disable { "disabled" } else { "enabled" }.to_owned()))
        };
    change_account(
        state,
        req,
        who,
        id.into_inner(),
        payload,
        change,
        "account.status-changed",
    )
    .await
}

pub async fn reset_second_factor(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: RequireAdmin,
    id: web::Path<UserId>,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let change = |conn: &mut crate::db::DbConnection, target: &UserRow, _: &forms::Fields, now| {
        users::set_totp_secret(conn, target.id, None, now)?;
        users::replace_recovery_codes(conn, target.id, &[])?;
        sessions::delete_for_user(conn, target.id)?;
        Ok(Ok("must set up the app again at next sign-in".to_owned()))
    };
    change_account(
        state,
        req,
        who,
        id.into_inner(),
        payload,
        change,
        "account.second-factor-reset",
    )
    .await
}

fn password_page(
    who: &SignedIn,
    status: HttpResponseBuilder,
    error: Option<&str>,
    notice: Option<&str>,
) -> HttpResponse {
    render(
        status,
        &PasswordPage {
            chrome: Chrome::new(who, "password"),
            error: error.map(str::to_owned),
            notice: notice.map(str::to_owned),
        },
    )
}

pub async fn password_form(who: SignedIn) -> HttpResponse {
    password_page(&who, HttpResponse::Ok(), None, None)
}

pub async fn change_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: SignedIn,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let fields = forms::read_checked(&state, &req, &who.session, payload).await?;
    let current_ok = state
        .passwords
        .verify(
            Password::new(field(&fields, "current_password")),
            Some(who.session.user.password_hash.clone()),
        )
        .await;
    let actor = who.account.email.clone();
    let now = state.clock.now();
    if !current_ok {
        let actor = actor.clone();
        state
            .db
            .run(move |conn| {
                audit::record(
                    conn,
                    now,
                    &actor,
                    "password.change-refused",
                    "current password wrong",
                )
                .map_err(AppError::from)
            })
            .await?;
        return Ok(password_page(
            &who,
            HttpResponse::UnprocessableEntity(),
            Some(msg::CURRENT_PASSWORD_WRONG),
            None,
        ));
    }
    let new = Password::new(field(&fields, "password"));
    let checked = password::check_new(&new, &who.account.email).and_then(|()| {
        if field(&fields, "password") == field(&fields, "password_again") {
            Ok(())
        } else {
            Err(msg::PASSWORDS_DIFFER)
        }
    });
    if let Err(error) = checked {
        return Ok(password_page(
            &who,
            HttpResponse::UnprocessableEntity(),
            Some(error),
            None,
        ));
    }
    let hash = state
        .passwords
        .hash(new)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let now = state.clock.now();
    let (id, keep) = (who.account.id, who.session.row.id_hash.clone());
    state
        .db
        .run(move |conn| {
            write_transaction(conn, |conn| -> Result<(), AppError> {
                users::set_password(conn, id, &hash, now)?;
                // Other browsers signed in as this person are signed out.
                sessions::delete_for_user_except(conn, id, &keep)?;
                audit::record(conn, now, &actor, "password.changed", "")?;
                Ok(())
            })
        })
        .await?;
    Ok(password_page(
        &who,
        HttpResponse::Ok(),
        None,
        Some("Your password has been changed."),
    ))
}
