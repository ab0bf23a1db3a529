//! Values the CLI's vars store generates (config-server's generators): `password` (20
//! characters of `a-z0-9` unless `length` says otherwise), `rsa` and `ssh` (2048-bit keys,
//! PKCS#1 PEM; ssh adds the authorized_keys line and its MD5 fingerprint), and `certificate`
//! (3072-bit key, subject `C=USA, O=Cloud Foundry, CN=common_name`, self-signed when `is_ca`
//! and no `ca`, else signed by the CA variable; SANs, extended key usages, key identifiers as
//! Go's x509 writes them). Keys and signatures come from aws-lc-rs, which bale already links
//! for TLS; the certificate's DER is written here (`der`).

use std::time::{SystemTime, UNIX_EPOCH};

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use base64::Engine as _;
use md5::Digest as _;

use super::der;
use super::failure::Failure;
use super::node::{Map, Node};
use super::sources::NotAMap;

type Lookup<'a> = dyn Fn(&str) -> Result<Option<Node>, Failure> + 'a;

pub fn generate(kind: &str, options: &Node, lookup: &Lookup<'_>) -> Result<Node, Failure> {
    match kind {
        "password" => password(options),
        "ssh" => ssh(),
        "rsa" => rsa(),
        "certificate" => certificate(options, lookup),
        other => Err(Failure::leaf(format!("Unsupported value type: {other}"))),
    }
}

fn fields(pairs: Vec<(&str, String)>) -> Node {
    Node::Map(
        pairs
            .into_iter()
            .map(|(k, v)| (Node::Str(k.into()), Node::Str(v)))
            .collect(),
    )
}

/// Generation options config-server refuses, in its words.
#[derive(Debug, thiserror::Error)]
enum OptionError {
    #[error("Unsupported parameter '{0}'")]
    Unsupported(String),
    #[error("Expected input to be deserializable: yaml: unmarshal errors:\n  line 1: cannot unmarshal {0} into map[string]interface {{}}")]
    NotAMap(NotAMap),
    #[error("yaml: unmarshal errors:\n  line 1: cannot unmarshal !!{0} `{1}` into int")]
    NotAnInt(&'static str, String),
    #[error("yaml: unmarshal errors:\n  line 1: cannot unmarshal !!{0} into string")]
    NotAString(&'static str),
    #[error("yaml: unmarshal errors:\n  line 1: cannot unmarshal into []string ('{0}')")]
    NotAList(String),
}

/// Option keys checked against the generator's list, as config-server does.
fn option_map<'n>(options: &'n Node, supported: &[&str]) -> Result<Option<&'n Map>, OptionError> {
    match options {
        Node::Null => Ok(None),
        Node::Map(m) => {
            for (k, _) in m.iter() {
                let key = match k {
                    Node::Str(s) => s.clone(),
                    other => other.go_v(),
                };
                if !supported.contains(&key.as_str()) {
                    return Err(OptionError::Unsupported(key));
                }
            }
            Ok(Some(m))
        }
        other => Err(OptionError::NotAMap(NotAMap::of(other))),
    }
}

/// Longest password generated: the length comes from the manifest, and config-server would
/// allocate whatever it asks for.
const MAX_PASSWORD: i64 = 1 << 16;

