//! Who is asking: the client's address, believing X-Forwarded-For only from trusted proxies.

use std::net::IpAddr;

use actix_web::HttpRequest;

/// The client's address: the connecting peer, or, when the peer is a trusted proxy, the
/// last address in X-Forwarded-For that is not itself a trusted proxy.
pub fn client_address(req: &HttpRequest, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = req.peer_addr().map(|a| a.ip())?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|part| part.trim().parse().ok())
        .collect();
    Some(
        forwarded
            .into_iter()
            .rev()
            .find(|ip| !trusted.contains(ip))
            .unwrap_or(peer),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn forwarded_address_is_believed_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let request = |peer: &str| {
            TestRequest::default()
                .peer_addr(format!("{peer}:4000").parse().unwrap())
                .insert_header(("X-Forwarded-For", "198.51.100.7, 203.0.113.9"))
                .to_http_request()
        };
        assert_eq!(
            client_address(&request("10.0.0.5"), &[proxy]),
            Some("203.0.113.9".parse().unwrap())
        );
        assert_eq!(
            client_address(&request("192.0.2.1"), &[proxy]),
            Some("192.0.2.1".parse().unwrap()),
            "an untrusted peer's header is ignored"
        );
        let both: IpAddr = "203.0.113.9".parse().unwrap();
        assert_eq!(
            client_address(&request("10.0.0.5"), &[proxy, both]),
            Some("198.51.100.7".parse().unwrap()),
            "the last address that is not a trusted proxy"
        );
    }
}
