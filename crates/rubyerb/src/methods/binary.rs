//! Methods of binary strings (see [`crate::value::RStr`]): the ones that read bytes answer
//! from them, and so do those whose answer is the same read byte by byte (slices by position,
//! `reverse`, Ruby's ASCII-only case mapping, searches by a regexp of ASCII); the ones that
//! treat a string as text are refused, because a binary string's text is one char per byte
//! and an answer made from it would be silently wrong.

use super::super::format;
use super::super::interp::{Interp, R};
use super::super::value::{RStr, Value};
use super::super::MethodCall;
use super::{arg, str_arg};

mod patterns;
use patterns::args_read_bytes;
pub(super) use patterns::regex_reads_bytes;

/// What a binary receiver answers: `Some` for a method answered here, `None` for one
/// answered alike for any string (its length, comparisons, freezing: the common
/// dispatch's), an error for one that needs text.
pub(super) fn call(it: &mut Interp, c: &MethodCall, cell: &RStr) -> R<Option<Value>> {
    let v = match c.name {
        // a binary string's code points are its bytes
        "bytes" | "codepoints" => Value::array(
            cell.bytes()
                .into_iter()
                .map(|b| Value::Int(b as i64))
                .collect(),
        ),
        "bytesize" => Value::Int(cell.bytesize() as i64),
        "ord" if c.args.is_empty() => match cell.bytes().first() {
            Some(&b) => Value::Int(b as i64),
            None => return it.err("ArgumentError", "empty string"),
        },
        // its chars are its bytes, each a binary string of one
        "chars" if c.args.is_empty() => Value::array(byte_strings(cell)),
        "each_char" | "each_byte" if c.args.is_empty() => {
            let Some(b) = &c.block else {
                return Ok(Some(super::enumerator::make(
                    it,
                    c.recv.clone(),
                    c.name,
                    Vec::new(),
                )));
            };
            let items = if c.name == "each_char" {
                byte_strings(cell)
            } else {
                cell.bytes()
                    .into_iter()
                    .map(|b| Value::Int(b as i64))
                    .collect()
            };
            for x in items {
                it.call_block1(b, x)?;
            }
            c.recv.clone()
        }
        "getbyte" => match arg(c.args, 0) {
            Value::Int(i) => {
                let b = cell.bytes();
                let n = b.len() as i64;
                let i = if i < 0 { i + n } else { i };
                if (0..n).contains(&i) {
                    Value::Int(b[i as usize] as i64)
                } else {
                    Value::Nil
                }
            }
            _ => return Ok(None),
        },
        "unpack" | "unpack1" => {
            let fmt = str_arg(it, &arg(c.args, 0))?;
            let mut v = super::unpack::unpack(it, &cell.bytes(), &fmt)?;
            if c.name == "unpack" {
                Value::array(v)
            } else if v.is_empty() {
                Value::Nil
            } else {
                v.swap_remove(0)
            }
        }
        "encoding" => crate::stdlib::encoding_value(it, "ASCII-8BIT"),
        "valid_encoding?" => Value::Bool(true),
        "b" => Value::binary_of(&cell.bytes()),
        "force_encoding" => {
            let to = format::to_s(&arg(c.args, 0));
            match crate::stdlib::encoding_named(&to) {
                Some("ASCII-8BIT") => c.recv.clone(),
                // in place, as Ruby changes the string's encoding
                Some("UTF-8") if cell.set_binary(false) => c.recv.clone(),
                Some("UTF-8") => {
                    return it
                        .unsupported("String#force_encoding('UTF-8') of bytes that are not UTF-8")
                }
                _ => return it.unsupported(&format!("String#force_encoding('{to}')")),
            }
        }
        "inspect" | "dump" => Value::str(format::binary_inspect(&cell.borrow())),
        "+" => match arg(c.args, 0) {
            Value::Str(o) => {
                let (text, binary) = joined(it, cell, &o)?;
                if binary {
                    Value::binary_text(text)
                } else {
                    Value::str(text)
                }
            }
            _ => return Ok(None),
        },
        "<<" | "concat" if !cell.is_frozen() => {
            for a in c.args {
                let Value::Str(o) = a else {
                    return it.unsupported(&format!("String#{} of a binary string", c.name));
                };
                let (text, _) = joined(it, cell, o)?;
                *cell.borrow_mut() = text;
            }
            c.recv.clone()
        }
        // frozen: refused as any string's append is
        "<<" | "concat" => return Ok(None),
        // a slice by position is one of bytes, its chars being its bytes; so is a search for
        // ASCII or for bytes
        "[]" | "slice" | "byteslice"
            if !c.args.is_empty()
                && c.args.iter().all(|a| match a {
                    Value::Int(_) | Value::Range(_) => true,
                    // a substring found among chars that are bytes: ASCII, or bytes too
                    Value::Str(s) => s.is_binary() || s.borrow().is_ascii(),
                    _ => false,
                }) =>
        {
            match super::text::index(it, &cell.borrow(), c.args)? {
                // a fresh string of the binary text's chars: each char one byte
                Value::Str(s) => binary_of_chars(&s.borrow()),
                other => other,
            }
        }
        // a prefix or suffix of ASCII or of bytes is compared byte by byte (chars here, one
        // a byte); text past ASCII cannot meet bytes past it (Ruby's
        // `Encoding::CompatibilityError`), checked as Ruby checks it, argument by argument
        "start_with?" | "end_with?" if c.args.iter().all(|a| matches!(a, Value::Str(_))) => {
            let text = cell.borrow();
            let mut found = false;
            for a in c.args {
                let Value::Str(s) = a else { continue };
                if !s.is_binary() && !s.borrow().is_ascii() {
                    return it.encoding_mismatch(false);
                }
                let p = s.borrow();
                found = if c.name == "start_with?" {
                    text.starts_with(p.as_str())
                } else {
                    text.ends_with(p.as_str())
                };
                if found {
                    break;
                }
            }
            Value::Bool(found)
        }
        // padded to a width in chars, which are its bytes, with ASCII; repeated
        "ljust" | "rjust" | "center"
            if matches!(c.args, [Value::Int(_)])
                || matches!(c.args, [Value::Int(_), Value::Str(p)] if p.borrow().is_ascii()) =>
        {
            by_chars(it, c, cell)?
        }
        "*" if matches!(c.args, [Value::Int(_)]) => by_chars(it, c, cell)?,
        // searches, splits, trims and character sets whose arguments are ASCII or bytes: a
        // char of the receiver's text is a byte, and a byte past ASCII is no letter, digit
        // or space to the text method, as it is none to Ruby
        "split" | "lines" | "tr" | "tr_s" | "count" | "delete" | "squeeze" | "index" | "rindex"
        | "strip" | "lstrip" | "rstrip" | "chomp" | "chop" | "delete_prefix" | "delete_suffix"
        | "partition" | "rpartition" | "shellescape"
            if c.block.is_none() && bytes_or_ascii(it, c.args)? =>
        {
            by_chars(it, c, cell)?
        }
        // matched by the regexp's own methods, which make a match in bytes of bytes (its
        // groups, `$~`); `=~` with anything but a regexp is the text method's to refuse
        "=~" | "match" | "match?" if c.block.is_none() && args_read_bytes(it, c)? => {
            let re = match c.args.first() {
                Some(Value::Regex(re)) => Some(re.clone()),
                Some(p @ Value::Str(_)) if c.name != "=~" => {
                    Some(super::matchdata::pattern(it, p)?)
                }
                _ => None,
            };
            match re {
                Some(re) => {
                    let mut args = vec![c.recv.clone()];
                    args.extend(c.args.iter().skip(1).cloned());
                    let re = Value::Regex(re);
                    super::symbol::regex_call(it, &re, c.name, &args)?.unwrap_or_default()
                }
                None => by_chars(it, c, cell)?,
            }
        }
        // what is made of a pattern's matches, without a block (a block would be given the
        // text's strings): the matches of a regexp of ASCII in the text, one char a byte,
        // are Ruby's in the bytes (`regex_reads_bytes`), and the strings made are binary
        "split" | "index" | "rindex" | "[]" | "slice" | "partition" | "rpartition"
            if c.block.is_none() && args_read_bytes(it, c)? =>
        {
            by_chars(it, c, cell)?
        }
        // changed in place: the common dispatch writes back what the method without `!`
        // answers for this receiver (here), and `slice!` reads and cuts with `[]`, `[]=`
        "upcase!" | "downcase!" | "capitalize!" | "strip!" | "lstrip!" | "rstrip!" | "chomp!"
        | "squeeze!" | "gsub!" | "sub!" | "tr!" | "delete!" | "reverse!" | "chop!" | "succ!"
        | "next!" | "slice!" => return Ok(None),
        // a part replaced by position, pattern or substring, with ASCII or bytes: the text
        // method on a copy of the chars, written back
        // (frozen: refused as any string's change is)
        "[]=" if cell.is_frozen() => return Ok(None),
        "[]=" if args_read_bytes(it, c)? => {
            let copy = Value::str(cell.borrow().clone());
            let r = it.call_method(copy.clone(), "[]=", c.args.to_vec(), None, c.f)?;
            if let Value::Str(after) = copy {
                *cell.borrow_mut() = after.borrow().clone();
            }
            r
        }
        // with a block, which is given each match as bytes, `$~` its match in bytes; or
        // with a replacement (`scan`: without either)
        "sub" | "gsub" | "scan"
            if args_read_bytes(it, c)?
                && match (&c.block, c.name) {
                    (Some(_), _) => c.args.len() == 1,
                    (None, "scan") => true,
                    (None, _) => c.args.len() == 2,
                } =>
        {
            let text = cell.borrow().clone();
            if c.name == "scan" {
                super::substitute::scan(it, c, &text, true)?
            } else {
                super::substitute::sub(it, c, &text, true)?
            }
        }
        "each_line" if bytes_or_ascii(it, c.args)? => {
            if c.block.is_none() {
                return Ok(Some(super::enumerator::make(
                    it,
                    c.recv.clone(),
                    c.name,
                    c.args.to_vec(),
                )));
            }
            let lines = by_chars(it, &c.named("lines"), cell)?;
            for line in it.elements(&lines)? {
                it.call_block1(c.block.as_ref().unwrap(), line)?;
            }
            c.recv.clone()
        }
        // bytes against bytes (a text's own, its UTF-8); `casecmp` folds only ASCII letters,
        // and text past ASCII does not compare with bytes past it (nil)
        "<" | ">" | "<=" | ">=" | "<=>" | "casecmp" | "casecmp?"
            if matches!(c.args, [Value::Str(_)]) =>
        {
            let [Value::Str(o)] = c.args else {
                unreachable!()
            };
            let fold = c.name.starts_with("casecmp");
            if fold && !o.is_binary() && !o.borrow().is_ascii() {
                Value::Nil
            } else {
                let (mut a, mut b) = (cell.bytes(), o.bytes());
                if fold {
                    a.make_ascii_lowercase();
                    b.make_ascii_lowercase();
                }
                let ord = a.cmp(&b);
                match c.name {
                    "<" => Value::Bool(ord.is_lt()),
                    ">" => Value::Bool(ord.is_gt()),
                    "<=" => Value::Bool(ord.is_le()),
                    ">=" => Value::Bool(ord.is_ge()),
                    "casecmp?" => Value::Bool(ord.is_eq()),
                    _ => Value::Int(ord as i64),
                }
            }
        }
        "sum" if c.args.is_empty() => {
            Value::Int(cell.bytes().iter().map(|&b| b as i64).sum::<i64>() & 0xffff)
        }
        "unicode_normalize" | "unicode_normalized?" => {
            return it.err(
                "Encoding::CompatibilityError",
                "Unicode Normalization not appropriate for ASCII-8BIT",
            )
        }
        "succ" | "next" if c.args.is_empty() => Value::binary_of(&succ(&cell.bytes())),
        "reverse" => {
            let mut b = cell.bytes();
            b.reverse();
            Value::binary_of(&b)
        }
        // Ruby maps only ASCII letters in a binary string
        "upcase" | "downcase" | "swapcase" | "capitalize" if c.args.is_empty() => {
            let mut b = cell.bytes();
            match c.name {
                "upcase" => b.make_ascii_uppercase(),
                "downcase" => b.make_ascii_lowercase(),
                "swapcase" => b.iter_mut().for_each(|x| {
                    if x.is_ascii_alphabetic() {
                        *x ^= 0x20
                    }
                }),
                _ => {
                    b.make_ascii_lowercase();
                    if let Some(x) = b.first_mut() {
                        x.make_ascii_uppercase();
                    }
                }
            }
            Value::binary_of(&b)
        }
        // the same for a binary string as for text: its own chars are its bytes
        "to_s" | "to_str" | "itself" | "==" | "eql?" | "===" | "!=" | "length" | "size"
        | "empty?" | "freeze" | "frozen?" | "dup" | "clone" | "+@" | "-@" | "hash"
        | "ascii_only?" | "<=>" | "equal?" => return Ok(None),
        // numbers are read from ASCII digits, and white space is ASCII's: a byte past ASCII,
        // one char past it here, ends the number in both
        "to_i" | "to_f" | "hex" | "oct" => return Ok(None),
        name if super::respond_table::STRING.contains(&name)
            && !super::respond_table::OBJECT.contains(&name) =>
        {
            return it.unsupported(&format!("String#{name} of a binary string"))
        }
        _ => return Ok(None),
    };
    Ok(Some(v))
}

