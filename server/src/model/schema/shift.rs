//! Moving a read type to where its entry moved. A keystroke above a model moves it without changing it: the
//! lowering cache moves its entry (see [`LowerCache`](crate::model::value::LowerCache)), and the schema moves
//! the type it read from that entry the same way, instead of reading the entry again.
//!
//! Every impl destructures its type completely, so that a field added to a schema type does not compile until
//! it is moved here too (a span left behind would point into the wrong model).

use crate::model::value::{shift_span, shift_value_in_place, Value};
use crate::text::Span;

use super::{
    Conversation, DefaultCall, EnumDef, Field, FieldKind, Fields, Handler, Handlers, Index,
    Indexes, Model, Modifier, Names, Operation, Provider, RefTarget, Relationship, Returns, Rule,
    Rules, Sources, Tool, Tools, TypeDef, TypeKind, Validate, ValidatorCall,
};

/// Moves every span (and every value) of a schema type by the same number of bytes.
pub(super) trait Shift {
    fn shift(&mut self, delta: isize);
}

impl Shift for Span {
    fn shift(&mut self, delta: isize) {
        shift_span(self, delta);
    }
}

impl Shift for Value {
    /// In place where nothing else holds a part of it; a part the file model still shares is copied.
    fn shift(&mut self, delta: isize) {
        shift_value_in_place(self, delta);
    }
}

impl<T: Shift> Shift for Option<T> {
    fn shift(&mut self, delta: isize) {
        if let Some(x) = self {
            x.shift(delta);
        }
    }
}

impl<T: Shift> Shift for Vec<T> {
    fn shift(&mut self, delta: isize) {
        self.iter_mut().for_each(|x| x.shift(delta));
    }
}

impl<T: Shift> Shift for Box<T> {
    fn shift(&mut self, delta: isize) {
        (**self).shift(delta);
    }
}

impl<T> Shift for (T, Span) {
    fn shift(&mut self, delta: isize) {
        self.1.shift(delta);
    }
}

/// The lists of a schema: their items, whether they were read whole, and their span.
macro_rules! shift_list {
    ($($t:ident),*) => {$(
        impl Shift for $t {
            fn shift(&mut self, delta: isize) {
                let $t {
                    items,
                    complete: _,
                    span,
                } = self;
                items.shift(delta);
                span.shift(delta);
            }
        }
    )*};
}

shift_list!(Names, Fields, Handlers, Sources, Indexes);

impl Shift for TypeDef {
    fn shift(&mut self, delta: isize) {
        let TypeDef {
            name: _,
            name_span,
            span,
            part: _,
            kind,
            entry: _,
        } = self;
        name_span.shift(delta);
        span.shift(delta);
        match kind {
            TypeKind::Model(m) => m.shift(delta),
            TypeKind::CustomType(f) => f.shift(delta),
            TypeKind::Enum(e) => e.shift(delta),
            TypeKind::Operation(op) => op.shift(delta),
            TypeKind::Conversation(c) => c.shift(delta),
            TypeKind::Unknown => {}
        }
    }
}

impl Shift for Model {
    fn shift(&mut self, delta: isize) {
        let Model {
            builder_span,
            fields,
            identifier,
            indexes,
            disabled,
            rules,
        } = self;
        builder_span.shift(delta);
        fields.shift(delta);
        identifier.shift(delta);
        indexes.shift(delta);
        disabled.shift(delta);
        rules.shift(delta);
    }
}

impl Shift for Field {
    fn shift(&mut self, delta: isize) {
        let Field {
            name: _,
            name_span,
            span,
            kind,
            required: _,
            array: _,
            array_required: _,
            default,
            validate,
            rules,
            modifiers,
        } = self;
        name_span.shift(delta);
        span.shift(delta);
        kind.shift(delta);
        default.shift(delta);
        validate.shift(delta);
        rules.shift(delta);
        modifiers.shift(delta);
    }
}

impl Shift for FieldKind {
    fn shift(&mut self, delta: isize) {
        match self {
            FieldKind::Scalar {
                factory: _,
                graphql: _,
            }
            | FieldKind::Unknown => {}
            FieldKind::Ref(r) => r.shift(delta),
            FieldKind::Relationship(r) => r.shift(delta),
            FieldKind::Enum(e) => e.shift(delta),
            FieldKind::CustomType(f) => f.shift(delta),
        }
    }
}

