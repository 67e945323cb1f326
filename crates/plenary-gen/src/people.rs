//! The population of list participants: names from many cultures, addresses,
//! organisations, mail clients and writing habits.

use std::collections::HashSet;

use crate::rng::{exp, ln, Rng};
use crate::time::Zone;
use crate::{Client, Lang, Locale};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OrgKind {
    Gov,
    Igo,
    CivSoc,
    Tech,
    Academia,
    Private,
}

pub(crate) struct Org {
    pub name: &'static str,
    pub domain: &'static str,
    pub kind: OrgKind,
    pub region: &'static str,
    /// DMARC p=reject: Mailman rewrites From for posts from this domain.
    pub strict_dmarc: bool,
    /// The organisation's gateway tags external mail with `[Ext]`.
    pub ext_tag: bool,
}

const fn org(name: &'static str, domain: &'static str, kind: OrgKind, region: &'static str) -> Org {
    Org {
        name,
        domain,
        kind,
        region,
        strict_dmarc: false,
        ext_tag: false,
    }
}

use OrgKind::*;

#[rustfmt::skip]
pub(crate) static ORGS: &[Org] = &[
    org("International Telecommunication Union", "itu.int", Igo, "global"),
    org("UNESCO", "unesco.org", Igo, "global"),
    org("UNCTAD", "unctad.org", Igo, "global"),
    Org { strict_dmarc: true, ..org("UN Department of Economic and Social Affairs", "un.org", Igo, "global") },
    Org { strict_dmarc: true, ..org("Office of the Secretary-General's Envoy on Technology", "un.org", Igo, "global") },
    org("OECD", "oecd.org", Igo, "global"),
    org("Council of Europe", "coe.int", Igo, "global"),
    Org { ext_tag: true, ..org("ICANN", "icann.org", Tech, "global") },
    org("Internet Society", "isoc.org", Tech, "global"),
    org("Association for Progressive Communications", "apc.org", CivSoc, "global"),
    org("DiploFoundation", "diplomacy.edu", Academia, "global"),
    org("Access Now", "accessnow.org", CivSoc, "global"),
    org("ARTICLE 19", "article19.org", CivSoc, "global"),
    org("Global Partners Digital", "gp-digital.org", CivSoc, "global"),
    org("RIPE NCC", "ripe.net", Tech, "global"),
    org("ICC BASIS", "iccwbo.org", Private, "global"),
    org("Internet Governance Project", "internetgovernance.org", Academia, "global"),
    org("Geneva Internet Platform", "giplatform.org", CivSoc, "global"),
    org("LACNIC", "lacnic.net", Tech, "latam"),
    org("Derechos Digitales", "derechosdigitales.org", CivSoc, "latam"),
    org("Fundación Karisma", "karisma.org.co", CivSoc, "latam"),
    org("Asociación por los Derechos Civiles", "adc.org.ar", CivSoc, "latam"),
    org("Ministerio de Relaciones Exteriores de Chile", "minrel.gob.cl", Gov, "latam"),
    org("Secretaría de Relaciones Exteriores", "sre.gob.mx", Gov, "latam"),
    org("Universidad de Buenos Aires", "uba.ar", Academia, "latam"),
    org("Ministerio para la Transformación Digital", "digital.gob.es", Gov, "es"),
    org("Universitat Oberta de Catalunya", "uoc.edu", Academia, "es"),
    org("Comitê Gestor da Internet no Brasil", "cgi.br", Gov, "br"),
    org("NIC.br", "nic.br", Tech, "br"),
    org("Ministério das Relações Exteriores", "itamaraty.gov.br", Gov, "br"),
    org("Instituto de Referência em Internet e Sociedade", "irisbh.com.br", CivSoc, "br"),
    org("Coalizão Direitos na Rede", "direitosnarede.org.br", CivSoc, "br"),
    org("Universidade de São Paulo", "usp.br", Academia, "br"),
    org("Autoridade Nacional de Comunicações", "anacom.pt", Gov, "pt"),
    org("Universidade de Lisboa", "ulisboa.pt", Academia, "pt"),
    org("Ministère de l'Europe et des Affaires étrangères", "diplomatie.gouv.fr", Gov, "fr"),
    org("Sciences Po", "sciencespo.fr", Academia, "fr"),
    org("Afnic", "afnic.fr", Tech, "fr"),
    org("Organisation internationale de la Francophonie", "francophonie.org", Igo, "fr"),
    org("Arcep", "arcep.fr", Gov, "fr"),
    org("Autorité de Régulation des Télécommunications et des Postes", "artp.sn", Gov, "waf"),
    org("Université Cheikh Anta Diop", "ucad.edu.sn", Academia, "waf"),
    org("Jonction", "jonction.org", CivSoc, "waf"),
    org("Smart Africa", "smartafrica.org", Igo, "waf"),
    org("Agence Nationale de Réglementation des Télécommunications", "anrt.ma", Gov, "maghreb"),
    org("Université de Tunis", "utunis.rnu.tn", Academia, "maghreb"),
    org("Université de Montréal", "umontreal.ca", Academia, "qc"),
    org("KICTANet", "kictanet.or.ke", CivSoc, "eaf"),
    org("Communications Authority of Kenya", "ca.go.ke", Gov, "eaf"),
    org("CIPESA", "cipesa.org", CivSoc, "eaf"),
    org("AFRINIC", "afrinic.net", Tech, "eaf"),
    org("Paradigm Initiative", "paradigmhq.org", CivSoc, "ng"),
    org("National Information Technology Development Agency", "nitda.gov.ng", Gov, "ng"),
    org("IT for Change", "itforchange.net", CivSoc, "in"),
    org("Centre for Internet and Society", "cis-india.org", CivSoc, "in"),
    org("Ministry of Electronics and Information Technology", "meity.gov.in", Gov, "in"),
    org("Federal Ministry for Digital and Transport", "bmdv.bund.de", Gov, "de"),
    org("eco – Verband der Internetwirtschaft", "eco.de", Private, "de"),
    org("Leibniz-Institut für Medienforschung", "leibniz-hbi.de", Academia, "de"),
    org("Post- och telestyrelsen", "pts.se", Gov, "nordic"),
    org("Norid", "norid.no", Tech, "nordic"),
    org("Japan Network Information Center", "nic.ad.jp", Tech, "jp"),
    org("Keio University", "keio.ac.jp", Academia, "jp"),
    org("China Internet Network Information Center", "cnnic.cn", Tech, "cn"),
    org("Tsinghua University", "tsinghua.edu.cn", Academia, "cn"),
    org("Center for Democracy & Technology", "cdt.org", CivSoc, "us"),
    org("Georgia Institute of Technology", "gatech.edu", Academia, "us"),
    org("ARIN", "arin.net", Tech, "us"),
    org("University of Oxford", "ox.ac.uk", Academia, "uk"),
    org("Nominet", "nominet.uk", Tech, "uk"),
    org("Chatham House", "chathamhouse.org", CivSoc, "uk"),
    org("Bilgi Teknolojileri ve İletişim Kurumu", "btk.gov.tr", Gov, "tr"),
    org("NASK", "nask.pl", Tech, "pl"),
    org("VNNIC", "vnnic.vn", Tech, "vn"),
    org("Coordination Center for TLD RU", "cctld.ru", Tech, "ru"),
    org("Digital Government Authority", "dga.gov.sa", Gov, "gulf"),
    org("Telecommunications and Digital Government Regulatory Authority", "tdra.gov.ae", Gov, "gulf"),
];

