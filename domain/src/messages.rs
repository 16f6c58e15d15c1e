//! Every text the Worker says to people that is not a field rule's own
//! message (those live beside their rules: `user_form`, `fields`, `join`,
//! `activation`, `notification`): error answers, refusals, conflicts,
//! history and audit labels, status and role names, and the audit export's
//! header row. One enum of message kinds, and one exhaustive `match` per
//! language, so that a message without a translation does not compile. The
//! app can show the same labels.
//!
//! A message may take arguments, written `{0}`, `{1}` … in its text; every
//! language's text has the same placeholders (a test holds them together).

use std::fmt::Display;

use crate::lang::Lang;
use crate::lifecycle::{HistoryAction, PeriodError, Transition};
use crate::user::{Role, UserStatus};

/// A kind of message; `text(lang)` is its wording in a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message {
    // The API's errors, one per kind of `ApiError`.
    /// `{0}`: the parser's own (technical) detail.
    MalformedJson,
    /// `{0}`: what is wrong with the body.
    InvalidBody,
    /// `{0}`: the limit in bytes.
    BodyTooLarge,
    /// `{0}`: what is wrong with the query.
    InvalidQuery,
    InvalidCredentials,
    Unauthenticated,
    /// `{0}`: minutes to wait.
    TooManyAttempts,
    /// `{0}`: minutes to wait.
    TooManyApplications,
    BadOrigin,
    Forbidden,
    NotFound,
    Validation,
    RowsRejected,
    ActivationRefused,
    MethodNotAllowed,
    Internal,

    // What a query or body got wrong (the detail of `InvalidQuery`/`InvalidBody`).
    /// `{0}`: the parameter's name.
    QueryDate,
    QueryFormatAuditOnly,
    QueryFormatCsvOnly,
    QueryCursor,
    /// `{0}`: how many users at most.
    BulkActivationLimit,

    // Authorization rules (`authz`, `applications`).
    OnlyAdministratorsManageUsers,
    OnlyOrganizationAdministrator,
    NobodyChangesOwnRole,
    OnlyOrganizationAdministratorAppoints,
    OrganizationAdministratorRoleNotHere,
    CannotDeleteYourself,
    CannotDeactivateYourself,
    OnlyOrganizationAdministratorChangesAdministrators,
    HandOverNeedsEveryRole,
    OnlyOperatorTransfers,
    OnlyOrganizationAdministratorChangesSettings,
    NobodyIsOwnDeputy,
    DeputyIsAnAdministrator,
    OnlyOrganizationAdministratorDefines,
    NobodyGrantsOwnApplications,
    UserAdministratorGrantsOnlyHeldRoles,
    OnlyAdministratorsGrant,
    GroupGivesRolesYouLack,
    OnlyAdministratorsRevoke,
    AlreadyHoldsApplication,
    AlreadyRequestedApplication,

    // Field rules of applications and groups.
    NameRequired,
    /// `{0}`: most characters.
    NameTooLong,
    NameControlCharacters,
    /// `{0}`: the typed role, `{1}`: most characters.
    RoleMalformed,
    /// `{0}`: the typed role.
    RoleReserved,
    RolesRequired,
    /// `{0}`: most roles.
    TooManyRoles,
    /// `{0}`: most characters.
    ReasonTooLong,
    /// The language a person chose is not one Steward speaks.
    UnknownLanguage,

    // Handlers' refusals and conflicts.
    NoSuchApplication,
    /// `{0}`: the name.
    ApplicationNameTaken,
    /// `{0}`: the application, `{1}`: how many hold it, `{2}`: how many groups give it.
    ApplicationInUse,
    /// `{0}`: the group.
    SystemGroupIsFixed,
    /// `{0}`: how many.
    UnknownApplications,
    /// `{0}`: the name.
    GroupNameTaken,
    NoManagedUserWithEmail,
    ChunkSavedMeanwhile,
    RowKeysDisagree,
    NoUserWithValue,
    NotTakingApplications,
    JoinQueueFull,
    /// `{0}`: the e-mail address.
    JoinEmailTaken,
    RequestAlreadyDecided,
    CurrentPasswordWrong,
    TransferWithinOrganization,
    KeySavedMeanwhile,
    ChangedMeanwhile,
    LastOrganizationAdministrator,
    NoSuchUser,
    ActivatesByCode,
    /// For the bulk checker's refusals (`bulk::import`), which still say
    /// them in English. `{0}`: the name in the cell.
    RowUnknownApplication,
    /// `{0}`: the group.
    RowSystemGroup,
    /// `{0}`: the name in the cell.
    RowUnknownGroup,
    /// `{0}`: the user's status (`Status`).
    TransitionRefused(Transition),
    Period(PeriodError),

    // Names and labels.
    Status(UserStatus),
    Role(Role),
    History(HistoryAction),
    DeletedUser,
    ImportSubject,
    AuditHeader(AuditColumn),
}

/// The columns of the audit log's CSV export, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditColumn {
    Time,
    Actor,
    Action,
    Subject,
    SubjectId,
    Details,
}

impl AuditColumn {
    pub const ALL: [AuditColumn; 6] =
        [AuditColumn::Time, AuditColumn::Actor, AuditColumn::Action, AuditColumn::Subject, AuditColumn::SubjectId, AuditColumn::Details];
}

const TRANSITIONS: [Transition; 6] =
    [Transition::SendToActivation, Transition::Activate, Transition::Deactivate, Transition::Reactivate, Transition::Delete, Transition::Lapse];
const PERIOD_ERRORS: [PeriodError; 4] =
    [PeriodError::FromFormat, PeriodError::UntilFormat, PeriodError::FromInPast, PeriodError::UntilNotAfterFrom];
const STATUSES: [UserStatus; 6] =
    [UserStatus::Created, UserStatus::Pending, UserStatus::Active, UserStatus::Deactivated, UserStatus::Lapsed, UserStatus::Deleted];
const ROLES: [Role; 3] = [Role::OrganizationAdmin, Role::UserAdmin, Role::User];

