"""Reading a call in tree-sitter-swift's tree: its callee, its arguments and
their labels, a trailing closure, and where a name stands in it.
"""

from swift_declarations import TRAILING, text


def child_index(parent, child):
    for i, c in enumerate(parent.children):
        if c.id == child.id:
            return i
    return -1


def suffix_name(navigation):
    suffix = navigation.child_by_field_name("suffix")
    if suffix is None:
        return None
    name = suffix.child_by_field_name("suffix")
    return text(name).strip("`") if name is not None else None


def is_callee(node):
    parent = node.parent
    return parent is not None and parent.type == "call_expression" and callee_of(parent).id == node.id


def trailing_only(call):
    """Whether a call's only suffix is trailing closures: `a.f(x) { }` parses as `(a.f(x)) { }`."""
    suffix = call.named_children[-1] if len(call.named_children) > 1 else None
    return suffix is not None and suffix.type == "call_suffix" and all(c.type == "lambda_literal" for c in suffix.named_children)


def is_split_call(node):
    """The inner half of `a.f(x) { }` as the grammar splits it: its outer call is the whole call."""
    parent = node.parent
    return parent is not None and parent.type == "call_expression" and parent.named_children[0].id == node.id and trailing_only(parent)


def call_halves(call):
    """The call_expression nodes of one call from the inside out (one, or two when the grammar split it)."""
    inner = call.named_children[0] if call.named_children else None
    if inner is not None and inner.type == "call_expression" and trailing_only(call):
        return call_halves(inner) + [call]
    return [call]


def callee_of(call):
    return call_halves(call)[0].named_children[0]


def call_arguments(call):
    """(label, value) of each argument, trailing closures last (labelled TRAILING)."""
    found = []
    for half in call_halves(call):
        for suffix in (c for c in half.named_children if c.type == "call_suffix"):
            for part in suffix.named_children:
                if part.type == "value_arguments":
                    for argument in (a for a in part.named_children if a.type == "value_argument"):
                        label = argument.child_by_field_name("name")
                        value = argument.child_by_field_name("value")
                        if value is not None:
                            found.append((text(label).strip() if label is not None else "_", value))
                elif part.type == "lambda_literal":
                    found.append((TRAILING, part))
    return found


def call_labels(call):
    return [label for label, _ in call_arguments(call)]


def last_lambda(call):
    lambdas = [value for _, value in call_arguments(call) if value.type == "lambda_literal"]
    return lambdas[-1] if lambdas else None


def missing_hint(signatures, labels):
    """Names the fields a single initializer lacks or does not have, to say what changed."""
    if len(signatures) != 1:
        return ""
    (only,) = signatures
    missing = [l for l, d in zip(only.labels, only.defaults) if not d and l not in labels]
    unknown = [l for l in labels if l not in only.labels]
    parts = ([f"missing {', '.join(missing)}"] if missing else []) + ([f"unknown {', '.join(unknown)}"] if unknown else [])
    return f" ({'; '.join(parts)})" if parts else ""
