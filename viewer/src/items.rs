//! The rows of the item screens that are a plain table plus the chart of the selected row
//! (interrupts, sockets and protocols, filesystems, power): for each row its cells and the
//! one figure its chart follows. Every figure comes from data-format's derivation; the model
//! keeps the charted figure of every position (see [`crate::model::Point`]) so that the
//! chart of any row can be drawn over the history.

use rstat_data_format::columns::Unit;
use rstat_data_format::derive::Interval;
use rstat_data_format::derive_system_net::{self as net, ProtoSpec};
use rstat_data_format::derive_system_power::{self as power, SensorKind};
use rstat_data_format::Sample;

/// One row of an item screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// Identifies the row across positions (the chart looks it up by this key).
    pub key: String,
    /// The cells, in the screen's column order.
    pub cells: Vec<String>,
    /// The figure charted for the row.
    pub value: f64,
    /// The unit of `value` (how the chart writes it).
    pub unit: Unit,
}

/// The item screens, in tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// Interrupts and softirqs per second.
    Interrupts,
    /// Sockets in use and protocol rates.
    Sockets,
    /// Filesystems: space and inodes.
    Filesystems,
    /// CPU frequency, sensors, batteries.
    Power,
}

impl Listing {
    /// Every item screen, in tab order.
    pub const ALL: [Listing; 4] = [
        Listing::Interrupts,
        Listing::Sockets,
        Listing::Filesystems,
        Listing::Power,
    ];

    /// The screen's title.
    pub const fn title(self) -> &'static str {
        match self {
            Listing::Interrupts => "Interrupts",
            Listing::Sockets => "Sockets",
            Listing::Filesystems => "Filesystems",
            Listing::Power => "Power",
        }
    }

    /// Column titles and widths of the table.
    pub fn columns(self) -> &'static [(&'static str, u16)] {
        match self {
            Listing::Interrupts => &[("irq", 16), ("intr/s", 9), ("busiest CPU", 14), ("", 40)],
            Listing::Sockets => &[("counter", 26), ("value", 12), ("", 30)],
            Listing::Filesystems => &[
                ("mount point", 14),
                ("MB free", 9),
                ("MB used", 9),
                ("%used", 6),
                ("%ufsused", 8),
                ("%Iused", 6),
                ("device", 18),
            ],
            Listing::Power => &[("item", 26), ("value", 12), ("", 30)],
        }
    }

    /// What the screen says when there is nothing to show.
    pub fn empty_text(self) -> &'static str {
        match self {
            Listing::Interrupts => "no interrupts here (rstat collect --activities intr)",
            Listing::Sockets => "no socket or protocol figures here (--activities sock,snmp)",
            Listing::Filesystems => "no filesystems here (rstat collect --activities fs)",
            Listing::Power => "no frequency, sensor or battery figures here (--activities power)",
        }
    }

    /// The rows at `cur` (rates need `prev`: without it, only gauges are listed).
    pub fn items(self, cur: &Sample, prev: Option<&Sample>) -> Vec<Item> {
        let interval = prev.and_then(|p| Interval::new(p, cur));
        match self {
            Listing::Interrupts => interval.map(|i| interrupts(&i)).unwrap_or_default(),
            Listing::Sockets => sockets(cur, interval.as_ref()),
            Listing::Filesystems => filesystems(cur),
            Listing::Power => power_items(cur, interval.as_ref()),
        }
    }
}

/// Interrupts then softirqs, busiest first (file order among equals), as a top lists them.
fn interrupts(interval: &Interval) -> Vec<Item> {
    let hard = interval.interrupts().into_iter().map(|irq| (irq, ""));
    let soft = interval.softirqs().into_iter().map(|irq| (irq, "softirq "));
    let mut items: Vec<Item> = hard
        .chain(soft)
        .map(|(irq, prefix)| {
            let busiest = irq
                .per_cpu
                .iter()
                .copied()
                .fold(None, |best: Option<(u32, f64)>, (cpu, rate)| match best {
                    Some((_, top)) if top >= rate => best,
                    _ => Some((cpu, rate)),
                })
                .map(|(cpu, rate)| format!("cpu{cpu} {rate:.1}"))
                .unwrap_or_default();
            let description = if prefix.is_empty() {
                irq.description.clone()
            } else {
                "softirq".to_string()
            };
            Item {
                key: format!("{prefix}{}", irq.name),
                cells: vec![
                    irq.name.clone(),
                    format!("{:.1}", irq.all),
                    busiest,
                    description,
                ],
                value: irq.all,
                unit: Unit::PerSecond,
            }
        })
        .collect();
    items.sort_by(|a, b| b.value.total_cmp(&a.value));
    items
}

/// The protocol activities listed, with the name shown before each column.
const PROTOCOLS: [(&str, &ProtoSpec); 6] = [
    ("IP", &net::IP),
    ("TCP", &net::TCP),
    ("UDP", &net::UDP),
    ("ICMP", &net::ICMP),
    ("IP6", &net::IP6),
    ("UDP6", &net::UDP6),
];

