//! How roadlint tells whether two names are one person: owners, approvers
//! and sign-off trailers are compared after Unicode NFKC normalisation, case
//! folding and trimming (`Dana`, `DANA` and `ＤＡＮＡ` are one person), and a
//! trailer in git's `Name <email>` form names `Name`.

use unicode_normalization::UnicodeNormalization;

/// The person a name or trailer value names, in the form names are compared.
pub fn key(name: &str) -> String {
    let name = name.trim();
    let name = match name.strip_suffix('>').and_then(|n| n.rsplit_once(" <")) {
        Some((who, _email)) => who.trim(),
        None => name,
    };
    name.nfkc().flat_map(char::to_lowercase).collect()
}

/// Whether `a` and `b` name the same person.
pub fn same(a: &str, b: &str) -> bool {
    key(a) == key(b)
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
    }
}
