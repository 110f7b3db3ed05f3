//! The Prometheus remote-write 1.0 message (prompb's WriteRequest, the fields 1.0 uses),
//! hand-written as prost structs so that no protoc build step is needed, and the encoding of
//! a batch of samples into it: protobuf, then snappy's block format.

use std::borrow::Cow;
use std::collections::HashMap;

use prost::encoding::WireType;
use prost::Message;
use rstat_data_format::{FileHeader, Sample};

use crate::metrics::{families, Selection};

// The two outer messages are written field by field by [`Encoder::body`] (a series' labels
// are encoded once, not per request); the structs are what the tests decode requests with.
#[cfg(test)]
#[derive(Clone, PartialEq, Message)]
pub struct WriteRequest {
    #[prost(message, repeated, tag = "1")]
    pub timeseries: Vec<TimeSeries>,
}

#[cfg(test)]
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
/// labels (the labels every series carries are added when its labels are encoded).
type SeriesKey = (Cow<'static, str>, Vec<(&'static str, String)>);

/// Series known beyond this many (per-process series of a day's pids) are forgotten between
/// batches, so that the encoder's memory stays bounded.
const MAX_KNOWN_SERIES: usize = 100_000;

/// One series: its encoded labels (the same in every request) and this batch's points.
struct SeriesPoints {
    key: SeriesKey,
    labels: Vec<u8>,
    points: Vec<RemoteSample>,
}

/// Encodes batches of samples of one host as remote-write requests, keeping what does not
/// change from batch to batch (the series, their encoded labels, the buffers) so that a
/// backlog of a day is encoded without the allocator's churn of building a message per batch.
///
/// The catalogue gives a sample's series in the same order sample after sample, so each
/// point is first compared with the series that followed the previous point (no hashing);
/// only a series out of that order is looked up in the map.
pub struct Encoder {
    host: String,
    selection: Selection,
    index: HashMap<SeriesKey, usize>,
    series: Vec<SeriesPoints>,
    protobuf: Vec<u8>,
}

impl Encoder {
    pub fn new(selection: Selection) -> Encoder {
        Encoder {
            host: String::new(),
            selection,
            index: HashMap::new(),
            series: Vec::new(),
            protobuf: Vec::new(),
        }
    }

    /// Starts a request of samples of the file with `header` (samples of one file only).
    pub fn begin(&mut self, header: &FileHeader) {
        if self.host != header.host || self.series.len() > MAX_KNOWN_SERIES {
            self.host.clone_from(&header.host);
            self.index.clear();
            self.series.clear();
        }
        for series in &mut self.series {
            series.points.clear();
        }
    }

    /// Adds one sample's points to their series (samples come in time order).
    pub fn add(&mut self, sample: &Sample, header: &FileHeader) {
        let timestamp = sample.time_us.div_euclid(1000);
        let mut next = 0;
        for family in families(sample, header, self.selection) {
            for point in family.points {
                let remote = RemoteSample {
                    value: point.value,
                    timestamp,
                };
                let expected = self
                    .series
                    .get(next)
                    .is_some_and(|s| s.key.0 == family.name && s.key.1 == point.labels);
                let at = if expected {
                    next
                } else {
                    let key = (family.name.clone(), point.labels);
                    let series = &mut self.series;
                    let host = &self.host;
                    *self.index.entry(key.clone()).or_insert_with(|| {
                        let labels = encode_labels(&key.0, host, &key.1);
                        series.push(SeriesPoints {
                            key,
                            labels,
                            points: Vec::new(),
                        });
                        series.len() - 1
                    })
                };
                self.series[at].points.push(remote);
                next = at + 1;
            }
        }
    }

    /// The HTTP body of the request begun: each series once with its points, protobuf then
    /// snappy (block format, as the protocol says). Every series carries `job="rstat"` and
    /// `instance` = the file's host name, as a scrape of `rstat serve` would.
    pub fn finish(&mut self) -> Result<Vec<u8>, String> {
        self.protobuf.clear();
        for series in &self.series {
            if series.points.is_empty() {
                continue;
            }
            let points_len: usize = series.points.iter().map(sample_len).sum();
            let len = series.labels.len() + points_len;
            prost::encoding::encode_key(1, WireType::LengthDelimited, &mut self.protobuf);
            prost::encoding::encode_varint(len as u64, &mut self.protobuf);
            self.protobuf.extend_from_slice(&series.labels);
            for point in &series.points {
                prost::encoding::encode_key(2, WireType::LengthDelimited, &mut self.protobuf);
                prost::encoding::encode_varint(point.encoded_len() as u64, &mut self.protobuf);
                point.encode_raw(&mut self.protobuf);
            }
        }
        snap::raw::Encoder::new()
            .compress_vec(&self.protobuf)
            .map_err(|e| format!("snappy: {e}"))
    }

    /// `samples` as one request's body (tests).
    #[cfg(test)]
    fn body(&mut self, samples: &[Sample], header: &FileHeader) -> Result<Vec<u8>, String> {
        self.begin(header);
        for sample in samples {
            self.add(sample, header);
        }
        self.finish()
    }
}

