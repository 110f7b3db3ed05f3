//! Table kinds 60 to 69: GPUs, per device and per process (format 1.2). Numbers are part of
//! the file format.
//!
//! The sources differ in what they can give, so every value column may hold [`MISSING`]
//! ("this source does not report it", never a made-up zero). Counters stay counters where
//! the source has one (energy, engine busy time, ECC errors): rates come from two samples at
//! read time ([`crate::derive_gpu`]). Levels (utilisation over the driver's own window,
//! memory, temperature, power, clocks, PCIe throughput) are stored as read.
//!
//! A reader older than format 1.2 skips both tables, as it skips every kind it does not know.

use crate::schema::TableKind;

impl TableKind {
    /// One row per GPU. Key = the device as rstat names it: `nvidiaN` (NVML index N) or the
    /// DRM card (`card0`) for amdgpu; text = `[driver, product name, PCI bus id]` (driver
    /// `nvidia` or `amdgpu`; the name empty where the source has none); values see
    /// [`gpu_col`].
    pub const GPU: TableKind = TableKind(60);
    /// One row per (process, GPU) with GPU activity, in increasing pid order, then device
    /// key. Key = the pid in decimal; text = `[device key, source]` where the device key is
    /// the [`TableKind::GPU`] row's key (or the DRM `drm-pdev` PCI address when no GPU row
    /// names it) and source is `nvml` or `drm` (`/proc/PID/fdinfo`); values see
    /// [`gpu_process_col`]. The process is the one of [`TableKind::PROCESSES`] with the same
    /// pid and [`gpu_process_col::STARTTIME`].
    pub const GPU_PROCESSES: TableKind = TableKind(61);
}

/// A value the source does not report.
pub const MISSING: u64 = u64::MAX;

/// The value in `col` of `row`, `None` when absent or [`MISSING`].
pub fn present(row: &crate::Row, col: usize) -> Option<u64> {
    row.value(col).filter(|&v| v != MISSING)
}

/// Columns of [`TableKind::GPU`] rows.
pub mod gpu_col {
    /// Percent of the driver's last sampling window in which a kernel ran (NVML
    /// `utilization.gpu`, amdgpu `gpu_busy_percent`).
    pub const UTIL_GPU: usize = 0;
    /// Percent of that window in which device memory was read or written (NVML
    /// `utilization.memory`, amdgpu `mem_busy_percent`).
    pub const UTIL_MEMORY: usize = 1;
    /// Encoder utilisation, percent (NVML).
    pub const UTIL_ENCODER: usize = 2;
    /// Decoder utilisation, percent (NVML).
    pub const UTIL_DECODER: usize = 3;
    /// Device memory installed, bytes (NVML `memory.total`, amdgpu `mem_info_vram_total`).
    pub const MEMORY_TOTAL: usize = 4;
    /// Device memory allocated, bytes.
    pub const MEMORY_USED: usize = 5;
    /// Device memory the driver reserves, bytes (NVML v2 memory info).
    pub const MEMORY_RESERVED: usize = 6;
    /// GTT (system memory the GPU maps) size, bytes (amdgpu `mem_info_gtt_total`).
    pub const GTT_TOTAL: usize = 7;
    /// GTT in use, bytes (amdgpu `mem_info_gtt_used`).
    pub const GTT_USED: usize = 8;
    /// GPU temperature, millidegrees Celsius.
    pub const TEMPERATURE_MC: usize = 9;
    /// Power draw, milliwatts (NVML `power_usage`, amdgpu hwmon `power1_average` or
    /// `power1_input`).
    pub const POWER_MW: usize = 10;
    /// Enforced power limit, milliwatts (amdgpu hwmon `power1_cap`).
    pub const POWER_LIMIT_MW: usize = 11;
    /// Energy since the driver loaded, microjoules: a counter (NVML total energy, amdgpu
    /// hwmon `energy1_input`).
    pub const ENERGY_UJ: usize = 12;
    /// Graphics/SM clock, MHz (amdgpu hwmon `freq1_input`).
    pub const CLOCK_SM_MHZ: usize = 13;
    /// Memory clock, MHz (amdgpu hwmon `freq2_input`).
    pub const CLOCK_MEMORY_MHZ: usize = 14;
    /// PCIe receive throughput over the driver's last 20 ms, KB/s (NVML).
    pub const PCIE_RX_KBS: usize = 15;
    /// PCIe transmit throughput, KB/s (NVML).
    pub const PCIE_TX_KBS: usize = 16;
    /// Why the clocks are held down: NVML's clocks event reasons bit mask (see
    /// [`throttle`](super::throttle)).
    pub const THROTTLE_REASONS: usize = 17;
    /// Corrected ECC errors since the driver loaded (volatile): a counter.
    pub const ECC_CORRECTED: usize = 18;
    /// Uncorrected ECC errors since the driver loaded (volatile): a counter.
    pub const ECC_UNCORRECTED: usize = 19;
    /// MIG mode: 1 enabled, 0 disabled (current mode).
    pub const MIG_MODE: usize = 20;
    /// Fan speed, percent of its maximum.
    pub const FAN_PCT: usize = 21;
    /// How many columns this version writes.
    pub const COUNT: usize = 22;
}

