//! Where answers may be POSTed. A `response_url` arrives in a signed request, but it is still an
//! address someone wrote into a payload: otagai only ever sends to Slack's own hosts, so a
//! crafted or relayed payload cannot make the bot POST a message (with its content) elsewhere.

use url::{Origin, Url};

/// The origins a response_url may have: `https://hooks.slack.com`, and the scheme and host of
/// the Web API base (`SLACK_API_URL`: a proxy, GovSlack, or a test Slack) with `hooks.` in front
/// of that host, as Slack names it.
#[derive(Debug, Clone)]
pub struct ResponseUrls {
    allowed: Vec<Origin>,
}

impl ResponseUrls {
    pub fn for_api(api_url: &str) -> Self {
        let mut allowed = vec![origin("https://hooks.slack.com/")];
        if let Ok(api) = Url::parse(api_url) {
            allowed.push(api.origin());
            if let Some(url::Host::Domain(host)) = api.host()
                && !host.starts_with("hooks.")
            {
                allowed.push(origin(&format!("{}://hooks.{host}/", api.scheme())));
            }
        }
        allowed.retain(Origin::is_tuple);
        Self { allowed }
    }

    /// Whether `url` may be POSTed to.
    pub fn allows(&self, url: &str) -> bool {
        Url::parse(url).is_ok_and(|u| self.allowed.contains(&u.origin()))
    }

    /// `url` if it may be used; a refused one is logged (by host only) and dropped.
    pub fn checked(&self, url: Option<String>) -> Option<String> {
        let url = url.filter(|u| !u.is_empty())?;
        if self.allows(&url) {
            Some(url)
        } else {
            let host = Url::parse(&url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned));
            tracing::warn!(host = ?host, "a response_url outside Slack was refused");
            None
        }
    }
}

fn origin(url: &str) -> Origin {
    Url::parse(url).map(|u| u.origin()).expect("a valid URL")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_slacks_hooks_and_the_configured_api_host_are_allowed() {
        let slack = ResponseUrls::for_api("https://slack.com/api/");
        let gov = ResponseUrls::for_api("https://slack-gov.com/api/");
        let fake = ResponseUrls::for_api("http://127.0.0.1:4567/api/");
        let cases = [
            (&slack, "https://hooks.slack.com/commands/T1/2/abc", true),
            (&slack, "https://hooks.slack.com:443/actions/T1/2/abc", true),
            (&slack, "https://slack.com/api/x", true),
            (&slack, "http://hooks.slack.com/commands/T1/2/abc", false),
            (&slack, "https://hooks.slack.com.evil.example/x", false),
            (&slack, "https://evil.example/hooks.slack.com/x", false),
            (&slack, "https://hooks.slack.com@evil.example/x", false),
            (&slack, "https://hooks.slack.com:8443/x", false),
            (&slack, "http://127.0.0.1:4567/hooks/x", false),
            (&slack, "not a url", false),
            (&gov, "https://hooks.slack-gov.com/commands/x", true),
            (&gov, "https://hooks.slack.com/commands/x", true),
            (&fake, "http://127.0.0.1:4567/hooks/x", true),
            (&fake, "http://127.0.0.1:4568/hooks/x", false),
            (&fake, "https://127.0.0.1:4567/hooks/x", false),
        ];
        for (policy, url, allowed) in cases {
            assert_eq!(policy.allows(url), allowed, "{url}");
        }
    }
}
