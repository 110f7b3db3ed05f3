//! The H200 capture (fixtures/gpu/nvml-h200-under-load.json, NVML read through its Python
//! binding, 3 samples 1 s apart under a PyTorch load) as a recorded GPU library.

use rstat_collector::gpu::library::{DeviceReading, ProcessReading};
use rstat_collector::gpu::recorded::RecordedLibrary;
use rstat_data_format::schema_gpu::{gpu_col, gpu_process_col};
use serde_json::Value;

/// The capture's three readings as the NVML library would give them.
pub fn h200_capture() -> RecordedLibrary {
    let text = std::fs::read_to_string(super::tree("gpu/nvml-h200-under-load.json")).unwrap();
    let capture: Value = serde_json::from_str(&text).unwrap();
    let number = |v: &Value| v.as_u64().unwrap();
    let samples = capture["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let mut d = DeviceReading {
                key: "nvidia0".into(),
                name: s["name"].as_str().unwrap().into(),
                bus_id: "00000000:19:00.0".into(),
                ..DeviceReading::default()
            };
            let v = &mut d.values;
            v[gpu_col::UTIL_GPU] = number(&s["utilization"]["gpu"]);
            v[gpu_col::UTIL_MEMORY] = number(&s["utilization"]["memory"]);
            v[gpu_col::UTIL_ENCODER] = number(&s["enc"][0]);
            v[gpu_col::UTIL_DECODER] = number(&s["dec"][0]);
            v[gpu_col::MEMORY_TOTAL] = number(&s["memory"]["total"]);
            v[gpu_col::MEMORY_USED] = number(&s["memory"]["used"]);
            v[gpu_col::TEMPERATURE_MC] = number(&s["temperature"]) * 1000;
            v[gpu_col::POWER_MW] = number(&s["power_mw"]);
            v[gpu_col::POWER_LIMIT_MW] = number(&s["power_limit_mw"]);
            v[gpu_col::ENERGY_UJ] = number(&s["energy_mj"]) * 1000;
            v[gpu_col::CLOCK_SM_MHZ] = number(&s["clock_sm"]);
            v[gpu_col::CLOCK_MEMORY_MHZ] = number(&s["clock_mem"]);
            v[gpu_col::PCIE_RX_KBS] = number(&s["pcie_rx_kbs"]);
            v[gpu_col::PCIE_TX_KBS] = number(&s["pcie_tx_kbs"]);
            v[gpu_col::THROTTLE_REASONS] = number(&s["throttle"]);
            v[gpu_col::ECC_CORRECTED] = number(&s["ecc_volatile_corrected"]);
            v[gpu_col::MIG_MODE] = number(&s["mig_mode"][0]);
            // compute_procs are Python reprs: "{'pid': 434, 'usedGpuMemory': 21185429504, ...}".
            for entry in s["compute_procs"].as_array().unwrap() {
                let text = entry.as_str().unwrap();
                let field = |name: &str| -> u64 {
                    let rest = &text[text.find(name).unwrap() + name.len() + 3..];
                    rest[..rest.find(',').unwrap()].trim().parse().unwrap()
                };
                let mut p = ProcessReading::new(field("pid") as u32);
                p.values[gpu_process_col::MEMORY_BYTES] = field("usedGpuMemory");
                p.values[gpu_process_col::CLIENTS] = 1;
                d.processes.push(p);
            }
            for u in s["process_utilization"].as_array().unwrap() {
                let pid = number(&u["pid"]) as u32;
                let p = d.processes.iter_mut().find(|p| p.pid == pid).unwrap();
                p.values[gpu_process_col::UTIL_SM] = number(&u["smUtil"]);
                p.values[gpu_process_col::UTIL_MEMORY] = number(&u["memUtil"]);
                p.values[gpu_process_col::UTIL_ENCODER] = number(&u["encUtil"]);
                p.values[gpu_process_col::UTIL_DECODER] = number(&u["decUtil"]);
            }
            vec![d]
        })
        .collect();
    RecordedLibrary::new(samples)
}
