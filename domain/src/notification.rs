//! Notifications (product.md §8): what is said, in Danish, English and
//! German, to whom and how; and the retry schedule of the outbox.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// One message. It is stored in the outbox (sealed, because the activation
/// link is a secret) and rendered when delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Message {
    /// To the user: the one-time activation link.
    ActivationLink { first_name: String, url: String, valid_days: i64 },
    /// To the user on the code path: where to activate; the code itself
    /// reaches them from their administrator, never by this e-mail.
    ActivationCodeHandedOver { first_name: String, url: String },
    /// To the user: the registration period ends in `days_left` days.
    RegistrationReminder { first_name: String, url: String, days_left: i64 },
    /// To administrators: a user did not activate in time.
    RegistrationLapsed { user_name: String },
    /// To administrators: a code was locked after too many wrong attempts.
    CodeLocked { user_name: String },
    /// To both administrators of a transfer of responsibility.
    ResponsibilityTransferred { from_name: String, to_name: String, count: u32 },
    /// To the administrators who manage the person: a further application is requested.
    ApplicationRequested { user_name: String, application: String, reason: String, url: String },
    /// To the person who asked: their request was granted or refused.
    RequestDecided { first_name: String, application: String, granted: bool, url: String },
    /// To the organization's administrators: a person applies to join.
    JoinRequested { person_name: String, email: String, url: String },
    /// To the person who applied: the organization refused.
    JoinRefused { first_name: String, organization: String },
}

/// How an administrator wants to hear of events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    InApp,
    Email,
    #[default]
    Both,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::InApp => "in_app",
            Channel::Email => "email",
            Channel::Both => "both",
        }
    }

    pub fn parse(text: &str) -> Option<Channel> {
        [Channel::InApp, Channel::Email, Channel::Both].into_iter().find(|c| c.as_str() == text)
    }

    pub fn in_app(self) -> bool {
        matches!(self, Channel::InApp | Channel::Both)
    }

    pub fn email(self) -> bool {
        matches!(self, Channel::Email | Channel::Both)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
}

