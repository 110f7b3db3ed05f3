//! NVIDIA GPUs through NVML, loaded at run time: `libnvidia-ml.so.1` is opened with dlopen
//! (the nvml-wrapper crate, over libloading) when the collector starts, so the binary has no
//! link-time dependency and runs on every host. No library, or a library that finds no
//! device, means no NVIDIA GPU: nothing is recorded and nothing is said.
//!
//! Each figure is asked for separately: a figure the device or driver does not support
//! (`NotSupported`, common on consumer cards: ECC, PCIe counters, energy) is stored as
//! MISSING and the rest of the reading stands.
//!
//! With MIG mode on, each MIG device NVML lists (`mig_device_by_index` over the slots of
//! `mig_device_count`) is read too: its name, memory and, where the driver gives it,
//! utilisation.

use nvml_wrapper::enum_wrappers::device::{
    Clock, EccCounter, MemoryError, PcieUtilCounter, TemperatureSensor,
};
use nvml_wrapper::enums::device::UsedGpuMemory;
use nvml_wrapper::error::NvmlError;
use nvml_wrapper::{Device, Nvml};
use rstat_data_format::schema_gpu::{gpu_col, gpu_process_col};

use super::library::{DeviceReading, GpuLibrary, ProcessReading};

/// NVML, initialised once.
pub struct NvmlLibrary {
    nvml: Nvml,
    /// Per device: the timestamp (µs) of the newest per-process utilisation sample seen, so
    /// that each read asks only for samples taken since.
    last_seen_us: Vec<u64>,
}

impl NvmlLibrary {
    /// NVML when its library loads and initialises with at least one device; `None`
    /// otherwise (no NVIDIA driver: the normal case on most hosts, not an error).
    ///
    /// Boxed here and never inlined: NVML's table of entry points is ~60 kB, and a caller
    /// that held it by value would have a frame that large, whose every page the stack probe
    /// touches even when NVML is not loaded (15 page faults of every `rstat collect` start).
    #[inline(never)]
    pub fn open() -> Option<Box<NvmlLibrary>> {
        let nvml = Nvml::init().ok()?;
        let count = nvml.device_count().ok()?;
        (count > 0).then(|| {
            Box::new(NvmlLibrary {
                nvml,
                last_seen_us: Vec::new(),
            })
        })
    }
}

/// The value of a query, or `None` when the device does not answer it.
fn ok<T>(result: Result<T, NvmlError>) -> Option<T> {
    result.ok()
}

impl GpuLibrary for NvmlLibrary {
    fn device_count(&mut self) -> u32 {
        self.nvml.device_count().unwrap_or(0)
    }

    fn read_device(&mut self, index: u32, out: &mut DeviceReading) -> Result<(), String> {
        let device = self
            .nvml
            .device_by_index(index)
            .map_err(|e| format!("NVML device {index}: {e}"))?;
        out.key.push_str("nvidia");
        out.key.push_str(&index.to_string());
        if let Some(name) = ok(device.name()) {
            out.name.push_str(&name);
        }
        if let Some(pci) = ok(device.pci_info()) {
            out.bus_id.push_str(&pci.bus_id);
        }
        let v = &mut out.values;
        let mut set = |col: usize, value: Option<u64>| {
            if let Some(value) = value {
                v[col] = value;
            }
        };
        let util = ok(device.utilization_rates());
        set(gpu_col::UTIL_GPU, util.as_ref().map(|u| u64::from(u.gpu)));
        set(
            gpu_col::UTIL_MEMORY,
            util.as_ref().map(|u| u64::from(u.memory)),
        );
        set(
            gpu_col::UTIL_ENCODER,
            ok(device.encoder_utilization()).map(|u| u64::from(u.utilization)),
        );
        set(
            gpu_col::UTIL_DECODER,
            ok(device.decoder_utilization()).map(|u| u64::from(u.utilization)),
        );
        if let Some(memory) = ok(device.memory_info()) {
            set(gpu_col::MEMORY_TOTAL, Some(memory.total));
            set(gpu_col::MEMORY_USED, Some(memory.used));
            set(gpu_col::MEMORY_RESERVED, Some(memory.reserved));
        }
        set(
            gpu_col::TEMPERATURE_MC,
            ok(device.temperature(TemperatureSensor::Gpu)).map(|c| u64::from(c) * 1000),
        );
        set(gpu_col::POWER_MW, ok(device.power_usage()).map(u64::from));
        set(
            gpu_col::POWER_LIMIT_MW,
            ok(device.enforced_power_limit()).map(u64::from),
        );
        set(
            gpu_col::ENERGY_UJ,
            ok(device.total_energy_consumption()).map(|mj| mj.saturating_mul(1000)),
        );
        set(
            gpu_col::CLOCK_SM_MHZ,
            ok(device.clock_info(Clock::SM)).map(u64::from),
        );
        set(
            gpu_col::CLOCK_MEMORY_MHZ,
            ok(device.clock_info(Clock::Memory)).map(u64::from),
        );
        set(
            gpu_col::PCIE_RX_KBS,
            ok(device.pcie_throughput(PcieUtilCounter::Receive)).map(u64::from),
        );
        set(
            gpu_col::PCIE_TX_KBS,
            ok(device.pcie_throughput(PcieUtilCounter::Send)).map(u64::from),
        );
        set(
            gpu_col::THROTTLE_REASONS,
            ok(device.current_throttle_reasons()).map(|r| r.bits()),
        );
        set(
            gpu_col::ECC_CORRECTED,
            ok(device.total_ecc_errors(MemoryError::Corrected, EccCounter::Volatile)),
        );
        set(
            gpu_col::ECC_UNCORRECTED,
            ok(device.total_ecc_errors(MemoryError::Uncorrected, EccCounter::Volatile)),
        );
        set(
            gpu_col::MIG_MODE,
            ok(device.mig_mode()).map(|m| u64::from(m.current)),
        );
        set(gpu_col::FAN_PCT, ok(device.fan_speed(0)).map(u64::from));

        // Processes: memory from the compute and graphics lists, utilisation from the
        // samples NVML took since the last read.
        let slot = index as usize;
        if self.last_seen_us.len() <= slot {
            self.last_seen_us.resize(slot + 1, 0);
        }
        let lists = [
            ok(device.running_compute_processes()),
            ok(device.running_graphics_processes()),
        ];
        for info in lists.into_iter().flatten().flatten() {
            let reading = process_entry(&mut out.processes, info.pid);
            if let UsedGpuMemory::Used(bytes) = info.used_gpu_memory {
                let memory = &mut reading.values[gpu_process_col::MEMORY_BYTES];
                *memory = if *memory == u64::MAX {
                    bytes
                } else {
                    memory.saturating_add(bytes)
                };
            }
            reading.values[gpu_process_col::CLIENTS] = 1;
        }
        let samples = ok(device.process_utilization_stats(self.last_seen_us[slot]));
        for sample in samples.into_iter().flatten() {
            self.last_seen_us[slot] = self.last_seen_us[slot].max(sample.timestamp);
            let reading = process_entry(&mut out.processes, sample.pid);
            reading.values[gpu_process_col::UTIL_SM] = u64::from(sample.sm_util);
            reading.values[gpu_process_col::UTIL_MEMORY] = u64::from(sample.mem_util);
            reading.values[gpu_process_col::UTIL_ENCODER] = u64::from(sample.enc_util);
            reading.values[gpu_process_col::UTIL_DECODER] = u64::from(sample.dec_util);
        }
        Ok(())
    }

