//! A real SMTP server on loopback that keeps what it receives.

mod slow;

/// How the test SMTP server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpMode {
    Accept,
    /// Every MAIL FROM gets a 451 reply.
    Temporary,
    /// Connections are closed before the greeting.
    Down,
    /// Each connection is closed, without a word, after the message it carried.
    HangUpAfterMessage,
    /// Sessions are refused at the greeting with a permanent 554 reply.
    RefuseSession,
}

/// One message as the SMTP server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub recipients: Vec<String>,
    pub data: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Vec<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or_default();
        let mut headers: Vec<String> = Vec::new();
        for line in head.split("\r\n") {
            if line.starts_with(' ') || line.starts_with('\t') {
                if let Some(last) = headers.last_mut() {
                    last.push_str(line);
                }
            } else {
                headers.push(line.to_owned());
            }
        }
        let prefix = format!("{}:", name.to_ascii_lowercase());
        headers
            .into_iter()
            .filter(|h| h.to_ascii_lowercase().starts_with(&prefix))
            .map(|h| h[prefix.len()..].trim().to_owned())
            .collect()
    }

    /// The personal link (`…/i/<token>`) in the plain-text part.
    pub fn link(&self, kind: &str) -> String {
        let marker = format!("/{kind}/");
        // Undo quoted-printable soft line breaks, which may split a long link.
        let data = self.data.replace("=\r\n", "");
        let start = data.find(&marker).expect("a personal link");
        let token: String = data[start + marker.len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-' || *c == '_')
            .collect();
        if kind == "o" {
            assert!(
                token.contains('.'),
                "an opt-out link names its invitation and a tag"
            );
        } else {
            assert_eq!(token.len(), 64, "a whole token");
        }
        format!("{marker}{token}")
    }
}

#[derive(Default)]
struct SinkState {
    mode: Option<SmtpMode>,
    messages: Vec<Received>,
    reject: Vec<String>,
    rejected: usize,
    connections: usize,
    quits: usize,
    /// Replies held back (see `slow`).
    hold: slow::Hold,
}

/// A real SMTP server on loopback, in threads: it speaks enough ESMTP for lettre, keeps
/// every message, and can be told to fail temporarily, to be down, or to refuse recipients.
#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    state: std::sync::Arc<std::sync::Mutex<SinkState>>,
}

impl SmtpSink {
    pub fn start() -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the SMTP sink");
        let port = listener.local_addr().expect("an address").port();
        let state = std::sync::Arc::new(std::sync::Mutex::new(SinkState {
            mode: Some(SmtpMode::Accept),
            ..SinkState::default()
        }));
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = shared.clone();
                std::thread::spawn(move || {
                    let _ = serve_smtp(stream, &state);
                });
            }
        });
        Self { port, state }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Settings that send mail to this sink, quickly.
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("mail.transport", "smtp".to_owned()),
            ("mail.smtp_url", self.url()),
            ("mail.rate_per_second", "1000".to_owned()),
            ("mail.retry_base_seconds", "1".to_owned()),
            ("mail.poll_ms", "100".to_owned()),
        ]
    }

    pub fn set_mode(&self, mode: SmtpMode) {
        self.state.lock().unwrap().mode = Some(mode);
    }

    /// Recipients refused with a permanent 550 reply.
    pub fn reject(&self, address: &str) {
        self.state.lock().unwrap().reject.push(address.to_owned());
    }

    pub fn rejected(&self) -> usize {
        self.state.lock().unwrap().rejected
    }

    pub fn messages(&self) -> Vec<Received> {
        self.state.lock().unwrap().messages.clone()
    }

    /// Connections accepted so far (including those closed at once in `Down` mode).
    pub fn connections(&self) -> usize {
        self.state.lock().unwrap().connections
    }

    /// QUIT commands received so far.
    pub fn quits(&self) -> usize {
        self.state.lock().unwrap().quits
    }

    /// Waits until at least `count` messages arrived (or panics after `seconds`).
    pub fn wait_for(&self, count: usize, seconds: u64) -> Vec<Received> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
        loop {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "only {} of {count} messages arrived",
                messages.len()
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

fn serve_smtp(
    stream: std::net::TcpStream,
    state: &std::sync::Mutex<SinkState>,
) -> std::io::Result<()> {
    use std::io::{BufRead, BufReader, Write};
    let mode = {
        let mut state = state.lock().unwrap();
        state.connections += 1;
        state.mode.unwrap_or(SmtpMode::Accept)
    };
    if mode == SmtpMode::Down {
        return Ok(());
    }
    let mut writer = stream.try_clone()?;
    if mode == SmtpMode::RefuseSession {
        return writer.write_all(b"554 5.3.2 no service here\r\n");
    }
    let mut reader = BufReader::new(stream);
    writer.write_all(b"220 sink.test ESMTP\r\n")?;
    let mut recipients = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_ascii_uppercase();
        let mode = state.lock().unwrap().mode.unwrap_or(SmtpMode::Accept);
        if command.starts_with("EHLO") {
            writer.write_all(b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")?;
        } else if command.starts_with("HELO") {
            writer.write_all(b"250 sink.test\r\n")?;
        } else if command.starts_with("MAIL FROM") {
            recipients.clear();
            if mode == SmtpMode::Temporary {
                writer.write_all(b"451 4.3.0 try again later\r\n")?;
            } else {
                writer.write_all(b"250 ok\r\n")?;
            }
        } else if command.starts_with("RCPT TO") {
            let address = line
                .trim_end()
                .split_once(':')
                .map(|(_, a)| a.trim().trim_matches(|c| c == '<' || c == '>').to_owned())
                .unwrap_or_default();
            let mut state = state.lock().unwrap();
            if state
                .reject
                .iter()
                .any(|r| r.eq_ignore_ascii_case(&address))
            {
                state.rejected += 1;
                writer.write_all(b"550 5.1.1 no such mailbox here\r\n")?;
            } else {
                recipients.push(address);
                writer.write_all(b"250 ok\r\n")?;
            }
        } else if command == "DATA" {
            writer.write_all(b"354 go ahead\r\n")?;
            let mut data = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line)? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" {
                    break;
                }
                data.push_str(
                    line.strip_prefix('.')
                        .filter(|_| line.starts_with(".."))
                        .unwrap_or(&line),
                );
            }
            let ordinal = {
                let mut state = state.lock().unwrap();
                state.messages.push(Received {
                    recipients: std::mem::take(&mut recipients),
                    data,
                });
                state.messages.len()
            };
            slow::before_reply(state, ordinal);
            writer.write_all(b"250 queued\r\n")?;
            if mode == SmtpMode::HangUpAfterMessage {
                return Ok(());
            }
        } else if command == "QUIT" {
            state.lock().unwrap().quits += 1;
            writer.write_all(b"221 bye\r\n")?;
            return Ok(());
        } else {
            writer.write_all(b"250 ok\r\n")?;
        }
    }
}
