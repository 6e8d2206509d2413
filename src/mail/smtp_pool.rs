//! Our own small pool of SMTP connections. lettre 0.11 opens its sockets without
//! `TCP_NODELAY` and writes a message and its closing `.` line as two writes, so with Nagle's
//! algorithm every message waits for the server's delayed ACK (about 40 ms). Here each
//! connection is opened on a socket we own, with `TCP_NODELAY` set, and handed to lettre's
//! `AsyncSmtpConnection`, which still speaks the protocol (EHLO, STARTTLS, AUTH, the
//! message).
//!
//! At most `size` connections are open at once. A connection is opened when needed, reused
//! for later messages after a NOOP shows it is still alive, closed once it has been idle
//! longer than [`IDLE_LIMIT`], and dropped after any failure, so the next message gets a
//! fresh one.

use std::borrow::Cow;
use std::io;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::transport::smtp::{SMTP_PORT, SUBMISSIONS_PORT, SUBMISSION_PORT};
use lettre::Message;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

/// A parked connection unused for longer than this is closed rather than reused.
pub const IDLE_LIMIT: Duration = Duration::from_secs(60);
/// How long a polite QUIT may take when a connection is retired.
const QUIT_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum SmtpError {
    #[error("{0}")]
    Url(String),
    #[error("cannot connect to the SMTP server {server}: {source}")]
    Connect { server: String, source: io::Error },
    #[error("TLS with the SMTP server {server} failed: {source}")]
    Tls {
        server: String,
        source: native_tls::Error,
    },
    #[error("the SMTP server did not answer within {} s", .0.as_secs())]
    Timeout(Duration),
    /// Refused while opening the session (greeting, EHLO, STARTTLS, AUTH): a matter of the
    /// server or our settings, never of one message, so never permanent.
    #[error("cannot open an SMTP session with {server}: {source}")]
    Open {
        server: String,
        source: lettre::transport::smtp::Error,
    },
    /// The message was handed over but its final reply never came (a timeout, a dropped
    /// connection): it may or may not have been delivered.
    #[error("the SMTP server did not confirm the message: {0}")]
    Unconfirmed(String),
    /// Something the server lacks (SMTPUTF8, 8BITMIME) for this message; checked before
    /// anything is sent, as lettre checks it.
    #[error("{0}")]
    Unsupported(&'static str),
    #[error("the SMTP connection pool is closed")]
    Closed,
    #[error(transparent)]
    Smtp(#[from] lettre::transport::smtp::Error),
}

impl SmtpError {
    /// A 5xx reply to this message: the server will never accept it.
    pub fn is_permanent(&self) -> bool {
        matches!(self, Self::Smtp(error) if error.is_permanent())
    }

    /// The message may have been delivered: sending it again could deliver it twice.
    pub fn is_unconfirmed(&self) -> bool {
        matches!(self, Self::Unconfirmed(_))
    }
}

/// How the conversation is protected.
enum Security {
    /// Plain text throughout (`smtp://` without `tls`).
    None,
    /// STARTTLS after the greeting: required (`?tls=required`) or used when offered
    /// (`?tls=opportunistic`).
    StartTls {
        parameters: TlsParameters,
        required: bool,
    },
    /// TLS from the first byte (`smtps://`).
    Implicit(tokio_native_tls::TlsConnector),
}

/// Where and how to connect, read from `mail.smtp_url` the way lettre reads it:
/// `scheme://user:pass@host:port/ehlo-name?tls=required|opportunistic`.
struct Endpoint {
    host: String,
    port: u16,
    security: Security,
    hello: ClientId,
    credentials: Option<Credentials>,
}

impl Endpoint {
    fn from_url(text: &str) -> Result<Self, SmtpError> {
        let bad = |reason: String| SmtpError::Url(reason);
        let url = url::Url::parse(text).map_err(|e| bad(e.to_string()))?;
        let host = match url.host() {
            Some(url::Host::Domain(name)) => name.to_owned(),
            Some(url::Host::Ipv4(address)) => address.to_string(),
            Some(url::Host::Ipv6(address)) => address.to_string(),
            None => return Err(bad("no host".to_owned())),
        };
        let tls = url
            .query_pairs()
            .find(|(key, _)| key == "tls")
            .map(|(_, value)| value.into_owned());
        let tls_parameters =
            || TlsParameters::new(host.clone()).map_err(|e| bad(format!("TLS: {e}")));
        let (default_port, security) = match (url.scheme(), tls.as_deref()) {
            ("smtp", None) => (SMTP_PORT, Security::None),
            ("smtp", Some(mode @ ("required" | "opportunistic"))) => (
                SUBMISSION_PORT,
                Security::StartTls {
                    parameters: tls_parameters()?,
                    required: mode == "required",
                },
            ),
            ("smtps", _) => (SUBMISSIONS_PORT, Security::Implicit(implicit_tls()?)),
            (scheme, tls) => {
                return Err(bad(format!(
                    "unknown scheme {scheme:?} or tls parameter {tls:?} \
                     (smtp://, smtp://…?tls=required, smtp://…?tls=opportunistic or smtps://)"
                )))
            }
        };
        let hello = match url.path().trim_matches('/') {
            "" => ClientId::default(),
            name => ClientId::Domain(name.to_owned()),
        };
        let credentials = match url.password() {
            None => None,
            Some(password) => Some(Credentials::new(
                percent_decode(url.username())?,
                percent_decode(password)?,
            )),
        };
        Ok(Self {
            port: url.port().unwrap_or(default_port),
            host,
            security,
            hello,
            credentials,
        })
    }

    fn server(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

/// The same TLS settings lettre uses by default: the system's roots, TLS 1.2 or newer.
fn implicit_tls() -> Result<tokio_native_tls::TlsConnector, SmtpError> {
    native_tls::TlsConnector::builder()
        .min_protocol_version(Some(native_tls::Protocol::Tlsv12))
        .build()
        .map(tokio_native_tls::TlsConnector::from)
        .map_err(|e| SmtpError::Url(format!("TLS: {e}")))
}

fn percent_decode(text: &str) -> Result<String, SmtpError> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map(Cow::into_owned)
        .map_err(|e| SmtpError::Url(format!("credentials: {e}")))
}

struct Parked {
    connection: AsyncSmtpConnection,
    since: Instant,
}

pub struct SmtpPool {
    endpoint: Endpoint,
    timeout: Duration,
    /// One permit per connection that may be open.
    slots: Semaphore,
    /// Open connections not in use, the most recently used last.
    idle: Mutex<Vec<Parked>>,
}

impl SmtpPool {
    /// A pool for `url` with at most `size` connections; each opening, NOOP check and
    /// message may take `timeout`. Nothing is connected until the first message.
    pub fn new(url: &str, size: u32, timeout: Duration) -> Result<Self, SmtpError> {
        Ok(Self {
            endpoint: Endpoint::from_url(url)?,
            timeout,
            slots: Semaphore::new(size.max(1) as usize),
            idle: Mutex::new(Vec::new()),
        })
    }

    /// Sends one message over a pooled connection, waiting for a free one if all are busy.
    /// The whole conversation for the message may take `timeout`. Once the message has been
    /// handed over (DATA accepted), a missing or garbled reply to its final `.` is
    /// [`SmtpError::Unconfirmed`]: the server may have taken it.
    pub async fn send(&self, message: &Message) -> Result<(), SmtpError> {
        let _slot = self.slots.acquire().await.map_err(|_| SmtpError::Closed)?;
        let mut connection = self.checkout().await?;
        let deadline = tokio::time::Instant::now() + self.timeout;
        let envelope = message.envelope();
        let body = message.formatted();
        let before = tokio::time::timeout_at(deadline, hand_over(&mut connection, envelope, &body))
            .await
            .unwrap_or(Err(SmtpError::Timeout(self.timeout)));
        if let Err(error) = before {
            // Nothing was delivered; the session is in an unknown state, so it is ended.
            quit(connection).await;
            return Err(error);
        }
        let reply = tokio::time::timeout_at(deadline, connection.message(&body)).await;
        match reply {
            Ok(Ok(_)) => {
                self.park(connection);
                Ok(())
            }
            // The server answered with a code: it refused this message.
            Ok(Err(error)) if error.status().is_some() => {
                quit(connection).await;
                Err(error.into())
            }
            // No clear answer: the server may have queued the message. The connection is
            // dropped, its state unknown.
            Ok(Err(error)) => Err(SmtpError::Unconfirmed(error.to_string())),
            Err(_) => Err(SmtpError::Unconfirmed(format!(
                "no reply within {} s after the message was handed over",
                self.timeout.as_secs()
            ))),
        }
    }

    /// Politely closes the connections idle for longer than [`IDLE_LIMIT`].
    pub async fn close_idle(&self) {
        let stale: Vec<Parked> = {
            let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
            let (stale, fresh) = idle
                .drain(..)
                .partition(|parked| parked.since.elapsed() > IDLE_LIMIT);
            *idle = fresh;
            stale
        };
        for parked in stale {
            quit(parked.connection).await;
        }
    }

    /// Refuses further messages and politely closes every idle connection.
    pub async fn close(&self) {
        self.slots.close();
        let all = std::mem::take(&mut *self.idle.lock().unwrap_or_else(PoisonError::into_inner));
        for parked in all {
            quit(parked.connection).await;
        }
    }

    /// Connections that are open and not in use.
    pub fn idle_count(&self) -> usize {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// A live connection: a recently used one that answers NOOP, or a new one.
    async fn checkout(&self) -> Result<AsyncSmtpConnection, SmtpError> {
        loop {
            let parked = self
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop();
            let Some(parked) = parked else {
                return self.open().await;
            };
            let mut connection = parked.connection;
            if parked.since.elapsed() > IDLE_LIMIT {
                quit(connection).await;
                continue;
            }
            if let Ok(true) = tokio::time::timeout(self.timeout, connection.test_connected()).await
            {
                return Ok(connection);
            }
            tracing::debug!("dropping an SMTP connection that no longer answers");
        }
    }

    fn park(&self, connection: AsyncSmtpConnection) {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Parked {
                connection,
                since: Instant::now(),
            });
    }

    async fn open(&self) -> Result<AsyncSmtpConnection, SmtpError> {
        tokio::time::timeout(self.timeout, self.open_unbounded())
            .await
            .map_err(|_| SmtpError::Timeout(self.timeout))?
    }

    async fn open_unbounded(&self) -> Result<AsyncSmtpConnection, SmtpError> {
        let endpoint = &self.endpoint;
        let connect_error = |source| SmtpError::Connect {
            server: endpoint.server(),
            source,
        };
        let tcp = TcpStream::connect((endpoint.host.as_str(), endpoint.port))
            .await
            .map_err(connect_error)?;
        tcp.set_nodelay(true).map_err(connect_error)?;
        let stream: Box<dyn AsyncTokioStream> = match &endpoint.security {
            Security::Implicit(connector) => Box::new(TlsTcp(
                connector
                    .connect(&endpoint.host, tcp)
                    .await
                    .map_err(|source| SmtpError::Tls {
                        server: endpoint.server(),
                        source,
                    })?,
            )),
            Security::None | Security::StartTls { .. } => Box::new(tcp),
        };
        let open_error = |source| SmtpError::Open {
            server: endpoint.server(),
            source,
        };
        let mut connection = AsyncSmtpConnection::connect_with_transport(stream, &endpoint.hello)
            .await
            .map_err(open_error)?;
        if let Security::StartTls {
            parameters,
            required,
        } = &endpoint.security
        {
            if *required || connection.can_starttls() {
                connection
                    .starttls(parameters.clone(), &endpoint.hello)
                    .await
                    .map_err(open_error)?;
            }
        }
        if let Some(credentials) = &endpoint.credentials {
            connection
                .auth(DEFAULT_MECHANISMS, credentials)
                .await
                .map_err(open_error)?;
        }
        Ok(connection)
    }
}

/// The envelope and DATA: everything before the message itself. A failure here means the
/// server has not got the message. The extensions asked for are those lettre asks for.
async fn hand_over(
    connection: &mut AsyncSmtpConnection,
    envelope: &Envelope,
    body: &[u8],
) -> Result<(), SmtpError> {
    let mut options = Vec::new();
    let non_ascii = envelope
        .from()
        .into_iter()
        .chain(envelope.to())
        .any(|address: &lettre::Address| !AsRef::<str>::as_ref(address).is_ascii());
    if non_ascii {
        if !connection
            .server_info()
            .supports_feature(Extension::SmtpUtfEight)
        {
            return Err(SmtpError::Unsupported(
                "an address is not ASCII and the SMTP server does not support SMTPUTF8",
            ));
        }
        options.push(MailParameter::SmtpUtfEight);
    }
    if !body.is_ascii() {
        if !connection
            .server_info()
            .supports_feature(Extension::EightBitMime)
        {
            return Err(SmtpError::Unsupported(
                "the message is not ASCII and the SMTP server does not support 8BITMIME",
            ));
        }
        options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    connection
        .command(Mail::new(envelope.from().cloned(), options))
        .await?;
    for to in envelope.to() {
        connection.command(Rcpt::new(to.clone(), vec![])).await?;
    }
    connection.command(Data).await?;
    Ok(())
}

async fn quit(mut connection: AsyncSmtpConnection) {
    let _ = tokio::time::timeout(QUIT_TIMEOUT, connection.abort()).await;
}

/// A TLS stream over our own socket, in the shape lettre accepts.
#[derive(Debug)]
struct TlsTcp(tokio_native_tls::TlsStream<TcpStream>);

impl AsyncTokioStream for TlsTcp {
    fn peer_addr(&self) -> io::Result<std::net::SocketAddr> {
        self.0.get_ref().get_ref().get_ref().peer_addr()
    }
}

impl AsyncRead for TlsTcp {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for TlsTcp {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_read_as_lettre_reads_them() {
        let plain = Endpoint::from_url("smtp://mail.example.org").unwrap();
        assert_eq!((plain.host.as_str(), plain.port), ("mail.example.org", 25));
        assert!(matches!(plain.security, Security::None));
        assert!(plain.credentials.is_none());

        let required = Endpoint::from_url("smtp://u:p%40ss@mail.example.org?tls=required").unwrap();
        assert_eq!(required.port, 587);
        assert!(matches!(
            required.security,
            Security::StartTls { required: true, .. }
        ));
        assert!(required.credentials.is_some());

        let opportunistic =
            Endpoint::from_url("smtp://mail.example.org:2525?tls=opportunistic").unwrap();
        assert_eq!(opportunistic.port, 2525);
        assert!(matches!(
            opportunistic.security,
            Security::StartTls {
                required: false,
                ..
            }
        ));

        let implicit = Endpoint::from_url("smtps://mail.example.org/sender.example").unwrap();
        assert_eq!(implicit.port, 465);
        assert!(matches!(implicit.security, Security::Implicit(_)));
        assert_eq!(implicit.hello.to_string(), "sender.example");

        let ipv6 = Endpoint::from_url("smtp://[::1]:2525").unwrap();
        assert_eq!(ipv6.host, "::1");

        for bad in [
            "http://mail.example.org",
            "smtp://mail.example.org?tls=maybe",
            "smtp://",
        ] {
            assert!(Endpoint::from_url(bad).is_err(), "{bad}");
        }
    }
}
