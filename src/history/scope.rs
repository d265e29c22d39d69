//! The technology stages a version of a roadmap file declares (the history
//! part of `maturity-pipeline` follows them).

use crate::model::{parse_file, Stage};
use crate::source::FileId;
use std::collections::BTreeMap;

/// The technology stages of a file version: name → stage.
pub fn stages_of(bytes: &[u8]) -> BTreeMap<String, Stage> {
    let text = String::from_utf8_lossy(bytes);
    let parsed = parse_file(FileId(0), &text);
    parsed
        .model
        .technologies
        .iter()
        .filter_map(|t| Some((t.name.as_ref()?.value.clone(), t.stage.as_ref()?.value)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_read() {
        let s = stages_of(b"[[technology]]\nname = \"v\"\nstage = \"trial\"\n");
        assert_eq!(s.get("v"), Some(&Stage::Trial));
    }
}
