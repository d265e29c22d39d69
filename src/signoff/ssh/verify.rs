//! Verifying an approval against an allowed-signers file, in pure Rust: no
//! program runs at check time (SPEC §9.4). The order of the checks decides
//! which problem a forged approval is reported as: a wrong namespace, then a
//! signature that does not verify over the statement (tampered), then a key
//! that is not listed for the principal (forged with another key).

use super::allowed_signers::AllowedSigners;
use super::approval::{Approval, Statement};
use ssh_key::{Algorithm, HashAlg, SshSig};

/// The SSHSIG namespace of approvals.
pub(crate) const NAMESPACE: &str = "roadlint-approval";

/// The signature of `approval`, decoded and verified over its statement:
/// the part of verifying that does not depend on who may sign when, done
/// once per approval however many times it is judged.
pub(crate) fn signed(approval: &Approval) -> Result<SshSig, String> {
    checked(&approval.statement, approval.signature()?)
}

/// `sig` when it is a usable signature of `statement` (namespace, hash,
/// algorithm, and the signature itself).
fn checked(statement: &Statement, sig: SshSig) -> Result<SshSig, String> {
    if sig.namespace() != NAMESPACE {
        return Err(format!(
            "it is signed for namespace `{}`, not `{NAMESPACE}`",
            sig.namespace()
        ));
    }
    if !matches!(sig.hash_alg(), HashAlg::Sha256 | HashAlg::Sha512) {
        return Err("its signature hashes with neither sha256 nor sha512".into());
    }
    if sig.algorithm() == (Algorithm::Rsa { hash: None })
        || sig.signature().algorithm() == (Algorithm::Rsa { hash: None })
    {
        return Err(
            "it is an RSA signature with SHA-1 (`ssh-rsa`), which counts for nothing".into(),
        );
    }
    let key = ssh_key::PublicKey::from(sig.public_key().clone());
    key.verify(NAMESPACE, statement.message().as_bytes(), &sig)
        .map_err(|_| "signature does not verify".to_string())?;
    Ok(sig)
}

