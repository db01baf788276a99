//! A real SMTP server for e-mail deliveries: aiosmtpd running
//! `smtp_sink.py` beside this file, with the Python of
//! `TRAINYARD_TEST_PYTHON` (which `make test-api` sets) or else
//! `target/smtp-venv/bin/python` (what `make smtp-tools` installs). Every
//! message that reaches it is kept with its envelope, its headers and text
//! as a mail reader decodes them, and the reply it was given.

use serde::Deserialize;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// How long aiosmtpd may take to start on a busy machine.
const STARTS: Duration = Duration::from_secs(30);

/// One message as the server received it.
#[derive(Clone, Debug, Deserialize)]
pub struct Mail {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    /// The raw message, as sent.
    pub data: String,
    pub headers: Vec<(String, String)>,
    /// The decoded text body.
    pub text: String,
    /// The reply code the server gave it.
    pub answered: u16,
}

impl Mail {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `webhook-id` header, blank when missing.
    pub fn webhook_id(&self) -> &str {
        self.header("webhook-id").unwrap_or_default()
    }

    pub fn event_type(&self) -> &str {
        self.header("X-Trainyard-Event").unwrap_or_default()
    }

    /// The text with the wire's CRLF line ends as `\n`.
    pub fn body(&self) -> String {
        self.text.replace("\r\n", "\n")
    }

    pub fn accepted(&self) -> bool {
        (200..300).contains(&self.answered)
    }
}

/// The server; it is stopped when dropped.
pub struct SmtpSink {
    pub port: u16,
    child: Child,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpSink {
    /// Starts the server in `mode` (`accept`, `defer-once`: 451 to the
    /// first message, or `refuse`: 550 to all) and waits until it listens.
    pub fn start(mode: &str) -> Self {
        let python = std::env::var_os("TRAINYARD_TEST_PYTHON")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace().join("target/smtp-venv/bin/python"));
        assert!(
            python.exists(),
            "no Python with aiosmtpd at {}: run `make smtp-tools` (or set TRAINYARD_TEST_PYTHON)",
            python.display()
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/api/smtp_sink.py");
        let mut child = Command::new(&python)
            .arg(&script)
            .arg(port.to_string())
            .args(["--mode", mode])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", python.display()));
        let stdout = child.stdout.take().expect("the sink's output");
        let mails = Arc::new(Mutex::new(Vec::new()));
        let (ready, listening) = mpsc::channel();
        let kept = mails.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if line.starts_with("{\"listening\"") {
                    let _ = ready.send(());
                } else {
                    let mail: Mail = serde_json::from_str(&line)
                        .unwrap_or_else(|e| panic!("a message line from the sink: {e}: {line}"));
                    kept.lock().unwrap().push(mail);
                }
            }
        });
        let mut sink = Self { port, child, mails };
        if listening.recv_timeout(STARTS).is_err() {
            let exited = sink.child.try_wait().ok().flatten();
            panic!(
                "the SMTP sink did not listen on {port} within {STARTS:?} (exited: {exited:?}); \
                 `make smtp-tools` installs aiosmtpd"
            );
        }
        sink
    }

    /// `TRAINYARD_SMTP_URL` for this server (plain SMTP, no TLS).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message so far, in arrival order.
    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }

    /// Waits, up to `within`, until `done` holds of every message so far,
    /// and returns them; panics naming `what` and showing what arrived.
    pub async fn wait_for(
        &self,
        what: &str,
        within: Duration,
        done: impl Fn(&[Mail]) -> bool,
    ) -> Vec<Mail> {
        let deadline = Instant::now() + within;
        loop {
            let mails = self.mails();
            if done(&mails) {
                return mails;
            }
            assert!(
                Instant::now() < deadline,
                "{what} never arrived within {within:?}; got {mails:#?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the server crate sits in the workspace")
        .to_path_buf()
}
