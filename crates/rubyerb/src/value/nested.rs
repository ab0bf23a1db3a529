//! Deeply nested values. A template's loop can nest arrays and hashes a million levels
//! deep (`x << y; x = y`), within its step budget. Dropping such a value, or walking it
//! (`==`, `<=>`, hash keys, `flatten`, `to_yaml`), recursed once per level past any native
//! stack. Here drops are iterative, and walks count their levels: past a limit a walk
//! stops and the template gets Ruby's `SystemStackError` (Ruby's own recursion gives up
//! between ten and a hundred thousand levels).

use std::cell::{Cell, RefCell};

use super::{ObjKind, Object, RHash, Value};

/// Levels a walk over nested values may go down.
pub const MAX_LEVELS: usize = 10_000;

/// Levels of a hash key made of arrays and hashes: keys are compared, hashed and dropped
/// by recursion of their own, so they stay shallow enough for any stack.
pub const MAX_KEY_LEVELS: usize = 1_000;

thread_local! {
    static LEVEL: Cell<usize> = const { Cell::new(0) };
    static OVER: Cell<bool> = const { Cell::new(false) };
    static DROPPING: Cell<bool> = const { Cell::new(false) };
    /// Arrays, hashes, ranges and objects being dropped inside one another.
    static DROP_DEPTH: Cell<usize> = const { Cell::new(0) };
    static PENDING: RefCell<Vec<Value>> = const { RefCell::new(Vec::new()) };
}

/// One level further down a walk, on more native stack when it runs low; `None` past `max`
/// levels, with the walk marked too deep (see [`too_deep`]).
#[inline]
pub fn level<T>(max: usize, f: impl FnOnce() -> T) -> Option<T> {
    let l = LEVEL.get();
    if l >= max {
        OVER.set(true);
        return None;
    }
    LEVEL.set(l + 1);
    // the stack is looked at every sixteenth level: the red zone holds sixteen levels of
    // any walk many times over
    let r = if l.is_multiple_of(16) {
        stacker::maybe_grow(64 << 10, 1 << 20, f)
    } else {
        f()
    };
    LEVEL.set(l);
    Some(r)
}

/// Whether a walk went past its levels since the last call (which forgets it): the
/// interpreter raises `SystemStackError` for it.
pub fn too_deep() -> bool {
    OVER.replace(false)
}

/// An array's elements, in the cell strings and hashes have too; dropped without
/// recursing into nested arrays and hashes.
#[derive(Default)]
pub struct RArray(RefCell<Vec<Value>>);

impl RArray {
    pub fn new(v: Vec<Value>) -> RArray {
        RArray(RefCell::new(v))
    }
}

impl std::ops::Deref for RArray {
    type Target = RefCell<Vec<Value>>;
    fn deref(&self) -> &RefCell<Vec<Value>> {
        &self.0
    }
}

impl Drop for RArray {
    fn drop(&mut self) {
        if shallow() {
            return one_level(|| drop(std::mem::take(self.0.get_mut())));
        }
        let items = std::mem::take(self.0.get_mut());
        drop_values(items);
    }
}

impl Drop for RHash {
    fn drop(&mut self) {
        if shallow() {
            return one_level(|| {
                drop(std::mem::take(&mut self.map));
                drop(std::mem::take(&mut self.default));
                drop(self.default_proc.take());
            });
        }
        let map = std::mem::take(&mut self.map);
        let default = std::mem::take(&mut self.default);
        drop_values(
            map.into_iter()
                .flat_map(|(_, (k, v))| [k, v])
                .chain(std::iter::once(default)),
        );
    }
}

/// A range's ends and whether it leaves out its end (`...`); a range of ranges nests too.
pub struct RRange(pub Value, pub Value, pub bool);

impl Drop for RRange {
    fn drop(&mut self) {
        if shallow() {
            return one_level(|| {
                drop(std::mem::take(&mut self.0));
                drop(std::mem::take(&mut self.1));
            });
        }
        let (a, b) = (std::mem::take(&mut self.0), std::mem::take(&mut self.1));
        drop_values([a, b]);
    }
}

/// An object's instance variables and an OpenStruct's fields (`x.n = y` in a loop).
impl Drop for Object {
    fn drop(&mut self) {
        if shallow() {
            return one_level(|| {
                drop(std::mem::take(self.ivars.get_mut()));
                if let ObjKind::OStruct(f, _) = &mut self.kind {
                    drop(f.take());
                }
                drop(held(&mut self.kind));
            });
        }
        let ivars = std::mem::take(self.ivars.get_mut());
        let fields = match &mut self.kind {
            ObjKind::OStruct(f, _) => f.take(),
            _ => Default::default(),
        };
        let (recv, args) = held(&mut self.kind);
        drop_values(
            ivars
                .into_values()
                .chain(fields.into_values())
                .chain(recv)
                .chain(args),
        );
    }
}

/// What an enumerator or a Method holds (its receiver, an enumerator's arguments), taken
/// out: a template can nest them as deep as its loop runs (`e = e.each`, `m = m.method(:call)`).
/// Nothing is allocated for it: enumerators are made and dropped in many templates' loops.
fn held(kind: &mut ObjKind) -> (Option<Value>, Vec<Value>) {
    match kind {
        ObjKind::Enumerator(r, _, a) => (Some(std::mem::replace(r, Value::Nil)), std::mem::take(a)),
        ObjKind::Method(r, _) => (Some(std::mem::replace(r, Value::Nil)), Vec::new()),
        _ => (None, Vec::new()),
    }
}

/// Drops within this many levels of one another recurse, as Rust's own drops do (most
/// values: a template's data is a few levels deep); a drop past them hands what it holds
/// to one loop.
const SHALLOW: usize = 64;

/// Whether a drop here may recurse: fewer than [`SHALLOW`] drops are under way, and no loop.
#[inline]
fn shallow() -> bool {
    !DROPPING.get() && DROP_DEPTH.get() < SHALLOW
}

/// Runs `drop`, which drops what a value holds (leaving nothing in it to recurse into),
/// one level deeper.
#[inline]
fn one_level(drop: impl FnOnce()) {
    let d = DROP_DEPTH.get();
    DROP_DEPTH.set(d + 1);
    drop();
    DROP_DEPTH.set(d);
}

/// Whether dropping `v` may drop values it holds in turn.
fn nests(v: &Value) -> bool {
    matches!(
        v,
        Value::Array(_) | Value::Hash(_) | Value::Range(_) | Value::Object(_) | Value::Proc(_)
    )
}

/// Drops `items` in one loop: an array or hash dropped while it runs hands its own
/// elements back to it instead of dropping them by recursion. Flat lists (most) are
/// dropped as they are.
fn drop_values(items: impl IntoIterator<Item = Value>) {
    // (collected before the pending list is borrowed: what the filter drops may drop an
    // array in turn)
    let mut stack: Vec<Value> = items.into_iter().filter(nests).collect();
    if stack.is_empty() {
        return;
    }
    if DROPPING.get() {
        PENDING.with(|p| p.borrow_mut().append(&mut stack));
        return;
    }
    DROPPING.set(true);
    while let Some(v) = stack.pop() {
        drop(v);
        PENDING.with(|p| stack.append(&mut p.borrow_mut()));
    }
    DROPPING.set(false);
}
