//! Number formatting shared by the screens: sizes and rates (written as data-format's units
//! write them), durations, and bars that fit a fixed width.

use std::time::Duration;

use rstat_data_format::columns::Unit;

pub use rstat_data_format::columns::human_kb;

/// A rate in kB/s written in bytes (`0B/s`, `24kB/s`, `1.5GB/s`), as the kB/s unit writes it.
pub fn rate_kb(kb_per_s: f64) -> String {
    Unit::KilobytesPerSecond.compact(kb_per_s, 0)
}

/// `1s`, `500ms`, `10s`, `5m`.
pub fn duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms}ms")
    } else if ms % 60_000 == 0 {
        format!("{}m", ms / 60_000)
    } else if ms % 1000 == 0 {
        format!("{}s", ms / 1000)
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// A bar of `width` cells filled to `pct` percent, in eighths.
pub fn bar(pct: f64, width: usize) -> String {
    let eighths = ((pct.clamp(0.0, 100.0) / 100.0) * (width * 8) as f64).round() as usize;
    let mut out = String::with_capacity(width * 3);
    for cell in 0..width {
        let fill = eighths.saturating_sub(cell * 8).min(8);
        out.push(match fill {
            0 => ' ',
            1 => '▏',
            2 => '▎',
            3 => '▍',
            4 => '▌',
            5 => '▋',
            6 => '▊',
            7 => '▉',
            _ => '█',
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(rate_kb(812.0), "812kB/s");
        assert_eq!(rate_kb(3.9 * 1024.0 * 1024.0), "3.9GB/s");
        assert_eq!(duration(Duration::from_millis(200)), "200ms");
        assert_eq!(duration(Duration::from_secs(1)), "1s");
        assert_eq!(bar(50.0, 4), "██  ");
        assert_eq!(bar(0.0, 2), "  ");
    }
}
