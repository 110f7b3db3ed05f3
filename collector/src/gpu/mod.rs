//! GPUs: the [`TableKind::GPU`] and [`TableKind::GPU_PROCESSES`] tables (activity group
//! `gpu`). Three sources, each optional, each silent when the host lacks it:
//!
//! - [`nvml`]: NVIDIA devices and their processes through NVML, loaded at run time (only
//!   when the root is `/`, a fixture tree has no driver to ask, and only when the NVIDIA
//!   kernel driver is there: see [`nvidia_driver_present`]);
//! - [`amdgpu`]: AMD devices through sysfs under the root;
//! - [`fdinfo`]: per-process use of any DRM driver, read during the process walk
//!   (`crate::process::drm`) and handed to [`GpuSampler::fill`].
//!
//! The vendor library sits behind [`library::GpuLibrary`], so that [`recorded`] readings
//! of real hardware drive the same sampler in tests. A GPU in MIG mode is followed by a row
//! per MIG device (`nvidia0-mig1`), with the figures NVML gives for one (memory) and the rest
//! missing.

pub mod amdgpu;
pub mod fdinfo;
pub mod library;
pub mod nvml;
pub mod recorded;

use std::fmt::Write;
use std::path::Path;

use rstat_data_format::schema::{Row, Sample, TableKind};
use rstat_data_format::schema_gpu::{gpu_col, gpu_process_col};
use rstat_data_format::schema_process::process_col;

use self::amdgpu::Amdgpu;
use self::fdinfo::DrmUsage;
use self::library::{DeviceReading, GpuLibrary};

/// Reads every GPU source into a sample; see the module doc.
pub struct GpuSampler {
    library: Option<Box<dyn GpuLibrary>>,
    amdgpu: Amdgpu,
    /// Reused readings: NVML's first, then amdgpu's.
    readings: Vec<DeviceReading>,
    warned: bool,
}

/// One row of the GPU_PROCESSES table before it is written.
struct ProcessRow {
    pid: u32,
    device: String,
    source: &'static str,
    values: [u64; gpu_process_col::COUNT],
}

impl GpuSampler {
    /// The sources of a host (`root` "/": NVML too) or of a fixture tree.
    pub fn new(root: &Path) -> GpuSampler {
        let library = (root == Path::new("/") && nvidia_driver_present(root))
            .then(nvml::NvmlLibrary::open)
            .flatten()
            .map(|nvml| nvml as Box<dyn GpuLibrary>);
        GpuSampler {
            library,
            amdgpu: Amdgpu::new(root),
            readings: Vec::new(),
            warned: false,
        }
    }

    /// Replaces the vendor library (tests and the cost measurement use recorded readings).
    pub fn set_library(&mut self, library: Box<dyn GpuLibrary>) {
        self.library = Some(library);
    }

    /// Refills the GPU tables of `sample`; `drm` is the process walk's DRM usage (empty
    /// without processes). A table with nothing to record is left out. `sample`'s
    /// PROCESSES table, when there, gives NVML's processes their start time.
    pub fn fill(&mut self, sample: &mut Sample, drm: &[DrmUsage], warnings: &mut Vec<String>) {
        let mut used = 0;
        if let Some(library) = self.library.as_mut() {
            for index in 0..library.device_count() {
                if used == self.readings.len() {
                    self.readings.push(DeviceReading::default());
                }
                let reading = &mut self.readings[used];
                reading.clear();
                match library.read_device(index, reading) {
                    Ok(()) => used += 1,
                    Err(message) => {
                        warn_once(&mut self.warned, &message, warnings);
                        continue;
                    }
                }
                if self.readings[used - 1].values[gpu_col::MIG_MODE] == 1 {
                    used = read_mig_devices(
                        library.as_mut(),
                        index,
                        &mut self.readings,
                        used,
                        &mut self.warned,
                        warnings,
                    );
                }
            }
        }
        let nvidia = used;
        self.amdgpu.read(&mut self.readings, &mut used);
        let readings = &self.readings[..used];

        let rows = process_rows(readings, nvidia, drm, sample);
        if readings.is_empty() {
            sample.remove_table(TableKind::GPU);
        } else {
            let mut fill = sample.table_mut(TableKind::GPU).refill();
            for (i, r) in readings.iter().enumerate() {
                let driver = if i < nvidia { "nvidia" } else { "amdgpu" };
                fill.row_with_text(&r.key, &[driver, &r.name, &r.bus_id])
                    .values
                    .extend_from_slice(&r.values);
            }
            fill.finish();
        }
        if rows.is_empty() {
            sample.remove_table(TableKind::GPU_PROCESSES);
        } else {
            let mut fill = sample.table_mut(TableKind::GPU_PROCESSES).refill();
            for row in &rows {
                fill.row_with_text(&row.pid.to_string(), &[&row.device, row.source])
                    .values
                    .extend_from_slice(&row.values);
            }
            fill.finish();
        }
    }
}

/// Says that a GPU (or a MIG device) cannot be read, the first time one fails.
fn warn_once(warned: &mut bool, message: &str, warnings: &mut Vec<String>) {
    if !*warned {
        *warned = true;
        warnings.push(format!(
            "cannot read a GPU: {message}; that GPU is left out of samples while it fails (said once)"
        ));
    }
}

