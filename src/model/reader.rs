//! Typed, forgiving access to one TOML table.
//!
//! A [`TableReader`] hands out the fields a model type asks for, reporting every
//! wrong type, bad value and unknown key as a `schema` diagnostic with the span
//! of the offending text, and returning `None` for that field only, so the rest
//! of the entry is still read and checked.

use super::Keyword;
use crate::calendar::Date;
use crate::diagnostic::{Applicability, Diagnostic, Fix, RuleId};
use crate::source::{FileId, Span, Spanned};
use std::borrow::Cow;
use toml::de::{DeTable, DeValue};

/// Reads the fields of one table.
pub(crate) struct TableReader<'a, 'i, 'd> {
    file: FileId,
    base: usize,
    table: &'a DeTable<'i>,
    /// What the table is, for messages: "an item" (then "item `U-3`" once
    /// its id is read), "a request", "the file".
    what: Cow<'static, str>,
    /// The item id diagnostics about this table carry (JSON `item`).
    item: Option<String>,
    /// Rule id of the diagnostics this reader reports.
    rule: RuleId,
    /// Whether its fixes may be applied by `check --fix`.
    fixes: Applicability,
    known: Cow<'static, [&'static str]>,
    diags: &'d mut Vec<Diagnostic>,
    /// Fields with a schema problem, or that an unknown key probably meant.
    flawed: Vec<String>,
}

/// The name of a TOML value's type, for messages.
pub(crate) fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The known word closest to `word`, if it is close enough to be a typo: the
/// same word in another case or with `-`/`_` (`productOwner`), a prefix of
/// one (`feat`), or a few edits away.
pub(crate) fn did_you_mean<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    let fold = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let w = fold(word);
    if w.is_empty() {
        return None;
    }
    if let Some(k) = known.iter().find(|k| fold(k) == w) {
        return Some(k);
    }
    if w.len() >= 3 {
        let mut prefixed = known.iter().filter(|k| fold(k).starts_with(&w));
        if let (Some(k), None) = (prefixed.next(), prefixed.next()) {
            return Some(k);
        }
    }
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&w, &fold(k)), *k))
        .filter(|(d, k)| *d <= (k.len().max(word.len()) / 3).max(1))
        .min()
        .map(|(_, k)| k)
}

