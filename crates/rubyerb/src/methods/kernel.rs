//! Kernel functions templates call without a receiver: `raise`, `format`, `Integer()`,
//! `require` (a no-op for the libraries the director has loaded), `loop`, `lambda`, ...

use super::super::format;
use super::super::interp::{Flow, Interp, Jump, R};
use super::super::value::{ObjKind, RHash, Value};
use super::super::MethodCall;
use super::sprintf::sprintf;
use super::{arg, str_arg};

/// Libraries a template may `require`: all are either built into bale or no-ops.
const KNOWN_LIBS: &[&str] = &[
    "json",
    "yaml",
    "psych",
    "base64",
    "digest",
    "digest/sha1",
    "digest/sha2",
    "digest/md5",
    "openssl",
    "ipaddr",
    "uri",
    "cgi",
    "shellwords",
    "erb",
    "time",
    "date",
    "set",
    "ostruct",
    "stringio",
    "zlib",
    "securerandom",
    "pathname",
    "logger",
    "fileutils",
    "tmpdir",
    "forwardable",
    "monitor",
    "optparse",
    "bigdecimal",
    "active_support",
    "active_support/core_ext/object/blank",
];

/// The Kernel functions [`call`] answers (and the ones it refuses to run), which are
/// private methods of every object: `defined?(puts)` is `"method"`, `respond_to?` is false.
pub const FUNCTIONS: &[&str] = &[
    "raise",
    "fail",
    "abort",
    "exit",
    "exit!",
    "require",
    "require_relative",
    "load",
    "gem",
    "format",
    "sprintf",
    "Integer",
    "Float",
    "String",
    "Array",
    "Hash",
    "URI",
    "lambda",
    "proc",
    "loop",
    "catch",
    "throw",
    "block_given?",
    "binding",
    "eval",
    "puts",
    "print",
    "warn",
    "p",
    "pp",
    "printf",
    "putc",
    "sleep",
    "rand",
    "srand",
    "`",
    "system",
    "spawn",
    "exec",
    "open",
    "__method__",
    "__dir__",
    "caller",
];

