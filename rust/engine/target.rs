//! Choice of the node a hot page should be promoted to.

/// The target node for a page on node `page_nid` accessed from node
/// `accessing` (`None` when the reporter does not know, e.g. a hardware
/// sampler):
///
/// * the reference node is `accessing`, or `page_nid` when it is `None`;
/// * if the reference node is in `top_tier`, it is the target;
/// * otherwise the target is the top-tier node nearest to it by
///   `distance(from, to)` (the kernel's `node_distance`), ties going to the
///   lowest node id.
///
/// Every node listed in `top_tier` is a valid target, whether or not it has
/// CPUs. Returns `None` only when `top_tier` is empty. O(top_tier.len()).
pub fn select_target<F>(
    accessing: Option<u32>,
    page_nid: u32,
    top_tier: &[u32],
    mut distance: F,
) -> Option<u32>
where
    F: FnMut(u32, u32) -> u32,
{
    let from = accessing.unwrap_or(page_nid);
    if top_tier.contains(&from) {
        return Some(from);
    }
    let mut best: Option<(u32, u32)> = None;
    for &to in top_tier {
        let d = distance(from, to);
        let better = match best {
            None => true,
            Some((bd, bn)) => d < bd || (d == bd && to < bn),
        };
        if better {
            best = Some((d, to));
        }
    }
    best.map(|(_, nid)| nid)
}
