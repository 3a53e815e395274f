//! `l610 ports`: the serial ports of this host, the L610's marked.
//!
//! The USB IDs come from public sources:
//!
//! - Linux `drivers/usb/serial/option.c` (commit "USB: serial: option: add Fibocom L610 modem",
//!   Sven Schwermer, 2022): vendor 0x1782 (UNISOC/Spreadtrum, the L610's chipset), product
//!   0x4d10 "Fibocom L610 (AT mode)" (`+GTUSBMODE: 31`, seven vendor-class serial interfaces)
//!   and 0x4d11 "Fibocom L610 (ECM/RNDIS mode)" (`+GTUSBMODE: 32/33`: interfaces 0-1 are the
//!   network function, 2-8 serial). The patch's `usb-devices` listings show the interfaces.
//! - Espressif esp-iot-solution, `iot_usbh_modem` (its `usb_modem_id_list`): 0x1782:0x4d11 with
//!   the AT command port on interface 2.
//! - Interface 0 for the AT port of 0x4d10 is inferred: in Fibocom's own log tool the log ports
//!   sit two interfaces lower in 0x4d10 ({4, 3}) than in 0x4d11 ({6, 5}), the two network
//!   interfaces being absent. It is marked "likely".

use serde::Serialize;
use serialport::SerialPortType;

use crate::exit::{Failure, Outcome, PORT};
use crate::output::Out;

/// UNISOC (Spreadtrum), the vendor ID the L610 enumerates with.
pub const UNISOC_VID: u16 = 0x1782;
/// `+GTUSBMODE: 31`, "Fibocom L610 (AT mode)".
pub const L610_AT_MODE_PID: u16 = 0x4d10;
/// `+GTUSBMODE: 32` (ECM) and 33 (RNDIS).
pub const L610_NET_MODE_PID: u16 = 0x4d11;

/// What a port is, as far as the USB IDs tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The L610's AT command port (known from a public source).
    L610At,
    /// Probably the L610's AT port (inferred, see the module docs).
    L610AtLikely,
    /// Another serial interface of an L610 (modem, diagnostics, log).
    L610Other,
    /// Not an L610.
    Other,
}

/// Classify a USB serial port by vendor, product and interface number.
pub fn classify(vid: u16, pid: u16, interface: Option<u8>) -> Role {
    match (vid, pid, interface) {
        (UNISOC_VID, L610_NET_MODE_PID, Some(2)) => Role::L610At,
        (UNISOC_VID, L610_AT_MODE_PID, Some(0)) => Role::L610AtLikely,
        (UNISOC_VID, L610_AT_MODE_PID | L610_NET_MODE_PID, _) => Role::L610Other,
        _ => Role::Other,
    }
}

/// One row.
#[derive(Debug, Serialize)]
pub struct PortRow {
    /// Device path.
    pub path: String,
    /// `usb`, `pci`, `bluetooth`, `unknown`.
    pub kind: &'static str,
    /// USB vendor ID, hex.
    pub vid: Option<String>,
    /// USB product ID, hex.
    pub pid: Option<String>,
    /// USB interface number.
    pub interface: Option<u8>,
    /// USB manufacturer and product strings.
    pub description: Option<String>,
    /// What it is.
    pub role: Role,
}

fn role_text(r: Role) -> &'static str {
    match r {
        Role::L610At => "L610 AT port",
        Role::L610AtLikely => "L610 AT port (likely)",
        Role::L610Other => "L610, other interface",
        Role::Other => "",
    }
}

/// `l610 ports`.
pub fn run(out: &mut Out) -> Outcome {
    let ports = serialport::available_ports().map_err(|e| Failure {
        code: PORT,
        message: format!("cannot list serial ports: {e}"),
    })?;
    let rows: Vec<PortRow> = ports
        .into_iter()
        .map(|p| match p.port_type {
            SerialPortType::UsbPort(u) => PortRow {
                path: p.port_name,
                kind: "usb",
                vid: Some(format!("{:04x}", u.vid)),
                pid: Some(format!("{:04x}", u.pid)),
                interface: u.interface,
                description: match (u.manufacturer, u.product) {
                    (Some(m), Some(p)) => Some(format!("{m} {p}")),
                    (m, p) => m.or(p),
                },
                role: classify(u.vid, u.pid, u.interface),
            },
            other => PortRow {
                path: p.port_name,
                kind: match other {
                    SerialPortType::PciPort => "pci",
                    SerialPortType::BluetoothPort => "bluetooth",
                    _ => "unknown",
                },
                vid: None,
                pid: None,
                interface: None,
                description: None,
                role: Role::Other,
            },
        })
        .collect();
    if out.json {
        return out.json(&rows);
    }
    if rows.is_empty() {
        out.line(
            "no serial ports found (is the module plugged in and its driver, `option`, loaded?)",
        );
        return Ok(());
    }
    let mut table = crate::output::table(&["PORT", "TYPE", "USB ID", "IF", "DESCRIPTION", "L610"]);
    for r in &rows {
        table.add_row(vec![
            r.path.clone(),
            r.kind.to_owned(),
            match (&r.vid, &r.pid) {
                (Some(v), Some(p)) => format!("{v}:{p}"),
                _ => String::new(),
            },
            r.interface.map(|i| i.to_string()).unwrap_or_default(),
            r.description.clone().unwrap_or_default(),
            role_text(r.role).to_owned(),
        ]);
    }
    out.line(&table.to_string());
    if !rows
        .iter()
        .any(|r| matches!(r.role, Role::L610At | Role::L610AtLikely))
    {
        out.line(
            "no L610 AT port among them (USB 1782:4d10 interface 0, or 1782:4d11 interface 2)",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_the_l610_interfaces() {
        assert_eq!(classify(0x1782, 0x4d11, Some(2)), Role::L610At);
        assert_eq!(classify(0x1782, 0x4d10, Some(0)), Role::L610AtLikely);
        assert_eq!(classify(0x1782, 0x4d11, Some(6)), Role::L610Other);
        assert_eq!(classify(0x1782, 0x4d10, None), Role::L610Other);
        assert_eq!(classify(0x1782, 0x4d22, Some(2)), Role::Other);
        assert_eq!(classify(0x2cb7, 0x0104, Some(2)), Role::Other);
    }
}
