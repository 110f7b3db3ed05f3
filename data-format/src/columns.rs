//! What one column of a view holds, said once: its name (sar's), the unit, the kind of figure
//! (averaging rules and the OpenMetrics type dispatch on it), how many decimals sar prints, a
//! help text, in which of sar's layouts it appears, and the derived field it shows; and how a
//! figure is written by its unit in a narrow cell ([`Column::compact`]).
//!
//! The metadata *types* live here, below every reader, so that the TUI (which the `rstat`
//! package depends on) can read them too; the catalogue of activities built from them stays in
//! the `rstat` package (`src/catalogue`).

use std::borrow::Cow;

/// The unit of a column's figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Percent (0 to 100, or more for several CPUs' worth).
    Percent,
    /// Events per second.
    PerSecond,
    /// Kilobytes per second.
    KilobytesPerSecond,
    /// 512-byte blocks (sectors) per second.
    BlocksPerSecond,
    /// Percentage points per minute (battery charge).
    PercentPerMinute,
    /// Kilobytes (1024 bytes).
    Kilobytes,
    /// Megabytes (1024 × 1024 bytes).
    Megabytes,
    /// A count of things (processes, sockets, requests), or a load average.
    Count,
    /// A CPU's number.
    CpuNumber,
    /// Milliseconds.
    Milliseconds,
    /// Clock ticks (`getconf CLK_TCK` a second).
    Ticks,
    /// Megahertz.
    Megahertz,
    /// Revolutions per minute.
    Rpm,
    /// Degrees Celsius.
    Celsius,
    /// Volts.
    Volts,
    /// Milliamperes.
    Milliamperes,
    /// Watts.
    Watts,
    /// Megabytes (10^6 bytes) per second.
    MegabytesPerSecond,
}

impl Unit {
    /// The unit as a short label (`%`, `kB/s`, `/s`; empty for a plain count).
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Percent => "%",
            Unit::PerSecond => "/s",
            Unit::KilobytesPerSecond => "kB/s",
            Unit::BlocksPerSecond => "blocks/s",
            Unit::PercentPerMinute => "%/min",
            Unit::Kilobytes => "kB",
            Unit::Megabytes => "MB",
            Unit::Count => "",
            Unit::CpuNumber => "CPU",
            Unit::Milliseconds => "ms",
            Unit::Ticks => "ticks",
            Unit::Megahertz => "MHz",
            Unit::Rpm => "rpm",
            Unit::Celsius => "degC",
            Unit::Volts => "V",
            Unit::Milliamperes => "mA",
            Unit::Watts => "W",
            Unit::MegabytesPerSecond => "MB/s",
        }
    }

    /// The unit as written right after a figure in a narrow cell (`%`, `/s`, `ms`, `°C`, ` MHz`;
    /// empty for a count and a CPU's number).
    pub fn suffix(self) -> &'static str {
        match self {
            Unit::Percent => "%",
            Unit::PerSecond => "/s",
            Unit::KilobytesPerSecond => "k/s",
            Unit::BlocksPerSecond => " blocks/s",
            Unit::PercentPerMinute => "%/min",
            Unit::Kilobytes => "k",
            Unit::Megabytes => "M",
            Unit::Count | Unit::CpuNumber => "",
            Unit::Milliseconds => "ms",
            Unit::Ticks => " ticks",
            Unit::Megahertz => " MHz",
            Unit::Rpm => " rpm",
            Unit::Celsius => "°C",
            Unit::Volts => " V",
            Unit::Milliamperes => " mA",
            Unit::Watts => " W",
            Unit::MegabytesPerSecond => " MB/s",
        }
    }

    /// A figure in this unit written short for a narrow cell or a chart title: sizes scaled to
    /// k, M, G ([`human_kb`]), other figures with `decimals`, each followed by
    /// [`Unit::suffix`] (`153k/s`, `2.00ms`, `5.2%`).
    pub fn compact(self, value: f64, decimals: u8) -> String {
        match self {
            Unit::Kilobytes => human_kb(value),
            Unit::Megabytes => human_kb(value * 1024.0),
            // Bytes under a kB: an idle disk reads `0B/s`, not `0k/s`.
            Unit::KilobytesPerSecond if value < 1.0 => format!("{:.0}B/s", value * 1024.0),
            Unit::KilobytesPerSecond => format!("{}B/s", human_kb(value)),
            unit => format!("{value:.*}{}", usize::from(decimals), unit.suffix()),
        }
    }

    /// The OpenMetrics unit, where the metric's name already ends with it (`_percent`):
    /// other units are left out rather than renaming metrics that must stay compatible.
    pub fn openmetrics(self) -> Option<&'static str> {
        match self {
            Unit::Percent => Some("percent"),
            _ => None,
        }
    }
}

/// What kind of figure a column holds: how it comes from the raw counters, how intervals
/// combine into an average, and which OpenMetrics type it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A counter's change divided by the interval's seconds (or a share of the interval's
    /// time, like %user): the average of several intervals weights each by its length.
    Rate,
    /// A value read at the end of the interval (memory in use, a load average, a
    /// temperature): sar averages the readings.
    Level,
    /// A cumulative count since the thing started (a cgroup's OOM kills): only grows.
    Counter,
    /// How many things happened during the interval (processes that started).
    Delta,
    /// A ratio of two counters' changes (await: time spent over requests done): an average
    /// over several intervals is the ratio of the summed changes, not the mean of ratios.
    AverageOfRatio,
}

