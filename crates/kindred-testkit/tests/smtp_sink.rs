//! The SMTP sink, exercised with lettre as a real client.
#![allow(clippy::unwrap_used)] // test helpers

use std::time::Duration;

use kindred_testkit::SmtpSink;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, MultiPart, SinglePart};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

fn transport(sink: &SmtpSink) -> AsyncSmtpTransport<Tokio1Executor> {
    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(sink.port())
        .timeout(Some(Duration::from_secs(5)))
        .pool_config(PoolConfig::new().max_size(8))
        .build()
}

fn message(to: &str, subject: &str) -> Message {
    Message::builder()
        .from("Kindred <noreply@kindred.test>".parse().unwrap())
        .to(to.parse().unwrap())
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(format!("Hello {to}\n.leading dot line\n"))
        .unwrap()
}

#[tokio::test]
async fn receives_text_html_and_attachment() {
    let sink = SmtpSink::start().await;
    assert_eq!(sink.url(), format!("smtp://127.0.0.1:{}", sink.port()));
    let ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n".to_vec();
    let email = Message::builder()
        .from("Kindred <noreply@kindred.test>".parse().unwrap())
        .to("Ada <ada@example.org>".parse().unwrap())
        .subject("Your introduction – café ☕")
        .raw_header(lettre::message::header::HeaderValue::new(
            lettre::message::header::HeaderName::new_from_ascii_str("List-Unsubscribe"),
            "<https://kindred.test/unsubscribe/abc>".into(),
        ))
        .multipart(
            MultiPart::mixed()
                .multipart(
                    MultiPart::alternative()
                        .singlepart(SinglePart::plain(
                            "Plain text\n.starts with a dot\n".to_string(),
                        ))
                        .singlepart(SinglePart::html("<p>HTML <b>text</b></p>".to_string())),
                )
                .singlepart(Attachment::new("invite.ics".into()).body(
                    ics.clone(),
                    "text/calendar; method=REQUEST".parse().unwrap(),
                )),
        )
        .unwrap();
    transport(&sink).send(email).await.unwrap();

    let got = sink.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert_eq!(m.mail_from, "noreply@kindred.test");
    assert_eq!(m.rcpt_to, vec!["ada@example.org".to_string()]);
    assert!(m.is_for("ADA@example.org"));
    assert_eq!(m.subject, "Your introduction – café ☕");
    let text = m.text_body.as_deref().unwrap();
    assert!(text.contains("Plain text"), "{text:?}");
    assert!(
        text.contains("\n.starts with a dot"),
        "dot-unstuffing: {text:?}"
    );
    assert_eq!(m.html_body.as_deref(), Some("<p>HTML <b>text</b></p>"));
    assert_eq!(
        m.header("list-unsubscribe"),
        Some("<https://kindred.test/unsubscribe/abc>")
    );
    assert!(m.header("Date").is_some());
    assert_eq!(m.attachments.len(), 1);
    let (name, ctype, bytes) = &m.attachments[0];
    assert_eq!(name, "invite.ics");
    assert_eq!(ctype, "text/calendar");
    assert_eq!(bytes, &ics);
    assert!(m.raw.contains("multipart/mixed"));
}

