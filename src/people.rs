//! How roadlint tells whether two names are one person: owners, approvers
//! and sign-off trailers are compared after Unicode NFKC normalisation, full
//! case folding and trimming (`Dana`, `DANA` and `ＤＡＮＡ` are one person,
//! so are `Strauß` and `STRAUSS`, `Οδυσσέας` and `ΟΔΥΣΣΈΑΣ`), and a trailer in
//! git's `Name <email>` form names `Name`. It also knows which names are
//! written deceptively: an invisible or format character, letters of several
//! scripts in one name (a homoglyph, in any script), or two names of one
//! roadmap that differ but look the same (equal UTS #39 skeletons).

use unicode_normalization::UnicodeNormalization;

/// The person a name or trailer value names, in the form names are compared.
pub(crate) fn key(name: &str) -> String {
    let name = name.trim();
    let name = match name.strip_suffix('>').and_then(|n| n.rsplit_once(" <")) {
        Some((who, _email)) => who.trim(),
        None => name,
    };
    let folded = caseless::default_case_fold_str(&name.nfkc().collect::<String>());
    folded.nfkc().collect()
}

/// What a name looks like, for telling look-alikes apart: the UTS #39
/// skeleton of its [`key`], case-folded again because a skeleton's
/// prototypes may be capitals (`Ꮮee` and `lee` share one).
pub(crate) fn skeleton(name: &str) -> String {
    let shape: String = unicode_security::skeleton(&key(name)).collect();
    caseless::default_case_fold_str(&shape)
}

/// Whether `a` and `b` name the same person.
pub(crate) fn same(a: &str, b: &str) -> bool {
    key(a) == key(b)
}

/// What is wrong with how a name is written, if anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum NameProblem {
    /// The name holds an invisible or format character (Unicode `Cf` or
    /// `Cc`: a zero-width space, a bidi control, a tab …): two names that
    /// look the same would name different people. Each such character once,
    /// in order.
    Invisible(Vec<char>),
    /// The name mixes letters of several scripts, as a homoglyph does
    /// (`dаna` with a Cyrillic `а`, `օmar` with an Armenian `օ`). Latin
    /// written with Han, Hiragana, Katakana, Bopomofo or Hangul, as East
    /// Asian names are, is one writing system (UTS #39's highly restrictive
    /// level). The scripts found, in order of first appearance, and the first
    /// letter of the least used one.
    MixedScripts {
        /// The scripts, e.g. `["Latin", "Cyrillic"]`.
        scripts: Vec<&'static str>,
        /// A letter of the script the name holds least of.
        odd: char,
        /// That letter's script.
        odd_script: &'static str,
    },
}

/// Whether `c` is invisible or a format character (general category `Cf`
/// or `Cc`).
pub(crate) fn is_invisible(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory};
    matches!(
        get_general_category(c),
        GeneralCategory::Format | GeneralCategory::Control
    )
}

/// The script of a letter, by name; `None` for what belongs to every script
/// (digits, spaces, punctuation, combining marks).
fn script_of(c: char) -> Option<&'static str> {
    use unicode_script::{Script, UnicodeScript};
    match c.script() {
        Script::Common | Script::Inherited | Script::Unknown => None,
        s => Some(s.full_name()),
    }
}

/// Whether `scripts` are one writing system: a single script, or Latin with
/// the scripts East Asian names are written in.
fn one_writing_system(scripts: &[&str]) -> bool {
    const EAST_ASIAN: &[&[&str]] = &[
        &["Latin", "Han", "Hiragana", "Katakana"],
        &["Latin", "Han", "Bopomofo"],
        &["Latin", "Han", "Hangul"],
    ];
    scripts.len() < 2
        || EAST_ASIAN
            .iter()
            .any(|system| scripts.iter().all(|s| system.contains(s)))
}