fn password(options: &Node) -> Result<Node, Failure> {
    let invalid = |e: OptionError| {
        Failure::leaf(e.to_string()).wrap("Failed to generate password, parameters are invalid")
    };
    let opts = option_map(options, &["length"]).map_err(invalid)?;
    let length = match opts.and_then(|m| m.get_str("length")) {
        None | Some(Node::Null) => 0,
        Some(Node::Int(i)) => *i,
        Some(other) => {
            let tag = if matches!(other, Node::Str(_)) {
                "str"
            } else {
                "float"
            };
            return Err(invalid(OptionError::NotAnInt(tag, other.go_v())));
        }
    };
    if length < 0 {
        return Err(Failure::leaf(
            "Failed to generate password, 'length' param cannot be negative",
        ));
    }
    if length > MAX_PASSWORD {
        return Err(Failure::leaf(format!(
            "Failed to generate password, 'length' param cannot be greater than {MAX_PASSWORD}"
        )));
    }
    let length = if length == 0 { 20 } else { length as usize };
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let rng = SystemRandom::new();
    let mut out = String::with_capacity(length);
    // About 1 byte in 64 is rejected, so one fill of this size nearly always suffices.
    let mut random = vec![0u8; length + length / 16 + 16];
    while out.len() < length {
        rng.fill(&mut random)
            .map_err(|_| Failure::leaf("reading random bytes failed"))?;
        // 252 = 7 * 36: rejecting above it keeps every letter equally likely.
        for b in random.iter().filter(|b| **b < 252).take(length - out.len()) {
            out.push(LETTERS[(b % 36) as usize] as char);
        }
    }
    Ok(Node::Str(out))
}

struct Key {
    pair: RsaKeyPair,
    /// PKCS#1 RSAPrivateKey DER.
    pkcs1: Vec<u8>,
}

fn new_key(size: KeySize) -> Result<Key, Failure> {
    let pair = RsaKeyPair::generate(size)
        .map_err(|_| Failure::leaf("Generating Key: RSA key generation failed"))?;
    let pkcs8 = pair
        .as_der()
        .map_err(|_| Failure::leaf("Generating Key: encoding failed"))?;
    let pkcs1 = der::pkcs1_from_pkcs8(pkcs8.as_ref())
        .ok_or_else(|| Failure::leaf("Generating Key: unexpected PKCS#8 layout"))?;
    Ok(Key { pair, pkcs1 })
}

fn key_from_pkcs1(der_bytes: &[u8]) -> Result<Key, Failure> {
    let pair = RsaKeyPair::from_der(der_bytes)
        .map_err(|e| Failure::leaf(format!("Parsing private key: {e}")))?;
    Ok(Key {
        pair,
        pkcs1: der_bytes.to_vec(),
    })
}

impl Key {
    fn modulus(&self) -> Vec<u8> {
        der::pkcs1_public(&self.pkcs1)
            .map(|(n, _)| n)
            .unwrap_or_default()
    }

    fn exponent(&self) -> Vec<u8> {
        der::pkcs1_public(&self.pkcs1)
            .map(|(_, e)| e)
            .unwrap_or_default()
    }

    fn spki(&self) -> Vec<u8> {
        der::rsa_spki(&self.modulus(), &self.exponent())
    }

    fn private_pem(&self) -> String {
        pem("RSA PRIVATE KEY", &self.pkcs1)
    }

    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, Failure> {
        let mut sig = vec![0u8; self.pair.public_modulus_len()];
        self.pair
            .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), msg, &mut sig)
            .map_err(|_| Failure::leaf("signing failed"))?;
        Ok(sig)
    }
}

/// Go's `pem.EncodeToMemory`: 64-column base64 lines.
pub fn pem(kind: &str, der_bytes: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der_bytes);
    let mut out = format!("-----BEGIN {kind}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).expect("base64 is ascii"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {kind}-----\n"));
    out
}

fn rsa() -> Result<Node, Failure> {
    let key = new_key(KeySize::Rsa2048)
        .map_err(|e| Failure::leaf(format!("Generating RSA key pair: {e}")))?;
    Ok(fields(vec![
        ("private_key", key.private_pem()),
        ("public_key", pem("PUBLIC KEY", &key.spki())),
    ]))
}

fn ssh() -> Result<Node, Failure> {
    let key = new_key(KeySize::Rsa2048)
        .map_err(|e| Failure::leaf(format!("Generating RSA key pair: {e}")))?;
    let mut blob = Vec::new();
    for part in [
        b"ssh-rsa".to_vec(),
        mpint(&key.exponent()),
        mpint(&key.modulus()),
    ] {
        blob.extend_from_slice(&(part.len() as u32).to_be_bytes());
        blob.extend_from_slice(&part);
    }
    let line = format!(
        "ssh-rsa {}\n",
        base64::engine::general_purpose::STANDARD.encode(&blob)
    );
    let digest = md5::Md5::digest(&blob);
    let fingerprint = digest
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":");
    Ok(fields(vec![
        ("private_key", key.private_pem()),
        ("public_key", line),
        ("public_key_fingerprint", fingerprint),
    ]))
}

