"""Checks the SwiftUI of ios/ for what the screens owe people: VoiceOver,
Dynamic Type, and words from the core.

    python swift_screens.py DIR_OR_FILE...

No simulator runs here, so the Accessibility Inspector cannot look at the
screens; these rules catch, by reading the syntax tree, the mistakes that
make a screen unusable with VoiceOver or at large text sizes, or show it
in one language only:

- fonts are text styles (`.body`, `.headline.weight(.semibold)`, ...), which
  grow with Dynamic Type; a fixed `.system(size:)` or a `.custom` font without
  `relativeTo:` does not;
- no fixed `height:` or `maxHeight:` in a `.frame`: text that grows must be
  able to push its box taller (`minHeight:` is fine);
- every `Image` is either named for VoiceOver (`accessibilityLabel` on it or
  on a view around it), hidden (`accessibilityHidden(true)`,
  `Image(decorative:)`), or inside an element that combines or replaces its
  children's labels (`accessibilityElement(children: .combine)`);
- no `onTapGesture`: VoiceOver does not announce it as a button (use Button);
- crisis help is one tap away on every screen: each `ScreenFrame(...)` is
  given a `crisis:` action, but the crisis screen's own;
- no words written into the Swift: a string literal shown as a view's text
  (`Text("...")`, `Button("...")`, any view's first unlabelled argument) or
  read by VoiceOver (`accessibilityLabel("...")`) holds no letters outside
  its interpolations; every word comes from the core's `words(language:)`,
  in English and Spanish from one source.

Prints `file:line:column: what` per problem and exits 1 if there was any.
What it cannot judge (whether a label says the right thing, the reading
order, contrast, a word built in code from parts) is left to VoiceOver and
reading on a Mac (ios/README.md).
"""

import re
import sys

import tree_sitter
import tree_sitter_swift

from swift_parse import check_each

PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_swift.language()))

# Font.TextStyle: the fonts that scale with the person's text size.
TEXT_STYLES = {"largeTitle", "title", "title2", "title3", "headline", "subheadline", "body", "callout", "footnote", "caption", "caption2"}
# Modifiers whose first argument VoiceOver reads out.
SPOKEN_MODIFIERS = {"accessibilityLabel", "accessibilityHint", "accessibilityValue", "navigationTitle"}
# Views whose first argument is not text people read (an asset's or a colour's name).
NAMED_BY_ASSET = {"Image", "Color"}
# A letter, in English or Spanish.
LETTER = re.compile(r"[A-Za-zÀ-ÿ]")
# The one screen whose frame offers no crisis button: it is the crisis screen.
CRISIS_SCREEN = "CrisisScreen"
# Where looking for a label around an Image stops: past these, the view is another one.
VIEW_BOUNDARIES = {"function_declaration", "property_declaration", "class_body", "source_file"}


def text(source, node):
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace")


def modifier(node):
    """(name, call_suffix) if node is a modifier call `something.name(...)`, else None."""
    if node.type != "call_expression" or node.child_count < 2:
        return None
    callee, suffix = node.children[0], node.children[-1]
    if callee.type != "navigation_expression" or suffix.type != "call_suffix":
        return None
    navigation = callee.children[-1]
    if navigation.type != "navigation_suffix":
        return None
    return navigation.children[-1].text.decode(), suffix


def called_name(node):
    """The plain name a call_expression calls (`Image` in `Image(...)`), else None."""
    if node.type == "call_expression" and node.children[0].type == "simple_identifier":
        return node.children[0].text.decode()
    return None


def arguments(source, suffix):
    """The text between the parentheses of a call_suffix (trailing closures left out)."""
    for child in suffix.children:
        if child.type == "value_arguments":
            return text(source, child)[1:-1]
    return ""


def font_problem(source, suffix):
    argument = arguments(source, suffix).strip()
    style = re.match(r"(?:Font)?\.(\w+)", argument)
    name = style.group(1) if style else None
    if name in TEXT_STYLES:
        return None
    if name in {"system", "custom"} and "relativeTo:" in argument:
        return None
    if name == "system" and "size:" not in argument:
        return None
    return f"font {argument!r} does not grow with Dynamic Type: use a text style (.body, .headline, ...)"


