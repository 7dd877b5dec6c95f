//! A minimal, real SMTP server for tests (plain TCP on 127.0.0.1, no TLS, no AUTH).

use std::fmt;
use std::io;
use std::net::{Shutdown, SocketAddr, TcpListener as StdTcpListener};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use mail_parser::{MessageParser, MimeHeaders, PartType};
use socket2::{Domain, SockRef, Socket, Type};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Handle;
use tokio::sync::{oneshot, watch};

/// Largest message the sink accepts (advertised with `SIZE`).
pub const MAX_MESSAGE_SIZE: usize = 50 * 1024 * 1024;
const MAX_LINE: usize = 64 * 1024;
const HOSTNAME: &str = "kindred-testkit.localhost";

/// A message received by the [`SmtpSink`], parsed with `mail-parser`.
#[derive(Clone, PartialEq, Eq)]
pub struct ReceivedEmail {
    /// Envelope sender (`MAIL FROM`), without angle brackets.
    pub mail_from: String,
    /// Envelope recipients (`RCPT TO`), without angle brackets.
    pub rcpt_to: Vec<String>,
    /// The message exactly as received after dot-unstuffing (lossy UTF-8).
    pub raw: String,
    /// Decoded `Subject` (empty if none).
    pub subject: String,
    /// The decoded `text/plain` body part, if any (line endings normalised to `\n`).
    pub text_body: Option<String>,
    /// The decoded `text/html` body part, if any (line endings normalised to `\n`).
    pub html_body: Option<String>,
    /// Top-level headers as `(name, raw value)` with folding removed, in order.
    pub headers: Vec<(String, String)>,
    /// Attachments as `(filename, content type "type/subtype", decoded bytes)`.
    pub attachments: Vec<(String, String, Vec<u8>)>,
}

impl ReceivedEmail {
    /// The first top-level header with this name (case-insensitive), raw value, unfolded
    /// (RFC 2047 encoded words are not decoded; use `subject` for the subject).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// All values of a header (case-insensitive).
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether `addr` is one of the envelope recipients (case-insensitive).
    pub fn is_for(&self, addr: &str) -> bool {
        self.rcpt_to.iter().any(|r| r.eq_ignore_ascii_case(addr))
    }

    /// Parses a raw RFC 5322 message (as the sink does for each message).
    pub fn parse(mail_from: String, rcpt_to: Vec<String>, raw: &[u8]) -> Self {
        let headers = parse_headers(raw);
        let mut email = ReceivedEmail {
            mail_from,
            rcpt_to,
            raw: String::from_utf8_lossy(raw).into_owned(),
            subject: String::new(),
            text_body: None,
            html_body: None,
            headers,
            attachments: Vec::new(),
        };
        let Some(msg) = MessageParser::default().parse(raw) else {
            return email;
        };
        email.subject = msg.subject().unwrap_or_default().to_owned();
        email.text_body = msg.text_bodies().find_map(|p| match &p.body {
            PartType::Text(t) => Some(t.replace("\r\n", "\n")),
            _ => None,
        });
        email.html_body = msg.html_bodies().find_map(|p| match &p.body {
            PartType::Html(t) => Some(t.replace("\r\n", "\n")),
            _ => None,
        });
        email.attachments = msg
            .attachments()
            .map(|p| {
                let content_type = p
                    .content_type()
                    .map(|ct| match ct.subtype() {
                        Some(sub) => format!("{}/{}", ct.ctype(), sub),
                        None => ct.ctype().to_owned(),
                    })
                    .unwrap_or_else(|| "application/octet-stream".to_owned())
                    .to_ascii_lowercase();
                (
                    p.attachment_name().unwrap_or_default().to_owned(),
                    content_type,
                    p.contents().to_vec(),
                )
            })
            .collect();
        email
    }
}

