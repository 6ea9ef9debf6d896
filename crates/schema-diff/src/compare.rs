//! The comparison: walks the old schema beside the new one and records every change with its
//! severity under the breaking-change policy (see the crate's documentation), letting an element
//! break only when the old schema deprecated it with a removal date now past.

use std::collections::{BTreeMap, BTreeSet};

use async_graphql::parser::types::{BaseType, Type};
use chrono::NaiveDate;

use crate::schema::{Deprecation, Field, Input, Schema, TypeDef, references};
use crate::{Change, Severity};

fn show(ty: &Type) -> String {
    ty.to_string()
}

/// May a client that reads `old` read `new` instead? It may when `new` is at least as strict.
fn output_compatible(old: &Type, new: &Type) -> bool {
    if !old.nullable && new.nullable {
        return false;
    }
    match (&old.base, &new.base) {
        (BaseType::Named(a), BaseType::Named(b)) => a == b,
        (BaseType::List(a), BaseType::List(b)) => output_compatible(a, b),
        _ => false,
    }
}

/// May a client that sends `old` send it to `new` instead? It may when `new` is at most as strict.
fn input_compatible(old: &Type, new: &Type) -> bool {
    if old.nullable && !new.nullable {
        return false;
    }
    match (&old.base, &new.base) {
        (BaseType::Named(a), BaseType::Named(b)) => a == b,
        (BaseType::List(a), BaseType::List(b)) => input_compatible(a, b),
        _ => false,
    }
}

pub(crate) struct Differ {
    pub(crate) today: NaiveDate,
    pub(crate) changes: Vec<Change>,
}

impl Differ {
    fn push(
        &mut self,
        severity: Severity,
        coordinate: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.changes.push(Change {
            severity,
            coordinate: coordinate.into(),
            message: message.into(),
        });
    }

    /// Whether the deprecation lets the element break now.
    fn expired(&self, deprecation: Option<&Deprecation>) -> bool {
        deprecation
            .and_then(Deprecation::removal_after)
            .is_some_and(|date| date < self.today)
    }

    /// A breaking change to an element, unless its deprecation has run out.
    fn breaking(&mut self, deprecation: Option<&Deprecation>, coordinate: &str, what: &str) {
        if self.expired(deprecation) {
            let date = deprecation
                .and_then(Deprecation::removal_after)
                .map(|d| d.to_string())
                .unwrap_or_default();
            self.push(
                Severity::Allowed,
                coordinate,
                format!("{what} (deprecated with removal after {date})"),
            );
            return;
        }
        let why = match deprecation {
            None => {
                "; deprecate it first with `@deprecated(reason: \"… removal after YYYY-MM-DD\")` \
                     and remove it after that date"
                    .to_owned()
            }
            Some(d) => match d.removal_after() {
                Some(date) => format!("; it is deprecated with removal after {date}, not yet past"),
                None => "; it is deprecated, but its reason names no `removal after YYYY-MM-DD`"
                    .to_owned(),
            },
        };
        self.push(Severity::Breaking, coordinate, format!("{what}{why}"));
    }

    fn description(&mut self, old: Option<&String>, new: Option<&String>, coordinate: &str) {
        if old != new {
            self.push(Severity::Description, coordinate, "description changed");
        }
    }

    fn deprecation(&mut self, old: Option<&Deprecation>, new: Option<&Deprecation>, at: &str) {
        match (old, new) {
            (None, Some(d)) => self.push(Severity::Safe, at, format!("deprecated: {}", d.reason)),
            (Some(_), None) => self.push(Severity::Safe, at, "no longer deprecated"),
            (Some(a), Some(b)) if a != b => {
                self.push(
                    Severity::Safe,
                    at,
                    format!("deprecation reason now: {}", b.reason),
                );
            }
            _ => {}
        }
    }

