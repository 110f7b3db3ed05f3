//! rstat's collector: reads /proc and /sys under a root directory into [`Sample`]s and runs
//! the sampling loop that appends them to daily files.
//!
//! - [`proc`]: one parser per kernel file, each refilling a [`rstat_data_format::Table`] in
//!   place from bytes (no per-sample String or HashMap allocation).
//! - [`sampler`]: reads every file under `--root` into one reused buffer and fills a sample;
//!   an unreadable file leaves its table out of that sample and warns once.
//! - [`system_sampler`]: the system activities beyond the core files (interrupts, pressure,
//!   protocol counters, power, filesystems, ...), called by the sampler.
//! - [`activities`]: which activity groups are collected (`--activities`).
//! - [`process`]: processes, threads and cgroups (pidstat's data), called by the sampler.
//! - [`gpu`]: GPUs per device and per process (NVML, amdgpu sysfs, DRM fdinfo).
//! - [`run`]: the loop: interval timing, signals, day files.
//!
//! [`Sample`]: rstat_data_format::Sample

pub mod activities;
pub mod gpu;
pub mod names;
pub mod proc;
pub mod process;
pub mod run;
pub mod run_error;
pub mod sampler;
pub mod system_sampler;
