//! Whether the commit-graph may be trusted (SPEC §9.7).
//!
//! The commit-graph answers, for each commit, its root tree, parents and
//! time without reading the commit object. A graph whose trailing checksum
//! does not match its content was damaged or forged (root trees swapped to
//! hide a change of a locked file): it is not used, and the walk reads the
//! commit objects instead. The check hashes every graph file once per run,
//! and only in runs that would use the graph.

use std::io::{BufRead, Read};
use std::path::Path;

/// Most files a commit-graph chain may list (git's own limit is lower).
const MAX_CHAIN_FILES: u64 = 256;

/// Whether every commit-graph file under the objects directory's `info`
/// (the single `commit-graph` file, else each file of the
/// `commit-graphs/commit-graph-chain`) carries the checksum of its content.
/// No graph at all is sound (there is nothing to distrust).
pub(crate) fn sound(info: &Path, hash: gix::hash::Kind) -> bool {
    let single = info.join("commit-graph");
    if single.is_file() {
        return file_sound(&single, hash);
    }
    let dir = info.join("commit-graphs");
    let chain = dir.join("commit-graph-chain");
    if !chain.is_file() {
        return true;
    }
    let Ok((file, _)) = crate::bounded::open_regular(&chain, false) else {
        return false;
    };
    let line_cap = hash.len_in_hex() as u64 + 2;
    let mut lines = std::io::BufReader::new(file.take(MAX_CHAIN_FILES * line_cap)).lines();
    let mut any = false;
    while let Some(Ok(line)) = lines.next() {
        let hex = line.trim_end();
        if hex.len() != hash.len_in_hex() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return false;
        }
        if !file_sound(&dir.join(format!("graph-{hex}.graph")), hash) {
            return false;
        }
        any = true;
    }
    any
}

/// Whether one graph file is a regular file that parses as a commit-graph
/// and whose content hashes to its trailing checksum.
fn file_sound(path: &Path, hash: gix::hash::Kind) -> bool {
    let Ok((file, meta)) = crate::bounded::open_regular(path, false) else {
        return false;
    };
    gix::commitgraph::File::at(path).is_ok() && checksum_matches(file, meta.len(), hash)
}

/// Whether the `len` bytes of `file` end in the checksum (of the repository's
/// hash kind) of the bytes before it. The checksum guards against damage:
/// whoever forges a graph can recompute it, so plain SHA-1 (with the CPU's
/// SHA instructions) serves where object ids need collision detection.
fn checksum_matches(file: std::fs::File, len: u64, hash: gix::hash::Kind) -> bool {
    use sha1::Digest as _;
    let trailer = hash.len_in_bytes() as u64;
    let Some(content) = len.checked_sub(trailer) else {
        return false;
    };
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let computed: Vec<u8> = match hash {
        gix::hash::Kind::Sha1 => {
            let mut h = sha1::Sha1::new();
            if std::io::copy(&mut (&mut reader).take(content), &mut h).ok() != Some(content) {
                return false;
            }
            h.finalize().to_vec()
        }
        #[allow(unreachable_patterns)]
        _ => return false,
    };
    let mut stored = Vec::with_capacity(trailer as usize);
    reader.take(trailer).read_to_end(&mut stored).is_ok() && stored == computed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checksum_is_the_sha1_of_everything_before_it() {
        use sha1::Digest as _;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("graph");
        let body = b"CGPH some chunks".repeat(5000);
        let mut data = body.clone();
        data.extend_from_slice(&sha1::Sha1::digest(&body));
        let check = |data: &[u8]| {
            std::fs::write(&path, data).expect("write");
            let file = std::fs::File::open(&path).expect("open");
            checksum_matches(file, data.len() as u64, gix::hash::Kind::Sha1)
        };
        assert!(check(&data));
        let mut flipped = data.clone();
        flipped[7] ^= 1;
        assert!(!check(&flipped));
        assert!(!check(&data[..data.len() - 1]));
        assert!(!check(&data[..10]));
    }
}
