//! What every template of one job render reads besides its properties: the instance's
//! spec fields, the links and the DNS tables. The links and DNS tables are converted from
//! the context's JSON when a template first asks, and shared by the job's templates; the
//! spec fields are converted for each template, one field when it reads it
//! (`spec_obj.rs`): a template reads few of them, and converting those costs less than
//! comparing them all with the JSON after every template.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use indexmap::IndexMap;
use rubyerb::{RHash, Value};

/// A job render's part shared by its templates.
pub struct Shared<'c> {
    fields: Arc<serde_json::Map<String, serde_json::Value>>,
    links: Rc<Links>,
    dns_json: &'c serde_json::Value,
    /// The DNS tables, read from `dns_json` when a template first asks for an address.
    dns: std::cell::OnceCell<Dns>,
}

/// The links as templates see them, shared with the spec objects that show them.
pub(super) struct Links {
    json: Arc<serde_json::Value>,
    /// The links as templates see them, until one mutates them.
    v: RefCell<Option<Value>>,
    /// Whether the template being rendered was given the links: only then can it have
    /// changed them (nothing a template makes outlives it, and a part of the links it put
    /// in the property tree makes that tree a fresh copy).
    given: Cell<bool>,
}

impl Links {
    /// The links, given to the template being rendered.
    pub(super) fn get(&self) -> Value {
        self.given.set(true);
        self.v
            .borrow_mut()
            .get_or_insert_with(|| {
                if self.json.is_null() {
                    Value::hash(RHash::new())
                } else {
                    rubyerb::from_json(&self.json, false)
                }
            })
            .clone()
    }

    fn changed(&self) -> bool {
        match &*self.v.borrow() {
            None => false,
            Some(links) if self.json.is_null() => {
                !matches!(links, Value::Hash(h) if h.borrow().is_empty())
            }
            Some(links) => !super::bind::rb_eq_json(links, &self.json),
        }
    }
}

impl<'c> Shared<'c> {
    pub fn new(
        fields: &Arc<serde_json::Map<String, serde_json::Value>>,
        links_json: &Arc<serde_json::Value>,
        dns_json: &'c serde_json::Value,
    ) -> Shared<'c> {
        Shared {
            fields: fields.clone(),
            links: Rc::new(Links {
                json: links_json.clone(),
                v: RefCell::new(None),
                given: Cell::new(false),
            }),
            dns_json,
            dns: std::cell::OnceCell::new(),
        }
    }

    /// The context's DNS tables (`link.address`).
    pub fn dns(&self) -> &Dns {
        self.dns.get_or_init(|| dns_tables(self.dns_json))
    }

    /// The instance's spec fields, as the context gives them.
    pub(super) fn fields(&self) -> &Arc<serde_json::Map<String, serde_json::Value>> {
        &self.fields
    }

    pub(super) fn links(&self) -> Value {
        self.links.get()
    }

    /// The links, for a spec object to show when a template reads them.
    pub(super) fn links_cell(&self) -> &Rc<Links> {
        &self.links
    }

    /// After each template: the next one gets the pristine links, made again only if this
    /// one changed those it was given.
    pub fn next_template(&self) {
        let l = &self.links;
        if l.given.get() && l.changed() {
            *l.v.borrow_mut() = None;
        }
        l.given.set(false);
    }
}

/// The context's DNS tables, behind `link.address`.
#[derive(Default, Clone)]
pub struct Dns {
    pub az_ids: IndexMap<String, String>,
    pub network_ids: IndexMap<String, String>,
    pub group_ids: IndexMap<String, String>,
    pub instance_ids: IndexMap<String, String>,
}

fn dns_tables(v: &serde_json::Value) -> Dns {
    let table = |k: &str| -> IndexMap<String, String> {
        v.get(k)
            .and_then(|t| t.as_object())
            .map(|o| {
                o.iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            match v {
                                serde_json::Value::String(s) => s.clone(),
                                other => other.to_string(),
                            },
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    Dns {
        az_ids: table("az_ids"),
        network_ids: table("network_ids"),
        group_ids: table("group_ids"),
        instance_ids: table("instance_ids"),
    }
}