    pub(crate) fn run(mut self, old: &Schema, new: &Schema) -> Vec<Change> {
        let removable = self.removable_types(old, new);
        for (name, old_type) in &old.types {
            match new.types.get(name) {
                None if removable.contains(name) => self.push(
                    Severity::Allowed,
                    name,
                    format!(
                        "{} removed (every use of it was deprecated and is past its removal date)",
                        old_type.kind.name()
                    ),
                ),
                None => {
                    let users = references(old, name)
                        .into_iter()
                        .map(|(coordinate, _)| coordinate)
                        .collect::<Vec<_>>();
                    let used_by = if users.is_empty() {
                        String::new()
                    } else {
                        format!(" (used by {})", users.join(", "))
                    };
                    self.push(
                        Severity::Breaking,
                        name,
                        format!("{} removed{used_by}", old_type.kind.name()),
                    );
                }
                Some(new_type) if new_type.kind != old_type.kind => self.push(
                    Severity::Breaking,
                    name,
                    format!(
                        "changed from {} to {}",
                        old_type.kind.name(),
                        new_type.kind.name()
                    ),
                ),
                Some(new_type) => self.compare_type(name, old_type, new_type),
            }
        }
        for (name, new_type) in &new.types {
            if !old.types.contains_key(name) {
                self.push(
                    Severity::Safe,
                    name,
                    format!("{} added", new_type.kind.name()),
                );
            }
        }
        self.changes
    }

    fn compare_type(&mut self, name: &str, old: &TypeDef, new: &TypeDef) {
        self.description(old.description.as_ref(), new.description.as_ref(), name);
        for interface in old.implements.difference(&new.implements) {
            self.push(
                Severity::Breaking,
                name,
                format!("no longer implements {interface}"),
            );
        }
        for interface in new.implements.difference(&old.implements) {
            self.push(Severity::Safe, name, format!("now implements {interface}"));
        }
        for member in old.members.difference(&new.members) {
            self.push(
                Severity::Breaking,
                name,
                format!("union member {member} removed"),
            );
        }
        for member in new.members.difference(&old.members) {
            self.push(
                Severity::Dangerous,
                name,
                format!("union member {member} added"),
            );
        }
        self.compare_fields(name, &old.fields, &new.fields);
        self.compare_inputs(name, &old.inputs, &new.inputs, InputOwner::InputType);
        for (value, old_value) in &old.values {
            let coordinate = format!("{name}.{value}");
            match new.values.get(value) {
                None => self.breaking(
                    old_value.deprecation.as_ref(),
                    &coordinate,
                    "enum value removed",
                ),
                Some(new_value) => {
                    self.description(
                        old_value.description.as_ref(),
                        new_value.description.as_ref(),
                        &coordinate,
                    );
                    self.deprecation(
                        old_value.deprecation.as_ref(),
                        new_value.deprecation.as_ref(),
                        &coordinate,
                    );
                }
            }
        }
        for value in new.values.keys() {
            if !old.values.contains_key(value) {
                self.push(
                    Severity::Dangerous,
                    format!("{name}.{value}"),
                    "enum value added (a client switching over every value may not expect it)",
                );
            }
        }
    }

    fn compare_fields(
        &mut self,
        type_name: &str,
        old: &BTreeMap<String, Field>,
        new: &BTreeMap<String, Field>,
    ) {
        for (field_name, old_field) in old {
            let coordinate = format!("{type_name}.{field_name}");
            let Some(new_field) = new.get(field_name) else {
                self.breaking(
                    old_field.deprecation.as_ref(),
                    &coordinate,
                    &format!(
                        "field removed (was `{field_name}: {}`)",
                        show(&old_field.ty)
                    ),
                );
                continue;
            };
            if !output_compatible(&old_field.ty, &new_field.ty) {
                self.breaking(
                    old_field.deprecation.as_ref(),
                    &coordinate,
                    &format!(
                        "type changed from `{}` to `{}`",
                        show(&old_field.ty),
                        show(&new_field.ty)
                    ),
                );
            } else if old_field.ty != new_field.ty {
                self.push(
                    Severity::Safe,
                    &coordinate,
                    format!(
                        "type narrowed from `{}` to `{}`",
                        show(&old_field.ty),
                        show(&new_field.ty)
                    ),
                );
            }
            self.description(
                old_field.description.as_ref(),
                new_field.description.as_ref(),
                &coordinate,
            );
            self.deprecation(
                old_field.deprecation.as_ref(),
                new_field.deprecation.as_ref(),
                &coordinate,
            );
            let owner = InputOwner::Field(old_field.deprecation.as_ref());
            self.compare_inputs(&coordinate, &old_field.args, &new_field.args, owner);
        }
        for field_name in new.keys() {
            if !old.contains_key(field_name) {
                self.push(
                    Severity::Safe,
                    format!("{type_name}.{field_name}"),
                    "field added",
                );
            }
        }
    }

