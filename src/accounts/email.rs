/// An account's email as stored: trimmed and lower-cased; `None` when it is not a
/// plausible address.
pub fn normalise_email(raw: &str) -> Option<String> {
    let email = raw.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let plausible = !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    plausible.then_some(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_or_refused() {
        assert_eq!(
            normalise_email(" Ann@Example.org ").as_deref(),
            Some("ann@example.org")
        );
        assert_eq!(normalise_email("no-at-sign"), None);
        assert_eq!(normalise_email("a@b@c"), None);
        assert_eq!(normalise_email("a b@c"), None);
    }
}