/// The text method `c` run on the receiver's chars, which are its bytes, its answer taken
/// back as bytes: a string, or each string of an array (`split`, `lines`, `partition`).
fn by_chars(it: &mut Interp, c: &MethodCall, cell: &RStr) -> R<Value> {
    let text = Value::str(cell.borrow().clone());
    let r = it.call_method(text.clone(), c.name, c.args.to_vec(), None, c.f)?;
    // a regexp's match (`index`, `[]`, `split`, `partition`) was one in the bytes
    if let (Some(Value::Regex(_)), Value::Str(chars)) = (c.args.first(), &text) {
        super::regex::last_match_in_bytes(it, &chars.borrow());
    }
    Ok(bytes_back(r))
}

/// A string made from a binary string's text (one char per byte) as the binary string of
/// those bytes; an array of them (`split`, `scan`'s groups), each element so.
pub(super) fn bytes_back(v: Value) -> Value {
    match v {
        Value::Str(s) => binary_of_chars(&s.borrow()),
        Value::Array(a) => Value::array(a.take().into_iter().map(bytes_back).collect()),
        other => other,
    }
}

/// Whether `args` are what a text method may be run with on a binary string's chars: no
/// pattern, and every string ASCII or bytes. Text past ASCII meets bytes past it only in
/// Ruby's `Encoding::CompatibilityError`, raised here.
fn bytes_or_ascii(it: &Interp, args: &[Value]) -> R<bool> {
    for a in args {
        match a {
            Value::Str(s) if !s.is_binary() && !s.borrow().is_ascii() => {
                return it.encoding_mismatch(false)
            }
            Value::Str(_) | Value::Int(_) | Value::Nil | Value::Hash(_) => {}
            _ => return Ok(false),
        }
    }
    Ok(true)
}

