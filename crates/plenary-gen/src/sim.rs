//! The world (people, lists, memberships) and the discrete-event simulation
//! that decides who writes what, when, in reply to which message.
//!
//! Messages are produced in global chronological order from a priority queue
//! of per-thread "next reply" events plus a stream of new-thread arrivals.
//! Only active threads are kept in memory, each with a small window of recent
//! messages, so memory does not grow with the corpus size.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use crate::compose::{compose, Built, Kind, MsgRef, Req};
use crate::corpus::text;
use crate::lists::{ListDef, LISTS};
use crate::people::{generate_population, population_size, Person};
use crate::rng::{mix64, Rng};
use crate::text::{fill, Slots};
use crate::time::{timestamp, tm};
use crate::{Lang, MalKind};

pub(crate) struct Members {
    ids: Vec<u32>,
    cum: Vec<u64>,
}

impl Members {
    fn pick(&self, rng: &mut Rng) -> u32 {
        let total = self.cum.last().copied().unwrap_or(0);
        if total == 0 || self.ids.is_empty() {
            return self.ids.first().copied().unwrap_or(0);
        }
        let r = rng.below(total);
        let i = self.cum.partition_point(|&c| c <= r);
        self.ids[i.min(self.ids.len() - 1)]
    }
}

pub(crate) struct World {
    pub people: Vec<Person>,
    pub lists: Vec<&'static ListDef>,
    pub members: Vec<Members>,
}

pub(crate) fn build_world(seed: u64, messages: usize) -> World {
    let mut rng = Rng::derive(seed, 1);
    let people = generate_population(&mut rng, population_size(messages));

    // 4-6 lists; the two long-running ones are always present.
    let count = 4 + rng.index(3);
    let mut others: Vec<usize> = (2..LISTS.len()).collect();
    for i in (1..others.len()).rev() {
        let j = rng.index(i + 1);
        others.swap(i, j);
    }
    let mut chosen: Vec<usize> = vec![0, 1];
    chosen.extend(others.into_iter().take(count - 2));
    chosen.sort_unstable();
    let lists: Vec<&'static ListDef> = chosen.iter().map(|&i| &LISTS[i]).collect();

    let list_w: Vec<u32> = lists.iter().map(|l| l.weight).collect();
    let mut member_sets: Vec<Vec<(u32, u64)>> = vec![Vec::new(); lists.len()];
    for p in &people {
        let k = 1 + rng.weighted(&[50, 35, 15]);
        let mut joined: Vec<usize> = Vec::new();
        for _ in 0..k {
            let l = rng.weighted(&list_w);
            if !joined.contains(&l) {
                joined.push(l);
            }
        }
        for l in joined {
            let w = p.weight as u64 * rng.range(50, 150) / 100 + 1;
            member_sets[l].push((p.id, w));
        }
    }
    for set in member_sets.iter_mut() {
        while set.len() < 6 {
            let id = rng.index(people.len()) as u32;
            if !set.iter().any(|&(i, _)| i == id) {
                set.push((id, people[id as usize].weight as u64 + 1));
            }
        }
    }
    let members = member_sets
        .into_iter()
        .map(|set| {
            let mut cum = Vec::with_capacity(set.len());
            let mut acc = 0u64;
            for &(_, w) in &set {
                acc += w;
                cum.push(acc);
            }
            Members {
                ids: set.into_iter().map(|(i, _)| i).collect(),
                cum,
            }
        })
        .collect();
    World {
        people,
        lists,
        members,
    }
}

/// The archive spans early 2019 to late 2025.
fn t_start() -> i64 {
    timestamp(2019, 1, 7, 8, 0, 0)
}
fn t_end() -> i64 {
    timestamp(2025, 10, 20, 0, 0, 0)
}

/// Expected thread size under `thread_size` (used to pace new threads).
const MEAN_THREAD: f64 = 4.3;
const WINDOW: usize = 6;

struct Thread {
    list: usize,
    lang: Lang,
    topic: usize,
    window: VecDeque<MsgRef>,
    participants: Vec<u32>,
    emitted: u32,
    target: u32,
    next_author: u32,
}

