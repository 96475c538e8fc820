//! A loopback TCP proxy in front of a real server (s3s-fs, moto) that injects the faults no
//! real server produces: connections reset before or after the request, bodies cut short,
//! stalled, slowed or with a byte flipped, and scripted error answers (503 SlowDown, a 200 that
//! carries an error) a number of times before requests pass again.
//!
//! Each connection carries one request: the proxy reads it whole, picks the first rule that
//! matches and still has uses, forwards it (with `Connection: close`) unless the fault answers
//! by itself, buffers the upstream response and plays it back with the fault applied. Every
//! request is logged (method, target, headers, the fault applied) for tests to assert on.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A request as the proxy saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// `GET`, `PUT`, ...
    pub method: String,
    /// Path and query.
    pub target: String,
    /// Header names lowercased.
    pub headers: Vec<(String, String)>,
    /// The fault applied, if any.
    pub fault: Option<String>,
    /// When the proxy began to answer it, or gave up on its connection: before the client can
    /// have seen an answer.
    pub answered: Option<Duration>,
    /// When its head arrived, from the proxy's start.
    pub at: Duration,
}

impl Seen {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// True when the query has `name` (`uploadId`, `partNumber=2`, ...).
    pub fn query_has(&self, name: &str) -> bool {
        self.target.split_once('?').is_some_and(|(_, q)| {
            q.split('&')
                .any(|p| p == name || p.starts_with(&format!("{name}=")))
        })
    }
}

/// What to do to a matching request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Close the connection once the request arrived, without forwarding it.
    ResetBeforeRequest,
    /// Forward the request (the server acts on it), then close without an answer.
    ResetAfterRequest,
    /// Answer without forwarding.
    Respond {
        /// Status code.
        status: u16,
        /// Body (XML for S3 errors).
        body: String,
    },
    /// Forward, then send the head and `after` bytes of the body and close.
    Truncate {
        /// Body bytes passed before the cut.
        after: usize,
    },
    /// Forward, then send the head and `after` body bytes, wait `pause`, send the rest.
    Stall {
        /// Body bytes passed before the pause.
        after: usize,
        /// How long nothing moves.
        pause: Duration,
    },
    /// Forward, and add a header to the answer (what a fuller server would send).
    AddHeader {
        /// The header name.
        name: String,
        /// Its value.
        value: String,
    },
    /// Forward, then hold the answer back for `pause` (a slow server).
    Delay {
        /// How long the answer waits.
        pause: Duration,
    },
    /// Forward, with the body byte at `at` flipped.
    Corrupt {
        /// Offset in the body.
        at: usize,
    },
    /// Forward, with the body sent at `bytes_per_sec` in small steps (slow but moving).
    Slow {
        /// The rate.
        bytes_per_sec: usize,
    },
    /// One of the faults above chosen at random with probability `p`, else none.
    Random {
        /// Probability of a fault, 0 to 1.
        p: f64,
    },
}

type Matcher = Box<dyn Fn(&Seen) -> bool + Send + Sync>;

struct Rule {
    matches: Matcher,
    fault: Fault,
    uses: usize,
}

struct State {
    rules: Vec<Rule>,
    seen: Vec<Seen>,
    rng: u64,
}

/// The proxy; it stops accepting when dropped.
pub struct FaultProxy {
    /// `http://127.0.0.1:PORT`, to use as the endpoint URL.
    pub url: String,
    state: Arc<Mutex<State>>,
    start: Instant,
}

impl FaultProxy {
    /// A proxy in front of `upstream` (`http://host:port`).
    pub fn start(upstream: &str) -> FaultProxy {
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            rules: Vec::new(),
            seen: Vec::new(),
            rng: 0x9E37_79B9_7F4A_7C15,
        }));
        let start = Instant::now();
        let shared = state.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let (state, upstream) = (shared.clone(), upstream.clone());
                std::thread::spawn(move || {
                    let _ = serve(conn, &upstream, &state, start);
                });
            }
        });
        FaultProxy { url, state, start }
    }

    /// Applies `fault` to the next `uses` requests that `matches` accepts.
    pub fn on(
        &self,
        matches: impl Fn(&Seen) -> bool + Send + Sync + 'static,
        fault: Fault,
        uses: usize,
    ) {
        self.state.lock().unwrap().rules.push(Rule {
            matches: Box::new(matches),
            fault,
            uses,
        });
    }

    /// Removes every rule.
    pub fn clear(&self) {
        self.state.lock().unwrap().rules.clear();
    }

    /// The requests seen so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// Seeds the random faults.
    pub fn seed(&self, seed: u64) {
        self.state.lock().unwrap().rng = seed | 1;
    }
}

