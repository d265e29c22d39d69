//! The workspace as the editor sees it: the files on disk with the open
//! buffers laid over them, linted by the same pipeline as `roadlint check`.
//!
//! Nothing here writes: the disk is read when the server starts, when a
//! file is saved and when the client reports a change on disk.

use crate::calendar::Date;
use crate::config::{self, Config};
use crate::diagnostic::Diagnostic;
use crate::discover::{self, CONFIG_FILE};
use crate::facts::Facts;
use crate::git::{GitRepo, Opened};
use crate::limits::MAX_BUFFER_BYTES;
use crate::lint::{lint_selected, load, Loaded};
use crate::source::{FileId, RawFile, Refusal, SourceFile, Sources};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One open buffer.
#[derive(Debug, Clone)]
pub(super) struct Document {
    /// The buffer's text.
    pub text: String,
    /// The client's version of it.
    pub version: i32,
    /// The buffer's size when it is over [`MAX_BUFFER_BYTES`]: its text is
    /// then not kept, and it is reported as too large, not parsed.
    pub too_large: Option<u64>,
}

/// The roadmap and configuration, on disk and in the editor.
pub(super) struct Workspace {
    root: PathBuf,
    today: Date,
    disk_config: Option<Result<String, String>>,
    disk: BTreeMap<String, Result<Vec<u8>, Refusal>>,
    disk_globs: Vec<String>,
    open: BTreeMap<String, Document>,
    last_good_config: Option<String>,
    facts: Option<Facts>,
    /// The repository, re-opened with the disk: HEAD's technology stages
    /// are read from it at each lint (one tree lookup).
    git: Option<Box<GitRepo>>,
}

/// One lint of the workspace: what was read and what it showed.
pub(super) struct Analysis {
    /// Every roadmap file read (and the configuration in force).
    pub loaded: Loaded,
    /// The configuration the rules ran with.
    pub config: Config,
    /// The diagnostics of the run, each about a file of `loaded.sources`.
    pub diagnostics: Vec<Diagnostic>,
    /// `roadlint.toml` when it does not parse: its text as the editor has it
    /// and its problems (the rules then run with the last good one).
    pub config_problems: Option<(SourceFile, Vec<Diagnostic>)>,
}

impl Analysis {
    /// The text a diagnostic about `file` points into.
    pub(super) fn source(&self, file: FileId) -> &SourceFile {
        self.loaded.sources.get(file)
    }

    /// The file id of a repository-relative path.
    pub(super) fn file_id(&self, path: &str) -> Option<FileId> {
        (0..self.loaded.sources.len())
            .map(FileId)
            .find(|id| self.loaded.sources.get(*id).path == path)
    }

    /// Every path the server reports on, with its text and its diagnostics
    /// (possibly none): every roadmap file and `roadlint.toml`.
    pub(super) fn by_path(&self) -> BTreeMap<String, (&SourceFile, Vec<&Diagnostic>)> {
        let mut out: BTreeMap<String, (&SourceFile, Vec<&Diagnostic>)> = BTreeMap::new();
        let sources = &self.loaded.sources;
        for i in 0..sources.len() {
            let f = sources.get(FileId(i));
            out.insert(f.path.clone(), (f, Vec::new()));
        }
        if let Some((file, diags)) = &self.config_problems {
            out.insert(file.path.clone(), (file, diags.iter().collect()));
        }
        for d in &self.diagnostics {
            if let Some(id) = d.file {
                let path = &sources.get(id).path;
                if self.config_problems.is_some() && path == CONFIG_FILE {
                    // Spans into the last good text, which the editor no longer shows.
                    continue;
                }
                if let Some(entry) = out.get_mut(path) {
                    entry.1.push(d);
                }
            }
        }
        out
    }

    /// The diagnostics about `path`, with the text their spans index.
    pub(super) fn diagnostics_of(&self, path: &str) -> Option<(&SourceFile, Vec<&Diagnostic>)> {
        self.by_path().remove(path)
    }
}

impl Workspace {
    /// A workspace rooted at `root` (the repository's work tree), judged as
    /// of `today`. Reads the disk once.
    pub(super) fn new(root: PathBuf, today: Date) -> Self {
        let mut ws = Workspace {
            root,
            today,
            disk_config: None,
            disk: BTreeMap::new(),
            disk_globs: Vec::new(),
            open: BTreeMap::new(),
            last_good_config: None,
            facts: None,
            git: None,
        };
        ws.reload_disk();
        ws
    }

