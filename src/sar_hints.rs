//! sar's options that rstat spells differently, for the error of an unknown option: a user
//! who types `rstat report -o FILE` or `export --human` out of habit is told what rstat calls it,
//! in one line, with exit status 2. Also sar's `-1`, `-2`... day offsets, which become
//! `--date -1`.

use std::ffi::OsString;

/// (sar's option, what it does there, rstat's way).
const SAR_OPTIONS: [(&str, &str, &str); 6] = [
    (
        "-o",
        "saves samples to a file",
        "`rstat collect --file FILE` records them",
    ),
    (
        "--sadc",
        "names the data collector",
        "the collector is `rstat collect`",
    ),
    (
        "-C",
        "shows the comments of a file",
        "`rstat report -C` shows them; JSON, JSONL and XML exports always hold them",
    ),
    (
        "-D",
        "names day files saYYYYMMDD",
        "day files are always YYYY-MM-DD.rstat; pick one with --date",
    ),
    (
        "--pretty",
        "names devices by their persistent or /dev/mapper names",
        "`rstat report -p` does (or -j ID|LABEL|PATH|UUID)",
    ),
    (
        "--human",
        "prints sizes as 1.0k, 1.2M",
        "`rstat report --human` does; exports keep sar's units for scripts",
    ),
];

/// The one-line message for `option`, unknown to rstat, when it is one of sar's.
pub(crate) fn hint(option: &str) -> Option<String> {
    let name = option.split('=').next().unwrap_or(option);
    SAR_OPTIONS
        .iter()
        .find(|(sar, _, _)| *sar == name)
        .map(|(sar, does, instead)| {
            format!("{name}: sar {sar} {does}; {instead} (see `rstat report --help`)")
        })
}

/// The options of report, export and plot whose value follows them as the next word.
const TAKE_VALUES: [&str; 30] = [
    "--date",
    "-i",
    "--interval",
    "-s",
    "--start",
    "-e",
    "--end",
    "-P",
    "-n",
    "-m",
    "-I",
    "-j",
    "--dec",
    "-f",
    "--file",
    "--dir",
    "--top",
    "-o",
    "--output",
    "--out",
    "--dev",
    "--iface",
    "--fs",
    "--int",
    "--pid",
    "--command",
    "--user",
    "--cgroup",
    "--root",
    "--config",
];

/// sar's `-1`, `-2`...: that many days ago. In report, export and plot a bare `-N` becomes
/// `--date=-N`, unless it is the value of the option before it.
pub(crate) fn day_offsets(args: Vec<OsString>) -> Vec<OsString> {
    let mut out: Vec<OsString> = Vec::with_capacity(args.len());
    let mut in_sar_command = false;
    for arg in args {
        let text = arg.to_str().unwrap_or_default();
        let is_offset = text.len() > 1
            && text.starts_with('-')
            && text[1..].bytes().all(|b| b.is_ascii_digit());
        let after_option = out
            .last()
            .and_then(|prev| prev.to_str())
            .is_some_and(|prev| TAKE_VALUES.contains(&prev));
        if in_sar_command && is_offset && !after_option {
            out.push(format!("--date={text}").into());
            continue;
        }
        in_sar_command |= matches!(text, "report" | "export" | "plot");
        out.push(arg);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{day_offsets, hint};

    fn offsets(line: &str) -> Vec<String> {
        day_offsets(line.split(' ').map(Into::into).collect())
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    #[test]
    fn bare_day_offsets_become_dates_but_option_values_stay() {
        assert_eq!(
            offsets("rstat report -u -1"),
            ["rstat", "report", "-u", "--date=-1"]
        );
        assert_eq!(
            offsets("rstat export --csv -2 -r"),
            ["rstat", "export", "--csv", "--date=-2", "-r"]
        );
        // A value: left for its option (which says what it expects).
        assert_eq!(
            offsets("rstat report --date -1"),
            ["rstat", "report", "--date", "-1"]
        );
        assert_eq!(
            offsets("rstat report -i -5"),
            ["rstat", "report", "-i", "-5"]
        );
        // Other subcommands are untouched.
        assert_eq!(offsets("rstat prune -1"), ["rstat", "prune", "-1"]);
    }

    #[test]
    fn sar_options_name_rstat_s_way() {
        assert_eq!(
            hint("-o").unwrap(),
            "-o: sar -o saves samples to a file; `rstat collect --file FILE` records them \
             (see `rstat report --help`)"
        );
        assert!(hint("--human")
            .unwrap()
            .starts_with("--human: sar --human prints"));
        assert!(hint("--pretty=x")
            .unwrap()
            .contains("`rstat report -p` does"));
        assert_eq!(hint("--bogus"), None);
    }
}
