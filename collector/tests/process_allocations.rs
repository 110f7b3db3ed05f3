//! Steady-state process, thread and cgroup sampling allocates nothing: a counting global
//! allocator (in this test binary only) counts the heap allocations made by the current
//! thread while the process sampler refills a sample of an unchanged process set. Two full
//! refresh cycles are measured (each process's cgroup and status are re-read every
//! `CGROUP_REFRESH_SAMPLES` samples). A new process allocates its row's strings unless a row
//! of a vanished one can be reused; that is not steady state.

mod common;

use rstat_collector::process::{ProcessOptions, ProcessSampler};
use rstat_collector::sampler::Sampler;
use rstat_data_format::schema::{Sample, TableKind};
use rstat_data_format::schema_process::CGROUP_REFRESH_SAMPLES;

#[path = "common/counting.rs"]
mod counting;

use counting::allocations_in;

#[global_allocator]
static ALLOCATOR: counting::CountingAllocator = counting::CountingAllocator;

#[test]
fn the_counter_sees_allocations() {
    assert!(allocations_in(|| drop(std::hint::black_box(vec![1u8; 10]))) >= 1);
}

#[test]
fn steady_state_process_sampling_allocates_nothing() {
    for threads in [false, true] {
        let options = ProcessOptions {
            threads,
            ..ProcessOptions::default()
        };
        for tree in ["proc-processes-a", "proc-processes-b", "cgroup-hybrid"] {
            let mut sampler = ProcessSampler::new(&common::tree(tree), options);
            let mut sample = Sample::default();
            let mut warnings = Vec::new();
            // Warm: two samples, as the row vectors of consecutive samples alternate.
            sampler.fill(&mut sample, &mut warnings);
            sampler.fill(&mut sample, &mut warnings);
            let rounds = 2 * CGROUP_REFRESH_SAMPLES;
            let count = allocations_in(|| {
                for _ in 0..rounds {
                    sampler.fill(&mut sample, &mut warnings);
                }
            });
            assert_eq!(count, 0, "{tree}, threads {threads}");
            assert!(sample.table(TableKind::PROCESSES).is_some());
            assert_eq!(warnings, Vec::<String>::new());
        }
    }
}

#[test]
fn the_whole_sampler_with_processes_allocates_nothing_once_warm() {
    let root = common::tree("proc-processes-a");
    let mut sampler = Sampler::new(&root);
    sampler.enable_processes(&root, ProcessOptions::default());
    let mut sample = Sample::default();
    for _ in 0..3 {
        sampler.sample(&mut sample);
    }
    drop(sampler.take_warnings());
    assert_eq!(allocations_in(|| sampler.sample(&mut sample)), 0);
}

#[test]
fn a_process_row_holds_no_spare_text_slot() {
    // Each row of a thousand-process sample is held from one sample to the next: a spare
    // slot in its text vector was 24 bytes (and a larger heap block) per process.
    let mut sampler =
        ProcessSampler::new(&common::tree("proc-processes-a"), ProcessOptions::default());
    let mut sample = Sample::default();
    sampler.fill(&mut sample, &mut Vec::new());
    let rows = &sample.table(TableKind::PROCESSES).unwrap().rows;
    assert!(!rows.is_empty());
    for row in rows {
        assert_eq!((row.text.len(), row.text.capacity()), (3, 3), "{}", row.key);
    }
}
