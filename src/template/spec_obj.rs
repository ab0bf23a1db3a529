//! The `spec` object a template is given: the instance's fields, the property tree and
//! the links, as nested OpenStructs.
//!
//! The director converts the whole spec for every template; templates read a field or
//! two (`spec.id`, `spec.address`, `spec.networks`). So each field here is converted
//! when the template first reads it, and all of them, in the director's order, when the
//! template looks at the object as a whole (`inspect`, `to_h`, `each_pair`, a change).
//!
//! A field converted late must look as it did when `spec` was first called. The instance
//! fields come from the context's JSON, which nothing changes. The property tree and the
//! links can be changed by the template through what `p`, `if_p`, `raw_properties` and
//! `link` give it, so the API converts those two fields as soon as any such part is out
//! (`Api::spec_sees`). (The director makes the object before the template runs: a
//! template that changes a part of the tree and only then first calls `spec` sees the
//! change here, as it did when the whole object was made at the first call.)

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use rubyerb::ast::Name;
use rubyerb::methods::ostruct;
use rubyerb::ofields::FieldSource;
use rubyerb::value::Class;
use rubyerb::Value;

use super::shared::Links;

/// What the spec object's fields are made from.
pub(super) struct SpecFields {
    pub json: Arc<serde_json::Map<String, serde_json::Value>>,
    /// The objects `name` and `index` answer, which `spec.name` and `spec.index` are.
    pub name: Value,
    pub index: Value,
    /// The template's property tree.
    pub props: Value,
    pub links: Rc<Links>,
    pub class: Rc<Class>,
    /// Set when the property tree's field is made: from then on the template holds
    /// every value of the tree.
    pub props_made: Rc<Cell<bool>>,
    /// Copied before the tree is given whole.
    pub pristine: super::handed::Pristine,
}

impl FieldSource for SpecFields {
    fn names(&self) -> Vec<Name> {
        let mut names: Vec<Name> = self.json.keys().map(|k| Name::from(k.as_str())).collect();
        for k in ["properties", "links"] {
            if !self.json.contains_key(k) {
                names.push(k.into());
            }
        }
        names
    }

    fn make(&self, name: &str) -> Option<Value> {
        let cls = &self.class;
        Some(match name {
            "properties" => {
                self.pristine.before_giving(&self.props);
                self.props_made.set(true);
                ostruct::to_ostruct(&self.props, true, cls)
            }
            "links" => ostruct::to_ostruct(&self.links.get(), true, cls),
            "name" | "index" if self.json.contains_key(name) => {
                let v = if name == "name" {
                    &self.name
                } else {
                    &self.index
                };
                ostruct::to_ostruct(v, true, cls)
            }
            _ => ostruct::json_ostruct(self.json.get(name)?, true, cls),
        })
    }
}
