//! `((name))` and `((name.path))` placeholders (also `((!name))`), resolved as the CLI's
//! director/template does: a whole-value placeholder takes the variable's value with its type,
//! one inside a longer string must be a string or an integer; names under `variables:` that
//! were found are removed from that section; `--var-errs` and `--var-errs-unused` report
//! missing and unused names. Variable definitions with a `type` are generated in order when a
//! store is given.

use std::collections::{BTreeSet, HashSet};

use super::failure::Failure;
use super::load::MAX_DEPTH;
use super::node::{Map, Node};
use super::ops;
use super::pointer::{Pointer, Token};

/// A variable definition from the manifest's `variables:` section.
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    pub name: String,
    pub kind: String,
    pub options: Node,
}

/// Where values come from: flags first, then the store (which may generate).
pub trait Source {
    fn get(&mut self, def: &Definition) -> Result<Option<Node>, Failure>;
    fn names(&self) -> Result<Vec<String>, Failure>;
}

/// Values given on the command line (`-v`, `--var-file`, `-l`, `--vars-env`), with dotted
/// names (`a.b=1`) nested into maps as the CLI does.
#[derive(Debug, Default, Clone)]
pub struct StaticVars {
    entries: Vec<(String, Node)>,
}

/// A dotted variable name nests one map per part; more parts than a document may nest
/// would only make later recursion overflow the stack.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("Expected variable name '{name}' to have at most {MAX_DEPTH} dot-separated parts")]
pub struct NameTooDeep {
    pub name: String,
}

impl StaticVars {
    pub fn set(&mut self, name: String, value: Node) -> Result<(), NameTooDeep> {
        if name.split('.').count() > MAX_DEPTH {
            return Err(NameTooDeep { name });
        }
        match self.entries.iter_mut().find(|(n, _)| *n == name) {
            Some(e) => e.1 = value,
            None => self.entries.push((name, value)),
        }
        Ok(())
    }

    pub fn processed(&self) -> Map {
        let mut out = Map::new();
        for (name, val) in &self.entries {
            let pieces: Vec<&str> = name.split('.').collect();
            if pieces.len() == 1 {
                out.insert(Node::Str(name.clone()), val.clone());
                continue;
            }
            // The CLI checks each intermediate name against the top level only, so a second
            // dotted name under the same parent resets deeper maps; kept for equal output.
            let top_has: Vec<bool> = pieces[..pieces.len() - 1]
                .iter()
                .map(|p| out.get_str(p).is_some())
                .collect();
            let mut cur = &mut out;
            for (i, p) in pieces[..pieces.len() - 1].iter().enumerate() {
                if !top_has[i] || !matches!(cur.get_str(p), Some(Node::Map(_))) {
                    cur.insert(Node::Str(p.to_string()), Node::Map(Map::new()));
                }
                let Some(Node::Map(next)) = cur.get_str_mut(p) else {
                    unreachable!("just made a map")
                };
                cur = next;
            }
            cur.insert(Node::Str(pieces[pieces.len() - 1].to_string()), val.clone());
        }
        out
    }
}

pub struct Vars<'s> {
    pub statics: Map,
    pub store: Option<&'s mut dyn Source>,
}

impl Vars<'_> {
    fn get(&mut self, def: &Definition) -> Result<Option<Node>, Failure> {
        if let Some(v) = self.statics.get_str(&def.name) {
            return Ok(Some(v.clone()));
        }
        match self.store.as_deref_mut() {
            Some(s) => s.get(def),
            None => Ok(None),
        }
    }

    fn names(&self) -> Result<Vec<String>, Failure> {
        let mut names: Vec<String> = self
            .statics
            .iter()
            .filter_map(|(k, _)| k.as_str().map(str::to_string))
            .collect();
        if let Some(s) = self.store.as_deref() {
            names.extend(s.names()?);
        }
        Ok(names)
    }
}

pub struct Options {
    pub expect_all_found: bool,
    pub expect_all_used: bool,
}

#[derive(Default, Clone)]
struct Track {
    missing: BTreeSet<String>,
    visited: HashSet<String>,
    visited_all: HashSet<String>,
}

struct Ctx<'a, 's> {
    vars: &'a mut Vars<'s>,
    defs: Vec<Definition>,
}

