//! The built-in classes and modules a template can name: core classes, the exception
//! hierarchy (which `rescue` walks), the standard library modules templates use, and the
//! classes the host declares (see [`crate::Host::classes`]).

use std::cell::RefCell;
use std::rc::Rc;

use super::value::Class;

/// (name, superclass, is_module)
const BUILTINS: &[(&str, &str, bool)] = &[
    ("BasicObject", "", false),
    ("Object", "BasicObject", false),
    ("Module", "Object", false),
    ("Class", "Module", false),
    ("Kernel", "", true),
    ("Comparable", "", true),
    ("Enumerable", "", true),
    ("Numeric", "Object", false),
    ("Integer", "Numeric", false),
    ("Float", "Numeric", false),
    ("Complex", "Numeric", false),
    ("String", "Object", false),
    ("Symbol", "Object", false),
    ("Array", "Object", false),
    ("Hash", "Object", false),
    ("Range", "Object", false),
    ("Regexp", "Object", false),
    ("MatchData", "Object", false),
    ("Proc", "Object", false),
    ("NilClass", "Object", false),
    ("TrueClass", "Object", false),
    ("FalseClass", "Object", false),
    ("Struct", "Object", false),
    ("OpenStruct", "Object", false),
    ("Set", "Object", false),
    ("JSON::Ext::Generator::GeneratorMethods::Object", "", true),
    ("JSON::Ext::Generator::GeneratorMethods::Integer", "", true),
    ("JSON::Ext::Generator::GeneratorMethods::Float", "", true),
    ("JSON::Ext::Generator::GeneratorMethods::String", "", true),
    ("JSON::Ext::Generator::GeneratorMethods::Array", "", true),
    ("JSON::Ext::Generator::GeneratorMethods::Hash", "", true),
    ("JSON::Ext::Generator::GeneratorMethods::NilClass", "", true),
    (
        "JSON::Ext::Generator::GeneratorMethods::TrueClass",
        "",
        true,
    ),
    (
        "JSON::Ext::Generator::GeneratorMethods::FalseClass",
        "",
        true,
    ),
    ("Math", "", true),
    // the namespace of the encoding errors (`rescue Encoding::CompatibilityError`)
    ("Encoding", "Object", false),
    ("JSON", "", true),
    ("YAML", "", true),
    ("Psych", "", true),
    ("Base64", "", true),
    ("Digest", "", true),
    ("Digest::Class", "Object", false),
    ("Digest::Base", "Digest::Class", false),
    ("Digest::SHA1", "Digest::Base", false),
    ("Digest::SHA256", "Digest::Base", false),
    ("Digest::SHA512", "Digest::Base", false),
    ("Digest::SHA384", "Digest::Base", false),
    ("Digest::MD5", "Digest::Base", false),
    ("Digest::SHA2", "Digest::Class", false),
    ("OpenSSL", "", true),
    ("OpenSSL::Digest", "Digest::Class", false),
    ("OpenSSL::Digest::SHA1", "OpenSSL::Digest", false),
    ("OpenSSL::Digest::SHA256", "OpenSSL::Digest", false),
    ("OpenSSL::Digest::SHA384", "OpenSSL::Digest", false),
    ("OpenSSL::Digest::SHA512", "OpenSSL::Digest", false),
    ("OpenSSL::Digest::MD5", "OpenSSL::Digest", false),
    ("OpenSSL::HMAC", "Object", false),
    ("OpenSSL::X509", "", true),
    ("OpenSSL::X509::Certificate", "Object", false),
    ("OpenSSL::X509::Extension", "Object", false),
    ("OpenSSL::X509::Name", "Object", false),
    ("IPAddr", "Object", false),
    ("Enumerator", "Object", false),
    ("Enumerator::Lazy", "Enumerator", false),
    ("Enumerator::ArithmeticSequence", "Enumerator", false),
    ("Method", "Object", false),
    ("URI", "", true),
    ("URI::Generic", "Object", false),
    ("URI::HTTP", "URI::Generic", false),
    ("URI::HTTPS", "URI::HTTP", false),
    ("URI::FTP", "URI::Generic", false),
    ("URI::File", "URI::Generic", false),
    ("URI::LDAP", "URI::Generic", false),
    ("URI::LDAPS", "URI::LDAP", false),
    ("URI::MailTo", "URI::Generic", false),
    ("URI::WS", "URI::Generic", false),
    ("URI::WSS", "URI::WS", false),
    ("ERB", "Object", false),
    ("ERB::Util", "", true),
    ("CGI", "Object", false),
    ("Shellwords", "", true),
    ("SecureRandom", "", true),
    ("Random", "Object", false),
    ("Time", "Object", false),
    ("Zlib", "", true),
    ("Zlib::GzipReader", "Object", false),
    ("Zlib::Inflate", "Object", false),
    ("Zlib::GzipFile", "Object", false),
    ("File", "Object", false),
    ("Dir", "Object", false),
    ("StringIO", "Object", false),
    ("Exception", "Object", false),
    ("BudgetExceeded", "Exception", false),
    ("ScriptError", "Exception", false),
    ("NotImplementedError", "ScriptError", false),
    ("LoadError", "ScriptError", false),
    ("SyntaxError", "ScriptError", false),
    ("SystemExit", "Exception", false),
    ("NoMemoryError", "Exception", false),
    ("SecurityError", "Exception", false),
    ("SystemStackError", "Exception", false),
    ("StandardError", "Exception", false),
    ("RuntimeError", "StandardError", false),
    ("FrozenError", "RuntimeError", false),
    ("ArgumentError", "StandardError", false),
    ("UncaughtThrowError", "ArgumentError", false),
    ("TypeError", "StandardError", false),
    ("NameError", "StandardError", false),
    ("NoMethodError", "NameError", false),
    ("IndexError", "StandardError", false),
    ("KeyError", "IndexError", false),
    ("StopIteration", "IndexError", false),
    ("RangeError", "StandardError", false),
    ("FloatDomainError", "RangeError", false),
    ("Math::DomainError", "ArgumentError", false),
    ("ZeroDivisionError", "StandardError", false),
    ("LocalJumpError", "StandardError", false),
    ("RegexpError", "StandardError", false),
    ("EncodingError", "StandardError", false),
    ("Encoding::UndefinedConversionError", "EncodingError", false),
    ("Encoding::CompatibilityError", "EncodingError", false),
    ("Zlib::Error", "StandardError", false),
    ("Zlib::DataError", "Zlib::Error", false),
    ("Zlib::GzipFile::Error", "Zlib::Error", false),
    ("IOError", "StandardError", false),
    ("Errno::ENOENT", "StandardError", false),
    ("JSON::JSONError", "StandardError", false),
    ("JSON::ParserError", "JSON::JSONError", false),
    ("JSON::NestingError", "JSON::ParserError", false),
    ("JSON::GeneratorError", "JSON::JSONError", false),
    ("Psych::Exception", "RuntimeError", false),
    ("Psych::SyntaxError", "Psych::Exception", false),
    ("Psych::DisallowedClass", "Psych::Exception", false),
    ("Psych::BadAlias", "Psych::Exception", false),
    ("Psych::AliasesNotEnabled", "Psych::BadAlias", false),
    ("IPAddr::Error", "ArgumentError", false),
    ("IPAddr::InvalidAddressError", "IPAddr::Error", false),
    ("IPAddr::AddressFamilyError", "IPAddr::Error", false),
    (
        "IPAddr::InvalidPrefixError",
        "IPAddr::InvalidAddressError",
        false,
    ),
    ("URI::Error", "StandardError", false),
    ("OpenSSL::OpenSSLError", "StandardError", false),
    (
        "OpenSSL::X509::CertificateError",
        "OpenSSL::OpenSSLError",
        false,
    ),
    (
        "OpenSSL::X509::ExtensionError",
        "OpenSSL::OpenSSLError",
        false,
    ),
    ("OpenSSL::X509::NameError", "OpenSSL::OpenSSLError", false),
    ("URI::InvalidURIError", "URI::Error", false),
    ("URI::InvalidComponentError", "URI::Error", false),
];

