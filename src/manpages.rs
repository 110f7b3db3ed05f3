//! The manual pages in man/ are generated from the clap definitions (clap_mangen) plus the
//! written sections below (files, exit status, migrating from sysstat). The test fails when
//! a committed page differs from what the CLI generates; regenerate with
//! `UPDATE_MAN=1 cargo test -p rstat manpages`. rstat-top.1 (its screens and keys are not
//! options), rstat.toml.5 and rstat-format.5 are written by hand and checked by groff; the
//! file-format pages are also checked against what they describe.

use std::path::Path;

use clap::CommandFactory;

/// (page name, section, subcommand or "" for rstat itself, written sections in roff).
const PAGES: &[(&str, u8, &str, &str)] = &[
    ("rstat", 1, "", RSTAT_EXTRA),
    ("rstat-collect", 8, "collect", COLLECT_EXTRA),
    ("rstat-report", 1, "report", REPORT_EXTRA),
    ("rstat-export", 1, "export", EXPORT_EXTRA),
    ("rstat-plot", 1, "plot", PLOT_EXTRA),
    ("rstat-info", 1, "info", INFO_EXTRA),
    ("rstat-import", 1, "import", IMPORT_EXTRA),
    ("rstat-prune", 8, "prune", PRUNE_EXTRA),
    ("rstat-completions", 1, "completions", ""),
    ("rstat-config", 1, "config", CONFIG_EXTRA),
    ("rstat-serve", 8, "serve", SERVE_EXTRA),
    ("rstat-push", 8, "push", PUSH_EXTRA),
];

const RSTAT_EXTRA: &str = r#".SH "MIGRATING FROM SYSSTAT"
.TS
l l.
sysstat	rstat
sadc 1 60 FILE	rstat collect \-i 1 \-c 60 \-\-file FILE
sa1 (cron or timer)	rstat collect \-\-count 1 (rstat\-collect.timer)
sar \-u 1 5	rstat report \-u 1 5; full screen: rstat top
sar \-A \-f FILE	rstat report \-A \-f FILE
sar \-f saDD	rstat report \-f saDD (no conversion)
keep saDD history	rstat import saDD...
sar \-d \-p \-f FILE	rstat report \-d \-p \-f FILE (names as collected)
sadf \-d, \-j, \-x FILE	rstat export \-\-csv, \-\-json, \-\-xml \-f FILE
sadf \-g FILE	rstat plot \-f FILE
sa2, HISTORY	rstat prune \-\-keep\-days N (rstat\-prune.timer)
/etc/sysstat/sysstat	/etc/rstat/rstat.toml, see rstat.toml(5)
.TE
.SH FILES
.TP
.I /var/log/rstat/YYYY\-MM\-DD.rstat
Daily data files when run as root; otherwise
.IR $XDG_STATE_HOME/rstat " (default " ~/.local/state/rstat ).
The format is described in
.BR rstat\-format (5);
every later rstat reads every earlier file.
.TP
.I /etc/rstat/rstat.toml
Configuration for root and the packaged services; other users' is
.IR $XDG_CONFIG_HOME/rstat/rstat.toml .
See
.BR rstat.toml (5).
.SH "EXIT STATUS"
0 on success; 1 on an error, explained in one line on standard error; 2 on bad usage;
3 when data was read but a file has damaged byte ranges (each one is reported).
.SH "SEE ALSO"
.BR rstat\-collect (8),
.BR rstat\-report (1),
.BR rstat\-top (1),
.BR rstat\-info (1),
.BR rstat\-prune (8),
.BR rstat\-config (1),
.BR rstat.toml (5),
.BR rstat\-format (5),
.BR sar (1)
"#;

