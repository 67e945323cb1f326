//! The mailing lists a corpus may contain.

use crate::time::timestamp;

pub(crate) struct ListDef {
    /// File / directory name and local part of the posting address.
    pub slug: &'static str,
    /// Mailman `real_name`, used in the footer and the DMARC `via` name.
    pub name: &'static str,
    pub host: &'static str,
    /// Subject prefix, without the trailing space.
    pub tag: Option<&'static str>,
    pub description: &'static str,
    /// First and last year with traffic.
    pub years: (i64, i64),
    pub weight: u32,
    /// Mailman rewrites *every* From (from_is_list) from this year on.
    pub munge_all_from: Option<i64>,
}

pub(crate) static LISTS: [ListDef; 6] = [
    ListDef {
        slug: "governance",
        name: "governance",
        host: "lists.igcaucus.org",
        tag: None,
        description: "Internet Governance Caucus discussion list",
        years: (2019, 2025),
        weight: 5,
        munge_all_from: None,
    },
    ListDef {
        slug: "igf-mag",
        name: "IGF-MAG",
        host: "intgovforum.org",
        tag: Some("[IGF-MAG]"),
        description: "IGF Multistakeholder Advisory Group",
        years: (2019, 2025),
        weight: 5,
        munge_all_from: None,
    },
    ListDef {
        slug: "wg-strategy",
        name: "WG-Strategy",
        host: "intgovforum.org",
        tag: Some("[WG-Strategy]"),
        description: "MAG Working Group on IGF Strategy",
        years: (2020, 2025),
        weight: 4,
        munge_all_from: None,
    },
    ListDef {
        slug: "wsis-forum",
        name: "WSIS-Forum",
        host: "lists.itu.int",
        tag: Some("[WSIS-Forum]"),
        description: "WSIS Forum open consultation process",
        years: (2019, 2025),
        weight: 3,
        munge_all_from: None,
    },
    ListDef {
        slug: "cstd-dialogue",
        name: "CSTD-Dialogue",
        host: "lists.unctad.org",
        tag: Some("[CSTD-Dialogue]"),
        description: "CSTD multistakeholder dialogue on WSIS follow-up",
        years: (2020, 2025),
        weight: 3,
        munge_all_from: None,
    },
    ListDef {
        slug: "gdc-consultation",
        name: "GDC-Consultation",
        host: "lists.un.org",
        tag: Some("[GDC]"),
        description: "Global Digital Compact consultation list",
        years: (2022, 2025),
        weight: 4,
        munge_all_from: Some(2023),
    },
];

impl ListDef {
    pub(crate) fn address(&self) -> String {
        format!("{}@{}", self.slug, self.host)
    }

    pub(crate) fn active_at(&self, ts: i64) -> bool {
        ts >= timestamp(self.years.0, 1, 1, 0, 0, 0)
            && ts < timestamp(self.years.1 + 1, 1, 1, 0, 0, 0)
    }

    /// The Mailman footer appended to every post.
    pub(crate) fn footer(&self) -> String {
        format!(
            "_______________________________________________\n{name} mailing list\n{name}@{host}\nhttps://{host}/mailman/listinfo/{slug}\n",
            name = self.name,
            host = self.host,
            slug = self.slug
        )
    }
}
