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
        return file_sound(&single);
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
        if !file_sound(&dir.join(format!("graph-{hex}.graph"))) {
            return false;
        }
        any = true;
    }
    any
}

/// Whether one graph file is a regular file whose checksum verifies.
fn file_sound(path: &Path) -> bool {
    if crate::bounded::open_regular(path, false).is_err() {
        return false;
    }
    gix::commitgraph::File::at(path).is_ok_and(|f| f.verify_checksum().is_ok())
}
