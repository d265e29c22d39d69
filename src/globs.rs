//! The `roadmap` globs: compiled the same way wherever roadmap files are
//! looked for (the work tree, the index, a commit's tree).

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// A `roadmap` glob that does not compile.
#[derive(Debug, thiserror::Error)]
#[error("invalid roadmap glob `{glob}`: {source}")]
pub(crate) struct GlobError {
    /// The glob.
    pub glob: String,
    /// Why.
    pub source: globset::Error,
}

/// Compile the `roadmap` globs; `*` does not cross `/`, `**` does.
pub(crate) fn compile(globs: &[String]) -> Result<GlobSet, GlobError> {
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

/// Glob lists [`compiled`] remembers at most (then it starts over).
const COMPILED_LISTS: usize = 64;

/// [`compile`], remembered for the life of the process: the same lists
/// (each `[[roadmap]]`'s `files`) are asked about for every file and every
/// change judged, and compiling one costs far more than matching. `None`
/// when a glob does not compile.
pub(crate) fn compiled(globs: &[String]) -> Option<std::sync::Arc<GlobSet>> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    type Lists = HashMap<Vec<String>, Option<Arc<GlobSet>>>;
    static LISTS: OnceLock<Mutex<Lists>> = OnceLock::new();
    let lists = LISTS.get_or_init(Mutex::default);
    if let Ok(lists) = lists.lock() {
        if let Some(set) = lists.get(globs) {
            return set.clone();
        }
    }
    let set = compile(globs).ok().map(Arc::new);
    if let Ok(mut lists) = lists.lock() {
        if lists.len() >= COMPILED_LISTS {
            lists.clear();
        }
        lists.insert(globs.to_vec(), set.clone());
    }
    set
}

/// Why a `roadmap` glob could select files outside the repository, if it
/// could: an absolute path, or a `..` component (also inside an alternation
/// or a class, which could spell one). Checked on the configuration before any
/// walk, and again by every walk.
pub(crate) fn escape_reason(glob: &str) -> Option<&'static str> {
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
pub(crate) fn literal_prefix(glob: &str) -> String {
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

/// Patterns matched against a whole text, case-insensitively, where `*`
/// stands for any run of characters and `?` for one, and every other
/// character is itself (`[bot]` is the text "[bot]", not a class): the
/// `ignore_authors` patterns, which people write with bots' names in mind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Wildcards {
    /// The patterns as written.
    patterns: Vec<String>,
    /// The same, lower-cased, as characters.
    folded: Vec<Vec<char>>,
}

impl Wildcards {
    /// Compile `patterns`.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Self {
        Wildcards {
            patterns: patterns.iter().map(|p| p.as_ref().to_string()).collect(),
            folded: patterns
                .iter()
                .map(|p| p.as_ref().to_lowercase().chars().collect())
                .collect(),
        }
    }

    /// Whether any pattern matches all of `text`.
    pub fn matches(&self, text: &str) -> bool {
        if self.folded.is_empty() {
            return false;
        }
        let text: Vec<char> = text.to_lowercase().chars().collect();
        self.folded.iter().any(|p| wildcard_match(p, &text))
    }
}

/// Whether `pattern` (`*`, `?`, literals) matches all of `text`: the greedy
/// two-pointer walk that backtracks only to the last `*`, linear in practice.
fn wildcard_match(pattern: &[char], text: &[char]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == '?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
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
    fn a_compiled_list_is_remembered_and_a_bad_one_is_none() {
        let list = vec!["team/a/*.toml".to_string(), "team/b/**".to_string()];
        let first = compiled(&list).expect("compiles");
        assert!(first.is_match("team/a/q1.toml") && first.is_match("team/b/x/y"));
        assert!(!first.is_match("team/a/x/q1.toml"));
        let again = compiled(&list).expect("compiles");
        assert!(std::sync::Arc::ptr_eq(&first, &again));
        assert!(compiled(&["team/[a.toml".to_string()]).is_none());
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

#[cfg(test)]
mod wildcard_tests {
    use super::*;

    #[test]
    fn bot_patterns_match_whole_names_case_insensitively_and_literally() {
        let w = Wildcards::new(&["*[bot]*", "*-bot", "renovate*", "a?c"]);
        assert!(w.matches("dependabot[bot]"));
        assert!(w.matches("Renovate[BOT]"));
        assert!(w.matches("release-bot"));
        assert!(w.matches("RENOVATE"));
        assert!(w.matches("abc"));
        assert!(!w.matches("b"), "[bot] is literal, not a class");
        assert!(!w.matches("abbot"));
        assert!(!w.matches("release-bot2"), "the whole text must match");
        assert!(!w.matches("abcd"));
        assert!(!Wildcards::default().matches(""));
        assert!(Wildcards::new(&["*"]).matches(""));
        assert!(Wildcards::new(&["a*b*c"]).matches("aXbYbZc"));
        assert!(!Wildcards::new(&["a*b*c"]).matches("aXbYbZ"));
    }
}