/// Personal mailbox providers whose DMARC policy makes Mailman rewrite From.
pub(crate) fn strict_dmarc_domain(domain: &str) -> bool {
    domain.starts_with("yahoo.") || domain == "aol.com" || domain == "yahoo.com.br"
}

struct Culture {
    region: &'static str,
    weight: u32,
    male: &'static [&'static str],
    female: &'static [&'static str],
    last: &'static [&'static str],
    /// Family name first in the display name (Chinese, Vietnamese).
    family_first: bool,
    lang: Lang,
    /// Probability that a person of this culture also writes in English
    /// (only meaningful when `lang` is not English).
    speaks_en: f64,
    locale: Locale,
    zones: &'static [Zone],
    personal: &'static [&'static str],
    /// Probability of showing the native-script form (`native|latin` entries).
    native: f64,
}

const CET: Zone = Zone::Eu {
    std: 60,
    std_abbr: "CET",
    dst_abbr: "CEST",
};
const UK: Zone = Zone::Eu {
    std: 0,
    std_abbr: "GMT",
    dst_abbr: "BST",
};
const WET: Zone = Zone::Eu {
    std: 0,
    std_abbr: "WET",
    dst_abbr: "WEST",
};
const US_E: Zone = Zone::Us {
    std: -300,
    std_abbr: "EST",
    dst_abbr: "EDT",
};
const US_C: Zone = Zone::Us {
    std: -360,
    std_abbr: "CST",
    dst_abbr: "CDT",
};
const US_P: Zone = Zone::Us {
    std: -480,
    std_abbr: "PST",
    dst_abbr: "PDT",
};
const fn fixed(off: i32, abbr: &'static str) -> Zone {
    Zone::Fixed { off, abbr }
}

