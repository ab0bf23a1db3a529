//! Zlib and StringIO: a gzipped, Base64-encoded property read whole, as releases read
//! their lists, a deflated string, and the errors of data that is neither.

use super::{check, check_err};

#[test]
fn gzip_through_a_string_stream() {
    check(
        r##"Zlib::GzipReader.new(StringIO.new(Base64.decode64('H4sIAAAAAAAAAzM01DMAQX0LLkMDPTBH39CMCwAVdzbgFwAAAA=='))).read"##,
        r##"11.0.0.0/8
10.1.0.0/16
"##,
    );
    check(
        r##"Zlib.gunzip(Base64.decode64('H4sIAAAAAAAAAzM01DMAQX0LLkMDPTBH39CMCwAVdzbgFwAAAA==')).lines.size"##,
        r##"2"##,
    );
    check(
        r##"Zlib::Inflate.inflate(Base64.decode64('eJzLSM3JyVcozy/KSQEAGgsEXQ==')) rescue $!.class"##,
        r##"hello world"##,
    );
    check_err(
        r##"Zlib::GzipReader.new(StringIO.new('junk')).read"##,
        r##"Zlib::GzipFile::Error: not in gzip format"##,
    );
    check_err(
        r##"Zlib::Inflate.inflate('junk')"##,
        r##"Zlib::DataError: incorrect header check"##,
    );
    check(
        r##"begin; Zlib.gunzip('junk'); rescue Zlib::Error => e; e.class; end"##,
        r##"Zlib::GzipFile::Error"##,
    );
}

#[test]
fn string_streams() {
    check(
        r##"s = StringIO.new('abc'); [s.read(2), s.read, s.read(1), s.eof?].inspect"##,
        r##"["ab", "c", nil, true]"##,
    );
    check(
        r##"s = StringIO.new('abc'); s.read; s.rewind; s.read"##,
        r##"abc"##,
    );
    check(r##"StringIO.new('abc').string"##, r##"abc"##);
    check(r##"StringIO.new.read.inspect"##, r##""""##);
    check(
        r##"s = StringIO.new('a'); s.read; [s.read(0), s.read(1)].inspect"##,
        r##"["", nil]"##,
    );
}
