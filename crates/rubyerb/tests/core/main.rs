//! The core classes against Ruby: each case evaluates one Ruby expression through the engine
//! (`<%= EXPR %>`, no host) and compares with what Ruby renders for it. Expected values are
//! never written by hand: `expect.rb` fills them in from Ruby (see its header); a new case is
//! added with an empty expectation and the script run once.
//!
//! One module per area; `check` for a value, `check_err` for `Class: message` of an error.

mod array;
mod enumerable;
mod float;
mod format;
mod hash;
mod integer;
mod json;
mod literals;
mod nil_bool;
mod range;
mod regexp;
mod string;
mod structs;
mod symbol;
mod time;
mod yaml;

use rubyerb::{render, Limits, NoHost};

/// What the engine renders for `<%= expr %>`, or `Class: message` if it raised.
fn eval(expr: &str) -> Result<String, String> {
    let src = format!("<%= {expr} %>");
    render(src.as_bytes(), &NoHost, &Limits::default())
        .map(|out| String::from_utf8_lossy(&out).into_owned())
        .map_err(|f| format!("{}: {}", f.class, f.message))
}

#[track_caller]
fn check(expr: &str, expect: &str) {
    match eval(expr) {
        Ok(got) => assert_eq!(got, expect, "{expr}"),
        Err(e) => panic!("{expr}: raised {e}, Ruby renders {expect:?}"),
    }
}

#[track_caller]
fn check_err(expr: &str, expect: &str) {
    match eval(expr) {
        Ok(got) => panic!("{expr}: rendered {got:?}, Ruby raises {expect}"),
        Err(e) => assert_eq!(e, expect, "{expr}"),
    }
}