/// Reads the MIG devices of device `index`, whose reading is `readings[used - 1]`, into
/// the readings after it: each keyed `PARENT-migSLOT`, on the parent's PCI address when
/// the library gives none. Returns the readings used now.
fn read_mig_devices(
    library: &mut dyn GpuLibrary,
    index: u32,
    readings: &mut Vec<DeviceReading>,
    mut used: usize,
    warned: &mut bool,
    warnings: &mut Vec<String>,
) -> usize {
    let parent = used - 1;
    for slot in 0..library.mig_slot_count(index) {
        if used == readings.len() {
            readings.push(DeviceReading::default());
        }
        let (before, after) = readings.split_at_mut(used);
        let (parent, reading) = (&before[parent], &mut after[0]);
        reading.clear();
        match library.read_mig_device(index, slot, reading) {
            Ok(true) => {
                reading.key.clear();
                let _ = write!(reading.key, "{}-mig{slot}", parent.key);
                if reading.bus_id.is_empty() {
                    reading.bus_id.push_str(&parent.bus_id);
                }
                used += 1;
            }
            Ok(false) => {}
            Err(message) => warn_once(warned, &message, warnings),
        }
    }
    used
}

/// Whether the NVIDIA kernel driver is loaded under `root`: its /proc directory or its
/// control device node exists. Without either NVML cannot find a device, and loading it
/// (a dlopen searching the library path) is most of what a system-only one-shot sample
/// would otherwise spend on GPUs (the timer case, `bench/collect-oneshot.sh`).
pub fn nvidia_driver_present(root: &Path) -> bool {
    root.join("proc/driver/nvidia").exists() || root.join("dev/nvidiactl").exists()
}

/// NVML's processes (start time from the sample's PROCESSES table) and the DRM usage, by pid
/// then device.
fn process_rows(
    readings: &[DeviceReading],
    nvidia: usize,
    drm: &[DrmUsage],
    sample: &Sample,
) -> Vec<ProcessRow> {
    let processes = sample
        .table(TableKind::PROCESSES)
        .map_or(&[][..], |t| &t.rows);
    let mut rows = Vec::new();
    for reading in &readings[..nvidia] {
        for process in &reading.processes {
            let mut values = process.values;
            if let Some(start) = starttime(processes, process.pid) {
                values[gpu_process_col::STARTTIME] = start;
            }
            rows.push(ProcessRow {
                pid: process.pid,
                device: reading.key.clone(),
                source: "nvml",
                values,
            });
        }
    }
    for usage in drm {
        let device = readings
            .iter()
            .find(|r| same_pci_address(&r.bus_id, &usage.device))
            .map_or_else(|| usage.device.clone(), |r| r.key.clone());
        let mut values = usage.values;
        values[gpu_process_col::STARTTIME] = usage.starttime;
        rows.push(ProcessRow {
            pid: usage.pid,
            device,
            source: "drm",
            values,
        });
    }
    rows.sort_by(|a, b| (a.pid, &a.device).cmp(&(b.pid, &b.device)));
    rows
}

/// The start time of process `pid` in the PROCESSES rows (in pid order).
fn starttime(rows: &[Row], pid: u32) -> Option<u64> {
    let index = rows
        .binary_search_by_key(&pid, |row| row.key.parse().unwrap_or(0))
        .ok()?;
    rows[index].value(process_col::STARTTIME)
}

/// Whether two PCI addresses name one device: NVML writes an 8-digit domain
/// (`00000000:19:00.0`), sysfs and DRM a 4-digit one (`0000:19:00.0`).
fn same_pci_address(a: &str, b: &str) -> bool {
    let split = |s: &str| {
        let (domain, rest) = s.split_once(':')?;
        Some((
            u32::from_str_radix(domain, 16).ok()?,
            rest.to_ascii_lowercase(),
        ))
    };
    match (split(a), split(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A GPU in MIG mode whose MIG slot 0 cannot be read (a driver error) and whose slot 1 is
    /// empty.
    struct FailingMig;

    impl GpuLibrary for FailingMig {
        fn device_count(&mut self) -> u32 {
            1
        }

        fn read_device(&mut self, _: u32, out: &mut DeviceReading) -> Result<(), String> {
            out.key.push_str("nvidia0");
            out.values[gpu_col::MIG_MODE] = 1;
            Ok(())
        }

        fn mig_slot_count(&mut self, _: u32) -> u32 {
            2
        }

        fn read_mig_device(
            &mut self,
            _: u32,
            slot: u32,
            _: &mut DeviceReading,
        ) -> Result<bool, String> {
            match slot {
                0 => Err("NVML device 0 MIG slot 0: GPU is lost".into()),
                _ => Ok(false),
            }
        }
    }

    #[test]
    fn a_mig_device_that_fails_is_left_out_and_said_once() {
        let root = tempfile::tempdir().unwrap();
        let mut sampler = GpuSampler::new(root.path());
        sampler.set_library(Box::new(FailingMig));
        let mut warnings = Vec::new();
        for _ in 0..2 {
            let mut sample = Sample::default();
            sampler.fill(&mut sample, &[], &mut warnings);
            let rows = &sample.table(TableKind::GPU).unwrap().rows;
            let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
            assert_eq!(keys, vec!["nvidia0"]);
        }
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("MIG slot 0: GPU is lost"));
    }

    #[test]
    fn pci_addresses_compare_across_domain_widths() {
        assert!(same_pci_address("00000000:19:00.0", "0000:19:00.0"));
        assert!(same_pci_address("0000:03:00.0", "0000:03:00.0"));
        assert!(!same_pci_address("0000:03:00.0", "0000:04:00.0"));
        assert!(!same_pci_address("", "0000:04:00.0"));
    }

    #[test]
    fn the_nvidia_driver_is_found_by_its_proc_directory_or_its_device_node() {
        let root = tempfile::tempdir().unwrap();
        assert!(!nvidia_driver_present(root.path()));
        std::fs::create_dir_all(root.path().join("proc/driver/nvidia/gpus")).unwrap();
        assert!(nvidia_driver_present(root.path()));

        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("dev")).unwrap();
        std::fs::write(root.path().join("dev/nvidiactl"), b"").unwrap();
        assert!(nvidia_driver_present(root.path()));
    }
}