#[rustfmt::skip]
static CULTURES: &[Culture] = &[
    Culture {
        region: "us",
        weight: 10,
        male: &["James", "Robert", "Michael", "David", "Kevin", "Brian", "Daniel", "Matthew", "Christopher", "Andrew", "Jonathan", "Eric"],
        female: &["Mary", "Jennifer", "Sarah", "Emily", "Jessica", "Laura", "Rebecca", "Megan", "Rachel", "Susan", "Karen", "Heather"],
        last: &["Smith", "Johnson", "Williams", "Brown", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Moore", "Clark", "O'Brien", "Walker", "Hall"],
        family_first: false,
        lang: Lang::En,
        speaks_en: 1.0,
        locale: Locale::EnUs,
        zones: &[US_E, US_E, US_C, US_P],
        personal: &["gmail.com", "yahoo.com", "outlook.com", "aol.com"],
        native: 0.0,
    },
    Culture {
        region: "uk",
        weight: 6,
        male: &["Oliver", "George", "Harry", "Thomas", "William", "Nigel", "Alistair", "Rhys", "Callum", "Stuart"],
        female: &["Charlotte", "Emma", "Sophie", "Hannah", "Fiona", "Siobhán", "Catriona", "Eleanor", "Harriet", "Bethan"],
        last: &["Jones", "Evans", "Thomas", "Roberts", "Hughes", "Wright", "Green", "McDonald", "Campbell", "Ó Súilleabháin", "Fitzgerald", "Baker"],
        family_first: false,
        lang: Lang::En,
        speaks_en: 1.0,
        locale: Locale::EnGb,
        zones: &[UK],
        personal: &["gmail.com", "btinternet.com", "hotmail.co.uk"],
        native: 0.0,
    },
    Culture {
        region: "latam",
        weight: 10,
        male: &["José", "Juan", "Andrés", "Sebastián", "Martín", "Raúl", "Germán", "Héctor", "Ramón", "Tomás", "Jesús", "Joaquín", "Nicolás"],
        female: &["María", "Lucía", "Camila", "Valentina", "Sofía", "Inés", "Mónica", "Verónica", "Débora", "Ximena", "Beatriz", "Florencia", "Pía"],
        last: &["García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez", "Sánchez", "Ramírez", "Núñez", "Muñoz", "Peña", "Ibáñez", "Gómez", "Díaz", "Valdés", "Cañas"],
        family_first: false,
        lang: Lang::Es,
        speaks_en: 0.65,
        locale: Locale::Es,
        zones: &[fixed(-180, "-03"), fixed(-300, "-05"), fixed(-360, "CST"), fixed(-240, "-04")],
        personal: &["gmail.com", "hotmail.com", "yahoo.com.ar", "yahoo.com"],
        native: 0.0,
    },
    Culture {
        region: "es",
        weight: 4,
        male: &["Javier", "Álvaro", "Íñigo", "Jordi", "Sergio", "Ángel", "Pau", "Óscar"],
        female: &["Carmen", "Nuria", "Ainhoa", "Montserrat", "Elena", "Begoña", "Rocío", "Àngels"],
        last: &["Fernández", "Martín", "Jiménez", "Ruiz", "Álvarez", "Romero", "Navarro", "Domínguez", "Vázquez", "Puig", "Castaño"],
        family_first: false,
        lang: Lang::Es,
        speaks_en: 0.8,
        locale: Locale::Es,
        zones: &[CET],
        personal: &["gmail.com", "hotmail.es", "yahoo.es"],
        native: 0.0,
    },
    Culture {
        region: "br",
        weight: 9,
        male: &["João", "José", "Luís", "André", "Thiago", "Márcio", "Sérgio", "Vinícius", "Fábio", "Antônio", "Caio", "Rafael"],
        female: &["Maria", "Ana", "Gabriela", "Patrícia", "Letícia", "Flávia", "Cecília", "Júlia", "Cláudia", "Beatriz", "Lívia", "Tânia"],
        last: &["Silva", "Santos", "Oliveira", "Souza", "Pereira", "Lima", "Carvalho", "Araújo", "Gonçalves", "Magalhães", "Guimarães", "Conceição", "Brandão", "Falcão", "Ribeiro", "Nogueira", "Simões"],
        family_first: false,
        lang: Lang::Pt,
        speaks_en: 0.7,
        locale: Locale::Pt,
        zones: &[fixed(-180, "-03")],
        personal: &["gmail.com", "uol.com.br", "terra.com.br", "yahoo.com.br"],
        native: 0.0,
    },
    Culture {
        region: "pt",
        weight: 2,
        male: &["Rui", "Nuno", "Gonçalo", "Tiago", "Duarte", "Vasco"],
        female: &["Inês", "Mariana", "Joana", "Teresa", "Leonor", "Margarida"],
        last: &["Ferreira", "Costa", "Rodrigues", "Martins", "Sousa", "Lourenço", "Esteves", "Gaspar"],
        family_first: false,
        lang: Lang::Pt,
        speaks_en: 0.85,
        locale: Locale::Pt,
        zones: &[WET],
        personal: &["gmail.com", "sapo.pt"],
        native: 0.0,
    },
    Culture {
        region: "fr",
        weight: 7,
        male: &["François", "Jérôme", "Stéphane", "Benoît", "Frédéric", "Raphaël", "Grégoire", "Noël", "Théo", "Clément", "Loïc", "Hervé"],
        female: &["Hélène", "Élodie", "Céline", "Anaïs", "Maëlle", "Chloé", "Léa", "Joëlle", "Zoé", "Mélanie", "Agnès", "Bérénice"],
        last: &["Lefèvre", "Moreau", "Girard", "Dubois", "Faure", "Rousseau", "Mercier", "Lemaître", "Chevalier", "Gauthier", "Fontaine", "Leclerc", "Rivière", "Delacroix", "Bézier"],
        family_first: false,
        lang: Lang::Fr,
        speaks_en: 0.7,
        locale: Locale::Fr,
        zones: &[CET],
        personal: &["gmail.com", "orange.fr", "free.fr", "yahoo.fr", "wanadoo.fr"],
        native: 0.0,
    },
    Culture {
        region: "waf",
        weight: 5,
        male: &["Mamadou", "Ousmane", "Cheikh", "Ibrahima", "Moussa", "Souleymane", "Boubacar", "Abdoulaye", "Serigne"],
        female: &["Aminata", "Fatou", "Awa", "Mariam", "Aïssatou", "Kadiatou", "Ndèye", "Coumba", "Adjoa"],
        last: &["Diallo", "Ndiaye", "Traoré", "Sow", "Diop", "Koné", "Coulibaly", "Cissé", "Touré", "Kéïta", "Bâ", "Fall", "Ouédraogo", "Kouassi"],
        family_first: false,
        lang: Lang::Fr,
        speaks_en: 0.55,
        locale: Locale::Fr,
        zones: &[fixed(0, "GMT")],
        personal: &["gmail.com", "yahoo.fr", "orange.sn"],
        native: 0.0,
    },
    Culture {
        region: "maghreb",
        weight: 3,
        male: &["Youssef", "Karim", "Mohamed", "Mehdi", "Hichem", "Anouar"],
        female: &["Fatima", "Leïla", "Nour", "Salma", "Imène", "Zineb"],
        last: &["El Amrani", "Benali", "Haddad", "Mansour", "Saïdi", "Bensalah", "Chérif", "Trabelsi"],
        family_first: false,
        lang: Lang::Fr,
        speaks_en: 0.6,
        locale: Locale::Fr,
        zones: &[fixed(60, "+01")],
        personal: &["gmail.com", "yahoo.fr", "hotmail.fr"],
        native: 0.0,
    },
    Culture {
        region: "qc",
        weight: 2,
        male: &["Mathieu", "Étienne", "Sébastien", "Gaétan"],
        female: &["Geneviève", "Josée", "Émilie", "Marie-Ève"],
        last: &["Tremblay", "Gagnon", "Bouchard", "Côté", "Pelletier", "Bélanger"],
        family_first: false,
        lang: Lang::Fr,
        speaks_en: 0.95,
        locale: Locale::Fr,
        zones: &[US_E],
        personal: &["gmail.com", "videotron.ca"],
        native: 0.0,
    },
    Culture {
        region: "eaf",
        weight: 5,
        male: &["Kamau", "Otieno", "Mwangi", "Kiprono", "Baraka", "Juma", "Tendai"],
        female: &["Wanjiru", "Achieng", "Njeri", "Akinyi", "Amani", "Neema", "Wairimu"],
        last: &["Ochieng", "Mutua", "Kariuki", "Wambui", "Njoroge", "Omondi", "Kimani", "Odhiambo", "Chebet", "Mwakilema"],
        family_first: false,
        lang: Lang::En,
        speaks_en: 1.0,
        locale: Locale::EnGb,
        zones: &[fixed(180, "EAT")],
        personal: &["gmail.com", "yahoo.com"],
        native: 0.0,
    },
    Culture {
        region: "ng",
        weight: 4,
        male: &["Chinedu", "Oluwaseun", "Emeka", "Tunde", "Babajide", "Ikechukwu"],
        female: &["Ngozi", "Adaeze", "Funmilayo", "Yewande", "Ifeoma", "Chiamaka"],
        last: &["Okafor", "Adeyemi", "Nwosu", "Balogun", "Eze", "Okonkwo", "Adebayo", "Ogunleye", "Akpan"],
        family_first: false,
        lang: Lang::En,
        speaks_en: 1.0,
        locale: Locale::EnGb,
        zones: &[fixed(60, "WAT")],
        personal: &["gmail.com", "yahoo.com"],
        native: 0.0,
    },
    Culture {
        region: "in",
        weight: 6,
        male: &["Arjun", "Rahul", "Vikram", "Sanjay", "Ramesh", "Anil", "Parminder", "Srinivas"],
        female: &["Priya", "Ananya", "Kavita", "Deepa", "Lakshmi", "Meera", "Anita", "Smita"],
        last: &["Sharma", "Iyer", "Gupta", "Reddy", "Nair", "Chatterjee", "Menon", "Patel", "Krishnan", "Banerjee", "Singh"],
        family_first: false,
        lang: Lang::En,
        speaks_en: 1.0,
        locale: Locale::EnGb,
        zones: &[fixed(330, "IST")],
        personal: &["gmail.com", "yahoo.co.in", "rediffmail.com"],
        native: 0.0,
    },
    Culture {
        region: "de",
        weight: 5,
        male: &["Jürgen", "Jörg", "Günther", "Matthias", "Sören", "Jörn", "Wolfgang", "Bernd"],
        female: &["Käthe", "Ute", "Anja", "Sabine", "Bärbel", "Jutta", "Annegret", "Franziska"],
        last: &["Müller", "Schröder", "Weiß", "Groß", "Köhler", "Schäfer", "Krüger", "Wöhrle", "Hoffmann", "Jäger", "Kleinwächter"],
        family_first: false,
        lang: Lang::En,
        speaks_en: 1.0,
        locale: Locale::De,
        zones: &[CET],
        personal: &["gmx.de", "web.de", "gmail.com", "t-online.de"],
        native: 0.0,
    },
    Culture {
        region: "nordic",
        weight: 3,
        male: &["Björn", "Øystein", "Søren", "Lars", "Jóhann", "Henrik", "Pål"],
        female: &["Åsa", "Märta", "Ingrid", "Kristín", "Sigrún", "Liv", "Maja"],
        last: &["Åkesson", "Ødegård", "Sørensen", "Lindqvist", "Håkansson", "Bjørnstad", "Nyström", "Ólafsdóttir", "Lövgren"],
        family_first: false,
        lang: Lang::En,
        speaks_en: 1.0,
        locale: Locale::Sv,
        zones: &[CET],
        personal: &["gmail.com", "telia.com"],
        native: 0.0,
    },
    Culture {
        region: "tr",
        weight: 2,
        male: &["Ahmet", "Murat", "Emre", "İbrahim", "Oğuz"],
        female: &["Çağla", "Şule", "Gülşen", "Ayşe", "Özge"],
        last: &["Yılmaz", "Öztürk", "Şahin", "Çelik", "Aydın", "Doğan", "Kılıç", "Güneş"],
        family_first: false,
        lang: Lang::En,
        speaks_en: 1.0,
        locale: Locale::EnGb,
        zones: &[fixed(180, "+03")],
        personal: &["gmail.com", "hotmail.com"],
        native: 0.0,
    },
    Culture {
        region: "pl",
        weight: 2,
        male: &["Łukasz", "Paweł", "Michał", "Grzegorz"],
        female: &["Małgorzata", "Agnieszka", "Katarzyna", "Żaneta"],
        last: &["Wiśniewski", "Kowalczyk", "Wójcik", "Dąbrowski", "Zieliński", "Szymańska"],
        family_first: false,
        lang: Lang::En,
        speaks_en: 1.0,
        locale: Locale::EnGb,
        zones: &[CET],
        personal: &["gmail.com", "wp.pl", "o2.pl"],
        native: 0.0,
    },
    Culture {
        region: "vn",
        weight: 2,
        male: &["Minh", "Tuấn", "Dũng", "Quang"],
        female: &["Lan", "Hương", "Thảo", "Ngọc"],
        last: &["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ"],
        family_first: true,
        lang: Lang::En,
        speaks_en: 1.0,
        locale: Locale::EnUs,
        zones: &[fixed(420, "+07")],
        personal: &["gmail.com", "yahoo.com"],
        native: 0.0,
    },
    Culture {
        region: "cn",
        weight: 3,
        male: &["伟|Wei", "强|Qiang", "磊|Lei", "军|Jun", "浩|Hao"],
        female: &["娜|Na", "静|Jing", "敏|Min", "丽|Li", "芳|Fang"],
        last: &["王|Wang", "李|Li", "张|Zhang", "刘|Liu", "陈|Chen", "杨|Yang", "黄|Huang"],
        family_first: true,
        lang: Lang::En,
        speaks_en: 1.0,
        locale: Locale::EnUs,
        zones: &[fixed(480, "CST")],
        personal: &["gmail.com", "163.com", "qq.com"],
        native: 0.35,
    },
    Culture {
        region: "ru",
        weight: 2,
        male: &["Алексей|Alexey", "Дмитрий|Dmitry", "Сергей|Sergey", "Андрей|Andrey"],
        female: &["Анна|Anna", "Ольга|Olga", "Наталья|Natalia", "Екатерина|Ekaterina"],
        last: &["Смирнов|Smirnov", "Иванов|Ivanov", "Кузнецов|Kuznetsov", "Попов|Popov", "Соколов|Sokolov"],
        family_first: false,
        lang: Lang::En,
        speaks_en: 1.0,
        locale: Locale::EnGb,
        zones: &[fixed(180, "MSK")],
        personal: &["gmail.com", "yandex.ru", "mail.ru"],
        native: 0.4,
    },
    Culture {
        region: "jp",
        weight: 2,
        male: &["Haruto", "Takeshi", "Kenji", "Shūhei", "Hiroshi"],
        female: &["Yui", "Akiko", "Yōko", "Keiko", "Haruka"],
        last: &["Satō", "Suzuki", "Takahashi", "Tanaka", "Itō", "Watanabe", "Kōno"],
        family_first: false,
        lang: Lang::En,
        speaks_en: 1.0,
        locale: Locale::EnUs,
        zones: &[fixed(540, "JST")],
        personal: &["gmail.com", "yahoo.co.jp"],
        native: 0.0,
    },
    Culture {
        region: "gulf",
        weight: 2,
        male: &["Abdullah", "Faisal", "Khalid", "Omar"],
        female: &["Noura", "Reem", "Hessa", "Maha"],
        last: &["Al-Rashid", "Al-Otaibi", "Al-Mansoori", "Al-Harbi", "Al-Qahtani"],
        family_first: false,
        lang: Lang::En,
        speaks_en: 1.0,
        locale: Locale::EnGb,
        zones: &[fixed(180, "+03"), fixed(240, "+04")],
        personal: &["gmail.com", "hotmail.com"],
        native: 0.0,
    },
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Habit {
    TopPost,
    BottomPost,
    Interleave,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Charset {
    Utf8,
    Latin1,
    Cp1252,
}

pub(crate) struct Person {
    pub id: u32,
    /// First name as others address this person in greetings.
    pub first: String,
    /// Display name in From (may be in native script, or "Last, First").
    pub display: String,
    /// Name in signatures and on the agenda.
    pub full: String,
    pub female: bool,
    pub lang: Lang,
    pub speaks_en: bool,
    pub locale: Locale,
    pub client: Client,
    pub addrs: Vec<String>,
    pub org: &'static Org,
    pub position: &'static str,
    pub honorific: &'static str,
    pub zone: Zone,
    pub habit: Habit,
    pub trims: bool,
    pub flowed: bool,
    pub delsp: bool,
    pub legacy: Option<Charset>,
    pub date_comment: bool,
    pub smart_quotes: bool,
    pub hard_wrap: bool,
    pub signature: String,
    /// Outlook tenant host (`AM0PR04MB6451`) and region (`eurprd04`).
    pub ms_host: String,
    pub ms_region: String,
    pub weight: u32,
}

/// A person as the ground truth knows them (`people.jsonl`).
#[derive(serde::Serialize)]
pub(crate) struct PersonTruth {
    pub id: String,
    pub full: String,
    pub display: String,
    pub addresses: Vec<String>,
    pub organization: &'static str,
    pub organization_domain: &'static str,
    /// Plenary's stakeholder group ids.
    pub stakeholder_group: &'static str,
    pub region: &'static str,
}

impl PersonTruth {
    pub(crate) fn of(p: &Person) -> PersonTruth {
        PersonTruth {
            id: p.pid(),
            full: p.full.clone(),
            display: p.display.clone(),
            addresses: p.addrs.clone(),
            organization: p.org.name,
            organization_domain: p.org.domain,
            stakeholder_group: match p.org.kind {
                OrgKind::Gov => "government",
                OrgKind::Igo => "intergovernmental",
                OrgKind::CivSoc => "civil-society",
                OrgKind::Tech => "technical-community",
                OrgKind::Academia => "academia",
                OrgKind::Private => "private-sector",
            },
            region: p.org.region,
        }
    }
}

impl Person {
    pub(crate) fn pid(&self) -> String {
        format!("p{:04}", self.id)
    }

    pub(crate) fn domain_of(addr: &str) -> &str {
        addr.rsplit_once('@').map(|(_, d)| d).unwrap_or("")
    }
}

/// Lower-case ASCII transliteration for building mailbox local parts.
///
/// Deliberately not `plenary_frameworks::fold`: that one keeps ł, ø, ß, æ, punctuation,
/// spaces and other scripts (it only drops combining marks), while this table turns them
/// into ASCII and drops the rest, and generated corpora are compared byte for byte across
/// versions — switching would change every address built from such a name.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        for c in c.to_lowercase() {
            let r: &str = match c {
                'a'..='z' | '0'..='9' => {
                    out.push(c);
                    continue;
                }
                'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ạ' | 'ả' | 'ấ' | 'ầ'
                | 'ẩ' | 'ẫ' | 'ậ' | 'ắ' | 'ằ' | 'ẳ' | 'ẵ' | 'ặ' => "a",
                'ç' | 'ć' | 'č' => "c",
                'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ẹ' | 'ẻ' | 'ẽ' | 'ế' | 'ề' | 'ể' | 'ễ'
                | 'ệ' => "e",
                'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'ị' | 'ỉ' | 'ĩ' => "i",
                'ñ' | 'ń' => "n",
                'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' | 'ơ' | 'ọ' | 'ỏ' | 'ố' | 'ồ'
                | 'ổ' | 'ỗ' | 'ộ' | 'ớ' | 'ờ' | 'ở' | 'ỡ' | 'ợ' => "o",
                'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ű' | 'ư' | 'ụ' | 'ủ' | 'ũ' | 'ứ' | 'ừ' | 'ử'
                | 'ữ' | 'ự' => "u",
                'ý' | 'ÿ' | 'ỳ' | 'ỵ' | 'ỷ' | 'ỹ' => "y",
                'ß' => "ss",
                'æ' => "ae",
                'œ' => "oe",
                'ł' => "l",
                'ś' | 'ş' | 'ș' | 'š' => "s",
                'ğ' => "g",
                'ż' | 'ź' | 'ž' => "z",
                'đ' | 'ð' => "d",
                'þ' => "th",
                _ => "",
            };
            out.push_str(r);
        }
    }
    out
}

