//! Command-line counts that must be 1 or more (`collect -c`, `prune --keep-days`,
//! `serve --max-connections`): refused in words, where clap's ranged parser would print
//! `0 is not in 1..18446744073709551615`.

use std::str::FromStr;

/// A whole number of at least 1, of any unsigned width.
pub fn at_least_one<T: FromStr + PartialOrd + From<u8>>(text: &str) -> Result<T, String> {
    match text.parse::<T>() {
        Ok(n) if n >= T::from(1) => Ok(n),
        _ => Err("expected a whole number, 1 or more".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::at_least_one;

    #[test]
    fn takes_one_and_more_and_refuses_zero_signs_and_overflow() {
        assert_eq!(at_least_one::<u64>("1"), Ok(1));
        assert_eq!(at_least_one::<u16>("65535"), Ok(65535));
        for bad in ["0", "-1", "", "1.5", "65536"] {
            assert!(at_least_one::<u16>(bad).is_err(), "{bad}");
        }
    }
}
