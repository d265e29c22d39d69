//! Reading a file that is not a roadmap file within bounds (SPEC §9.7).
//!
//! Cache and memo files and `report --merge` inputs come from places a
//! stranger may control (a shared cache directory, a CI artifact). Each is
//! read only when it is a regular file (a FIFO is never waited on: it is
//! opened without blocking, then judged by `fstat` of the open file, so a
//! swap between a check and the open cannot slip a FIFO or device in), and
//! only up to a cap known before a byte is read, so neither a sparse file
//! nor `/dev/zero` can grow memory.

use std::fs;
use std::io::Read;
use std::path::Path;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BoundedError {
    /// A FIFO, socket, device or directory.
    #[error("not a regular file (a {0})")]
    NotRegular(&'static str),
    /// A symbolic link, when links are not followed.
    #[error("a symbolic link, not followed")]
    Symlink,
    /// Larger than the cap.
    #[error("too large ({size} bytes, over the {cap}-byte cap), not parsed")]
    TooLarge {
        /// The size seen.
        size: u64,
        /// The cap.
        cap: u64,
    },
    /// Opening or reading failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Open `path` for reading without blocking on a FIFO (and, unless
/// `follow`, without following a symbolic link), and return it with the
/// metadata of what was opened, refused unless it is a regular file.
pub(crate) fn open_regular(
    path: &Path,
    follow: bool,
) -> Result<(fs::File, fs::Metadata), BoundedError> {
    let mut opts = fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
        opts.custom_flags(nofollow | libc::O_NONBLOCK);
    }
    let file = opts.open(path).map_err(|e| {
        #[cfg(unix)]
        if !follow && e.raw_os_error() == Some(libc::ELOOP) {
            return BoundedError::Symlink;
        }
        BoundedError::Io(e)
    })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(BoundedError::NotRegular(kind(&meta.file_type())));
    }
    Ok((file, meta))
}

/// The bytes of the regular file at `path`, refused when it is larger than
/// `cap` (by its size before reading, and again by what reading yields, for
/// a file that grows meanwhile).
pub(crate) fn read_capped(path: &Path, cap: u64, follow: bool) -> Result<Vec<u8>, BoundedError> {
    let (file, meta) = open_regular(path, follow)?;
    read_open(file, &meta, cap)
}

/// [`read_capped`] of a file already opened with [`open_regular`].
pub(crate) fn read_open(
    file: fs::File,
    meta: &fs::Metadata,
    cap: u64,
) -> Result<Vec<u8>, BoundedError> {
    if meta.len() > cap {
        return Err(BoundedError::TooLarge {
            size: meta.len(),
            cap,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(BoundedError::TooLarge {
            size: bytes.len() as u64,
            cap,
        });
    }
    Ok(bytes)
}

/// What a file that is not regular is, for a message.
fn kind(ft: &fs::FileType) -> &'static str {
    if ft.is_dir() {
        return "directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "FIFO";
        }
        if ft.is_socket() {
            return "socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "device";
        }
    }
    "special file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_within_the_cap_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let small = dir.path().join("small");
        std::fs::write(&small, b"12345").expect("write");
        assert_eq!(read_capped(&small, 5, false).expect("read"), b"12345");
        assert!(matches!(
            read_capped(&small, 4, false),
            Err(BoundedError::TooLarge { size: 5, cap: 4 })
        ));
        assert!(matches!(
            read_capped(dir.path(), 4, true),
            Err(BoundedError::NotRegular("directory"))
        ));
        #[cfg(unix)]
        {
            let link = dir.path().join("zero");
            std::os::unix::fs::symlink("/dev/zero", &link).expect("symlink");
            assert!(matches!(
                read_capped(&link, 4, false),
                Err(BoundedError::Symlink)
            ));
            assert!(matches!(
                read_capped(&link, 4, true),
                Err(BoundedError::NotRegular("device"))
            ));
        }
    }
}