/// `succ` of bytes: Ruby's rule for text, where only ASCII letters and digits count as
/// such. Without one, the last byte steps and a carry runs left over bytes (`"\xFF"`
/// becomes `"\x01\x00"`), where text steps its last char's code point.
fn succ(b: &[u8]) -> Vec<u8> {
    if !b.iter().any(u8::is_ascii_alphanumeric) {
        let mut out = b.to_vec();
        for x in out.iter_mut().rev() {
            *x = x.wrapping_add(1);
            if *x != 0 {
                return out;
            }
        }
        if !out.is_empty() {
            out.insert(0, 1);
        }
        return out;
    }
    // a byte past ASCII as a char that is neither letter nor digit (the private use
    // area's), which the text rule leaves alone when the string has a letter or digit
    let text: String = b
        .iter()
        .map(|&x| match x {
            0..=0x7f => x as char,
            _ => char::from_u32(0xE000 + x as u32).expect("a private use char"),
        })
        .collect();
    super::text::succ(&text)
        .chars()
        .map(|c| match c as u32 {
            n @ 0xE080..=0xE0FF => (n - 0xE000) as u8,
            n => n as u8,
        })
        .collect()
}

/// Each byte of a binary string as a binary string of its own: its chars.
fn byte_strings(cell: &RStr) -> Vec<Value> {
    cell.bytes()
        .into_iter()
        .map(|b| Value::binary_of(&[b]))
        .collect()
}

