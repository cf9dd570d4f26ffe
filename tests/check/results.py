"""One line per check ("ok   NAME" / "FAIL NAME: detail"), and one JUnit test case per check
in $XML_OUTPUT_FILE when Bazel sets it, so tools/count-tests.py counts checks, not targets."""
import os
from xml.sax.saxutils import escape, quoteattr


class Results:
    def __init__(self, suite):
        self.suite = suite
        self.cases = []  # (name, failure detail or None)

    def case(self, name, ok, detail=""):
        print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + str(detail)))
        self.cases.append((name, None if ok else str(detail) or "failed"))

    def finish(self):
        failed = [n for n, f in self.cases if f is not None]
        path = os.environ.get("XML_OUTPUT_FILE")
        if path:
            lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>",
                     '  <testsuite name=%s tests="%d" failures="%d">'
                     % (quoteattr(self.suite), len(self.cases), len(failed))]
            for name, failure in self.cases:
                lines.append('    <testcase name=%s classname=%s status="run">'
                             % (quoteattr(name), quoteattr(self.suite)))
                if failure is not None:
                    lines.append("      <failure message=%s>%s</failure>"
                                 % (quoteattr(failure[:200]), escape(failure)))
                lines.append("    </testcase>")
            lines += ["  </testsuite>", "</testsuites>", ""]
            with open(path, "w", encoding="utf-8") as fh:
                fh.write("\n".join(lines))
        print("%d passed, %d failed" % (len(self.cases) - len(failed), len(failed)))
        return 1 if failed else 0