    /// The work tree.
    pub(super) fn root(&self) -> &Path {
        &self.root
    }

    /// The date the rules judge as of.
    pub(super) fn today(&self) -> Date {
        self.today
    }

    /// The repository-relative path of `path`, when it is inside the work
    /// tree (and not in `.git`).
    pub(super) fn relative(&self, path: &Path) -> Option<String> {
        let inside = |p: &Path| -> Option<String> {
            let rel = p.strip_prefix(&self.root).ok()?;
            let rel = discover::relative(Path::new(""), rel);
            (!rel.is_empty() && !rel.split('/').any(|c| c == ".git" || c == "..")).then_some(rel)
        };
        inside(path).or_else(|| {
            // The editor may name the file through a symlinked directory.
            let parent = std::fs::canonicalize(path.parent()?).ok()?;
            inside(&parent.join(path.file_name()?))
        })
    }

    /// Re-read `roadlint.toml` and the roadmap files from disk.
    pub(super) fn reload_disk(&mut self) {
        let path = self.root.join(CONFIG_FILE);
        self.disk_config = if std::fs::symlink_metadata(&path).is_ok() {
            Some(discover::read_config(&path, CONFIG_FILE).map_err(|e| e.to_string()))
        } else {
            None
        };
        let globs = self.config_for_globs().roadmap;
        self.scan_roadmap(globs);
        self.git = match GitRepo::open(&self.root) {
            Ok(Opened::Repo(g)) => Some(g),
            _ => None,
        };
    }

    fn scan_roadmap(&mut self, globs: Vec<String>) {
        self.disk = discover::roadmap_files(&self.root, &globs)
            .map(|files| files.into_iter().map(|f| (f.path, f.content)).collect())
            .unwrap_or_default();
        self.disk_globs = globs;
    }

    /// The configuration text in force: the open buffer, else the disk.
    fn config_text(&self) -> Option<Result<String, String>> {
        match self.open.get(CONFIG_FILE) {
            Some(Document {
                too_large: Some(n), ..
            }) => Some(Err(format!(
                "file is too large ({n} bytes; the limit is {MAX_BUFFER_BYTES} bytes), not parsed"
            ))),
            Some(doc) => Some(Ok(doc.text.clone())),
            None => self.disk_config.clone(),
        }
    }

    /// The configuration the globs come from (the last good one when the
    /// current text does not parse).
    fn config_for_globs(&mut self) -> Config {
        match self.config_text() {
            Some(Ok(text)) => {
                let (cfg, diags) = config::parse(FileId(0), &text);
                if diags.is_empty() {
                    self.last_good_config = Some(text);
                    return cfg;
                }
                self.last_good()
            }
            _ => Config::default(),
        }
    }

    fn last_good(&self) -> Config {
        self.last_good_config
            .as_deref()
            .map(|t| config::parse(FileId(0), t).0)
            .unwrap_or_default()
    }

    /// Whether the server reports on `rel`: `roadlint.toml` and the files
    /// the `roadmap` globs match.
    pub(super) fn is_tracked(&self, rel: &str) -> bool {
        rel == CONFIG_FILE
            || crate::globs::compile(&self.disk_globs).is_ok_and(|set| set.is_match(rel))
    }

    /// Open or replace a buffer.
    /// A buffer over [`MAX_BUFFER_BYTES`] is not kept, nor parsed.
    pub(super) fn open(&mut self, rel: String, text: String, version: i32) {
        let (text, too_large) = if text.len() > MAX_BUFFER_BYTES {
            (String::new(), Some(text.len() as u64))
        } else {
            (text, None)
        };
        self.open.insert(
            rel,
            Document {
                text,
                version,
                too_large,
            },
        );
    }

    /// Close a buffer: the disk version counts again.
    pub(super) fn close(&mut self, rel: &str) {
        self.open.remove(rel);
    }

    /// The open buffer at `rel`.
    pub(super) fn document(&self, rel: &str) -> Option<&Document> {
        self.open.get(rel)
    }

    /// The history facts from the last save.
    pub(super) fn set_facts(&mut self, facts: Option<Facts>) {
        self.facts = facts;
    }

