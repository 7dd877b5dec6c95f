//! The three transports, SMTP against kindred-testkit's sink.
#![allow(clippy::unwrap_used)] // test helpers

use std::time::Duration;

use kindred_mail::templates::VerificationCode;
use kindred_mail::{
    render, Lang, Mailer, MemoryFailure, OutgoingEmail, RenderedEmail, SendError, TransportConfig,
    DEFAULT_FOOTER,
};
use kindred_testkit::SmtpSink;

fn email(to: &str) -> OutgoingEmail {
    OutgoingEmail::new(to, "Kindred <noreply@kindred.test>", verification_email())
        .with_header(
            "List-Unsubscribe",
            "<https://kindred.test/unsubscribe/t0k3n>",
        )
        .with_header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
        .with_message_id("outbox-17")
}

fn verification_email() -> RenderedEmail {
    render(
        &VerificationCode {
            code: "493027",
            ttl_secs: 3600,
        },
        Lang::En,
        DEFAULT_FOOTER,
    )
    .unwrap()
}

fn smtp(url: String) -> Mailer {
    Mailer::new(&TransportConfig::Smtp {
        url,
        timeout: Duration::from_secs(5),
        pool_size: 4,
    })
    .unwrap()
}

#[tokio::test]
async fn smtp_delivers_both_parts_headers_and_attachment() {
    let sink = SmtpSink::start().await;
    let mailer = smtp(sink.url());
    assert_eq!(mailer.kind(), "smtp");
    let ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n".to_vec();
    mailer
        .send(&email("Ada Lovelace <ada@example.org>").with_attachment(
            "checkin.ics",
            "text/calendar; charset=utf-8; method=REQUEST",
            ics.clone(),
        ))
        .await
        .unwrap();
    mailer.send(&email("bob@example.org")).await.unwrap();

    let got = sink.wait_for(2, Duration::from_secs(5)).await;
    let m = &got[0];
    assert_eq!(m.mail_from, "noreply@kindred.test");
    assert_eq!(m.rcpt_to, vec!["ada@example.org".to_string()]);
    assert_eq!(m.subject, "Your Kindred verification code");
    let text = m.text_body.as_deref().unwrap();
    assert!(
        text.lines().any(|l| l == "Verification code: 493027"),
        "{text}"
    );
    assert!(text.starts_with("Hello,"));
    assert!(text.contains("116 123"));
    let html = m.html_body.as_deref().unwrap();
    assert!(html.contains("<strong>493027</strong>"));
    assert!(html.contains("<p>Hello,</p>"));
    assert!(html.contains("116 123"));
    assert_eq!(
        m.header("List-Unsubscribe"),
        Some("<https://kindred.test/unsubscribe/t0k3n>")
    );
    assert_eq!(
        m.header("List-Unsubscribe-Post"),
        Some("List-Unsubscribe=One-Click")
    );
    assert_eq!(m.header("Message-ID"), Some("<outbox-17@kindred.test>"));
    assert_eq!(
        m.attachments,
        vec![("checkin.ics".to_string(), "text/calendar".to_string(), ics)]
    );
    assert!(got[1].attachments.is_empty());
    assert!(got[1].raw.contains("multipart/alternative"));
    assert!(!got[1].raw.contains("multipart/mixed"));
}

#[tokio::test]
async fn smtp_rejected_recipient_is_permanent() {
    let sink = SmtpSink::start().await;
    sink.reject_recipient("nobody@");
    let err = smtp(sink.url())
        .send(&email("nobody@example.org"))
        .await
        .unwrap_err();
    assert!(matches!(err, SendError::Permanent(_)), "{err:?}");
    assert!(err.reason().contains("550"), "{err}");
}

#[tokio::test]
async fn smtp_closed_port_is_transient_and_recovers() {
    let sink = SmtpSink::start().await;
    let mailer = smtp(format!("smtp://user:s3cr3t-pw@127.0.0.1:{}", sink.port()));
    sink.set_down(true);
    let err = mailer.send(&email("ada@example.org")).await.unwrap_err();
    assert!(err.is_transient(), "{err:?}");
    assert!(!err.to_string().contains("s3cr3t-pw"), "{err}");
    assert!(!format!("{err:?}").contains("s3cr3t-pw"));

    sink.set_down(false);
    let plain = smtp(sink.url());
    plain.send(&email("ada@example.org")).await.unwrap();
    sink.wait_for(1, Duration::from_secs(5)).await;
}

#[tokio::test]
async fn smtp_nothing_listening_is_transient() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = smtp(format!("smtp://127.0.0.1:{port}"))
        .send(&email("ada@example.org"))
        .await
        .unwrap_err();
    assert!(err.is_transient(), "{err:?}");
}