impl Kind {
    /// The OpenMetrics metric type.
    pub fn openmetrics(self) -> &'static str {
        match self {
            Kind::Counter => "counter",
            _ => "gauge",
        }
    }
}

/// In which of sar's layouts a column appears (`-u` against `-u ALL`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layout {
    /// In both.
    Always,
    /// Only in the default layout (`%user`, which `-u ALL` calls `%usr`).
    DefaultOnly,
    /// Only with ALL.
    AllOnly,
}

impl Layout {
    /// Whether a column of this layout is shown when ALL is (`all`) or is not asked for.
    pub fn shown(self, all: bool) -> bool {
        match self {
            Layout::Always => true,
            Layout::DefaultOnly => !all,
            Layout::AllOnly => all,
        }
    }
}

/// One column of a view.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// sar's (or pidstat's) name of the column: the text header, the CSV and JSON field.
    pub name: &'static str,
    /// The unit of its figures.
    pub unit: Unit,
    /// What kind of figure it is.
    pub kind: Kind,
    /// Decimals printed (0 for sizes and counts, 2 otherwise, as sar does).
    pub decimals: u8,
    /// One sentence saying what the figure is (OpenMetrics HELP, tooltips).
    pub help: Cow<'static, str>,
    /// In which of sar's layouts it appears.
    pub layout: Layout,
    /// The derived field(s) it shows, as `Struct.field` of data-format's derivation
    /// (`+` between several summed, empty when the figure comes from a function or a
    /// counter table rather than a field); the coverage test reads it.
    pub source: &'static str,
}

impl Column {
    /// A column with two decimals shown in every layout.
    pub const fn new(
        name: &'static str,
        unit: Unit,
        kind: Kind,
        help: &'static str,
        source: &'static str,
    ) -> Column {
        Column {
            name,
            unit,
            kind,
            decimals: 2,
            help: Cow::Borrowed(help),
            layout: Layout::Always,
            source,
        }
    }

    /// A rate per second, two decimals.
    pub const fn rate(name: &'static str, help: &'static str, source: &'static str) -> Column {
        Column::new(name, Unit::PerSecond, Kind::Rate, help, source)
    }

    /// A share of the interval's time in percent, two decimals.
    pub const fn percent(name: &'static str, help: &'static str, source: &'static str) -> Column {
        Column::new(name, Unit::Percent, Kind::Rate, help, source)
    }

    /// A whole number read at the sample (a size in `unit`, a count).
    pub const fn whole(
        name: &'static str,
        unit: Unit,
        help: &'static str,
        source: &'static str,
    ) -> Column {
        Column::new(name, unit, Kind::Level, help, source).decimals(0)
    }

    /// The same column with `decimals`.
    pub const fn decimals(mut self, decimals: u8) -> Column {
        self.decimals = decimals;
        self
    }

    /// The same column of another kind.
    pub const fn kind(mut self, kind: Kind) -> Column {
        self.kind = kind;
        self
    }

    /// The same column, only in `layout`.
    pub const fn only(mut self, layout: Layout) -> Column {
        self.layout = layout;
        self
    }

    /// Whether it is printed as a whole number.
    pub fn integer(&self) -> bool {
        self.decimals == 0
    }

    /// A figure of this column written short for a narrow cell or a chart title, with the
    /// column's decimals ([`Unit::compact`]).
    pub fn compact(&self, value: f64) -> String {
        self.unit.compact(value, self.decimals)
    }
}

/// A size given in kB, with a unit that keeps it short: `812k`, `15M`, `3.9G` (one decimal
/// under 10 of a unit above k).
pub fn human_kb(kb: f64) -> String {
    let units = ["k", "M", "G", "T", "P"];
    let mut value = kb;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value < 10.0 && unit > 0 {
        format!("{value:.1}{}", units[unit])
    } else {
        format!("{value:.0}{}", units[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_scale_and_other_figures_keep_their_decimals_and_suffix() {
        assert_eq!(human_kb(812.0), "812k");
        assert_eq!(human_kb(15.2 * 1024.0), "15M");
        assert_eq!(human_kb(3.9 * 1024.0 * 1024.0), "3.9G");
        let rate = Column::new("rkB/s", Unit::KilobytesPerSecond, Kind::Rate, "", "");
        assert_eq!(rate.compact(153.0), "153kB/s");
        assert_eq!(rate.compact(0.0), "0B/s");
        assert_eq!(rate.compact(0.4), "410B/s");
        assert_eq!(rate.compact(24_854.4), "24MB/s");
        assert_eq!(rate.compact(1.5 * 1024.0 * 1024.0), "1.5GB/s");
        let size = Column::whole("kbmemfree", Unit::Kilobytes, "", "");
        assert_eq!(size.compact(2.5 * 1024.0), "2.5M");
        let wait = Column::new("await", Unit::Milliseconds, Kind::AverageOfRatio, "", "");
        assert_eq!(wait.compact(2.0), "2.00ms");
        assert_eq!(
            Column::percent("%util", "", "").decimals(1).compact(5.25),
            "5.2%"
        );
        assert_eq!(
            Column::rate("tps", "", "").decimals(1).compact(27.24),
            "27.2/s"
        );
        let count = Column::whole("aqu-sz", Unit::Count, "", "").decimals(2);
        assert_eq!(count.compact(0.05), "0.05");
        let heat = Column::new("temp", Unit::Celsius, Kind::Level, "", "").decimals(1);
        assert_eq!(heat.compact(41.04), "41.0°C");
    }
}
