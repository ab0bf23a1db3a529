//! Ruby's white space: the six ASCII spaces, vertical tab among them, and nothing past
//! ASCII, wherever Ruby skips space (`strip`, `split`, the number readers, `pack` formats).

use super::{check, check_err};

#[test]
fn vertical_tab_is_space() {
    check(
        r##"["\vx\v".strip, "\vx".lstrip, "x\v".rstrip, "a\vb".split, "a\vb".split(' '), "\v".strip.empty?]"##,
        r##"["x", "x", "x", ["a", "b"], ["a", "b"], true]"##,
    );
    check(
        r##"["\v12".to_i, "\v1.5".to_f, Integer("\v12\v"), Float("\v1.5\v"), [1, 2].pack("C\vC"), "\x01\x02".unpack("C\vC")]"##,
        r##"[12, 1.5, 12, 1.5, "\x01\x02", [1, 2]]"##,
    );
}

#[test]
fn unicode_space_is_not() {
    check(
        r##"["\u00a012".to_i, "\u00a012".to_f, "\u200312".to_i, "\u00a00x1f".to_i(0), "\u00a01f".hex, "\u00a012".oct, "\u00851.5".to_f]"##,
        r##"[0, 0.0, 0, 0, 0, 0, 0.0]"##,
    );
    check(
        r##"["\u00a0a".strip, " a\u00a0b".split]"##,
        r##"[" a", ["a b"]]"##,
    );
    check_err(
        r##"Integer("\u00a012")"##,
        r##"ArgumentError: invalid value for Integer(): " 12""##,
    );
}
