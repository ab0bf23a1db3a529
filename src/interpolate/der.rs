//! The little DER the vars store needs: writing an X.509 v3 certificate the way Go's
//! `x509.CreateCertificate` lays it out (names as PrintableString, key usage, extended key
//! usage, basic constraints, key identifiers, SANs), an RSA SubjectPublicKeyInfo, and reading
//! back a CA certificate's subject and key identifier and a PKCS#8 key's PKCS#1 body.

pub const EKU_SERVER_AUTH: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 1];
pub const EKU_CLIENT_AUTH: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 2];
const OID_RSA: &[u64] = &[1, 2, 840, 113549, 1, 1, 1];
const OID_SHA256_RSA: &[u64] = &[1, 2, 840, 113549, 1, 1, 11];
const OID_C: &[u64] = &[2, 5, 4, 6];
const OID_O: &[u64] = &[2, 5, 4, 10];
const OID_CN: &[u64] = &[2, 5, 4, 3];
const OID_KEY_USAGE: &[u64] = &[2, 5, 29, 15];
const OID_EXT_KEY_USAGE: &[u64] = &[2, 5, 29, 37];
const OID_BASIC_CONSTRAINTS: &[u64] = &[2, 5, 29, 19];
const OID_SKI: &[u64] = &[2, 5, 29, 14];
const OID_AKI: &[u64] = &[2, 5, 29, 35];
const OID_SAN: &[u64] = &[2, 5, 29, 17];

fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = body.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(body);
    out
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn oid(arcs: &[u64]) -> Vec<u8> {
    let mut body = Vec::new();
    let mut enc = |mut v: u64| {
        let mut tmp = vec![(v & 0x7f) as u8];
        v >>= 7;
        while v > 0 {
            tmp.push(0x80 | (v & 0x7f) as u8);
            v >>= 7;
        }
        tmp.reverse();
        body.extend_from_slice(&tmp);
    };
    enc(arcs[0] * 40 + arcs[1]);
    for a in &arcs[2..] {
        enc(*a);
    }
    tlv(0x06, &body)
}

/// A non-negative INTEGER from big-endian bytes.
fn uint(bytes: &[u8]) -> Vec<u8> {
    let mut b: Vec<u8> = bytes.iter().copied().skip_while(|x| *x == 0).collect();
    if b.is_empty() || b[0] & 0x80 != 0 {
        b.insert(0, 0);
    }
    tlv(0x02, &b)
}

fn bit_string(unused: u8, bytes: &[u8]) -> Vec<u8> {
    let mut body = vec![unused];
    body.extend_from_slice(bytes);
    tlv(0x03, &body)
}

fn printable_or_utf8(s: &str) -> Vec<u8> {
    let printable = s.bytes().all(|c| {
        c.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(&c) || c == b'*' || c == b'&'
    });
    tlv(if printable { 0x13 } else { 0x0c }, s.as_bytes())
}

/// `C=…, O=…, CN=…` (CN left out when empty), one attribute per RDN as Go writes it.
pub fn name(country: &str, org: &str, cn: &str) -> Vec<u8> {
    let mut rdns = Vec::new();
    for (o, v) in [(OID_C, country), (OID_O, org), (OID_CN, cn)] {
        if v.is_empty() {
            continue;
        }
        rdns.push(tlv(0x31, &seq(&[oid(o), printable_or_utf8(v)])));
    }
    seq(&rdns)
}

pub fn rsa_spki(modulus: &[u8], exponent: &[u8]) -> Vec<u8> {
    let key = seq(&[uint(modulus), uint(exponent)]);
    seq(&[seq(&[oid(OID_RSA), vec![0x05, 0x00]]), bit_string(0, &key)])
}

