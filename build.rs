//! Link settings of the `rstat` binary: in release builds, the functions `rstat collect` runs
//! are placed together at the start of the code (dist/link-order.txt, an LLD symbol ordering
//! file written by bench/link-order.sh).
//!
//! Why: the collector is the long-running process, and the kernel maps a program's code in
//! 64 KiB runs around each page touched. Scattered over the 6.6 MB of code that every
//! subcommand shares, the collector's ~0.7 MB of functions kept ~3 MB of the binary resident;
//! packed, ~0.75 MB (README, "Collector memory"). The order changes where functions sit,
//! never what they do.
//!
//! Only LLD knows `--symbol-ordering-file` (rustc links with it by default on x86_64 Linux
//! since 1.90): the flag is given only after a probe link with it succeeds, so any other
//! linker builds the same program, unordered. Symbols the file names that the build lacks
//! (renamed functions, another toolchain's hashes) are skipped silently; CI's
//! `bench/link-order.sh --check` fails when a tenth of the list is missing.
//!
//! Release builds also link the unwinder statically (libgcc_eh, as `gcc -static-libgcc`
//! does) instead of loading libgcc_s.so.1 at every start. Why: loading it costs the dynamic
//! loader a library, and its constructor runs a dozen CPUID instructions, each a trap to the
//! hypervisor in a VM: together 4% of a one-shot `rstat collect` (the timer's, one process
//! per sample; README, "Issue 10, seventh round"). std asks for `-lgcc_s` itself, so a linker
//! script named libgcc_s.so that reads `INPUT(-lgcc_eh)` is put first on the library path.
//! A probe program must link with it, have no libgcc_s.so.1 among its needed libraries, and
//! catch a panic (unwinding works) before the build uses it; otherwise libgcc_s is loaded
//! as before.
//!
//! And they pack the relative relocations (`-z pack-relative-relocs`, DT_RELR, glibc 2.36):
//! the loader applies the same 8,000 of them at every start, but reads a 2 kB bitmap
//! instead of a 190 kB table. A process started while other programs run in between (the
//! timer's one sample every few minutes) reads that table from memory, not cache: a one-shot
//! `rstat collect` measured 8% faster with it. A probe program with relocated statics must
//! link with the flag and run correctly (the build machine's loader reads DT_RELR) before
//! the build uses it; a binary so linked names glibc's `GLIBC_ABI_DT_RELR` version, so an
//! older loader refuses it with a message rather than misreading it.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let order = Path::new(&env("CARGO_MANIFEST_DIR")).join("dist/link-order.txt");
    println!("cargo:rerun-if-changed={}", order.display());
    // Debug builds (tests) gain nothing from these and would pay for the probes.
    if env("PROFILE") != "release" {
        return;
    }
    static_unwinder();
    packed_relocations();
    if order.is_file() {
        symbol_order(&order);
    }
}

/// Has LLD place the functions listed in `order` first (see the top of this file).
fn symbol_order(order: &Path) {
    let args = [
        format!("-Wl,--symbol-ordering-file={}", order.display()),
        "-Wl,--no-warn-symbol-ordering".to_string(),
    ];
    if linker_accepts(&args) {
        for arg in &args {
            println!("cargo:rustc-link-arg-bins={arg}");
        }
    } else {
        println!("cargo:warning=the linker does not take --symbol-ordering-file (LLD does): rstat is built without dist/link-order.txt, and `rstat collect` keeps more of its code resident");
    }
}

/// Links the unwinder statically when a probe shows it works (see the top of this file).
fn static_unwinder() {
    let dir = PathBuf::from(env("OUT_DIR")).join("static-unwinder");
    let script = dir.join("libgcc_s.so");
    if std::fs::create_dir_all(&dir).is_err()
        || std::fs::write(&script, "INPUT(-lgcc_eh)\n").is_err()
    {
        return;
    }
    let search = [format!("-L{}", dir.display())];
    const CATCHES_A_PANIC: &str = "fn main() {\n    std::panic::set_hook(Box::new(|_| {}));\n    let caught = std::panic::catch_unwind(|| panic!(\"probe\")).is_err();\n    std::process::exit(if caught { 0 } else { 1 });\n}\n";
    let works = link_probe("unwind_probe", CATCHES_A_PANIC, &search).is_some_and(|program| {
        let runs = Command::new(&program)
            .status()
            .is_ok_and(|status| status.success());
        runs && !needs_libgcc_s(&program)
    });
    if works {
        println!("cargo:rustc-link-search=native={}", dir.display());
    } else {
        println!("cargo:warning=the unwinder cannot be linked statically here: rstat loads libgcc_s.so.1 at start, as Rust programs do");
    }
}

/// Packs the relative relocations when a probe shows the linker and loader handle them (see
/// the top of this file).
fn packed_relocations() {
    const RELOCATED_STATICS: &str = "static NAMES: [&str; 3] = [\"a\", \"bb\", \"ccc\"];\nstatic CALLS: [fn() -> usize; 2] = [one, two];\nfn one() -> usize { 1 }\nfn two() -> usize { 2 }\nfn main() {\n    let names: usize = std::hint::black_box(&NAMES).iter().map(|name| name.len()).sum();\n    let calls: usize = std::hint::black_box(&CALLS).iter().map(|call| call()).sum();\n    std::process::exit(if names + calls == 9 { 0 } else { 1 });\n}\n";
    let flag = "-Wl,-z,pack-relative-relocs";
    let works = link_probe(
        "relr_probe",
        RELOCATED_STATICS,
        &[format!("-Clink-arg={flag}")],
    )
    .is_some_and(|program| {
        Command::new(&program)
            .status()
            .is_ok_and(|status| status.success())
    });
    if works {
        println!("cargo:rustc-link-arg-bins={flag}");
    } else {
        println!("cargo:warning=the linker or loader does not take packed relocations (-z pack-relative-relocs): rstat is built with a full relocation table, and starts a little slower");
    }
}

/// Whether the ELF program names libgcc_s.so.1 among the libraries it needs (its dynamic
/// string table holds the name only then: nothing else in a Rust program spells it).
fn needs_libgcc_s(program: &Path) -> bool {
    std::fs::read(program).map_or(true, |bytes| {
        bytes
            .windows(b"libgcc_s.so".len())
            .any(|window| window == b"libgcc_s.so")
    })
}

/// Whether rustc, with the build's own flags and target, links a trivial program with `args`.
fn linker_accepts(args: &[String]) -> bool {
    let args: Vec<String> = args.iter().map(|arg| format!("-Clink-arg={arg}")).collect();
    link_probe("link_probe", "fn main() {}\n", &args).is_some()
}

/// Compiles and links `source` as the program `name` in OUT_DIR with the build's own rustc
/// flags and target plus `args`; the program's path when that succeeds.
fn link_probe(name: &str, source: &str, args: &[String]) -> Option<PathBuf> {
    let out_dir = PathBuf::from(env("OUT_DIR"));
    let source_path = out_dir.join(format!("{name}.rs"));
    std::fs::write(&source_path, source).ok()?;
    let mut rustc = Command::new(env("RUSTC"));
    rustc
        .arg("--target")
        .arg(env("TARGET"))
        .args(["--crate-type", "bin", "--crate-name", name, "--out-dir"])
        .arg(&out_dir)
        .arg(&source_path);
    let flags = env("CARGO_ENCODED_RUSTFLAGS");
    rustc.args(flags.split('\x1f').filter(|flag| !flag.is_empty()));
    rustc.args(args);
    let linked = rustc.output().is_ok_and(|output| output.status.success());
    linked.then(|| out_dir.join(name))
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_default()
}
