//! The SMTP connection pool against a real SMTP server on loopback: connections are reused
//! and never more than the pool's size, one the server dropped is replaced, a 5xx to a
//! message is permanent, a 4xx, a refused session and a refused connection are temporary,
//! closing says QUIT.

mod common;

use std::sync::Arc;
use std::time::Duration;

use candour::config::Settings;
use candour::mail::smtp_pool::{SmtpError, SmtpPool};
use candour::mail::{SendFailure, Transport};
use common::{SmtpMode, SmtpSink};
use figment::providers::Serialized;
use lettre::Message;

const TIMEOUT: Duration = Duration::from_secs(10);

fn message(to: &str) -> Message {
    Message::builder()
        .from("Candour <candour@example.org>".parse().unwrap())
        .to(to.parse().unwrap())
        .subject("Hello")
        .body(format!("A message for {to}\r\n"))
        .unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// A URL on which nothing listens.
fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("smtp://127.0.0.1:{port}")
}

#[test]
fn one_connection_carries_messages_sent_one_after_another() {
    let sink = SmtpSink::start();
    let pool = SmtpPool::new(&sink.url(), 4, TIMEOUT).unwrap();
    runtime().block_on(async {
        for i in 0..5 {
            pool.send(&message(&format!("p{i}@example.org")))
                .await
                .unwrap();
        }
    });
    assert_eq!(sink.messages().len(), 5);
    assert_eq!(sink.connections(), 1);
    assert_eq!(pool.idle_count(), 1);
}

#[test]
fn concurrent_messages_use_at_most_the_pool_size() {
    let sink = SmtpSink::start();
    let pool = Arc::new(SmtpPool::new(&sink.url(), 3, TIMEOUT).unwrap());
    runtime().block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..40 {
            let pool = pool.clone();
            tasks.spawn(async move { pool.send(&message(&format!("p{i}@example.org"))).await });
        }
        while let Some(result) = tasks.join_next().await {
            result.unwrap().unwrap();
        }
    });
    assert_eq!(sink.messages().len(), 40);
    assert!(
        sink.connections() <= 3,
        "{} connections",
        sink.connections()
    );
    assert_eq!(pool.idle_count(), sink.connections());
}

#[test]
fn a_connection_the_server_dropped_is_replaced() {
    let sink = SmtpSink::start();
    sink.set_mode(SmtpMode::HangUpAfterMessage);
    let pool = SmtpPool::new(&sink.url(), 1, TIMEOUT).unwrap();
    runtime().block_on(async {
        for i in 0..3 {
            pool.send(&message(&format!("p{i}@example.org")))
                .await
                .unwrap();
        }
    });
    assert_eq!(sink.messages().len(), 3);
    assert_eq!(sink.connections(), 3);
}

#[test]
fn a_refused_recipient_is_permanent_and_the_next_message_goes() {
    let sink = SmtpSink::start();
    sink.reject("gone@example.org");
    let pool = SmtpPool::new(&sink.url(), 1, TIMEOUT).unwrap();
    runtime().block_on(async {
        let error = pool.send(&message("gone@example.org")).await.unwrap_err();
        assert!(error.is_permanent(), "{error}");
        assert!(error.to_string().contains("no such mailbox"), "{error}");
        pool.send(&message("here@example.org")).await.unwrap();
    });
    assert_eq!(sink.rejected(), 1);
    assert_eq!(sink.messages().len(), 1);
    assert_eq!(sink.messages()[0].recipients, ["here@example.org"]);
}

#[test]
fn a_4xx_reply_and_a_silent_server_are_temporary() {
    let sink = SmtpSink::start();
    let pool = SmtpPool::new(&sink.url(), 1, TIMEOUT).unwrap();
    runtime().block_on(async {
        sink.set_mode(SmtpMode::Temporary);
        let error = pool.send(&message("a@example.org")).await.unwrap_err();
        assert!(matches!(error, SmtpError::Smtp(_)), "{error:?}");
        assert!(!error.is_permanent(), "{error}");
        sink.set_mode(SmtpMode::Down);
        let error = pool.send(&message("a@example.org")).await.unwrap_err();
        assert!(!error.is_permanent(), "{error}");
        sink.set_mode(SmtpMode::Accept);
        pool.send(&message("a@example.org")).await.unwrap();
    });
    assert_eq!(sink.messages().len(), 1);
}

