//! The GPU charts of the HTML dashboard: utilisation, device memory in use and power, one
//! line per GPU in the same colour on each chart, drawn only when the window holds GPU
//! tables. The figures are data-format's derivation ([`Interval::gpus`]), as `rstat report`
//! prints them; a figure a GPU does not report leaves no line.

use rstat::catalogue::{ActivityId, Unit};
use rstat::views::chart::{Chart, Palette, Series, Sparse, Style};
use rstat_data_format::derive::Interval;
use rstat_data_format::derive_gpu::GpuRates;

/// A charted figure: title, unit, fixed top, decimals, and how to read it from a GPU.
struct Figure {
    title: &'static str,
    unit: Unit,
    max: Option<f64>,
    decimals: u8,
    read: fn(&GpuRates) -> Option<f64>,
}

const FIGURES: [Figure; 3] = [
    Figure {
        title: "GPU utilisation (per GPU)",
        unit: Unit::Percent,
        max: Some(100.0),
        decimals: 0,
        read: |g| g.util_pct,
    },
    Figure {
        title: "GPU memory used (per GPU)",
        unit: Unit::Megabytes,
        max: None,
        decimals: 0,
        read: |g| g.memory_used_mb,
    },
    Figure {
        title: "GPU power (per GPU)",
        unit: Unit::Watts,
        max: None,
        decimals: 2,
        read: |g| g.power_w,
    },
];

/// Per GPU, its label and the values of each of [`FIGURES`] as (sample index, value).
#[derive(Default)]
pub struct GpuCharts {
    gpus: Vec<(String, [Sparse; 3])>,
}

impl GpuCharts {
    /// Sample `index`'s GPUs.
    pub fn push(&mut self, index: usize, interval: &Interval) {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        for gpu in interval.gpus() {
            let label = if gpu.name.is_empty() {
                gpu.device.clone()
            } else {
                format!("{} {}", gpu.device, gpu.name)
            };
            let slot = match self.gpus.iter().position(|(l, _)| *l == label) {
                Some(slot) => slot,
                None => {
                    self.gpus.push((label, Default::default()));
                    self.gpus.len() - 1
                }
            };
            for (figure, values) in FIGURES.iter().zip(&mut self.gpus[slot].1) {
                if let Some(v) = (figure.read)(&gpu) {
                    values.push((index, v));
                }
            }
        }
    }

    /// The charts over `samples` samples: none when no GPU was seen, and none for a figure
    /// no GPU reports.
    pub fn charts(&self, samples: usize) -> Vec<Chart> {
        let mut palette = Palette::default();
        FIGURES
            .iter()
            .enumerate()
            .filter_map(|(i, figure)| {
                let series: Vec<Series> = self
                    .gpus
                    .iter()
                    .filter(|(_, values)| !values[i].is_empty())
                    .map(|(label, values)| {
                        let mut dense = vec![f64::NAN; samples];
                        for &(index, v) in &values[i] {
                            if let Some(slot) = dense.get_mut(index as usize) {
                                *slot = v;
                            }
                        }
                        Series {
                            label: label.clone(),
                            colour: palette.colour(label),
                            decimals: figure.decimals,
                            values: dense,
                        }
                    })
                    .collect();
                (!series.is_empty()).then(|| Chart {
                    activity: ActivityId::GPU.name().to_string(),
                    title: figure.title.to_string(),
                    unit: figure.unit,
                    style: Style::Lines,
                    max: figure.max,
                    series,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use rstat_collector::activities::{Activities, Group};
    use rstat_collector::process::ProcessOptions;
    use rstat_collector::sampler::Sampler;
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

    #[test]
    fn one_line_per_gpu_with_its_colour_on_every_chart() {
        let (a, b) = (sample("gpu-a"), sample("gpu-b"));
        let interval = Interval::new(&a, &b).expect("2 s apart");
        let mut gpus = GpuCharts::default();
        // Samples 0 and 2 have the GPU; sample 1 has none (a gap in the lines).
        gpus.push(0, &interval);
        gpus.push(2, &interval);
        let charts = gpus.charts(3);
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
        let mut gpus = GpuCharts::default();
        let interval = Interval::new(&a, &b).expect("an interval");
        gpus.push(0, &interval);
        assert!(gpus.charts(1).is_empty());
    }
}
