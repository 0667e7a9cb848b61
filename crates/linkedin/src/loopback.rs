//! A scripted HTTP/1.1 server on loopback, for the tests of the send path only.
//!
//! Each connection gets the next canned response and is closed; every request received is
//! recorded as text (request line, headers lower-cased, body) for the test to read.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the server received, one string per request.
pub(crate) type Received = Arc<Mutex<Vec<String>>>;

/// A canned response: status, extra headers, body.
pub(crate) fn response(status: u16, headers: &[(&str, &str)], body: &str) -> String {
    let mut text = format!(
        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(body);
    text
}

/// Starts the server; returns its base URL (`http://127.0.0.1:PORT`) and the record.
pub(crate) async fn serve(responses: Vec<String>) -> (String, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let received: Received = Arc::default();
    let record = Arc::clone(&received);
    tokio::spawn(async move {
        for canned in responses {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut buffer = Vec::new();
            let mut chunk = [0u8; 4096];
            loop {
                let n = socket.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    break;
                }
                buffer.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buffer).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if buffer.len() >= end + 4 + length {
                        break;
                    }
                }
            }
            let text = String::from_utf8_lossy(&buffer).to_string();
            let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
            let mut lines = head.lines();
            let mut request = lines.next().unwrap_or_default().to_owned();
            for line in lines {
                request.push('\n');
                request.push_str(&line.to_lowercase());
            }
            request.push_str("\n\n");
            request.push_str(body);
            record.lock().unwrap().push(request);
            let _ = socket.write_all(canned.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    (base, received)
}
