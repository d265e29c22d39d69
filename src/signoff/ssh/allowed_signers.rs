//! git's allowed-signers format, read by our own small parser.
//!
//! A line is `principals [options] keytype base64 [comment]`: the principals
//! a comma-separated list (optionally in double quotes), the options a
//! comma-separated list of `cert-authority`, `namespaces="…"`,
//! `valid-after="…"` and `valid-before="…"`. Blank lines and `#` comments
//! are skipped. A line that does not parse is kept as a problem with its
//! line number rather than failing the whole file: one typo must not lock a
//! team out, and the diagnostic can point at it.

use ssh_key::public::KeyData;

/// One usable line of an allowed-signers file.
#[derive(Clone, Debug)]
pub(crate) struct Signer {
    /// The 1-based line it is on.
    pub(crate) line: usize,
    /// Its principals, as written.
    pub(crate) principals: Vec<String>,
    /// `namespaces=`, when present: the only namespaces the key signs for.
    pub(crate) namespaces: Option<Vec<String>>,
    /// `valid-after=`, in Unix seconds (UTC when no zone is written).
    pub(crate) valid_after: Option<i64>,
    /// `valid-before=`, in Unix seconds.
    pub(crate) valid_before: Option<i64>,
    /// The public key.
    pub(crate) key: KeyData,
}

/// An allowed-signers file: its usable lines and what was wrong with others.
#[derive(Clone, Debug, Default)]
pub(crate) struct AllowedSigners {
    /// The lines that list a key for principals.
    pub(crate) signers: Vec<Signer>,
    /// Lines with `cert-authority` (not supported): ignored for verification.
    pub(crate) cert_authority: Vec<usize>,
    /// Lines that do not parse: (line, why).
    pub(crate) problems: Vec<(usize, String)>,
}

impl AllowedSigners {
    /// Parse the text of an allowed-signers file.
    pub(crate) fn parse(text: &str) -> AllowedSigners {
        let mut out = AllowedSigners::default();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match parse_line(line) {
                Ok(Parsed::Signer(mut s)) => {
                    s.line = i + 1;
                    out.signers.push(*s);
                }
                Ok(Parsed::CertAuthority) => out.cert_authority.push(i + 1),
                Err(why) => out.problems.push((i + 1, why)),
            }
        }
        out
    }

    /// The lines that list `key`.
    pub(crate) fn lines_of<'a>(&'a self, key: &'a KeyData) -> impl Iterator<Item = &'a Signer> {
        self.signers.iter().filter(move |s| &s.key == key)
    }
}

/// What one line holds.
enum Parsed {
    Signer(Box<Signer>),
    CertAuthority,
}

/// Split off the first field of `s`, honouring double quotes.
fn field(s: &str) -> Option<(&str, &str)> {
    let s = s.trim_start();
    if s.is_empty() {
        return None;
    }
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => return Some((&s[..i], &s[i..])),
            _ => {}
        }
    }
    Some((s, ""))
}

/// Whether `s` names a public key type.
fn is_key_type(s: &str) -> bool {
    s.starts_with("ssh-") || s.starts_with("ecdsa-") || s.starts_with("sk-")
}

fn parse_line(line: &str) -> Result<Parsed, String> {
    let (principals, rest) = field(line).ok_or("an empty line")?;
    let principals: Vec<String> = principals
        .trim_matches('"')
        .split(',')
        .map(|p| p.trim().trim_matches('"'))
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    if principals.is_empty() {
        return Err("no principal".into());
    }
    let (mut next, mut rest) = field(rest).ok_or("no public key after the principals")?;
    let mut signer = Signer {
        line: 0,
        principals,
        namespaces: None,
        valid_after: None,
        valid_before: None,
        key: KeyData::Ed25519(ssh_key::public::Ed25519PublicKey([0; 32])),
    };
    if !is_key_type(next) {
        for option in split_options(next) {
            let (name, value) = match option.split_once('=') {
                Some((n, v)) => (n.trim(), Some(v.trim().trim_matches('"'))),
                None => (option.trim(), None),
            };
            match (name.to_ascii_lowercase().as_str(), value) {
                ("cert-authority", None) => return Ok(Parsed::CertAuthority),
                ("namespaces", Some(v)) => {
                    signer.namespaces = Some(v.split(',').map(|n| n.trim().to_string()).collect());
                }
                ("valid-after", Some(v)) => signer.valid_after = Some(timestamp(v)?),
                ("valid-before", Some(v)) => signer.valid_before = Some(timestamp(v)?),
                _ => return Err(format!("unknown option `{option}`")),
            }
        }
        (next, rest) = field(rest).ok_or("no public key after the options")?;
    }
    let blob = field(rest)
        .map(|(b, _)| b)
        .ok_or("no key data after the key type")?;
    let key = ssh_key::PublicKey::from_openssh(&format!("{next} {blob}"))
        .map_err(|e| format!("the public key does not parse ({e})"))?;
    signer.key = key.key_data().clone();
    Ok(Parsed::Signer(Box::new(signer)))
}

