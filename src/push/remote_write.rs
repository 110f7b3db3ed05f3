//! The Prometheus remote-write 1.0 message (prompb's WriteRequest, the fields 1.0 uses),
//! hand-written as prost structs so that no protoc build step is needed, and the encoding of
//! a batch of samples into it: protobuf, then snappy's block format.

use std::collections::BTreeMap;

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

/// Samples of one file (in time order) as one write request: each series once, with a point per sample.
/// Every series carries `job="rstat"` and `instance` = the file's host name, as a scrape of
/// `rstat serve` would.
pub fn write_request(samples: &[Sample], header: &FileHeader) -> WriteRequest {
    let mut series: BTreeMap<Vec<(String, String)>, Vec<RemoteSample>> = BTreeMap::new();
    for sample in samples {
        let timestamp = sample.time_us.div_euclid(1000);
        for family in families(sample, header, Selection::default()) {
            for point in family.points {
                let mut labels: Vec<(String, String)> = Vec::with_capacity(point.labels.len() + 3);
                labels.push(("__name__".into(), family.name.to_string()));
                labels.push(("instance".into(), header.host.clone()));
                labels.push(("job".into(), "rstat".into()));
                labels.extend(point.labels.into_iter().map(|(k, v)| (k.to_string(), v)));
                labels.sort();
                series.entry(labels).or_default().push(RemoteSample {
                    value: point.value,
                    timestamp,
                });
            }
        }
    }
    WriteRequest {
        timeseries: series
            .into_iter()
            .map(|(labels, samples)| TimeSeries {
                labels: labels
                    .into_iter()
                    .map(|(name, value)| Label { name, value })
                    .collect(),
                samples,
            })
            .collect(),
    }
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
        let request = write_request(&[sample(1_000_000, 50), sample(2_000_000, 75)], &header);
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
