"""What Swift source declares, read from tree-sitter-swift's tree: types with
their members, functions with their argument labels and defaults, enum cases
with their values, and the few rules for reading a type's text (optionals,
arrays, closures). swift_api.py reads both the generated bindings and the
hand-written Swift with it.
"""

import re
from typing import NamedTuple

# The label of a trailing closure: it fits a parameter of any label.
TRAILING = "{}"
# Containers whose element type a closure over them takes.
GENERIC_CONTAINERS = re.compile(r"^(?:Set|Array|AsyncStream|AsyncThrowingStream|Published<.*>\.Publisher)<(.+)>$")


class Signature(NamedTuple):
    """One function, method, initializer or enum case with values, as declared."""

    labels: tuple  # argument labels, "_" where none is written at the call
    defaults: tuple  # whether each parameter may be left out
    params: tuple  # each parameter's type, as written
    returns: str  # the return type as written ("" when none)
    generics: tuple  # its generic parameter names


class TypeDecl:
    """What one type (or the extensions of one) declares."""

    def __init__(self, kind):
        self.kind = kind  # struct, class, enum, protocol, typealias or extension
        self.fields = {}  # name -> type as written (None: not known)
        self.methods = {}  # name -> [Signature]
        self.inits = []
        self.cases = {}  # name -> Signature (labels empty when the case has no values)
        self.supers = []  # what it inherits from or conforms to


class Declarations:
    """The types, top-level functions and generic parameter names of a set of Swift files."""

    def __init__(self):
        self.types = {}
        self.functions = {}
        self.generic_names = set()
        self.member_names = set()  # every function and property name declared, at any level

    def type(self, name, kind):
        found = self.types.get(name)
        if found is None:
            found = self.types[name] = TypeDecl(kind)
        elif kind != "extension" and found.kind == "extension":
            found.kind = kind
        return found


# ----- reading declarations ------------------------------------------------


def text(node):
    return node.text.decode("utf-8")


def is_public(node):
    """Whether a generated declaration can be used from another module."""
    modifiers = next((c for c in node.children if c.type == "modifiers"), None)
    return modifiers is not None and any(w in ("public", "open") for w in text(modifiers).split())


def visible(node, owner):
    """Whether a generated declaration is API: public or open, or a protocol's member, or an enum case."""
    return is_public(node) or node.type == "enum_entry" or (owner is not None and owner.kind == "protocol")


def declared_kind(node):
    """struct, class, enum, actor or extension: the keyword of a class_declaration."""
    return next((c.type for c in node.children if not c.is_named and c.type in ("struct", "class", "enum", "actor", "extension")), "class")


def param_type(param):
    """A parameter's type as written: what follows its first colon."""
    return strip_comments(text(param)).split(":", 1)[1].strip() if ":" in text(param) else ""


def strip_comments(source):
    return re.sub(r"/\*.*?\*/|//[^\n]*", "", source, flags=re.S)


def signature(node):
    """The Signature of a function, initializer or protocol method declaration."""
    labels, defaults, params, returns, generics = [], [], [], "", []
    after_arrow = False
    for i, child in enumerate(node.children):
        field = node.field_name_for_child(i)
        if child.type == "parameter":
            external = child.child_by_field_name("external_name")
            names = [c for c in child.named_children if c.type == "simple_identifier"]
            labels.append(text(external) if external is not None else text(names[0]) if names else "_")
            defaults.append(False)
            params.append(param_type(child))
        elif field == "default_value" and defaults:
            defaults[-1] = True
        elif child.type == "type_parameters":
            generics += [text(p.named_children[0]) for p in child.named_children if p.type == "type_parameter"]
        elif child.type == "->":
            after_arrow = True
        elif after_arrow and child.is_named and field == "name":
            returns, after_arrow = text(child), False
    return Signature(tuple(labels), tuple(defaults), tuple(params), returns, tuple(generics))


def case_signature(entry_params):
    """The labels of an enum case's values (`_` where none), from its enum_type_parameters."""
    labels, params, pending = [], [], None
    for child in entry_params.named_children:
        if child.type == "wildcard_pattern":
            pending = "_"
        elif child.type == "simple_identifier":
            pending = pending or text(child)
        elif child.type not in ("comment", "multiline_comment"):
            labels.append(pending or "_")
            params.append(text(child))
            pending = None
    return Signature(tuple(labels), (False,) * len(labels), tuple(params), "", ())


def property_names(node):
    pattern = node.child_by_field_name("name")
    if pattern is None:
        return []
    return [text(c) for c in pattern.named_children if c.type == "simple_identifier"] or [text(pattern)]


def property_type(node):
    """A property's type: its annotation, `Type(...)` it is set to, or an @Environment key path."""
    annotation = next((c for c in node.named_children if c.type == "type_annotation"), None)
    if annotation is not None:
        return text(annotation.named_children[0])
    value = node.child_by_field_name("value")
    if value is not None and value.type == "call_expression" and value.named_children[0].type == "simple_identifier":
        callee = text(value.named_children[0])
        return callee if callee[:1].isupper() else None
    environment = re.search(r"@Environment\(\\\.(\w+)\)", text(node))
    return f"\\.{environment.group(1)}" if environment else None


