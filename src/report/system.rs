//! Report tables for system activities beyond the core ones: interrupts (-I) and network
//! (-n). Each activity's rows come from data-format's derivation.

use clap::Args;

use super::Activity;

/// sar options for interrupts and network.
#[derive(Args, Debug, Default)]
pub struct SystemArgs {
    /// Interrupts: -I SUM.
    #[arg(short = 'I', value_name = "SUM")]
    pub interrupts: Option<String>,
    /// Network: -n DEV, -n EDEV or -n DEV,EDEV.
    #[arg(short = 'n', value_name = "KEYWORDS", value_delimiter = ',')]
    pub network: Vec<String>,
}

impl SystemArgs {
    /// True when none of these activities was asked for.
    pub fn is_empty(&self) -> bool {
        self.interrupts.is_none() && self.network.is_empty()
    }
}

/// Adds the activities `args` asks for (all of them with `all`, sar's -A) to `chosen`.
pub(crate) fn select(
    args: &SystemArgs,
    all: bool,
    chosen: &mut Vec<Activity>,
) -> Result<(), String> {
    if all || args.interrupts.is_some() {
        if let Some(word) = args
            .interrupts
            .as_deref()
            .filter(|w| !w.eq_ignore_ascii_case("SUM"))
        {
            return Err(format!("-I {word}: only -I SUM is available so far (per-IRQ data comes with the interrupts activity)"));
        }
        chosen.push(Activity {
            item: Some("INTR"),
            columns: &["intr/s"],
            integer: |_| false,
            rows: Box::new(|i| {
                i.interrupts_per_s()
                    .map(|v| vec![("sum".to_string(), vec![v])])
                    .unwrap_or_default()
            }),
        });
    }
    let mut network: Vec<String> = args
        .network
        .iter()
        .map(|w| w.to_ascii_uppercase())
        .collect();
    if all {
        network = vec!["DEV".into(), "EDEV".into()];
    }
    for word in network {
        match word.as_str() {
            "DEV" => chosen.push(Activity {
                item: Some("IFACE"),
                columns: &["rxpck/s", "txpck/s", "rxkB/s", "txkB/s", "rxcmp/s", "txcmp/s", "rxmcst/s"],
                integer: |_| false,
                rows: Box::new(|i| {
                    i.interfaces()
                        .into_iter()
                        .map(|n| (n.iface, vec![n.rxpck_per_s, n.txpck_per_s, n.rxkb_per_s, n.txkb_per_s, n.rxcmp_per_s, n.txcmp_per_s, n.rxmcst_per_s]))
                        .collect()
                }),
            }),
            "EDEV" => chosen.push(Activity {
                item: Some("IFACE"),
                columns: &["rxerr/s", "txerr/s", "coll/s", "rxdrop/s", "txdrop/s", "txcarr/s", "rxfram/s", "rxfifo/s", "txfifo/s"],
                integer: |_| false,
                rows: Box::new(|i| {
                    i.interfaces()
                        .into_iter()
                        .map(|n| (n.iface, vec![n.rxerr_per_s, n.txerr_per_s, n.coll_per_s, n.rxdrop_per_s, n.txdrop_per_s, n.txcarr_per_s, n.rxfram_per_s, n.rxfifo_per_s, n.txfifo_per_s]))
                        .collect()
                }),
            }),
            other => return Err(format!("-n {other}: this version reports DEV and EDEV; other keywords come with their activities")),
        }
    }
    Ok(())
}
