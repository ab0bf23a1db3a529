//! Any text as release.MF, stemcell.MF or a package spec: parse errors are fine,
//! panics are not; whatever parses must write back and parse again.
#![no_main]

use std::path::Path;

use bale::manifest::release_mf::ReleaseManifest;
use bale::stemcell::manifest::StemcellManifest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let p = Path::new("fuzz.yml");
    if let Ok(m) = ReleaseManifest::parse(p, text) {
        let again = ReleaseManifest::parse(p, &m.to_yaml()).expect("bale's own release.MF parses");
        assert_eq!(again, m);
    }
    if let Ok(m) = StemcellManifest::parse(p, text) {
        let _ = StemcellManifest::parse(p, &m.to_yaml()).expect("bale's own stemcell.MF parses");
    }
    let _ = bale::manifest::yaml::from_str::<bale::manifest::package_spec::PackageSpec>(p, text);
});
