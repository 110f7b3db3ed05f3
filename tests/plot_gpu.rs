//! The GPU chart of `rstat plot --html`: a file recorded with `rstat collect --root` from the
//! collector's GPU fixture trees (an amdgpu card, gpu-a then gpu-b, 2 s apart by their
//! uptime) gets utilisation, memory and power charts with units on their axes and one colour
//! for the GPU on each; a file without GPU tables gets none.

mod common;

use std::path::Path;

use serde_json::Value;

use common::{collect_from, rstat};

/// The page's data (the JSON in `<script id="rstat-data">`) of `rstat plot --html -f FILE`.
fn page_data(file: &Path) -> Value {
    let output = rstat()
        .args(["plot", "--html", "--utc", "-f"])
        .arg(file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let page = String::from_utf8(output.stdout).unwrap();
    let start = page.find("application/json\">").expect("data element") + 18;
    let end = start + page[start..].find("</script>").expect("end of the data");
    serde_json::from_str(&page[start..end].replace("<\\/", "</")).expect("JSON data")
}

/// A chart as the page gets it: (title, unit, max, [(label, colour)]).
type PageChart = (String, String, Value, Vec<(String, String)>);

/// The charts whose title starts with `GPU`.
fn gpu_charts(data: &Value) -> Vec<PageChart> {
    data["charts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["title"].as_str().unwrap().starts_with("GPU"))
        .map(|c| {
            let series = c["series"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    (
                        s["label"].as_str().unwrap().to_string(),
                        s["colour"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            (
                c["title"].as_str().unwrap().to_string(),
                c["unit"].as_str().unwrap().to_string(),
                c["max"].clone(),
                series,
            )
        })
        .collect()
}

#[test]
fn the_dashboard_charts_recorded_gpus_with_units_and_one_colour_each() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gpu.rstat");
    for tree in ["gpu-a", "gpu-b"] {
        collect_from(tree, &file, &["--activities", "gpu"]);
    }
    let data = page_data(&file);
    let charts = gpu_charts(&data);
    let shape: Vec<(&str, &str)> = charts
        .iter()
        .map(|(title, unit, ..)| (title.as_str(), unit.as_str()))
        .collect();
    assert_eq!(
        shape,
        [
            ("GPU utilisation (per GPU)", "%"),
            ("GPU memory used (per GPU)", "MB"),
            ("GPU power (per GPU)", "W"),
        ]
    );
    assert_eq!(charts[0].2, Value::from(100.0), "utilisation is 0-100 %");
    let colour = &charts[0].3[0].1;
    for (title, _, _, series) in &charts {
        assert_eq!(
            series,
            &[("card0 AMD Radeon RX 7900 XTX".to_string(), colour.clone())],
            "{title}"
        );
    }
    // The one interval's figures as the page encodes them (html.rs: the value in the
    // printed decimals, delta-coded from 0, zigzag, LEB128, base64): 63.00 % (two decimals,
    // as `rstat report --gpu` prints %gpu), 2048 MiB, and 187.00 W (374 J in 2 s).
    let values: Vec<&str> = data["charts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["title"].as_str().unwrap().starts_with("GPU"))
        .map(|c| c["series"][0]["values"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["8MQB", "gEA=", "sMgE"]);
}

#[test]
fn a_file_without_gpus_has_no_gpu_chart() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/fixture.rstat");
    let data = page_data(&fixture);
    assert!(!data["charts"].as_array().unwrap().is_empty());
    assert!(gpu_charts(&data).is_empty());
}