pub(crate) struct Step {
    pub built: Built,
    pub list: usize,
    pub author: u32,
    pub parent: Option<String>,
}

pub(crate) struct Sim<'w> {
    w: &'w World,
    rng: Rng,
    salt: u64,
    big_body_bytes: usize,
    total: usize,
    emitted: usize,
    pending: usize,
    roots: usize,
    clock: i64,
    seq: u64,
    heap: BinaryHeap<Reverse<(i64, u64, usize)>>,
    threads: Vec<Option<Thread>>,
    free: Vec<usize>,
    next_new: i64,
    /// Unshaped arrival time of the next thread (shaping into working
    /// hours must not accumulate into the pacing).
    next_new_base: i64,
    next_new_list: usize,
    next_new_author: u32,
}

impl<'w> Sim<'w> {
    pub(crate) fn new(w: &'w World, seed: u64, total: usize, big_body_bytes: usize) -> Sim<'w> {
        let salt = mix64(seed ^ 0x5EED_1D5A_17ED_0001);
        let mut sim = Sim {
            w,
            rng: Rng::derive(seed, 2),
            salt,
            big_body_bytes,
            total,
            emitted: 0,
            pending: 0,
            roots: 0,
            clock: t_start(),
            seq: 0,
            heap: BinaryHeap::new(),
            threads: Vec::new(),
            free: Vec::new(),
            next_new: t_start(),
            next_new_base: t_start(),
            next_new_list: 0,
            next_new_author: 0,
        };
        let start = t_start() + sim.rng.range(0, 6 * 3600) as i64;
        sim.plan_new_thread(start);
        sim
    }

    pub(crate) fn roots(&self) -> usize {
        self.roots
    }

    fn person(&self, id: u32) -> &'w Person {
        &self.w.people[id as usize]
    }

    /// Move `t` into plausible working hours of `p` (mostly).
    fn shape(&mut self, t: i64, p: &Person) -> i64 {
        let (off, _) = p.zone.at(t);
        let local = tm(t, off);
        let sod = (local.hour * 3600 + local.min * 60 + local.sec) as i64;
        let mut t = t;
        if sod < 7 * 3600 && self.rng.chance(0.85) {
            t += 7 * 3600 - sod + self.rng.below(3 * 3600) as i64;
        } else if sod > 22 * 3600 + 1800 && self.rng.chance(0.85) {
            t += 86_400 - sod + 7 * 3600 + self.rng.below(3 * 3600) as i64;
        }
        let wd = tm(t, off).wday;
        if (wd == 0 || wd == 6) && self.rng.chance(0.65) {
            let days = if wd == 6 { 2 } else { 1 };
            t += days * 86_400;
        }
        t
    }

    fn pick_list(&mut self, t: i64) -> usize {
        let weights: Vec<u32> = self
            .w
            .lists
            .iter()
            .map(|l| if l.active_at(t) { l.weight } else { 0 })
            .collect();
        if weights.iter().all(|&w| w == 0) {
            return 0;
        }
        self.rng.weighted(&weights)
    }

    fn plan_new_thread(&mut self, earliest: i64) {
        let list = self.pick_list(earliest);
        let author = self.w.members[list].pick(&mut self.rng);
        let p = self.person(author);
        self.next_new_base = earliest;
        self.next_new = self.shape(earliest, p).max(self.clock);
        self.next_new_list = list;
        self.next_new_author = author;
    }

    fn schedule_after_new(&mut self) {
        // Pace new threads so that the remaining budget spreads over the
        // remaining time span (thread sizes are capped in small corpora).
        let remaining = self.total.saturating_sub(self.emitted + self.pending) as f64;
        let cap = (self.total.saturating_sub(self.emitted) / 8).max(1) as f64;
        let mean_size = MEAN_THREAD.min(1.0 + cap * 0.4);
        let threads_left = (remaining / mean_size).max(1.0);
        let time_left = ((t_end() - self.next_new_base) as f64).max(3600.0);
        let gap = self
            .rng
            .exponential(time_left / threads_left)
            .min(time_left) as i64;
        let earliest = self.next_new_base + gap.max(60);
        self.plan_new_thread(earliest);
    }

