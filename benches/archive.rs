//! Throughput of bale's archive writer and digests on a file given as the first argument (or
//! generated text): `cargo bench --bench archive -- FILE`. Prints MB/s and bytes per deflate level
//! (bale's libdeflate writer against zlib-rs, the zlib of `flate2`), for
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
    // bale's writer (libdeflate in 1 MiB chunks, joined) at each level against zlib-rs in one
    // stream. Speeds need a quiet machine; sizes are exact. (`gzip -6 -c FILE | wc -c` gives
    // what `tar -czf` would make of it.)
    println!(
        "{:<22} {:>9} {:>12} {:>9}",
        "deflate", "MB/s", "bytes", "vs zlib 6"
    );
    let mut rows = Vec::new();
    for level in [1u32, 3, 5, 6, 7, 8, 9] {
        let t = Instant::now();
        let mut g = bale::archive::GzipWriter::new(Vec::new(), level).unwrap();
        g.write_all(&data).unwrap();
        let out = g.finish().unwrap();
        rows.push((
            format!("bale level {level}"),
            mb / t.elapsed().as_secs_f64(),
            out.len(),
        ));
    }
    for level in [6u32, 9] {
        let t = Instant::now();
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
        e.write_all(&data).unwrap();
        let out = e.finish().unwrap();
        rows.push((
            format!("zlib-rs level {level}"),
            mb / t.elapsed().as_secs_f64(),
            out.len(),
        ));
    }
    let zlib6 = rows
        .iter()
        .find(|r| r.0 == "zlib-rs level 6")
        .map(|r| r.2)
        .unwrap() as f64;
    for (name, speed, len) in rows {
        println!(
            "{name:<22} {speed:>9.1} {len:>12} {:>+8.2}%",
            (len as f64 / zlib6 - 1.0) * 100.0
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
