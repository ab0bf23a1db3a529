//! OpenSSL::X509 as templates use it, through the engine: certificates, their errors,
//! names (`x509.rs`).

use crate::{render, Limits, NoHost};

const CA: &str = include_str!("testdata/x509-ca.pem");

fn check(code: &str, expect: &str) {
    let src = format!("<% pem = {CA:?} %>{code}");
    match render(src.as_bytes(), &NoHost, &Limits::default()) {
        Ok(out) => assert_eq!(String::from_utf8_lossy(&out), expect, "{code}"),
        Err(f) => panic!("{code}: {}: {}", f.class, f.message),
    }
}

#[test]
fn certificate_subject_and_extensions() {
    // expected texts are Ruby 3.1's with OpenSSL 3.0
    check(
        "<% c = OpenSSL::X509::Certificate.new(pem + pem) %><%= c.subject %>|<%= c.issuer.to_a.inspect %>|<%= c.version %>|<%= c.to_pem == pem %>",
        "/C=US/ST=CA/O=Example Org/OU=Platform/CN=Example Root|[[\"C\", \"US\", 19], [\"ST\", \"CA\", 12], [\"O\", \"Example Org\", 12], [\"OU\", \"Platform\", 12], [\"CN\", \"Example Root\", 12]]|2|true",
    );
    check(
        "<%= OpenSSL::X509::Certificate.new(pem).extensions.map { |e| OpenSSL::X509::Extension.new(e).to_s }.reject { |s| s =~ /KeyIdentifier/ }.join(\"\\n\") %>",
        "subjectAltName = DNS:ca.example.com, IP Address:10.0.0.1, IP Address:FD00:0:0:0:0:0:0:1, URI:https://ca.example.com/x, email:ops@example.com\n\
         basicConstraints = critical, CA:TRUE, pathlen:1\n\
         keyUsage = critical, Certificate Sign, CRL Sign\n\
         extendedKeyUsage = TLS Web Server Authentication, TLS Web Client Authentication",
    );
}

#[test]
fn a_certificate_parsed_again_is_a_separate_object() {
    // the second `new` comes from the parsed-certificate cache: its object, instance
    // variables and answers are its own, and a failure in between is not remembered
    check(
        "<% a = OpenSSL::X509::Certificate.new(pem); a.instance_variable_set(:@x, 1) %>\
         <% begin; OpenSSL::X509::Certificate.new(pem.sub(/MII/, 'AAA')); rescue => e; end %>\
         <% b = OpenSSL::X509::Certificate.new(pem) %>\
         <%= a.equal?(b) %> <%= b.instance_variable_get(:@x).inspect %> <%= b.subject == a.subject %> <%= e.class %>",
        "false nil true OpenSSL::X509::CertificateError",
    );
}

#[test]
fn invalid_certificates_raise_openssl_messages() {
    for (arg, class, msg) in [
        (
            "'garbage'",
            "OpenSSL::X509::CertificateError",
            "PEM_read_bio_X509: no start line (Expecting: CERTIFICATE)",
        ),
        (
            "pem.sub(/MII/, 'AAA')",
            "OpenSSL::X509::CertificateError",
            "PEM_read_bio_X509: ASN1 lib",
        ),
        (
            "pem.sub('-----END CERTIFICATE-----', '')",
            "OpenSSL::X509::CertificateError",
            "PEM_read_bio_X509: bad end line",
        ),
        (
            "pem.sub(/MII/, 'M!I')",
            "OpenSSL::X509::CertificateError",
            "PEM_read_bio_X509: bad base64 decode",
        ),
        (
            "nil",
            "TypeError",
            "no implicit conversion of nil into String",
        ),
    ] {
        check(
            &format!("<%= begin; OpenSSL::X509::Certificate.new({arg}); rescue => e; [e.class, e.message].inspect; end %>"),
            &format!("[{class}, {msg:?}]"),
        );
    }
}

#[test]
fn names_compare_by_their_attributes() {
    check(
        "<% n = OpenSSL::X509::Name.new([['O', 'x'], ['commonName', 'y']]); m = OpenSSL::X509::Name.new([['O', 'x'], ['CN', 'y']]) %><%= n %> <%= n.inspect %> <%= n == m %> <%= [n].intersect?([m]) %> <%= [n, m].uniq.size %> <%= n == OpenSSL::X509::Name.new([['O', 'y']]) %>",
        "/O=x/CN=y #<OpenSSL::X509::Name CN=y,O=x> true true 1 false",
    );
}
