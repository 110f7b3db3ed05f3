//! `rstat collect --activities` and `rstat report`'s system-activity tables end to end: two
//! samples collected from the hand-made hardware trees (a, then b 1.96 s later by uptime) into
//! one file, then every system option of `rstat report`, checked against the figures the
//! fixtures were made to give.

mod common;

use std::path::{Path, PathBuf};

use common::{collect_from, report, rstat};

/// A file with a sample of system-hardware-a then one of system-hardware-b.
fn collected(dir: &Path, activities: &str) -> PathBuf {
    let file = dir.join("hw.rstat");
    for tree in ["system-hardware-a", "system-hardware-b"] {
        collect_from(tree, &file, &["--activities", activities]);
    }
    file
}

/// The first data line (not the header, not Average) whose item column is `item`.
fn line<'a>(text: &'a str, header: &str, item: &str) -> Vec<&'a str> {
    let table = text
        .split("\n\n")
        .find(|block| block.lines().next().is_some_and(|l| l.contains(header)))
        .unwrap_or_else(|| panic!("no table with {header}:\n{text}"));
    let line = table
        .lines()
        .skip(1)
        .find(|l| !l.starts_with("Average") && l.split_whitespace().nth(1) == Some(item))
        .unwrap_or_else(|| panic!("no row {item} under {header}:\n{table}"));
    line.split_whitespace().collect()
}

#[test]
fn every_system_table_shows_the_fixture_figures() {
    let dir = tempfile::tempdir().unwrap();
    let file = collected(dir.path(), "ALL");
    let text = report(&file, &["-A"]);
    for header in [
        "intr/s",
        "dentunusd",
        "rcvin/s",
        "MHz",
        "wghMHz",
        "degC",
        "rpm",
        "inV",
        "maxpower",
        "%cap",
        "MBfsfree",
        "%ifutil",
        "call/s",
        "scall/s",
        "totsck",
        "irec/s",
        "ihdrerr/s",
        "imsg/s",
        "ierr/s",
        "active/s",
        "atmptf/s",
        "idgm/s",
        "tcp6sck",
        "irec6/s",
        "ihdrer6/s",
        "imsg6/s",
        "ierr6/s",
        "idgm6/s",
        "total/s",
        "fch_rxf/s",
        "%scpu-10",
        "%sio-10",
        "%smem-10",
    ] {
        assert!(
            text.contains(header),
            "{header} missing from report -A:\n{text}"
        );
    }
    // %ifutil: 10% on both interfaces (the last column of -n DEV).
    assert_eq!(line(&text, "%ifutil", "eth0").last(), Some(&"10.00"));
    assert_eq!(line(&text, "%ifutil", "eth1").last(), Some(&"10.00"));
    assert_eq!(line(&text, "wghMHz", "all").last(), Some(&"2700.00"));
    assert_eq!(line(&text, "wghMHz", "0").last(), Some(&"3600.00"));
    assert_eq!(line(&text, "%cap", "BAT0")[3], "85.00");
    assert_eq!(
        line(&text, "fch_rxf/s", "host0")[2],
        format!("{:.2}", 4096.0 / 1.96)
    );
    assert_eq!(
        line(&text, "rcvin/s", "0")[2],
        format!("{:.2}", 480.0 / 1.96)
    );
}

