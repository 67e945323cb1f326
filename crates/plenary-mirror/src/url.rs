//! Just enough URL handling for mirroring: parse http(s) URLs, resolve the relative
//! links pipermail writes, and map a URL to a path in the local replica. (The `url`
//! crate would do more than is needed here; pipermail links are plain relative paths.)

use std::path::{Path, PathBuf};

use crate::MirrorError;

/// An absolute http or https URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    scheme: String,
    host: String,
    /// Starts with `/`; keeps the query, never the fragment.
    path: String,
}

impl Url {
    /// Parses an absolute URL; any scheme other than http and https is refused.
    pub fn parse(s: &str) -> Result<Url, MirrorError> {
        let bad = |reason: &str| MirrorError::Url {
            url: s.to_string(),
            reason: reason.to_string(),
        };
        let s_trim = s.trim();
        let (scheme, rest) = s_trim
            .split_once("://")
            .ok_or_else(|| bad("not an absolute URL (http:// or https://)"))?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(bad("only http and https URLs are mirrored"));
        }
        let rest = rest.split('#').next().unwrap_or("");
        let (host, path) = match rest.find(['/', '?']) {
            Some(i) if rest.as_bytes()[i] == b'/' => (&rest[..i], rest[i..].to_string()),
            Some(i) => (&rest[..i], format!("/{}", &rest[i..])),
            None => (rest, "/".to_string()),
        };
        if host.is_empty() || host.contains('@') || host.contains(char::is_whitespace) {
            return Err(bad("no host, or a host with credentials or spaces"));
        }
        Ok(Url {
            scheme,
            host: host.to_ascii_lowercase(),
            path: normalise(&path),
        })
    }

    /// The host (with its port when one is given).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The path with its query.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The path without its query.
    fn bare_path(&self) -> &str {
        self.path.split('?').next().unwrap_or("/")
    }

    /// The URL of the folder this URL is in (ends with `/`).
    pub fn dir(&self) -> Url {
        let p = self.bare_path();
        let cut = p.rfind('/').map_or(0, |i| i + 1);
        Url {
            path: p[..cut].to_string(),
            ..self.clone()
        }
    }

    /// The last path segment (empty for a folder URL).
    pub fn file_name(&self) -> &str {
        let p = self.bare_path();
        &p[p.rfind('/').map_or(0, |i| i + 1)..]
    }

    /// Resolves a link found in a page at this URL. `None` for links that are not
    /// http(s) (mailto:, javascript:) or are only a fragment.
    pub fn join(&self, href: &str) -> Option<Url> {
        let href = href.trim();
        let href = href.split('#').next().unwrap_or("");
        if href.is_empty() {
            return None;
        }
        if href.contains("://") {
            return Url::parse(href).ok();
        }
        if href.starts_with("//") {
            return Url::parse(&format!("{}:{href}", self.scheme)).ok();
        }
        if href.contains(':') && !href.contains('/') || href.split('/').next()?.contains(':') {
            return None; // mailto:, javascript: …
        }
        let path = if href.starts_with('/') {
            href.to_string()
        } else if href.starts_with('?') {
            format!("{}{href}", self.bare_path())
        } else {
            format!("{}{href}", self.dir().path)
        };
        Some(Url {
            path: normalise(&path),
            ..self.clone()
        })
    }

    /// Whether this URL is inside the folder of `prefix` (same scheme and host, path
    /// under it).
    pub fn is_under(&self, prefix: &Url) -> bool {
        self.scheme == prefix.scheme
            && self.host == prefix.host
            && self.bare_path().starts_with(prefix.dir().bare_path())
    }

    /// Where this URL's bytes are kept under `root`: `root/HOST/PATH…`, a folder URL
    /// as its `index.html`, a last segment without an extension as `NAME.html` (a page
    /// such as `/en/sessions/318`: the agenda importer knows pages by their name), the
    /// query left out (a HyperKitty export's file name names its month already).
    /// Segments are normalised, so nothing lands outside `root`.
    pub fn local_path(&self, root: &Path) -> PathBuf {
        let mut out = root.join(self.host.replace(':', "_"));
        let p = self.bare_path();
        for seg in p
            .split('/')
            .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        {
            out.push(seg);
        }
        if p.ends_with('/') {
            out.push("index.html");
        } else if !self.file_name().contains('.') {
            out.set_extension("html");
        }
        out
    }
}

