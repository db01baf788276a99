//! Sizes as people read them, and the size limit as operators write it.

const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];

/// `512 bytes`, `2.1 KiB`, `25 MiB`: binary units, one decimal when the
/// size is not a whole number of them.
pub fn label(bytes: u64) -> String {
    for (unit, size) in UNITS {
        if bytes >= size {
            return if bytes.is_multiple_of(size) {
                format!("{} {unit}", bytes / size)
            } else {
                format!("{:.1} {unit}", bytes as f64 / size as f64)
            };
        }
    }
    if bytes == 1 {
        "1 byte".to_owned()
    } else {
        format!("{bytes} bytes")
    }
}

/// `26214400`, `25MiB`, `25 MiB`, `512KiB`, `1GiB`, `100k`, `10M`: a positive
/// number of bytes (k, M and G are read as KiB, MiB and GiB).
pub fn parse(raw: &str) -> Result<u64, String> {
    let raw = raw.trim();
    let split = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
    let (digits, unit) = raw.split_at(split);
    let number: u64 = digits
        .parse()
        .map_err(|_| "must be a number of bytes, optionally with KiB, MiB or GiB".to_owned())?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" | "bytes" => 1,
        "k" | "kib" | "kb" => 1 << 10,
        "m" | "mib" | "mb" => 1 << 20,
        "g" | "gib" | "gb" => 1 << 30,
        other => return Err(format!("unknown unit {other:?}: use KiB, MiB or GiB")),
    };
    match number.checked_mul(factor) {
        Some(0) => Err("must be more than 0 bytes".to_owned()),
        Some(bytes) => Ok(bytes),
        None => Err("is too large".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_the_largest_whole_unit_or_with_one_decimal() {
        assert_eq!(label(0), "0 bytes");
        assert_eq!(label(1), "1 byte");
        assert_eq!(label(1023), "1023 bytes");
        assert_eq!(label(1024), "1 KiB");
        assert_eq!(label(2140), "2.1 KiB");
        assert_eq!(label(25 << 20), "25 MiB");
        assert_eq!(label(3 << 30), "3 GiB");
    }

    #[test]
    fn a_limit_is_written_in_bytes_or_binary_units() {
        assert_eq!(parse("26214400"), Ok(25 << 20));
        assert_eq!(parse("25MiB"), Ok(25 << 20));
        assert_eq!(parse("25 MiB"), Ok(25 << 20));
        assert_eq!(parse("512k"), Ok(512 << 10));
        assert_eq!(parse("1GiB"), Ok(1 << 30));
    }

    #[test]
    fn a_limit_of_nothing_or_of_an_unknown_unit_is_refused() {
        assert!(parse("0").unwrap_err().contains("more than 0"));
        assert!(parse("").is_err());
        assert!(parse("5 parsecs").unwrap_err().contains("unknown unit"));
        assert!(parse("-3").is_err());
        assert!(parse("99999999999999G").unwrap_err().contains("too large"));
    }
}
