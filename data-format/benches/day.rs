//! Reading and writing a full day of 1 s samples.
//!
//! Setup generates, once, into a temporary directory, a day file of 86,400 samples one second
//! apart, written with [`FileWriter`] (not durable: fsync would only slow the generation). The
//! samples have the shape `rstat collect` records on a small VM (2 CPUs, ~55 meminfo rows,
//! 170 vmstat rows, 6 disks, 4 interfaces) and counters that advance plausibly every second,
//! driven by a fixed-seed xorshift generator so that every run writes the same file.
//!
//! Benchmarks:
//! - `open_seek_23h`: open the file and `seek_time` to 23:00 (frame headers only, no payload
//!   decoded).
//! - `decode_60_after_seek`: decode the 60 samples after 23:00 from a freshly opened reader
//!   (the first needs its key frame too).
//! - `series_full_day`: read the whole day through `Series`, counting intervals.
//! - `encode_delta` / `encode_key`: encoding one sample, 31 s after its key frame (the
//!   writer's CPU per sample, minus the write itself).
//!
//! Run: `cargo bench -p rstat-data-format --bench day` (about 3 minutes on 2 cores).
//! `RSTAT_BENCH_DAY_SAMPLES=3600 cargo bench ...` makes a shorter file for a quick look.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, SamplingMode, Throughput};
use rstat_data_format::codec::Encoder;
use rstat_data_format::frame::{FrameKind, FLAG_DELTA, FRAME_HEADER_LEN};
use rstat_data_format::reader::{FileReader, Item, Record};
use rstat_data_format::schema::{Sample, TableKind};
use rstat_data_format::series::{Event, Series};
use rstat_data_format::writer::FileWriter;
use rstat_data_format::FileHeader;

/// 2026-01-15T00:00:00Z: the day the file covers.
const DAY_START_US: i64 = 1_768_435_200 * 1_000_000;
const SECOND_US: i64 = 1_000_000;
const DAY_SAMPLES: u64 = 86_400;

const BOOT_ID: &str = "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f";

const MEMINFO_KEYS: &str = "MemTotal MemFree MemAvailable Buffers Cached SwapCached Active \
    Inactive Active(anon) Inactive(anon) Active(file) Inactive(file) Unevictable Mlocked \
    SwapTotal SwapFree Zswap Zswapped Dirty Writeback AnonPages Mapped Shmem KReclaimable Slab \
    SReclaimable SUnreclaim KernelStack PageTables SecPageTables NFS_Unstable Bounce \
    WritebackTmp CommitLimit Committed_AS VmallocTotal VmallocUsed VmallocChunk Percpu \
    AnonHugePages ShmemHugePages ShmemPmdMapped FileHugePages FilePmdMapped Balloon \
    HugePages_Total HugePages_Free HugePages_Rsvd HugePages_Surp Hugepagesize Hugetlb \
    DirectMap4k DirectMap2M DirectMap1G CmaTotal";

/// meminfo rows that do not change while the host runs.
const MEMINFO_FIXED: &[&str] = &[
    "MemTotal",
    "SwapTotal",
    "CommitLimit",
    "VmallocTotal",
    "Hugepagesize",
    "DirectMap4k",
    "DirectMap2M",
    "DirectMap1G",
    "CmaTotal",
];

