//! What the standard library's functions take as their text: CGI's escapes, the digests,
//! `Regexp.escape` and `URI.decode_www_form_component` take only a String (a nil property
//! fails there on the director, as here), where ERB::Util's and Shellwords.escape write any
//! value's `to_s`; `URI.parse`, `URI()`, `IPAddr.new` and `Shellwords.split` fail on anything
//! else with their own errors.

use super::{check, check_err};

#[test]
fn text_arguments_are_strings() {
    check_err(
        r##"CGI.escape(nil)"##,
        r##"TypeError: no implicit conversion of nil into String"##,
    );
    check_err(
        r##"CGI.unescape(nil)"##,
        r##"TypeError: no implicit conversion of nil into String"##,
    );
    check_err(
        r##"CGI.escapeHTML(nil)"##,
        r##"TypeError: no implicit conversion of nil into String"##,
    );
    check_err(
        r##"CGI.unescapeHTML(nil)"##,
        r##"TypeError: no implicit conversion of nil into String"##,
    );
    check_err(
        r##"Digest::SHA256.hexdigest(nil)"##,
        r##"TypeError: no implicit conversion of nil into String"##,
    );
    check_err(
        r##"Digest::MD5.digest(nil)"##,
        r##"TypeError: no implicit conversion of nil into String"##,
    );
    check_err(
        r##"Digest::SHA1.base64digest(nil)"##,
        r##"TypeError: no implicit conversion of nil into String"##,
    );
    check_err(
        r##"OpenSSL::Digest.hexdigest('SHA256', nil)"##,
        r##"TypeError: no implicit conversion of nil into String"##,
    );
    check_err(
        r##"URI.parse(nil)"##,
        r##"URI::InvalidURIError: bad URI(is not URI?): nil"##,
    );
    check_err(
        r##"URI(nil)"##,
        r##"ArgumentError: bad argument (expected URI object or URI string)"##,
    );
    check_err(
        r##"IPAddr.new(nil)"##,
        r##"IPAddr::AddressFamilyError: address family must be specified"##,
    );
    check_err(
        r##"CGI.escape(1)"##,
        r##"TypeError: no implicit conversion of Integer into String"##,
    );
    check_err(
        r##"CGI.unescape(1)"##,
        r##"TypeError: no implicit conversion of Integer into String"##,
    );
    check_err(
        r##"CGI.escapeHTML(1)"##,
        r##"TypeError: no implicit conversion of Integer into String"##,
    );
    check_err(
        r##"CGI.unescapeHTML(1)"##,
        r##"TypeError: no implicit conversion of Integer into String"##,
    );
    check_err(
        r##"Digest::SHA256.hexdigest(1)"##,
        r##"TypeError: no implicit conversion of Integer into String"##,
    );
    check_err(
        r##"Digest::MD5.digest(1)"##,
        r##"TypeError: no implicit conversion of Integer into String"##,
    );
    check_err(
        r##"Digest::SHA1.base64digest(1)"##,
        r##"TypeError: no implicit conversion of Integer into String"##,
    );
    check_err(
        r##"OpenSSL::Digest.hexdigest('SHA256', 1)"##,
        r##"TypeError: no implicit conversion of Integer into String"##,
    );
    check_err(
        r##"URI.parse(1)"##,
        r##"URI::InvalidURIError: bad URI(is not URI?): 1"##,
    );
    check_err(
        r##"URI(1)"##,
        r##"ArgumentError: bad argument (expected URI object or URI string)"##,
    );
    check_err(
        r##"IPAddr.new(1)"##,
        r##"IPAddr::AddressFamilyError: address family must be specified"##,
    );
    check_err(
        r##"CGI.escape(true)"##,
        r##"TypeError: no implicit conversion of true into String"##,
    );
    check_err(
        r##"CGI.unescape(true)"##,
        r##"TypeError: no implicit conversion of true into String"##,
    );
    check_err(
        r##"CGI.escapeHTML(true)"##,
        r##"TypeError: no implicit conversion of true into String"##,
    );
    check_err(
        r##"CGI.unescapeHTML(true)"##,
        r##"TypeError: no implicit conversion of true into String"##,
    );
    check_err(
        r##"Digest::SHA256.hexdigest(true)"##,
        r##"TypeError: no implicit conversion of true into String"##,
    );
    check_err(
        r##"Digest::MD5.digest(true)"##,
        r##"TypeError: no implicit conversion of true into String"##,
    );
    check_err(
        r##"Digest::SHA1.base64digest(true)"##,
        r##"TypeError: no implicit conversion of true into String"##,
    );
    check_err(
        r##"OpenSSL::Digest.hexdigest('SHA256', true)"##,
        r##"TypeError: no implicit conversion of true into String"##,
    );
    check_err(
        r##"URI.parse(true)"##,
        r##"URI::InvalidURIError: bad URI(is not URI?): true"##,
    );
    check_err(
        r##"URI(true)"##,
        r##"ArgumentError: bad argument (expected URI object or URI string)"##,
    );
    check_err(
        r##"IPAddr.new(true)"##,
        r##"IPAddr::AddressFamilyError: address family must be specified"##,
    );
    check_err(
        r##"CGI.escape(:a)"##,
        r##"TypeError: no implicit conversion of Symbol into String"##,
    );
    check_err(
        r##"CGI.unescape(:a)"##,
        r##"TypeError: no implicit conversion of Symbol into String"##,
    );
    check_err(
        r##"CGI.escapeHTML(:a)"##,
        r##"TypeError: no implicit conversion of Symbol into String"##,
    );
    check_err(
        r##"CGI.unescapeHTML(:a)"##,
        r##"TypeError: no implicit conversion of Symbol into String"##,
    );
    check_err(
        r##"Digest::SHA256.hexdigest(:a)"##,
        r##"TypeError: no implicit conversion of Symbol into String"##,
    );
    check_err(
        r##"Digest::MD5.digest(:a)"##,
        r##"TypeError: no implicit conversion of Symbol into String"##,
    );
    check_err(
        r##"Digest::SHA1.base64digest(:a)"##,
        r##"TypeError: no implicit conversion of Symbol into String"##,
    );
    check_err(
        r##"OpenSSL::Digest.hexdigest('SHA256', :a)"##,
        r##"TypeError: no implicit conversion of Symbol into String"##,
    );
    check_err(
        r##"URI.parse(:a)"##,
        r##"URI::InvalidURIError: bad URI(is not URI?): :a"##,
    );
    check_err(
        r##"URI(:a)"##,
        r##"ArgumentError: bad argument (expected URI object or URI string)"##,
    );
    check_err(
        r##"IPAddr.new(:a)"##,
        r##"IPAddr::AddressFamilyError: address family must be specified"##,
    );
    check_err(
        r##"Regexp.escape(nil)"##,
        r##"TypeError: no implicit conversion of nil into String"##,
    );
    check_err(
        r##"Regexp.escape(1)"##,
        r##"TypeError: no implicit conversion of Integer into String"##,
    );
    check_err(
        r##"Regexp.escape(true)"##,
        r##"TypeError: no implicit conversion of true into String"##,
    );
    // (NoMethodError in Ruby 3.4's words, the director's)
    check_err(
        r##"URI.decode_www_form_component(nil)"##,
        r##"NoMethodError: undefined method 'b' for nil"##,
    );
    check_err(
        r##"URI.decode_www_form_component(1)"##,
        r##"TypeError: no implicit conversion of Integer into String"##,
    );
    check_err(
        r##"URI.decode_www_form_component(:a)"##,
        r##"NoMethodError: undefined method 'b' for an instance of Symbol"##,
    );
    check_err(
        r##"Shellwords.split(nil)"##,
        r##"NoMethodError: undefined method 'scan' for nil"##,
    );
    check_err(
        r##"Shellwords.split(1)"##,
        r##"NoMethodError: undefined method 'scan' for an instance of Integer"##,
    );
}

#[test]
fn values_written_through_to_s() {
    check(
        r##"[ERB::Util.html_escape(1), ERB::Util.h(nil), ERB::Util.url_encode(:a), URI.encode_www_form_component(1), Shellwords.escape(nil), Regexp.escape(:'a.b')].inspect"##,
        r##"["1", "", "a", "1", "''", "a\\.b"]"##,
    );
    check(
        r##"[CGI.escape('a b&'), CGI.escapeHTML('<a>'), Digest::MD5.hexdigest('x'), URI.parse('http://h/p').host].inspect"##,
        r##"["a+b%26", "&lt;a&gt;", "9dd4e461268c8034f5c8564e155c67a6", "h"]"##,
    );
    check(
        r##"[URI('http://a/b').host, URI(URI('http://x:1')).port].inspect"##,
        r##"["a", 1]"##,
    );
    // gone since Ruby 3.0
    check_err(
        r##"URI.escape('a b')"##,
        r##"NoMethodError: undefined method 'escape' for module URI"##,
    );
}
