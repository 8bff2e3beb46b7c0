//! Fuzzing the phone's side of the network: whatever a server, a captive
//! portal or a broken proxy answers (any status line, headers, body, event
//! stream, cut anywhere), the client's push, pull and event listener return an
//! answer or a typed error, promptly, and never panic. Beside the server's fuzz
//! in the test command (`tests/all.sh`, for `ALONGSIDE_FUZZ_SECS`).

use std::time::{Duration, Instant};

use alongside_core::sync::{SyncClient, Timeouts};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// One answer in the server's place.
#[derive(Debug, Clone)]
struct Answer {
    status_line: Vec<u8>,
    headers: Vec<Vec<u8>>,
    body: Vec<u8>,
    /// Where the whole answer is cut short, if it is.
    cut: Option<usize>,
    /// Which call hears it: push, pull or the event stream.
    call: u8,
}

impl Answer {
    fn bytes(&self) -> Vec<u8> {
        let mut bytes = self.status_line.clone();
        for header in &self.headers {
            bytes.extend_from_slice(header);
        }
        bytes.extend_from_slice(b"\r\n");
        bytes.extend_from_slice(&self.body);
        if let Some(cut) = self.cut {
            bytes.truncate(cut);
        }
        bytes
    }
}

fn status_line() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        (100u16..600).prop_map(|code| format!("HTTP/1.1 {code} Something\r\n").into_bytes()),
        Just(b"HTTP/1.1 200 OK\r\n".to_vec()),
        Just(b"HTTP/1.1 413 Payload Too Large\r\n".to_vec()),
        Just(b"HTTP/1.1 503 Service Unavailable\r\n".to_vec()),
        "[ -~]{0,40}\r\n".prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 0..40),
    ]
}

fn header() -> impl Strategy<Value = Vec<u8>> {
    let name = prop_oneof![
        Just("Content-Length".to_owned()),
        Just("Retry-After".to_owned()),
        Just("Transfer-Encoding".to_owned()),
        Just("Content-Type".to_owned()),
        Just("Connection".to_owned()),
        "[A-Za-z-]{1,20}",
    ];
    let value = prop_oneof![
        "[0-9]{0,30}",
        Just("chunked".to_owned()),
        Just("-1".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just("Fri, 31 Dec 9999 23:59:59 GMT".to_owned()),
        Just("text/event-stream".to_owned()),
        Just("application/json".to_owned()),
        Just("close".to_owned()),
        "[ -~]{0,40}",
    ];
    (name, value).prop_map(|(name, value)| format!("{name}: {value}\r\n").into_bytes())
}

/// Text that is sometimes JSON the client expects, nearly.
fn json_text() -> impl Strategy<Value = String> {
    let text = prop_oneof![Just("\"\"".to_owned()), "\"[ -~]{0,20}\"", Just("null".to_owned()), "-?[0-9]{1,25}", Just("[]".to_owned())];
    prop_oneof![
        (text.clone(), text.clone(), text.clone())
            .prop_map(|(code, message, field)| format!(r#"{{"error":{{"code":{code},"message":{message},"field":{field}}}}}"#)),
        (text.clone(), text.clone(), any::<bool>()).prop_map(|(id, cursor, more)| format!(
            r#"{{"changes":[{{"change_id":{id},"collection":"goals","record_id":{id},"participant_id":{id},"hlc":{id},"fields":{{}}}}],"purge":[],"cursor":{cursor},"has_more":{more}}}"#
        )),
        (text.clone(), text).prop_map(|(id, status)| format!(r#"{{"results":[{{"change_id":{id},"status":{status}}}]}}"#)),
        (1usize..2000).prop_map(|depth| format!("{}{}", "[".repeat(depth), "]".repeat(depth))),
    ]
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..2000),
        json_text().prop_map(String::into_bytes),
        "((event: [a-z]{0,10}\n)?(data: [ -~]{0,40}\n)?(: [ -~]{0,10}\n)?\n){0,10}".prop_map(String::into_bytes),
        "[0-9a-f]{1,4}\r\n[ -~]{0,40}\r\n(0\r\n\r\n)?".prop_map(String::into_bytes),
    ]
}

fn answer() -> impl Strategy<Value = Answer> {
    (status_line(), proptest::collection::vec(header(), 0..6), body(), proptest::option::of(0usize..3000), 0u8..3)
        .prop_map(|(status_line, headers, body, cut, call)| Answer { status_line, headers, body, cut, call })
}

/// Answers the next connection with `bytes`, after reading the request head.
async fn answer_once(listener: &tokio::net::TcpListener, bytes: Vec<u8>) -> std::io::Result<()> {
    let (mut socket, _) = listener.accept().await?;
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        let read = socket.read(&mut buffer).await?;
        if read == 0 {
            break;
        }
        head.extend_from_slice(&buffer[..read]);
    }
    socket.write_all(&bytes).await?;
    socket.shutdown().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "runs for its whole time budget; tests/all.sh runs it"]
async fn fuzz_what_the_network_answers() -> TestResult {
    let budget = Duration::from_secs(std::env::var("ALONGSIDE_FUZZ_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(30));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let timeouts = Timeouts { connect: Duration::from_secs(2), request: Duration::from_secs(5) };
    let mut runner = TestRunner::new(Config { failure_persistence: None, ..Config::default() });
    let strategy = answer();
    let started = Instant::now();
    let mut cases = 0u64;
    while started.elapsed() < budget {
        let case = strategy.new_tree(&mut runner).map_err(|e| e.to_string())?.current();
        let client = SyncClient::new(&url, timeouts)?;
        let serving = tokio::time::timeout(Duration::from_secs(20), answer_once(&listener, case.bytes()));
        let calling = async {
            // Whatever comes back is fine, as long as something does.
            match case.call {
                0 => drop(client.push("token", Vec::new()).await),
                1 => drop(client.pull("token", None, 10).await),
                _ => drop(client.listen("token", || {}).await),
            }
        };
        let (served, answered) = tokio::join!(serving, tokio::time::timeout(Duration::from_secs(20), calling));
        if answered.is_err() {
            return Err(format!("no answer within 20 s to {case:?}").into());
        }
        // The client may hang up early (a refused body): not the client's fault.
        drop(served);
        cases += 1;
    }
    eprintln!("client fuzz: {cases} answers in {:.0?}", started.elapsed());
    Ok(())
}
