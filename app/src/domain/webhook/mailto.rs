//! The recipients of an e-mail subscription, written as a `mailto:` URI
//! (RFC 6068): `mailto:release-managers@example.com,platform-team@example.com`.
//!
//! Only the recipient list is taken: header fields (`?subject=…`, `?cc=…`)
//! are refused, since Trainyard writes each message itself. Addresses may
//! be percent-encoded, as the RFC allows; each must have a plausible
//! `local@domain` shape (a dot-atom local part, a domain of at least two
//! labels), which catches typos without claiming the mailbox exists: the
//! relay is what knows that. Repeats are dropped, and the list is written
//! back in one normal form, which is what the subscription keeps.

/// The most recipients one subscription may list: past this, a mailing
/// list on the relay's side is the better tool.
pub const MAX_RECIPIENTS: usize = 50;
/// The longest `mailto:` URI taken, as for any subscription URL.
const MAX_URI: usize = 2000;
/// RFC 5321's limits on a path's parts.
const MAX_LOCAL: usize = 64;
const MAX_DOMAIN: usize = 253;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipients(Vec<String>);

/// Whether `raw` is written as a `mailto:` URI (the scheme in any case).
pub fn is_mailto(raw: &str) -> bool {
    raw.trim()
        .get(..7)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("mailto:"))
}

impl Recipients {
    /// The recipients `raw` lists; a refusal names the address at fault.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.chars().count() > MAX_URI {
            return Err("a mailto: URI is at most 2,000 characters".to_owned());
        }
        if !is_mailto(raw) {
            return Err(format!("{raw:?} is not a mailto: URI"));
        }
        let list = &raw[7..];
        if list.contains(['?', '#']) {
            return Err(
                "list only recipients after mailto: (no ?subject= or other fields: Trainyard \
                 writes each message)"
                    .to_owned(),
            );
        }
        let mut addresses: Vec<String> = Vec::new();
        for piece in list.split(',') {
            let address = decoded(piece.trim())?;
            if address.is_empty() {
                continue;
            }
            check_address(&address)?;
            if !addresses.iter().any(|a| a.eq_ignore_ascii_case(&address)) {
                addresses.push(address);
            }
        }
        if addresses.is_empty() {
            return Err(
                "name at least one recipient: mailto:release-managers@example.com".to_owned(),
            );
        }
        if addresses.len() > MAX_RECIPIENTS {
            return Err(format!(
                "a mailto: lists at most {MAX_RECIPIENTS} recipients, not {} (a mailing list on \
                 the relay reaches more)",
                addresses.len()
            ));
        }
        Ok(Self(addresses))
    }

    pub fn addresses(&self) -> &[String] {
        &self.0
    }

    /// The normal form: `mailto:` and the addresses, comma-separated,
    /// percent-encoded where RFC 6068 asks it.
    pub fn mailto(&self) -> String {
        let encoded: Vec<String> = self.0.iter().map(|a| encoded(a)).collect();
        format!("mailto:{}", encoded.join(","))
    }
}

/// `piece` with its `%XX` escapes decoded.
fn decoded(piece: &str) -> Result<String, String> {
    let bytes = piece.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = piece
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(byte) => out.push(byte),
                None => {
                    return Err(format!(
                        "{piece:?} has a % that is not followed by two hex digits"
                    ))
                }
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("{piece:?} does not decode to text"))
}

/// Refuses what cannot be a mailbox: one `@`, a dot-atom local part and a
/// domain of letters, digits and hyphens with at least one dot.
fn check_address(address: &str) -> Result<(), String> {
    let wrong = |why: &str| {
        Err(format!(
            "{address:?} is not an e-mail address ({why}): write local@domain, as in \
             release-managers@example.com"
        ))
    };
    let Some((local, domain)) = address.split_once('@') else {
        return wrong("no @");
    };
    if domain.contains('@') {
        return wrong("more than one @");
    }
    if local.is_empty() || local.len() > MAX_LOCAL {
        return wrong("the part before @ is 1 to 64 characters");
    }
    if !local.chars().all(is_atext_or_dot)
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
    {
        return wrong("the part before @ has a character or dot out of place");
    }
    if domain.is_empty() || domain.len() > MAX_DOMAIN {
        return wrong("the domain is 1 to 253 characters");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        (1..=63).contains(&l.len())
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) {
        return wrong("the domain is names separated by dots, such as example.com");
    }
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return wrong("the domain is a name, not an address");
    }
    Ok(())
}

