//! How syntax errors name the token they stop at: by kind (`'end'`, `string literal`,
//! `local variable or method 'x'`), and rarer tokens written out with their contents.

use super::lexer::{Lit, SPart, T};
use super::parser::Parser;

impl Parser {
    /// A token as syntax errors name it.
    pub(super) fn describe(&self, t: &T) -> String {
        match t {
            T::Eof => "end-of-input".into(),
            T::Nl => "'\\n'".into(),
            T::Kw(k) => format!("'{k}'"),
            T::Op(o) => format!("'{o}'"),
            T::Ident(n) => format!("local variable or method '{}'", self.names.name(*n)),
            T::Const(n) => format!("constant '{}'", self.names.name(*n)),
            T::Int(_) | T::Float(_) => "integer literal".into(),
            T::Str(_) => "string literal".into(),
            T::Label(l) => format!("label '{}:'", self.names.name(*l)),
            T::ErbText(_) | T::ErbOut | T::ErbOutEnd => "template text".into(),
            other => self.token_text(other),
        }
    }

    /// A token written out with its contents, as errors about rarer tokens show it.
    fn token_text(&self, t: &T) -> String {
        let name = |i: &u32| format!("{:?}", &**self.names.name(*i));
        let lit = |i: &u32| self.lits.get(*i as usize).unwrap_or(&Lit::Taken);
        match t {
            T::Int(i) => format!("Int({i:?})"),
            T::BigInt(i) => match lit(i) {
                Lit::Plain(s) => format!("Int({s})"),
                _ => "Int".into(),
            },
            T::Float(f) => format!("Float({f:?})"),
            T::XStr => "XStr".into(),
            T::Sym(n) => format!("Sym({})", name(n)),
            T::Ident(n) => format!("Ident({})", name(n)),
            T::Const(n) => format!("Const({})", name(n)),
            T::IVar(n) => format!("IVar({})", name(n)),
            T::GVar(n) => format!("GVar({})", name(n)),
            T::Label(n) => format!("Label({})", name(n)),
            T::Kw(k) => format!("Kw({k:?})"),
            T::Op(o) => format!("Op({o:?})"),
            T::Nl => "Nl".into(),
            T::ErbOut => "ErbOut".into(),
            T::ErbOutEnd => "ErbOutEnd".into(),
            T::Eof => "Eof".into(),
            T::Str(i) | T::DSym(i) | T::Regex(i) | T::Words(i, _) | T::ErbText(i) => {
                let v = match t {
                    T::Str(_) => "Str",
                    T::DSym(_) => "DSym",
                    T::Regex(_) => "Regex",
                    T::Words(..) => "Words",
                    _ => "ErbText",
                };
                match (lit(i), t) {
                    (Lit::Plain(s), _) => format!("{v}([Lit({s:?})])"),
                    (Lit::Parts(p), _) => format!("{v}({})", self.parts_text(p)),
                    (Lit::Regex(p, f), _) => format!("{v}({}, {f:?})", self.parts_text(p)),
                    (Lit::Words(ws), T::Words(_, b)) => {
                        let ws: Vec<String> = ws.iter().map(|w| self.parts_text(w)).collect();
                        format!("{v}([{}], {b:?})", ws.join(", "))
                    }
                    (Lit::Text(bytes), _) => format!("{v}({:?})", &**bytes),
                    _ => "Consumed".into(),
                }
            }
        }
    }

    fn parts_text(&self, parts: &[SPart]) -> String {
        let items: Vec<String> = parts
            .iter()
            .map(|p| match p {
                SPart::Lit(s) => format!("Lit({s:?})"),
                SPart::Code(toks) => {
                    let ts: Vec<String> = toks
                        .iter()
                        .map(|k| {
                            format!(
                                "Token {{ t: {}, line: {}, spc: {} }}",
                                self.token_text(&k.t),
                                k.line,
                                k.spc
                            )
                        })
                        .collect();
                    format!("Code([{}])", ts.join(", "))
                }
            })
            .collect();
        format!("[{}]", items.join(", "))
    }
}