    fn thread_size(&mut self) -> u32 {
        if self.rng.chance(0.42) {
            1
        } else {
            (self.rng.pareto(2.0, 1.25).floor() as u32).min(120)
        }
    }

    fn reply_delay(&mut self) -> i64 {
        let r = self.rng.f64();
        let s = if r < 0.45 {
            300.0 + self.rng.exponential(2.0 * 3600.0)
        } else if r < 0.85 {
            6.0 * 3600.0 + self.rng.exponential(20.0 * 3600.0)
        } else {
            2.0 * 86_400.0 + self.rng.exponential(3.0 * 86_400.0)
        };
        s.min(21.0 * 86_400.0) as i64
    }

    fn pick_replier(&mut self, th: &Thread, last_author: u32) -> u32 {
        if th.participants.len() >= 2 && self.rng.chance(0.5) {
            for _ in 0..4 {
                let c = th.participants[self.rng.index(th.participants.len())];
                if c != last_author {
                    return c;
                }
            }
        }
        let mut c = self.w.members[th.list].pick(&mut self.rng);
        for _ in 0..3 {
            if c != last_author {
                break;
            }
            c = self.w.members[th.list].pick(&mut self.rng);
        }
        c
    }

    fn reply_lang(&mut self, th: &Thread, p: &Person) -> Lang {
        if p.lang == th.lang {
            th.lang
        } else if p.speaks_en && (th.lang == Lang::En || self.rng.chance(0.8)) {
            Lang::En
        } else {
            p.lang
        }
    }

    fn schedule_reply(&mut self, slot: usize, after: i64) {
        let Some(th) = self.threads[slot].take() else {
            return;
        };
        let last_author = th.window.back().map(|m| m.author).unwrap_or(0);
        let next = self.pick_replier(&th, last_author);
        let delay = self.reply_delay();
        let t = self.shape(after + delay.max(180), self.person(next));
        self.seq += 1;
        self.heap.push(Reverse((t, self.seq, slot)));
        self.threads[slot] = Some(Thread {
            next_author: next,
            ..th
        });
    }