def frame_problem(source, suffix):
    fixed = re.search(r"(?<![A-Za-z])(height|maxHeight):\s*[0-9.]+", arguments(source, suffix))
    if fixed:
        return f"a fixed {fixed.group(1)} clips text at large Dynamic Type sizes: use minHeight"
    return None


def written_words(suffix):
    """The literal text of a call's first argument if it is unlabelled and holds words, else None."""
    for child in suffix.children:
        if child.type != "value_arguments":
            continue
        first = next((a for a in child.named_children if a.type == "value_argument"), None)
        if first is None or first.named_children[0].type != "line_string_literal":
            return None
        literal = first.named_children[0]
        # Only the literal parts: what an interpolation shows comes from elsewhere.
        written = "".join(part.text.decode() for part in literal.named_children if part.type == "line_str_text")
        return written if LETTER.search(written) else None
    return None


def labelled(source, node):
    """Whether an Image is named, hidden, or merged for VoiceOver, on itself or a view around it."""
    arguments_text = arguments(source, node.children[-1]) if node.children[-1].type == "call_suffix" else ""
    if arguments_text.startswith("decorative:"):
        return True
    while node is not None and node.type not in VIEW_BOUNDARIES:
        found = modifier(node)
        if found:
            name, suffix = found
            argument = arguments(source, suffix).replace(" ", "")
            if name == "accessibilityLabel":
                return True
            if name == "accessibilityHidden" and argument == "true":
                return True
            if name == "accessibilityElement" and argument in {"children:.combine", "children:.ignore"}:
                return True
        node = node.parent
    return False


def words_problem(node, named):
    """A problem if node shows or speaks words written into the Swift."""
    if named and named[0] in SPOKEN_MODIFIERS:
        suffix = named[1]
    elif (called_name(node) or "a")[0].isupper() and called_name(node) not in NAMED_BY_ASSET:
        suffix = node.children[-1]
    else:
        return None
    written = written_words(suffix) if suffix.type == "call_suffix" else None
    if written is None:
        return None
    return f"words written into the Swift ({written.strip()!r}): take them from the core's words(language:), in English and Spanish"


def enclosing_type(node):
    """The name of the struct or class a node is written in, or None."""
    while node is not None:
        if node.type == "class_declaration":
            names = [c for c in node.children if c.type == "type_identifier"]
            return names[0].text.decode() if names else None
        node = node.parent
    return None


def crisis_problem(source, node):
    """A problem if a screen's frame is given no crisis action (outside the crisis screen)."""
    suffix = node.children[-1]
    given = None
    for child in suffix.children if suffix.type == "call_suffix" else []:
        for argument in child.named_children if child.type == "value_arguments" else []:
            label = argument.child_by_field_name("name") or next((c for c in argument.named_children if c.type == "value_argument_label"), None)
            if label is not None and label.text.decode() == "crisis":
                given = text(source, argument.named_children[-1]).strip()
    if given not in (None, "nil") or enclosing_type(node) == CRISIS_SCREEN:
        return None
    return "a screen without the crisis button: help must be one tap away everywhere (pass crisis:)"


def problems(source):
    """(line, column, what) for each rule broken in a SwiftUI file's source (bytes)."""
    if b"import SwiftUI" not in source:
        return []
    found = []
    stack = [PARSER.parse(source).root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        what = None
        named = modifier(node)
        if named and named[0] == "font":
            what = font_problem(source, named[1])
        elif named and named[0] == "frame":
            what = frame_problem(source, named[1])
        elif named and named[0] == "onTapGesture":
            what = "onTapGesture is not announced as a button by VoiceOver: use Button"
        elif called_name(node) == "ScreenFrame":
            what = crisis_problem(source, node)
        elif called_name(node) == "Image" and not labelled(source, node):
            what = "an Image VoiceOver cannot name: give it (or the view around it) an accessibilityLabel, or hide it"
        if what is None:
            what = words_problem(node, named)
        if what:
            row, column = node.start_point
            found.append((row + 1, column + 1, what))
    return sorted(found)


def check(paths):
    """Prints the problems of every Swift file under paths; returns (files, problems)."""
    return check_each(paths, problems)


def main(argv):
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    files, count = check(argv)
    print(f"{len(files)} Swift files read for VoiceOver, Dynamic Type and written words, {count} problems", file=sys.stderr)
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
