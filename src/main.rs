//! The `bale` binary: everything happens in [`bale::cli::main`].

fn main() -> std::process::ExitCode {
    bale::cli::main(std::env::args_os())
}