const COLLECT_EXTRA: &str = r#".SH FILES
.TP
.I /var/log/rstat
Default data directory for root.
.TP
.I /etc/rstat/rstat.toml
Defaults for the interval, activities, processes, file mode and directory; flags win.
See
.BR rstat.toml (5).
.SH SIGNALS
SIGTERM, SIGINT and SIGHUP stop a continuous collection after the record in progress is
written; the exit status is then 0. Each record is written with one write and flushed to
disk (unless \-\-no\-sync), so a crash loses at most the record being written; the next
collector cuts that torn record off and appends after the last whole one.
.SH "EXIT STATUS"
0 on success; 1 when collection could not start (the file is locked by another collector,
the directory cannot be created) or a sample could not be written; 2 on bad usage.
.SH "SEE ALSO"
.BR rstat (1),
.BR rstat\-report (1),
.BR rstat.toml (5),
.BR rstat\-format (5),
.BR sadc (8)
"#;

const REPORT_EXTRA: &str = r#".SH "TIME WINDOW AND INTERVALS"
.B \-s
and
.B \-e
take HH:MM[:SS] on the first and the last day read (or a full YYYY\-MM\-DD HH:MM[:SS]), in
local time, or UTC with
.BR \-\-utc .
As in sar, the first sample at or after the start is the baseline of the first interval, and
the end is inclusive to the second.
.B "\-i SECONDS"
joins consecutive samples into intervals of at least that length; the counters are
cumulative, so each longer interval is computed from the samples at its ends and its figures
are exact, not averages of averages. No interval spans a restart.
.PP
As sar does, each boot is a block of its own: every table with its
.B Average:
rows, then the LINUX RESTART line. An Average: rate comes from the counters at the ends of
the block (so \-d's areq\-sz, await and %util are ratios of the totals), a level (memory,
swap, queue, sockets, kernel tables) is the mean of its readings, and \-F closes with a
.B Summary:
row of the last values.
.PP
.B \-x
adds sar 12.7's extended reports: each item (CPU, device, interface, the one row of \-w or
\-q) closes with a block of its own, a blank line and the header labelled
.BR Summary: ,
then
.B Minimum:
and
.B Maximum:
rows (the least and greatest of each figure over the rows printed; with \-z, the zero rows
left out are not counted), then its Average: row (\-F: a
.B Last:
row of the last values). They are written as the rows are (\-\-dec, \-\-human, \-p). As in
sar, \-m USB has none; each boot has its own.
.PP
With
.B "INTERVAL [COUNT]"
and no file, the machine is sampled directly, as
.B "sar \-u 1 5"
does; Ctrl\-C prints the Average: rows and exits 0. Nothing is written.
.PP
An interval under a tenth of the one before it and of the one after it (a collector
restarted within a second, a sample taken by hand between two timer runs) is folded into the
next interval rather than printed: over a few clock ticks its percentages and rates would be
noise. One short only against the one before it (a timer's samples, then one a second) starts
a new cadence and is printed, as is a short interval at the end. export and plot read the
same intervals.
.PP
As sar, \-n NFS, \-n NFSD and \-q CPU,IO,MEM print zeros for files collected on a host
without NFS or pressure stall information; an activity that was not collected (rstat collect
\-\-activities) prints nothing.
.SH EXAMPLES
.nf
rstat report \-u 1 5
rstat report \-A \-\-date yesterday
rstat report \-d \-n DEV \-s 09:00 \-e 17:00 \-i 600
rstat report \-n DEV \-\-iface eth0,eth1 \-z
rstat report \-\-processes=cpu,mem \-\-top 5 \-\-command nginx
.fi
.SH "DIFFERENCES FROM SAR"
The layout is sar's in the C locale (24\-hour times; set LC_ALL=C to compare with sar).
\-I prints sar 12.7's table (the sum row, taken from /proc/interrupts, then each line; an
all column, and one per CPU with \-P); \-I ALL also prints the softirqs' totals, which sar
does not.
Device names are the kernel's (sda, nvme0n1, dm\-0) unless \-p (device\-mapper devices by
their /dev/mapper names, at the end of the line) or \-j ID|LABEL|PATH|UUID (persistent names
from /dev/disk/by\-*) asks otherwise; sar \-j SID is not offered.
Figures follow sysstat 12.7.9, the current release, where Debian's sar (12.6.1) uses an older
formula: kbmemused is MemTotal \- MemAvailable (12.7.8); \-b subtracts the sums of the whole
disks' counters (0.00 when they drop); a device, interface, fibre channel host or interrupt
that appears, or whose counters go down, is counted from zero; an offline CPU is hidden and
its last counters are kept, so when it comes back it is counted against them. As in sysstat
12.7: \-u counts guest time in %user and %nice (only \-u ALL takes it out); \-r adds kbshmem
(12.7.8) and \-r ALL kbanonpg, kbslab, kbkstack, kbpgtbl and kbvmused; \-B prints pgprom/s
and pgdem/s (12.7.5) and no %vmeff.
Figures use sysstat's formulas. Deliberate differences: pgsteal/s leaves out pgsteal_anon
and pgsteal_file (they count the same pages again by type), and pgscand/s leaves out
pgscan_direct_throttle (a count of events, not of pages). %util is shown as sar shows it,
but on devices that serve requests in parallel (SSD, NVMe, RAID) 100% does not mean
saturated.
.SH "EXIT STATUS"
0 on success; 1 on an error; 2 on bad usage; 3 when a file has damaged byte ranges (the
records before and after each one are reported). A record cut short at the end of a file (a
crash or power cut mid-write) is a torn tail, not damage: one line on stderr, status 0.
.SH "SEE ALSO"
.BR rstat (1),
.BR sar (1)
"#;

