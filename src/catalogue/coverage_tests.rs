//! The catalogue against data-format's derivation: every derived field is shown by a column,
//! by top, as an item, or listed here as hidden on purpose; every column's metadata agrees
//! with its name; top's table columns carry the same metadata; and on a real day file every
//! row has one value per column.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rstat_data_format::derive::Interval;
use rstat_data_format::series::{Event, Series};

use super::{
    select, Activity, ActivityId, Column, Family, Kind, ProcessSelection, Selection, Unit,
};

/// The derivation's sources: their `pub struct`s' `pub` fields are its output.
const DERIVATION: [&str; 9] = [
    include_str!("../../data-format/src/derive.rs"),
    include_str!("../../data-format/src/derive_gpu.rs"),
    include_str!("../../data-format/src/derive_devices.rs"),
    include_str!("../../data-format/src/derive_io.rs"),
    include_str!("../../data-format/src/derive_process.rs"),
    include_str!("../../data-format/src/process_rates.rs"),
    include_str!("../../data-format/src/derive_system.rs"),
    include_str!("../../data-format/src/derive_system_net.rs"),
    include_str!("../../data-format/src/derive_system_power.rs"),
];

/// Structs of the derivation that are means, not figures.
const NOT_FIGURES: [&str; 3] = ["Interval", "TaskRow", "ProtoSpec"];

/// Fields that name a row (the item column, or a part of it) rather than hold a figure.
const ITEMS: &[&str] = &[
    "CpuUtil.cpu",
    "DiskRates.device",
    "NetRates.iface",
    "ProcessRates.pid",
    "ProcessRates.uid",
    "ProcessRates.comm",
    "ThreadRates.tgid",
    "ThreadRates.tid",
    "ThreadRates.comm",
    "CgroupRates.path",
    "IrqRates.name",
    "SerialRates.line",
    "SoftnetRates.cpu",
    "FcRates.host",
    "Sensor.key",
    "Sensor.device",
    "Sensor.number",
    "Sensor.chip",
    "BatteryRates.name",
    "BatteryRates.status",
    "UsbDevice.name",
    "UsbDevice.bus",
    "UsbDevice.vendor_id",
    "UsbDevice.product_id",
    "UsbDevice.manufacturer",
    "UsbDevice.product",
    "FsUse.device",
    "FsUse.mount_point",
    "GpuRates.device",
    "GpuRates.name",
    "GpuProcessRates.pid",
    "GpuProcessRates.device",
    "GpuProcessRates.comm",
];

/// Fields that only `rstat top` shows (its source is checked to name them).
const TOP_ONLY: &[&str] = &[
    "ProcessRates.ppid",
    "ProcessRates.starttime",
    "ProcessRates.state",
    "ProcessRates.cmdline",
    "ProcessRates.cgroup",
    "ThreadRates.state",
    "CgroupRates.flags",
    "CgroupRates.pids",
    "FsUse.fs_type",
    "IrqRates.description",
];

