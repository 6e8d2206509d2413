//! What the survey page says about invitee lists, invitations and reminders.

pub const LIST_MISSING: &str = "Choose an invitee list (.csv) to upload";
pub const NOT_OPEN: &str = "Nothing was sent: the survey is not open, or its closing date has passed. Open the survey (or move its closing date) first.";

pub fn imported(added: usize, duplicates: usize) -> String {
    let people = if added == 1 { "invitee" } else { "invitees" };
    match duplicates {
        0 => format!("Imported {added} {people}."),
        1 => format!("Imported {added} {people}; 1 address was already on the list and was skipped."),
        _ => format!(
            "Imported {added} {people}; {duplicates} addresses were already on the list and were skipped."
        ),
    }
}

pub fn invitations_queued(count: usize) -> String {
    match count {
        0 => "Everyone on the list has already been sent an invitation: nothing new was queued."
            .to_owned(),
        1 => "1 invitation is on its way.".to_owned(),
        _ => format!("{count} invitations are on their way."),
    }
}

pub fn reminders_queued(count: usize) -> String {
    match count {
        0 => "No one is due a reminder (everyone has responded, opted out, could not be reached or had the most reminders allowed): nothing was queued.".to_owned(),
        1 => "1 reminder is on its way.".to_owned(),
        _ => format!("{count} reminders are on their way."),
    }
}

/// One bad row of an uploaded list.
pub fn row_problem(line: u64, reason: &str) -> String {
    format!("Line {line}: {reason}")
}

/// `invite send` / `remind` with a loopback `server.public_url`.
pub fn loopback_links(url: &str) -> String {
    format!(
        "server.public_url is {url}, a loopback address: the links in these mails open \
         only on this computer. To reach people, set server.public_url (or \
         CANDOUR_SERVER__PUBLIC_URL) to the https:// address they will use"
    )
}

/// `invite send` / `remind` refused: plain http to another host.
pub fn http_links(url: &str) -> String {
    format!(
        "server.public_url is {url}, plain http: the personal links would cross the network \
         unencrypted, so nothing was queued; use an https:// address"
    )
}

/// `candour remind SLUG` without `--yes`: the count, and how to send (one line).
pub fn remind_unconfirmed(count: usize) -> String {
    let who = match count {
        1 => "1 person".to_owned(),
        n => format!("{n} people"),
    };
    format!("{who} would be reminded now; nothing was sent: run again with --yes to send")
}

/// Mail the server took but never confirmed ("maybe delivered"): said on the survey page.
/// None when there is none.
pub fn unconfirmed_mail(count: i64) -> Option<String> {
    match count {
        0 => None,
        1 => Some(
            "1 message may or may not have been delivered: the mail server took it but did not \
             confirm it in time. So that no one gets the same mail twice, it is not sent again \
             automatically; later reminders still reach anyone who has not responded."
                .to_owned(),
        ),
        _ => Some(format!(
            "{count} messages may or may not have been delivered: the mail server took them but \
             did not confirm them in time. So that no one gets the same mail twice, they are not \
             sent again automatically; later reminders still reach anyone who has not responded."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unconfirmed_mail_is_said_only_when_there_is_some() {
        assert_eq!(unconfirmed_mail(0), None);
        let one = unconfirmed_mail(1).unwrap();
        assert!(
            one.starts_with("1 message may or may not have been delivered"),
            "{one}"
        );
        assert!(one.contains("it is not sent again"), "{one}");
        let three = unconfirmed_mail(3).unwrap();
        assert!(three.starts_with("3 messages may or may not"), "{three}");
        assert!(three.contains("they are not sent again"), "{three}");
    }
}
