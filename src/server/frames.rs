//! Reading language-server messages within bounds (SPEC §9.7).
//!
//! `lsp-server`'s own reader ends the connection at the first malformed
//! message. This one answers it instead and reads on: a header block without
//! a usable `Content-Length`, or a body that is not JSON, gets a JSON-RPC
//! parse error (-32700); JSON that is not a request, response or
//! notification gets an invalid-request error (-32600, with the message's
//! id when it has one); a message over [`MAX_MESSAGE_FRAME_BYTES`] is
//! skipped without being held and answered -32600 ("too large, not
//! parsed"). Text that is not valid UTF-8, and `\u` escapes that are not
//! valid UTF-16 (a lone surrogate), are replaced by U+FFFD rather than
//! refused: one bad character never costs the client its server.

use crate::limits::MAX_MESSAGE_FRAME_BYTES;
use lsp_server::Message;
use serde_json::Value;
use std::borrow::Cow;
use std::io::{self, BufRead, Read};

/// Longest header line kept; the rest of a longer one is skipped.
const MAX_HEADER_LINE: u64 = 8 * 1024;
/// JSON-RPC: the body is not JSON.
pub(crate) const PARSE_ERROR: i32 = -32700;
/// JSON-RPC: the JSON is not a valid message.
pub(crate) const INVALID_REQUEST: i32 = -32600;

/// What the next frame on the input was.
#[derive(Debug)]
pub(crate) enum Frame {
    /// A well-formed message.
    Message(Message),
    /// A malformed one, and the JSON-RPC error response that answers it.
    Malformed(Value),
    /// The input ended.
    End,
}

/// The JSON-RPC error response with `code`, `message` and `id`
/// (`null` when the message's id could not be read).
pub(crate) fn error_response(code: i32, message: &str, id: Value) -> Value {
    serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code, "message": message },
    })
}

/// Read the next frame from `r`.
pub(crate) fn read_frame(r: &mut impl BufRead) -> io::Result<Frame> {
    let mut length: Option<Result<usize, String>> = None;
    let mut started = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = r
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(Frame::End);
        }
        if line.last() != Some(&b'\n') && n as u64 == MAX_HEADER_LINE {
            // An overlong line (a body without a usable header before it):
            // keep looking for a header; a split one is found next time.
            started = true;
            continue;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if !started {
                continue;
            }
            break;
        }
        started = true;
        // A header glued to the end of a malformed body is still found.
        if let Some(at) = find_ascii_ci(text, "content-length:") {
            let value = text[at + "content-length:".len()..].trim();
            length = Some(
                value
                    .parse::<usize>()
                    .map_err(|_| format!("bad Content-Length {:?}", cut(value))),
            );
        }
    }
    let length = match length {
        Some(Ok(n)) => n,
        Some(Err(e)) => return Ok(malformed(PARSE_ERROR, &e, Value::Null)),
        None => {
            return Ok(malformed(
                PARSE_ERROR,
                "a message without a Content-Length header",
                Value::Null,
            ))
        }
    };
    if length > MAX_MESSAGE_FRAME_BYTES {
        let skipped = io::copy(&mut r.by_ref().take(length as u64), &mut io::sink())?;
        if skipped < length as u64 {
            return Ok(Frame::End);
        }
        return Ok(malformed(
            INVALID_REQUEST,
            &format!(
                "message too large ({length} bytes; the limit is {MAX_MESSAGE_FRAME_BYTES}), not parsed"
            ),
            Value::Null,
        ));
    }
    let mut body = Vec::new();
    let got = r.by_ref().take(length as u64).read_to_end(&mut body)?;
    if got < length {
        return Ok(Frame::End);
    }
    Ok(parse_body(&body))
}

/// The frame a body makes.
pub(crate) fn parse_body(body: &[u8]) -> Frame {
    let text = String::from_utf8_lossy(body);
    let text = mend_surrogates(&text);
    let value: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => return malformed(PARSE_ERROR, &format!("not JSON: {e}"), Value::Null),
    };
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    // A request or notification names a method (a string); a response
    // carries a result or an error. Anything else is no message, though
    // serde would read it as a response.
    let shaped = match value.get("method") {
        Some(m) => m.is_string(),
        None => value.get("result").is_some() || value.get("error").is_some(),
    };
    if !value.is_object() || !shaped {
        return malformed(
            INVALID_REQUEST,
            "not a JSON-RPC request, notification or response",
            id,
        );
    }
    match serde_json::from_value::<Message>(value) {
        Ok(m) => Frame::Message(m),
        Err(e) => malformed(INVALID_REQUEST, &format!("not a JSON-RPC message: {e}"), id),
    }
}

