use actix_web::{web, HttpResponse};

use super::AppState;

/// The process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// The database answers.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let reachable = state
        .db
        .run(|conn| {
            use diesel::connection::SimpleConnection;
            conn.batch_execute("SELECT 1")
                .map_err(crate::db::DbError::from)
        })
        .await;
    match reachable {
        Ok(()) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain")
                .body("database unreachable")
        }
    }
}
