//! Built-in methods, one module per receiver type. `dispatch` picks the module; each
//! returns `Ok(None)` for a name it does not know, which becomes Ruby's NoMethodError.

mod arity;
// written by tools/arity.rb as they stand: regenerating them leaves no formatting diff
#[rustfmt::skip]
mod arity_scalars;
#[rustfmt::skip]
mod arity_table;
// written by tools/responds.rb, likewise
#[rustfmt::skip]
mod respond_classes;
#[rustfmt::skip]
mod respond_table;
mod arith_seq;
pub mod array;
pub mod bignum;
mod binary;
pub(crate) use binary::Joined;
mod bits;
mod combinatorics;
pub mod compare;
pub(crate) mod complex;
pub mod convert;
pub(crate) mod elements;
pub mod enumerable;
pub mod enumerator;
pub mod hash;
pub mod kernel;
mod lazy;
mod lines;
pub mod matchdata;
pub(crate) mod method;
pub mod num;
mod num_iter;
pub mod object;
pub mod ordering;
pub mod ostruct;
mod pack;
pub mod range;
pub mod regex;
mod round;
mod runs;
mod search;
pub mod sprintf;
pub mod string;
mod substitute;
mod sum;
pub mod symbol;
#[cfg(test)]
mod tests;
pub mod text;
mod unpack;

use super::interp::{Frame, Interp, R};
use super::value::{ObjKind, Value};
use super::MethodCall;

pub fn dispatch(
    it: &mut Interp,
    recv: Value,
    name: &str,
    args: Vec<Value>,
    block: Option<Value>,
    f: &Frame,
) -> R<Value> {
    if let Value::Object(o) = &recv {
        if let Some((m, owner)) = it.find_user_method(&o.class, name) {
            return it.invoke(m, owner, recv.clone(), &args, block);
        }
        if let ObjKind::Main = o.kind {
            let fr = Frame {
                self_val: recv.clone(),
                ..f.clone()
            };
            return it.call_self(name, args, block, &fr);
        }
    }
    if let Value::Class(c) = &recv {
        if let Some(m) = c.smethods.borrow().get(name).cloned() {
            return it.invoke(m, c.clone(), recv.clone(), &args, block);
        }
    }
    if matches!(recv, Value::Array(_) | Value::Hash(_))
        && matches!(
            name,
            "to_s" | "inspect" | "join" | "to_json" | "to_yaml" | "flatten" | "flatten!"
        )
    {
        it.printable(&recv)?;
    }
    if !args.is_empty() || arity::may_need(name) {
        arity::check(it, &recv, name, &args, block.is_some())?;
    }
    let c = MethodCall {
        recv: &recv,
        name,
        args: &args,
        block,
        f,
    };
    if let Some(v) = by_type(it, &c)? {
        it.deep_enough()?;
        it.account(&v)?;
        return Ok(v);
    }
    if let Some(v) = object::call(it, &c)? {
        it.deep_enough()?;
        it.account(&v)?;
        return Ok(v);
    }
    it.no_method(&recv, name)
}

/// The receiver's own class's built-in methods.
fn by_type(it: &mut Interp, c: &MethodCall) -> R<Option<Value>> {
    let MethodCall {
        recv, name, args, ..
    } = *c;
    if name == "lazy" && args.is_empty() && lazy::from(recv) {
        return Ok(Some(lazy::make(it, recv.clone(), Vec::new())));
    }
    Ok(match recv {
        Value::Object(o) => match &o.kind {
            ObjKind::Plain if name == "__next" => Some(enumerator::counter_next(o)),
            ObjKind::Plain if o.class.name == "MatchData" => matchdata::call(it, c)?,
            ObjKind::Plain => it.call_self_attr(recv, name, args)?,
            ObjKind::Enumerator(..) => enumerator::call(it, c)?,
            ObjKind::Method(..) => method::call(it, c)?,
            ObjKind::Exception(_) => object::exception_call(it, recv, name, args)?,
            ObjKind::IpAddr(_) | ObjKind::Uri(_) => {
                super::stdlib::object_call(it, recv, name, args)?
            }
            ObjKind::OStruct(..) => ostruct::call(it, c)?,
            ObjKind::X509(_) => super::stdlib::x509_call(it, o, name, args)?,
            ObjKind::Time(_) => super::stdlib::time_call(it, o, name, args)?,
            ObjKind::Complex(..) => complex::call(it, c)?,
            ObjKind::Random(_) => super::stdlib::random::object_call(it, o, name, args)?,
            ObjKind::Stream(_) => super::stdlib::stream::object_call(it, o, name, args)?,
            ObjKind::Digest(_) => super::stdlib::digest::object_call(it, o, name, args)?,
            ObjKind::Encoding(e) => super::stdlib::encoding_call(it, e, name, args)?,
            ObjKind::Host(data) => {
                let data = data.clone();
                let host = it.host;
                host.call_object(it, &*data, c)?
            }
            ObjKind::Main => None,
        },
        Value::Class(_) => object::class_call(it, c)?,
        Value::Str(_) => string::call(it, c)?,
        Value::Int(_) | Value::Big(_) | Value::Float(_) => num::call(it, c)?,
        // an empty Array zips nothing, so reads (and checks) none of its arguments, where
        // Enumerable's `zip` (a Range's, an Enumerator's) refuses one without `each`
        Value::Array(a) if name == "zip" && a.borrow().is_empty() => Some(match c.block {
            Some(_) => Value::Nil,
            None => Value::array(Vec::new()),
        }),
        Value::Array(_) => array::call(it, c)?,
        Value::Hash(_) => hash::call(it, c)?,
        Value::Range(_) => range::call(it, c)?,
        Value::Sym(_) => symbol::sym_call(it, c)?,
        Value::Nil => object::nil_call(it, name, args)?,
        Value::Bool(b) => object::bool_call(*b, name, args),
        Value::Proc(p) => match name {
            "call" | "()" | "yield" | "[]" | "===" => {
                Some(it.call_block_with(recv, args.to_vec(), c.block.clone())?)
            }
            "to_proc" => Some(recv.clone()),
            "lambda?" => Some(Value::Bool(p.is_lambda)),
            "arity" => Some(Value::Int(arity(&p.def.params, p.is_lambda))),
            _ => None,
        },
        Value::Regex(_) => symbol::regex_call(it, recv, name, args)?,
    })
}

