//! Lists: their keys, counts and months.

use plenary_frameworks::{slug_with, SlugStyle};
use plenary_mail::date::{month_of, rfc3339_utc};
use rusqlite::params;

use crate::{ListSummary, MonthSummary, Result, Store};

/// A list's URL-safe key: `WG-Strategy` → `wg-strategy` (the list style of the one slug
/// rule, [`SlugStyle::List`]; list slugs are primary keys, so that style never changes).
pub fn list_slug(name: &str) -> String {
    slug_with(name, SlugStyle::List)
}

impl Store {
    pub(crate) fn list_slugs(&self) -> Result<Vec<String>> {
        let mut q = self.conn.prepare("SELECT slug FROM lists ORDER BY slug")?;
        let v = q
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<Vec<String>, _>>()?;
        Ok(v)
    }

    /// All lists with their counts.
    pub fn lists(&self) -> Result<Vec<ListSummary>> {
        let mut q = self.conn.prepare(
            "SELECT l.slug, l.name, l.address,
                        (SELECT COUNT(*) FROM messages m WHERE m.list = l.slug),
                        (SELECT COUNT(*) FROM threads t WHERE t.list = l.slug),
                        (SELECT MIN(date) FROM messages m WHERE m.list = l.slug),
                        (SELECT MAX(date) FROM messages m WHERE m.list = l.slug)
                 FROM lists l ORDER BY l.slug",
        )?;
        let v = q
            .query_map([], |r| {
                Ok(ListSummary {
                    slug: r.get(0)?,
                    name: r.get(1)?,
                    address: r.get(2)?,
                    messages: r.get::<_, i64>(3)? as u64,
                    threads: r.get::<_, i64>(4)? as u64,
                    first: r.get::<_, Option<i64>>(5)?.map(rfc3339_utc),
                    last: r.get::<_, Option<i64>>(6)?.map(rfc3339_utc),
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// One list.
    pub fn list(&self, slug: &str) -> Result<Option<ListSummary>> {
        Ok(self.lists()?.into_iter().find(|l| l.slug == slug))
    }

    /// Months of a list with message and thread counts, newest first.
    pub fn months(&self, list: &str) -> Result<Vec<MonthSummary>> {
        let mut q = self
            .conn
            .prepare("SELECT date, thread_id FROM messages WHERE list = ?1 AND date IS NOT NULL")?;
        let mut map: std::collections::BTreeMap<String, (u64, std::collections::HashSet<String>)> =
            Default::default();
        let rows = q.query_map(params![list], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?))
        })?;
        for row in rows {
            let (d, t) = row?;
            let e = map.entry(month_of(d)).or_default();
            e.0 += 1;
            if let Some(t) = t {
                e.1.insert(t);
            }
        }
        Ok(map
            .into_iter()
            .rev()
            .map(|(month, (messages, threads))| MonthSummary {
                month,
                messages,
                threads: threads.len() as u64,
            })
            .collect())
    }
}
