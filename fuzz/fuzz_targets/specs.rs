//! Any text as the release-content files a command reads before it builds or renders: a job
//! spec (serde, and the renderer's Psych-compatible loader), a package spec,
//! `config/blobs.yml` and a build or release `index.yml`. Errors are fine; panics, hangs and
//! unbounded memory are not; whatever parses names only paths inside its base and writes
//! back to the same value.
#![no_main]

use std::path::{Component, Path};

use bale::manifest::blobs_yml::BlobsIndex;
use bale::manifest::index::Index;
use bale::manifest::job_spec::JobSpec;
use bale::manifest::package_spec::PackageSpec;
use bale::template::Job;
use libfuzzer_sys::fuzz_target;

fn inside(p: &str) -> bool {
    let base = Path::new("/base");
    let joined = base.join(p);
    let rest = joined.strip_prefix(base).expect("joined under base");
    rest.components().count() > 0 && rest.components().all(|c| matches!(c, Component::Normal(_)))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let f = Path::new("fuzz.yml");
    if let Ok(spec) = bale::manifest::yaml::from_str::<JobSpec>(f, text) {
        for (src, dest) in spec.templates.iter().flatten() {
            assert!(inside(src) && inside(dest), "{src:?} {dest:?}");
        }
    }
    if let Ok(job) = Job::from_parts(f, text.into(), None, |_| Ok(Vec::new()), "fallback".into()) {
        assert!(!job.name.contains('/'));
        for t in &job.templates {
            assert!(
                inside(&t.source) && inside(&t.dest),
                "{:?} {:?}",
                t.source,
                t.dest
            );
        }
    }
    let _ = bale::manifest::yaml::from_str::<PackageSpec>(f, text);
    if let Ok(idx) = BlobsIndex::parse(f, text) {
        for k in idx.0.keys() {
            assert!(inside(k), "{k:?}");
        }
        let again = BlobsIndex::parse(f, &idx.to_yaml()).expect("bale's own blobs.yml parses");
        assert_eq!(again, idx);
    }
    if let Ok(mut idx) = Index::parse(f, text) {
        let again = Index::parse(f, &idx.to_yaml()).expect("bale's own index.yml parses");
        // an empty id or sha1 is written as no key at all, as the CLI writes it
        for e in idx.0.values_mut() {
            e.blobstore_id = e.blobstore_id.take().filter(|s| !s.is_empty());
            e.sha1 = e.sha1.take().filter(|s| !s.is_empty());
        }
        assert_eq!(again, idx);
    }
});