const VMSTAT_KEYS: &str = "nr_free_pages nr_free_pages_blocks nr_zone_inactive_anon \
    nr_zone_active_anon nr_zone_inactive_file nr_zone_active_file nr_zone_unevictable \
    nr_zone_write_pending nr_mlock nr_zspages nr_free_cma numa_hit numa_miss numa_foreign \
    numa_interleave numa_local numa_other nr_inactive_anon nr_active_anon nr_inactive_file \
    nr_active_file nr_unevictable nr_slab_reclaimable nr_slab_unreclaimable nr_isolated_anon \
    nr_isolated_file workingset_nodes workingset_refault_anon workingset_refault_file \
    workingset_activate_anon workingset_activate_file workingset_restore_anon \
    workingset_restore_file workingset_nodereclaim nr_anon_pages nr_mapped nr_file_pages \
    nr_dirty nr_writeback nr_shmem nr_shmem_hugepages nr_shmem_pmdmapped nr_file_hugepages \
    nr_file_pmdmapped nr_anon_transparent_hugepages nr_vmscan_write \
    nr_vmscan_immediate_reclaim nr_dirtied nr_written nr_throttled_written \
    nr_kernel_misc_reclaimable nr_foll_pin_acquired nr_foll_pin_released nr_kernel_stack \
    nr_page_table_pages nr_sec_page_table_pages nr_iommu_pages nr_swapcached \
    pgpromote_success pgpromote_candidate pgdemote_kswapd pgdemote_direct pgdemote_khugepaged \
    nr_hugetlb nr_balloon_pages nr_dirty_threshold nr_dirty_background_threshold \
    nr_memmap_pages nr_memmap_boot_pages pgpgin pgpgout pswpin pswpout pgalloc_dma \
    pgalloc_dma32 pgalloc_normal pgalloc_movable pgalloc_device allocstall_dma \
    allocstall_dma32 allocstall_normal allocstall_movable allocstall_device pgskip_dma \
    pgskip_dma32 pgskip_normal pgskip_movable pgskip_device pgfree pgactivate pgdeactivate \
    pglazyfree pgfault pgmajfault pglazyfreed pgrefill pgreuse pgsteal_kswapd pgsteal_direct \
    pgsteal_khugepaged pgscan_kswapd pgscan_direct pgscan_khugepaged pgscan_direct_throttle \
    pgscan_anon pgscan_file pgsteal_anon pgsteal_file zone_reclaim_success \
    zone_reclaim_failed pginodesteal slabs_scanned kswapd_inodesteal \
    kswapd_low_wmark_hit_quickly kswapd_high_wmark_hit_quickly pageoutrun pgrotated \
    drop_pagecache drop_slab oom_kill numa_pte_updates numa_huge_pte_updates \
    numa_hint_faults numa_hint_faults_local numa_pages_migrated pgmigrate_success \
    pgmigrate_fail thp_migration_success thp_migration_fail thp_migration_split \
    compact_migrate_scanned compact_free_scanned compact_isolated compact_stall compact_fail \
    compact_success compact_daemon_wake compact_daemon_migrate_scanned \
    compact_daemon_free_scanned htlb_buddy_alloc_success htlb_buddy_alloc_fail \
    unevictable_pgs_culled unevictable_pgs_scanned unevictable_pgs_rescued \
    unevictable_pgs_mlocked unevictable_pgs_munlocked unevictable_pgs_cleared \
    unevictable_pgs_stranded thp_fault_alloc thp_fault_fallback thp_fault_fallback_charge \
    thp_collapse_alloc thp_collapse_alloc_failed thp_file_alloc thp_file_fallback \
    thp_file_fallback_charge thp_file_mapped thp_split_page thp_split_page_failed \
    thp_deferred_split_page thp_split_pmd thp_scan_exceed_none_pte thp_scan_exceed_swap_pte \
    thp_scan_exceed_share_pte thp_zero_page_alloc thp_zero_page_alloc_failed thp_swpout \
    thp_swpout_fallback swap_ra swap_ra_hit";

/// vmstat counters that move every second on a lightly loaded host, with their mean rate.
const VMSTAT_BUSY: &[(&str, u64)] = &[
    ("numa_hit", 4000),
    ("numa_local", 4000),
    ("pgalloc_normal", 3500),
    ("pgalloc_dma32", 500),
    ("pgfree", 4200),
    ("pgfault", 3000),
    ("pgactivate", 40),
    ("pgpgout", 60),
    ("pgpgin", 8),
    ("nr_dirtied", 15),
    ("nr_written", 14),
    ("pgreuse", 300),
    ("pglazyfree", 2),
    ("pgmajfault", 1),
];

/// (name, major, minor): block devices and partitions as /proc/diskstats lists them.
const DISKS: &[(&str, u64, u64)] = &[
    ("vda", 254, 0),
    ("vda1", 254, 1),
    ("vda14", 254, 14),
    ("vda15", 254, 15),
    ("vdb", 254, 16),
    ("dm-0", 253, 0),
];

const INTERFACES: &[&str] = &["lo", "eth0", "eth1", "docker0"];

