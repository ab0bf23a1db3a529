//! The evaluation API every template sees: `p`, `if_p`, `link`, `if_link`, `spec`, `name`,
//! `index`, `properties`, the else-objects, link and instance objects, and BOSH DNS
//! addresses for `link.address`.

use std::any::Any;
use std::cell::{Cell, OnceCell, RefCell};
use std::rc::Rc;

use indexmap::IndexMap;
use rubyerb::methods::{arg, ostruct};
use rubyerb::{format, ClassDecls, Frame, Host, Interp, MethodCall, ObjKind, Object, Value, R};

use super::dns::link_address;
use super::handed::{Handed, Pristine, Via};
use super::lookup::{lookup, lookup_via, p, Gave};
use super::shared::Shared;
use super::spec_obj::SpecFields;

const METHODS: &[&str] = &[
    "p",
    "if_p",
    "link",
    "if_link",
    "spec",
    "name",
    "index",
    "properties",
    "raw_properties",
    "lookup_property",
    "set_property",
    "sort_property",
    "validate_properties_format",
    "copy_property",
];

const CONTEXT: &str = "Bosh::Common::Template::EvaluationContext";

/// The director's template classes: its errors, the context, links and their instances,
/// the else-objects of `if_p`/`if_link` and the `spec` OpenStruct flavour.
const CLASSES: &[(&str, &str, bool)] = &[
    ("Bosh", "", true),
    ("Bosh::Common", "", true),
    ("Bosh::Common::Template", "", true),
    (
        "Bosh::Common::Template::UnknownProperty",
        "StandardError",
        false,
    ),
    (
        "Bosh::Common::Template::UnknownLink",
        "StandardError",
        false,
    ),
    (
        "Bosh::Common::Template::InvalidPropertyType",
        "StandardError",
        false,
    ),
    (
        "Bosh::Common::Template::EvaluationFailed",
        "StandardError",
        false,
    ),
    ("Bosh::Common::Template::EvaluationContext", "Object", false),
    ("Bosh::Common::Template::EvaluationLink", "Object", false),
    (
        "Bosh::Common::Template::EvaluationLinkInstance",
        "Object",
        false,
    ),
    (
        "Bosh::Common::Template::EvaluationContext::ActiveElseBlock",
        "Object",
        false,
    ),
    (
        "Bosh::Common::Template::EvaluationContext::InactiveElseBlock",
        "Object",
        false,
    ),
    (
        "Bosh::Common::Template::EvaluationContext::BackCompatOpenStruct",
        "OpenStruct",
        false,
    ),
];

/// Names a template resolves without qualification (lexical scope of the context class).
const SHORT: &[(&str, &str)] = &[
    ("UnknownProperty", "Bosh::Common::Template::UnknownProperty"),
    ("UnknownLink", "Bosh::Common::Template::UnknownLink"),
    (
        "InvalidPropertyType",
        "Bosh::Common::Template::InvalidPropertyType",
    ),
    (
        "EvaluationFailed",
        "Bosh::Common::Template::EvaluationFailed",
    ),
    ("EvaluationLink", "Bosh::Common::Template::EvaluationLink"),
    (
        "EvaluationLinkInstance",
        "Bosh::Common::Template::EvaluationLinkInstance",
    ),
    (
        "ActiveElseBlock",
        "Bosh::Common::Template::EvaluationContext::ActiveElseBlock",
    ),
    (
        "InactiveElseBlock",
        "Bosh::Common::Template::EvaluationContext::InactiveElseBlock",
    ),
    (
        "BackCompatOpenStruct",
        "Bosh::Common::Template::EvaluationContext::BackCompatOpenStruct",
    ),
];

/// What one template render reads: the job's shared part and the bound properties. The
/// `spec` and `properties` objects are made once per template and kept.
pub struct Api<'c> {
    shared: &'c Shared<'c>,
    pub raw_props: Value,
    pub limits: rubyerb::Limits,
    /// What `Time.now` reads (`RenderOptions::clock`).
    pub clock: rubyerb::Clock,
    /// Where unseeded random draws come from (`RenderOptions::entropy`).
    pub entropy: rubyerb::Entropy,
    /// The job's name and the template's source path (`monit` for monit): the director
    /// names the template's ERB `JOB/SOURCE`, which `__FILE__` answers. Joined only when
    /// a template asks.
    pub file: (&'c str, &'c str),
    file_name: OnceCell<String>,
    spec_obj: RefCell<Option<Value>>,
    props_obj: RefCell<Option<Value>>,
    /// The spec fields `name` and `index` answer (and `spec` shows, the same objects),
    /// converted from the context's JSON when this template first asks.
    name_v: OnceCell<Value>,
    index_v: OnceCell<Value>,
    /// The tree as the job's next template must get it, copied when first needed.
    pristine: Pristine,
    /// What the template was given of `raw_props`: the job's next template gets them
    /// unless one of those parts changed.
    handed: RefCell<Handed>,
    /// Set when `spec` shows the property tree: the template holds all of it.
    props_made: Rc<Cell<bool>>,
    /// A part of the property tree or of the links that the template could change is out:
    /// `spec` shows them as they are now, which is as they were at its first call.
    props_out: Cell<bool>,
    links_out: Cell<bool>,
}

