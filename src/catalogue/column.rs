//! What one column of a view holds, said once: sar's name, the unit, the kind of figure (the
//! averaging rules and the OpenMetrics type dispatch on it), how many decimals sar prints,
//! a help text, in which of sar's layouts it appears, and the derived field it shows.

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
}