/// Whether the key of `sig`, a verified signature of `statement`, is
/// listed in `signers` for the statement's principal at `time`: that line's
/// principals, or why not.
pub(crate) fn listed(
    statement: &Statement,
    sig: &SshSig,
    signers: &AllowedSigners,
    time: i64,
) -> Result<Vec<String>, String> {
    let principal = &statement.principal;
    let lines: Vec<_> = signers
        .lines_of(sig.public_key())
        .filter(|s| {
            s.principals
                .iter()
                .any(|p| crate::people::same(p, principal))
        })
        .collect();
    if lines.is_empty() {
        return Err(format!("signed by a key not listed for {principal}"));
    }
    let mut why = String::new();
    for line in lines {
        if let Some(ns) = &line.namespaces {
            if !ns.iter().any(|n| n == NAMESPACE) {
                why = format!(
                    "the key of {principal} (allowed_signers line {}) is not allowed for namespace `{NAMESPACE}`",
                    line.line
                );
                continue;
            }
        }
        if line.valid_after.is_some_and(|t| time < t) {
            why = format!(
                "the key of {principal} (allowed_signers line {}) was not yet valid then",
                line.line
            );
            continue;
        }
        if line.valid_before.is_some_and(|t| time >= t) {
            why = format!(
                "the key of {principal} (allowed_signers line {}) had expired then",
                line.line
            );
            continue;
        }
        return Ok(line.principals.clone());
    }
    Err(why)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Verify `approval` with `signers` at `time` (Unix seconds, the corrected
    /// committer time of the commit judged). `Ok` when the signature verifies
    /// over the statement and the key is listed for its principal then, with
    /// every principal of that line; the error says why not, in a diagnostic's
    /// words.
    fn verify(
        approval: &Approval,
        signers: &AllowedSigners,
        time: i64,
    ) -> Result<Vec<String>, String> {
        listed(&approval.statement, &signed(approval)?, signers, time)
    }

    fn fixture(name: &str) -> String {
        let path = format!("{}/fixtures/ssh/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn signers(line: &str, key: &str) -> AllowedSigners {
        AllowedSigners::parse(&format!("{line} {}", fixture(&format!("{key}.pub"))))
    }

    fn approval(name: &str) -> Approval {
        Approval::parse(fixture(&format!("{name}.approval")).as_bytes()).expect("fixture parses")
    }

    #[test]
    fn every_supported_key_type_verifies() {
        for key in ["ed25519", "ecdsa", "p384", "p521", "rsa"] {
            let a = approval(key);
            let ok = verify(&a, &signers("dana@example.com,Dana", key), 0);
            assert_eq!(
                ok,
                Ok(vec!["dana@example.com".into(), "Dana".into()]),
                "{key}"
            );
        }
    }

    #[test]
    fn forged_tampered_and_misused_approvals_are_refused() {
        let a = approval("ed25519");
        let listed = signers("dana@example.com", "ed25519");
        // Another key listed for dana: the approval's key is not.
        let other = signers("dana@example.com", "rsa");
        assert_eq!(
            verify(&a, &other, 0),
            Err("signed by a key not listed for dana@example.com".into())
        );
        // The key is listed, but for somebody else.
        let sam = signers("sam", "ed25519");
        assert!(verify(&a, &sam, 0).is_err());
        let mut tampered = a.clone();
        tampered.statement.after = "2".repeat(40);
        assert_eq!(
            verify(&tampered, &listed, 0),
            Err("signature does not verify".into())
        );
        let git = approval("git-namespace");
        assert!(verify(&git, &listed, 0)
            .expect_err("git namespace")
            .contains("namespace `git`"));
        let ns = signers("dana@example.com namespaces=\"git\"", "ed25519");
        assert!(verify(&a, &ns, 0)
            .expect_err("namespaces")
            .contains("not allowed for namespace"));
        let expiring = signers("dana@example.com valid-before=\"20260101\"", "ed25519");
        assert!(verify(&a, &expiring, 1_700_000_000).is_ok());
        assert!(verify(&a, &expiring, 1_800_000_000)
            .expect_err("expired")
            .contains("had expired"));
        let later = signers("dana@example.com valid-after=\"20260101\"", "ed25519");
        assert!(verify(&a, &later, 0)
            .expect_err("early")
            .contains("not yet valid"));
    }

    /// A throwaway P-256 key made with `ssh-keygen -t ecdsa` for the
    /// sk-ecdsa test vector only (it signs nothing else): the base64 body
    /// of its unencrypted OpenSSH private key file.
    const SK_ECDSA_TEST_KEY: &str = "\
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAaAAAABNlY2RzYS\
1zaGEyLW5pc3RwMjU2AAAACG5pc3RwMjU2AAAAQQQz8DaMGwdj0vN+hEBW6NvTKFB5aaM9\
VWv6XuBRBuLEWqqccDzVyQErwD/ZcrsC0CRY/bDOCy5vYdtbnUjVhBIoAAAAsDDpWsQw6V\
rEAAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBDPwNowbB2PS836E\
QFbo29MoUHlpoz1Va/pe4FEG4sRaqpxwPNXJASvAP9lyuwLQJFj9sM4LLm9h21udSNWEEi\
gAAAAgTzOCE/cwpxaEpIabQ6EI4F7YHL3160GYs8QroYEanOwAAAASZGFuYS1zay1lY2Rz\
YS1zZWVkAQIDBAUG";

    /// Standard base64 with padding.
    fn base64(bytes: &[u8]) -> String {
        const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for c in bytes.chunks(3) {
            let n = (u32::from(c[0]) << 16)
                | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
                | u32::from(*c.get(2).unwrap_or(&0));
            for i in 0..4 {
                if i <= c.len() {
                    out.push(char::from(ABC[(n >> (18 - 6 * i) & 63) as usize]));
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    /// A security-key test vector, built by hand: no FIDO device is needed,
    /// because a security key's signature is a plain ed25519 or P-256
    /// signature over sha256(application) ‖ flags ‖ counter (big-endian
    /// u32) ‖ sha256(the SSHSIG signed data) (OpenSSH's PROTOCOL.u2f), and
    /// both signatures are deterministic (ed25519; RFC 6979 for ECDSA). For
    /// `kind` `ed25519` (from a fixed seed) or `ecdsa` (the key above): the
    /// public key line and the approval of the ed25519 fixture's statement.
    fn sk_vector(kind: &str, flags: u8) -> (String, String) {
        use sha2::{Digest, Sha256};
        use ssh_key::private::Ed25519Keypair;
        use ssh_key::public::{EcdsaPublicKey, KeyData, SkEcdsaSha2NistP256, SkEd25519};
        use ssh_key::{LineEnding, PrivateKey, Signature, SigningKey};

        fn sign<S: SigningKey>(key: &S, data: &[u8]) -> Vec<u8> {
            key.try_sign(data).expect("signs").as_bytes().to_vec()
        }
        let application = "ssh:";
        let (private, key, algorithm) = if kind == "ed25519" {
            let keypair = Ed25519Keypair::from_seed(&[24; 32]);
            let key = KeyData::SkEd25519(SkEd25519::new(keypair.public, application));
            (PrivateKey::from(keypair), key, Algorithm::SkEd25519)
        } else {
            // OpenSSH wraps the base64 at 70 columns, and the reader wants it so.
            let body: Vec<&str> = SK_ECDSA_TEST_KEY
                .as_bytes()
                .chunks(70)
                .map(|c| std::str::from_utf8(c).expect("base64 is ASCII"))
                .collect();
            let pem = format!(
                "-----BEGIN OPENSSH PRIVATE KEY-----\n{}\n-----END OPENSSH PRIVATE KEY-----\n",
                body.join("\n")
            );
            let private = PrivateKey::from_openssh(pem).expect("the test key parses");
            let Some(EcdsaPublicKey::NistP256(point)) = private.public_key().key_data().ecdsa()
            else {
                panic!("a P-256 key");
            };
            let key = KeyData::SkEcdsaSha2NistP256(SkEcdsaSha2NistP256::new(*point, application));
            (private, key, Algorithm::SkEcdsaSha2NistP256)
        };
        let statement = approval("ed25519").statement.message();
        let signed = ssh_key::SshSig::signed_data(NAMESPACE, HashAlg::Sha512, statement.as_bytes())
            .expect("signed data");
        let counter: u32 = 7;
        let mut data = Sha256::digest(application).to_vec();
        data.push(flags);
        data.extend(counter.to_be_bytes());
        data.extend(Sha256::digest(&signed));
        let mut sig = sign(&private, &data);
        sig.push(flags);
        sig.extend(counter.to_be_bytes());
        let pem = if algorithm == Algorithm::SkEd25519 {
            let sig = Signature::new(algorithm, sig).expect("an sk signature");
            let sshsig = ssh_key::SshSig::new(key.clone(), NAMESPACE, HashAlg::Sha512, sig)
                .expect("an SSHSIG");
            sshsig.to_pem(LineEnding::LF).expect("pem")
        } else {
            // ssh-key 0.6 reads but does not write an sk-ecdsa signature's
            // flags and counter outside its signature string: the SSHSIG
            // blob is written here as PROTOCOL.sshsig and PROTOCOL.u2f say.
            let n = sig.len() - 5;
            let string = |out: &mut Vec<u8>, b: &[u8]| {
                out.extend((b.len() as u32).to_be_bytes());
                out.extend(b);
            };
            let mut signature = Vec::new();
            string(&mut signature, algorithm.as_str().as_bytes());
            string(&mut signature, &sig[..n]);
            signature.extend(&sig[n..]);
            let mut blob = b"SSHSIG".to_vec();
            blob.extend(1u32.to_be_bytes());
            let public = ssh_key::PublicKey::from(key.clone())
                .to_bytes()
                .expect("key blob");
            string(&mut blob, &public);
            string(&mut blob, NAMESPACE.as_bytes());
            string(&mut blob, b"");
            string(&mut blob, b"sha512");
            string(&mut blob, &signature);
            let text = base64(&blob);
            let lines: Vec<&str> = text
                .as_bytes()
                .chunks(70)
                .map(|c| std::str::from_utf8(c).expect("ASCII"))
                .collect();
            format!(
                "-----BEGIN SSH SIGNATURE-----\n{}\n-----END SSH SIGNATURE-----\n",
                lines.join("\n")
            )
        };
        let public = ssh_key::PublicKey::new(key, format!("dana-sk-{kind}"))
            .to_openssh()
            .expect("public key");
        (format!("{public}\n"), format!("{statement}{pem}"))
    }

    #[test]
    fn security_key_signatures_verify() {
        for (kind, algorithm) in [
            ("ed25519", Algorithm::SkEd25519),
            ("ecdsa", Algorithm::SkEcdsaSha2NistP256),
        ] {
            let name = format!("sk-{kind}");
            let (public, approval_text) = sk_vector(kind, 0x01);
            // The shipped vector is exactly the one built above (set
            // ROADLINT_BLESS_FIXTURES=1 to write it again).
            if std::env::var_os("ROADLINT_BLESS_FIXTURES").is_some() {
                let dir = format!("{}/fixtures/ssh", env!("CARGO_MANIFEST_DIR"));
                std::fs::write(format!("{dir}/{name}.pub"), &public).expect("write");
                std::fs::write(format!("{dir}/{name}.approval"), &approval_text).expect("write");
            }
            assert_eq!(fixture(&format!("{name}.pub")), public, "{kind}");
            assert_eq!(
                fixture(&format!("{name}.approval")),
                approval_text,
                "{kind}"
            );
            let a = approval(&name);
            assert_eq!(a.signature().expect("decodes").algorithm(), algorithm);
            assert_eq!(
                verify(&a, &signers("dana@example.com,Dana", &name), 0),
                Ok(vec!["dana@example.com".into(), "Dana".into()]),
                "{kind}"
            );
            // Listed, but the statement is changed: it does not verify.
            let mut tampered = a.clone();
            tampered.statement.role = super::super::approval::Role::Tech;
            assert_eq!(
                verify(&tampered, &signers("dana@example.com", &name), 0),
                Err("signature does not verify".into()),
                "{kind}"
            );
            // The same key under another name, or another key for dana.
            assert!(verify(&a, &signers("sam", &name), 0).is_err(), "{kind}");
            assert_eq!(
                verify(&a, &signers("dana@example.com", "ed25519"), 0),
                Err("signed by a key not listed for dana@example.com".into()),
                "{kind}"
            );
            // The flags are signed too: a flipped byte does not verify.
            let (_, flipped) = sk_vector(kind, 0x05);
            let b = Approval::parse(flipped.as_bytes()).expect("parses");
            let sig = {
                let signature = b.signature().expect("decodes");
                let mut bytes = signature.signature_bytes().to_vec();
                let n = bytes.len();
                bytes[n - 5] = 0x01;
                let sig = ssh_key::Signature::new(algorithm, bytes).expect("sig");
                ssh_key::SshSig::new(
                    signature.public_key().clone(),
                    NAMESPACE,
                    HashAlg::Sha512,
                    sig,
                )
                .expect("sshsig")
            };
            assert_eq!(
                checked(&b.statement, sig).map(|_| ()),
                Err("signature does not verify".into()),
                "{kind}"
            );
        }
    }
}