impl<'c> Api<'c> {
    /// `pristine` says whether another template of the job is rendered from `raw_props`
    /// after this one, so that what this one is given of it is noted ([`Handed`]).
    pub(super) fn new(
        shared: &'c Shared<'c>,
        raw_props: Value,
        pristine: Pristine,
        limits: rubyerb::Limits,
    ) -> Api<'c> {
        Api {
            shared,
            raw_props,
            limits,
            clock: rubyerb::Clock::System,
            entropy: rubyerb::Entropy::System,
            file: ("", ""),
            file_name: OnceCell::new(),
            spec_obj: RefCell::new(None),
            props_obj: RefCell::new(None),
            name_v: OnceCell::new(),
            index_v: OnceCell::new(),
            pristine,
            handed: RefCell::default(),
            props_made: Rc::default(),
            props_out: Cell::new(false),
            links_out: Cell::new(false),
        }
    }

    /// What the template was given of the property tree, and the tree's copy from before
    /// it could change (see [`Handed::intact`]).
    pub(super) fn into_handed(self) -> (Handed, Option<Value>) {
        let mut handed = self.handed.into_inner();
        if self.props_made.get() {
            handed.whole();
        }
        (handed, self.pristine.get())
    }

    /// Notes a value `p` or `if_p` gave from the property tree.
    fn gave(&self, name: &Value, v: &Value, via: Via) {
        if matches!(v, Value::Hash(_) | Value::Array(_)) {
            self.props_out.set(true);
            self.spec_sees();
        }
        if !self.pristine.kept() {
            return;
        }
        if matches!(v, Value::Hash(_) | Value::Array(_)) {
            self.pristine.before_giving(&self.raw_props);
        }
        let pristine = self.pristine.borrow();
        self.handed
            .borrow_mut()
            .gave(pristine.as_ref(), name, v, via);
    }

    /// The links, or parts of them, are out to a template: `spec` shows them as they are
    /// now.
    fn links_handed(&self) {
        self.links_out.set(true);
        self.spec_sees();
    }

    /// Makes the spec object's property tree and links while they are as they were when
    /// `spec` was first called, once the template holds a part of them it could change.
    fn spec_sees(&self) {
        if let Some(spec) = &*self.spec_obj.borrow() {
            if self.props_out.get() {
                ostruct::field(spec, "properties");
            }
            if self.links_out.get() {
                ostruct::field(spec, "links");
            }
        }
    }

    /// The spec field `key` (`name` or `index`), the same object for the whole template.
    fn field(&self, key: &str) -> Value {
        let cell = if key == "name" {
            &self.name_v
        } else {
            &self.index_v
        };
        cell.get_or_init(|| match self.shared.fields().get(key) {
            Some(j) => rubyerb::from_json(j, false),
            None => Value::Nil,
        })
        .clone()
    }

    /// The spec object: the fields, the properties and the links, each converted when
    /// the template reads it (`spec_obj.rs`).
    fn spec(&self, cls: &Rc<rubyerb::value::Class>) -> Value {
        let source = SpecFields {
            json: self.shared.fields().clone(),
            name: self.field("name"),
            index: self.field("index"),
            props: self.raw_props.clone(),
            links: self.shared.links_cell().clone(),
            class: cls.clone(),
            props_made: self.props_made.clone(),
            pristine: self.pristine.clone(),
        };
        ostruct::lazy_ostruct(Box::new(source), true, cls)
    }
}

/// The API's own objects, carried as `ObjKind::Host`.
enum ApiObject {
    Link(LinkData),
    Instance(Value),
    /// The else-object of a failed `if_p`/`if_link`: its owner answers `else_if_p`.
    ElseActive(Value),
    ElseInactive,
}

struct LinkData {
    spec: Value,
    instances: Value,
    properties: Value,
}

