//! The browser harness (`kindred_testkit::Browser`) tested on its own, before the web app's
//! tests rely on it: two tiny pages from a throw-away HTTP server with the app's kind of
//! strict Content-Security-Policy. axe-core must load despite the CSP, pass the accessible
//! page and name exactly the three problems planted in the other; the window must go down to
//! 320 px; Tab must move focus; screenshots must be PNGs; cookies must be readable (HttpOnly,
//! SameSite) and deletable.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use kindred_testkit::Browser;

const CSP: &str = "default-src 'none'; style-src 'self'";

const GOOD: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Accessible page</title>
<link rel="stylesheet" href="/style.css">
<script>document.title = 'inline script ran';</script>
</head>
<body>
<header><nav aria-label="Main"><a id="home" href="/good">Home</a></nav></header>
<main>
<h1>Accessible page</h1>
<p>Dark text on white, every control labelled.</p>
<form action="/good" method="get">
<label for="name">Your name</label>
<input id="name" name="name" type="text" autocomplete="name">
<label><input id="agree" name="agree" type="checkbox" value="yes"> I agree</label>
<button id="send" type="submit">Send</button>
</form>
</main>
</body>
</html>
"#;

const BAD: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inaccessible page</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<main>
<h1>Inaccessible page</h1>
<img src="/photo.png" width="40" height="40">
<input id="q" type="text">
<p class="faint">Very light grey text on white.</p>
<div class="wide">A box wider than a phone.</div>
</main>
</body>
</html>
"#;

const STYLE: &str =
    "body { color: #1a1a1a; background: #fff; font: 16px/1.5 sans-serif; margin: 1rem; }
.faint { color: #d8d8d8; }
.wide { width: 600px; }
:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; }
";

/// A page of its own that says whether the `kindred_probe` cookie came with the request.
fn cookie_page(sent: bool) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Cookie</title></head>\
         <body><main><h1>Cookie</h1><p id=\"sent\">{}</p></main></body></html>",
        if sent { "cookie sent" } else { "no cookie" }
    )
}

/// Serves the pages above on 127.0.0.1:0 until the test process ends; one thread per
/// connection, since Chromium opens spare connections it may never use.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer(stream));
        }
    });
    base
}

