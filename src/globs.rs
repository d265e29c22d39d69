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
}
