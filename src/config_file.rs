//! The rstat.toml file itself: its keys and their types (serde, unknown keys refused), and
//! turning toml's errors into one line that names the file, the line, the key and what is
//! expected there.

use std::ops::Range;
use std::path::PathBuf;
use std::time::Duration;

use rstat_collector::activities::Activities;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use toml::Spanned;

use rstat_data_format::thinning::Tier;

use crate::duration::parse_duration;

/// The whole file. Every key is optional: what is absent keeps its built-in default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    /// `data_dir`: where the day files are (with its place in the file, for errors).
    pub data_dir: Option<Spanned<PathBuf>>,
    #[serde(default)]
    /// `[collect]`.
    pub collect: CollectSection,
    #[serde(default)]
    /// `[prune]`.
    pub prune: PruneSection,
    #[serde(default)]
    /// `[push]`.
    pub push: PushSection,
}

/// `[collect]`: what `rstat collect` records and how it writes it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectSection {
    /// `interval`: time between samples.
    pub interval: Option<Interval>,
    /// `activities`: the activity groups recorded.
    pub activities: Option<ActivityList>,
    /// `processes`: record processes.
    pub processes: Option<bool>,
    /// `threads`: record every thread too.
    pub threads: Option<bool>,
    /// `cmdline`: record command lines.
    pub cmdline: Option<bool>,
    /// `cgroups`: record cgroup v2 groups.
    pub cgroups: Option<bool>,
    /// `file_mode`: permission bits of new data files.
    pub file_mode: Option<FileMode>,
}

/// `[prune]`: retention.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PruneSection {
    /// `keep_days` (also spelt `max_days`, beside `max_size`): days of files kept, today
    /// included.
    #[serde(alias = "max_days")]
    pub keep_days: Option<Days>,
    /// `tiers`: thinning of old days.
    pub tiers: Option<Tiers>,
    /// `max_size`: the size cap of the day files together.
    pub max_size: Option<Size>,
}

/// `tiers`: a list of "AGE: STEP" (see rstat_data_format::thinning::Tier::parse).
#[derive(Clone, Debug)]
pub struct Tiers(pub Vec<Tier>);

/// `max_size`: bytes with an optional k, M, G or T suffix (powers of 1024), or "off".
#[derive(Clone, Copy, Debug)]
pub struct Size(pub Option<u64>);
/// `[push]`: where `rstat push` sends the samples and how (see rstat-push(8)).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushSection {
    /// The remote-write endpoint, e.g. `http://prometheus:9090/api/v1/write`.
    pub url: Option<String>,
    /// A file holding the bearer token sent with each request.
    pub bearer_token_file: Option<PathBuf>,
    /// The user name of HTTP basic authentication.
    pub basic_auth_username: Option<String>,
    /// A file holding the password of HTTP basic authentication.
    pub basic_auth_password_file: Option<PathBuf>,
    /// PEM certificates of the CAs that sign the receiver's certificate.
    pub tls_ca_file: Option<PathBuf>,
    /// Extra HTTP headers (`X-Scope-OrgID` for Mimir and Cortex tenants).
    pub headers: Option<std::collections::BTreeMap<String, String>>,
    /// rstat samples per request.
    pub batch_size: Option<BatchSize>,
    /// Where the acknowledged position is kept.
    pub state_file: Option<PathBuf>,
}

/// `batch_size`: samples per remote-write request, 1 to 10000.
#[derive(Clone, Copy, Debug)]
pub struct BatchSize(pub u32);

impl<'de> Deserialize<'de> for BatchSize {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(deserializer)?;
        match u32::try_from(n) {
            Ok(n) if (1..=10_000).contains(&n) => Ok(BatchSize(n)),
            _ => Err(de::Error::custom(format!(
                "{n}: expected a number of samples per request from 1 to 10000, e.g. 100"
            ))),
        }
    }
}

/// `interval`: the same text as `--interval` ("10s", "500ms", "5m"), or a number of seconds.
#[derive(Clone, Copy, Debug)]
pub struct Interval(pub Duration);

/// `activities`: the same list as `--activities`.
#[derive(Clone, Copy, Debug)]
pub struct ActivityList(pub Activities);

/// `keep_days`: a whole number of days, at least 1.
#[derive(Clone, Copy, Debug)]
pub struct Days(pub u32);

/// `file_mode`: permission bits of new data files, as an octal integer (0o640) or a string
/// ("0640"), because `0640` is not a valid TOML integer and admins write it anyway.
#[derive(Clone, Copy, Debug)]
pub struct FileMode(pub u32);

