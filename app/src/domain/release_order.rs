//! Participants released in dependency order (seed 002): a topological order of
//! the services' dependencies, rollback in its reverse, and a cycle reported
//! with the services in it.

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graphmap::DiGraphMap;
use std::collections::{BTreeMap, BTreeSet};

/// A participant and the services it depends on. Dependencies on services
/// outside the train are already released and do not constrain the order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participant<'a> {
    pub service: &'a str,
    pub depends_on: Vec<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrderError {
    #[error("dependency cycle between {}", .0.join(" → "))]
    Cycle(Vec<String>),
    #[error("{0} is listed twice")]
    Duplicate(String),
}

/// The release order: every service after the services it depends on; among
/// services free to go, alphabetical, so the plan is the same on every run.
pub fn release_order<'a>(participants: &[Participant<'a>]) -> Result<Vec<&'a str>, OrderError> {
    let mut seen = BTreeSet::new();
    for p in participants {
        if !seen.insert(p.service) {
            return Err(OrderError::Duplicate(p.service.to_owned()));
        }
    }
    let mut graph: DiGraphMap<&str, ()> = DiGraphMap::new();
    for service in &seen {
        graph.add_node(service);
    }
    for p in participants {
        for dep in p.depends_on.iter().filter(|d| seen.contains(*d)) {
            graph.add_edge(dep, p.service, ());
        }
    }
    if toposort(&graph, None).is_err() {
        return Err(OrderError::Cycle(cycle_members(&graph)));
    }
    // Kahn's algorithm over the (acyclic) graph, taking the smallest name first.
    let mut indegree: BTreeMap<&str, usize> = graph
        .nodes()
        .map(|n| (n, graph.neighbors_directed(n, petgraph::Incoming).count()))
        .collect();
    let mut ready: BTreeSet<&str> = indegree
        .iter()
        .filter(|(_, d)| **d == 0)
        .map(|(n, _)| *n)
        .collect();
    let mut order = Vec::with_capacity(indegree.len());
    while let Some(next) = ready.pop_first() {
        order.push(next);
        for dependent in graph.neighbors_directed(next, petgraph::Outgoing) {
            let d = indegree
                .get_mut(dependent)
                .expect("every node has a degree");
            *d -= 1;
            if *d == 0 {
                ready.insert(dependent);
            }
        }
    }
    Ok(order)
}

/// During execution a participant may start releasing only when every
/// participant before it in the release order is released. Returns the first
/// one it waits for.
pub fn waits_for<'a>(order: &[(&'a str, bool)], service: &str) -> Option<&'a str> {
    order
        .iter()
        .take_while(|(s, _)| *s != service)
        .find(|(_, released)| !released)
        .map(|(s, _)| *s)
}

/// Rollback goes in the reverse of the release order.
pub fn rollback_order<'a>(participants: &[Participant<'a>]) -> Result<Vec<&'a str>, OrderError> {
    release_order(participants).map(|mut o| {
        o.reverse();
        o
    })
}

/// The services of the first cycle found, in a readable order that closes the
/// loop (`a → b → a`).
fn cycle_members(graph: &DiGraphMap<&str, ()>) -> Vec<String> {
    let mut components: Vec<Vec<&str>> = tarjan_scc(graph)
        .into_iter()
        .filter(|c| c.len() > 1 || graph.contains_edge(c[0], c[0]))
        .collect();
    components.sort();
    let Some(mut cycle) = components.into_iter().next() else {
        return Vec::new();
    };
    cycle.sort();
    // Walk the cycle from its smallest member along edges inside the component.
    let members: BTreeSet<&str> = cycle.iter().copied().collect();
    let start = cycle[0];
    let mut path = vec![start];
    let mut current = start;
    loop {
        let next = graph
            .neighbors_directed(current, petgraph::Outgoing)
            .filter(|n| members.contains(n))
            .min_by_key(|n| (*n != start, !path.contains(n), *n))
            .expect("a strongly connected component has an edge out of every member");
        path.push(next);
        if next == start || path.len() > members.len() + 1 {
            break;
        }
        current = next;
    }
    path.into_iter().map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p<'a>(service: &'a str, deps: &[&'a str]) -> Participant<'a> {
        Participant {
            service,
            depends_on: deps.to_vec(),
        }
    }

    #[test]
    fn the_seed_trains_release_curve_then_backtesting_then_scenario() {
        let train = [
            p("scenario", &["curve", "backtesting"]),
            p("backtesting", &["curve"]),
            p("curve", &[]),
        ];
        assert_eq!(
            release_order(&train).unwrap(),
            ["curve", "backtesting", "scenario"]
        );
        assert_eq!(
            rollback_order(&train).unwrap(),
            ["scenario", "backtesting", "curve"]
        );
    }

    #[test]
    fn dependencies_outside_the_train_do_not_constrain_it() {
        let train = [p("scenario", &["pricing"]), p("backtesting", &[])];
        assert_eq!(release_order(&train).unwrap(), ["backtesting", "scenario"]);
    }

    #[test]
    fn a_cycle_names_the_services_in_it() {
        let train = [
            p("a", &[]),
            p("b", &["a", "d"]),
            p("c", &["b"]),
            p("d", &["c"]),
        ];
        let err = release_order(&train).unwrap_err();
        assert_eq!(
            err,
            OrderError::Cycle(vec!["b".into(), "c".into(), "d".into(), "b".into()])
        );
        assert_eq!(err.to_string(), "dependency cycle between b → c → d → b");
        let selfish = [p("a", &["a"])];
        assert_eq!(
            release_order(&selfish).unwrap_err(),
            OrderError::Cycle(vec!["a".into(), "a".into()])
        );
    }

    #[test]
    fn a_participant_waits_for_the_unreleased_ones_before_it() {
        let order = [("curve", true), ("backtesting", false), ("scenario", false)];
        assert_eq!(waits_for(&order, "curve"), None);
        assert_eq!(waits_for(&order, "backtesting"), None);
        assert_eq!(waits_for(&order, "scenario"), Some("backtesting"));
    }

    #[test]
    fn a_service_listed_twice_is_refused() {
        assert_eq!(
            release_order(&[p("a", &[]), p("a", &[])]).unwrap_err(),
            OrderError::Duplicate("a".into())
        );
    }

    proptest! {
        /// For random acyclic graphs (edges only from lower to higher index),
        /// every dependency comes before its dependent, and nothing is lost.
        #[test]
        fn every_service_comes_after_its_dependencies(
            n in 1usize..12,
            edges in proptest::collection::vec((0usize..12, 0usize..12), 0..40)
        ) {
            let names: Vec<String> = (0..n).map(|i| format!("svc{i:02}")).collect();
            let mut deps: Vec<Vec<&str>> = vec![Vec::new(); n];
            for (a, b) in edges {
                let (a, b) = (a % n, b % n);
                if a < b { deps[b].push(&names[a]); }
            }
            let train: Vec<Participant> =
                names.iter().zip(&deps).map(|(s, d)| Participant { service: s, depends_on: d.clone() }).collect();
            let order = release_order(&train).unwrap();
            prop_assert_eq!(order.len(), n);
            let pos = |s: &str| order.iter().position(|o| *o == s).unwrap();
            for p in &train {
                for d in &p.depends_on {
                    prop_assert!(pos(d) < pos(p.service));
                }
            }
        }
    }
}