def read_declarations(trees, public_only):
    """Declarations of the given syntax trees (only public ones for the bindings)."""
    found = Declarations()
    for tree in trees:
        read_scope(tree.root_node, None, found, public_only)
    return found


def read_scope(node, owner, found, public_only):
    """Reads the declarations directly in node (a file or a type's body) into found."""
    for child in node.named_children:
        kind = child.type
        if public_only and not visible(child, owner):
            continue
        if kind in ("class_declaration", "protocol_declaration"):
            name = text(child.child_by_field_name("name")).replace("Alongside.", "")
            decl = found.type(name, "protocol" if kind == "protocol_declaration" else declared_kind(child))
            decl.supers += [text(s.named_children[0]) for s in child.named_children if s.type == "inheritance_specifier"]
            body = child.child_by_field_name("body")
            if body is not None:
                read_scope(body, decl, found, public_only)
            read_generics(child, found)
        elif kind == "typealias_declaration":
            found.type(text(child.child_by_field_name("name")), "typealias").supers.append(text(child.named_children[-1]))
        elif kind == "associatedtype_declaration":
            found.generic_names.add(text(child.child_by_field_name("name")))
        elif kind in ("function_declaration", "protocol_function_declaration"):
            name = text(child.child_by_field_name("name")).strip("`")
            target = owner.methods if owner is not None else found.functions
            target.setdefault(name, []).append(signature(child))
            found.member_names.add(name)
            read_generics(child, found)
        elif kind == "init_declaration" and owner is not None:
            owner.inits.append(signature(child))
            read_generics(child, found)
        elif kind in ("property_declaration", "protocol_property_declaration") and owner is not None:
            for name in property_names(child):
                owner.fields[name.strip("`")] = property_type(child)
                found.member_names.add(name.strip("`"))
        elif kind in ("property_declaration",):
            found.member_names.update(property_names(child))
        elif kind == "enum_entry" and owner is not None:
            read_cases(child, owner)


def read_cases(entry, owner):
    """The cases of one `case a, b(x: T)` line."""
    pending = None
    for child in entry.named_children:
        if child.type == "simple_identifier":
            pending = text(child).strip("`")
            owner.cases[pending] = Signature((), (), (), "", ())
        elif child.type == "enum_type_parameters" and pending:
            owner.cases[pending] = case_signature(child)


def read_generics(node, found):
    """Generic parameter names (`<T: Sendable>`) anywhere under node: they are type names too."""
    for child in node.children:
        if child.type == "type_parameters":
            found.generic_names.update(text(p.named_children[0]) for p in child.named_children if p.type == "type_parameter")


# ----- types as written ------------------------------------------------------


def unwrapped(type_text):
    """The type without optionals, module prefix or attributes: `Alongside.Goal?` -> `Goal`."""
    if not type_text:
        return None
    t = re.sub(r"@\w+(\([^)]*\))?\s*|\binout\s+|\bsome\s+|\bany\s+", "", type_text).strip()
    while t.endswith(("?", "!")):
        t = t[:-1].strip()
    if t.startswith("Optional<") and t.endswith(">"):
        t = t[len("Optional<") : -1]
    if t.startswith("(") and t.endswith(")") and "->" not in t:
        t = t[1:-1].strip()
    return t[len("Alongside.") :] if t.startswith("Alongside.") else t


def element(type_text):
    """The element type of an array, set or stream type, or None."""
    t = unwrapped(type_text)
    if not t:
        return None
    if t.startswith("[") and t.endswith("]") and ":" not in t:
        return t[1:-1].strip()
    generic = GENERIC_CONTAINERS.match(t)
    return generic.group(1) if generic else None


def closure_params(type_text):
    """The parameter types of a function type as written (`@escaping (Companion) throws -> T`)."""
    t = re.sub(r"@\w+\s*", "", type_text or "").strip()
    match = re.match(r"^\((.*?)\)\s*(?:async\s*)?(?:throws\s*)?(?:rethrows\s*)?->", t)
    if not match:
        return None
    return [p.strip() for p in split_top(match.group(1))] if match.group(1).strip() else []


def split_top(source):
    """source split at commas outside brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(source):
        depth += ch in "([<" and 1 or ch in ")]>" and -1 or 0
        if ch == "," and depth == 0:
            parts.append(source[start:i])
            start = i + 1
    return parts + [source[start:]]


def fits(signature, labels):
    """Whether call labels fit a signature: in order, each parameter without a default present."""
    i = 0
    for label, default, param in zip(signature.labels, signature.defaults, signature.params):
        trailing = i < len(labels) and labels[i] == TRAILING and closure_params(param) is not None
        if trailing or (i < len(labels) and labels[i] == label):
            i += 1
        elif not default:
            return False
    return i == len(labels)


def shown(name, signature):
    return f"{name}({''.join(l + ':' for l in signature.labels)})"


# ----- the check --------------------------------------------------------------