impl Message {
    /// Every message, those with a kind inside (each status, role, history
    /// action …) once per kind.
    pub fn all() -> Vec<Message> {
        use Message::*;
        let mut all = vec![
            MalformedJson, InvalidBody, BodyTooLarge, InvalidQuery, InvalidCredentials, Unauthenticated, TooManyAttempts,
            TooManyApplications, BadOrigin, Forbidden, NotFound, Validation, RowsRejected, ActivationRefused, MethodNotAllowed,
            Internal, QueryDate, QueryFormatAuditOnly, QueryFormatCsvOnly, QueryCursor, BulkActivationLimit,
            OnlyAdministratorsManageUsers, OnlyOrganizationAdministrator, NobodyChangesOwnRole,
            OnlyOrganizationAdministratorAppoints, OrganizationAdministratorRoleNotHere, CannotDeleteYourself,
            CannotDeactivateYourself, OnlyOrganizationAdministratorChangesAdministrators, HandOverNeedsEveryRole,
            OnlyOperatorTransfers, OnlyOrganizationAdministratorChangesSettings, NobodyIsOwnDeputy, DeputyIsAnAdministrator,
            OnlyOrganizationAdministratorDefines, NobodyGrantsOwnApplications, UserAdministratorGrantsOnlyHeldRoles,
            OnlyAdministratorsGrant, GroupGivesRolesYouLack, OnlyAdministratorsRevoke, AlreadyHoldsApplication,
            AlreadyRequestedApplication, NameRequired, NameTooLong, NameControlCharacters, RoleMalformed, RoleReserved,
            RolesRequired, TooManyRoles, ReasonTooLong, UnknownLanguage, NoSuchApplication, ApplicationNameTaken,
            ApplicationInUse, SystemGroupIsFixed, UnknownApplications, GroupNameTaken, NoManagedUserWithEmail,
            ChunkSavedMeanwhile, RowKeysDisagree, NoUserWithValue, NotTakingApplications, JoinQueueFull, JoinEmailTaken,
            RequestAlreadyDecided, CurrentPasswordWrong, TransferWithinOrganization, KeySavedMeanwhile, ChangedMeanwhile,
            LastOrganizationAdministrator, NoSuchUser, ActivatesByCode, RowUnknownApplication, RowSystemGroup, RowUnknownGroup,
            DeletedUser, ImportSubject,
        ];
        all.extend(TRANSITIONS.map(TransitionRefused));
        all.extend(PERIOD_ERRORS.map(Period));
        all.extend(STATUSES.map(Status));
        all.extend(ROLES.map(Role));
        all.extend(HistoryAction::ALL.map(History));
        all.extend(AuditColumn::ALL.map(AuditHeader));
        all
    }

    /// The message's wording in `lang`, placeholders unfilled.
    pub fn template(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Da => danish(self),
            Lang::En => english(self),
            Lang::De => german(self),
        }
    }

    /// The message in `lang`; for a message without arguments, all of it.
    pub fn text(self, lang: Lang) -> String {
        self.template(lang).to_owned()
    }

    /// The message in `lang` with `{0}`, `{1}` … replaced by `args`.
    pub fn with(self, lang: Lang, args: &[&dyn Display]) -> String {
        fill(self.template(lang), &args.iter().map(|arg| arg.to_string()).collect::<Vec<_>>())
    }
}

/// English, for what has no language at hand (logs, the bulk checker's
/// `reason.into()`).
impl From<Message> for String {
    fn from(message: Message) -> String {
        message.text(Lang::En)
    }
}

/// An argument of a message: plain text (a name, a number), or another
/// message said in the same language (a status inside a refusal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Plain(String),
    Said(Message),
}

impl Arg {
    pub fn plain(value: impl Display) -> Arg {
        Arg::Plain(value.to_string())
    }
}

/// A message with its arguments, decided before the language is known and
/// said when it is (an error is answered in the caller's language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub message: Message,
    pub args: Vec<Arg>,
}

impl Text {
    pub fn new(message: Message, args: Vec<Arg>) -> Text {
        Text { message, args }
    }

    pub fn render(&self, lang: Lang) -> String {
        let args: Vec<String> = self
            .args
            .iter()
            .map(|arg| match arg {
                Arg::Plain(text) => text.clone(),
                Arg::Said(message) => message.text(lang),
            })
            .collect();
        fill(self.message.template(lang), &args)
    }
}

impl From<Message> for Text {
    fn from(message: Message) -> Text {
        Text { message, args: Vec::new() }
    }
}

