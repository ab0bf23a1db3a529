//! Byte counts as the `bosh` CLI prints them, through go-humanize: `IBytes` (1024-based,
//! `KiB`) in the `blobs` table, `Bytes` (1000-based, `kB`) in blob upload and download lines.
//! Own code because the output must match byte for byte: one decimal below 10 (`1.0 KiB`,
//! kept even when it is `.0`), none from 10 up, rounded half up to a tenth first.

/// go-humanize's `IBytes`: `64 MiB`, `1.5 KiB`, `9 B`.
pub fn iec(n: u64) -> String {
    humanate(n, 1024, &["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"])
}

/// go-humanize's `Bytes`: `67 MB`, `1.5 kB`, `9 B`.
pub fn si(n: u64) -> String {
    humanate(n, 1000, &["B", "kB", "MB", "GB", "TB", "PB", "EB"])
}

fn humanate(n: u64, base: u64, units: &[&str]) -> String {
    if n < 10 {
        return format!("{n} B");
    }
    // The largest power of the base not above n (go-humanize takes the floor of a
    // logarithm, which is this power wherever its float is exact).
    let mut e = 0;
    let mut scale = 1u64;
    while let Some(next) = scale.checked_mul(base) {
        if next > n {
            break;
        }
        scale = next;
        e += 1;
    }
    let val = ((n as f64 / scale as f64) * 10.0 + 0.5).floor() / 10.0;
    if val < 10.0 {
        format!("{val:.1} {}", units[e])
    } else {
        format!("{val:.0} {}", units[e])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_go_humanize_prints_them() {
        assert_eq!(iec(0), "0 B");
        assert_eq!(iec(9), "9 B");
        assert_eq!(iec(10), "10 B");
        assert_eq!(iec(1023), "1023 B");
        assert_eq!(iec(1024), "1.0 KiB");
        assert_eq!(iec(1536), "1.5 KiB");
        assert_eq!(iec(10 * 1024 - 1), "10 KiB");
        assert_eq!(iec(66_768_540), "64 MiB");
        assert_eq!(iec(u64::MAX), "16 EiB");
        assert_eq!(si(999), "999 B");
        assert_eq!(si(1000), "1.0 kB");
        assert_eq!(si(1_849_000), "1.8 MB");
        assert_eq!(si(66_768_540), "67 MB");
    }
}
