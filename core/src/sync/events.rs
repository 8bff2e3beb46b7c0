//! The client of `GET /v1/sync/events`: a Server-Sent Events stream that says
//! "changes you may see were applied". It carries no record data; the engine
//! pulls when it hears one.

use std::time::Duration;

use super::client::{SyncClient, SyncError, check_status};

/// The server sends a comment at least every 30 s; silence beyond this means
/// the connection is gone.
const READ_TIMEOUT: Duration = Duration::from_secs(45);

impl SyncClient {
    /// Listens until the stream ends or fails, calling `on_changes` for each
    /// `changes` event. Returns `Ok` when the server closed the stream.
    pub async fn listen(&self, token: &str, mut on_changes: impl FnMut() + Send) -> Result<(), SyncError> {
        // A stream outlives any whole-request timeout: it gets its own client
        // with a connect timeout and a read timeout instead.
        let http = reqwest::Client::builder()
            .connect_timeout(self.timeouts.connect)
            .read_timeout(READ_TIMEOUT)
            .build()
            .map_err(|e| SyncError::Protocol(format!("cannot set up HTTP: {e}")))?;
        let response = http
            .get(format!("{}/v1/sync/events", self.base_url))
            .bearer_auth(token)
            .header(reqwest::header::ACCEPT, "text/event-stream")
            .send()
            .await
            .map_err(|e| SyncError::Offline(e.to_string()))?;
        let mut response = check_status(response).await?;
        let mut parser = EventParser::default();
        while let Some(chunk) = response.chunk().await.map_err(|e| SyncError::Offline(e.to_string()))? {
            let events =
                parser.feed(&chunk).ok_or_else(|| SyncError::Protocol(format!("an event stream line is longer than {MAX_LINE} bytes")))?;
            for event in events {
                if event == "changes" {
                    on_changes();
                }
            }
        }
        Ok(())
    }
}

/// The longest event-stream line kept; the server's are a few bytes, and a
/// stream that sends one endless line must not fill the phone's memory.
const MAX_LINE: usize = 4096;

/// Splits an SSE byte stream into event names (`message` when unnamed).
#[derive(Debug, Default)]
struct EventParser {
    line: Vec<u8>,
    event: Option<String>,
    has_data: bool,
}

impl EventParser {
    /// The events `bytes` complete; `None` once a line runs past [`MAX_LINE`].
    fn feed(&mut self, bytes: &[u8]) -> Option<Vec<String>> {
        let mut events = Vec::new();
        for &byte in bytes {
            if byte != b'\n' {
                if self.line.len() >= MAX_LINE {
                    return None;
                }
                self.line.push(byte);
                continue;
            }
            let line = String::from_utf8_lossy(&self.line).trim_end_matches('\r').to_owned();
            self.line.clear();
            if line.is_empty() {
                // A blank line ends an event; one with neither name nor data
                // (only comments) is not an event.
                if self.event.is_some() || self.has_data {
                    events.push(self.event.take().unwrap_or_else(|| "message".to_owned()));
                }
                self.has_data = false;
            } else if let Some(name) = line.strip_prefix("event:") {
                self.event = Some(name.trim().to_owned());
            } else if line.starts_with("data:") {
                self.has_data = true;
            }
        }
        Some(events)
    }
}

#[cfg(test)]
mod tests {
    use super::EventParser;

    #[test]
    fn events_are_found_across_chunks_and_comments_are_not_events() {
        let mut parser = EventParser::default();
        assert_eq!(parser.feed(b": keep-alive\n\n"), Some(vec![]));
        assert_eq!(parser.feed(b"event: chan"), Some(vec![]));
        assert_eq!(parser.feed(b"ges\r\ndata: {}\r\n\r\nevent: changes\ndata: {}\n\n"), Some(vec!["changes".into(), "changes".into()]));
        assert_eq!(parser.feed(b"data: hello\n\n"), Some(vec!["message".into()]));
    }

    #[test]
    fn an_endless_line_is_refused_not_kept() {
        let mut parser = EventParser::default();
        let endless = vec![b'x'; 1024];
        let mut fed = 0;
        while parser.feed(&endless).is_some() {
            fed += endless.len();
            assert!(fed <= super::MAX_LINE, "kept {fed} bytes of one line");
        }
        assert!(parser.line.len() <= super::MAX_LINE);
    }
}
