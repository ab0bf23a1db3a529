//! The core classes against Ruby: each case evaluates one Ruby expression through the engine
//! (`<%= EXPR %>`, no host) and compares with what Ruby renders for it. Expected values are
//! never written by hand: `expect.rb` fills them in from Ruby (see its header); a new case is
//! added with an empty expectation and the script run once.
//!
//! One module per area; `check` for a value, `check_err` for `Class: message` of an error.

mod arith_seq;
mod arity;
mod array;
mod bignum;
mod binary;
mod binary_text;
mod comparable;
mod complex;
mod digest;
mod enumerable;
mod enumerator;
mod float;
mod format;
mod hash;
mod integer;
mod json;
mod language;
mod last_match;
mod lazy;
mod literals;
mod method;
mod nil_bool;
mod ordering;
mod pack;
mod random;
mod range;
mod regexp;
mod spaces;
mod stdlib_args;
mod string;
mod structs;
mod symbol;
mod time;
mod unpack;
mod uri;
mod yaml;
mod yaml_load;
mod zlib;

use rubyerb::{render, Limits, NoHost};

/// What the engine made of `<%= expr %>`.
enum Outcome {
    Rendered(String),
    /// `Class: message`, as Ruby names what it raised.
    Raised(String),
}

fn eval(expr: &str) -> Outcome {
    eval_with(expr, &NoHost)
}

/// [`eval`] with a host (one that gives a clock or a random source).
fn eval_with(expr: &str, host: &dyn rubyerb::Host) -> Outcome {
    let src = format!("<%= {expr} %>");
    match render(src.as_bytes(), host, &Limits::default()) {
        Ok(out) => Outcome::Rendered(String::from_utf8_lossy(&out).into_owned()),
        Err(f) => Outcome::Raised(format!("{}: {}", f.class, f.message)),
    }
}

/// What a whole template made: its output bytes, or `Class: message` of what it raised.
#[derive(Debug, PartialEq)]
enum Bytes {
    Written(Vec<u8>),
    Raised(String),
}

/// A whole template's outcome, for what bale answers differently from Ruby on purpose (a
/// refusal by name) and for output bytes past UTF-8.
fn rendered(src: &str) -> Bytes {
    match render(src.as_bytes(), &NoHost, &Limits::default()) {
        Ok(out) => Bytes::Written(out),
        Err(f) => Bytes::Raised(format!("{}: {}", f.class, f.message)),
    }
}

#[track_caller]
fn check(expr: &str, expect: &str) {
    match eval(expr) {
        Outcome::Rendered(got) => assert_eq!(got, expect, "{expr}"),
        Outcome::Raised(e) => panic!("{expr}: raised {e}, Ruby renders {expect:?}"),
    }
}

#[track_caller]
fn check_err(expr: &str, expect: &str) {
    match eval(expr) {
        Outcome::Rendered(got) => panic!("{expr}: rendered {got:?}, Ruby raises {expect}"),
        Outcome::Raised(e) => assert_eq!(e, expect, "{expr}"),
    }
}

/// [`check`] where Ruby 3.4, the director's, answers otherwise than the Ruby 3.1 that
/// `expect.rb` runs on (`Math.log` with a base): the expectation is 3.4's, from the benches'
/// ruby.wasm on cases its C library answers as glibc does, and `expect.rb` leaves it alone.
#[track_caller]
fn check34(expr: &str, expect: &str) {
    check(expr, expect);
}
