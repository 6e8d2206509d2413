//! Surveys as the service knows them: importing questionnaires, opening and closing them,
//! and the cached definitions that respondent requests read.

mod admission;
mod catalog;
mod lifecycle;
mod settings;

pub use admission::{admits, invites};
pub use catalog::{Catalog, LiveSurvey};
pub use lifecycle::{
    close, import, open, seed_shipped_questionnaire, ImportOutcome, SHIPPED_QUESTIONNAIRE,
};
pub use settings::{change_settings, SettingsChange};
