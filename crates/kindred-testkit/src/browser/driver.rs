//! The `chromedriver` process of one [`Browser`](super::Browser): found, checked, started on a
//! free port in its own process group, and killed (with the Chromium it started) on drop or,
//! if the test process dies first, by a watchdog.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian's `chromium` package puts the browser.
pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";
/// Where Debian's `chromium-driver` package puts the driver.
pub(crate) const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Overrides for other machines (e.g. a Chromium outside /usr/bin).
pub const CHROMIUM_ENV: &str = "KINDRED_CHROMIUM";
pub const CHROMEDRIVER_ENV: &str = "KINDRED_CHROMEDRIVER";

pub(crate) const APT_HELP: &str = "apt-get install chromium chromium-driver";
pub(crate) const NPM_HELP: &str = "npm ci --prefix tests/browser";

/// The repository root (this crate is `crates/kindred-testkit`).
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/kindred-testkit has a workspace root two levels up")
        .to_path_buf()
}

/// `tests/browser/node_modules/axe-core/axe.min.js`, pinned by `tests/browser/package-lock.json`.
pub(crate) fn axe_script_path() -> PathBuf {
    workspace_root().join("tests/browser/node_modules/axe-core/axe.min.js")
}

/// The browser, driver and axe-core paths, or one message naming every missing piece and the
/// exact command that installs it.
pub(crate) struct Tools {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
    pub axe: PathBuf,
}

impl Tools {
    /// The default paths (or the environment's overrides), checked.
    pub fn find() -> Result<Tools, String> {
        Self::check(
            tool_path(CHROMIUM_ENV, CHROMIUM),
            tool_path(CHROMEDRIVER_ENV, CHROMEDRIVER),
            axe_script_path(),
        )
    }

    pub fn check(chromium: PathBuf, chromedriver: PathBuf, axe: PathBuf) -> Result<Tools, String> {
        let mut missing = Vec::new();
        if !chromium.is_file() {
            missing.push(format!(
                "  * Chromium ({}): install Debian's packages as root:\n        {APT_HELP}\n    (or set {CHROMIUM_ENV} to a Chromium binary)",
                chromium.display()
            ));
        }
        if !chromedriver.is_file() {
            missing.push(format!(
                "  * chromedriver ({}): install Debian's packages as root:\n        {APT_HELP}\n    (or set {CHROMEDRIVER_ENV} to a chromedriver of the same version as Chromium)",
                chromedriver.display()
            ));
        }
        if !axe.is_file() {
            missing.push(format!(
                "  * axe-core ({}): install the pinned npm packages from the repository root:\n        {NPM_HELP}",
                axe.display()
            ));
        }
        if missing.is_empty() {
            Ok(Tools {
                chromium,
                chromedriver,
                axe,
            })
        } else {
            Err(format!(
                "the browser tests need Chromium, chromedriver and axe-core, and these are missing:\n{}\n\
                 `.ci/run` installs all of them on a fresh Debian/Ubuntu machine.",
                missing.join("\n")
            ))
        }
    }
}

fn tool_path(env: &str, default: &str) -> PathBuf {
    match std::env::var_os(env) {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(default),
    }
}

/// A running `chromedriver`. Dropping it ends the WebDriver session (which quits Chromium)
/// and kills the driver's whole process group.
pub(crate) struct Driver {
    child: Child,
    pub addr: SocketAddr,
    pub log: PathBuf,
    /// Set once a session exists, so that drop can end it.
    pub session: Option<String>,
}

impl Driver {
    /// Starts `chromedriver` on a free 127.0.0.1 port and waits until it answers `/status`.
    pub fn start(chromedriver: &Path, log: PathBuf) -> Result<Driver, String> {
        let mut last_error = String::new();
        // A port picked by binding :0 can be taken again before chromedriver binds it: retry.
        for _ in 0..3 {
            let port = free_port()?;
            let child = Command::new(chromedriver)
                .arg(format!("--port={port}"))
                .arg("--allowed-ips=127.0.0.1")
                .arg(format!("--log-path={}", log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                // Own process group: Chromium and its helpers join it, and drop kills them all.
                .process_group(0)
                .spawn()
                .map_err(|e| format!("cannot start {}: {e}", chromedriver.display()))?;
            let mut driver = Driver {
                child,
                addr: SocketAddr::from(([127, 0, 0, 1], port)),
                log: log.clone(),
                session: None,
            };
            spawn_watchdog(driver.child.id());
            match driver.wait_ready(Duration::from_secs(15)) {
                Ok(()) => return Ok(driver),
                Err(e) => last_error = e, // drop kills this attempt
            }
        }
        Err(last_error)
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn wait_ready(&mut self, limit: Duration) -> Result<(), String> {
        let deadline = Instant::now() + limit;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "chromedriver exited at start ({status}); its log:\n{}",
                    self.log_tail()
                ));
            }
            if let Ok(body) = http(self.addr, "GET", "/status") {
                if body.contains("\"ready\":true") || body.contains("\"ready\": true") {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "chromedriver did not become ready on {} within {limit:?}; its log:\n{}",
                    self.addr,
                    self.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The last lines of chromedriver's log, for failure messages.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            // Blocking on purpose: drop cannot await, and the test's runtime may be gone.
            let _ = http(self.addr, "DELETE", &format!("/session/{session}"));
        }
        kill_group(self.child.id());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free local port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("no free local port: {e}"))
}

/// `kill -s KILL -- -PGID`: the driver, Chromium and Chromium's helpers.
fn kill_group(pgid: u32) {
    let _ = Command::new("kill")
        .args(["-s", "KILL", "--", &format!("-{pgid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Kills the driver's process group when this test process exits without dropping the
/// [`Driver`] (killed, or aborted), so no Chromium outlives the test run.
fn spawn_watchdog(pgid: u32) {
    let script = r#"
while kill -s 0 "$1" 2>/dev/null && kill -s 0 -- "-$2" 2>/dev/null; do sleep 1; done
kill -s KILL -- "-$2" 2>/dev/null
exit 0
"#;
    let _ = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg("kindred-browser-watchdog")
        .arg(std::process::id().to_string())
        .arg(pgid.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn();
}

/// A minimal blocking HTTP/1.1 exchange with chromedriver; returns the response body.
/// chromedriver keeps the connection open whatever the request says, so the body is read
/// by its `Content-Length`.
pub(crate) fn http(addr: SocketAddr, method: &str, path: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(String::from_utf8_lossy(&body).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_tools_are_named_with_the_command_that_installs_them() {
        let dir = tempfile::tempdir().unwrap();
        let none = |name: &str| dir.path().join(name);
        let e = Tools::check(none("chromium"), none("chromedriver"), none("axe.min.js"))
            .err()
            .unwrap();
        assert!(
            e.contains(&format!("Chromium ({})", none("chromium").display())),
            "{e}"
        );
        assert!(e.contains("chromedriver ("), "{e}");
        assert!(e.contains("axe-core ("), "{e}");
        assert!(
            e.contains("        apt-get install chromium chromium-driver\n"),
            "{e}"
        );
        assert!(e.contains("        npm ci --prefix tests/browser"), "{e}");

        let present = dir.path().join("present");
        std::fs::write(&present, "").unwrap();
        let e = Tools::check(present.clone(), present.clone(), none("axe.min.js"))
            .err()
            .unwrap();
        assert!(!e.contains("apt-get"), "only what is missing is named: {e}");
        assert!(e.contains("npm ci --prefix tests/browser"), "{e}");
        assert!(Tools::check(present.clone(), present.clone(), present).is_ok());
    }
}