fn answer(mut stream: TcpStream) {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() || request_line.is_empty() {
        return;
    }
    let mut probe_cookie = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if lower.starts_with("cookie:") && lower.contains("kindred_probe=") {
            probe_cookie = true;
        }
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split('?').next().unwrap_or("/");
    let html = "text/html; charset=utf-8";
    let (status, content_type, body, extra) = match path {
        "/good" => (
            "200 OK",
            html,
            GOOD.to_string(),
            "Set-Cookie: kindred_probe=abc123; Path=/; HttpOnly; SameSite=Strict\r\n\
             Set-Cookie: visible=1; Path=/; SameSite=Lax\r\n",
        ),
        "/bad" => ("200 OK", html, BAD.to_string(), ""),
        "/cookie" => ("200 OK", html, cookie_page(probe_cookie), ""),
        "/style.css" => ("200 OK", "text/css", STYLE.to_string(), ""),
        _ => ("404 Not Found", "text/plain", "not found".to_string(), ""),
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Content-Security-Policy: {CSP}\r\nCache-Control: no-store\r\n{extra}Connection: close\r\n\r\n{body}",
        body.len()
    );
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert_eq!(&png[12..16], b"IHDR", "a PNG starts with IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

#[tokio::test]
async fn axe_runs_under_a_strict_csp_passes_a_clean_page_and_names_each_violation() {
    let started = Instant::now();
    let base = serve();
    let browser = Browser::start().await;

    browser.goto(&format!("{base}/good")).await;
    assert_eq!(
        browser.title().await,
        "Accessible page",
        "the CSP is in force: the inline script did not run"
    );
    let violations = browser.axe().await;
    assert!(
        violations.is_empty(),
        "the accessible page has no violations:\n{}",
        kindred_testkit::browser::axe_report(&violations)
    );
    browser
        .assert_no_axe_violations("the accessible page")
        .await;

    browser.goto(&format!("{base}/bad")).await;
    let violations = browser.axe().await;
    let mut ids: Vec<&str> = violations.iter().map(|v| v.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        ["color-contrast", "image-alt", "label"],
        "exactly the planted problems:\n{}",
        kindred_testkit::browser::axe_report(&violations)
    );
    let find = |id: &str| violations.iter().find(|v| v.id == id).unwrap();
    assert!(find("image-alt").nodes[0].html.starts_with("<img"));
    assert_eq!(find("label").nodes[0].target[0], "#q");
    assert!(find("color-contrast").nodes[0]
        .html
        .contains("class=\"faint\""));
    assert!(find("label").help_url.starts_with("https://"));

    // The assertion's message names each rule and element.
    let message = browser
        .check_axe("the bad page")
        .await
        .expect_err("the bad page fails the check");
    for expected in [
        "found 3 violation(s) on the bad page",
        "- image-alt (critical)",
        "- label (critical)",
        "at #q: <input id=\"q\" type=\"text\">",
        "- color-contrast (serious)",
        "<p class=\"faint\">",
    ] {
        assert!(message.contains(expected), "{expected:?} in:\n{message}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn keyboard_forms_narrow_windows_screenshots_and_cookies() {
    let started = Instant::now();
    let base = serve();
    let browser = Browser::start().await;
    browser.goto(&format!("{base}/good")).await;

    // Keyboard: Tab walks the focusable elements in document order, Shift+Tab goes back.
    assert_eq!(browser.focused_element().await.tag, "body");
    let mut order = Vec::new();
    for _ in 0..4 {
        browser.press_tab().await;
        order.push(browser.focused_element().await);
    }
    let ids: Vec<_> = order
        .iter()
        .map(|f| f.id.clone().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["home", "name", "agree", "send"]);
    assert_eq!(order[0].text, "Home");
    assert_eq!(order[1].label.as_deref(), Some("Your name"));
    assert_eq!(order[2].label.as_deref(), Some("I agree"));
    assert!(order.iter().all(|f| f.focus_visible), "{order:?}");
    browser.press_shift_tab().await;
    assert_eq!(browser.focused_element().await.id.as_deref(), Some("agree"));
    browser.press_space().await;
    let agree = browser.by_id("agree").await;
    assert_eq!(
        agree.prop("checked").await.unwrap().as_deref(),
        Some("true")
    );

    // Typing into the focused field, then filling by label, then submitting by click.
    browser.press_shift_tab().await;
    browser.type_text("Grace").await;
    let name = browser.by_label("Your name").await;
    assert_eq!(browser.value_of(&name).await, "Grace");
    browser.fill_label("Your name", "Ada Lovelace").await;
    assert_eq!(browser.value_of(&name).await, "Ada Lovelace");
    browser.click_button("Send").await;
    // The click starts the navigation; under load it may not have finished.
    let mut url = browser.url().await;
    for _ in 0..100 {
        if url.contains('?') {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        url = browser.url().await;
    }
    assert!(
        url.ends_with("/good?name=Ada+Lovelace&agree=yes"),
        "the form was submitted: {url}"
    );

    // 320 px: the viewport is exactly that wide, the clean page fits, the wide box does not.
    browser.set_window_width(320).await;
    assert_eq!(browser.viewport().await.0, 320);
    assert_eq!(browser.horizontal_overflow().await, 0);
    let dir = tempfile::tempdir().unwrap();
    let shot = dir.path().join("nested/good-320.png");
    browser.screenshot_png(&shot).await;
    let (width, height) = png_size(&std::fs::read(&shot).unwrap());
    assert_eq!(width, 320, "the screenshot is as wide as the viewport");
    assert!(height > 100);
    browser.goto(&format!("{base}/bad")).await;
    assert!(
        browser.horizontal_overflow().await > 0,
        "a 600 px box overflows 320 px"
    );
    let full = dir.path().join("bad-full.png");
    browser.screenshot_full_page_png(&full).await;
    assert_eq!(png_size(&std::fs::read(&full).unwrap()).0, 320);
    browser.set_window_width(1024).await;
    assert_eq!(browser.horizontal_overflow().await, 0);

    // Cookies: HttpOnly and SameSite as the browser stored them; deleting one stops it
    // being sent.
    browser.goto(&format!("{base}/good")).await;
    let probe = browser.cookie("kindred_probe").await.expect("cookie set");
    assert_eq!(probe.value, "abc123");
    assert!(probe.http_only && !probe.secure);
    assert_eq!(probe.same_site.as_deref(), Some("Strict"));
    assert_eq!(probe.path.as_deref(), Some("/"));
    assert_eq!(probe.expires, None, "a session cookie");
    let visible = browser.cookie("visible").await.expect("second cookie");
    assert!(!visible.http_only);
    assert_eq!(visible.same_site.as_deref(), Some("Lax"));
    let script_sees = browser.eval("return document.cookie;").await;
    assert_eq!(
        script_sees, "visible=1",
        "scripts cannot read an HttpOnly cookie"
    );
    browser.goto(&format!("{base}/cookie")).await;
    assert_eq!(
        browser.by_id("sent").await.text().await.unwrap(),
        "cookie sent"
    );
    browser.delete_cookie("kindred_probe").await;
    assert!(browser.cookie("kindred_probe").await.is_none());
    browser.goto(&format!("{base}/cookie")).await;
    assert_eq!(browser.text().await.lines().last(), Some("no cookie"));
    browser.close().await;
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
}
