//! Signed URLs exactly as BOSH's DAV client makes them and its nginx checks them
//! (spec: blobstore.md §2.5): `st` = base64url (no padding) of
//! HMAC-SHA256(secret, VERB + "<XX>/<id>" + ts + e), valid while now <= ts + e.

use base64::Engine as _;
use hmac::{KeyInit, Mac};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// HMAC-SHA256(secret, VERB + object_path + ts + e), the message both sides compute.
fn mac(secret: &str, verb: &str, object_path: &str, ts: u64, e: u64) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("{}{object_path}{ts}{e}", verb.to_ascii_uppercase()).as_bytes());
    mac
}

/// The `st` value for a verb, object path (`<XX>/<id>`), timestamp and lifetime in seconds.
pub fn sign(secret: &str, verb: &str, object_path: &str, ts: u64, e: u64) -> String {
    let tag = mac(secret, verb, object_path, ts, e)
        .finalize()
        .into_bytes();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(tag)
}

/// Whether `st` is a valid, unexpired signature (constant-time comparison).
pub fn check(
    secret: &str,
    verb: &str,
    object_path: &str,
    ts: u64,
    e: u64,
    st: &str,
    now: u64,
) -> bool {
    if now > ts.saturating_add(e) {
        return false;
    }
    let Ok(given) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(st) else {
        return false;
    };
    mac(secret, verb, object_path, ts, e)
        .verify_slice(&given)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_spec_vector() {
        let p = "95/a5e2f2a1-8b4c-4d3e-9f10-1234567890ab";
        let st = sign("s3cr3t", "GET", p, 1_700_000_000, 86_400);
        assert_eq!(st, "qs_ILnK6BFcSuKwMZqGcaEjLIfMV-yYPkQ4lOi8IORo");
        assert!(check(
            "s3cr3t",
            "GET",
            p,
            1_700_000_000,
            86_400,
            &st,
            1_700_000_001
        ));
        assert!(!check(
            "s3cr3t",
            "PUT",
            p,
            1_700_000_000,
            86_400,
            &st,
            1_700_000_001
        ));
        assert!(!check(
            "s3cr3t",
            "GET",
            p,
            1_700_000_000,
            86_400,
            &st,
            1_700_086_401
        ));
        assert!(!check(
            "other",
            "GET",
            p,
            1_700_000_000,
            86_400,
            &st,
            1_700_000_001
        ));
    }
}
