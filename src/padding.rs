//! Padding before sealing, so that a ciphertext's length says little about what it holds:
//! the plaintext, prefixed with its length, is filled with zeros up to the next size bucket
//! (4 KiB, then powers of two).

/// The smallest bucket: a whole response of the shipped questionnaire fits in it.
const MIN_BUCKET: usize = 4096;
const LENGTH_PREFIX: usize = 4;

/// The plaintext prefixed with its length and zero-filled to its bucket.
pub fn pad(plaintext: &[u8]) -> Vec<u8> {
    let needed = plaintext.len() + LENGTH_PREFIX;
    let bucket = needed.next_power_of_two().max(MIN_BUCKET);
    let mut padded = Vec::with_capacity(bucket);
    // Plaintexts here are far below 4 GiB; a longer one would not fit a request body.
    padded.extend_from_slice(&(plaintext.len() as u32).to_le_bytes());
    padded.extend_from_slice(plaintext);
    padded.resize(bucket, 0);
    padded
}

/// The plaintext inside `padded`, or `None` when it is not padded this way.
pub fn unpad(padded: &[u8]) -> Option<&[u8]> {
    let prefix: [u8; LENGTH_PREFIX] = padded.get(..LENGTH_PREFIX)?.try_into().ok()?;
    let len = u32::from_le_bytes(prefix) as usize;
    let body = padded.get(LENGTH_PREFIX..LENGTH_PREFIX.checked_add(len)?)?;
    let rest = &padded[LENGTH_PREFIX + len..];
    (padded.len() >= MIN_BUCKET && rest.iter().all(|b| *b == 0)).then_some(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn different_lengths_share_a_bucket_and_round_trip() {
        let short = pad(b"{}");
        let long = pad(&[b'x'; 3000]);
        assert_eq!(short.len(), MIN_BUCKET);
        assert_eq!(long.len(), MIN_BUCKET);
        assert_eq!(unpad(&short), Some(&b"{}"[..]));
        assert_eq!(unpad(&long), Some(&[b'x'; 3000][..]));
        assert_eq!(pad(&[1; 5000]).len(), 8192);
        assert_eq!(unpad(b"{\"q\":1}"), None);
    }
}
