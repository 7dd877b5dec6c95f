//! Throw-away databases for tests: a fresh PostgreSQL database per call (on a cluster started
//! once per test process, or on the server named by `KINDRED_TEST_DATABASE_URL`) and fresh
//! SQLite files.

use std::fs;
use std::io::Write;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// Environment variable naming an existing PostgreSQL server/database whose user may
/// `CREATE DATABASE`; when set, no local cluster is started.
pub const TEST_DATABASE_URL_ENV: &str = "KINDRED_TEST_DATABASE_URL";

const INSTALL_HELP: &str = "\
kindred-testkit needs PostgreSQL for this test, and found neither PostgreSQL server binaries nor
KINDRED_TEST_DATABASE_URL.

Fix it in one of two ways:
  * install the server binaries (initdb, pg_ctl, postgres, psql), e.g. on Debian/Ubuntu:
        apt-get install postgresql
    (they are looked up with `pg_config --bindir`, in /usr/lib/postgresql/*/bin and on PATH);
  * or point the tests at a server where the user may CREATE DATABASE:
        export KINDRED_TEST_DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/postgres
";

static COUNTER: AtomicU64 = AtomicU64::new(0);
static CREATE_LOCK: Mutex<()> = Mutex::new(());

enum Server {
    /// A cluster this process started.
    Local(LocalCluster),
    /// `KINDRED_TEST_DATABASE_URL`.
    External(ExternalServer),
}

struct LocalCluster {
    port: u16,
    psql: PathBuf,
}

struct ExternalServer {
    admin_url: url::Url,
    psql: PathBuf,
    /// Names of the databases created, dropped by the watchdog when the process exits.
    created_list: PathBuf,
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();

fn server() -> &'static Server {
    let server = SERVER.get_or_init(|| match std::env::var(TEST_DATABASE_URL_ENV) {
        Ok(url) if !url.trim().is_empty() => {
            ExternalServer::connect(url.trim()).map(Server::External)
        }
        _ => LocalCluster::start().map(Server::Local),
    });
    match server {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

/// The URL of a NEW, empty PostgreSQL database with a unique name. Thread-safe.
///
/// With `KINDRED_TEST_DATABASE_URL` set, databases are created on that server (and dropped
/// when the test process exits). Otherwise one throw-away cluster is started per test
/// process (`initdb` into a temp dir, `pg_ctl start` on a free port, listening on 127.0.0.1
/// only, fsync off) and stopped and deleted by a watchdog process when the test process
/// exits. Returns e.g. `postgres://postgres@127.0.0.1:PORT/kindred_test_...`.
///
/// # Panics
/// Loudly, with installation instructions, if PostgreSQL is not available; and if the
/// database cannot be created.
pub fn postgres_url_for_test() -> String {
    let name = format!(
        "kindred_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    match server() {
        Server::Local(c) => {
            let port = c.port.to_string();
            create_database(&name, || {
                let mut cmd = Command::new(&c.psql);
                cmd.args([
                    "-h",
                    "127.0.0.1",
                    "-p",
                    &port,
                    "-U",
                    "postgres",
                    "-d",
                    "postgres",
                ])
                .env("PGSSLMODE", "disable");
                cmd
            });
            format!("postgres://postgres@127.0.0.1:{}/{name}", c.port)
        }
        Server::External(s) => {
            create_database(&name, || {
                let mut cmd = Command::new(&s.psql);
                cmd.arg(s.admin_url.as_str());
                cmd
            });
            if let Ok(mut f) = fs::OpenOptions::new()
                .append(true)
                .create(true)
                .open(&s.created_list)
            {
                let _ = writeln!(f, "{name}");
            }
            let mut url = s.admin_url.clone();
            url.set_path(&format!("/{name}"));
            url.to_string()
        }
    }
}

/// A fresh SQLite database location: `(dir, "sqlite:///tmp/.../kindred.db")`. The file does
/// not exist yet; keep `dir` alive for as long as the database is used.
pub fn sqlite_url_for_test() -> (tempfile::TempDir, String) {
    let dir = tempfile::Builder::new()
        .prefix("kindred-sqlite-")
        .tempdir()
        .expect("cannot create a temporary directory for SQLite");
    let url = format!("sqlite://{}", dir.path().join("kindred.db").display());
    (dir, url)
}

/// Runs `psql ... -c 'CREATE DATABASE name'`, retrying while the template is busy.
fn create_database(name: &str, psql: impl Fn() -> Command) {
    let _guard = CREATE_LOCK.lock().unwrap_or_else(|p| p.into_inner());
    let mut last = String::new();
    for attempt in 0..20 {
        let mut cmd = psql();
        cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-c"])
            .arg(format!("CREATE DATABASE \"{name}\""))
            .env("PGCONNECT_TIMEOUT", "10")
            .stdin(Stdio::null());
        match cmd.output() {
            Ok(out) if out.status.success() => return,
            Ok(out) => {
                last = String::from_utf8_lossy(&out.stderr).into_owned();
                let busy = last.contains("being accessed by other users")
                    || last.contains("the database system is starting up");
                if !busy {
                    break;
                }
            }
            Err(e) => {
                last = format!("cannot run psql: {e}");
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(50 * (attempt + 1)));
    }
    panic!("kindred-testkit: CREATE DATABASE {name} failed: {last}");
}

fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// Directory holding `initdb`, `pg_ctl`, `psql`.
fn find_bindir() -> Option<PathBuf> {
    let complete = |d: &Path| {
        ["initdb", "pg_ctl", "postgres"]
            .iter()
            .all(|b| is_executable(&d.join(b)))
    };
    if let Ok(out) = Command::new("pg_config")
        .arg("--bindir")
        .stderr(Stdio::null())
        .output()
    {
        if out.status.success() {
            let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
            if complete(&dir) {
                return Some(dir);
            }
        }
    }
    // Debian/Ubuntu layout; the highest version first.
    if let Ok(entries) = fs::read_dir("/usr/lib/postgresql") {
        let mut versions: Vec<(u32, PathBuf)> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let v: u32 = e.file_name().to_str()?.split('.').next()?.parse().ok()?;
                Some((v, e.path().join("bin")))
            })
            .filter(|(_, d)| complete(d))
            .collect();
        versions.sort();
        if let Some((_, dir)) = versions.pop() {
            return Some(dir);
        }
    }
    std::env::var_os("PATH").and_then(|path| std::env::split_paths(&path).find(|d| complete(d)))
}

fn find_psql(bindir: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = bindir.map(|d| d.join("psql")).filter(|p| is_executable(p)) {
        return Some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("psql"))
        .find(|p| is_executable(p))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn describe(what: &str, out: &Output) -> String {
    format!(
        "{what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

impl LocalCluster {
    fn start() -> Result<LocalCluster, String> {
        let bindir = find_bindir().ok_or_else(|| format!("\n\n{INSTALL_HELP}"))?;
        let psql = find_psql(Some(&bindir)).ok_or_else(|| {
            format!(
                "\n\nfound PostgreSQL in {} but no psql.\n{INSTALL_HELP}",
                bindir.display()
            )
        })?;
        let root = is_root();

        let base = tempfile::Builder::new()
            .prefix("kindred-pg-")
            .tempdir()
            .map_err(|e| format!("cannot create a temporary directory: {e}"))?
            .keep();
        let data = base.join("data");
        let sock = base.join("sock");
        let log = base.join("postgres.log");
        for d in [&data, &sock] {
            fs::create_dir(d).map_err(|e| format!("cannot create {}: {e}", d.display()))?;
        }

        // Clean up even if start-up fails half-way or the process is killed.
        spawn_watchdog(&base, &bindir, root)?;

        if root {
            // initdb and postgres refuse to run as root: run them as `postgres`.
            let out = Command::new("chown")
                .args(["-R", "postgres:"])
                .arg(&base)
                .output()
                .map_err(|e| format!("cannot run chown: {e}"))?;
            if !out.status.success() {
                return Err(format!(
                    "running as root, so the throw-away PostgreSQL cluster must run as the \
                     `postgres` user, but {}\n{INSTALL_HELP}",
                    describe("chown -R postgres:", &out)
                ));
            }
        }
        let as_pg = |program: PathBuf| -> Command {
            if root {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(program);
                c
            } else {
                Command::new(program)
            }
        };

        let mut initdb_err = String::new();
        let mut initialised = false;
        for locale in ["C.UTF-8", "C"] {
            let out = as_pg(bindir.join("initdb"))
                .arg("-D")
                .arg(&data)
                .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"])
                .arg(format!("--locale={locale}"))
                .stdin(Stdio::null())
                .output()
                .map_err(|e| format!("cannot run initdb: {e}"))?;
            if out.status.success() {
                initialised = true;
                break;
            }
            initdb_err = describe("initdb", &out);
            // initdb leaves the (now non-empty) directory behind on failure.
            let _ = as_pg(PathBuf::from("sh"))
                .arg("-c")
                .arg("rm -rf \"$1\"/* \"$1\"/.[!.]*")
                .arg("sh")
                .arg(&data)
                .output();
        }
        if !initialised {
            return Err(initdb_err);
        }

        let mut start_err = String::new();
        for _ in 0..5 {
            let port = free_port()?;
            let options = format!(
                "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
                 -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
                sock.display()
            );
            let out = as_pg(bindir.join("pg_ctl"))
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(&log)
                .args(["-o", &options, "-w", "-t", "60", "start"])
                .stdin(Stdio::null())
                .output()
                .map_err(|e| format!("cannot run pg_ctl: {e}"))?;
            if out.status.success() {
                return Ok(LocalCluster { port, psql });
            }
            start_err = format!(
                "{}\n--- {} ---\n{}",
                describe("pg_ctl start", &out),
                log.display(),
                fs::read_to_string(&log).unwrap_or_default()
            );
        }
        Err(start_err)
    }
}

/// A detached `sh` that waits for this process to exit, then stops the cluster and deletes
/// its directory.
fn spawn_watchdog(base: &Path, bindir: &Path, root: bool) -> Result<(), String> {
    let script = r#"
while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
if [ -f "$2/data/postmaster.pid" ]; then
  if [ "$4" = root ]; then
    runuser -u postgres -- "$3/pg_ctl" -D "$2/data" -m immediate -w -t 30 stop
  else
    "$3/pg_ctl" -D "$2/data" -m immediate -w -t 30 stop
  fi
fi
rm -rf "$2"
"#;
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg("kindred-pg-watchdog")
        .arg(std::process::id().to_string())
        .arg(base)
        .arg(bindir)
        .arg(if root { "root" } else { "user" })
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // Own process group: a Ctrl-C aimed at `cargo test` does not kill the watchdog
        // before it has cleaned up.
        .process_group(0)
        .spawn()
        .map(|_| ())
        .map_err(|e| format!("cannot spawn the cluster watchdog: {e}"))
}

impl ExternalServer {
    fn connect(raw: &str) -> Result<ExternalServer, String> {
        let admin_url = url::Url::parse(raw).map_err(|e| {
            format!("{TEST_DATABASE_URL_ENV} is not a valid URL ({e}); expected postgres://USER:PASSWORD@HOST:PORT/DB")
        })?;
        if !matches!(admin_url.scheme(), "postgres" | "postgresql") {
            return Err(format!(
                "{TEST_DATABASE_URL_ENV} must start with postgres:// or postgresql://"
            ));
        }
        let psql = find_psql(find_bindir().as_deref()).ok_or_else(|| {
            format!(
                "{TEST_DATABASE_URL_ENV} is set but psql was not found; install the PostgreSQL \
                 client (Debian/Ubuntu: apt-get install postgresql-client)"
            )
        })?;
        let list = tempfile::Builder::new()
            .prefix("kindred-test-dbs-")
            .tempfile()
            .map_err(|e| format!("cannot create a temporary file: {e}"))?;
        let (_, created_list) = list
            .keep()
            .map_err(|e| format!("cannot keep a temporary file: {e}"))?;
        let script = r#"
while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
while read -r db; do
  [ -n "$db" ] && "$3" "$4" -X -q -c "DROP DATABASE IF EXISTS \"$db\"" </dev/null
done < "$2"
rm -f "$2"
"#;
        Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg("kindred-db-watchdog")
            .arg(std::process::id().to_string())
            .arg(&created_list)
            .arg(&psql)
            .arg(admin_url.as_str())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot spawn the database watchdog: {e}"))?;
        Ok(ExternalServer {
            admin_url,
            psql,
            created_list,
        })
    }
}
