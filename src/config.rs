//! The configuration file (rstat.toml): where it is looked for, the effective settings
//! (command-line flags > the file > built-in defaults; flags are applied by each command),
//! and `rstat config check`. The file's syntax and error messages live in config/file.rs.

use rstat::config_file as file;

pub use file::PushSection;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::Duration;

use clap::{Args, Subcommand};
use rstat_collector::activities::Activities;
use rstat_collector::process::ProcessOptions;
use rstat_data_format::daily::default_data_dir;

/// The system-wide file, read when rstat runs as root (and by the packaged services, which
/// pass it with --config because they run as the unprivileged user `rstat`).
pub const SYSTEM_PATH: &str = "/etc/rstat/rstat.toml";

/// Built-in defaults that the file can change.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(10);
const DEFAULT_FILE_MODE: u32 = 0o640;
/// Four weeks, like sysstat's HISTORY=28.
pub const DEFAULT_KEEP_DAYS: u32 = 28;

/// The settings in effect once the file (if any) is applied over the built-in defaults.
#[derive(Clone, Debug)]
pub struct Config {
    /// The file that was read; `None` when there is none at the default place.
    pub path: Option<PathBuf>,
    pub data_dir: PathBuf,
    pub interval: Duration,
    pub activities: Activities,
    pub processes: ProcessOptions,
    /// Permission bits of new data files (before the umask).
    pub file_mode: u32,
    /// Days of files `rstat prune` keeps, today included.
    pub keep_days: u32,
    /// Thinning of old days by `rstat prune`.
    pub tiers: Vec<rstat_data_format::thinning::Tier>,
    /// The size cap of the day files together, bytes.
    pub max_size: Option<u64>,
    /// `[push]` as the file gives it (`rstat push` applies its flags over it).
    pub push: PushSection,
    /// Dotted names of the keys the file set (the rest are defaults), for `config check`.
    set_by_file: Vec<&'static str>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            path: None,
            data_dir: default_data_dir(),
            interval: DEFAULT_INTERVAL,
            activities: Activities::default_set(),
            processes: ProcessOptions::default(),
            file_mode: DEFAULT_FILE_MODE,
            keep_days: DEFAULT_KEEP_DAYS,
            tiers: Vec::new(),
            max_size: None,
            push: PushSection::default(),
            set_by_file: Vec::new(),
        }
    }
}

impl Config {
    /// The built-in defaults with a file's text applied; `origin` names it in errors.
    pub fn from_text(text: &str, origin: &Path) -> Result<Config, String> {
        let parsed = file::parse(text, &origin.display().to_string())?;
        let mut config = Config {
            path: Some(origin.to_path_buf()),
            ..Config::default()
        };
        let set = &mut config.set_by_file;
        if let Some(dir) = parsed.data_dir {
            config.data_dir = dir.into_inner();
            set.push("data_dir");
        }
        let c = parsed.collect;
        if let Some(interval) = c.interval {
            config.interval = interval.0;
            set.push("collect.interval");
        }
        if let Some(list) = c.activities {
            config.activities = list.0;
            set.push("collect.activities");
        }
        let p = &mut config.processes;
        for (value, slot, name) in [
            (c.processes, &mut p.processes, "collect.processes"),
            (c.threads, &mut p.threads, "collect.threads"),
            (c.cmdline, &mut p.cmdline, "collect.cmdline"),
            (c.cgroups, &mut p.cgroups, "collect.cgroups"),
        ] {
            if let Some(value) = value {
                *slot = value;
                set.push(name);
            }
        }
        if let Some(mode) = c.file_mode {
            config.file_mode = mode.0;
            set.push("collect.file_mode");
        }
        if let Some(days) = parsed.prune.keep_days {
            config.keep_days = days.0;
            set.push("prune.keep_days");
        }
        if let Some(tiers) = parsed.prune.tiers {
            config.tiers = tiers.0;
            set.push("prune.tiers");
        }
        if let Some(size) = parsed.prune.max_size {
            config.max_size = size.0;
            set.push("prune.max_size");
        }
        config.push = parsed.push;
        Ok(config)
    }