/// Names a value answers to (`respond_to?`): for the core classes, the methods Ruby's have in
/// the director's environment (`respond_table.rs`), and for a class or module its own and
/// its kind's (`respond_classes.rs`), whether or not bale implements them.
pub fn responds(it: &Interp, v: &Value, name: &str) -> bool {
    if let Value::Object(o) = v {
        if it.find_user_method(&o.class, name).is_some() {
            return true;
        }
        if let ObjKind::OStruct(fields, _) = &o.kind {
            return fields.borrow().contains_key(name)
                || matches!(
                    name,
                    "to_h" | "each_pair" | "dig" | "[]" | "marshal_dump" | "respond_to?"
                );
        }
        if let ObjKind::Main = o.kind {
            return it.find_user_method(&it.ctx_class, name).is_some()
                || it.host.methods().contains(&name);
        }
    }
    if let Value::Class(c) = v {
        let mut cur = Some(c);
        while let Some(k) = cur {
            if k.smethods.borrow().contains_key(name) {
                return true;
            }
            cur = k.superclass.as_ref();
        }
        // the classes whose instances only literals make have no `new`
        let immediate = matches!(
            &*c.name,
            "Integer" | "Float" | "Symbol" | "NilClass" | "TrueClass" | "FalseClass"
        );
        if name == "new" {
            return !c.is_module && !immediate;
        }
        // a built-in's own singleton methods (`JSON.generate`, `Math.sqrt`), a template's
        // class inheriting its first built-in ancestor's (`class E < StandardError`), then
        // what every class or module answers to, in the director's environment
        let builtin = std::iter::successors(Some(c), |k| k.superclass.as_ref()).find(|k| k.builtin);
        if let Some(b) = builtin {
            let own = respond_classes::SINGLETONS
                .binary_search_by(|(n, _)| (*n).cmp(&*b.name))
                .map(|i| respond_classes::SINGLETONS[i].1);
            if own.is_ok_and(|own| own.binary_search(&name).is_ok()) {
                return true;
            }
        }
        let shared = if c.is_module {
            respond_classes::MODULE
        } else {
            respond_classes::CLASS
        };
        return shared.binary_search(&name).is_ok();
    }
    use respond_table as t;
    let table: &[&str] = match v {
        Value::Int(_) | Value::Big(_) => t::INTEGER,
        Value::Float(_) => t::FLOAT,
        Value::Str(_) => t::STRING,
        Value::Sym(_) => t::SYMBOL,
        Value::Array(_) => t::ARRAY,
        Value::Hash(_) => t::HASH,
        Value::Range(_) => t::RANGE,
        Value::Nil => t::NIL,
        Value::Bool(true) => t::TRUE,
        Value::Bool(false) => t::FALSE,
        Value::Regex(_) => t::REGEXP,
        Value::Proc(_) => t::PROC,
        Value::Object(o) if matches!(o.kind, ObjKind::Complex(..)) => t::COMPLEX,
        Value::Object(o) if matches!(o.kind, ObjKind::Enumerator(..)) => match &*o.class.name {
            arith_seq::CLASS => t::ARITH_SEQ,
            "Enumerator::Lazy" => t::LAZY,
            _ => t::ENUMERATOR,
        },
        Value::Object(o) if matches!(o.kind, ObjKind::Method(..)) => t::METHOD,
        // beyond its own methods, an object answers to what every object has (a class was
        // answered above)
        Value::Object(_) | Value::Class(_) => t::OBJECT,
    };
    table.binary_search(&name).is_ok()
}

