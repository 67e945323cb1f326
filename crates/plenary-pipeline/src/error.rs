//! The pipeline's errors: what failed, in which step, on which file.

use std::path::PathBuf;

/// Why a pipeline step failed. Bad *input* never lands here: it becomes a reject with
/// its reason, and the step goes on. These are failures of the data folder itself.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Store(#[from] plenary_store::StoreError),
    #[error(transparent)]
    Search(#[from] plenary_search::SearchError),
    #[error(transparent)]
    Frameworks(#[from] plenary_frameworks::FrameworkError),
    #[error(transparent)]
    Curated(#[from] plenary_people::CuratedError),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file the user named is not what the command needs.
    #[error("{}: {reason}", path.display())]
    BadFile { path: PathBuf, reason: String },
    /// A takedown's target names nothing, or more than one person.
    #[error("takedown: {0}")]
    Takedown(String),
    /// A step failed; `step` says which ("rebuilding threads").
    #[error("{step}: {source}")]
    Step {
        step: &'static str,
        #[source]
        source: Box<PipelineError>,
    },
}

/// The pipeline's result.
pub type Result<T> = std::result::Result<T, PipelineError>;

/// Names the step a failure happened in.
pub(crate) trait StepContext<T> {
    fn step(self, step: &'static str) -> Result<T>;
}

impl<T, E: Into<PipelineError>> StepContext<T> for std::result::Result<T, E> {
    fn step(self, step: &'static str) -> Result<T> {
        self.map_err(|e| PipelineError::Step {
            step,
            source: Box::new(e.into()),
        })
    }
}

/// An I/O failure on `path`.
pub(crate) fn io_error(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> PipelineError {
    let path = path.into();
    move |source| PipelineError::Io { path, source }
}
