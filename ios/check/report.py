"""How the checks that are not per Swift file end: their problems, a count, an exit code."""

import sys


def finish(problems, summary):
    """Prints each problem on a line and summary on stderr; returns the exit code (1 if any problem)."""
    for problem in problems:
        print(problem)
    print(f"{summary}, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0
