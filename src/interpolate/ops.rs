//! go-patch operations as the `bosh` CLI applies ops files: `replace` (creating missing
//! optional keys and `name=` items, inserting with `-`, `:before`, `:after`), `remove`, `test`,
//! and the find used by `--path` and `((var.path))`. Error texts are go-patch's, since scripts
//! and people compare them with the CLI's.

use std::borrow::Cow;

use super::node::{Map, Node};
use super::pointer::{Modifier, Pointer, Token};

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PatchError {
    #[error("Expected to find {what} at path '{path}' but found '{found}'")]
    Mismatch {
        what: &'static str,
        path: String,
        found: &'static str,
    },
    #[error("Expected to find a map key '{key}' for path '{path}' ({siblings})")]
    MissingKey {
        key: String,
        path: String,
        siblings: String,
    },
    #[error("Expected to find array index '{index}' but found array of length '{len}' for path '{path}'")]
    MissingIndex {
        /// Wide enough that an index moved past `i64`'s range by `:prev`/`:next` is still
        /// reported as written, not wrapped.
        index: i128,
        len: usize,
        path: String,
    },
    #[error(
        "Expected to find exactly one matching array item for path '{path}' but found {count}"
    )]
    NotOneMatch { path: String, count: usize },
    #[error("Expected to not find token '{token}' at path '{path}'")]
    UnexpectedToken { token: &'static str, path: String },
    #[error("{0}")]
    Other(String),
    /// An ops file entry's failure, prefixed with which operation of which file it was.
    #[error("Error '{context}': {source}")]
    Described {
        context: String,
        #[source]
        source: Box<PatchError>,
    },
}

fn mismatch_array(path: &Pointer, found: &Node) -> PatchError {
    PatchError::Mismatch {
        what: "an array",
        path: path.to_string(),
        found: found.go_type(),
    }
}

fn mismatch_map(path: &Pointer, found: &Node) -> PatchError {
    PatchError::Mismatch {
        what: "a map",
        path: path.to_string(),
        found: found.go_type(),
    }
}

fn missing_key(key: &str, path: &Pointer, map: &Map) -> PatchError {
    let siblings = if map.is_empty() {
        "found no other map keys".to_string()
    } else {
        format!(
            "found map keys: '{}'",
            map.string_keys_sorted().join("', '")
        )
    };
    PatchError::MissingKey {
        key: key.to_string(),
        path: path.to_string(),
        siblings,
    }
}

/// An index after `:prev`/`:next`, counted from the end when negative. `path` builds the
/// pointer named in an error, only when there is one.
fn concrete_index(
    index: i64,
    modifiers: &[Modifier],
    len: usize,
    path: &dyn Fn() -> Pointer,
) -> Result<usize, PatchError> {
    let mut result = i128::from(index);
    for m in modifiers {
        match m {
            Modifier::Prev => result -= 1,
            Modifier::Next => result += 1,
            other => {
                return Err(PatchError::Other(format!(
                    "Expected to find one of the following modifiers: 'prev', 'next', but found modifier '{}'",
                    other.go_type()
                )))
            }
        }
    }
    // i128 holds any i64 moved by one step per modifier, so nothing here can overflow (Go's
    // int arithmetic wraps and its slice access then panics).
    let n = len as i128;
    if result >= n || -result > n {
        return Err(PatchError::MissingIndex {
            index: result,
            len,
            path: path().to_string(),
        });
    }
    if result < 0 {
        result += n;
    }
    Ok(usize::try_from(result).expect("checked against the length"))
}

/// Where a replace lands: overwrite at `index`, or insert before it.
fn concrete_insertion(
    index: i64,
    modifiers: &[Modifier],
    len: usize,
    path: &dyn Fn() -> Pointer,
) -> Result<(usize, bool), PatchError> {
    let mut mods = Vec::new();
    let (mut before, mut after) = (false, false);
    for m in modifiers {
        if before || after {
            let which = if before { "before" } else { "after" };
            return Err(PatchError::Other(format!(
                "Expected to not find any modifiers after '{which}' modifier, but found modifier '{}'",
                m.go_type()
            )));
        }
        match m {
            Modifier::Before => before = true,
            Modifier::After => after = true,
            other => mods.push(*other),
        }
    }
    let mut num = concrete_index(index, &mods, len, path)?;
    if after && num != len {
        num += 1;
    }
    Ok((num, before || after))
}

fn matching(items: &[Node], key: &str, value: &str) -> Vec<usize> {
    items
        .iter()
        .enumerate()
        .filter(|(_, it)| match it {
            Node::Map(m) => matches!(m.get_str(key), Some(Node::Str(s)) if s == value),
            _ => false,
        })
        .map(|(i, _)| i)
        .collect()
}

