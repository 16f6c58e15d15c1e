//! The user's lifecycle (product.md §2, §4): which status changes are allowed,
//! deactivation periods, and the names of the events history records.

use crate::fields::Date;
use crate::user::UserStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    SendToActivation,
    Activate,
    Deactivate,
    Reactivate,
    Delete,
    Lapse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a user who is {from} cannot be {verb}", from = .from.as_str(), verb = .transition.past_participle())]
pub struct TransitionError {
    pub from: UserStatus,
    pub transition: Transition,
}

impl Transition {
    fn past_participle(self) -> &'static str {
        match self {
            Transition::SendToActivation => "sent to activation",
            Transition::Activate => "activated",
            Transition::Deactivate => "deactivated",
            Transition::Reactivate => "reactivated",
            Transition::Delete => "deleted",
            Transition::Lapse => "lapsed",
        }
    }
}

impl UserStatus {
    /// The status after `transition`, or why it is not allowed.
    pub fn after(self, transition: Transition) -> Result<UserStatus, TransitionError> {
        use Transition::*;
        use UserStatus::*;
        let next = match (self, transition) {
            // Sending again replaces the secret; a lapsed user may be given a new period.
            (Created | Pending | Lapsed, SendToActivation) => Pending,
            (Pending, Activate) => Active,
            (Active, Deactivate) => Deactivated,
            (Deactivated, Reactivate) => Active,
            (Pending, Lapse) => Lapsed,
            (Created | Pending | Active | Deactivated | Lapsed, Delete) => Deleted,
            _ => return Err(TransitionError { from: self, transition }),
        };
        Ok(next)
    }
}

/// A deactivation: from a day (today or later) and, optionally, until a later
/// day when the user is reactivated by the scheduler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeactivationPeriod {
    pub from: Date,
    pub until: Option<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("`from` must be a date YYYY-MM-DD")]
    FromFormat,
    #[error("`until` must be a date YYYY-MM-DD")]
    UntilFormat,
    #[error("`from` must not be in the past")]
    FromInPast,
    #[error("`until` must be after `from`")]
    UntilNotAfterFrom,
}

impl PeriodError {
    pub fn field(self) -> &'static str {
        match self {
            PeriodError::FromFormat | PeriodError::FromInPast => "from",
            PeriodError::UntilFormat | PeriodError::UntilNotAfterFrom => "until",
        }
    }
}

fn nonempty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|text| !text.is_empty())
}

impl DeactivationPeriod {
    pub fn parse(from: Option<&str>, until: Option<&str>, today: Date) -> Result<DeactivationPeriod, PeriodError> {
        let from = match nonempty(from) {
            Some(text) => Date::parse_iso(text).ok_or(PeriodError::FromFormat)?,
            None => today,
        };
        if from < today {
            return Err(PeriodError::FromInPast);
        }
        let until = nonempty(until).map(|text| Date::parse_iso(text).ok_or(PeriodError::UntilFormat)).transpose()?;
        if until.is_some_and(|until| until <= from) {
            return Err(PeriodError::UntilNotAfterFrom);
        }
        Ok(DeactivationPeriod { from, until })
    }

    /// Whether the deactivation takes effect now rather than by the scheduler.
    pub fn starts_now(&self, today: Date) -> bool {
        self.from <= today
    }
}

/// What history records; the code is stored, the label shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryAction {
    Created,
    Updated,
    SentToActivation,
    ActivationResent,
    CodeRegenerated,
    Activated,
    CodeLocked,
    DeactivationScheduled,
    Deactivated,
    Reactivated,
    Deleted,
    ReminderSent,
    Lapsed,
    /// A bulk file was applied; its subject is the import, not a user.
    Imported,
    RoleChanged,
    ResponsibilityTransferred,
    ApplicationRequested,
    ApplicationGranted,
    ApplicationRevoked,
    RequestRefused,
    GroupJoined,
    GroupLeft,
}

