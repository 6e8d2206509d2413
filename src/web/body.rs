//! Reading request bodies with a size limit, reported as our own errors (not actix's text).

use actix_web::web::{Bytes, BytesMut, Payload};
use futures_util::StreamExt;

use crate::error::AppError;

pub async fn read_limited(mut payload: Payload, limit: usize) -> Result<Bytes, AppError> {
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| AppError::BadRequest(crate::messages::BAD_REQUEST))?;
        if body.len() + chunk.len() > limit {
            return Err(AppError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

pub fn content_type(req: &actix_web::HttpRequest) -> Option<&str> {
    req.headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
}

/// Refuses early when the declared length is already over the limit.
pub fn declared_too_large(req: &actix_web::HttpRequest, limit: usize) -> bool {
    req.headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|len| len > limit)
}

/// Whether the request's content type is `media_type` (parameters such as charset aside).
pub fn has_media_type(req: &actix_web::HttpRequest, media_type: &str) -> bool {
    content_type(req)
        .and_then(|ct| ct.split(';').next())
        .is_some_and(|ct| ct.trim().eq_ignore_ascii_case(media_type))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn media_types_ignore_parameters_and_case() {
        let form = TestRequest::default()
            .insert_header((
                "Content-Type",
                "Application/X-WWW-Form-Urlencoded; charset=UTF-8",
            ))
            .to_http_request();
        assert!(has_media_type(&form, "application/x-www-form-urlencoded"));
        assert!(!has_media_type(&form, "application/json"));
        assert!(!has_media_type(
            &TestRequest::default().to_http_request(),
            "application/json"
        ));
    }
}