/// A 5xx before any message (greeting, EHLO, AUTH) is about the server or our settings: a
/// wrong password must not mark every invitee undeliverable.
#[test]
fn a_session_refused_at_the_greeting_is_temporary() {
    let sink = SmtpSink::start();
    sink.set_mode(SmtpMode::RefuseSession);
    let pool = SmtpPool::new(&sink.url(), 1, TIMEOUT).unwrap();
    runtime().block_on(async {
        let error = pool.send(&message("a@example.org")).await.unwrap_err();
        assert!(matches!(error, SmtpError::Open { .. }), "{error:?}");
        assert!(!error.is_permanent(), "{error}");
        assert!(error.to_string().contains("no service here"), "{error}");
    });
}

#[test]
fn a_refused_connection_is_temporary() {
    let pool = SmtpPool::new(&refused_url(), 1, TIMEOUT).unwrap();
    runtime().block_on(async {
        let error = pool.send(&message("a@example.org")).await.unwrap_err();
        assert!(matches!(error, SmtpError::Connect { .. }), "{error:?}");
        assert!(!error.is_permanent());
    });
}

#[test]
fn closing_says_quit_and_refuses_later_messages() {
    let sink = SmtpSink::start();
    let pool = SmtpPool::new(&sink.url(), 2, TIMEOUT).unwrap();
    runtime().block_on(async {
        pool.send(&message("a@example.org")).await.unwrap();
        pool.close_idle().await;
        assert_eq!(pool.idle_count(), 1, "a connection just used is kept");
        pool.close().await;
        assert_eq!(pool.idle_count(), 0);
        let error = pool.send(&message("b@example.org")).await.unwrap_err();
        assert!(matches!(error, SmtpError::Closed), "{error:?}");
    });
    assert_eq!(sink.quits(), 1);
    assert_eq!(sink.messages().len(), 1);
}

/// The transport sorts the pool's failures into the two kinds the outbox acts on.
#[test]
fn the_transport_classifies_failures() {
    let sink = SmtpSink::start();
    sink.reject("gone@example.org");
    let transport = |url: &str| {
        let settings = Settings::from_figment(
            Settings::defaults()
                .merge(Serialized::default("mail.transport", "smtp"))
                .merge(Serialized::default("mail.smtp_url", url)),
        )
        .unwrap();
        Transport::from_settings(&settings.mail).unwrap()
    };
    let live = transport(&sink.url());
    let dead = transport(&refused_url());
    runtime().block_on(async {
        assert!(matches!(
            live.send(message("gone@example.org")).await,
            Err(SendFailure::Permanent(_))
        ));
        assert_eq!(live.send(message("here@example.org")).await, Ok(()));
        assert!(matches!(
            dead.send(message("a@example.org")).await,
            Err(SendFailure::Temporary(_))
        ));
    });
}

#[test]
fn every_url_form_is_accepted_and_a_bad_one_is_refused() {
    for url in [
        "smtp://127.0.0.1:2525",
        "smtp://user:pa%40ss@mail.example.org?tls=required",
        "smtp://mail.example.org:2525/sender.example?tls=opportunistic",
        "smtps://user:pass@mail.example.org",
        "smtp://[::1]:2525",
    ] {
        assert!(SmtpPool::new(url, 1, TIMEOUT).is_ok(), "{url}");
    }
    for url in [
        "http://mail.example.org",
        "smtp://mail.example.org?tls=maybe",
    ] {
        assert!(SmtpPool::new(url, 1, TIMEOUT).is_err(), "{url}");
    }
}

/// `?tls=required` never sends a message in the clear to a server without STARTTLS;
/// `?tls=opportunistic` does.
#[test]
fn starttls_required_refuses_a_server_without_it_and_opportunistic_goes_on() {
    let sink = SmtpSink::start();
    let required = SmtpPool::new(&format!("{}?tls=required", sink.url()), 1, TIMEOUT).unwrap();
    let opportunistic =
        SmtpPool::new(&format!("{}?tls=opportunistic", sink.url()), 1, TIMEOUT).unwrap();
    runtime().block_on(async {
        let error = required.send(&message("a@example.org")).await.unwrap_err();
        assert!(!error.is_permanent(), "{error}");
        assert!(error.to_string().contains("STARTTLS"), "{error}");
        opportunistic.send(&message("b@example.org")).await.unwrap();
    });
    let mail = sink.messages();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].recipients, ["b@example.org"]);
}