impl Message {
    pub fn kind(&self) -> &'static str {
        match self {
            Message::ActivationLink { .. } => "activation_link",
            Message::ActivationCodeHandedOver { .. } => "activation_code",
            Message::RegistrationReminder { .. } => "registration_reminder",
            Message::RegistrationLapsed { .. } => "registration_lapsed",
            Message::CodeLocked { .. } => "code_locked",
            Message::ResponsibilityTransferred { .. } => "responsibility_transferred",
            Message::ApplicationRequested { .. } => "application_requested",
            Message::RequestDecided { .. } => "request_decided",
            Message::JoinRequested { .. } => "join_requested",
            Message::JoinRefused { .. } => "join_refused",
        }
    }

    /// Whether the message is for administrators (in-app and/or e-mail by
    /// their choice) rather than for the user (always e-mail).
    pub fn for_administrators(&self) -> bool {
        matches!(
            self,
            Message::RegistrationLapsed { .. }
                | Message::CodeLocked { .. }
                | Message::ResponsibilityTransferred { .. }
                | Message::ApplicationRequested { .. }
                | Message::JoinRequested { .. }
        )
    }

    pub fn render(&self, lang: Lang) -> Rendered {
        let (subject, text) = match self {
            Message::ActivationLink { first_name, url, valid_days } => (
                lang.pick(("Aktivér din konto", "Activate your account", "Aktivieren Sie Ihr Konto")).to_owned(),
                match lang {
                    Lang::Da => format!("Hej {first_name}\n\nDin administrator har oprettet en konto til dig. Åbn linket for at vælge din adgangskode og aktivere kontoen:\n\n{url}\n\nLinket virker én gang og i {valid_days} dage.\n"),
                    Lang::En => format!("Hello {first_name}\n\nYour administrator has created an account for you. Open the link to choose your password and activate the account:\n\n{url}\n\nThe link works once and for {valid_days} days.\n"),
                    Lang::De => format!("Hallo {first_name}\n\nIhr Administrator hat ein Konto für Sie angelegt. Öffnen Sie den Link, um Ihr Passwort zu wählen und das Konto zu aktivieren:\n\n{url}\n\nDer Link gilt einmal und {valid_days} Tage lang.\n"),
                },
            ),
            Message::ActivationCodeHandedOver { first_name, url } => (
                lang.pick(("Aktivér din konto med din kode", "Activate your account with your code", "Aktivieren Sie Ihr Konto mit Ihrem Code")).to_owned(),
                match lang {
                    Lang::Da => format!("Hej {first_name}\n\nDin administrator har oprettet en konto til dig og giver dig en aktiveringskode personligt. Indtast den sammen med din e-mail og fødselsdato her:\n\n{url}\n\nKoden står ikke i denne e-mail.\n"),
                    Lang::En => format!("Hello {first_name}\n\nYour administrator has created an account for you and will hand you an activation code in person. Enter it with your e-mail address and birth date here:\n\n{url}\n\nThe code is not in this e-mail.\n"),
                    Lang::De => format!("Hallo {first_name}\n\nIhr Administrator hat ein Konto für Sie angelegt und übergibt Ihnen persönlich einen Aktivierungscode. Geben Sie ihn mit Ihrer E-Mail-Adresse und Ihrem Geburtsdatum hier ein:\n\n{url}\n\nDer Code steht nicht in dieser E-Mail.\n"),
                },
            ),
            Message::RegistrationReminder { first_name, url, days_left } => (
                match lang {
                    Lang::Da => format!("Påmindelse: aktivér din konto inden {days_left} dage"),
                    Lang::En => format!("Reminder: activate your account within {days_left} days"),
                    Lang::De => format!("Erinnerung: Aktivieren Sie Ihr Konto innerhalb von {days_left} Tagen"),
                },
                match lang {
                    Lang::Da => format!("Hej {first_name}\n\nDin konto er endnu ikke aktiveret. Om {days_left} dage udløber registreringen. Aktivér den her:\n\n{url}\n"),
                    Lang::En => format!("Hello {first_name}\n\nYour account is not activated yet. The registration ends in {days_left} days. Activate it here:\n\n{url}\n"),
                    Lang::De => format!("Hallo {first_name}\n\nIhr Konto ist noch nicht aktiviert. Die Registrierung läuft in {days_left} Tagen ab. Aktivieren Sie es hier:\n\n{url}\n"),
                },
            ),
            Message::RegistrationLapsed { user_name } => (
                lang.pick(("En registrering er udløbet", "A registration has lapsed", "Eine Registrierung ist abgelaufen")).to_owned(),
                match lang {
                    Lang::Da => format!("{user_name} aktiverede ikke sin konto inden for registreringsperioden. Send brugeren til aktivering igen, hvis kontoen stadig skal bruges.\n"),
                    Lang::En => format!("{user_name} did not activate their account within the registration period. Send the user to activation again if the account is still needed.\n"),
                    Lang::De => format!("{user_name} hat das Konto nicht innerhalb der Registrierungsfrist aktiviert. Senden Sie den Benutzer erneut zur Aktivierung, falls das Konto noch gebraucht wird.\n"),
                },
            ),
            Message::CodeLocked { user_name } => (
                lang.pick(("En aktiveringskode er spærret", "An activation code is locked", "Ein Aktivierungscode ist gesperrt")).to_owned(),
                match lang {
                    Lang::Da => format!("Aktiveringskoden for {user_name} er spærret efter 5 forkerte forsøg. Dan en ny kode og giv den til brugeren.\n"),
                    Lang::En => format!("The activation code of {user_name} is locked after 5 wrong attempts. Regenerate the code and hand it to the user.\n"),
                    Lang::De => format!("Der Aktivierungscode von {user_name} ist nach 5 Fehlversuchen gesperrt. Erzeugen Sie einen neuen Code und übergeben Sie ihn dem Benutzer.\n"),
                },
            ),
            Message::ResponsibilityTransferred { from_name, to_name, count } => (
                lang.pick(("Ansvar for brugere er overdraget", "Responsibility for users was transferred", "Die Verantwortung für Benutzer wurde übertragen")).to_owned(),
                match lang {
                    Lang::Da => format!("Ansvaret for {count} brugere er overdraget fra {from_name} til {to_name}.\n"),
                    Lang::En => format!("Responsibility for {count} users was transferred from {from_name} to {to_name}.\n"),
                    Lang::De => format!("Die Verantwortung für {count} Benutzer wurde von {from_name} an {to_name} übertragen.\n"),
                },
            ),
            Message::ApplicationRequested { user_name, application, reason, url } => (
                match lang {
                    Lang::Da => format!("{user_name} beder om applikationen {application}"),
                    Lang::En => format!("{user_name} requests the application {application}"),
                    Lang::De => format!("{user_name} beantragt die Anwendung {application}"),
                },
                {
                    let reason = if reason.is_empty() { "—" } else { reason.as_str() };
                    match lang {
                        Lang::Da => format!("{user_name} beder om applikationen {application}.\nBegrundelse: {reason}\n\nTildel eller afvis anmodningen her:\n\n{url}\n"),
                        Lang::En => format!("{user_name} requests the application {application}.\nReason: {reason}\n\nGrant or refuse the request here:\n\n{url}\n"),
                        Lang::De => format!("{user_name} beantragt die Anwendung {application}.\nBegründung: {reason}\n\nGewähren oder lehnen Sie den Antrag hier ab:\n\n{url}\n"),
                    }
                },
            ),
            Message::RequestDecided { first_name, application, granted: true, url } => (
                lang.pick(("Din anmodning er imødekommet", "Your request was granted", "Ihr Antrag wurde bewilligt")).to_owned(),
                match lang {
                    Lang::Da => format!("Hej {first_name}\n\nDu har nu applikationen {application}. Se dine applikationer her:\n\n{url}\n"),
                    Lang::En => format!("Hello {first_name}\n\nYou now hold the application {application}. See your applications here:\n\n{url}\n"),
                    Lang::De => format!("Hallo {first_name}\n\nSie haben jetzt die Anwendung {application}. Ihre Anwendungen sehen Sie hier:\n\n{url}\n"),
                },
            ),
            Message::JoinRequested { person_name, email, url } => (
                match lang {
                    Lang::Da => format!("{person_name} ansøger om at blive en del af organisationen"),
                    Lang::En => format!("{person_name} applies to join the organization"),
                    Lang::De => format!("{person_name} beantragt die Aufnahme in die Organisation"),
                },
                match lang {
                    Lang::Da => format!("{person_name} ({email}) ansøger om en brugerkonto i organisationen. Godkend eller afvis ansøgningen her:\n\n{url}\n"),
                    Lang::En => format!("{person_name} ({email}) applies for a user account in the organization. Approve or refuse the application here:\n\n{url}\n"),
                    Lang::De => format!("{person_name} ({email}) beantragt ein Benutzerkonto in der Organisation. Genehmigen oder lehnen Sie den Antrag hier ab:\n\n{url}\n"),
                },
            ),
            Message::JoinRefused { first_name, organization } => (
                lang.pick(("Din ansøgning er afvist", "Your application was refused", "Ihr Antrag wurde abgelehnt")).to_owned(),
                match lang {
                    Lang::Da => format!("Hej {first_name}\n\n{organization} har afvist din ansøgning om en brugerkonto. Kontakt organisationen, hvis du mener, det er en fejl.\n"),
                    Lang::En => format!("Hello {first_name}\n\n{organization} refused your application for a user account. Contact the organization if you think this is a mistake.\n"),
                    Lang::De => format!("Hallo {first_name}\n\n{organization} hat Ihren Antrag auf ein Benutzerkonto abgelehnt. Wenden Sie sich an die Organisation, wenn Sie das für einen Fehler halten.\n"),
                },
            ),
            Message::RequestDecided { first_name, application, granted: false, url } => (
                lang.pick(("Din anmodning er afvist", "Your request was refused", "Ihr Antrag wurde abgelehnt")).to_owned(),
                match lang {
                    Lang::Da => format!("Hej {first_name}\n\nDin administrator har afvist din anmodning om applikationen {application}. Spørg din administrator, hvis du har brug for den:\n\n{url}\n"),
                    Lang::En => format!("Hello {first_name}\n\nYour administrator refused your request for the application {application}. Ask your administrator if you need it:\n\n{url}\n"),
                    Lang::De => format!("Hallo {first_name}\n\nIhr Administrator hat Ihren Antrag auf die Anwendung {application} abgelehnt. Fragen Sie Ihren Administrator, falls Sie sie brauchen:\n\n{url}\n"),
                },
            ),
        };
        Rendered { subject, text }
    }
}

