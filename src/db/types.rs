//! Typed ids and the account role as they are stored: each is its own type, so a survey's id
//! cannot be passed where an invitation's is meant, and a role is never a bare string.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use diesel::{AsExpression, FromSqlRow};
use diesel_derive_newtype::DieselNewType;
use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        id_type!($(#[$doc])* $name(i32), Copy);
    };
    ($(#[$doc:meta])* $name:ident(String)) => {
        id_type!($(#[$doc])* $name(String),);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    };
    ($(#[$doc:meta])* $name:ident($inner:ty), $($copy:ident)?) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, $($copy,)? PartialEq, Eq, PartialOrd, Ord, Hash, DieselNewType, Serialize,
            Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub $inner);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A review team account.
    UserId
);

id_type!(
    /// A survey (one imported questionnaire and its revisions).
    SurveyId
);

id_type!(
    /// A stored response: random, and unrelated to who sent it or when.
    ResponseId(String)
);

id_type!(
    /// An invitation: random, and never the token its link carries.
    InvitationId(String)
);

/// What an account may do: viewers read results, admins also manage surveys and accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum Role {
    Admin,
    Viewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "admin" => Some(Role::Admin),
            "viewer" => Some(Role::Viewer),
            _ => None,
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<DB> ToSql<Text, DB> for Role
where
    DB: Backend,
    str: ToSql<Text, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        self.as_str().to_sql(out)
    }
}

impl<DB> FromSql<Text, DB> for Role
where
    DB: Backend,
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        // The column's CHECK admits only these two; anything else is treated as the weaker.
        Ok(Role::parse(&String::from_sql(bytes)?).unwrap_or(Role::Viewer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_back_as_written() {
        for role in [Role::Admin, Role::Viewer] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
