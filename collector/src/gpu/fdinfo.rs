//! Per-process GPU use from any DRM driver (amdgpu, i915, xe, msm, panfrost, ...): the keys
//! of Documentation/gpu/drm-usage-stats.rst in `/proc/PID/fdinfo/FD` of each open DRM file.
//!
//! [`parse`] reads one fdinfo file into a [`DrmClient`]. The process walk
//! (`crate::process::drm`) finds the files and sums one process's clients of one device into
//! a [`DrmUsage`], each `drm-client-id` once (several descriptors of one client, after a
//! `dup` or an inherited descriptor, share one id and one set of counters).

use rstat_data_format::schema_gpu::{gpu_process_col, MISSING};

/// What kind of engine a `drm-engine-NAME` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EngineClass {
    /// 3D and compute: gfx, render, compute, ccs, rcs.
    Graphics,
    /// Video decode, encode and enhancement, JPEG.
    Video,
    /// Copy/DMA engines.
    Copy,
    /// Anything else.
    Other,
}

impl EngineClass {
    /// The class of engine `name` as the drivers name them.
    pub fn of(name: &str) -> EngineClass {
        const GRAPHICS: [&str; 8] = [
            "gfx", "render", "compute", "ccs", "rcs", "3d", "fragment", "vertex",
        ];
        const VIDEO: [&str; 9] = [
            "dec", "enc", "video", "vcs", "vecs", "vcn", "jpeg", "uvd", "vce",
        ];
        const COPY: [&str; 5] = ["copy", "sdma", "dma", "bcs", "blt"];
        let starts = |list: &[&str]| list.iter().any(|p| name.starts_with(p));
        if starts(&GRAPHICS) {
            EngineClass::Graphics
        } else if starts(&VIDEO) {
            EngineClass::Video
        } else if starts(&COPY) {
            EngineClass::Copy
        } else {
            EngineClass::Other
        }
    }

    fn column(self) -> usize {
        match self {
            EngineClass::Graphics => gpu_process_col::ENGINE_GRAPHICS_NS,
            EngineClass::Video => gpu_process_col::ENGINE_VIDEO_NS,
            EngineClass::Copy => gpu_process_col::ENGINE_COPY_NS,
            EngineClass::Other => gpu_process_col::ENGINE_OTHER_NS,
        }
    }
}

/// One DRM client as its fdinfo describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DrmClient {
    /// `drm-pdev`: the PCI address (`0000:03:00.0`), or empty for a platform device.
    pub pdev: String,
    /// `drm-driver`.
    pub driver: String,
    /// `drm-client-id`; `None` when the driver prints none.
    pub client_id: Option<u64>,
    /// Values in [`gpu_process_col`] order (engines, cycles, memory), [`MISSING`] where
    /// the driver gives nothing.
    pub values: [u64; gpu_process_col::COUNT],
}

/// Memory regions: device-local or system.
fn region_is_local(region: &str) -> bool {
    region.starts_with("vram") || region.starts_with("local")
}

/// `123 KiB` (or MiB, or bytes without a unit) as bytes.
fn memory_bytes(value: &str) -> Option<u64> {
    let mut parts = value.split_whitespace();
    let number: u64 = parts.next()?.parse().ok()?;
    let scale = match parts.next() {
        None => 1,
        Some("KiB") => 1024,
        Some("MiB") => 1024 * 1024,
        Some(_) => return None,
    };
    number.checked_mul(scale)
}

/// Adds `amount` to column `col`, which may still be MISSING.
pub fn add(values: &mut [u64; gpu_process_col::COUNT], col: usize, amount: u64) {
    values[col] = if values[col] == MISSING {
        amount
    } else {
        values[col].saturating_add(amount)
    };
}

