//! `search`, `reindex` and `bench search`.

use std::path::Path;

use anyhow::{Context, Result};
use plenary_pipeline::PipelineError;
use plenary_search::{SearchError, SearchRequest, Sort};

use super::{index, open};
use crate::cli::BenchCommand;
use crate::output::{emit, print_json, say};

pub(crate) fn search(
    data: &Path,
    query: &str,
    json: bool,
    sort: &str,
    page: usize,
    per_page: usize,
) -> Result<()> {
    let sort = match sort {
        "relevance" => Sort::Relevance,
        "date" => Sort::Date,
        other => anyhow::bail!("--sort {other}: sort by relevance or date"),
    };
    let archive = open(data)?;
    // Catch up with imports that did not index (interrupted or --no-index).
    archive.sync_index()?;
    let per_page = per_page.clamp(1, 1000);
    let req = SearchRequest {
        query: query.to_string(),
        sort,
        offset: page.max(1).saturating_sub(1).saturating_mul(per_page),
        limit: per_page,
        facets: true,
    };
    match archive.search(&req) {
        Ok(r) => emit(&r, json),
        Err(PipelineError::Search(SearchError::Query(e))) => anyhow::bail!("bad query: {e}"),
        Err(e) => Err(e.into()),
    }
}

pub(crate) fn reindex(data: &Path) -> Result<()> {
    let archive = open(data)?;
    let started = std::time::Instant::now();
    index(&archive, true, false)?;
    say(format_args!(
        "reindexed in {:.1} s",
        started.elapsed().as_secs_f64()
    ))
}

/// The `p`th percentile of `v` (nearest rank).
fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let k = ((p / 100.0 * v.len() as f64).ceil() as usize).clamp(1, v.len().max(1)) - 1;
    v.get(k).copied().unwrap_or(0.0)
}

/// Latency of queries with the index opened once (as the server holds it).
pub(crate) fn bench(data: &Path, what: BenchCommand) -> Result<()> {
    let BenchCommand::Search {
        queries,
        runs,
        json,
        no_facets,
    } = what;
    let runs = runs.max(1);
    let text = std::fs::read_to_string(&queries)
        .with_context(|| format!("reading queries from {}", queries.display()))?;
    let qs: Vec<String> = text
        .lines()
        .filter_map(|l| l.split('\t').next())
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(String::from)
        .collect();
    anyhow::ensure!(!qs.is_empty(), "{}: no queries", queries.display());
    let archive = open(data)?;
    archive.sync_index()?;
    let (mut p50s, mut p99s, mut means) = (Vec::new(), Vec::new(), Vec::new());
    let mut failed = 0usize;
    let mut slowest: Vec<(String, f64)> = Vec::new();
    for pass in 0..=runs {
        let mut lat = Vec::with_capacity(qs.len());
        failed = 0;
        for q in &qs {
            let req = SearchRequest {
                query: q.clone(),
                sort: Sort::Relevance,
                offset: 0,
                limit: 20,
                facets: !no_facets,
            };
            let t = std::time::Instant::now();
            let ok = archive.search(&req).is_ok();
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            if !ok {
                failed += 1;
            }
            lat.push(ms);
            if pass == runs {
                slowest.push((q.clone(), ms));
            }
        }
        if pass == 0 {
            continue; // warm-up
        }
        means.push(lat.iter().sum::<f64>() / lat.len() as f64);
        p50s.push(percentile(&mut lat.clone(), 50.0));
        p99s.push(percentile(&mut lat, 99.0));
    }
    slowest.sort_by(|a, b| b.1.total_cmp(&a.1));
    slowest.truncate(10);
    let p50 = percentile(&mut p50s, 50.0);
    let p99 = percentile(&mut p99s, 50.0);
    let mean = percentile(&mut means, 50.0);
    let documents = archive.index()?.len();
    if json {
        return print_json(&serde_json::json!({
            "queries": qs.len(), "runs": runs, "documents": documents,
            "p50_ms": p50, "p99_ms": p99, "mean_ms": mean, "failed": failed, "slowest": slowest,
        }));
    }
    say(format_args!(
        "{} queries × {runs} passes over {documents} documents: p50 {p50:.2} ms, p99 {p99:.2} ms, mean {mean:.2} ms, {failed} failed",
        qs.len(),
    ))?;
    for (q, ms) in slowest.iter().take(5) {
        say(format_args!("  {ms:8.2} ms  {q}"))?;
    }
    Ok(())
}
