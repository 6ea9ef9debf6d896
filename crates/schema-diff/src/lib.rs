//! What changed between two versions of the schema (SDL), and which changes would break a client
//! written against the older one. `laporlapak schema-diff OLD [NEW]` runs it; CI runs it against
//! the schema of the previous commit of `main`.
//!
//! Breaking: a type, field, argument, input field, enum value or union member removed; a type of
//! another kind; an interface no longer implemented; an output type widened (non-null → nullable,
//! another named type, another list shape); an input type narrowed (nullable → non-null, another
//! named type); a required argument or input field added. Such a change is allowed only when the
//! older schema already deprecated the element with a reason that names a removal date in the past:
//! `@deprecated(reason: "Use `x` instead; removal after 2027-03-31.")`. A type whose every use was
//! removed that way may go with them.
//!
//! Dangerous (reported, not failing): an enum value or union member added, which an exhaustive
//! `switch` in a client may not expect, and a changed default value. Everything else — additions,
//! deprecations, descriptions — is safe. Root types are matched by role (`schema { query: … }`),
//! not by name.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use async_graphql::parser::types::{
    BaseType, ConstDirective, InputValueDefinition, ServiceDocument, Type, TypeKind,
    TypeSystemDefinition,
};
use async_graphql::parser::{Positioned, parse_schema};
use chrono::NaiveDate;

/// How a change affects clients written against the older schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Fails the check.
    Breaking,
    /// Would break, but the older schema deprecated the element with a removal date now past.
    Allowed,
    /// Cannot break a query, but may surprise a client.
    Dangerous,
    /// An addition or a deprecation.
    Safe,
    /// A description changed, and nothing else.
    Description,
}

impl Severity {
    fn label(self) -> &'static str {
        match self {
            Self::Breaking => "BREAKING",
            Self::Allowed => "allowed",
            Self::Dangerous => "dangerous",
            Self::Safe => "safe",
            Self::Description => "description",
        }
    }
}

/// One change, at a schema coordinate (`Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub severity: Severity,
    pub coordinate: String,
    pub message: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<11} {}: {}",
            self.severity.label(),
            self.coordinate,
            self.message
        )
    }
}

/// An SDL document that does not parse.
#[derive(Debug, thiserror::Error)]
#[error("the {which} schema does not parse: {message}")]
pub struct SdlError {
    which: &'static str,
    message: String,
}

/// Every change from `old` to `new`, most severe first. `today` decides whether a deprecation's
/// removal date has passed.
pub fn diff(old: &str, new: &str, today: NaiveDate) -> Result<Vec<Change>, SdlError> {
    let old = Schema::parse(old, "old")?;
    let mut new = Schema::parse(new, "new")?;
    new.rename_roots_as(&old);
    let mut changes = Differ {
        today,
        changes: Vec::new(),
    }
    .run(&old, &new);
    changes.sort_by(|a, b| {
        (a.severity, &a.coordinate, &a.message).cmp(&(b.severity, &b.coordinate, &b.message))
    });
    Ok(changes)
}

/// Why an element was deprecated, and until when it stays.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Deprecation {
    reason: String,
}

impl Deprecation {
    fn from_directives(directives: &[Positioned<ConstDirective>]) -> Option<Self> {
        let directive = directives
            .iter()
            .find(|d| d.node.name.node.as_str() == "deprecated")?;
        let reason = directive
            .node
            .get_argument("reason")
            .and_then(|value| match &value.node {
                async_graphql::Value::String(text) => Some(text.clone()),
                _ => None,
            })
            .unwrap_or_default();
        Some(Self { reason })
    }

    /// The date in "removal after YYYY-MM-DD", if the reason names one.
    fn removal_after(&self) -> Option<NaiveDate> {
        // ASCII lower-casing keeps byte offsets, so the date is sliced from the same place.
        let lower = self.reason.to_ascii_lowercase();
        let start = lower.find("removal after ")? + "removal after ".len();
        let date = self.reason.get(start..start + 10)?;
        NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
    }
}

#[derive(Debug, Clone)]
struct Input {
    ty: Type,
    default: Option<String>,
    description: Option<String>,
    deprecation: Option<Deprecation>,
}

impl Input {
    fn from(definition: &InputValueDefinition) -> Self {
        Self {
            ty: definition.ty.node.clone(),
            default: definition
                .default_value
                .as_ref()
                .map(|value| value.node.to_string()),
            description: definition.description.as_ref().map(|d| d.node.clone()),
            deprecation: Deprecation::from_directives(&definition.directives),
        }
    }

