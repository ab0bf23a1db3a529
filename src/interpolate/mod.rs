//! `bale interpolate`: the `bosh interpolate` pipeline. The manifest is read as yaml.v2 reads
//! it (`load`), ops files are applied in order (`opsfile`, `ops`, `pointer`), `((vars))` are
//! filled from flags and an optional store that generates typed variables (`vars`, `sources`,
//! `store`, `generate`), `--path` picks a value, and the result is written with yaml.v2's bytes
//! (`emit`). Errors keep the CLI's nesting (`failure`).

pub mod der;
pub mod emit;
pub mod failure;
pub mod generate;
pub mod load;
pub mod node;
pub mod ops;
pub mod opsfile;
pub mod order;
pub mod pointer;
pub mod resolve;
pub mod scalar_style;
pub mod sources;
pub mod store;
pub mod vars;

use failure::Failure;
use node::{Map, Node};
use opsfile::Op;
use pointer::Pointer;
use vars::{Options, Source, Vars};

#[cfg(doc)]
use vars::StaticVars;

pub struct Request<'a> {
    pub manifest: &'a str,
    pub ops: Vec<Op>,
    /// Command-line values, dotted names already nested ([`StaticVars::processed`]).
    pub statics: Map,
    pub store: Option<&'a mut dyn Source>,
    pub expect_all_found: bool,
    pub expect_all_used: bool,
    pub path: Option<&'a Pointer>,
}

/// The bytes `bosh interpolate` prints on success.
pub fn evaluate(req: Request<'_>) -> Result<String, Failure> {
    let mut doc = load::load(req.manifest).map_err(|e| Failure::leaf(e.to_string()))?;
    for op in req.ops {
        op.apply(&mut doc)
            .map_err(|e| Failure::leaf(e.to_string()))?;
    }
    let mut vars = Vars {
        statics: req.statics,
        store: req.store,
    };
    let doc = vars::interpolate_root(
        doc,
        &mut vars,
        &Options {
            expect_all_found: req.expect_all_found,
            expect_all_used: req.expect_all_used,
        },
    )?;
    let doc = match req.path {
        Some(p) => ops::find(&doc, p).map_err(|e| Failure::leaf(e.to_string()))?,
        None => doc,
    };
    if req.path.is_some() {
        // The CLI prints a string found by --path as is, so keys and certificates come out
        // unindented.
        if let Node::Str(s) = &doc {
            return Ok(format!("{s}\n"));
        }
    }
    Ok(emit::to_yaml(&doc))
}
