//! Output sinks: mboxrd files or Maildir folders, plus the truth file.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::compose::Built;
use crate::lists::ListDef;
use crate::rng::mix64;
use crate::time::asctime;
use crate::{Format, GenError};

pub(crate) fn io_err(path: &Path) -> impl FnOnce(io::Error) -> GenError + '_ {
    move |source| GenError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// mboxrd: does this line need one more `>`?
fn needs_escape(line: &[u8]) -> bool {
    let k = line.iter().take_while(|&&b| b == b'>').count();
    line[k..].starts_with(b"From ")
}

/// Write `data` with mboxrd quoting; returns the number of bytes written.
pub(crate) fn write_escaped<W: Write>(w: &mut W, data: &[u8]) -> io::Result<u64> {
    let mut written = 0u64;
    let mut chunk_start = 0usize;
    let mut line_start = 0usize;
    while line_start < data.len() {
        let end = data[line_start..]
            .iter()
            .position(|&b| b == b'\n')
            .map(|i| line_start + i)
            .unwrap_or(data.len());
        let first = data[line_start];
        if (first == b'F' || first == b'>') && needs_escape(&data[line_start..end]) {
            w.write_all(&data[chunk_start..line_start])?;
            w.write_all(b">")?;
            written += (line_start - chunk_start) as u64 + 1;
            chunk_start = line_start;
        }
        line_start = end + 1;
    }
    w.write_all(&data[chunk_start..])?;
    written += (data.len() - chunk_start) as u64;
    Ok(written)
}

pub(crate) enum Sink {
    Mbox {
        dir: PathBuf,
        files: Vec<Option<BufWriter<File>>>,
    },
    Maildir {
        dir: PathBuf,
        created: Vec<bool>,
    },
}

impl Sink {
    pub(crate) fn new(out: &Path, format: Format, lists: usize) -> Result<Sink, GenError> {
        let dir = out.join(match format {
            Format::Mbox => "mbox",
            Format::Maildir => "maildir",
        });
        if let Ok(mut rd) = fs::read_dir(&dir) {
            if rd.next().is_some() {
                return Err(GenError::OutputNotEmpty(dir));
            }
        }
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        Ok(match format {
            Format::Mbox => Sink::Mbox {
                dir,
                files: (0..lists).map(|_| None).collect(),
            },
            Format::Maildir => Sink::Maildir {
                dir,
                created: vec![false; lists],
            },
        })
    }

    /// Write one message; returns bytes written.
    pub(crate) fn write(
        &mut self,
        list_idx: usize,
        list: &ListDef,
        built: &Built,
        index: u64,
    ) -> Result<u64, GenError> {
        match self {
            Sink::Mbox { dir, files } => {
                let path = dir.join(format!("{}.mbox", list.slug));
                if files[list_idx].is_none() {
                    let f = File::create(&path).map_err(io_err(&path))?;
                    files[list_idx] = Some(BufWriter::with_capacity(1 << 20, f));
                }
                let Some(w) = files[list_idx].as_mut() else {
                    return Ok(0);
                };
                let write = |w: &mut BufWriter<File>| -> io::Result<u64> {
                    let sep = format!("From {} {}\n", built.envelope, asctime(built.date));
                    w.write_all(sep.as_bytes())?;
                    let mut n = sep.len() as u64;
                    n += write_escaped(w, &built.head)?;
                    match built.verbatim {
                        Some((a, b)) => {
                            n += write_escaped(w, &built.body[..a])?;
                            w.write_all(&built.body[a..b])?;
                            n += (b - a) as u64;
                            n += write_escaped(w, &built.body[b..])?;
                        }
                        None => n += write_escaped(w, &built.body)?,
                    }
                    w.write_all(b"\n")?;
                    Ok(n + 1)
                };
                write(w).map_err(io_err(&path))
            }
            Sink::Maildir { dir, created } => {
                let base = dir.join(list.slug);
                if !created[list_idx] {
                    for sub in ["cur", "new", "tmp"] {
                        let d = base.join(sub);
                        fs::create_dir_all(&d).map_err(io_err(&d))?;
                    }
                    created[list_idx] = true;
                }
                let h = mix64(index ^ 0x4D41_494C_4449_5231);
                let in_cur = h % 10 < 8;
                let name = format!(
                    "{}.M{:06}P{}Q{}.mail.{}{}",
                    built.date,
                    (h >> 8) % 1_000_000,
                    1000 + (h >> 32) % 60_000,
                    index + 1,
                    list.host,
                    if in_cur { ":2,S" } else { "" }
                );
                let path = base.join(if in_cur { "cur" } else { "new" }).join(name);
                let write = || -> io::Result<()> {
                    let mut f = File::create(&path)?;
                    f.write_all(&built.head)?;
                    f.write_all(&built.body)
                };
                write().map_err(io_err(&path))?;
                Ok((built.head.len() + built.body.len()) as u64)
            }
        }
    }

    pub(crate) fn finish(self) -> Result<(), GenError> {
        if let Sink::Mbox { dir, files } = self {
            for mut w in files.into_iter().flatten() {
                w.flush().map_err(io_err(&dir))?;
            }
        }
        Ok(())
    }
}

#[derive(Serialize)]
pub(crate) struct TruthLine<'a> {
    pub message_id: Option<&'a str>,
    pub list: &'a str,
    pub parent: Option<&'a str>,
    pub author: &'a str,
    pub malformed: Option<&'a str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mboxrd_escaping() {
        let mut out = Vec::new();
        let n = write_escaped(
            &mut out,
            b"From x\n>From y\nFromage\n>>From z\n> From q\nok",
        )
        .unwrap_or(0);
        assert_eq!(out, b">From x\n>>From y\nFromage\n>>>From z\n> From q\nok");
        assert_eq!(n as usize, out.len());
    }
}
