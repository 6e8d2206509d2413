//! What the JSON submission says about its `Idempotency-Key` header.

/// 400: the header is empty, longer than 255 characters, given twice, or holds anything but
/// visible ASCII.
pub const KEY_MALFORMED: &str = "the Idempotency-Key header must be 1 to 255 visible ASCII \
     characters (a random UUID is a good choice), given once";

/// 422: the key was first used, for the same survey and token, with other answers.
pub const KEY_REUSED: &str = "this Idempotency-Key was already used with a different body; \
     send a retry with exactly the same body, or use a new key for a new response";
