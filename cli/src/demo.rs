//! The demo data that the run command loads into a local D1: two
//! organizations, so that what one may not see of the other is visible too.

use rand::RngCore;
use steward_domain::password;

/// The demo's one password, printed by the run command.
pub const DEMO_PASSWORD: &str = "steward-demo-password";

struct DemoUser {
    id: &'static str,
    first_name: &'static str,
    last_name: &'static str,
    email: &'static str,
    role: &'static str,
    status: &'static str,
}

struct DemoOrganization {
    id: &'static str,
    name: &'static str,
    cvr: &'static str,
    p_numbers: &'static [(&'static str, &'static str)],
    se_numbers: &'static [&'static str],
    users: &'static [DemoUser],
}

const ORGANIZATIONS: &[DemoOrganization] = &[
    DemoOrganization {
        id: "6f1c2a3e-0d4b-4c5a-9e8f-1a2b3c4d5e6f",
        name: "Demo ApS",
        cvr: "12345674",
        p_numbers: &[("1003456789", "Demo ApS, Aarhus"), ("1003456790", "Demo ApS, Odense")],
        se_numbers: &["12345674", "87654321"],
        users: &[
            DemoUser { id: "0b6b6c52-5a0e-4e2f-8d57-4c1e8a3f9a01", first_name: "Anne", last_name: "Andersen", email: "admin@demo.example", role: "organization_admin", status: "active" },
            DemoUser { id: "0b6b6c52-5a0e-4e2f-8d57-4c1e8a3f9a02", first_name: "Bo", last_name: "Berg", email: "bo.berg@demo.example", role: "user_admin", status: "active" },
            DemoUser { id: "0b6b6c52-5a0e-4e2f-8d57-4c1e8a3f9a03", first_name: "Camilla", last_name: "Dahl", email: "camilla.dahl@demo.example", role: "user", status: "active" },
            DemoUser { id: "0b6b6c52-5a0e-4e2f-8d57-4c1e8a3f9a04", first_name: "Søren", last_name: "Ærø", email: "soren.aero@demo.example", role: "user", status: "pending" },
            DemoUser { id: "0b6b6c52-5a0e-4e2f-8d57-4c1e8a3f9a05", first_name: "Jürgen", last_name: "Müller", email: "juergen.mueller@demo.example", role: "user", status: "created" },
            DemoUser { id: "0b6b6c52-5a0e-4e2f-8d57-4c1e8a3f9a06", first_name: "Mette", last_name: "O'Neill", email: "mette.oneill@demo.example", role: "user", status: "deactivated" },
        ],
    },
    DemoOrganization {
        id: "8e2d3b4f-1e5c-4d6b-8f9a-2b3c4d5e6f70",
        name: "Anden Virksomhed A/S",
        cvr: "31415926",
        p_numbers: &[("1009876543", "Anden Virksomhed, København")],
        se_numbers: &["31415926"],
        users: &[
            DemoUser { id: "7c7d8e9f-6b1f-4f3a-9e68-5d2f9b4a0b01", first_name: "Ole", last_name: "Olsen", email: "admin@anden.example", role: "organization_admin", status: "active" },
            DemoUser { id: "7c7d8e9f-6b1f-4f3a-9e68-5d2f9b4a0b02", first_name: "Pia", last_name: "Poulsen", email: "pia.poulsen@anden.example", role: "user", status: "active" },
        ],
    },
    // The platform's own people; their roles come from `platform_operators` and `register_administrators`.
    DemoOrganization {
        id: "2a3b4c5d-6e7f-4081-9a2b-3c4d5e6f7a80",
        name: "Steward platform",
        cvr: "10000009",
        p_numbers: &[],
        se_numbers: &[],
        users: &[
            DemoUser { id: "2a3b4c5d-6e7f-4081-9a2b-3c4d5e6f7a81", first_name: "Olivia", last_name: "Operator", email: "operator@steward.example", role: "user", status: "active" },
            DemoUser { id: "2a3b4c5d-6e7f-4081-9a2b-3c4d5e6f7a82", first_name: "Rasmus", last_name: "Register", email: "register@steward.example", role: "user", status: "active" },
        ],
    },
];

/// The organizations' applications: (organization, id, name, roles).
const APPLICATIONS: &[(&str, &str, &str, &[&str])] = &[
    ("6f1c2a3e-0d4b-4c5a-9e8f-1a2b3c4d5e6f", "a1000000-0000-4000-8000-000000000001", "Invoicing", &["invoice.read", "invoice.approve"]),
    ("6f1c2a3e-0d4b-4c5a-9e8f-1a2b3c4d5e6f", "a1000000-0000-4000-8000-000000000002", "Reports", &["report.read"]),
    ("6f1c2a3e-0d4b-4c5a-9e8f-1a2b3c4d5e6f", "a1000000-0000-4000-8000-000000000003", "Payroll", &["payroll.read", "payroll.write"]),
    ("8e2d3b4f-1e5c-4d6b-8f9a-2b3c4d5e6f70", "a1000000-0000-4000-8000-000000000004", "Webshop", &["shop.admin"]),
];

/// Who holds which application: Bo, a user administrator, holds Invoicing
/// and Reports, so he may grant those and not Payroll.
const GRANTS: &[(&str, &str)] = &[
    ("0b6b6c52-5a0e-4e2f-8d57-4c1e8a3f9a02", "a1000000-0000-4000-8000-000000000001"),
    ("0b6b6c52-5a0e-4e2f-8d57-4c1e8a3f9a02", "a1000000-0000-4000-8000-000000000002"),
    ("0b6b6c52-5a0e-4e2f-8d57-4c1e8a3f9a03", "a1000000-0000-4000-8000-000000000002"),
];

