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
                    o.ivars.borrow_mut().insert(n.clone(), v);
                }
                _ => return self.err("FrozenError", "can't modify frozen object"),
            },
            Target::GVar(n) => {
                if &**n == "$~" {
                    // `$~ = …` replaces the last match, and `$1`... with it
                    self.last_match = match &v {
                        Value::Nil => None,
                        Value::Object(o) if o.class.name == "MatchData" => {
                            Some(super::super::methods::regex::LastMatch::of_data(v.clone()))
                        }
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
                    .def_class
                    .clone()
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
        // evaluate the receiver and index once
        let (getter, setter): (Getter<'a>, Setter<'a>) = match t {
            Target::Index(recv, args) => {
                let r = self.eval(recv, f)?;
                let a = self.eval_list(args, f)?;
                let (r2, a2) = (r.clone(), a.clone());
                let fr = f.clone();
                let fr2 = f.clone();
                (
                    Box::new(move |me: &mut Self| {
                        me.call_method(r.clone(), "[]", a.clone(), None, &fr)
                    }),
                    Box::new(move |me: &mut Self, v| {
                        let mut a = a2.clone();
                        a.push(v);
                        me.call_method(r2.clone(), "[]=", a, None, &fr2).map(|_| ())
                    }),
                )
            }
            Target::Attr(recv, name, _) => {
                let r = self.eval(recv, f)?;
                let r2 = r.clone();
                let n1 = name.to_string();
                let n2 = format!("{name}=");
                let fr = f.clone();
                let fr2 = f.clone();
                (
                    Box::new(move |me: &mut Self| {
                        me.call_method(r.clone(), &n1, vec![], None, &fr)
                    }),
                    Box::new(move |me: &mut Self, v| {
                        me.call_method(r2.clone(), &n2, vec![v], None, &fr2)
                            .map(|_| ())
                    }),
                )
            }
            Target::LVar(n) => {
                let (n1, n2) = (n.clone(), n.clone());
                let (e1, e2) = (f.env.clone(), f.env.clone());
                (
                    Box::new(move |_me: &mut Self| Ok(e1.get(&n1).unwrap_or(Value::Nil))),
                    Box::new(move |_me: &mut Self, v| {
                        e2.set(&n2, v);
                        Ok(())
                    }),
                )
            }
            other => {
                let node_get = target_read(other, line);
                let fr = f.clone();
                let fr2 = f.clone();
                let t2: *const Target = other;
                let _ = t2;
                let tgt = clone_target(other);
                (
                    Box::new(move |me: &mut Self| me.eval(&node_get, &fr)),
                    Box::new(move |me: &mut Self, v| me.assign(&tgt, v, &fr2)),
                )
            }
        };
        let cur = getter(self)?;
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
                self.call_method(cur, op, vec![r], None, f)?
            }
        };
        setter(self, v.clone())?;
        Ok(v)
    }
}

type Getter<'a> = Box<dyn Fn(&mut Interp<'a>) -> R<Value>>;
type Setter<'a> = Box<dyn Fn(&mut Interp<'a>, Value) -> R<()>>;

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

fn clone_target(t: &Target) -> Target {
    match t {
        Target::IVar(n) => Target::IVar(n.clone()),
        Target::GVar(n) => Target::GVar(n.clone()),
        Target::Const(n) => Target::Const(n.clone()),
        Target::LVar(n) => Target::LVar(n.clone()),
        _ => Target::Nested(vec![]),
    }
}