/// Parses an fdinfo file; `None` when it is not a DRM client's (no `drm-driver`).
pub fn parse(bytes: &[u8]) -> Option<DrmClient> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut client = DrmClient {
        values: [MISSING; gpu_process_col::COUNT],
        ..DrmClient::default()
    };
    let mut is_drm = false;
    // Memory by (local?, which key): resident is preferred, then the older `memory`, then
    // `total` (drm-usage-stats: resident <= total; `drm-memory-` is the deprecated form).
    let mut memory = [[None::<u64>; 3]; 2];
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let Some(key) = key.strip_prefix("drm-") else {
            continue;
        };
        let value = value.trim();
        if key == "driver" {
            is_drm = true;
            client.driver = value.to_string();
        } else if key == "pdev" {
            client.pdev = value.to_string();
        } else if key == "client-id" {
            client.client_id = value.parse().ok();
        } else if let Some(engine) = key.strip_prefix("engine-") {
            if engine.starts_with("capacity-") {
                continue;
            }
            if let Some(ns) = value.strip_suffix("ns").and_then(|n| n.trim().parse().ok()) {
                add(&mut client.values, EngineClass::of(engine).column(), ns);
            }
        } else if key.starts_with("total-cycles-") {
            if let Ok(cycles) = value.parse() {
                add(
                    &mut client.values,
                    gpu_process_col::ENGINE_TOTAL_CYCLES,
                    cycles,
                );
            }
        } else if key.starts_with("cycles-") {
            if let Ok(cycles) = value.parse() {
                add(&mut client.values, gpu_process_col::ENGINE_CYCLES, cycles);
            }
        } else {
            let (which, region) = if let Some(r) = key.strip_prefix("resident-") {
                (0, r)
            } else if let Some(r) = key.strip_prefix("memory-") {
                (1, r)
            } else if let Some(r) = key.strip_prefix("total-") {
                (2, r)
            } else {
                continue;
            };
            if let Some(bytes) = memory_bytes(value) {
                let slot = &mut memory[usize::from(!region_is_local(region))][which];
                *slot = Some(slot.unwrap_or(0).saturating_add(bytes));
            }
        }
    }
    if !is_drm {
        return None;
    }
    for (local, col) in [
        (0, gpu_process_col::MEMORY_BYTES),
        (1, gpu_process_col::SHARED_BYTES),
    ] {
        if let Some(bytes) = memory[local].iter().find_map(|m| *m) {
            client.values[col] = bytes;
        }
    }
    client.values[gpu_process_col::CLIENTS] = 1;
    Some(client)
}

/// One process's use of one DRM device, clients summed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrmUsage {
    /// The process id.
    pub pid: u32,
    /// Its start time (ticks after boot).
    pub starttime: u64,
    /// `drm-pdev` (empty for a platform device), or the driver name when there is none.
    pub device: String,
    /// Values in [`gpu_process_col`] order.
    pub values: [u64; gpu_process_col::COUNT],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_classes() {
        assert_eq!(EngineClass::of("gfx"), EngineClass::Graphics);
        assert_eq!(EngineClass::of("render"), EngineClass::Graphics);
        assert_eq!(EngineClass::of("video-enhance"), EngineClass::Video);
        assert_eq!(EngineClass::of("vcn_unified"), EngineClass::Video);
        assert_eq!(EngineClass::of("sdma"), EngineClass::Copy);
        assert_eq!(EngineClass::of("bcs"), EngineClass::Copy);
        assert_eq!(EngineClass::of("mystery"), EngineClass::Other);
    }

    #[test]
    fn memory_units() {
        assert_eq!(memory_bytes("12 KiB"), Some(12 * 1024));
        assert_eq!(memory_bytes("3 MiB"), Some(3 << 20));
        assert_eq!(memory_bytes("77"), Some(77));
        assert_eq!(memory_bytes("77 GiB"), None);
        assert_eq!(memory_bytes("lots"), None);
    }

    #[test]
    fn not_a_drm_file() {
        assert_eq!(parse(b"pos:\t0\nflags:\t02\nmnt_id:\t24\nino:\t7\n"), None);
        assert_eq!(parse(&[0xff, 0xfe]), None);
    }
}