const EXPORT_EXTRA: &str = r#".SH FORMATS
.TP
.B \-\-csv
RFC 4180 CSV, one header row: hostname, interval (seconds), timestamp (ISO 8601 with the
UTC offset, or Z with \-\-utc), the item fields (CPU, DEV, IFACE, ...; UID, PID, Command for
processes; TGID, TID, Command for threads; CGROUP), then sar's column names. One row per
interval and item. Each activity has its own columns, so several activities need
\-\-out DIR: one file DIR/ACTIVITY.csv each (cpu.csv, memory.csv, net\-dev.csv, ...).
Restarts and comments have no row.
.TP
.BR \-j ", " \-\-json
One document:
.B host
(nodename, release, machine, cpus),
.B activities
(each activity's item fields and columns), and
.BR samples :
objects with timestamp, interval and
.B activities
keyed by name (an array of rows for activities with items, one object otherwise), and
objects with a
.B restart
or
.B comment
key. Written as it is read: memory stays constant.
.TP
.B \-\-jsonl
The same sample objects, one a line, each with a
.B host
key: for streaming and for \-\-follow.
.TP
.BR \-x ", " \-\-xml
One document valid against
.I dist/rstat\-export.xsd
(the rstat\-export element: host, then sample, restart and comment elements; a sample holds
activity elements of row elements of key and value elements named by attribute).
.TP
.B \-\-openmetrics
OpenMetrics text: one gauge family per column, named
.BI rstat_ ACTIVITY _ FIELD
(lower case; %x becomes x_percent, x/s becomes x_per_second, other characters _), labels
host and the item fields (cpu="all", device="sda", interface="eth0", uid, pid, command,
cgroup), timestamps in seconds, HELP and TYPE lines, and # EOF. Families may not interleave,
so rows are spooled to temporary files (TMPDIR) and written at the end; no \-\-follow.
Load it into Prometheus with
.B promtool tsdb create\-blocks\-from openmetrics FILE DIR.
.B promtool check metrics
reads the older Prometheus text format, whose timestamps are integer milliseconds: it
accepts these lines once their timestamps are cut off (the project's tests lint them so).
.PP
Values have two decimals, sizes and counts none, as sar prints them; every figure is the
one rstat report shows for the same options.
.SH EXAMPLES
.nf
rstat export \-\-csv \-f /var/log/rstat/2026\-11\-23.rstat
rstat export \-\-csv \-A \-\-out day/ \-\-date yesterday
rstat export \-\-json \-r \-d \-s 09:00 \-e 17:00 \-o work.json
rstat export \-\-jsonl \-u \-\-follow | jq .activities.cpu
rstat export \-\-openmetrics \-A \-o day.om && promtool tsdb create\-blocks\-from openmetrics day.om data/
.fi
.SH "MIGRATING FROM SADF"
.TS
l l.
sadf	rstat
sadf \-d FILE \-\- \-u	rstat export \-\-csv \-f FILE \-u
sadf \-d FILE \-\- \-A	rstat export \-\-csv \-A \-\-out DIR \-f FILE
sadf \-j FILE \-\- \-A	rstat export \-\-json \-A \-f FILE
sadf \-x FILE \-\- \-A	rstat export \-\-xml \-A \-f FILE
sadf \-g FILE \-\- \-A	rstat plot \-A \-f FILE (see rstat\-plot(1))
sadf \-T / \-t / \-U	\-\-utc (ISO 8601 times carry their offset)
.TE
.PP
sadf \-d separates fields with semicolons and starts its header with #; rstat writes
standard CSV with commas and one header row per file. sadf's per\-activity JSON and XML
element names are replaced by the activity names of rstat report and sar's column names.
\-d is rstat's (and sar's) block device option, so CSV is \-\-csv.
.SH "EXIT STATUS"
0 on success, also when the window holds no data (a notice on stderr); 1 on an error (one
line names the file or option); 2 on bad usage; 3 when a file has damaged byte ranges (the
records before and after each one are exported). A torn tail (a record cut short by a crash
mid-write) is not damage: one line on stderr, status 0.
.SH SIGNALS
With \-\-follow, SIGINT and SIGTERM end the export cleanly: the document is closed and an
\-o file renamed into place; the exit status is 0.
.SH "SEE ALSO"
.BR rstat (1),
.BR rstat\-report (1),
.BR rstat\-plot (1),
.BR sadf (1)
"#;

const PLOT_EXTRA: &str = r#".SH CHARTS
For an activity with items (CPUs, devices, interfaces, processes) each column is a chart
with one line per item, the \-\-items busiest by average (default 8); for one without items
the columns sharing a unit share a chart (percentages, kB, rates). The time axis is
labelled in local time (UTC with \-\-utc) at round times; the value axis starts at zero and
carries its unit. A restart breaks the lines. The SVG is written by rstat itself (no
scripts, no external fonts); \-\-html embeds one SVG per chart in a page that needs
nothing else.
.SH EXAMPLES
.nf
rstat plot \-f FILE \-o cpu.svg
rstat plot \-A \-\-html \-\-date yesterday \-o day.html
rstat plot \-d \-n DEV \-s 09:00 \-e 17:00 \-\-html \-o work.html
.fi
.SH "MIGRATING FROM SADF"
sadf \-g FILE \-\- \-u \-d becomes rstat plot \-u \-d \-f FILE; sadf \-g \-O packed,showtoc
has no equivalent: rstat draws one chart per column or unit group, and the HTML page lists
them in activity order.
.SH "EXIT STATUS"
0 on success, also when the window holds no data (a notice on stderr); 1 on an error; 2 on
bad usage; 3 when a file has damaged byte ranges (the rest is drawn).
.SH "SEE ALSO"
.BR rstat (1),
.BR rstat\-export (1),
.BR sadf (1)
"#;

const INFO_EXTRA: &str = r#".SH "EXIT STATUS"
0 when the file is intact; 3 when it has damaged byte ranges (listed); 1 when it cannot be
read at all (not an rstat file, written by a newer rstat, damaged header).
"#;

const IMPORT_EXTRA: &str = r#".SH "SYSSTAT FILES"
Every reader (report, export, plot, top replay, info) also opens a sysstat data file
directly, recognised by its magic number: your old sar files keep working without import.
rstat reads every format sysstat 12.7.9 reads or converts with
.BR "sadf \-c" :
format magic 0x2175 (sysstat 11.7.1 to 12.7.x), 0x2173 (10.3.1 to 11.6.x) and 0x2171
(9.1.6 to 10.2.1), written on little\- or big\-endian, 32\- or 64\-bit machines, with no
conversion first. A newer format is refused with a message naming it.
.PP
Every activity maps to an rstat table except activities of newer sysstat releases and, in
the older formats, any item structure sysstat 12.7.9 does not document; those are listed
once. The older formats' interrupts are one total per numbered line (no per\-CPU counts),
their serial lines are renumbered from 0 as sar prints them, and their oldest filesystem
items (160 bytes) have no mount point. The sensors (A_PWR_FAN, A_PWR_TEMP, A_PWR_IN) go into the hwmon table, in
its units (RPM, millidegree Celsius, millivolt), keyed sa/fan1, sa/temp1, sa/in1...
sa files keep one request count per block device, so its requests are stored as reads:
.B report \-d
shows sar's figures; the read/write split exists only machine\-wide, in sysstat's own
.B \-b
totals, which are kept as they are (table kind 39).
Devices are named as on this machine (by major:minor, as sar does), else devMAJOR\-MINOR.
.SH "MERGING AND DUPLICATES"
Records are staged in a hidden directory beside the day files, then each day either becomes
a new file or is merged into the existing one in time order: the merged file is written to
a temporary file, synced and renamed over the old one while the old file's lock is held, so
a crash leaves the old or the new file (the staging directory of an import that was killed
is removed by the next one). A record already in the day file (same kind, time
and uptime) is left out, so importing the same file twice changes nothing. A day file a
collector holds now is refused (stop the collector or import with \-\-dir elsewhere); a
day file with damaged byte ranges is refused too, as rewriting it would drop them.
.SH EXAMPLES
.nf
rstat import /var/log/sysstat/sa*                 into the data directory
rstat import \-\-dir /tmp/old /var/log/sysstat/sa2[0\-9]
rstat import \-\-file host1.rstat sa01 sa02          one file for all records
.fi
.SH "EXIT STATUS"
0 on success; 1 when a file cannot be read or a day cannot be written (one line each);
3 when an sa file ends in a damaged record: the records before it are imported.
.SH "SEE ALSO"
.BR rstat (1),
.BR rstat\-report (1),
.BR rstat\-prune (8)
"#;

const PRUNE_EXTRA: &str = r#".SH "TIERS AND SIZE CAP"
With
.B tiers
in the
.B [prune]
section of
.BR rstat.toml (5),
each day older than today is thinned to its tier's step; with
.BR max_size ,
the oldest days are then thinned further and deleted until the files fit.
Every thinned day is written to a temporary file beside it, synced, and renamed over the old
one while its lock is held (a collector appending to it is never raced, and one that opened
the day just before the rename finds, once it holds the lock, that the path names another
file and opens it again): a crash at any moment leaves the old or the new file, complete.
.B \-\-dry\-run
lists what would be thinned (samples before and after, bytes estimated) or removed, and the
bytes saved.
The
.B rstat\-prune.timer
runs it daily.
.SH "EXIT STATUS"
0 on success, also when some files were kept (a collector holds them, they are not rstat
files); 1 when a file could not be removed.
.SH "SEE ALSO"
.BR rstat (1),
.BR rstat.toml (5)
"#;

const SERVE_EXTRA: &str = r#".SH METRICS
Names follow node_exporter where it has the same quantity, with its labels and base units
(seconds, bytes) and counters as counters:
.BR node_cpu_seconds_total {cpu,mode},
.BR node_memory_ * _bytes ,
.BR node_load1 ,
.BR node_disk_read_bytes_total {device},
.BR node_network_receive_bytes_total {device},
.BR node_pressure_ * ,
.BR node_filesystem_ * {device,fstype,mountpoint},
.BR node_context_switches_total ,
.BR node_vmstat_ * .
rstat's own:
.B rstat_sample_timestamp_seconds
(when the sample was taken),
.B rstat_sample_age_seconds
and
.B rstat_sample_stale
(1 when the sample is older than two collection intervals: the collector is not running).
.PP
GPUs (the
.B gpu
group) have NVIDIA dcgm\-exporter's names, units and labels
.RB ( gpu ", " device ", " modelName ", " pci_bus_id )
where it has the quantity as a gauge, for NVIDIA and AMD GPUs alike:
.BR DCGM_FI_DEV_GPU_UTIL ,
.BR DCGM_FI_DEV_MEM_COPY_UTIL ,
.BR DCGM_FI_DEV_ENC_UTIL ,
.BR DCGM_FI_DEV_DEC_UTIL " (%),"
.BR DCGM_FI_DEV_FB_TOTAL ,
.BR DCGM_FI_DEV_FB_USED ,
.BR DCGM_FI_DEV_FB_RESERVED " (MiB),"
.BR DCGM_FI_DEV_GPU_TEMP " (C),"
.BR DCGM_FI_DEV_POWER_USAGE ,
.BR DCGM_FI_DEV_ENFORCED_POWER_LIMIT " (W),"
.BR DCGM_FI_DEV_SM_CLOCK ,
.BR DCGM_FI_DEV_MEM_CLOCK " (MHz),"
.BR DCGM_FI_DEV_CLOCK_THROTTLE_REASONS " (NVML's bit mask),"
.BR DCGM_FI_DEV_FAN_SPEED ,
.BR DCGM_FI_DEV_MIG_MODE .
dcgm\-exporter's counters lack the
.B _total
that OpenMetrics requires of a counter, so these are rstat's, in base units:
.BR rstat_gpu_energy_joules_total ,
.BR rstat_gpu_ecc_corrected_errors_total ,
.BR rstat_gpu_ecc_uncorrected_errors_total ;
and what dcgm\-exporter lacks:
.BR rstat_gpu_pcie_receive_bytes_per_second ,
.BR rstat_gpu_pcie_transmit_bytes_per_second ,
.BR rstat_gpu_gtt_used_bytes " (amdgpu),"
.BR rstat_gpu_process_memory_bytes {pid,comm,device},
.BR rstat_gpu_process_engine_seconds_total {pid,comm,device,engine}
(DRM engine classes graphics, video, copy, other).
A figure the GPU does not report has no series.
.SH "WEB CONFIGURATION"
The file given with \-\-web.config.file uses the Prometheus exporter format (YAML); rstat
reads
.B tls_server_config
.RB ( cert_file ", " key_file ", PEM)"
and
.B basic_auth_users
(user: bcrypt hash, e.g. from
.BR "htpasswd \-nBC 10 USER" ).
Other keys are refused by name. A request without valid credentials gets 401 and no metric.
.SH LIMITS
At most \-\-max\-connections connections are served at once (the rest get 503), a request
head is at most 8 KiB, and a connection has 10 seconds in all to send its request and read
the answer.
.SH EXAMPLES
.nf
rstat serve                                   127.0.0.1:9469, the collector's files
rstat serve \-\-live \-\-interval 15s             no collector on this host
rstat serve \-\-listen 0.0.0.0:9469 \-\-web.config.file /etc/rstat/web.yml
.fi
.SH "SEE ALSO"
.BR rstat (1),
.BR rstat\-push (8),
.BR rstat\-collect (8),
.BR rstat.toml (5)
"#;

const PUSH_EXTRA: &str = r#".SH "STORE AND FORWARD"
The state file holds the day file and the offset of the first sample the receiver has not
acknowledged; it is replaced atomically after every acknowledged request. On start, after
a crash, an outage or a reboot, push goes on from there, oldest sample first, in requests of
batch_size samples, then follows the collector's new samples, into the next day's file after
midnight. After a crash the last request may be sent twice: receivers keep one copy of a
sample with the same series and timestamp. Requests go one at a time, in file order; the next
one is read and encoded while the receiver works on the current one. Memory use does not
depend on the backlog.
.SH CONFIGURATION
The
.B [push]
section of
.BR rstat.toml (5):
.BR url ,
.BR bearer_token_file " or " basic_auth_username " and " basic_auth_password_file ,
.B tls_ca_file
(PEM),
.B [push.headers]
(e.g. X\-Scope\-OrgID for Mimir and Cortex),
.BR batch_size " (samples per request, default 100) and " state_file .
.SH "EXIT STATUS"
0 with \-\-once when the backlog is sent; 1 on an error explained in one line; 2 when the
receiver refuses the requests with a 4xx other than 429 (a configuration error: wrong URL,
credentials, or samples outside what the receiver accepts).
.SH EXAMPLES
.nf
rstat push \-\-url http://prometheus:9090/api/v1/write
rstat push \-\-url http://victoria:8428/api/v1/write \-\-once
rstat push \-\-url http://victoria:8428/api/v1/write \-\-processes 10 \-\-cgroups 5
.fi
.SH "SEE ALSO"
.BR rstat (1),
.BR rstat\-serve (8),
.BR rstat.toml (5)
"#;

const CONFIG_EXTRA: &str = r#".SH "RSTAT CONFIG CHECK"
.B rstat config check
.RI [ FILE ]
.PP
Validates FILE, else the file given with \-\-config, else the default one
.RI ( /etc/rstat/rstat.toml
for root, else
.IR $XDG_CONFIG_HOME/rstat/rstat.toml ,
by default
.IR ~/.config/rstat/rstat.toml ),
and prints the settings in effect as a TOML file, each key the file does not set marked
\(dq# default\(dq.
The keys are described in
.BR rstat.toml (5).
.SH EXAMPLES
.nf
rstat config check                          the default file
rstat config check /etc/rstat/rstat.toml    a given file
rstat \-\-config ./test.toml collect \-c 1     collect with another file
.fi
.SH "EXIT STATUS"
0 when the file is valid, or absent at the default place (built\-in defaults); 1 when it
cannot be read or is not valid: one line names the file, the line and the key, and says what
was expected.
.SH "SEE ALSO"
.BR rstat (1),
.BR rstat.toml (5)
"#;

/// Pages written by hand: checked by groff like the others, and present.
const HAND_WRITTEN: &[&str] = &["rstat-top.1", "rstat.toml.5", "rstat-format.5"];

fn render(name: &'static str, section: u8, subcommand: &str, extra: &str) -> String {
    let mut command = crate::Cli::command();
    command.build();
    let command = if subcommand.is_empty() {
        command
    } else {
        command
            .find_subcommand(subcommand)
            .cloned()
            .unwrap_or_else(|| panic!("no subcommand {subcommand}"))
    };
    let command = command.name(name).bin_name(name.replacen('-', " ", 1));
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .section(section.to_string())
        .date("2026")
        .render(&mut page)
        .expect("rendering to memory");
    let mut page = String::from_utf8(page).expect("roff is text");
    page.push_str(extra);
    page
}

#[test]
fn committed_man_pages_match_the_cli() {
    let man_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let update = std::env::var_os("UPDATE_MAN").is_some();
    for (name, section, subcommand, extra) in PAGES {
        let path = man_dir.join(format!("{name}.{section}"));
        let generated = render(name, *section, subcommand, extra);
        if update {
            std::fs::create_dir_all(&man_dir).unwrap();
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{} differs from the CLI; run UPDATE_MAN=1 cargo test -p rstat manpages",
            path.display()
        );
    }
}

/// rstat-serve(8) names every GPU metric family (rstat push sends the same names).
#[test]
fn serve_page_names_every_gpu_metric() {
    for family in crate::metrics::gpu::GPU_FAMILIES {
        assert!(
            SERVE_EXTRA.contains(&format!(".BR {} ", family.name)),
            "rstat-serve(8) does not name {}: add it to SERVE_EXTRA",
            family.name
        );
    }
}

#[test]
fn man_pages_have_no_groff_warnings() {
    let Ok(version) = std::process::Command::new("groff")
        .arg("--version")
        .output()
    else {
        eprintln!("groff is not installed: skipping (CI installs groff-base)");
        return;
    };
    assert!(version.status.success());
    let man_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let mut checked = Vec::new();
    for entry in std::fs::read_dir(man_dir).unwrap() {
        let path = entry.unwrap().path();
        // -Tutf8 is what man(1) renders on a terminal: it also finds tables too wide for it.
        for device in ["-z", "-Tutf8"] {
            let output = std::process::Command::new("groff")
                .args(["-man", "-t", "-ww", device])
                .arg(&path)
                .output()
                .unwrap();
            let warnings = String::from_utf8_lossy(&output.stderr);
            assert!(
                output.status.success() && warnings.trim().is_empty(),
                "{} ({device}): {warnings}",
                path.display()
            );
        }
        checked.push(path.file_name().unwrap().to_string_lossy().into_owned());
    }
    for page in HAND_WRITTEN {
        assert!(checked.iter().any(|c| c == page), "man/{page} is missing");
    }
}

/// rstat.toml.5 documents every key of the shipped example (which a config test checks
/// against the parser), with its default.
#[test]
fn rstat_toml_page_documents_every_key() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(root.join("man/rstat.toml.5")).unwrap();
    let example = std::fs::read_to_string(root.join("dist/rstat.toml")).unwrap();
    let mut keys = 0;
    for line in example.lines() {
        let Some((key, default)) = line
            .strip_prefix('#')
            .filter(|rest| !rest.starts_with(' '))
            .and_then(|rest| rest.split_once(" = "))
        else {
            continue;
        };
        keys += 1;
        let entry = format!(".BR {key} \"");
        let at = page
            .find(&entry)
            .unwrap_or_else(|| panic!("rstat.toml.5 has no entry `{entry}`"));
        let section = &page[at..];
        let section = &section[..section[4..].find("\n.TP").map_or(section.len(), |i| i + 4)];
        let default = default.replace('"', "\\(dq").replace('-', "\\-");
        assert!(
            section.contains(&format!("Default:\n.BR {default}")) || key == "data_dir",
            "rstat.toml.5: {key} does not give its default {default}"
        );
    }
    assert_eq!(keys, 12);
}

/// rstat-format.5 names every table kind of the format description.
#[test]
fn rstat_format_page_lists_every_table_kind() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(root.join("man/rstat-format.5")).unwrap();
    let format = std::fs::read_to_string(root.join("data-format/FORMAT.md")).unwrap();
    let mut kinds = 0;
    for row in format.lines().filter(|l| l.starts_with("| ")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        if cells.len() < 3 || cells[1].parse::<u32>().is_err() || !row.contains(" | ") {
            continue;
        }
        let name_like = cells[2].starts_with(|c: char| c.is_ascii_lowercase())
            && cells[2]
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !name_like {
            continue; // the frame-header table: offsets, not kinds
        }
        kinds += 1;
        let name = cells[2].replace('-', "\\-");
        let short = name.rsplit("\\-").next().unwrap_or(&name).to_string();
        assert!(
            page.contains(&format!("\t{name}\t"))
                || page.contains(&format!("{name},"))
                || page.contains(&format!(" {name}\t"))
                || page.contains(&format!("\\-{short}")),
            "rstat-format.5 does not list table {} ({})",
            cells[1],
            cells[2]
        );
    }
    assert!(kinds >= 37, "{kinds} table kinds found in FORMAT.md");
}
