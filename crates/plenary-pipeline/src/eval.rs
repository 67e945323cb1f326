//! Evaluations of what the pipeline derived: quotes against the archived parents they
//! quote, and thread parents against a generator's ground truth.

use std::io::BufRead;
use std::path::Path;

use plenary_store::Store;
use serde::Serialize;

use crate::error::{io_error, PipelineError, Result};

/// Agreement of first-level quotes with the archived parent (by headers) they quote.
#[derive(Serialize, Default)]
pub struct QuoteEval {
    /// Archived messages whose archived parent is known from their headers.
    pub replies_with_parent: usize,
    /// Of those, with a first-level quote carrying an attribution (the pairs judged).
    pub pairs: usize,
    /// Attribution names or addresses the parent's author.
    pub author: usize,
    /// Attribution date within three minutes of the parent's date (archives stamp
    /// arrival); when either side's offset is unknown, under some offset that is a
    /// multiple of 15 minutes, at most 14 h.
    pub date: usize,
    /// Pairs whose attribution has a date at all.
    pub dated: usize,
    /// At least 70 % of the quote's word shingles are in the parent's body.
    pub text: usize,
    pub author_rate: f64,
    pub date_rate: f64,
    pub text_rate: f64,
}

fn rate(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        (n as f64 / d as f64 * 10000.0).round() / 10000.0
    }
}

pub(crate) fn eval_quotes(store: &Store, list: Option<&str>) -> Result<QuoteEval> {
    use crate::reconstruct::utc_of;
    use plenary_people::{names_match, on_behalf_of};
    let lists: Vec<String> = match list {
        Some(l) => vec![plenary_store::list_slug(l)],
        None => store.lists()?.into_iter().map(|l| l.slug).collect(),
    };
    let mut e = QuoteEval::default();
    for l in lists {
        let msgs = store.analysed_messages(&l)?;
        let by_id: std::collections::HashMap<&str, usize> = msgs
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), i))
            .collect();
        for m in &msgs {
            let Some(p) = m
                .parent
                .as_deref()
                .and_then(|p| by_id.get(p))
                .map(|&i| &msgs[i])
            else {
                continue;
            };
            e.replies_with_parent += 1;
            let Some((q, a)) = m
                .quotes
                .iter()
                .skip(1)
                .find(|q| q.parent == Some(0))
                .and_then(|q| q.attribution.as_ref().map(|a| (q, a)))
            else {
                continue;
            };
            e.pairs += 1;
            let raw_name = a.normalized_name.as_deref().or(a.name.as_deref());
            let name = raw_name.map(|n| on_behalf_of(n).unwrap_or_else(|| n.to_string()));
            let same_name = match (&name, &p.author_name) {
                (Some(n), Some(pn)) => names_match(n, pn),
                _ => false,
            };
            let addr = a.address.as_deref().map(str::to_lowercase);
            let same_addr =
                addr.is_some() && addr == p.author_address.as_deref().map(str::to_lowercase);
            if same_name || same_addr {
                e.author += 1;
            }
            if let (Some(qd), Some(pd)) = (a.date.as_ref(), p.date) {
                e.dated += 1;
                if let Some((u, exact)) = utc_of(qd) {
                    // The quoting client writes the time in its own zone: without a
                    // written offset, the wall-clock minute must be the parent's minute
                    // under some real offset (a multiple of 15 minutes, at most 14 h).
                    let d = u - (pd - pd.rem_euclid(60));
                    // A parent dated without a zone (pipermail .txt) is only known up to its offset.
                    // Archives stamp arrival, which trails the sender's clock by up to a few
                    // minutes (pipermail .txt dates): allow three minutes either way.
                    let slack = 180;
                    let r = d.rem_euclid(900);
                    let ok = if !qd.has_time {
                        // a date without a time: the same calendar day somewhere on Earth
                        (u + 12 * 3600 - pd).abs() <= 26 * 3600
                    } else if exact && p.date_offset.is_some() {
                        (u - pd).abs() <= slack + 60
                    } else {
                        d.abs() <= 14 * 3600 + slack && (r <= slack + 60 || r >= 900 - slack)
                    };
                    if ok {
                        e.date += 1;
                    }
                }
            }
            let ptext = p.new_text.as_deref().unwrap_or("");
            if plenary_quotes::containment(&q.text, ptext) >= 0.7 {
                e.text += 1;
            }
        }
    }
    e.author_rate = rate(e.author, e.pairs);
    e.date_rate = rate(e.date, e.dated);
    e.text_rate = rate(e.text, e.pairs);
    Ok(e)
}

#[derive(Serialize)]
pub struct ThreadEval {
    /// Non-malformed messages in the truth file.
    pub messages: usize,
    /// Of those, found in the store.
    pub found: usize,
    /// Of those found, with the true parent (or none when the truth has none).
    pub agree: usize,
    pub ratio: f64,
}

fn strip(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string()
}

pub(crate) fn eval_threads(store: &Store, truth: &Path) -> Result<ThreadEval> {
    let parents: std::collections::HashMap<String, (Option<String>, Option<String>)> = store
        .parents()?
        .into_iter()
        .map(|r| (r.id, (r.parent, r.ghost_parent)))
        .collect();
    let f = std::fs::File::open(truth).map_err(io_error(truth))?;
    let mut e = ThreadEval {
        messages: 0,
        found: 0,
        agree: 0,
        ratio: 0.0,
    };
    for (n, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line.map_err(io_error(truth))?;
        let v: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| PipelineError::BadFile {
                path: truth.to_path_buf(),
                reason: format!("line {}: not JSON: {e}", n + 1),
            })?;
        if !v["malformed"].is_null() {
            continue;
        }
        let Some(id) = v["message_id"].as_str().map(strip) else {
            continue;
        };
        e.messages += 1;
        let want = v["parent"].as_str().map(strip);
        if let Some((p, g)) = parents.get(&id) {
            e.found += 1;
            let got = p.clone().or_else(|| g.clone());
            if got == want {
                e.agree += 1;
            }
        }
    }
    e.ratio = if e.messages > 0 {
        e.agree as f64 / e.messages as f64
    } else {
        0.0
    };
    Ok(e)
}
