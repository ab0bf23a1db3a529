//! DAV object ids and where they live: `<XX>/<id>`, XX the first byte of SHA-1(id) in hex.
//! Shared by the `dav` provider (client) and `bale blobstore serve` (server).

use crate::digest::{Algo, Digest};

/// An object id as the DAV client sends it: letters, digits, `-`, `_` and `.` (not leading),
/// at most 128 characters. Anything else (`..`, `/`, empty) is refused before any path is
/// built from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectId(String);

impl ObjectId {
    pub fn parse(s: &str) -> Option<ObjectId> {
        let ok = !s.is_empty()
            && s.len() <= 128
            && !s.starts_with('.')
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
        ok.then(|| ObjectId(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The content address of bytes with this digest: `sha256-<hex>`. bale's registry stores
    /// every job, package and stemcell under such an id, so the same bytes are stored once and
    /// a server can check any upload against its own name.
    pub fn for_digest(d: &Digest) -> ObjectId {
        ObjectId(format!("{}-{}", d.algo().name(), d.hex()))
    }

    /// The digest a content-addressed id names; `None` for any other id (such as a UUID).
    pub fn digest(&self) -> Option<Digest> {
        let (algo, hex) = self.0.split_once('-')?;
        format!("{algo}:{hex}").parse().ok()
    }

    /// The two-hex-digit directory of this id.
    pub fn prefix(&self) -> String {
        Digest::of_bytes(Algo::Sha1, self.0.as_bytes()).hex()[..2].to_string()
    }
}

/// `<XX>/<id>`, the object's path below the store root (and in URLs).
pub fn object_path(id: &ObjectId) -> String {
    format!("{}/{}", id.prefix(), id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_the_spec_vectors() {
        let id = ObjectId::parse("a5e2f2a1-8b4c-4d3e-9f10-1234567890ab").unwrap();
        assert_eq!(object_path(&id), "95/a5e2f2a1-8b4c-4d3e-9f10-1234567890ab");
        assert_eq!(
            ObjectId::parse("00000000-0000-0000-0000-000000000000")
                .unwrap()
                .prefix(),
            "b6"
        );
        for bad in ["", "..", "../x", "a/b", ".hidden", "a b", "x%2f"] {
            assert!(ObjectId::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn content_addresses_round_trip() {
        let d = Digest::of_bytes(Algo::Sha256, b"bale");
        let id = ObjectId::for_digest(&d);
        assert_eq!(id.as_str(), format!("sha256-{}", d.hex()));
        assert_eq!(ObjectId::parse(id.as_str()).unwrap().digest(), Some(d));
        let sha1 = Digest::of_bytes(Algo::Sha1, b"bale");
        assert_eq!(ObjectId::for_digest(&sha1).digest(), Some(sha1));
        let uuid = ObjectId::parse("a5e2f2a1-8b4c-4d3e-9f10-1234567890ab").unwrap();
        assert_eq!(uuid.digest(), None);
    }
}
