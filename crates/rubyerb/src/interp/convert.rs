//! What the evaluator turns values into: element lists (splats), interpolated strings,
//! `to_s` and `inspect` through method dispatch (a template's own `to_s` counts), regex
//! literals, and [`object_text`] for printing without running template code.

use super::*;
use crate::methods::Joined;

impl Interp<'_> {
    pub fn eval_list(&mut self, items: &[Node], f: &Frame) -> R<Vec<Value>> {
        let mut out = Vec::with_capacity(items.len());
        for it in items {
            if let Kind::Splat(e) = &it.kind {
                let v = self.eval(e, f)?;
                match &v {
                    Value::Array(a) => out.extend(a.borrow().iter().cloned()),
                    Value::Nil => {}
                    Value::Hash(h) => out.extend(
                        h.borrow()
                            .pairs()
                            .into_iter()
                            .map(|(k, v)| Value::array(vec![k, v])),
                    ),
                    Value::Range(_) => out.extend(self.elements(&v)?),
                    other => out.push(other.clone()),
                }
            } else {
                out.push(self.eval(it, f)?);
            }
        }
        Ok(out)
    }

    /// A symbol's or a regexp's text: a binary string in it is refused.
    pub(super) fn interpolate(&mut self, parts: &[StrPart], f: &Frame) -> R<String> {
        self.interpolate_into(parts, f, false).map(|j| j.text)
    }

    /// The text of a string with interpolations. With `binary_ok`, a binary string may be
    /// interpolated while the rest is ASCII, as Ruby allows, and the result is binary; past
    /// ASCII, Ruby's `Encoding::CompatibilityError` (see [`Joined`]).
    pub(super) fn interpolate_into(
        &mut self,
        parts: &[StrPart],
        f: &Frame,
        binary_ok: bool,
    ) -> R<Joined> {
        if let [StrPart::Lit(s)] = parts {
            return Ok(Joined {
                text: s.clone(),
                binary: false,
            });
        }
        let mut out = Joined::default();
        for p in parts {
            match p {
                StrPart::Lit(l) => out.text(self, l)?,
                StrPart::Code(c) => match self.eval(c, f)? {
                    Value::Str(v) if v.is_binary() => {
                        if !binary_ok {
                            return self.unsupported("a binary string in a symbol or regexp");
                        }
                        out.binary(self, &v.borrow())?
                    }
                    Value::Str(v) => out.text(self, &v.borrow())?,
                    // Integer#to_s is the decimal digits: written in place, without a copy
                    Value::Int(i) => out.text.push_str(itoa::Buffer::new().format(i)),
                    Value::Sym(n) => out.text(self, &n)?,
                    Value::Nil => {}
                    v => {
                        let s = self.str_of(&v, f)?;
                        out.text(self, &s)?
                    }
                },
            }
        }
        Ok(out)
    }

    /// Writes a string to the output where one of the two is binary, as Ruby's buffer
    /// takes it: a binary string's bytes while the output is ASCII (which makes it binary),
    /// text while it is ASCII; otherwise Ruby's `Encoding::CompatibilityError`.
    pub(super) fn out_bytes(&mut self, s: &crate::value::RStr) -> R<()> {
        if s.is_binary() {
            if !self.out_binary && !self.out.is_ascii() {
                return self.encoding_mismatch(true);
            }
            self.out_binary = true;
            self.out.extend(s.bytes());
        } else {
            let text = s.borrow();
            if !text.is_ascii() {
                return self.encoding_mismatch(false);
            }
            self.out.extend_from_slice(text.as_bytes());
        }
        Ok(())
    }

    /// Ruby's error for joining text past ASCII and a binary string past ASCII: the text
    /// first when `binary_second`, else the binary string.
    pub(crate) fn encoding_mismatch<T>(&self, binary_second: bool) -> R<T> {
        // Ruby 3.4's name for ASCII-8BIT in messages (the director's Ruby)
        const BINARY_NAME: &str = "BINARY (ASCII-8BIT)";
        let (a, b) = if binary_second {
            ("UTF-8", BINARY_NAME)
        } else {
            (BINARY_NAME, "UTF-8")
        };
        self.err(
            "Encoding::CompatibilityError",
            format!("incompatible character encodings: {a} and {b}"),
        )
    }

    pub fn regex(&mut self, src: &str, flags: &str) -> R<Value> {
        crate::methods::regex::compile_charged(self, src, flags).map(Value::Regex)
    }

    /// `to_s` with user-defined `to_s` honoured.
    pub fn str_of(&mut self, v: &Value, f: &Frame) -> R<String> {
        match v {
            // its chars are bytes: taken as text (`join`, `format('%s')`) they would be
            // written wrongly; the output and interpolation take it as bytes before this
            Value::Str(s) if s.is_binary() => self.unsupported("a binary string taken as text"),
            Value::Str(s) => Ok(s.borrow().clone()),
            Value::Object(o) if crate::methods::matchdata::binary_match(o).is_some() => {
                self.unsupported("a binary string taken as text")
            }
            Value::Object(o) => {
                if self.find_user_method(&o.class, "to_s").is_some() {
                    let r = self.call_method(v.clone(), "to_s", vec![], None, f)?;
                    return Ok(format::to_s(&r));
                }
                Ok(self.obj_to_s(v))
            }
            Value::Array(_) | Value::Hash(_) => {
                self.printable(v)?;
                self.inspect(v, f)
            }
            other => Ok(format::to_s(other)),
        }
    }

    pub fn obj_to_s(&self, v: &Value) -> String {
        object_text(v)
    }

    pub fn inspect(&mut self, v: &Value, f: &Frame) -> R<String> {
        if let Value::Object(o) = v {
            if self.find_user_method(&o.class, "inspect").is_some() {
                let r = self.call_method(v.clone(), "inspect", vec![], None, f)?;
                return Ok(format::to_s(&r));
            }
        }
        Ok(format::inspect(v))
    }

    /// `@name` read on `recv` (in frame `f`): one the template set, else, on the template's
    /// `self`, what the host keeps there.
    pub(crate) fn ivar_read(&mut self, recv: &Value, f: &Frame, name: &str) -> R<Value> {
        if let Value::Object(o) = recv {
            if let Some(v) = o.ivars.borrow().get(name) {
                return Ok(v.clone());
            }
            if let Value::Object(ctx) = &self.ctx {
                if Rc::ptr_eq(o, ctx) {
                    let host = self.host;
                    return Ok(host.ivar(self, f, name)?.unwrap_or(Value::Nil));
                }
            }
        }
        Ok(Value::Nil)
    }

    /// Whether `s` has `@name`: set by the template, or kept by the host on `self`.
    pub(crate) fn ivar_defined(&self, s: &Value, name: &str) -> bool {
        let Value::Object(o) = s else { return false };
        o.ivars.borrow().contains_key(name)
            || matches!(&self.ctx, Value::Object(ctx) if Rc::ptr_eq(o, ctx))
                && self.host.ivars().contains(&name)
    }

    /// Elements of anything enumerable.
    pub fn elements(&mut self, v: &Value) -> R<Vec<Value>> {
        match v {
            Value::Array(a) => Ok(a.borrow().clone()),
            Value::Hash(h) => Ok(h
                .borrow()
                .pairs()
                .into_iter()
                .map(|(k, v)| Value::array(vec![k, v]))
                .collect()),
            Value::Range(_) => crate::methods::range::to_vec(self, v),
            Value::Nil => Ok(vec![]),
            Value::Object(o) => match &o.kind {
                // an enumerator of an enumerator (of...) walks them all, nested
                ObjKind::Enumerator(..) => {
                    self.deeper(|it| crate::methods::enumerator::to_vec(it, v))
                }
                _ => self.no_method(v, "each"),
            },
            other => self.no_method(other, "each"),
        }
    }
}

