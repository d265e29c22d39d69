//! How the history cache and its digest reach the disk: serde types encoded
//! with postcard between a small header that names the kind of file and its
//! format version, and a trailer with the payload's length and checksum,
//! written to a temporary file and renamed into place.
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
pub(super) const FORMAT: u32 = 10;

/// What precedes the payload.
#[derive(Serialize, Deserialize)]
struct Header<'a> {
    /// Which file this is (`"cache"`, `"digest"`).
    #[serde(borrow)]
    kind: Cow<'a, str>,
    /// [`FORMAT`] when written.
    format: u32,
}

/// What follows the payload: its length (little-endian `u64`) and CRC-32
/// (little-endian `u32`), known only once it is written.
const TRAILER: usize = 12;

/// Passes what is written on, counting and checksumming it (in the blocks
/// a buffer in front of it hands on).
struct Measure<W> {
    inner: W,
    len: u64,
    crc: crc32fast::Hasher,
}

impl<W: Write> Write for Measure<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.len += n as u64;
        self.crc.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Write `value` as a file of `kind`, atomically. Whether it was written.
///
/// The payload is encoded once, straight into the file (a long history's
/// cache is megabytes, never held in memory whole), and its length and
/// checksum follow it.
pub(super) fn write<T: Serialize>(file: &Path, kind: &str, value: &T) -> bool {
    let header = Header {
        kind: Cow::Borrowed(kind),
        format: FORMAT,
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
            let file = tmp.as_file_mut();
            file.write_all(&head)?;
            // postcard writes field by field: the buffer comes first, so
            // the length and checksum are taken of whole blocks.
            let measured = Measure {
                inner: &mut *file,
                len: 0,
                crc: crc32fast::Hasher::new(),
            };
            let buffered = std::io::BufWriter::with_capacity(1 << 16, measured);
            let buffered = postcard::to_io(value, buffered).map_err(std::io::Error::other)?;
            let measured = buffered.into_inner().map_err(|e| e.into_error())?;
            let mut trailer = measured.len.to_le_bytes().to_vec();
            trailer.extend_from_slice(&measured.crc.finalize().to_le_bytes());
            file.write_all(&trailer)?;
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
    let (header, rest) = postcard::take_from_bytes::<Header<'_>>(&bytes).ok()?;
    let (payload, trailer) = rest.split_at(rest.len().checked_sub(TRAILER)?);
    let len = u64::from_le_bytes(trailer[..8].try_into().ok()?);
    let crc = u32::from_le_bytes(trailer[8..].try_into().ok()?);
    let intact = header.kind == kind
        && header.format == FORMAT
        && len == payload.len() as u64
        && crc == crc32fast::hash(payload);
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
        let intact = std::fs::read(&file).unwrap();
        for at in [intact.len() / 2, intact.len() - 1] {
            let mut bytes = intact.clone();
            bytes[at] ^= 1;
            std::fs::write(&file, &bytes).unwrap();
            assert_eq!(
                read::<Sample>(&file, "cache"),
                None,
                "a flipped bit at {at}"
            );
        }
        let bytes = intact;
        std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
        assert_eq!(read::<Sample>(&file, "cache"), None, "truncated");
    }
}
