//! Ruby's Time for what templates do with it (stamp a file, a version or a log line): the
//! clock comes from the host (`Host::clock`), so a host can render with the real time as
//! the director does, or with a fixed one for reproducible output. Local time is UTC, the
//! zone of the director's VMs; `utc` only changes how a time prints (`UTC` instead of
//! `+0000`), as in Ruby.

use std::cell::Cell;
use std::rc::Rc;

use indexmap::IndexMap;

use super::super::interp::{Interp, R};
use super::super::value::{ObjKind, Object, Value};
use super::super::{Clock, Timestamp};
use std::cell::RefCell;

/// A Time: the instant and whether it prints as UTC (`Time#utc` changes the receiver).
#[derive(Debug, Clone)]
pub struct Time {
    pub at: Timestamp,
    pub utc: Cell<bool>,
}

impl Clock {
    /// The time `Time.now` answers, or `None` when the host keeps templates off the clock.
    pub fn now(&self) -> Option<Timestamp> {
        match self {
            Clock::None => None,
            Clock::Fixed(t) => Some(*t),
            Clock::System => {
                let d = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default();
                Some(Timestamp {
                    secs: d.as_secs() as i64,
                    nanos: d.subsec_nanos(),
                })
            }
        }
    }
}

/// Why an RFC 3339 date-time was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not an RFC 3339 date-time such as 2024-05-01T12:00:00Z: {why}")]
pub struct TimeParseError {
    pub text: String,
    pub why: &'static str,
}

impl Timestamp {
    /// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (`t` or a space also separate date
    /// and time, as RFC 3339 allows).
    pub fn parse_rfc3339(text: &str) -> Result<Timestamp, TimeParseError> {
        let fail = |why| TimeParseError {
            text: text.into(),
            why,
        };
        let b = text.as_bytes();
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            let s = b.get(r)?;
            if s.iter().all(u8::is_ascii_digit) {
                std::str::from_utf8(s).ok()?.parse().ok()
            } else {
                None
            }
        };
        let shape = b.len() >= 20
            && b[4] == b'-'
            && b[7] == b'-'
            && matches!(b[10], b'T' | b't' | b' ')
            && b[13] == b':'
            && b[16] == b':';
        if !shape {
            return Err(fail("expected YYYY-MM-DDTHH:MM:SS and a zone"));
        }
        let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) = (
            num(0..4),
            num(5..7),
            num(8..10),
            num(11..13),
            num(14..16),
            num(17..19),
        ) else {
            return Err(fail("expected digits"));
        };
        if !(1..=12).contains(&mo)
            || d < 1
            || d > days_in_month(y, mo)
            || h > 23
            || mi > 59
            || s > 60
        {
            return Err(fail("a field is out of range"));
        }
        let mut i = 19;
        let mut nanos = 0u32;
        if b[i] == b'.' {
            let start = i + 1;
            i = start;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return Err(fail("expected digits after the decimal point"));
            }
            let digits = &text[start..i.min(start + 9)];
            nanos = format!("{digits:0<9}")
                .parse()
                .map_err(|_| fail("bad fraction"))?;
        }
        let offset = match &b[i..] {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
                let (Some(oh), Some(om)) = (num(i + 1..i + 3), num(i + 4..i + 6)) else {
                    return Err(fail("expected a zone such as Z or +02:00"));
                };
                if oh > 23 || om > 59 {
                    return Err(fail("the zone is out of range"));
                }
                let o = oh * 3600 + om * 60;
                if *sign == b'-' {
                    -o
                } else {
                    o
                }
            }
            _ => return Err(fail("expected a zone such as Z or +02:00")),
        };
        let secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s.min(59) - offset;
        Ok(Timestamp { secs, nanos })
    }
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The date of a day count since 1970-01-01: (year, month, day).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// Broken-down fields of an instant in UTC.
struct Fields {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    min: i64,
    sec: i64,
    wday: i64,
    yday: i64,
}

