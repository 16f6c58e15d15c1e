//! The one definition of the bulk template: columns, headers, and what each
//! operation requires of each column. The downloadable files are generated
//! from it.

use crate::bulk::report::csv_line;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    Create,
    Edit,
    Delete,
}

impl Operation {
    pub fn parse(text: &str) -> Option<Operation> {
        match text {
            "create" => Some(Operation::Create),
            "edit" => Some(Operation::Edit),
            "delete" => Some(Operation::Delete),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Edit => "edit",
            Operation::Delete => "delete",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Uuid,
    FirstName,
    LastName,
    Email,
    Cpr,
    BirthDate,
    Phone,
    PNumber,
    SeNumber,
    IdentityMeans,
    Anonymous,
    MaySign,
    MaySeal,
    Roles,
    Groups,
}

/// What an operation requires of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Required,
    Optional,
    /// Identifies the user; at least two keys per row.
    Key,
    /// Must be empty.
    Empty,
    /// Create: the CPR number or the birth date, at least one.
    OneOfCprOrBirthDate,
    /// Read past, whatever it holds.
    Ignored,
}

pub const COLUMNS: [Column; 15] = [
    Column::Uuid,
    Column::FirstName,
    Column::LastName,
    Column::Email,
    Column::Cpr,
    Column::BirthDate,
    Column::Phone,
    Column::PNumber,
    Column::SeNumber,
    Column::IdentityMeans,
    Column::Anonymous,
    Column::MaySign,
    Column::MaySeal,
    Column::Roles,
    Column::Groups,
];

impl Column {
    /// The header as shipped (Danish).
    pub fn header(self) -> &'static str {
        match self {
            Column::Uuid => "UUID",
            Column::FirstName => "Fornavn",
            Column::LastName => "Efternavn",
            Column::Email => "E-mail",
            Column::Cpr => "CPR-nummer",
            Column::BirthDate => "Fødselsdato",
            Column::Phone => "Telefon",
            Column::PNumber => "P-nummer",
            Column::SeNumber => "SE-nummer",
            Column::IdentityMeans => "Identifikationsmidler",
            Column::Anonymous => "Anonym",
            Column::MaySign => "Underskrift",
            Column::MaySeal => "Segl",
            Column::Roles => "Rettigheder",
            Column::Groups => "Brugergrupper",
        }
    }

    /// The English alias, also accepted as a header.
    pub fn alias(self) -> &'static str {
        match self {
            Column::Uuid => "uuid",
            Column::FirstName => "first_name",
            Column::LastName => "last_name",
            Column::Email => "email",
            Column::Cpr => "cpr",
            Column::BirthDate => "birth_date",
            Column::Phone => "phone",
            Column::PNumber => "p_number",
            Column::SeNumber => "se_number",
            Column::IdentityMeans => "identity_means",
            Column::Anonymous => "anonymous",
            Column::MaySign => "may_sign",
            Column::MaySeal => "may_seal",
            Column::Roles => "roles",
            Column::Groups => "groups",
        }
    }

    /// 1-based position in the template.
    pub fn number(self) -> usize {
        // The enum is declared in the file's order (a test holds COLUMNS to
        // it), so the discriminant is the position: the check asks for it
        // for every cell.
        self as usize + 1
    }

    pub fn rule(self, operation: Operation) -> Rule {
        use Column::*;
        use Rule::*;
        match (operation, self) {
            (Operation::Create, Uuid) => Empty,
            (Operation::Create, FirstName | LastName | Email) => Required,
            (Operation::Create, Cpr | BirthDate) => OneOfCprOrBirthDate,
            (Operation::Create, _) => Optional,
            (Operation::Edit, Uuid | Email | Cpr) => Key,
            (Operation::Edit, Anonymous) => Empty,
            (Operation::Edit, _) => Optional,
            (Operation::Delete, Uuid | Email | Cpr) => Key,
            (Operation::Delete, _) => Ignored,
        }
    }

    /// The column a header names: Danish or English, ignoring case, spaces,
    /// hyphens and underscores.
    pub fn from_header(header: &str) -> Option<Column> {
        let wanted = normalize_header(header);
        COLUMNS
            .into_iter()
            .find(|column| normalize_header(column.header()) == wanted || normalize_header(column.alias()) == wanted)
    }
}

fn normalize_header(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

fn example_row(operation: Operation) -> [&'static str; 15] {
    match operation {
        Operation::Create => [
            "", "Anne", "Hansen", "anne.hansen@example.dk", "010190-1234", "", "12345678", "", "",
            "password", "Nej", "Ja", "Nej", "", "Salg",
        ],
        Operation::Edit => [
            "0b6b6c52-5a0e-4e2f-8d57-4c1e8a3f9a01", "", "Hansen-Berg", "anne.hansen@example.dk", "", "", "87654321",
            "", "", "", "", "", "", "", "",
        ],
        Operation::Delete => [
            "0b6b6c52-5a0e-4e2f-8d57-4c1e8a3f9a01", "", "", "anne.hansen@example.dk", "", "", "", "", "", "", "", "",
            "", "", "",
        ],
    }
}

/// The downloadable template for an operation: UTF-8 with a BOM (so that
/// Excel opens it with the right characters), the header row and an example.
pub fn template_file(operation: Operation) -> String {
    let headers: Vec<&str> = COLUMNS.iter().map(|c| c.header()).collect();
    format!("\u{feff}{}{}", csv_line(&headers), csv_line(&example_row(operation)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::check::check_bytes;
    use crate::fields::Date;
    use crate::lang::Lang;

    #[test]
    fn headers_match_in_danish_and_english_loosely() {
        assert_eq!(Column::from_header("Fornavn"), Some(Column::FirstName));
        assert_eq!(Column::from_header(" first_name "), Some(Column::FirstName));
        assert_eq!(Column::from_header("FIRST NAME"), Some(Column::FirstName));
        assert_eq!(Column::from_header("e-mail"), Some(Column::Email));
        assert_eq!(Column::from_header("cpr nummer"), Some(Column::Cpr));
        assert_eq!(Column::from_header("Fodselsdato"), None);
        for (i, column) in COLUMNS.iter().enumerate() {
            assert_eq!(column.number(), i + 1);
            assert_eq!(Column::from_header(column.header()), Some(*column));
            assert_eq!(Column::from_header(column.alias()), Some(*column));
        }
    }

    #[test]
    fn the_rules_follow_the_table_in_the_spec() {
        assert_eq!(Column::Uuid.rule(Operation::Create), Rule::Empty);
        assert_eq!(Column::Email.rule(Operation::Edit), Rule::Key);
        assert_eq!(Column::Anonymous.rule(Operation::Edit), Rule::Empty);
        assert_eq!(Column::BirthDate.rule(Operation::Create), Rule::OneOfCprOrBirthDate);
        assert_eq!(Column::Groups.rule(Operation::Delete), Rule::Ignored);
        assert_eq!(Column::Cpr.rule(Operation::Delete), Rule::Key);
    }

    #[test]
    fn every_template_checks_clean() {
        for operation in [Operation::Create, Operation::Edit, Operation::Delete] {
            let file = template_file(operation);
            let report = check_bytes(file.as_bytes(), operation, Lang::En, Date { year: 2026, month: 1, day: 1 });
            assert_eq!(report.findings, vec![], "{operation:?}");
            assert_eq!(report.rows, 1);
        }
    }
}
