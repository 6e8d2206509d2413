//! The survey page's task list (GOV.UK task list pattern): questionnaire, invitees, open,
//! invitations, reminders and results, each with its status and a link to where it is done.

/// One task: its name, where it is done, and its status in words.
pub struct Task {
    pub name: &'static str,
    pub href: String,
    pub status: String,
    /// Done or nothing to do: shown plainly; otherwise highlighted as needing attention.
    pub done: bool,
}

/// What the task list is worked out from.
pub struct TaskFacts<'a> {
    pub slug: &'a str,
    pub status: &'a str,
    pub sections: usize,
    pub on_list: u64,
    pub unsent: i64,
    pub max_reminders: u32,
    pub responses: i64,
}

const CANNOT_START: &str = "Cannot start yet";

pub fn tasks(f: &TaskFacts<'_>) -> Vec<Task> {
    let open = f.status == "open";
    let people = |n: u64| match n {
        1 => "1 person".to_owned(),
        n => format!("{n} people"),
    };
    vec![
        Task {
            name: "Check the questionnaire",
            href: "#preview".to_owned(),
            status: format!(
                "Imported, {} section{}",
                f.sections,
                if f.sections == 1 { "" } else { "s" }
            ),
            done: true,
        },
        Task {
            name: "Upload the invitee list",
            href: "#invitations".to_owned(),
            status: match f.on_list {
                0 => "Not started".to_owned(),
                n => format!("{} on the list", people(n)),
            },
            done: f.on_list > 0,
        },
        Task {
            name: "Open the survey",
            href: "#open-close".to_owned(),
            status: match f.status {
                "open" => "Open".to_owned(),
                "closed" => "Closed".to_owned(),
                _ => "Not open yet".to_owned(),
            },
            done: f.status != "draft",
        },
        Task {
            name: "Send invitations",
            href: "#invitations".to_owned(),
            status: match (open, f.unsent) {
                (_, 0) if f.on_list > 0 => "All sent".to_owned(),
                (_, 0) => "No one to invite yet".to_owned(),
                (false, _) => CANNOT_START.to_owned(),
                (true, n) => format!("{} not sent yet", people(n.unsigned_abs())),
            },
            done: f.unsent == 0 && f.on_list > 0,
        },
        Task {
            name: "Send reminders",
            href: if open {
                "#reminders"
            } else {
                "#reminders-settings"
            }
            .to_owned(),
            status: if open {
                format!("Automatic, at most {} per person", f.max_reminders)
            } else {
                CANNOT_START.to_owned()
            },
            done: open,
        },
        Task {
            name: "Read the results",
            href: format!("/admin/surveys/{}/results", f.slug),
            status: match f.responses {
                0 => "No responses yet".to_owned(),
                1 => "1 response".to_owned(),
                n => format!("{n} responses"),
            },
            done: f.responses > 0,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_the_survey() {
        let facts = TaskFacts {
            slug: "s",
            status: "draft",
            sections: 3,
            on_list: 0,
            unsent: 0,
            max_reminders: 2,
            responses: 0,
        };
        let statuses: Vec<String> = tasks(&facts).into_iter().map(|t| t.status).collect();
        assert_eq!(
            statuses,
            [
                "Imported, 3 sections",
                "Not started",
                "Not open yet",
                "No one to invite yet",
                "Cannot start yet",
                "No responses yet"
            ]
        );
        let open = TaskFacts {
            status: "open",
            on_list: 8,
            unsent: 3,
            responses: 1,
            ..facts
        };
        let statuses: Vec<String> = tasks(&open).into_iter().map(|t| t.status).collect();
        assert_eq!(statuses[1], "8 people on the list");
        assert_eq!(statuses[3], "3 people not sent yet");
        assert_eq!(statuses[5], "1 response");
    }
}
