//! How a number answer is written wherever it is shown or exported: whole numbers without a
//! decimal point, others as Rust prints them.

use std::fmt::{self, Write};

pub fn write_number(out: &mut impl Write, number: f64) -> fmt::Result {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        write!(out, "{}", number as i64)
    } else {
        write!(out, "{number}")
    }
}

pub fn format_number(number: f64) -> String {
    let mut out = String::new();
    let _ = write_number(&mut out, number);
    out
}

#[cfg(test)]
mod tests {
    use super::format_number;

    #[test]
    fn numbers_format_plainly() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_number(-1.0), "-1");
        assert_eq!(format_number(1e20), "100000000000000000000");
    }
}
