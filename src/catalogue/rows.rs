//! [`RowBuf`]: one activity's rows for one interval, kept from one interval to the next so
//! that the readers' hot loops (report, export) do not allocate an item string and a vector
//! of figures for every row of every interval once the rows have reached their size. The
//! rows are the same `(item, values)` pairs [`Activity::rows`](super::Activity) returns.

/// The rows of an interval, written over the previous interval's: items and value vectors
/// keep their memory.
#[derive(Debug, Default)]
pub struct RowBuf {
    /// Every row held so far; the first `len` are this interval's.
    rows: Vec<(String, Vec<f64>)>,
    len: usize,
}

impl RowBuf {
    /// Forgets the rows (their memory is kept for the next ones).
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// Adds a row named `item`; returns its values, empty, to be filled.
    pub fn push(&mut self, item: &str) -> &mut Vec<f64> {
        self.push_named(|name| name.push_str(item))
    }

    /// Adds a row whose item `name` writes (into an empty string); returns its values,
    /// empty, to be filled.
    pub fn push_named(&mut self, name: impl FnOnce(&mut String)) -> &mut Vec<f64> {
        if self.len == self.rows.len() {
            self.rows.push((String::new(), Vec::new()));
        }
        let (item, values) = &mut self.rows[self.len];
        self.len += 1;
        item.clear();
        name(item);
        values.clear();
        values
    }

    /// Takes back the last row added (its source turned out to be missing).
    pub fn pop(&mut self) {
        self.len = self.len.saturating_sub(1);
    }

    /// This interval's rows.
    pub fn rows(&self) -> &[(String, Vec<f64>)] {
        &self.rows[..self.len]
    }

    /// Whether the interval has no rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Keeps only the rows whose item `keep` accepts, in order.
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        let mut kept = 0;
        for at in 0..self.len {
            if keep(&self.rows[at].0) {
                self.rows.swap(kept, at);
                kept += 1;
            }
        }
        self.len = kept;
    }

    /// Takes `rows` as this interval's (an activity without a buffered form returns a new
    /// vector each interval).
    pub fn replace(&mut self, rows: Vec<(String, Vec<f64>)>) {
        self.len = rows.len();
        self.rows = rows;
    }

    /// The rows as the vector [`Activity::rows`](super::Activity) returns.
    pub fn into_rows(mut self) -> Vec<(String, Vec<f64>)> {
        self.rows.truncate(self.len);
        self.rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_overwritten_and_kept_in_order() {
        let mut buf = RowBuf::default();
        buf.push("a").push(1.0);
        buf.push("b").extend([2.0, 3.0]);
        buf.push_named(|name| name.push_str("c cpu0")).push(4.0);
        assert_eq!(buf.rows().len(), 3);
        buf.retain(|item| item != "b");
        assert_eq!(
            buf.rows(),
            &[
                ("a".to_string(), vec![1.0]),
                ("c cpu0".to_string(), vec![4.0])
            ]
        );
        buf.push("gone");
        buf.pop();
        assert_eq!(buf.rows().len(), 2);
        buf.clear();
        assert!(buf.is_empty());
        buf.push("d").push(5.0);
        assert_eq!(buf.into_rows(), vec![("d".to_string(), vec![5.0])]);
    }

    #[test]
    fn a_returned_vector_replaces_the_rows() {
        let mut buf = RowBuf::default();
        buf.push("old").push(0.0);
        buf.replace(vec![
            ("x".to_string(), vec![1.0]),
            ("y".to_string(), vec![]),
        ]);
        assert_eq!(buf.rows().len(), 2);
        assert_eq!(buf.rows()[1].0, "y");
    }
}