/// Bits of [`gpu_col::THROTTLE_REASONS`] (NVML `nvmlClocksEventReasons`), with the short names
/// that reports print.
pub mod throttle {
    /// Every bit rstat names, with its short name.
    pub const NAMES: &[(u64, &str)] = &[
        (0x1, "idle"),
        (0x2, "app-clocks"),
        (0x4, "sw-power"),
        (0x8, "hw-slowdown"),
        (0x10, "sync-boost"),
        (0x20, "sw-thermal"),
        (0x40, "hw-thermal"),
        (0x80, "hw-power-brake"),
        (0x100, "display-clocks"),
    ];
}

/// Columns of [`TableKind::GPU_PROCESSES`] rows.
pub mod gpu_process_col {
    /// The process's start time (`/proc/PID/stat` field 22, clock ticks after boot), as in
    /// the PROCESSES table; [`MISSING`](super::MISSING) when the process was not read.
    pub const STARTTIME: usize = 0;
    /// Device-local memory the process holds, bytes (NVML used GPU memory; DRM
    /// `drm-resident-vram`/`local` or, on older kernels, `drm-memory-vram`).
    pub const MEMORY_BYTES: usize = 1;
    /// System memory the process's GPU clients hold, bytes (DRM `gtt`/`system` regions).
    pub const SHARED_BYTES: usize = 2;
    /// SM (3D and compute) utilisation over NVML's last window, percent.
    pub const UTIL_SM: usize = 3;
    /// Frame-buffer memory utilisation over NVML's last window, percent.
    pub const UTIL_MEMORY: usize = 4;
    /// Encoder utilisation over NVML's last window, percent.
    pub const UTIL_ENCODER: usize = 5;
    /// Decoder utilisation over NVML's last window, percent.
    pub const UTIL_DECODER: usize = 6;
    /// Busy time of the graphics and compute engines, ns (DRM `drm-engine-gfx`, `render`,
    /// `compute`, `ccs`, ...): a counter.
    pub const ENGINE_GRAPHICS_NS: usize = 7;
    /// Busy time of the video engines (`dec`, `enc`, `video`, `vcn*`, `jpeg*`, ...), ns.
    pub const ENGINE_VIDEO_NS: usize = 8;
    /// Busy time of the copy engines (`copy`, `sdma`, `dma`, `blt`, `bcs`), ns.
    pub const ENGINE_COPY_NS: usize = 9;
    /// Busy time of other engines, ns.
    pub const ENGINE_OTHER_NS: usize = 10;
    /// Engine busy cycles (DRM `drm-cycles-*`, xe), summed over engines: a counter.
    pub const ENGINE_CYCLES: usize = 11;
    /// Total GPU cycles over the same engines (`drm-total-cycles-*`): busy % =
    /// delta cycles / delta total cycles.
    pub const ENGINE_TOTAL_CYCLES: usize = 12;
    /// Distinct DRM clients (`drm-client-id`) of the process on this device (NVML: 1).
    pub const CLIENTS: usize = 13;
    /// How many columns this version writes.
    pub const COUNT: usize = 14;
}
