//! AMD GPUs through amdgpu's sysfs files under `ROOT/sys/class/drm/cardN/device`
//! (Documentation/gpu/amdgpu/thermal.rst and driver-misc.rst): `gpu_busy_percent`,
//! `mem_busy_percent`, `mem_info_{vram,gtt}_{total,used}`, and the card's hwmon directory
//! (`temp1_input` m°C, `power1_average` or `power1_input` µW, `power1_cap` µW,
//! `energy1_input` µJ, `freq1_input` and `freq2_input` Hz, `pwm1` 0-255). A card is amdgpu's
//! when it has `gpu_busy_percent`; the cards are looked for again every
//! [`RESCAN_SAMPLES`] samples, so a host without one pays one directory listing then.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rstat_data_format::schema_gpu::gpu_col;

use super::library::DeviceReading;

/// How often (in samples) the card list is read again.
pub const RESCAN_SAMPLES: u64 = 60;

/// One amdgpu card found under the root.
struct Card {
    /// `card0`.
    key: String,
    /// `ROOT/sys/class/drm/card0/device`.
    device: PathBuf,
    /// Its hwmon directory, if any.
    hwmon: Option<PathBuf>,
    bus_id: String,
    name: String,
}

/// Reads every amdgpu card under a root; see the module doc.
pub struct Amdgpu {
    drm: PathBuf,
    cards: Vec<Card>,
    samples: u64,
    buffer: Vec<u8>,
}

impl Amdgpu {
    /// Cards under `ROOT/sys/class/drm`, looked for at the first read.
    pub fn new(root: &Path) -> Amdgpu {
        Amdgpu {
            drm: root.join("sys/class/drm"),
            cards: Vec::new(),
            samples: 0,
            buffer: Vec::new(),
        }
    }

    /// Reads every card into `readings` (appending; `spare` readings are reused).
    pub fn read(&mut self, readings: &mut Vec<DeviceReading>, used: &mut usize) {
        if self.samples % RESCAN_SAMPLES == 0 {
            self.scan();
        }
        self.samples += 1;
        for card in &self.cards {
            if *used == readings.len() {
                readings.push(DeviceReading::default());
            }
            let out = &mut readings[*used];
            out.clear();
            if read_card(card, &mut self.buffer, out) {
                *used += 1;
            }
        }
    }

    /// Lists `cardN` entries that are amdgpu's.
    fn scan(&mut self) {
        self.cards.clear();
        let Ok(entries) = fs::read_dir(&self.drm) else {
            return;
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| {
                n.strip_prefix("card")
                    .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            })
            .collect();
        names.sort_by_key(|n| n[4..].parse::<u32>().unwrap_or(u32::MAX));
        for key in names {
            let device = self.drm.join(&key).join("device");
            if !device.join("gpu_busy_percent").exists() {
                continue;
            }
            let hwmon = fs::read_dir(device.join("hwmon")).ok().and_then(|dir| {
                dir.filter_map(|e| e.ok().map(|e| e.path())).find(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("hwmon"))
                })
            });
            let uevent = fs::read_to_string(device.join("uevent")).unwrap_or_default();
            let bus_id = uevent
                .lines()
                .find_map(|l| l.strip_prefix("PCI_SLOT_NAME="))
                .unwrap_or_default()
                .to_string();
            let name = fs::read_to_string(device.join("product_name"))
                .map(|s| s.trim().to_string())
                .unwrap_or_default();
            self.cards.push(Card {
                key,
                device,
                hwmon,
                bus_id,
                name,
            });
        }
    }
}

/// Reads `path` as one unsigned decimal number.
fn number(path: &Path, buffer: &mut Vec<u8>) -> Option<u64> {
    buffer.clear();
    fs::File::open(path).ok()?.read_to_end(buffer).ok()?;
    std::str::from_utf8(buffer).ok()?.trim().parse().ok()
}

/// Fills `out` from `card`; false when the card is gone (its busy file unreadable).
fn read_card(card: &Card, buffer: &mut Vec<u8>, out: &mut DeviceReading) -> bool {
    let Some(busy) = number(&card.device.join("gpu_busy_percent"), buffer) else {
        return false;
    };
    out.key.push_str(&card.key);
    out.name.push_str(&card.name);
    out.bus_id.push_str(&card.bus_id);
    let v = &mut out.values;
    v[gpu_col::UTIL_GPU] = busy;
    let files = [
        ("mem_busy_percent", gpu_col::UTIL_MEMORY),
        ("mem_info_vram_total", gpu_col::MEMORY_TOTAL),
        ("mem_info_vram_used", gpu_col::MEMORY_USED),
        ("mem_info_gtt_total", gpu_col::GTT_TOTAL),
        ("mem_info_gtt_used", gpu_col::GTT_USED),
    ];
    for (file, col) in files {
        if let Some(value) = number(&card.device.join(file), buffer) {
            v[col] = value;
        }
    }
    let Some(hwmon) = &card.hwmon else {
        return true;
    };
    let mut hw = |file: &str| number(&hwmon.join(file), buffer);
    if let Some(mc) = hw("temp1_input") {
        v[gpu_col::TEMPERATURE_MC] = mc;
    }
    if let Some(uw) = hw("power1_average").or_else(|| hw("power1_input")) {
        v[gpu_col::POWER_MW] = uw / 1000;
    }
    if let Some(uw) = hw("power1_cap") {
        v[gpu_col::POWER_LIMIT_MW] = uw / 1000;
    }
    if let Some(uj) = hw("energy1_input") {
        v[gpu_col::ENERGY_UJ] = uj;
    }
    if let Some(hz) = hw("freq1_input") {
        v[gpu_col::CLOCK_SM_MHZ] = hz / 1_000_000;
    }
    if let Some(hz) = hw("freq2_input") {
        v[gpu_col::CLOCK_MEMORY_MHZ] = hz / 1_000_000;
    }
    if let Some(pwm) = hw("pwm1") {
        v[gpu_col::FAN_PCT] = pwm.min(255) * 100 / 255;
    }
    true
}