/// A binary string of the chars of `text`, each a byte: what a text method answers for a
/// binary string's one-char-per-byte text.
fn binary_of_chars(text: &str) -> Value {
    Value::binary_of(&text.chars().map(|c| c as u8).collect::<Vec<u8>>())
}

/// `a + b` as Ruby joins two strings of which one may be binary: text with ASCII, binary
/// with binary; text past ASCII with binary raises Ruby's `Encoding::CompatibilityError`.
/// The joined text, and whether it is binary.
pub(crate) fn joined(it: &Interp, a: &RStr, b: &RStr) -> R<(String, bool)> {
    let mut j = Joined {
        text: String::with_capacity(a.borrow().len() + b.borrow().len()),
        binary: false,
    };
    j.string(it, a)?;
    j.string(it, b)?;
    Ok((j.text, j.binary))
}

/// A string built from pieces of which some may be binary strings (`join`, `format`), under
/// Ruby's rule for joining encodings: a binary piece past ASCII joins text that is all
/// ASCII and makes the result binary; text past ASCII then joins it only where Ruby takes
/// it as bytes (a format string's own text). Otherwise Ruby's
/// `Encoding::CompatibilityError`, naming the result's encoding first.
#[derive(Default)]
pub(crate) struct Joined {
    /// One char per byte once `binary` (see [`RStr`]).
    pub text: String,
    pub binary: bool,
}