    /// Arguments of a field, or fields of an input type.
    fn compare_inputs(
        &mut self,
        owner_name: &str,
        old: &BTreeMap<String, Input>,
        new: &BTreeMap<String, Input>,
        owner: InputOwner<'_>,
    ) {
        let (what, coordinate_of): (&str, fn(&str, &str) -> String) = match owner {
            InputOwner::Field(_) => ("argument", |owner, name| format!("{owner}({name}:)")),
            InputOwner::InputType => ("input field", |owner, name| format!("{owner}.{name}")),
        };
        for (name, old_input) in old {
            let coordinate = coordinate_of(owner_name, name);
            // An argument goes with its field's deprecation as well as its own.
            let deprecation = match owner {
                InputOwner::Field(Some(field)) if self.expired(Some(field)) => Some(field),
                _ => old_input.deprecation.as_ref(),
            };
            let Some(new_input) = new.get(name) else {
                self.breaking(deprecation, &coordinate, &format!("{what} removed"));
                continue;
            };
            if !input_compatible(&old_input.ty, &new_input.ty) {
                self.breaking(
                    deprecation,
                    &coordinate,
                    &format!(
                        "type changed from `{}` to `{}`",
                        show(&old_input.ty),
                        show(&new_input.ty)
                    ),
                );
            } else if old_input.ty != new_input.ty {
                self.push(
                    Severity::Safe,
                    &coordinate,
                    format!(
                        "type relaxed from `{}` to `{}`",
                        show(&old_input.ty),
                        show(&new_input.ty)
                    ),
                );
            }
            if old_input.default != new_input.default {
                self.push(
                    Severity::Dangerous,
                    &coordinate,
                    format!(
                        "default changed from {} to {}",
                        old_input.default.as_deref().unwrap_or("none"),
                        new_input.default.as_deref().unwrap_or("none")
                    ),
                );
            }
            self.description(
                old_input.description.as_ref(),
                new_input.description.as_ref(),
                &coordinate,
            );
            self.deprecation(
                old_input.deprecation.as_ref(),
                new_input.deprecation.as_ref(),
                &coordinate,
            );
        }
        for (name, new_input) in new {
            if old.contains_key(name) {
                continue;
            }
            let coordinate = coordinate_of(owner_name, name);
            if new_input.required() {
                self.push(
                    Severity::Breaking,
                    coordinate,
                    format!(
                        "required {what} added (`{name}: {}` without a default); make it \
                         nullable or give it a default",
                        show(&new_input.ty)
                    ),
                );
            } else {
                self.push(Severity::Safe, coordinate, format!("{what} added"));
            }
        }
    }

    /// The removed types that may go: every use of each in the old schema was itself deprecated
    /// past its removal date, or lies in a type that may go too (found by repeating until
    /// nothing changes).
    fn removable_types(&self, old: &Schema, new: &Schema) -> BTreeSet<String> {
        let removed: Vec<&String> = old
            .types
            .keys()
            .filter(|name| !new.types.contains_key(*name))
            .collect();
        let mut removable: BTreeSet<String> = BTreeSet::new();
        loop {
            let before = removable.len();
            for name in &removed {
                if removable.contains(*name) {
                    continue;
                }
                let all_gone = references(old, name).iter().all(|(_, use_)| {
                    removable.contains(&use_.owner)
                        || use_.owner == **name
                        || use_
                            .deprecations
                            .iter()
                            .any(|deprecation| self.expired(deprecation.as_ref()))
                });
                if all_gone {
                    removable.insert((*name).clone());
                }
            }
            if removable.len() == before {
                return removable;
            }
        }
    }
}

#[derive(Clone, Copy)]
enum InputOwner<'a> {
    /// A field's arguments, with the field's deprecation.
    Field(Option<&'a Deprecation>),
    InputType,
}