/// xorshift64*: small, fast and good enough to make counters wobble.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// Around `mean`: uniform in `0..=2 * mean`.
    fn around(&mut self, mean: u64) -> u64 {
        self.below(2 * mean + 1)
    }
}

/// How a one-value row (meminfo, vmstat) moves from one second to the next.
#[derive(Clone, Copy)]
enum Motion {
    Fixed,
    /// A cumulative counter with this mean increase per second.
    Counter(u64),
    /// A counter that moves by one now and then (this percent of seconds).
    Rare(u64),
    /// A gauge that wanders by up to this much per second.
    Gauge(u64),
}

struct OneValue {
    key: &'static str,
    value: u64,
    motion: Motion,
}

impl OneValue {
    fn step(&mut self, rng: &mut Rng) {
        match self.motion {
            Motion::Fixed => {}
            Motion::Counter(mean) => self.value += rng.around(mean),
            Motion::Rare(percent) => self.value += u64::from(rng.chance(percent)),
            Motion::Gauge(step) => {
                if rng.chance(50) {
                    let delta = rng.below(step + 1);
                    self.value = if rng.chance(50) {
                        self.value.saturating_sub(delta)
                    } else {
                        self.value + delta
                    };
                }
            }
        }
    }
}

/// Produces the samples of one simulated day.
struct DayGenerator {
    rng: Rng,
    sample: Sample,
    time_us: i64,
    uptime_cs: u64,
    idle_cs: u64,
    /// Per CPU (cpu0, cpu1): the ten /proc/stat time fields.
    cpus: [[u64; 10]; 2],
    ctxt: u64,
    processes: u64,
    intr: u64,
    softirq: u64,
    load: [u64; 3],
    last_pid: u64,
    meminfo: Vec<OneValue>,
    vmstat: Vec<OneValue>,
    disks: Vec<[u64; 17]>,
    nets: Vec<[u64; 16]>,
}

impl DayGenerator {
    fn new() -> DayGenerator {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let meminfo = MEMINFO_KEYS
            .split_whitespace()
            .map(|key| {
                let (value, motion) = if MEMINFO_FIXED.contains(&key) {
                    (1 + rng.below(8_000_000), Motion::Fixed)
                } else if key.starts_with("HugePages") || rng.chance(25) {
                    (0, Motion::Fixed)
                } else {
                    let value = rng.below(2_000_000);
                    (value, Motion::Gauge(value / 2000 + 4))
                };
                OneValue { key, value, motion }
            })
            .collect();
        let vmstat = VMSTAT_KEYS
            .split_whitespace()
            .map(|key| {
                if let Some(&(_, mean)) = VMSTAT_BUSY.iter().find(|(name, _)| *name == key) {
                    let value = rng.below(1 << 34);
                    return OneValue {
                        key,
                        value,
                        motion: Motion::Counter(mean),
                    };
                }
                let (value, motion) = if key.starts_with("nr_") && rng.chance(60) {
                    let value = rng.below(500_000);
                    (value, Motion::Gauge(value / 5000 + 2))
                } else if rng.chance(15) {
                    (rng.below(100_000), Motion::Rare(5))
                } else if rng.chance(30) {
                    (rng.below(10_000_000), Motion::Fixed)
                } else {
                    (0, Motion::Fixed)
                };
                OneValue { key, value, motion }
            })
            .collect();
        let disks = DISKS
            .iter()
            .map(|_| {
                let mut fields = [0u64; 17];
                for field in fields.iter_mut() {
                    *field = rng.below(10_000_000);
                }
                fields[8] = 0; // in flight
                fields
            })
            .collect();
        let nets = INTERFACES
            .iter()
            .map(|_| {
                let mut fields = [0u64; 16];
                for i in [0, 1, 8, 9] {
                    fields[i] = rng.below(1 << 36);
                }
                fields
            })
            .collect();
        let uptime_cs = 360_000 + rng.below(100_000);
        DayGenerator {
            rng,
            sample: Sample::default(),
            time_us: DAY_START_US,
            uptime_cs,
            idle_cs: uptime_cs * 3 / 2,
            cpus: [[0; 10]; 2],
            ctxt: 50_000_000,
            processes: 120_000,
            intr: 30_000_000,
            softirq: 20_000_000,
            load: [52, 40, 31],
            last_pid: 120_000,
            meminfo,
            vmstat,
            disks,
            nets,
        }
    }

