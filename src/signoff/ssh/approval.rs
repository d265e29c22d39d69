//! The approval file (SPEC §9.4): a five-line statement that binds a role
//! and a principal to one file's change (before → after blob ids), followed
//! by the SSHSIG of exactly those five lines. Parsing is strict — any other
//! text is a malformed approval — because what is signed must be exactly
//! what is read.

use ssh_key::SshSig;

/// The first line of every approval.
const HEADER: &str = "roadlint approval v1";

/// Which side of the sign-off an approval gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Role {
    /// The product approval.
    Product,
    /// The tech approval.
    Tech,
}

impl Role {
    /// The word written in the file and on the command line.
    pub(crate) fn word(self) -> &'static str {
        match self {
            Role::Product => "product",
            Role::Tech => "tech",
        }
    }

    /// The role a word names.
    pub(crate) fn from_word(s: &str) -> Option<Role> {
        match s {
            "product" => Some(Role::Product),
            "tech" => Some(Role::Tech),
            _ => None,
        }
    }
}

/// The signed statement of an approval.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Statement {
    /// The role approved.
    pub(crate) role: Role,
    /// The approver's principal, as in `allowed_signers`.
    pub(crate) principal: String,
    /// The file's blob id in the first parent (zeros when added).
    pub(crate) before: String,
    /// The file's blob id in the commit (zeros when deleted).
    pub(crate) after: String,
}

impl Statement {
    /// The exact bytes that are signed: five lines, each ending in `\n`.
    pub(crate) fn message(&self) -> String {
        format!(
            "{HEADER}\nrole: {}\nprincipal: {}\nbefore: {}\nafter: {}\n",
            self.role.word(),
            self.principal,
            self.before,
            self.after
        )
    }
}

/// Whether `id` is the all-zeros id a statement writes for a file that is
/// absent on one side (added or deleted): it names no content, so it never
/// ties an approval to a change.
pub(crate) fn is_null_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b == b'0')
}

/// A parsed approval file: its statement and its armored signature.
///
/// The signature is decoded only when the approval is verified: a history
/// holds many approvals of other changes, which are indexed by their
/// statements and never verified.
#[derive(Clone, Debug)]
pub(crate) struct Approval {
    /// What it says.
    pub(crate) statement: Statement,
    /// The signature over [`Statement::message`], as the file armors it.
    pub(crate) armored: String,
}

/// Whether `s` is a full object id (40 or 64 lowercase hex digits).
fn is_object_id(s: &str) -> bool {
    matches!(s.len(), 40 | 64)
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Approval {
    /// Parse an approval file's bytes; the error says what is wrong, in
    /// words a diagnostic can show.
    pub(crate) fn parse(bytes: &[u8]) -> Result<Approval, String> {
        let text = std::str::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())?;
        let text = text.replace("\r\n", "\n");
        let mut lines = text.split_inclusive('\n');
        let mut next = |key: &str| -> Result<String, String> {
            let line = lines
                .next()
                .ok_or_else(|| format!("it ends before its `{key}` line"))?;
            let line = line
                .strip_suffix('\n')
                .ok_or_else(|| format!("it ends before its `{key}` line"))?;
            if key == HEADER {
                return (line == HEADER)
                    .then(String::new)
                    .ok_or_else(|| format!("its first line is not `{HEADER}`"));
            }
            line.strip_prefix(key)
                .and_then(|l| l.strip_prefix(": "))
                .map(str::to_string)
                .ok_or_else(|| format!("its `{key}:` line is missing or out of place"))
        };
        next(HEADER)?;
        let role = next("role")?;
        let role = Role::from_word(&role)
            .ok_or_else(|| format!("its role `{role}` is neither `product` nor `tech`"))?;
        let principal = next("principal")?;
        if principal.trim().is_empty() || principal.trim() != principal {
            return Err("its principal is empty or padded with spaces".into());
        }
        let before = next("before")?;
        let after = next("after")?;
        for (what, id) in [("before", &before), ("after", &after)] {
            if !is_object_id(id) {
                return Err(format!("its `{what}` is not a full object id"));
            }
        }
        if before.len() != after.len() {
            return Err("its `before` and `after` ids have different lengths".into());
        }
        let armored: String = lines.collect();
        Ok(Approval {
            statement: Statement {
                role,
                principal,
                before,
                after,
            },
            armored,
        })
    }

    /// The signature, decoded; the error says what is wrong with it.
    pub(crate) fn signature(&self) -> Result<SshSig, String> {
        SshSig::from_pem(self.armored.trim())
            .map_err(|e| format!("its signature does not parse ({e})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED: &str = include_str!("../../../fixtures/ssh/ed25519.approval");

    #[test]
    fn a_signed_statement_round_trips() {
        let a = Approval::parse(ED.as_bytes()).expect("the fixture parses");
        assert_eq!(a.statement.role, Role::Product);
        assert_eq!(a.statement.principal, "dana@example.com");
        assert_eq!(a.statement.before, "0".repeat(40));
        assert_eq!(a.statement.message(), ED[..ED.find("-----").unwrap_or(0)]);
        let signature = a.signature().expect("the signature decodes");
        assert_eq!(signature.namespace(), "roadlint-approval");
    }

    #[test]
    fn malformed_files_say_what_is_wrong() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "ends before its `roadlint approval v1` line"),
            (b"garbage\n", "first line is not"),
            (b"\xff\xfe", "not UTF-8"),
            (
                b"roadlint approval v1\nrole: boss\n",
                "role `boss` is neither",
            ),
            (
                b"roadlint approval v1\nrole: tech\nprincipal: x\nbefore: 12\n",
                "ends before its `after` line",
            ),
            (
                b"roadlint approval v1\nrole: tech\nprincipal: x\nbefore: 12\nafter: 34\n",
                "`before` is not a full object id",
            ),
        ];
        for (bytes, want) in cases {
            let got = Approval::parse(bytes).expect_err("malformed");
            assert!(got.contains(want), "{got} / {want}");
        }
        let truncated = &ED[..ED.len() - 40];
        // The statement stands; the signature fails when it is decoded.
        let cut = Approval::parse(truncated.as_bytes()).expect("the statement parses");
        let got = cut.signature().expect_err("truncated");
        assert!(got.contains("signature does not parse"), "{got}");
    }
}
