//! Stepping a list on screen towards a new one a few entries at a time: the map's buttons
//! follow a new layout over several frames, since creating or removing hundreds of
//! buttons in the frame that ends a gesture would hold that frame for tens of milliseconds.
//!
//! ```
//! use lilong_core::geometry::pin_steps::step;
//!
//! let shown = ["a", "b", "c"];
//! let target = ["b", "x", "y", "z"];
//! // Kept ones stay, two new ones come, two gone ones go.
//! let (next, done) = step(&target, &shown, 2, |k| *k);
//! assert_eq!(next, ["b", "x", "y"]);
//! assert!(!done);
//! let (next, done) = step(&target, &next, 2, |k| *k);
//! assert_eq!(next, target);
//! assert!(done);
//! ```

use std::collections::HashSet;
use std::hash::Hash;

/// One step from `shown` towards `target` (entries told apart by `key`): the entries of
/// `target` already shown, in `target`'s order, with up to `n` new ones; then those no
/// longer in `target`, less `n` of them. Also whether `target` is reached.
pub fn step<T: Clone, K: Eq + Hash>(
    target: &[T],
    shown: &[T],
    n: usize,
    key: impl Fn(&T) -> K,
) -> (Vec<T>, bool) {
    let on: HashSet<K> = shown.iter().map(&key).collect();
    let wanted: HashSet<K> = target.iter().map(&key).collect();
    let mut out = Vec::with_capacity(target.len());
    let (mut added, mut done) = (0, true);
    for p in target {
        if on.contains(&key(p)) {
            out.push(p.clone());
        } else if added < n {
            out.push(p.clone());
            added += 1;
        } else {
            done = false;
        }
    }
    let mut removed = 0;
    for p in shown {
        if !wanted.contains(&key(p)) {
            if removed < n {
                removed += 1;
            } else {
                out.push(p.clone());
                done = false;
            }
        }
    }
    (out, done)
}

#[cfg(test)]
mod tests {
    use super::step;

    #[test]
    fn a_new_layout_is_reached_in_bounded_steps_keeping_the_kept_entries() {
        let shown: Vec<(String, usize)> = (0..100).map(|i| (format!("a{i}"), i)).collect();
        // Half kept (with new values), 200 new, 50 gone.
        let target: Vec<(String, usize)> = (50..300).map(|i| (format!("a{i}"), i + 1000)).collect();
        let mut now = shown.clone();
        let mut steps = 0;
        loop {
            let (next, done) = step(&target, &now, 40, |p| p.0.clone());
            steps += 1;
            // Never more than 40 created or removed in one step.
            let old: std::collections::HashSet<&str> = now.iter().map(|p| p.0.as_str()).collect();
            let new: std::collections::HashSet<&str> = next.iter().map(|p| p.0.as_str()).collect();
            assert!(new.difference(&old).count() <= 40 && old.difference(&new).count() <= 40);
            // A kept entry is there at every step.
            assert!((50..100).all(|i| new.contains(format!("a{i}").as_str())));
            now = next;
            if done {
                break;
            }
        }
        assert_eq!(now, target);
        assert_eq!(steps, 5); // 200 new at 40 a step
        assert_eq!(
            step(&target, &target, 1, |p| p.0.clone()),
            (target.clone(), true)
        );
    }
}
