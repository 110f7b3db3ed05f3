//! The Prometheus remote-write 1.0 message (prompb's WriteRequest, the fields 1.0 uses),
//! hand-written as prost structs so that no protoc build step is needed, and the encoding of
//! a batch of samples into it: protobuf, then snappy's block format.

use std::borrow::Cow;
use std::collections::HashMap;

use prost::Message;
use rstat_data_format::{FileHeader, Sample};

use crate::metrics::{families, Selection};

#[derive(Clone, PartialEq, Message)]
pub struct WriteRequest {
    #[prost(message, repeated, tag = "1")]
    pub timeseries: Vec<TimeSeries>,
}

#[derive(Clone, PartialEq, Message)]
pub struct TimeSeries {
    /// Sorted by name, `__name__` included.
    #[prost(message, repeated, tag = "1")]
    pub labels: Vec<Label>,
    /// In time order.
    #[prost(message, repeated, tag = "2")]
    pub samples: Vec<RemoteSample>,
}

#[derive(Clone, PartialEq, Message)]
pub struct Label {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(string, tag = "2")]
    pub value: String,
}

#[derive(Clone, PartialEq, Message)]
pub struct RemoteSample {
    #[prost(double, tag = "1")]
    pub value: f64,
    /// Milliseconds since the epoch.
    #[prost(int64, tag = "2")]
    pub timestamp: i64,
}

/// One series' identity as the metric catalogue gives it: the family name and the point's
/// labels (the labels every series carries are added once, when the series is written).
type SeriesKey = (Cow<'static, str>, Vec<(&'static str, String)>);

/// Samples of one file (in time order) as one write request: each series once, with a point per sample.
/// Every series carries `job="rstat"` and `instance` = the file's host name, as a scrape of
/// `rstat serve` would.
///
/// The catalogue gives a sample's series in the same order sample after sample, so each
/// point is first compared with the series that followed the previous point (no hashing, no
/// allocation); only a series out of that order is looked up in the map.
pub fn write_request(
    samples: &[Sample],
    header: &FileHeader,
    selection: Selection,
) -> WriteRequest {
    let mut index: HashMap<SeriesKey, usize> = HashMap::new();
    let mut series: Vec<(SeriesKey, Vec<RemoteSample>)> = Vec::new();
    for sample in samples {
        let timestamp = sample.time_us.div_euclid(1000);
        let mut next = 0;
        for family in families(sample, header, selection) {
            for point in family.points {
                let point_sample = RemoteSample {
                    value: point.value,
                    timestamp,
                };
                let expected = series
                    .get(next)
                    .filter(|((name, labels), _)| *name == family.name && *labels == point.labels);
                let at = match expected {
                    Some(_) => next,
                    None => {
                        let key = (family.name.clone(), point.labels);
                        *index.entry(key.clone()).or_insert_with(|| {
                            series.push((key, Vec::with_capacity(samples.len())));
                            series.len() - 1
                        })
                    }
                };
                series[at].1.push(point_sample);
                next = at + 1;
            }
        }
    }
    WriteRequest {
        timeseries: series
            .into_iter()
            .map(|((name, point_labels), samples)| TimeSeries {
                labels: series_labels(&name, &header.host, point_labels),
                samples,
            })
            .collect(),
    }
}

/// A series' labels sorted by name, as the protocol asks: `__name__`, `instance`, `job` and
/// the point's own.
fn series_labels(name: &str, host: &str, point_labels: Vec<(&'static str, String)>) -> Vec<Label> {
    let mut labels = Vec::with_capacity(point_labels.len() + 3);
    labels.push(Label {
        name: "__name__".into(),
        value: name.to_string(),
    });
    labels.push(Label {
        name: "instance".into(),
        value: host.to_string(),
    });
    labels.push(Label {
        name: "job".into(),
        value: "rstat".into(),
    });
    labels.extend(point_labels.into_iter().map(|(name, value)| Label {
        name: name.to_string(),
        value,
    }));
    labels.sort_by(|a, b| a.name.cmp(&b.name));
    labels
}

/// The HTTP body: the protobuf, snappy-compressed (block format, as the protocol says).
pub fn body(request: &WriteRequest) -> Result<Vec<u8>, String> {
    snap::raw::Encoder::new()
        .compress_vec(&request.encode_to_vec())
        .map_err(|e| format!("snappy: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstat_data_format::{Row, Table, TableKind};

    #[test]
    fn series_are_merged_sorted_and_round_trip() {
        let sample = |time_us, load| Sample {
            time_us,
            tables: vec![Table {
                kind: TableKind::LOADAVG,
                rows: vec![Row {
                    key: "loadavg".into(),
                    text: vec![],
                    values: vec![load, 5, 15, 1, 100, 9],
                }],
            }],
        };
        let header = FileHeader {
            host: "db1".into(),
            ..FileHeader::default()
        };
        let request = write_request(
            &[sample(1_000_000, 50), sample(2_000_000, 75)],
            &header,
            Selection::default(),
        );
        let load1 = request
            .timeseries
            .iter()
            .find(|s| s.labels[0].value == "node_load1")
            .unwrap();
        let names: Vec<&str> = load1.labels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["__name__", "instance", "job"]);
        assert_eq!(load1.labels[1].value, "db1");
        assert_eq!(
            load1.samples,
            [
                RemoteSample {
                    value: 0.5,
                    timestamp: 1000
                },
                RemoteSample {
                    value: 0.75,
                    timestamp: 2000
                }
            ]
        );
        let bytes = body(&request).unwrap();
        let decoded = snap::raw::Decoder::new().decompress_vec(&bytes).unwrap();
        assert_eq!(WriteRequest::decode(&decoded[..]).unwrap(), request);
    }
}
