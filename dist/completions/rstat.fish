# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_rstat_global_optspecs
    string join \n config= h/help V/version
end

function __fish_rstat_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_rstat_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_rstat_using_subcommand
    set -l cmd (__fish_rstat_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c rstat -n "__fish_rstat_needs_command" -l config -d 'Configuration file (default: /etc/rstat/rstat.toml for root, else $XDG_CONFIG_HOME/rstat/rstat.toml). Flags win over it' -r -F
complete -c rstat -n "__fish_rstat_needs_command" -s h -l help -d 'Print help'
complete -c rstat -n "__fish_rstat_needs_command" -s V -l version -d 'Print version'
complete -c rstat -n "__fish_rstat_needs_command" -f -a "collect" -d 'Sample /proc and /sys and append the raw counters to the day\'s file (sadc/sa1\'s job)'
complete -c rstat -n "__fish_rstat_needs_command" -f -a "report" -d 'Print sar-style reports from data files, or live'
complete -c rstat -n "__fish_rstat_needs_command" -f -a "export" -d 'Export data files as CSV, JSON, JSON Lines, XML or OpenMetrics (what sadf does)'
complete -c rstat -n "__fish_rstat_needs_command" -f -a "plot" -d 'Draw charts of data files: an interactive HTML page, or one SVG document (sadf -g\'s job)'
complete -c rstat -n "__fish_rstat_needs_command" -f -a "info" -d 'Show a data file\'s header, frames, time span, restarts and damage'
complete -c rstat -n "__fish_rstat_needs_command" -f -a "import" -d 'Convert sysstat data files (saDD) into rstat day files'
complete -c rstat -n "__fish_rstat_needs_command" -f -a "prune" -d 'Delete daily files older than --keep-days days, thin old days by the configured tiers and keep the files under the configured size cap'
complete -c rstat -n "__fish_rstat_needs_command" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, elvish, powershell)'
complete -c rstat -n "__fish_rstat_needs_command" -f -a "top" -d 'Show what the machine is doing now, or what it did at any moment of a recorded day'
complete -c rstat -n "__fish_rstat_needs_command" -f -a "config" -d 'Check a configuration file (rstat.toml(5)): `rstat config check [FILE]`'
complete -c rstat -n "__fish_rstat_needs_command" -f -a "serve" -d 'Serve the newest sample to Prometheus (GET /metrics)'
complete -c rstat -n "__fish_rstat_needs_command" -f -a "push" -d 'Send the day files\' samples to a Prometheus remote-write endpoint, losslessly'
complete -c rstat -n "__fish_rstat_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rstat -n "__fish_rstat_using_subcommand collect" -s i -l interval -d 'Time between samples: 1 (seconds), 500ms, 10s, 5m [default: 10s, or the config file\'s collect.interval]' -r
complete -c rstat -n "__fish_rstat_using_subcommand collect" -s c -l count -d 'Number of samples to take, then exit (default: until stopped)' -r
complete -c rstat -n "__fish_rstat_using_subcommand collect" -l dir -d 'Directory of the daily files [default: the config file\'s data_dir, else /var/log/rstat for root, else ~/.local/state/rstat]' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand collect" -s f -l file -d 'Append every sample to this one file instead of daily files' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand collect" -l root -d 'Read /proc and /sys under this directory instead of / (for containers and tests)' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand collect" -l comment -d 'Record a comment in the file before the first sample' -r
complete -c rstat -n "__fish_rstat_using_subcommand collect" -l activities -d 'Activity groups to record, comma-separated (like sadc -S): DEFAULT, ALL, or names such as cpu,mem,intr,fs; -NAME removes one' -r
complete -c rstat -n "__fish_rstat_using_subcommand collect" -l config -d 'Configuration file (default: /etc/rstat/rstat.toml for root, else $XDG_CONFIG_HOME/rstat/rstat.toml). Flags win over it' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand collect" -l no-sync -d 'Do not fsync after each record (faster, but a crash may lose the last samples)'
complete -c rstat -n "__fish_rstat_using_subcommand collect" -l no-processes -d 'Do not record processes (pidstat\'s data: CPU, memory, I/O, context switches per process)'
complete -c rstat -n "__fish_rstat_using_subcommand collect" -l processes -d 'Record processes (the default; undoes collect.processes = false in the config file)'
complete -c rstat -n "__fish_rstat_using_subcommand collect" -l no-cmdline -d 'Do not record command lines (they may hold secrets; the environment is never recorded)'
complete -c rstat -n "__fish_rstat_using_subcommand collect" -l cmdline -d 'Record command lines (the default; undoes collect.cmdline = false)'
complete -c rstat -n "__fish_rstat_using_subcommand collect" -l threads -d 'Also record every thread of every process (each thread costs about what a process does)'
complete -c rstat -n "__fish_rstat_using_subcommand collect" -l no-threads -d 'Do not record threads (the default; undoes collect.threads = true)'
complete -c rstat -n "__fish_rstat_using_subcommand collect" -l no-cgroups -d 'Do not record cgroups (cgroup v2: CPU, memory, I/O, pressure per group)'
complete -c rstat -n "__fish_rstat_using_subcommand collect" -l cgroups -d 'Record cgroups (the default; undoes collect.cgroups = false)'
complete -c rstat -n "__fish_rstat_using_subcommand collect" -s q -l quiet -d 'Say nothing on stderr when starting and stopping (for timers); warnings are still said'
complete -c rstat -n "__fish_rstat_using_subcommand collect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rstat -n "__fish_rstat_using_subcommand collect" -s V -l version -d 'Print version'
complete -c rstat -n "__fish_rstat_using_subcommand report" -s f -l file -d 'Data file to read (repeat for several days, in order)' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand report" -l date -d 'Day to read from the data directory: YYYY-MM-DD, today, yesterday or -N (N days ago: --date -1 is yesterday; sar\'s bare -1, -2... mean the same)' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -l dir -d 'Data directory (default: /var/log/rstat for root, else ~/.local/state/rstat)' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand report" -s s -l start -d 'Start at this time of the first day: HH:MM[:SS] (or YYYY-MM-DD HH:MM[:SS])' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -s e -l end -d 'End at this time (inclusive) of the last day: HH:MM[:SS] (or YYYY-MM-DD HH:MM[:SS])' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -s i -l interval -d 'Aggregate into intervals of at least this many seconds (from the counters at their ends, so the figures are exact, not averages of averages)' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -s u -d 'CPU utilisation; `-u ALL` shows every field' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -s P -d 'Per-processor figures, as sar\'s -P: -P ALL ("all" and every CPU), -P N[,N...] (only those CPUs), -P ALL,N (the same as ALL); also picks the CPUs of -n SOFT and -m CPU,FREQ (without -P they show only "all"), of -I\'s columns, and of -I CPU and SCPU\'s rows. A CPU number the data (or, live, this machine) does not have is refused (exit status 2)' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -s r -d 'Memory utilisation; `-r ALL` adds kbanonpg, kbslab, kbkstack, kbpgtbl and kbvmused' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -s I -d 'Interrupts: -I SUM (total), ALL (each IRQ, and softirqs; also bare -I), CPU (each IRQ per CPU), SCPU (softirqs per CPU), or IRQ names such as 0,LOC,NMI. Bare -I means -I ALL, as in sar 12.7' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -s q -d 'Queue length and load (LOAD, the default), pressure stall: -q [LOAD,CPU,IO,MEM,ALL]' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -s m -d 'Power: -m CPU, FREQ, FAN, TEMP, IN, USB, BAT or ALL (comma-separated)' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -s F -d 'Filesystems; -F MOUNT names them by mount point instead of device' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -s n -d 'Network: DEV, EDEV, NFS, NFSD, SOCK, IP, EIP, ICMP, EICMP, TCP, ETCP, UDP, SOCK6, IP6, EIP6, ICMP6, EICMP6, UDP6, SOFT, FC or ALL (comma-separated)' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -l processes -d 'Per-process figures for each interval (pidstat). VIEWS is a comma-separated list of cpu (-u: %usr %system %guest %wait %CPU CPU), mem (-r), io (-d), ctx (-w), threads (-v), summary (processes started, ended, unseen) and gpu (each process\'s GPU memory and engine use per GPU, like nvidia-smi pmon); default cpu' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -l pid -d 'Only these processes: --pid 1,42 (implies --processes)' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -l command -d 'Only processes whose command name or command line matches REGEX (implies --processes). Classes such as \\w, \\d and (?i) are ASCII, as in grep under LC_ALL=C' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -l user -d 'Only processes of USER, a name or a uid (implies --processes)' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -l top -d 'Per interval, the N processes or cgroups using the most of the view\'s resource (0: all that were active)' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -l cgroups -d 'cgroup v2 figures for each interval. VIEWS is a comma-separated list of cpu, mem, io and psi (pressure stall); default all four' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -l cgroup -d 'Only cgroups whose path matches REGEX (implies --cgroups; ASCII classes, as --command)' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -l dev -d 'Only these block devices (-d): --dev=sda,nvme0n1' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -l iface -d 'Only these network interfaces (-n DEV, EDEV): --iface=eth0,wlan0' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -l fs -d 'Only these filesystems (-F), by device or mount point: --fs=/,/home' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -l int -d 'Only these interrupts (-I): --int=LOC,NMI,0' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -l dec -d 'Decimals of the figures that are not whole numbers: 0, 1 or 2 (sar\'s --dec; default 2)' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -s j -d '-d\'s devices by their persistent names (/dev/disk/by-id, by-label, by-path or by-uuid), as sar -j; devices without one keep the kernel\'s name' -r
complete -c rstat -n "__fish_rstat_using_subcommand report" -l root -d 'Live: read /proc and /sys under this directory instead of /' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand report" -l config -d 'Configuration file (default: /etc/rstat/rstat.toml for root, else $XDG_CONFIG_HOME/rstat/rstat.toml). Flags win over it' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand report" -l utc -d 'Show times in UTC instead of local time (-s and -e are then UTC too)'
complete -c rstat -n "__fish_rstat_using_subcommand report" -s t -d 'Show times in the local time of the machine that wrote the file, as sar -t: its time zone when the file names one this machine knows, else its UTC offset when it was written (-s and -e are then in that time too)'
complete -c rstat -n "__fish_rstat_using_subcommand report" -s S -d 'Swap space utilisation'
complete -c rstat -n "__fish_rstat_using_subcommand report" -s H -d 'Huge pages utilisation'
complete -c rstat -n "__fish_rstat_using_subcommand report" -s B -d 'Paging'
complete -c rstat -n "__fish_rstat_using_subcommand report" -s b -d 'I/O and transfer rates of the whole machine (its physical disks summed)'
complete -c rstat -n "__fish_rstat_using_subcommand report" -s W -d 'Swapping'
complete -c rstat -n "__fish_rstat_using_subcommand report" -s w -d 'Task creation and context switches'
complete -c rstat -n "__fish_rstat_using_subcommand report" -s d -d 'Block devices'
complete -c rstat -n "__fish_rstat_using_subcommand report" -l gpu -d 'GPUs, one row per GPU per interval (like nvidia-smi dmon): utilisation, memory, temperature, power, clocks, PCIe throughput, throttle reasons, ECC errors'
complete -c rstat -n "__fish_rstat_using_subcommand report" -s v -d 'Kernel tables (dentries, files, inodes, ptys)'
complete -c rstat -n "__fish_rstat_using_subcommand report" -s y -d 'Serial lines'
complete -c rstat -n "__fish_rstat_using_subcommand report" -l per-thread -d 'Threads instead of processes (files collected with `rstat collect --threads`)'
complete -c rstat -n "__fish_rstat_using_subcommand report" -s A -d 'Every activity'
complete -c rstat -n "__fish_rstat_using_subcommand report" -s z -d 'Leave out rows whose figures are all zero (idle devices, silent interrupts)'
complete -c rstat -n "__fish_rstat_using_subcommand report" -s p -l pretty -d '-d\'s device-mapper devices by their /dev/mapper names (dm-0 as vg-root), and device, interface and interrupt names at the end of the line, as sar -p prints them'
complete -c rstat -n "__fish_rstat_using_subcommand report" -l human -d 'Sizes with a unit (11.2G, 4.0k, 0.0B: kB columns scaled by 1024) and percentages with a % sign and one decimal, as sar --human prints them'
complete -c rstat -n "__fish_rstat_using_subcommand report" -s h -d '--pretty and --human together, as sar -h'
complete -c rstat -n "__fish_rstat_using_subcommand report" -l help -d 'Print help'
complete -c rstat -n "__fish_rstat_using_subcommand report" -s C -d 'Show the files\' comments (`rstat collect --comment`), as sar -C: each in every table at its time; one before a boot\'s first sample once, under the banner or the LINUX RESTART line. -A does not include -C, as in sar'
complete -c rstat -n "__fish_rstat_using_subcommand report" -s x -d 'Minimum: and Maximum: rows too: each item\'s least and greatest figures over the rows printed, before its Average: row, under a Summary: header of their own (as sar -x)'
complete -c rstat -n "__fish_rstat_using_subcommand report" -s V -l version -d 'Print version'
complete -c rstat -n "__fish_rstat_using_subcommand export" -s f -l file -d 'Data file to read (repeat for several days, in order)' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand export" -l date -d 'Day to read from the data directory: YYYY-MM-DD, today, yesterday or -N (N days ago: --date -1 is yesterday; sar\'s bare -1, -2... mean the same)' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -l dir -d 'Data directory (default: /var/log/rstat for root, else ~/.local/state/rstat)' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand export" -s s -l start -d 'Start at this time of the first day: HH:MM[:SS] (or YYYY-MM-DD HH:MM[:SS])' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -s e -l end -d 'End at this time (inclusive) of the last day: HH:MM[:SS] (or YYYY-MM-DD HH:MM[:SS])' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -s i -l interval -d 'Aggregate into intervals of at least this many seconds (from the counters at their ends, so the figures are exact, not averages of averages)' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -s u -d 'CPU utilisation; `-u ALL` shows every field' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -s P -d 'Per-processor figures, as sar\'s -P: -P ALL ("all" and every CPU), -P N[,N...] (only those CPUs), -P ALL,N (the same as ALL); also picks the CPUs of -n SOFT and -m CPU,FREQ (without -P they show only "all"), of -I\'s columns, and of -I CPU and SCPU\'s rows. A CPU number the data (or, live, this machine) does not have is refused (exit status 2)' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -s r -d 'Memory utilisation; `-r ALL` adds kbanonpg, kbslab, kbkstack, kbpgtbl and kbvmused' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -s I -d 'Interrupts: -I SUM (total), ALL (each IRQ, and softirqs; also bare -I), CPU (each IRQ per CPU), SCPU (softirqs per CPU), or IRQ names such as 0,LOC,NMI. Bare -I means -I ALL, as in sar 12.7' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -s q -d 'Queue length and load (LOAD, the default), pressure stall: -q [LOAD,CPU,IO,MEM,ALL]' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -s m -d 'Power: -m CPU, FREQ, FAN, TEMP, IN, USB, BAT or ALL (comma-separated)' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -s F -d 'Filesystems; -F MOUNT names them by mount point instead of device' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -s n -d 'Network: DEV, EDEV, NFS, NFSD, SOCK, IP, EIP, ICMP, EICMP, TCP, ETCP, UDP, SOCK6, IP6, EIP6, ICMP6, EICMP6, UDP6, SOFT, FC or ALL (comma-separated)' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -l processes -d 'Per-process figures for each interval (pidstat). VIEWS is a comma-separated list of cpu (-u: %usr %system %guest %wait %CPU CPU), mem (-r), io (-d), ctx (-w), threads (-v), summary (processes started, ended, unseen) and gpu (each process\'s GPU memory and engine use per GPU, like nvidia-smi pmon); default cpu' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -l pid -d 'Only these processes: --pid 1,42 (implies --processes)' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -l command -d 'Only processes whose command name or command line matches REGEX (implies --processes). Classes such as \\w, \\d and (?i) are ASCII, as in grep under LC_ALL=C' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -l user -d 'Only processes of USER, a name or a uid (implies --processes)' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -l top -d 'Per interval, the N processes or cgroups using the most of the view\'s resource (0: all that were active)' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -l cgroups -d 'cgroup v2 figures for each interval. VIEWS is a comma-separated list of cpu, mem, io and psi (pressure stall); default all four' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -l cgroup -d 'Only cgroups whose path matches REGEX (implies --cgroups; ASCII classes, as --command)' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -l dev -d 'Only these block devices (-d): --dev=sda,nvme0n1' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -l iface -d 'Only these network interfaces (-n DEV, EDEV): --iface=eth0,wlan0' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -l fs -d 'Only these filesystems (-F), by device or mount point: --fs=/,/home' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -l int -d 'Only these interrupts (-I): --int=LOC,NMI,0' -r
complete -c rstat -n "__fish_rstat_using_subcommand export" -s o -l output -d 'Write to FILE instead of stdout (atomically: a temporary file renamed into place)' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand export" -l out -d 'CSV: write one file per activity, DIR/ACTIVITY.csv (needed for several activities); DIR is created if it does not exist' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand export" -l config -d 'Configuration file (default: /etc/rstat/rstat.toml for root, else $XDG_CONFIG_HOME/rstat/rstat.toml). Flags win over it' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand export" -l utc -d 'Show times in UTC instead of local time (-s and -e are then UTC too)'
complete -c rstat -n "__fish_rstat_using_subcommand export" -s t -d 'Show times in the local time of the machine that wrote the file, as sar -t: its time zone when the file names one this machine knows, else its UTC offset when it was written (-s and -e are then in that time too)'
complete -c rstat -n "__fish_rstat_using_subcommand export" -s S -d 'Swap space utilisation'
complete -c rstat -n "__fish_rstat_using_subcommand export" -s H -d 'Huge pages utilisation'
complete -c rstat -n "__fish_rstat_using_subcommand export" -s B -d 'Paging'
complete -c rstat -n "__fish_rstat_using_subcommand export" -s b -d 'I/O and transfer rates of the whole machine (its physical disks summed)'
complete -c rstat -n "__fish_rstat_using_subcommand export" -s W -d 'Swapping'
complete -c rstat -n "__fish_rstat_using_subcommand export" -s w -d 'Task creation and context switches'
complete -c rstat -n "__fish_rstat_using_subcommand export" -s d -d 'Block devices'
complete -c rstat -n "__fish_rstat_using_subcommand export" -l gpu -d 'GPUs, one row per GPU per interval (like nvidia-smi dmon): utilisation, memory, temperature, power, clocks, PCIe throughput, throttle reasons, ECC errors'
complete -c rstat -n "__fish_rstat_using_subcommand export" -s v -d 'Kernel tables (dentries, files, inodes, ptys)'
complete -c rstat -n "__fish_rstat_using_subcommand export" -s y -d 'Serial lines'
complete -c rstat -n "__fish_rstat_using_subcommand export" -l per-thread -d 'Threads instead of processes (files collected with `rstat collect --threads`)'
complete -c rstat -n "__fish_rstat_using_subcommand export" -s A -d 'Every activity'
complete -c rstat -n "__fish_rstat_using_subcommand export" -l csv -d 'CSV (sadf -d)'
complete -c rstat -n "__fish_rstat_using_subcommand export" -s j -l json -d 'One JSON document (sadf -j)'
complete -c rstat -n "__fish_rstat_using_subcommand export" -l jsonl -d 'JSON Lines: one object per sample'
complete -c rstat -n "__fish_rstat_using_subcommand export" -s x -l xml -d 'XML (sadf -x), valid against dist/rstat-export.xsd'
complete -c rstat -n "__fish_rstat_using_subcommand export" -l openmetrics -d 'OpenMetrics text'
complete -c rstat -n "__fish_rstat_using_subcommand export" -l follow -d 'Keep running: export new samples as the collector appends them (every second), going on into the next day\'s file after midnight, until SIGINT or SIGTERM end the export cleanly. Not with --openmetrics. With -o, FILE appears when the export ends (it is written atomically)'
complete -c rstat -n "__fish_rstat_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rstat -n "__fish_rstat_using_subcommand export" -s V -l version -d 'Print version'
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s f -l file -d 'Data file to read (repeat for several days, in order)' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand plot" -l date -d 'Day to read from the data directory: YYYY-MM-DD, today, yesterday or -N (N days ago: --date -1 is yesterday; sar\'s bare -1, -2... mean the same)' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -l dir -d 'Data directory (default: /var/log/rstat for root, else ~/.local/state/rstat)' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s s -l start -d 'Start at this time of the first day: HH:MM[:SS] (or YYYY-MM-DD HH:MM[:SS])' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s e -l end -d 'End at this time (inclusive) of the last day: HH:MM[:SS] (or YYYY-MM-DD HH:MM[:SS])' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s i -l interval -d 'Aggregate into intervals of at least this many seconds (from the counters at their ends, so the figures are exact, not averages of averages)' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s u -d 'CPU utilisation; `-u ALL` shows every field' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s P -d 'Per-processor figures, as sar\'s -P: -P ALL ("all" and every CPU), -P N[,N...] (only those CPUs), -P ALL,N (the same as ALL); also picks the CPUs of -n SOFT and -m CPU,FREQ (without -P they show only "all"), of -I\'s columns, and of -I CPU and SCPU\'s rows. A CPU number the data (or, live, this machine) does not have is refused (exit status 2)' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s r -d 'Memory utilisation; `-r ALL` adds kbanonpg, kbslab, kbkstack, kbpgtbl and kbvmused' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s I -d 'Interrupts: -I SUM (total), ALL (each IRQ, and softirqs; also bare -I), CPU (each IRQ per CPU), SCPU (softirqs per CPU), or IRQ names such as 0,LOC,NMI. Bare -I means -I ALL, as in sar 12.7' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s q -d 'Queue length and load (LOAD, the default), pressure stall: -q [LOAD,CPU,IO,MEM,ALL]' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s m -d 'Power: -m CPU, FREQ, FAN, TEMP, IN, USB, BAT or ALL (comma-separated)' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s F -d 'Filesystems; -F MOUNT names them by mount point instead of device' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s n -d 'Network: DEV, EDEV, NFS, NFSD, SOCK, IP, EIP, ICMP, EICMP, TCP, ETCP, UDP, SOCK6, IP6, EIP6, ICMP6, EICMP6, UDP6, SOFT, FC or ALL (comma-separated)' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -l processes -d 'Per-process figures for each interval (pidstat). VIEWS is a comma-separated list of cpu (-u: %usr %system %guest %wait %CPU CPU), mem (-r), io (-d), ctx (-w), threads (-v), summary (processes started, ended, unseen) and gpu (each process\'s GPU memory and engine use per GPU, like nvidia-smi pmon); default cpu' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -l pid -d 'Only these processes: --pid 1,42 (implies --processes)' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -l command -d 'Only processes whose command name or command line matches REGEX (implies --processes). Classes such as \\w, \\d and (?i) are ASCII, as in grep under LC_ALL=C' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -l user -d 'Only processes of USER, a name or a uid (implies --processes)' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -l top -d 'Per interval, the N processes or cgroups using the most of the view\'s resource (0: all that were active)' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -l cgroups -d 'cgroup v2 figures for each interval. VIEWS is a comma-separated list of cpu, mem, io and psi (pressure stall); default all four' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -l cgroup -d 'Only cgroups whose path matches REGEX (implies --cgroups; ASCII classes, as --command)' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -l dev -d 'Only these block devices (-d): --dev=sda,nvme0n1' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -l iface -d 'Only these network interfaces (-n DEV, EDEV): --iface=eth0,wlan0' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -l fs -d 'Only these filesystems (-F), by device or mount point: --fs=/,/home' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -l int -d 'Only these interrupts (-I): --int=LOC,NMI,0' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s o -l output -d 'Write to FILE instead of stdout (atomically)' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand plot" -l items -d 'Lines per chart for activities with items (devices, processes, ...): the busiest by average' -r
complete -c rstat -n "__fish_rstat_using_subcommand plot" -l config -d 'Configuration file (default: /etc/rstat/rstat.toml for root, else $XDG_CONFIG_HOME/rstat/rstat.toml). Flags win over it' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand plot" -l utc -d 'Show times in UTC instead of local time (-s and -e are then UTC too)'
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s t -d 'Show times in the local time of the machine that wrote the file, as sar -t: its time zone when the file names one this machine knows, else its UTC offset when it was written (-s and -e are then in that time too)'
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s S -d 'Swap space utilisation'
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s H -d 'Huge pages utilisation'
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s B -d 'Paging'
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s b -d 'I/O and transfer rates of the whole machine (its physical disks summed)'
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s W -d 'Swapping'
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s w -d 'Task creation and context switches'
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s d -d 'Block devices'
complete -c rstat -n "__fish_rstat_using_subcommand plot" -l gpu -d 'GPUs, one row per GPU per interval (like nvidia-smi dmon): utilisation, memory, temperature, power, clocks, PCIe throughput, throttle reasons, ECC errors'
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s v -d 'Kernel tables (dentries, files, inodes, ptys)'
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s y -d 'Serial lines'
complete -c rstat -n "__fish_rstat_using_subcommand plot" -l per-thread -d 'Threads instead of processes (files collected with `rstat collect --threads`)'
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s A -d 'Every activity'
complete -c rstat -n "__fish_rstat_using_subcommand plot" -l html -d 'Write the interactive HTML page (without activity letters: the dashboard) instead of one SVG document'
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rstat -n "__fish_rstat_using_subcommand plot" -s V -l version -d 'Print version'
complete -c rstat -n "__fish_rstat_using_subcommand info" -l config -d 'Configuration file (default: /etc/rstat/rstat.toml for root, else $XDG_CONFIG_HOME/rstat/rstat.toml). Flags win over it' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand info" -l verify -d 'Also decode every record, reporting each sample that does not decode (slower: as long as a report of the whole file)'
complete -c rstat -n "__fish_rstat_using_subcommand info" -s h -l help -d 'Print help'
complete -c rstat -n "__fish_rstat_using_subcommand info" -s V -l version -d 'Print version'
complete -c rstat -n "__fish_rstat_using_subcommand import" -l dir -d 'Data directory to write day files into [default: the config file\'s data_dir, else /var/log/rstat for root, else ~/.local/state/rstat]' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand import" -l file -d 'Write every record into this one file instead of day files' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand import" -l config -d 'Configuration file (default: /etc/rstat/rstat.toml for root, else $XDG_CONFIG_HOME/rstat/rstat.toml). Flags win over it' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rstat -n "__fish_rstat_using_subcommand import" -s V -l version -d 'Print version'
complete -c rstat -n "__fish_rstat_using_subcommand prune" -l keep-days -d 'Days of files to keep, today included (sysstat\'s HISTORY; 28 keeps four weeks) [default: the config file\'s prune.keep_days, else 28]' -r
complete -c rstat -n "__fish_rstat_using_subcommand prune" -l dir -d 'Data directory [default: the config file\'s data_dir, else /var/log/rstat for root, else ~/.local/state/rstat]' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand prune" -l config -d 'Configuration file (default: /etc/rstat/rstat.toml for root, else $XDG_CONFIG_HOME/rstat/rstat.toml). Flags win over it' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand prune" -l dry-run -d 'Show what would be thinned or removed and the bytes saved; change nothing'
complete -c rstat -n "__fish_rstat_using_subcommand prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rstat -n "__fish_rstat_using_subcommand prune" -s V -l version -d 'Print version'
complete -c rstat -n "__fish_rstat_using_subcommand completions" -l config -d 'Configuration file (default: /etc/rstat/rstat.toml for root, else $XDG_CONFIG_HOME/rstat/rstat.toml). Flags win over it' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rstat -n "__fish_rstat_using_subcommand completions" -s V -l version -d 'Print version'
complete -c rstat -n "__fish_rstat_using_subcommand top" -s f -l file -d 'Data file to replay (repeat for consecutive days, in order)' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand top" -l date -d 'Day to replay from the data directory: YYYY-MM-DD, today, yesterday or -N' -r
complete -c rstat -n "__fish_rstat_using_subcommand top" -l dir -d 'Data directory (default: /var/log/rstat for root, else ~/.local/state/rstat)' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand top" -s t -l time -d 'Replay: start at this local time (HH:MM or HH:MM:SS) of the last day instead of the end' -r
complete -c rstat -n "__fish_rstat_using_subcommand top" -s i -l interval -d 'Live: time between samples: 1 (seconds), 500ms, 2s' -r
complete -c rstat -n "__fish_rstat_using_subcommand top" -l history -d 'Live: samples kept in memory for pause and scroll back' -r
complete -c rstat -n "__fish_rstat_using_subcommand top" -l root -d 'Live: read /proc and /sys under this directory instead of /' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand top" -l keys -d 'Key file (default: $XDG_CONFIG_HOME/rstat/top.toml when it exists)' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand top" -l config -d 'Configuration file (default: /etc/rstat/rstat.toml for root, else $XDG_CONFIG_HOME/rstat/rstat.toml). Flags win over it' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand top" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rstat -n "__fish_rstat_using_subcommand top" -s V -l version -d 'Print version'
complete -c rstat -n "__fish_rstat_using_subcommand config; and not __fish_seen_subcommand_from check help" -l config -d 'Configuration file (default: /etc/rstat/rstat.toml for root, else $XDG_CONFIG_HOME/rstat/rstat.toml). Flags win over it' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand config; and not __fish_seen_subcommand_from check help" -s h -l help -d 'Print help'
complete -c rstat -n "__fish_rstat_using_subcommand config; and not __fish_seen_subcommand_from check help" -s V -l version -d 'Print version'
complete -c rstat -n "__fish_rstat_using_subcommand config; and not __fish_seen_subcommand_from check help" -f -a "check" -d 'Validate a configuration file and print the effective settings'
complete -c rstat -n "__fish_rstat_using_subcommand config; and not __fish_seen_subcommand_from check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rstat -n "__fish_rstat_using_subcommand config; and __fish_seen_subcommand_from check" -l config -d 'Configuration file (default: /etc/rstat/rstat.toml for root, else $XDG_CONFIG_HOME/rstat/rstat.toml). Flags win over it' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand config; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rstat -n "__fish_rstat_using_subcommand config; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c rstat -n "__fish_rstat_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "check" -d 'Validate a configuration file and print the effective settings'
complete -c rstat -n "__fish_rstat_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rstat -n "__fish_rstat_using_subcommand serve" -l listen -d 'Address and port to listen on. Another address than the loopback only when asked' -r
complete -c rstat -n "__fish_rstat_using_subcommand serve" -l dir -d 'Data directory holding the day files (default: the configuration\'s data_dir)' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand serve" -s f -l file -d 'Serve the newest sample of this one file instead: an rstat file, or a sysstat data file (/var/log/sysstat/saDD) that sadc writes, for a host still collecting with sysstat' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand serve" -l interval -d 'With --live: time between samples (default: the configuration\'s collect.interval)' -r
complete -c rstat -n "__fish_rstat_using_subcommand serve" -l root -d 'Root that holds proc/ and sys/ (with --live)' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand serve" -l web.config.file -d 'TLS and basic auth, in the Prometheus exporter web-config format (tls_server_config: cert_file, key_file; basic_auth_users: user: bcrypt hash)' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand serve" -l processes -d 'Per-process series (rstat_process_*) of the N processes with the most CPU time; off by default (cardinality). The collector must record processes (it does by default)' -r
complete -c rstat -n "__fish_rstat_using_subcommand serve" -l cgroups -d 'Per-cgroup series (rstat_cgroup_*) of the N groups with the most CPU time; off by default' -r
complete -c rstat -n "__fish_rstat_using_subcommand serve" -l max-connections -d 'Connections served at once; more are answered 503' -r
complete -c rstat -n "__fish_rstat_using_subcommand serve" -l config -d 'Configuration file (default: /etc/rstat/rstat.toml for root, else $XDG_CONFIG_HOME/rstat/rstat.toml). Flags win over it' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand serve" -l live -d 'Sample in-process instead of reading the collector\'s files'
complete -c rstat -n "__fish_rstat_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rstat -n "__fish_rstat_using_subcommand serve" -s V -l version -d 'Print version'
complete -c rstat -n "__fish_rstat_using_subcommand push" -l url -d 'The remote-write URL, e.g. http://prometheus:9090/api/v1/write (default: [push] url)' -r
complete -c rstat -n "__fish_rstat_using_subcommand push" -l dir -d 'Data directory holding the day files (default: the configuration\'s data_dir)' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand push" -l state -d 'State file (default: [push] state_file, else push.state in the data directory)' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand push" -l batch-size -d 'rstat samples per request (default: [push] batch_size, else 100)' -r
complete -c rstat -n "__fish_rstat_using_subcommand push" -l processes -d 'Per-process series (rstat_process_*) of the N processes with the most CPU time; off by default (cardinality). The collector must record processes (it does by default)' -r
complete -c rstat -n "__fish_rstat_using_subcommand push" -l cgroups -d 'Per-cgroup series (rstat_cgroup_*) of the N groups with the most CPU time; off by default' -r
complete -c rstat -n "__fish_rstat_using_subcommand push" -l config -d 'Configuration file (default: /etc/rstat/rstat.toml for root, else $XDG_CONFIG_HOME/rstat/rstat.toml). Flags win over it' -r -F
complete -c rstat -n "__fish_rstat_using_subcommand push" -l once -d 'Stop once the backlog is sent instead of following new samples'
complete -c rstat -n "__fish_rstat_using_subcommand push" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rstat -n "__fish_rstat_using_subcommand push" -s V -l version -d 'Print version'
complete -c rstat -n "__fish_rstat_using_subcommand help; and not __fish_seen_subcommand_from collect report export plot info import prune completions top config serve push help" -f -a "collect" -d 'Sample /proc and /sys and append the raw counters to the day\'s file (sadc/sa1\'s job)'
complete -c rstat -n "__fish_rstat_using_subcommand help; and not __fish_seen_subcommand_from collect report export plot info import prune completions top config serve push help" -f -a "report" -d 'Print sar-style reports from data files, or live'
complete -c rstat -n "__fish_rstat_using_subcommand help; and not __fish_seen_subcommand_from collect report export plot info import prune completions top config serve push help" -f -a "export" -d 'Export data files as CSV, JSON, JSON Lines, XML or OpenMetrics (what sadf does)'
complete -c rstat -n "__fish_rstat_using_subcommand help; and not __fish_seen_subcommand_from collect report export plot info import prune completions top config serve push help" -f -a "plot" -d 'Draw charts of data files: an interactive HTML page, or one SVG document (sadf -g\'s job)'
complete -c rstat -n "__fish_rstat_using_subcommand help; and not __fish_seen_subcommand_from collect report export plot info import prune completions top config serve push help" -f -a "info" -d 'Show a data file\'s header, frames, time span, restarts and damage'
complete -c rstat -n "__fish_rstat_using_subcommand help; and not __fish_seen_subcommand_from collect report export plot info import prune completions top config serve push help" -f -a "import" -d 'Convert sysstat data files (saDD) into rstat day files'
complete -c rstat -n "__fish_rstat_using_subcommand help; and not __fish_seen_subcommand_from collect report export plot info import prune completions top config serve push help" -f -a "prune" -d 'Delete daily files older than --keep-days days, thin old days by the configured tiers and keep the files under the configured size cap'
complete -c rstat -n "__fish_rstat_using_subcommand help; and not __fish_seen_subcommand_from collect report export plot info import prune completions top config serve push help" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, elvish, powershell)'
complete -c rstat -n "__fish_rstat_using_subcommand help; and not __fish_seen_subcommand_from collect report export plot info import prune completions top config serve push help" -f -a "top" -d 'Show what the machine is doing now, or what it did at any moment of a recorded day'
complete -c rstat -n "__fish_rstat_using_subcommand help; and not __fish_seen_subcommand_from collect report export plot info import prune completions top config serve push help" -f -a "config" -d 'Check a configuration file (rstat.toml(5)): `rstat config check [FILE]`'
complete -c rstat -n "__fish_rstat_using_subcommand help; and not __fish_seen_subcommand_from collect report export plot info import prune completions top config serve push help" -f -a "serve" -d 'Serve the newest sample to Prometheus (GET /metrics)'
complete -c rstat -n "__fish_rstat_using_subcommand help; and not __fish_seen_subcommand_from collect report export plot info import prune completions top config serve push help" -f -a "push" -d 'Send the day files\' samples to a Prometheus remote-write endpoint, losslessly'
complete -c rstat -n "__fish_rstat_using_subcommand help; and not __fish_seen_subcommand_from collect report export plot info import prune completions top config serve push help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rstat -n "__fish_rstat_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "check" -d 'Validate a configuration file and print the effective settings'