    fn required(&self) -> bool {
        !self.ty.nullable && self.default.is_none()
    }
}

#[derive(Debug, Clone)]
struct Field {
    ty: Type,
    args: BTreeMap<String, Input>,
    description: Option<String>,
    deprecation: Option<Deprecation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Scalar,
    Object,
    Interface,
    Union,
    Enum,
    InputObject,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::Scalar => "scalar",
            Self::Object => "object type",
            Self::Interface => "interface",
            Self::Union => "union",
            Self::Enum => "enum",
            Self::InputObject => "input type",
        }
    }
}

#[derive(Debug, Clone)]
struct EnumValue {
    description: Option<String>,
    deprecation: Option<Deprecation>,
}

#[derive(Debug, Clone)]
struct TypeDef {
    kind: Kind,
    description: Option<String>,
    implements: BTreeSet<String>,
    fields: BTreeMap<String, Field>,
    inputs: BTreeMap<String, Input>,
    values: BTreeMap<String, EnumValue>,
    members: BTreeSet<String>,
}

#[derive(Debug, Default)]
struct Schema {
    /// The query, mutation and subscription root types, by name.
    roots: [Option<String>; 3],
    types: BTreeMap<String, TypeDef>,
}

const ROOT_DEFAULTS: [&str; 3] = ["Query", "Mutation", "Subscription"];

impl Schema {
    fn parse(sdl: &str, which: &'static str) -> Result<Self, SdlError> {
        let document: ServiceDocument = parse_schema(sdl).map_err(|error| SdlError {
            which,
            message: error.to_string(),
        })?;
        let mut schema = Self::default();
        let mut declared_roots = false;
        for definition in document.definitions {
            match definition {
                TypeSystemDefinition::Schema(schema_definition) => {
                    declared_roots = true;
                    let node = schema_definition.node;
                    let name = |root: Option<Positioned<async_graphql::Name>>| {
                        root.map(|name| name.node.to_string())
                    };
                    schema.roots = [
                        name(node.query),
                        name(node.mutation),
                        name(node.subscription),
                    ];
                }
                TypeSystemDefinition::Type(definition) => {
                    let node = definition.node;
                    let description = node.description.map(|d| d.node);
                    let mut def = TypeDef {
                        kind: Kind::Scalar,
                        description,
                        implements: BTreeSet::new(),
                        fields: BTreeMap::new(),
                        inputs: BTreeMap::new(),
                        values: BTreeMap::new(),
                        members: BTreeSet::new(),
                    };
                    let fields = |list: Vec<Positioned<_>>| {
                        list.into_iter()
                            .map(
                                |field: Positioned<
                                    async_graphql::parser::types::FieldDefinition,
                                >| {
                                    let field = field.node;
                                    (
                                        field.name.node.to_string(),
                                        Field {
                                            ty: field.ty.node,
                                            args: field
                                                .arguments
                                                .iter()
                                                .map(|arg| {
                                                    (
                                                        arg.node.name.node.to_string(),
                                                        Input::from(&arg.node),
                                                    )
                                                })
                                                .collect(),
                                            description: field.description.map(|d| d.node),
                                            deprecation: Deprecation::from_directives(
                                                &field.directives,
                                            ),
                                        },
                                    )
                                },
                            )
                            .collect()
                    };
                    let names = |list: Vec<Positioned<async_graphql::Name>>| {
                        list.into_iter().map(|name| name.node.to_string()).collect()
                    };
                    match node.kind {
                        TypeKind::Scalar => {}
                        TypeKind::Object(object) => {
                            def.kind = Kind::Object;
                            def.implements = names(object.implements);
                            def.fields = fields(object.fields);
                        }
                        TypeKind::Interface(interface) => {
                            def.kind = Kind::Interface;
                            def.implements = names(interface.implements);
                            def.fields = fields(interface.fields);
                        }
                        TypeKind::Union(union) => {
                            def.kind = Kind::Union;
                            def.members = names(union.members);
                        }
                        TypeKind::Enum(enumeration) => {
                            def.kind = Kind::Enum;
                            def.values = enumeration
                                .values
                                .into_iter()
                                .map(|value| {
                                    let value = value.node;
                                    (
                                        value.value.node.to_string(),
                                        EnumValue {
                                            description: value.description.map(|d| d.node),
                                            deprecation: Deprecation::from_directives(
                                                &value.directives,
                                            ),
                                        },
                                    )
                                })
                                .collect();
                        }
                        TypeKind::InputObject(input) => {
                            def.kind = Kind::InputObject;
                            def.inputs = input
                                .fields
                                .iter()
                                .map(|field| {
                                    (field.node.name.node.to_string(), Input::from(&field.node))
                                })
                                .collect();
                        }
                    }
                    schema.types.insert(node.name.node.to_string(), def);
                }
                TypeSystemDefinition::Directive(_) => {}
            }
        }
        if !declared_roots {
            for (slot, name) in schema.roots.iter_mut().zip(ROOT_DEFAULTS) {
                *slot = schema.types.contains_key(name).then(|| name.to_owned());
            }
        }
        Ok(schema)
    }