fn fields(t: Timestamp) -> Fields {
    let days = t.secs.div_euclid(86400);
    let rem = t.secs.rem_euclid(86400);
    let (year, month, day) = civil_from_days(days);
    Fields {
        year,
        month,
        day,
        hour: rem / 3600,
        min: rem / 60 % 60,
        sec: rem % 60,
        wday: (days + 4).rem_euclid(7),
        yday: days - days_from_civil(year, 1, 1) + 1,
    }
}

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `Time#strftime`: the conversions and the `-` (no padding), `_` (spaces), `0`, `^`
/// (upcase) flags and widths; an unknown conversion is copied as Ruby copies it.
pub fn strftime(t: &Time, fmt: &str) -> String {
    let f = fields(t.at);
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = String::from("%");
        let mut pad: Option<char> = None;
        let mut upper = false;
        while let Some(&fl) = chars.peek() {
            match fl {
                '-' => pad = Some('\0'),
                '_' => pad = Some(' '),
                '0' => pad = Some('0'),
                '^' => upper = true,
                _ => break,
            }
            spec.push(fl);
            chars.next();
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            spec.push(d);
            chars.next();
        }
        let width: Option<usize> = width.parse().ok();
        let Some(conv) = chars.next() else {
            out.push_str(&spec);
            break;
        };
        let num = |v: i64, w: usize, p: char| -> String {
            let w = width.unwrap_or(w);
            match pad.unwrap_or(p) {
                '\0' => v.to_string(),
                ' ' => format!("{v:>w$}"),
                _ => format!("{v:0>w$}"),
            }
        };
        let text = |s: &str| -> String {
            let s = if upper {
                s.to_uppercase()
            } else {
                s.to_string()
            };
            match width {
                Some(w) => format!("{s:>w$}"),
                None => s,
            }
        };
        let hour12 = if f.hour % 12 == 0 { 12 } else { f.hour % 12 };
        let piece = match conv {
            'Y' => num(f.year, 1, '0'),
            'C' => num(f.year.div_euclid(100), 2, '0'),
            'y' => num(f.year.rem_euclid(100), 2, '0'),
            'm' => num(f.month, 2, '0'),
            'd' => num(f.day, 2, '0'),
            'e' => num(f.day, 2, ' '),
            'j' => num(f.yday, 3, '0'),
            'H' => num(f.hour, 2, '0'),
            'k' => num(f.hour, 2, ' '),
            'I' => num(hour12, 2, '0'),
            'l' => num(hour12, 2, ' '),
            'M' => num(f.min, 2, '0'),
            'S' => num(f.sec, 2, '0'),
            'L' | 'N' => {
                let w = width.unwrap_or(if conv == 'L' { 3 } else { 9 });
                let digits = format!("{:09}", t.at.nanos);
                if w <= 9 {
                    digits[..w].to_string()
                } else {
                    format!("{digits:0<w$}")
                }
            }
            's' => num(t.at.secs, 1, '0'),
            'u' => num(if f.wday == 0 { 7 } else { f.wday }, 1, '0'),
            'w' => num(f.wday, 1, '0'),
            'a' => text(&DAYS[f.wday as usize][..3]),
            'A' => text(DAYS[f.wday as usize]),
            'b' | 'h' => text(&MONTHS[f.month as usize - 1][..3]),
            'B' => text(MONTHS[f.month as usize - 1]),
            'p' => text(if f.hour < 12 { "AM" } else { "PM" }),
            'P' => text(if f.hour < 12 { "am" } else { "pm" }),
            'z' => "+0000".into(),
            'Z' => text("UTC"),
            'F' => format!("{}-{:02}-{:02}", num(f.year, 1, '0'), f.month, f.day),
            'T' | 'X' => format!("{:02}:{:02}:{:02}", f.hour, f.min, f.sec),
            'R' => format!("{:02}:{:02}", f.hour, f.min),
            'r' => format!(
                "{:02}:{:02}:{:02} {}",
                hour12,
                f.min,
                f.sec,
                if f.hour < 12 { "AM" } else { "PM" }
            ),
            'D' | 'x' => format!("{:02}/{:02}/{:02}", f.month, f.day, f.year.rem_euclid(100)),
            'c' => format!(
                "{} {} {:>2} {:02}:{:02}:{:02} {}",
                &DAYS[f.wday as usize][..3],
                &MONTHS[f.month as usize - 1][..3],
                f.day,
                f.hour,
                f.min,
                f.sec,
                f.year
            ),
            '%' => "%".into(),
            'n' => "\n".into(),
            't' => "\t".into(),
            _ => {
                spec.push(conv);
                spec
            }
        };
        out.push_str(&piece);
    }
    out
}

