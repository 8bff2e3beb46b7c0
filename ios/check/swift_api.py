"""Checks the hand-written Swift's uses of the core against the generated bindings.

    python swift_api.py BINDINGS_DIR SWIFT_DIR_OR_FILE...

BINDINGS_DIR holds what bindings/generate.sh writes (Alongside.swift and
AlongsideCore.swift, module `Alongside`). Prints `file:line:column: what` for
each use of the core that does not fit its API and exits 1 if there was any.
There is no Swift compiler here; this reads both sides with tree-sitter-swift.

What it checks, where it knows the type:

- calls of the core's top-level functions (`words(language:)`): the argument
  labels must fit a signature (parameters with defaults may be left out);
- `Record(label: ...)` and `Companion(...)`: the labels must fit an
  initializer, so a record field without a default that is missing, renamed
  or unknown fails;
- `receiver.method(label: ...)` where the receiver's type is known to be a
  generated class or protocol (Companion): the method must exist, labels fit;
- `record.field` where the record's type is known: the field must exist (or
  be added by a hand-written extension);
- enum cases: `Enum.case`, `Enum.case(label: ...)`, `catch Enum.case`,
  `case .x(a, b)` in a switch over a known type, and `.x` where the type is
  known from context (an argument of a checked call, `==`/`!=` against a
  known value, an assignment to a known field, an annotated declaration);
  `.x(label: ...)` anywhere when `x` is a case with values only the core has;
- a method name the core has and no hand-written code declares, called in
  camelCase on a receiver of unknown type: its labels must fit one of the
  core's signatures of that name;
- every type name written (annotations, and capitalised names called or
  used before a dot) is declared in the hand-written Swift, in the bindings,
  or listed in apple-types.txt (Apple's and Swift's own types).

How it knows a type: annotated properties, parameters and closure
parameters; `let x = expr` where expr's type is known; `if let`/`guard let`;
`for x in xs`; `x as? T`; members of hand-written types (with their
superclasses) and of generated records; what a function or method returns
when its declaration says; the project's conventions, which are ordinary
declarations read from the hand-written Swift: `Store.core` is `Companion`,
the closures of `Store.local` and `Store.query` take a `Companion` (their
parameter types say so), `@Environment(\\.words) var words` has the type of
`EnvironmentValues.words`, and a method that returns its generic `T` (as
`local` does) returns what its closure's last expression is.

What it cannot see (no compiler): any other inference (generic arguments, a
closure's result beyond that rule, overloads chosen by type, literals,
operators), members of Apple's types, `.x` with no known context (unless
the rule above names it), `if case` patterns, key paths (`\\.id`), and
actor isolation or Sendable. A use whose type it cannot work out is skipped,
not guessed: a pass means "nothing it could attribute is wrong".
"""

import os
import re
import sys
from collections import ChainMap

import swift_parse
from swift_declarations import (
    TRAILING,
    closure_params,
    element,
    fits,
    param_type,
    property_names,
    property_type,
    read_declarations,
    shown,
    text,
    unwrapped,
)
from swift_syntax import (
    call_arguments,
    call_halves,
    call_labels,
    callee_of,
    child_index,
    is_callee,
    is_split_call,
    last_lambda,
    missing_hint,
    suffix_name,
)

PARSER = swift_parse.PARSER
HERE = os.path.dirname(os.path.abspath(__file__))
APPLE_TYPES = os.path.join(HERE, "apple-types.txt")

# Module names written before a type (`Swift.Error`, `Alongside.Collection`).
MODULES = {"Alongside", "Swift", "Foundation", "SwiftUI", "UIKit", "Combine", "UserNotifications", "Network", "BackgroundTasks", "Security", "XCTest"}
# Members every generated record and enum has from its conformances (Equatable, Hashable, Error).
CONFORMANCE_MEMBERS = {"hashValue", "hash", "self", "errorDescription", "localizedDescription"}
# Sequence and Optional methods whose closures take the element (two of them for the comparisons).
ELEMENT_CLOSURES = {"map", "compactMap", "flatMap", "filter", "first", "last", "contains", "allSatisfy", "forEach", "firstIndex", "lastIndex", "removeAll", "drop", "prefix"}
PAIR_CLOSURES = {"sorted", "sort", "min", "max"}
# Optional's own methods, called on an optional record (`goal.map { ... }`).
OPTIONAL_METHODS = {"map", "flatMap"}
# Sequence methods that give the same array back, or one element of it.
SAME_COLLECTION = {"filter", "sorted", "reversed"}
ONE_ELEMENT = {"first", "last", "min", "max", "randomElement"}
# SwiftUI's list views: the closure takes an element of the first argument.
ELEMENT_VIEWS = {"ForEach", "List"}
# The type of what an Apple type gives (`NotificationCenter.default`): known not to be the core's.
FOREIGN = "<Apple>"