    fn mig_slot_count(&mut self, index: u32) -> u32 {
        self.nvml
            .device_by_index(index)
            .and_then(|device| device.mig_device_count())
            .unwrap_or(0)
    }

    fn read_mig_device(
        &mut self,
        index: u32,
        slot: u32,
        out: &mut DeviceReading,
    ) -> Result<bool, String> {
        let Some(device) = self.mig_device(index, slot)? else {
            return Ok(false);
        };
        read_mig_figures(&device, out);
        Ok(true)
    }
}

impl NvmlLibrary {
    /// The MIG device in `slot` of device `index`; `None` when the slot holds no instance.
    fn mig_device(&self, index: u32, slot: u32) -> Result<Option<Device<'_>>, String> {
        let parent = self
            .nvml
            .device_by_index(index)
            .map_err(|e| format!("NVML device {index}: {e}"))?;
        match parent.mig_device_by_index(slot) {
            Ok(device) => Ok(Some(device)),
            // An empty slot: NVML says NotFound (InvalidArg from some drivers).
            Err(NvmlError::NotFound | NvmlError::InvalidArg) => Ok(None),
            Err(e) => Err(format!("NVML device {index} MIG slot {slot}: {e}")),
        }
    }
}

/// Reads what NVML gives for a MIG device: its name, memory, and utilisation where the
/// driver reports it (most do not: the GPU's figures are not split per instance); the rest
/// stays missing rather than repeat the parent's.
fn read_mig_figures(device: &Device<'_>, out: &mut DeviceReading) {
    if let Some(name) = ok(device.name()) {
        out.name.push_str(&name);
    }
    let v = &mut out.values;
    if let Some(memory) = ok(device.memory_info()) {
        v[gpu_col::MEMORY_TOTAL] = memory.total;
        v[gpu_col::MEMORY_USED] = memory.used;
        v[gpu_col::MEMORY_RESERVED] = memory.reserved;
    }
    if let Some(util) = ok(device.utilization_rates()) {
        v[gpu_col::UTIL_GPU] = u64::from(util.gpu);
        v[gpu_col::UTIL_MEMORY] = u64::from(util.memory);
    }
}

/// The reading of `pid` in `list`, added if absent.
pub(crate) fn process_entry(list: &mut Vec<ProcessReading>, pid: u32) -> &mut ProcessReading {
    let index = match list.iter().position(|p| p.pid == pid) {
        Some(index) => index,
        None => {
            list.push(ProcessReading::new(pid));
            list.len() - 1
        }
    };
    &mut list[index]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// This machine has no NVIDIA driver: opening NVML gives `None`, quietly, and does not
    /// panic (the dlopen of a missing libnvidia-ml.so.1 is the path every GPU-less host takes).
    #[test]
    fn library_absent_is_no_gpu() {
        if std::path::Path::new("/dev/nvidiactl").exists() {
            eprintln!("skipped: this host has an NVIDIA driver");
            return;
        }
        assert!(NvmlLibrary::open().is_none());
    }
}
