//! `plenary unquote FILE`: one message (an .eml, a pipermail page or its text rendering)
//! analysed on its own — its zones and the messages hidden in its quotes.

use std::path::Path;

use plenary_quotes::{LocalDateTime, Options};
use serde::Serialize;

use crate::error::{PipelineError, Result};

#[derive(Serialize)]
pub struct Unquoted {
    pub zones: Vec<ZoneOut>,
    pub messages: Vec<MessageOut>,
}

#[derive(Serialize)]
pub struct ZoneOut {
    pub kind: plenary_quotes::ZoneKind,
    pub start: usize,
    pub end: usize,
    pub depth: u32,
}

#[derive(Serialize)]
pub struct AuthorOut {
    pub name: Option<String>,
    /// None when unknown or a list's address.
    pub address: Option<String>,
}

#[derive(Serialize)]
pub struct MessageOut {
    pub author: AuthorOut,
    /// `YYYY-MM-DDTHH:MM[:SS]`, with an offset only when one is known.
    pub date: Option<String>,
    pub subject: Option<String>,
    pub text: String,
    pub quoted_by: Option<usize>,
}

fn offset(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    format!("{sign}{:02}:{:02}", minutes.abs() / 60, minutes.abs() % 60)
}

fn local_date(d: &LocalDateTime) -> String {
    let mut s = format!("{:04}-{:02}-{:02}", d.year, d.month, d.day);
    if d.has_time {
        s.push_str(&format!("T{:02}:{:02}", d.hour, d.minute));
        if let Some(o) = d.offset_minutes {
            s.push_str(&offset(o));
        }
    }
    s
}

/// Analyses one message file on its own: its zones and the messages in its quotes.
pub fn unquote(path: &Path) -> Result<Unquoted> {
    let mut item = None;
    let mut problem = None;
    plenary_mail::read_path(path, &mut |ev| match ev {
        plenary_mail::ReadEvent::Item(i) if item.is_none() => item = Some(i),
        plenary_mail::ReadEvent::Problem { reason, .. } => problem = Some(reason),
        _ => {}
    })
    .map_err(|e| PipelineError::BadFile {
        path: path.to_path_buf(),
        reason: format!("cannot read: {e}"),
    })?;
    let Some(item) = item else {
        return Err(PipelineError::BadFile {
            path: path.to_path_buf(),
            reason: format!(
                "not a message ({})",
                problem.unwrap_or_else(|| "no .eml, pipermail page or page text found".into())
            ),
        });
    };
    let m = plenary_mail::parse_item(&item, &plenary_mail::ParseOptions::default(), None).map_err(
        |r| PipelineError::BadFile {
            path: path.to_path_buf(),
            reason: r.reason,
        },
    )?;
    let own_date = m.date.and_then(|d| {
        let off = d.offset_seconds.unwrap_or(0);
        let c = plenary_mail::date::utc_to_civil(d.utc + i64::from(off))?;
        Some((c, d.offset_seconds.map(|o| o / 60)))
    });
    let opts = Options {
        author: match (&m.author.name, &m.author.address) {
            (Some(n), Some(a)) => Some(format!("{n} <{a}>")),
            (Some(n), None) => Some(n.clone()),
            (None, Some(a)) => Some(a.clone()),
            (None, None) => None,
        },
        date: own_date.map(|(c, off)| LocalDateTime {
            year: c.0,
            month: c.1,
            day: c.2,
            hour: c.3,
            minute: c.4,
            has_time: true,
            offset_minutes: off,
            day_month_ambiguous: false,
        }),
        ..Options::default()
    };
    let a = plenary_quotes::analyze_with(&m.body, &opts);
    let zones = a
        .zones
        .iter()
        .map(|z| ZoneOut {
            kind: z.kind,
            start: z.start,
            end: z.end,
            depth: z.depth,
        })
        .collect();
    let mut messages = Vec::with_capacity(a.messages.len());
    for (i, q) in a.messages.iter().enumerate() {
        if i == 0 {
            messages.push(MessageOut {
                author: AuthorOut {
                    name: m.author.name.clone(),
                    address: m.author.address.clone(),
                },
                date: own_date.map(|(c, off)| {
                    let secs = m
                        .date
                        .map(|d| (d.utc + i64::from(d.offset_seconds.unwrap_or(0))).rem_euclid(60))
                        .unwrap_or(0);
                    let mut s = format!(
                        "{:04}-{:02}-{:02}T{:02}:{:02}:{secs:02}",
                        c.0, c.1, c.2, c.3, c.4
                    );
                    if let Some(o) = off {
                        s.push_str(&offset(o));
                    }
                    s
                }),
                subject: m.subject.clone(),
                text: q.text.clone(),
                quoted_by: None,
            });
            continue;
        }
        let at = q.attribution.as_ref();
        messages.push(MessageOut {
            author: AuthorOut {
                name: at.and_then(|a| a.normalized_name.clone().or_else(|| a.name.clone())),
                address: at
                    .filter(|a| a.via_list.is_none())
                    .and_then(|a| a.address.clone()),
            },
            date: at.and_then(|a| a.date.as_ref()).map(local_date),
            subject: at.and_then(|a| a.subject.clone()),
            text: q.text.clone(),
            quoted_by: q.parent,
        });
    }
    Ok(Unquoted { zones, messages })
}
