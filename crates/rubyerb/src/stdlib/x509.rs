//! OpenSSL::X509 Certificate, Extension and Name: what templates check of the certificates
//! they are given (gorouter's looks for a subjectAltName extension and compares subjects).
//! Parsing is x509-cert's; names and texts follow OpenSSL's (Ruby's openssl gem) output.

use std::cell::RefCell;
use std::rc::Rc;

use base64::Engine as _;
use indexmap::IndexMap;
use x509_cert::der::{asn1::ObjectIdentifier, Decode, Encode, Tagged};
use x509_cert::ext::pkix::{
    name::GeneralName, AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage,
    SubjectAltName, SubjectKeyIdentifier,
};

use super::super::interp::{Interp, R};
use super::super::methods::{arg, str_arg};
use super::super::value::{ObjKind, Object, Value};

/// A certificate text longer than this is refused before decoding.
const MAX_INPUT: usize = 1 << 20;

/// Certificates kept parsed, at most: past it the cache starts again.
const CACHE_CERTS: usize = 256;

thread_local! {
    /// Parsed certificates by their text: a deployment hands the same CA and server
    /// certificates to every instance of a job, and each instance's templates would decode
    /// them again. A `Cert` is never changed once made, so one is shared. Emptied with the
    /// compiled programs (`crate::forget_compiled`).
    static CERTS: RefCell<rustc_hash::FxHashMap<Box<[u8]>, Rc<Cert>>> = Default::default();
}

/// Empties the parsed certificates (see [`crate::forget_compiled`]).
pub fn forget_cache() {
    CERTS.with(|c| c.borrow_mut().clear());
}

/// `parse`, remembered when it succeeds.
fn parse_cached(text: &[u8]) -> Result<Rc<Cert>, &'static str> {
    if let Some(c) = CERTS.with(|c| c.borrow().get(text).cloned()) {
        return Ok(c);
    }
    let cert = Rc::new(parse(text)?);
    CERTS.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_CERTS {
            c.clear();
        }
        c.insert(text.into(), cert.clone());
    });
    Ok(cert)
}

pub enum X509 {
    Cert(Rc<Cert>),
    Ext(Ext),
    Name(Vec<Entry>),
}

pub struct Cert {
    der: Vec<u8>,
    subject: Vec<Entry>,
    issuer: Vec<Entry>,
    exts: Vec<Ext>,
    version: i64,
    serial: Vec<u8>,
}

#[derive(Clone)]
pub struct Ext {
    oid: String,
    value: String,
    critical: bool,
}

/// One name attribute as `Name#to_a` shows it: short name, value, ASN.1 string type.
#[derive(Clone, PartialEq)]
pub struct Entry {
    name: String,
    value: String,
    ty: i64,
}

const NAMES: &[(&str, &str, &str)] = &[
    ("2.5.4.3", "CN", "commonName"),
    ("2.5.4.4", "SN", "surname"),
    ("2.5.4.5", "serialNumber", "serialNumber"),
    ("2.5.4.6", "C", "countryName"),
    ("2.5.4.7", "L", "localityName"),
    ("2.5.4.8", "ST", "stateOrProvinceName"),
    ("2.5.4.9", "street", "streetAddress"),
    ("2.5.4.10", "O", "organizationName"),
    ("2.5.4.11", "OU", "organizationalUnitName"),
    ("2.5.4.12", "title", "title"),
    ("2.5.4.17", "postalCode", "postalCode"),
    ("2.5.4.42", "GN", "givenName"),
    ("0.9.2342.19200300.100.1.1", "UID", "userId"),
    ("0.9.2342.19200300.100.1.25", "DC", "domainComponent"),
    ("1.2.840.113549.1.9.1", "emailAddress", "emailAddress"),
    (
        "2.5.29.14",
        "subjectKeyIdentifier",
        "X509v3 Subject Key Identifier",
    ),
    ("2.5.29.15", "keyUsage", "X509v3 Key Usage"),
    (
        "2.5.29.17",
        "subjectAltName",
        "X509v3 Subject Alternative Name",
    ),
    (
        "2.5.29.18",
        "issuerAltName",
        "X509v3 Issuer Alternative Name",
    ),
    ("2.5.29.19", "basicConstraints", "X509v3 Basic Constraints"),
    ("2.5.29.30", "nameConstraints", "X509v3 Name Constraints"),
    (
        "2.5.29.31",
        "crlDistributionPoints",
        "X509v3 CRL Distribution Points",
    ),
    (
        "2.5.29.32",
        "certificatePolicies",
        "X509v3 Certificate Policies",
    ),
    (
        "2.5.29.35",
        "authorityKeyIdentifier",
        "X509v3 Authority Key Identifier",
    ),
    ("2.5.29.37", "extendedKeyUsage", "X509v3 Extended Key Usage"),
    (
        "1.3.6.1.5.5.7.1.1",
        "authorityInfoAccess",
        "Authority Information Access",
    ),
];

