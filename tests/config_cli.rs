//! The configuration file as users meet it: the real binary reading a real rstat.toml given
//! with --config; flags winning over it; bad files reported as FILE:LINE with the key; the
//! shipped example (dist/rstat.toml) valid and true to the built-in defaults.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rstat_data_format::reader::{FileReader, Item, Record};
use rstat_data_format::{Sample, TableKind};

fn rstat() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rstat"))
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("dist/rstat.toml")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn write_config(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("rstat.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// The single day file in `dir`.
fn day_file(dir: &Path) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rstat"))
        .collect();
    assert_eq!(
        files.len(),
        1,
        "one day file in {}: {files:?}",
        dir.display()
    );
    files.into_iter().next().unwrap()
}

fn samples(path: &Path) -> Vec<Sample> {
    let mut reader = FileReader::open(path).unwrap();
    let mut samples = Vec::new();
    while let Some(item) = reader.next_item().unwrap() {
        if let Item::Record {
            record: Record::Sample { sample, .. },
            ..
        } = item
        {
            samples.push(sample);
        }
    }
    samples
}

#[test]
fn the_file_sets_directory_interval_activities_processes_and_mode() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let config = write_config(
        tmp.path(),
        &format!(
            "data_dir = '{}'\n[collect]\ninterval = \"300ms\"\nactivities = \"cpu\"\n\
             processes = false\nfile_mode = 0o600\n",
            data.display()
        ),
    );
    let output = rstat()
        .arg("--config")
        .arg(&config)
        .args(["collect", "--count", "2"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let file = day_file(&data);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let samples = samples(&file);
    assert_eq!(samples.len(), 2);
    let gap_ms = (samples[1].time_us - samples[0].time_us) / 1000;
    assert!(
        (250..2000).contains(&gap_ms),
        "300ms apart, measured {gap_ms} ms"
    );
    assert!(samples[1].table(TableKind::CPU).is_some());
    assert!(
        samples[1].table(TableKind::DISKSTATS).is_none(),
        "activities = \"cpu\" leaves disks out"
    );
    assert!(
        samples[1].table(TableKind::PROCESSES).is_none(),
        "processes = false"
    );

    // report finds today's file in the configured directory without --dir.
    let output = rstat()
        .arg("--config")
        .arg(&config)
        .args(["report", "-u"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("%user"), "{}", stdout(&output));
}

#[test]
fn flags_win_over_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let from_file = tmp.path().join("from-file");
    let from_flag = tmp.path().join("from-flag");
    let config = write_config(
        tmp.path(),
        &format!(
            "data_dir = '{}'\n[collect]\ninterval = \"1h\"\nactivities = \"cpu\"\n\
             processes = false\n",
            from_file.display()
        ),
    );
    let started = std::time::Instant::now();
    let output = rstat()
        .args(["collect", "--count", "2", "-i", "100ms", "--processes"])
        .args(["--activities", "cpu,disk", "--dir"])
        .arg(&from_flag)
        .arg("--config") // global: accepted after the subcommand too
        .arg(&config)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        started.elapsed().as_secs() < 60,
        "-i 100ms won over interval = 1h"
    );
    assert!(!from_file.exists(), "--dir won over data_dir");
    let samples = samples(&day_file(&from_flag));
    assert_eq!(samples.len(), 2);
    assert!(samples[1].table(TableKind::DISKSTATS).is_some());
    assert!(samples[1].table(TableKind::PROCESSES).is_some());
}

#[test]
fn prune_keeps_the_files_days_unless_told_otherwise() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let config = write_config(
        tmp.path(),
        &format!("data_dir = '{}'\n[prune]\nkeep_days = 5\n", data.display()),
    );
    let output = rstat()
        .arg("--config")
        .arg(&config)
        .args(["collect", "--count", "1", "--activities", "cpu"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let today = day_file(&data);
    let date = chrono::Local::now().date_naive();
    let old = |days: u64| {
        let path = data.join(format!(
            "{}.rstat",
            (date - chrono::Days::new(days)).format("%Y-%m-%d")
        ));
        std::fs::copy(&today, &path).unwrap();
        path
    };
    let (three, forty) = (old(3), old(40));
    let prune = |extra: &[&str]| {
        let output = rstat()
            .arg("--config")
            .arg(&config)
            .args(["prune", "--dry-run"])
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    let said = prune(&[]);
    assert!(
        said.starts_with(&format!("would remove {} (", forty.display())),
        "{said}"
    );
    assert_eq!(
        said.lines().count(),
        2,
        "one file and the bytes saved: {said}"
    );
    let said = prune(&["--keep-days", "2"]);
    assert!(said.contains(&three.display().to_string()), "{said}");
    assert_eq!(said.lines().count(), 3, "{said}");
}

#[test]
fn an_unknown_key_is_named_with_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let config = write_config(tmp.path(), "[collect]\ninterval = \"5s\"\nthread = true\n");
    for args in [&["config", "check"][..], &["collect", "--count", "1"]] {
        let output = rstat()
            .arg("--config")
            .arg(&config)
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert_eq!(
            stderr(&output),
            format!(
                "rstat: {}:3: unknown key `collect.thread`; known keys in [collect]: interval, \
                 activities, processes, \
                 threads, cmdline, cgroups, file_mode\n",
                config.display()
            )
        );
    }
}

#[test]
fn a_wrong_type_names_the_key_and_the_expected_type() {
    let tmp = tempfile::tempdir().unwrap();
    let config = write_config(tmp.path(), "# comment\n[collect]\ncmdline = \"no\"\n");
    let output = rstat()
        .args(["config", "check"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "rstat: {}:3: collect.cmdline: expected a boolean, found string \"no\"\n",
            config.display()
        )
    );
    assert!(stdout(&output).is_empty());
}

#[test]
fn a_missing_file_given_with_config_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nope.toml");
    let output = rstat()
        .arg("--config")
        .arg(&missing)
        .args(["collect", "--count", "1", "--file"])
        .arg(tmp.path().join("x.rstat"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let said = stderr(&output);
    assert!(
        said.starts_with(&format!(
            "rstat: {}: cannot read the configuration file",
            missing.display()
        )),
        "{said}"
    );
    assert!(!tmp.path().join("x.rstat").exists());
}

#[test]
fn a_missing_default_file_means_built_in_defaults() {
    // Not root in this environment: the default file is under XDG_CONFIG_HOME. As root the
    // default is /etc/rstat/rstat.toml, which this test must not depend on.
    if nix::unistd::geteuid().is_root() {
        if Path::new("/etc/rstat/rstat.toml").exists() {
            return;
        }
        let output = rstat().args(["config", "check"]).output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(stdout(&output).starts_with("# no configuration file (/etc/rstat/rstat.toml)"));
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let output = rstat()
        .env("XDG_CONFIG_HOME", tmp.path())
        .args(["config", "check"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("# no configuration file"));
}

#[test]
fn the_shipped_example_is_valid_and_states_the_true_defaults() {
    let output = rstat()
        .args(["config", "check"])
        .arg(example())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let printed = stdout(&output);
    assert!(
        printed.contains("interval = '10s'  # default\n"),
        "{printed}"
    );
    assert!(printed.contains("keep_days = 28  # default\n"), "{printed}");

    // Uncommenting every `#key = value` line must change nothing but data_dir (whose default
    // depends on the user): the comments tell the truth about the defaults.
    let text = std::fs::read_to_string(example()).unwrap();
    let uncommented: String = text
        .lines()
        .map(|line| match line.strip_prefix('#') {
            Some(rest) if rest.contains(" = ") && !rest.starts_with(' ') => rest,
            _ => line,
        })
        .map(|line| format!("{line}\n"))
        .collect();
    let keys = uncommented
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains(" = "))
        .count();
    assert_eq!(keys, 12, "every key is in the example:\n{uncommented}");
    let tmp = tempfile::tempdir().unwrap();
    let config = write_config(tmp.path(), &uncommented);
    let output = rstat()
        .args(["config", "check"])
        .arg(&config)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let from_example: Vec<String> = stdout(&output)
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with("data_dir"))
        .map(str::to_string)
        .collect();
    let defaults: Vec<String> = printed
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with("data_dir"))
        .map(|l| l.trim_end_matches("  # default").to_string())
        .collect();
    assert_eq!(from_example, defaults);
}
