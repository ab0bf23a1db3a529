//! Signed URLs exactly as BOSH's DAV client makes them and its nginx checks them
//! (spec: blobstore.md §2.5): `st` = base64url (no padding) of
//! HMAC-SHA256(secret, VERB + "<XX>/<id>" + ts + e), valid while now <= ts + e.
//!
//! The message has no separator between `ts` and `e`, so the digits can be moved from one to
//! the other without changing the MAC (`ts=1700000000&e=86400` and `ts=17000000008&e=6400`
//! sign the same bytes). The director signs the same message, so the wire format stays; the
//! server bounds what it accepts instead: canonical decimals only, `ts` no later than now plus
//! a small clock skew, `e` no longer than a configured maximum. A moved digit then makes `ts`
//! ten times larger (centuries ahead: refused) or ten times smaller (decades ago: expired).

use base64::Engine as _;
use hmac::{KeyInit, Mac};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// How far `ts` may be ahead of the server's clock.
pub const CLOCK_SKEW: u64 = 300;

/// The longest lifetime `e` accepted unless configured otherwise: 7 days (the director asks
/// for 24 hours).
pub const DEFAULT_MAX_EXPIRY: u64 = 7 * 24 * 3600;

/// Why a signed URL was refused; the server answers 403 with this text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("{0} is missing")]
    Missing(&'static str),
    #[error("{0} is not a canonical decimal number (digits only, no leading zero, sign or space)")]
    NotCanonical(&'static str),
    #[error("ts is more than {CLOCK_SKEW} seconds in the future")]
    Future,
    #[error("e is longer than the {0} seconds this server accepts")]
    TooLong(u64),
    #[error("the URL has expired")]
    Expired,
    #[error("the signature does not match")]
    Signature,
}

/// What the server accepts besides a valid MAC.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The longest `e`, in seconds.
    pub max_expiry: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_expiry: DEFAULT_MAX_EXPIRY,
        }
    }
}

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

/// A query value as the signer printed it: ASCII digits, no leading zero (but `0` itself),
/// at most 19 digits so it fits a u64. Anything else would let two spellings share one MAC.
fn canonical(name: &'static str, v: Option<&str>) -> Result<u64, Refused> {
    let v = v.ok_or(Refused::Missing(name))?;
    let digits_only = !v.is_empty() && v.len() <= 19 && v.bytes().all(|b| b.is_ascii_digit());
    if !digits_only || (v.len() > 1 && v.starts_with('0')) {
        return Err(Refused::NotCanonical(name));
    }
    v.parse().map_err(|_| Refused::NotCanonical(name))
}

/// Checks a signed URL's query values (as received, before any parsing) at time `now`.
/// The bounds come before the MAC so a stretched URL is refused for what it is.
#[allow(clippy::too_many_arguments)]
pub fn check(
    secret: &str,
    verb: &str,
    object_path: &str,
    ts: Option<&str>,
    e: Option<&str>,
    st: Option<&str>,
    now: u64,
    limits: &Limits,
) -> Result<(), Refused> {
    let ts = canonical("ts", ts)?;
    let e = canonical("e", e)?;
    let st = st.ok_or(Refused::Missing("st"))?;
    if ts > now.saturating_add(CLOCK_SKEW) {
        return Err(Refused::Future);
    }
    if e > limits.max_expiry {
        return Err(Refused::TooLong(limits.max_expiry));
    }
    if now > ts.saturating_add(e) {
        return Err(Refused::Expired);
    }
    let given = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(st)
        .map_err(|_| Refused::Signature)?;
    mac(secret, verb, object_path, ts, e)
        .verify_slice(&given)
        .map_err(|_| Refused::Signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: &str = "95/a5e2f2a1-8b4c-4d3e-9f10-1234567890ab";
    const TS: u64 = 1_700_000_000;

    fn at(verb: &str, ts: &str, e: &str, st: &str, now: u64) -> Result<(), Refused> {
        check(
            "s3cr3t",
            verb,
            P,
            Some(ts),
            Some(e),
            Some(st),
            now,
            &Limits::default(),
        )
    }

    #[test]
    fn matches_the_spec_vector() {
        let st = sign("s3cr3t", "GET", P, TS, 86_400);
        assert_eq!(st, "qs_ILnK6BFcSuKwMZqGcaEjLIfMV-yYPkQ4lOi8IORo");
        assert_eq!(at("GET", "1700000000", "86400", &st, TS + 1), Ok(()));
        assert_eq!(
            at("PUT", "1700000000", "86400", &st, TS + 1),
            Err(Refused::Signature)
        );
        assert_eq!(
            at("GET", "1700000000", "86400", &st, TS + 86_401),
            Err(Refused::Expired)
        );
        let other = check(
            "other",
            "GET",
            P,
            Some("1700000000"),
            Some("86400"),
            Some(&st),
            TS + 1,
            &Limits::default(),
        );
        assert_eq!(other, Err(Refused::Signature));
    }

    #[test]
    fn moved_digits_keep_the_mac_but_not_the_bounds() {
        let st = sign("s3cr3t", "PUT", P, TS, 86_400);
        let now = TS + 2 * 86_400;
        // The MAC is the same for both spellings: that is the wire format's weakness.
        assert_eq!(st, sign("s3cr3t", "PUT", P, TS * 10 + 8, 6_400));
        assert_eq!(
            at("PUT", "17000000008", "6400", &st, now),
            Err(Refused::Future)
        );
        assert_eq!(
            at("PUT", "170000000", "086400", &st, now),
            Err(Refused::NotCanonical("e"))
        );
        let st = sign("s3cr3t", "PUT", P, TS + 1, 9_600);
        assert_eq!(st, sign("s3cr3t", "PUT", P, TS / 10, 19_600));
        assert_eq!(
            at("PUT", "170000000", "19600", &st, TS),
            Err(Refused::Expired),
            "a digit moved the other way lands decades ago"
        );
    }

    #[test]
    fn only_canonical_numbers_within_bounds() {
        for (ts, e, why) in [
            ("01700000000", "600", Refused::NotCanonical("ts")),
            ("+1700000000", "600", Refused::NotCanonical("ts")),
            (" 1700000000", "600", Refused::NotCanonical("ts")),
            ("1700000000", "", Refused::NotCanonical("e")),
            ("1700000000", "-1", Refused::NotCanonical("e")),
            (
                "1700000000",
                "99999999999999999999",
                Refused::NotCanonical("e"),
            ),
            ("1700000000", "604801", Refused::TooLong(DEFAULT_MAX_EXPIRY)),
            ("1700000301", "600", Refused::Future),
        ] {
            let st = sign("s3cr3t", "GET", P, 0, 0);
            assert_eq!(at("GET", ts, e, &st, TS), Err(why), "{ts} {e}");
        }
        let st = sign("s3cr3t", "GET", P, TS + 300, 604_800);
        assert_eq!(at("GET", "1700000300", "604800", &st, TS), Ok(()));
        let st = sign("s3cr3t", "GET", P, 0, 1_800_000_000);
        assert_eq!(
            at("GET", "0", "1800000000", &st, TS),
            Err(Refused::TooLong(DEFAULT_MAX_EXPIRY))
        );
        let missing = check(
            "s3cr3t",
            "GET",
            P,
            Some("1"),
            Some("1"),
            None,
            1,
            &Limits::default(),
        );
        assert_eq!(missing, Err(Refused::Missing("st")));
    }
}