#[test]
fn options_select_tables_and_reject_unknown_keywords() {
    let dir = tempfile::tempdir().unwrap();
    let file = collected(dir.path(), "DEFAULT,power");
    let text = report(&file, &["-q", "IO,MEM"]);
    assert!(
        text.contains("%sio-10") && text.contains("%fmem") && !text.contains("runq-sz"),
        "{text}"
    );
    let text = report(&file, &["-q"]);
    assert!(
        text.contains("runq-sz") && !text.contains("%scpu"),
        "plain -q is LOAD:\n{text}"
    );
    let text = report(&file, &["-I", "36,LOC"]);
    assert!(
        text.contains("INTR       all") && text.contains(" LOC ") && !text.contains(" NMI "),
        "{text}"
    );
    let text = report(&file, &["-I", "SCPU"]);
    assert!(text.contains("TIMER cpu0"), "{text}");
    let text = report(&file, &["-m", "TEMP,FAN", "-F", "MOUNT"]);
    assert!(
        text.contains(" TEMP ") && text.contains(" FAN ") && text.contains("MOUNTPOINT"),
        "{text}"
    );
    // -F closes with sar's Summary: row of the last values, not an Average: row.
    // (The fixture's filesystems are this machine's, read by statvfs: their figures move.)
    let text = report(&file, &["-F"]);
    let lines: Vec<Vec<&str>> = text
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    let at = lines
        .iter()
        .position(|l| l.first() == Some(&"Summary:"))
        .unwrap_or_else(|| panic!("no Summary: row:\n{text}"));
    assert_eq!(lines[at][1..], lines[at - 1][1..], "{text}");
    assert_eq!(lines[at].len(), 9, "{text}");
    assert!(!text.contains("Average:"), "{text}");
    let text = report(&file, &["-n", "SOCK,ETCP", "-v", "-y"]);
    assert!(text.contains("totsck") && text.contains("retrans/s") && text.contains("pty-nr"));
    for (args, needle) in [
        (vec!["-n", "BOGUS"], "-n BOGUS: expected one of DEV"),
        (vec!["-m", "X"], "-m X: expected CPU, FREQ"),
        (vec!["-q", "Y"], "-q Y: expected LOAD"),
        (vec!["-F", "Z"], "-F Z: expected nothing or MOUNT"),
    ] {
        let output = rstat()
            .args(["report", "-f"])
            .arg(&file)
            .args(&args)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains(needle),
            "{args:?}: {output:?}"
        );
    }
    let output = rstat()
        .args([
            "collect",
            "--count",
            "1",
            "--activities",
            "cpu,nope",
            "--file",
        ])
        .arg(dir.path().join("x.rstat"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown activity `nope`; valid names: cpu, mem, disk"),
        "{stderr}"
    );
}

/// sar -m FAN, TEMP, IN: `TEMP degC %temp DEVICE`, each row the sensor's number (from 1 per
/// kind, from 0 for IN, as sar numbers them) in 9 columns, the figures, then libsensors'
/// chip name, and the averages kept apart per sensor.
#[test]
fn sensors_print_as_sar_prints_them() {
    let dir = tempfile::tempdir().unwrap();
    let file = collected(dir.path(), "DEFAULT,power");
    let text = report(&file, &["-m", "TEMP,FAN,IN"]);
    // The time column is the fixture's collection time: compare what follows it.
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.len() > 11 && !l.starts_with("Linux"))
        .map(|l| &l[11..])
        .collect();
    let want = [
        "      TEMP      degC     %temp DEVICE",
        "         1     47.00     47.00 coretemp-isa-0000",
        "         2     43.00     43.00 coretemp-isa-0000",
        "         3     -5.00      0.00 nct6775-isa-0290",
        "         4     27.80      0.00 acpitz-virtual-0",
        "         1     47.00     47.00 coretemp-isa-0000",
        "         2     43.00     43.00 coretemp-isa-0000",
        "         3     -5.00      0.00 nct6775-isa-0290",
        "         4     27.80      0.00 acpitz-virtual-0",
        "       FAN       rpm      drpm DEVICE",
        "         1   1200.00    900.00 nct6775-isa-0290",
        "         1   1200.00    900.00 nct6775-isa-0290",
        "        IN       inV       %in DEVICE",
        "         0      1.02     54.00 nct6775-isa-0290",
        "         0      1.02     54.00 nct6775-isa-0290",
    ];
    assert_eq!(rows, want, "{text}");
    let averages = text.lines().filter(|l| l.starts_with("Average:")).count();
    assert_eq!(averages, 6, "{text}");

    // Exports split the item into sar's number and DEVICE.
    let out = rstat()
        .args(["export", "--csv", "-m", "TEMP", "-f"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let csv = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0], "hostname,interval,timestamp,TEMP,DEVICE,degC,%temp",
        "{csv}"
    );
    assert!(
        lines[1].ends_with(",1,coretemp-isa-0000,47.00,47.00"),
        "{csv}"
    );
    assert!(
        lines[3].ends_with(",3,nct6775-isa-0290,-5.00,0.00"),
        "{csv}"
    );
}