    /// Advances one second and returns the sample of that moment.
    fn next_sample(&mut self) -> &Sample {
        self.step();
        self.fill();
        &self.sample
    }

    fn step(&mut self) {
        let rng = &mut self.rng;
        self.time_us += SECOND_US + rng.below(2_000) as i64 - 1_000;
        self.uptime_cs += 100;
        let mut idle_total = 0;
        for cpu in self.cpus.iter_mut() {
            // 100 ticks a second, shared out between the states.
            let user = rng.below(25);
            let nice = u64::from(rng.chance(2));
            let system = rng.below(8);
            let iowait = rng.below(3);
            let irq = u64::from(rng.chance(10));
            let softirq = rng.below(2);
            let steal = rng.below(2);
            let busy = user + nice + system + iowait + irq + softirq + steal;
            let idle = 100 - busy;
            for (field, add) in cpu
                .iter_mut()
                .zip([user, nice, system, idle, iowait, irq, softirq, steal])
            {
                *field += add;
            }
            idle_total += idle;
        }
        self.idle_cs += idle_total;
        self.ctxt += rng.around(900);
        let forks = rng.below(4);
        self.processes += forks;
        self.last_pid += forks;
        self.intr += rng.around(700);
        self.softirq += rng.around(400);
        for load in self.load.iter_mut() {
            *load = (*load + rng.below(5)).saturating_sub(2);
        }
        for row in self.meminfo.iter_mut().chain(self.vmstat.iter_mut()) {
            row.step(rng);
        }
        for (i, disk) in self.disks.iter_mut().enumerate() {
            // The whole disk and its root partition are busy, the others mostly idle.
            let busy = matches!(i, 0 | 1 | 5);
            if !busy && !rng.chance(1) {
                continue;
            }
            let writes = rng.around(6);
            let reads = u64::from(rng.chance(20)) * rng.around(3);
            disk[0] += reads;
            disk[1] += reads / 3;
            disk[2] += reads * 8;
            disk[3] += reads * rng.below(2);
            disk[4] += writes;
            disk[5] += writes / 2;
            disk[6] += writes * 16;
            disk[7] += writes * rng.below(3);
            disk[9] += (reads + writes).min(10) * 3;
            disk[10] += (reads + writes) * 2;
            disk[15] += u64::from(rng.chance(10));
            disk[16] += u64::from(rng.chance(10));
        }
        for (i, net) in self.nets.iter_mut().enumerate() {
            let packets_in = if i == 3 { 0 } else { rng.around(30) };
            let packets_out = if i == 3 { 0 } else { rng.around(20) };
            net[0] += packets_in * (60 + rng.below(1400));
            net[1] += packets_in;
            net[7] += u64::from(i == 1 && rng.chance(3));
            net[8] += packets_out * (60 + rng.below(600));
            net[9] += packets_out;
        }
    }

    /// Writes the current state into the reused sample, as the collector's parsers do.
    fn fill(&mut self) {
        let sample = &mut self.sample;
        sample.time_us = self.time_us;
        sample
            .table_mut(TableKind::UPTIME)
            .refill()
            .row("uptime")
            .values
            .extend([self.uptime_cs, self.idle_cs]);
        sample
            .table_mut(TableKind::BOOT)
            .refill()
            .row("boot")
            .text
            .push(BOOT_ID.to_string());
        {
            let mut fill = sample.table_mut(TableKind::CPU).refill();
            let mut total = [0u64; 10];
            for cpu in &self.cpus {
                for (sum, value) in total.iter_mut().zip(cpu) {
                    *sum += value;
                }
            }
            fill.row("cpu").values.extend(total);
            for (n, cpu) in self.cpus.iter().enumerate() {
                fill.row(&format!("cpu{n}")).values.extend(cpu);
            }
            fill.finish();
        }
        {
            let mut fill = sample.table_mut(TableKind::STAT).refill();
            for (key, value) in [
                ("intr", self.intr),
                ("ctxt", self.ctxt),
                ("btime", 1_768_400_000),
                ("processes", self.processes),
                ("procs_running", 1 + self.rng.below(3)),
                ("procs_blocked", u64::from(self.rng.chance(5))),
                ("softirq", self.softirq),
            ] {
                fill.row(key).values.push(value);
            }
            fill.finish();
        }
        for (kind, rows) in [
            (TableKind::MEMINFO, &self.meminfo),
            (TableKind::VMSTAT, &self.vmstat),
        ] {
            let mut fill = sample.table_mut(kind).refill();
            for row in rows {
                fill.row(row.key).values.push(row.value);
            }
            fill.finish();
        }
        sample
            .table_mut(TableKind::LOADAVG)
            .refill()
            .row("loadavg")
            .values
            .extend([
                self.load[0],
                self.load[1],
                self.load[2],
                1 + self.rng.below(3),
                180 + self.rng.below(10),
                self.last_pid,
            ]);
        {
            let mut fill = sample.table_mut(TableKind::DISKSTATS).refill();
            for ((name, major, minor), fields) in DISKS.iter().zip(&self.disks) {
                let row = fill.row(name);
                row.values.extend([*major, *minor]);
                row.values.extend(fields);
            }
            fill.finish();
        }
        {
            let mut fill = sample.table_mut(TableKind::NETDEV).refill();
            for (name, fields) in INTERFACES.iter().zip(&self.nets) {
                fill.row(name).values.extend(fields);
            }
            fill.finish();
        }
    }
}

