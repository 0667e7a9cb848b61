//! Notices appended to a Markdown file, so a local run leaves a readable trail of what it
//! would have sent to SNS or a chat channel.

use std::path::{Path, PathBuf};

use ads::{Notice, Notifier, PortError};
use async_trait::async_trait;
use chrono::{SecondsFormat, Utc};

use crate::append_file;

/// A [`Notifier`] that appends each notice to a Markdown file (default
/// `./adsctl-data/notifications.md`): one section per notice, headed by the time it was
/// sent (UTC) and its subject, then its text, then a rule.
#[derive(Debug, Clone)]
pub struct FileNotifier {
    path: PathBuf,
}

impl FileNotifier {
    /// A notifier appending to `path`, created (with its directory) by the first notice.
    pub fn new(path: impl Into<PathBuf>) -> FileNotifier {
        FileNotifier { path: path.into() }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// One notice's section of the file.
fn section(notice: &Notice, sent: &str) -> String {
    // A subject is one line; a stray line break would end the heading early.
    let subject = notice.subject.replace(['\r', '\n'], " ");
    format!(
        "## {sent} — {subject}\n\n{}\n\n---\n\n",
        notice.text.trim_end()
    )
}

#[async_trait]
impl Notifier for FileNotifier {
    async fn notify(&self, notice: &Notice) -> Result<(), PortError> {
        let sent = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
        let text = section(notice, &sent);
        // One write per notice, so concurrent writers never interleave inside it.
        append_file(
            format!("notifications file {}", self.path.display()),
            self.path.clone(),
            text,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(subject: &str, text: &str) -> Notice {
        Notice {
            subject: subject.to_owned(),
            text: text.to_owned(),
        }
    }

    #[tokio::test]
    async fn appends_one_timestamped_section_per_notice_in_order() {
        // GIVEN a notifier in a directory that does not exist yet
        let dir = tempfile::tempdir().unwrap();
        let notifier = FileNotifier::new(dir.path().join("data/notifications.md"));

        // WHEN two notices are sent
        notifier
            .notify(&notice("Report 2026-09-01", "# Report\n\nspend $10.00\n"))
            .await
            .unwrap();
        notifier
            .notify(&notice("FAILED: optimize", "Query.Failed"))
            .await
            .unwrap();

        // THEN the file holds both sections, in order, each headed by a UTC time and its
        // subject, with the text whole
        let text = std::fs::read_to_string(notifier.path()).unwrap();
        let sections: Vec<&str> = text.split("\n---\n\n").filter(|s| !s.is_empty()).collect();
        assert_eq!(sections.len(), 2, "{text}");
        assert!(sections[0].starts_with("## 20"), "{text}");
        assert!(sections[0].contains("Z — Report 2026-09-01\n\n# Report\n\nspend $10.00"));
        assert!(sections[1].contains("Z — FAILED: optimize\n\nQuery.Failed"));
    }

    #[tokio::test]
    async fn a_subject_with_a_line_break_stays_one_heading() {
        // GIVEN a subject with a newline
        let dir = tempfile::tempdir().unwrap();
        let notifier = FileNotifier::new(dir.path().join("notifications.md"));

        // WHEN it is sent
        notifier
            .notify(&notice("two\nlines", "body"))
            .await
            .unwrap();

        // THEN the heading holds the whole subject on one line
        let text = std::fs::read_to_string(notifier.path()).unwrap();
        assert!(
            text.lines().next().unwrap().ends_with("— two lines"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn a_path_that_cannot_be_written_is_unavailable_naming_it() {
        // GIVEN a path under a regular file
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("file"), "x").unwrap();
        let notifier = FileNotifier::new(dir.path().join("file/notifications.md"));

        // WHEN a notice is sent
        let error = notifier.notify(&notice("s", "t")).await.unwrap_err();

        // THEN the error names the file
        assert!(error.to_string().contains("notifications.md"), "{error}");
    }
}
