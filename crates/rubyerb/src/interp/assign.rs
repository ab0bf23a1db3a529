//! Assignment: locals, instance variables, `a[i] =`, `x.y =`, `a, (b, *c) =`, `+=`/`||=`.

use super::super::ast::*;
use super::super::value::*;
use super::{Frame, Interp, R};

impl<'a> Interp<'a> {
    pub fn assign(&mut self, t: &Target, v: Value, f: &Frame) -> R<()> {
        match t {
            Target::LVar(n) => f.env.set(n, v),
            Target::IVar(n) => match &f.self_val {
                Value::Object(o) => {
                    if o.ivars.borrow_mut().insert(n.clone(), v).is_none() {
                        self.account_entry()?;
                    }
                }
                _ => return self.err("FrozenError", "can't modify frozen object"),
            },
            Target::GVar(n) => {
                if &**n == "$~" {
                    // `$~ = …` replaces the last match, and `$1`... with it
                    self.last_match = match &v {
                        Value::Nil => None,
                        Value::Object(o) if o.class.name == "MatchData" => Some(Box::new(
                            super::super::methods::regex::LastMatch::of_data(v.clone()),
                        )),
                        other => {
                            let msg = format!(
                                "wrong argument type {} (expected MatchData)",
                                other.class_name()
                            );
                            return self.err("TypeError", &msg);
                        }
                    };
                }
                self.gvars.insert(n.to_string(), v);
            }
            Target::Const(n) => {
                let cls = f
                    .def_class()
                    .cloned()
                    .unwrap_or_else(|| self.ctx_class.clone());
                cls.consts.borrow_mut().insert(n.clone(), v);
            }
            Target::Index(recv, args) => {
                let r = self.eval(recv, f)?;
                let mut a = self.eval_list(args, f)?;
                a.push(v);
                self.call_method(r, "[]=", a, None, f)?;
            }
            Target::Attr(recv, name, safe) => {
                let r = self.eval(recv, f)?;
                if *safe && r.is_nil() {
                    return Ok(());
                }
                self.call_method(r, &format!("{name}="), vec![v], None, f)?;
            }
            Target::Splat(inner) => {
                if let Some(t) = inner {
                    let list = match &v {
                        Value::Array(_) => v.clone(),
                        o => Value::array(vec![o.clone()]),
                    };
                    self.assign(t, list, f)?;
                }
            }
            Target::Nested(ts) => {
                let list = match &v {
                    Value::Array(a) => a.borrow().clone(),
                    o => vec![o.clone()],
                };
                self.destructure(ts, list, f)?;
            }
        }
        Ok(())
    }

    pub fn destructure(&mut self, targets: &[Target], list: Vec<Value>, f: &Frame) -> R<()> {
        let splat = targets.iter().position(|t| matches!(t, Target::Splat(_)));
        match splat {
            None => {
                for (i, t) in targets.iter().enumerate() {
                    self.assign(t, list.get(i).cloned().unwrap_or(Value::Nil), f)?;
                }
            }
            Some(si) => {
                let after = targets.len() - si - 1;
                for (i, t) in targets[..si].iter().enumerate() {
                    self.assign(t, list.get(i).cloned().unwrap_or(Value::Nil), f)?;
                }
                let end = list.len().saturating_sub(after).max(si);
                let mid: Vec<Value> = list.get(si..end).map(|s| s.to_vec()).unwrap_or_default();
                if let Target::Splat(Some(t)) = &targets[si] {
                    self.assign(t, Value::array(mid), f)?;
                }
                for (j, t) in targets[si + 1..].iter().enumerate() {
                    self.assign(t, list.get(end + j).cloned().unwrap_or(Value::Nil), f)?;
                }
            }
        }
        Ok(())
    }

    pub(super) fn op_assign(
        &mut self,
        t: &Target,
        op: &str,
        rhs: &Node,
        f: &Frame,
        line: u32,
    ) -> R<Value> {
        // the receiver and index are evaluated once, for both the read and the write
        let place = match t {
            Target::Index(recv, args) => {
                let r = self.eval(recv, f)?;
                Place::Index(r, self.eval_list(args, f)?)
            }
            Target::Attr(recv, name, safe) => {
                let r = self.eval(recv, f)?;
                if *safe && r.is_nil() {
                    return Ok(Value::Nil);
                }
                Place::Attr(r, name)
            }
            Target::LVar(n) => Place::Local(n),
            other => Place::Other(other),
        };
        let cur = match &place {
            Place::Index(r, a) => self.call_method(r.clone(), "[]", a.clone(), None, f)?,
            Place::Attr(r, name) => self.call_method(r.clone(), name, vec![], None, f)?,
            Place::Local(n) => f.env.local(n),
            Place::Other(t) => self.eval(&target_read(t, line), f)?,
        };
        let v = match op {
            "||" => {
                if cur.truthy() {
                    return Ok(cur);
                }
                self.eval(rhs, f)?
            }
            "&&" => {
                if !cur.truthy() {
                    return Ok(cur);
                }
                self.eval(rhs, f)?
            }
            _ => {
                let r = self.eval(rhs, f)?;
                self.line = line;
                // `i += 1` on Integers: Integer's operators cannot be redefined by a
                // template, so this is the answer `Integer#+` gives (overflow goes on)
                let fast = match (&cur, &r) {
                    (Value::Int(x), Value::Int(y)) => {
                        super::super::methods::num::int_op(*x, op, *y)
                    }
                    _ => None,
                };
                match fast {
                    Some(v) => v,
                    None => self.call_method(cur, op, vec![r], None, f)?,
                }
            }
        };
        match place {
            Place::Index(r, mut a) => {
                a.push(v.clone());
                self.call_method(r, "[]=", a, None, f)?;
            }
            Place::Attr(r, name) => {
                self.call_method(r, &format!("{name}="), vec![v.clone()], None, f)?;
            }
            Place::Local(n) => f.env.set(n, v.clone()),
            Place::Other(t) => self.assign(t, v.clone(), f)?,
        }
        Ok(v)
    }
}

/// Where an operator assignment reads and writes, with its receiver and index evaluated.
enum Place<'t> {
    Index(Value, Vec<Value>),
    Attr(Value, &'t Name),
    Local(&'t Name),
    /// An instance, global or constant variable.
    Other(&'t Target),
}

fn target_read(t: &Target, line: u32) -> Node {
    Node::new(
        line,
        match t {
            Target::IVar(n) => Kind::IVar(n.clone()),
            Target::GVar(n) => Kind::GVar(n.clone()),
            Target::Const(n) => Kind::Const(None, n.clone()),
            _ => Kind::Nil,
        },
    )
}
