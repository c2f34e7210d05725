//! Who is who: users.info answers, cached in the store and refreshed after the TTL.

use super::App;
use crate::domain::{Locale, RecipientStatus, UserGroupId, UserId};
use crate::i18n::Lang;
use crate::storage::{self, users::CachedUser};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// What the directory knows of a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryUser {
    pub is_bot: bool,
    pub deleted: bool,
    /// Slack locale, e.g. `ja-JP`.
    pub locale: Option<String>,
    /// IANA time zone, e.g. `Asia/Tokyo`.
    pub tz: Option<String>,
    /// The name people know them by (display name, else real name, else user name).
    pub name: Option<String>,
}

/// The directory could not answer (Slack down, timeout, bad token).
#[derive(Debug, Clone, thiserror::Error)]
#[error("user directory unavailable: {0}")]
pub struct DirectoryError(pub String);

/// Looks people up: `users.info` in production, the console's cast in `otagai try`.
#[async_trait::async_trait]
pub trait UserDirectory: Send + Sync {
    /// `Ok(None)` when no such user exists.
    async fn lookup(&self, user: &UserId) -> Result<Option<DirectoryUser>, DirectoryError>;

    /// The members of a user group (`usergroups.users.list`). A directory that knows no groups
    /// (the console, jobs without Slack) says so.
    async fn group_members(&self, group: &UserGroupId) -> Result<Vec<UserId>, DirectoryError> {
        Err(DirectoryError(format!(
            "no user groups here (asked for {group})"
        )))
    }
}

/// The answer of one lookup, shared by everyone who asked while it was on its way.
type Lookup = Result<Option<DirectoryUser>, DirectoryError>;

/// A directory in front of another that asks it once per person at a time: concurrent
/// lookups of the same person (twenty `/thanks` to a newcomer at once) share one call, so
/// Slack sees one users.info (Tier 4, about 100 a minute) instead of twenty. Nothing is kept
/// once the answer is handed out; the store's cache does the remembering.
pub struct SingleFlight<D> {
    inner: D,
    /// The lookup on its way for each person, while it is.
    in_flight: Mutex<HashMap<UserId, Arc<OnceCell<Lookup>>>>,
}

impl<D: UserDirectory> SingleFlight<D> {
    pub fn new(inner: D) -> Self {
        Self {
            inner,
            in_flight: Mutex::new(HashMap::new()),
        }
    }
}

#[async_trait::async_trait]
impl<D: UserDirectory> UserDirectory for SingleFlight<D> {
    async fn lookup(&self, user: &UserId) -> Lookup {
        let cell = self
            .in_flight
            .lock()
            .expect("the in-flight map is never poisoned")
            .entry(user.clone())
            .or_default()
            .clone();
        // If the caller running the lookup gives up (its request was dropped), the next
        // waiter runs it instead: OnceCell hands initialisation over.
        let answer = cell.get_or_init(|| self.inner.lookup(user)).await.clone();
        let mut map = self.in_flight.lock().expect("never poisoned");
        if map.get(user).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
            map.remove(user);
        }
        answer
    }

    async fn group_members(&self, group: &UserGroupId) -> Result<Vec<UserId>, DirectoryError> {
        self.inner.group_members(group).await
    }
}

#[async_trait::async_trait]
impl<D: UserDirectory + ?Sized> UserDirectory for Arc<D> {
    async fn lookup(&self, user: &UserId) -> Lookup {
        (**self).lookup(user).await
    }

    async fn group_members(&self, group: &UserGroupId) -> Result<Vec<UserId>, DirectoryError> {
        (**self).group_members(group).await
    }
}

/// How long a user group's members are trusted once Slack named them. Membership changes
/// rarely, and `usergroups.users.list` is Tier 2 (about 20 calls a minute).
const GROUP_TTL: std::time::Duration = std::time::Duration::from_secs(10 * 60);
/// After Slack failed to name a group's members (and nothing was known), how long before
/// asking again: a missing scope must not cost every Home tab a wait.
const GROUP_RETRY: std::time::Duration = std::time::Duration::from_secs(60);
/// The longest a Home tab waits for Slack to name a group's members; past that it is built
/// with what is known (a stale answer, or none).
const GROUP_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// User groups' members as Slack last named them, per process. One call per group at a time:
/// whoever needs a group while it is being asked waits for that answer (at most
/// [`GROUP_WAIT`]).
#[derive(Default)]
pub struct GroupCache {
    slots: Mutex<HashMap<UserGroupId, Arc<tokio::sync::Mutex<Option<CachedGroup>>>>>,
}

struct CachedGroup {
    members: Arc<Vec<UserId>>,
    fresh_until: std::time::Instant,
}

impl GroupCache {
    fn slot(&self, group: &UserGroupId) -> Arc<tokio::sync::Mutex<Option<CachedGroup>>> {
        self.slots
            .lock()
            .expect("the group map is never poisoned")
            .entry(group.clone())
            .or_default()
            .clone()
    }
}