/// `Min` + `Jie` → `Minjie` (native scripts joined as written).
fn join_given(a: &str, b: &str) -> String {
    let (an, al) = split_native(a);
    let (bn, bl) = split_native(b);
    let bl = bl.to_lowercase();
    if an == al && bn == split_native(b).1 {
        format!("{al}{bl}")
    } else {
        format!("{an}{bn}|{al}{bl}")
    }
}

/// `Hernández` + `Castaño` → `Hernández Castaño`.
fn join_family(a: &str, b: &str) -> String {
    let (an, al) = split_native(a);
    let (bn, bl) = split_native(b);
    if al == bl {
        return a.to_string();
    }
    if an == al && bn == bl {
        format!("{al} {bl}")
    } else {
        format!("{an} {bn}|{al} {bl}")
    }
}

fn split_native(entry: &str) -> (&str, &str) {
    match entry.split_once('|') {
        Some((n, l)) => (n, l),
        None => (entry, entry),
    }
}

const POS_GOV: &[&str] = &[
    "Counsellor",
    "First Secretary",
    "Director, International Affairs",
    "Senior Adviser, Digital Policy",
    "Deputy Permanent Representative",
    "Head of Unit, Internet Governance",
    "Ambassador, Permanent Representative",
    "Digital Policy Officer",
];
const POS_IGO: &[&str] = &[
    "Programme Officer",
    "Senior Policy Analyst",
    "Chief, ICT Policy Section",
    "Associate Expert",
    "Head of Division, Digital Cooperation",
    "Programme Specialist",
];
const POS_CIV: &[&str] = &[
    "Executive Director",
    "Policy Lead",
    "Programme Coordinator",
    "Senior Researcher",
    "Advocacy Officer",
    "Director of Programmes",
];
const POS_TECH: &[&str] = &[
    "Head of Public Policy",
    "Chief Executive Officer",
    "Senior Manager, Government Engagement",
    "Policy Analyst",
    "Chief Technology Officer",
    "External Relations Officer",
];
const POS_ACAD: &[&str] = &[
    "Professor of Law",
    "Associate Professor",
    "PhD Candidate",
    "Research Fellow",
    "Lecturer in Internet Governance",
    "Professor of Information Science",
];
const POS_PRIV: &[&str] = &[
    "Director, Government Affairs",
    "Senior Counsel",
    "Public Policy Manager",
    "Consultant",
];

