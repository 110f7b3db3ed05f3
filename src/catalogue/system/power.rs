//! sar -m (CPU frequency, weighted frequency, fans, temperatures, voltages, USB devices,
//! batteries) and sar -F (filesystems) tables.

use rstat_data_format::derive_system_power::{self as system, SensorKind};

use super::{keywords, SystemSelection};
use crate::catalogue::column::{Column, Kind, Unit};
use crate::catalogue::id::{ActivityId, Family};
use crate::catalogue::Activity;

const ALL: [&str; 7] = ["CPU", "FREQ", "FAN", "TEMP", "IN", "USB", "BAT"];

pub(super) fn select(
    args: &SystemSelection,
    all: bool,
    chosen: &mut Vec<Activity>,
) -> Result<(), String> {
    for word in keywords(&args.power, all, &ALL) {
        let activity = match word.as_str() {
            "CPU" => Activity::new(Some("CPU"), CPU_MHZ, |i| {
                system::cpu_mhz(i.cur)
                    .into_iter()
                    .map(|(cpu, mhz)| (cpu_name(cpu), vec![mhz]))
                    .collect()
            }),
            "FREQ" => Activity::new(Some("CPU"), WEIGHTED_MHZ, |i| {
                i.weighted_mhz()
                    .into_iter()
                    .map(|(cpu, mhz)| (cpu_name(cpu), vec![mhz]))
                    .collect()
            }),
            "FAN" => sensors("FAN", FAN, SensorKind::Fan),
            "TEMP" => sensors("TEMP", TEMP, SensorKind::Temp),
            "IN" => sensors("IN", VOLTAGE, SensorKind::In),
            "USB" => Activity::new(Some("BUS"), USB, |i| {
                system::usb_devices(i.cur)
                    .into_iter()
                    .map(|u| {
                        let name = format!(
                            "{} {:04x} {:04x} {} {} ({})",
                            u.bus, u.vendor_id, u.product_id, u.manufacturer, u.product, u.name
                        );
                        (name, vec![u.max_power_ma as f64])
                    })
                    .collect()
            }),
            "BAT" => Activity::new(Some("BAT"), BATTERY, |i| {
                i.batteries()
                    .into_iter()
                    .map(|b| {
                        (
                            format!("{} {}", b.name, b.status),
                            vec![b.capacity_pct, b.cap_per_min],
                        )
                    })
                    .collect()
            }),
            other => {
                return Err(format!(
                "-m {other}: expected CPU, FREQ, FAN, TEMP, IN, USB, BAT or ALL (comma-separated)"
            ))
            }
        };
        chosen.push(activity.named(Family::Power.member(&word)));
    }
    if all || args.filesystems.is_some() {
        let by_mount = match args.filesystems.as_deref() {
            None | Some("") => false,
            Some(word) if word.eq_ignore_ascii_case("MOUNT") => true,
            Some(other) => return Err(format!("-F {other}: expected nothing or MOUNT")),
        };
        chosen.push(
            Activity::new(
                Some(if by_mount { "MOUNTPOINT" } else { "FILESYSTEM" }),
                FILESYSTEMS,
                move |i| {
                    system::filesystems(i.cur)
                        .into_iter()
                        .map(|f| {
                            let name = if by_mount { f.mount_point } else { f.device };
                            let v = vec![
                                f.mb_free,
                                f.mb_used,
                                f.used_pct,
                                f.user_used_pct,
                                f.ifree as f64,
                                f.iused as f64,
                                f.iused_pct,
                            ];
                            (name, v)
                        })
                        .collect()
                },
            )
            .named(ActivityId::FILESYSTEM),
        );
    }
    Ok(())
}

fn cpu_name(cpu: Option<u32>) -> String {
    cpu.map_or_else(|| "all".to_string(), |n| n.to_string())
}

/// FAN, TEMP or IN: one row per sensor, named `NUMBER CHIP` (`1 coretemp-isa-0000`) as sar
/// prints it: the text view puts the number first and the chip last, and exports split the
/// two (see `catalogue::item_fields`). The number keeps two sensors of one chip apart in
/// the averages.
fn sensors(item: &'static str, columns: &'static [Column], kind: SensorKind) -> Activity {
    Activity::new(Some(item), columns, move |i| {
        system::sensors(i.cur, kind)
            .into_iter()
            .map(|s| {
                (
                    format!("{} {}", s.number, s.chip),
                    vec![s.value, s.relative],
                )
            })
            .collect()
    })
}

use Kind::{AverageOfRatio, Level};
use Unit::{Count, Megabytes, Megahertz, Percent};

/// sar -m CPU.
pub const CPU_MHZ: &[Column] = &[Column::new(
    "MHz",
    Megahertz,
    Level,
    "Current clock frequency of the CPU (the mean of all CPUs for all).",
    "",
)];

/// sar -m FREQ.
pub const WEIGHTED_MHZ: &[Column] = &[Column::new(
    "wghMHz",
    Megahertz,
    AverageOfRatio,
    "Mean clock frequency over the interval, weighted by the time spent at each frequency.",
    "",
)];

/// sar -m FAN.
pub const FAN: &[Column] = &[
    Column::new("rpm", Unit::Rpm, Level, "Fan speed.", "Sensor.value"),
    Column::new(
        "drpm",
        Unit::Rpm,
        Level,
        "Fan speed above its minimum.",
        "Sensor.relative",
    ),
];

/// sar -m TEMP.
pub const TEMP: &[Column] = &[
    Column::new(
        "degC",
        Unit::Celsius,
        Level,
        "Temperature of the sensor.",
        "Sensor.value",
    ),
    Column::new(
        "%temp",
        Percent,
        Level,
        "Temperature as a share of the sensor's range.",
        "Sensor.relative",
    ),
];

/// sar -m IN.
pub const VOLTAGE: &[Column] = &[
    Column::new("inV", Unit::Volts, Level, "Voltage input.", "Sensor.value"),
    Column::new(
        "%in",
        Percent,
        Level,
        "Voltage input as a share of the sensor's range.",
        "Sensor.relative",
    ),
];

/// sar -m USB.
pub const USB: &[Column] = &[Column::whole(
    "maxpower",
    Unit::Milliamperes,
    "Maximum current the USB device may draw.",
    "UsbDevice.max_power_ma",
)];

/// sar -m BAT.
pub const BATTERY: &[Column] = &[
    Column::new(
        "%cap",
        Percent,
        Level,
        "Battery charge, of its capacity.",
        "BatteryRates.capacity_pct",
    ),
    Column::new(
        "cap/min",
        Unit::PercentPerMinute,
        Kind::Rate,
        "Change of the battery charge.",
        "BatteryRates.cap_per_min",
    ),
];

/// sar -F.
pub const FILESYSTEMS: &[Column] = &[
    Column::whole("MBfsfree", Megabytes, "Free space.", "FsUse.mb_free"),
    Column::whole("MBfsused", Megabytes, "Space in use.", "FsUse.mb_used"),
    Column::new(
        "%fsused",
        Percent,
        Level,
        "Space in use, of the total.",
        "FsUse.used_pct",
    ),
    Column::new(
        "%ufsused",
        Percent,
        Level,
        "Space in use, of what unprivileged users may use.",
        "FsUse.user_used_pct",
    ),
    Column::whole("Ifree", Count, "Free inodes.", "FsUse.ifree"),
    Column::whole("Iused", Count, "Inodes in use.", "FsUse.iused"),
    Column::new(
        "%Iused",
        Percent,
        Level,
        "Inodes in use, of the total.",
        "FsUse.iused_pct",
    ),
];
