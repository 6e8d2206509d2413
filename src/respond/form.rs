//! HTML form bodies: `application/x-www-form-urlencoded`, strict about UTF-8.

use percent_encoding::percent_decode;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("the form is not valid UTF-8")]
pub struct InvalidForm;

/// Decodes every `name=value` pair in order, keeping repeated names (checkbox groups).
/// Unlike lossy decoders, invalid UTF-8 is an error rather than silently replaced.
pub fn parse_form(body: &[u8]) -> Result<Vec<(String, String)>, InvalidForm> {
    body.split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = match pair.iter().position(|&b| b == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &pair[pair.len()..]),
            };
            Ok((decode(name)?, decode(value)?))
        })
        .collect()
}

fn decode(raw: &[u8]) -> Result<String, InvalidForm> {
    let spaced: Vec<u8> = raw
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    percent_decode(&spaced)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| InvalidForm)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pairs_in_order_with_repeats() {
        let fields = parse_form(b"a=1&b=hello+world&a=%C3%A9&empty=&flag").unwrap();
        assert_eq!(
            fields,
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "hello world".into()),
                ("a".into(), "é".into()),
                ("empty".into(), "".into()),
                ("flag".into(), "".into()),
            ]
        );
    }

    #[test]
    fn rejects_invalid_utf8() {
        assert_eq!(parse_form(b"a=%FF%FE"), Err(InvalidForm));
        assert_eq!(parse_form(b"a=\xff"), Err(InvalidForm));
    }
}
