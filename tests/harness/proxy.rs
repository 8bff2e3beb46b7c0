//! A TCP proxy the test controls, between a phone and the server, to make the
//! network fail the way it does in a shelter basement or a hospital corridor:
//! a connection reset halfway through a request, a response cut short, an
//! answer that comes too late, or one that never comes although the server
//! did the work.
//!
//! The phone's `SyncClient` points at [`Proxy::url`]; the proxy forwards to the
//! server's address. It reads just enough HTTP/1.1 (the request and response
//! heads, `Content-Length`, chunked bodies) to know where each request and
//! response ends, so a fault set with [`Proxy::set`] applies from the next
//! request on, even on a connection the client keeps alive. Each request goes
//! to the server on a fresh upstream connection, so the proxy also survives a
//! server restart on the same port.
//!
//! Bounded: loopback only, at most [`MAX_CONNECTIONS`] client connections,
//! heads and bodies of limited size, and a log of the last
//! [`LOG_LEN`] exchanges. Dropping the proxy stops it and every connection.

use std::collections::VecDeque;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// Most client connections open at once; beyond it new ones are closed.
pub const MAX_CONNECTIONS: usize = 64;
/// Exchanges kept in the log (the oldest go first).
pub const LOG_LEN: usize = 1000;
/// Largest request or response head.
const MAX_HEAD: usize = 64 * 1024;
/// Largest request or response body.
const MAX_BODY: usize = 32 * 1024 * 1024;
/// Most body bytes an [`Exchange`] keeps.
const MAX_LOGGED_BODY: usize = 1024 * 1024;

/// What the proxy does to a request and its response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Forward both ways, untouched.
    Pass,
    /// Read the request head, send the server only part of the request, then
    /// reset both connections (RST). The server never sees a whole request, so
    /// it applies nothing.
    ResetMidRequest,
    /// Forward the whole request (the server applies it), then send the client
    /// at most this many bytes of the response, and always at least one byte
    /// short of all of it, and close.
    CutResponse(usize),
    /// Forward the whole request (the server applies it), then hold the
    /// response this long before sending it: longer than the client's request
    /// timeout, the client gives up first.
    Delay(Duration),
    /// Forward the whole request and wait for the server's answer (so the
    /// server has applied it), then close the client's connection without a
    /// byte of it: the acknowledgement is lost.
    DropResponse,
    /// Answer in the server's place with these bytes (a head and body of the
    /// test's making, whole or cut short), then close; the server never sees
    /// the request.
    Answer(Arc<[u8]>),
    /// Answer in the server's place with these bytes, then with `x` for ever,
    /// until the client goes away: a body or an event-stream line without end.
    Endless(Arc<[u8]>),
}

/// One request seen by the proxy, for the test to inspect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    pub method: String,
    /// The request target without its query.
    pub path: String,
    /// What the proxy did to it.
    pub fault: Fault,
    /// The server's status, if the server answered.
    pub status: Option<u16>,
    /// The server's response body (de-chunked; the first MiB), whether or not
    /// the client got it.
    pub body: Vec<u8>,
}

impl Exchange {
    /// The server's response body as JSON, if it is.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

#[derive(Debug)]
struct Rule {
    fault: Fault,
    /// Only requests whose path starts with this get the fault; others pass.
    path_prefix: Option<String>,
    /// Matching requests still to pass before the fault applies.
    passes: usize,
}

#[derive(Debug)]
struct Shared {
    rule: Mutex<Rule>,
    log: Mutex<VecDeque<Exchange>>,
    requests: AtomicUsize,
    faulted: AtomicUsize,
}

impl Shared {
    fn rule(&self) -> MutexGuard<'_, Rule> {
        self.rule.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn log(&self) -> MutexGuard<'_, VecDeque<Exchange>> {
        self.log.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts a request and decides its fault.
    fn admit(&self, path: &str) -> Fault {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let mut rule = self.rule();
        let mut applies = rule.path_prefix.as_deref().is_none_or(|prefix| path.starts_with(prefix));
        if applies && rule.passes > 0 {
            rule.passes -= 1;
            applies = false;
        }
        let fault = if applies { rule.fault.clone() } else { Fault::Pass };
        if fault != Fault::Pass {
            self.faulted.fetch_add(1, Ordering::SeqCst);
        }
        fault
    }

