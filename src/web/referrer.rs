//! Which `Referrer-Policy` a page is sent with.
//!
//! Wherever a token can be in the address (`/i/{token}`, `/o/{token}`, `/setup?token=…`) and on
//! every respondent page, nothing is sent (`no-referrer`): a link followed from there tells no
//! other site, and not even this one, where it came from. The review team's pages (`/admin…`)
//! hold no token in their addresses and send `same-origin`, so that older browsers without
//! `Sec-Fetch-Site` still send a real `Origin` with their forms and pass the origin check;
//! other sites still learn nothing.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::Error;

pub async fn referrer_policy(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let policy = policy_for(req.path());
    let mut response = next.call(req).await?;
    response
        .headers_mut()
        .insert(header::REFERRER_POLICY, HeaderValue::from_static(policy));
    Ok(response)
}

fn policy_for(path: &str) -> &'static str {
    if path == "/admin" || path.starts_with("/admin/") {
        "same-origin"
    } else {
        "no-referrer"
    }
}

#[cfg(test)]
mod tests {
    use super::policy_for;

    #[test]
    fn only_the_review_teams_pages_send_a_same_origin_referrer() {
        assert_eq!(policy_for("/admin"), "same-origin");
        assert_eq!(policy_for("/admin/surveys/x/results"), "same-origin");
        for path in [
            "/setup",
            "/i/abc",
            "/o/abc",
            "/s/survey",
            "/",
            "/administrator",
            "/api/v1/x",
        ] {
            assert_eq!(policy_for(path), "no-referrer", "{path}");
        }
    }
}