fn malformed(code: i32, message: &str, id: Value) -> Frame {
    Frame::Malformed(error_response(code, message, id))
}

/// Where `needle` (lowercase ASCII) starts in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// At most 40 characters of `s`, for a message.
fn cut(s: &str) -> String {
    s.chars().take(40).collect()
}

/// JSON text with every `\u` escape of a lone surrogate (one not part of a
/// high–low pair) replaced by `\ufffd`, so that a buffer that is not valid
/// UTF-16 still parses. Backslashes only occur inside strings in JSON, so
/// escapes are found by scanning for them; text that is not JSON is left
/// for the parser to refuse.
pub(crate) fn mend_surrogates(text: &str) -> Cow<'_, str> {
    if !text.contains("\\u") && !text.contains("\\U") {
        return Cow::Borrowed(text);
    }
    let b = text.as_bytes();
    let unit = |at: usize| -> Option<u16> {
        let hex = b.get(at..at + 6)?;
        if hex[0] != b'\\' || hex[1] != b'u' {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&hex[2..]).ok()?, 16).ok()
    };
    let high = |u: u16| (0xD800..0xDC00).contains(&u);
    let low = |u: u16| (0xDC00..0xE000).contains(&u);
    let mut lone = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        match unit(i) {
            Some(u) if high(u) && unit(i + 6).is_some_and(low) => i += 12,
            Some(u) if high(u) || low(u) => {
                lone.push(i);
                i += 6;
            }
            Some(_) => i += 6,
            None => i += 2,
        }
    }
    if lone.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for at in lone {
        out.push_str(&text[from..at]);
        out.push_str("\\ufffd");
        from = at + 6;
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Frame> {
        let mut r = io::BufReader::new(input);
        let mut out = Vec::new();
        loop {
            match read_frame(&mut r).expect("read") {
                Frame::End => return out,
                f => out.push(f),
            }
        }
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn code(f: &Frame) -> Option<i64> {
        match f {
            Frame::Malformed(v) => v["error"]["code"].as_i64(),
            _ => None,
        }
    }

    #[test]
    fn malformed_frames_are_answered_and_reading_goes_on() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = [
            framed("not json"),
            "Content-Length: twelve\r\n\r\n".to_string(),
            framed(r#"{"jsonrpc":"2.0","id":7,"method":5}"#),
            framed(good),
        ]
        .concat();
        let got = frames(input.as_bytes());
        let codes: Vec<_> = got.iter().map(code).collect();
        assert_eq!(codes, [Some(-32700), Some(-32700), Some(-32600), None]);
        if let Frame::Malformed(v) = &got[2] {
            assert_eq!(v["id"], 7, "the id is echoed when it can be read");
        }
        assert!(
            matches!(&got[3], Frame::Message(Message::Notification(n)) if n.method == "initialized")
        );
    }

    #[test]
    fn a_lone_surrogate_is_replaced() {
        let body =
            r#"{"jsonrpc":"2.0","method":"x","params":{"t":"a\ud83db\udc00c\ud83d\ude00\\ud83d"}}"#;
        let Frame::Message(Message::Notification(n)) = parse_body(body.as_bytes()) else {
            panic!("not parsed");
        };
        assert_eq!(n.params["t"], "a\u{fffd}b\u{fffd}c\u{1f600}\\ud83d");
    }

    #[test]
    fn an_oversized_message_is_skipped_unread() {
        let big = MAX_MESSAGE_FRAME_BYTES + 1;
        let mut input = format!("Content-Length: {big}\r\n\r\n").into_bytes();
        input.resize(input.len() + big, b'x');
        input.extend_from_slice(framed(r#"{"jsonrpc":"2.0","method":"exit"}"#).as_bytes());
        let got = frames(&input);
        assert_eq!(code(&got[0]), Some(-32600));
        assert!(matches!(&got[1], Frame::Message(Message::Notification(n)) if n.method == "exit"));
    }
}
