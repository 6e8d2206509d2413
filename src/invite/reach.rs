//! Whether mailed links can reach people: links are built from `server.public_url`. A loopback
//! address works only on the server itself (a warning); plain http to any other host would
//! send every personal token across the network unencrypted (refused).

use std::net::IpAddr;

use url::{Host, Url};

use crate::messages::invitations as msg;

#[derive(Debug, PartialEq, Eq)]
pub enum Reach {
    /// https to a host people can reach.
    Fine,
    /// A loopback address: queue, but say the links work only here.
    Warn(String),
    /// Plain http to another host: queue nothing.
    Refuse(String),
}

pub fn reach(public_url: &Url) -> Reach {
    let loopback = match public_url.host() {
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    };
    if loopback {
        Reach::Warn(msg::loopback_links(public_url.as_str()))
    } else if public_url.scheme() != "https" {
        Reach::Refuse(msg::http_links(public_url.as_str()))
    } else {
        Reach::Fine
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(url: &str) -> Reach {
        reach(&Url::parse(url).expect("a URL"))
    }

    #[test]
    fn loopback_warns_http_elsewhere_refuses() {
        for url in [
            "http://127.0.0.1:8080",
            "http://localhost:8080/",
            "http://[::1]/",
            "https://127.0.0.2/",
        ] {
            assert!(matches!(at(url), Reach::Warn(_)), "{url}");
        }
        for url in [
            "http://survey.example.org/",
            "http://10.0.0.5:8080/",
            "http://0.0.0.0:8080/",
        ] {
            assert!(matches!(at(url), Reach::Refuse(_)), "{url}");
        }
        assert_eq!(at("https://survey.example.org/"), Reach::Fine);
    }
}
