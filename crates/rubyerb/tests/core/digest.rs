//! Digest objects fed piece by piece, `Digest::SHA2`, `OpenSSL::HMAC` (one-shot and fed), and
//! `Encoding` objects: what templates that derive a token from properties, or ask a string
//! for its encoding, render.

use super::{check, check_err};

#[test]
fn digest_objects_fed_piece_by_piece() {
    check(
        r##"Digest::SHA256.new.update('a').update('b').hexdigest"##,
        r##"fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603"##,
    );
    check(
        r##"(Digest::SHA256.new << 'a' << 'b').to_s"##,
        r##"fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603"##,
    );
    check(
        r##""#{Digest::MD5.new << 'a'}""##,
        r##"0cc175b9c0f1b6a831c399e269772661"##,
    );
    check(
        r##"Digest::SHA256.new.inspect"##,
        r##"#<Digest::SHA256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855>"##,
    );
    check(
        r##"OpenSSL::Digest.new('sha256').inspect"##,
        r##"#<OpenSSL::Digest: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855>"##,
    );
    check(
        r##"OpenSSL::Digest::SHA256.new('x').hexdigest"##,
        r##"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"##,
    );
    check(
        r##"OpenSSL::Digest.new('SHA-384', 'x').name"##,
        r##"SHA384"##,
    );
    check(
        r##"[OpenSSL::Digest.new('md5').name, OpenSSL::Digest::SHA1.new.name]"##,
        r##"["MD5", "SHA1"]"##,
    );
    check(
        r##"Digest::SHA256.new.base64digest"##,
        r##"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="##,
    );
    check(r##"Digest::SHA1.new.digest.bytesize"##, r##"20"##);
    check(
        r##"[Digest::SHA256.new.digest_length, Digest::SHA512.new.block_length, Digest::MD5.new.size]"##,
        r##"[32, 128, 16]"##,
    );
    check(
        r##"d = Digest::SHA256.new; d << 'a'; [d.hexdigest('x'), d.hexdigest]"##,
        r##"["2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"]"##,
    );
    check(
        r##"d = Digest::SHA256.new; d << 'a'; [d.hexdigest!, d.hexdigest]"##,
        r##"["ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"]"##,
    );
    check(
        r##"d = Digest::SHA1.new; d << 'a'; d.reset.hexdigest"##,
        r##"da39a3ee5e6b4b0d3255bfef95601890afd80709"##,
    );
    check(r##"Digest::SHA256.new == Digest::SHA256.new"##, r##"true"##);
    check(
        r##"(Digest::MD5.new << 'a') == Digest::MD5.hexdigest('a')"##,
        r##"true"##,
    );
    check(
        r##"[Digest::SHA256.new.class, Digest::SHA256.new.is_a?(Digest::Base)]"##,
        r##"[Digest::SHA256, true]"##,
    );
    check_err(
        r##"Digest::SHA256.new('x')"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 0)"##,
    );
    check_err(
        r##"Digest::SHA256.new.update(5)"##,
        r##"TypeError: no implicit conversion of Integer into String"##,
    );
    check_err(
        r##"OpenSSL::Digest.new('nope')"##,
        r##"RuntimeError: Unsupported digest algorithm (nope).: unknown object name"##,
    );
}

#[test]
fn sha2_by_bit_length() {
    check(
        r##"Digest::SHA2.hexdigest('x')"##,
        r##"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"##,
    );
    check(
        r##"Digest::SHA2.new(384).hexdigest('x')"##,
        r##"d752c2c51fba0e29aa190570a9d4253e44077a058d3297fa3a5630d5bd012622f97c28acaed313b5c83bb990caa7da85"##,
    );
    check(
        r##"Digest::SHA2.new(512).inspect"##,
        r##"#<Digest::SHA2:512 cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e>"##,
    );
    check(
        r##"Digest::SHA384.hexdigest('x')"##,
        r##"d752c2c51fba0e29aa190570a9d4253e44077a058d3297fa3a5630d5bd012622f97c28acaed313b5c83bb990caa7da85"##,
    );
    check_err(
        r##"Digest::SHA2.new(100)"##,
        r##"ArgumentError: unsupported bit length: 100"##,
    );
}

#[test]
fn hmac() {
    check(
        r##"OpenSSL::HMAC.hexdigest('SHA256', 'key', 'data')"##,
        r##"5031fe3d989c6d1537a013fa6e739da23463fdaec3b70137d828e36ace221bd0"##,
    );
    check(
        r##"OpenSSL::HMAC.hexdigest('sha1', 'key', 'data')"##,
        r##"104152c5bfdca07bc633eebd46199f0255c9f49d"##,
    );
    check(
        r##"OpenSSL::HMAC.hexdigest('MD5', 'key', 'data')"##,
        r##"9d5c73ef85594d34ec4438b7c97e51d8"##,
    );
    check(
        r##"OpenSSL::HMAC.hexdigest('SHA512', 'k' * 200, 'data')"##,
        r##"854e242c54ce5f31621a1f809881b3439c0a77fd594dc546b9b3a957cf6f7b5475a1302be9fde1ece18531982eaa2141907c8b2fbd8bec2e5b19b8312ace3f2b"##,
    );
    check(
        r##"OpenSSL::HMAC.hexdigest(OpenSSL::Digest.new('sha384'), 'key', 'data')"##,
        r##"c5f97ad9fd1020c174d7dc02cf83c4c1bf15ee20ec555b690ad58e62da8a00ee44ccdb65cb8c80acfd127ebee568958a"##,
    );
    check(
        r##"OpenSSL::HMAC.base64digest('SHA256', 'key', 'data')"##,
        r##"UDH+PZicbRU3oBP6bnOdojRj/a7DtwE32Cjjas4iG9A="##,
    );
    check(
        r##"Base64.strict_encode64(OpenSSL::HMAC.digest('SHA256', 'key', 'data'))"##,
        r##"UDH+PZicbRU3oBP6bnOdojRj/a7DtwE32Cjjas4iG9A="##,
    );
    check(
        r##"h = OpenSSL::HMAC.new('key', 'SHA256'); h << 'da'; h.update('ta'); [h.hexdigest, h.to_s == h.inspect]"##,
        r##"["5031fe3d989c6d1537a013fa6e739da23463fdaec3b70137d828e36ace221bd0", true]"##,
    );
    check(
        r##"h = OpenSSL::HMAC.new('key', 'SHA256'); h << 'data'; h.reset.hexdigest"##,
        r##"5d5d139563c95b5967b9bd9a8c9b233a9dedb45072794cd232dc1b74832607d0"##,
    );
    check(
        r##"OpenSSL::HMAC.new('k', 'sha256').class"##,
        r##"OpenSSL::HMAC"##,
    );
    check_err(
        r##"OpenSSL::HMAC.hexdigest(Digest::SHA256.new, 'key', 'data')"##,
        r##"TypeError: wrong argument type digest (expected OpenSSL/Digest)"##,
    );
    check_err(
        r##"OpenSSL::HMAC.hexdigest('nope', 'key', 'data')"##,
        r##"RuntimeError: Unsupported digest algorithm (nope).: unknown object name"##,
    );
    check_err(
        r##"OpenSSL::HMAC.hexdigest('SHA256', nil, 'data')"##,
        r##"TypeError: no implicit conversion of nil into String"##,
    );
}

#[test]
fn encodings() {
    check(r##"'x'.encoding"##, r##"UTF-8"##);
    check(r##"'x'.encoding.inspect"##, r##"#<Encoding:UTF-8>"##);
    check(
        r##"['x'.encoding.name, 'x'.encoding.to_s]"##,
        r##"["UTF-8", "UTF-8"]"##,
    );
    check(r##"'x'.encoding == Encoding::UTF_8"##, r##"true"##);
    check(r##"'x'.encoding == 'UTF-8'"##, r##"false"##);
    check(r##"Encoding::UTF_8 == Encoding::US_ASCII"##, r##"false"##);
    check(r##"Encoding::ASCII_8BIT == Encoding::BINARY"##, r##"true"##);
    check(
        r##"Encoding::BINARY.inspect"##,
        r##"#<Encoding:BINARY (ASCII-8BIT)>"##,
    );
    check(
        r##"Digest::SHA256.digest('a').encoding.to_s"##,
        r##"ASCII-8BIT"##,
    );
    check(r##""#{Encoding::UTF_8}""##, r##"UTF-8"##);
    check(
        r##"'é'.force_encoding(Encoding::BINARY).bytesize"##,
        r##"2"##,
    );
    check(r##"'x'.encode(Encoding::US_ASCII)"##, r##"x"##);
    check(
        r##"[Encoding.find('utf-8'), Encoding.default_external, Encoding.default_internal]"##,
        r##"[#<Encoding:UTF-8>, #<Encoding:UTF-8>, nil]"##,
    );
    check(r##"Encoding::UTF_8.frozen?"##, r##"true"##);
    check_err(
        r##"Encoding.find('nope')"##,
        r##"ArgumentError: unknown encoding name - nope"##,
    );
}