impl fmt::Debug for ReceivedEmail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReceivedEmail")
            .field("mail_from", &self.mail_from)
            .field("rcpt_to", &self.rcpt_to)
            .field("subject", &self.subject)
            .field("text_body", &self.text_body)
            .field("html_body", &self.html_body.as_ref().map(|h| h.len()))
            .field(
                "attachments",
                &self
                    .attachments
                    .iter()
                    .map(|(n, t, b)| format!("{n} ({t}, {} bytes)", b.len()))
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

fn parse_headers(raw: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(raw);
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    headers
}

/// A real SMTP server on `127.0.0.1:<random port>` that stores what it receives.
///
/// It runs on its own runtime thread, so it keeps serving even while the test thread blocks.
/// Clones share the same server; it stops when the last clone is dropped.
#[derive(Clone)]
pub struct SmtpSink {
    shared: Arc<Shared>,
    _guard: Arc<StopGuard>,
}

struct Shared {
    port: u16,
    handle: Handle,
    state: Mutex<State>,
    next_id: AtomicU64,
    /// Bumped to make every open connection close (used by `set_down(true)`).
    kill: watch::Sender<u64>,
}

#[derive(Default)]
struct State {
    messages: Vec<ReceivedEmail>,
    rejected: Vec<String>,
    delay: Duration,
    connections_total: u64,
    /// A duplicate of the listening socket (to shut it down synchronously) and the accept
    /// loop's stop signal; `None` while down.
    listener: Option<(StdTcpListener, oneshot::Sender<()>)>,
}

struct StopGuard {
    stop: Mutex<Option<oneshot::Sender<()>>>,
}

impl Drop for StopGuard {
    fn drop(&mut self) {
        if let Some(tx) = lock(&self.stop).take() {
            let _ = tx.send(());
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl fmt::Debug for SmtpSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSink")
            .field("port", &self.shared.port)
            .finish()
    }
}

fn bind_listener(port: u16) -> io::Result<StdTcpListener> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(1024)?;
    socket.set_nonblocking(true)?;
    Ok(socket.into())
}

impl SmtpSink {
    /// Starts a sink. The server runs on its own runtime thread, so this works from any
    /// runtime flavour (including `#[tokio::test]`'s current-thread runtime).
    pub async fn start() -> SmtpSink {
        Self::start_blocking()
    }

    /// Starts a sink without needing a tokio runtime (spawns its own runtime thread).
    pub fn start_blocking() -> SmtpSink {
        let listener = bind_listener(0).expect("SmtpSink: cannot bind 127.0.0.1:0");
        let port = listener
            .local_addr()
            .expect("SmtpSink: listener has no local address")
            .port();

        let (handle_tx, handle_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        std::thread::Builder::new()
            .name(format!("smtp-sink-{port}"))
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("SmtpSink: cannot build runtime");
                let _ = handle_tx.send(rt.handle().clone());
                rt.block_on(async {
                    let _ = stop_rx.await;
                });
            })
            .expect("SmtpSink: cannot spawn runtime thread");
        let handle = handle_rx
            .recv()
            .expect("SmtpSink: runtime thread died during start-up");

        let (kill, _) = watch::channel(0u64);
        let sink = SmtpSink {
            shared: Arc::new(Shared {
                port,
                handle,
                state: Mutex::new(State::default()),
                next_id: AtomicU64::new(1),
                kill,
            }),
            _guard: Arc::new(StopGuard {
                stop: Mutex::new(Some(stop_tx)),
            }),
        };
        sink.serve(listener);
        sink
    }

    fn serve(&self, listener: StdTcpListener) {
        let dup = listener
            .try_clone()
            .expect("SmtpSink: cannot duplicate listening socket");
        let (stop_tx, mut stop_rx) = oneshot::channel::<()>();
        lock(&self.shared.state).listener = Some((dup, stop_tx));
        let shared = Arc::clone(&self.shared);
        let listener = {
            let _enter = self.shared.handle.enter();
            TcpListener::from_std(listener).expect("SmtpSink: cannot register listener")
        };
        self.shared.handle.spawn(async move {
            loop {
                tokio::select! {
                    _ = &mut stop_rx => break,
                    accepted = listener.accept() => match accepted {
                        Ok((stream, _)) => {
                            lock(&shared.state).connections_total += 1;
                            let shared = Arc::clone(&shared);
                            let kill = shared.kill.subscribe();
                            tokio::spawn(async move {
                                let _ = handle_connection(stream, shared, kill).await;
                            });
                        }
                        Err(_) => {
                            // EMFILE and friends, or the socket was shut down.
                            if lock(&shared.state).listener.is_none() {
                                break;
                            }
                            tokio::time::sleep(Duration::from_millis(10)).await;
                        }
                    }
                }
            }
        });
    }

    /// The TCP port (stays the same across `set_down(true)` / `set_down(false)`).
    pub fn port(&self) -> u16 {
        self.shared.port
    }

    /// `smtp://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.shared.port)
    }

    /// Everything received so far, in order of completion.
    pub fn messages(&self) -> Vec<ReceivedEmail> {
        lock(&self.shared.state).messages.clone()
    }

    /// Messages with `addr` among their envelope recipients (case-insensitive).
    pub fn messages_to(&self, addr: &str) -> Vec<ReceivedEmail> {
        lock(&self.shared.state)
            .messages
            .iter()
            .filter(|m| m.is_for(addr))
            .cloned()
            .collect()
    }

    /// Forgets all received messages.
    pub fn clear(&self) {
        lock(&self.shared.state).messages.clear();
    }

    /// Number of TCP connections accepted so far.
    pub fn connections_accepted(&self) -> u64 {
        lock(&self.shared.state).connections_total
    }

    /// Waits until at least `n` messages have arrived and returns all messages.
    ///
    /// # Panics
    /// On timeout, with a message listing what did arrive.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedEmail> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(m) = self.check(n, deadline, timeout) {
                return m;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Like [`SmtpSink::wait_for`], blocking the current thread.
    pub fn wait_for_blocking(&self, n: usize, timeout: Duration) -> Vec<ReceivedEmail> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(m) = self.check(n, deadline, timeout) {
                return m;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn check(&self, n: usize, deadline: Instant, timeout: Duration) -> Option<Vec<ReceivedEmail>> {
        let messages = self.messages();
        if messages.len() >= n {
            return Some(messages);
        }
        if Instant::now() >= deadline {
            let listing: Vec<String> = messages
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    format!(
                        "  #{i}: from {:?} to {:?} subject {:?}",
                        m.mail_from, m.rcpt_to, m.subject
                    )
                })
                .collect();
            panic!(
                "SmtpSink on port {}: expected at least {n} message(s) within {timeout:?}, \
                 but {} arrived{}{}",
                self.shared.port,
                messages.len(),
                if listing.is_empty() { "" } else { ":\n" },
                listing.join("\n")
            );
        }
        None
    }

    /// `RCPT TO` addresses containing `addr_substring` (case-insensitive) get
    /// `550 5.1.1 ... recipient rejected`.
    pub fn reject_recipient(&self, addr_substring: &str) {
        lock(&self.shared.state)
            .rejected
            .push(addr_substring.to_ascii_lowercase());
    }

    /// Stops rejecting recipients.
    pub fn clear_rejections(&self) {
        lock(&self.shared.state).rejected.clear();
    }

    /// Waits this long before answering each `DATA` (simulates a slow server).
    pub fn set_delay(&self, delay: Duration) {
        lock(&self.shared.state).delay = delay;
    }

    /// `true`: closes the listening socket (new connections are refused) and drops every
    /// open connection. `false`: listens again on the SAME port. Synchronous: when it
    /// returns, the port is closed / accepting.
    ///
    /// # Panics
    /// If the port cannot be bound again within 10 seconds.
    pub fn set_down(&self, down: bool) {
        if down {
            let taken = lock(&self.shared.state).listener.take();
            if let Some((dup, stop)) = taken {
                // shutdown() on a listening socket makes Linux stop listening at once (new
                // connections get RST); the accept loop then exits and closes its fd.
                let _ = SockRef::from(&dup).shutdown(Shutdown::Both);
                let _ = stop.send(());
                drop(dup);
            }
            self.shared.kill.send_modify(|g| *g += 1);
        } else {
            if lock(&self.shared.state).listener.is_some() {
                return;
            }
            let deadline = Instant::now() + Duration::from_secs(10);
            let listener = loop {
                match bind_listener(self.shared.port) {
                    Ok(l) => break l,
                    Err(e) if Instant::now() < deadline => {
                        let _ = e;
                        std::thread::sleep(Duration::from_millis(20));
                    }
                    Err(e) => panic!(
                        "SmtpSink: cannot listen again on 127.0.0.1:{}: {e}",
                        self.shared.port
                    ),
                }
            };
            self.serve(listener);
        }
    }

    /// Whether the sink is currently down.
    pub fn is_down(&self) -> bool {
        lock(&self.shared.state).listener.is_none()
    }
}

