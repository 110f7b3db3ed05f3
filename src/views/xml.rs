//! `rstat export --xml`: the role of sadf -x, in one generic shape that
//! dist/rstat-export.xsd describes (sar's field names such as `%user` or `rkB/s` are not XML
//! names, so they are attribute values):
//!
//! ```text
//! <rstat-export version="1">
//!   <host nodename=".." release=".." machine=".." cpus="2"/>
//!   <sample timestamp="2026-11-23T10:00:00Z" interval="10.00">
//!     <activity name="cpu">
//!       <row><key name="CPU">all</key><value name="%user">1.00</value>...</row>
//!     </activity>
//!   </sample>
//!   <restart timestamp=".." cpus="2"/>
//!   <comment timestamp="..">text</comment>
//! </rstat-export>
//! ```
//!
//! Written as events arrive (quick-xml's writer escapes text and attributes).

use std::io;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use super::{Format, Host, Sample, Table};
use crate::number::number;

/// `rstat export --xml`: one document, valid against dist/rstat-export.xsd.
pub struct Xml<'a, W: std::io::Write> {
    tables: &'a [Table],
    writer: Writer<W>,
}

/// Text fit for XML 1.0, which forbids most control characters (a comment may hold them).
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                '?'
            } else {
                c
            }
        })
        .collect()
}

impl<'a, W: std::io::Write> Xml<'a, W> {
    /// The document's head, written now.
    pub fn new(host: &'a Host, tables: &'a [Table], out: W) -> io::Result<Xml<'a, W>> {
        let mut writer = Writer::new_with_indent(out, b' ', 2);
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        writer.write_event(Event::Start(
            BytesStart::new("rstat-export").with_attributes([("version", "1")]),
        ))?;
        let cpus = host.cpus.to_string();
        writer.write_event(Event::Empty(BytesStart::new("host").with_attributes([
            ("nodename", clean(&host.nodename).as_str()),
            ("release", clean(&host.release).as_str()),
            ("machine", clean(&host.machine).as_str()),
            ("cpus", cpus.as_str()),
        ])))?;
        Ok(Xml { tables, writer })
    }

    fn element(&mut self, name: &str, attribute: &str, value: &str, text: &str) -> io::Result<()> {
        let w = &mut self.writer;
        w.write_event(Event::Start(
            BytesStart::new(name).with_attributes([(attribute, value)]),
        ))?;
        w.write_event(Event::Text(BytesText::new(&clean(text))))?;
        w.write_event(Event::End(BytesEnd::new(name)))
    }
}

impl<W: std::io::Write> Format<W> for Xml<'_, W> {
    fn sample(&mut self, sample: &Sample) -> io::Result<()> {
        let interval = number(sample.interval_s, false);
        self.writer
            .write_event(Event::Start(BytesStart::new("sample").with_attributes([
                ("timestamp", sample.timestamp.as_str()),
                ("interval", interval.as_str()),
            ])))?;
        let tables = self.tables;
        for (table, rows) in tables.iter().zip(&sample.rows) {
            self.writer.write_event(Event::Start(
                BytesStart::new("activity").with_attributes([("name", table.name())]),
            ))?;
            for row in rows {
                self.writer
                    .write_event(Event::Start(BytesStart::new("row")))?;
                for (key, field) in table.keys.iter().zip(&row.keys) {
                    self.element("key", "name", key, field)?;
                }
                for (col, (name, v)) in table.activity.column_names().zip(&row.values).enumerate() {
                    self.element("value", "name", name, &number(*v, table.integer(col)))?;
                }
                self.writer.write_event(Event::End(BytesEnd::new("row")))?;
            }
            self.writer
                .write_event(Event::End(BytesEnd::new("activity")))?;
        }
        self.writer.write_event(Event::End(BytesEnd::new("sample")))
    }

    fn restart(&mut self, timestamp: &str, cpus: u32) -> io::Result<()> {
        let cpus = cpus.to_string();
        self.writer.write_event(Event::Empty(
            BytesStart::new("restart")
                .with_attributes([("timestamp", timestamp), ("cpus", cpus.as_str())]),
        ))
    }

    fn comment(&mut self, timestamp: &str, text: &str) -> io::Result<()> {
        self.element("comment", "timestamp", timestamp, text)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.get_mut().flush()
    }

    fn finish(mut self: Box<Self>) -> io::Result<Vec<W>> {
        self.writer
            .write_event(Event::End(BytesEnd::new("rstat-export")))?;
        let mut out = self.writer.into_inner();
        out.write_all(b"\n")?;
        Ok(vec![out])
    }
}
