//! Server-drawn SVG charts, readable without JavaScript; every page that shows
//! one has a table beside it.

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A horizontal bar chart with labelled axis, readable without JavaScript.
pub(crate) fn bar_chart(title: &str, unit: &str, bars: &[(String, f64, String)]) -> String {
    let max = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max).max(1.0);
    let row_h = 26.0;
    let label_w = 230.0;
    let bar_w = 360.0;
    let h = 40.0 + row_h * bars.len() as f64 + 30.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"chart-title\" viewBox=\"0 0 {} {h}\" class=\"chart\"><title id=\"chart-title\">{}</title>",
        label_w + bar_w + 150.0,
        esc(title)
    );
    for (i, (label, v, text)) in bars.iter().enumerate() {
        let y = 30.0 + row_h * i as f64;
        let w = (v / max * bar_w).max(if *v > 0.0 { 1.0 } else { 0.0 });
        let short: String = label.chars().take(34).collect();
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"label\">{}</text><rect x=\"{}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" class=\"bar{}\"/><text x=\"{}\" y=\"{}\" class=\"value\">{}</text>",
            label_w - 8.0,
            y + 17.0,
            esc(&short),
            label_w,
            y + 4.0,
            row_h - 8.0,
            if label == "unknown" { " unknown" } else { "" },
            label_w + w + 6.0,
            y + 17.0,
            esc(text)
        ));
    }
    let axis_y = 30.0 + row_h * bars.len() as f64 + 6.0;
    s.push_str(&format!(
        "<line x1=\"{label_w}\" y1=\"{axis_y}\" x2=\"{}\" y2=\"{axis_y}\" class=\"axis\"/><text x=\"{label_w}\" y=\"{}\" class=\"label\">0</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"label\">{} {}</text></svg>",
        label_w + bar_w,
        axis_y + 16.0,
        label_w + bar_w,
        axis_y + 16.0,
        max,
        esc(unit)
    ));
    s
}

/// The reply network drawn on a circle (the 40 most active people), edges as lines whose
/// width grows with the replies; readable without JavaScript, with a table beside it.
/// A name as a chart label: whole up to 28 characters, else cut with "…".
fn short_name(name: &str) -> String {
    if name.chars().count() <= 28 {
        return name.to_string();
    }
    let mut s: String = name.chars().take(27).collect();
    s.push('…');
    s
}

pub(crate) fn network_svg(n: &plenary_people::network::Network) -> String {
    let shown: Vec<&plenary_people::network::Node> = n.nodes.iter().take(40).collect();
    let (cx, cy, r) = (320.0_f64, 300.0_f64, 210.0_f64);
    let pos: std::collections::HashMap<&str, (f64, f64)> = shown
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let a = i as f64 / shown.len().max(1) as f64 * std::f64::consts::TAU
                - std::f64::consts::FRAC_PI_2;
            (node.id.as_str(), (cx + r * a.cos(), cy + r * a.sin()))
        })
        .collect();
    let max_w = n.edges.iter().map(|e| e.weight).max().unwrap_or(1).max(1) as f64;
    // Labels go outside the circle on both sides: the view box leaves 190
    // units either side of it, room for 28 characters at 13 px.
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"net-title net-desc\" viewBox=\"-190 0 1020 600\" class=\"chart network\"><title id=\"net-title\">Who answers whom</title><desc id=\"net-desc\">{} people on a circle, a line for each pair who replied to each other, thicker for more replies; the table below lists the same replies.</desc>",
        shown.len()
    );
    for e in &n.edges {
        if let (Some(a), Some(b)) = (pos.get(e.source.as_str()), pos.get(e.target.as_str())) {
            s.push_str(&format!(
                "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" class=\"edge\" stroke-width=\"{:.1}\"><title>{} replies</title></line>",
                a.0, a.1, b.0, b.1, 0.8 + 5.0 * e.weight as f64 / max_w, e.weight
            ));
        }
    }
    for node in &shown {
        let (x, y) = pos[node.id.as_str()];
        let anchor = if x < cx - 1.0 { "end" } else { "start" };
        let dx = if x < cx - 1.0 { -8.0 } else { 8.0 };
        s.push_str(&format!(
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\" class=\"bar\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" class=\"label\">{}</text>",
            3.0 + (node.messages as f64).sqrt().min(9.0),
            x + dx,
            y + 4.0,
            esc(&short_name(&node.name))
        ));
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn network_names_are_whole() {
        assert_eq!(
            super::short_name("Wolfgang Kleinwächter"),
            "Wolfgang Kleinwächter"
        );
        let long = "Anriette Esterhuysen-Someone Else Entirely";
        assert!(super::short_name(long).ends_with('…'));
        assert_eq!(super::short_name(long).chars().count(), 28);
    }
}
