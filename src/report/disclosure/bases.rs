//! Bases: how many answers a figure needs. Percentages, "% agree" and scores need at least k
//! substantive answers ("don't know" is not one); a mean needs k numbers, a median and
//! quartiles 2k (with fewer, they are close to individual values). Otherwise the page says
//! "too few answers".

/// Whether percentages and scores may be computed on `base` substantive answers.
pub fn percentages(base: u64, min_group_size: u32) -> bool {
    base >= u64::from(min_group_size)
}

/// Whether a mean may be given over `count` numbers.
pub fn mean(count: u64, min_group_size: u32) -> bool {
    count >= u64::from(min_group_size)
}

/// Whether a median and quartiles may be given over `count` numbers.
pub fn quartiles(count: u64, min_group_size: u32) -> bool {
    count >= 2 * u64::from(min_group_size)
}