    /// Reads `path`. `required` (given with --config or to `config check`) makes a missing
    /// file an error; the default file may be absent.
    pub fn load(path: &Path, required: bool) -> Result<Config, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::from_text(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                Ok(Config::default())
            }
            Err(e) => Err(format!(
                "{}: cannot read the configuration file: {e}; {}",
                path.display(),
                if required {
                    "pass an existing file to --config"
                } else {
                    "fix its permissions, or pass another file with --config"
                }
            )),
        }
    }

    /// The settings as a TOML file, each default marked: what `config check` prints.
    pub fn to_toml(&self) -> String {
        let mark = |name: &str| {
            if self.set_by_file.contains(&name) {
                ""
            } else {
                "  # default"
            }
        };
        let p = &self.processes;
        let mut out = String::new();
        let mut line = |name: &str, key: &str, value: String| {
            out.push_str(&format!("{key} = {value}{}\n", mark(name)));
        };
        line(
            "data_dir",
            "data_dir",
            quote(&self.data_dir.display().to_string()),
        );
        out.push_str("\n[collect]\n");
        let mut line = |name: &str, value: String| {
            let key = name.rsplit('.').next().unwrap_or(name);
            out.push_str(&format!("{key} = {value}{}\n", mark(name)));
        };
        line("collect.interval", quote(&format_duration(self.interval)));
        line("collect.activities", quote(&self.activities.to_string()));
        line("collect.processes", p.processes.to_string());
        line("collect.threads", p.threads.to_string());
        line("collect.cmdline", p.cmdline.to_string());
        line("collect.cgroups", p.cgroups.to_string());
        line("collect.file_mode", format!("{:#o}", self.file_mode));
        out.push_str("\n[prune]\n");
        out.push_str(&format!(
            "keep_days = {}{}\n",
            self.keep_days,
            mark("prune.keep_days")
        ));
        let tiers: Vec<String> = self.tiers.iter().map(|t| quote(&t.to_string())).collect();
        out.push_str(&format!(
            "tiers = [{}]{}\n",
            tiers.join(", "),
            mark("prune.tiers")
        ));
        let size = self.max_size.map_or("off".to_string(), |b| b.to_string());
        out.push_str(&format!(
            "max_size = {}{}\n",
            quote(&size),
            mark("prune.max_size")
        ));
        out.push_str(&push_toml(&self.push));
        out
    }
}

/// rstat samples per remote-write request (`rstat push`) unless `[push] batch_size` says.
pub const DEFAULT_PUSH_BATCH_SIZE: usize = 100;

/// The `[push]` keys the file set (the section has no defaults to show but the batch size).
fn push_toml(push: &PushSection) -> String {
    let mut out = String::from("\n[push]\n");
    let path = |p: &Option<PathBuf>| p.as_ref().map(|p| quote(&p.display().to_string()));
    for (key, value) in [
        ("url", push.url.as_deref().map(quote)),
        ("bearer_token_file", path(&push.bearer_token_file)),
        (
            "basic_auth_username",
            push.basic_auth_username.as_deref().map(quote),
        ),
        (
            "basic_auth_password_file",
            path(&push.basic_auth_password_file),
        ),
        ("tls_ca_file", path(&push.tls_ca_file)),
        ("state_file", path(&push.state_file)),
    ] {
        if let Some(value) = value {
            out.push_str(&format!("{key} = {value}\n"));
        }
    }
    match push.batch_size {
        Some(n) => out.push_str(&format!("batch_size = {}\n", n.0)),
        None => out.push_str(&format!(
            "batch_size = {}  # default\n",
            DEFAULT_PUSH_BATCH_SIZE
        )),
    }
    if let Some(headers) = &push.headers {
        out.push_str("\n[push.headers]\n");
        for (name, value) in headers {
            out.push_str(&format!("{} = {}\n", quote(name), quote(value)));
        }
    }
    out
}

/// Where the file is looked for without --config: the system file for root; otherwise
/// `$XDG_CONFIG_HOME/rstat/rstat.toml`, else `~/.config/rstat/rstat.toml`.
pub fn default_path() -> Option<PathBuf> {
    if nix::unistd::geteuid().is_root() {
        return Some(PathBuf::from(SYSTEM_PATH));
    }
    std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".config")))
        .map(|dir| dir.join("rstat/rstat.toml"))
}

/// The system's data directory, where the collector service writes: the `data_dir` of
/// /etc/rstat/rstat.toml, else /var/log/rstat (whoever runs this). A file that cannot be read
/// or parsed counts as absent: this only says where else to look.
pub fn system_data_dir() -> PathBuf {
    std::fs::read_to_string(SYSTEM_PATH)
        .ok()
        .and_then(|text| Config::from_text(&text, Path::new(SYSTEM_PATH)).ok())
        .filter(|config| config.set_by_file.contains(&"data_dir"))
        .map_or_else(|| PathBuf::from(SYSTEM_DATA_DIR), |config| config.data_dir)
}

/// The collector service's data directory when /etc/rstat/rstat.toml does not name one.
pub const SYSTEM_DATA_DIR: &str = "/var/log/rstat";

/// The global --config, recorded by main before any command runs.
static FLAG: OnceLock<Option<PathBuf>> = OnceLock::new();
/// The effective settings, read on first use so that commands that need none (completions)
/// do not fail on a broken file.
static LOADED: OnceLock<Result<Config, String>> = OnceLock::new();

/// Records the global `--config FILE` (main calls this once).
pub fn set_flag(path: Option<PathBuf>) {
    let _ = FLAG.set(path);
}

