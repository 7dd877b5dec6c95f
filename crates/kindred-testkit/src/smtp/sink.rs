//! The server handle: a listener on its own runtime thread, the received messages and
//! the failure controls (rejected recipients, down/up on the same port, slow `DATA`).

use std::fmt;
use std::io;
use std::net::{Shutdown, SocketAddr, TcpListener as StdTcpListener};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use socket2::{Domain, SockRef, Socket, Type};
use tokio::net::TcpListener;
use tokio::runtime::Handle;
use tokio::sync::{oneshot, watch};

use super::session::handle_connection;
use super::ReceivedEmail;

/// A real SMTP server on `127.0.0.1:<random port>` that stores what it receives.
///
/// It runs on its own runtime thread, so it keeps serving even while the test thread blocks.
/// Clones share the same server; it stops when the last clone is dropped.
#[derive(Clone)]
pub struct SmtpSink {
    shared: Arc<Shared>,
    _guard: Arc<StopGuard>,
}

pub(super) struct Shared {
    port: u16,
    handle: Handle,
    pub(super) state: Mutex<State>,
    pub(super) next_id: AtomicU64,
    /// Bumped to make every open connection close (used by `set_down(true)`).
    kill: watch::Sender<u64>,
}

#[derive(Default)]
pub(super) struct State {
    pub(super) messages: Vec<ReceivedEmail>,
    pub(super) rejected: Vec<String>,
    pub(super) delay: Duration,
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

pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
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
