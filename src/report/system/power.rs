//! sar -m (CPU frequency, weighted frequency, fans, temperatures, voltages, USB devices,
//! batteries) and sar -F (filesystems) tables.

use rstat_data_format::derive_system_power::{self as system, SensorKind};

use super::{activity, keywords, SystemArgs};
use crate::report::select::Activity;

const ALL: [&str; 7] = ["CPU", "FREQ", "FAN", "TEMP", "IN", "USB", "BAT"];

pub(super) fn select(
    args: &SystemArgs,
    all: bool,
    chosen: &mut Vec<Activity>,
) -> Result<(), String> {
    for word in keywords(&args.power, all, &ALL) {
        let activity = match word.as_str() {
            "CPU" => activity(
                Some("CPU"),
                &["MHz"],
                |_| false,
                |i| {
                    system::cpu_mhz(i.cur)
                        .into_iter()
                        .map(|(cpu, mhz)| (cpu_name(cpu), vec![mhz]))
                        .collect()
                },
            ),
            "FREQ" => activity(
                Some("CPU"),
                &["wghMHz"],
                |_| false,
                |i| {
                    i.weighted_mhz()
                        .into_iter()
                        .map(|(cpu, mhz)| (cpu_name(cpu), vec![mhz]))
                        .collect()
                },
            ),
            "FAN" => sensors("FAN", &["rpm", "drpm"], SensorKind::Fan),
            "TEMP" => sensors("TEMP", &["degC", "%temp"], SensorKind::Temp),
            "IN" => sensors("IN", &["inV", "%in"], SensorKind::In),
            "USB" => activity(
                Some("BUS"),
                &["maxpower"],
                |_| true,
                |i| {
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
                },
            ),
            "BAT" => activity(
                Some("BAT"),
                &["%cap", "cap/min"],
                |_| false,
                |i| {
                    i.batteries()
                        .into_iter()
                        .map(|b| {
                            (
                                format!("{} {}", b.name, b.status),
                                vec![b.capacity_pct, b.cap_per_min],
                            )
                        })
                        .collect()
                },
            ),
            other => {
                return Err(format!(
                "-m {other}: expected CPU, FREQ, FAN, TEMP, IN, USB, BAT or ALL (comma-separated)"
            ))
            }
        };
        chosen.push(activity.named(format!("power-{}", word.to_ascii_lowercase())));
    }
    if all || args.filesystems.is_some() {
        let by_mount = match args.filesystems.as_deref() {
            None | Some("") => false,
            Some(word) if word.eq_ignore_ascii_case("MOUNT") => true,
            Some(other) => return Err(format!("-F {other}: expected nothing or MOUNT")),
        };
        chosen.push(
            activity(
                Some(if by_mount { "MOUNTPOINT" } else { "FILESYSTEM" }),
                &[
                    "MBfsfree", "MBfsused", "%fsused", "%ufsused", "Ifree", "Iused", "%Iused",
                ],
                |col| matches!(col, 0 | 1 | 4 | 5),
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
            .named("filesystem"),
        );
    }
    Ok(())
}

fn cpu_name(cpu: Option<u32>) -> String {
    cpu.map_or_else(|| "all".to_string(), |n| n.to_string())
}

/// FAN, TEMP or IN: one row per sensor, named `hwmonN/sensorM device`.
fn sensors(item: &'static str, columns: &'static [&'static str], kind: SensorKind) -> Activity {
    activity(
        Some(item),
        columns,
        |_| false,
        move |i| {
            system::sensors(i.cur, kind)
                .into_iter()
                .map(|s| (format!("{} {}", s.key, s.device), vec![s.value, s.relative]))
                .collect()
        },
    )
}
