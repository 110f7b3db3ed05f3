//! The boundary between the GPU sampler and a vendor library: [`GpuLibrary`] lists devices and
//! reads each one's figures and processes into reused [`DeviceReading`]s. NVML implements it
//! ([`crate::gpu::nvml`]), and so does [`crate::gpu::recorded`], which replays readings
//! taken from real hardware so that the sampler and the derivation are tested without a GPU.
//!
//! A GPU in MIG mode (NVIDIA's Multi-Instance GPU) also has MIG devices: each is read into a
//! reading of its own, which the sampler keys after its parent and slot (`nvidia0-mig1`) and
//! records as its own GPU row; a library without MIG keeps the default of none.

use rstat_data_format::schema_gpu::{gpu_col, gpu_process_col, MISSING};

/// One device's figures at one moment, in the units of [`gpu_col`] ([`MISSING`] where the
/// library does not report a figure).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceReading {
    /// The row key (`nvidia0`).
    pub key: String,
    /// The product name (`NVIDIA H200`).
    pub name: String,
    /// The PCI bus id (`00000000:19:00.0`).
    pub bus_id: String,
    /// Values in [`gpu_col`] order.
    pub values: [u64; gpu_col::COUNT],
    /// The processes using the device.
    pub processes: Vec<ProcessReading>,
}

impl Default for DeviceReading {
    fn default() -> DeviceReading {
        DeviceReading {
            key: String::new(),
            name: String::new(),
            bus_id: String::new(),
            values: [MISSING; gpu_col::COUNT],
            processes: Vec::new(),
        }
    }
}

impl DeviceReading {
    /// Forgets the previous reading, keeping the strings' and vector's room.
    pub fn clear(&mut self) {
        self.key.clear();
        self.name.clear();
        self.bus_id.clear();
        self.values = [MISSING; gpu_col::COUNT];
        self.processes.clear();
    }
}

/// One process on one device: its pid and values in [`gpu_process_col`] order (the start
/// time is filled in by the sampler from the process table).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProcessReading {
    /// The process id.
    pub pid: u32,
    /// Values in [`gpu_process_col`] order.
    pub values: [u64; gpu_process_col::COUNT],
}

impl ProcessReading {
    /// A process with every value [`MISSING`].
    pub fn new(pid: u32) -> ProcessReading {
        ProcessReading {
            pid,
            values: [MISSING; gpu_process_col::COUNT],
        }
    }
}

/// A vendor library: NVML, or recorded readings in tests.
pub trait GpuLibrary: Send {
    /// How many devices there are now.
    fn device_count(&mut self) -> u32;

    /// Reads device `index` into `out` (cleared first by the caller). An error names what
    /// failed; the device is then left out of this sample.
    fn read_device(&mut self, index: u32, out: &mut DeviceReading) -> Result<(), String>;

    /// How many MIG device slots device `index` has (asked only when its reading says MIG
    /// mode is on). Some slots may hold no instance.
    fn mig_slot_count(&mut self, _index: u32) -> u32 {
        0
    }

    /// Reads the MIG device in `slot` of device `index` into `out` (cleared first by the
    /// caller): `Ok(false)` when the slot holds no instance. Figures the library does not
    /// give for a MIG device stay [`MISSING`]. An error names what failed; that MIG device
    /// is then left out of this sample.
    fn read_mig_device(
        &mut self,
        _index: u32,
        _slot: u32,
        _out: &mut DeviceReading,
    ) -> Result<bool, String> {
        Ok(false)
    }
}
