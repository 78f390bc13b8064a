//! The traditional form of street names, derived from the simplified ones.

use std::collections::HashMap;

/// Simplified characters that are also ordinary traditional ones (or whose traditional form
/// depends on the word): left as they are.
const KEEP: &str = "松只面斗出才了表合板家克向别秋千回累志卷范致症困余郁系后征冲制干里并于闲咨";
/// The traditional form chosen where the table has two.
const PREFER: [(char, char); 8] = [
    ('启', '啟'),
    ('产', '產'),
    ('线', '線'),
    ('绣', '繡'),
    ('宁', '寧'),
    ('奖', '獎'),
    ('历', '歷'),
    ('发', '發'),
];

/// The traditional form of a simplified Chinese name, character by character, from the
/// exhibit's conversion table ([`crate::search`]); characters it does not know stay as they
/// are. A curator who finds a wrong character writes `name_zh_hant` in the file.
pub fn to_traditional(simplified: &str) -> String {
    thread_local! {
        static TABLE: HashMap<char, char> = traditional_table();
    }
    TABLE.with(|t| {
        simplified
            .chars()
            .map(|c| t.get(&c).copied().unwrap_or(c))
            .collect()
    })
}

fn traditional_table() -> HashMap<char, char> {
    let mut options: HashMap<char, Vec<char>> = HashMap::new();
    for (t, s) in crate::search::TRADITIONAL
        .iter()
        .zip(crate::search::SIMPLIFIED.iter())
    {
        for (tc, sc) in t.chars().zip(s.chars()) {
            if tc != sc {
                let o = options.entry(sc).or_default();
                if !o.contains(&tc) {
                    o.push(tc);
                }
            }
        }
    }
    let mut table: HashMap<char, char> = options
        .into_iter()
        .filter(|(s, o)| o.len() == 1 && !KEEP.contains(*s))
        .map(|(s, o)| (s, o[0]))
        .collect();
    table.extend(PREFER);
    table
}