    fn record(&self, exchange: Exchange) {
        let mut log = self.log();
        if log.len() >= LOG_LEN {
            log.pop_front();
        }
        log.push_back(exchange);
    }
}

/// A running proxy. Dropping it stops it and closes every connection.
#[derive(Debug)]
pub struct Proxy {
    /// `http://127.0.0.1:<port>`: give this to the phone's `SyncClient`.
    pub url: String,
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Proxy {
    /// A proxy on a free loopback port forwarding to `upstream` (a loopback
    /// address), passing everything until told otherwise.
    pub async fn start(upstream: SocketAddr) -> io::Result<Proxy> {
        if !upstream.ip().is_loopback() {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "the proxy only forwards to loopback addresses"));
        }
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            rule: Mutex::new(Rule { fault: Fault::Pass, path_prefix: None, passes: 0 }),
            log: Mutex::new(VecDeque::new()),
            requests: AtomicUsize::new(0),
            faulted: AtomicUsize::new(0),
        });
        let task = tokio::spawn(accept(listener, upstream, Arc::clone(&shared)));
        Ok(Proxy { url: format!("http://{addr}"), addr, shared, task })
    }

    /// Applies `fault` to every request from the next one on.
    pub fn set(&self, fault: Fault) {
        *self.shared.rule() = Rule { fault, path_prefix: None, passes: 0 };
    }

    /// Applies `fault` from the next request on, only to requests whose path
    /// starts with `path_prefix` (e.g. `/v1/sync/pull`); others pass.
    pub fn set_for(&self, path_prefix: &str, fault: Fault) {
        *self.shared.rule() = Rule { fault, path_prefix: Some(path_prefix.to_owned()), passes: 0 };
    }

    /// Lets the next `passes` requests whose path starts with `path_prefix`
    /// through untouched, then applies `fault` to the ones after: to fail the
    /// second batch of a push, say.
    pub fn set_after(&self, passes: usize, path_prefix: &str, fault: Fault) {
        *self.shared.rule() = Rule { fault, path_prefix: Some(path_prefix.to_owned()), passes };
    }

    /// Requests seen so far (whole heads read), faulted or not.
    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// Requests a fault other than [`Fault::Pass`] was applied to.
    pub fn faulted(&self) -> usize {
        self.shared.faulted.load(Ordering::SeqCst)
    }

    /// The last exchanges, oldest first.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.shared.log().iter().cloned().collect()
    }

    /// Stops the proxy now (as dropping it does).
    pub fn stop(&self) {
        self.task.abort();
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Accepts client connections. The connections' tasks live in a `JoinSet`
/// owned by this task, so aborting it aborts them all.
async fn accept(listener: TcpListener, upstream: SocketAddr, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((client, _)) if connections.len() < MAX_CONNECTIONS => {
                    let _ = client.set_nodelay(true);
                    connections.spawn(serve(client, upstream, Arc::clone(&shared)));
                }
                Ok((client, _)) => drop(client),
                // Out of file descriptors, say: wait a little instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// Serves one client connection, request after request.
async fn serve(mut client: TcpStream, upstream: SocketAddr, shared: Arc<Shared>) {
    let mut from_client = Framer::default();
    loop {
        let Ok(Some(head)) = from_client.head(&mut client).await else { return };
        let fault = shared.admit(&head.path);
        let mut exchange =
            Exchange { method: head.method.clone(), path: head.path.clone(), fault: fault.clone(), status: None, body: Vec::new() };

        if fault == Fault::ResetMidRequest {
            // Half the request at most (of what already arrived): never all of it.
            let arrived = from_client.buf.len().min((head.len + head.body_len) / 2);
            let partial = from_client.buf[..arrived].to_vec();
            if let Ok(mut server) = TcpStream::connect(upstream).await {
                let _ = server.write_all(&partial).await;
                let _ = server.flush().await;
                // Let the server read the part before the reset discards it.
                tokio::time::sleep(Duration::from_millis(20)).await;
                let _ = server.set_zero_linger();
            }
            let _ = client.set_zero_linger();
            shared.record(exchange);
            return;
        }

        let Ok(request) = from_client.body(&mut client, &head).await else { return };
        if let Fault::Answer(bytes) | Fault::Endless(bytes) = &fault {
            shared.record(exchange);
            if client.write_all(bytes).await.is_err() || matches!(fault, Fault::Answer(_)) {
                let _ = client.shutdown().await;
                return;
            }
            let filler = vec![b'x'; 64 * 1024];
            while client.write_all(&filler).await.is_ok() {}
            return;
        }
        let Ok(mut server) = TcpStream::connect(upstream).await else {
            // The server is down: the client's connection ends unanswered.
            shared.record(exchange);
            return;
        };
        let _ = server.set_nodelay(true);
        if server.write_all(&request.raw).await.is_err() {
            shared.record(exchange);
            return;
        }
        let mut from_server = Framer::default();
        let response = match from_server.head(&mut server).await {
            Ok(Some(mut response_head)) => {
                response_head.set_response_body(&head.method);
                from_server.body(&mut server, &response_head).await.ok().map(|message| (response_head, message))
            }
            _ => None,
        };
        drop(server);
        let Some((response_head, response)) = response else {
            shared.record(exchange);
            return;
        };
        exchange.status = response_head.status;
        exchange.body = response.payload.iter().take(MAX_LOGGED_BODY).copied().collect();
        shared.record(exchange);

        match fault {
            Fault::Pass | Fault::ResetMidRequest | Fault::Answer(_) | Fault::Endless(_) => {}
            Fault::CutResponse(bytes) => {
                let cut = bytes.min(response.raw.len().saturating_sub(1));
                let _ = client.write_all(&response.raw[..cut]).await;
                let _ = client.shutdown().await;
                return;
            }
            Fault::Delay(hold) => tokio::time::sleep(hold).await,
            Fault::DropResponse => return,
        }
        if client.write_all(&response.raw).await.is_err() || head.close || response_head.close || response_head.until_eof {
            return;
        }
    }
}

/// A parsed message head.
#[derive(Debug, Clone)]
struct Head {
    /// Bytes of the head, with its blank line.
    len: usize,
    method: String,
    path: String,
    /// A response's status.
    status: Option<u16>,
    body_len: usize,
    chunked: bool,
    /// The body runs until the connection closes (a response with no length).
    until_eof: bool,
    close: bool,
}

impl Head {
    fn parse(bytes: &[u8]) -> io::Result<Head> {
        let text = std::str::from_utf8(bytes).map_err(|_| invalid("a head that is not UTF-8"))?;
        let mut lines = text.split("\r\n");
        let first = lines.next().unwrap_or_default();
        let mut words = first.split(' ');
        let (first_word, second_word) = (words.next().unwrap_or_default(), words.next().unwrap_or_default());
        let mut head = Head {
            len: bytes.len(),
            method: String::new(),
            path: String::new(),
            status: None,
            body_len: 0,
            chunked: false,
            until_eof: false,
            close: false,
        };
        if first_word.starts_with("HTTP/") {
            head.status = Some(second_word.parse().map_err(|_| invalid("a response without a status"))?);
        } else {
            head.method = first_word.to_owned();
            head.path = second_word.split('?').next().unwrap_or_default().to_owned();
        }
        let mut has_length = false;
        for line in lines {
            let Some((name, value)) = line.split_once(':') else { continue };
            let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_ascii_lowercase());
            match name.as_str() {
                "content-length" => {
                    head.body_len = value.parse().map_err(|_| invalid("a bad Content-Length"))?;
                    has_length = true;
                }
                "transfer-encoding" => head.chunked = value.split(',').any(|coding| coding.trim() == "chunked"),
                "connection" => head.close = value.split(',').any(|option| option.trim() == "close"),
                _ => {}
            }
        }
        if head.body_len > MAX_BODY {
            return Err(invalid("a body too large for the proxy"));
        }
        // A response with neither length nor chunking runs until close.
        head.until_eof = head.status.is_some() && !has_length && !head.chunked;
        Ok(head)
    }

    /// Adjusts a response head for the request it answers: some have no body.
    fn set_response_body(&mut self, request_method: &str) {
        let status = self.status.unwrap_or(200);
        if request_method == "HEAD" || (100..200).contains(&status) || status == 204 || status == 304 {
            self.body_len = 0;
            self.chunked = false;
            self.until_eof = false;
        }
    }
}

/// A whole message: its bytes as they came, and its body de-chunked.
#[derive(Debug)]
struct Message {
    raw: Vec<u8>,
    payload: Vec<u8>,
}

/// Reads messages off one connection, keeping bytes that arrived early (the
/// start of the next message) for the next call.
#[derive(Debug, Default)]
struct Framer {
    buf: Vec<u8>,
}

impl Framer {
    /// Reads until a whole head is buffered. `None` when the connection closes
    /// between messages.
    async fn head(&mut self, stream: &mut TcpStream) -> io::Result<Option<Head>> {
        loop {
            if let Some(end) = find(&self.buf, b"\r\n\r\n", 0) {
                return Head::parse(&self.buf[..end + 4]).map(Some);
            }
            if self.buf.len() > MAX_HEAD {
                return Err(invalid("a head too large for the proxy"));
            }
            if !self.fill(stream).await? {
                return if self.buf.is_empty() { Ok(None) } else { Err(io::ErrorKind::UnexpectedEof.into()) };
            }
        }
    }

    /// Reads the body after `head` and takes the whole message off the buffer.
    async fn body(&mut self, stream: &mut TcpStream, head: &Head) -> io::Result<Message> {
        let mut payload = Vec::new();
        let end = if head.chunked {
            let mut at = head.len;
            loop {
                let line_end = loop {
                    if let Some(end) = find(&self.buf, b"\r\n", at) {
                        break end;
                    }
                    self.more(stream).await?;
                };
                let size_text = std::str::from_utf8(&self.buf[at..line_end]).map_err(|_| invalid("a bad chunk size"))?;
                let size_text = size_text.split(';').next().unwrap_or_default().trim();
                let size = usize::from_str_radix(size_text, 16).map_err(|_| invalid("a bad chunk size"))?;
                at = line_end + 2;
                if size == 0 {
                    // Trailers, up to a blank line.
                    loop {
                        let line_end = loop {
                            if let Some(end) = find(&self.buf, b"\r\n", at) {
                                break end;
                            }
                            self.more(stream).await?;
                        };
                        let blank = line_end == at;
                        at = line_end + 2;
                        if blank {
                            break;
                        }
                    }
                    break at;
                }
                if payload.len() + size > MAX_BODY {
                    return Err(invalid("a body too large for the proxy"));
                }
                while self.buf.len() < at + size + 2 {
                    self.more(stream).await?;
                }
                payload.extend_from_slice(&self.buf[at..at + size]);
                at += size + 2;
            }
        } else if head.until_eof {
            while self.fill(stream).await? {
                if self.buf.len() > head.len + MAX_BODY {
                    return Err(invalid("a body too large for the proxy"));
                }
            }
            payload.extend_from_slice(&self.buf[head.len..]);
            self.buf.len()
        } else {
            while self.buf.len() < head.len + head.body_len {
                self.more(stream).await?;
            }
            payload.extend_from_slice(&self.buf[head.len..head.len + head.body_len]);
            head.len + head.body_len
        };
        let raw: Vec<u8> = self.buf.drain(..end).collect();
        Ok(Message { raw, payload })
    }

    /// Reads more bytes; false at the end of the stream.
    async fn fill(&mut self, stream: &mut TcpStream) -> io::Result<bool> {
        let mut chunk = [0_u8; 16 * 1024];
        let read = stream.read(&mut chunk).await?;
        self.buf.extend_from_slice(&chunk[..read]);
        Ok(read > 0)
    }

    /// Reads more bytes; the end of the stream is an error (a message was cut).
    async fn more(&mut self, stream: &mut TcpStream) -> io::Result<()> {
        if self.fill(stream).await? { Ok(()) } else { Err(io::ErrorKind::UnexpectedEof.into()) }
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|window| window == needle).map(|at| at + from)
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("the proxy read {what}"))
}
