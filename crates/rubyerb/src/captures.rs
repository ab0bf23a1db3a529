//! `/(?<name>...)/ =~ text`: a regexp literal's named groups become local variables, set
//! after every match (nil when it fails), as Ruby's parser makes them. Only a literal
//! without interpolation on the left does this, and only names a local can have.

use super::ast::*;
use super::expr::call;
use super::parser::Parser;

impl Parser {
    /// `left =~ right`, with the assignments of `left`'s named groups when it is a plain
    /// regexp literal: `(t = left =~ right; name = $~ && $~["name"]; ...; t)`, where `t`
    /// has a name no template can write.
    pub(super) fn match_op(&mut self, line: u32, left: Node, right: Node) -> Node {
        let names = match &left.kind {
            Kind::Regex(r) => {
                r.0.iter()
                    .map(|p| match p {
                        StrPart::Lit(s) => Some(s.as_str()),
                        StrPart::Code(_) => None,
                    })
                    .collect::<Option<String>>()
                    .map(|src| group_names(&src))
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        };
        let matched = call(line, Some(left), self.names.get("=~"), vec![right]);
        if names.is_empty() {
            return matched;
        }
        let t = self.names.get("=~ result");
        let match_data = self.names.get("$~");
        let last = || Node::new(line, Kind::GVar(match_data.clone()));
        let mut seq = vec![Node::new(
            line,
            Kind::Asgn(Box::new(Target::LVar(t.clone())), Box::new(matched)),
        )];
        for n in names {
            self.declare_name(&n);
            let group = call(
                line,
                Some(last()),
                self.names.get("[]"),
                vec![Node::new(line, Kind::PlainStr(n.clone()))],
            );
            let value = Node::new(line, Kind::And(Box::new(last()), Box::new(group)));
            seq.push(Node::new(
                line,
                Kind::Asgn(Box::new(Target::LVar(self.names.get(&n))), Box::new(value)),
            ));
        }
        seq.push(Node::new(line, Kind::LVar(t)));
        Node::new(line, Kind::Seq(seq))
    }
}

/// The names of a regexp's named groups that can be local variables, each once, in order:
/// `(?<name>` and `(?'name'`, outside character classes and escapes.
fn group_names(src: &str) -> Vec<String> {
    let b = src.as_bytes();
    let mut out: Vec<String> = Vec::new();
    let (mut i, mut class) = (0, 0usize);
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'[' => class += 1,
            b']' if class > 0 => class -= 1,
            b'(' if class == 0 && b[i + 1..].starts_with(b"?") => {
                let rest = &src[i + 2..];
                let close = match rest.as_bytes().first() {
                    Some(b'<') if !rest[1..].starts_with(['=', '!']) => '>',
                    Some(b'\'') => '\'',
                    _ => {
                        i += 1;
                        continue;
                    }
                };
                if let Some(end) = rest[1..].find(close) {
                    let name = &rest[1..1 + end];
                    let local = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
                        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                    if local && !out.iter().any(|n| n == name) {
                        out.push(name.to_string());
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::group_names;

    #[test]
    fn named_groups_that_can_be_locals() {
        assert_eq!(group_names(r"(?<foo>\w+)-(?'bar'\d+)"), ["foo", "bar"]);
        // lookbehinds, a class, an escaped parenthesis, a constant's name, a repeat
        assert_eq!(
            group_names(r"(?<=a)(?<!b)[(?<no>)]\(?<no2>x\)"),
            Vec::<String>::new()
        );
        assert_eq!(group_names(r"(?<Up>a)(?<x_1>b)(?<x_1>c)(?:d)"), ["x_1"]);
        assert_eq!(group_names(r"(?<é>a)(?<a-b>b)"), Vec::<String>::new());
    }
}