impl<'a, 'i, 'd> TableReader<'a, 'i, 'd> {
    /// A reader over `table`, whose spans are shifted by `base` bytes.
    pub(crate) fn new(
        file: FileId,
        base: usize,
        table: &'a DeTable<'i>,
        what: &'static str,
        known: impl Into<Cow<'static, [&'static str]>>,
        diags: &'d mut Vec<Diagnostic>,
    ) -> Self {
        TableReader {
            file,
            base,
            table,
            what: Cow::Borrowed(what),
            item: None,
            rule: RuleId::SCHEMA,
            fixes: Applicability::Safe,
            known: known.into(),
            diags,
            flawed: Vec::new(),
        }
        .with_misspellings()
    }

    /// Mark the known keys that an unknown key of the table probably meant,
    /// when they are absent: a valid `effort` beside a stray `efort` stays
    /// in use (one typo, one diagnostic: the unknown key).
    fn with_misspellings(mut self) -> Self {
        for (k, _) in self.table.iter() {
            let name: &str = k.get_ref();
            if !self.known.contains(&name) {
                if let Some(meant) = did_you_mean(name, &self.known) {
                    if !self.table.contains_key(meant) {
                        self.flawed.push(meant.to_string());
                    }
                }
            }
        }
        self
    }

    /// Name the entry in every later message ("of item `U-3`") and in the
    /// diagnostics' `item`: an entry whose id is known is named by it.
    pub(crate) fn naming_item(&mut self, id: &str) {
        self.what = Cow::Owned(format!("item `{}`", crate::escape::escape_data(id)));
        self.item = Some(id.to_string());
    }

    fn flaw(&mut self, key: &str) {
        self.flawed.push(key.to_string());
    }

    /// Offer this table's fixes for review only, never for `check --fix`: a
    /// waiver is a signed agreement that only a person changes.
    pub(crate) fn fixes_for_review(mut self) -> Self {
        self.fixes = Applicability::Unsafe;
        self
    }

    /// Report problems under `rule` instead of `schema` (the config uses `config`).
    pub(crate) fn with_rule(mut self, rule: RuleId) -> Self {
        self.rule = rule;
        self
    }

    /// Report a diagnostic found by the caller while reading this table.
    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// The file being read.
    pub(crate) fn file(&self) -> FileId {
        self.file
    }

    /// The offset added to the parser's spans.
    pub(crate) fn base(&self) -> usize {
        self.base
    }

    /// Report a problem with a value under this reader's rule.
    pub(crate) fn problem(&mut self, span: Span, message: impl Into<String>, help: Option<String>) {
        self.schema(span, message.into(), help);
    }

    fn span(&self, r: std::ops::Range<usize>) -> Span {
        Span::new(r.start + self.base, r.end + self.base)
    }

    fn schema(&mut self, span: Span, message: String, help: Option<String>) {
        self.schema_fixed(span, message, help, None);
    }

    /// Report a problem whose resolution is known: `replacement` replaces
    /// the text under `span` (a safe fix: it keeps what the author meant).
    fn schema_fixed(
        &mut self,
        span: Span,
        message: String,
        help: Option<String>,
        replacement: Option<(String, String)>,
    ) {
        let mut d = Diagnostic::new(self.rule, message).at(self.file, span);
        if let Some((title, text)) = replacement {
            d = d.fix(Fix::replace(title, self.fixes, self.file, span, text));
        }
        self.report(d, help);
    }

    /// Push `d` with `help`, naming the entry's item when known.
    fn report(&mut self, mut d: Diagnostic, help: Option<String>) {
        if let Some(item) = &self.item {
            d = d.item(item.clone());
        }
        if let Some(h) = help {
            d = d.help(h);
        }
        self.diags.push(d);
    }

    fn raw(&self, key: &str) -> Option<(Span, &'a toml::Spanned<DeValue<'i>>)> {
        debug_assert!(self.known.contains(&key), "{key} is not declared");
        self.table
            .get_key_value(key)
            .map(|(k, v)| (self.span(k.span().start..v.span().end), v))
    }

    /// The span from a key to the end of its value.
    pub(crate) fn entry_span(&self, key: &str) -> Option<Span> {
        self.raw(key).map(|(s, _)| s)
    }

    /// The raw value of `key`, with its span, if present.
    pub(crate) fn value(&self, key: &str) -> Option<(Span, &'a DeValue<'i>)> {
        self.raw(key)
            .map(|(_, v)| (self.span(v.span()), v.get_ref()))
    }

    fn wrong_type(&mut self, key: &str, span: Span, expected: &str, found: &DeValue<'_>) {
        self.flaw(key);
        let msg = format!(
            "`{key}` of {} must be {expected}, found {}",
            self.what,
            type_name(found)
        );
        self.schema(span, msg, None);
    }

    /// A string field.
    pub(crate) fn string(&mut self, key: &str) -> Option<Spanned<String>> {
        let (span, v) = self.value(key)?;
        match v {
            DeValue::String(s) => Some(Spanned::new(s.to_string(), span)),
            other => {
                self.wrong_type(key, span, "a string", other);
                None
            }
        }
    }

    /// A string field that names a person (an owner): a string, checked as
    /// [`crate::people::problem`] says. An invisible character is a `schema`
    /// error and marks the field flawed (the name is still returned, so the
    /// entry keeps its owner); look-alike scripts are a `schema` warning.
    pub(crate) fn person(&mut self, key: &str) -> Option<Spanned<String>> {
        let name = self.string(key)?;
        self.check_person(key, &name);
        Some(name)
    }

    /// An array of person names (`approved_by`), each checked as [`Self::person`].
    pub(crate) fn people(&mut self, key: &str) -> Option<Spanned<Vec<Spanned<String>>>> {
        let list = self.string_list(key)?;
        for name in &list.value {
            self.check_person(key, name);
        }
        Some(list)
    }

    fn check_person(&mut self, key: &str, name: &Spanned<String>) {
        use crate::people::{self, NameProblem};
        let Some(problem) = people::problem(&name.value) else {
            return;
        };
        let d = match problem {
            NameProblem::Invisible(chars) => {
                self.flaw(key);
                let which: Vec<String> = chars.iter().map(|c| people::code_point(*c)).collect();
                let clean = people::without_invisible(&name.value);
                Diagnostic::new(
                    self.rule,
                    format!(
                        "`{key}` of {} is \"{}\": the name holds an invisible character ({})",
                        self.what,
                        people::visible(&name.value),
                        which.join(", ")
                    ),
                )
                .help(format!(
                    "retype the name without it: `{key} = \"{}\"`; a hidden character makes two names that look alike name different people",
                    clean.trim()
                ))
            }
            NameProblem::MixedScripts {
                scripts,
                odd,
                odd_script,
            } => Diagnostic::new(
                self.rule,
                format!(
                    "`{key}` of {} is \"{}\", which mixes {} letters (`{odd}` is {} {})",
                    self.what,
                    name.value,
                    scripts.join(" and "),
                    odd_script,
                    people::code_point(odd)
                ),
            )
            .severity(crate::diagnostic::Severity::Warning)
            .help(
                "write the name in one script: a look-alike letter makes it another person's name",
            ),
        };
        let d = d.at(self.file, name.span);
        self.report(d, None);
    }

    /// A number (integer or float), which must be finite and satisfy `valid`.
    pub(crate) fn number(
        &mut self,
        key: &str,
        rule: &str,
        valid: impl Fn(f64) -> bool,
    ) -> Option<Spanned<f64>> {
        let (span, v) = self.value(key)?;
        let n = match v {
            DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
                .ok()
                .map(|n| n as f64),
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            DeValue::String(s) if s.trim().parse::<f64>().is_ok_and(f64::is_finite) => {
                self.flaw(key);
                let msg = format!("`{key}` of {} must be a number, found a string", self.what);
                let help = format!("drop the quotes: `{key} = {}`", s.trim());
                let fix = ("Drop the quotes".to_string(), s.trim().to_string());
                self.schema_fixed(span, msg, Some(help), Some(fix));
                return None;
            }
            other => {
                self.wrong_type(key, span, "a number", other);
                return None;
            }
        };
        match n {
            Some(n) if n.is_finite() && valid(n) => Some(Spanned::new(n, span)),
            _ => {
                self.flaw(key);
                let msg = format!("`{key}` of {} must be {rule}", self.what);
                self.schema(span, msg, None);
                None
            }
        }
    }

    /// A TOML local date (`2026-03-31`, no quotes, no time).
    pub(crate) fn date(&mut self, key: &str) -> Option<Spanned<Date>> {
        let (span, v) = self.value(key)?;
        match v {
            DeValue::Datetime(dt) => match (dt.date, dt.time) {
                (Some(d), None) => match Date::new(i32::from(d.year), d.month, d.day) {
                    Some(date) => Some(Spanned::new(date, span)),
                    None => {
                        self.flaw(key);
                        let msg = format!("`{key}` of {}: {dt} is not a real date", self.what);
                        self.schema(span, msg, None);
                        None
                    }
                },
                _ => {
                    self.flaw(key);
                    let msg = format!("`{key}` of {} must be a date without a time", self.what);
                    let help = dt.date.map(|d| format!("write `{key} = {d}`"));
                    self.schema(span, msg, help);
                    None
                }
            },
            DeValue::String(s) => {
                self.flaw(key);
                let msg = format!(
                    "`{key}` of {} must be a TOML date, found a string",
                    self.what
                );
                let date = s.parse::<Date>().ok();
                let help = date
                    .map(|d| format!("drop the quotes: `{key} = {d}`"))
                    .or_else(|| Some("write a date as YYYY-MM-DD without quotes".into()));
                let fix = date.map(|d| ("Drop the quotes".to_string(), d.to_string()));
                self.schema_fixed(span, msg, help, fix);
                None
            }
            other => {
                self.wrong_type(key, span, "a date (YYYY-MM-DD)", other);
                None
            }
        }
    }

    /// A keyword field (`kind`, `status`, `stage`).
    pub(crate) fn keyword<K: Keyword>(&mut self, key: &str) -> Option<Spanned<K>> {
        let s = self.string(key)?;
        match K::parse(&s.value) {
            Some(k) => Some(Spanned::new(k, s.span)),
            None => {
                self.flaw(key);
                let words: Vec<&str> = K::ALL.iter().map(|(w, _)| *w).collect();
                let msg = format!(
                    "`{key}` of {} is `{}`, which is not one of: {}",
                    self.what,
                    s.value,
                    words.join(", ")
                );
                let meant = did_you_mean(&s.value, &words);
                let help = meant.map(|w| format!("did you mean `{w}`?"));
                let fix = meant.map(|w| (format!("Replace with `{w}`"), format!("\"{w}\"")));
                self.schema_fixed(s.span, msg, help, fix);
                None
            }
        }
    }

    /// An array of strings; wrong-typed elements are reported and skipped.
    pub(crate) fn string_list(&mut self, key: &str) -> Option<Spanned<Vec<Spanned<String>>>> {
        let (span, v) = self.value(key)?;
        match v {
            DeValue::Array(a) => {
                let mut out = Vec::new();
                for e in a.iter() {
                    let es = self.span(e.span());
                    match e.get_ref() {
                        DeValue::String(s) => out.push(Spanned::new(s.to_string(), es)),
                        other => self.wrong_type(key, es, "an array of strings", other),
                    }
                }
                Some(Spanned::new(out, span))
            }
            DeValue::String(s) => {
                self.flaw(key);
                let msg = format!("`{key}` of {} must be an array of strings", self.what);
                let help = format!("write `{key} = [\"{}\"]`", s.escape_default());
                self.schema(span, msg, Some(help));
                None
            }
            other => {
                self.wrong_type(key, span, "an array of strings", other);
                None
            }
        }
    }

    /// Report a required key that is absent, pointing at `at`.
    pub(crate) fn require(&mut self, key: &str, present: bool, at: Span) {
        // A misspelt key is reported once, as unknown with a suggestion.
        let misspelt = self.flawed.iter().any(|f| f == key);
        if !present && !misspelt && self.raw(key).is_none() {
            let msg = format!("{} has no `{key}`", self.what);
            self.schema(at, msg, Some(format!("add `{key} = …`")));
        }
    }

    /// Report every key not in the known list, with a suggestion when close,
    /// and hand back the fields rules must not report again.
    pub(crate) fn finish(mut self) -> Flawed {
        let mut unknown = Vec::new();
        for (k, _) in self.table.iter() {
            let name: &str = k.get_ref();
            if !self.known.contains(&name) {
                unknown.push((self.span(k.span()), name.to_owned()));
            }
        }
        for (span, name) in unknown {
            let msg = format!("unknown key `{name}` in {}", self.what);
            let meant = did_you_mean(&name, &self.known);
            let help = match meant {
                Some(k) => format!("did you mean `{k}`?"),
                None => format!("known keys: {}", self.known.join(", ")),
            };
            // Renaming onto a key the table already has would make it invalid.
            let fix = meant
                .filter(|k| self.table.get(*k).is_none())
                .map(|k| (format!("Replace with `{k}`"), k.to_string()));
            self.schema_fixed(span, msg, Some(help), fix);
        }
        Flawed(self.flawed)
    }
}

/// The fields of an entry whose value had a schema error, or that an unknown
/// key probably meant (`efort` for `effort`). Rules leave them out, so that
/// one typo gives one diagnostic.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Flawed(Vec<String>);

impl Flawed {
    /// Whether `key` has a schema problem.
    pub fn has(&self, key: &str) -> bool {
        self.0.iter().any(|k| k == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_only_for_close_keys() {
        assert_eq!(did_you_mean("efort", &["effort", "id"]), Some("effort"));
        assert_eq!(
            did_you_mean("product_ownr", &["product_owner", "tech_owner"]),
            Some("product_owner")
        );
        assert_eq!(did_you_mean("zzz", &["effort", "id"]), None);
    }
}
