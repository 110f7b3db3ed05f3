//! The page's hover lists: per sample, the busiest processes by CPU (shown on the CPU charts)
//! and by I/O (shown on the disk charts), from the same process views as `rstat report
//! --processes`. [`HoverRows`] derives an interval's lists (on a worker thread: it owns its
//! views); [`HoverLists`] gathers them in sample order with one table of process labels
//! (`pid command user`) for every list.

use std::collections::HashMap;

use rstat::catalogue::{self, item_fields, Activity, ActivityId, ProcessSelection, Selection};
use rstat::views::chart::ProcessList;
use rstat_data_format::derive::Interval;

/// Processes listed per sample on the page.
const LISTED: usize = 5;

/// One list: the process view that ranks (`--processes` word), what the caption calls the
/// ranking, the columns shown, and the activities whose charts show the list. A chart of
/// another activity (a GPU's) gets its list by a line here.
struct ListDesign {
    view: &'static str,
    ranked_by: &'static str,
    columns: &'static [&'static str],
    activities: &'static [ActivityId],
}

const LISTS: [ListDesign; 2] = [
    ListDesign {
        view: "cpu",
        ranked_by: "CPU",
        columns: &["%CPU"],
        activities: &[ActivityId::CPU],
    },
    ListDesign {
        view: "io",
        ranked_by: "I/O",
        columns: &["kB_rd/s", "kB_wr/s"],
        activities: &[ActivityId::DISK],
    },
];

/// A list's view (its rows ranked busiest first, at most [`LISTED`]) and the indexes of its
/// shown columns.
fn list_view(design: &ListDesign) -> Result<(Activity, Vec<usize>), String> {
    let selection = Selection {
        process: ProcessSelection {
            processes: Some(vec![design.view.to_string()]),
            top: LISTED,
            ..ProcessSelection::default()
        },
        ..Selection::default()
    };
    let activity = catalogue::select(&selection)?
        .into_iter()
        .next()
        .ok_or_else(|| format!("the process {} view is missing", design.view))?;
    let shown = design
        .columns
        .iter()
        .map(|name| {
            activity
                .columns
                .iter()
                .position(|c| c.name == *name)
                .ok_or_else(|| format!("the process {} view has no {name} column", design.view))
        })
        .collect::<Result<_, String>>()?;
    Ok((activity, shown))
}

/// One interval's lists: per list, (process item, shown figures), busiest first.
pub(crate) type IntervalLists = Vec<Vec<(String, Vec<f64>)>>;

/// Where a list's rows come from: a table the plot derives anyway (the dashboard's
/// `process-cpu`, ranked the same way and at least [`LISTED`] long), or a view of its own.
enum Source {
    Table(usize),
    Own(Activity),
}

/// Derives the lists of an interval.
pub(crate) struct HoverRows {
    sources: Vec<(Source, Vec<usize>)>,
}

impl HoverRows {
    /// The lists' views. `tables` names the plot's tables; `shared` says whether they rank
    /// processes as the lists do (no filter, per process, at least [`LISTED`] per interval),
    /// so that a list takes the first rows of its view's table instead of deriving them again.
    pub(crate) fn new(tables: &[String], shared: bool) -> Result<HoverRows, String> {
        let sources = LISTS
            .iter()
            .map(|design| {
                let (activity, shown) = list_view(design)?;
                let table = format!("process-{}", design.view);
                let source = match tables.iter().position(|name| *name == table) {
                    Some(index) if shared => Source::Table(index),
                    _ => Source::Own(activity),
                };
                Ok((source, shown))
            })
            .collect::<Result<_, String>>()?;
        Ok(HoverRows { sources })
    }

