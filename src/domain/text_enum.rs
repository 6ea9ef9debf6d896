//! `text_enum!`: a closed set of values stored as text — statuses, roles, actions. One definition
//! gives the enum, its stored spelling (`as_str`), a strict `parse`, every variant (`ALL`) and the
//! error for a spelling that is not one of them. How the text reaches the database is `db::sql_enum`;
//! an unknown value read from a row is an error there, never a default.

use std::fmt;

/// A stored or sent spelling that names no variant of the enum `kind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a known {}", self.value, self.kind)
    }
}

impl std::error::Error for UnknownValue {}

/// Defines a `Copy` enum whose variants are stored as the given text.
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        $vis enum $name {
            $( $(#[$variant_meta])* $variant ),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The spelling stored in the database and shown in the API.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Self::$variant => $text ),+
                }
            }

            /// The variant spelled exactly `value`.
            pub fn parse(value: &str) -> Result<Self, $crate::domain::text_enum::UnknownValue> {
                match value {
                    $( $text => Ok(Self::$variant), )+
                    _ => Err($crate::domain::text_enum::UnknownValue {
                        kind: stringify!($name),
                        value: value.to_owned(),
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use text_enum;