/// What is wrong with a person's name as written: invisible characters
/// first (an error), else a mix of look-alike scripts (a warning).
pub(crate) fn problem(name: &str) -> Option<NameProblem> {
    let mut invisible: Vec<char> = Vec::new();
    for c in name.chars().filter(|c| is_invisible(*c)) {
        if !invisible.contains(&c) {
            invisible.push(c);
        }
    }
    if !invisible.is_empty() {
        return Some(NameProblem::Invisible(invisible));
    }
    // (script, letters of it, its first letter), in order of appearance.
    let mut seen: Vec<(&'static str, usize, char)> = Vec::new();
    for c in name.chars() {
        let Some(script) = script_of(c) else {
            continue;
        };
        match seen.iter_mut().find(|(s, ..)| *s == script) {
            Some(entry) => entry.1 += 1,
            None => seen.push((script, 1, c)),
        }
    }
    let scripts: Vec<&str> = seen.iter().map(|(s, ..)| *s).collect();
    if one_writing_system(&scripts) {
        return None;
    }
    let (odd_script, _, odd) = *seen.iter().rev().min_by_key(|(_, n, _)| *n)?;
    Some(NameProblem::MixedScripts {
        scripts: seen.iter().map(|(s, ..)| *s).collect(),
        odd,
        odd_script,
    })
}

/// A character as people can name it: `U+200B`.
pub(crate) fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// The name with every invisible character written as `<U+200B>`, so a
/// message can show where it is.
pub(crate) fn visible(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if is_invisible(c) {
            out.push('<');
            out.push_str(&code_point(c));
            out.push('>');
        } else {
            out.push(c);
        }
    }
    out
}

/// The name with its invisible characters removed: what to write instead.
pub(crate) fn without_invisible(name: &str) -> String {
    name.chars().filter(|c| !is_invisible(*c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_person_however_written() {
        assert!(same("Dana", "DANA"));
        assert!(same(" dana ", "ＤＡＮＡ"));
        assert!(same("Émile", "émile"));
        assert!(same("Dana <dana@example.com>", "dana"));
        assert!(!same("dana", "dan"));
        assert!(!same("Dana <x>", "x"));
        // Full case folding, not lower-casing.
        assert!(same("Strauß", "STRAUSS"));
        assert!(same("Οδυσσέας", "ΟΔΥΣΣΈΑΣ"));
        assert!(same("ﬀ", "FF"));
    }

    #[test]
    fn look_alikes_share_a_skeleton_and_others_do_not() {
        assert_eq!(skeleton("\u{13DE}ee"), skeleton("lee"));
        assert_eq!(skeleton("\u{585}mar"), skeleton("omar"));
        assert_eq!(skeleton("d\u{430}na"), skeleton("dana"));
        assert_ne!(skeleton("dana"), skeleton("dan"));
        assert_ne!(skeleton("lee"), skeleton("sam"));
    }

    /// (name, the problem expected): the rule table of [`problem`].
    const NAMES: &[(&str, Option<&str>)] = &[
        ("dana", None),
        ("Dana Scully", None),
        ("Émile Zola", None),
        ("ＤＡＮＡ", None),
        ("José García-Müller", None),
        ("Дмитрий", None),
        ("Σοφία", None),
        ("李 Li", None),
        ("o'brien 2", None),
        ("da\u{200B}na", Some("invisible U+200B")),
        ("\u{202E}anad", Some("invisible U+202E")),
        ("dana\u{2066}", Some("invisible U+2066")),
        ("da\u{AD}na", Some("invisible U+00AD")),
        ("\u{FEFF}dana", Some("invisible U+FEFF")),
        ("da\tna", Some("invisible U+0009")),
        ("da\u{7}na", Some("invisible U+0007")),
        ("d\u{200D}a\u{200D}na", Some("invisible U+200D")),
        ("d\u{430}na", Some("mixed Latin+Cyrillic odd а")),
        ("\u{43E}mar", Some("mixed Cyrillic+Latin odd о")),
        ("s\u{3BF}phia", Some("mixed Latin+Greek odd ο")),
        ("Ди\u{3BC}a", Some("mixed Cyrillic+Greek+Latin odd a")),
        ("\u{585}mar", Some("mixed Armenian+Latin odd օ")),
        ("\u{13DE}ee", Some("mixed Cherokee+Latin odd \u{13DE}")),
        ("山田 たろう", None),
        ("김 Kim", None),
        ("ᏣᎳᎩ", None),
        ("Օմար", None),
    ];

    fn shown(p: &NameProblem) -> String {
        match p {
            NameProblem::Invisible(cs) => format!("invisible {}", code_point(cs[0])),
            NameProblem::MixedScripts { scripts, odd, .. } => {
                format!("mixed {} odd {odd}", scripts.join("+"))
            }
        }
    }

    #[test]
    fn names_table() {
        for (name, want) in NAMES {
            let got = problem(name).map(|p| shown(&p));
            assert_eq!(got.as_deref(), *want, "{name}");
        }
    }

    #[test]
    fn invisible_characters_are_shown_and_removable() {
        let name = "da\u{200B}na\u{202E}";
        assert_eq!(visible(name), "da<U+200B>na<U+202E>");
        assert_eq!(without_invisible(name), "dana");
        assert_eq!(visible("dana"), "dana");
    }
}
