//! The name libsensors (and so sar's DEVICE column) gives an hwmon chip:
//! `<name>-<bus>-<address>`, such as `coretemp-isa-0000`, `amdgpu-pci-0300`,
//! `acpitz-acpi-0` or `w83627hf-i2c-0-2d`. The bus comes from the subsystem of the hwmon's
//! `device` link and the address from that device's directory name, by lm-sensors' rules
//! (lib/sysfs.c and sensors_snprintf_chip_name in lib/data.c of lm-sensors 3.6): an hwmon
//! without a device is `virtual`; a platform device `driver.N` is an ISA chip at N; a PCI
//! device `DDDD:BB:SS.F` is at `(DDDD << 16) + (BB << 8) + (SS << 3) + F`. A subsystem
//! libsensors does not know (it skips such chips) gives the hwmon's own name alone.
//!
//! [`ChipNames`] remembers the name of each hwmon directory, so that a sample reads no link
//! and allocates nothing once the chips are known.

use std::path::Path;

/// The chip names found so far: (hwmon directory, its `name`, the chip name).
#[derive(Default)]
pub(crate) struct ChipNames {
    known: Vec<(String, String, String)>,
}

impl ChipNames {
    /// The chip name of `chip_dir` (`…/sys/class/hwmon/hwmonN`) whose `name` file holds
    /// `name`; the links are read the first time, and again when `name` changed (another
    /// device took the hwmon number).
    pub(crate) fn get(&mut self, chip_dir: &Path, hwmon: &str, name: &str) -> &str {
        let at = match self
            .known
            .iter()
            .position(|(dir, known, _)| dir == hwmon && known == name)
        {
            Some(at) => at,
            None => {
                self.known.retain(|(dir, _, _)| dir != hwmon);
                let chip = from_links(chip_dir, name);
                self.known.push((hwmon.to_string(), name.to_string(), chip));
                self.known.len() - 1
            }
        };
        &self.known[at].2
    }
}

/// Reads the `device` link and the device's `subsystem` link under `chip_dir`.
fn from_links(chip_dir: &Path, name: &str) -> String {
    let base = |path: &Path| {
        std::fs::read_link(path)
            .ok()
            .and_then(|target| Some(target.file_name()?.to_string_lossy().into_owned()))
    };
    let device = chip_dir.join("device");
    let Some(device_name) = base(&device) else {
        return chip_name(name, None);
    };
    let subsystem = base(&device.join("subsystem"));
    chip_name(name, Some((&device_name, subsystem.as_deref())))
}

/// libsensors' name of chip `prefix` whose device is `(directory name, subsystem)`, `None`
/// for an hwmon without a device.
pub(crate) fn chip_name(prefix: &str, device: Option<(&str, Option<&str>)>) -> String {
    let Some((dev, subsystem)) = device else {
        return format!("{prefix}-virtual-0");
    };
    let is = |name: &str| subsystem.is_none_or(|s| s == name);
    if is("i2c") {
        if let Some((bus, addr)) = i2c_address(dev) {
            return if bus == 9191 {
                // lm-sensors' marker of a legacy ISA chip behind the i2c core.
                format!("{prefix}-isa-{addr:04x}")
            } else {
                format!("{prefix}-i2c-{bus}-{addr:02x}")
            };
        }
    }
    if is("spi") {
        let spi = dev
            .strip_prefix("spi")
            .and_then(|rest| rest.split_once('.'));
        if let Some((bus, chip)) = spi.and_then(|(b, c)| Some((decimal(b)?, decimal(c)?))) {
            return format!("{prefix}-spi-{bus}-{chip:x}");
        }
    }
    if is("pci") {
        if let Some([domain, bus, slot, function]) = pci_fields(dev) {
            let addr = (domain << 16) + (bus << 8) + (slot << 3) + function;
            return format!("{prefix}-pci-{addr:04x}");
        }
    }
    match subsystem {
        None | Some("platform" | "of_platform") => {
            format!("{prefix}-isa-{:04x}", platform_address(dev))
        }
        Some("acpi") => format!("{prefix}-acpi-0"),
        Some("hid") => match pci_fields(dev) {
            Some([bus, _vendor, _product, id]) => format!("{prefix}-hid-{bus}-{id:x}"),
            None => prefix.to_string(),
        },
        Some("mdio_bus") => {
            let addr = dev
                .split_once(':')
                .and_then(|(_, n)| decimal(n))
                .unwrap_or(0);
            format!("{prefix}-mdio-{addr:x}")
        }
        Some("scsi") => {
            let fields: Vec<&str> = dev.splitn(4, ':').collect();
            match fields.as_slice() {
                [host, _, _, lun] => match (decimal(host), hex(lun)) {
                    (Some(host), Some(lun)) => format!("{prefix}-scsi-{host}-{lun:x}"),
                    _ => prefix.to_string(),
                },
                _ => prefix.to_string(),
            }
        }
        Some(_) => prefix.to_string(),
    }
}

