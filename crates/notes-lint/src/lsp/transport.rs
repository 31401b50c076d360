//! JSON-RPC framing over stdio that survives bad input.
//!
//! `lsp-server`'s own stdio reader stops at the first malformed header or body, which
//! would end the session. This reader skips lines that are not headers until it finds
//! a `Content-Length`, answers a body that is not JSON with a parse error, and carries
//! on; only the end of the input ends it.

use std::io::{self, BufRead, Read, Write};

use lsp_server::Message;

/// Bodies larger than this are skipped (a note file is refused above 64 MiB, and a
/// buffer is sent as JSON, so this leaves room for escaping).
pub const MAX_BODY_BYTES: usize = 256 * 1024 * 1024;

/// What one read from the input gave.
#[derive(Debug)]
pub enum Incoming {
    /// A well-formed message.
    Message(Message),
    /// A body that is not a JSON-RPC message; the text says why (for a parse error reply).
    Malformed {
        /// What was wrong.
        reason: String,
        /// JSON-RPC error code: -32700 for a parse error, -32600 for an invalid request.
        code: i32,
        /// The request id, when the body was JSON with one.
        id: Option<serde_json::Value>,
    },
}

/// Reads the next message, skipping junk between messages. `None` at the end of the input.
pub fn read(input: &mut impl BufRead) -> io::Result<Option<Incoming>> {
    let mut length: Option<usize> = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if length.is_some() {
                break;
            }
            continue;
        }
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                length = value.trim().parse().ok();
            }
            // Other headers (Content-Type) are allowed; anything else is junk to skip.
            _ => {}
        }
    }
    let length = length.unwrap_or_default();
    if length > MAX_BODY_BYTES {
        io::copy(&mut input.take(length as u64), &mut io::sink())?;
        return Ok(Some(Incoming::Malformed {
            reason: format!("a message of {length} bytes is larger than the limit"),
            code: -32600,
            id: None,
        }));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(parse(&body)))
}

fn parse(body: &[u8]) -> Incoming {
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(e) => {
            return Incoming::Malformed {
                reason: format!("the message is not JSON: {e}"),
                code: -32700,
                id: None,
            };
        }
    };
    let id = value.get("id").cloned();
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Incoming::Message(message),
        Err(e) => Incoming::Malformed {
            reason: format!("the message is not a JSON-RPC request, response or notification: {e}"),
            code: -32600,
            id,
        },
    }
}

/// Writes one message, flushed.
pub fn write(output: &mut impl Write, message: Message) -> io::Result<()> {
    message.write(output)?;
    output.flush()
}

/// Writes an error reply to a message that could not be read as one.
pub fn write_malformed(
    output: &mut impl Write,
    reason: &str,
    code: i32,
    id: Option<serde_json::Value>,
) -> io::Result<()> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id.unwrap_or(serde_json::Value::Null),
        "error": {"code": code, "message": reason},
    })
    .to_string();
    write!(output, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn junk_between_messages_is_skipped_and_bad_bodies_are_reported() {
        let good = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let input = format!(
            "garbage line\n\u{1}\u{2}binary\r\n{}{}{}",
            frame("{not json"),
            frame(r#"{"id": 7, "what": 1}"#),
            frame(good)
        );
        let mut reader = io::BufReader::new(input.as_bytes());
        let first = read(&mut reader).unwrap().unwrap();
        assert!(matches!(first, Incoming::Malformed { code: -32700, .. }));
        let second = read(&mut reader).unwrap().unwrap();
        match second {
            Incoming::Malformed { code, id, .. } => {
                assert_eq!(code, -32600);
                assert_eq!(id, Some(serde_json::json!(7)));
            }
            Incoming::Message(m) => panic!("read {m:?}"),
        }
        let third = read(&mut reader).unwrap().unwrap();
        assert!(
            matches!(third, Incoming::Message(Message::Request(ref r)) if r.method == "shutdown")
        );
        assert!(read(&mut reader).unwrap().is_none());
    }
}