/// The effective settings of this run (read once).
pub fn get() -> Result<&'static Config, String> {
    LOADED
        .get_or_init(|| match FLAG.get().cloned().flatten() {
            Some(path) => Config::load(&path, true),
            None => match default_path() {
                Some(path) => Config::load(&path, false),
                None => Ok(Config::default()),
            },
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// A TOML string: literal ('...') when it can be, which needs no escaping.
fn quote(text: &str) -> String {
    if !text.contains(['\'', '\n', '\r']) {
        return format!("'{text}'");
    }
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The shortest exact spelling `--interval` accepts: 500ms, 10s, 5m, 1h.
fn format_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms % 1000 != 0 || d.subsec_nanos() % 1_000_000 != 0 {
        return format!("{}ms", d.as_secs_f64() * 1000.0);
    }
    let s = d.as_secs();
    match s {
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// Check a configuration file (rstat.toml(5)): `rstat config check [FILE]`.
#[derive(Args, Debug)]
pub struct ConfigArgs {
    #[command(subcommand)]
    action: ConfigAction,
}

#[derive(Subcommand, Debug)]
enum ConfigAction {
    /// Validate a configuration file and print the effective settings.
    ///
    /// Checks FILE, else the file given with --config, else the default one
    /// (/etc/rstat/rstat.toml for root, else $XDG_CONFIG_HOME/rstat/rstat.toml). Prints the
    /// settings in effect as a TOML file, keys the file does not set marked "# default".
    /// Exit status 0 when the file is valid (or absent at the default place), 1 when not.
    Check {
        /// The file to check.
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
}

pub fn run(args: ConfigArgs) -> Result<ExitCode, String> {
    let ConfigAction::Check { file } = args.action;
    let config = match file {
        Some(path) => Config::load(&path, true)?,
        None => get()?.clone(),
    };
    match &config.path {
        Some(path) => println!("# {}: valid. Effective settings:", path.display()),
        None => println!(
            "# no configuration file ({}); built-in defaults:",
            default_path().map_or("none".into(), |p| p.display().to_string())
        ),
    }
    print!("{}", config.to_toml());
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_values_replace_defaults_and_the_rest_stay() {
        let text = "data_dir = '/srv/r'\n[collect]\ninterval = \"1m\"\nthreads = true\n";
        let c = Config::from_text(text, Path::new("x.toml")).unwrap();
        assert_eq!(c.data_dir, PathBuf::from("/srv/r"));
        assert_eq!(c.interval, Duration::from_secs(60));
        assert!(c.processes.threads && c.processes.processes && c.processes.cmdline);
        assert_eq!(c.keep_days, 28);
        assert_eq!(c.file_mode, 0o640);
        assert_eq!(c.activities, Activities::default_set());
    }

    #[test]
    fn printed_settings_are_a_valid_file_with_the_same_values() {
        let text = "data_dir = \"/srv/it's\"\n[collect]\ninterval = 0.25\nactivities = 'cpu,psi'\n\
                    cmdline = false\nfile_mode = 0o600\n[prune]\nkeep_days = 3\n";
        let c = Config::from_text(text, Path::new("x.toml")).unwrap();
        let printed = c.to_toml();
        assert!(printed.contains("data_dir = \"/srv/it's\"\n"), "{printed}");
        assert!(printed.contains("interval = '250ms'\n"), "{printed}");
        assert!(
            printed.contains("threads = false  # default\n"),
            "{printed}"
        );
        assert!(printed.contains("file_mode = 0o600\n"), "{printed}");
        let again = Config::from_text(&printed, Path::new("y.toml")).unwrap();
        assert_eq!(again.data_dir, c.data_dir);
        assert_eq!(again.interval, c.interval);
        assert_eq!(again.activities, c.activities);
        assert_eq!(again.processes, c.processes);
        assert_eq!((again.file_mode, again.keep_days), (0o600, 3));
    }

    #[test]
    fn a_missing_default_file_is_no_error_but_a_missing_given_one_is() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("rstat.toml");
        assert!(Config::load(&missing, false).unwrap().path.is_none());
        let e = Config::load(&missing, true).unwrap_err();
        assert!(e.starts_with(&format!(
            "{}: cannot read the configuration file: No such file",
            missing.display()
        )));
        assert!(e.ends_with("pass an existing file to --config"), "{e}");
    }

    #[test]
    fn durations_print_in_their_shortest_unit() {
        assert_eq!(format_duration(Duration::from_secs(10)), "10s");
        assert_eq!(format_duration(Duration::from_secs(300)), "5m");
        assert_eq!(format_duration(Duration::from_secs(7200)), "2h");
        assert_eq!(format_duration(Duration::from_millis(1500)), "1500ms");
    }
}
