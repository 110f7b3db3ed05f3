//! sysstat's sensor activities (A_PWR_FAN, A_PWR_TEMP, A_PWR_IN: lm-sensors' figures, stored
//! as C doubles) written into rstat's hwmon table, in the units the collector stores from
//! sysfs: RPM, millidegree Celsius, millivolt. A sensor's key is `sa/fanN`, `sa/tempN` or
//! `sa/inN` (N from 1, in the file's order), its name and chip the device name sysstat
//! recorded (libsensors' chip name).

use super::catalog::id;
use super::layout::Fields;
use crate::schema::{Row, Sample, TableKind};
use crate::schema_system::{hwmon_col, hwmon_text};

/// Bytes of a sensor's device name (sysstat's MAX_SENSORS_DEV_LEN).
const DEVICE_LEN: usize = 20;

/// Adds one row per sensor item of activity `activity` to the hwmon table.
pub(super) fn fill<'a>(
    activity: u32,
    items: impl Iterator<Item = Fields<'a>>,
    sample: &mut Sample,
) {
    // (key prefix, doubles before the name, scale to the stored unit)
    let (prefix, doubles, scale) = match activity {
        id::PWR_FAN => ("fan", 2, 1.0),
        id::PWR_TEMP => ("temp", 3, 1000.0),
        id::PWR_IN => ("in", 3, 1000.0),
        _ => return,
    };
    let mut rows = Vec::new();
    for (i, f) in items.enumerate() {
        // A double is 8 bytes in the writer's byte order, counted with the 64-bit fields.
        let value = |n: u32| f.ull(n).map(f64::from_bits).filter(|v| v.is_finite());
        let Some(input) = value(0) else { continue };
        let mut values = vec![0u64; hwmon_col::COUNT];
        values[hwmon_col::INPUT] = stored(input, scale);
        values[hwmon_col::MIN] = value(1).map_or(0, |v| stored(v, scale));
        if doubles == 3 {
            values[hwmon_col::MAX] = value(2).map_or(0, |v| stored(v, scale));
        }
        // sysstat records libsensors' chip name only: it is the name and the chip both.
        let device = f.text(0, DEVICE_LEN);
        let mut text = vec![String::new(); 3];
        text[hwmon_text::CHIP] = device.clone();
        text[hwmon_text::NAME] = device;
        rows.push(Row {
            key: format!("sa/{prefix}{}", i + 1),
            text,
            values,
        });
    }
    if !rows.is_empty() {
        sample.table_mut(TableKind::HWMON).rows.extend(rows);
    }
}

/// A reading in rstat's unit, as the two's complement the hwmon table stores.
fn stored(value: f64, scale: f64) -> u64 {
    // `as` saturates: a hostile huge value becomes i64::MAX, never undefined.
    (value * scale).round() as i64 as u64
}
