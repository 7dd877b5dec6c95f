//! One SMTP conversation: greeting, `EHLO`/`MAIL`/`RCPT`/`DATA`/`RSET`/`QUIT`, storing
//! each accepted message in the sink's shared state.

use std::io;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::watch;

use super::sink::{lock, Shared};
use super::{ReceivedEmail, HOSTNAME, MAX_LINE, MAX_MESSAGE_SIZE};

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

pub(super) async fn handle_connection(
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