/// The encoded length of one point with its field key and length prefix.
fn sample_len(point: &RemoteSample) -> usize {
    let len = point.encoded_len();
    1 + prost::encoding::encoded_len_varint(len as u64) + len
}

/// A series' labels as field 1 of its TimeSeries message, sorted by name as the protocol
/// asks: `__name__`, `instance`, `job` and the point's own.
fn encode_labels(name: &str, host: &str, point_labels: &[(&'static str, String)]) -> Vec<u8> {
    let mut labels: Vec<(&str, &str)> = Vec::with_capacity(point_labels.len() + 3);
    labels.push(("__name__", name));
    labels.push(("instance", host));
    labels.push(("job", "rstat"));
    labels.extend(point_labels.iter().map(|(k, v)| (*k, v.as_str())));
    labels.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = Vec::new();
    for (name, value) in labels {
        let label = Label {
            name: name.to_string(),
            value: value.to_string(),
        };
        prost::encoding::message::encode(1, &label, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstat_data_format::{Row, Table, TableKind};

    fn sample(time_us: i64, load: u64, disks: &[&str]) -> Sample {
        let mut tables = vec![Table {
            kind: TableKind::LOADAVG,
            rows: vec![Row {
                key: "loadavg".into(),
                text: vec![],
                values: vec![load, 5, 15, 1, 100, 9],
            }],
        }];
        if !disks.is_empty() {
            tables.push(Table {
                kind: TableKind::DISKSTATS,
                rows: disks
                    .iter()
                    .map(|name| Row {
                        key: name.to_string(),
                        text: vec![],
                        values: vec![8, 0, 10, 0, 20, 5, 30, 0, 40, 7, 0, 50, 60],
                    })
                    .collect(),
            });
        }
        Sample { time_us, tables }
    }

    fn decode(body: &[u8]) -> WriteRequest {
        let protobuf = snap::raw::Decoder::new().decompress_vec(body).unwrap();
        WriteRequest::decode(&protobuf[..]).unwrap()
    }

    fn series<'a>(request: &'a WriteRequest, name: &str, device: Option<&str>) -> &'a TimeSeries {
        request
            .timeseries
            .iter()
            .find(|s| {
                s.labels
                    .iter()
                    .any(|l| l.name == "__name__" && l.value == name)
                    && device.is_none_or(|d| s.labels.iter().any(|l| l.value == d))
            })
            .unwrap_or_else(|| panic!("{name} {device:?} in {request:?}"))
    }

    #[test]
    fn series_are_merged_sorted_and_decode() {
        let header = FileHeader {
            host: "db1".into(),
            ..FileHeader::default()
        };
        let mut encoder = Encoder::new(Selection::default());
        let body = encoder
            .body(
                &[sample(1_000_000, 50, &[]), sample(2_000_000, 75, &[])],
                &header,
            )
            .unwrap();
        let request = decode(&body);
        let load1 = series(&request, "node_load1", None);
        let labels: Vec<(&str, &str)> = load1
            .labels
            .iter()
            .map(|l| (l.name.as_str(), l.value.as_str()))
            .collect();
        assert_eq!(
            labels,
            [
                ("__name__", "node_load1"),
                ("instance", "db1"),
                ("job", "rstat")
            ]
        );
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
    }

    #[test]
    fn series_that_come_go_and_change_order_keep_their_points() {
        let header = FileHeader::default();
        let mut encoder = Encoder::new(Selection::default());
        // sdb appears in the second sample, before sda in the third.
        let first = [
            sample(1_000_000, 10, &["sda"]),
            sample(2_000_000, 20, &["sda", "sdb"]),
            sample(3_000_000, 30, &["sdb", "sda"]),
        ];
        let request = decode(&encoder.body(&first, &header).unwrap());
        let times = |s: &TimeSeries| s.samples.iter().map(|p| p.timestamp).collect::<Vec<_>>();
        let sda = series(&request, "node_disk_reads_completed_total", Some("sda"));
        assert_eq!(times(sda), [1000, 2000, 3000]);
        assert!(sda
            .labels
            .iter()
            .any(|l| l.name == "device" && l.value == "sda"));
        let sdb = series(&request, "node_disk_reads_completed_total", Some("sdb"));
        assert_eq!(times(sdb), [2000, 3000]);
        // The next batch sends only its own points; a series it lacks is left out.
        let request = decode(
            &encoder
                .body(&[sample(4_000_000, 40, &["sdb"])], &header)
                .unwrap(),
        );
        let sdb = series(&request, "node_disk_reads_completed_total", Some("sdb"));
        assert_eq!(times(sdb), [4000]);
        assert!(!request
            .timeseries
            .iter()
            .any(|s| s.labels.iter().any(|l| l.value == "sda")));
        assert_eq!(times(series(&request, "node_load1", None)), [4000]);
    }
}