/// Replaces `{0}`, `{1}` … in `template` by `args` in one pass, so that an
/// argument holding `{1}` stays as typed.
fn fill(template: &str, args: &[String]) -> String {
    let mut out = String::with_capacity(template.len() + args.iter().map(String::len).sum::<usize>());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let index = after.find('}').and_then(|close| after[..close].parse::<usize>().ok().map(|index| (index, close)));
        match index.and_then(|(index, close)| args.get(index).map(|arg| (arg, close))) {
            Some((arg, close)) => {
                out.push_str(arg);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn english(message: Message) -> &'static str {
    use Message::*;
    match message {
        MalformedJson => "The request body is not valid JSON: {0}",
        InvalidBody => "The request body does not have the expected fields: {0}",
        BodyTooLarge => "The request body is larger than {0} bytes.",
        InvalidQuery => "The query string is not valid: {0}",
        InvalidCredentials => "The e-mail address or the password is wrong.",
        Unauthenticated => "Sign in first.",
        TooManyAttempts => "Too many sign-in attempts. Try again in {0} minutes.",
        TooManyApplications => "Too many applications were sent from here. Try again in {0} minutes.",
        BadOrigin => "The request did not come from this site.",
        Forbidden => "You may not do this.",
        NotFound => "Nothing was found at this address.",
        Validation => "Some fields need to be corrected.",
        RowsRejected => "Rows of this chunk need to be corrected; nothing of it was saved.",
        ActivationRefused => {
            "The activation link or code is not valid, or the details do not match. Check them, or ask your administrator for a new one."
        }
        MethodNotAllowed => "This method is not allowed here.",
        Internal => "Something went wrong on our side. Please try again.",
        QueryDate => "`{0}` must be a date YYYY-MM-DD",
        QueryFormatAuditOnly => "`format` is for the audit log",
        QueryFormatCsvOnly => "`format` may only be csv",
        QueryCursor => "`after` is not a cursor from this list",
        BulkActivationLimit => "at most {0} users at once",
        OnlyAdministratorsManageUsers => "Only administrators manage users.",
        OnlyOrganizationAdministrator => "Only an organization administrator does this: ask one of your organization's.",
        NobodyChangesOwnRole => "Nobody changes their own role.",
        OnlyOrganizationAdministratorAppoints => "Only an organization administrator appoints or removes user administrators.",
        OrganizationAdministratorRoleNotHere => "The organization administrator role is not given or taken here.",
        CannotDeleteYourself => "You cannot delete yourself.",
        CannotDeactivateYourself => "You cannot deactivate yourself: you could no longer sign in.",
        OnlyOrganizationAdministratorChangesAdministrators => "Only an organization administrator changes the account of an administrator.",
        HandOverNeedsEveryRole => {
            "This user holds applications you could not grant yourself, so you cannot send them to activation \
             or change their e-mail, CPR number or birth date; an organization administrator can."
        }
        OnlyOperatorTransfers => "Only a platform operator transfers responsibility between administrators.",
        OnlyOrganizationAdministratorChangesSettings => "Only an organization administrator changes the organization's settings.",
        NobodyIsOwnDeputy => "Nobody is their own deputy.",
        DeputyIsAnAdministrator => "A deputy is an administrator standing in for another administrator.",
        OnlyOrganizationAdministratorDefines => "Only an organization administrator defines applications and groups.",
        NobodyGrantsOwnApplications => "Nobody grants or revokes their own applications.",
        UserAdministratorGrantsOnlyHeldRoles => "A user administrator grants only applications whose roles they hold themselves.",
        OnlyAdministratorsGrant => "Only administrators grant applications.",
        GroupGivesRolesYouLack => "Joining this group would give roles you do not hold yourself, so you cannot add people to it.",
        OnlyAdministratorsRevoke => "Only administrators revoke applications.",
        AlreadyHoldsApplication => "You already hold this application.",
        AlreadyRequestedApplication => "You have already requested this application; your administrators have been told.",
        NameRequired => "Enter a name.",
        NameTooLong => "A name has at most {0} characters.",
        NameControlCharacters => "A name cannot contain line breaks or control characters.",
        RoleMalformed => {
            "“{0}” is not a role name: start with a lowercase letter, then use lowercase letters, digits, “.”, “_” or “-” (at most {1})."
        }
        RoleReserved => {
            "“{0}” is the right to administer users, which an organization administrator appoints on the user's page; it is not an application's role."
        }
        RolesRequired => "Give the application at least one role.",
        TooManyRoles => "An application has at most {0} roles.",
        ReasonTooLong => "A reason has at most {0} characters.",
        UnknownLanguage => "Choose Danish (da), English (en) or German (de).",
        NoSuchApplication => "Your organization has no such application.",
        ApplicationNameTaken => "Your organization already has an application named “{0}”.",
        ApplicationInUse => "“{0}” is held by {1} people and given by {2} groups. Revoke it and take it out of the groups first.",
        SystemGroupIsFixed => "“{0}” is the system group of a P-unit: its members are the unit's users, set by each user's P-number.",
        UnknownApplications => "{0} of the chosen applications are not your organization's.",
        GroupNameTaken => "A group named “{0}” already exists.",
        NoManagedUserWithEmail => "No user you manage in your organization has this e-mail address.",
        ChunkSavedMeanwhile => "A user in this chunk was saved by someone else at the same time; check the file again and resend.",
        RowKeysDisagree => "The row's keys do not belong to the same user.",
        NoUserWithValue => "No user of the organization has this value.",
        NotTakingApplications => {
            "No organization with this CVR number takes applications through Steward. Ask the organization to create your account."
        }
        JoinQueueFull => "The organization has many applications waiting. Please try again in a few days.",
        JoinEmailTaken => "A user of the organization already has the e-mail address {0}; refuse this application or change that user.",
        RequestAlreadyDecided => "This request has already been decided.",
        CurrentPasswordWrong => "The current password is not right.",
        TransferWithinOrganization => "Responsibility moves to another administrator of the same organization.",
        KeySavedMeanwhile => "Another user of the organization has just been saved with this e-mail address or CPR number.",
        ChangedMeanwhile => "This was changed by someone else meanwhile. Reload the page and try again.",
        LastOrganizationAdministrator => "This is the organization's last active organization administrator. Appoint another one first.",
        NoSuchUser => "No such user in the organization.",
        ActivatesByCode => "Activates by code: send this user on their own, to see the code.",
        RowUnknownApplication => "Your organization has no application named “{0}”.",
        RowSystemGroup => "“{0}” is the system group of a P-unit; its members follow the P-number.",
        RowUnknownGroup => "Your organization has no group named “{0}”.",
        TransitionRefused(transition) => match transition {
            Transition::SendToActivation => "A user who is {0} cannot be sent to activation.",
            Transition::Activate => "A user who is {0} cannot be activated.",
            Transition::Deactivate => "A user who is {0} cannot be deactivated.",
            Transition::Reactivate => "A user who is {0} cannot be reactivated.",
            Transition::Delete => "A user who is {0} cannot be deleted.",
            Transition::Lapse => "A user who is {0} cannot be lapsed.",
        },
        Period(error) => match error {
            PeriodError::FromFormat => "`from` must be a date YYYY-MM-DD.",
            PeriodError::UntilFormat => "`until` must be a date YYYY-MM-DD.",
            PeriodError::FromInPast => "`from` must not be in the past.",
            PeriodError::UntilNotAfterFrom => "`until` must be after `from`.",
        },
        // In English a status is said by its own name.
        Status(status) => status.as_str(),
        Role(role) => match role {
            crate::user::Role::OrganizationAdmin => "Organization administrator",
            crate::user::Role::UserAdmin => "User administrator",
            crate::user::Role::User => "User",
        },
        History(action) => match action {
            HistoryAction::Created => "User created",
            HistoryAction::Updated => "User changed",
            HistoryAction::SentToActivation => "Sent to activation",
            HistoryAction::ActivationResent => "Activation sent again",
            HistoryAction::CodeRegenerated => "Activation code regenerated",
            HistoryAction::Activated => "Account activated",
            HistoryAction::CodeLocked => "Activation code locked after wrong attempts",
            HistoryAction::DeactivationScheduled => "Deactivation scheduled",
            HistoryAction::Deactivated => "Deactivated",
            HistoryAction::Reactivated => "Reactivated",
            HistoryAction::Deleted => "Deleted",
            HistoryAction::ReminderSent => "Registration reminder sent",
            HistoryAction::Lapsed => "Registration lapsed",
            HistoryAction::Imported => "Bulk file applied",
            HistoryAction::RoleChanged => "Role changed",
            HistoryAction::ResponsibilityTransferred => "Responsibility transferred",
            HistoryAction::ApplicationRequested => "Application requested",
            HistoryAction::ApplicationGranted => "Application granted",
            HistoryAction::ApplicationRevoked => "Application revoked",
            HistoryAction::RequestRefused => "Application request refused",
            HistoryAction::GroupJoined => "Added to group",
            HistoryAction::GroupLeft => "Removed from group",
        },
        DeletedUser => "(deleted user)",
        ImportSubject => "(import)",
        AuditHeader(column) => match column {
            AuditColumn::Time => "time (UTC)",
            AuditColumn::Actor => "actor",
            AuditColumn::Action => "action",
            AuditColumn::Subject => "subject",
            AuditColumn::SubjectId => "subject id",
            AuditColumn::Details => "details",
        },
    }
}

fn danish(message: Message) -> &'static str {
    use Message::*;
    match message {
        MalformedJson => "Forespørgslens indhold er ikke gyldig JSON: {0}",
        InvalidBody => "Forespørgslens indhold har ikke de forventede felter: {0}",
        BodyTooLarge => "Forespørgslens indhold er større end {0} byte.",
        InvalidQuery => "Forespørgslens parametre er ikke gyldige: {0}",
        InvalidCredentials => "E-mailadressen eller adgangskoden er forkert.",
        Unauthenticated => "Log ind først.",
        TooManyAttempts => "For mange forsøg på at logge ind. Prøv igen om {0} minutter.",
        TooManyApplications => "Der er sendt for mange ansøgninger herfra. Prøv igen om {0} minutter.",
        BadOrigin => "Forespørgslen kom ikke fra dette websted.",
        Forbidden => "Det har du ikke lov til.",
        NotFound => "Der blev ikke fundet noget på denne adresse.",
        Validation => "Nogle felter skal rettes.",
        RowsRejected => "Rækker i denne del af filen skal rettes; intet af den er gemt.",
        ActivationRefused => {
            "Aktiveringslinket eller aktiveringskoden er ikke gyldig, eller oplysningerne passer ikke. Kontrollér dem, eller bed din administrator om en ny."
        }
        MethodNotAllowed => "Denne metode er ikke tilladt her.",
        Internal => "Der gik noget galt hos os. Prøv igen.",
        QueryDate => "`{0}` skal være en dato ÅÅÅÅ-MM-DD",
        QueryFormatAuditOnly => "`format` gælder kun for auditloggen",
        QueryFormatCsvOnly => "`format` kan kun være csv",
        QueryCursor => "`after` er ikke en markør fra denne liste",
        BulkActivationLimit => "højst {0} brugere ad gangen",
        OnlyAdministratorsManageUsers => "Kun administratorer administrerer brugere.",
        OnlyOrganizationAdministrator => "Det kan kun en organisationsadministrator: spørg en af din organisations.",
        NobodyChangesOwnRole => "Ingen kan ændre sin egen rolle.",
        OnlyOrganizationAdministratorAppoints => "Kun en organisationsadministrator kan udpege eller fjerne brugeradministratorer.",
        OrganizationAdministratorRoleNotHere => "Rollen som organisationsadministrator gives og fratages ikke her.",
        CannotDeleteYourself => "Du kan ikke slette dig selv.",
        CannotDeactivateYourself => "Du kan ikke deaktivere dig selv: så ville du ikke længere kunne logge ind.",
        OnlyOrganizationAdministratorChangesAdministrators => "Kun en organisationsadministrator kan ændre en administrators konto.",
        HandOverNeedsEveryRole => {
            "Brugeren har rettigheder, som du ikke selv kan tildele. Derfor kan du ikke sende brugeren til aktivering \
             eller ændre brugerens e-mailadresse, CPR-nummer eller fødselsdato; det kan en organisationsadministrator."
        }
        OnlyOperatorTransfers => "Kun en platformoperatør kan overdrage ansvar mellem administratorer.",
        OnlyOrganizationAdministratorChangesSettings => "Kun en organisationsadministrator kan ændre organisationens indstillinger.",
        NobodyIsOwnDeputy => "Ingen kan være sin egen stedfortræder.",
        DeputyIsAnAdministrator => "En stedfortræder er en administrator, der træder til for en anden administrator.",
        OnlyOrganizationAdministratorDefines => "Kun en organisationsadministrator kan oprette rettigheder og brugergrupper.",
        NobodyGrantsOwnApplications => "Ingen kan tildele eller fjerne sine egne rettigheder.",
        UserAdministratorGrantsOnlyHeldRoles => "En brugeradministrator kan kun tildele rettigheder, hvis roller vedkommende selv har.",
        OnlyAdministratorsGrant => "Kun administratorer kan tildele rettigheder.",
        GroupGivesRolesYouLack => {
            "Medlemskab af denne brugergruppe giver roller, som du ikke selv har, så du kan ikke tilføje personer til den."
        }
        OnlyAdministratorsRevoke => "Kun administratorer kan fjerne rettigheder.",
        AlreadyHoldsApplication => "Du har allerede denne rettighed.",
        AlreadyRequestedApplication => "Du har allerede anmodet om denne rettighed; dine administratorer har fået besked.",
        NameRequired => "Angiv et navn.",
        NameTooLong => "Et navn må højst have {0} tegn.",
        NameControlCharacters => "Et navn må ikke indeholde linjeskift eller kontroltegn.",
        RoleMalformed => {
            "“{0}” er ikke et rollenavn: start med et lille bogstav, og brug derefter små bogstaver, cifre, “.”, “_” eller “-” (højst {1})."
        }
        RoleReserved => {
            "“{0}” er retten til at administrere brugere, som en organisationsadministrator udpeger på brugerens side; det er ikke en rolle i en rettighed."
        }
        RolesRequired => "Giv rettigheden mindst én rolle.",
        TooManyRoles => "En rettighed har højst {0} roller.",
        ReasonTooLong => "En begrundelse må højst have {0} tegn.",
        UnknownLanguage => "Vælg dansk (da), engelsk (en) eller tysk (de).",
        NoSuchApplication => "Din organisation har ikke denne rettighed.",
        ApplicationNameTaken => "Din organisation har allerede en rettighed med navnet “{0}”.",
        ApplicationInUse => "“{0}” er tildelt {1} personer og gives af {2} brugergrupper. Fjern den fra personerne og brugergrupperne først.",
        SystemGroupIsFixed => "“{0}” er en P-enheds systemgruppe: medlemmerne er enhedens brugere, bestemt af hver brugers P-nummer.",
        UnknownApplications => "{0} af de valgte rettigheder hører ikke til din organisation.",
        GroupNameTaken => "Der findes allerede en brugergruppe med navnet “{0}”.",
        NoManagedUserWithEmail => "Ingen bruger, som du administrerer i din organisation, har denne e-mailadresse.",
        ChunkSavedMeanwhile => "En bruger i denne del af filen blev gemt af en anden samtidig; kontrollér filen igen, og send den igen.",
        RowKeysDisagree => "Nøglerne i rækken hører ikke til samme bruger.",
        NoUserWithValue => "Ingen bruger i organisationen har denne værdi.",
        NotTakingApplications => {
            "Ingen organisation med dette CVR-nummer modtager ansøgninger gennem Steward. Bed organisationen om at oprette din konto."
        }
        JoinQueueFull => "Organisationen har mange ansøgninger, der venter. Prøv igen om nogle dage.",
        JoinEmailTaken => "En bruger i organisationen har allerede e-mailadressen {0}; afvis ansøgningen, eller ret den bruger.",
        RequestAlreadyDecided => "Denne anmodning er allerede afgjort.",
        CurrentPasswordWrong => "Den nuværende adgangskode er forkert.",
        TransferWithinOrganization => "Ansvaret kan kun overdrages til en anden administrator i samme organisation.",
        KeySavedMeanwhile => "En anden bruger i organisationen er netop blevet gemt med denne e-mailadresse eller dette CPR-nummer.",
        ChangedMeanwhile => "Dette er blevet ændret af en anden i mellemtiden. Genindlæs siden, og prøv igen.",
        LastOrganizationAdministrator => "Dette er organisationens sidste aktive organisationsadministrator. Udpeg en anden først.",
        NoSuchUser => "Brugeren findes ikke i organisationen.",
        ActivatesByCode => "Aktiveres med aktiveringskode: send brugeren til aktivering alene for at se koden.",
        RowUnknownApplication => "Din organisation har ingen rettighed med navnet “{0}”.",
        RowSystemGroup => "“{0}” er en P-enheds systemgruppe; medlemmerne følger P-nummeret.",
        RowUnknownGroup => "Din organisation har ingen brugergruppe med navnet “{0}”.",
        TransitionRefused(transition) => match transition {
            Transition::SendToActivation => "En bruger med status {0} kan ikke sendes til aktivering.",
            Transition::Activate => "En bruger med status {0} kan ikke aktiveres.",
            Transition::Deactivate => "En bruger med status {0} kan ikke deaktiveres.",
            Transition::Reactivate => "En bruger med status {0} kan ikke genaktiveres.",
            Transition::Delete => "En bruger med status {0} kan ikke slettes.",
            Transition::Lapse => "En bruger med status {0} kan ikke udløbe.",
        },
        Period(error) => match error {
            PeriodError::FromFormat => "Fra-datoen skal være en dato ÅÅÅÅ-MM-DD.",
            PeriodError::UntilFormat => "Til-datoen skal være en dato ÅÅÅÅ-MM-DD.",
            PeriodError::FromInPast => "Fra-datoen må ikke ligge i fortiden.",
            PeriodError::UntilNotAfterFrom => "Til-datoen skal ligge efter fra-datoen.",
        },
        Status(status) => match status {
            UserStatus::Created => "oprettet",
            UserStatus::Pending => "afventer aktivering",
            UserStatus::Active => "aktiv",
            UserStatus::Deactivated => "deaktiveret",
            UserStatus::Lapsed => "udløbet",
            UserStatus::Deleted => "slettet",
        },
        Role(role) => match role {
            crate::user::Role::OrganizationAdmin => "Organisationsadministrator",
            crate::user::Role::UserAdmin => "Brugeradministrator",
            crate::user::Role::User => "Bruger",
        },
        History(action) => match action {
            HistoryAction::Created => "Bruger oprettet",
            HistoryAction::Updated => "Bruger ændret",
            HistoryAction::SentToActivation => "Sendt til aktivering",
            HistoryAction::ActivationResent => "Aktivering sendt igen",
            HistoryAction::CodeRegenerated => "Ny aktiveringskode dannet",
            HistoryAction::Activated => "Konto aktiveret",
            HistoryAction::CodeLocked => "Aktiveringskode spærret efter forkerte forsøg",
            HistoryAction::DeactivationScheduled => "Deaktivering planlagt",
            HistoryAction::Deactivated => "Deaktiveret",
            HistoryAction::Reactivated => "Genaktiveret",
            HistoryAction::Deleted => "Slettet",
            HistoryAction::ReminderSent => "Påmindelse om aktivering sendt",
            HistoryAction::Lapsed => "Aktiveringsfristen udløbet",
            HistoryAction::Imported => "Brugerimport gennemført",
            HistoryAction::RoleChanged => "Rolle ændret",
            HistoryAction::ResponsibilityTransferred => "Ansvar overdraget",
            HistoryAction::ApplicationRequested => "Anmodet om rettighed",
            HistoryAction::ApplicationGranted => "Rettighed tildelt",
            HistoryAction::ApplicationRevoked => "Rettighed fjernet",
            HistoryAction::RequestRefused => "Anmodning om rettighed afvist",
            HistoryAction::GroupJoined => "Tilføjet til brugergruppe",
            HistoryAction::GroupLeft => "Fjernet fra brugergruppe",
        },
        DeletedUser => "(slettet bruger)",
        ImportSubject => "(brugerimport)",
        AuditHeader(column) => match column {
            AuditColumn::Time => "tidspunkt (UTC)",
            AuditColumn::Actor => "udført af",
            AuditColumn::Action => "handling",
            AuditColumn::Subject => "vedrører",
            AuditColumn::SubjectId => "id",
            AuditColumn::Details => "detaljer",
        },
    }
}

fn german(message: Message) -> &'static str {
    use Message::*;
    match message {
        MalformedJson => "Der Inhalt der Anfrage ist kein gültiges JSON: {0}",
        InvalidBody => "Der Inhalt der Anfrage hat nicht die erwarteten Felder: {0}",
        BodyTooLarge => "Der Inhalt der Anfrage ist größer als {0} Byte.",
        InvalidQuery => "Die Parameter der Anfrage sind ungültig: {0}",
        InvalidCredentials => "Die E-Mail-Adresse oder das Passwort ist falsch.",
        Unauthenticated => "Bitte melden Sie sich zuerst an.",
        TooManyAttempts => "Zu viele Anmeldeversuche. Versuchen Sie es in {0} Minuten erneut.",
        TooManyApplications => "Von hier wurden zu viele Anträge gesendet. Versuchen Sie es in {0} Minuten erneut.",
        BadOrigin => "Die Anfrage kam nicht von dieser Website.",
        Forbidden => "Dazu sind Sie nicht berechtigt.",
        NotFound => "Unter dieser Adresse wurde nichts gefunden.",
        Validation => "Einige Felder müssen korrigiert werden.",
        RowsRejected => "Zeilen dieses Dateiteils müssen korrigiert werden; nichts davon wurde gespeichert.",
        ActivationRefused => {
            "Der Aktivierungslink oder Aktivierungscode ist ungültig, oder die Angaben stimmen nicht überein. Prüfen Sie sie, oder bitten Sie Ihren Administrator um einen neuen."
        }
        MethodNotAllowed => "Diese Methode ist hier nicht erlaubt.",
        Internal => "Bei uns ist etwas schiefgegangen. Bitte versuchen Sie es erneut.",
        QueryDate => "`{0}` muss ein Datum JJJJ-MM-TT sein",
        QueryFormatAuditOnly => "`format` gilt nur für das Prüfprotokoll",
        QueryFormatCsvOnly => "`format` darf nur csv sein",
        QueryCursor => "`after` ist keine Position aus dieser Liste",
        BulkActivationLimit => "höchstens {0} Benutzer auf einmal",
        OnlyAdministratorsManageUsers => "Nur Administratoren verwalten Benutzer.",
        OnlyOrganizationAdministrator => "Das darf nur ein Organisationsadministrator: Wenden Sie sich an einen Ihrer Organisation.",
        NobodyChangesOwnRole => "Niemand kann seine eigene Rolle ändern.",
        OnlyOrganizationAdministratorAppoints => "Nur ein Organisationsadministrator ernennt oder entfernt Benutzeradministratoren.",
        OrganizationAdministratorRoleNotHere => "Die Rolle Organisationsadministrator wird hier weder vergeben noch entzogen.",
        CannotDeleteYourself => "Sie können sich nicht selbst löschen.",
        CannotDeactivateYourself => "Sie können sich nicht selbst deaktivieren: Sie könnten sich sonst nicht mehr anmelden.",
        OnlyOrganizationAdministratorChangesAdministrators => "Nur ein Organisationsadministrator ändert das Konto eines Administrators.",
        HandOverNeedsEveryRole => {
            "Dieser Benutzer hat Fachanwendungen, die Sie selbst nicht vergeben könnten. Deshalb können Sie ihn nicht zur Aktivierung senden \
             und weder seine E-Mail-Adresse noch CPR-Nummer oder Geburtsdatum ändern; ein Organisationsadministrator kann das."
        }
        OnlyOperatorTransfers => "Nur ein Plattformbetreiber überträgt die Zuständigkeit zwischen Administratoren.",
        OnlyOrganizationAdministratorChangesSettings => "Nur ein Organisationsadministrator ändert die Einstellungen der Organisation.",
        NobodyIsOwnDeputy => "Niemand kann sein eigener Vertreter sein.",
        DeputyIsAnAdministrator => "Ein Vertreter ist ein Administrator, der einen anderen Administrator vertritt.",
        OnlyOrganizationAdministratorDefines => "Nur ein Organisationsadministrator legt Fachanwendungen und Benutzergruppen an.",
        NobodyGrantsOwnApplications => "Niemand kann sich selbst Fachanwendungen vergeben oder entziehen.",
        UserAdministratorGrantsOnlyHeldRoles => "Ein Benutzeradministrator vergibt nur Fachanwendungen, deren Rollen er selbst hat.",
        OnlyAdministratorsGrant => "Nur Administratoren vergeben Fachanwendungen.",
        GroupGivesRolesYouLack => {
            "Die Mitgliedschaft in dieser Benutzergruppe gäbe Rollen, die Sie selbst nicht haben; deshalb können Sie niemanden hinzufügen."
        }
        OnlyAdministratorsRevoke => "Nur Administratoren entziehen Fachanwendungen.",
        AlreadyHoldsApplication => "Sie haben diese Fachanwendung bereits.",
        AlreadyRequestedApplication => "Sie haben diese Fachanwendung bereits beantragt; Ihre Administratoren wurden benachrichtigt.",
        NameRequired => "Geben Sie einen Namen ein.",
        NameTooLong => "Ein Name darf höchstens {0} Zeichen haben.",
        NameControlCharacters => "Ein Name darf keine Zeilenumbrüche oder Steuerzeichen enthalten.",
        RoleMalformed => {
            "„{0}“ ist kein Rollenname: Beginnen Sie mit einem Kleinbuchstaben, danach Kleinbuchstaben, Ziffern, „.“, „_“ oder „-“ (höchstens {1})."
        }
        RoleReserved => {
            "„{0}“ ist das Recht, Benutzer zu verwalten, das ein Organisationsadministrator auf der Seite des Benutzers vergibt; es ist keine Rolle einer Fachanwendung."
        }
        RolesRequired => "Geben Sie der Fachanwendung mindestens eine Rolle.",
        TooManyRoles => "Eine Fachanwendung hat höchstens {0} Rollen.",
        ReasonTooLong => "Eine Begründung darf höchstens {0} Zeichen haben.",
        UnknownLanguage => "Wählen Sie Dänisch (da), Englisch (en) oder Deutsch (de).",
        NoSuchApplication => "Ihre Organisation hat diese Fachanwendung nicht.",
        ApplicationNameTaken => "Ihre Organisation hat bereits eine Fachanwendung namens „{0}“.",
        ApplicationInUse => {
            "„{0}“ ist {1} Personen zugewiesen und in {2} Benutzergruppen enthalten. Entziehen Sie sie zuerst und entfernen Sie sie aus den Gruppen."
        }
        SystemGroupIsFixed => {
            "„{0}“ ist die Systemgruppe einer P-Einheit: Ihre Mitglieder sind die Benutzer der Einheit, bestimmt durch die P-Nummer jedes Benutzers."
        }
        UnknownApplications => "{0} der gewählten Fachanwendungen gehören nicht zu Ihrer Organisation.",
        GroupNameTaken => "Eine Benutzergruppe namens „{0}“ gibt es bereits.",
        NoManagedUserWithEmail => "Kein Benutzer, den Sie in Ihrer Organisation verwalten, hat diese E-Mail-Adresse.",
        ChunkSavedMeanwhile => {
            "Ein Benutzer in diesem Dateiteil wurde gleichzeitig von jemand anderem gespeichert; prüfen Sie die Datei erneut und senden Sie sie noch einmal."
        }
        RowKeysDisagree => "Die Schlüssel der Zeile gehören nicht zu demselben Benutzer.",
        NoUserWithValue => "Kein Benutzer der Organisation hat diesen Wert.",
        NotTakingApplications => {
            "Keine Organisation mit dieser CVR-Nummer nimmt Anträge über Steward an. Bitten Sie die Organisation, Ihr Konto anzulegen."
        }
        JoinQueueFull => "Bei der Organisation warten viele Anträge. Bitte versuchen Sie es in einigen Tagen erneut.",
        JoinEmailTaken => {
            "Ein Benutzer der Organisation hat bereits die E-Mail-Adresse {0}; lehnen Sie diesen Antrag ab oder ändern Sie diesen Benutzer."
        }
        RequestAlreadyDecided => "Über diesen Antrag wurde bereits entschieden.",
        CurrentPasswordWrong => "Das aktuelle Passwort ist falsch.",
        TransferWithinOrganization => "Die Zuständigkeit geht nur auf einen anderen Administrator derselben Organisation über.",
        KeySavedMeanwhile => "Ein anderer Benutzer der Organisation wurde gerade mit dieser E-Mail-Adresse oder CPR-Nummer gespeichert.",
        ChangedMeanwhile => "Dies wurde inzwischen von jemand anderem geändert. Laden Sie die Seite neu und versuchen Sie es erneut.",
        LastOrganizationAdministrator => "Dies ist der letzte aktive Organisationsadministrator der Organisation. Ernennen Sie zuerst einen anderen.",
        NoSuchUser => "Diesen Benutzer gibt es in der Organisation nicht.",
        ActivatesByCode => "Wird mit Aktivierungscode aktiviert: Senden Sie diesen Benutzer einzeln zur Aktivierung, um den Code zu sehen.",
        RowUnknownApplication => "Ihre Organisation hat keine Fachanwendung namens „{0}“.",
        RowSystemGroup => "„{0}“ ist die Systemgruppe einer P-Einheit; ihre Mitglieder folgen der P-Nummer.",
        RowUnknownGroup => "Ihre Organisation hat keine Benutzergruppe namens „{0}“.",
        TransitionRefused(transition) => match transition {
            Transition::SendToActivation => "Ein Benutzer mit dem Status {0} kann nicht zur Aktivierung gesendet werden.",
            Transition::Activate => "Ein Benutzer mit dem Status {0} kann nicht aktiviert werden.",
            Transition::Deactivate => "Ein Benutzer mit dem Status {0} kann nicht deaktiviert werden.",
            Transition::Reactivate => "Ein Benutzer mit dem Status {0} kann nicht reaktiviert werden.",
            Transition::Delete => "Ein Benutzer mit dem Status {0} kann nicht gelöscht werden.",
            Transition::Lapse => "Die Registrierung eines Benutzers mit dem Status {0} kann nicht verfallen.",
        },
        Period(error) => match error {
            PeriodError::FromFormat => "Das Von-Datum muss ein Datum JJJJ-MM-TT sein.",
            PeriodError::UntilFormat => "Das Bis-Datum muss ein Datum JJJJ-MM-TT sein.",
            PeriodError::FromInPast => "Das Von-Datum darf nicht in der Vergangenheit liegen.",
            PeriodError::UntilNotAfterFrom => "Das Bis-Datum muss nach dem Von-Datum liegen.",
        },
        Status(status) => match status {
            UserStatus::Created => "angelegt",
            UserStatus::Pending => "Aktivierung ausstehend",
            UserStatus::Active => "aktiv",
            UserStatus::Deactivated => "deaktiviert",
            UserStatus::Lapsed => "abgelaufen",
            UserStatus::Deleted => "gelöscht",
        },
        Role(role) => match role {
            crate::user::Role::OrganizationAdmin => "Organisationsadministrator",
            crate::user::Role::UserAdmin => "Benutzeradministrator",
            crate::user::Role::User => "Benutzer",
        },
        History(action) => match action {
            HistoryAction::Created => "Benutzer angelegt",
            HistoryAction::Updated => "Benutzer geändert",
            HistoryAction::SentToActivation => "Zur Aktivierung gesendet",
            HistoryAction::ActivationResent => "Aktivierung erneut gesendet",
            HistoryAction::CodeRegenerated => "Aktivierungscode neu erzeugt",
            HistoryAction::Activated => "Konto aktiviert",
            HistoryAction::CodeLocked => "Aktivierungscode nach falschen Versuchen gesperrt",
            HistoryAction::DeactivationScheduled => "Deaktivierung geplant",
            HistoryAction::Deactivated => "Deaktiviert",
            HistoryAction::Reactivated => "Reaktiviert",
            HistoryAction::Deleted => "Gelöscht",
            HistoryAction::ReminderSent => "Erinnerung an die Registrierung gesendet",
            HistoryAction::Lapsed => "Registrierung abgelaufen",
            HistoryAction::Imported => "Massenimport angewendet",
            HistoryAction::RoleChanged => "Rolle geändert",
            HistoryAction::ResponsibilityTransferred => "Zuständigkeit übertragen",
            HistoryAction::ApplicationRequested => "Fachanwendung beantragt",
            HistoryAction::ApplicationGranted => "Fachanwendung vergeben",
            HistoryAction::ApplicationRevoked => "Fachanwendung entzogen",
            HistoryAction::RequestRefused => "Antrag auf Fachanwendung abgelehnt",
            HistoryAction::GroupJoined => "Zur Benutzergruppe hinzugefügt",
            HistoryAction::GroupLeft => "Aus Benutzergruppe entfernt",
        },
        DeletedUser => "(gelöschter Benutzer)",
        ImportSubject => "(Massenimport)",
        AuditHeader(column) => match column {
            AuditColumn::Time => "Zeitpunkt (UTC)",
            AuditColumn::Actor => "Ausgeführt von",
            AuditColumn::Action => "Aktion",
            AuditColumn::Subject => "Betrifft",
            AuditColumn::SubjectId => "ID",
            AuditColumn::Details => "Details",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LANGS: [Lang; 3] = [Lang::Da, Lang::En, Lang::De];

    fn placeholders(text: &str) -> Vec<usize> {
        let mut found: Vec<usize> = text
            .split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').and_then(|(inside, _)| inside.parse().ok()))
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    #[test]
    fn every_message_is_said_in_every_language() {
        for message in Message::all() {
            for lang in LANGS {
                let text = message.template(lang);
                assert!(!text.trim().is_empty(), "{message:?} is empty in {lang:?}");
                assert_eq!(text, text.trim(), "{message:?} has stray spaces in {lang:?}");
            }
        }
    }

    #[test]
    fn every_language_has_the_same_placeholders_numbered_from_zero() {
        for message in Message::all() {
            let english = placeholders(message.template(Lang::En));
            assert_eq!(english, (0..english.len()).collect::<Vec<_>>(), "{message:?} skips a placeholder");
            for lang in [Lang::Da, Lang::De] {
                assert_eq!(placeholders(message.template(lang)), english, "{message:?} in {lang:?}");
            }
        }
    }

    #[test]
    fn sentences_differ_between_languages() {
        // Names that are the same word in two languages (aktiv, Details,
        // Organisationsadministrator) are not sentences; everything longer is translated.
        for message in Message::all() {
            let [da, en, de] = LANGS.map(|lang| message.template(lang));
            if en.split_whitespace().count() > 2 {
                assert!(da != en && de != en && da != de, "{message:?} is not translated: {en}");
            }
        }
    }

    #[test]
    fn the_catalogue_lists_every_message_once() {
        let all = Message::all();
        for (index, message) in all.iter().enumerate() {
            assert!(!all[index + 1..].contains(message), "{message:?} twice");
        }
        assert!(all.contains(&Message::History(HistoryAction::GroupLeft)));
    }

    #[test]
    fn arguments_fill_their_placeholders_once() {
        assert_eq!(Message::TooManyAttempts.with(Lang::Da, &[&15]), "For mange forsøg på at logge ind. Prøv igen om 15 minutter.");
        let text = Text::new(Message::ApplicationInUse, vec![Arg::plain("{1}"), Arg::plain(2), Arg::plain(0)]);
        assert!(text.render(Lang::En).starts_with("“{1}” is held by 2 people and given by 0 groups."));
        let refused = Text::new(Message::TransitionRefused(Transition::Reactivate), vec![Arg::Said(Message::Status(UserStatus::Deleted))]);
        assert_eq!(refused.render(Lang::En), "A user who is deleted cannot be reactivated.");
        assert_eq!(refused.render(Lang::De), "Ein Benutzer mit dem Status gelöscht kann nicht reaktiviert werden.");
        assert_eq!(String::from(Message::Forbidden), "You may not do this.");
    }
}
