#!/usr/bin/env bash
# Builds the Debian package with cargo-deb, installs it on this machine, checks what it set
# up (binary, user, data directory, conffile, man pages, completions, enabled timer), collects
# one sample the way the packaged service does, then removes and purges it and checks that
# nothing is left. Needs root and a Debian-like system; systemd need not be running (unit
# state is checked offline). Leaves the machine as it found it, also when a check fails.
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { echo "test-package: $*"; }
fail() {
  echo "test-package: FAILED: $*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || fail "run as root (it installs and purges the package)"
if dpkg-query -W -f='${Status}' rstat 2>/dev/null | grep -q 'installed'; then
  fail "a package rstat is already installed; this test would replace and purge it"
fi
if getent passwd rstat >/dev/null || [ -e /var/log/rstat ] || [ -e /etc/rstat ]; then
  fail "user rstat, /var/log/rstat or /etc/rstat exists already; this test would delete them"
fi
command -v cargo-deb >/dev/null 2>&1 || cargo install cargo-deb --locked

say "cargo deb"
deb=$(cargo deb | tail -n 1)
[ -f "$deb" ] || fail "cargo deb did not print the package path (got: $deb)"
say "built $deb ($(stat -c %s "$deb") bytes)"

# Whatever happens below, leave no package, user or data behind.
cleanup() {
  dpkg --purge rstat >/dev/null 2>&1 || true
}
trap cleanup EXIT

contents=$(dpkg-deb -c "$deb")
for path in ./usr/bin/rstat ./etc/rstat/rstat.toml \
  ./usr/share/man/man1/rstat.1.gz ./usr/share/man/man1/rstat-config.1.gz \
  ./usr/share/man/man5/rstat.toml.5.gz ./usr/share/man/man5/rstat-format.5.gz \
  ./usr/share/man/man8/rstat-collect.8.gz \
  ./usr/share/bash-completion/completions/rstat ./usr/share/zsh/vendor-completions/_rstat \
  ./usr/share/fish/vendor_completions.d/rstat.fish \
  ./usr/lib/sysusers.d/rstat.conf ./usr/lib/tmpfiles.d/rstat.conf \
  rstat-collect.timer rstat-collect.service rstat-collectd.service rstat-boot.service \
  rstat-prune.timer rstat-prune.service rstat-serve.service rstat-push.service; do
  grep -q -- "$path" <<<"$contents" || fail "the package lacks $path"
done
control=$(mktemp -d)
dpkg-deb -e "$deb" "$control"
grep -qx /etc/rstat/rstat.toml "$control/conffiles" || fail "/etc/rstat/rstat.toml is not a conffile"
rm -rf "$control"
say "contents: binary, man pages (gzipped), completions, units, conffile"

say "dpkg -i"
dpkg -i "$deb"
rstat --version | grep -q '^rstat ' || fail "rstat --version"
getent passwd rstat >/dev/null || fail "no user rstat"
[ "$(stat -c '%U:%G %a' /var/log/rstat)" = "rstat:rstat 750" ] ||
  fail "/var/log/rstat is $(stat -c '%U:%G %a' /var/log/rstat), expected rstat:rstat 750"
runuser -u rstat -- rstat config check /etc/rstat/rstat.toml >/dev/null ||
  fail "the user rstat cannot use /etc/rstat/rstat.toml"
say "installed: $(rstat --version), user rstat, /var/log/rstat rstat:rstat 750"

# Collect exactly as rstat-collect.service does, as its user.
unit=""
for dir in /usr/lib/systemd/system /lib/systemd/system; do
  [ -f "$dir/rstat-collect.service" ] && unit="$dir/rstat-collect.service" && break
done
[ -n "$unit" ] || fail "rstat-collect.service is not installed"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
say "collecting as user rstat: $exec_start"
# shellcheck disable=SC2086 # the unit's command line, split into words as systemd does
runuser -u rstat -- $exec_start
today=/var/log/rstat/$(date +%F).rstat
[ -f "$today" ] || fail "no $today after collecting"
[ "$(stat -c %U "$today")" = rstat ] || fail "$today is not owned by rstat"
rstat info "$today" >/dev/null || fail "rstat info cannot read $today"
say "sample written to $today"

# Unit state, read from /etc/systemd/system (works without a running systemd).
state() { systemctl is-enabled "$1" 2>/dev/null || true; }
[ "$(state rstat-collect.timer)" = enabled ] ||
  [ -L /etc/systemd/system/timers.target.wants/rstat-collect.timer ] ||
  fail "rstat-collect.timer is not enabled"
[ "$(state rstat-prune.timer)" = enabled ] ||
  [ -L /etc/systemd/system/timers.target.wants/rstat-prune.timer ] ||
  fail "rstat-prune.timer is not enabled"
if [ "$(state rstat-collectd.service)" = enabled ] ||
  [ -e /etc/systemd/system/multi-user.target.wants/rstat-collectd.service ]; then
  fail "rstat-collectd.service is enabled; it should only be shipped"
fi
for shipped in rstat-serve.service rstat-push.service; do
  if [ "$(state "$shipped")" = enabled ] ||
    [ -e "/etc/systemd/system/multi-user.target.wants/$shipped" ]; then
    fail "$shipped is enabled; it should only be shipped"
  fi
done
say "rstat-collect.timer and rstat-prune.timer enabled, rstat-collectd, -serve and -push not"

# A changed conffile survives reinstalling (an upgrade) with --force-confold.
echo '# local change' >>/etc/rstat/rstat.toml
dpkg -i --force-confold "$deb" >/dev/null
grep -q '^# local change' /etc/rstat/rstat.toml || fail "reinstalling replaced the changed conffile"
say "a changed /etc/rstat/rstat.toml is kept on reinstall"

say "dpkg -r (remove keeps data, user and configuration)"
dpkg -r rstat >/dev/null
[ ! -e /usr/bin/rstat ] || fail "/usr/bin/rstat is still there after remove"
getent passwd rstat >/dev/null || fail "remove deleted the user rstat"
[ -f "$today" ] || fail "remove deleted the data"

say "dpkg --purge"
dpkg --purge rstat >/dev/null
trap - EXIT
[ ! -e /usr/bin/rstat ] || fail "/usr/bin/rstat is still there"
! getent passwd rstat >/dev/null || fail "the user rstat is still there"
! getent group rstat >/dev/null || fail "the group rstat is still there"
[ ! -e /var/log/rstat ] || fail "/var/log/rstat is still there"
[ ! -e /etc/rstat ] || fail "/etc/rstat is still there"
left=$(find /etc/systemd /usr/lib/systemd /lib/systemd /usr/lib/sysusers.d /usr/lib/tmpfiles.d \
  -name 'rstat*' 2>/dev/null || true)
[ -z "$left" ] || fail "left behind: $left"
say "purged: no binary, user, group, data, configuration or units left"
say "ok"
