#!/usr/bin/env python3
"""Run every scenario through quorumsim and check it against its expected output.

For each scenarios/NAME.vqsim:
  * run `quorumsim -c CONFIG < NAME.vqsim` (from the scenario's directory, CONFIG named by the
    `# config:` header line);
  * the run fails if quorumsim exits non-zero (a failed `expect` line, a script error, a crash);
  * the run fails if its output differs from scenarios/NAME.expected (standard output, followed
    by standard error under a `--- stderr ---` line when there is any); a missing expected
    file is a failure too.

  run_scenarios.py --quorumsim PATH [SCENARIO...]          check (default: all scenarios)
  run_scenarios.py --quorumsim PATH --update [SCENARIO...] (re)write the expected files; read
                                                          each diff against the spec first!

Writes a JUnit XML with one test case per scenario to $XML_OUTPUT_FILE when Bazel sets it.
"""

import argparse
import difflib
import glob
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenario_lib as sl  # noqa: E402


def run(quorumsim, scn):
    directory = os.path.dirname(os.path.abspath(scn.path))
    config = os.path.relpath(os.path.abspath(scn.config), directory)
    with open(scn.path, "rb") as stdin:
        proc = subprocess.run([os.path.abspath(quorumsim), "-c", config], cwd=directory,
                              stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=120)
    out = proc.stdout.decode(errors="replace")
    err = proc.stderr.decode(errors="replace")
    text = out + ("--- stderr ---\n" + err if err else "")
    return proc.returncode, text


def check(quorumsim, scn, update):
    """Return (failure message or None, output)."""
    expected_path = os.path.splitext(scn.path)[0] + ".expected"
    try:
        rc, text = run(quorumsim, scn)
    except subprocess.TimeoutExpired:
        return "quorumsim did not finish within 120 s", ""
    problems = []
    if rc != 0:
        problems.append("quorumsim exited with status %d (failed expect or script error)" % rc)
    if update:
        if rc == 0:
            with open(expected_path, "w", encoding="utf-8") as fh:
                fh.write(text)
        else:
            problems.append("expected file NOT written")
    elif not os.path.exists(expected_path):
        problems.append("no expected output file %s" % os.path.basename(expected_path))
    else:
        with open(expected_path, encoding="utf-8") as fh:
            want = fh.read()
        if want != text:
            diff = difflib.unified_diff(want.splitlines(True), text.splitlines(True),
                                        os.path.basename(expected_path), "quorumsim output")
            problems.append("output differs from %s:\n%s"
                            % (os.path.basename(expected_path), "".join(diff)))
    if problems:
        return "\n".join(problems), text
    return None, text


def main():
    ap = argparse.ArgumentParser(description="run scenarios through quorumsim")
    ap.add_argument("scenarios", nargs="*")
    ap.add_argument("--quorumsim", required=True, help="path of the quorumsim binary")
    ap.add_argument("--scenario-dir", default=None,
                    help="directory holding the scenarios (default: <repo>/scenarios)")
    ap.add_argument("--update", action="store_true", help="write the expected files")
    args = ap.parse_args()

    paths = args.scenarios
    if not paths:
        d = args.scenario_dir or os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                              "..", "..", "scenarios")
        paths = sorted(glob.glob(os.path.join(d, "*.vqsim")))
    if not paths:
        print("FATAL: no scenarios found")
        return 1
    if not os.access(args.quorumsim, os.X_OK):
        print("FATAL: quorumsim binary %s is missing or not executable" % args.quorumsim)
        return 1

    cases = []
    for path in paths:
        try:
            scn = sl.Scenario(path)
            failure, text = check(args.quorumsim, scn, args.update)
            name = scn.name
        except Exception as exc:  # a broken scenario file is a failed case
            name = os.path.splitext(os.path.basename(path))[0]
            failure, text = "cannot run: %s" % exc, ""
        status = "FAIL" if failure else ("updated" if args.update else "ok")
        print("%-34s %s" % (name, status))
        if failure:
            print("    " + failure.replace("\n", "\n    "))
            if text:
                print("    --- quorumsim output ---\n    " + text.rstrip().replace("\n", "\n    "))
        cases.append((name, failure, text))

    failed = sum(1 for c in cases if c[1])
    print("scenarios: %d run, %d failed" % (len(cases), failed))
    sl.write_junit("scenarios", cases)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