impl<'de> Deserialize<'de> for Interval {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Interval;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a duration such as \"10s\", \"500ms\", \"5m\" or a number of seconds")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Interval, E> {
                parse_duration(text).map(Interval).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, seconds: i64) -> Result<Interval, E> {
                self.visit_str(&seconds.to_string())
            }
            fn visit_f64<E: de::Error>(self, seconds: f64) -> Result<Interval, E> {
                self.visit_str(&seconds.to_string())
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for ActivityList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ActivityList;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a list of activity groups such as \"DEFAULT,-fs\" or [\"cpu\", \"mem\"]",
                )
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<ActivityList, E> {
                Activities::parse(text).map(ActivityList).map_err(E::custom)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<ActivityList, A::Error> {
                // An array of names means the same as the names joined with commas.
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    names.push(name);
                }
                self.visit_str(&names.join(","))
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Days {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Days;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a whole number of days, e.g. 28")
            }
            fn visit_i64<E: de::Error>(self, days: i64) -> Result<Days, E> {
                match u32::try_from(days) {
                    Ok(days) if days >= 1 => Ok(Days(days)),
                    _ => Err(E::custom(format!(
                        "{days} days: expected a whole number of days of at least 1, e.g. 28"
                    ))),
                }
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Tiers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let texts = Vec::<String>::deserialize(deserializer)?;
        let tiers = texts
            .iter()
            .map(|t| Tier::parse(t))
            .collect::<Result<Vec<_>, _>>()
            .map_err(de::Error::custom)?;
        Ok(Tiers(tiers))
    }
}