const MS_PREFIXES: &[(&str, &str)] = &[
    ("AM0PR", "eurprd04"),
    ("DB8PR", "eurprd10"),
    ("VI1PR", "eurprd05"),
    ("PA4PR", "eurprd08"),
    ("BN6PR", "namprd11"),
    ("SN6PR", "namprd02"),
    ("CH2PR", "namprd13"),
    ("CP4PR", "brap80"),
    ("SG2PR", "apcprd06"),
];

/// Share of people who deliberately share a full name with someone drawn
/// before them (real lists have a few namesakes, not hundreds).
const NAMESAKE_RATE: f64 = 0.02;

/// Population size for a corpus of `messages` messages.
pub(crate) fn population_size(messages: usize) -> usize {
    (150 + messages / 20).min(5000)
}

pub(crate) fn generate_population(rng: &mut Rng, n: usize) -> Vec<Person> {
    let weights: Vec<u32> = CULTURES.iter().map(|c| c.weight).collect();
    let mut used_addrs: HashSet<String> = HashSet::new();
    let mut used_names: HashSet<String> = HashSet::new();
    let mut used_name_orgs: HashSet<String> = HashSet::new();
    let mut people = Vec::with_capacity(n);
    // Posting activity is Zipf-like over a random ranking.
    let mut ranks: Vec<u32> = (0..n as u32).collect();
    for i in (1..ranks.len()).rev() {
        let j = rng.index(i + 1);
        ranks.swap(i, j);
    }
    for (id, &rank) in ranks.iter().enumerate() {
        let c = &CULTURES[rng.weighted(&weights)];
        let female = rng.chance(0.5);
        let firsts = if female { c.female } else { c.male };
        // Namesakes exist (two "Wang Min"s), but rarely: a name already
        // taken is drawn again unless this person is one of the few
        // deliberate namesakes, or the culture's names run out.
        let mut tries = 0;
        let namesake = rng.chance(NAMESAKE_RATE);
        let (first_entry, last_entry): (String, String) = loop {
            let f = firsts[rng.index(firsts.len())];
            let l = c.last[rng.index(c.last.len())];
            tries += 1;
            // When the culture's plain names are taken, names grow as they
            // do in life: a two-part given name, or two family names.
            let (f, l) = if tries > 8 {
                if c.family_first {
                    let f2 = firsts[rng.index(firsts.len())];
                    (join_given(f, f2), l.to_string())
                } else {
                    let l2 = c.last[rng.index(c.last.len())];
                    (f.to_string(), join_family(l, l2))
                }
            } else {
                (f.to_string(), l.to_string())
            };
            // Word order does not make another name ("Dąbrowski Wiśniewski").
            let mut words: Vec<String> = format!("{} {}", split_native(&f).1, split_native(&l).1)
                .split_whitespace()
                .map(|w| fold(w).to_lowercase())
                .collect();
            words.sort();
            let key = words.join(" ");
            if !used_names.contains(&key) || tries >= 40 || namesake {
                used_names.insert(key);
                break (f, l);
            }
        };
        let (f_native, f_latin) = split_native(&first_entry);
        let (l_native, l_latin) = split_native(&last_entry);
        let native = c.native > 0.0 && rng.chance(c.native);
        let (first_shown, last_shown) = if native {
            (f_native, l_native)
        } else {
            (f_latin, l_latin)
        };
        let full = if c.family_first {
            format!("{l_latin} {f_latin}")
        } else {
            format!("{f_latin} {l_latin}")
        };
        let display_base = if native {
            if c.family_first {
                format!("{last_shown}{first_shown}")
            } else {
                format!("{first_shown} {last_shown}")
            }
        } else {
            full.clone()
        };

        // Organisation: local if there is one, otherwise a global body.
        let local: Vec<&'static Org> = ORGS.iter().filter(|o| o.region == c.region).collect();
        let global: Vec<&'static Org> = ORGS.iter().filter(|o| o.region == "global").collect();
        // Namesakes at one organisation would be indistinguishable even to
        // colleagues: a namesake goes elsewhere.
        let mut org: &'static Org = global[0];
        for _ in 0..20 {
            org = if !local.is_empty() && rng.chance(0.6) {
                local[rng.index(local.len())]
            } else {
                global[rng.index(global.len())]
            };
            if used_name_orgs.insert(format!("{full}|{}", org.name)) {
                break;
            }
        }

        // Addresses.
        let fl = fold(f_latin).replace(['\'', ' ', '-'], "");
        let ll = fold(l_latin).replace(['\'', ' ', '-'], "");
        let fl = if fl.is_empty() {
            "user".to_string()
        } else {
            fl
        };
        let ll = if ll.is_empty() { "x".to_string() } else { ll };
        let mut addrs = Vec::new();
        let personal_first = rng.chance(0.3);
        let n_addrs = if rng.chance(0.35) { 2 } else { 1 };
        for k in 0..n_addrs {
            let personal = (k == 0) == personal_first;
            let (local_part, domain) = if personal {
                let d = *rng.pick(c.personal);
                let lp = match rng.index(4) {
                    0 => format!("{fl}.{ll}"),
                    1 => format!("{fl}{ll}{}", rng.range(60, 99)),
                    2 => format!("{}{ll}", &fl[..1]),
                    _ => format!("{fl}_{ll}"),
                };
                (lp, d)
            } else {
                let lp = match rng.index(5) {
                    0 | 1 => format!("{fl}.{ll}"),
                    2 => format!("{}{ll}", &fl[..1]),
                    3 => fl.clone(),
                    _ => format!("{}.{ll}", &fl[..1]),
                };
                (lp, org.domain)
            };
            let mut addr = format!("{local_part}@{domain}");
            let mut suffix = 2;
            while used_addrs.contains(&addr) {
                addr = format!("{local_part}{suffix}@{domain}");
                suffix += 1;
            }
            used_addrs.insert(addr.clone());
            addrs.push(addr);
        }
        let primary_domain = Person::domain_of(&addrs[0]).to_string();

        // Client.
        let client_w: [u32; 5] = if primary_domain == "gmail.com" {
            [70, 0, 20, 10, 0]
        } else if matches!(org.kind, Gov | Igo) && !personal_first {
            [10, 60, 12, 8, 10]
        } else {
            [40, 30, 15, 15, 0]
        };
        let client = [
            Client::Gmail,
            Client::Outlook,
            Client::Apple,
            Client::Thunderbird,
            Client::Notes,
        ][rng.weighted(&client_w)];
        let locale = if rng.chance(0.72) {
            c.locale
        } else if c.locale == Locale::EnUs {
            Locale::EnGb
        } else {
            Locale::EnUs
        };
        let lang = c.lang;
        let speaks_en = lang == Lang::En || rng.chance(c.speaks_en);

        let display = if client == Client::Outlook
            && matches!(org.kind, Gov | Igo)
            && !native
            && rng.chance(0.3)
        {
            if c.family_first {
                format!("{} {}", l_latin.to_uppercase(), f_latin)
            } else {
                format!("{l_latin}, {f_latin}")
            }
        } else {
            display_base
        };

        let positions = match org.kind {
            Gov => POS_GOV,
            Igo => POS_IGO,
            CivSoc => POS_CIV,
            Tech => POS_TECH,
            Academia => POS_ACAD,
            Private => POS_PRIV,
        };
        let position = *rng.pick(positions);
        let honorific = if position.starts_with("Ambassador") {
            "H.E."
        } else if position.starts_with("Professor") {
            "Prof."
        } else if rng.chance(0.15) || position == "Research Fellow" {
            "Dr."
        } else if female {
            "Ms."
        } else {
            "Mr."
        };
        let zone = *rng.pick(c.zones);
        let habit = match client {
            Client::Thunderbird => {
                [Habit::BottomPost, Habit::Interleave, Habit::TopPost][rng.weighted(&[55, 25, 20])]
            }
            _ => [Habit::TopPost, Habit::BottomPost, Habit::Interleave][rng.weighted(&[82, 8, 10])],
        };
        let flowed = match client {
            Client::Thunderbird => rng.chance(0.6),
            Client::Apple => rng.chance(0.2),
            _ => false,
        };
        let delsp = rng.chance(if client == Client::Apple { 0.6 } else { 0.1 });
        let legacy = if lang != Lang::En || matches!(c.locale, Locale::De | Locale::Sv) {
            match client {
                Client::Outlook | Client::Notes if rng.chance(0.35) => Some(Charset::Cp1252),
                Client::Thunderbird | Client::Notes if rng.chance(0.4) => Some(Charset::Latin1),
                Client::Apple if rng.chance(0.15) => Some(Charset::Latin1),
                _ => None,
            }
        } else {
            None
        };
        let hard_wrap = match client {
            Client::Gmail => rng.chance(0.6),
            Client::Thunderbird => true,
            _ => false,
        };

        let sig_dashes = client == Client::Thunderbird && rng.chance(0.6) || rng.chance(0.05);
        let mut signature = String::new();
        if sig_dashes {
            signature.push_str("-- \n");
        }
        match rng.index(4) {
            0 => {
                signature.push_str(&format!("{full} | {position} | {}\n", org.name));
            }
            _ => {
                let title = if honorific == "Dr." || honorific == "Prof." {
                    format!("{honorific} {full}")
                } else {
                    full.clone()
                };
                signature.push_str(&format!("{title}\n{position}\n{}\n", org.name));
                match rng.index(4) {
                    0 => signature.push_str(&format!("https://www.{}\n", org.domain)),
                    1 => signature.push_str(&format!(
                        "Tel: +{} {} {} {}\n",
                        rng.range(1, 98),
                        rng.range(10, 99),
                        rng.range(100, 999),
                        rng.range(1000, 9999)
                    )),
                    2 => signature.push_str(&format!("@{}{}\n", fl, &ll[..ll.len().min(3)])),
                    _ => {}
                }
            }
        }

        let (pre, region) = MS_PREFIXES[rng.index(MS_PREFIXES.len())];
        let ms_host = format!("{pre}{:02}MB{}", rng.range(1, 19), rng.range(1000, 9999));

        let rank = rank as f64;
        let weight = (1_000_000.0 * exp(-0.8 * ln(rank + 1.0))) as u32 + 1;

        people.push(Person {
            id: id as u32,
            first: if native {
                f_latin.to_string()
            } else {
                first_shown.to_string()
            },
            display,
            full,
            female,
            lang,
            speaks_en,
            locale,
            client,
            addrs,
            org,
            position,
            honorific,
            zone,
            habit,
            trims: rng.chance(0.3),
            flowed,
            delsp,
            legacy,
            date_comment: rng.chance(0.1),
            smart_quotes: client == Client::Outlook && rng.chance(0.5),
            hard_wrap,
            signature,
            ms_host,
            ms_region: region.to_string(),
            weight,
        });
    }
    people
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_transliterates() {
        assert_eq!(fold("Guimarães"), "guimaraes");
        assert_eq!(fold("Ødegård"), "odegard");
        assert_eq!(fold("Nguyễn"), "nguyen");
        assert_eq!(fold("Weiß"), "weiss");
        assert_eq!(fold("Łukasz"), "lukasz");
    }

    #[test]
    fn population_has_unique_addresses() {
        let mut rng = Rng::new(3);
        let people = generate_population(&mut rng, 2000);
        let mut seen = HashSet::new();
        for p in &people {
            for a in &p.addrs {
                assert!(a.is_ascii(), "{a}");
                assert!(seen.insert(a.clone()), "duplicate {a}");
            }
        }
        assert!(people.iter().any(|p| !p.display.is_ascii()));
    }
}
