//! `roadlint schema`, `completions` and `man`: text generated from the types.

use super::Outcome;

/// `roadlint schema [--config]`.
pub fn schema(args: &crate::cli::SchemaArgs) -> Outcome {
    if args.config {
        let mut s = serde_json::to_string_pretty(&crate::config::json_schema()).unwrap_or_default();
        s.push('\n');
        Outcome::ok(s)
    } else {
        Outcome::ok(crate::schema::json_schema())
    }
}

/// `roadlint completions SHELL`.
pub fn completions(shell: clap_complete::Shell) -> Outcome {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::Cli::command(), "roadlint", &mut out);
    Outcome::ok(String::from_utf8_lossy(&out).into_owned())
}

/// `roadlint man`: the man page, in roff.
pub fn man() -> Outcome {
    use clap::CommandFactory;
    let mut out = Vec::new();
    match clap_mangen::Man::new(crate::cli::Cli::command()).render(&mut out) {
        Ok(()) => Outcome::ok(String::from_utf8_lossy(&out).into_owned()),
        Err(e) => Outcome::fail(format!("cannot render the man page: {e}")),
    }
}