fn time(secs: i64) -> Vec<u8> {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    let (hh, mm, ss) = (rem / 3600, rem % 3600 / 60, rem % 60);
    if (1950..2050).contains(&y) {
        let s = format!("{:02}{m:02}{d:02}{hh:02}{mm:02}{ss:02}Z", y % 100);
        tlv(0x17, s.as_bytes())
    } else {
        let s = format!("{y:04}{m:02}{d:02}{hh:02}{mm:02}{ss:02}Z");
        tlv(0x18, s.as_bytes())
    }
}

/// Days since 1970-01-01 to a civil date (proleptic Gregorian).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn extension(id: &[u64], critical: bool, value: Vec<u8>) -> Vec<u8> {
    let mut parts = vec![oid(id)];
    if critical {
        parts.push(vec![0x01, 0x01, 0xff]);
    }
    parts.push(tlv(0x04, &value));
    seq(&parts)
}

pub struct Tbs {
    pub serial: Vec<u8>,
    pub issuer: Vec<u8>,
    pub subject: Vec<u8>,
    pub not_before: i64,
    pub not_after: i64,
    pub spki: Vec<u8>,
    pub key_usage_ca: bool,
    pub ext_key_usage: Vec<&'static [u64]>,
    pub is_ca: bool,
    pub subject_key_id: Vec<u8>,
    pub authority_key_id: Option<Vec<u8>>,
    pub dns_names: Vec<String>,
    pub ips: Vec<Vec<u8>>,
}

impl Tbs {
    pub fn encode(&self) -> Vec<u8> {
        let mut exts = Vec::new();
        // keyCertSign|cRLSign (bits 5, 6) or digitalSignature|keyEncipherment (bits 0, 2).
        let ku = if self.key_usage_ca {
            bit_string(1, &[0x06])
        } else {
            bit_string(5, &[0xa0])
        };
        exts.push(extension(OID_KEY_USAGE, true, ku));
        if !self.ext_key_usage.is_empty() {
            let ids: Vec<Vec<u8>> = self.ext_key_usage.iter().map(|o| oid(o)).collect();
            exts.push(extension(OID_EXT_KEY_USAGE, false, seq(&ids)));
        }
        let bc = if self.is_ca {
            seq(&[vec![0x01, 0x01, 0xff]])
        } else {
            seq(&[])
        };
        exts.push(extension(OID_BASIC_CONSTRAINTS, true, bc));
        exts.push(extension(OID_SKI, false, tlv(0x04, &self.subject_key_id)));
        if let Some(aki) = self.authority_key_id.as_ref().filter(|a| !a.is_empty()) {
            exts.push(extension(OID_AKI, false, seq(&[tlv(0x80, aki)])));
        }
        if !self.dns_names.is_empty() || !self.ips.is_empty() {
            let mut names: Vec<Vec<u8>> = self
                .dns_names
                .iter()
                .map(|d| tlv(0x82, d.as_bytes()))
                .collect();
            names.extend(self.ips.iter().map(|ip| tlv(0x87, ip)));
            exts.push(extension(OID_SAN, false, seq(&names)));
        }
        seq(&[
            tlv(0xa0, &tlv(0x02, &[2])),
            uint(&self.serial),
            seq(&[oid(OID_SHA256_RSA), vec![0x05, 0x00]]),
            self.issuer.clone(),
            seq(&[time(self.not_before), time(self.not_after)]),
            self.subject.clone(),
            self.spki.clone(),
            tlv(0xa3, &seq(&exts)),
        ])
    }
}

pub fn certificate(tbs: &[u8], sig: &[u8]) -> Vec<u8> {
    seq(&[
        tbs.to_vec(),
        seq(&[oid(OID_SHA256_RSA), vec![0x05, 0x00]]),
        bit_string(0, sig),
    ])
}

/// One TLV at the start of `b`: (tag, body, whole element, rest).
/// tag, body, the whole element, what follows it
type Tlv<'a> = (u8, &'a [u8], &'a [u8], &'a [u8]);