/// Fields no view shows yet, and why.
const HIDDEN: &[(&str, &str)] = &[
    (
        "Paging.vmeff_pct",
        "sar 12.7 no longer prints %vmeff (-B shows pgprom/s and pgdem/s instead)",
    ),
    (
        "DiskRates.used_since_boot",
        "a filter: sar -d leaves out disks never used",
    ),
    (
        "ProcessRates.kernel_thread",
        "a filter for top's kernel-thread toggle",
    ),
    (
        "ProcessRates.children_cpu_pct",
        "pidstat -T CHILD: not offered yet",
    ),
    (
        "ProcessRates.swap_kb",
        "pidstat -r has no swap column; for a later view",
    ),
    (
        "ProcessRates.io",
        "a record: its fields are TASK_IO's columns",
    ),
    (
        "ThreadRates.io",
        "a record: its fields are TASK_IO's columns",
    ),
    (
        "IoRates.kb_rchar_per_s",
        "read(2) bytes, not storage I/O: no sar column",
    ),
    (
        "IoRates.kb_wchar_per_s",
        "write(2) bytes, not storage I/O: no sar column",
    ),
    (
        "CgroupRates.io",
        "a record: its fields are CGROUP_IO's columns",
    ),
    (
        "CgroupRates.cpu_pressure",
        "a record: its fields are CGROUP_PSI's columns",
    ),
    (
        "CgroupRates.io_pressure",
        "a record: its fields are CGROUP_PSI's columns",
    ),
    (
        "CgroupRates.memory_pressure",
        "a record: its fields are CGROUP_PSI's columns",
    ),
    (
        "CgroupRates.events_high",
        "memory.events: only oom_kill is shown so far",
    ),
    (
        "CgroupRates.events_max",
        "memory.events: only oom_kill is shown so far",
    ),
    (
        "CgroupRates.events_oom",
        "memory.events: only oom_kill is shown so far",
    ),
    (
        "CgroupIo.dio_per_s",
        "discard requests: the cgroup io view shows discarded kB only",
    ),
    (
        "Pressure.some_avg10",
        "the kernel's 10 s average: the view shows the interval's share",
    ),
    (
        "Pressure.full_avg10",
        "the kernel's 10 s average: the view shows the interval's share",
    ),
    ("Pressure.some", "a record: its fields are the PSI columns"),
    ("Pressure.full", "a record: its fields are the PSI columns"),
    (
        "GpuRates.driver",
        "identity: the device key (nvidia0, card0) already names the source",
    ),
    (
        "GpuRates.bus_id",
        "identity: recorded to join DRM clients to their GPU",
    ),
    (
        "GpuProcessRates.source",
        "identity: NVML or DRM, told apart by the columns they fill",
    ),
];

/// `Struct.field` for every public field of every public struct of the derivation.
fn derived_fields() -> BTreeSet<String> {
    let mut fields = BTreeSet::new();
    for source in DERIVATION {
        let mut current: Option<&str> = None;
        for line in source.lines() {
            if let Some(rest) = line.strip_prefix("pub struct ") {
                let name = rest
                    .split(['<', ' ', '{', '(', ';'])
                    .next()
                    .unwrap_or_default();
                current = (!NOT_FIGURES.contains(&name) && rest.trim_end().ends_with('{'))
                    .then_some(name);
            } else if line.starts_with('}') {
                current = None;
            } else if let (Some(name), Some(rest)) = (current, line.strip_prefix("    pub ")) {
                let field = rest.split(':').next().unwrap_or_default();
                fields.insert(format!("{name}.{field}"));
            }
        }
    }
    fields
}

/// Every activity the catalogue can build: -A, the default CPU layout, every process,
/// thread and cgroup view, and filesystems by mount point.
fn every_activity() -> Vec<Activity> {
    let views = |list: &[&str]| Some(list.iter().map(|v| v.to_string()).collect());
    let mut selections = [
        Selection {
            all: true,
            gpu: true,
            process: ProcessSelection {
                processes: views(&["cpu", "mem", "io", "ctx", "threads", "summary", "gpu"]),
                cgroups: views(&["cpu", "mem", "io", "psi"]),
                ..ProcessSelection::default()
            },
            ..Selection::default()
        },
        Selection {
            cpu: Some(String::new()),
            process: ProcessSelection {
                processes: views(&["cpu", "mem", "io", "ctx"]),
                per_thread: true,
                ..ProcessSelection::default()
            },
            ..Selection::default()
        },
    ];
    selections[1].system.filesystems = Some("MOUNT".to_string());
    selections
        .iter()
        .flat_map(|s| select(s).expect("a valid selection"))
        .collect()
}

#[test]
fn every_derived_field_is_shown_or_hidden_on_purpose() {
    let derived = derived_fields();
    assert!(
        derived.contains("Memory.kbmemfree") && derived.len() > 150,
        "{derived:?}"
    );
    let mut shown: BTreeMap<String, String> = BTreeMap::new();
    for activity in every_activity() {
        for column in activity.columns.iter() {
            for source in column.source.split('+').filter(|s| !s.is_empty()) {
                assert!(
                    derived.contains(source),
                    "{} {}: source {source} is no field of the derivation",
                    activity.name,
                    column.name
                );
                shown.insert(
                    source.to_string(),
                    format!("{} {}", activity.name, column.name),
                );
            }
        }
    }
    let top = top_source();
    for field in TOP_ONLY {
        let name = field.split('.').nth(1).unwrap();
        assert!(
            top.contains(&format!(".{name}")),
            "{field}: top never reads it"
        );
    }
    let mut unaccounted = Vec::new();
    for field in &derived {
        let listed = ITEMS.contains(&field.as_str())
            || TOP_ONLY.contains(&field.as_str())
            || HIDDEN.iter().any(|(f, _)| f == field);
        match (shown.get(field), listed) {
            (None, false) => unaccounted.push(field.clone()),
            (Some(column), true) => panic!("{field} is shown ({column}) but listed as not shown"),
            _ => {}
        }
    }
    assert!(
        unaccounted.is_empty(),
        "derived fields in no view: {unaccounted:?}; give each a column in the catalogue, or list \
         it in ITEMS, TOP_ONLY or HIDDEN (with the reason) in {}",
        file!()
    );
    for listed in ITEMS
        .iter()
        .chain(TOP_ONLY)
        .chain(HIDDEN.iter().map(|(f, _)| f))
    {
        assert!(
            derived.contains(*listed),
            "{listed} is no longer derived: drop it from the list"
        );
    }
}