class Meta(str):
    """The type itself named in an expression (`AlongsideError` in `AlongsideError.Validation`)."""


class Checker:
    """Walks one hand-written file, following the types it can know, and collects problems."""

    def __init__(self, api, local, known_types, path):
        self.api, self.local, self.known_types, self.path = api, local, known_types, path
        self.problems = []
        self.closure_types = {}  # lambda node id -> parameter types the call gives it
        self.cases_seen = set()  # `.x` checked against a known enum already
        # Types declared in the hand-written Swift (extensions of others do not declare them).
        self.declared_here = {n for n, d in local.types.items() if d.kind != "extension"}

    def problem(self, node, what):
        row, column = node.start_point
        self.problems.append((row + 1, column + 1, what))

    # --- what is declared where

    def generated(self, name):
        decl = self.api.types.get(name)
        return decl if decl is not None and name not in self.declared_here else None

    def member_type(self, type_name, member):
        """The type of a field or property of type_name (generated or hand-written), or None."""
        for decl in self.decls_of(type_name):
            if member in decl.fields:
                return self.resolve(decl.fields[member])
        return None

    def decls_of(self, type_name, seen=None):
        """The generated and hand-written declarations of a type, then of what it inherits."""
        seen = seen or set()
        if not type_name or type_name in seen:
            return []
        seen.add(type_name)
        found = [d for d in (self.api.types.get(type_name), self.local.types.get(type_name)) if d is not None]
        for decl in list(found):
            for parent in decl.supers:
                found += self.decls_of(unwrapped(parent), seen)
        return found

    def methods(self, type_name, name):
        return [s for d in self.decls_of(type_name) for s in d.methods.get(name, [])]

    def resolve(self, type_text):
        """An @Environment key path as the type of its EnvironmentValues property."""
        if type_text and type_text.startswith("\\."):
            return self.member_type("EnvironmentValues", type_text[2:])
        return type_text

    # --- what type an expression has

    def type_of(self, node, scope):
        kind = node.type
        if kind in ("try_expression", "await_expression", "parenthesized_expression"):
            inner = node.child_by_field_name("expr") or (node.named_children[-1] if node.named_children else None)
            return self.type_of(inner, scope) if inner is not None else None
        if kind == "simple_identifier":
            return self.name_type(text(node), scope)
        if kind == "self_expression":
            return scope.get("self")
        if kind == "postfix_expression":
            return self.type_of(node.named_children[0], scope)
        if kind == "as_expression":
            return unwrapped(text(node.named_children[-1]))
        if kind == "nil_coalescing_expression":
            return self.type_of(node.child_by_field_name("if_nil"), scope) or self.type_of(node.child_by_field_name("value"), scope)
        if kind == "navigation_expression":
            return self.navigation_type(node, scope)
        if kind == "call_expression":
            return self.call_type(node, scope)
        return None

    def name_type(self, name, scope):
        if name in scope:
            return scope[name]
        if name == "Self" and scope.get("self"):
            return Meta(scope["self"])
        if name in self.known_types or name in self.api.types or name in self.local.types:
            return Meta(name)
        return self.member_type(unwrapped(scope.get("self")), name)

    def navigation_type(self, node, scope):
        target, member = node.child_by_field_name("target"), suffix_name(node)
        if target is None or member is None:
            return None
        if text(target) == "Alongside":
            return Meta(member) if member in self.api.types else None
        owner = self.type_of(target, scope)
        if isinstance(owner, Meta):
            # `Enum.case` is a value of the enum; `Type.shared` a static property.
            return str(owner) if member in self.cases_of(owner) else self.member_type(str(owner), member) or self.foreign(owner)
        owner = unwrapped(owner)
        if self.foreign(owner):
            return FOREIGN
        if owner and element(owner) and member in ("first", "last"):
            return element(owner)
        return self.member_type(owner, member)

    def call_type(self, node, scope):
        callee = callee_of(node)
        if callee.type == "simple_identifier":
            name = text(callee)
            if name in self.api.types or name in self.local.types or name in self.known_types:
                return name
            return self.returned(self.callee_signatures(callee, scope), node, scope)
        if callee.type == "navigation_expression":
            target, member = callee.child_by_field_name("target"), suffix_name(callee)
            if text(target) == "Alongside":
                return self.returned(self.api.functions.get(member, []), node, scope)
            owner = self.type_of(target, scope)
            if isinstance(owner, Meta):
                return str(owner) if member in self.cases_of(owner) else self.returned(self.methods(owner, member), node, scope)
            if self.foreign(unwrapped(owner)):
                return FOREIGN
            if element(owner) and member in SAME_COLLECTION:
                return owner
            if element(owner) and member in ONE_ELEMENT:
                return element(owner) + "?"
            return self.returned(self.methods(unwrapped(owner), member), node, scope)
        return None

    def returned(self, signatures, call, scope):
        """What a call returns when its signatures agree; a generic `T` is its closure's last expression."""
        labels = call_labels(call)
        matching = [s for s in signatures if fits(s, labels)] or signatures
        returns = {s.returns for s in matching}
        if len(returns) != 1:
            return None
        (result,) = returns
        if unwrapped(result) in matching[0].generics:
            return self.closure_result(call, matching[0], scope)
        return result or None

    def closure_result(self, call, signature, scope):
        closure = last_lambda(call)
        if closure is None:
            return None
        statements = next((c for c in closure.named_children if c.type == "statements"), None)
        if statements is None or not statements.named_children:
            return None
        inner = scope.new_child(self.lambda_bindings(closure, self.signature_closure_types(signature, call, closure)))
        return self.type_of(statements.named_children[-1], inner)

    def foreign(self, type_name):
        """FOREIGN for an Apple type (or a member of one): not the core's, though its members are unknown."""
        plain = unwrapped(type_name)
        if plain == FOREIGN or (plain in self.known_types and plain not in self.declared_here):
            return FOREIGN
        return None

    def cases_of(self, type_name):
        decl = self.api.types.get(str(type_name))
        return decl.cases if decl is not None else {}

    # --- closures

    def signature_closure_types(self, signature, call, closure):
        """The parameter types a hand-written signature gives the closure argument `closure`."""
        arguments = call_arguments(call)
        index = next((i for i, (_, value) in enumerate(arguments) if value.id == closure.id), None)
        if index is None:
            return None
        label = arguments[index][0]
        if label not in ("_", TRAILING):
            candidates = [p for l, p in zip(signature.labels, signature.params) if l == label]
        else:
            candidates = [p for p in signature.params if closure_params(p) is not None][-1:] if index == len(arguments) - 1 else []
        return closure_params(candidates[0]) if candidates else None

    def note_closures(self, call, scope):
        """Records the parameter types of each closure passed to call, where they can be known."""
        lambdas = [value for _, value in call_arguments(call) if value.type == "lambda_literal"]
        if not lambdas:
            return
        callee = callee_of(call)
        given = None
        if callee.type == "navigation_expression" and suffix_name(callee) in ELEMENT_CLOSURES | PAIR_CLOSURES:
            owner = self.type_of(callee.child_by_field_name("target"), scope)
            item = element(owner) or (unwrapped(owner) if owner and owner.strip().endswith("?") else None)
            if item:
                given = [item, item] if suffix_name(callee) in PAIR_CLOSURES else [item]
        elif callee.type == "simple_identifier" and text(callee) in ELEMENT_VIEWS:
            arguments = call_arguments(call)
            item = element(self.type_of(arguments[0][1], scope)) if arguments else None
            given = [item] if item else None
        if given is not None:
            for closure in lambdas:
                self.closure_types[closure.id] = given
            return
        signatures = self.callee_signatures(callee, scope, local_only=True)
        matching = [s for s in signatures if fits(s, call_labels(call))]
        if len(matching) == 1:
            for closure in lambdas:
                types = self.signature_closure_types(matching[0], call, closure)
                if types:
                    self.closure_types[closure.id] = types

    def callee_signatures(self, callee, scope, local_only=False):
        """The hand-written (or also generated) signatures a callee names, when its owner is known."""
        if callee.type == "simple_identifier":
            name = text(callee)
            if name in scope:
                return []
            own = self.methods(unwrapped(scope.get("self")), name)
            return own or self.local.functions.get(name, []) or ([] if local_only else self.api.functions.get(name, []))
        if callee.type == "navigation_expression":
            owner = self.type_of(callee.child_by_field_name("target"), scope)
            return self.methods(unwrapped(owner), suffix_name(callee)) if owner and not isinstance(owner, Meta) else []
        return []

    def lambda_bindings(self, closure, given):
        """The names a closure's parameters bind: annotated, else what the call gives, and $0, $1..."""
        given = given or []
        bound = {f"${i}": t for i, t in enumerate(given)}
        kinds = closure.child_by_field_name("type")
        names = [] if kinds is None else [p for n in kinds.named_children if n.type == "lambda_function_type_parameters" for p in n.named_children]
        for i, param in enumerate(names):
            parts = [c for c in param.named_children]
            name = text(parts[0]) if parts else text(param)
            annotated = text(parts[1]) if len(parts) > 1 else None
            bound[name] = annotated or (given[i] if i < len(given) else None)
        return bound

    # --- the walk

    def walk(self, node, scope):
        kind = node.type
        if kind in ("class_declaration", "protocol_declaration"):
            name = node.child_by_field_name("name")
            scope = scope.new_child({"self": unwrapped(text(name)) if name is not None else None})
        elif kind in ("function_declaration", "init_declaration", "protocol_function_declaration"):
            scope = scope.new_child(self.parameters(node))
        elif kind == "lambda_literal":
            scope = scope.new_child(self.lambda_bindings(node, self.closure_types.get(node.id)))
        elif kind in ("if_statement", "guard_statement", "while_statement"):
            self.bind_conditions(node, scope if kind == "guard_statement" else scope.new_child({}))
            return
        elif kind == "for_statement":
            scope = scope.new_child(self.for_bindings(node, scope))
        elif kind == "property_declaration":
            for child in node.named_children:
                self.walk(child, scope)
            self.bind_property(node, scope)
            return
        elif kind == "call_expression" and not is_split_call(node):
            self.note_closures(node, scope)
            self.check_call(node, scope)
        elif kind == "navigation_expression" and not is_callee(node):
            self.check_member(node, scope)
        elif kind in ("equality_expression", "assignment"):
            self.check_context_pair(node, scope)
        elif kind == "switch_statement":
            self.check_switch(node, scope)
        elif kind == "catch_block":
            self.check_catch(node)
        for child in node.named_children:
            self.walk(child, scope)

    def parameters(self, function):
        bound = {}
        for param in function.named_children:
            if param.type == "parameter":
                names = [c for c in param.named_children if c.type == "simple_identifier" and c != param.child_by_field_name("external_name")]
                if names:
                    bound[text(names[0])] = param_type(param)
        return bound

    def bind_property(self, node, scope):
        names = property_names(node)
        annotated = property_type(node)
        value = node.child_by_field_name("value")
        if value is not None and annotated:
            self.check_implied_case(value, annotated)
        if len(names) == 1 and node.parent is not None and node.parent.type == "statements":
            scope.maps[0][names[0]] = self.resolve(annotated) or (self.type_of(value, scope) if value is not None else None)

    def bind_conditions(self, node, scope):
        """`if let x = e, ...`: walks the conditions in order, binding each name, then the bodies."""
        pending = None
        for child in node.named_children:
            field = node.field_name_for_child(child_index(node, child))
            if field == "bound_identifier":
                if pending is not None:
                    scope.maps[0][pending] = unwrapped(scope.get(pending))
                pending = text(child)
                continue
            if pending is not None and field == "condition":
                self.walk(child, scope)
                scope.maps[0][pending] = unwrapped(self.type_of(child, scope))
                pending = None
                continue
            if pending is not None:
                scope.maps[0][pending] = unwrapped(scope.get(pending))
                pending = None
            self.walk(child, scope)

    def for_bindings(self, node, scope):
        item, collection = node.child_by_field_name("item"), node.child_by_field_name("collection")
        if item is None or collection is None:
            return {}
        names = [c for c in item.named_children if c.type == "simple_identifier"]
        return {text(names[0]): element(self.type_of(collection, scope))} if len(names) == 1 else {}

    # --- checks

    def check_call(self, node, scope):
        first = call_halves(node)[0]
        suffix = first.named_children[-1] if len(first.named_children) > 1 else None
        if suffix is None or suffix.type != "call_suffix" or text(suffix).startswith("["):
            return
        callee, labels = callee_of(node), call_labels(node)
        if callee.type == "simple_identifier":
            self.check_plain_call(callee, text(callee), labels, node, scope)
        elif callee.type == "navigation_expression":
            self.check_member_call(callee, labels, node, scope)
        elif callee.type == "prefix_expression":
            self.check_labelled_case(callee, labels)

    def check_plain_call(self, callee, name, labels, call, scope):
        if name in scope:
            return
        if name[:1].isupper():
            self.check_type_name(callee, name)
        generated = self.generated(name)
        if generated is not None and generated.kind in ("struct", "class"):
            inits = generated.inits + [s for d in self.decls_of(name) if d is not generated for s in d.inits]
            self.check_fit(callee, name, inits, labels, call, "initializer")
        elif name in self.api.functions and name not in self.local.functions and not self.methods(unwrapped(scope.get("self")), name):
            self.check_fit(callee, name, self.api.functions[name], labels, call, "function")

    def check_member_call(self, callee, labels, call, scope):
        target, name = callee.child_by_field_name("target"), suffix_name(callee)
        if target is None or name is None:
            return
        if text(target) == "Alongside":
            if name in self.api.functions:
                self.check_fit(callee, name, self.api.functions[name], labels, call, "function")
            else:
                self.problem(callee, f"the core has no function {name}")
            return
        owner = self.type_of(target, scope)
        if isinstance(owner, Meta):
            self.check_static(callee, str(owner), name, labels, call)
            return
        raw, owner = owner or "", unwrapped(owner)
        decl = self.generated(owner) if owner else None
        if decl is not None and decl.kind in ("class", "protocol"):
            signatures = self.methods(owner, name)
            if not signatures:
                self.problem(callee, f"{owner} has no method {name}")
            else:
                self.check_fit(callee, f"{owner}.{name}", signatures, labels, call, "method")
        elif decl is not None and decl.kind == "struct" and raw.strip().endswith("?") and name in OPTIONAL_METHODS:
            return
        elif decl is not None and decl.kind == "struct" and not self.methods(owner, name) and name not in CONFORMANCE_MEMBERS:
            self.problem(callee, f"record {owner} has no method {name}")
        elif owner is None and self.only_generated_method(name) and not self.apple_receiver(target):
            signatures = [s for d in self.api.types.values() for s in d.methods.get(name, [])]
            if not any(fits(s, labels) for s in signatures):
                self.problem(callee, f"{name}({''.join(l + ':' for l in labels)}) fits no method of that name in the core: " + ", ".join(sorted({shown(name, s) for s in signatures})))

    def check_static(self, callee, owner, name, labels, call):
        decl = self.generated(owner)
        if decl is None:
            return
        if decl.kind == "enum":
            if name not in decl.cases:
                self.problem(callee, f"enum {owner} has no case {name}")
            elif labels and decl.cases[name].labels != tuple(labels):
                self.problem(callee, f"{owner}.{name}({''.join(l + ':' for l in labels)}) does not fit the case {shown(name, decl.cases[name])}")
        elif decl.kind in ("class", "protocol"):
            self.check_fit(callee, f"{owner}.{name}", self.methods(owner, name), labels, call, "static method")

    def check_fit(self, node, name, signatures, labels, call, what):
        """A problem unless the call's labels fit one of signatures; also checks `.case` arguments."""
        matching = [s for s in signatures if fits(s, labels)]
        if not signatures:
            self.problem(node, f"the core has no {what} {name}")
        elif not matching:
            written = f"{name}({''.join(l + ':' for l in labels)})"
            self.problem(node, f"{written} fits no {what} of the core: " + ", ".join(sorted({shown(name, s) for s in signatures})) + missing_hint(signatures, labels))
        elif len(matching) == 1:
            for label, value in call_arguments(call):
                param = dict(zip(matching[0].labels, matching[0].params)).get(label)
                if param:
                    self.check_implied_case(value, param)

    def only_generated_method(self, name):
        """A method name of the core to check even on an unknown receiver: camelCase, and not declared by hand."""
        return any(c.isupper() for c in name) and name not in self.local.member_names and any(name in d.methods for d in self.api.types.values())

    def apple_receiver(self, target):
        """Whether a call's receiver starts at a type that is not the core's (UIApplication.shared...)."""
        root = target
        while root.type in ("navigation_expression", "call_expression", "postfix_expression") and root.named_children:
            root = root.named_children[0]
        name = text(root)
        return root.type == "simple_identifier" and name[:1].isupper() and name not in self.api.types

    def check_member(self, node, scope):
        target, name = node.child_by_field_name("target"), suffix_name(node)
        if target is None or name is None or target.type == "key_path_expression":
            return
        if text(target) == "Alongside":
            if name not in self.api.types and name not in self.api.functions:
                self.problem(node, f"the core has no {name}")
            return
        owner = self.type_of(target, scope)
        if isinstance(owner, Meta):
            decl = self.generated(str(owner))
            if decl is not None and decl.kind == "enum" and name not in decl.cases and not self.methods(str(owner), name):
                self.problem(node, f"enum {owner} has no case {name}")
            return
        owner = unwrapped(owner)
        decl = self.generated(owner) if owner else None
        if decl is not None and decl.kind == "struct" and self.member_type(owner, name) is None:
            known = any(name in d.fields or name in d.methods for d in self.decls_of(owner))
            if not known and name not in CONFORMANCE_MEMBERS:
                self.problem(node, f"record {owner} has no field {name}")

    def check_implied_case(self, value, type_text):
        """`.x` or `.x(...)` where the type is known to be a generated enum: the case must exist."""
        owner = unwrapped(type_text)
        decl = self.generated(owner) if owner else None
        if decl is None or decl.kind != "enum":
            return
        call = value if value.type == "call_expression" else None
        prefix = callee_of(call) if call is not None else value
        if prefix.type != "prefix_expression" or not text(prefix).startswith("."):
            return
        name = text(prefix)[1:]
        self.cases_seen.add(prefix.id)
        if name not in decl.cases and not self.methods(owner, name):
            self.problem(prefix, f"enum {owner} has no case {name}")
        elif call is not None and name in decl.cases and decl.cases[name].labels != tuple(call_labels(call)):
            self.problem(prefix, f".{name}({''.join(l + ':' for l in call_labels(call))}) does not fit the case {shown(owner + '.' + name, decl.cases[name])}")

    def check_context_pair(self, node, scope):
        """`a == .x`, `a != .x`, `a.b = .x`: the known side names the enum."""
        sides = [c for c in node.named_children if c.type not in ("assignment_operator",)]
        if node.type == "assignment":
            sides = [node.child_by_field_name("target"), node.child_by_field_name("result")]
        if len(sides) < 2 or sides[0] is None or sides[1] is None:
            return
        left, right = sides[0], sides[-1]
        if left.type == "directly_assignable_expression" and left.named_children:
            left = left.named_children[0]
        for known, other in ((left, right), (right, left)):
            if text(other).startswith("."):
                self.check_implied_case(other, self.type_of(known, scope))

    def check_switch(self, node, scope):
        subject = node.child_by_field_name("expr")
        owner = unwrapped(self.type_of(subject, scope)) if subject is not None else None
        decl = self.generated(owner) if owner else None
        if decl is None or decl.kind != "enum":
            return
        for entry in node.named_children:
            for pattern in (p for c in entry.named_children if c.type == "switch_pattern" for p in c.named_children):
                self.check_case_pattern(pattern, owner, decl)

    def check_case_pattern(self, pattern, owner, decl):
        written = re.sub(r"^(case\s+)?(let|var)\s+", "", text(pattern)).strip()
        if not written.startswith("."):
            return
        name = re.match(r"\.(\w+)", written).group(1)
        values = [c for c in pattern.named_children if c.type == "pattern"]
        if name not in decl.cases:
            self.problem(pattern, f"enum {owner} has no case {name}")
        elif values and len(values) != len(decl.cases[name].labels):
            self.problem(pattern, f"case {name} of {owner} has {len(decl.cases[name].labels)} values, the pattern binds {len(values)}")

    def check_catch(self, node):
        pattern = node.child_by_field_name("error")
        if pattern is None:
            return
        match = re.match(r"^(?:Alongside\.)?(\w+)\.(\w+)", text(pattern))
        decl = self.generated(match.group(1)) if match else None
        if decl is not None and decl.kind == "enum" and match.group(2) not in decl.cases:
            self.problem(pattern, f"enum {match.group(1)} has no case {match.group(2)}")

    def check_labelled_case(self, prefix, labels):
        """`.x(label: ...)` with no known context: checked when only the core's enums have a case x with values."""
        name = text(prefix)[1:]
        if prefix.id in self.cases_seen or not labels or all(l == "_" for l in labels) or any(name in d.cases for d in self.local.types.values()) or name in self.local.member_names:
            return
        cases = [d.cases[name] for d in self.api.types.values() if d.cases.get(name) is not None and d.cases[name].labels]
        if cases and not any(c.labels == tuple(labels) for c in cases):
            self.problem(prefix, f".{name}({''.join(l + ':' for l in labels)}) fits no case of the core: " + ", ".join(shown(name, c) for c in cases))

    def check_type_name(self, node, name):
        # Swift's types are capitalised; a lowercase "type" is the grammar misreading an
        # attribute (@unchecked, @testable), `throws` in a closure type or `[value]`.
        declared = name in self.declared_here or name in self.local.generic_names
        if name[:1].isupper() and not declared and name not in self.known_types and name not in self.api.types:
            self.problem(node, f"unknown type {name}: not declared here, not in the core, not in apple-types.txt")


