//! Throughput of bale's archive writer and digests on a file given as the first argument (or
//! generated text): `cargo bench --bench archive -- FILE`. Prints MB/s per deflate level, for
//! stored (already-compressed) data, and for SHA-256; timings are reported, never asserted.

use std::io::Write;
use std::time::Instant;

fn main() {
    let data = match std::env::args().skip(1).find(|a| !a.starts_with('-')) {
        Some(p) => std::fs::read(p).expect("readable input file"),
        None => {
            let words = [
                "release",
                "package",
                "job",
                "blob",
                "fingerprint",
                "compile",
                "bosh",
                "stemcell",
            ];
            let mut s = String::new();
            let mut x: u64 = 42;
            while s.len() < 8 << 20 {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push_str(words[(x >> 33) as usize % words.len()]);
                s.push(if (x >> 20).is_multiple_of(9) {
                    '\n'
                } else {
                    ' '
                });
            }
            s.into_bytes()
        }
    };
    let mb = data.len() as f64 / 1e6;
    for level in [1u32, 2, 3, 4, 6] {
        let t = Instant::now();
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(level));
        e.write_all(&data).unwrap();
        let out = e.finish().unwrap();
        let s = t.elapsed().as_secs_f64();
        println!(
            "deflate level {level}: {:7.1} MB/s, ratio {:.2}",
            mb / s,
            data.len() as f64 / out.len() as f64
        );
    }
    let t = Instant::now();
    let mut g = bale::archive::GzipWriter::new(Vec::with_capacity(data.len() + 1024), 6).unwrap();
    g.set_mode(bale::archive::Compression::Store).unwrap();
    g.write_all(&data).unwrap();
    g.finish().unwrap();
    println!(
        "stored blocks:    {:7.1} MB/s",
        mb / t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let d = bale::digest::Digest::of_bytes(bale::digest::Algo::Sha256, &data);
    println!(
        "sha256:           {:7.1} MB/s ({})",
        mb / t.elapsed().as_secs_f64(),
        &d.hex()[..8]
    );
}