/// SSH's mpint: big-endian, a zero byte first when the top bit is set.
fn mpint(v: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len() + 1);
    if v.first().is_some_and(|b| b & 0x80 != 0) {
        out.push(0);
    }
    out.extend_from_slice(v);
    out
}

struct CertParams {
    common_name: String,
    organization: String,
    alternative_names: Vec<String>,
    is_ca: bool,
    ca: String,
    ext_key_usage: Vec<String>,
    duration: i64,
}

fn cert_params(options: &Node) -> Result<CertParams, OptionError> {
    let supported = [
        "common_name",
        "organization",
        "alternative_names",
        "is_ca",
        "ca",
        "extended_key_usage",
        "duration",
    ];
    let m = option_map(options, &supported)?;
    let get = |k: &str| {
        m.and_then(|m| m.get_str(k))
            .filter(|v| !matches!(v, Node::Null))
    };
    let text = |k: &str| -> Result<String, OptionError> {
        match get(k) {
            None => Ok(String::new()),
            Some(Node::Str(s)) => Ok(s.clone()),
            Some(Node::Seq(_)) => Err(OptionError::NotAString("seq")),
            Some(Node::Map(_)) => Err(OptionError::NotAString("map")),
            Some(other) => Ok(other.go_v()),
        }
    };
    let list = |k: &str| -> Result<Vec<String>, OptionError> {
        match get(k) {
            None => Ok(Vec::new()),
            Some(Node::Seq(items)) => Ok(items
                .iter()
                .map(|i| match i {
                    Node::Str(s) => s.clone(),
                    Node::Null => String::new(),
                    other => other.go_v(),
                })
                .collect()),
            Some(_) => Err(OptionError::NotAList(k.to_string())),
        }
    };
    Ok(CertParams {
        common_name: text("common_name")?,
        organization: text("organization")?,
        alternative_names: list("alternative_names")?,
        is_ca: matches!(get("is_ca"), Some(Node::Bool(true))),
        ca: text("ca")?,
        ext_key_usage: list("extended_key_usage")?,
        duration: match get("duration") {
            Some(Node::Int(i)) => *i,
            _ => 0,
        },
    })
}

struct Issuer {
    cert_der: Vec<u8>,
    subject: Vec<u8>,
    key_id: Option<Vec<u8>>,
    key: Key,
}

fn load_ca(name: &str, lookup: &Lookup<'_>) -> Result<Issuer, Failure> {
    let Some(val) = lookup(name)? else {
        return Err(Failure::leaf(format!(
            "Expected to find variable '{name}' with a certificate"
        )));
    };
    let field = |k: &str| match &val {
        Node::Map(m) => m
            .get_str(k)
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_string(),
        _ => String::new(),
    };
    let cert_der = der::pem_block(&field("certificate"))
        .ok_or_else(|| Failure::leaf("Certificate did not contain PEM formatted block"))?;
    let (subject, key_id) = der::cert_subject_and_key_id(&cert_der)
        .ok_or_else(|| Failure::leaf("x509: malformed certificate").wrap("Parsing certificate"))?;
    let key_der = der::pem_block(&field("private_key"))
        .ok_or_else(|| Failure::leaf("Private key did not contain PEM formatted block"))?;
    let key = key_from_pkcs1(&key_der)?;
    Ok(Issuer {
        cert_der,
        subject,
        key_id,
        key,
    })
}