pub fn replace(doc: &mut Node, path: &Pointer, value: Node) -> Result<(), PatchError> {
    let tokens = &path.0;
    if tokens.len() == 1 {
        *doc = value;
        return Ok(());
    }
    let mut obj: &mut Node = doc;
    for i in 1..tokens.len() {
        let is_last = i == tokens.len() - 1;
        let curr = || path.prefix(i + 1);
        match &tokens[i] {
            Token::Index { index, modifiers } => {
                let Node::Seq(items) = obj else {
                    return Err(mismatch_array(&curr(), obj));
                };
                if is_last {
                    let (at, insert) = concrete_insertion(*index, modifiers, items.len(), &curr)?;
                    if insert {
                        items.insert(at, value);
                    } else {
                        items[at] = value;
                    }
                    return Ok(());
                }
                let at = concrete_index(*index, modifiers, items.len(), &curr)?;
                obj = &mut items[at];
            }
            Token::AfterLast => {
                let Node::Seq(items) = obj else {
                    return Err(mismatch_array(&curr(), obj));
                };
                if is_last {
                    items.push(value);
                    return Ok(());
                }
                return Err(PatchError::Other(format!(
                    "Expected after last index token to be last in path '{path}'"
                )));
            }
            Token::Matching {
                key,
                value: want,
                optional,
                modifiers,
            } => {
                let Node::Seq(items) = obj else {
                    return Err(mismatch_array(&curr(), obj));
                };
                let idxs = matching(items, key, want);
                if *optional && idxs.is_empty() {
                    if is_last {
                        items.push(value);
                        return Ok(());
                    }
                    let mut m = Map::new();
                    m.insert(Node::Str(key.clone()), Node::Str(want.clone()));
                    items.push(Node::Map(m));
                    obj = items.last_mut().expect("just pushed");
                    continue;
                }
                if idxs.len() != 1 {
                    return Err(PatchError::NotOneMatch {
                        path: curr().to_string(),
                        count: idxs.len(),
                    });
                }
                if is_last {
                    let (at, insert) =
                        concrete_insertion(idxs[0] as i64, modifiers, items.len(), &curr)?;
                    if insert {
                        items.insert(at, value);
                    } else {
                        items[at] = value;
                    }
                    return Ok(());
                }
                let at = concrete_index(idxs[0] as i64, modifiers, items.len(), &curr)?;
                obj = &mut items[at];
            }
            Token::Key { key, optional } => {
                let Node::Map(m) = obj else {
                    return Err(mismatch_map(&curr(), obj));
                };
                let found = m.get_str(key).is_some();
                if !found && !optional {
                    return Err(missing_key(key, &curr(), m));
                }
                if is_last {
                    m.insert(Node::Str(key.clone()), value);
                    return Ok(());
                }
                if !found {
                    let fresh = match &tokens[i + 1] {
                        Token::AfterLast | Token::Matching { .. } => Node::Seq(Vec::new()),
                        Token::Key { .. } => Node::Map(Map::new()),
                        _ => {
                            return Err(PatchError::Other(format!(
                                "Expected to find key, matching index or after last index token at path '{}'",
                                path.prefix(i + 2)
                            )))
                        }
                    };
                    m.insert(Node::Str(key.clone()), fresh);
                }
                obj = m.get_str_mut(key).expect("present");
            }
            Token::Root => {
                return Err(PatchError::UnexpectedToken {
                    token: tokens[i].go_type(),
                    path: curr().to_string(),
                })
            }
        }
    }
    Ok(())
}

pub fn remove(doc: &mut Node, path: &Pointer) -> Result<(), PatchError> {
    let tokens = &path.0;
    if tokens.len() == 1 {
        return Err(PatchError::Other("Cannot remove entire document".into()));
    }
    let mut obj: &mut Node = doc;
    for i in 1..tokens.len() {
        let is_last = i == tokens.len() - 1;
        let curr = || path.prefix(i + 1);
        match &tokens[i] {
            Token::Index { index, modifiers } => {
                let Node::Seq(items) = obj else {
                    return Err(mismatch_array(&curr(), obj));
                };
                let at = concrete_index(*index, modifiers, items.len(), &curr)?;
                if is_last {
                    items.remove(at);
                    return Ok(());
                }
                obj = &mut items[at];
            }
            Token::Matching {
                key,
                value,
                optional,
                modifiers,
            } => {
                let Node::Seq(items) = obj else {
                    return Err(mismatch_array(&curr(), obj));
                };
                let idxs = matching(items, key, value);
                if *optional && idxs.is_empty() {
                    return Ok(());
                }
                if idxs.len() != 1 {
                    return Err(PatchError::NotOneMatch {
                        path: curr().to_string(),
                        count: idxs.len(),
                    });
                }
                let at = concrete_index(idxs[0] as i64, modifiers, items.len(), &curr)?;
                if is_last {
                    items.remove(at);
                    return Ok(());
                }
                obj = &mut items[at];
            }
            Token::Key { key, optional } => {
                let Node::Map(m) = obj else {
                    return Err(mismatch_map(&curr(), obj));
                };
                if m.get_str(key).is_none() {
                    if *optional {
                        return Ok(());
                    }
                    return Err(missing_key(key, &curr(), m));
                }
                if is_last {
                    m.remove(&Node::Str(key.clone()));
                    return Ok(());
                }
                obj = m.get_str_mut(key).expect("present");
            }
            Token::AfterLast | Token::Root => {
                return Err(PatchError::UnexpectedToken {
                    token: tokens[i].go_type(),
                    path: curr().to_string(),
                })
            }
        }
    }
    Ok(())
}