    /// Gives this schema's root types the names they have in `old`, so that renaming `QueryRoot` to
    /// `Query` is not reported as removing every query. Clients name operations, not root types.
    fn rename_roots_as(&mut self, old: &Schema) {
        for (mine, theirs) in self.roots.iter_mut().zip(&old.roots) {
            let (Some(mine), Some(theirs)) = (mine.as_mut(), theirs) else {
                continue;
            };
            if mine == theirs || self.types.contains_key(theirs) {
                continue;
            }
            if let Some(def) = self.types.remove(mine.as_str()) {
                self.types.insert(theirs.clone(), def);
                *mine = theirs.clone();
            }
        }
    }
}

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

/// The named type at the bottom of a (list) type.
fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(inner) => named(inner),
    }
}

struct Differ {
    today: NaiveDate,
    changes: Vec<Change>,
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

    fn run(mut self, old: &Schema, new: &Schema) -> Vec<Change> {
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

/// Where a type is used: the type that uses it, and the deprecations that cover the use (the
/// element's own, and for an argument its field's).
struct Use {
    owner: String,
    deprecations: Vec<Option<Deprecation>>,
}

/// Every use of type `target` in `schema`, by coordinate.
fn references(schema: &Schema, target: &str) -> Vec<(String, Use)> {
    let mut found = Vec::new();
    for (owner, def) in &schema.types {
        let mut add = |coordinate: String, deprecations: Vec<Option<Deprecation>>| {
            found.push((
                coordinate,
                Use {
                    owner: owner.clone(),
                    deprecations,
                },
            ));
        };
        if def.implements.contains(target) || def.members.contains(target) {
            add(owner.clone(), vec![None]);
        }
        for (field_name, field) in &def.fields {
            let coordinate = format!("{owner}.{field_name}");
            if named(&field.ty) == target {
                add(coordinate.clone(), vec![field.deprecation.clone()]);
            }
            for (arg_name, arg) in &field.args {
                if named(&arg.ty) == target {
                    add(
                        format!("{coordinate}({arg_name}:)"),
                        vec![field.deprecation.clone(), arg.deprecation.clone()],
                    );
                }
            }
        }
        for (input_name, input) in &def.inputs {
            if named(&input.ty) == target {
                add(
                    format!("{owner}.{input_name}"),
                    vec![input.deprecation.clone()],
                );
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: &str = "2026-11-30";

    fn changes(old: &str, new: &str) -> Vec<Change> {
        let today = NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap_or_default();
        diff(old, new, today).unwrap_or_default()
    }

    fn breaking(old: &str, new: &str) -> Vec<String> {
        changes(old, new)
            .into_iter()
            .filter(|c| c.severity == Severity::Breaking)
            .map(|c| c.coordinate)
            .collect()
    }

    const BASE: &str = r#"
        type Query { case(id: ID!): Case  cases(first: Int): [Case!]! }
        type Case { id: ID!  status: Status!  note: String }
        enum Status { OPEN CLOSED }
        input Filter { status: Status  platform: String }
        type Mutation { close(id: ID!, filter: Filter): Case! }
    "#;

    #[test]
    fn the_same_schema_has_no_changes() {
        assert!(changes(BASE, BASE).is_empty());
    }

    #[test]
    fn removals_and_renames_break() {
        let renamed = BASE.replace("status: Status!  note", "state: Status!  note");
        assert_eq!(breaking(BASE, &renamed), vec!["Case.status"]);
        let fewer_values = BASE.replace("OPEN CLOSED", "OPEN");
        assert_eq!(breaking(BASE, &fewer_values), vec!["Status.CLOSED"]);
        let no_arg = BASE.replace("cases(first: Int)", "cases");
        assert_eq!(breaking(BASE, &no_arg), vec!["Query.cases(first:)"]);
        let no_input_field = BASE.replace("  platform: String }", " }");
        assert_eq!(breaking(BASE, &no_input_field), vec!["Filter.platform"]);
    }

    #[test]
    fn types_break_when_output_widens_or_input_narrows() {
        let nullable_output = BASE.replace("status: Status!", "status: Status");
        assert_eq!(breaking(BASE, &nullable_output), vec!["Case.status"]);
        let stricter_output = BASE.replace("note: String", "note: String!");
        assert!(breaking(BASE, &stricter_output).is_empty());
        let required_input = BASE.replace("platform: String", "platform: String!");
        assert_eq!(breaking(BASE, &required_input), vec!["Filter.platform"]);
        let optional_arg = BASE.replace("close(id: ID!", "close(id: ID");
        assert!(breaking(BASE, &optional_arg).is_empty());
        let list_shape = BASE.replace("[Case!]!", "Case!");
        assert_eq!(breaking(BASE, &list_shape), vec!["Query.cases"]);
    }

    #[test]
    fn new_required_inputs_break_and_optional_ones_do_not() {
        let required = BASE.replace("close(id: ID!,", "close(id: ID!, reason: String!,");
        assert_eq!(breaking(BASE, &required), vec!["Mutation.close(reason:)"]);
        let defaulted = BASE.replace("close(id: ID!,", "close(id: ID!, reason: String! = \"x\",");
        assert!(breaking(BASE, &defaulted).is_empty());
        let optional_field =
            BASE.replace("platform: String }", "platform: String  flagged: Boolean }");
        assert!(breaking(BASE, &optional_field).is_empty());
    }

    #[test]
    fn an_expired_deprecation_allows_the_removal() {
        let deprecated = |date: &str| {
            BASE.replace(
                "note: String",
                &format!(
                    "note: String @deprecated(reason: \"Use `status`; removal after {date}.\")"
                ),
            )
        };
        let removed = BASE.replace("  note: String", "");
        assert!(breaking(&deprecated("2026-11-29"), &removed).is_empty());
        assert_eq!(
            breaking(&deprecated("2026-11-30"), &removed),
            vec!["Case.note"]
        );
        let undated = BASE.replace("note: String", "note: String @deprecated(reason: \"old\")");
        let report = changes(&undated, &removed);
        assert!(
            report[0].message.contains("names no `removal after"),
            "{}",
            report[0]
        );
        assert!(breaking(BASE, &removed)[0].contains("Case.note"));
    }

    #[test]
    fn the_removal_date_is_read_in_any_letter_case() {
        let reason = |text: &str| Deprecation {
            reason: text.to_owned(),
        };
        let date = NaiveDate::from_ymd_opt(2026, 1, 31);
        assert_eq!(
            reason("Gunakan `x` — İ. Removal after 2026-01-31.").removal_after(),
            date
        );
        assert_eq!(reason("REMOVAL AFTER 2026-01-31").removal_after(), date);
        assert_eq!(reason("removal after 31/01/2026").removal_after(), None);
        assert_eq!(reason("removal after 2026-01").removal_after(), None);
    }

    #[test]
    fn a_type_may_go_with_the_expired_fields_that_used_it() {
        let old = r#"
            type Query { legacy: Legacy @deprecated(reason: "removal after 2026-01-01")  ok: Int }
            type Legacy { inner: Inner }
            type Inner { x: Int }
        "#;
        let new = "type Query { ok: Int }";
        assert!(breaking(old, new).is_empty(), "{:?}", changes(old, new));
        let still_used = old.replace("ok: Int }", "ok: Int  other: Inner }");
        let new_keeps_other = "type Query { ok: Int }";
        assert_eq!(
            breaking(&still_used, new_keeps_other),
            vec!["Inner", "Query.other"]
        );
    }

    #[test]
    fn root_types_are_matched_by_role() {
        let old = "schema { query: QueryRoot } type QueryRoot { a: Int }";
        let new = "type Query { a: Int  b: Int }";
        assert!(breaking(old, new).is_empty(), "{:?}", changes(old, new));
    }

    #[test]
    fn additions_to_enums_are_dangerous_and_descriptions_are_noted() {
        let more = BASE.replace("OPEN CLOSED", "OPEN CLOSED MERGED");
        let report = changes(BASE, &more);
        assert_eq!(report.len(), 1);
        assert_eq!(report[0].severity, Severity::Dangerous);
        let described = BASE.replace("type Case {", "\"One target.\" type Case {");
        let report = changes(BASE, &described);
        assert_eq!(report.len(), 1);
        assert_eq!(report[0].severity, Severity::Description);
    }
}