/// The options of a line, split on commas outside quotes.
fn split_options(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// `YYYYMMDD[HHMM[SS]][Z]` as Unix seconds; without a zone it is UTC
/// (SPEC §9.4: a check must not depend on the machine's time zone).
pub(crate) fn timestamp(v: &str) -> Result<i64, String> {
    let bad = || format!("`{v}` is not a time (YYYYMMDD[HHMM[SS]][Z])");
    let digits = v.strip_suffix(['Z', 'z']).unwrap_or(v);
    if !digits.bytes().all(|b| b.is_ascii_digit()) || ![8, 12, 14].contains(&digits.len()) {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| digits.get(r).map_or(Ok(0), str::parse::<i64>);
    let (y, mo, d) = (num(0..4), num(4..6), num(6..8));
    let (h, mi, s) = (num(8..10), num(10..12), num(12..14));
    let (Ok(y), Ok(mo), Ok(d), Ok(h), Ok(mi), Ok(s)) = (y, mo, d, h, mi, s) else {
        return Err(bad());
    };
    let date = crate::calendar::Date::new(y as i32, mo as u8, d as u8).ok_or_else(bad)?;
    if h > 23 || mi > 59 || s > 59 {
        return Err(bad());
    }
    Ok(date.unix_seconds() + h * 3600 + mi * 60 + s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED: &str = include_str!("../../../fixtures/ssh/ed25519.pub").trim_ascii_end();

    #[test]
    fn principals_options_and_keys_are_read() {
        let text = format!(
            "# team\n\ndana@example.com,\"Dana D\" {ED}\nsam namespaces=\"git,roadlint-approval\",valid-after=\"20260101\",valid-before=\"202601020300Z\" {ED}\n"
        );
        let a = AllowedSigners::parse(&text);
        assert!(a.problems.is_empty(), "{:?}", a.problems);
        assert_eq!(a.signers.len(), 2);
        assert_eq!(a.signers[0].principals, ["dana@example.com", "Dana D"]);
        assert_eq!(a.signers[0].line, 3);
        let sam = &a.signers[1];
        assert_eq!(
            sam.namespaces.as_deref(),
            Some(&["git".to_string(), "roadlint-approval".to_string()][..])
        );
        assert_eq!(sam.valid_after, Some(1_767_225_600));
        assert_eq!(sam.valid_before, Some(1_767_225_600 + 86_400 + 3 * 3600));
        assert_eq!(a.lines_of(&sam.key).count(), 2);
    }

    #[test]
    fn cert_authority_and_bad_lines_are_reported_not_fatal() {
        let text = format!(
            "ca cert-authority {ED}\nx frobnicate {ED}\ny ssh-ed25519 AAAA-not-base64\nz\nw valid-before=\"2026\" {ED}\nok {ED}"
        );
        let a = AllowedSigners::parse(&text);
        assert_eq!(a.cert_authority, [1]);
        let lines: Vec<usize> = a.problems.iter().map(|p| p.0).collect();
        assert_eq!(lines, [2, 3, 4, 5], "{:?}", a.problems);
        assert!(a.problems[0].1.contains("unknown option `frobnicate`"));
        assert_eq!(a.signers.len(), 1);
        assert_eq!(a.signers[0].line, 6);
    }

    #[test]
    fn timestamps_are_utc_and_checked() {
        assert_eq!(timestamp("19700101"), Ok(0));
        assert_eq!(timestamp("19700101000001Z"), Ok(1));
        assert!(timestamp("20261340").is_err());
        assert!(timestamp("2026010125").is_err());
        assert!(timestamp("20260101256000").is_err());
    }
}
