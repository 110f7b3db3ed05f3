//! sysstat's data files (`/var/log/sysstat/saDD`, written by sadc) read as rstat records, so
//! that every reader opens them directly and `rstat import` converts them into day files.
//!
//! - [`layout`]: the bytes of the file (header, activity list, record header), either byte
//!   order, 32- or 64-bit writers.
//! - [`records`]: the file read record by record, every count and size checked.
//! - [`catalog`]: activity numbers and names.
//! - [`activities`]: each activity's items written into the tables rstat's collector fills;
//!   [`sensors`] the fan, temperature and voltage readings.
//! - [`legacy`]: the older formats 0x2171 and 0x2173, given the current structures.
//!
//! A reader given an sa file ([`is_sa_file`]) gets it converted into an unnamed temporary
//! rstat file ([`TempConversion`]), which it then reads like any other: one code path for
//! figures, seeking, damage and replay.

pub mod activities;
pub mod catalog;
pub mod layout;
pub mod legacy;
pub mod records;
pub mod sensors;

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::header::{FileHeader, RestartInfo};
use crate::reader::{Damage, Record};
use crate::schema::{Sample, TableKind};
use crate::writer::FileWriter;
use activities::Mapper;
pub use records::{SaReader, SaRecord};

/// Whether `path` is a regular file that starts with sysstat's magic (in either byte
/// order). Opened as every reader opens, so a FIFO or a device is never waited on.
pub fn is_sa_file(path: &Path) -> bool {
    let mut magic = [0u8; 2];
    crate::safe_open::open_for_reading(path).is_ok_and(|mut f| f.read_exact(&mut magic).is_ok())
        && layout::magic_order(&magic).is_some()
}

/// An sa file's records as rstat records.
pub struct SaRecords {
    reader: SaReader,
    header: FileHeader,
    disk_names: RefCell<HashMap<(u64, u64), String>>,
}

impl SaRecords {
    /// Opens the sa file at `path` (any supported format and byte order) to read it as rstat
    /// records; an error names the file and what is wrong with it.
    pub fn open(path: &Path) -> Result<SaRecords> {
        let boot_time = first_boot_time(path)?;
        let reader = SaReader::open(path)?;
        let h = &reader.header;
        let header = FileHeader {
            host: h.nodename.clone(),
            kernel_release: h.release.clone(),
            arch: h.machine.clone(),
            cpu_count: h.cpu_nr.saturating_sub(1),
            ticks_per_sec: u32::try_from(h.hz).unwrap_or(0),
            page_size: 4096,
            boot_time,
            boot_id: String::new(),
            time_zone: h.tzname.clone(),
            utc_offset_s: 0,
            created_us: seconds_to_us(h.ust_time),
            writer: format!(
                "sysstat {} (sa file format {:#06x}{}, {}-bit {}-endian), read by rstat {}",
                reader.magic.version_text(),
                reader.magic.format_magic,
                if reader.magic.upgraded != 0 {
                    ", converted by sadf -c"
                } else {
                    ""
                },
                h.long_len * 8,
                if reader.magic.enc_big_endian {
                    "big"
                } else {
                    "little"
                },
                env!("CARGO_PKG_VERSION")
            ),
        };
        Ok(SaRecords {
            reader,
            header,
            disk_names: RefCell::new(HashMap::new()),
        })
    }

    /// The rstat header that describes the sa file's host.
    pub fn header(&self) -> &FileHeader {
        &self.header
    }

    /// The underlying reader of the file's own records and header.
    pub fn sa_reader(&self) -> &SaReader {
        &self.reader
    }

    /// The activities of the file that rstat has no table for, by sysstat's names.
    pub fn unmapped(&self) -> Vec<String> {
        self.reader
            .activities
            .iter()
            .enumerate()
            .filter(|(i, a)| !catalog::is_mapped(a.id) || !self.reader.is_readable(*i))
            .map(|(_, a)| catalog::name(a.id))
            .collect()
    }

