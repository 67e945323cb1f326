//! Who answers whom: a directed graph of people weighted by replies, as JSON and GraphML.

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct Node {
    pub id: String,
    pub name: String,
    /// Messages written in the scope.
    pub messages: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct Edge {
    /// The person who replied.
    pub source: String,
    /// The person replied to.
    pub target: String,
    pub weight: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default, schemars::JsonSchema)]
pub struct Network {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// From (author id, author name, replied-to author id) per message; replies to oneself
/// are kept out of the edges.
pub fn build(messages: &[(String, String, Option<String>)]) -> Network {
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    let mut edges: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (id, name, to) in messages {
        nodes
            .entry(id.clone())
            .or_insert_with(|| Node {
                id: id.clone(),
                name: name.clone(),
                messages: 0,
            })
            .messages += 1;
        if let Some(t) = to {
            if t != id {
                *edges.entry((id.clone(), t.clone())).or_default() += 1;
            }
        }
    }
    let mut nodes: Vec<Node> = nodes.into_values().collect();
    nodes.sort_by(|a, b| b.messages.cmp(&a.messages).then_with(|| a.id.cmp(&b.id)));
    let mut edges: Vec<Edge> = edges
        .into_iter()
        .map(|((source, target), weight)| Edge {
            source,
            target,
            weight,
        })
        .collect();
    edges.sort_by(|a, b| {
        b.weight
            .cmp(&a.weight)
            .then_with(|| a.source.cmp(&b.source))
    });
    Network { nodes, edges }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Network {
    /// GraphML (one `graph`, nodes with name and message count, weighted edges).
    pub fn to_graphml(&self) -> String {
        let mut s = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n  <key id=\"messages\" for=\"node\" attr.name=\"messages\" attr.type=\"int\"/>\n  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"int\"/>\n  <graph id=\"replies\" edgedefault=\"directed\">\n",
        );
        for n in &self.nodes {
            s.push_str(&format!(
                "    <node id=\"{}\"><data key=\"name\">{}</data><data key=\"messages\">{}</data></node>\n",
                xml_escape(&n.id),
                xml_escape(&n.name),
                n.messages
            ));
        }
        for (i, e) in self.edges.iter().enumerate() {
            s.push_str(&format!(
                "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\"><data key=\"weight\">{}</data></edge>\n",
                xml_escape(&e.source),
                xml_escape(&e.target),
                e.weight
            ));
        }
        s.push_str("  </graph>\n</graphml>\n");
        s
    }
}