/// Custom groups: (organization, id, name, applications it gives).
const GROUPS: &[(&str, &str, &str, &[&str])] = &[(
    "6f1c2a3e-0d4b-4c5a-9e8f-1a2b3c4d5e6f",
    "b1000000-0000-4000-8000-000000000001",
    "Finance team",
    &["a1000000-0000-4000-8000-000000000001", "a1000000-0000-4000-8000-000000000003"],
)];

/// Users who operate the platform.
const PLATFORM_OPERATORS: &[&str] = &["2a3b4c5d-6e7f-4081-9a2b-3c4d5e6f7a81"];

/// Users who decide applications for protected data.
const REGISTER_ADMINISTRATORS: &[&str] = &["2a3b4c5d-6e7f-4081-9a2b-3c4d5e6f7a82"];

/// How to sign in to the demo, for the person who just started it.
pub fn sign_in_details() -> String {
    let mut text = String::from("Demo sign-in (password for everyone: ");
    text += DEMO_PASSWORD;
    text += ")\n";
    for organization in ORGANIZATIONS {
        for user in organization.users.iter().filter(|user| user.status == "active") {
            let role = if PLATFORM_OPERATORS.contains(&user.id) {
                "platform operator"
            } else if REGISTER_ADMINISTRATORS.contains(&user.id) {
                "register administrator"
            } else {
                user.role
            };
            text += &format!("  {:<28} {:<22} {}\n", user.email, role, organization.name);
        }
    }
    text
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// SQL that inserts the demo data; rows already present are left alone, so
/// it can run again on the same database.
pub fn seed_sql() -> String {
    let mut rng = rand::thread_rng();
    let mut sql = String::new();
    for organization in ORGANIZATIONS {
        sql += &format!(
            "INSERT OR IGNORE INTO organizations (id, name, cvr, kind, created_at) VALUES ({}, {}, {}, 'business', unixepoch());\n",
            quote(organization.id),
            quote(organization.name),
            quote(organization.cvr)
        );
        for (p_number, name) in organization.p_numbers {
            sql += &format!(
                "INSERT OR IGNORE INTO production_units (organization_id, p_number, name) VALUES ({}, {}, {});\n",
                quote(organization.id),
                quote(p_number),
                quote(name)
            );
        }
        for se_number in organization.se_numbers {
            sql += &format!(
                "INSERT OR IGNORE INTO se_numbers (organization_id, se_number) VALUES ({}, {});\n",
                quote(organization.id),
                quote(se_number)
            );
        }
        for user in organization.users {
            let mut salt = [0u8; password::SALT_LEN];
            rng.fill_bytes(&mut salt);
            let hash = password::hash(DEMO_PASSWORD, &salt);
            let search_text = format!("{} {} {}", user.first_name, user.last_name, user.email).to_lowercase();
            // People not yet active were given a birth date, so that the code path can be tried.
            let birth_date = if user.status == "active" { "NULL".to_owned() } else { quote("1985-04-12") };
            sql += &format!(
                "INSERT OR IGNORE INTO users (id, organization_id, first_name, last_name, email, email_normalized, role, status, password_hash, search_text, birth_date, created_at, updated_at) \
                 VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, unixepoch(), unixepoch());\n",
                quote(user.id),
                quote(organization.id),
                quote(user.first_name),
                quote(user.last_name),
                quote(user.email),
                quote(&user.email.to_lowercase()),
                quote(user.role),
                quote(user.status),
                quote(&hash),
                quote(&search_text),
                birth_date
            );
        }
    }
    for (organization, id, name, roles) in APPLICATIONS {
        sql += &format!(
            "INSERT OR IGNORE INTO applications (id, organization_id, name, created_at) VALUES ({}, {}, {}, unixepoch());\n",
            quote(id),
            quote(organization),
            quote(name)
        );
        for role in *roles {
            sql += &format!("INSERT OR IGNORE INTO application_roles (application_id, role) VALUES ({}, {});\n", quote(id), quote(role));
        }
    }
    for (user, application) in GRANTS {
        sql += &format!(
            "INSERT OR IGNORE INTO user_applications (user_id, application_id, granted_at) VALUES ({}, {}, unixepoch());\n",
            quote(user),
            quote(application)
        );
    }
    for (organization, id, name, applications) in GROUPS {
        sql += &format!(
            "INSERT OR IGNORE INTO user_groups (id, organization_id, name, created_at) VALUES ({}, {}, {}, unixepoch());\n",
            quote(id),
            quote(organization),
            quote(name)
        );
        for application in *applications {
            sql += &format!("INSERT OR IGNORE INTO group_applications (group_id, application_id) VALUES ({}, {});\n", quote(id), quote(application));
        }
    }
    for operator in PLATFORM_OPERATORS {
        sql += &format!("INSERT OR IGNORE INTO platform_operators (user_id) VALUES ({});\n", quote(operator));
    }
    for administrator in REGISTER_ADMINISTRATORS {
        sql += &format!("INSERT OR IGNORE INTO register_administrators (user_id) VALUES ({});\n", quote(administrator));
    }
    sql += "UPDATE users SET registration_deadline = unixepoch() + 120 * 86400 WHERE status = 'pending' AND registration_deadline IS NULL;\n";
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_user_can_sign_in_with_the_demo_password() {
        let sql = seed_sql();
        let hashes: Vec<&str> = sql.split('\'').filter(|part| part.starts_with("$argon2id$")).collect();
        assert_eq!(hashes.len(), ORGANIZATIONS.iter().map(|o| o.users.len()).sum::<usize>());
        assert!(hashes.iter().all(|hash| password::verify(hash, DEMO_PASSWORD)));
    }

    #[test]
    fn quotes_in_names_are_escaped() {
        assert!(seed_sql().contains("'O''Neill'"));
    }
}
