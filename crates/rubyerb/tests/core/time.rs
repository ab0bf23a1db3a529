//! Time: `Time.at` (the clock-free part: `Time.now` needs a host clock), printing, fields, strftime, iso8601, arithmetic.

use super::{check, check_err};

#[test]
fn time_at() {
    check(r##"Time.at(0).to_s"##, r##"1970-01-01 00:00:00 +0000"##);
    check(r##"Time.at(0).utc.to_s"##, r##"1970-01-01 00:00:00 UTC"##);
    check(r##"Time.at(0).inspect"##, r##"1970-01-01 00:00:00 +0000"##);
    check(r##"Time.at(1714566896).to_i"##, r##"1714566896"##);
    check(
        r##"Time.at(1714566896).to_s"##,
        r##"2024-05-01 12:34:56 +0000"##,
    );
    check(
        r##"Time.at(1714566896).utc.inspect"##,
        r##"2024-05-01 12:34:56 UTC"##,
    );
    check(
        r##"Time.at(1714566896.25).inspect"##,
        r##"2024-05-01 12:34:56.25 +0000"##,
    );
    check(
        r##"Time.at(-86_401).to_s"##,
        r##"1969-12-30 23:59:59 +0000"##,
    );
    check(
        r##"Time.at(951_782_400).strftime('%F %j %a %A %b %B %u %w')"##,
        r##"2000-02-29 060 Tue Tuesday Feb February 2 2"##,
    );
    check(
        r##"Time.at(1714566896).strftime('%Y-%m-%dT%H:%M:%S%z')"##,
        r##"2024-05-01T12:34:56+0000"##,
    );
    check(
        r##"Time.at(1714566896).strftime('%-m/%-d/%y %l:%M %P|%k|%e|%C|%%|%c')"##,
        r##"5/1/24 12:34 pm|12| 1|20|%|Wed May  1 12:34:56 2024"##,
    );
    check(
        r##"Time.at(1714566896).strftime('%^a %^B %10Y %_m %03d')"##,
        r##"WED MAY 0000002024  5 001"##,
    );
    check(
        r##"Time.at(1714566896.123456).strftime('%L %N %3N %6N')"##,
        r##"123 123456001 123 123456"##,
    );
    check(
        r##"Time.at(1714566896).strftime('%D %R %r %T %x %X %h %s')"##,
        r##"05/01/24 12:34 12:34:56 PM 12:34:56 05/01/24 12:34:56 May 1714566896"##,
    );
    check(
        r##"Time.at(1714566896).iso8601"##,
        r##"2024-05-01T12:34:56+00:00"##,
    );
    check(
        r##"Time.at(1714566896).utc.iso8601"##,
        r##"2024-05-01T12:34:56Z"##,
    );
    check(
        r##"Time.at(1714566896.5).utc.iso8601(3)"##,
        r##"2024-05-01T12:34:56.500Z"##,
    );
    check(
        r##"Time.at(1714566896).xmlschema"##,
        r##"2024-05-01T12:34:56+00:00"##,
    );
    check(
        r##"[Time.at(1714566896).year, Time.at(1714566896).month, Time.at(1714566896).day, Time.at(1714566896).hour, Time.at(1714566896).min, Time.at(1714566896).sec].inspect"##,
        r##"[2024, 5, 1, 12, 34, 56]"##,
    );
    check(
        r##"[Time.at(1714566896).wday, Time.at(1714566896).yday, Time.at(1714566896).zone, Time.at(1714566896).utc_offset].inspect"##,
        r##"[3, 122, "UTC", 0]"##,
    );
    check(r##"Time.at(1714566896).utc?"##, r##"false"##);
    check(r##"Time.at(1714566896).getutc.utc?"##, r##"true"##);
    check(r##"t = Time.at(5); t.utc; t.utc?"##, r##"true"##);
    check(r##"(Time.at(100) + 60).to_i"##, r##"160"##);
    check(
        r##"(Time.at(100) - 60).to_s"##,
        r##"1970-01-01 00:00:40 +0000"##,
    );
    check(
        r##"(Time.at(100) + 0.5).inspect"##,
        r##"1970-01-01 00:01:40.5 +0000"##,
    );
    check(r##"Time.at(100) - Time.at(40)"##, r##"60.0"##);
    check(r##"(Time.at(100) - Time.at(40)).class"##, r##"Float"##);
    check(r##"Time.at(100) < Time.at(101)"##, r##"true"##);
    check(r##"Time.at(100) == Time.at(100)"##, r##"true"##);
    check(r##"Time.at(100) <=> Time.at(99)"##, r##"1"##);
    check(r##"[Time.at(3), Time.at(1)].min.to_i"##, r##"1"##);
    check(r##""#{Time.at(0)}""##, r##"1970-01-01 00:00:00 +0000"##);
    check(
        r##"[Time.at(0)].inspect"##,
        r##"[1970-01-01 00:00:00 +0000]"##,
    );
    check(
        r##"{t: Time.at(0)}.to_json"##,
        r##"{"t":"1970-01-01 00:00:00 +0000"}"##,
    );
    check(r##"Time.at(1714566896.7).round.to_i"##, r##"1714566897"##);
    check_err(
        r##"Time.at('x')"##,
        r##"TypeError: can't convert String into an exact number"##,
    );
    check_err(
        r##"Time.at(0) + 'x'"##,
        r##"TypeError: can't convert String into an exact number"##,
    );
}
