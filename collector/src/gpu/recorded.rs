//! A [`GpuLibrary`] that replays readings taken earlier from real hardware (tests build one
//! from the H200 capture in collector/tests/fixtures/gpu): the sampler, the file format and
//! the derivation are exercised with a real device's values on a host without a GPU. MIG
//! devices are given per device with [`RecordedLibrary::with_mig_slots`].

use super::library::{DeviceReading, GpuLibrary};

/// Readings replayed one sample at a time: each [`GpuLibrary::device_count`] call (the
/// sampler makes one per sample) moves to the next sample; after the last, the last repeats.
#[derive(Clone, Debug, Default)]
pub struct RecordedLibrary {
    samples: Vec<Vec<DeviceReading>>,
    /// Per device index: its MIG slots (`None`: a slot without an instance), the same in
    /// every sample.
    mig_slots: Vec<Vec<Option<DeviceReading>>>,
    /// The sample being read; `None` before the first.
    current: Option<usize>,
}

impl RecordedLibrary {
    /// Replays `samples`: each is the list of devices read at one moment.
    pub fn new(samples: Vec<Vec<DeviceReading>>) -> RecordedLibrary {
        RecordedLibrary {
            samples,
            mig_slots: Vec::new(),
            current: None,
        }
    }

    /// Gives device `index` the MIG slots `slots` (`None`: no instance in that slot); they
    /// are read only while the device's reading says MIG mode is on.
    pub fn with_mig_slots(
        mut self,
        index: u32,
        slots: Vec<Option<DeviceReading>>,
    ) -> RecordedLibrary {
        let index = index as usize;
        if self.mig_slots.len() <= index {
            self.mig_slots.resize(index + 1, Vec::new());
        }
        self.mig_slots[index] = slots;
        self
    }

    fn slots(&self, index: u32) -> &[Option<DeviceReading>] {
        self.mig_slots
            .get(index as usize)
            .map_or(&[], Vec::as_slice)
    }

    fn sample(&self) -> &[DeviceReading] {
        self.current
            .and_then(|i| self.samples.get(i))
            .map_or(&[], Vec::as_slice)
    }
}

impl GpuLibrary for RecordedLibrary {
    fn device_count(&mut self) -> u32 {
        let last = self.samples.len().saturating_sub(1);
        self.current = Some(self.current.map_or(0, |i| (i + 1).min(last)));
        u32::try_from(self.sample().len()).unwrap_or(u32::MAX)
    }

    fn read_device(&mut self, index: u32, out: &mut DeviceReading) -> Result<(), String> {
        let reading = self
            .sample()
            .get(index as usize)
            .ok_or_else(|| format!("recorded device {index} does not exist"))?;
        out.clone_from(reading);
        Ok(())
    }

    fn mig_slot_count(&mut self, index: u32) -> u32 {
        u32::try_from(self.slots(index).len()).unwrap_or(u32::MAX)
    }

    fn read_mig_device(
        &mut self,
        index: u32,
        slot: u32,
        out: &mut DeviceReading,
    ) -> Result<bool, String> {
        match self.slots(index).get(slot as usize) {
            Some(Some(reading)) => {
                out.clone_from(reading);
                Ok(true)
            }
            Some(None) => Ok(false),
            None => Err(format!("recorded device {index} has no MIG slot {slot}")),
        }
    }
}
