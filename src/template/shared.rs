//! What every template of one job render reads besides its properties: the instance's
//! spec fields, the links and the DNS tables, converted from the context's JSON when a
//! template first asks, and shared by the job's templates.

use std::cell::RefCell;

use indexmap::IndexMap;
use rubyerb::{RHash, Value};

/// A job render's part shared by its templates.
pub struct Shared<'c> {
    fields: &'c serde_json::Map<String, serde_json::Value>,
    links_json: &'c serde_json::Value,
    dns_json: &'c serde_json::Value,
    /// The DNS tables, read from `dns_json` when a template first asks for an address.
    dns: std::cell::OnceCell<Dns>,
    /// The spec fields as templates see them (through `spec`, `name` and `index`), until
    /// one mutates them: `spec`'s objects hold the same strings and arrays.
    fields_v: RefCell<Option<Value>>,
    /// The links as templates see them, until one mutates them.
    links_v: RefCell<Option<Value>>,
    /// Whether the template being rendered was given the fields, the links: only what it
    /// was given can it have changed (nothing a template makes outlives it, and a part of
    /// the links it put in the property tree makes that tree a fresh copy).
    given: std::cell::Cell<(bool, bool)>,
}

impl<'c> Shared<'c> {
    pub fn new(
        fields: &'c serde_json::Map<String, serde_json::Value>,
        links_json: &'c serde_json::Value,
        dns_json: &'c serde_json::Value,
    ) -> Shared<'c> {
        Shared {
            fields,
            links_json,
            dns_json,
            dns: std::cell::OnceCell::new(),
            fields_v: RefCell::new(None),
            links_v: RefCell::new(None),
            given: std::cell::Cell::new((false, false)),
        }
    }

    /// The context's DNS tables (`link.address`).
    pub fn dns(&self) -> &Dns {
        self.dns.get_or_init(|| dns_tables(self.dns_json))
    }

    pub(super) fn fields(&self) -> Value {
        self.given.set((true, self.given.get().1));
        self.fields_v
            .borrow_mut()
            .get_or_insert_with(|| {
                let mut h = RHash::with_capacity(self.fields.len() + 2);
                for (k, v) in self.fields {
                    h.insert(Value::str(k.as_str()), rubyerb::from_json(v, false));
                }
                Value::hash(h)
            })
            .clone()
    }

    pub(super) fn links(&self) -> Value {
        self.given.set((self.given.get().0, true));
        self.links_v
            .borrow_mut()
            .get_or_insert_with(|| {
                if self.links_json.is_null() {
                    Value::hash(RHash::new())
                } else {
                    rubyerb::from_json(self.links_json, false)
                }
            })
            .clone()
    }

    /// After each template: the next one gets the pristine links and fields, made again
    /// only if this one changed those it was given.
    pub fn next_template(&self) {
        if self.changed() {
            self.reset();
        }
        self.given.set((false, false));
    }

    /// Whether the template changed the links or the spec fields it was given (never, if
    /// it looked at none): the director gives each template fresh ones.
    fn changed(&self) -> bool {
        let (fields_given, links_given) = self.given.get();
        let fields_changed = match &*self.fields_v.borrow() {
            _ if !fields_given => false,
            None => false,
            Some(Value::Hash(h)) => {
                let h = h.borrow();
                // built from the fields in their order: a key at the same place is found
                // without hashing it (keys are unique on both sides)
                h.len() != self.fields.len()
                    || h.map
                        .iter()
                        .zip(self.fields.iter())
                        .any(|((k, (_, v)), (jk, jv))| match k {
                            rubyerb::value::HKey::Str(k) if **k == **jk => {
                                !super::bind::rb_eq_json(v, jv)
                            }
                            rubyerb::value::HKey::Str(k) => self
                                .fields
                                .get(&**k)
                                .is_none_or(|j| !super::bind::rb_eq_json(v, j)),
                            _ => true,
                        })
            }
            Some(_) => true,
        };
        fields_changed || (links_given && self.links_changed())
    }

    fn links_changed(&self) -> bool {
        match &*self.links_v.borrow() {
            None => false,
            Some(links) if self.links_json.is_null() => {
                !matches!(links, Value::Hash(h) if h.borrow().is_empty())
            }
            Some(links) => !super::bind::rb_eq_json(links, self.links_json),
        }
    }

    /// The next template gets the pristine links and fields.
    fn reset(&self) {
        *self.links_v.borrow_mut() = None;
        *self.fields_v.borrow_mut() = None;
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