impl<'de> Deserialize<'de> for Size {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Size;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a size such as \"2G\", \"500M\", a number of bytes, or \"off\"")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Size, E> {
                parse_size(text).map(Size).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, bytes: i64) -> Result<Size, E> {
                self.visit_str(&bytes.to_string())
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// "2G", "500M", "100k", "12345" (bytes) or "off" (no cap).
pub fn parse_size(text: &str) -> Result<Option<u64>, String> {
    let text = text.trim();
    if text == "off" {
        return Ok(None);
    }
    let (digits, factor) = match text.char_indices().last() {
        Some((at, 'k' | 'K')) => (&text[..at], 1u64 << 10),
        Some((at, 'M')) => (&text[..at], 1 << 20),
        Some((at, 'G')) => (&text[..at], 1 << 30),
        Some((at, 'T')) => (&text[..at], 1 << 40),
        _ => (text, 1),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
        .filter(|n| *n > 0)
        .map(Some)
        .ok_or_else(|| format!("{text:?}: expected a size such as \"2G\", \"500M\" or \"off\""))
}

impl<'de> Deserialize<'de> for FileMode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = FileMode;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("permission bits as an octal number, e.g. 0o640 or \"0640\"")
            }
            fn visit_i64<E: de::Error>(self, mode: i64) -> Result<FileMode, E> {
                check_mode(mode).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<FileMode, E> {
                let digits = text.trim().trim_start_matches("0o");
                let mode = i64::from_str_radix(digits, 8).map_err(|_| {
                    E::custom(format!(
                        "`{text}` is not an octal mode; write e.g. 0o640 or \"0640\""
                    ))
                })?;
                check_mode(mode).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A mode the collector can live with: only permission bits (no setuid or sticky bits), and
/// the owner can read and write, or the next run could not append to the file.
fn check_mode(mode: i64) -> Result<FileMode, String> {
    if !(0o600..=0o777).contains(&mode) || mode & 0o600 != 0o600 {
        return Err(format!(
            "{mode:#o} is not a usable mode; expected permission bits from 0o600 to 0o777 \
             that let the owner read and write, e.g. 0o640"
        ));
    }
    Ok(FileMode(mode as u32))
}

/// Parses a file's text; `origin` (the path) starts every error.
pub fn parse(text: &str, origin: &str) -> Result<FileSettings, String> {
    // Syntax first, so that its errors can say so (serde's are about keys and types).
    if let Err(e) = text.parse::<toml::Table>() {
        let hint = if e.message().contains("leading zero") || leading_zero_value(text, e.span()) {
            "; write octal modes as 0o640 or \"0640\""
        } else {
            ""
        };
        // toml puts what it expected on a second line: keep the error to one line.
        let what: Vec<&str> = e.message().lines().map(str::trim).collect();
        let message = format!("not valid TOML: {}{hint}", what.join(": "));
        return Err(describe(text, origin, e.span(), &message));
    }
    let settings: FileSettings =
        toml::from_str(text).map_err(|e| describe(text, origin, e.span(), e.message()))?;
    if let Some(dir) = &settings.data_dir {
        if dir.get_ref().as_os_str().is_empty() {
            return Err(describe(
                text,
                origin,
                Some(dir.span()),
                "expected a directory, found an empty string",
            ));
        }
    }
    Ok(settings)
}

/// Whether the value on the error's line is a number with a leading zero (`0640`), which
/// TOML forbids and people write for modes.
fn leading_zero_value(text: &str, span: Option<Range<usize>>) -> bool {
    let Some(span) = span else { return false };
    let start = span.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    line.split_once('=').is_some_and(|(_, value)| {
        let value = value.trim();
        value.len() > 1
            && value.starts_with('0')
            && value[1..].starts_with(|c: char| c.is_ascii_digit())
    })
}

/// One line: `FILE:LINE: KEY: what is wrong; what is expected`.
fn describe(text: &str, origin: &str, span: Option<Range<usize>>, message: &str) -> String {
    let Some(span) = span else {
        return format!("{origin}: {}", tidy(message));
    };
    let start = span.start.min(text.len());
    let line = text[..start].matches('\n').count() + 1;
    let message = tidy(message);
    let key = key_at(text, start);
    if let Some(rest) = message.strip_prefix("unknown key `") {
        // Name the key with its table, and say whose keys the list is.
        let (name, after) = rest.split_once('`').unwrap_or((rest, ""));
        let key = key.unwrap_or_else(|| name.to_string());
        let after = match key.rsplit_once('.') {
            Some((table, _)) => {
                after.replacen("known keys:", &format!("known keys in [{table}]:"), 1)
            }
            None => after.to_string(),
        };
        return format!("{origin}:{line}: unknown key `{key}`{after}");
    }
    match key {
        Some(key) => format!("{origin}:{line}: {key}: {message}"),
        None => format!("{origin}:{line}: {message}"),
    }
}

/// serde's wording rephrased for people editing a file: "unknown field `x`, expected one of
/// `a`, `b`" becomes "unknown key `x`; known keys: a, b"; "invalid type: A, expected B"
/// becomes "expected B, found A".
fn tidy(message: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (name, known) = match rest.split_once(", expected ") {
            Some((name, known)) => (name, known),
            None => (rest, ""),
        };
        let known = known
            .trim_start_matches("one of ")
            .trim_start_matches("a value of ")
            .replace('`', "");
        return format!("unknown key {name}; known keys: {known}");
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some((found, expected)) = message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split_once(", expected "))
        {
            return format!("expected {expected}, found {found}");
        }
    }
    message.to_string()
}

/// The dotted key whose value or name is at byte `offset`: the `[table]` header above it
/// and the key on its line, e.g. `collect.interval`.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
    if key.is_empty() || key.starts_with('#') {
        return None;
    }
    let table = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && !l.starts_with("[["))
        .map(|l| {
            l.trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
        });
    Some(match table {
        Some(table) if !table.is_empty() => format!("{table}.{key}"),
        _ => key.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_file_parses_to_its_values() {
        let text = "data_dir = \"/srv/rstat\"\n[collect]\ninterval = \"2s\"\nactivities = [\"cpu\", \"mem\"]\n\
                    processes = false\nthreads = true\ncmdline = false\ncgroups = false\nfile_mode = 0o640\n\
                    [prune]\nkeep_days = 7\n";
        let s = parse(text, "t.toml").unwrap();
        assert_eq!(
            s.data_dir.unwrap().into_inner(),
            PathBuf::from("/srv/rstat")
        );
        assert_eq!(s.collect.interval.unwrap().0, Duration::from_secs(2));
        assert_eq!(s.collect.activities.unwrap().0.to_string(), "cpu,mem");
        assert_eq!(s.collect.processes, Some(false));
        assert_eq!(s.collect.threads, Some(true));
        assert_eq!(s.collect.cmdline, Some(false));
        assert_eq!(s.collect.cgroups, Some(false));
        assert_eq!(s.collect.file_mode.unwrap().0, 0o640);
        assert_eq!(s.prune.keep_days.unwrap().0, 7);
    }

    #[test]
    fn numbers_and_strings_mean_the_same() {
        let s = parse("[collect]\ninterval = 30\nfile_mode = \"0600\"\n", "t").unwrap();
        assert_eq!(s.collect.interval.unwrap().0, Duration::from_secs(30));
        assert_eq!(s.collect.file_mode.unwrap().0, 0o600);
        let s = parse(
            "[collect]\ninterval = 0.5\nactivities = \"ALL,-power\"\n",
            "t",
        )
        .unwrap();
        assert_eq!(s.collect.interval.unwrap().0, Duration::from_millis(500));
        assert!(!s
            .collect
            .activities
            .unwrap()
            .0
            .to_string()
            .contains("power"));
    }

    #[test]
    fn unknown_keys_name_file_line_key_and_the_known_ones() {
        let e = parse(
            "[collect]\ninterval = \"1s\"\nintervall = 5\n",
            "/etc/r.toml",
        )
        .unwrap_err();
        assert_eq!(
            e,
            "/etc/r.toml:3: unknown key `collect.intervall`; known keys in [collect]: interval, activities, \
             processes, threads, cmdline, cgroups, file_mode"
        );
        let e = parse("dir = \"/x\"\n", "f").unwrap_err();
        assert_eq!(
            e,
            "f:1: unknown key `dir`; known keys: data_dir, collect, prune, push"
        );
    }

    #[test]
    fn wrong_types_name_the_key_and_the_expected_type() {
        let e = parse("\n[collect]\nprocesses = \"yes\"\n", "f").unwrap_err();
        assert_eq!(
            e,
            "f:3: collect.processes: expected a boolean, found string \"yes\""
        );
        let e = parse("[collect]\ninterval = true\n", "f").unwrap_err();
        assert_eq!(
            e,
            "f:2: collect.interval: expected a duration such as \"10s\", \"500ms\", \"5m\" or a \
             number of seconds, found boolean `true`"
        );
        let e = parse("[prune]\nkeep_days = \"28\"\n", "f").unwrap_err();
        assert_eq!(
            e,
            "f:2: prune.keep_days: expected a whole number of days, e.g. 28, found string \"28\""
        );
    }

    #[test]
    fn bad_values_say_what_is_expected() {
        let e = parse("[collect]\n\nactivities = \"cpu,bogus\"\n", "f").unwrap_err();
        assert!(
            e.starts_with("f:3: collect.activities: unknown activity `bogus`; valid names: cpu,"),
            "{e}"
        );
        let e = parse("[collect]\nfile_mode = 0o444\n", "f").unwrap_err();
        assert!(
            e.starts_with("f:2: collect.file_mode: 0o444 is not a usable mode"),
            "{e}"
        );
        let e = parse("[collect]\ninterval = \"0s\"\n", "f").unwrap_err();
        assert!(e.starts_with("f:2: collect.interval: `0s`"), "{e}");
        let s = parse("[prune]\nmax_days = 400\nmax_size = \"2G\"\n", "f").unwrap();
        assert_eq!(s.prune.keep_days.unwrap().0, 400, "max_days is keep_days");
        let e = parse("[prune]\nkeep_days = 0\n", "f").unwrap_err();
        assert_eq!(
            e,
            "f:2: prune.keep_days: 0 days: expected a whole number of days of at least 1, e.g. 28"
        );
        let e = parse("data_dir = \"\"\n", "f").unwrap_err();
        assert_eq!(
            e,
            "f:1: data_dir: expected a directory, found an empty string"
        );
    }

    #[test]
    fn the_push_section_parses_and_checks_its_values() {
        let s = parse(
            "[push]\nurl = \"http://127.0.0.1:9090/api/v1/write\"\nbatch_size = 50\n\
             bearer_token_file = \"/etc/rstat/token\"\n[push.headers]\nX-Scope-OrgID = \"fleet\"\n",
            "f",
        )
        .unwrap();
        assert_eq!(
            s.push.url.as_deref(),
            Some("http://127.0.0.1:9090/api/v1/write")
        );
        assert_eq!(s.push.batch_size.unwrap().0, 50);
        assert_eq!(s.push.headers.unwrap()["X-Scope-OrgID"], "fleet");
        let e = parse("[push]\nbatch_size = 0\n", "f").unwrap_err();
        assert!(
            e.starts_with("f:2: push.batch_size: 0: expected a number of samples"),
            "{e}"
        );
        let e = parse("[push]\nuri = \"x\"\n", "f").unwrap_err();
        assert!(
            e.starts_with("f:2: unknown key `push.uri`; known keys in [push]: url,"),
            "{e}"
        );
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let e = parse("[collect]\nfile_mode = 0640\n", "f").unwrap_err();
        assert!(
            e.starts_with("f:2: collect.file_mode: not valid TOML: "),
            "{e}"
        );
        assert!(e.ends_with("write octal modes as 0o640 or \"0640\""), "{e}");
        let e = parse("data_dir = \"/x\"\ndata_dir = \"/y\"\n", "f").unwrap_err();
        assert!(
            e.starts_with("f:2: data_dir: not valid TOML: duplicate key"),
            "{e}"
        );
        let e = parse("[collect\n", "f").unwrap_err();
        assert!(e.starts_with("f:1: not valid TOML: "), "{e}");
        assert!(!e.contains('\n'), "one line: {e}");
    }
}