impl App {
    /// The members of `group`, from the cache while fresh, else from Slack within
    /// [`GROUP_WAIT`]; when Slack is slow or failing, the last answer (however old), else
    /// `None`. Only the wait is bounded: the call to Slack runs on by itself and fills the
    /// cache when it answers, so a Slack slower than the wait still gets the cache filled.
    pub(crate) async fn group_members(&self, group: &UserGroupId) -> Option<Arc<Vec<UserId>>> {
        let slot = self.groups.slot(group);
        if let Ok(cached) = slot.try_lock()
            && let Some(c) = cached.as_ref()
            && std::time::Instant::now() < c.fresh_until
        {
            return Some(c.members.clone());
        }
        let ask = {
            let (slot, directory, group) = (slot.clone(), self.directory.clone(), group.clone());
            async move {
                // One call per group at a time: whoever comes meanwhile finds it fresh.
                let mut cached = slot.lock().await;
                let now = std::time::Instant::now();
                if let Some(c) = cached.as_ref()
                    && now < c.fresh_until
                {
                    return Some(c.members.clone());
                }
                match directory.group_members(&group).await {
                    Ok(members) => {
                        let members = Arc::new(members);
                        *cached = Some(CachedGroup {
                            members: members.clone(),
                            fresh_until: std::time::Instant::now() + GROUP_TTL,
                        });
                        Some(members)
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, %group, "could not list the user group's members");
                        let now = std::time::Instant::now();
                        let c = cached.get_or_insert_with(|| CachedGroup {
                            members: Arc::new(Vec::new()),
                            fresh_until: now,
                        });
                        c.fresh_until = now + GROUP_RETRY;
                        Some(c.members.clone())
                    }
                }
            }
        };
        // Detached: giving up the wait does not cancel the call.
        match tokio::time::timeout(GROUP_WAIT, tokio::spawn(ask)).await {
            Ok(Ok(members)) => members,
            Ok(Err(e)) => {
                tracing::error!(error = %e, %group, "the user group lookup failed");
                None
            }
            Err(_) => {
                tracing::warn!(%group, "Slack is slow to list the user group's members; using what is known");
                let cached = slot.try_lock().ok()?;
                cached.as_ref().map(|c| c.members.clone())
            }
        }
    }

    /// The person as Slack describes them, from the cache while fresh. When Slack cannot be
    /// reached, a stale cache entry is better than nothing.
    pub(crate) async fn user(&self, user: &UserId) -> Result<Option<CachedUser>, DirectoryError> {
        let now = storage::millis(self.clock.now());
        let ttl = self.settings.slack.user_cache_ttl.as_millis() as i64;
        let cached = match self.store.pool().acquire().await {
            Ok(mut conn) => storage::users::get(&mut conn, user).await.ok().flatten(),
            Err(_) => None,
        };
        if let Some(c) = &cached
            && now - c.fetched_at_ms < ttl
        {
            return Ok(cached);
        }
        match self.directory.lookup(user).await {
            Ok(Some(d)) => {
                let fresh = CachedUser {
                    is_bot: d.is_bot,
                    deleted: d.deleted,
                    locale: d.locale,
                    tz: d.tz,
                    name: d.name,
                    fetched_at_ms: now,
                };
                if let Err(e) = self.cache_user(user, &fresh).await {
                    tracing::warn!(error = %e, "could not cache users.info");
                }
                Ok(Some(fresh))
            }
            Ok(None) => Ok(None),
            Err(e) if cached.is_some() => {
                tracing::warn!(error = %e, "users.info failed; using the cached answer");
                Ok(cached)
            }
            Err(e) => Err(e),
        }
    }

    pub(crate) async fn cache_user(&self, user: &UserId, fresh: &CachedUser) -> anyhow::Result<()> {
        let mut tx = self.store.begin().await?;
        storage::users::put(&mut tx, user, fresh).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The person's language as far as the cache knows, without asking Slack (for answers that
    /// cannot wait, like the acknowledgement of a slow command).
    pub async fn cached_locale_of(&self, user: &UserId) -> Locale {
        let cached = match self.store.pool().acquire().await {
            Ok(mut conn) => storage::users::get(&mut conn, user).await.ok().flatten(),
            Err(_) => None,
        };
        cached
            .and_then(|u| u.locale.as_deref().and_then(Locale::from_slack))
            .unwrap_or(self.settings.org.locale)
    }

    /// The person's language: their Slack locale when it is one of ours, else the org's.
    pub async fn locale_of(&self, user: &UserId) -> Locale {
        match self.user(user).await {
            Ok(Some(u)) => u.locale.as_deref().and_then(Locale::from_slack),
            _ => None,
        }
        .unwrap_or(self.settings.org.locale)
    }

    /// What rendering a message for `user` takes: their language and this workspace's
    /// command names.
    pub async fn lang_of(&self, user: &UserId) -> Lang<'_> {
        self.lang(self.locale_of(user).await)
    }

    /// Messages in `locale` that name the commands as this workspace calls them.
    pub fn lang(&self, locale: Locale) -> Lang<'_> {
        Lang::new(locale, &self.settings.commands)
    }

    /// `text` for a plain-text place, with the people it mentions by the name the users.info
    /// cache knows, else the one Slack wrote into the mention. It never asks Slack: it runs
    /// while a trigger_id (3 s) waits for the form it prefills.
    pub(crate) async fn plain_text(&self, text: &str) -> String {
        let mut names = std::collections::HashMap::new();
        if let Ok(mut conn) = self.store.pool().acquire().await {
            for id in crate::domain::text::mentioned(text) {
                if let Ok(user) = UserId::parse(&id)
                    && let Ok(Some(u)) = storage::users::get(&mut conn, &user).await
                    && let Some(name) = u.name
                {
                    names.insert(id, name);
                }
            }
        }
        crate::domain::text::plain(text, |id| names.get(id).cloned())
    }

    pub(crate) fn status_of(u: Option<&CachedUser>) -> RecipientStatus {
        match u {
            None => RecipientStatus::Unknown,
            Some(u) if u.is_bot => RecipientStatus::Bot,
            Some(u) if u.deleted => RecipientStatus::Deactivated,
            Some(_) => RecipientStatus::Person,
        }
    }
}
