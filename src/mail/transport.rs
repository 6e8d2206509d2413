//! How mail leaves: pooled async SMTP (`smtp://`, `smtps://`, STARTTLS with `?tls=required`
//! or `?tls=opportunistic`, credentials in the URL; see [`SmtpPool`]), or `.eml` files in a
//! folder.

use std::time::Duration;

use lettre::{AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{MailSettings, MailTransport};

use super::smtp_pool::SmtpPool;

#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("bad setting mail.smtp_url: {0}")]
    Url(String),
    #[error("cannot create mail.file_dir {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
}

/// Why a message was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendFailure {
    /// Worth trying again later: a 4xx reply, a timeout, a refused connection.
    Temporary(String),
    /// Never worth retrying: a 5xx reply (the server's words are kept).
    Permanent(String),
    /// Handed over, but the server's reply to the final `.` never came: maybe delivered, so
    /// not sent again on its own.
    Unconfirmed(String),
}

/// One reused transport for the whole process.
pub enum Transport {
    Smtp(Box<SmtpPool>),
    File(AsyncFileTransport<Tokio1Executor>),
}

impl Transport {
    pub fn from_settings(mail: &MailSettings) -> Result<Self, TransportError> {
        match mail.transport {
            MailTransport::Smtp => {
                let timeout = Duration::from_secs(mail.smtp_timeout_seconds);
                SmtpPool::new(mail.smtp_url.expose(), mail.connections, timeout)
                    .map(|pool| Self::Smtp(Box::new(pool)))
                    .map_err(|e| TransportError::Url(e.to_string()))
            }
            MailTransport::File => {
                std::fs::create_dir_all(&mail.file_dir).map_err(|source| {
                    TransportError::Folder {
                        path: mail.file_dir.display().to_string(),
                        source,
                    }
                })?;
                Ok(Self::File(AsyncFileTransport::new(&mail.file_dir)))
            }
        }
    }

    pub async fn send(&self, message: Message) -> Result<(), SendFailure> {
        match self {
            Self::Smtp(smtp) => smtp.send(&message).await.map_err(|error| {
                if error.is_unconfirmed() {
                    SendFailure::Unconfirmed(error.to_string())
                } else if error.is_permanent() {
                    SendFailure::Permanent(error.to_string())
                } else {
                    SendFailure::Temporary(error.to_string())
                }
            }),
            Self::File(file) => file
                .send(message)
                .await
                .map(drop)
                .map_err(|error| SendFailure::Temporary(error.to_string())),
        }
    }

    /// Whether a message handed over may reach a person: true for SMTP. Files written for a
    /// local trial reach no one, so writing one twice after a crash is harmless.
    pub fn reaches_people(&self) -> bool {
        matches!(self, Self::Smtp(_))
    }

    /// Closes SMTP connections that have been idle a while (nothing to do for files).
    pub async fn close_idle(&self) {
        if let Self::Smtp(smtp) = self {
            smtp.close_idle().await;
        }
    }

    /// Closes every SMTP connection politely; later messages are refused.
    pub async fn close(&self) {
        if let Self::Smtp(smtp) = self {
            smtp.close().await;
        }
    }
}