/// The value at `path`; a missing optional key reads as null and a missing optional
/// `name=value` item as a map holding just that pair, as go-patch's find does.
pub fn find(doc: &Node, path: &Pointer) -> Result<Node, PatchError> {
    let tokens = &path.0;
    let mut obj: Cow<'_, Node> = Cow::Borrowed(doc);
    for i in 1..tokens.len() {
        let is_last = i == tokens.len() - 1;
        let step = find_step(&obj, path, i)?;
        obj = match step {
            Step::Child(c) => child(obj, c),
            Step::New(n) => Cow::Owned(n),
        };
        if is_last {
            return Ok(obj.into_owned());
        }
    }
    Ok(obj.into_owned())
}

enum Step {
    Child(ChildRef),
    New(Node),
}

enum ChildRef {
    Index(usize),
    Key(String),
}

fn child_of<'n>(n: &'n Node, c: &ChildRef) -> &'n Node {
    const NULL: &Node = &Node::Null;
    match (n, c) {
        (Node::Seq(items), ChildRef::Index(i)) => &items[*i],
        (Node::Map(m), ChildRef::Key(k)) => m.get_str(k).unwrap_or(NULL),
        _ => NULL,
    }
}

fn child(obj: Cow<'_, Node>, c: ChildRef) -> Cow<'_, Node> {
    match obj {
        Cow::Borrowed(r) => Cow::Borrowed(child_of(r, &c)),
        Cow::Owned(n) => Cow::Owned(child_of(&n, &c).clone()),
    }
}

fn find_step(obj: &Node, path: &Pointer, i: usize) -> Result<Step, PatchError> {
    let tokens = &path.0;
    let curr = || path.prefix(i + 1);
    match &tokens[i] {
        Token::Index { index, modifiers } => {
            let Node::Seq(items) = obj else {
                return Err(mismatch_array(&curr(), obj));
            };
            let at = concrete_index(*index, modifiers, items.len(), &curr)?;
            Ok(Step::Child(ChildRef::Index(at)))
        }
        Token::AfterLast => Err(PatchError::Other(format!(
            "Expected not to find after last index token in path '{path}' (not supported in find operations)"
        ))),
        Token::Matching {
            key,
            value,
            optional,
            modifiers,
        } => {
            let Node::Seq(items) = obj else {
                return Err(mismatch_array(&curr(), obj));
            };
            let idxs = matching(items, key, value);
            if *optional && idxs.is_empty() {
                let mut m = Map::new();
                m.insert(Node::Str(key.clone()), Node::Str(value.clone()));
                return Ok(Step::New(Node::Map(m)));
            }
            if idxs.len() != 1 {
                return Err(PatchError::NotOneMatch {
                    path: curr().to_string(),
                    count: idxs.len(),
                });
            }
            let at = concrete_index(idxs[0] as i64, modifiers, items.len(), &curr)?;
            Ok(Step::Child(ChildRef::Index(at)))
        }
        Token::Key { key, optional } => {
            let Node::Map(m) = obj else {
                return Err(mismatch_map(&curr(), obj));
            };
            let found = m.get_str(key).is_some();
            if !found && !optional {
                return Err(missing_key(key, &curr(), m));
            }
            let is_last = i == tokens.len() - 1;
            if found || is_last {
                return Ok(Step::Child(ChildRef::Key(key.clone())));
            }
            match &tokens[i + 1] {
                Token::Matching { .. } => Ok(Step::New(Node::Seq(Vec::new()))),
                Token::Key { .. } => Ok(Step::New(Node::Map(Map::new()))),
                _ => Err(PatchError::Other(format!(
                    "Expected to find key or matching index token at path '{}'",
                    path.prefix(i + 2)
                ))),
            }
        }
        Token::Root => Err(PatchError::UnexpectedToken {
            token: tokens[i].go_type(),
            path: curr().to_string(),
        }),
    }
}

/// `test`: the value at `path` equals `value`, or (with `absent`) the path's last step is
/// missing.
pub fn test(doc: &Node, path: &Pointer, value: &Node, absent: bool) -> Result<(), PatchError> {
    if absent {
        return match find(doc, path) {
            Ok(_) => Err(PatchError::Other(format!("Expected to not find '{path}'"))),
            Err(
                PatchError::MissingIndex { path: p, .. } | PatchError::MissingKey { path: p, .. },
            ) if p == path.to_string() => Ok(()),
            Err(e) => Err(e),
        };
    }
    let found = find(doc, path)?;
    if !deep_equal(&found, value) {
        return Err(PatchError::Other(
            "Found value does not match expected value".into(),
        ));
    }
    Ok(())
}

/// reflect.DeepEqual on decoded values (map key order does not matter; NaN is unequal).
fn deep_equal(a: &Node, b: &Node) -> bool {
    match (a, b) {
        (Node::Seq(x), Node::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| deep_equal(p, q))
        }
        (Node::Map(x), Node::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| deep_equal(v, w)))
        }
        _ => super::node::key_eq(a, b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpolate::emit::to_yaml;
    use crate::interpolate::load::load;

    fn apply(doc: &str, path: &str, value: &str) -> Result<String, PatchError> {
        let mut d = load(doc).unwrap();
        replace(&mut d, &Pointer::parse(path).unwrap(), load(value).unwrap())?;
        Ok(to_yaml(&d))
    }

    #[test]
    fn replace_paths() {
        let doc = "list:\n- name: a\n  v: 1\n- name: b\n  v: 2\n";
        assert_eq!(
            apply(doc, "/list/name=b/v", "3").unwrap(),
            "list:\n- name: a\n  v: 1\n- name: b\n  v: 3\n"
        );
        assert_eq!(
            apply(doc, "/list/name=a:after", "x").unwrap(),
            "list:\n- name: a\n  v: 1\n- x\n- name: b\n  v: 2\n"
        );
        assert_eq!(
            apply(doc, "/list/0:before", "x").unwrap(),
            "list:\n- x\n- name: a\n  v: 1\n- name: b\n  v: 2\n"
        );
        assert_eq!(
            apply(doc, "/list/name=c?/v", "9").unwrap(),
            "list:\n- name: a\n  v: 1\n- name: b\n  v: 2\n- name: c\n  v: 9\n"
        );
        assert_eq!(
            apply(doc, "/new?/deep/-", "9").unwrap(),
            "list:\n- name: a\n  v: 1\n- name: b\n  v: 2\nnew:\n  deep:\n  - 9\n"
        );
        assert_eq!(
            apply(doc, "/missing/x", "1").unwrap_err().to_string(),
            "Expected to find a map key 'missing' for path '/missing' (found map keys: 'list')"
        );
        assert_eq!(
            apply(doc, "/list/5", "1").unwrap_err().to_string(),
            "Expected to find array index '5' but found array of length '2' for path '/list/5'"
        );
        assert_eq!(
            apply(doc, "/list/name=z", "1").unwrap_err().to_string(),
            "Expected to find exactly one matching array item for path '/list/name=z' but found 0"
        );
        assert_eq!(
            apply(doc, "/list/key", "1").unwrap_err().to_string(),
            "Expected to find a map at path '/list/key' but found '[]interface {}'"
        );
    }

    #[test]
    fn extreme_indices_are_missing_not_overflowing() {
        let doc = "list: [a, b]\n";
        assert_eq!(
            apply(doc, "/list/-9223372036854775808", "1")
                .unwrap_err()
                .to_string(),
            "Expected to find array index '-9223372036854775808' but found array of length '2' for path '/list/-9223372036854775808'"
        );
        assert_eq!(
            apply(doc, "/list/9223372036854775807:next", "1")
                .unwrap_err()
                .to_string(),
            "Expected to find array index '9223372036854775808' but found array of length '2' for path '/list/9223372036854775807:next'"
        );
        assert_eq!(
            apply(doc, "/list/-9223372036854775808:prev:before", "1")
                .unwrap_err()
                .to_string(),
            "Expected to find array index '-9223372036854775809' but found array of length '2' for path '/list/-9223372036854775808:prev:before'"
        );
    }

    #[test]
    fn remove_and_find() {
        let mut d = load("a:\n  b: [1, 2, 3]\n").unwrap();
        remove(&mut d, &Pointer::parse("/a/b/-1").unwrap()).unwrap();
        assert_eq!(to_yaml(&d), "a:\n  b:\n  - 1\n  - 2\n");
        remove(&mut d, &Pointer::parse("/x?/y").unwrap()).unwrap();
        assert_eq!(
            find(&d, &Pointer::parse("/a/b/1").unwrap()).unwrap(),
            Node::Int(2)
        );
        assert_eq!(
            find(&d, &Pointer::parse("/z?/y").unwrap()).unwrap(),
            Node::Null
        );
    }
}