    fn alloc(&mut self, th: Thread) -> usize {
        match self.free.pop() {
            Some(i) => {
                self.threads[i] = Some(th);
                i
            }
            None => {
                self.threads.push(Some(th));
                self.threads.len() - 1
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn req<'a>(
        &self,
        list: usize,
        author: &'a Person,
        date: i64,
        lang: Lang,
        topic: usize,
        kind: Kind<'a>,
        mal: Option<MalKind>,
        index: u64,
    ) -> Req<'a> {
        Req {
            index,
            salt: self.salt,
            list: self.w.lists[list],
            author,
            date,
            lang,
            topic,
            kind,
            malformed: mal,
            big_body_bytes: self.big_body_bytes,
        }
    }

    pub(crate) fn step(&mut self, index: u64, mal: Option<MalKind>) -> Step {
        self.emitted += 1;
        if mal == Some(MalKind::NoHeaders) {
            // A stray text-only message; not part of any thread.
            let date = self.clock + self.rng.range(30, 900) as i64;
            self.clock = date;
            let list = self.pick_list(date);
            let author = self.w.members[list].pick(&mut self.rng);
            let p = self.person(author);
            let lang = if p.speaks_en { Lang::En } else { p.lang };
            let topic = self.rng.index(64);
            let req = self.req(
                list,
                p,
                date,
                lang,
                topic,
                Kind::New { subject: "" },
                mal,
                index,
            );
            let built = compose(&mut self.rng, &req);
            self.roots += 1;
            return Step {
                built,
                list,
                author,
                parent: None,
            };
        }

        let reply_first = match self.heap.peek() {
            Some(Reverse((t, _, _))) => *t < self.next_new,
            None => false,
        };
        if reply_first {
            if let Some(Reverse((t, _, slot))) = self.heap.pop() {
                return self.reply(index, t, slot, mal);
            }
        }
        self.new_thread(index, mal)
    }

    fn new_thread(&mut self, index: u64, mal: Option<MalKind>) -> Step {
        let date = self.next_new.max(self.clock);
        self.clock = date;
        let list = self.next_new_list;
        let author = self.next_new_author;
        let p = self.person(author);
        let lang = if p.lang != Lang::En && (self.rng.chance(0.55) || !p.speaks_en) {
            p.lang
        } else {
            Lang::En
        };
        let topic = self.rng.index(64);
        // Small corpora: keep one thread from eating the whole budget, so
        // that messages still spread over the years.
        let cap = (self.total.saturating_sub(self.emitted) / 8).max(1) as u32;
        let target = if mal.is_some() {
            1
        } else {
            self.thread_size().min(cap)
        };
        let forward = self.rng.chance(0.05);
        let month = tm(date, 0).month % 12 + 1;
        let built = if forward {
            let oi = self.rng.index(self.w.people.len()) as u32;
            let orig = self.person(oi);
            let orig_lang = if orig.speaks_en { Lang::En } else { orig.lang };
            let t = text(orig_lang);
            let slots = Slots {
                lang: orig_lang,
                topic,
                name: "",
                female: false,
                month,
            };
            let tpl = t.subjects[self.rng.index(t.subjects.len())];
            let subject = fill(&mut self.rng, tpl, &slots);
            let kind = Kind::Forward {
                subject: &subject,
                orig,
                orig_lang,
            };
            let req = self.req(list, p, date, lang, topic, kind, mal, index);
            compose(&mut self.rng, &req)
        } else {
            let t = text(lang);
            let slots = Slots {
                lang,
                topic,
                name: "",
                female: false,
                month,
            };
            let tpl = t.subjects[self.rng.index(t.subjects.len())];
            let subject = fill(&mut self.rng, tpl, &slots);
            let req = self.req(
                list,
                p,
                date,
                lang,
                topic,
                Kind::New { subject: &subject },
                mal,
                index,
            );
            compose(&mut self.rng, &req)
        };
        self.roots += 1;
        self.schedule_after_new();

        let mut built = built;
        if let (Some(msg), true) = (built.msgref.take(), target > 1) {
            let mut window = VecDeque::with_capacity(WINDOW);
            window.push_back(msg);
            let th = Thread {
                list,
                lang,
                topic,
                window,
                participants: vec![author],
                emitted: 1,
                target,
                next_author: author,
            };
            let slot = self.alloc(th);
            self.pending += (target - 1) as usize;
            self.schedule_reply(slot, date);
        }
        Step {
            built,
            list,
            author,
            parent: None,
        }
    }

    fn reply(&mut self, index: u64, t: i64, slot: usize, mal: Option<MalKind>) -> Step {
        let date = t.max(self.clock);
        self.clock = date;
        let Some(mut th) = self.threads[slot].take() else {
            // Cannot happen (slots in the heap are live); fall back to a new thread.
            return self.new_thread(index, mal);
        };
        // Parent: usually the latest message, sometimes an earlier one.
        let n = th.window.len();
        let back = match self.rng.weighted(&[62, 20, 10, 5, 3]) {
            k if k < n => k,
            _ => 0,
        };
        let parent_idx = n - 1 - back;
        let author = th.next_author;
        let p = self.person(author);
        let lang = self.reply_lang(&th, p);
        let mut built = {
            let parent = &th.window[parent_idx];
            let parent_author = self.person(parent.author);
            let kind = Kind::Reply {
                parent,
                parent_author,
            };
            let date = date.max(parent.date + 60);
            let req = self.req(th.list, p, date, lang, th.topic, kind, mal, index);
            compose(&mut self.rng, &req)
        };
        let parent_id = th.window[parent_idx].id.clone();
        th.emitted += 1;
        self.pending = self.pending.saturating_sub(1);
        if let Some(m) = built.msgref.take() {
            if th.window.len() == WINDOW {
                th.window.pop_front();
            }
            th.window.push_back(m);
        }
        if !th.participants.contains(&author) && th.participants.len() < 16 {
            th.participants.push(author);
        }
        let list = th.list;
        if th.emitted < th.target {
            self.threads[slot] = Some(th);
            self.schedule_reply(slot, date);
        } else {
            self.free.push(slot);
        }
        Step {
            built,
            list,
            author,
            parent: Some(parent_id),
        }
    }
}