/// `Time#to_s`: `2024-05-01 12:00:00 +0000`, or `... UTC` for a UTC time.
pub fn to_s(t: &Time) -> String {
    strftime(
        t,
        if t.utc.get() {
            "%Y-%m-%d %H:%M:%S UTC"
        } else {
            "%Y-%m-%d %H:%M:%S +0000"
        },
    )
}

/// `Time#inspect`: `to_s` with the fraction of a second when there is one.
pub fn inspect(t: &Time) -> String {
    let base = strftime(t, "%Y-%m-%d %H:%M:%S");
    let frac = if t.at.nanos == 0 {
        String::new()
    } else {
        format!(".{:09}", t.at.nanos)
            .trim_end_matches('0')
            .to_string()
    };
    format!("{base}{frac} {}", if t.utc.get() { "UTC" } else { "+0000" })
}

/// A new Time object.
pub fn value(it: &Interp, at: Timestamp, utc: bool) -> Value {
    Value::Object(Rc::new(Object {
        class: it.classes.get("Time").expect("Time is a built-in class"),
        ivars: RefCell::new(IndexMap::new()),
        kind: ObjKind::Time(Time {
            at,
            utc: Cell::new(utc),
        }),
    }))
}

/// A float of seconds as an instant (`Time.at(1.5)`, `t + 0.5`).
fn from_f64(x: f64) -> Timestamp {
    let secs = x.floor();
    Timestamp {
        secs: secs as i64,
        nanos: (((x - secs) * 1e9).round() as u32).min(999_999_999),
    }
}

fn add(at: Timestamp, v: &Value) -> Option<Timestamp> {
    match v {
        Value::Int(i) => Some(Timestamp {
            secs: at.secs.checked_add(*i)?,
            nanos: at.nanos,
        }),
        Value::Float(x) if x.is_finite() => {
            let d = from_f64(*x);
            let nanos = at.nanos + d.nanos;
            Some(Timestamp {
                secs: at.secs.checked_add(d.secs)? + (nanos / 1_000_000_000) as i64,
                nanos: nanos % 1_000_000_000,
            })
        }
        _ => None,
    }
}

fn to_f64(at: Timestamp) -> f64 {
    at.secs as f64 + at.nanos as f64 / 1e9
}

/// Class methods: `Time.now` (the host's clock) and `Time.at`.
pub fn class_call(it: &mut Interp, name: &str, args: &[Value]) -> R<Option<Value>> {
    Ok(Some(match (name, args) {
        ("now", []) => match it.host.clock().now() {
            Some(at) => value(it, at, false),
            None => return it.unsupported("Time.now (rendering must be deterministic)"),
        },
        ("at", [Value::Int(i)]) => value(it, Timestamp { secs: *i, nanos: 0 }, false),
        ("at", [Value::Float(x)]) if x.is_finite() => value(it, from_f64(*x), false),
        ("at", [Value::Object(o)]) if matches!(o.kind, ObjKind::Time(_)) => {
            let ObjKind::Time(t) = &o.kind else {
                unreachable!()
            };
            value(it, t.at, t.utc.get())
        }
        ("at", [v]) => {
            return it.type_err(format!(
                "can't convert {} into an exact number",
                v.class_name()
            ))
        }
        _ => return it.unsupported(&format!("Time.{name}")),
    }))
}

