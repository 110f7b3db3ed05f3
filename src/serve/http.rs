//! A small HTTP/1.1 server over std::net for `rstat serve`: one request per connection
//! (`Connection: close`), GET and HEAD only, optional TLS (rustls).
//!
//! Hand-written rather than a framework because an exporter answers two paths and must stay
//! small and bounded: the request head is at most [`Limits::max_request_bytes`], a connection
//! gets [`Limits::timeout`] in all to send its request and read the answer (a slow or silent
//! client is dropped), and at most [`Limits::max_connections`] are served at once (the rest
//! get 503 at once and are closed), so no client can exhaust memory, threads or time.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Bounds on what one client may use.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_connections: usize,
    pub max_request_bytes: usize,
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 16,
            max_request_bytes: 8 * 1024,
            timeout: Duration::from_secs(10),
        }
    }
}

/// What a handler sees of a request.
#[derive(Debug, Default)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub extra_headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(status: u16, body: &str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            extra_headers: Vec::new(),
            body: body.as_bytes().to_vec(),
        }
    }
}

pub type Handler = dyn Fn(&Request) -> Response + Send + Sync;

/// Serves `listener` forever.
pub fn serve(
    listener: TcpListener,
    handler: Arc<Handler>,
    tls: Option<Arc<rustls::ServerConfig>>,
    limits: Limits,
) -> io::Result<()> {
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if active.fetch_add(1, Ordering::SeqCst) >= limits.max_connections {
            active.fetch_sub(1, Ordering::SeqCst);
            refuse_busy(stream, tls.is_some());
            continue;
        }
        let (handler, tls, slot) = (Arc::clone(&handler), tls.clone(), Arc::clone(&active));
        let spawned = std::thread::Builder::new()
            .name("rstat-serve-conn".into())
            .spawn(move || {
                let _ = handle(stream, &*handler, tls, limits);
                slot.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // No thread to serve it: the stream was moved into the failed closure and is
            // closed; the slot is given back here.
            active.fetch_sub(1, Ordering::SeqCst);
        }
    }
    Ok(())
}

/// Too many connections: a plain-text 503 (over TCP only; a TLS client just sees the close).
fn refuse_busy(mut stream: TcpStream, tls: bool) {
    if !tls {
        let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
        let _ = stream.write_all(
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
    }
}

fn handle(
    stream: TcpStream,
    handler: &Handler,
    tls: Option<Arc<rustls::ServerConfig>>,
    limits: Limits,
) -> io::Result<()> {
    let deadline = Instant::now() + limits.timeout;
    stream.set_read_timeout(Some(limits.timeout))?;
    stream.set_write_timeout(Some(limits.timeout))?;
    match tls {
        None => exchange(DeadlineStream { stream, deadline }, handler, limits),
        Some(config) => {
            let connection = rustls::ServerConnection::new(config).map_err(io::Error::other)?;
            let stream = rustls::StreamOwned::new(connection, DeadlineStream { stream, deadline });
            exchange(stream, handler, limits)
        }
    }
}

/// A TCP stream whose reads and writes may not go on past one deadline in all.
struct DeadlineStream {
    stream: TcpStream,
    deadline: Instant,
}

impl DeadlineStream {
    fn arm(&self) -> io::Result<()> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "connection deadline",
            ));
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.set_write_timeout(Some(left))
    }
}

impl Read for DeadlineStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.arm()?;
        self.stream.read(buf)
    }
}

impl Write for DeadlineStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.arm()?;
        self.stream.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

fn exchange<S: Read + Write>(mut stream: S, handler: &Handler, limits: Limits) -> io::Result<()> {
    let response = match read_head(&mut stream, limits.max_request_bytes)? {
        Head::Complete(head) => match parse_head(&head) {
            Some(request) if request.method == "GET" || request.method == "HEAD" => {
                let head_only = request.method == "HEAD";
                let response = handler(&request);
                return write_response(&mut stream, &response, head_only);
            }
            Some(_) => Response::text(405, "only GET and HEAD\n"),
            None => Response::text(400, "malformed request\n"),
        },
        Head::TooLarge => Response::text(431, "request head too large\n"),
        Head::Closed => return Ok(()),
    };
    write_response(&mut stream, &response, false)
}

enum Head {
    Complete(Vec<u8>),
    TooLarge,
    Closed,
}

/// Reads up to the blank line that ends the head; never more than `max` bytes.
fn read_head<S: Read>(stream: &mut S, max: usize) -> io::Result<Head> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(Head::Closed);
        }
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            head.truncate(end);
            return Ok(Head::Complete(head));
        }
        if head.len() > max {
            return Ok(Head::TooLarge);
        }
    }
}

fn parse_head(head: &[u8]) -> Option<Request> {
    let text = std::str::from_utf8(head).ok()?;
    let mut lines = text.split("\r\n");
    let mut parts = lines.next()?.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if !version.starts_with("HTTP/1.") || parts.next().is_some() {
        return None;
    }
    let path = target.split('?').next().unwrap_or(target);
    let headers = lines
        .map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.trim().to_ascii_lowercase(), value.trim().to_string()))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Request {
        method: method.to_string(),
        path: path.to_string(),
        headers,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    }
}

fn write_response<S: Write>(
    stream: &mut S,
    response: &Response,
    head_only: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len()
    );
    for (name, value) in &response.extra_headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_parse_and_are_bounded() {
        let r = parse_head(b"GET /metrics?x=1 HTTP/1.1\r\nAccept: text/plain\r\nHost: a").unwrap();
        assert_eq!((r.method.as_str(), r.path.as_str()), ("GET", "/metrics"));
        assert_eq!(r.header("accept"), Some("text/plain"));
        assert!(parse_head(b"GET /\r\n").is_none());
        assert!(parse_head(b"GET / HTTP/1.1\r\nno colon").is_none());
        let big = vec![b'a'; 20_000];
        assert!(matches!(
            read_head(&mut &big[..], 8192).unwrap(),
            Head::TooLarge
        ));
        assert!(matches!(
            read_head(&mut &b"GET"[..], 8192).unwrap(),
            Head::Closed
        ));
    }
}