/// The viewer's sources, concatenated.
fn top_source() -> String {
    let mut text = String::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("viewer/src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                text.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    text
}

#[test]
fn every_column_has_metadata_that_agrees_with_its_name() {
    let mut count = 0;
    for activity in every_activity() {
        assert!(!activity.name.is_empty(), "an activity without a name");
        assert!(
            !activity.columns.is_empty(),
            "{}: no columns",
            activity.name
        );
        for column in activity.columns.iter() {
            count += 1;
            let what = format!("{} {}", activity.name, column.name);
            check_column(&what, column);
        }
    }
    assert!(count > 250, "{count} columns?");
}

fn check_column(what: &str, column: &Column) {
    assert!(!column.name.is_empty(), "{what}: no name");
    assert!(
        column.help.len() > 8 && column.help.ends_with('.'),
        "{what}: help {:?} should be a sentence",
        column.help
    );
    assert!(
        matches!(column.decimals, 0 | 2),
        "{what}: sar prints 0 or 2 decimals"
    );
    if column.name.starts_with('%') {
        assert_eq!(column.unit, Unit::Percent, "{what}");
    }
    if column.unit == Unit::Percent {
        assert!(
            column.name.starts_with('%'),
            "{what}: a percentage's name starts with %"
        );
    }
    let per_second = [
        Unit::PerSecond,
        Unit::KilobytesPerSecond,
        Unit::BlocksPerSecond,
        Unit::MegabytesPerSecond,
    ];
    if column.name.ends_with("/s") {
        assert!(per_second.contains(&column.unit), "{what}: /s is a rate");
        assert_eq!(column.kind, Kind::Rate, "{what}");
    }
    if column.name.starts_with("kb") {
        assert_eq!(column.unit, Unit::Kilobytes, "{what}");
    }
    if column.kind == Kind::Counter {
        assert!(column.integer(), "{what}: a count is whole");
    }
}

/// Calls `check` with every interval of the golden day file.
fn each_fixture_interval(mut check: impl FnMut(&Interval)) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/fixture.rstat");
    let mut series = Series::open(&[fixture]).unwrap();
    while let Some(event) = series.next_event().unwrap() {
        if let Some(interval) = match &event {
            Event::Interval(pair) => pair.interval(),
            _ => None,
        } {
            check(&interval);
        }
    }
}

/// On the golden day file, every activity's rows have one value per column: the rows
/// closures and the column lists cannot drift apart unnoticed.
#[test]
fn rows_have_one_value_per_column() {
    let activities = every_activity();
    let mut rows_seen = BTreeSet::new();
    each_fixture_interval(|interval| {
        for activity in &activities {
            for (item, values) in (activity.rows)(interval) {
                assert_eq!(
                    values.len(),
                    activity.columns.len(),
                    "{} {item}: values and columns differ",
                    activity.name
                );
                rows_seen.insert(activity.name.clone());
            }
        }
    });
    // The fixture holds most activities: the check is not vacuous.
    assert!(rows_seen.len() > 30, "{rows_seen:?}");
}

/// A derived record's fields as numbers, from its `Debug` text (`Memory { kbmemfree: 1, ..
/// }`): the test below compares them with the rows without naming each field again.
fn fields_of(record: &impl std::fmt::Debug) -> BTreeMap<String, f64> {
    let text = format!("{record:?}");
    let inner = text
        .split_once('{')
        .and_then(|(_, rest)| rest.rsplit_once('}'))
        .map_or("", |(inner, _)| inner);
    inner
        .split(", ")
        .filter_map(|pair| {
            let (name, value) = pair.split_once(": ")?;
            Some((name.trim().to_string(), value.trim().parse().ok()?))
        })
        .collect()
}