/// The modules each built-in class includes, the last included first, as `ancestors` lists
/// them in Ruby 3.1 with `json` loaded (as the director has it): what `is_a?`, `===`, `<`
/// and `ancestors` see besides the superclasses.
const INCLUDES: &[(&str, &[&str])] = &[
    (
        "Object",
        &["JSON::Ext::Generator::GeneratorMethods::Object", "Kernel"],
    ),
    ("Numeric", &["Comparable"]),
    (
        "Integer",
        &["JSON::Ext::Generator::GeneratorMethods::Integer"],
    ),
    ("Float", &["JSON::Ext::Generator::GeneratorMethods::Float"]),
    (
        "String",
        &[
            "JSON::Ext::Generator::GeneratorMethods::String",
            "Comparable",
        ],
    ),
    ("Symbol", &["Comparable"]),
    (
        "Array",
        &[
            "JSON::Ext::Generator::GeneratorMethods::Array",
            "Enumerable",
        ],
    ),
    (
        "Hash",
        &["JSON::Ext::Generator::GeneratorMethods::Hash", "Enumerable"],
    ),
    (
        "NilClass",
        &["JSON::Ext::Generator::GeneratorMethods::NilClass"],
    ),
    (
        "TrueClass",
        &["JSON::Ext::Generator::GeneratorMethods::TrueClass"],
    ),
    (
        "FalseClass",
        &["JSON::Ext::Generator::GeneratorMethods::FalseClass"],
    ),
    ("Range", &["Enumerable"]),
    ("Struct", &["Enumerable"]),
    ("Set", &["Enumerable"]),
    ("Enumerator", &["Enumerable"]),
];

