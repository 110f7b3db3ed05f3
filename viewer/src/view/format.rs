//! Number formatting shared by the screens: sizes, rates, percentages and bars that fit a
//! fixed width.

use std::time::Duration;

/// A size given in kB, with a unit that keeps it short: `812k`, `15.2M`, `3.9G`.
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

/// A rate in kB/s: `human_kb` with `/s`.
pub fn rate_kb(kb_per_s: f64) -> String {
    format!("{}/s", human_kb(kb_per_s))
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
        assert_eq!(human_kb(812.0), "812k");
        assert_eq!(human_kb(15.2 * 1024.0), "15M");
        assert_eq!(human_kb(3.9 * 1024.0 * 1024.0), "3.9G");
        assert_eq!(duration(Duration::from_millis(200)), "200ms");
        assert_eq!(duration(Duration::from_secs(1)), "1s");
        assert_eq!(bar(50.0, 4), "██  ");
        assert_eq!(bar(0.0, 2), "  ");
    }
}