/// `Proc#arity` as Ruby counts it: the required parameters (required keywords count as
/// one more), negative (`-n-1`) when more may be given; a proc, unlike a lambda, takes
/// fewer arguments than it names, so only a rest makes its arity negative.
fn arity(params: &[crate::ast::Param], lambda: bool) -> i64 {
    use crate::ast::Param;
    let req = params
        .iter()
        .filter(|p| matches!(p, Param::Req(_) | Param::Destructure(_)))
        .count() as i64;
    let rest = params.iter().any(|p| matches!(p, Param::Rest(_)));
    if !lambda {
        return if rest { -req - 1 } else { req };
    }
    let req_kw = params.iter().any(|p| matches!(p, Param::Key(_, None)));
    let opt = params.iter().any(|p| matches!(p, Param::Opt(..)));
    let opt_kw = params
        .iter()
        .any(|p| matches!(p, Param::Key(_, Some(_)) | Param::KwRest(_)));
    let n = req + req_kw as i64;
    if rest || opt || (opt_kw && !req_kw) {
        -n - 1
    } else {
        n
    }
}

// ---- argument helpers shared by the method modules ----

pub fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Nil)
}

/// A call's positional arguments, and the keywords a trailing hash gives
/// (`lines(chomp: true)`), as Ruby hands keywords to its core methods.
pub fn keywords(args: &[Value]) -> (&[Value], Keywords<'_>) {
    match args.split_last() {
        Some((h @ Value::Hash(_), rest)) => (rest, Keywords(Some(h))),
        _ => (args, Keywords(None)),
    }
}

/// The keywords of a core-method call ([`keywords`]).
pub struct Keywords<'a>(Option<&'a Value>);

impl Keywords<'_> {
    /// The value given for keyword `name`, if any.
    pub fn get(&self, name: &str) -> Option<Value> {
        match self.0 {
            Some(Value::Hash(h)) => h.borrow().get(&Value::sym(name)).cloned(),
            _ => None,
        }
    }

    /// The first keyword given that is not one of `known`, as Ruby names it in its
    /// `unknown keyword` error (`:foo`).
    pub fn unknown(&self, known: &[&str]) -> Option<String> {
        let Some(Value::Hash(h)) = self.0 else {
            return None;
        };
        let h = h.borrow();
        h.map
            .values()
            .map(|(k, _)| k)
            .find(|k| !matches!(k, Value::Sym(s) if known.contains(&&**s)))
            .map(crate::format::inspect)
    }

    /// Whether keyword `name` was given a true value (`chomp: true`).
    pub fn on(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| v.truthy())
    }
}

/// A radix argument (`to_s(b)`, `to_i(b)`, `Integer(s, b)`): 2 to 36, or 0 where the text's
/// prefix names the base; anything else is Ruby's `invalid radix`.
pub fn radix_arg(it: &Interp, v: &Value) -> R<u32> {
    match int_arg(it, v)? {
        b @ (0 | 2..=36) => Ok(b as u32),
        b => it.arg_err(format!("invalid radix {b}")),
    }
}

pub fn int_arg(it: &Interp, v: &Value) -> R<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Float(f) => Ok(*f as i64),
        other => not_integer(it, other),
    }
}

/// [`not_integer`] where Ruby converts with `to_int` (`Integer#digits`, bit masks, shifts,
/// `pack`'s integers): nil is worded as any other value is, "of nil into Integer".
pub fn not_to_int<T>(it: &Interp, v: &Value) -> R<T> {
    match v {
        Value::Nil => it.type_err("no implicit conversion of nil into Integer"),
        other => not_integer(it, other),
    }
}

/// The error for `v` where a 64-bit integer is needed and `v` is none (an index, a count),
/// worded as Ruby's conversion to a C long words it.
pub fn not_integer<T>(it: &Interp, v: &Value) -> R<T> {
    match v {
        Value::Big(_) => it.err("RangeError", "bignum too big to convert into 'long'"),
        Value::Nil => it.type_err("no implicit conversion from nil to integer"),
        other => it.type_err(format!(
            "no implicit conversion of {} into Integer",
            text::implicit_name(other)
        )),
    }
}

/// A string argument's bytes, as Ruby holds them (a binary string's are its own).
pub fn bytes_arg(it: &Interp, v: &Value) -> R<Vec<u8>> {
    match v {
        Value::Str(s) => Ok(s.bytes()),
        other => str_arg(it, other).map(String::into_bytes),
    }
}

pub fn str_arg(it: &Interp, v: &Value) -> R<String> {
    match v {
        Value::Str(s) => Ok(s.borrow().clone()),
        other => it.type_err(format!(
            "no implicit conversion of {} into String",
            text::implicit_name(other)
        )),
    }
}

pub fn check_argc(it: &Interp, args: &[Value], min: usize, max: usize) -> R<()> {
    if args.len() < min || args.len() > max {
        let expected = if min == max {
            min.to_string()
        } else if max == usize::MAX {
            format!("{min}+")
        } else {
            format!("{min}..{max}")
        };
        return it.argc(args.len(), &expected);
    }
    Ok(())
}
