//! Reading project files from disk without trusting the disk: only regular files, never through a link that
//! leaves the project, never more than a size limit, never a binary file, and never an open that can block
//! (a FIFO, a terminal, a device). Every read of a project file goes through [`read_project_file`].

use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Not there, or not readable.
    Unreadable,
    /// A FIFO, a socket, a device or a folder (reading one could block forever or never end).
    NotRegular,
    /// Its real location (after links) is outside the project.
    Outside,
    /// Larger than the limit.
    TooLarge(u64),
    /// Holds NUL bytes or is not UTF-8.
    Binary,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Unreadable => write!(f, "it cannot be read"),
            Refused::NotRegular => {
                write!(f, "it is not a regular file (a FIFO, a device or a folder)")
            }
            Refused::Outside => write!(f, "it is a link to a place outside the project"),
            Refused::TooLarge(n) => write!(f, "it is larger than the limit ({n} bytes)"),
            Refused::Binary => write!(f, "it is not text (NUL bytes or invalid UTF-8)"),
        }
    }
}

/// Whether `path`, links resolved, lies inside `root` (links resolved too). A path that does not exist is judged
/// by its nearest existing ancestor, so that "does it exist?" is never answered for a place outside `root`.
pub fn within(path: &Path, root: &Path) -> bool {
    let Ok(root) = root.canonicalize() else {
        return false;
    };
    let mut probe: PathBuf = path.to_path_buf();
    loop {
        if let Ok(real) = probe.canonicalize() {
            return real.starts_with(&root);
        }
        match probe.parent() {
            Some(parent) if parent != probe => probe = parent.to_path_buf(),
            _ => return false,
        }
    }
}

/// Reads a project file as text: a regular file whose real location is inside `root`, at most `max` bytes, and
/// text (no NUL byte, valid UTF-8).
pub fn read_project_file(path: &Path, root: &Path, max: u64) -> Result<String, Refused> {
    // `metadata` follows links and never opens the file: a FIFO or a device is refused before any open.
    let meta = std::fs::metadata(path).map_err(|_| Refused::Unreadable)?;
    if !meta.is_file() {
        return Err(Refused::NotRegular);
    }
    if meta.len() > max {
        return Err(Refused::TooLarge(max));
    }
    if !within(path, root) {
        return Err(Refused::Outside);
    }
    let mut file = open_nonblocking(path).map_err(|_| Refused::Unreadable)?;
    // The file may have been replaced between the check and the open: check what was opened.
    let meta = file.metadata().map_err(|_| Refused::Unreadable)?;
    if !meta.is_file() {
        return Err(Refused::NotRegular);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(max)).unwrap_or(0));
    (&mut file)
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|_| Refused::Unreadable)?;
    if bytes.len() as u64 > max {
        return Err(Refused::TooLarge(max));
    }
    if bytes.contains(&0) {
        return Err(Refused::Binary);
    }
    String::from_utf8(bytes).map_err(|_| Refused::Binary)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK: an open of a FIFO without a writer would otherwise wait for one forever.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// The files under a project root that may be frontend code (see [`crate::workspace::is_frontend_file`]; their
/// text decides): TypeScript and JavaScript files outside `amplify/`, `node_modules`, `.amplify`, `.git` and
/// whatever `.gitignore` ignores, at most `limit` of them, in path order. Links are not followed.
pub fn frontend_candidates(root: &Path, limit: usize) -> Vec<PathBuf> {
    let top = root.to_path_buf();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .follow_links(false)
        .max_depth(Some(16))
        .filter_entry(move |e| {
            let name = e.file_name().to_string_lossy();
            let amplify_dir = name == "amplify" && e.path().parent() == Some(top.as_path());
            !(amplify_dir || name == "node_modules" || name == ".amplify" || name == ".git")
        })
        .build();
    let mut out: Vec<PathBuf> = walker
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(ignore::DirEntry::into_path)
        .filter(|p| crate::syntax::Lang::from_frontend_path(&p.to_string_lossy()).is_some())
        .take(limit)
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_and_refuses_the_rest() {
        let dir = std::env::temp_dir().join(format!("amplify-lsp-fs-{}", std::process::id()));
        let root = dir.join("project");
        std::fs::create_dir_all(root.join("amplify")).expect("mkdir");
        let ok = root.join("amplify/ok.ts");
        std::fs::write(&ok, "export const x = 1;\n").expect("write");
        assert_eq!(
            read_project_file(&ok, &root, 1000).as_deref(),
            Ok("export const x = 1;\n")
        );
        assert_eq!(read_project_file(&ok, &root, 5), Err(Refused::TooLarge(5)));
        let bin = root.join("amplify/bin.ts");
        std::fs::write(&bin, b"a\0b").expect("write");
        assert_eq!(read_project_file(&bin, &root, 1000), Err(Refused::Binary));
        let latin1 = root.join("amplify/latin1.ts");
        std::fs::write(&latin1, b"caf\xe9").expect("write");
        assert_eq!(
            read_project_file(&latin1, &root, 1000),
            Err(Refused::Binary)
        );
        assert_eq!(
            read_project_file(&root.join("amplify"), &root, 1000),
            Err(Refused::NotRegular)
        );
        assert_eq!(
            read_project_file(&root.join("amplify/missing.ts"), &root, 1000),
            Err(Refused::Unreadable)
        );
        #[cfg(unix)]
        {
            let outside = dir.join("outside.ts");
            std::fs::write(&outside, "secret").expect("write");
            let link = root.join("amplify/link.ts");
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink(&outside, &link).expect("symlink");
            assert_eq!(read_project_file(&link, &root, 1000), Err(Refused::Outside));
            let zero = root.join("amplify/zero.ts");
            let _ = std::fs::remove_file(&zero);
            std::os::unix::fs::symlink("/dev/zero", &zero).expect("symlink");
            assert_eq!(
                read_project_file(&zero, &root, 1000),
                Err(Refused::NotRegular)
            );
            // a link inside the project is fine
            let inner = root.join("amplify/inner.ts");
            let _ = std::fs::remove_file(&inner);
            std::os::unix::fs::symlink(&ok, &inner).expect("symlink");
            assert!(read_project_file(&inner, &root, 1000).is_ok());
            // a folder link that leaves the project: nothing below it is "inside", existing or not
            let out = root.join("amplify/out");
            let _ = std::fs::remove_file(&out);
            std::os::unix::fs::symlink("/etc", &out).expect("symlink");
            assert!(!within(&out.join("passwd"), &root));
            assert!(!within(&out.join("nonexistent"), &root));
            assert!(within(&root.join("amplify/nonexistent.ts"), &root));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn frontend_candidates_skip_the_backend_dependencies_and_ignored_files() {
        let dir = std::env::temp_dir().join(format!("amplify-lsp-fe-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let root = dir.as_path();
        for rel in [
            "amplify/data/resource.ts",
            "src/App.tsx",
            "src/lib/api.js",
            "src/amplify/client.ts",
            "node_modules/aws-amplify/index.js",
            "dist/bundle.js",
            "README.md",
        ] {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, "").expect("write");
        }
        std::fs::write(root.join(".gitignore"), "dist/\n").expect("write");
        let found: Vec<String> = frontend_candidates(root, 100)
            .iter()
            .map(|p| {
                p.strip_prefix(root)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        // an `amplify` folder below the root is not the backend's
        assert_eq!(
            found,
            ["src/App.tsx", "src/amplify/client.ts", "src/lib/api.js"]
        );
        assert_eq!(frontend_candidates(root, 1).len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