/// Deliveries tried before an entry is given up (and shown as failed).
pub const MAX_DELIVERY_ATTEMPTS: i64 = 8;

/// Seconds to wait after the `attempts`-th failed delivery before the next
/// one (1 min, doubling, at most 6 h), or `None` when it is given up.
pub fn retry_delay(attempts: i64) -> Option<i64> {
    if attempts >= MAX_DELIVERY_ATTEMPTS {
        return None;
    }
    let exponent = attempts.clamp(1, 20) - 1;
    Some((60i64 << exponent).min(6 * 60 * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_messages() -> Vec<Message> {
        vec![
            Message::ActivationLink { first_name: "Ida".into(), url: "https://x/activate#t=abc".into(), valid_days: 30 },
            Message::ActivationCodeHandedOver { first_name: "Ida".into(), url: "https://x/activate".into() },
            Message::RegistrationReminder { first_name: "Ida".into(), url: "https://x/activate".into(), days_left: 3 },
            Message::RegistrationLapsed { user_name: "Ida Holm".into() },
            Message::CodeLocked { user_name: "Ida Holm".into() },
            Message::ResponsibilityTransferred { from_name: "Bo Berg".into(), to_name: "Ida Holm".into(), count: 12 },
            Message::ApplicationRequested { user_name: "Ida Holm".into(), application: "Invoicing".into(), reason: "Month end".into(), url: "https://x/requests".into() },
            Message::RequestDecided { first_name: "Ida".into(), application: "Invoicing".into(), granted: true, url: "https://x/account".into() },
            Message::RequestDecided { first_name: "Ida".into(), application: "Invoicing".into(), granted: false, url: "https://x/account".into() },
            Message::JoinRequested { person_name: "Ida Holm".into(), email: "ida@x.dk".into(), url: "https://x/requests".into() },
            Message::JoinRefused { first_name: "Ida".into(), organization: "Demo ApS".into() },
        ]
    }

    #[test]
    fn every_message_has_a_text_in_every_language() {
        for message in all_messages() {
            let texts: Vec<Rendered> = [Lang::Da, Lang::En, Lang::De].into_iter().map(|lang| message.render(lang)).collect();
            for rendered in &texts {
                assert!(!rendered.subject.is_empty() && rendered.text.len() > 40, "{message:?}");
            }
            assert_ne!(texts[0], texts[1]);
            assert_ne!(texts[1], texts[2]);
        }
    }

    #[test]
    fn the_link_is_in_its_message_and_no_code_message_carries_a_secret() {
        let link = all_messages()[0].render(Lang::Da);
        assert!(link.text.contains("https://x/activate#t=abc"));
        let code = all_messages()[1].render(Lang::En);
        assert!(code.text.contains("not in this e-mail"));
    }

    #[test]
    fn messages_round_trip_through_the_outbox_json() {
        for message in all_messages() {
            let json = serde_json::to_string(&message).unwrap();
            assert!(json.contains(message.kind()));
            assert_eq!(serde_json::from_str::<Message>(&json).unwrap(), message);
        }
    }

    #[test]
    fn retries_back_off_and_stop() {
        assert_eq!(retry_delay(1), Some(60));
        assert_eq!(retry_delay(2), Some(120));
        assert_eq!(retry_delay(7), Some(3840));
        assert_eq!(retry_delay(MAX_DELIVERY_ATTEMPTS), None);
        assert_eq!(Channel::parse("in_app"), Some(Channel::InApp));
        assert!(Channel::Both.in_app() && Channel::Both.email() && !Channel::Email.in_app());
    }
}
