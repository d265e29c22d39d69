//! Mapped pack files: pages a pass has read leave the resident set.
//!
//! gix maps pack files into memory, and every page a scan touches stays in
//! the process's resident set until it exits, although the kernel keeps the
//! same pages in its page cache anyway. A cold scan reads every commit and
//! many trees scattered over the pack, so most of its peak RSS was pack
//! pages, not memory roadlint holds. After each run of objects read,
//! [`release`] drops the process's mapping of those pages
//! (`madvise(MADV_DONTNEED)` on the read-only pack mappings): nothing
//! changes for the reader, since a later read faults the page back in from
//! the page cache, unchanged (pack files are never modified in place).

use std::path::Path;

/// The pack files of one object directory, whose mapped pages
/// [`Packs::release`] drops.
pub(crate) struct Packs {
    /// The resolved path of the `pack` folder (the kernel lists mappings by
    /// their resolved path), when it has one.
    dir: Option<String>,
}

impl Packs {
    /// The packs of the object directory `objects`.
    pub(crate) fn of(objects: &Path) -> Self {
        Packs {
            dir: std::fs::canonicalize(objects.join("pack"))
                .ok()
                .and_then(|d| d.to_str().map(str::to_string)),
        }
    }

    /// Drop the resident pages of the pack files and their indexes that this
    /// process maps read-only. Best effort: any failure leaves the pages
    /// where they are.
    pub(crate) fn release(&self) {
        self.release_of(true);
    }

    /// [`Self::release`] of the pack files only: their indexes' pages stay
    /// (for a pass that looks most objects up, at random places, and would
    /// fault the same index pages back in on every run).
    pub(crate) fn release_packs(&self) {
        self.release_of(false);
    }

    fn release_of(&self, indexes: bool) {
        #[cfg(target_os = "linux")]
        {
            let Some(dir) = &self.dir else {
                return;
            };
            let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
                return;
            };
            for (start, end) in pack_ranges(&maps, dir, indexes) {
                // SAFETY: the range is a whole read-only file mapping of this
                // process (from /proc/self/maps); MADV_DONTNEED on such a
                // mapping only drops page-table entries, and the next access
                // reads the same bytes back from the file, so nothing read
                // through it changes.
                unsafe {
                    libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED);
                }
            }
        }
    }
}

/// Give the heap's free pages back to the system: a pass that built and
/// dropped large per-thread tables leaves them with the allocator, where
/// they would count in the resident set until the run ends. Best effort.
pub(crate) fn release_free_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory of glibc's heap to the
    // system; no allocation in use is touched.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The address ranges of `maps` (the format of `/proc/self/maps`) that map
/// a pack file or (with `indexes`) its index (`*.pack`, `*.idx`) of
/// `pack_dir` read-only.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn pack_ranges(maps: &str, pack_dir: &str, indexes: bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for line in maps.lines() {
        // start-end perms offset dev inode path
        let mut fields = line.splitn(6, ' ');
        let (Some(range), Some(perms)) = (fields.next(), fields.next()) else {
            continue;
        };
        let Some(path) = fields.nth(3).map(str::trim_start) else {
            continue;
        };
        let in_pack_dir = path
            .strip_prefix(pack_dir)
            .is_some_and(|rest| rest.starts_with('/') && !rest[1..].contains('/'));
        let pack_file = path.ends_with(".pack") || indexes && path.ends_with(".idx");
        if !perms.starts_with("r--") || !in_pack_dir || !pack_file {
            continue;
        }
        let Some((start, end)) = range.split_once('-') else {
            continue;
        };
        if let (Ok(start), Ok(end)) = (
            usize::from_str_radix(start, 16),
            usize::from_str_radix(end, 16),
        ) {
            if start < end {
                out.push((start, end));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_read_only_pack_mappings_of_the_pack_dir_are_released() {
        let maps = "\
5600-5700 r-xp 00000000 08:01 12 /usr/bin/roadlint
7f00-7f80 r--s 00000000 08:01 34 /r/.git/objects/pack/pack-1.pack
7f80-7fa0 r--s 00000000 08:01 35 /r/.git/objects/pack/pack-1.idx
8000-8100 rw-p 00000000 08:01 36 /r/.git/objects/pack/pack-2.pack
8100-8200 r--p 00000000 08:01 37 /r/.git/objects/pack/with space.pack
8200-8300 r--s 00000000 08:01 38 /r/.git/objects/pack/sub/pack-3.pack
8300-8400 r--s 00000000 08:01 39 /elsewhere/pack-4.pack
8400-8500 rw-p 00000000 00:00 0 [heap]
";
        assert_eq!(
            pack_ranges(maps, "/r/.git/objects/pack", true),
            vec![(0x7f00, 0x7f80), (0x7f80, 0x7fa0), (0x8100, 0x8200)]
        );
        assert_eq!(
            pack_ranges(maps, "/r/.git/objects/pack", false),
            vec![(0x7f00, 0x7f80), (0x8100, 0x8200)]
        );
    }

    #[cfg(target_os = "linux")]
    /// The resident kilobytes of the mapping starting at `start`.
    fn resident_kb(start: usize) -> u64 {
        let smaps = std::fs::read_to_string("/proc/self/smaps").expect("smaps");
        let head = format!("{start:x}-");
        let block = smaps
            .split_inclusive('\n')
            .skip_while(|l| !l.starts_with(&head))
            .skip(1)
            .find(|l| l.starts_with("Rss:"))
            .expect("the mapping is listed");
        block
            .split_whitespace()
            .nth(1)
            .and_then(|n| n.parse().ok())
            .expect("an Rss figure")
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn releasing_keeps_what_the_mapping_reads() {
        let dir = tempfile::tempdir().expect("tempdir");
        let pack = dir.path().join("pack");
        std::fs::create_dir(&pack).expect("mkdir");
        let file = pack.join("pack-x.pack");
        let content: Vec<u8> = (0..64 * 1024u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&file, &content).expect("write");
        let opened = std::fs::File::open(&file).expect("open");
        let len = content.len();
        // SAFETY: a read-only shared mapping of a file private to this test,
        // read only within its length and unmapped at the end.
        let map = unsafe {
            use std::os::fd::AsRawFd;
            let at = libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_SHARED,
                opened.as_raw_fd(),
                0,
            );
            assert_ne!(at, libc::MAP_FAILED);
            at
        };
        // SAFETY: `map` is a live mapping of `len` bytes (above).
        let read = || unsafe { std::slice::from_raw_parts(map as *const u8, len).to_vec() };
        assert_eq!(read(), content);
        assert!(resident_kb(map as usize) > 0, "the pages read are resident");
        Packs::of(dir.path()).release();
        assert_eq!(resident_kb(map as usize), 0, "released");
        assert_eq!(read(), content, "read back unchanged");
        // SAFETY: unmapped once, after its last read.
        unsafe { libc::munmap(map, len) };
    }
}
