//! `--vars-store FILE`: a YAML map of generated values. Values it holds are kept; a variable
//! with a `type` that it lacks is generated, added, and the file rewritten (atomically) after
//! each one, as the CLI saves after every generation.

use std::path::PathBuf;

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
    /// The file's values, read on first use (the CLI reports a malformed store only when a
    /// value is needed) and kept in memory; only generation writes the file again.
    loaded: Option<Map>,
}

impl Store {
    pub fn new(path: PathBuf) -> Store {
        Store {
            path,
            statics: Map::new(),
            loaded: None,
        }
    }

    fn values(&mut self) -> Result<&mut Map, Failure> {
        if self.loaded.is_none() {
            self.loaded = Some(self.read()?);
        }
        Ok(self.loaded.get_or_insert_with(Map::new))
    }

    fn read(&self) -> Result<Map, Failure> {
        if !self.path.exists() {
            return Ok(Map::new());
        }
        let shown = self.path.display().to_string();
        let text = read(&shown).map_err(|e| Failure::leaf(e.to_string()))?;
        let wrap = |m: String| {
            Failure::leaf(m).wrap(format!("Deserializing variables file store '{shown}'"))
        };
        let doc = load(&text).map_err(|e| wrap(e.to_string()))?;
        let pairs = string_map(doc).map_err(|kind| {
            wrap(format!(
                "yaml: unmarshal errors:\n  line 1: cannot unmarshal {kind} into template.StaticVariables"
            ))
        })?;
        // Later keys win, as they do when Go decodes into a map.
        Ok(pairs.into_iter().map(|(k, v)| (Node::Str(k), v)).collect())
    }

    fn save(&self, vars: &Map, fresh: &str) -> Result<(), Failure> {
        let text = emit::to_yaml_keeping_order(&Node::Map(vars.clone()), fresh);
        crate::atomic::write(&self.path, text.as_bytes()).map_err(|e| {
            Failure::leaf(e.to_string()).wrap(format!(
                "Writing variables to file store '{}'",
                self.path.display()
            ))
        })
    }
}

impl Source for Store {
    fn get(&mut self, def: &Definition) -> Result<Option<Node>, Failure> {
        if let Some(v) = self.values()?.get_str(&def.name) {
            return Ok(Some(v.clone()));
        }
        if def.kind.is_empty() {
            return Ok(None);
        }
        let stored = self.loaded.as_ref().expect("read above");
        let lookup = |name: &str| -> Result<Option<Node>, Failure> {
            Ok(self
                .statics
                .get_str(name)
                .or_else(|| stored.get_str(name))
                .cloned())
        };
        let value = generate::generate(&def.kind, &def.options, &lookup)
            .map_err(|e| e.wrap(format!("Generating variable '{}'", def.name)))?;
        let mut vars = stored.clone();
        vars.insert(Node::Str(def.name.clone()), value.clone());
        self.save(&vars, &def.name)
            .map_err(|e| e.wrap(format!("Generating variable '{}'", def.name)))?;
        self.loaded = Some(vars);
        Ok(Some(value))
    }

    fn names(&self) -> Result<Vec<String>, Failure> {
        let from_file;
        let vars = match &self.loaded {
            Some(m) => m,
            None => {
                from_file = self.read()?;
                &from_file
            }
        };
        Ok(vars
            .iter()
            .filter_map(|(k, _)| k.as_str().map(str::to_string))
            .collect())
    }
}