fn certificate(options: &Node, lookup: &Lookup<'_>) -> Result<Node, Failure> {
    let p = cert_params(options).map_err(|e| {
        Failure::leaf(e.to_string()).wrap("Failed to generate certificate, parameters are invalid")
    })?;
    let key = new_key(KeySize::Rsa3072)?;
    let issuer = if p.ca.is_empty() {
        None
    } else {
        Some(load_ca(&p.ca, lookup).map_err(|e| e.wrap("Loading certificates"))?)
    };
    let org = if p.organization.is_empty() {
        "Cloud Foundry".to_string()
    } else {
        p.organization.clone()
    };
    let subject = der::name("USA", &org, &p.common_name);
    let modulus = key.modulus();
    let ski = sha1_of(&modulus);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let days = if p.duration > 0 { p.duration } else { 365 };
    // X.509 times end with the year 9999; a longer duration would not be representable (and
    // its seconds could overflow).
    const LAST_SECOND: i64 = 253_402_300_799;
    let not_after = days
        .checked_mul(86_400)
        .and_then(|d| now.checked_add(d))
        .filter(|t| *t <= LAST_SECOND)
        .ok_or_else(|| {
            Failure::leaf(format!(
                "Failed to generate certificate, 'duration' of {days} days ends after the year 9999"
            ))
        })?;
    let mut serial = [0u8; 16];
    SystemRandom::new()
        .fill(&mut serial)
        .map_err(|_| Failure::leaf("Generating Serial Number: random bytes failed"))?;
    let mut tbs = der::Tbs {
        serial: serial.to_vec(),
        issuer: subject.clone(),
        subject: subject.clone(),
        not_before: now,
        not_after,
        spki: key.spki(),
        key_usage_ca: p.is_ca,
        ext_key_usage: Vec::new(),
        is_ca: p.is_ca,
        subject_key_id: ski.clone(),
        authority_key_id: None,
        dns_names: Vec::new(),
        ips: Vec::new(),
    };
    let (signer, ca_der): (&Key, Option<Vec<u8>>) = if p.is_ca {
        match &issuer {
            Some(i) => {
                tbs.issuer = i.subject.clone();
                tbs.authority_key_id = i.key_id.clone();
                (&i.key, Some(i.cert_der.clone()))
            }
            None => {
                tbs.authority_key_id = Some(ski.clone());
                (&key, None)
            }
        }
    } else {
        let Some(i) = &issuer else {
            return Err(Failure::leaf("Missing required CA name"));
        };
        for u in &p.ext_key_usage {
            match u.as_str() {
                "client_auth" => tbs.ext_key_usage.push(der::EKU_CLIENT_AUTH),
                "server_auth" => tbs.ext_key_usage.push(der::EKU_SERVER_AUTH),
                other => {
                    return Err(Failure::leaf(format!(
                        "Unsupported extended key usage value: {other}"
                    )))
                }
            }
        }
        if p.ext_key_usage.is_empty() {
            tbs.ext_key_usage.push(der::EKU_SERVER_AUTH);
        }
        for n in &p.alternative_names {
            match n.parse::<std::net::IpAddr>() {
                Ok(std::net::IpAddr::V4(v4)) => tbs.ips.push(v4.octets().to_vec()),
                Ok(std::net::IpAddr::V6(v6)) => tbs.ips.push(v6.octets().to_vec()),
                Err(_) => tbs.dns_names.push(n.clone()),
            }
        }
        tbs.issuer = i.subject.clone();
        tbs.authority_key_id = i.key_id.clone();
        (&i.key, Some(i.cert_der.clone()))
    };
    let tbs_der = tbs.encode();
    let sig = signer.sign(&tbs_der)?;
    let cert = der::certificate(&tbs_der, &sig);
    let ca = ca_der.unwrap_or_else(|| cert.clone());
    Ok(fields(vec![
        ("certificate", pem("CERTIFICATE", &cert)),
        ("private_key", key.private_pem()),
        ("ca", pem("CERTIFICATE", &ca)),
    ]))
}

fn sha1_of(b: &[u8]) -> Vec<u8> {
    use sha1::Digest as _;
    sha1::Sha1::digest(b).to_vec()
}