/// RFC 5322's `atext`, and the dot that joins atoms.
fn is_atext_or_dot(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c)
}

/// `address` as it may stand in a `mailto:` URI: what is neither
/// unreserved nor one of RFC 6068's `some-delims` (nor `@`) is escaped.
fn encoded(address: &str) -> String {
    address
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-._~!$'()*+;:@".contains(c) {
                c.to_string()
            } else {
                format!("%{:02X}", c as u32)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_of_recipients_parses_into_its_addresses() {
        let r =
            Recipients::parse(" mailto:release-managers@example.com,platform-team@example.com ")
                .unwrap();
        assert_eq!(
            r.addresses(),
            ["release-managers@example.com", "platform-team@example.com"]
        );
        assert_eq!(
            r.mailto(),
            "mailto:release-managers@example.com,platform-team@example.com"
        );
        assert!(Recipients::parse("MAILTO:a@example.com").is_ok());
    }

    #[test]
    fn percent_escapes_decode_and_the_normal_form_parses_back() {
        let r = Recipients::parse("mailto:ops%2Bdeploy@example.com,%22odd%7Cone%22@x.example")
            .unwrap_err();
        assert!(r.contains(r#""\"odd|one\"@x.example""#), "{r}");
        let r = Recipients::parse("mailto:ops%2Bdeploy@example.com,a%3Fb@example.org").unwrap();
        assert_eq!(r.addresses(), ["ops+deploy@example.com", "a?b@example.org"]);
        assert_eq!(
            r.mailto(),
            "mailto:ops+deploy@example.com,a%3Fb@example.org"
        );
        assert_eq!(Recipients::parse(&r.mailto()).unwrap(), r);
    }

    #[test]
    fn repeats_and_blanks_are_dropped() {
        let r = Recipients::parse("mailto:a@example.com,,A@Example.com, b@example.com,").unwrap();
        assert_eq!(r.addresses(), ["a@example.com", "b@example.com"]);
        assert!(Recipients::parse("mailto:")
            .unwrap_err()
            .contains("at least one"));
        assert!(Recipients::parse("mailto:, ,").is_err());
    }

    #[test]
    fn each_refusal_names_the_address_at_fault() {
        for bad in [
            "ops",
            "ops@",
            "@example.com",
            "ops@example",
            "ops@@example.com",
            "a@b@example.com",
            ".ops@example.com",
            "o..ps@example.com",
            "ops@-example.com",
            "ops@exa_mple.com",
            "ops@10.0.0.1",
            "ops@[10.0.0.1]",
            "op s@example.com",
            "opé@example.com",
        ] {
            let err = Recipients::parse(&format!("mailto:good@example.com,{bad}")).expect_err(bad);
            assert!(err.contains(&format!("{bad:?}")), "{bad}: {err}");
        }
        let long = format!("mailto:{}@example.com", "x".repeat(65));
        assert!(Recipients::parse(&long).unwrap_err().contains("1 to 64"));
    }

    #[test]
    fn header_fields_and_other_schemes_are_refused() {
        assert!(Recipients::parse("mailto:a@example.com?subject=hi")
            .unwrap_err()
            .contains("subject"));
        assert!(Recipients::parse("mailto:a@example.com#x").is_err());
        assert!(Recipients::parse("https://example.com/")
            .unwrap_err()
            .contains("not a mailto:"));
        assert!(Recipients::parse("mailto:a%zz@example.com")
            .unwrap_err()
            .contains("hex"));
    }

    #[test]
    fn at_most_fifty_recipients() {
        let list = |n: usize| {
            let all: Vec<String> = (0..n).map(|i| format!("r{i}@example.com")).collect();
            format!("mailto:{}", all.join(","))
        };
        assert_eq!(Recipients::parse(&list(50)).unwrap().addresses().len(), 50);
        let err = Recipients::parse(&list(51)).unwrap_err();
        assert!(err.contains("at most 50") && err.contains("51"), "{err}");
    }

    #[test]
    fn only_the_mailto_scheme_is_mailto() {
        assert!(is_mailto(" mailto:a@example.com"));
        assert!(is_mailto("MailTo:a@example.com"));
        assert!(!is_mailto("https://example.com/mailto:"));
        assert!(!is_mailto("mail"));
        assert!(!is_mailto("mailtö:a"));
    }
}
