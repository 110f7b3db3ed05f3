//! GPUs end to end: `rstat collect` over the amdgpu/DRM fixture roots (two moments, 2 s
//! apart), then `rstat report --gpu`, `--processes=gpu` and `rstat export` of the file.

mod common;

use std::path::Path;

use common::{fixture_tree, report, rstat};

fn collect_gpu_file(file: &Path) {
    for tree in ["gpu-a", "gpu-b"] {
        let output = rstat()
            .args([
                "collect",
                "--quiet",
                "--count",
                "1",
                "--no-cgroups",
                "--activities",
                "gpu",
            ])
            .arg("--file")
            .arg(file)
            .arg("--root")
            .arg(fixture_tree(tree))
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        assert!(output.stderr.is_empty(), "{output:?}");
    }
}

/// The data line of `text` whose item starts with `item`, split into words.
fn line_of<'t>(text: &'t str, item: &str) -> Vec<&'t str> {
    text.lines()
        .find(|l| !l.starts_with("Average") && l.contains(item))
        .unwrap_or_else(|| panic!("no {item} line in\n{text}"))
        .split_whitespace()
        .collect()
}

#[test]
fn report_gpu_and_gpu_processes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gpu.rstat");
    collect_gpu_file(&file);

    let text = report(&file, &["--gpu"]);
    let header = line_of(&text, "%gpu");
    assert_eq!(&header[1..4], ["GPU", "%gpu", "%mem"]);
    let card = line_of(&text, "card0 AMD Radeon RX 7900 XTX");
    // time, item (6 words), then the columns in order.
    let values = &card[7..];
    assert_eq!(values.len(), header.len() - 2, "{text}");
    let column = |name: &str| values[header.iter().position(|h| *h == name).unwrap() - 2];
    assert_eq!(column("%gpu"), "63.00");
    assert_eq!(column("MBfbused"), "2048");
    assert_eq!(column("degC"), "54.00");
    // 374 J over 2 s.
    assert_eq!(column("pwrW"), "187.00");
    assert_eq!(column("smMHz"), "2482");
    // amdgpu has no encoder figure: not a made-up zero.
    assert_eq!(column("%enc"), "NaN");

    let text = report(&file, &["--processes=gpu"]);
    let amd = line_of(&text, " card0 ");
    assert_eq!(&amd[1..3], ["42", "card0"]);
    // MBgpu, MBshared, %sm (0.5 s of gfx in 2 s), %mem, %enc, %dec, %copy, clients.
    assert_eq!(
        &amd[amd.len() - 8..],
        ["148", "4", "25.00", "NaN", "NaN", "0.00", "0.00", "2"]
    );
    let xe = line_of(&text, "0000:00:02.0");
    assert_eq!(&xe[1..4], ["1", "0000:00:02.0", "systemd"]);
    assert_eq!(xe[6], "5.00", "xe busy cycles over total: {text}");
}

/// `--gpu` alone is a choice of activity: no CPU table beside it (as `-r` alone has none),
/// and a file without GPUs says so.
#[test]
fn gpu_alone_shows_no_cpu_table() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cpu-only.rstat");
    common::collect_from("system-real-a", &file, &["--activities", "cpu"]);
    common::collect_from("system-real-b", &file, &["--activities", "cpu"]);
    assert!(
        report(&file, &["-u"]).contains("%user"),
        "the file has CPU data"
    );
    let text = report(&file, &["--gpu"]);
    assert!(!text.contains("%user"), "{text}");
    assert!(text.contains("no data for these activities"), "{text}");
}

#[test]
fn export_gpu_as_json_and_openmetrics() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gpu.rstat");
    collect_gpu_file(&file);
    let output = rstat()
        .args(["export", "--jsonl", "--gpu", "--processes=gpu", "-f"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    let sample: serde_json::Value = serde_json::from_str(
        text.lines()
            .find(|l| l.contains("\"timestamp\""))
            .expect("a sample line"),
    )
    .unwrap();
    let gpu = &sample["activities"]["gpu"][0];
    assert_eq!(gpu["GPU"], "card0 AMD Radeon RX 7900 XTX");
    assert_eq!(gpu["pwrW"], 187.0);
    assert_eq!(gpu["%enc"], serde_json::Value::Null);
    let processes = sample["activities"]["process-gpu"].as_array().unwrap();
    let amd = processes.iter().find(|p| p["PID"] == "42").unwrap();
    assert_eq!(
        (amd["GPU"].as_str(), amd["clients"].as_f64()),
        (Some("card0"), Some(2.0))
    );
    // The command name as the process table has it, without the report's column padding.
    assert_eq!(amd["Command"], "a) (b?c");

    let output = rstat()
        .args(["export", "--openmetrics", "--gpu", "-f"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("rstat_gpu_pwrw{") && l.contains("} 187.00 ")),
        "{text}"
    );
}
