//! The direct reader's byte searches, eight bytes at a time in a plain `u64`: its lines,
//! keys and values are a few dozen bytes, too short for memchr's vector code to pay back
//! its setup on every call (that setup was a sixth of loading a spec).

use super::Line;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// A high bit in each byte of `x` that is zero; the lowest one is exact (a byte above a
/// zero may be marked too, which a search for the first never sees).
#[inline(always)]
fn zeros(x: u64) -> u64 {
    x.wrapping_sub(ONES) & !x & HIGHS
}

#[inline(always)]
fn word(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(w)
}

/// Where the first `a` or `c` is in `b`, from `i`.
#[inline]
pub(super) fn find2(b: &[u8], mut i: usize, a: u8, c: u8) -> Option<usize> {
    let (ma, mc) = (ONES * a as u64, ONES * c as u64);
    while i + 8 <= b.len() {
        let w = word(b, i);
        let m = zeros(w ^ ma) | zeros(w ^ mc);
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    while i < b.len() {
        if b[i] == a || b[i] == c {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Where the first line break is in `b`, from `i`.
#[inline]
fn find_break(b: &[u8], mut i: usize) -> Option<usize> {
    let m = ONES * b'\n' as u64;
    while i + 8 <= b.len() {
        let z = zeros(word(b, i) ^ m);
        if z != 0 {
            return Some(i + (z.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    while i < b.len() {
        if b[i] == b'\n' {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// `body`'s lines (split at every `\n`, one after a final break), each as its indentation
/// and the rest. Answers the first line that starts with a document marker or a directive
/// (`---`, `...`, `%` at the left edge), if any, and whether there is a second.
pub(super) fn lines<'a>(body: &'a str, lines: &mut Vec<Line<'a>>) -> (Option<usize>, bool) {
    let b = body.as_bytes();
    let mut first_marker = None;
    let mut more = false;
    let mut from = 0;
    loop {
        let mut i = from;
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        let end = find_break(b, i).unwrap_or(b.len());
        let text = &body[i..end];
        if i == from && matches!(b.get(i), Some(b'-' | b'.' | b'%')) {
            let marker =
                text.starts_with("---") || text.starts_with("...") || text.starts_with('%');
            if marker {
                if first_marker.is_none() {
                    first_marker = Some(lines.len());
                } else {
                    more = true;
                }
            }
        }
        lines.push(Line {
            indent: i - from,
            text,
        });
        if end == b.len() {
            return (first_marker, more);
        }
        from = end + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word-at-a-time searches find what a byte loop finds, at every offset and
    /// length, with near misses (a byte one above the target) around the match.
    #[test]
    fn searches_agree_with_a_byte_loop() {
        let base = b"ab;:c#d$ :#\n\x0b;e\n:f; g#;h\n\n;;::##ij";
        for len in 0..=base.len() {
            let b = &base[..len];
            for i in 0..=len {
                let want2 = (i..len).find(|&k| b[k] == b':' || b[k] == b'#');
                assert_eq!(find2(b, i, b':', b'#'), want2, "{len} {i}");
                let want = (i..len).find(|&k| b[k] == b'\n');
                assert_eq!(find_break(b, i), want, "{len} {i}");
            }
        }
    }

    #[test]
    fn lines_keep_indentation_and_find_markers() {
        let mut v = Vec::new();
        let (m, more) = lines("--- \n  a: b\n\n   \n%x\n...", &mut v);
        let got: Vec<(usize, &str)> = v.iter().map(|l| (l.indent, l.text)).collect();
        assert_eq!(
            got,
            [
                (0, "--- "),
                (2, "a: b"),
                (0, ""),
                (3, ""),
                (0, "%x"),
                (0, "...")
            ]
        );
        assert_eq!((m, more), (Some(0), true));
        let mut v = Vec::new();
        assert_eq!(lines("a:\n - b\n -- c", &mut v), (None, false));
        assert_eq!(v.len(), 3);
    }
}
