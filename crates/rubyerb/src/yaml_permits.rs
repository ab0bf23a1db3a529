//! What a template's `YAML.load`, `YAML.safe_load` and `YAML.unsafe_load` may build, as
//! Psych decides: `load` refuses aliases and every class but Symbol, `safe_load` Symbol too
//! (each unless the template permits it), and both name the first class they meet. A
//! template that loads YAML with an anchor, a date or a `!ruby/object` tag fails on the
//! director, so it fails here too rather than render what the director never would.
//!
//! Job specs and manifests are not read under these rules: the director reads those with
//! its own loader (aliases allowed), and so does bale.

use granit_parser::Tag;

use super::data::Data;
use super::yaml_in::YamlErrorKind;

/// A template loader's permissions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Permits {
    /// `unsafe_load`: aliases and every class (those bale cannot build are refused as such).
    pub any: bool,
    /// `aliases: true`.
    pub aliases: bool,
    /// Symbol is permitted (`load`'s default, or named in `permitted_classes:`).
    pub symbols: bool,
    /// `permitted_symbols:`: when any are named, only those symbols.
    pub symbol_names: Vec<String>,
    /// The other classes `permitted_classes:` names, by name.
    pub classes: Vec<String>,
}

impl Permits {
    /// `YAML.load`'s defaults.
    pub fn load() -> Permits {
        Permits {
            symbols: true,
            ..Permits::default()
        }
    }

    /// `YAML.safe_load`'s defaults.
    pub fn safe_load() -> Permits {
        Permits::default()
    }

    /// `YAML.unsafe_load`: nothing refused.
    pub fn unsafe_load() -> Permits {
        Permits {
            any: true,
            aliases: true,
            symbols: true,
            ..Permits::default()
        }
    }

    /// The error for a node of class `name`: refused, or permitted but beyond what bale
    /// builds.
    fn class(&self, name: &str) -> YamlErrorKind {
        if self.any || self.classes.iter().any(|c| c == name) {
            YamlErrorKind::Unbuildable(name.to_string())
        } else {
            YamlErrorKind::Disallowed(name.to_string())
        }
    }

    /// Whether an alias may be followed.
    pub(crate) fn alias(&self) -> Result<(), YamlErrorKind> {
        if self.aliases || self.any {
            Ok(())
        } else {
            Err(YamlErrorKind::AliasesNotEnabled)
        }
    }

    /// The Symbol `name`, if permitted.
    pub(crate) fn symbol(&self, name: String) -> Result<Data, YamlErrorKind> {
        let named = self.symbol_names.is_empty() || self.symbol_names.contains(&name);
        if self.any || (self.symbols && named) {
            Ok(Data::Sym(name))
        } else {
            Err(YamlErrorKind::Disallowed("Symbol".into()))
        }
    }

    /// A plain scalar Psych reads as a date (`2001-01-01`) or a time (with a time of day).
    pub(crate) fn date_or_time(&self, s: &str) -> YamlErrorKind {
        self.class(if s.contains(':') { "Time" } else { "Date" })
    }

    /// A tagged scalar: `Some` when the tag makes it a Symbol, an error for a class Psych
    /// would build, `None` for the rules every loader shares (`yaml_in`).
    pub(crate) fn scalar(&self, tag: &Tag, s: &str) -> Result<Option<Data>, YamlErrorKind> {
        if let Some(suffix) = yaml_suffix(tag) {
            return match &*suffix {
                "timestamp" => Err(self.date_or_time(s)),
                _ => Ok(None),
            };
        }
        if tag.handle() != "!" {
            return Ok(None);
        }
        match tag.suffix() {
            "ruby/sym" | "ruby/symbol" => self.symbol(s.to_string()).map(Some),
            "ruby/class" | "ruby/module" => Err(self.class(s)),
            suffix => match ruby_class(suffix) {
                Some(c) => Err(self.class(c)),
                None => Ok(None),
            },
        }
    }

    /// A mapping's or sequence's tag: an error for a class Psych builds from it (a set, an
    /// object, a struct, a range), `Ok` for plain data.
    pub(crate) fn collection(&self, tag: &Tag) -> Result<(), YamlErrorKind> {
        if let Some(suffix) = yaml_suffix(tag) {
            return match &*suffix {
                "set" => Err(self.class("Psych::Set")),
                _ => Ok(()),
            };
        }
        match ruby_class(tag.suffix()) {
            Some(c) if tag.handle() == "!" => Err(self.class(c)),
            _ => Ok(()),
        }
    }
}

/// Whether a sequence's tag is `!!omap`: its one-pair mappings make one hash.
pub(crate) fn is_omap(tag: &Tag) -> bool {
    yaml_suffix(tag).is_some_and(|s| s == "omap")
}

/// The name of a `!!` tag (`tag:yaml.org,2002:` and a name), the YAML 1.1 types included
/// (`binary`, `omap`, `set`, `timestamp`), which the core schema's list leaves out.
fn yaml_suffix(tag: &Tag) -> Option<std::borrow::Cow<'_, str>> {
    tag.suffix_in_namespace("tag:yaml.org,2002:")
}

/// The class a `!ruby/...` tag names: `ruby/object:Foo` and its kin (`hash`, `array`,
/// `string`, `struct`, `exception`) the one after the colon, `ruby/range` and
/// `ruby/regexp` their own; `None` for plain data (`ruby/hash` without a class).
fn ruby_class(suffix: &str) -> Option<&str> {
    let rest = suffix.strip_prefix("ruby/")?;
    let (kind, class) = match rest.split_once(':') {
        Some((k, c)) => (k, Some(c)),
        None => (rest, None),
    };
    match (kind, class) {
        ("range", _) => Some("Range"),
        ("regexp", _) => Some("Regexp"),
        ("object" | "hash" | "array" | "string" | "struct" | "exception", Some(c)) => Some(c),
        ("object", None) => Some("Object"),
        ("struct", None) => Some("Struct"),
        ("exception", None) => Some("Exception"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::ruby_class;

    #[test]
    fn ruby_tags_name_their_class() {
        assert_eq!(ruby_class("ruby/object:OpenStruct"), Some("OpenStruct"));
        assert_eq!(ruby_class("ruby/hash:Foo::Bar"), Some("Foo::Bar"));
        assert_eq!(
            ruby_class("ruby/exception:RuntimeError"),
            Some("RuntimeError")
        );
        assert_eq!(ruby_class("ruby/range"), Some("Range"));
        assert_eq!(ruby_class("ruby/hash"), None);
        assert_eq!(ruby_class("ruby/string"), None);
        assert_eq!(ruby_class("foo"), None);
    }
}