/// Kernel methods, called on `self` without receiver.
pub fn call(it: &mut Interp, c: &MethodCall) -> R<Option<Value>> {
    let MethodCall { name, args, f, .. } = *c;
    let block = c.block.clone();
    let v = match name {
        "raise" | "fail" => return super::object::raise_value(it, args).map(Some),
        "abort" => {
            let msg = args.first().map(format::to_s).unwrap_or_default();
            return Err(Flow::err(super::super::interp::RbErr {
                exc: it.make_exc("SystemExit", msg),
                line: it.line,
            }));
        }
        "exit" | "exit!" => {
            return Err(Flow::err(super::super::interp::RbErr {
                exc: it.make_exc("SystemExit", "exit"),
                line: it.line,
            }));
        }
        "require" | "require_relative" | "load" | "gem" => {
            let lib = format::to_s(&arg(args, 0));
            if !KNOWN_LIBS.contains(&lib.as_str()) && name == "require" {
                return it.err("LoadError", format!("cannot load such file -- {lib}"));
            }
            Value::Bool(false)
        }
        "format" | "sprintf" => {
            let fmt = str_arg(it, &arg(args, 0))?;
            sprintf(it, &fmt, &args[1.min(args.len())..], f)?
        }
        // `exception: false`: nil instead of the error (a budget still stops the template)
        "Integer" | "Float"
            if matches!(args.last(), Some(Value::Hash(h))
                if h.borrow().get(&Value::sym("exception")).is_some_and(|v| !v.truthy())) =>
        {
            let r = if name == "Integer" {
                let base = args.get(1).filter(|_| args.len() > 2);
                super::convert::integer(it, &arg(args, 0), base)
            } else {
                super::convert::float(it, &arg(args, 0))
            };
            match r {
                Err(e)
                    if e.exc()
                        .is_some_and(|e| !it.is_a(&e.exc, super::super::budget::EXCEEDED)) =>
                {
                    Value::Nil
                }
                r => r?,
            }
        }
        "Integer" => super::convert::integer(it, &arg(args, 0), args.get(1))?,
        "Float" => super::convert::float(it, &arg(args, 0))?,
        // a string is its own answer, binary or not
        "String" => match arg(args, 0) {
            s @ Value::Str(_) => s,
            v => Value::str(it.str_of(&v, f)?),
        },
        "Array" => match arg(args, 0) {
            Value::Nil => Value::array(vec![]),
            a @ Value::Array(_) => a,
            h @ (Value::Hash(_) | Value::Range(_)) => Value::array(it.elements(&h)?),
            other => Value::array(vec![other]),
        },
        "Hash" => match arg(args, 0) {
            Value::Nil => Value::hash(RHash::new()),
            h => h,
        },
        // `URI(s)` is `URI.parse(s)`, and a URI given is the URI itself
        "URI" => {
            let Some(uri) = it.classes.get("URI") else {
                return Ok(None);
            };
            let recv = Value::Class(uri);
            let call = MethodCall {
                recv: &recv,
                name: "URI",
                args,
                block: None,
                f,
            };
            return crate::stdlib::class_call(it, &call);
        }
        "lambda" | "proc" => match block {
            Some(Value::Proc(p)) => Value::Proc(std::rc::Rc::new(super::super::value::Proc {
                def: p.def.clone(),
                env: p.env.clone(),
                self_val: p.self_val.clone(),
                is_lambda: name == "lambda",
                home: p.home.clone(),
            })),
            _ => return it.arg_err("tried to create Proc object without a block"),
        },
        "loop" => {
            let Some(b) = block else {
                return it.unsupported("loop without a block");
            };
            let mut n = 0u64;
            loop {
                // a step each, as an empty block evaluates nothing
                let r = it.budget.step();
                it.spend(r)?;
                match it.call_block(&b, vec![]) {
                    Ok(_) => {}
                    Err(e) if e.exc().is_some_and(|e| it.is_a(&e.exc, "StopIteration")) => break,
                    Err(e) => return Err(e),
                }
                n += 1;
                if n > 10_000_000 {
                    return it.err("RuntimeError", "loop ran more than 10,000,000 times");
                }
            }
            Value::Nil
        }
        "catch" => {
            let tag = arg(args, 0);
            let Some(b) = block else { return Ok(None) };
            match it.call_block1(&b, tag.clone()) {
                Ok(v) => v,
                Err(e) => match e.into_jump() {
                    Jump::Throw(t, v) if super::super::value::rb_eq(&t, &tag) => v,
                    j => return Err(Flow::new(j)),
                },
            }
        }
        "throw" => return Err(Flow::new(Jump::Throw(arg(args, 0), arg(args, 1)))),
        "block_given?" => Value::Bool(f.block().is_some()),
        "binding" => return it.unsupported("binding"),
        "eval" => return eval_string(it, c).map(Some),
        "puts" | "print" | "warn" | "pp" | "printf" | "putc" | "display" => Value::Nil,
        "sleep" => Value::Int(0),
        "rand" => crate::stdlib::random::kernel_rand(it, args.first())?,
        "srand" => crate::stdlib::random::srand(it, args)?,
        "`" => return it.unsupported("backticks (running commands while rendering)"),
        "system" | "spawn" | "exec" | "open" => {
            return it.unsupported(&format!(
                "{name} (running commands or opening files while rendering)"
            ))
        }
        "__method__" => match f.method() {
            Some((n, _, _)) => Value::Sym(n.clone()),
            // the template's top level runs in the host's binding method; a class body not
            None => match (&f.self_val, it.host.binding_method()) {
                (Value::Object(o), Some(m)) if matches!(o.kind, ObjKind::Main) => Value::sym(m),
                _ => Value::Nil,
            },
        },
        // (a keyword in Ruby, which no template defines or assigns)
        "__FILE__" if args.is_empty() => Value::str(it.host.file_name().unwrap_or("(erb)")),
        "__dir__" => match it.host.file_name() {
            Some(file) => Value::str(match file.rfind('/') {
                Some(i) => &file[..i],
                None => ".",
            }),
            None => Value::Nil,
        },
        "freeze" | "frozen?" => Value::Nil,
        "attr_accessor" | "attr_reader" | "attr_writer" | "private" | "public" | "protected"
        | "module_function" | "include" | "extend" => Value::Nil,
        "caller" => Value::array(vec![]),
        "instance_variable_get"
        | "instance_variable_set"
        | "instance_variables"
        | "respond_to?"
        | "send"
        | "public_send"
        | "is_a?"
        | "kind_of?"
        | "class"
        | "inspect"
        | "to_s"
        | "nil?"
        | "tap"
        | "then"
        | "method"
        | "methods"
        | "object_id"
        | "instance_variable_defined?"
        | "dup"
        | "hash"
        | "blank?"
        | "present?"
        | "instance_eval"
        | "=="
        | "!"
        | "!=" => {
            let me = f.self_val.clone();
            return super::object::call(it, &c.on(&me));
        }
        _ => return Ok(None),
    };
    Ok(Some(v))
}

