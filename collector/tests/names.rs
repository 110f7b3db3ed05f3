//! The block-device and user name tables, from a hand-made root: what they hold, and that
//! they are read again only when their sources change.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::{Duration, SystemTime};

use rstat_collector::names::NameTables;
use rstat_data_format::schema::TableKind;
use rstat_data_format::Sample;

fn rows(sample: &Sample, kind: TableKind) -> Vec<(String, Vec<String>, Vec<u64>)> {
    sample
        .table(kind)
        .expect("the table")
        .rows
        .iter()
        .map(|r| (r.key.clone(), r.text.clone(), r.values.clone()))
        .collect()
}

fn names(sample: &Sample) -> Vec<(String, String, String)> {
    rows(sample, TableKind::DEVICE_NAMES)
        .into_iter()
        .map(|(key, text, _)| (key, text[0].clone(), text[1].clone()))
        .collect()
}

fn touch(path: &Path, seconds_later: u64) {
    let file = fs::File::open(path).unwrap();
    file.set_modified(SystemTime::now() + Duration::from_secs(seconds_later))
        .unwrap();
}

fn tuple(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.into(), b.into(), c.into())
}

#[test]
fn device_names_come_from_dm_names_and_disk_links_and_are_reread_on_change() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    for dir in [
        "sys/block/dm-0/dm",
        "sys/block/dm-10/dm",
        "sys/block/sda",
        "dev/mapper",
        "dev/disk/by-id",
        "dev/disk/by-uuid",
    ] {
        fs::create_dir_all(r.join(dir)).unwrap();
    }
    fs::write(r.join("sys/block/dm-0/dm/name"), "vg0-root\n").unwrap();
    fs::write(r.join("sys/block/dm-10/dm/name"), "vg0-swap\n").unwrap();
    symlink("../../sda", r.join("dev/disk/by-id/ata-DISK_1")).unwrap();
    symlink("../../sda1", r.join("dev/disk/by-id/ata-DISK_1-part1")).unwrap();
    symlink("../../dm-0", r.join("dev/disk/by-uuid/1234-abcd")).unwrap();

    let mut tables = NameTables::new(r);
    let mut sample = Sample::default();
    tables.devices(&mut sample);
    let expected = vec![
        tuple("dm-0", "mapper", "vg0-root"),
        tuple("dm-10", "mapper", "vg0-swap"),
        tuple("sda", "id", "ata-DISK_1"),
        tuple("sda1", "id", "ata-DISK_1-part1"),
        tuple("dm-0", "uuid", "1234-abcd"),
    ];
    assert_eq!(names(&sample), expected);

    // Renamed without its directories changing: not read again.
    fs::write(r.join("sys/block/dm-0/dm/name"), "vg0-renamed\n").unwrap();
    tables.devices(&mut sample);
    assert_eq!(names(&sample), expected, "unchanged sources: not read");

    // /dev/mapper changed (a device-mapper table was loaded): read again.
    touch(&r.join("dev/mapper"), 10);
    tables.devices(&mut sample);
    assert_eq!(names(&sample)[0], tuple("dm-0", "mapper", "vg0-renamed"));

    // A fresh sample gets the table as last read, without reading again.
    fs::write(r.join("sys/block/dm-0/dm/name"), "not-read\n").unwrap();
    let mut fresh = Sample::default();
    tables.devices(&mut fresh);
    assert_eq!(names(&fresh)[0], tuple("dm-0", "mapper", "vg0-renamed"));
    assert_eq!(names(&fresh).len(), 5);
}

#[test]
fn users_come_from_passwd_and_are_reread_when_it_changes() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    fs::create_dir_all(r.join("etc")).unwrap();
    let passwd = r.join("etc/passwd");
    fs::write(
        &passwd,
        "root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/a:/bin/sh\n",
    )
    .unwrap();
    let mut tables = NameTables::new(r);
    let mut sample = Sample::default();
    tables.users(&mut sample);
    let users = |s: &Sample| -> Vec<(String, Vec<u64>)> {
        rows(s, TableKind::USERS)
            .into_iter()
            .map(|(key, _, values)| (key, values))
            .collect()
    };
    assert_eq!(
        users(&sample),
        [
            ("root".to_string(), vec![0]),
            ("alice".to_string(), vec![1000])
        ]
    );
    fs::write(
        &passwd,
        "root:x:0:0:root:/root:/bin/sh\nbob:x:1001:1001::/:/bin/sh\n",
    )
    .unwrap();
    touch(&passwd, 10);
    tables.users(&mut sample);
    assert_eq!(users(&sample)[1], ("bob".to_string(), vec![1001]));

    // No /etc/passwd under the root: no table, no error.
    let empty = tempfile::tempdir().unwrap();
    let mut sample = Sample::default();
    NameTables::new(empty.path()).users(&mut sample);
    assert!(sample.table(TableKind::USERS).is_none());
}
