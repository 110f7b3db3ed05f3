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

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let order = Path::new(&env("CARGO_MANIFEST_DIR")).join("dist/link-order.txt");
    println!("cargo:rerun-if-changed={}", order.display());
    // Debug builds (tests) gain nothing from the order and would pay for the probe.
    if env("PROFILE") != "release" || !order.is_file() {
        return;
    }
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

/// Whether rustc, with the build's own flags and target, links a trivial program with `args`.
fn linker_accepts(args: &[String]) -> bool {
    let out_dir = PathBuf::from(env("OUT_DIR"));
    let source = out_dir.join("link_probe.rs");
    if std::fs::write(&source, "fn main() {}\n").is_err() {
        return false;
    }
    let mut rustc = Command::new(env("RUSTC"));
    rustc
        .arg("--target")
        .arg(env("TARGET"))
        .args([
            "--crate-type",
            "bin",
            "--crate-name",
            "link_probe",
            "--out-dir",
        ])
        .arg(&out_dir)
        .arg(&source);
    let flags = env("CARGO_ENCODED_RUSTFLAGS");
    rustc.args(flags.split('\x1f').filter(|flag| !flag.is_empty()));
    for arg in args {
        rustc.arg(format!("-Clink-arg={arg}"));
    }
    rustc
        .output()
        .map(|output| output.status.success())
        .unwrap_or(false)
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_default()
}
