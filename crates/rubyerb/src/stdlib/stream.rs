//! `StringIO` over a string and `Zlib::GzipReader` over one, read whole: releases take a
//! gzipped, Base64-encoded list as a property and read it with
//! `Zlib::GzipReader.new(StringIO.new(Base64.decode64(v))).read`. `Zlib.gunzip` and
//! `Zlib::Inflate.inflate` decompress a string at once. What decompresses is bounded by the
//! string size budget before it is held, so a small bomb stops at the budget.

use std::cell::RefCell;
use std::io::Read;
use std::rc::Rc;

use indexmap::IndexMap;

use super::super::interp::{Interp, R};
use super::super::value::{ObjKind, Object, Value};
use crate::methods::{arg, bytes_arg};

/// A readable stream's bytes and how far they have been read.
pub struct Stream {
    bytes: Vec<u8>,
    pos: usize,
}

/// `StringIO.new(s)`, `Zlib::GzipReader.new(io)`, `Zlib.gunzip(s)`,
/// `Zlib::Inflate.inflate(s)`.
pub fn class_call(it: &mut Interp, class: &str, name: &str, args: &[Value]) -> R<Option<Value>> {
    Ok(Some(match (class, name) {
        ("StringIO", "new") => {
            let bytes = match args.first() {
                None => Vec::new(),
                Some(v) => bytes_arg(it, v)?,
            };
            stream(it, "StringIO", bytes)
        }
        ("Zlib::GzipReader", "new") => {
            let Value::Object(o) = arg(args, 0) else {
                return it.unsupported("Zlib::GzipReader.new of anything but a StringIO");
            };
            let ObjKind::Stream(s) = &o.kind else {
                return it.unsupported("Zlib::GzipReader.new of anything but a StringIO");
            };
            let rest = {
                let s = s.borrow();
                s.bytes[s.pos..].to_vec()
            };
            let bytes = inflate(it, &rest, Gzip)?;
            stream(it, "Zlib::GzipReader", bytes)
        }
        ("Zlib", "gunzip") => {
            let data = bytes_arg(it, &arg(args, 0))?;
            Value::binary_result(inflate(it, &data, Gzip)?)
        }
        ("Zlib::Inflate", "inflate") => {
            let data = bytes_arg(it, &arg(args, 0))?;
            Value::binary_result(inflate(it, &data, Deflate)?)
        }
        _ => return Ok(None),
    }))
}

/// `read` (the rest, or at most `n` bytes), `string` (a StringIO's whole text), `rewind`,
/// `eof?`, `close`.
pub fn object_call(it: &mut Interp, o: &Object, name: &str, args: &[Value]) -> R<Option<Value>> {
    let ObjKind::Stream(s) = &o.kind else {
        return Ok(None);
    };
    let mut s = s.borrow_mut();
    Ok(Some(match name {
        "read" => {
            let rest = s.bytes.len() - s.pos;
            let n = match args.first() {
                None | Some(Value::Nil) => rest,
                Some(Value::Int(n)) if *n >= 0 => (*n as usize).min(rest),
                Some(_) => return it.arg_err("negative length given"),
            };
            // `read(n)` at the end is nil; `read` and `read(0)` there are ""
            if rest == 0 && matches!(args.first(), Some(Value::Int(k)) if *k > 0) {
                return Ok(Some(Value::Nil));
            }
            let start = s.pos;
            s.pos += n;
            Value::from_bytes(s.bytes[start..start + n].to_vec())
        }
        "string" if o.class.name == "StringIO" => Value::from_bytes(s.bytes.clone()),
        "rewind" => {
            s.pos = 0;
            Value::Int(0)
        }
        "eof?" | "eof" => Value::Bool(s.pos >= s.bytes.len()),
        "close" => Value::Nil,
        _ => return Ok(None),
    }))
}

fn stream(it: &mut Interp, class: &str, bytes: Vec<u8>) -> Value {
    Value::Object(Rc::new(Object {
        class: it.classes.get(class).expect("a built-in class"),
        ivars: RefCell::new(IndexMap::new()),
        kind: ObjKind::Stream(RefCell::new(Stream { bytes, pos: 0 })),
    }))
}

/// Which format failed, for Ruby's error.
#[derive(Clone, Copy)]
enum Format {
    Gzip,
    Deflate,
}
use Format::{Deflate, Gzip};

/// The decompressed bytes of `data`, read no further than the string size budget allows;
/// a bad header or stream raises what Ruby's zlib raises for it.
fn inflate(it: &mut Interp, data: &[u8], format: Format) -> R<Vec<u8>> {
    let limit = it.budget.limits.max_len as u64 + 1;
    let mut out = Vec::new();
    let read = match format {
        Gzip => {
            if !data.starts_with(&[0x1f, 0x8b]) {
                return it.err("Zlib::GzipFile::Error", "not in gzip format");
            }
            flate2::read::GzDecoder::new(data)
                .take(limit)
                .read_to_end(&mut out)
        }
        Deflate => {
            // zlib's own header check: deflate, and a check value that is a multiple of 31
            let header = data.len() >= 2
                && data[0] & 0x0f == 8
                && (u16::from(data[0]) << 8 | u16::from(data[1])) % 31 == 0;
            if !header {
                return it.err("Zlib::DataError", "incorrect header check");
            }
            flate2::read::ZlibDecoder::new(data)
                .take(limit)
                .read_to_end(&mut out)
        }
    };
    if read.is_err() {
        return it.err(
            "Zlib::DataError",
            "invalid compressed data -- format violated",
        );
    }
    let spent = it.budget.len(out.len() as i64);
    it.spend(spent)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    /// 100,000 zero bytes gzipped into a few hundred: decompressing stops at the string
    /// size budget, and fails as a budget error rather than holding the whole.
    #[test]
    fn a_small_bomb_stops_at_the_size_budget() {
        use base64::Engine as _;
        use std::io::Write as _;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&[0; 100_000]).unwrap();
        let bomb = base64::engine::general_purpose::STANDARD.encode(gz.finish().unwrap());
        assert!(bomb.len() < 1000);
        let src = format!("<%= Zlib.gunzip(Base64.decode64('{bomb}')).size %>");
        let run = |max_len| {
            let limits = crate::Limits {
                max_len,
                ..Default::default()
            };
            crate::render(src.as_bytes(), &crate::NoHost, &limits)
        };
        assert_eq!(run(1 << 20).unwrap(), b"100000");
        let err = run(10_000).unwrap_err();
        assert!(err.message.contains("10000"), "{}", err.message);
    }
}