/// `to_s` of a value without running template code: built-in objects print as Ruby prints
/// them, other objects as `#<Class:0x…>` (the address zeroed). JSON and YAML output of
/// objects uses it too, as the json gem and Psych fall back to `to_s`.
pub fn object_text(v: &Value) -> String {
    match v {
        Value::Object(o) => match &o.kind {
            ObjKind::Exception(m) => {
                let m = m.borrow();
                if m.is_empty() {
                    o.class.name.clone()
                } else {
                    m.clone()
                }
            }
            ObjKind::IpAddr(ip) => ip.to_s(),
            ObjKind::Time(t) => crate::stdlib::time_text(t),
            ObjKind::Complex(re, im) => crate::methods::complex::to_s(*re, *im),
            ObjKind::Uri(u) => u.borrow().to_s(),
            ObjKind::Encoding(e) => e.to_string(),
            ObjKind::Digest(_) => crate::stdlib::digest::hex_of(o),
            ObjKind::X509(x) => crate::stdlib::x509_text(x, &o.class.name),
            ObjKind::OStruct(..) => format::inspect(v),
            ObjKind::Plain if o.class.name == "MatchData" => crate::methods::matchdata::text(o),
            _ => format!("#<{}:0x0000000000000000>", o.class.name),
        },
        other => format::to_s(other),
    }
}

