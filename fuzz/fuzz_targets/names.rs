//! Any text as a checked name or relative path, and as a `config/blobs.yml` or job spec
//! `templates:` map: errors are fine, panics are not; whatever is accepted joins to a
//! path strictly inside its base.
#![no_main]

use std::path::{Component, Path};

use bale::manifest::blobs_yml::BlobRecord;
use bale::manifest::job_spec::JobSpec;
use bale::name::{Name, RelPath};
use libfuzzer_sys::fuzz_target;

fn inside(base: &Path, p: &Path) -> bool {
    let rest = p.strip_prefix(base).expect("joined under base");
    rest.components().count() > 0 && rest.components().all(|c| matches!(c, Component::Normal(_)))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let base = Path::new("/base");
    if let Ok(p) = RelPath::new(text) {
        assert!(inside(base, &p.under(base)), "{text:?}");
        assert_eq!(p.segments().count(), p.under(base).components().count() - 2);
    }
    if let Ok(n) = Name::new(text) {
        assert_eq!(n.under(base).parent(), Some(base), "{text:?}");
    }
    let f = Path::new("fuzz.yml");
    if let Ok(spec) = bale::manifest::yaml::from_str::<JobSpec>(f, text) {
        for (src, dest) in spec.templates.iter().flatten() {
            assert!(inside(base, &src.under(base)) && inside(base, &dest.under(base)));
        }
    }
    if let Ok(idx) =
        bale::manifest::yaml::from_str::<std::collections::BTreeMap<RelPath, BlobRecord>>(f, text)
    {
        for k in idx.keys() {
            assert!(inside(base, &k.under(base)));
        }
    }
});