impl Joined {
    /// Appends UTF-8 text.
    pub fn text(&mut self, it: &Interp, s: &str) -> R<()> {
        if self.binary && !s.is_ascii() {
            return it.encoding_mismatch(false);
        }
        self.text.push_str(s);
        Ok(())
    }
    /// Appends a binary string's text (one char per byte).
    pub fn binary(&mut self, it: &Interp, chars: &str) -> R<()> {
        if !chars.is_ascii() && !self.binary {
            if !self.text.is_ascii() {
                return it.encoding_mismatch(true);
            }
            self.binary = true;
        }
        self.text.push_str(chars);
        Ok(())
    }
    /// Appends a string value, binary or not.
    pub fn string(&mut self, it: &Interp, s: &RStr) -> R<()> {
        if s.is_binary() {
            self.binary(it, &s.borrow())
        } else {
            self.text(it, &s.borrow())
        }
    }
    /// Appends a format string's own char: its bytes, once the result is binary.
    pub fn literal(&mut self, c: char) {
        if self.binary && !c.is_ascii() {
            let mut b = [0; 4];
            self.text
                .extend(c.encode_utf8(&mut b).bytes().map(|b| b as char));
        } else {
            self.text.push(c);
        }
    }
    #[inline]
    pub fn into_value(self) -> Value {
        if self.binary {
            Value::binary_text(self.text)
        } else {
            Value::str(self.text)
        }
    }
}
