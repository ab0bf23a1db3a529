//! Strings: a string's shared text, its frozen flag and its binary flag, and the values
//! that make them.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::Value;

/// A string's text, shared and mutable as a `RefCell` (which it dereferences to), and whether
/// it is frozen: by `freeze`, or as Ruby hands some out (`nil.to_s`, `true.to_s`, a class's
/// `name`), when a method that would change it raises `FrozenError`.
#[derive(Default)]
pub struct RStr {
    text: RefCell<String>,
    frozen: Cell<bool>,
    /// A binary string (Ruby's ASCII-8BIT) with bytes past ASCII: a digest, decoded Base64,
    /// packed bytes, `String#b`. Its text holds one char per byte (U+0000 to U+00FF), so
    /// that its length, slices and comparisons stay byte-wise; [`RStr::bytes`] gives the
    /// bytes back. Binary bytes that are all ASCII make an ordinary string, which reads and
    /// prints the same except as `ascii` says.
    binary: Cell<bool>,
    /// The encoding Ruby gave a string while its text is all ASCII: US-ASCII for
    /// `Integer#chr`, ASCII-8BIT for packed or decoded bytes and `String#b`. It shows in
    /// `encoding` and in `inspect` (`"\x00"` where UTF-8 text shows `"\u0000"`), and text
    /// past ASCII written into the string ends it, as it makes a Ruby string UTF-8.
    ascii: Cell<AsciiEnc>,
}

/// See [`RStr`]'s `ascii`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum AsciiEnc {
    #[default]
    Utf8,
    UsAscii,
    Binary,
}

impl AsciiEnc {
    /// Ruby's name of the encoding.
    pub fn name(self) -> &'static str {
        match self {
            AsciiEnc::Utf8 => "UTF-8",
            AsciiEnc::UsAscii => "US-ASCII",
            AsciiEnc::Binary => "ASCII-8BIT",
        }
    }
    /// The encoding of a canonical name (`stdlib::encoding_named` gives them).
    pub fn from_name(name: &str) -> Option<AsciiEnc> {
        [AsciiEnc::Utf8, AsciiEnc::UsAscii, AsciiEnc::Binary]
            .into_iter()
            .find(|e| e.name() == name)
    }
}

impl std::ops::Deref for RStr {
    type Target = RefCell<String>;
    fn deref(&self) -> &RefCell<String> {
        &self.text
    }
}

impl RStr {
    pub fn is_frozen(&self) -> bool {
        self.frozen.get()
    }
    pub fn freeze(&self) {
        self.frozen.set(true);
    }
    pub fn is_binary(&self) -> bool {
        self.binary.get()
    }
    /// The encoding given to its text while that is all ASCII (see the field), else UTF-8:
    /// a binary string past ASCII answers by [`RStr::is_binary`].
    #[inline]
    pub fn ascii_enc(&self) -> AsciiEnc {
        match self.ascii.get() {
            AsciiEnc::Utf8 => AsciiEnc::Utf8,
            e if !self.binary.get() && self.text.borrow().is_ascii() => e,
            _ => AsciiEnc::Utf8,
        }
    }
    /// Gives an ASCII text the encoding Ruby gives it (none to a text past ASCII).
    pub fn set_ascii_enc(&self, e: AsciiEnc) {
        if !self.binary.get() && self.text.borrow().is_ascii() {
            self.ascii.set(e);
        }
    }
    /// A new string of the same text and encoding, frozen or not: what `dup`, `clone`, a
    /// hash key's copy and a deep copy make.
    #[inline]
    pub fn copy(&self, frozen: bool) -> Value {
        Value::Str(Rc::new(RStr {
            text: RefCell::new(self.text.borrow().clone()),
            frozen: Cell::new(frozen),
            binary: Cell::new(self.binary.get()),
            ascii: Cell::new(self.ascii.get()),
        }))
    }
    /// The string's bytes as Ruby holds them: a binary string's, one per char.
    pub fn bytes(&self) -> Vec<u8> {
        let text = self.text.borrow();
        if self.binary.get() {
            text.chars().map(|c| c as u8).collect()
        } else {
            text.as_bytes().to_vec()
        }
    }
    /// Makes it binary, its bytes as they are (`force_encoding`), or text again when its
    /// bytes are UTF-8; false when they are not (it stays as it was).
    pub fn set_binary(&self, binary: bool) -> bool {
        if binary == self.binary.get() {
            return true;
        }
        let bytes = self.bytes();
        let text = if binary {
            bytes.iter().map(|&b| b as char).collect()
        } else {
            match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => return false,
            }
        };
        *self.text.borrow_mut() = text;
        self.binary.set(binary);
        true
    }
    /// Makes an ASCII string binary after a binary string was appended to its text.
    pub(crate) fn binary_ascii(&self) {
        self.binary.set(true);
    }
    /// Its size in bytes, as Ruby counts them.
    pub fn bytesize(&self) -> usize {
        let text = self.text.borrow();
        if self.binary.get() {
            text.chars().count()
        } else {
            text.len()
        }
    }
}

