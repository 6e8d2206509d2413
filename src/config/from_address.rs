//! The default From address (`candour@localhost`) is fine on a laptop but not once mail goes
//! to real people. When `server.public_url` names a domain, the default becomes
//! `candour@THAT-DOMAIN` (keeping the display name); on a non-loopback IP address there is
//! no domain to derive from, so start-up refuses and asks for `mail.from`.

use url::{Host, Url};

const DEFAULT_DOMAIN: &str = "localhost";

/// `Ok(Some(new))` to replace the setting, `Ok(None)` to keep it, `Err(reason)` to refuse.
pub fn derive(from: &str, public_url: &Url) -> Result<Option<String>, String> {
    let Ok(mailbox) = from.parse::<lettre::message::Mailbox>() else {
        return Ok(None); // reported by the setting's own check
    };
    if !mailbox.email.domain().eq_ignore_ascii_case(DEFAULT_DOMAIN) {
        return Ok(None);
    }
    let name = mailbox.name.unwrap_or_else(|| "Candour".to_owned());
    match public_url.host() {
        Some(Host::Domain(domain)) => {
            let domain = domain.trim_end_matches('.').to_ascii_lowercase();
            if domain == DEFAULT_DOMAIN || domain.ends_with(".localhost") {
                Ok(None)
            } else {
                Ok(Some(format!("{name} <{}@{domain}>", mailbox.email.user())))
            }
        }
        Some(Host::Ipv4(ip)) if ip.is_loopback() => Ok(None),
        Some(Host::Ipv6(ip)) if ip.is_loopback() => Ok(None),
        _ => Err(crate::messages::FROM_ADDRESS_NEEDED.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).expect("a URL")
    }

    #[test]
    fn derives_from_the_public_domain() {
        let from = "Candour <candour@localhost>";
        assert_eq!(derive(from, &url("http://127.0.0.1:8080/")), Ok(None));
        assert_eq!(derive(from, &url("http://localhost:8080/")), Ok(None));
        assert_eq!(
            derive(from, &url("https://Survey.Example.org/")),
            Ok(Some("Candour <candour@survey.example.org>".to_owned()))
        );
        assert!(derive(from, &url("https://10.0.0.5/")).is_err());
        assert_eq!(
            derive("Team <team@example.org>", &url("https://10.0.0.5/")),
            Ok(None)
        );
    }
}