impl HistoryAction {
    pub const ALL: [HistoryAction; 22] = [
        HistoryAction::Created,
        HistoryAction::Updated,
        HistoryAction::SentToActivation,
        HistoryAction::ActivationResent,
        HistoryAction::CodeRegenerated,
        HistoryAction::Activated,
        HistoryAction::CodeLocked,
        HistoryAction::DeactivationScheduled,
        HistoryAction::Deactivated,
        HistoryAction::Reactivated,
        HistoryAction::Deleted,
        HistoryAction::ReminderSent,
        HistoryAction::Lapsed,
        HistoryAction::Imported,
        HistoryAction::RoleChanged,
        HistoryAction::ResponsibilityTransferred,
        HistoryAction::ApplicationRequested,
        HistoryAction::ApplicationGranted,
        HistoryAction::ApplicationRevoked,
        HistoryAction::RequestRefused,
        HistoryAction::GroupJoined,
        HistoryAction::GroupLeft,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HistoryAction::Created => "created",
            HistoryAction::Updated => "updated",
            HistoryAction::SentToActivation => "sent_to_activation",
            HistoryAction::ActivationResent => "activation_resent",
            HistoryAction::CodeRegenerated => "code_regenerated",
            HistoryAction::Activated => "activated",
            HistoryAction::CodeLocked => "code_locked",
            HistoryAction::DeactivationScheduled => "deactivation_scheduled",
            HistoryAction::Deactivated => "deactivated",
            HistoryAction::Reactivated => "reactivated",
            HistoryAction::Deleted => "deleted",
            HistoryAction::ReminderSent => "reminder_sent",
            HistoryAction::Lapsed => "lapsed",
            HistoryAction::Imported => "imported",
            HistoryAction::RoleChanged => "role_changed",
            HistoryAction::ResponsibilityTransferred => "responsibility_transferred",
            HistoryAction::ApplicationRequested => "application_requested",
            HistoryAction::ApplicationGranted => "application_granted",
            HistoryAction::ApplicationRevoked => "application_revoked",
            HistoryAction::RequestRefused => "request_refused",
            HistoryAction::GroupJoined => "group_joined",
            HistoryAction::GroupLeft => "group_left",
        }
    }

    pub fn parse(code: &str) -> Option<HistoryAction> {
        Self::ALL.into_iter().find(|action| action.as_str() == code)
    }

    /// The English label, stored beside the code so that history's text
    /// search finds "sent to activation" as well as the code.
    pub fn label(self) -> &'static str {
        crate::messages::Message::History(self).template(crate::lang::Lang::En)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Transition::*;
    use UserStatus::*;

    #[test]
    fn the_lifecycle_allows_exactly_the_documented_moves() {
        let statuses = [Created, Pending, Active, Deactivated, Lapsed, Deleted];
        let transitions = [SendToActivation, Activate, Deactivate, Reactivate, Delete, Lapse];
        let allowed: Vec<(UserStatus, Transition, UserStatus)> = statuses
            .iter()
            .flat_map(|&from| transitions.iter().filter_map(move |&t| from.after(t).ok().map(|to| (from, t, to))))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (Created, SendToActivation, Pending),
                (Created, Delete, Deleted),
                (Pending, SendToActivation, Pending),
                (Pending, Activate, Active),
                (Pending, Delete, Deleted),
                (Pending, Lapse, Lapsed),
                (Active, Deactivate, Deactivated),
                (Active, Delete, Deleted),
                (Deactivated, Reactivate, Active),
                (Deactivated, Delete, Deleted),
                (Lapsed, SendToActivation, Pending),
                (Lapsed, Delete, Deleted),
            ]
        );
        assert_eq!(Deleted.after(Reactivate).unwrap_err().to_string(), "a user who is deleted cannot be reactivated");
    }

    #[test]
    fn a_period_starts_today_by_default_and_ends_after_it_starts() {
        let today = Date::new(2026, 11, 23).unwrap();
        let now = DeactivationPeriod::parse(None, None, today).unwrap();
        assert!(now.starts_now(today));
        let leave = DeactivationPeriod::parse(Some("2026-12-01"), Some("2027-06-01"), today).unwrap();
        assert!(!leave.starts_now(today));
        assert_eq!(leave.until, Date::new(2027, 6, 1));
        assert_eq!(DeactivationPeriod::parse(Some("2026-11-22"), None, today), Err(PeriodError::FromInPast));
        assert_eq!(DeactivationPeriod::parse(None, Some("2026-11-23"), today), Err(PeriodError::UntilNotAfterFrom));
        assert_eq!(DeactivationPeriod::parse(Some("1/12"), None, today), Err(PeriodError::FromFormat));
        assert_eq!(PeriodError::UntilFormat.field(), "until");
    }

    #[test]
    fn history_actions_round_trip() {
        for action in HistoryAction::ALL {
            assert_eq!(HistoryAction::parse(action.as_str()), Some(action));
        }
    }
}