fn api_object(it: &Interp, class: &str, obj: ApiObject) -> Value {
    Value::Object(Rc::new(Object {
        class: it.classes.get(class).unwrap(),
        ivars: RefCell::new(IndexMap::new()),
        kind: ObjKind::Host(Rc::new(obj)),
    }))
}

pub(super) fn hget(v: &Value, k: &str) -> Value {
    match v {
        Value::Hash(h) => h.borrow().get_str(k).cloned().unwrap_or(Value::Nil),
        _ => Value::Nil,
    }
}

/// `if_p` over a property tree; `owner` answers `else_if_p`.
fn if_p(it: &mut Interp, tree: &Value, owner: Value, c: &MethodCall, gave: Gave) -> R<Value> {
    let mut values = Vec::new();
    for n in c.args {
        let (v, via) = lookup_via(it, tree, n, c.f)?;
        if v.is_nil() {
            return Ok(else_obj(it, Some(owner)));
        }
        if let Some(gave) = gave {
            gave(n, &v, via);
        }
        values.push(v);
    }
    match &c.block {
        Some(b) => {
            it.call_block(b, values)?;
        }
        None => return it.err("LocalJumpError", "no block given (yield)"),
    }
    Ok(else_obj(it, None))
}

fn else_obj(it: &Interp, active_owner: Option<Value>) -> Value {
    match active_owner {
        Some(o) => api_object(
            it,
            "Bosh::Common::Template::EvaluationContext::ActiveElseBlock",
            ApiObject::ElseActive(o),
        ),
        None => api_object(
            it,
            "Bosh::Common::Template::EvaluationContext::InactiveElseBlock",
            ApiObject::ElseInactive,
        ),
    }
}

fn find_link(it: &mut Interp, links: &Value, name: &Value, f: &Frame) -> R<Option<Value>> {
    let ls = lookup(it, links, name, f)?;
    match &ls {
        Value::Hash(h) if h.borrow().get_str("instances").is_some() => Ok(Some(ls.clone())),
        _ => Ok(None),
    }
}

fn link_obj(it: &Interp, spec: Value) -> Value {
    let instances: Vec<Value> = match hget(&spec, "instances") {
        Value::Array(a) => a
            .borrow()
            .iter()
            .map(|i| {
                api_object(
                    it,
                    "Bosh::Common::Template::EvaluationLinkInstance",
                    ApiObject::Instance(i.clone()),
                )
            })
            .collect(),
        _ => vec![],
    };
    let properties = hget(&spec, "properties");
    let link = LinkData {
        spec,
        instances: Value::array(instances),
        properties,
    };
    api_object(
        it,
        "Bosh::Common::Template::EvaluationLink",
        ApiObject::Link(link),
    )
}

