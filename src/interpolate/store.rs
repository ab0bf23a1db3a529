//! `--vars-store FILE`: a YAML map of generated values. Values it holds are kept; a variable
//! with a `type` that it lacks is generated, added, and the file rewritten (atomically) after
//! each one, as the CLI saves after every generation.

use std::path::{Path, PathBuf};

use super::emit;
use super::failure::Failure;
use super::generate;
use super::load::load;
use super::node::{Map, Node};
use super::sources::{read, string_map};
use super::vars::{Definition, Source};

pub struct Store {
    /// The path as the CLI shows it (absolute).
    path: PathBuf,
    /// Values given on the command line, which certificate generation may take a CA from.
    pub statics: Map,
}

impl Store {
    pub fn new(path: PathBuf) -> Store {
        Store {
            path,
            statics: Map::new(),
        }
    }

    fn load(&self) -> Result<Vec<(String, Node)>, Failure> {
        if !self.path.exists() {
            return Ok(Vec::new());
        }
        let shown = self.path.display().to_string();
        let text = read(&shown).map_err(Failure::leaf)?;
        let wrap = |m: String| {
            Failure::leaf(m).wrap(format!("Deserializing variables file store '{shown}'"))
        };
        let doc = load(&text).map_err(|e| wrap(e.to_string()))?;
        string_map(doc).map_err(|kind| {
            wrap(format!(
                "yaml: unmarshal errors:\n  line 1: cannot unmarshal {kind} into template.StaticVariables"
            ))
        })
    }

    fn save(&self, vars: &[(String, Node)], fresh: &str) -> Result<(), Failure> {
        let mut m = Map::new();
        for (k, v) in vars {
            m.insert(Node::Str(k.clone()), v.clone());
        }
        let text = emit::to_yaml_keeping_order(&Node::Map(m), fresh);
        write(&self.path, text.as_bytes()).map_err(|e| {
            Failure::leaf(e).wrap(format!(
                "Writing variables to file store '{}'",
                self.path.display()
            ))
        })?;
        Ok(())
    }

    fn lookup(&self, name: &str) -> Result<Option<Node>, Failure> {
        if let Some(v) = self.statics.get_str(name) {
            return Ok(Some(v.clone()));
        }
        Ok(self
            .load()?
            .into_iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v))
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<String, String> {
    crate::atomic::write(path, bytes)
        .map(|_| String::new())
        .map_err(|e| e.to_string())
}

impl Source for Store {
    fn get(&mut self, def: &Definition) -> Result<Option<Node>, Failure> {
        let mut vars = self.load()?;
        if let Some((_, v)) = vars.iter().rev().find(|(k, _)| *k == def.name) {
            return Ok(Some(v.clone()));
        }
        if def.kind.is_empty() {
            return Ok(None);
        }
        let generated = generate::generate(&def.kind, &def.options, &|name| self.lookup(name))
            .map_err(|e| e.wrap(format!("Generating variable '{}'", def.name)))?;
        let value = generated;
        vars.retain(|(k, _)| *k != def.name);
        vars.push((def.name.clone(), value.clone()));
        self.save(&vars, &def.name)
            .map_err(|e| e.wrap(format!("Generating variable '{}'", def.name)))?;
        Ok(Some(value))
    }

    fn names(&self) -> Result<Vec<String>, Failure> {
        Ok(self.load()?.into_iter().map(|(k, _)| k).collect())
    }
}