#[tokio::test]
async fn many_concurrent_messages_over_the_pool() {
    let sink = SmtpSink::start().await;
    let t = transport(&sink);
    let mut tasks = Vec::new();
    for i in 0..40 {
        let t = t.clone();
        tasks.push(tokio::spawn(async move {
            t.send(message(&format!("user{i}@example.org"), &format!("n{i}")))
                .await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let got = sink.wait_for(40, Duration::from_secs(10)).await;
    assert_eq!(got.len(), 40);
    assert_eq!(sink.messages_to("user7@example.org").len(), 1);
    assert!(sink.connections_accepted() >= 1);
    sink.clear();
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn rejected_recipient_gets_550() {
    let sink = SmtpSink::start().await;
    sink.reject_recipient("Bounce");
    let err = transport(&sink)
        .send(message("will.bounce@example.org", "x"))
        .await
        .unwrap_err();
    assert!(err.is_permanent(), "{err}");
    assert_eq!(err.status().map(|c| c.to_string()), Some("550".into()));
    transport(&sink)
        .send(message("fine@example.org", "ok"))
        .await
        .unwrap();
    let got = sink.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].rcpt_to, vec!["fine@example.org".to_string()]);
    sink.clear_rejections();
    transport(&sink)
        .send(message("will.bounce@example.org", "x"))
        .await
        .unwrap();
}

#[tokio::test]
async fn down_refuses_then_comes_back_on_the_same_port() {
    let sink = SmtpSink::start().await;
    let port = sink.port();
    let t = transport(&sink);
    t.send(message("a@example.org", "before")).await.unwrap();

    sink.set_down(true);
    assert!(sink.is_down());
    let refused = tokio::net::TcpStream::connect(("127.0.0.1", port)).await;
    assert_eq!(
        refused.unwrap_err().kind(),
        std::io::ErrorKind::ConnectionRefused
    );
    // The pooled connection was dropped too, so sending fails.
    let err = t
        .send(message("a@example.org", "during"))
        .await
        .unwrap_err();
    assert!(!err.is_permanent(), "{err}");

    sink.set_down(false);
    assert!(!sink.is_down());
    assert_eq!(sink.port(), port);
    // A fresh transport and the old pool both work again (the pool may need one retry to
    // notice its dead connection).
    transport(&sink)
        .send(message("a@example.org", "after"))
        .await
        .unwrap();
    if t.send(message("a@example.org", "after2")).await.is_err() {
        t.send(message("a@example.org", "after2")).await.unwrap();
    }
    let subjects: Vec<String> = sink
        .wait_for(3, Duration::from_secs(5))
        .await
        .into_iter()
        .map(|m| m.subject)
        .collect();
    assert_eq!(subjects, vec!["before", "after", "after2"]);

    // Down/up twice more, to be sure the port can be re-bound repeatedly.
    for _ in 0..2 {
        sink.set_down(true);
        sink.set_down(false);
    }
    transport(&sink)
        .send(message("a@example.org", "again"))
        .await
        .unwrap();
}

#[tokio::test]
async fn delay_slows_data() {
    let sink = SmtpSink::start().await;
    sink.set_delay(Duration::from_millis(300));
    let start = std::time::Instant::now();
    transport(&sink)
        .send(message("a@example.org", "slow"))
        .await
        .unwrap();
    assert!(start.elapsed() >= Duration::from_millis(300));
}

#[test]
fn works_without_a_runtime_and_wait_for_panics_clearly() {
    let sink = SmtpSink::start_blocking();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        transport(&sink)
            .send(message("b@example.org", "hello"))
            .await
            .unwrap();
    });
    let got = sink.wait_for_blocking(1, Duration::from_secs(5));
    assert_eq!(got[0].subject, "hello");
    assert_eq!(
        got[0].text_body.as_deref(),
        Some("Hello b@example.org\n.leading dot line\n\n")
    );

    let clone = sink.clone();
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        clone.wait_for_blocking(2, Duration::from_millis(100));
    }))
    .unwrap_err();
    let msg = panic.downcast_ref::<String>().unwrap();
    assert!(msg.contains("expected at least 2 message(s)"), "{msg}");
    assert!(msg.contains("but 1 arrived"), "{msg}");
    assert!(msg.contains("\"hello\""), "{msg}");
}

#[tokio::test]
async fn raw_protocol_commands() {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let sink = SmtpSink::start().await;
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", sink.port()))
        .await
        .unwrap();
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    let mut line = String::new();
    let mut expect = async |prefix: &str, r: &mut BufReader<_>| {
        loop {
            line.clear();
            r.read_line(&mut line).await.unwrap();
            if line.as_bytes().get(3) != Some(&b'-') {
                break;
            }
        }
        assert!(line.starts_with(prefix), "expected {prefix}, got {line:?}");
    };
    expect("220", &mut r).await;
    for (cmd, reply) in [
        ("HELO client\r\n", "250"),
        ("RCPT TO:<x@y>\r\n", "503"),
        ("MAIL FROM:<s@example.org>\r\n", "250"),
        ("DATA\r\n", "503"),
        ("RCPT TO:<r@example.org>\r\n", "250"),
        ("RSET\r\n", "250"),
        ("DATA\r\n", "503"),
        ("NOOP\r\n", "250"),
        ("MAIL FROM:<s@example.org>\r\n", "250"),
        ("RCPT TO:<r@example.org>\r\n", "250"),
        ("DATA\r\n", "354"),
        ("Subject: raw\r\n\r\n..dot\r\nbody\r\n.\r\n", "250"),
        ("BOGUS\r\n", "502"),
        ("QUIT\r\n", "221"),
    ] {
        w.write_all(cmd.as_bytes()).await.unwrap();
        expect(reply, &mut r).await;
    }
    let got = sink.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(got[0].raw, "Subject: raw\r\n\r\n.dot\r\nbody\r\n");
    assert_eq!(got[0].subject, "raw");
}