/// Interpolates `doc` in place of itself: the template step between the ops and `--path`.
pub fn interpolate_root(doc: Node, vars: &mut Vars<'_>, opts: &Options) -> Result<Node, Failure> {
    let defs = definitions(&doc)?;
    let mut ctx = Ctx { vars, defs };
    let mut track = Track::default();
    let typed: Vec<String> = ctx
        .defs
        .iter()
        .filter(|d| !d.kind.is_empty())
        .map(|d| d.name.clone())
        .collect();
    for name in &typed {
        get(&mut ctx, &mut track, name)
            .map_err(|e| e.wrap("Getting all variables from variable definitions sections"))?;
    }
    let mut doc = interpolate(&mut ctx, &mut track, doc)?;
    let names: Vec<String> = ctx.defs.iter().map(|d| d.name.clone()).collect();
    let mut found = Vec::new();
    for name in names {
        if get(&mut ctx, &mut track, &name)
            .map_err(|e| e.wrap("Getting all variables from variable definitions sections"))?
            .is_some()
        {
            found.push(name);
        }
    }
    for name in found {
        let path = Pointer(vec![
            Token::Root,
            Token::Key {
                key: "variables".into(),
                optional: false,
            },
            Token::Matching {
                key: "name".into(),
                value: name,
                optional: false,
                modifiers: Vec::new(),
            },
        ]);
        ops::remove(&mut doc, &path).map_err(|e| Failure::leaf(e.to_string()))?;
    }
    let mut errs = Vec::new();
    if opts.expect_all_found && !track.missing.is_empty() {
        errs.push(names_list(track.missing.iter().cloned()).wrap("Expected to find variables"));
    }
    if opts.expect_all_used {
        let unused: BTreeSet<String> = ctx
            .vars
            .names()?
            .into_iter()
            .filter(|n| !track.visited_all.contains(n))
            .collect();
        if !unused.is_empty() {
            errs.push(names_list(unused.into_iter()).wrap("Expected to use variables"));
        }
    }
    if !errs.is_empty() {
        return Err(Failure::Multi(errs));
    }
    Ok(doc)
}

fn names_list(names: impl Iterator<Item = String>) -> Failure {
    Failure::Multi(names.map(Failure::Leaf).collect())
}

/// The `variables:` section as the CLI reads it (through a YAML round trip into structs).
fn definitions(doc: &Node) -> Result<Vec<Definition>, Failure> {
    let Node::Map(m) = doc else {
        return Ok(Vec::new());
    };
    let items = match m.get_str("variables") {
        None | Some(Node::Null) => return Ok(Vec::new()),
        Some(Node::Seq(items)) => items,
        Some(other) => {
            return Err(Failure::leaf(format!(
                "yaml: unmarshal errors:\n  line {}: cannot unmarshal {} into []template.VariableDefinition",
                remarshaled_line(doc, None),
                other.yaml_tag_text()
            )))
        }
    };
    let mut defs = Vec::new();
    for (i, it) in items.iter().enumerate() {
        match it {
            Node::Map(d) => defs.push(Definition {
                name: d.get_str("name").map(Node::go_string).unwrap_or_default(),
                kind: d.get_str("type").map(Node::go_string).unwrap_or_default(),
                options: d.get_str("options").map(roundtrip).unwrap_or(Node::Null),
            }),
            Node::Null => defs.push(Definition {
                name: String::new(),
                kind: String::new(),
                options: Node::Null,
            }),
            other => {
                return Err(Failure::leaf(format!(
                    "yaml: unmarshal errors:\n  line {}: cannot unmarshal {} into template.VariableDefinition",
                    remarshaled_line(doc, Some(i)),
                    other.yaml_tag_text()
                )))
            }
        }
    }
    Ok(defs)
}

/// The line yaml.v2 reports: the CLI re-reads the manifest after writing it out, so lines
/// count in that sorted output (the `variables:` key, or its `item`-th entry).
fn remarshaled_line(doc: &Node, item: Option<usize>) -> usize {
    let text = super::emit::to_yaml(doc);
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines.iter().position(|l| l.starts_with("variables:")) else {
        return 1;
    };
    match item {
        None => start + 1,
        Some(n) => lines[start + 1..]
            .iter()
            .enumerate()
            .filter(|(_, l)| l.starts_with("- ") || **l == "-")
            .nth(n)
            .map_or(start + 1, |(j, _)| start + 2 + j),
    }
}

