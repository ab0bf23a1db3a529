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
}
