//! Reading the server's messages: `Content-Length` framed JSON, as the protocol sends it.
//! Shared by the language server's tests and its benchmark.

use std::io::BufRead;

/// The next message, or `None` at the end of the output (or on a broken frame).
pub fn read(reader: &mut impl BufRead) -> Option<serde_json::Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}