const EKU: &[(&str, &str)] = &[
    ("1.3.6.1.5.5.7.3.1", "TLS Web Server Authentication"),
    ("1.3.6.1.5.5.7.3.2", "TLS Web Client Authentication"),
    ("1.3.6.1.5.5.7.3.3", "Code Signing"),
    ("1.3.6.1.5.5.7.3.4", "E-mail Protection"),
    ("1.3.6.1.5.5.7.3.8", "Time Stamping"),
    ("1.3.6.1.5.5.7.3.9", "OCSP Signing"),
];

fn short_name(oid: &ObjectIdentifier) -> String {
    let s = oid.to_string();
    NAMES
        .iter()
        .find(|(o, _, _)| *o == s)
        .map(|(_, n, _)| n.to_string())
        .unwrap_or(s)
}

fn entries(name: &x509_cert::name::Name) -> Vec<Entry> {
    let mut out = Vec::new();
    for rdn in &name.0 {
        for atv in rdn.0.iter() {
            out.push(Entry {
                name: short_name(&atv.oid),
                value: String::from_utf8_lossy(atv.value.value()).into_owned(),
                ty: atv.value.tag().number().value() as i64,
            });
        }
    }
    out
}

fn hex_colon(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// The extension's value as OpenSSL prints it (X509V3_EXT_print) for the extensions
/// certificates carry; others print their raw bytes.
fn ext_value(oid: &str, der: &[u8]) -> String {
    let text = match oid {
        "2.5.29.17" => SubjectAltName::from_der(der).ok().map(|s| {
            s.0.iter()
                .map(|g| match g {
                    GeneralName::DnsName(n) => format!("DNS:{}", n.as_str()),
                    GeneralName::Rfc822Name(n) => format!("email:{}", n.as_str()),
                    GeneralName::UniformResourceIdentifier(n) => format!("URI:{}", n.as_str()),
                    GeneralName::IpAddress(ip) => match ip.as_bytes() {
                        [a, b, c, d] => format!("IP Address:{a}.{b}.{c}.{d}"),
                        b if b.len() == 16 => {
                            let a: [u8; 16] = b.try_into().unwrap();
                            let groups: Vec<String> = a
                                .chunks(2)
                                .map(|p| format!("{:X}", u16::from_be_bytes([p[0], p[1]])))
                                .collect();
                            format!("IP Address:{}", groups.join(":"))
                        }
                        _ => "IP Address:<invalid>".into(),
                    },
                    GeneralName::RegisteredId(o) => format!("Registered ID:{o}"),
                    GeneralName::DirectoryName(n) => format!("DirName:{}", slash_form(&entries(n))),
                    _ => "othername:<unsupported>".into(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        }),
        "2.5.29.19" => BasicConstraints::from_der(der).ok().map(|b| {
            let mut s = format!("CA:{}", if b.ca { "TRUE" } else { "FALSE" });
            if let Some(n) = b.path_len_constraint {
                s.push_str(&format!(", pathlen:{n}"));
            }
            s
        }),
        "2.5.29.14" => SubjectKeyIdentifier::from_der(der)
            .ok()
            .map(|k| hex_colon(k.0.as_bytes())),
        "2.5.29.35" => AuthorityKeyIdentifier::from_der(der)
            .ok()
            .and_then(|k| k.key_identifier.map(|k| hex_colon(k.as_bytes()))),
        "2.5.29.15" => KeyUsage::from_der(der).ok().map(|k| {
            const USAGES: [&str; 9] = [
                "Digital Signature",
                "Non Repudiation",
                "Key Encipherment",
                "Data Encipherment",
                "Key Agreement",
                "Certificate Sign",
                "CRL Sign",
                "Encipher Only",
                "Decipher Only",
            ];
            let bits = k.0.bits();
            USAGES
                .iter()
                .enumerate()
                .filter(|(i, _)| bits & (1 << i) != 0)
                .map(|(_, n)| *n)
                .collect::<Vec<_>>()
                .join(", ")
        }),
        "2.5.29.37" => ExtendedKeyUsage::from_der(der).ok().map(|e| {
            e.0.iter()
                .map(|o| {
                    let s = o.to_string();
                    EKU.iter()
                        .find(|(k, _)| *k == s)
                        .map(|(_, n)| n.to_string())
                        .unwrap_or(s)
                })
                .collect::<Vec<_>>()
                .join(", ")
        }),
        _ => None,
    };
    text.unwrap_or_else(|| hex_colon(der))
}

fn slash_form(e: &[Entry]) -> String {
    e.iter()
        .map(|e| format!("/{}={}", e.name, e.value))
        .collect()
}

fn comma_form(e: &[Entry]) -> String {
    e.iter()
        .rev()
        .map(|e| format!("{}={}", e.name, e.value))
        .collect::<Vec<_>>()
        .join(",")
}

/// The first certificate of a PEM text (a chain gives its leaf), else the text as DER;
/// failures carry OpenSSL's messages.
fn parse(text: &[u8]) -> Result<Cert, &'static str> {
    const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
    const END: &[u8] = b"-----END CERTIFICATE-----";
    let der = match text.windows(BEGIN.len()).position(|w| w == BEGIN) {
        Some(i) => {
            let body = &text[i + BEGIN.len()..];
            let end = body
                .windows(END.len())
                .position(|w| w == END)
                .ok_or("PEM_read_bio_X509: bad end line")?;
            let b64: Vec<u8> = body[..end]
                .iter()
                .copied()
                .filter(|c| !c.is_ascii_whitespace())
                .collect();
            base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map_err(|_| "PEM_read_bio_X509: bad base64 decode")?
        }
        None => text.to_vec(),
    };
    let cert = match x509_cert::Certificate::from_der(&der) {
        Ok(c) => c,
        // OpenSSL's error data after the reason, as the openssl gem (3.2 and later) prints it
        Err(_) if der.len() == text.len() => {
            return Err("PEM_read_bio_X509: no start line (Expecting: CERTIFICATE)")
        }
        Err(_) => return Err("PEM_read_bio_X509: ASN1 lib"),
    };
    let tbs = &cert.tbs_certificate;
    let exts = tbs
        .extensions
        .iter()
        .flatten()
        .map(|e| {
            let oid = e.extn_id.to_string();
            Ext {
                value: ext_value(&oid, e.extn_value.as_bytes()),
                oid: short_name(&e.extn_id),
                critical: e.critical,
            }
        })
        .collect();
    Ok(Cert {
        der: cert.to_der().unwrap_or(der),
        subject: entries(&tbs.subject),
        issuer: entries(&tbs.issuer),
        exts,
        version: tbs.version as i64,
        serial: tbs.serial_number.as_bytes().to_vec(),
    })
}

fn obj(it: &Interp, class: &str, x: X509) -> Value {
    Value::Object(Rc::new(Object {
        class: it.classes.get(class).unwrap(),
        ivars: RefCell::new(IndexMap::new()),
        kind: ObjKind::X509(x),
    }))
}

/// `OpenSSL::X509::Certificate.new`, `Extension.new`, `Name.new`.
pub fn class_call(it: &mut Interp, class: &str, name: &str, args: &[Value]) -> R<Option<Value>> {
    if name != "new" {
        return Ok(None);
    }
    let v = match class {
        "OpenSSL::X509::Certificate" => {
            let text = str_arg(it, &arg(args, 0))?;
            if text.len() > MAX_INPUT {
                return it.err(
                    "OpenSSL::X509::CertificateError",
                    "certificate text over 1 MiB",
                );
            }
            // a DER string reaches here as Latin-1 characters, one per byte
            let bytes: Vec<u8> = if text.chars().all(|c| (c as u32) < 256) {
                text.chars().map(|c| c as u8).collect()
            } else {
                text.into_bytes()
            };
            match parse_cached(&bytes) {
                Ok(c) => obj(it, class, X509::Cert(c)),
                Err(m) => return it.err("OpenSSL::X509::CertificateError", m),
            }
        }
        "OpenSSL::X509::Extension" => match args {
            [Value::Object(o)] if matches!(&o.kind, ObjKind::X509(X509::Ext(_))) => {
                let ObjKind::X509(X509::Ext(e)) = &o.kind else {
                    unreachable!()
                };
                obj(it, class, X509::Ext(e.clone()))
            }
            [oid, value, rest @ ..] if rest.len() <= 1 => {
                let oid = str_arg(it, oid)?;
                let e = Ext {
                    oid: NAMES
                        .iter()
                        .find(|(o, s, l)| *o == oid || *s == oid || *l == oid)
                        .map(|(_, s, _)| s.to_string())
                        .unwrap_or(oid),
                    value: str_arg(it, value)?,
                    critical: rest.first().is_some_and(Value::truthy),
                };
                obj(it, class, X509::Ext(e))
            }
            _ => return it.argc(args.len(), "1..3"),
        },
        "OpenSSL::X509::Name" => {
            let mut out = Vec::new();
            if let Value::Array(a) = arg(args, 0) {
                for item in a.borrow().iter() {
                    let Value::Array(f) = item else {
                        return it.type_err(format!(
                            "no implicit conversion of {} into Array",
                            item.class_name()
                        ));
                    };
                    let f = f.borrow();
                    let field = str_arg(it, &arg(&f, 0))?;
                    let name = NAMES
                        .iter()
                        .find(|(o, s, l)| *o == field || *s == field || *l == field)
                        .map(|(_, s, _)| s.to_string())
                        .unwrap_or(field);
                    let ty = match arg(&f, 2) {
                        Value::Int(t) => t,
                        _ if matches!(name.as_str(), "C" | "serialNumber") => 19,
                        _ if matches!(name.as_str(), "DC" | "emailAddress") => 22,
                        _ => 12,
                    };
                    let value = str_arg(it, &arg(&f, 1))?;
                    out.push(Entry { name, value, ty });
                }
            }
            obj(it, class, X509::Name(out))
        }
        _ => return Ok(None),
    };
    Ok(Some(v))
}

fn name_array(e: &[Entry]) -> Value {
    Value::array(
        e.iter()
            .map(|e| {
                Value::array(vec![
                    Value::str(e.name.clone()),
                    Value::str(e.value.clone()),
                    Value::Int(e.ty),
                ])
            })
            .collect(),
    )
}

/// What makes two Names equal (OpenSSL compares their attributes): their key in hashes,
/// `uniq`, `&` and `intersect?`.
pub fn key(x: &X509) -> Option<String> {
    match x {
        X509::Name(n) => Some(
            n.iter()
                .map(|e| format!("{}\0{}\0", e.name, e.value))
                .collect(),
        ),
        _ => None,
    }
}

/// `to_s` of these objects when a template prints them.
pub fn text(x: &X509, class: &str) -> String {
    match x {
        X509::Cert(c) => pem(&c.der),
        X509::Name(n) => slash_form(n),
        X509::Ext(_) => format!("#<{class}:0x0000000000000000>"),
    }
}

fn pem(der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut s = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in b64.as_bytes().chunks(64) {
        s.push_str(std::str::from_utf8(line).unwrap());
        s.push('\n');
    }
    s.push_str("-----END CERTIFICATE-----\n");
    s
}

/// Methods of Certificate, Extension and Name objects.
pub fn object_call(it: &mut Interp, o: &Object, name: &str, args: &[Value]) -> R<Option<Value>> {
    let ObjKind::X509(x) = &o.kind else {
        return Ok(None);
    };
    let v = match (x, name) {
        (X509::Cert(c), "subject") => obj(it, "OpenSSL::X509::Name", X509::Name(c.subject.clone())),
        (X509::Cert(c), "issuer") => obj(it, "OpenSSL::X509::Name", X509::Name(c.issuer.clone())),
        (X509::Cert(c), "extensions") => Value::array(
            c.exts
                .iter()
                .map(|e| obj(it, "OpenSSL::X509::Extension", X509::Ext(e.clone())))
                .collect(),
        ),
        (X509::Cert(c), "version") => Value::Int(c.version),
        (X509::Cert(c), "serial") if c.serial.len() <= 7 => {
            Value::Int(c.serial.iter().fold(0i64, |a, b| a << 8 | *b as i64))
        }
        (X509::Cert(c), "to_pem" | "to_s") => Value::str(pem(&c.der)),
        (X509::Cert(c), "to_der") => Value::binary_result(c.der.clone()),
        (X509::Ext(e), "oid") => Value::str(e.oid.clone()),
        (X509::Ext(e), "value") => Value::str(e.value.clone()),
        (X509::Ext(e), "critical?") => Value::Bool(e.critical),
        (X509::Ext(e), "to_s") => Value::str(format!(
            "{} = {}{}",
            e.oid,
            if e.critical { "critical, " } else { "" },
            e.value
        )),
        (X509::Ext(e), "to_a") => Value::array(vec![
            Value::str(e.oid.clone()),
            Value::str(e.value.clone()),
            Value::Bool(e.critical),
        ]),
        (X509::Name(n), "to_s") => Value::str(slash_form(n)),
        (X509::Name(n), "to_a") => name_array(n),
        (X509::Name(n), "inspect") => {
            Value::str(format!("#<OpenSSL::X509::Name {}>", comma_form(n)))
        }
        (X509::Name(_), "==" | "eql?") => Value::Bool(match arg(args, 0) {
            Value::Object(p) => match &p.kind {
                ObjKind::X509(y) => key(x) == key(y),
                _ => false,
            },
            _ => false,
        }),
        _ => return Ok(None),
    };
    Ok(Some(v))
}