/// An S3 error document.
pub fn s3_error(code: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code>\
         <Message>injected by the fault proxy</Message><RequestId>FAULT</RequestId></Error>"
    )
}

fn next_random(rng: &mut u64) -> f64 {
    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    (*rng >> 11) as f64 / (1u64 << 53) as f64
}

fn read_head(reader: &mut impl BufRead) -> std::io::Result<Option<Vec<String>>> {
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        if line == "\r\n" {
            return Ok(Some(lines));
        }
        lines.push(line.trim_end().to_string());
    }
}

fn parse_headers(lines: &[String]) -> Vec<(String, String)> {
    lines
        .iter()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect()
}

fn content_length(headers: &[(String, String)]) -> Option<usize> {
    headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
}

fn serve(
    conn: TcpStream,
    upstream: &str,
    state: &Mutex<State>,
    start: Instant,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(conn.try_clone()?);
    let mut client = conn;
    let Some(head) = read_head(&mut reader)? else {
        return Ok(());
    };
    let arrived = start.elapsed();
    let mut parts = head[0].split(' ');
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let headers = parse_headers(&head[1..]);
    assert!(
        !headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")),
        "the fault proxy reads bodies by Content-Length"
    );
    // A client holding its body back for `Expect: 100-continue` gets the interim answer, as
    // from a real server (the proxy itself takes the whole body before it forwards).
    if headers
        .iter()
        .any(|(k, v)| k == "expect" && v.eq_ignore_ascii_case("100-continue"))
    {
        client.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    }
    let mut body = vec![0u8; content_length(&headers).unwrap_or(0)];
    reader.read_exact(&mut body)?;
    let mut seen = Seen {
        method,
        target,
        headers,
        fault: None,
        answered: None,
        at: arrived,
    };
    let fault = {
        let mut st = state.lock().unwrap();
        let mut chosen = None;
        for rule in st.rules.iter_mut() {
            if rule.uses > 0 && (rule.matches)(&seen) {
                rule.uses -= 1;
                chosen = Some(rule.fault.clone());
                break;
            }
        }
        if let Some(Fault::Random { p }) = chosen {
            let roll = next_random(&mut st.rng);
            let pick = next_random(&mut st.rng);
            let at = (next_random(&mut st.rng) * 4096.0) as usize;
            chosen = (roll < p).then(|| match (pick * 6.0) as u32 {
                0 => Fault::ResetBeforeRequest,
                1 => Fault::ResetAfterRequest,
                2 => Fault::Truncate { after: at },
                3 => Fault::Corrupt { at },
                4 => Fault::Respond {
                    status: 503,
                    body: s3_error("SlowDown"),
                },
                _ => Fault::Stall {
                    after: at,
                    pause: Duration::from_millis(300),
                },
            });
        }
        seen.fault = chosen.as_ref().map(|f| format!("{f:?}"));
        st.seen.push(seen.clone());
        chosen
    };
    let answer = Answer {
        state,
        index: state.lock().unwrap().seen.len() - 1,
        start,
    };
    match &fault {
        Some(Fault::ResetBeforeRequest) => return client.shutdown(Shutdown::Both),
        Some(Fault::Respond { status, body }) => {
            let head = format!(
                "HTTP/1.1 {status} Injected\r\nContent-Type: application/xml\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            answer.now();
            client.write_all(head.as_bytes())?;
            client.write_all(body.as_bytes())?;
            return client.shutdown(Shutdown::Both);
        }
        _ => {}
    }
    // Forward the request, one per connection.
    let mut up = TcpStream::connect(upstream)?;
    let mut out = format!("{}\r\n", head[0]);
    for line in &head[1..] {
        let lower = line.to_ascii_lowercase();
        // The body goes with the head, so upstream is not asked for a `100 Continue`.
        if !lower.starts_with("connection:") && !lower.starts_with("expect:") {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    out.push_str("Connection: close\r\n\r\n");
    up.write_all(out.as_bytes())?;
    up.write_all(&body)?;
    let mut up_reader = BufReader::new(up);
    let Some(resp_head) = read_head(&mut up_reader)? else {
        return client.shutdown(Shutdown::Both);
    };
    let resp_headers = parse_headers(&resp_head[1..]);
    let mut resp_body = Vec::new();
    let bodiless =
        seen.method == "HEAD" || resp_head[0].contains(" 204 ") || resp_head[0].contains(" 304 ");
    match content_length(&resp_headers) {
        _ if bodiless => {}
        Some(n) => {
            resp_body.resize(n, 0);
            up_reader.read_exact(&mut resp_body)?;
        }
        None => {
            up_reader.read_to_end(&mut resp_body)?;
        }
    }
    if matches!(fault, Some(Fault::ResetAfterRequest)) {
        return client.shutdown(Shutdown::Both);
    }
    let chunked = resp_headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let mut head_out = format!("{}\r\n", resp_head[0]);
    for line in &resp_head[1..] {
        let lower = line.to_ascii_lowercase();
        if lower.starts_with("connection:") || (chunked && lower.starts_with("transfer-encoding:"))
        {
            continue;
        }
        head_out.push_str(line);
        head_out.push_str("\r\n");
    }
    if chunked && !bodiless {
        resp_body = dechunk(&resp_body);
        head_out.push_str(&format!("Content-Length: {}\r\n", resp_body.len()));
    }
    if let Some(Fault::AddHeader { name, value }) = &fault {
        head_out.push_str(&format!("{name}: {value}\r\n"));
    }
    head_out.push_str("Connection: close\r\n\r\n");
    if let Some(Fault::Delay { pause }) = fault {
        std::thread::sleep(pause);
    }
    answer.now();
    client.write_all(head_out.as_bytes())?;
    match fault {
        Some(Fault::Truncate { after }) => {
            client.write_all(&resp_body[..after.min(resp_body.len().saturating_sub(1))])?;
        }
        Some(Fault::Stall { after, pause }) => {
            let cut = after.min(resp_body.len());
            client.write_all(&resp_body[..cut])?;
            client.flush()?;
            std::thread::sleep(pause);
            client.write_all(&resp_body[cut..])?;
        }
        Some(Fault::Corrupt { at }) => {
            let at = at.min(resp_body.len().saturating_sub(1));
            if let Some(b) = resp_body.get_mut(at) {
                *b ^= 0x20;
            }
            client.write_all(&resp_body)?;
        }
        Some(Fault::Slow { bytes_per_sec }) => {
            let step = (bytes_per_sec / 20).max(1);
            for piece in resp_body.chunks(step) {
                client.write_all(piece)?;
                client.flush()?;
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        _ => client.write_all(&resp_body)?,
    }
    client.flush()?;
    client.shutdown(Shutdown::Both)
}

/// Records when a request was answered: at the first byte of the answer, or when its
/// connection's handler ends without one.
struct Answer<'a> {
    state: &'a Mutex<State>,
    index: usize,
    start: Instant,
}

impl Answer<'_> {
    fn now(&self) {
        if let Ok(mut st) = self.state.lock() {
            let seen = &mut st.seen[self.index];
            seen.answered = seen.answered.or(Some(self.start.elapsed()));
        }
    }
}

impl Drop for Answer<'_> {
    fn drop(&mut self) {
        self.now();
    }
}

fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = body;
    loop {
        let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(
            std::str::from_utf8(&rest[..eol])
                .unwrap_or("0")
                .split(';')
                .next()
                .unwrap_or("0")
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            return out;
        }
        let start = eol + 2;
        out.extend_from_slice(&rest[start..(start + size).min(rest.len())]);
        rest = &rest[(start + size + 2).min(rest.len())..];
    }
}