/// A value after yaml.v2 writes and reads it back: integral floats come back as integers.
pub fn roundtrip(n: &Node) -> Node {
    match n {
        Node::Float(f) => {
            let text = super::node::go_float(*f);
            if let Ok(i) = text.parse::<i64>() {
                Node::Int(i)
            } else if let Ok(u) = text.parse::<u64>() {
                Node::Uint(u)
            } else {
                Node::Float(*f)
            }
        }
        Node::Seq(items) => Node::Seq(items.iter().map(roundtrip).collect()),
        Node::Map(m) => Node::Map(
            m.iter()
                .map(|(k, v)| (roundtrip(k), roundtrip(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn get(ctx: &mut Ctx<'_, '_>, track: &mut Track, name: &str) -> Result<Option<Node>, Failure> {
    track.visited_all.insert(name.to_string());
    if track.visited.contains(name) {
        return Err(Failure::leaf("Detected recursion"));
    }
    let mut scoped = Track {
        visited: track.visited.clone(),
        ..Track::default()
    };
    scoped.visited.insert(name.to_string());
    let mut def = ctx
        .defs
        .iter()
        .find(|d| d.name == name)
        .cloned()
        .unwrap_or(Definition {
            name: name.to_string(),
            kind: String::new(),
            options: Node::Null,
        });
    def.options = interpolate(ctx, &mut scoped, def.options).map_err(|e| {
        e.wrap(format!(
            "Interpolating variable '{name}' definition options"
        ))
    })?;
    if !scoped.missing.is_empty() {
        return Ok(None);
    }
    let val = ctx.vars.get(&def)?;
    if val.is_none() {
        track.missing.insert(name.to_string());
    }
    Ok(val)
}

/// `name` or `name.path.in.value`.
fn lookup(ctx: &mut Ctx<'_, '_>, track: &mut Track, name: &str) -> Result<Option<Node>, Failure> {
    let mut split = name.split('.');
    let first = split.next().unwrap_or("");
    let rest: Vec<&str> = split.collect();
    let Some(val) = get(ctx, track, first)? else {
        return Ok(None);
    };
    if rest.is_empty() {
        return Ok(Some(val));
    }
    let pointer = Pointer::parse(&format!("/{}", rest.join("/")))
        .map_err(|e| Failure::leaf(e.to_string()))?;
    match ops::find(&val, &pointer) {
        Ok(v) => Ok(Some(v)),
        Err(_) => {
            // Retry with numeric segments read as map keys (`((creds.0))` in a map).
            let keyed = Pointer(
                pointer
                    .0
                    .into_iter()
                    .map(|t| match t {
                        Token::Index { index, .. } => Token::Key {
                            key: index.to_string(),
                            optional: false,
                        },
                        other => other,
                    })
                    .collect(),
            );
            ops::find(&val, &keyed)
                .map(Some)
                .map_err(|e| Failure::leaf(e.to_string()))
        }
    }
}

fn interpolate(ctx: &mut Ctx<'_, '_>, track: &mut Track, node: Node) -> Result<Node, Failure> {
    match node {
        Node::Map(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let v = interpolate(ctx, track, v)?;
                let k = interpolate(ctx, track, k)?;
                out.insert(k, v);
            }
            Ok(Node::Map(out))
        }
        Node::Seq(items) => Ok(Node::Seq(
            items
                .into_iter()
                .map(|i| interpolate(ctx, track, i))
                .collect::<Result<_, _>>()?,
        )),
        Node::Str(s) => interpolate_str(ctx, track, s),
        other => Ok(other),
    }
}

fn interpolate_str(ctx: &mut Ctx<'_, '_>, track: &mut Track, s: String) -> Result<Node, Failure> {
    let mut text = s;
    for name in placeholders(&text) {
        let found =
            lookup(ctx, track, &name).map_err(|e| e.wrap(format!("Finding variable '{name}'")))?;
        let Some(val) = found else { continue };
        if is_whole_placeholder(&text) {
            return Ok(val);
        }
        let rendered = match &val {
            Node::Str(v) => v.clone(),
            Node::Int(i) => i.to_string(),
            Node::Uint(u) => u.to_string(),
            other => {
                return Err(Failure::leaf(format!(
                    "Invalid type '{}' for value '{}' and variable '{name}'. Supported types for interpolation within a string are integers and strings.",
                    other.go_type(),
                    other.go_v()
                )))
            }
        };
        text = text
            .replace(&format!("(({name}))"), &rendered)
            .replace(&format!("((!{name}))"), &rendered);
    }
    Ok(Node::Str(text))
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '/' | '.') || c.is_alphabetic()
}

/// Matches `\(\((!?[-/\.\w\pL]+)\)\)` at byte `i`; returns the end and the name (without `!`).
fn match_at(s: &str, i: usize) -> Option<(usize, String)> {
    let rest = s.get(i..)?.strip_prefix("((")?;
    let (bang, body) = match rest.strip_prefix('!') {
        Some(b) => (1, b),
        None => (0, rest),
    };
    let len: usize = body
        .chars()
        .take_while(|c| is_name_char(*c))
        .map(char::len_utf8)
        .sum();
    if len == 0 || !body[len..].starts_with("))") {
        return None;
    }
    Some((i + 2 + bang + len + 2, body[..len].to_string()))
}

/// Every placeholder name in `s`, left to right, repeats included.
pub fn placeholders(s: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if let Some((end, name)) = match_at(s, i) {
            names.push(name);
            i = end;
        } else {
            i += s[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    names
}

fn is_whole_placeholder(s: &str) -> bool {
    matches!(match_at(s, 0), Some((end, _)) if end == s.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpolate::emit::to_yaml;
    use crate::interpolate::load::load;

    fn run(doc: &str, vars: &[(&str, &str)], opts: Options) -> Result<String, Failure> {
        let mut s = StaticVars::default();
        for (k, v) in vars {
            s.set(k.to_string(), load(v).unwrap()).unwrap();
        }
        let mut vars = Vars {
            statics: s.processed(),
            store: None,
        };
        interpolate_root(load(doc).unwrap(), &mut vars, &opts).map(|n| to_yaml(&n))
    }

    fn plain() -> Options {
        Options {
            expect_all_found: false,
            expect_all_used: false,
        }
    }

    #[test]
    fn placeholders_take_values() {
        let out = run(
            "a: ((x))\nb: p-((y))-((!y))\nc: ((m.k.0))\nd: ((missing))\n",
            &[("x", "[1, 2]"), ("y", "7"), ("m", "{k: [z]}")],
            plain(),
        )
        .unwrap();
        assert_eq!(out, "a:\n- 1\n- 2\nb: p-7-7\nc: z\nd: ((missing))\n");
    }

    #[test]
    fn found_definitions_leave_the_variables_section() {
        let out = run(
            "variables:\n- name: x\n  type: password\n- name: z\n  type: password\nv: ((x))\n",
            &[("x", "s")],
            plain(),
        )
        .unwrap();
        assert_eq!(out, "v: s\nvariables:\n- name: z\n  type: password\n");
    }

    #[test]
    fn errors_list_names() {
        let e = run(
            "a: ((b))\nc: ((a))\n",
            &[("z", "1")],
            Options {
                expect_all_found: true,
                expect_all_used: true,
            },
        )
        .unwrap_err();
        assert_eq!(
            e.multiline(),
            "- Expected to find variables:\n    - a\n    - b\n- Expected to use variables:\n    - z"
        );
        let e = run("a: x((y))\n", &[("y", "{k: v}")], plain()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Invalid type 'map[interface {}]interface {}' for value 'map[k:v]' and variable 'y'. Supported types for interpolation within a string are integers and strings."
        );
    }

    #[test]
    fn placeholder_syntax() {
        assert_eq!(
            placeholders("((a))((!b.c))(((d)))((e f))"),
            ["a", "b.c", "d"]
        );
        assert!(is_whole_placeholder("((a/b-c))"));
        assert!(!is_whole_placeholder("((a)) "));
    }
}
