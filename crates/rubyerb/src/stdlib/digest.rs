//! Message digests and HMACs: the one-shot class methods (`Digest::SHA256.hexdigest(s)`,
//! `OpenSSL::Digest.hexdigest('SHA256', s)`), digest objects fed piece by piece
//! (`Digest::SHA256.new`, `OpenSSL::Digest.new('sha256')`, `Digest::SHA2.new(384)`) and
//! `OpenSSL::HMAC`, which templates use to derive a stable secret or token from properties.
//! An object keeps the bytes it was given and digests them when asked: what it holds is a
//! string's worth, held to the string size budget.

use std::cell::RefCell;
use std::rc::Rc;

use base64::Engine as _;
use hmac::{KeyInit, Mac};
use indexmap::IndexMap;
use sha2::Digest as _;

use super::super::interp::{Interp, R};
use super::super::value::{ObjKind, Object, Value};
use super::encoding::hex;
use crate::methods::{bytes_arg, check_argc};

/// The algorithms bale digests with.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Alg {
    Md5,
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Alg {
    /// An algorithm by the names OpenSSL takes for it (`sha256`, `SHA-256`, `SHA2-256`).
    pub fn from_name(name: &str) -> Option<Alg> {
        let n = name.to_ascii_uppercase();
        Some(match n.as_str() {
            "MD5" => Alg::Md5,
            "SHA1" | "SHA-1" => Alg::Sha1,
            "SHA256" | "SHA-256" | "SHA2-256" => Alg::Sha256,
            "SHA384" | "SHA-384" | "SHA2-384" => Alg::Sha384,
            "SHA512" | "SHA-512" | "SHA2-512" => Alg::Sha512,
            _ => return None,
        })
    }

    /// The algorithm of a class named for one (`Digest::SHA256`, `OpenSSL::Digest::MD5`).
    fn of_class(class: &str) -> Option<Alg> {
        let last = class.rsplit("::").next()?;
        if last.starts_with("SHA") || last == "MD5" {
            Alg::from_name(last)
        } else {
            None
        }
    }

    /// OpenSSL's name for it (`OpenSSL::Digest#name`).
    pub fn name(self) -> &'static str {
        match self {
            Alg::Md5 => "MD5",
            Alg::Sha1 => "SHA1",
            Alg::Sha256 => "SHA256",
            Alg::Sha384 => "SHA384",
            Alg::Sha512 => "SHA512",
        }
    }

    fn bits(self) -> usize {
        self.length() * 8
    }

    /// The digest's size in bytes.
    pub fn length(self) -> usize {
        match self {
            Alg::Md5 => 16,
            Alg::Sha1 => 20,
            Alg::Sha256 => 32,
            Alg::Sha384 => 48,
            Alg::Sha512 => 64,
        }
    }

    fn block_length(self) -> usize {
        match self {
            Alg::Sha384 | Alg::Sha512 => 128,
            _ => 64,
        }
    }

    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Alg::Md5 => md5::Md5::digest(data).to_vec(),
            Alg::Sha1 => sha1::Sha1::digest(data).to_vec(),
            Alg::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Alg::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Alg::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }

    pub fn hmac(self, key: &[u8], data: &[u8]) -> Vec<u8> {
        fn mac<M: Mac + KeyInit>(key: &[u8], data: &[u8]) -> Vec<u8> {
            // (an HMAC takes a key of any length: longer ones are digested first)
            let mut m = <M as KeyInit>::new_from_slice(key).expect("any key length");
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        match self {
            Alg::Md5 => mac::<hmac::Hmac<md5::Md5>>(key, data),
            Alg::Sha1 => mac::<hmac::Hmac<sha1::Sha1>>(key, data),
            Alg::Sha256 => mac::<hmac::Hmac<sha2::Sha256>>(key, data),
            Alg::Sha384 => mac::<hmac::Hmac<sha2::Sha384>>(key, data),
            Alg::Sha512 => mac::<hmac::Hmac<sha2::Sha512>>(key, data),
        }
    }
}

/// A digest or HMAC object: its algorithm, the bytes given so far, and an HMAC's key.
pub struct Digester {
    alg: Alg,
    data: Vec<u8>,
    key: Option<Vec<u8>>,
}

impl Digester {
    fn result(&self) -> Vec<u8> {
        match &self.key {
            Some(key) => self.alg.hmac(key, &self.data),
            None => self.alg.digest(&self.data),
        }
    }
}