impl Host for Api<'_> {
    fn main_class(&self) -> &'static str {
        CONTEXT
    }

    fn classes(&self) -> ClassDecls {
        ClassDecls {
            classes: CLASSES,
            short: SHORT,
        }
    }

    fn methods(&self) -> &'static [&'static str] {
        METHODS
    }

    /// The director renders `ERB#result(context.get_binding)`.
    fn binding_method(&self) -> Option<&'static str> {
        Some("get_binding")
    }

    fn file_name(&self) -> Option<&str> {
        let (job, source) = self.file;
        Some(self.file_name.get_or_init(|| format!("{job}/{source}")))
    }

    /// The director's context keeps what its readers return in instance variables, and
    /// templates read those directly (`lookup_property(@raw_properties, ...)`): each is
    /// the same object as its reader's.
    fn ivar(&self, it: &mut Interp, f: &Frame, name: &str) -> R<Option<Value>> {
        let reader = match name {
            "@raw_properties" => "raw_properties",
            "@properties" => "properties",
            "@spec" => "spec",
            "@name" => "name",
            "@index" => "index",
            "@links" => {
                self.links_handed();
                return Ok(Some(match self.shared.links() {
                    Value::Nil => Value::hash(Default::default()),
                    links => links,
                }));
            }
            _ => return Ok(None),
        };
        let recv = it.ctx.clone();
        self.call_main(
            it,
            &MethodCall {
                recv: &recv,
                name: reader,
                args: &[],
                block: None,
                f,
            },
        )
    }

    fn ivars(&self) -> &'static [&'static str] {
        &[
            "@raw_properties",
            "@properties",
            "@spec",
            "@name",
            "@index",
            "@links",
        ]
    }

    fn clock(&self) -> rubyerb::Clock {
        self.clock
    }

    fn entropy(&self) -> rubyerb::Entropy {
        self.entropy
    }

    /// Methods called on the context (`self`), or `None` if `name` is not part of the API.
    fn call_main(&self, it: &mut Interp, c: &MethodCall) -> R<Option<Value>> {
        let MethodCall { name, args, f, .. } = *c;
        if matches!(name, "properties" | "raw_properties") {
            self.pristine.before_giving(&self.raw_props);
            self.handed.borrow_mut().whole();
        }
        if matches!(name, "raw_properties") {
            self.props_out.set(true);
            self.spec_sees();
        }
        if matches!(name, "link" | "if_link") {
            self.links_handed();
        }
        let gave = |n: &Value, v: &Value, via: Via| self.gave(n, v, via);
        let v = match name {
            "p" => p(it, &self.raw_props, args, f, Some(&gave))?,
            "if_p" => {
                let ctx = it.ctx.clone();
                if_p(it, &self.raw_props, ctx, c, Some(&gave))?
            }
            "link" => {
                let n = arg(args, 0);
                match find_link(it, &self.shared.links(), &n, f)? {
                    Some(ls) => link_obj(it, ls),
                    None => {
                        return it.err(
                            "Bosh::Common::Template::UnknownLink",
                            format!("Can't find link '{}'", format::to_s(&n)),
                        )
                    }
                }
            }
            "if_link" => {
                let n = arg(args, 0);
                match find_link(it, &self.shared.links(), &n, f)? {
                    Some(ls) => {
                        let l = link_obj(it, ls);
                        match &c.block {
                            Some(b) => {
                                it.call_block1(b, l)?;
                            }
                            None => return it.err("LocalJumpError", "no block given (yield)"),
                        }
                        else_obj(it, None)
                    }
                    None => {
                        let ctx = it.ctx.clone();
                        else_obj(it, Some(ctx))
                    }
                }
            }
            "spec" if args.is_empty() => {
                let made = self.spec_obj.borrow().clone();
                match made {
                    Some(spec) => spec,
                    None => {
                        let cls = it
                            .classes
                            .get("Bosh::Common::Template::EvaluationContext::BackCompatOpenStruct")
                            .unwrap();
                        let spec = self.spec(&cls);
                        *self.spec_obj.borrow_mut() = Some(spec.clone());
                        // what was out before is as it was when `spec` was first called
                        self.spec_sees();
                        spec
                    }
                }
            }
            "properties" if args.is_empty() => self
                .props_obj
                .borrow_mut()
                .get_or_insert_with(|| {
                    let cls = it.classes.get("OpenStruct").unwrap();
                    ostruct::to_ostruct(&self.raw_props, false, &cls)
                })
                .clone(),
            "raw_properties" => self.raw_props.clone(),
            "name" | "index" if args.is_empty() => self.field(name),
            "lookup_property" => lookup(it, &arg(args, 0), &arg(args, 1), f)?,
            _ => return Ok(None),
        };
        Ok(Some(v))
    }

    /// Methods of links, link instances and else-objects.
    fn call_object(&self, it: &mut Interp, data: &dyn Any, c: &MethodCall) -> R<Option<Value>> {
        let Some(obj) = data.downcast_ref::<ApiObject>() else {
            return Ok(None);
        };
        let MethodCall {
            recv,
            name,
            args,
            f,
            ..
        } = *c;
        let v = match obj {
            ApiObject::Link(l) => match name {
                "p" => p(it, &l.properties, args, f, None)?,
                "if_p" => if_p(it, &l.properties, recv.clone(), c, None)?,
                "instances" => l.instances.clone(),
                "properties" => l.properties.clone(),
                "address" => link_address(it, self.shared.dns(), &l.spec, &arg(args, 0))?,
                _ => return Ok(None),
            },
            ApiObject::Instance(h) => match name {
                "name" | "index" | "id" | "az" | "address" | "bootstrap" | "properties" => {
                    hget(h, name)
                }
                "p" => p(it, &hget(h, "properties"), args, f, None)?,
                "if_p" => if_p(it, &hget(h, "properties"), recv.clone(), c, None)?,
                _ => return Ok(None),
            },
            ApiObject::ElseActive(owner) => match name {
                "else" => match &c.block {
                    Some(b) => it.call_block(b, vec![])?,
                    None => return it.err("LocalJumpError", "no block given (yield)"),
                },
                "else_if_p" | "else_if_link" => it.call_method(
                    owner.clone(),
                    &name["else_".len()..],
                    args.to_vec(),
                    c.block.clone(),
                    f,
                )?,
                _ => return Ok(None),
            },
            ApiObject::ElseInactive => match name {
                "else" => Value::Nil,
                "else_if_p" | "else_if_link" => else_obj(it, None),
                _ => return Ok(None),
            },
        };
        Ok(Some(v))
    }
}