fn gauge(key: String, value: u64, what: &str) -> Item {
    Item {
        cells: vec![key.clone(), value.to_string(), what.to_string()],
        key,
        value: value as f64,
        unit: Unit::Count,
    }
}

fn sockets(cur: &Sample, interval: Option<&Interval>) -> Vec<Item> {
    let mut items = Vec::new();
    if let Some(s) = net::sockets(cur) {
        for (name, value) in [
            ("totsck", s.totsck),
            ("tcpsck", s.tcpsck),
            ("udpsck", s.udpsck),
            ("rawsck", s.rawsck),
            ("ip-frag", s.ip_frag),
            ("tcp-tw", s.tcp_tw),
        ] {
            items.push(gauge(format!("SOCK {name}"), value, "in use"));
        }
    }
    if let Some(s) = net::sockets6(cur) {
        for (name, value) in [
            ("tcp6sck", s.tcp6sck),
            ("udp6sck", s.udp6sck),
            ("raw6sck", s.raw6sck),
            ("ip6-frag", s.ip6_frag),
        ] {
            items.push(gauge(format!("SOCK6 {name}"), value, "in use"));
        }
    }
    let Some(interval) = interval else {
        return items;
    };
    for (name, spec) in PROTOCOLS {
        let Some(rates) = interval.protocol(spec) else {
            continue;
        };
        for (column, rate) in spec.columns.iter().zip(rates) {
            let key = format!("{name} {column}");
            items.push(Item {
                cells: vec![key.clone(), format!("{rate:.2}"), "per second".into()],
                key,
                value: rate,
                unit: Unit::PerSecond,
            });
        }
    }
    items
}

fn filesystems(cur: &Sample) -> Vec<Item> {
    power::filesystems(cur)
        .into_iter()
        .map(|fs| Item {
            key: fs.mount_point.clone(),
            cells: vec![
                fs.mount_point.clone(),
                format!("{:.0}", fs.mb_free),
                format!("{:.0}", fs.mb_used),
                format!("{:.1}", fs.used_pct),
                format!("{:.1}", fs.user_used_pct),
                format!("{:.1}", fs.iused_pct),
                format!("{} ({})", fs.device, fs.fs_type),
            ],
            value: fs.used_pct,
            unit: Unit::Percent,
        })
        .collect()
}

fn power_items(cur: &Sample, interval: Option<&Interval>) -> Vec<Item> {
    let cpu_name = |cpu: Option<u32>| cpu.map_or("all".to_string(), |n| format!("cpu{n}"));
    let mut items: Vec<Item> = power::cpu_mhz(cur)
        .into_iter()
        .map(|(cpu, mhz)| {
            let key = format!("{} MHz", cpu_name(cpu));
            Item {
                cells: vec![key.clone(), format!("{mhz:.0}"), "current frequency".into()],
                key,
                value: mhz,
                unit: Unit::Megahertz,
            }
        })
        .collect();
    if let Some(interval) = interval {
        for (cpu, mhz) in interval.weighted_mhz() {
            let key = format!("{} wghMHz", cpu_name(cpu));
            items.push(Item {
                cells: vec![
                    key.clone(),
                    format!("{mhz:.0}"),
                    "time-weighted frequency".into(),
                ],
                key,
                value: mhz,
                unit: Unit::Megahertz,
            });
        }
    }
    for (kind, unit, decimals) in [
        (SensorKind::Temp, Unit::Celsius, 1),
        (SensorKind::Fan, Unit::Rpm, 0),
        (SensorKind::In, Unit::Volts, 3),
    ] {
        for sensor in power::sensors(cur, kind) {
            items.push(Item {
                key: sensor.key.clone(),
                cells: vec![
                    sensor.key.clone(),
                    unit.compact(sensor.value, decimals),
                    sensor.device.clone(),
                ],
                value: sensor.value,
                unit,
            });
        }
    }
    if let Some(interval) = interval {
        for battery in interval.batteries() {
            items.push(Item {
                key: format!("battery {}", battery.name),
                cells: vec![
                    format!("battery {}", battery.name),
                    format!("{:.0}%", battery.capacity_pct),
                    format!("{:+.2}%/min {}", battery.cap_per_min, battery.status),
                ],
                value: battery.capacity_pct,
                unit: Unit::Percent,
            });
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstat_data_format::TableKind;

    #[test]
    fn sockets_list_gauges_without_an_interval() {
        let mut sample = Sample::default();
        {
            let mut fill = sample.table_mut(TableKind::SOCKSTAT).refill();
            let row = fill.row("TCP");
            row.text.extend(["inuse".to_string(), "tw".to_string()]);
            row.values.extend([7, 2]);
            fill.finish();
        }
        let items = Listing::Sockets.items(&sample, None);
        let tcp = items
            .iter()
            .find(|i| i.key == "SOCK tcpsck")
            .map(|i| i.value);
        assert_eq!(tcp, Some(7.0));
        let tw = items
            .iter()
            .find(|i| i.key == "SOCK tcp-tw")
            .map(|i| i.value);
        assert_eq!(tw, Some(2.0));
        assert!(Listing::Interrupts.items(&sample, None).is_empty());
    }
}