/// Methods of Time objects.
pub fn object_call(it: &mut Interp, o: &Object, name: &str, args: &[Value]) -> R<Option<Value>> {
    let ObjKind::Time(t) = &o.kind else {
        return Ok(None);
    };
    let f = || fields(t.at);
    let iso = |digits: i64| {
        let frac = if digits > 0 {
            let d = digits.min(9) as usize;
            format!(".{}", &format!("{:09}", t.at.nanos)[..d]) + &"0".repeat(digits as usize - d)
        } else {
            String::new()
        };
        strftime(t, "%Y-%m-%dT%H:%M:%S") + &frac + if t.utc.get() { "Z" } else { "+00:00" }
    };
    Ok(Some(match (name, args) {
        ("to_i" | "tv_sec", []) => Value::Int(t.at.secs),
        ("to_f", []) => Value::Float(to_f64(t.at)),
        ("usec" | "tv_usec", []) => Value::Int(t.at.nanos as i64 / 1000),
        ("nsec" | "tv_nsec", []) => Value::Int(t.at.nanos as i64),
        ("to_s", []) => Value::str(to_s(t)),
        ("inspect", []) => Value::str(inspect(t)),
        ("year", []) => Value::Int(f().year),
        ("month" | "mon", []) => Value::Int(f().month),
        ("day" | "mday", []) => Value::Int(f().day),
        ("hour", []) => Value::Int(f().hour),
        ("min", []) => Value::Int(f().min),
        ("sec", []) => Value::Int(f().sec),
        ("wday", []) => Value::Int(f().wday),
        ("yday", []) => Value::Int(f().yday),
        ("zone", []) => Value::str("UTC"),
        ("utc_offset" | "gmt_offset" | "gmtoff", []) => Value::Int(0),
        ("utc?" | "gmt?", []) => Value::Bool(t.utc.get()),
        ("utc" | "gmtime", []) => {
            t.utc.set(true);
            Value::Object(Rc::new(Object {
                class: o.class.clone(),
                ivars: RefCell::new(IndexMap::new()),
                kind: ObjKind::Time(t.clone()),
            }))
        }
        ("localtime", []) => {
            t.utc.set(false);
            value(it, t.at, false)
        }
        ("getutc" | "getgm", []) => value(it, t.at, true),
        ("getlocal", []) => value(it, t.at, false),
        ("strftime", [Value::Str(s)]) => Value::str(strftime(t, &s.borrow())),
        ("iso8601" | "xmlschema", []) => Value::str(iso(0)),
        ("iso8601" | "xmlschema", [Value::Int(n)]) => Value::str(iso(*n)),
        ("round", []) => value(
            it,
            Timestamp {
                secs: t.at.secs + (t.at.nanos >= 500_000_000) as i64,
                nanos: 0,
            },
            t.utc.get(),
        ),
        ("+", [v]) => match add(t.at, v) {
            Some(at) => value(it, at, t.utc.get()),
            None => {
                return it.type_err(format!(
                    "can't convert {} into an exact number",
                    v.class_name()
                ))
            }
        },
        ("-", [Value::Object(p)]) if matches!(p.kind, ObjKind::Time(_)) => {
            let ObjKind::Time(u) = &p.kind else {
                unreachable!()
            };
            Value::Float(
                (t.at.secs - u.at.secs) as f64 + (t.at.nanos as f64 - u.at.nanos as f64) / 1e9,
            )
        }
        ("-", [v]) => {
            let neg = match v {
                Value::Int(i) => Value::Int(i.wrapping_neg()),
                Value::Float(x) => Value::Float(-x),
                other => other.clone(),
            };
            match add(t.at, &neg) {
                Some(at) => value(it, at, t.utc.get()),
                None => {
                    return it.type_err(format!(
                        "can't convert {} into an exact number",
                        v.class_name()
                    ))
                }
            }
        }
        ("<=>" | "==" | "<" | ">" | "<=" | ">=" | "eql?", [Value::Object(p)])
            if matches!(p.kind, ObjKind::Time(_)) =>
        {
            let ObjKind::Time(u) = &p.kind else {
                unreachable!()
            };
            let ord = (t.at.secs, t.at.nanos).cmp(&(u.at.secs, u.at.nanos));
            match name {
                "<=>" => Value::Int(ord as i64),
                "==" | "eql?" => Value::Bool(ord.is_eq()),
                "<" => Value::Bool(ord.is_lt()),
                ">" => Value::Bool(ord.is_gt()),
                "<=" => Value::Bool(ord.is_le()),
                _ => Value::Bool(ord.is_ge()),
            }
        }
        _ => return Ok(None),
    }))
}
