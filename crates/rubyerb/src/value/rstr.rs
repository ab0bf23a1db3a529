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
    /// prints the same.
    binary: Cell<bool>,
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
        }))
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
        }))
    }
    /// A binary string of `bytes`, whatever they are (`String#b` of a non-ASCII string).
    pub fn binary_of(bytes: &[u8]) -> Value {
        if bytes.is_ascii() {
            // the same text either way, and ASCII mixes with any string
            return Value::str(String::from_utf8_lossy(bytes).into_owned());
        }
        Value::binary_text(bytes.iter().map(|&b| b as char).collect())
    }
}