/// Constants on classes: `Float::INFINITY`, `Integer::MAX`...
pub fn class_const(class: &str, name: &str) -> Option<Value> {
    Some(match (class, name) {
        ("Float", "INFINITY") => Value::Float(f64::INFINITY),
        ("Regexp", "IGNORECASE") => Value::Int(1),
        ("Regexp", "EXTENDED") => Value::Int(2),
        ("Regexp", "MULTILINE") => Value::Int(4),
        ("Float", "NAN") => Value::Float(f64::NAN),
        ("Float", "EPSILON") => Value::Float(f64::EPSILON),
        ("Float", "MAX") => Value::Float(f64::MAX),
        ("Float", "MIN") => Value::Float(f64::MIN_POSITIVE),
        ("Math", "PI") => Value::Float(std::f64::consts::PI),
        ("Math", "E") => Value::Float(std::f64::consts::E),
        _ => return None,
    })
}

/// Where the lines of code `eval` runs are numbered from: past any template's, so that an
/// error raised in that code (and not in a method it calls) is told apart and reported at
/// the line of the call, as the director reports it.
const EVAL_LINES: u32 = 1 << 30;

/// What compiling a byte of code for `eval` may hold, at most: a token (24 bytes) and a
/// node of the tree (40 bytes, in a block of its own), with room for the lists they sit in.
/// A 40 MB string of `1,` held 4.7 GB before it was counted.
const EVAL_BYTES_PER_BYTE: usize = 128;

/// `eval(code)`: the code compiled and run in the caller's frame, seeing its locals and
/// `self`, under the same budgets (cf-services-contrib-release builds property paths
/// with it).
fn eval_string(it: &mut Interp, c: &MethodCall) -> R<Value> {
    let MethodCall { args, f, .. } = *c;
    if args.len() > 1 {
        return it.unsupported("eval with a binding");
    }
    let code = str_arg(it, &arg(args, 0))?;
    // its tokens and syntax tree, counted before they are made: at most a token and a
    // node for each byte of code (`[1,1,...]`), about a hundred bytes
    let spent = it
        .budget
        .alloc(code.len().saturating_mul(EVAL_BYTES_PER_BYTE));
    it.spend(spent)?;
    let line = it.line;
    let locals = f.env.names();
    let limits = it.budget.limits;
    let program = match crate::erb::compile_code(&code, EVAL_LINES, &locals, &limits) {
        Ok(p) => p,
        Err(e) => {
            let at = e.line.saturating_sub(EVAL_LINES) + 1;
            return it.err("SyntaxError", format!("(eval):{at}: {}", e.message));
        }
    };
    // a level of the call depth, as the code it runs may eval again
    it.enter()?;
    let r = it.eval(&program, f);
    it.depth -= 1;
    it.line = line;
    r.map_err(|flow| match flow.into_jump() {
        Jump::Err(mut e) if e.line >= EVAL_LINES => {
            e.line = line;
            Flow::new(Jump::Err(e))
        }
        j => Flow::new(j),
    })
}