impl Value {
    pub fn str(s: impl Into<String>) -> Value {
        Value::string(s.into(), false)
    }
    /// A string Ruby hands out frozen.
    pub fn frozen_str(s: impl Into<String>) -> Value {
        Value::string(s.into(), true)
    }
    fn string(text: String, frozen: bool) -> Value {
        Value::Str(Rc::new(RStr {
            text: RefCell::new(text),
            frozen: Cell::new(frozen),
            binary: Cell::new(false),
            ascii: Cell::new(AsciiEnc::Utf8),
        }))
    }
    /// An ASCII text in the encoding Ruby gives it (`Integer#chr`: US-ASCII).
    pub fn ascii_in(text: String, e: AsciiEnc) -> Value {
        let v = Value::str(text);
        if let Value::Str(s) = &v {
            s.ascii.set(e);
        }
        v
    }
    /// The string of `bytes`: text when they are UTF-8, else a binary string (see
    /// [`RStr`]), as Ruby's digests, `unpack1('m')` and `pack` give them.
    pub fn from_bytes(bytes: Vec<u8>) -> Value {
        match String::from_utf8(bytes) {
            Ok(s) => Value::str(s),
            Err(e) => Value::binary_of(e.as_bytes()),
        }
    }
    /// A binary string of its text, one char per byte (every char below U+0100).
    pub fn binary_text(text: String) -> Value {
        Value::Str(Rc::new(RStr {
            text: RefCell::new(text),
            frozen: Cell::new(false),
            binary: Cell::new(true),
            ascii: Cell::new(AsciiEnc::Utf8),
        }))
    }
    /// Bytes Ruby hands out as ASCII-8BIT (digests, decoded Base64, inflated data): text
    /// when they are UTF-8 (ASCII ones marked ASCII-8BIT), else a binary string.
    pub fn binary_result(bytes: Vec<u8>) -> Value {
        if bytes.is_ascii() {
            return Value::binary_of(&bytes);
        }
        Value::from_bytes(bytes)
    }
    /// A binary string of `bytes`, whatever they are (`String#b` of a non-ASCII string).
    pub fn binary_of(bytes: &[u8]) -> Value {
        if bytes.is_ascii() {
            // the same text either way, and ASCII mixes with any string
            let text = String::from_utf8_lossy(bytes).into_owned();
            return Value::ascii_in(text, AsciiEnc::Binary);
        }
        Value::binary_text(bytes.iter().map(|&b| b as char).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn str_of(v: &Value) -> &RStr {
        match v {
            Value::Str(s) => s,
            _ => panic!("not a string"),
        }
    }

    #[test]
    fn a_deep_copy_keeps_each_string_s_encoding() {
        let list = Value::array(vec![
            Value::binary_of(&[0xff, 0]),
            Value::binary_of(&[0]),
            Value::ascii_in("a".into(), AsciiEnc::UsAscii),
            Value::str("é"),
        ]);
        let Value::Array(copy) = list.deep_copy() else {
            panic!("not an array")
        };
        let copy = copy.borrow();
        assert_eq!(str_of(&copy[0]).bytes(), vec![0xff, 0]);
        assert!(str_of(&copy[0]).is_binary());
        assert_eq!(str_of(&copy[1]).ascii_enc(), AsciiEnc::Binary);
        assert_eq!(str_of(&copy[2]).ascii_enc(), AsciiEnc::UsAscii);
        assert_eq!(str_of(&copy[3]).ascii_enc(), AsciiEnc::Utf8);
    }

    #[test]
    fn text_past_ascii_ends_an_ascii_encoding() {
        let v = Value::ascii_in("a".into(), AsciiEnc::Binary);
        let s = str_of(&v);
        s.borrow_mut().push('é');
        assert_eq!(s.ascii_enc(), AsciiEnc::Utf8);
        // and is not given one
        let t = Value::str("é");
        str_of(&t).set_ascii_enc(AsciiEnc::UsAscii);
        str_of(&t).borrow_mut().pop();
        assert_eq!(str_of(&t).ascii_enc(), AsciiEnc::Utf8);
    }
}
