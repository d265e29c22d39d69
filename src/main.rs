//! The `roadlint` binary: parse arguments, run a command, print, exit 0/1/2.

use clap::Parser;
use roadlint::app::{self, Outcome};
use roadlint::cli::{Cli, Command};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match &cli.command {
        None => app::check(&cli.check),
        Some(Command::Check(args)) => app::check(args),
        Some(Command::Approve(args)) => app::approve(args),
        Some(Command::Explain(args)) => app::explain(args),
        Some(Command::Rules(args)) => app::rules(args),
        Some(Command::Init(args)) => app::init(args),
        Some(Command::Schema(args)) => app::schema(args),
        Some(Command::Config(args)) => app::config(args),
        Some(Command::Completions(args)) => app::completions(args.shell),
        Some(Command::Man) => app::man(),
        Some(Command::CommitMsg(args)) => app::commit_msg(args),
        Some(Command::ReferenceTransaction(args)) => app::reference_transaction(args),
        Some(Command::Report(args)) => app::report(args),
        Some(Command::Server(args)) => app::server(args),
    };
    emit(outcome)
}

/// Print the outcome; a closed pipe (`roadlint … | head`) ends quietly.
fn emit(outcome: Outcome) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(outcome.stdout.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            let _ = writeln!(
                std::io::stderr(),
                "roadlint: error: cannot write output: {e}"
            );
            return ExitCode::from(2);
        }
    }
    if !outcome.stderr.is_empty() {
        let _ = std::io::stderr().write_all(outcome.stderr.as_bytes());
    }
    ExitCode::from(outcome.code)
}
