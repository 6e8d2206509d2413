//! Invitations: importing invitee lists, queuing invitation and reminder mail with personal
//! links, sealing invited respondents' drafts.

pub mod import;
pub mod opt_out;
pub mod queue;
pub mod reach;
pub mod scheduler;
pub mod sealing;

pub use import::{import, parse_csv, CsvProblems, ImportSummary, InviteImportError};
pub use opt_out::OptOutKey;
pub use queue::{
    count_reminders, queue_due_reminders, queue_invitations, queue_reminders, Links, ReminderScope,
};
pub use sealing::DraftKey;
