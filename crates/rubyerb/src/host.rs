//! What an embedding application adds to the language: receiverless methods on the
//! template's `self`, objects of its own, and classes. The engine knows nothing else of its
//! host; a host that adds nothing is [`NoHost`].

use std::any::Any;

use super::classes::ClassDecls;
use super::interp::{Frame, Interp, R};
use super::value::Value;

/// One method call as dispatch sees it: the receiver, the method name, the evaluated
/// arguments, the block and the caller's frame.
#[derive(Clone)]
pub struct MethodCall<'c> {
    pub recv: &'c Value,
    pub name: &'c str,
    pub args: &'c [Value],
    pub block: Option<Value>,
    pub f: &'c Frame,
}

impl<'c> MethodCall<'c> {
    /// The same call under another name (a bang method answering through its copy).
    pub fn named<'d>(&'d self, name: &'d str) -> MethodCall<'d> {
        MethodCall {
            recv: self.recv,
            name,
            args: self.args,
            block: self.block.clone(),
            f: self.f,
        }
    }

    /// The same call on another receiver (a method answered as another class answers it).
    pub fn on<'d>(&'d self, recv: &'d Value) -> MethodCall<'d> {
        MethodCall {
            recv,
            name: self.name,
            args: self.args,
            block: self.block.clone(),
            f: self.f,
        }
    }

    /// The same call with other arguments (a method answering through another one).
    pub fn with_args<'d>(&'d self, args: &'d [Value]) -> MethodCall<'d> {
        MethodCall {
            recv: self.recv,
            name: self.name,
            args,
            block: self.block.clone(),
            f: self.f,
        }
    }
}

/// An instant: seconds and nanoseconds since 1970-01-01 00:00:00 UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    pub secs: i64,
    pub nanos: u32,
}

/// Where `Time.now` reads the time. The director renders with its real clock; a build that
/// must be reproducible fixes the time; an engine user that gives no clock keeps templates
/// off it (`Time.now` fails).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Clock {
    None,
    #[default]
    System,
    Fixed(Timestamp),
}

/// Where draws that a template did not seed come from (`rand` before `srand`,
/// `Random.new`, `shuffle`, `SecureRandom`). The director draws from the system, so its
/// output differs on every render; a render that must repeat fixes a seed; an engine user
/// that gives no source keeps templates off unseeded draws (they fail).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Entropy {
    None,
    #[default]
    System,
    /// Unseeded draws start as `srand(seed)` would start them.
    Seed(u64),
}

impl Entropy {
    /// A seed drawn now in place of the system's source: two renders that are compared
    /// then draw the same numbers, so randomness alone never makes them differ. Stays
    /// `System` when the system has no source to draw from.
    pub fn fixed(self) -> Entropy {
        let mut b = [0u8; 8];
        match self {
            Entropy::System => match system_random(&mut b) {
                Ok(()) => Entropy::Seed(u64::from_le_bytes(b)),
                Err(_) => Entropy::System,
            },
            other => other,
        }
    }
}

/// Bytes from the operating system's random source, as Ruby takes its seeds and
/// `SecureRandom`'s bytes. Small draws are served from a pool read a block at a time (a
/// template drawing a number per loop turn would otherwise open the source every turn);
/// bytes handed out are wiped from it.
pub(crate) fn system_random(buf: &mut [u8]) -> std::io::Result<()> {
    use std::cell::RefCell;
    use std::io::Read;
    const BLOCK: usize = 512;
    thread_local! {
        static POOL: RefCell<([u8; BLOCK], usize)> = const { RefCell::new(([0; BLOCK], BLOCK)) };
    }
    let read = |b: &mut [u8]| std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(b));
    if buf.len() > BLOCK / 8 {
        return read(buf);
    }
    POOL.with(|p| {
        let (pool, at) = &mut *p.borrow_mut();
        if BLOCK - *at < buf.len() {
            read(pool)?;
            *at = 0;
        }
        let taken = &mut pool[*at..*at + buf.len()];
        buf.copy_from_slice(taken);
        taken.fill(0);
        *at += buf.len();
        Ok(())
    })
}

pub trait Host {
    /// Class name of the template's `self` (Ruby's `main`), which also names the
    /// namespace of classes a template defines.
    fn main_class(&self) -> &'static str {
        "Object"
    }
    /// The method whose binding a template's top level runs in, which `__method__` there
    /// answers (the director's `get_binding`); `None` for a binding made at Ruby's top level.
    fn binding_method(&self) -> Option<&'static str> {
        None
    }
    /// The file name the template is evaluated under, which `__FILE__` answers and `__dir__`
    /// takes the directory of; `None` for ERB's default, `(erb)`.
    fn file_name(&self) -> Option<&str> {
        None
    }
    /// Classes the host's objects and errors belong to.
    fn classes(&self) -> ClassDecls {
        ClassDecls::NONE
    }
    /// Names the host answers on `self` (for `respond_to?`).
    fn methods(&self) -> &'static [&'static str] {
        &[]
    }
    /// The clock `Time.now` reads.
    fn clock(&self) -> Clock {
        Clock::None
    }
    /// Where draws no template seeded come from.
    fn entropy(&self) -> Entropy {
        Entropy::None
    }
    /// A call on `self` without receiver, before Kernel; `Ok(None)` if not the host's.
    fn call_main(&self, _it: &mut Interp, _c: &MethodCall) -> R<Option<Value>> {
        Ok(None)
    }
    /// An instance variable of `self` the template has not assigned: state the host keeps
    /// on its context object (the director's keeps the properties in `@raw_properties`,
    /// which templates read directly); `Ok(None)` is nil, as for any unset one.
    fn ivar(&self, _it: &mut Interp, _f: &Frame, _name: &str) -> R<Option<Value>> {
        Ok(None)
    }
    /// The names [`Host::ivar`] answers, so that `defined?(@x)` sees them without reading.
    fn ivars(&self) -> &'static [&'static str] {
        &[]
    }
    /// A call on an object the host made (`ObjKind::Host(data)`); `Ok(None)` for a
    /// method it does not have, which falls back to Object's methods.
    fn call_object(&self, _it: &mut Interp, _data: &dyn Any, _c: &MethodCall) -> R<Option<Value>> {
        Ok(None)
    }
}

/// A host adding nothing: templates see plain Ruby.
pub struct NoHost;

impl Host for NoHost {}