#[tokio::test]
async fn smtp_slow_server_times_out_transiently() {
    let sink = SmtpSink::start().await;
    sink.set_delay(Duration::from_secs(3));
    let mailer = Mailer::new(&TransportConfig::Smtp {
        url: sink.url(),
        timeout: Duration::from_millis(300),
        pool_size: 1,
    })
    .unwrap();
    let err = mailer.send(&email("ada@example.org")).await.unwrap_err();
    assert!(err.is_transient(), "{err:?}");

    // The same mailer works again once the server is fast (fresh pool, no stale replies).
    sink.set_delay(Duration::ZERO);
    let mut last = None;
    for _ in 0..3 {
        match mailer.send(&email("bob@example.org")).await {
            Ok(()) => {
                last = None;
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    assert!(last.is_none(), "{last:?}");
    let got = sink.wait_for(2, Duration::from_secs(10)).await;
    assert!(got.iter().any(|m| m.is_for("bob@example.org")));
}

#[tokio::test]
async fn smtp_mailer_is_shared_across_tasks() {
    let sink = SmtpSink::start().await;
    let mailer = smtp(sink.url());
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let mailer = mailer.clone();
            tokio::spawn(async move { mailer.send(&email(&format!("u{i}@example.org"))).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(sink.wait_for(20, Duration::from_secs(10)).await.len(), 20);
}

#[tokio::test]
async fn invalid_address_is_permanent_for_every_transport() {
    let (memory, _) = Mailer::memory();
    let sink = SmtpSink::start().await;
    for mailer in [memory, smtp(sink.url())] {
        let err = mailer.send(&email("not-an-address")).await.unwrap_err();
        assert!(err.is_permanent(), "{err:?}");
    }
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn memory_transport_keeps_messages() {
    let mailer = Mailer::new(&TransportConfig::Memory).unwrap();
    let outbox = mailer.outbox().unwrap();
    mailer.send(&email("Ada <ada@example.org>")).await.unwrap();
    mailer
        .clone()
        .send(&email("bob@example.org"))
        .await
        .unwrap();
    let sent = outbox.messages();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].envelope_to, vec!["ada@example.org".to_string()]);
    assert!(sent[0].raw.contains("multipart/alternative"));
    assert!(sent[0].raw.contains("text/plain"));
    assert!(sent[0].raw.contains("text/html"));
    assert!(sent[0]
        .email
        .text_body
        .lines()
        .any(|l| l == "Verification code: 493027"));
    assert!(sent[0]
        .email
        .html_body
        .as_deref()
        .unwrap()
        .contains("493027"));
    assert_eq!(outbox.sent_to("BOB@example.org").len(), 1);

    outbox.set_failure(Some(MemoryFailure::Transient));
    assert!(mailer
        .send(&email("c@example.org"))
        .await
        .unwrap_err()
        .is_transient());
    outbox.set_failure(Some(MemoryFailure::Permanent));
    assert!(mailer
        .send(&email("c@example.org"))
        .await
        .unwrap_err()
        .is_permanent());
    outbox.set_failure(None);
    assert_eq!(outbox.take().len(), 2);
    assert!(outbox.is_empty());
}

#[tokio::test]
async fn file_transport_writes_eml_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nested/outbox");
    let mailer = Mailer::new(&TransportConfig::File { dir: out.clone() }).unwrap();
    assert!(out.is_dir(), "directory is created");
    mailer
        .send(&email("ada@example.org").with_attachment("a.txt", "text/plain", b"hi".to_vec()))
        .await
        .unwrap();
    let files: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    let path = &files[0];
    assert_eq!(path.extension().unwrap(), "eml");
    let stem = path.file_stem().unwrap().to_str().unwrap();
    assert!(uuid_like(stem), "{stem}");
    let raw = std::fs::read(path).unwrap();
    let parsed = kindred_testkit::ReceivedEmail::parse(String::new(), vec![], &raw);
    assert_eq!(parsed.subject, "Your Kindred verification code");
    assert!(parsed
        .text_body
        .unwrap()
        .lines()
        .any(|l| l == "Verification code: 493027"));
    assert!(parsed
        .html_body
        .unwrap()
        .contains("<strong>493027</strong>"));
    assert_eq!(parsed.attachments.len(), 1);
    // Private: the file 0600, the folders it created 0700.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(path), 0o600, "{}", path.display());
        assert_eq!(mode(&out), 0o700);
        assert_eq!(mode(out.parent().unwrap()), 0o700);
    }
}

fn uuid_like(s: &str) -> bool {
    s.len() == 36 && s.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

#[test]
fn bad_config_is_rejected_without_a_runtime() {
    let err = Mailer::new(&TransportConfig::Smtp {
        url: "ftp://u:pw-123@host".into(),
        timeout: Duration::from_secs(1),
        pool_size: 1,
    })
    .unwrap_err();
    assert!(!err.to_string().contains("pw-123"));
    // Constructing an SMTP mailer needs no runtime; the pool starts on first send.
    Mailer::new(&TransportConfig::Smtp {
        url: "smtps://u:pw@mail.example.org".into(),
        timeout: Duration::from_secs(1),
        pool_size: 1,
    })
    .unwrap();
}
