//! The shell completions shipped in the Debian package (dist/completions) are what `rstat
//! completions SHELL` prints for the current CLI. Regenerate them with
//! `UPDATE_COMPLETIONS=1 cargo test -p rstat --test completions_current`.

use std::path::Path;
use std::process::Command;

#[test]
fn committed_completions_match_the_cli() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("dist/completions");
    let update = std::env::var_os("UPDATE_COMPLETIONS").is_some();
    for (shell, file, marker, config) in [
        ("bash", "rstat.bash", "complete -F _rstat", "--config"),
        ("zsh", "_rstat", "#compdef rstat", "--config"),
        ("fish", "rstat.fish", "complete -c rstat", "-l config"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_rstat"))
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(output.status.success(), "rstat completions {shell}");
        let generated = String::from_utf8(output.stdout).unwrap();
        assert!(generated.contains(marker), "{shell}: {marker} missing");
        assert!(
            generated.contains(config),
            "{shell}: the global --config is offered"
        );
        let path = dir.join(file);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{} differs from `rstat completions {shell}`; run \
             UPDATE_COMPLETIONS=1 cargo test -p rstat --test completions_current",
            path.display()
        );
    }
}
