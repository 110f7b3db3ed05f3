//! A day replaced (thinned, merged) between a second program's open of the path and its
//! lock: the second program must end up on the new file, never on the replaced copy that
//! no reader sees any more.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use super::*;
use crate::test_samples::at_uptime;
use crate::thinning::thin_file;

fn header() -> FileHeader {
    FileHeader {
        host: "race".into(),
        ticks_per_sec: 100,
        ..FileHeader::default()
    }
}

/// A day of `n` samples, one a second.
fn day(path: &Path, n: u64) {
    let mut writer = FileWriter::open(path, &header(), 0o640).unwrap();
    writer.set_durable(false);
    for i in 0..n {
        writer
            .append_sample(&at_uptime(100 * (i + 1)), false)
            .unwrap();
    }
}

/// The uptimes of the samples the path's file holds.
fn uptimes(path: &Path) -> Vec<u64> {
    records(FileReader::open(path).unwrap())
        .filter_map(|record| match record.unwrap() {
            Record::Sample { sample, .. } => sample.uptime_cs(),
            _ => None,
        })
        .collect()
}

/// Runs `f` the first time it is called (the hook runs again when the open is retried).
fn once(f: impl FnOnce()) -> impl FnMut() {
    let mut f = Some(f);
    move || {
        if let Some(f) = f.take() {
            f()
        }
    }
}

#[test]
fn a_collector_that_opened_a_day_just_before_it_was_thinned_appends_to_the_thinned_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("2026-01-01.rstat");
    day(&path, 120);
    let thin = once(|| {
        let thinned = thin_file(&path, 60, false).unwrap().unwrap();
        assert!(thinned.samples_after < thinned.samples_before);
    });
    let mut writer = FileWriter::open_with(&path, &header(), 0o640, thin).unwrap();
    writer.append_sample(&at_uptime(100 * 500), false).unwrap();
    drop(writer);
    let kept = uptimes(&path);
    assert!(kept.len() < 120, "not thinned: {kept:?}");
    assert_eq!(
        kept.last(),
        Some(&50_000),
        "the late sample was lost: {kept:?}"
    );
}

#[test]
fn a_collector_that_opened_a_day_just_before_it_was_deleted_writes_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("2026-01-01.rstat");
    day(&path, 3);
    let delete = once(|| std::fs::remove_file(&path).unwrap());
    let mut writer = FileWriter::open_with(&path, &header(), 0o640, delete).unwrap();
    writer.append_sample(&at_uptime(100 * 500), false).unwrap();
    drop(writer);
    assert_eq!(uptimes(&path), [50_000]);
}

#[test]
fn a_rewrite_that_opened_a_day_just_before_another_replaced_it_reads_the_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("2026-01-01.rstat");
    day(&path, 2);
    // Another import replaces the day (adding a sample) while this one waits for the lock:
    // this one must then read what that one wrote, or its rename would drop that sample.
    let other = dir.path().join("other.rstat");
    {
        let mut writer = FileWriter::open(&other, &header(), 0o640).unwrap();
        writer.append_sample(&at_uptime(100 * 50), false).unwrap();
    }
    let replace_it = once(|| {
        assert_eq!(merge(&path, &other).unwrap().added, 1);
    });
    let lock = lock_existing_with(&path, replace_it).unwrap().unwrap();
    let (held, named) = (lock.metadata().unwrap(), std::fs::metadata(&path).unwrap());
    assert_eq!(held.ino(), named.ino());
    drop(lock);
    assert_eq!(uptimes(&path), [100, 200, 5000]);
}