fn read_tlv(b: &[u8]) -> Option<Tlv<'_>> {
    let tag = *b.first()?;
    let first = *b.get(1)?;
    let (len, hdr) = if first < 0x80 {
        (first as usize, 2)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *b.get(2 + i)? as usize;
        }
        (len, 2 + n)
    };
    let end = hdr.checked_add(len)?;
    if end > b.len() {
        return None;
    }
    Some((tag, &b[hdr..end], &b[..end], &b[end..]))
}

/// The body of the first PEM block in `text`.
pub fn pem_block(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let start = text.find("-----BEGIN ")?;
    let after = &text[start..];
    let body_start = after.find('\n')? + 1;
    let end = after.find("-----END ")?;
    let b64: String = after
        .get(body_start..end)?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

/// A CA certificate's subject (raw DER) and subject key identifier, if any.
pub fn cert_subject_and_key_id(cert: &[u8]) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
    let (_, cert_body, _, _) = read_tlv(cert)?;
    let (_, tbs, _, _) = read_tlv(cert_body)?;
    let mut rest = tbs;
    let mut fields = Vec::new();
    while !rest.is_empty() {
        let (tag, body, whole, r) = read_tlv(rest)?;
        fields.push((tag, body, whole));
        rest = r;
    }
    // [0] version, serial, signature alg, issuer, validity, subject, spki, ... [3] extensions
    let offset = usize::from(fields.first()?.0 != 0xa0);
    let subject = fields.get(5 - offset)?.2.to_vec();
    let mut key_id = None;
    if let Some((_, exts, _)) = fields.iter().find(|f| f.0 == 0xa3) {
        let (_, mut list, _, _) = read_tlv(exts)?;
        let ski = oid(OID_SKI);
        while !list.is_empty() {
            let (_, ext, _, r) = read_tlv(list)?;
            list = r;
            let (_, _, id, mut inner) = read_tlv(ext)?;
            if id != ski.as_slice() {
                continue;
            }
            let (mut tag, mut val, _, r2) = read_tlv(inner)?;
            if tag == 0x01 {
                inner = r2;
                (tag, val, _, _) = read_tlv(inner)?;
            }
            if tag == 0x04 {
                let (_, kid, _, _) = read_tlv(val)?;
                key_id = Some(kid.to_vec());
            }
        }
    }
    Some((subject, key_id))
}

/// PKCS#8 PrivateKeyInfo → the PKCS#1 RSAPrivateKey inside its OCTET STRING.
pub fn pkcs1_from_pkcs8(pkcs8: &[u8]) -> Option<Vec<u8>> {
    let (_, body, _, _) = read_tlv(pkcs8)?;
    let (_, _, _, rest) = read_tlv(body)?; // version
    let (_, _, _, rest) = read_tlv(rest)?; // algorithm
    let (tag, key, _, _) = read_tlv(rest)?;
    (tag == 0x04).then(|| key.to_vec())
}

/// Modulus and public exponent (big-endian, no leading zeros) of a PKCS#1 RSAPrivateKey.
pub fn pkcs1_public(pkcs1: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let (_, body, _, _) = read_tlv(pkcs1)?;
    let (_, _, _, rest) = read_tlv(body)?; // version
    let (_, n, _, rest) = read_tlv(rest)?;
    let (_, e, _, _) = read_tlv(rest)?;
    let strip = |v: &[u8]| {
        let s: Vec<u8> = v.iter().copied().skip_while(|b| *b == 0).collect();
        if s.is_empty() {
            vec![0]
        } else {
            s
        }
    };
    Some((strip(n), strip(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(
            oid(OID_RSA),
            [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]
        );
        assert_eq!(uint(&[0x80]), [0x02, 0x02, 0x00, 0x80]);
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(19_723), (2024, 1, 1));
        assert_eq!(time(0), tlv(0x17, b"700101000000Z"));
        let long = vec![0u8; 300];
        assert_eq!(&tlv(0x04, &long)[..4], &[0x04, 0x82, 0x01, 0x2c]);
    }
}
