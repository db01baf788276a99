//! The catalog's dependency graph: refused when it has a cycle, and laid
//! out in layers of release order for the picture on the services page.

use crate::domain::release_order::{release_order, OrderError, Participant};
use std::collections::BTreeMap;

/// A service and the catalog's services it depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node<'a> {
    pub service: &'a str,
    pub depends_on: Vec<&'a str>,
}

/// The layers of the graph, in release order: the first holds the services
/// that depend on nothing in the catalog, each next one the services whose
/// dependencies all sit in earlier layers (as early as possible). A cycle is
/// refused with the services in it.
pub fn layers<'a>(nodes: &[Node<'a>]) -> Result<Vec<Vec<&'a str>>, OrderError> {
    let participants: Vec<Participant<'a>> = nodes
        .iter()
        .map(|n| Participant {
            service: n.service,
            depends_on: n.depends_on.clone(),
        })
        .collect();
    let order = release_order(&participants)?;
    let deps: BTreeMap<&str, &[&str]> = nodes
        .iter()
        .map(|n| (n.service, n.depends_on.as_slice()))
        .collect();
    let mut layer_of: BTreeMap<&str, usize> = BTreeMap::new();
    let mut layers: Vec<Vec<&'a str>> = Vec::new();
    for service in order {
        let layer = deps[service]
            .iter()
            .filter_map(|d| layer_of.get(d))
            .map(|l| l + 1)
            .max()
            .unwrap_or(0);
        layer_of.insert(service, layer);
        if layers.len() <= layer {
            layers.resize_with(layer + 1, Vec::new);
        }
        layers[layer].push(service);
    }
    Ok(layers)
}

/// Where each box and arrow of the picture goes, in pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub width: u32,
    pub height: u32,
    pub boxes: Vec<Placed>,
    /// From the dependency's box to the box of the service that needs it.
    pub arrows: Vec<Arrow>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    pub service: String,
    pub x: u32,
    pub y: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    pub from: (u32, u32),
    pub to: (u32, u32),
}

pub const BOX_WIDTH: u32 = 168;
pub const BOX_HEIGHT: u32 = 30;
const COLUMN_GAP: u32 = 56;
const ROW_GAP: u32 = 12;
const MARGIN: u32 = 8;

/// One column per layer, left to right in release order; within a column,
/// the services in their release order, top to bottom.
pub fn layout(nodes: &[Node<'_>]) -> Result<Layout, OrderError> {
    let layers = layers(nodes)?;
    let mut at: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    let mut boxes = Vec::new();
    for (column, services) in layers.iter().enumerate() {
        for (row, service) in services.iter().enumerate() {
            let x = MARGIN + column as u32 * (BOX_WIDTH + COLUMN_GAP);
            let y = MARGIN + row as u32 * (BOX_HEIGHT + ROW_GAP);
            at.insert(service, (x, y));
            boxes.push(Placed {
                service: (*service).to_owned(),
                x,
                y,
            });
        }
    }
    let arrows = nodes
        .iter()
        .flat_map(|n| n.depends_on.iter().map(move |d| (*d, n.service)))
        .filter_map(|(dep, service)| {
            let (fx, fy) = at.get(dep)?;
            let (tx, ty) = at[service];
            Some(Arrow {
                from: (fx + BOX_WIDTH, fy + BOX_HEIGHT / 2),
                to: (tx, ty + BOX_HEIGHT / 2),
            })
        })
        .collect();
    let columns = layers.len() as u32;
    let rows = layers.iter().map(Vec::len).max().unwrap_or(0) as u32;
    Ok(Layout {
        width: 2 * MARGIN + columns * BOX_WIDTH + columns.saturating_sub(1) * COLUMN_GAP,
        height: 2 * MARGIN + rows * BOX_HEIGHT + rows.saturating_sub(1) * ROW_GAP,
        boxes,
        arrows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node<'a>(service: &'a str, depends_on: &[&'a str]) -> Node<'a> {
        Node {
            service,
            depends_on: depends_on.to_vec(),
        }
    }

    #[test]
    fn services_sit_one_layer_after_their_last_dependency() {
        let nodes = [
            node("web", &["api", "auth"]),
            node("api", &["db"]),
            node("auth", &[]),
            node("db", &[]),
            node("cli", &["outside-the-catalog"]),
        ];
        assert_eq!(
            layers(&nodes).unwrap(),
            vec![vec!["auth", "cli", "db"], vec!["api"], vec!["web"]]
        );
    }

    #[test]
    fn a_cycle_is_refused_naming_its_services() {
        let nodes = [
            node("a", &["c"]),
            node("b", &["a"]),
            node("c", &["b"]),
            node("d", &[]),
        ];
        let err = layers(&nodes).unwrap_err().to_string();
        let (_, members) = err.split_once("between ").expect("the services follow");
        for s in ["a", "b", "c"] {
            assert!(members.contains(s), "{err}");
        }
        assert!(!members.contains('d'), "{err}");
    }

    #[test]
    fn arrows_run_from_each_dependency_to_its_dependent_left_to_right() {
        let nodes = [
            node("api", &["db"]),
            node("db", &[]),
            node("web", &["api", "db"]),
        ];
        let l = layout(&nodes).unwrap();
        assert_eq!(l.boxes.len(), 3);
        assert_eq!(l.arrows.len(), 3);
        assert!(l.arrows.iter().all(|a| a.from.0 < a.to.0));
        assert!(l
            .boxes
            .iter()
            .all(|b| b.x + BOX_WIDTH <= l.width && b.y + BOX_HEIGHT <= l.height));
        assert_eq!(layout(&[]).unwrap().boxes, vec![]);
    }
}