/// The class methods of `Digest::*`, `OpenSSL::Digest*` and `OpenSSL::HMAC`; None for
/// other classes and methods.
pub fn class_call(it: &mut Interp, class: &str, name: &str, args: &[Value]) -> R<Option<Value>> {
    let openssl_digest = class == "OpenSSL::Digest";
    Ok(Some(match (class, name) {
        ("OpenSSL::HMAC", "hexdigest" | "digest" | "base64digest") => {
            check_argc(it, args, 3, 3)?;
            let alg = openssl_alg(it, &args[0])?;
            let key = bytes_arg(it, &args[1])?;
            let data = bytes_arg(it, &args[2])?;
            output(name, alg.hmac(&key, &data))
        }
        ("OpenSSL::HMAC", "new") => {
            check_argc(it, args, 2, 2)?;
            let key = bytes_arg(it, &args[0])?;
            let alg = openssl_alg(it, &args[1])?;
            object(it, class, alg, Vec::new(), Some(key))
        }
        ("Digest::SHA2", "new") => {
            check_argc(it, args, 0, 1)?;
            let alg = match args.first() {
                None => Alg::Sha256,
                Some(Value::Int(256)) => Alg::Sha256,
                Some(Value::Int(384)) => Alg::Sha384,
                Some(Value::Int(512)) => Alg::Sha512,
                Some(v) => {
                    return it.arg_err(format!(
                        "unsupported bit length: {}",
                        crate::format::inspect(v)
                    ))
                }
            };
            object(it, class, alg, Vec::new(), None)
        }
        ("Digest::SHA2", "hexdigest" | "digest" | "base64digest") => {
            check_argc(it, args, 1, 1)?;
            output(name, Alg::Sha256.digest(&bytes_arg(it, &args[0])?))
        }
        (c, "new") if c.starts_with("OpenSSL::Digest") => {
            // `OpenSSL::Digest.new(name [, data])`, `OpenSSL::Digest::SHA256.new([data])`
            let (alg, data) = if openssl_digest {
                check_argc(it, args, 1, 2)?;
                (openssl_alg(it, &args[0])?, args.get(1))
            } else {
                check_argc(it, args, 0, 1)?;
                (class_alg(it, c)?, args.first())
            };
            let data = match data {
                Some(d) => bytes_arg(it, d)?,
                None => Vec::new(),
            };
            object(it, c, alg, data, None)
        }
        (c, "new") if c.starts_with("Digest::") => {
            check_argc(it, args, 0, 0)?;
            let alg = class_alg(it, c)?;
            object(it, c, alg, Vec::new(), None)
        }
        (c, "hexdigest" | "digest" | "base64digest")
            if c.starts_with("Digest::") || c.starts_with("OpenSSL::Digest") =>
        {
            let (alg, data) = if openssl_digest {
                check_argc(it, args, 2, 2)?;
                (openssl_alg(it, &args[0])?, &args[1])
            } else {
                check_argc(it, args, 1, 1)?;
                (class_alg(it, c)?, &args[0])
            };
            output(name, alg.digest(&bytes_arg(it, data)?))
        }
        _ => return Ok(None),
    }))
}

/// The methods of a digest or HMAC object; None for others.
pub fn object_call(
    it: &mut Interp,
    o: &Rc<Object>,
    name: &str,
    args: &[Value],
) -> R<Option<Value>> {
    let ObjKind::Digest(d) = &o.kind else {
        return Ok(None);
    };
    let hmac = d.borrow().key.is_some();
    let openssl = o.class.name.starts_with("OpenSSL::");
    Ok(Some(match name {
        "update" | "<<" => {
            check_argc(it, args, 1, 1)?;
            let more = bytes_arg(it, &args[0])?;
            let len = d.borrow().data.len().saturating_add(more.len());
            it.spend(it.budget.len(len as i64))?;
            let spent = it.budget.alloc(more.len());
            it.spend(spent)?;
            d.borrow_mut().data.extend_from_slice(&more);
            Value::Object(o.clone())
        }
        "reset" => {
            d.borrow_mut().data.clear();
            Value::Object(o.clone())
        }
        "hexdigest" | "digest" | "base64digest" if !args.is_empty() && !hmac => {
            // the digest of the argument alone; the object is left empty
            check_argc(it, args, 1, 1)?;
            let data = bytes_arg(it, &args[0])?;
            let alg = d.borrow().alg;
            d.borrow_mut().data.clear();
            output(name, alg.digest(&data))
        }
        "hexdigest" | "digest" | "base64digest" => {
            check_argc(it, args, 0, 0)?;
            output(name, d.borrow().result())
        }
        "hexdigest!" | "digest!" if !hmac => {
            let out = d.borrow().result();
            d.borrow_mut().data.clear();
            output(name.trim_end_matches('!'), out)
        }
        "to_s" => Value::str(hex_of(o)),
        "inspect" => Value::str(inspect(o)),
        "name" if openssl && !hmac => Value::str(d.borrow().alg.name()),
        "digest_length" | "length" | "size" if !hmac => Value::Int(d.borrow().alg.length() as i64),
        "block_length" if !hmac => Value::Int(d.borrow().alg.block_length() as i64),
        "==" => {
            check_argc(it, args, 1, 1)?;
            let mine = hex(&d.borrow().result());
            Value::Bool(match &args[0] {
                Value::Str(s) => *s.borrow() == mine,
                Value::Object(other) => match &other.kind {
                    ObjKind::Digest(e) => hex(&e.borrow().result()) == mine,
                    _ => false,
                },
                _ => false,
            })
        }
        _ => return Ok(None),
    }))
}