    /// The lists of `interval`, whose tables' rows are `table_rows`.
    pub(crate) fn rows(
        &self,
        interval: &Interval,
        table_rows: &[Vec<(String, Vec<f64>)>],
    ) -> IntervalLists {
        self.sources
            .iter()
            .map(|(source, shown)| {
                let pick = |(item, values): &(String, Vec<f64>)| {
                    let figures = shown
                        .iter()
                        .map(|i| values.get(*i).copied().unwrap_or(f64::NAN))
                        .collect();
                    (item.clone(), figures)
                };
                match source {
                    Source::Table(index) => {
                        table_rows[*index].iter().take(LISTED).map(pick).collect()
                    }
                    Source::Own(activity) => (activity.rows)(interval).iter().map(pick).collect(),
                }
            })
            .collect()
    }
}

/// Whether the plot's process tables rank as the lists do (see [`HoverRows::new`]).
pub(crate) fn shareable(process: &ProcessSelection) -> bool {
    process.pids.is_empty()
        && process.command.is_none()
        && process.user.is_none()
        && !process.per_thread
        && (process.top == 0 || process.top >= LISTED)
}

/// The busiest processes of each sample, for the page's hover lists.
pub(crate) struct HoverLists {
    lists: Vec<ProcessList>,
    /// Each list's item label (how its view's items split into uid, pid and command).
    item_labels: Vec<Option<&'static str>>,
    names: Vec<String>,
    index: HashMap<String, u32>,
    users: HashMap<String, String>,
}

impl HoverLists {
    /// The lists of [`LISTS`], empty.
    pub(crate) fn new() -> Result<HoverLists, String> {
        let mut item_labels = Vec::new();
        let lists = LISTS
            .iter()
            .map(|design| {
                let (activity, shown) = list_view(design)?;
                item_labels.push(activity.item);
                let columns = design
                    .columns
                    .iter()
                    .zip(shown)
                    .map(|(name, index)| {
                        let decimals = if activity.columns[index].integer() {
                            0
                        } else {
                            2
                        };
                        (*name, decimals)
                    })
                    .collect();
                Ok(ProcessList {
                    ranked_by: design.ranked_by,
                    activities: design.activities,
                    columns,
                    top: Vec::new(),
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(HoverLists {
            lists,
            item_labels,
            names: Vec::new(),
            index: HashMap::new(),
            users: HashMap::new(),
        })
    }

    /// A user's name (the uid when this host does not know it).
    fn user(&mut self, uid: &str) -> String {
        self.users
            .entry(uid.to_string())
            .or_insert_with(|| {
                uid.parse::<u32>()
                    .ok()
                    .and_then(|n| nix::unistd::User::from_uid(n.into()).ok().flatten())
                    .map_or_else(|| uid.to_string(), |user| user.name)
            })
            .clone()
    }

    /// The slot of a process item (`uid pid command`, as the process views name their
    /// items) in the labels.
    fn slot(&mut self, item_label: Option<&str>, item: String) -> u32 {
        if let Some(slot) = self.index.get(&item) {
            return *slot;
        }
        let fields = match item_label.and_then(item_fields) {
            Some((_, split)) => split(&item),
            None => vec![item.clone()],
        };
        let name = match fields.as_slice() {
            [uid, pid, command] => format!("{pid}\t{command}\t{}", self.user(uid)),
            _ => fields.join("\t"),
        };
        let slot = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(name);
        self.index.insert(item, slot);
        slot
    }

    /// Sample `index`'s lists (absent samples, restarts included, list none).
    pub(crate) fn push(&mut self, index: usize, lists: IntervalLists) {
        for (k, rows) in lists.into_iter().enumerate() {
            let label = self.item_labels[k];
            let top = rows
                .into_iter()
                .map(|(item, figures)| (self.slot(label, item), figures))
                .collect();
            let list = &mut self.lists[k];
            list.top.resize(index, Vec::new());
            list.top.push(top);
        }
    }

    /// The labels and the lists, each `samples` long.
    pub(crate) fn finish(mut self, samples: usize) -> (Vec<String>, Vec<ProcessList>) {
        for list in &mut self.lists {
            list.top.resize(samples, Vec::new());
        }
        (self.names, self.lists)
    }
}