def type_names_written(tree):
    """Every type name written in annotations: the first name of each user_type (`A` of `A<B>.C`)."""
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.type == "user_type":
            names = [c for c in node.named_children if c.type == "type_identifier"]
            if names and text(names[0]) in MODULES and len(names) > 1:
                yield names[1], text(names[0])
            elif names:
                yield names[0], None


def check_type_names(tree, checker):
    for node, module in type_names_written(tree):
        name = text(node)
        if module == "Alongside" and name not in checker.api.types:
            checker.problem(node, f"the core has no type {name}")
        elif module is None:
            checker.check_type_name(node, name)


def check_expression_type_names(tree, checker):
    """Capitalised names before a dot (`AlongsideError.Validation`) are types (or modules) too."""
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.type == "navigation_expression":
            target = node.child_by_field_name("target")
            if target is not None and target.type == "simple_identifier" and text(target)[:1].isupper() and text(target) not in MODULES:
                checker.check_type_name(target, text(target))


def read_known_types(path):
    with open(path) as listed:
        return {line.strip() for line in listed if line.strip() and not line.startswith("#")}


def parse_all(paths):
    trees = {}
    for path in paths:
        with open(path, "rb") as source:
            trees[path] = PARSER.parse(source.read())
    return trees


def generated_files(folder):
    return sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".swift"))


