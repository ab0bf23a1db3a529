//! End-to-end tests of the `bale` binary: one test binary, one module per area.

mod blobs;
mod blobstore;
mod budgets;
mod ci_output;
mod commands;
mod compile;
mod compile_labels;
mod cooperate;
mod create;
mod deployment;
mod director;
mod distro_stemcell;
mod dry_run;
mod golden;
mod interpolate;
mod registry;
mod registry_consistency;
mod sandbox;
mod shipping;
mod stemcell;
mod support;
mod templates;
mod untrusted;
mod untrusted_blobs;
mod verify;
