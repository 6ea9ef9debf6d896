//! The schema as the comparison reads it: every type by name with its fields, arguments, input
//! fields, enum values, union members and interfaces, each with its description and deprecation
//! (parsed from SDL), and where each type is used.

use std::collections::{BTreeMap, BTreeSet};

use async_graphql::parser::types::{
    BaseType, ConstDirective, InputValueDefinition, ServiceDocument, Type, TypeKind,
    TypeSystemDefinition,
};
use async_graphql::parser::{Positioned, parse_schema};
use chrono::NaiveDate;

use crate::SdlError;

/// Why an element was deprecated, and until when it stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Deprecation {
    pub(crate) reason: String,
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
    pub(crate) fn removal_after(&self) -> Option<NaiveDate> {
        // ASCII lower-casing keeps byte offsets, so the date is sliced from the same place.
        let lower = self.reason.to_ascii_lowercase();
        let start = lower.find("removal after ")? + "removal after ".len();
        let date = self.reason.get(start..start + 10)?;
        NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Input {
    pub(crate) ty: Type,
    pub(crate) default: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) deprecation: Option<Deprecation>,
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

    pub(crate) fn required(&self) -> bool {
        !self.ty.nullable && self.default.is_none()
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub(crate) ty: Type,
    pub(crate) args: BTreeMap<String, Input>,
    pub(crate) description: Option<String>,
    pub(crate) deprecation: Option<Deprecation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Scalar,
    Object,
    Interface,
    Union,
    Enum,
    InputObject,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
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
pub(crate) struct EnumValue {
    pub(crate) description: Option<String>,
    pub(crate) deprecation: Option<Deprecation>,
}

#[derive(Debug, Clone)]
pub(crate) struct TypeDef {
    pub(crate) kind: Kind,
    pub(crate) description: Option<String>,
    pub(crate) implements: BTreeSet<String>,
    pub(crate) fields: BTreeMap<String, Field>,
    pub(crate) inputs: BTreeMap<String, Input>,
    pub(crate) values: BTreeMap<String, EnumValue>,
    pub(crate) members: BTreeSet<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Schema {
    /// The query, mutation and subscription root types, by name.
    pub(crate) roots: [Option<String>; 3],
    pub(crate) types: BTreeMap<String, TypeDef>,
}

const ROOT_DEFAULTS: [&str; 3] = ["Query", "Mutation", "Subscription"];

impl Schema {
    pub(crate) fn parse(sdl: &str, which: &'static str) -> Result<Self, SdlError> {
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
    pub(crate) fn rename_roots_as(&mut self, old: &Schema) {
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

/// Where a type is used: the type that uses it, and the deprecations that cover the use (the
/// element's own, and for an argument its field's).
pub(crate) struct Use {
    pub(crate) owner: String,
    pub(crate) deprecations: Vec<Option<Deprecation>>,
}

/// Every use of type `target` in `schema`, by coordinate.
pub(crate) fn references(schema: &Schema, target: &str) -> Vec<(String, Use)> {
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

/// The named type at the bottom of a (list) type.
fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(inner) => named(inner),
    }
}
