//! `rstat completions SHELL`: prints a completion script for bash, zsh or fish (clap_complete),
//! for packages to install and users to source.

use std::process::ExitCode;

use clap::{Args, CommandFactory};
use clap_complete::Shell;

/// Print a shell completion script (bash, zsh, fish, elvish, powershell).
///
/// bash: rstat completions bash > /etc/bash_completion.d/rstat
/// zsh:  rstat completions zsh > /usr/share/zsh/vendor-completions/_rstat
/// fish: rstat completions fish > ~/.config/fish/completions/rstat.fish
#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to write completions for.
    #[arg(value_name = "SHELL")]
    shell: Shell,
}

pub fn run(args: CompletionsArgs) -> Result<ExitCode, String> {
    let mut command = crate::Cli::command();
    clap_complete::generate(args.shell, &mut command, "rstat", &mut std::io::stdout());
    Ok(ExitCode::SUCCESS)
}
