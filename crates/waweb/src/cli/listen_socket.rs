//! The socket of a running `waweb listen`. The protocol keeps one live session per account, so
//! a command with the session file of a running listen would take the session over and `listen`
//! would end as "replaced". `listen` therefore holds a Unix socket next to the session file
//! (`<session>.listen.sock`, mode 0600, so only its user reaches it): `send` and `read` go
//! through it ([`super::forward`]); any other command that can connect to it knows a listener is
//! live and says, before it takes over, what is going to happen and how to keep both running.

use std::path::{Path, PathBuf};

/// The socket of the listener of session file `session`.
pub fn path_for(session: &Path) -> PathBuf {
    let mut name = session.file_name().unwrap_or_default().to_os_string();
    name.push(".listen.sock");
    session.with_file_name(name)
}

/// What a command says when a listener of its session is live.
pub fn takeover_note(session: &Path) -> String {
    format!(
        "note: `waweb listen` is running with this session ({}); this command takes the session \
         over and that listen stops (one live session per account; only `send` and `read` go \
         through a running listen). To run other commands beside a listen, pair a second \
         session for it: `waweb login --session listen.json`, then \
         `waweb listen --session listen.json`",
        session.display()
    )
}

/// Whether a `waweb listen` of session file `session` is running.
#[cfg(unix)]
pub fn listener_running(session: &Path) -> bool {
    std::os::unix::net::UnixStream::connect(path_for(session)).is_ok()
}

/// Whether a `waweb listen` of session file `session` is running (never known off Unix).
#[cfg(not(unix))]
pub fn listener_running(_session: &Path) -> bool {
    false
}

/// The listener's socket; removed when dropped, unless another listen has replaced it since.
#[cfg(unix)]
pub struct Guard {
    path: PathBuf,
    inode: u64,
}

#[cfg(unix)]
impl Drop for Guard {
    fn drop(&mut self) {
        use std::os::unix::fs::MetadataExt;
        if std::fs::metadata(&self.path).is_ok_and(|m| m.ino() == self.inode) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Opens the listener's socket for `session` (in place of a previous listen's: this one has just
/// taken the session over). `None` (with a warning) if it cannot be made: listening works
/// without it.
#[cfg(unix)]
pub fn hold(session: &Path) -> Option<(Guard, tokio::net::UnixListener)> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let path = path_for(session);
    let _ = std::fs::remove_file(&path);
    let bound = tokio::net::UnixListener::bind(&path).and_then(|listener| {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        Ok((listener, std::fs::metadata(&path)?.ino()))
    });
    match bound {
        Ok((listener, inode)) => Some((Guard { path, inode }, listener)),
        Err(e) => {
            tracing::warn!("cannot create {}: {e}", path.display());
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_socket_sits_next_to_the_session_file() {
        let path = path_for(Path::new("/home/a/.config/waweb/session.json"));
        assert_eq!(path, Path::new("/home/a/.config/waweb/session.json.listen.sock"));
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_held_socket_is_seen_private_and_gone_after_drop() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let session = dir.path().join("s.json");
        assert!(!listener_running(&session));
        let (guard, listener) = hold(&session).unwrap();
        assert!(listener_running(&session));
        drop(listener);
        let mode = std::fs::metadata(path_for(&session)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        drop(guard);
        assert!(!listener_running(&session));
        assert!(!path_for(&session).exists());
    }
}