impl Shift for RefTarget {
    fn shift(&mut self, delta: isize) {
        let RefTarget {
            name: _,
            name_span,
            span,
            mutations,
        } = self;
        name_span.shift(delta);
        span.shift(delta);
        mutations.shift(delta);
    }
}

impl Shift for Relationship {
    fn shift(&mut self, delta: isize) {
        let Relationship {
            kind: _,
            call_span,
            target: _,
            target_span,
            references,
        } = self;
        call_span.shift(delta);
        target_span.shift(delta);
        references.shift(delta);
    }
}

impl Shift for EnumDef {
    fn shift(&mut self, delta: isize) {
        let EnumDef {
            values,
            complete: _,
            span,
        } = self;
        values.shift(delta);
        span.shift(delta);
    }
}

impl Shift for DefaultCall {
    fn shift(&mut self, delta: isize) {
        let DefaultCall { value, span } = self;
        value.shift(delta);
        span.shift(delta);
    }
}

impl Shift for Validate {
    fn shift(&mut self, delta: isize) {
        let Validate {
            calls,
            complete: _,
            span,
            name_span,
        } = self;
        calls.shift(delta);
        span.shift(delta);
        name_span.shift(delta);
    }
}

impl Shift for ValidatorCall {
    fn shift(&mut self, delta: isize) {
        let ValidatorCall {
            name: _,
            name_span,
            args,
        } = self;
        name_span.shift(delta);
        args.shift(delta);
    }
}

impl Shift for Modifier {
    fn shift(&mut self, delta: isize) {
        let Modifier {
            name: _,
            name_span,
            span,
            args,
        } = self;
        name_span.shift(delta);
        span.shift(delta);
        args.shift(delta);
    }
}

impl Shift for Rules {
    fn shift(&mut self, delta: isize) {
        let Rules {
            rules,
            complete: _,
            span,
        } = self;
        rules.shift(delta);
        span.shift(delta);
    }
}

impl Shift for Rule {
    fn shift(&mut self, delta: isize) {
        let Rule {
            name: _,
            name_span,
            call_span,
            span,
            called: _,
            args,
            provider,
            groups,
            field,
            to,
            chain,
        } = self;
        name_span.shift(delta);
        call_span.shift(delta);
        span.shift(delta);
        args.shift(delta);
        provider.shift(delta);
        groups.shift(delta);
        field.shift(delta);
        to.shift(delta);
        chain.shift(delta);
    }
}

impl Shift for Provider {
    fn shift(&mut self, delta: isize) {
        match self {
            Provider::Given(_, span) => span.shift(delta),
            Provider::Default | Provider::Unknown => {}
        }
    }
}

impl Shift for Operation {
    fn shift(&mut self, delta: isize) {
        let Operation {
            kind: _,
            builder_span,
            config,
            arguments,
            returns,
            handlers,
            sources,
            rules,
        } = self;
        builder_span.shift(delta);
        config.shift(delta);
        arguments.shift(delta);
        returns.shift(delta);
        handlers.shift(delta);
        sources.shift(delta);
        rules.shift(delta);
    }
}

impl Shift for Returns {
    fn shift(&mut self, delta: isize) {
        let Returns { field, span } = self;
        field.shift(delta);
        span.shift(delta);
    }
}

impl Shift for Handler {
    fn shift(&mut self, delta: isize) {
        let Handler {
            kind: _,
            is_async: _,
            entry,
            span,
        } = self;
        entry.shift(delta);
        span.shift(delta);
    }
}

impl Shift for Conversation {
    fn shift(&mut self, delta: isize) {
        let Conversation {
            builder_span,
            config,
            tools,
            rules,
        } = self;
        builder_span.shift(delta);
        config.shift(delta);
        tools.shift(delta);
        rules.shift(delta);
    }
}

impl Shift for Tools {
    fn shift(&mut self, delta: isize) {
        let Tools { items, complete: _ } = self;
        items.shift(delta);
    }
}

impl Shift for Tool {
    fn shift(&mut self, delta: isize) {
        let Tool {
            name,
            model,
            query,
            span,
        } = self;
        name.shift(delta);
        model.shift(delta);
        query.shift(delta);
        span.shift(delta);
    }
}

impl Shift for Index {
    fn shift(&mut self, delta: isize) {
        let Index {
            pk,
            sort_keys,
            name,
            span,
        } = self;
        pk.shift(delta);
        sort_keys.shift(delta);
        name.shift(delta);
        span.shift(delta);
    }
}