    /// `cfg` (read from `roadlint.toml`, already `sources`' first file) with
    /// the presets of its `extends` chain read from the disk (SPEC §9.8);
    /// when the chain does not read, `cfg` alone and the problems, each
    /// shown on `roadlint.toml`.
    fn with_presets(
        &self,
        cfg: Config,
        sources: &mut Sources,
    ) -> (Config, Option<Vec<Diagnostic>>) {
        if cfg.extends.is_empty() {
            return (cfg, None);
        }
        let root = self.root.clone();
        let read = |p: &str| crate::discover::Snapshot::WorkTree.read_preset(&root, None, p);
        let (full, diags) = crate::extends::load(sources, FileId(0), &read);
        if diags.is_empty() {
            return (full, None);
        }
        let shown = diags
            .into_iter()
            .map(|d| match d.file {
                Some(FileId(0)) => d.sanitized(),
                Some(f) => {
                    let path = sources.get(f).path.clone();
                    let first = sources.get(FileId(0)).first_line();
                    let message = format!("in the preset {path}: {}", d.message);
                    Diagnostic::new(d.rule, message)
                        .at(FileId(0), first)
                        .sanitized()
                }
                None => d.sanitized(),
            })
            .collect();
        (cfg, Some(shown))
    }

    /// Lint the disk with the open buffers over it.
    pub(super) fn analyze(&mut self) -> Analysis {
        let mut sources = Sources::default();
        let mut config_problems = None;
        let config = match self.config_text() {
            Some(Ok(text)) => {
                let id = FileId(0);
                let (cfg, diags) = config::parse(id, &text);
                if diags.is_empty() {
                    sources.add_config(SourceFile::new(CONFIG_FILE, text.clone()));
                    self.last_good_config = Some(text.clone());
                    let (cfg, problems) = self.with_presets(cfg, &mut sources);
                    if let Some(diags) = problems {
                        config_problems = Some((SourceFile::new(CONFIG_FILE, text), diags));
                    }
                    cfg
                } else {
                    let diags = diags.into_iter().map(Diagnostic::sanitized).collect();
                    config_problems = Some((SourceFile::new(CONFIG_FILE, text), diags));
                    match &self.last_good_config {
                        Some(good) => {
                            sources.add_config(SourceFile::new(CONFIG_FILE, good.clone()));
                            config::parse(id, good).0
                        }
                        None => Config::default(),
                    }
                }
            }
            Some(Err(e)) => {
                let d = Diagnostic::new(crate::diagnostic::RuleId::CONFIG, e)
                    .at(FileId(0), Default::default());
                config_problems = Some((SourceFile::new(CONFIG_FILE, ""), vec![d]));
                Config::default()
            }
            None => Config::default(),
        };
        if config.roadmap != self.disk_globs {
            self.scan_roadmap(config.roadmap.clone());
        }
        let set = crate::globs::compile(&config.roadmap).ok();
        let mut files: BTreeMap<&str, Result<Vec<u8>, Refusal>> = self
            .disk
            .iter()
            .map(|(p, c)| (p.as_str(), c.clone()))
            .collect();
        for (path, doc) in &self.open {
            if path != CONFIG_FILE && set.as_ref().is_some_and(|s| s.is_match(path)) {
                let content = match doc.too_large {
                    Some(n) => Err(Refusal::TooLarge(n)),
                    None => Ok(doc.text.clone().into_bytes()),
                };
                files.insert(path, content);
            }
        }
        let raw: Vec<RawFile> = files
            .into_iter()
            .map(|(path, content)| RawFile {
                path: path.to_string(),
                content,
            })
            .collect();
        let mut loaded = load(raw, sources);
        if let Some(git) = self
            .git
            .as_deref()
            .filter(|_| crate::rules::needs(&config, None).head_stages)
        {
            // A repository HEAD cannot be read in leaves the step unjudged
            // until the next save; `check` reports the failure itself.
            loaded.head =
                discover::head_stages(git, &loaded.roadmap, &loaded.sources, &config.roadmap)
                    .ok()
                    .flatten();
        }
        let diagnostics = lint_selected(
            &loaded,
            &config,
            self.today,
            self.facts.as_ref(),
            Vec::new(),
            None,
        );
        Analysis {
            loaded,
            config,
            diagnostics,
            config_problems,
        }
    }
}
