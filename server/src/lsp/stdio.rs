//! The server's standard input and output.
//!
//! tokio's `stdin()` and `stdout()` hand every read and every write to a thread of the blocking pool and wake the
//! task when it is done: two thread hand-offs for each request and its answer. On two busy cores each hand-off
//! can wait for a core (see BENCHMARKS.md, session 15: up to 1.8 ms to be read and 2.5 ms to be written at p95).
//! Editors start a language server with a pipe (Helix, `std::process`) or a socket pair (VS Code and Neovim,
//! through libuv) on its standard input and output; those are read and written here directly on the runtime's
//! threads, in non-blocking mode, registered with its event loop. Anything else (a terminal, a file) keeps
//! tokio's blocking way.

use tokio::io::{AsyncRead, AsyncWrite};

/// Standard input, to read on the runtime.
pub type Input = Box<dyn AsyncRead + Unpin + Send>;
/// Standard output, to write on the runtime.
pub type Output = Box<dyn AsyncWrite + Unpin + Send>;

/// Standard input and output, direct when they are a pipe or a socket; whether each is direct is logged.
pub fn stdio() -> (Input, Output) {
    let input = direct::input();
    let output = direct::output();
    let how = |kind: Option<&str>| {
        kind.map_or("through a thread".to_string(), |k| format!("a {k}, direct"))
    };
    tracing::debug!(
        "standard input: {}; standard output: {}",
        how(input.as_ref().map(|i| i.1)),
        how(output.as_ref().map(|o| o.1)),
    );
    (
        input.map_or_else(|| Box::new(tokio::io::stdin()) as Input, |i| i.0),
        output.map_or_else(|| Box::new(tokio::io::stdout()) as Output, |o| o.0),
    )
}

#[cfg(unix)]
mod direct {
    use std::os::fd::{AsFd, OwnedFd};
    use std::os::unix::fs::FileTypeExt;

    use super::{Input, Output};

    enum Kind {
        Pipe,
        Socket,
    }

    impl Kind {
        fn name(&self) -> &'static str {
            match self {
                Kind::Pipe => "pipe",
                Kind::Socket => "socket",
            }
        }
    }

    /// A copy of the descriptor (the same open file) and what it is, when it is a pipe or a socket.
    fn probe(fd: std::os::fd::BorrowedFd<'_>) -> Option<(OwnedFd, Kind)> {
        let file = std::fs::File::from(fd.try_clone_to_owned().ok()?);
        let ty = file.metadata().ok()?.file_type();
        let kind = if ty.is_fifo() {
            Kind::Pipe
        } else if ty.is_socket() {
            Kind::Socket
        } else {
            return None;
        };
        Some((OwnedFd::from(file), kind))
    }

    fn socket(fd: OwnedFd) -> Option<tokio::net::UnixStream> {
        let s = std::os::unix::net::UnixStream::from(fd);
        s.set_nonblocking(true).ok()?;
        tokio::net::UnixStream::from_std(s).ok()
    }

    pub(super) fn input() -> Option<(Input, &'static str)> {
        let (fd, kind) = probe(std::io::stdin().as_fd())?;
        let input: Input = match kind {
            Kind::Pipe => Box::new(tokio::net::unix::pipe::Receiver::from_owned_fd(fd).ok()?),
            Kind::Socket => Box::new(socket(fd)?),
        };
        Some((input, kind.name()))
    }

    pub(super) fn output() -> Option<(Output, &'static str)> {
        let (fd, kind) = probe(std::io::stdout().as_fd())?;
        let output: Output = match kind {
            Kind::Pipe => Box::new(tokio::net::unix::pipe::Sender::from_owned_fd(fd).ok()?),
            Kind::Socket => Box::new(socket(fd)?),
        };
        Some((output, kind.name()))
    }
}

#[cfg(not(unix))]
mod direct {
    use super::{Input, Output};

    pub(super) fn input() -> Option<(Input, &'static str)> {
        None
    }

    pub(super) fn output() -> Option<(Output, &'static str)> {
        None
    }
}
