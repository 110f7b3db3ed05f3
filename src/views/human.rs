//! sar's `--human` figures (`-h` is `--pretty --human`): sizes scaled by 1024 with a unit
//! letter (`11.2G`, `4.0k`, `0.0B`), percentages followed by `%` (`89.5%`), each in sar's
//! 9 columns. Which columns carry a size, and from which unit, is sar 12.7.9's choice
//! (pr_stats.c passes a unit only for memory and swap, huge pages, disks, network
//! interfaces and filesystems); rstat's own tables (cgroups, GPUs) follow the same names.

use std::fmt::Write as _;

/// How a column's figure is written under `--human`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HumanCell {
    /// A percentage: one decimal fewer than usual (at least none), then `%`.
    Percent,
    /// A size: the figure times `bytes_per_unit`, scaled by 1024 from bytes.
    Size {
        /// The column's unit in bytes (1024 for kB, 2^20 for MB).
        bytes_per_unit: f64,
        /// The smallest unit shown (sar starts memory sizes at `k`: 0 kB is `0.0k`).
        floor: usize,
    },
    /// Written as without `--human`.
    Plain,
}

/// The unit letters from bytes up, as sar prints them (`?` past petabytes).
const UNITS: [char; 7] = ['B', 'k', 'M', 'G', 'T', 'P', '?'];

impl HumanCell {
    /// The cell of the column named `name` (sar's column names).
    pub fn of(name: &str) -> HumanCell {
        const KB: HumanCell = HumanCell::Size {
            bytes_per_unit: 1024.0,
            floor: 1,
        };
        match name {
            _ if name.starts_with('%') => HumanCell::Percent,
            // Network interfaces: sar hands the bytes themselves, so an idle link is `0.0B`.
            "rxkB/s" | "txkB/s" => HumanCell::Size {
                bytes_per_unit: 1024.0,
                floor: 0,
            },
            "rkB/s" | "wkB/s" | "dkB/s" | "areq-sz" => KB,
            _ if name.starts_with("kb") => KB,
            // Filesystems: bytes too (a filesystem with 512 kB free shows `512.0k`).
            _ if name.starts_with("MB") => HumanCell::Size {
                bytes_per_unit: 1024.0 * 1024.0,
                floor: 0,
            },
            _ => HumanCell::Plain,
        }
    }

    /// Appends `" "` and `value` as this cell writes it, right-aligned in `width` (unit
    /// included); `decimals` is `--dec` (sar's 2 when not given). `false` for a plain cell,
    /// which the caller writes its usual way.
    pub fn push(self, out: &mut String, value: f64, decimals: Option<u8>, width: usize) -> bool {
        let digits_width = width.max(4) - 1;
        match self {
            HumanCell::Percent => {
                // One place goes to the sign: sar's 2 decimals (or --dec=1) become 1;
                // --dec=0 keeps none.
                let decimals = if decimals == Some(0) { 0 } else { 1 };
                let _ = write!(out, " {value:>digits_width$.decimals$}%");
                true
            }
            HumanCell::Size {
                bytes_per_unit,
                floor,
            } => {
                let (scaled, unit) = scale(value * bytes_per_unit, floor);
                let decimals = if decimals == Some(0) { 0 } else { 1 };
                let _ = write!(out, " {scaled:>digits_width$.decimals$}{unit}");
                true
            }
            HumanCell::Plain => false,
        }
    }
}

/// `bytes` in the largest unit (from `floor` up) under which it stays below 1024.
fn scale(bytes: f64, floor: usize) -> (f64, char) {
    let mut value = bytes / 1024f64.powi(floor as i32);
    let mut unit = floor;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    (value, UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(name: &str, value: f64, decimals: Option<u8>) -> String {
        let mut out = String::new();
        assert!(HumanCell::of(name).push(&mut out, value, decimals, 9));
        out
    }

    #[test]
    fn sizes_scale_by_1024_from_the_column_unit() {
        assert_eq!(cell("kbmemfree", 11_744_051.0, None), "     11.2G");
        assert_eq!(cell("kbmemfree", 0.0, None), "      0.0k");
        assert_eq!(cell("kbcommit", 305_766.0, None), "    298.6M");
        assert_eq!(cell("rxkB/s", 0.0, None), "      0.0B");
        assert_eq!(cell("rxkB/s", 0.5, None), "    512.0B");
        assert_eq!(cell("rxkB/s", 1536.0, None), "      1.5M");
        assert_eq!(cell("areq-sz", 4.0, None), "      4.0k");
        assert_eq!(cell("MBfsfree", 234_189.0, None), "    228.7G");
        assert_eq!(cell("kbmemfree", 11_744_051.0, Some(0)), "       11G");
        assert_eq!(cell("kbmemfree", 11_744_051.0, Some(2)), "     11.2G");
    }

    #[test]
    fn percentages_lose_a_decimal_and_gain_a_sign() {
        assert_eq!(cell("%user", 89.5123, None), "     89.5%");
        assert_eq!(cell("%user", 89.5123, Some(2)), "     89.5%");
        assert_eq!(cell("%user", 89.5123, Some(1)), "     89.5%");
        assert_eq!(cell("%user", 89.5123, Some(0)), "       90%");
        assert_eq!(cell("%idle", 100.0, None), "    100.0%");
    }

    #[test]
    fn other_columns_stay_plain() {
        for name in ["tps", "bread/s", "pgpgin/s", "runq-sz", "Ifree", "CPU"] {
            assert_eq!(HumanCell::of(name), HumanCell::Plain, "{name}");
        }
    }
}
