//! Any bytes fed to bale's tarball reader: it must return an error or visit entries, never
//! panic, hang or allocate without bound.
#![no_main]

use std::io::Read;
use std::path::Path;

use bale::archive::{read_stream, EntryInfo, EntryVisitor, Limits, VisitError};
use libfuzzer_sys::fuzz_target;

struct Drain;

impl EntryVisitor for Drain {
    fn entry(&mut self, _: &EntryInfo, data: &mut dyn Read) -> Result<(), VisitError> {
        std::io::copy(data, &mut std::io::sink())?;
        Ok(())
    }
}

fuzz_target!(|data: &[u8]| {
    // both ways of meeting a device entry: refused (releases) or passed over (stemcells)
    let limits = Limits {
        max_bytes: 64 << 20,
        max_entries: 10_000,
        skip_devices: data.len() % 2 == 1,
    };
    let _ = read_stream(data, Path::new("fuzz.tgz"), limits, &mut Drain);
});