/// `0-002d` -> (0, 0x2d): an i2c client's bus and address.
fn i2c_address(dev: &str) -> Option<(i64, u32)> {
    let (bus, addr) = dev.split_once('-')?;
    Some((decimal(bus)?, hex(addr)?))
}

/// `0000:03:00.0` -> [0, 3, 0, 0] (also a HID device's `0003:046D:C52B.0001`).
fn pci_fields(dev: &str) -> Option<[u32; 4]> {
    let (head, function) = dev.rsplit_once('.')?;
    let mut parts = head.splitn(3, ':');
    let mut next = || hex(parts.next()?);
    Some([next()?, next()?, next()?, hex(function)?])
}

/// `it87.656` -> 656; 0 when the name is not `[a-z0-9_]+.N`.
fn platform_address(dev: &str) -> u32 {
    let driver_len = dev
        .bytes()
        .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
        .count();
    dev[driver_len..]
        .strip_prefix('.')
        .filter(|_| driver_len > 0)
        .and_then(decimal)
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(0)
}

/// The leading decimal number of `text` (sscanf's `%d`: a sign allowed, the rest ignored).
fn decimal(text: &str) -> Option<i64> {
    let digits_from = usize::from(text.starts_with(['-', '+']));
    let end = digits_from
        + text[digits_from..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
    text[..end].parse().ok()
}

/// The leading hexadecimal number of `text` (sscanf's `%x`, `0x` allowed).
fn hex(text: &str) -> Option<u32> {
    let text = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .unwrap_or(text);
    let end = text.bytes().take_while(u8::is_ascii_hexdigit).count();
    u32::from_str_radix(&text[..end], 16).ok()
}

#[cfg(test)]
mod tests {
    use super::chip_name;

    #[test]
    fn names_follow_libsensors_rules() {
        // (hwmon name, device directory, subsystem, libsensors' name); no device: virtual.
        let cases = "
            coretemp coretemp.0 platform coretemp-isa-0000
            it87 it87.656 platform it87-isa-0290
            gpio_fan gpio-fan platform gpio_fan-isa-0000
            amdgpu 0000:03:00.0 pci amdgpu-pci-0300
            k10temp 0000:00:18.3 pci k10temp-pci-00c3
            nvme 0000:01:00.0 pci nvme-pci-0100
            acpitz LNXTHERM:00 acpi acpitz-acpi-0
            w83627hf 0-002d i2c w83627hf-i2c-0-2d
            lm78 9191-0290 i2c lm78-isa-0290
            max31722 spi1.0 spi max31722-spi-1-0
            corsairpsu 0003:1B1C:1C05.0007 hid corsairpsu-hid-3-7
            drivetemp 2:0:0:0 scsi drivetemp-scsi-2-0
            mdio stmmac-0:01 mdio_bus mdio-mdio-1
            odd thing virtio odd";
        for line in cases.trim().lines() {
            let [prefix, dev, subsystem, want] = line.split_whitespace().collect::<Vec<_>>()[..]
            else {
                panic!("bad case {line}");
            };
            assert_eq!(
                chip_name(prefix, Some((dev, Some(subsystem)))),
                want,
                "{line}"
            );
        }
        assert_eq!(chip_name("acpitz", None), "acpitz-virtual-0");
    }
}
