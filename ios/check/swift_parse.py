"""Parses Swift files with tree-sitter-swift and names every syntax error.

    python swift_parse.py DIR_OR_FILE...

Prints one line per error, `file:line:column: what`, and exits 1 if there
was any (0 otherwise). A directory is searched for *.swift files, leaving out
what builds and generators write there (SKIPPED_DIRS, GENERATED). This is
a parse, not a compile: names and types are not checked.

One rule beyond syntax, for files that import SwiftUI: no block (a closure,
a branch, a body) holds more than ten statements other than declarations.
Before iOS 17, SwiftUI's builders take at most ten views a block, and the
app targets iOS 15; group them (`Group { ... }`).
"""

import os
import sys

import tree_sitter
import tree_sitter_swift

# Folders written by builds (SwiftPM, Xcode), not by people.
SKIPPED_DIRS = {".build", "build", "DerivedData", ".swiftpm"}
# The generated bindings, copied into the package by build-xcframework.sh
# (bindings/generate.sh writes them; they are not committed).
GENERATED = {os.path.join("Sources", "Alongside", "Alongside.swift"), os.path.join("Sources", "Alongside", "AlongsideCore.swift")}

PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_swift.language()))

# SwiftUI's ViewBuilder.buildBlock takes at most this many views before iOS 17.
MOST_VIEWS = 10
# Statements that are not views in a builder block.
DECLARATIONS = {"property_declaration", "comment", "multiline_comment"}


def swift_files(root):
    """Every .swift file under root (or root itself), sorted, generated ones left out."""
    if os.path.isfile(root):
        return [root]
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in sorted(files):
            path = os.path.join(folder, name)
            if name.endswith(".swift") and not any(path.endswith(os.sep + g) for g in GENERATED):
                found.append(path)
    return found


def errors(source):
    """(line, column, what) for each ERROR or MISSING node of source (bytes); 1-based."""
    found = []
    cursor = PARSER.parse(source).walk()
    while True:
        node = cursor.node
        if node.is_error or node.is_missing:
            row, column = node.start_point
            what = f"missing {node.type}" if node.is_missing else "syntax error"
            text = source[node.start_byte : node.end_byte].decode("utf-8", "replace").split("\n")[0][:40]
            found.append((row + 1, column + 1, f"{what} near {text!r}" if text else what))
        # Depth first; below an error only further errors matter, and they are nodes too.
        if node.has_error and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return found


def crowded_blocks(source):
    """(line, column, what) for each block of a SwiftUI file with more views than a builder takes."""
    tree = PARSER.parse(source)
    if b"import SwiftUI" not in source:
        return []
    found = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.type != "statements":
            continue
        count = sum(1 for child in node.named_children if child.type not in DECLARATIONS)
        if count > MOST_VIEWS:
            row, column = node.start_point
            found.append((row + 1, column + 1, f"{count} statements in one block: SwiftUI takes at most {MOST_VIEWS} views before iOS 17; group them"))
    return sorted(found)


def check_each(paths, find):
    """Prints `file:line:column: what` for each (line, column, what) that find(source bytes)
    gives for a Swift file under paths; returns (files, how many were printed)."""
    files = [f for p in paths for f in swift_files(p)]
    count = 0
    for path in files:
        with open(path, "rb") as source:
            for line, column, what in find(source.read()):
                print(f"{path}:{line}:{column}: {what}")
                count += 1
    return files, count


def check(paths):
    """Prints the errors of every Swift file under paths; returns (files, errors)."""
    return check_each(paths, lambda text: errors(text) + crowded_blocks(text))


def main(argv):
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    files, count = check(argv)
    if not files:
        print("no Swift files found", file=sys.stderr)
        return 1
    print(f"{len(files)} Swift files parsed, {count} syntax errors", file=sys.stderr)
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