impl Interp<'_> {
    /// Refuses to print (`to_s`, `inspect`, `join`, JSON, YAML) or flatten an array or hash
    /// that holds more than the size limit once its shared parts are counted each time they
    /// appear: `[[1] * 10**6] * 10**4` is ten thousand references to one array, small to
    /// hold, ten billion elements to print. Each array or hash is walked once (its count
    /// kept by address) and counted wherever it appears; below the depth `inspect` prints,
    /// nesting is not followed.
    pub fn printable(&mut self, v: &Value) -> R<()> {
        fn nested(v: &Value) -> bool {
            matches!(v, Value::Array(_) | Value::Hash(_))
        }
        fn size(v: &Value, memo: &mut HashMap<usize, u64>, depth: usize) -> u64 {
            let (key, held) = match v {
                Value::Str(s) => return s.borrow().len() as u64,
                Value::Array(a) if depth < 64 => {
                    (Rc::as_ptr(a) as *const u8 as usize, Rc::strong_count(a))
                }
                Value::Hash(h) if depth < 64 => {
                    (Rc::as_ptr(h) as *const u8 as usize, Rc::strong_count(h))
                }
                _ => return 1,
            };
            // only what is held more than once can be reached twice (a cycle too passes
            // through something held twice): the rest is walked without remembering it
            let shared = held > 1 && depth > 0;
            if shared {
                if let Some(n) = memo.get(&key) {
                    return *n;
                }
                // a cycle reached again counts as nothing (inspect prints `[...]`)
                memo.insert(key, 0);
            }
            let mut n = 0u64;
            let mut add = |e: &Value, memo: &mut HashMap<usize, u64>| {
                n = n.saturating_add(size(e, memo, depth + 1));
            };
            match v {
                Value::Array(a) => a.borrow().iter().for_each(|e| add(e, memo)),
                Value::Hash(h) => h.borrow().map.values().for_each(|(k, v)| {
                    add(k, memo);
                    add(v, memo);
                }),
                _ => {}
            }
            if shared {
                memo.insert(key, n);
            }
            n
        }
        // most arrays printed hold no array or hash: their strings are summed, with nothing
        // shared to remember
        let n = match v {
            Value::Array(a) if !a.borrow().iter().any(nested) => {
                a.borrow().iter().fold(0u64, |n, e| {
                    n.saturating_add(match e {
                        Value::Str(s) => s.borrow().len() as u64,
                        _ => 1,
                    })
                })
            }
            Value::Array(_) | Value::Hash(_) => size(v, &mut HashMap::new(), 0),
            _ => return Ok(()),
        };
        let r = self.budget.len(i64::try_from(n).unwrap_or(i64::MAX));
        self.spend(r)
    }
}