    /// The next record, or the damage that ends the file's readable part.
    pub fn next_record(&mut self) -> Result<Option<std::result::Result<Record, Damage>>> {
        let record = match self.reader.next_record()? {
            None => return Ok(None),
            Some(Err(damage)) => return Ok(Some(Err(damage))),
            Some(Ok(record)) => record,
        };
        Ok(Some(Ok(match record {
            SaRecord::Stats { header, data } => {
                let mut sample = Sample {
                    time_us: seconds_to_us(header.ust_time),
                    tables: Vec::new(),
                };
                sample
                    .table_mut(TableKind::UPTIME)
                    .rows
                    .push(crate::schema::Row {
                        key: "uptime".into(),
                        text: Vec::new(),
                        values: vec![header.uptime_cs, 0],
                    });
                let disk_name = |major, minor| self.disk_name(major, minor);
                Mapper {
                    activities: &self.reader.activities,
                    enc: self.reader.encoding(),
                    disk_name: &disk_name,
                }
                .fill(&data, &mut sample);
                Record::Sample {
                    sample,
                    carried: false,
                }
            }
            SaRecord::Restart { header, cpu_nr } => Record::Restart {
                time_us: seconds_to_us(header.ust_time),
                info: RestartInfo {
                    boot_time: boot_time(&header),
                    boot_id: String::new(),
                    kernel_release: self.header.kernel_release.clone(),
                    cpu_count: cpu_nr.saturating_sub(1),
                },
            },
            SaRecord::Comment { header, text } => Record::Comment {
                time_us: seconds_to_us(header.ust_time),
                text,
            },
        })))
    }

    /// sar's name for a block device: the kernel's, from sysfs, when this machine has the
    /// device, else `devMAJOR-MINOR`.
    fn disk_name(&self, major: u64, minor: u64) -> String {
        self.disk_names
            .borrow_mut()
            .entry((major, minor))
            .or_insert_with(|| {
                std::fs::read_link(format!("/sys/dev/block/{major}:{minor}"))
                    .ok()
                    .and_then(|link| Some(link.file_name()?.to_string_lossy().into_owned()))
                    .unwrap_or_else(|| format!("dev{major}-{minor}"))
            })
            .clone()
    }
}

/// When the host booted, from the file's first statistics or restart record (0 if none).
fn first_boot_time(path: &Path) -> Result<i64> {
    let mut reader = SaReader::open(path)?;
    while let Some(Ok(record)) = reader.next_record()? {
        if let SaRecord::Stats { header, .. } | SaRecord::Restart { header, .. } = record {
            return Ok(boot_time(&header));
        }
    }
    Ok(0)
}

fn boot_time(header: &layout::RecordHeader) -> i64 {
    i64::try_from(header.ust_time.saturating_sub(header.uptime_cs / 100)).unwrap_or(0)
}

fn seconds_to_us(seconds: u64) -> i64 {
    i64::try_from(seconds)
        .unwrap_or(i64::MAX / 1_000_000)
        .saturating_mul(1_000_000)
}

/// What a conversion read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Converted {
    /// Statistics records converted into samples.
    pub samples: u64,
    /// Restart records converted.
    pub restarts: u64,
    /// Comment records converted.
    pub comments: u64,
    /// Activities of the file rstat has no table for.
    pub unmapped: Vec<String>,
    /// Where the readable part of the file ended, if before its end.
    pub damage: Option<Damage>,
}

/// Hands every record of an sa file to `write`, and says what was read.
pub fn copy_records(
    records: &mut SaRecords,
    mut write: impl FnMut(&Record) -> Result<()>,
) -> Result<Converted> {
    let mut summary = Converted {
        unmapped: records.unmapped(),
        ..Converted::default()
    };
    while let Some(item) = records.next_record()? {
        match item {
            Err(damage) => summary.damage = Some(damage),
            Ok(record) => {
                match &record {
                    Record::Sample { .. } => summary.samples += 1,
                    Record::Restart { .. } => summary.restarts += 1,
                    Record::Comment { .. } => summary.comments += 1,
                }
                write(&record)?;
            }
        }
    }
    Ok(summary)
}

/// An sa file converted into a temporary rstat file, removed when this is dropped (a reader
/// that opened it keeps reading it).
pub struct TempConversion {
    dir: PathBuf,
    path: PathBuf,
    damage: Option<Damage>,
}

impl TempConversion {
    /// Converts the sa file `sa` into a temporary rstat file (damage in it is kept to report, not
    /// fatal).
    pub fn of(sa: &Path) -> Result<TempConversion> {
        let dir = std::env::temp_dir().join(format!(
            "rstat-sa-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, "create", e))?;
        let mut conversion = TempConversion {
            path: dir.join("converted.rstat"),
            dir,
            damage: None,
        };
        let mut records = SaRecords::open(sa)?;
        let mut writer = FileWriter::open(&conversion.path, records.header(), 0o600)?;
        writer.set_durable(false);
        let summary = copy_records(&mut records, |record| {
            crate::rewrite::append(&mut writer, record)
        })?;
        conversion.damage = summary.damage;
        Ok(conversion)
    }

    /// The temporary rstat file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the sa file's readable part ended, if before its end.
    pub fn damage(&self) -> Option<&Damage> {
        self.damage.as_ref()
    }
}

impl Drop for TempConversion {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        let _ = std::fs::remove_dir(&self.dir);
    }
}