/// The modules the class `name` includes itself (not through its superclasses).
pub fn included(name: &str) -> &'static [&'static str] {
    INCLUDES
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(&[], |(_, m)| *m)
}

/// Names every template resolves to another class.
const SHORT: &[(&str, &str)] = &[("Fixnum", "Integer"), ("Bignum", "Integer")];

type Table = Rc<ClassMap>;

/// Looked up by every constant a template names and every exception it raises.
type ClassMap = std::collections::HashMap<&'static str, Rc<Class>, super::value::FxBuild>;

/// Classes a host adds to the built-in ones.
#[derive(Clone, Copy)]
pub struct ClassDecls {
    /// (path, superclass path or `""`, is_module), superclasses first.
    pub classes: &'static [(&'static str, &'static str, bool)],
    /// Short names the host's templates resolve without qualification: (short, path).
    pub short: &'static [(&'static str, &'static str)],
}

impl ClassDecls {
    pub const NONE: ClassDecls = ClassDecls {
        classes: &[],
        short: &[],
    };
}

pub struct Classes {
    map: Table,
    decls: ClassDecls,
}

thread_local! {
    /// Tables by the address of the host's declarations.
    static SHARED: RefCell<Vec<(usize, Table)>> = const { RefCell::new(Vec::new()) };
}

impl Classes {
    /// The built-in classes never change (a template's own classes live in the main
    /// object's class), so one table is built per thread and host and shared by every render.
    pub fn new(decls: ClassDecls) -> Classes {
        let key = decls.classes.as_ptr() as usize;
        let map = SHARED.with(|s| {
            let mut s = s.borrow_mut();
            if let Some((_, t)) = s.iter().find(|(k, _)| *k == key) {
                return t.clone();
            }
            let t = Rc::new(build(decls.classes));
            s.push((key, t.clone()));
            t
        });
        Classes { map, decls }
    }

    /// Whether the host declared `name` (its modules see top-level constants, as Ruby's
    /// lexical scope lets the host's code see them).
    pub fn is_host(&self, name: &str) -> bool {
        self.decls.classes.iter().any(|(n, _, _)| *n == name)
    }

    pub fn get(&self, name: &str) -> Option<Rc<Class>> {
        if let Some(c) = self.map.get(name) {
            return Some(c.clone());
        }
        SHORT
            .iter()
            .chain(self.decls.short)
            .find(|(s, _)| *s == name)
            .and_then(|(_, full)| self.map.get(full).cloned())
    }
}

fn build(host: &[(&'static str, &'static str, bool)]) -> ClassMap {
    let mut map = ClassMap::default();
    for (name, sup, module) in BUILTINS.iter().chain(host) {
        let superclass = if sup.is_empty() {
            None
        } else {
            map.get(sup).cloned()
        };
        let mut c = Class::new_user(name, superclass, *module);
        c.builtin = true;
        map.insert(name, Rc::new(c));
    }
    map
}
