//! How the history cache and its digest reach the disk: serde types encoded
//! with postcard behind a small header that names the kind of file, its
//! format version and a checksum of the payload, written to a temporary file
//! and renamed into place.
//!
//! A file of another kind or format version, a truncated or corrupt one, or
//! one that does not decode is simply not used: the cache can make a run
//! faster, never fail it or make it wrong. Bump [`FORMAT`] whenever a stored
//! type changes shape.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use crate::limits::MAX_CACHE_BYTES;

/// Whether this user owns the file (another user's file in a shared cache
/// directory is never trusted).
fn owned_by_me(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions and cannot fail.
        meta.uid() == unsafe { libc::geteuid() }
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        true
    }
}

/// The format version of every stored type; part of each file's header.
pub(super) const FORMAT: u32 = 9;

/// What precedes the payload.
#[derive(Serialize, Deserialize)]
struct Header<'a> {
    /// Which file this is (`"cache"`, `"digest"`).
    #[serde(borrow)]
    kind: Cow<'a, str>,
    /// [`FORMAT`] when written.
    format: u32,
    /// Payload length in bytes.
    len: u64,
    /// CRC-32 of the payload.
    crc: u32,
}

/// Counts and checksums what is written to it, keeping nothing.
struct Measure {
    len: u64,
    crc: crc32fast::Hasher,
}

impl Write for Measure {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.len += buf.len() as u64;
        self.crc.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Write `value` as a file of `kind`, atomically. Whether it was written.
///
/// The payload is encoded twice, once to measure and checksum it for the
/// header and once into the file, so that it is never held in memory whole
/// (a long history's cache is megabytes).
pub(super) fn write<T: Serialize>(file: &Path, kind: &str, value: &T) -> bool {
    let Ok(measured) = postcard::to_io(
        value,
        Measure {
            len: 0,
            crc: crc32fast::Hasher::new(),
        },
    ) else {
        return false;
    };
    let header = Header {
        kind: Cow::Borrowed(kind),
        format: FORMAT,
        len: measured.len,
        crc: measured.crc.finalize(),
    };
    let Ok(head) = postcard::to_stdvec(&header) else {
        return false;
    };
    let Some(dir) = file.parent() else {
        return false;
    };
    if std::fs::create_dir_all(dir).is_err() {
        return false;
    }
    let write = || -> std::io::Result<()> {
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        {
            let mut w = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
            w.write_all(&head)?;
            let mut w = postcard::to_io(value, w).map_err(std::io::Error::other)?;
            w.flush()?;
        }
        tmp.persist(file).map_err(|e| e.error)?;
        Ok(())
    };
    write().is_ok()
}

/// The file of `kind` at `file`, if it is one of this format and intact.
///
/// Only a regular file (not a link, FIFO or device) owned by this user and
/// at most [`MAX_CACHE_BYTES`] long is read (SPEC §9.7); anything else is
/// not used, and the next [`write`] replaces it with a regular file.
pub(super) fn read<T: DeserializeOwned>(file: &Path, kind: &str) -> Option<T> {
    let (open, meta) = crate::bounded::open_regular(file, false).ok()?;
    if !owned_by_me(&meta) {
        return None;
    }
    let bytes = crate::bounded::read_open(open, &meta, MAX_CACHE_BYTES).ok()?;
    let (header, payload) = postcard::take_from_bytes::<Header<'_>>(&bytes).ok()?;
    let intact = header.kind == kind
        && header.format == FORMAT
        && header.len == payload.len() as u64
        && header.crc == crc32fast::hash(payload);
    if !intact {
        return None;
    }
    postcard::from_bytes(payload).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Sample {
        name: String,
        ids: Vec<[u8; 20]>,
    }

    #[test]
    fn a_written_file_reads_back_and_damage_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.bin");
        let v = Sample {
            name: "a".into(),
            ids: vec![[7; 20]; 3],
        };
        assert!(write(&file, "cache", &v));
        assert_eq!(read::<Sample>(&file, "cache"), Some(v));
        assert_eq!(read::<Sample>(&file, "digest"), None, "another kind");
        let mut bytes = std::fs::read(&file).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&file, &bytes).unwrap();
        assert_eq!(read::<Sample>(&file, "cache"), None, "a flipped bit");
        std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
        assert_eq!(read::<Sample>(&file, "cache"), None, "truncated");
    }
}
