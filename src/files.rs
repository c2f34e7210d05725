//! Files and folders otagai creates on the host, private to the account that runs it.
//!
//! The SQLite database holds private 1on1 notes and the exports hold the ledger and the org
//! chart, so neither may be readable by other accounts (security review, issue 9): files are
//! created `0600` and folders `0700`, whatever the umask. SQLite creates its `-wal`, `-shm` and
//! `-journal` files with the permissions of the database file, so a private database keeps them
//! private too. Owns no data and no rules; only how a path comes into existence.

use anyhow::Context;
use std::fs::File;
use std::path::Path;

/// Read and write for the owner only.
#[cfg(unix)]
const FILE_MODE: u32 = 0o600;
/// Enter, list and write for the owner only.
#[cfg(unix)]
const DIR_MODE: u32 = 0o700;

/// Creates `dir` and any missing parents, each private (`0700`). Folders that already exist
/// are left as they are: they may be shared on purpose (`/var/lib`, a home directory).
pub fn create_private_dir_all(dir: &Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, DIR_MODE);
    builder
        .create(dir)
        .with_context(|| format!("creating the folder {}", dir.display()))
}

/// Creates (or truncates) `path` for writing, private (`0600`). An existing file is tightened
/// to `0600` too: what otagai writes into it (an export) is as private as a new one.
pub fn create_private_file(path: &Path) -> anyhow::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    let file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    // `mode` applies only when the file is created; an existing one keeps its permissions.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(FILE_MODE))
            .with_context(|| format!("making {} private", path.display()))?;
    }
    Ok(file)
}

/// Makes sure the SQLite database at `file` is private before SQLite opens it: a missing file
/// is created empty with `0600` (SQLite takes an empty file as an empty database, and creates
/// its `-wal`/`-shm` with the same permissions), and its folder with `0700`. An existing
/// database (and its `-wal`, `-shm`, `-journal`) that other accounts may read is tightened to
/// `0600` with a warning in the log, or only warned about when it cannot be (not ours).
pub fn prepare_sqlite_file(file: &Path) -> anyhow::Result<()> {
    if let Some(dir) = file.parent()
        && !dir.as_os_str().is_empty()
        && !dir.exists()
    {
        create_private_dir_all(dir)?;
    }
    if !file.exists() {
        let mut options = std::fs::OpenOptions::new();
        // create_new: if another process created it meanwhile, theirs is checked below.
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
        match options.open(file) {
            Ok(_) => return Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                return Err(e).with_context(|| format!("creating {}", file.display()));
            }
        }
    }
    #[cfg(unix)]
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = file.as_os_str().to_owned();
        name.push(suffix);
        tighten_if_shared(Path::new(&name));
    }
    Ok(())
}

/// Removes the group and other bits of an existing file, warning either way.
#[cfg(unix)]
fn tighten_if_shared(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 == 0 {
        return;
    }
    let private = mode & !0o077;
    match std::fs::set_permissions(path, std::fs::Permissions::from_mode(private)) {
        Ok(()) => tracing::warn!(
            path = %path.display(),
            was = format!("{mode:o}"),
            now = format!("{private:o}"),
            "the database file was readable by other accounts; made it private"
        ),
        Err(e) => tracing::warn!(
            path = %path.display(),
            mode = format!("{mode:o}"),
            error = %e,
            "the database file is readable by other accounts and cannot be made private; \
             it holds private 1on1 notes: restrict it (chmod 600)"
        ),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    fn temp() -> std::path::PathBuf {
        std::env::temp_dir().join(format!("otagai-files-{}", uuid::Uuid::new_v4()))
    }

    #[test]
    fn an_export_over_a_world_readable_file_makes_it_private() {
        let dir = temp();
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out.csv");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(create_private_file(&path).unwrap());
        assert_eq!(mode(&path), 0o600);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "", "truncated");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_new_database_and_its_folders_are_private_and_a_shared_one_is_tightened() {
        let root = temp();
        let file = root.join("a").join("b.db");
        prepare_sqlite_file(&file).unwrap();
        assert_eq!(mode(&root), 0o700);
        assert_eq!(mode(&root.join("a")), 0o700);
        assert_eq!(mode(&file), 0o600);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        prepare_sqlite_file(&file).unwrap();
        assert_eq!(mode(&file), 0o600);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