/// Each one-row activity's values sit under the columns whose `source` names them: a
/// column list and a rows closure that disagree on an order fail here, not only on a width.
#[test]
fn values_sit_under_the_column_that_names_their_field() {
    use rstat_data_format::{derive, derive_system, derive_system_net};
    let activities = every_activity();
    let mut checked = BTreeSet::new();
    each_fixture_interval(|i| {
        let records: Vec<(&str, Option<BTreeMap<String, f64>>)> = vec![
            ("tasks", i.tasks().map(|r| fields_of(&r))),
            ("swapping", i.swapping().map(|r| fields_of(&r))),
            ("paging", i.paging().map(|r| fields_of(&r))),
            ("io", i.io().map(|r| fields_of(&r))),
            ("memory", derive::memory(i.cur).map(|r| fields_of(&r))),
            ("swap", derive::swap_space(i.cur).map(|r| fields_of(&r))),
            (
                "hugepages",
                derive::huge_pages(i.cur).map(|r| fields_of(&r)),
            ),
            ("queue", derive::queue(i.cur).map(|r| fields_of(&r))),
            (
                "ktables",
                derive_system::kernel_tables(i.cur).map(|r| fields_of(&r)),
            ),
            (
                "net-sock",
                derive_system_net::sockets(i.cur).map(|r| fields_of(&r)),
            ),
            (
                "net-sock6",
                derive_system_net::sockets6(i.cur).map(|r| fields_of(&r)),
            ),
            ("net-nfs", i.nfs_client().map(|r| fields_of(&r))),
            ("net-nfsd", i.nfs_server().map(|r| fields_of(&r))),
        ];
        for (name, record) in records {
            let Some(record) = record else { continue };
            let activity = activities.iter().find(|a| a.name == name).unwrap();
            let rows = (activity.rows)(i);
            assert_eq!(rows.len(), 1, "{name}");
            for (column, value) in activity.columns.iter().zip(&rows[0].1) {
                let field = column.source.split_once('.').map_or("", |(_, f)| f);
                let expected = record.get(field).unwrap_or_else(|| {
                    panic!(
                        "{name} {}: source {} not in {record:?}",
                        column.name, column.source
                    )
                });
                assert_eq!(
                    value, expected,
                    "{name} {}: not {}",
                    column.name, column.source
                );
            }
            checked.insert(name);
        }
    });
    assert!(checked.len() >= 10, "{checked:?}");
}

/// The TUI's table columns (`rstat_viewer::columns`) carry the catalogue's metadata: the
/// viewer cannot depend on this package, so the agreement is checked here.
#[test]
fn top_shows_figures_with_the_catalogues_name_unit_kind_and_source() {
    let activities = every_activity();
    for (names, shown) in rstat_viewer::columns::shown_columns() {
        let column = activities
            .iter()
            .filter(|a| names.contains(&a.name.as_str()))
            .flat_map(|a| a.columns.iter())
            .find(|c| c.name == shown.name)
            .unwrap_or_else(|| panic!("top's {} is in none of {names:?}", shown.name));
        let metadata = |c: &Column| (c.name, c.unit, c.kind, c.source);
        assert_eq!(metadata(shown), metadata(column), "top's {}", shown.name);
    }
}

/// Each typed identifier names an activity the catalogue gives, so that code matching on it
/// cannot drift from the catalogue's names.
#[test]
fn every_activity_id_names_an_activity_of_the_catalogue() {
    let mut per_cpu = Selection::default();
    per_cpu.system.interrupts = ["CPU", "SCPU"].map(String::from).to_vec();
    let per_cpu = select(&per_cpu).expect("a valid selection");
    let names: BTreeSet<String> = (every_activity().into_iter().chain(per_cpu))
        .map(|a| a.name)
        .collect();
    for id in ActivityId::ALL {
        assert!(names.contains(id.name()), "{id:?} names no activity");
    }
    for family in Family::ALL {
        assert!(
            names.iter().any(|n| n.starts_with(family.prefix())),
            "{family:?} has no activity"
        );
    }
}
