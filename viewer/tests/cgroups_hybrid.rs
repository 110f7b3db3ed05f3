//! The Cgroups screen on a hybrid cgroup host (v1 controllers beside the unified v2 mount at
//! /sys/fs/cgroup/unified): the v2 tree that the collector reads under `unified`, every group
//! with its depth, not only `/`.

mod common;

use std::path::Path;

use common::{render, DAY_US, SECOND_US};
use rstat_collector::activities::Activities;
use rstat_collector::process::ProcessOptions;
use rstat_collector::sampler::Sampler;
use rstat_data_format::schema::Sample;
use rstat_viewer::model::Model;
use rstat_viewer::view;
use rstat_viewer::{KeyMap, Live, Theme, Ui};

/// A sample of the processes and cgroups of the collector's `cgroup-hybrid` fixture root.
fn hybrid_sample(sampler: &mut Sampler, time_us: i64) -> Sample {
    let mut sample = Sample::default();
    sampler.sample(&mut sample);
    sample.time_us = time_us;
    sample
}

/// Copies the directory tree `from` into `to`.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The Cgroups screen of two samples of the hybrid fixture, 10 s apart (system.slice used
/// 2 s of CPU), after `prepare` changed the copied root.
fn cgroups_screen(prepare: impl Fn(&Path)) -> String {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../collector/tests/fixtures/cgroup-hybrid");
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("root");
    copy_tree(&fixture, &root);
    prepare(&root.join("sys/fs/cgroup/unified"));
    let mut sampler = Sampler::with_activities(&root, Activities::none());
    sampler.enable_processes(&root, ProcessOptions::default());
    let live = Live::new(
        Box::new(|_| {}),
        std::time::Duration::from_secs(1),
        600,
        "hybrid".into(),
    );
    let mut model = Model::live(live);
    let noon = DAY_US + 12 * 3600 * SECOND_US;
    model.push_live(hybrid_sample(&mut sampler, noon));
    std::fs::write(root.join("proc/uptime"), "366.95 696.59\n").expect("uptime");
    let cpu = root.join("sys/fs/cgroup/unified/system.slice/cpu.stat");
    if let Ok(text) = std::fs::read_to_string(&cpu) {
        let later = text.replace("usage_usec 5000000", "usage_usec 7000000");
        std::fs::write(&cpu, later).expect("write cpu.stat");
    }
    model.push_live(hybrid_sample(&mut sampler, noon + 10 * SECOND_US));
    let mut ui = Ui::new(Theme { color: false }, KeyMap::default());
    ui.screen = view::CGROUPS;
    render(&mut model, &ui, 100, 30)
}

/// The group column (indented by depth) and CPU% of each row of the Cgroups table.
fn groups(screen: &str) -> Vec<(String, String)> {
    screen
        .lines()
        .skip_while(|l| !l.contains("group") || !l.contains("CPU%"))
        .skip(1)
        .take_while(|l| l.starts_with('│'))
        .map(|l| {
            let inner = l.trim_start_matches('│');
            // The indentation, then the name up to the first double space.
            let lead = inner.len() - inner.trim_start().len();
            let name_end = lead + inner[lead..].find("  ").unwrap_or(inner.len() - lead);
            let name = inner[..name_end].trim_end().to_string();
            let cpu = inner[name_end..]
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            (name, cpu)
        })
        .collect()
}

fn pairs(rows: &[(&str, &str)]) -> Vec<(String, String)> {
    rows.iter()
        .map(|(n, c)| (n.to_string(), c.to_string()))
        .collect()
}

/// The tree of the fixture, system.slice at 20 % CPU.
const TREE: [(&str, &str); 4] = [
    ("/", "0.0"),
    ("  system.slice", "20.0"),
    ("    cron.service", "0.0"),
    ("  user.slice", "0.0"),
];

#[test]
fn hybrid_host_shows_the_v2_tree() {
    let screen = cgroups_screen(|_| {});
    assert_eq!(groups(&screen), pairs(&TREE), "{screen}");
}

#[test]
fn hybrid_root_without_cpu_stat_still_shows_the_tree() {
    // Kernels before root cgroups had cpu.stat (Ubuntu 20.04's 5.4, hybrid by default).
    let screen = cgroups_screen(|unified| {
        std::fs::remove_file(unified.join("cpu.stat")).expect("rm");
    });
    assert_eq!(groups(&screen), pairs(&TREE), "{screen}");
}

#[test]
fn hybrid_tree_without_any_cpu_stat_still_lists_every_group() {
    // Kernels before 4.15 have no cpu.stat in the unified tree at all: the groups and their
    // memory are still shown.
    let screen = cgroups_screen(|unified| {
        for group in [
            "",
            "system.slice",
            "system.slice/cron.service",
            "user.slice",
        ] {
            std::fs::remove_file(unified.join(group).join("cpu.stat")).expect("rm");
        }
    });
    let rows = groups(&screen);
    let names: Vec<&str> = rows.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["/", "  system.slice", "    cron.service", "  user.slice"],
        "{screen}"
    );
    assert!(screen.contains("100M"), "system.slice's memory: {screen}");
    // A group that is gone (no cgroup.procs either) is still left out.
    let screen = cgroups_screen(|unified| {
        let gone = unified.join("user.slice");
        std::fs::remove_file(gone.join("cpu.stat")).expect("rm");
        std::fs::remove_file(gone.join("cgroup.procs")).expect("rm");
    });
    let rows = groups(&screen);
    assert!(
        rows.iter().all(|(n, _)| n.trim() != "user.slice"),
        "{screen}"
    );
    assert_eq!(rows.len(), 3, "{screen}");
}
