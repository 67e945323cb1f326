//! `plenary eval threads --truth FILE`: how many stored messages have the
//! parent the generator says they have.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Subcommand;
use serde::Serialize;

#[derive(Subcommand)]
pub enum EvalCommand {
    /// Compare stored thread parents with a generator's truth.jsonl.
    Threads {
        #[arg(long)]
        truth: PathBuf,
        #[arg(long)]
        json: bool,
    },
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

pub fn run(data: &Path, what: EvalCommand) -> Result<()> {
    match what {
        EvalCommand::Threads { truth, json } => {
            let e = eval_threads(data, &truth)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&e)?);
            } else {
                println!(
                    "{} of {} messages have their true parent ({:.2} %); {} found in the store",
                    e.agree,
                    e.messages,
                    e.ratio * 100.0,
                    e.found
                );
            }
            Ok(())
        }
    }
}

fn strip(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string()
}

pub fn eval_threads(data: &Path, truth: &Path) -> Result<ThreadEval> {
    let store = plenary_store::Store::open(data)?;
    let parents: std::collections::HashMap<String, (Option<String>, Option<String>)> = store
        .parents()?
        .into_iter()
        .map(|r| (r.id, (r.parent, r.ghost_parent)))
        .collect();
    let f = std::fs::File::open(truth).with_context(|| format!("opening {}", truth.display()))?;
    let mut e = ThreadEval {
        messages: 0,
        found: 0,
        agree: 0,
        ratio: 0.0,
    };
    for (n, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line?;
        let v: serde_json::Value = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not JSON", truth.display(), n + 1))?;
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
