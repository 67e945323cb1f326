//! `eval`: measures of what the pipeline derived.

use std::path::Path;

use anyhow::{Context, Result};
use plenary_pipeline::{Archive, ImportOptions, NoProgress};

use super::open;
use crate::cli::EvalCommand;
use crate::output::emit_diagnostic;

pub(crate) fn eval(data: &Path, what: EvalCommand) -> Result<()> {
    match what {
        EvalCommand::People {
            truth,
            from_strings,
            gold: Some(gold),
            json,
        } if truth.is_none() && from_strings.is_none() => {
            emit_diagnostic(&open(data)?.eval_people_gold(&gold)?, json)
        }
        EvalCommand::People {
            truth,
            from_strings,
            json,
            ..
        } => {
            let e = match (truth, from_strings) {
                (Some(t), _) => open(data)?.eval_people(&t)?,
                (None, Some(f)) => {
                    let text = std::fs::read_to_string(&f)
                        .with_context(|| format!("reading {}", f.display()))?;
                    plenary_people::eval::eval_from_strings(&text)
                }
                _ => anyhow::bail!(
                    "give --truth OUT/truth.jsonl, --from-strings FILE or --gold FILE"
                ),
            };
            emit_diagnostic(&e, json)
        }
        EvalCommand::Agenda { gold, pages, json } => {
            let fw = plenary_frameworks::Frameworks::builtin()?;
            emit_diagnostic(
                &plenary_agenda::eval_gold(&gold, pages.as_deref(), &fw)?,
                json,
            )
        }
        EvalCommand::Affiliations { gold, json } => {
            emit_diagnostic(&open(data)?.eval_affiliations_gold(&gold)?, json)
        }
        EvalCommand::Quagga { dir, json } => {
            emit_diagnostic(&plenary_pipeline::eval_quagga(&dir)?, json)
        }
        EvalCommand::Reconstruction { list, json } => {
            emit_diagnostic(&open(data)?.eval_reconstruction(list.as_deref())?, json)
        }
        EvalCommand::Tags {
            gold: Some(gold),
            json,
        } => emit_diagnostic(&open(data)?.eval_tags_gold(&gold)?, json),
        EvalCommand::Tags { gold: None, json } => emit_diagnostic(&open(data)?.eval_tags()?, json),
        EvalCommand::Threads { truth, json } => {
            emit_diagnostic(&open(data)?.eval_threads(&truth)?, json)
        }
        EvalCommand::Quotes {
            archive,
            list,
            json,
        } => {
            let e = match archive {
                None => open(data)?.eval_quotes(list.as_deref())?,
                Some(a) => {
                    // The archive is measured directly: imported into a temporary folder.
                    let tmp = std::env::temp_dir().join(format!(
                        "plenary-eval-{}-{}",
                        std::process::id(),
                        std::time::SystemTime::now()
                            .duration_since(std::time::UNIX_EPOCH)
                            .map(|d| d.as_nanos())
                            .unwrap_or(0)
                    ));
                    let r = (|| -> Result<_> {
                        let archive =
                            Archive::open_with(&tmp, plenary_frameworks::Frameworks::builtin()?)?;
                        archive.import(
                            std::slice::from_ref(&a),
                            &ImportOptions::default(),
                            &mut NoProgress,
                        )?;
                        Ok(archive.eval_quotes(list.as_deref())?)
                    })();
                    let _ = std::fs::remove_dir_all(&tmp);
                    r?
                }
            };
            emit_diagnostic(&e, json)
        }
    }
}
