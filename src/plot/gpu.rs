//! The GPU charts of the HTML dashboard: utilisation, device memory in use and power, one
//! line per GPU in the same colour on each chart, drawn only when the window holds GPU
//! tables. The figures are the rows of the catalogue's GPU table (`rstat report --gpu`),
//! derived with the other tables on the worker threads; each chart's unit and decimals are
//! its column's. A figure no GPU reports leaves no chart.

use rstat::views::chart::{Chart, Palette, Series, Style, Table};

/// The charted columns of the GPU table: its name, the chart's title and its fixed top.
const CHARTED: [(&str, &str, Option<f64>); 3] = [
    ("%gpu", "GPU utilisation (per GPU)", Some(100.0)),
    ("MBfbused", "GPU memory used (per GPU)", None),
    ("pwrW", "GPU power (per GPU)", None),
];

/// The columns the dashboard keeps of the GPU table.
pub const COLUMNS: [&str; 3] = [CHARTED[0].0, CHARTED[1].0, CHARTED[2].0];

/// The charts of the GPU table `gpus` over `samples` samples: one line per GPU (its item,
/// `card0 AMD Radeon RX 7900 XTX`), a gap where a sample has no row for it.
pub fn charts(gpus: &Table, samples: usize) -> Vec<Chart> {
    let mut palette = Palette::default();
    CHARTED
        .iter()
        .filter_map(|&(name, title, max)| {
            let index = gpus.columns.iter().position(|c| c.name == name)?;
            let column = &gpus.columns[index];
            let series: Vec<Series> = gpus
                .items
                .iter()
                .filter(|(_, values)| !values[index].is_empty())
                .map(|(label, values)| {
                    let mut dense = vec![f64::NAN; samples];
                    for &(at, v) in &values[index] {
                        if let Some(slot) = dense.get_mut(at as usize) {
                            *slot = v;
                        }
                    }
                    Series {
                        label: label.clone(),
                        colour: palette.colour(label),
                        decimals: if column.integer() { 0 } else { 2 },
                        values: dense,
                    }
                })
                .collect();
            (!series.is_empty()).then(|| Chart {
                activity: gpus.name.clone(),
                title: title.to_string(),
                unit: column.unit,
                style: Style::Lines,
                max,
                series,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use rstat::catalogue::{self, Selection};
    use rstat_collector::activities::{Activities, Group};
    use rstat_collector::process::ProcessOptions;
    use rstat_collector::sampler::Sampler;
    use rstat_data_format::derive::Interval;
    use rstat_data_format::Sample;

    use super::*;

    fn sample(tree: &str) -> Sample {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("collector/tests/fixtures")
            .join(tree);
        let mut sampler = Sampler::with_activities(&root, Activities::of(&[Group::Gpu]));
        sampler.enable_processes(&root, ProcessOptions::default());
        let mut sample = Sample::default();
        sampler.sample(&mut sample);
        sample
    }

    /// The dashboard's GPU table (the catalogue's) with `interval`'s rows at `indexes`.
    fn gpu_table(interval: &Interval, indexes: &[usize]) -> Table {
        let selection = Selection {
            gpu: true,
            ..Selection::default()
        };
        let activity = catalogue::select(&selection)
            .unwrap()
            .into_iter()
            .find(|a| a.name == "gpu")
            .expect("the GPU table");
        let mut table = Table::new(&activity);
        for &index in indexes {
            table.push(index, (activity.rows)(interval));
        }
        table.keep(&COLUMNS);
        table
    }

    #[test]
    fn one_line_per_gpu_with_its_colour_on_every_chart() {
        let (a, b) = (sample("gpu-a"), sample("gpu-b"));
        let interval = Interval::new(&a, &b).expect("2 s apart");
        // Samples 0 and 2 have the GPU; sample 1 has none (a gap in the lines).
        let charts = charts(&gpu_table(&interval, &[0, 2]), 3);
        let titles: Vec<(&str, &str)> = charts
            .iter()
            .map(|c| (c.title.as_str(), rstat::views::chart::unit_label(c.unit)))
            .collect();
        assert_eq!(
            titles,
            [
                ("GPU utilisation (per GPU)", "%"),
                ("GPU memory used (per GPU)", "MB"),
                ("GPU power (per GPU)", "W"),
            ]
        );
        assert_eq!(charts[0].max, Some(100.0));
        // The readout writes each figure as `rstat report --gpu` does.
        let decimals: Vec<u8> = charts.iter().map(|c| c.series[0].decimals).collect();
        assert_eq!(decimals, [2, 0, 2]);
        for chart in &charts {
            assert_eq!(chart.series.len(), 1);
            assert_eq!(chart.series[0].label, "card0 AMD Radeon RX 7900 XTX");
            assert_eq!(chart.series[0].colour, charts[0].series[0].colour);
            assert!(chart.series[0].values[1].is_nan());
        }
        assert_eq!(charts[0].series[0].values[0], 63.0);
        assert_eq!(charts[1].series[0].values[2], 2048.0);
        // 374 J over 2 s.
        assert_eq!(charts[2].series[0].values[0], 187.0);
    }

    #[test]
    fn no_gpu_no_chart() {
        let (a, b) = (sample("proc-processes-a"), sample("proc-processes-b"));
        let interval = Interval::new(&a, &b).expect("an interval");
        assert!(charts(&gpu_table(&interval, &[0]), 1).is_empty());
    }
}