impl std::fmt::Display for Url {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}{}", self.scheme, self.host, self.path)
    }
}

/// Removes `.` and `..` segments (a `..` above the root is dropped).
fn normalise(path: &str) -> String {
    let (p, q) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };
    let mut segs: Vec<&str> = Vec::new();
    let parts: Vec<&str> = p.split('/').collect();
    for (i, seg) in parts.iter().enumerate() {
        match *seg {
            "." => {}
            ".." => {
                segs.pop();
            }
            "" if i != 0 && i != parts.len() - 1 => {}
            s if i != 0 => segs.push(s),
            _ => {}
        }
    }
    let mut out = format!("/{}", segs.join("/"));
    if (p.ends_with('/') || p.ends_with("/.") || p.ends_with("/..")) && !out.ends_with('/') {
        out.push('/');
    }
    if let Some(q) = q {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses_other_schemes() {
        let u = Url::parse("https://Mail.Example.org/pipermail/x/").unwrap();
        assert_eq!(u.to_string(), "https://mail.example.org/pipermail/x/");
        assert!(Url::parse("ftp://example.org/x").is_err());
        assert!(Url::parse("file:///etc/passwd").is_err());
        assert!(Url::parse("example.org/x").is_err());
        assert_eq!(
            Url::parse("http://h:8080").unwrap().to_string(),
            "http://h:8080/"
        );
    }

    #[test]
    fn joins_relative_links() {
        let base = Url::parse("http://h/pipermail/x/").unwrap();
        let m = base.join("2021-August/thread.html").unwrap();
        assert_eq!(
            m.to_string(),
            "http://h/pipermail/x/2021-August/thread.html"
        );
        assert_eq!(
            m.join("000123.html").unwrap().to_string(),
            "http://h/pipermail/x/2021-August/000123.html"
        );
        assert_eq!(
            m.join("../index.html").unwrap().to_string(),
            "http://h/pipermail/x/index.html"
        );
        assert!(base.join("mailto:a@b").is_none());
        assert!(base.join("#top").is_none());
        assert_eq!(base.join("/other/").unwrap().to_string(), "http://h/other/");
    }

    #[test]
    fn prefix_refusal() {
        let base = Url::parse("http://h/pipermail/x/").unwrap();
        assert!(base.join("2021-May.txt.gz").unwrap().is_under(&base));
        let page = base.join("2021-May/date.html").unwrap();
        assert!(page.join("000001.html").unwrap().is_under(&page));
        assert!(!page
            .join("../2021-April/000001.html")
            .unwrap()
            .is_under(&page));
        assert!(!base.join("../y/2021-May.txt.gz").unwrap().is_under(&base));
        assert!(!base.join("/etc/passwd").unwrap().is_under(&base));
        assert!(!base
            .join("http://evil/pipermail/x/a")
            .unwrap()
            .is_under(&base));
        assert!(!base
            .join("https://h/pipermail/x/a")
            .unwrap()
            .is_under(&base));
    }

    #[test]
    fn local_paths_stay_under_the_root() {
        let root = Path::new("/data/mirror");
        let u = Url::parse("http://127.0.0.1:80/pipermail/x/").unwrap();
        assert_eq!(
            u.local_path(root),
            Path::new("/data/mirror/127.0.0.1_80/pipermail/x/index.html")
        );
        let u = Url::parse("http://h/a/../../../etc/passwd.txt").unwrap();
        assert_eq!(
            u.local_path(root),
            Path::new("/data/mirror/h/etc/passwd.txt")
        );
        let u = Url::parse("https://h/en/sessions/318").unwrap();
        assert_eq!(
            u.local_path(root),
            Path::new("/data/mirror/h/en/sessions/318.html")
        );
        let u = Url::parse("http://h/l/export/l-2021-05.mbox.gz?start=2021-05-01").unwrap();
        assert_eq!(
            u.local_path(root),
            Path::new("/data/mirror/h/l/export/l-2021-05.mbox.gz")
        );
    }
}