struct Transaction {
    mail_from: Option<String>,
    rcpt_to: Vec<String>,
}

fn extract_path(arg: &str) -> Option<String> {
    // `FROM:<a@b> SIZE=123` / `TO:<a@b>` / `FROM: a@b`
    let (_, rest) = arg.split_once(':')?;
    let rest = rest.trim_start();
    if let Some(inner) = rest.strip_prefix('<') {
        let end = inner.find('>')?;
        Some(inner[..end].to_owned())
    } else {
        Some(
            rest.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned(),
        )
    }
}

async fn handle_connection(
    stream: TcpStream,
    shared: Arc<Shared>,
    mut kill: watch::Receiver<u64>,
) -> io::Result<()> {
    let _ = stream.set_nodelay(true);
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let session = async move {
        write
            .write_all(format!("220 {HOSTNAME} ESMTP kindred-testkit ready\r\n").as_bytes())
            .await?;
        let mut tx = Transaction {
            mail_from: None,
            rcpt_to: Vec::new(),
        };
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = (&mut reader)
                .take(MAX_LINE as u64)
                .read_until(b'\n', &mut line)
                .await?;
            quick_ack(&reader);
            if n == 0 {
                return Ok(());
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            let (verb, arg) = match text.split_once(' ') {
                Some((v, a)) => (v.to_ascii_uppercase(), a.trim()),
                None => (text.to_ascii_uppercase(), ""),
            };
            let reply: String = match verb.as_str() {
                "EHLO" => {
                    tx = Transaction {
                        mail_from: None,
                        rcpt_to: Vec::new(),
                    };
                    format!(
                        "250-{HOSTNAME} greets {arg}\r\n250-8BITMIME\r\n250-SIZE {MAX_MESSAGE_SIZE}\r\n250-SMTPUTF8\r\n250 ENHANCEDSTATUSCODES\r\n"
                    )
                }
                "HELO" => {
                    tx = Transaction {
                        mail_from: None,
                        rcpt_to: Vec::new(),
                    };
                    format!("250 {HOSTNAME}\r\n")
                }
                "MAIL" => match extract_path(arg) {
                    Some(from) if arg.to_ascii_uppercase().starts_with("FROM:") => {
                        tx = Transaction {
                            mail_from: Some(from),
                            rcpt_to: Vec::new(),
                        };
                        "250 2.1.0 OK\r\n".into()
                    }
                    _ => "501 5.5.4 Syntax: MAIL FROM:<address>\r\n".into(),
                },
                "RCPT" => {
                    if tx.mail_from.is_none() {
                        "503 5.5.1 Need MAIL command first\r\n".into()
                    } else {
                        match extract_path(arg) {
                            Some(to) if arg.to_ascii_uppercase().starts_with("TO:") => {
                                let lower = to.to_ascii_lowercase();
                                let rejected = lock(&shared.state)
                                    .rejected
                                    .iter()
                                    .any(|r| lower.contains(r.as_str()));
                                if rejected {
                                    format!("550 5.1.1 <{to}>: Recipient address rejected\r\n")
                                } else {
                                    tx.rcpt_to.push(to);
                                    "250 2.1.5 OK\r\n".into()
                                }
                            }
                            _ => "501 5.5.4 Syntax: RCPT TO:<address>\r\n".into(),
                        }
                    }
                }
                "DATA" => {
                    if tx.mail_from.is_none() || tx.rcpt_to.is_empty() {
                        "503 5.5.1 Need RCPT command first\r\n".into()
                    } else {
                        write
                            .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                            .await?;
                        let mut data: Vec<u8> = Vec::new();
                        let mut too_big = false;
                        loop {
                            line.clear();
                            let n = (&mut reader)
                                .take(MAX_LINE as u64 * 16)
                                .read_until(b'\n', &mut line)
                                .await?;
                            quick_ack(&reader);
                            if n == 0 {
                                return Ok(());
                            }
                            if line == b".\r\n" || line == b".\n" {
                                break;
                            }
                            let content = if line.first() == Some(&b'.') {
                                &line[1..]
                            } else {
                                &line[..]
                            };
                            if data.len() + content.len() > MAX_MESSAGE_SIZE {
                                too_big = true;
                            } else {
                                data.extend_from_slice(content);
                            }
                        }
                        let mail_from = tx.mail_from.take().unwrap_or_default();
                        let rcpt_to = std::mem::take(&mut tx.rcpt_to);
                        if too_big {
                            "552 5.3.4 Message too big\r\n".into()
                        } else {
                            let delay = lock(&shared.state).delay;
                            if !delay.is_zero() {
                                tokio::time::sleep(delay).await;
                            }
                            let email = ReceivedEmail::parse(mail_from, rcpt_to, &data);
                            lock(&shared.state).messages.push(email);
                            let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
                            format!("250 2.0.0 OK queued as {id}\r\n")
                        }
                    }
                }
                "RSET" => {
                    tx = Transaction {
                        mail_from: None,
                        rcpt_to: Vec::new(),
                    };
                    "250 2.0.0 OK\r\n".into()
                }
                "NOOP" => "250 2.0.0 OK\r\n".into(),
                "VRFY" => "252 2.5.2 Cannot VRFY user\r\n".into(),
                "QUIT" => {
                    write.write_all(b"221 2.0.0 Bye\r\n").await?;
                    write.shutdown().await?;
                    return Ok(());
                }
                "" => "500 5.5.2 Empty command\r\n".into(),
                _ => "502 5.5.2 Command not implemented\r\n".into(),
            };
            write.write_all(reply.as_bytes()).await?;
        }
    };
    tokio::select! {
        r = session => r,
        _ = kill.changed() => Ok(()),
    }
}

/// Acknowledges received data at once. Without this, a client that writes a
/// message in two segments (lettre writes the body, then `.`) waits for the
/// kernel's delayed ACK (~40 ms) on every message because of Nagle's
/// algorithm, which caps each connection at about 25 messages a second.
fn quick_ack(reader: &BufReader<tokio::net::tcp::OwnedReadHalf>) {
    #[cfg(target_os = "linux")]
    {
        let stream: &TcpStream = reader.get_ref().as_ref();
        let _ = socket2::SockRef::from(stream).set_tcp_quickack(true);
    }
}
