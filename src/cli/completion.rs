//! `bale completion SHELL`: a completion script for bash, zsh, fish, PowerShell or elvish,
//! generated from the same clap definitions that parse the arguments, so it never lists a
//! command or flag bale does not have.

use clap::Args;
use clap_complete::Shell;

#[derive(Args, Debug)]
pub struct CompletionArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The script for `args.shell`.
pub fn script(args: &CompletionArgs, cmd: &mut clap::Command) -> Vec<u8> {
    let name = cmd.get_name().to_string();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, cmd, name, &mut out);
    out
}

/// `bale completion SHELL`: the script on stdout (a closed pipe is not an error worth a
/// panic, as `clap_complete` writing there directly would make it).
pub fn run(args: &CompletionArgs, cmd: &mut clap::Command) -> std::process::ExitCode {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(&script(args, cmd)).and_then(|()| out.flush()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(_) => std::process::ExitCode::from(1),
    }
}