/// The generated day file, kept for all benchmarks and removed at the end.
struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
    samples: u64,
}

impl Fixture {
    /// Where the seek benchmarks go: 23:00 in a full day (23/24 of a shorter file).
    fn seek_to_us(&self) -> i64 {
        DAY_START_US + (self.samples * 23 / 24) as i64 * SECOND_US
    }
}

fn file_header() -> FileHeader {
    FileHeader {
        host: "bench-vm".into(),
        kernel_release: "6.18.0-1-amd64".into(),
        arch: "x86_64".into(),
        cpu_count: 2,
        ticks_per_sec: 100,
        page_size: 4096,
        boot_time: 1_768_400_000,
        boot_id: BOOT_ID.into(),
        time_zone: "UTC".into(),
        utc_offset_s: 0,
        created_us: DAY_START_US,
        writer: "rstat bench".into(),
    }
}

fn generate_day() -> Fixture {
    let samples = std::env::var("RSTAT_BENCH_DAY_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&n: &u64| n > 0)
        .unwrap_or(DAY_SAMPLES);
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("2026-01-15.rstat");
    let started = Instant::now();
    let mut writer = FileWriter::open(&path, &file_header(), 0o644).expect("create the day file");
    writer.set_durable(false);
    let mut day = DayGenerator::new();
    for _ in 0..samples {
        writer
            .append_sample(day.next_sample(), false)
            .expect("append a sample");
    }
    drop(writer);
    let took = started.elapsed();
    let fixture = Fixture {
        _dir: dir,
        path,
        samples,
    };
    describe(&fixture, took);
    fixture
}

/// Prints the file's size, bytes per sample, and how they split between key and delta frames.
fn describe(fixture: &Fixture, took: Duration) {
    let size = std::fs::metadata(&fixture.path).expect("stat").len();
    let mut reader = FileReader::open(&fixture.path).expect("open the day file");
    let header_len = reader.data_start();
    let (mut keys, mut key_bytes, mut deltas, mut delta_bytes) = (0u64, 0u64, 0u64, 0u64);
    while let Some(frame) = reader.next_frame().expect("read") {
        let frame = frame.expect("the generated file has no damage");
        if frame.header.kind != FrameKind::Sample {
            continue;
        }
        let len = frame.header.frame_len();
        if frame.header.flags & FLAG_DELTA != 0 {
            deltas += 1;
            delta_bytes += len;
        } else {
            keys += 1;
            key_bytes += len;
        }
    }
    let n = fixture.samples;
    println!();
    println!(
        "day file: {} samples, {size} bytes ({:.1} MB), {:.1} bytes/sample (file header {header_len} B included)",
        n,
        size as f64 / 1e6,
        size as f64 / n as f64
    );
    println!(
        "  key frames:   {keys:>6}, {:>7.1} bytes each on average ({FRAME_HEADER_LEN} B frame header included)",
        key_bytes as f64 / keys.max(1) as f64
    );
    println!(
        "  delta frames: {deltas:>6}, {:>7.1} bytes each on average; frame headers are {:.1}% of the file",
        delta_bytes as f64 / deltas.max(1) as f64,
        (FRAME_HEADER_LEN as u64 * (keys + deltas)) as f64 * 100.0 / size as f64
    );
    println!(
        "  generated in {:.2} s ({:.1} us per sample to build, encode and write)",
        took.as_secs_f64(),
        took.as_secs_f64() * 1e6 / n as f64
    );
    println!();
}

fn open_seek(path: &Path, time_us: i64) -> FileReader {
    let mut reader = FileReader::open(path).expect("open");
    reader.seek_time(time_us).expect("seek");
    reader
}

/// Decodes up to `n` samples; returns how many were read.
fn decode_samples(reader: &mut FileReader, n: usize) -> usize {
    let mut read = 0;
    while read < n {
        match reader.next_item().expect("read") {
            Some(Item::Record {
                record: Record::Sample { sample, .. },
                ..
            }) => {
                black_box(&sample);
                read += 1;
            }
            Some(_) => {}
            None => break,
        }
    }
    read
}

fn bench_seek(c: &mut Criterion, fixture: &Fixture) {
    let mut group = c.benchmark_group("day");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("open_seek_23h", |b| {
        b.iter(|| black_box(open_seek(&fixture.path, fixture.seek_to_us()).position()))
    });
    // Where 23:00 is, found once: each iteration then starts a fresh reader there, so the
    // first sample has to read its key frame like a real `rstat report -s 23:00` does.
    let offset = open_seek(&fixture.path, fixture.seek_to_us()).position();
    let mut probe = FileReader::open(&fixture.path).expect("open");
    probe.seek_offset(offset);
    let available = decode_samples(&mut probe, 60);
    assert_eq!(
        available, 60,
        "the file has 60 samples after the seek target"
    );
    group.throughput(Throughput::Elements(available as u64));
    group.bench_function("decode_60_after_seek", |b| {
        b.iter_batched(
            || {
                let mut reader = FileReader::open(&fixture.path).expect("open");
                reader.seek_offset(offset);
                reader
            },
            |mut reader| decode_samples(&mut reader, 60),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn bench_series(c: &mut Criterion, fixture: &Fixture) {
    let mut group = c.benchmark_group("day");
    // About 7 s per iteration here: 10 iterations, one each, is all this can afford.
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(80));
    group.throughput(Throughput::Elements(fixture.samples));
    let paths = [fixture.path.clone()];
    group.bench_function("series_full_day", |b| {
        b.iter(|| {
            let mut series = Series::open(&paths).expect("open");
            let mut intervals = 0u64;
            while let Some(event) = series.next_event().expect("read") {
                if let Event::Interval(pair) = event {
                    black_box(&pair);
                    intervals += 1;
                }
            }
            assert_eq!(intervals, fixture.samples - 1);
            intervals
        })
    });
    group.finish();
}

fn bench_encode(c: &mut Criterion) {
    let mut day = DayGenerator::new();
    let key = day.next_sample().tables.clone();
    for _ in 0..30 {
        day.next_sample();
    }
    // 31 s after its key frame: the last delta of a 32-sample chunk.
    let cur = day.next_sample().tables.clone();
    let mut encoder = Encoder::new();
    let mut out = Vec::new();
    let (raw, _) = encoder.encode_delta(&cur, &key, &mut out).expect("encode");
    println!(
        "delta payload 31 s after its key: {raw} bytes raw, {} stored",
        out.len()
    );
    let (raw, _) = encoder.encode_key(&cur, &mut out).expect("encode");
    println!("key payload: {raw} bytes raw, {} stored", out.len());

    let mut group = c.benchmark_group("encode");
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("encode_delta", |b| {
        b.iter(|| {
            encoder
                .encode_delta(black_box(&cur), black_box(&key), &mut out)
                .expect("encode")
        })
    });
    group.bench_function("encode_key", |b| {
        b.iter(|| {
            encoder
                .encode_key(black_box(&cur), &mut out)
                .expect("encode")
        })
    });
    group.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let fixture = generate_day();
    bench_seek(&mut c, &fixture);
    bench_series(&mut c, &fixture);
    bench_encode(&mut c);
    c.final_summary();
}