/// How Ruby prints a digest object: its class and current hex digest (`Digest::SHA2` also its
/// bit length); an HMAC as its hex digest alone.
pub fn inspect(o: &Object) -> String {
    let ObjKind::Digest(d) = &o.kind else {
        return String::new();
    };
    let d = d.borrow();
    let hexed = hex(&d.result());
    if d.key.is_some() {
        hexed
    } else if o.class.name == "Digest::SHA2" {
        format!("#<Digest::SHA2:{} {hexed}>", d.alg.bits())
    } else {
        format!("#<{}: {hexed}>", o.class.name)
    }
}

/// A digest or HMAC object's current digest in hex (its `to_s`).
pub fn hex_of(o: &Object) -> String {
    match &o.kind {
        ObjKind::Digest(d) => hex(&d.borrow().result()),
        _ => String::new(),
    }
}

/// A digest as asked for: raw bytes, hex or Base64.
fn output(name: &str, bytes: Vec<u8>) -> Value {
    match name {
        "hexdigest" => Value::str(hex(&bytes)),
        "base64digest" => Value::str(base64::engine::general_purpose::STANDARD.encode(&bytes)),
        _ => Value::binary_result(bytes),
    }
}

/// The algorithm of a class named for one.
fn class_alg(it: &Interp, class: &str) -> R<Alg> {
    match Alg::of_class(class) {
        Some(a) => Ok(a),
        None => it.unsupported(&format!("{class} digests")),
    }
}

/// What OpenSSL takes for an algorithm: a name, or an `OpenSSL::Digest` object.
fn openssl_alg(it: &Interp, v: &Value) -> R<Alg> {
    match v {
        Value::Str(s) => {
            let name = s.borrow();
            match Alg::from_name(&name) {
                Some(a) => Ok(a),
                None => it.err(
                    "RuntimeError",
                    format!("Unsupported digest algorithm ({name}).: unknown object name"),
                ),
            }
        }
        Value::Object(o) if o.class.name.starts_with("OpenSSL::Digest") => match &o.kind {
            ObjKind::Digest(d) => Ok(d.borrow().alg),
            _ => it.type_err("wrong argument type digest (expected OpenSSL/Digest)"),
        },
        Value::Object(o) if matches!(o.kind, ObjKind::Digest(_)) => {
            it.type_err("wrong argument type digest (expected OpenSSL/Digest)")
        }
        other => it.type_err(format!(
            "no implicit conversion of {} into String",
            crate::methods::text::implicit_name(other)
        )),
    }
}

fn object(it: &mut Interp, class: &str, alg: Alg, data: Vec<u8>, key: Option<Vec<u8>>) -> Value {
    Value::Object(Rc::new(Object {
        class: it.classes.get(class).expect("a built-in class"),
        ivars: RefCell::new(IndexMap::new()),
        kind: ObjKind::Digest(RefCell::new(Digester { alg, data, key })),
    }))
}

#[cfg(test)]
mod tests {
    use super::Alg;

    /// RFC 4231's second case (a short key) and a key longer than SHA-256's block, which an
    /// HMAC digests before use.
    #[test]
    fn hmac_matches_rfc_4231() {
        let mac = super::hex(&Alg::Sha256.hmac(b"Jefe", b"what do ya want for nothing?"));
        assert_eq!(
            mac,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let long = super::hex(&Alg::Sha256.hmac(
            &[0xaa; 131],
            b"Test Using Larger Than Block-Size Key - Hash Key First",
        ));
        assert_eq!(
            long,
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn names_openssl_takes() {
        for (n, a) in [
            ("sha256", Alg::Sha256),
            ("SHA-384", Alg::Sha384),
            ("SHA2-512", Alg::Sha512),
            ("md5", Alg::Md5),
            ("Sha1", Alg::Sha1),
        ] {
            assert_eq!(Alg::from_name(n), Some(a), "{n}");
        }
        assert_eq!(Alg::from_name("sha3-256"), None);
    }
}
