//! Binary strings: what digests, decoded Base64, `pack`, `b` and `chr` past ASCII give, read
//! back byte by byte, sliced, written out, and mixed with text. (Binary bytes that are all
//! ASCII stay text in bale, which reads and prints alike but for `encoding`: see `RStr`.)

use super::{check, check_err};

#[test]
fn made_by_digests_base64_pack_and_chr() {
    check(r##"Digest::SHA256.digest('a').bytesize"##, r##"32"##);
    check(r##"Digest::SHA256.digest('a').size"##, r##"32"##);
    check(
        r##"Base64.strict_encode64(Digest::SHA256.digest('a'))"##,
        r##"ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs="##,
    );
    check(
        r##"Digest::MD5.digest('a').unpack1('H*')"##,
        r##"0cc175b9c0f1b6a831c399e269772661"##,
    );
    check(
        r##"OpenSSL::Digest.digest('SHA1', 'a').bytes.first(4).inspect"##,
        r##"[134, 247, 228, 55]"##,
    );
    check(r##"Base64.decode64('/w==').bytes.inspect"##, r##"[255]"##);
    check(r##"Base64.decode64('/+8=').inspect"##, r##""\xFF\xEF""##);
    check(
        r##"['0011ff'].pack('H*').bytes.inspect"##,
        r##"[0, 17, 255]"##,
    );
    check(
        r##"Base64.strict_encode64(['00ff'].pack('H*'))"##,
        r##"AP8="##,
    );
    check(r##"[255, 1].pack('C*').inspect"##, r##""\xFF\x01""##);
    check(r##"[[255].pack('C')].pack('m0')"##, r##"/w=="##);
    check(r##"255.chr.inspect"##, r##""\xFF""##);
    check(r##"255.chr.encoding.to_s"##, r##"ASCII-8BIT"##);
    check(r##"65.chr"##, r##"A"##);
    check(r##"[0xe9].pack('C').unpack1('a*').inspect"##, r##""\xE9""##);
}

#[test]
fn read_byte_by_byte() {
    check(r##"[1, 200, 3].pack('C*').getbyte(1)"##, r##"200"##);
    check(r##"[1, 200, 3].pack('C*').getbyte(-1)"##, r##"3"##);
    check(
        r##"[1, 200, 3].pack('C*').unpack('C*').inspect"##,
        r##"[1, 200, 3]"##,
    );
    check(r##"[1, 200, 3].pack('C*').valid_encoding?"##, r##"true"##);
    check(r##"[1, 200, 3].pack('C*').ascii_only?"##, r##"false"##);
    check(r##"[200].pack('C') == [200].pack('C')"##, r##"true"##);
    check(r##"'é'.b.length"##, r##"2"##);
    check(r##"'é'.b.inspect"##, r##""\xC3\xA9""##);
    check(r##"'é'.b.force_encoding('UTF-8')"##, r##"é"##);
    check(
        r##"x = +'é'; x.force_encoding('BINARY'); [x.bytesize, x.length].inspect"##,
        r##"[2, 2]"##,
    );
    check(
        r##"Digest::SHA1.hexdigest(Digest::SHA1.digest('a'))"##,
        r##"667f407de7c6ad07358fa38daed7828a72014b4e"##,
    );
    check(r##"Base64.decode64('Iy17') .inspect"##, r##""#-{""##);
}

#[test]
fn mixed_with_text() {
    check(
        r##"([255].pack('C') + 'x').bytes.inspect"##,
        r##"[255, 120]"##,
    );
    check(
        r##"('x' + [255].pack('C')).bytes.inspect"##,
        r##"[120, 255]"##,
    );
    check(
        r##"s = +'ab'; s << [255].pack('C'); s.bytes.inspect"##,
        r##"[97, 98, 255]"##,
    );
    check(
        r##""a#{[255].pack('C')}b".bytes.inspect"##,
        r##"[97, 255, 98]"##,
    );
    check_err(
        r##"'é' + [255].pack('C')"##,
        r##"Encoding::CompatibilityError: incompatible character encodings: UTF-8 and BINARY (ASCII-8BIT)"##,
    );
    check_err(
        r##"[255].pack('C') + 'é'"##,
        r##"Encoding::CompatibilityError: incompatible character encodings: BINARY (ASCII-8BIT) and UTF-8"##,
    );
    check_err(
        r##"s = +'é'; s << [255].pack('C')"##,
        r##"Encoding::CompatibilityError: incompatible character encodings: UTF-8 and BINARY (ASCII-8BIT)"##,
    );
    check_err(
        r##"s = [255].pack('C').freeze; s << 'a'"##,
        r##"FrozenError: can't modify frozen String: "\xFF""##,
    );
    check_err(
        r##""é#{[255].pack('C')}""##,
        r##"Encoding::CompatibilityError: incompatible character encodings: UTF-8 and BINARY (ASCII-8BIT)"##,
    );
}

/// A whole template's bytes: a binary string is written as its bytes while the rest of the
/// output is ASCII, as Ruby's buffer takes it (the messages are Ruby 3.4's, checked with
/// Ruby 3.4 itself). A method that reads a binary string as text (`[]` here) is refused,
/// where Ruby would answer: bale holds its bytes as chars, and would answer wrongly.
#[test]
fn written_out_as_bytes() {
    use super::Bytes::{Raised, Written};
    let out = super::rendered;
    assert_eq!(out("a<%= 255.chr %>b"), Written(b"a\xffb".to_vec()));
    // a byte sliced off a digest, a packed byte: written as the bytes they are
    assert_eq!(
        out("<%= Digest::MD5.digest('a')[0, 1] %>-<%= [0xc3].pack('C') %>"),
        Written(vec![12, 45, 195])
    );
    // joined, as Ruby joins it with ASCII text
    assert_eq!(
        out("<%= [255.chr, 'a'].join(',') %>"),
        Written(b"\xff,a".to_vec())
    );
    // nor is one taken as text where it would be written as its chars
    assert_eq!(
        out("<%= [255.chr, 'a'].shelljoin %>"),
        Raised(
            "NotImplementedError: unsupported construct: a binary string taken as text \
             (bale renders templates without Ruby and does not implement this)"
                .into()
        )
    );
    // a binary string past ASCII after text past ASCII, and text after it
    for (src, first, second) in [
        ("é<%= 255.chr %>", "UTF-8", "BINARY (ASCII-8BIT)"),
        ("<%= 255.chr %>é", "BINARY (ASCII-8BIT)", "UTF-8"),
        ("<%= 255.chr %><%= 'é' %>", "BINARY (ASCII-8BIT)", "UTF-8"),
    ] {
        let want = format!(
            "Encoding::CompatibilityError: incompatible character encodings: {first} and {second}"
        );
        assert_eq!(out(src), Raised(want), "{src}");
    }
}

#[test]
fn sliced_reversed_and_cased_byte_by_byte() {
    check(r##"('é'.b[0]).inspect"##, r##""\xC3""##);
    check(r##"'é'.b[-1].bytes"##, r##"[169]"##);
    check(r##"('aéb'.b[1, 2]).inspect"##, r##""\xC3\xA9""##);
    check(r##"('aéb'.b[1..]).inspect"##, r##""\xC3\xA9b""##);
    check(r##"('aéb'.b[9]).inspect"##, r##"nil"##);
    check(r##"('aéb'.b.slice(2)).inspect"##, r##""\xA9""##);
    check(r##"('aéb'.b.byteslice(0, 2)).inspect"##, r##""a\xC3""##);
    check(r##"('aéb'.b['b']).inspect"##, r##""b""##);
    check(r##"('aéb'.b['x']).inspect"##, r##"nil"##);
    check(r##"'aéb'.b['é'.b].bytes"##, r##"[195, 169]"##);
    check(r##"'é'.b.rjust(4).inspect"##, r##""  \xC3\xA9""##);
    check(r##"'é'.b.ljust(5, '*').inspect"##, r##""\xC3\xA9***""##);
    check(r##"'é'.b.center(6, 'ab').inspect"##, r##""ab\xC3\xA9ab""##);
    check(r##"('é'.b.reverse).inspect"##, r##""\xA9\xC3""##);
    check(r##"('aéB'.b.upcase).inspect"##, r##""A\xC3\xA9B""##);
    check(r##"('AéB'.b.downcase).inspect"##, r##""a\xC3\xA9b""##);
    check(r##"('aéB'.b.swapcase).inspect"##, r##""A\xC3\xA9b""##);
    check(r##"('hÉLLO'.b.capitalize).inspect"##, r##""H\xC3\x89llo""##);
    check(r##"'hé'.b.capitalize.bytes"##, r##"[72, 195, 169]"##);
    check(r##"('é'.b[0] + 'x').inspect"##, r##""\xC3x""##);
}

#[test]
fn packed_bytes_are_binary_unless_the_format_starts_with_u() {
    check(r##"([195, 169].pack('C*')).inspect"##, r##""\xC3\xA9""##);
    check(r##"[195, 169].pack('C*').length"##, r##"2"##);
    check(
        r##"[195, 169].pack('C*').force_encoding('UTF-8')"##,
        r##"é"##,
    );
    check(r##"['é'].pack('a*').length"##, r##"2"##);
    check(r##"['c3a9'].pack('H*').bytes"##, r##"[195, 169]"##);
    check(r##"[233].pack('U').length"##, r##"1"##);
    check(r##"[233, 195].pack('UC').length"##, r##"3"##);
    check(r##"([104, 105].pack('C*') + 'é').inspect"##, r##""hié""##);
}

#[test]
fn binary_strings_in_join_format_and_repeat() {
    check(
        r##"[255.chr, "a", 1].join("-").bytes.inspect"##,
        r##"[255, 45, 97, 45, 49]"##,
    );
    check(r##"[255.chr, "a"].join.encoding.to_s"##, r##"ASCII-8BIT"##);
    check(r##"[[255.chr], [200.chr]].join.bytesize"##, r##"2"##);
    check(r##"[255.chr].join("é").bytes.inspect"##, r##"[255]"##);
    check_err(
        r##"["é", 255.chr].join"##,
        r##"Encoding::CompatibilityError: incompatible character encodings: UTF-8 and BINARY (ASCII-8BIT)"##,
    );
    check_err(
        r##"[255.chr, 1].join("é")"##,
        r##"Encoding::CompatibilityError: incompatible character encodings: BINARY (ASCII-8BIT) and UTF-8"##,
    );
    check(
        r##"format("%-3s|%s", 255.chr, 200.chr).bytes.inspect"##,
        r##"[255, 32, 32, 124, 200]"##,
    );
    check(
        r##"format("%s", 255.chr).encoding.to_s"##,
        r##"ASCII-8BIT"##,
    );
    check(
        r##"format("%5.2s|", 255.chr * 3).bytes.inspect"##,
        r##"[32, 32, 32, 255, 255, 124]"##,
    );
    // the format string's own text after a binary argument is taken as its bytes
    check(
        r##"format("%sé", 255.chr).bytes.inspect"##,
        r##"[255, 195, 169]"##,
    );
    check(
        r##"format("%{a}-%<b>s", a: 255.chr, b: "x").bytes.inspect"##,
        r##"[255, 45, 120]"##,
    );
    check(r##"("%s" % 200.chr).bytesize"##, r##"1"##);
    check_err(
        r##"format("é%s", 255.chr)"##,
        r##"Encoding::CompatibilityError: incompatible character encodings: UTF-8 and BINARY (ASCII-8BIT)"##,
    );
    check_err(
        r##"format("%s%s", 255.chr, "é")"##,
        r##"Encoding::CompatibilityError: incompatible character encodings: BINARY (ASCII-8BIT) and UTF-8"##,
    );
    check(r##"format("%s|%s", "a".b, "é")"##, r##"a|é"##);
    check(r##"(255.chr * 3).bytes.inspect"##, r##"[255, 255, 255]"##);
    check(r##"(255.chr * 2).encoding.to_s"##, r##"ASCII-8BIT"##);
}

#[test]
fn a_copy_keeps_a_binary_string_binary() {
    check(r##"255.chr.dup.bytes.inspect"##, r##"[255]"##);
    check(r##"255.chr.clone.bytes.inspect"##, r##"[255]"##);
    check(
        r##"k = 200.chr; h = {k => 1}; h.keys.first.bytes.inspect"##,
        r##"[200]"##,
    );
}

#[test]
fn ascii_text_in_us_ascii_or_ascii_8bit() {
    // control bytes are written `\xNN` where a UTF-8 text writes `\uNNNN`
    check(r##"0.chr.inspect"##, r##""\x00""##);
    check(r##"127.chr.inspect"##, r##""\x7F""##);
    check(r##""\x00".inspect"##, r##""\u0000""##);
    check(r##""\x00".b.inspect"##, r##""\x00""##);
    check(r##"[0].pack("C").inspect"##, r##""\x00""##);
    check(r##"Base64.decode64("AA==").inspect"##, r##""\x00""##);
    check(
        r##"x = +"a\x01"; x.force_encoding("BINARY"); x.inspect"##,
        r##""a\x01""##,
    );
    check(r##"65.chr.encoding.to_s"##, r##"US-ASCII"##);
    check(r##""a".b.encoding.to_s"##, r##"ASCII-8BIT"##);
    // kept by what is made from it, and by a copy
    check(
        r##"0.chr.rpartition(".").inspect"##,
        r##"["", "", "\x00"]"##,
    );
    check(r##"(0.chr + "a").inspect"##, r##""\x00a""##);
    check(r##"0.chr.center(3).inspect"##, r##"" \x00 ""##);
    check(r##"0.chr.dup.inspect"##, r##""\x00""##);
    check(r##"{0.chr => 1}.inspect"##, r##"{"\x00" => 1}"##);
    check(r##"[0.chr, "a"].join.inspect"##, r##""\x00a""##);
    check(r##"1.chr.upcase.encoding.to_s"##, r##"US-ASCII"##);
    // not by what is made into UTF-8 text, nor once text past ASCII is written into it
    check(r##"("a" + 0.chr).inspect"##, r##""a\u0000""##);
    check(r##""#{0.chr}".inspect"##, r##""\u0000""##);
    check(r##"format("%s", 0.chr).inspect"##, r##""\u0000""##);
    check(r##"x = 0.chr; x << "é"; x.encoding.to_s"##, r##"UTF-8"##);
    check(r##"0.chr == "\x00""##, r##"true"##);
}

#[test]
fn shell_words_of_bytes_keep_their_encoding() {
    check(r##"Shellwords.split(1.chr).inspect"##, r##"["\x01"]"##);
    check(r##"1.chr.shellsplit.inspect"##, r##"["\x01"]"##);
    check(
        r##"Shellwords.split(255.chr + " a").map(&:bytes).inspect"##,
        r##"[[255], [97]]"##,
    );
}

#[test]
fn force_encoding_by_any_name_ruby_takes() {
    check(
        r##"x = +"a\x01"; x.force_encoding(Encoding::BINARY); x.inspect"##,
        r##""a\x01""##,
    );
    check(
        r##"x = +"a"; x.force_encoding("ascii"); x.encoding.to_s"##,
        r##"US-ASCII"##,
    );
    check(
        r##"x = +"é"; x.force_encoding("binary"); [x.length, x.bytes].inspect"##,
        r##"[2, [195, 169]]"##,
    );
}

#[test]
fn numbers_read_from_binary_strings() {
    check(
        r##"[255.chr.to_f, 255.chr.to_i, ('12' + 255.chr).to_i, (255.chr + '12').to_i, ('1.5' + 255.chr).to_f, ('ff' + 255.chr).hex, ('17' + 255.chr).oct, ('12' + 255.chr).to_i(16), (160.chr + '12').to_i]"##,
        r##"[0.0, 0, 12, 0, 1.5, 255, 15, 18, 0]"##,
    );
    check_err(
        r##"Integer(255.chr)"##,
        r##"ArgumentError: invalid value for Integer(): "\xFF""##,
    );
    check_err(
        r##"Float('1.5' + 255.chr)"##,
        r##"ArgumentError: invalid value for Float(): "1.5\xFF""##,
    );
}

#[test]
fn prefixes_and_suffixes_are_compared_as_bytes() {
    check(
        r##"['été ü'.unpack1('H*')].pack('H*').start_with?('a')"##,
        r##"false"##,
    );
    check(
        r##"['été ü'.unpack1('H*')].pack('H*').end_with?('x', ' ' + 252.chr)"##,
        r##"false"##,
    );
    check(
        r##"b = [0xC3, 0x41].pack('C*'); [b.start_with?(195.chr), b.end_with?('A'), b.start_with?('b', 'c')]"##,
        r##"[true, true, false]"##,
    );
    check(
        r##"b = [0xC3, 0x41].pack('C*'); b.start_with?('x', [0xC3].pack('C'))"##,
        r##"true"##,
    );
    check(
        r##"b = [0xC3, 0x41].pack('C*'); b.end_with?('A', 'é')"##,
        r##"true"##,
    );
    check_err(
        r##"b = [0xC3, 0x41].pack('C*'); b.start_with?('é')"##,
        r##"Encoding::CompatibilityError: incompatible character encodings: BINARY (ASCII-8BIT) and UTF-8"##,
    );
    check_err(
        r##"b = [0xC3, 0x41].pack('C*'); b.end_with?('x', 'é')"##,
        r##"Encoding::CompatibilityError: incompatible character encodings: BINARY (ASCII-8BIT) and UTF-8"##,
    );
}

#[test]
fn chars_of_a_binary_string_are_its_bytes() {
    check(
        r##"['été ü'.unpack1('H*')].pack('H*').each_char.map(&:ord).join(",")"##,
        r##"195,169,116,195,169,32,195,188"##,
    );
    check(
        r##"['c3a9'].pack('H*').chars.inspect"##,
        r##"["\xC3", "\xA9"]"##,
    );
    check(
        r##"['c3a9'].pack('H*').chars.map(&:encoding).uniq.inspect"##,
        r##"[#<Encoding:BINARY (ASCII-8BIT)>]"##,
    );
    check(
        r##"x = []; ['c3a961'].pack('H*').each_char { |c| x << c.bytes }; x.inspect"##,
        r##"[[195], [169], [97]]"##,
    );
    check(
        r##"x = []; ['c3a9'].pack('H*').each_byte { |b| x << b }; x.inspect"##,
        r##"[195, 169]"##,
    );
    check(
        r##"['c3a9'].pack('H*').each_byte.to_a.inspect"##,
        r##"[195, 169]"##,
    );
    check(
        r##"['c3a9'].pack('H*').each_char.with_index.map { |c, i| [c.bytesize, i] }.inspect"##,
        r##"[[1, 0], [1, 1]]"##,
    );
}

#[test]
fn ord_of_a_binary_string_is_its_first_byte() {
    check(r##"['c3a9'].pack('H*').ord"##, r##"195"##);
    check_err(r##"''.b.ord"##, r##"ArgumentError: empty string"##);
}

#[test]
fn an_encoding_is_one_object() {
    check(
        r##"['a'.encoding, 'b'.encoding, ['c3'].pack('H*').encoding].uniq.size"##,
        r##"2"##,
    );
    check(
        r##"{ 'a'.encoding => 1, 'b'.encoding => 2 }.size"##,
        r##"1"##,
    );
    check(r##"'a'.encoding.hash == 'b'.encoding.hash"##, r##"true"##);
    check(
        r##"'a'.encoding.object_id == Encoding::UTF_8.object_id"##,
        r##"true"##,
    );
    check(r##"'a'.encoding.hash == ''.b.encoding.hash"##, r##"false"##);
}
