//! The `bale` binary: everything happens in [`bale::cli::main`].

/// Rendering allocates and frees many small objects (Ruby values, tokens, AST nodes, YAML
/// events): with glibc's allocator, malloc and free were about a third of a template round.
/// Declared here and in the template bench rather than in the library, so that fuzz targets
/// keep the sanitizer's allocator.
#[global_allocator]
static ALLOC: bale_alloc::Allocator = bale_alloc::Allocator;

fn main() -> std::process::ExitCode {
    bale::cli::main(std::env::args_os())
}
