//! The page's hover lists: per sample, the busiest processes by CPU (shown on the CPU charts)
//! and by I/O (shown on the disk charts), from the same process views as `rstat report
//! --processes`. One table of process labels (`pid command user`) serves every list.

use std::collections::HashMap;

use rstat::catalogue::{self, item_fields, Activity, ProcessSelection, Selection};
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
    activities: &'static [&'static str],
}

const LISTS: [ListDesign; 2] = [
    ListDesign {
        view: "cpu",
        ranked_by: "CPU",
        columns: &["%CPU"],
        activities: &["cpu"],
    },
    ListDesign {
        view: "io",
        ranked_by: "I/O",
        columns: &["kB_rd/s", "kB_wr/s"],
        activities: &["disk"],
    },
];

/// A list being gathered: its view, the indexes of its shown columns, and the list.
struct Gathering {
    activity: Activity,
    shown: Vec<usize>,
    list: ProcessList,
}

/// The busiest processes of each sample, for the page's hover lists.
pub(crate) struct HoverLists {
    lists: Vec<Gathering>,
    names: Vec<String>,
    index: HashMap<String, u32>,
    users: HashMap<String, String>,
}

impl HoverLists {
    /// The lists of [`LISTS`], empty.
    pub(crate) fn new() -> Result<HoverLists, String> {
        let lists = LISTS
            .iter()
            .map(|design| {
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
                let mut shown = Vec::new();
                let mut columns = Vec::new();
                for name in design.columns {
                    let index = activity
                        .columns
                        .iter()
                        .position(|c| c.name == *name)
                        .ok_or_else(|| {
                            format!("the process {} view has no {name} column", design.view)
                        })?;
                    shown.push(index);
                    let decimals = if activity.columns[index].integer() {
                        0
                    } else {
                        2
                    };
                    columns.push((*name, decimals));
                }
                Ok(Gathering {
                    activity,
                    shown,
                    list: ProcessList {
                        ranked_by: design.ranked_by,
                        activities: design.activities,
                        columns,
                        top: Vec::new(),
                    },
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(HoverLists {
            lists,
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

    /// The slot of a process item (`uid pid command`, as `item_label` names the view's
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

    /// Sample `index`'s busiest processes (absent samples, restarts included, list none).
    pub(crate) fn push(&mut self, index: usize, interval: &Interval) {
        for k in 0..self.lists.len() {
            // The view ranks its rows, busiest first, and keeps the first LISTED.
            let rows = (self.lists[k].activity.rows)(interval);
            let item_label = self.lists[k].activity.item;
            let mut top = Vec::with_capacity(rows.len());
            for (item, values) in rows {
                let figures = self.lists[k]
                    .shown
                    .iter()
                    .map(|i| values.get(*i).copied().unwrap_or(f64::NAN))
                    .collect();
                let slot = self.slot(item_label, item);
                top.push((slot, figures));
            }
            let list = &mut self.lists[k].list;
            list.top.resize(index, Vec::new());
            list.top.push(top);
        }
    }

    /// The labels and the lists, each `samples` long.
    pub(crate) fn finish(self, samples: usize) -> (Vec<String>, Vec<ProcessList>) {
        let lists = self
            .lists
            .into_iter()
            .map(|mut gathering| {
                gathering.list.top.resize(samples, Vec::new());
                gathering.list
            })
            .collect();
        (self.names, lists)
    }
}
