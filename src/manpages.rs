//! The manual pages in man/ are generated from the clap definitions (clap_mangen) plus the
//! written sections below (files, exit status, migrating from sysstat). The test fails when
//! a committed page differs from what the CLI generates; regenerate with
//! `UPDATE_MAN=1 cargo test -p rstat manpages`. rstat-top.1 is written by hand (its screens
//! and keys are not options) and is only checked by groff.

use std::path::Path;

use clap::CommandFactory;

/// (page name, section, subcommand or "" for rstat itself, written sections in roff).
const PAGES: &[(&str, u8, &str, &str)] = &[
    ("rstat", 1, "", RSTAT_EXTRA),
    ("rstat-collect", 8, "collect", COLLECT_EXTRA),
    ("rstat-report", 1, "report", REPORT_EXTRA),
    ("rstat-info", 1, "info", INFO_EXTRA),
    ("rstat-prune", 8, "prune", PRUNE_EXTRA),
    ("rstat-completions", 1, "completions", ""),
];

const RSTAT_EXTRA: &str = r#".SH "MIGRATING FROM SYSSTAT"
.TS
l l.
sysstat	rstat
sadc 1 60 FILE	rstat collect \-i 1 \-c 60 \-\-file FILE
sa1 (cron, systemd timer)	rstat collect \-\-count 1 (rstat\-collect.timer)
sar \-u 1 5	rstat report \-u (from files; live mode: rstat top)
sar \-A \-f FILE	rstat report \-A \-f FILE
sar \-d \-p \-f FILE	rstat report \-d \-f FILE (names as seen at collection)
sa2 / HISTORY	rstat prune \-\-keep\-days N (rstat\-prune.timer)
.TE
.SH FILES
.TP
.I /var/log/rstat/YYYY\-MM\-DD.rstat
Daily data files when run as root; otherwise
.IR $XDG_STATE_HOME/rstat " (default " ~/.local/state/rstat ).
The format is described in rstat's data\-format/FORMAT.md; every later rstat reads every
earlier file.
.SH "EXIT STATUS"
0 on success; 1 on an error, explained in one line on standard error; 2 on bad usage;
3 when data was read but a file has damaged byte ranges (each one is reported).
.SH "SEE ALSO"
.BR rstat\-collect (8),
.BR rstat\-report (1),
.BR rstat\-top (1),
.BR rstat\-info (1),
.BR rstat\-prune (8),
.BR sar (1)
"#;

const COLLECT_EXTRA: &str = r#".SH FILES
.TP
.I /var/log/rstat
Default data directory for root.
.SH SIGNALS
SIGTERM, SIGINT and SIGHUP stop a continuous collection after the record in progress is
written; the exit status is then 0. Each record is written with one write and flushed to
disk (unless \-\-no\-sync), so a crash loses at most the record being written, and the next
collector appends after it.
.SH "EXIT STATUS"
0 on success; 1 when collection could not start (the file is locked by another collector,
the directory cannot be created) or a sample could not be written; 2 on bad usage.
.SH "SEE ALSO"
.BR rstat (1),
.BR rstat\-report (1),
.BR sadc (8)
"#;

const REPORT_EXTRA: &str = r#".SH "DIFFERENCES FROM SAR"
Figures use sysstat's formulas. Deliberate differences: pgsteal/s leaves out pgsteal_anon
and pgsteal_file (they count the same pages again by type), and pgscand/s leaves out
pgscan_direct_throttle (a count of events, not of pages). %util is shown as sar shows it,
but on devices that serve requests in parallel (SSD, NVMe, RAID) 100% does not mean
saturated.
.SH "EXIT STATUS"
0 on success; 1 on an error; 2 on bad usage; 3 when a file has damaged byte ranges (the
records before and after each one are reported).
.SH "SEE ALSO"
.BR rstat (1),
.BR sar (1)
"#;

const INFO_EXTRA: &str = r#".SH "EXIT STATUS"
0 when the file is intact; 3 when it has damaged byte ranges (listed); 1 when it cannot be
read at all (not an rstat file, written by a newer rstat, damaged header).
"#;

const PRUNE_EXTRA: &str = r#".SH "EXIT STATUS"
0 on success, also when some files were kept (a collector holds them, they are not rstat
files); 1 when a file could not be removed.
"#;

fn render(name: &'static str, section: u8, subcommand: &str, extra: &str) -> String {
    let mut command = crate::Cli::command();
    command.build();
    let command = if subcommand.is_empty() {
        command
    } else {
        command
            .find_subcommand(subcommand)
            .cloned()
            .unwrap_or_else(|| panic!("no subcommand {subcommand}"))
    };
    let command = command.name(name).bin_name(name.replacen('-', " ", 1));
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .section(section.to_string())
        .date("2026")
        .render(&mut page)
        .expect("rendering to memory");
    let mut page = String::from_utf8(page).expect("roff is text");
    page.push_str(extra);
    page
}

#[test]
fn committed_man_pages_match_the_cli() {
    let man_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let update = std::env::var_os("UPDATE_MAN").is_some();
    for (name, section, subcommand, extra) in PAGES {
        let path = man_dir.join(format!("{name}.{section}"));
        let generated = render(name, *section, subcommand, extra);
        if update {
            std::fs::create_dir_all(&man_dir).unwrap();
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{} differs from the CLI; run UPDATE_MAN=1 cargo test -p rstat manpages",
            path.display()
        );
    }
}

#[test]
fn man_pages_have_no_groff_warnings() {
    let Ok(version) = std::process::Command::new("groff")
        .arg("--version")
        .output()
    else {
        eprintln!("groff is not installed: skipping (CI installs groff-base)");
        return;
    };
    assert!(version.status.success());
    let man_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    for entry in std::fs::read_dir(man_dir).unwrap() {
        let path = entry.unwrap().path();
        let output = std::process::Command::new("groff")
            .args(["-man", "-t", "-ww", "-z"])
            .arg(&path)
            .output()
            .unwrap();
        let warnings = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && warnings.trim().is_empty(),
            "{}: {warnings}",
            path.display()
        );
    }
}
