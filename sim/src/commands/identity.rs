//! Who the module is: manufacturer, model, firmware, IMEI, IMSI, ICCID, in every form the
//! clients send (`AT+CGSN` and `AT+CGSN=1`, `AT+CIMI` and `AT+CIMI?`, ...).

use super::{Final, Form, Outcome, Reply};

pub(crate) const MANUFACTURER: &str = "Fibocom";
pub(crate) const MODEL: &str = "L610";
/// The firmware of the hardware-validated L610-CN-62-36 in AT-REFERENCE.md.
pub(crate) const FIRMWARE: &str = "16000.1208.00.86.02.02";
/// A well-formed IMEI (the last digit is the Luhn check digit).
pub(crate) const IMEI: &str = "867959030123458";
/// China Mobile (MCC 460, MNC 00), matching `+COPS`.
pub(crate) const IMSI: &str = "460001234567890";
pub(crate) const ICCID: &str = "89860012345678901234";

pub(super) fn execute(name: &str, form: Form) -> Outcome {
    match (name, form) {
        ("+CGMI" | "+GMI", Form::Exec) => Reply::line(MANUFACTURER).into(),
        ("+CGMM" | "+GMM", Form::Exec) => Reply::line(MODEL).into(),
        ("+CGMR" | "+GMR", Form::Exec) => Reply::line(FIRMWARE).into(),
        // 3GPP 27.007: the bare form answers the IMEI alone; `=1` asks for it by type.
        ("+CGSN" | "+GSN", Form::Exec) => Reply::line(IMEI).into(),
        ("+CGSN", Form::Set(a)) if a.len() == 1 => match a[0].int_in(0..=1) {
            Some(_) => Reply::line(format!("+CGSN: \"{IMEI}\"")).into(),
            None => Final::Error.into(),
        },
        ("+CGSN", Form::Test) => Reply::line("+CGSN: (0-1)").into(),
        // No documented read form; the module answers it like the execute form.
        ("+CIMI", Form::Exec | Form::Read) => Reply::line(IMSI).into(),
        ("+CCID" | "+ICCID", Form::Exec | Form::Read) => {
            Reply::line(format!("+CCID: {ICCID}")).into()
        }
        (_, Form::Test) => Final::Ok.into(),
        _ => Final::Error.into(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn imei_luhn() {
        let digits: Vec<u32> = super::IMEI
            .chars()
            .map(|c| c.to_digit(10).unwrap())
            .collect();
        let sum: u32 = digits
            .iter()
            .rev()
            .enumerate()
            .map(|(i, &d)| {
                if i % 2 == 1 {
                    let x = d * 2;
                    x / 10 + x % 10
                } else {
                    d
                }
            })
            .sum();
        assert_eq!(sum % 10, 0);
    }
}