def check(bindings, paths, known_types):
    """Problems [(path, line, column, what)] of the hand-written Swift under paths, and counts."""
    api = read_declarations(parse_all(generated_files(bindings)).values(), public_only=True)
    files = [f for p in paths for f in swift_parse.swift_files(p)]
    trees = parse_all(files)
    local = read_declarations(trees.values(), public_only=False)
    found = []
    for path, tree in trees.items():
        checker = Checker(api, local, known_types, path)
        checker.walk(tree.root_node, ChainMap({}))
        check_type_names(tree, checker)
        check_expression_type_names(tree, checker)
        found += [(path, *p) for p in sorted(set(checker.problems))]
    return found, len(files), api


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    bindings, paths = argv[0], argv[1:]
    if not os.path.isdir(bindings) or not generated_files(bindings):
        print(f"no generated Swift in {bindings}: run bindings/generate.sh first", file=sys.stderr)
        return 2
    problems, files, api = check(bindings, paths, read_known_types(APPLE_TYPES))
    for path, line, column, what in problems:
        print(f"{path}:{line}:{column}: {what}")
    functions = sum(len(s) for s in api.functions.values()) + sum(len(s) for d in api.types.values() for s in d.methods.values())
    print(f"{files} Swift files checked against the core's API ({len(api.types)} types, {functions} functions and methods), {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
