//! The `roadmap` globs: compiled the same way wherever roadmap files are
//! looked for (the work tree, the index, a commit's tree).

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// A `roadmap` glob that does not compile.
#[derive(Debug, thiserror::Error)]
#[error("invalid roadmap glob `{glob}`: {source}")]
pub struct GlobError {
    /// The glob.
    pub glob: String,
    /// Why.
    pub source: globset::Error,
}

/// Compile the `roadmap` globs; `*` does not cross `/`, `**` does.
pub fn compile(globs: &[String]) -> Result<GlobSet, GlobError> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        let glob = GlobBuilder::new(g)
            .literal_separator(true)
            .build()
            .map_err(|source| GlobError {
                glob: g.clone(),
                source,
            })?;
        b.add(glob);
    }
    b.build().map_err(|source| GlobError {
        glob: globs.join(", "),
        source,
    })
}

/// Why a `roadmap` glob could select files outside the repository, if it
/// could: an absolute path, or a `..` component (also inside an alternation
/// or a class, which could spell one). Checked on the configuration before any
/// walk, and again by every walk.
pub fn escape_reason(glob: &str) -> Option<&'static str> {
    let b = glob.as_bytes();
    let drive = b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':';
    if glob.starts_with(['/', '\\']) || drive {
        return Some("it is an absolute path");
    }
    let leaves = glob
        .split(['/', '\\'])
        .any(|c| c == ".." || (c.contains("..") && c.contains(['{', '[', '*', '?'])));
    leaves.then_some("it has a `..` component")
}

/// The directory part of a glob before its first wildcard.
pub fn literal_prefix(glob: &str) -> String {
    let mut parts = Vec::new();
    let comps: Vec<&str> = glob.split('/').collect();
    for (i, c) in comps.iter().enumerate() {
        if i + 1 == comps.len() || c.contains(['*', '?', '[', '{', '\\']) {
            break;
        }
        parts.push(*c);
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_prefixes() {
        assert_eq!(literal_prefix("roadmap/**/*.toml"), "roadmap");
        assert_eq!(literal_prefix("plans/q/*.toml"), "plans/q");
        assert_eq!(literal_prefix("*.toml"), "");
        assert_eq!(literal_prefix("roadmap.toml"), "");
    }

    #[test]
    fn globs_that_could_leave_the_repository() {
        for g in [
            "../outside/*.toml",
            "roadmap/../../x/*.toml",
            "../**/*.toml",
            "/etc/*.toml",
            "\\\\server\\x.toml",
            "C:/x/*.toml",
            "{..,roadmap}/*.toml",
            "roadmap/..",
        ] {
            assert!(escape_reason(g).is_some(), "{g}");
        }
        for g in [
            "roadmap/**/*.toml",
            "*.toml",
            "plans/v1..2.toml",
            "./roadmap/*.toml",
        ] {
            assert_eq!(escape_reason(g), None, "{g}");
        }
    }
}
