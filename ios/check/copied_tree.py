"""A test case over a throwaway copy of files a check reads, edited to show one fault."""

import os
import shutil
import tempfile
import unittest


class CopiedTree(unittest.TestCase):
    """self.dir: an empty folder made for each test; copy into it, then edit()."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)

    def copy(self, source_root, relative):
        """Copies a file or folder at relative under source_root to the same place in self.dir."""
        source, target = os.path.join(source_root, relative), os.path.join(self.dir, relative)
        if os.path.isdir(source):
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy(source, target)

    def edit(self, relative, old, new):
        """Replaces the first old in the copied file with new; fails if old is not there."""
        path = os.path.join(self.dir, relative)
        with open(path, encoding="utf-8") as source:
            text = source.read()
        self.assertIn(old, text, f"the test's edit of {relative} no longer applies")
        with open(path, "w", encoding="utf-8") as out:
            out.write(text.replace(old, new, 1))

    def assertProblem(self, problems, fragment):
        self.assertTrue(any(fragment in problem for problem in problems), f"{fragment!r} not among {problems}")
