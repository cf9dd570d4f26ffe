#!/usr/bin/env python3
"""Differential test: run vqsim-compatible scenarios through the real corosync-vqsim and through
quorumsim, and compare every node's settled quorate flag and member set after every command.

Ring ids and output formatting are not compared (corosync-vqsim numbers rings per partition and
names them after the first node of its list, unlike real totem). corosync-vqsim runs in real time,
so after each command it is given `--settle` seconds before its state is read with `show`
(a one-node partition can otherwise print stale state).

  vqsim_diff.py --quorumsim bazel-bin/quorumsim [SCENARIO...]   compare (default: every
                                                                scenarios/*.vqsim with the
                                                                `# vqsim-compatible` header)
  vqsim_diff.py --vqsim-only SCENARIO                           show vqsim's settled states
  vqsim_diff.py --record DIR [SCENARIO...]                      write vqsim's settled states to
                                                                DIR/NAME.vqsim-ref

A scenario may document a proven corosync-vqsim defect with a header line
`# vqsim-differs: LINE REASON` (LINE = the script line whose state differs); such a difference is
reported but does not fail the test.

If corosync-vqsim is not installed the test FAILS (CI installs it); it never passes silently.
Writes a JUnit XML with one test case per scenario to $XML_OUTPUT_FILE when Bazel sets it.
"""

import argparse
import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenario_lib as sl  # noqa: E402


def fmt_state(state, indent="  "):
    lines = []
    for node in sorted(state):
        q, members, part = state[node]
        lines.append(indent + "%d:%d: q=%d nodes=[%s]" % (part, node, q, " ".join(map(str, sorted(members)))))
    return "\n".join(lines) if lines else indent + "(no nodes)"


def compare(vq, qs):
    """Return a list of difference strings between two parse_status() states."""
    diffs = []
    for node in sorted(set(vq) | set(qs)):
        if node not in qs:
            diffs.append("node %d: vqsim q=%d nodes=%s, quorumsim has no status line"
                         % (node, vq[node][0], sorted(vq[node][1])))
        elif node not in vq:
            diffs.append("node %d: quorumsim q=%d nodes=%s, vqsim has no status line (node down)"
                         % (node, qs[node][0], sorted(qs[node][1])))
        else:
            (q1, m1, _), (q2, m2, _) = vq[node], qs[node]
            if q1 != q2:
                diffs.append("node %d: quorate vqsim=%d quorumsim=%d" % (node, q1, q2))
            if m1 != m2:
                diffs.append("node %d: members vqsim=%s quorumsim=%s" % (node, sorted(m1), sorted(m2)))
    return diffs


def known_differences(path):
    known = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            m = re.match(r"#\s*vqsim-differs:\s*(\d+)\s+(.*)", line.strip())
            if m:
                known[int(m.group(1))] = m.group(2)
    return known


def run_one(scn, vqsim, quorumsim, settle):
    """Return (failure message or None, report text)."""
    report = []
    vq_init, vq_steps = sl.vqsim_states(vqsim, scn, settle=settle)
    qs_init, qs_steps = sl.quorumsim_states(quorumsim, scn)
    known = known_differences(scn.path)
    failures = []
    steps = [(0, "(start)", vq_init, qs_init)]
    steps += [(a[0], a[1], a[2], b[2]) for a, b in zip(vq_steps, qs_steps)]
    for lineno, cmd, vq, qs in steps:
        diffs = compare(vq, qs)
        if not diffs:
            report.append("line %d %-28s same (%d nodes)" % (lineno, cmd, len(vq)))
            continue
        tag = "KNOWN vqsim defect (%s)" % known[lineno] if lineno in known else "DIFFERENT"
        report.append("line %d %-28s %s" % (lineno, cmd, tag))
        report.extend("    " + d for d in diffs)
        report.append("    vqsim:\n" + fmt_state(vq, "      "))
        report.append("    quorumsim:\n" + fmt_state(qs, "      "))
        if lineno not in known:
            failures.append("line %d `%s`: %s" % (lineno, cmd, "; ".join(diffs)))
    compared = len(steps)
    report.insert(0, "%s: %d states compared" % (scn.name, compared))
    if failures:
        return "%s differs from corosync-vqsim:\n%s" % (scn.name, "\n".join(failures)), "\n".join(report)
    return None, "\n".join(report)


def default_scenarios(scenario_dir=None):
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [scenario_dir] if scenario_dir else [os.path.join(here, "..", "..", "scenarios")]
    for d in candidates:
        files = sorted(glob.glob(os.path.join(d, "*.vqsim")))
        if files:
            return files
    return []


def main():
    ap = argparse.ArgumentParser(description="compare quorumsim with corosync-vqsim")
    ap.add_argument("scenarios", nargs="*")
    ap.add_argument("--quorumsim", help="path of the quorumsim binary")
    ap.add_argument("--scenario-dir", help="directory holding the scenarios (default: <repo>/scenarios)")
    ap.add_argument("--vqsim", default=None, help="path of corosync-vqsim (default: from PATH)")
    ap.add_argument("--settle", type=float, default=0.3,
                    help="seconds of real time corosync-vqsim gets after each command")
    ap.add_argument("--vqsim-only", action="store_true", help="only print vqsim's settled states")
    ap.add_argument("--record", metavar="DIR", help="write vqsim's settled states to DIR")
    args = ap.parse_args()

    vqsim = args.vqsim or sl.find_vqsim()
    if not vqsim or not os.access(vqsim, os.X_OK):
        return sl.fail_without_vqsim(
            "vqsim_diff",
            "FATAL: corosync-vqsim is not installed (Debian package corosync-vqsim; "
            "tools/install-deps.sh installs it). The differential test cannot pass without it.")

    paths = args.scenarios or default_scenarios(args.scenario_dir)
    scenarios = [sl.Scenario(p) for p in paths]
    if not args.scenarios:
        scenarios = [s for s in scenarios if s.vqsim_compatible]
    if not scenarios:
        print("FATAL: no vqsim-compatible scenarios found")
        return 1

    if args.vqsim_only or args.record:
        for scn in scenarios:
            init, steps = sl.vqsim_states(vqsim, scn, settle=args.settle)
            text = ["# corosync-vqsim settled states for %s (config %s)" %
                    (os.path.basename(scn.path), os.path.basename(scn.config)),
                    "after start:", fmt_state(init)]
            for lineno, cmd, state in steps:
                text += ["after line %d: %s" % (lineno, cmd), fmt_state(state)]
            text = "\n".join(text) + "\n"
            if args.record:
                os.makedirs(args.record, exist_ok=True)
                with open(os.path.join(args.record, scn.name + ".vqsim-ref"), "w") as fh:
                    fh.write(text)
                print("recorded", scn.name)
            else:
                sys.stdout.write(text)
        return 0

    if not args.quorumsim:
        ap.error("--quorumsim is required for a comparison")
    cases = []
    for scn in scenarios:
        try:
            failure, report = run_one(scn, vqsim, args.quorumsim, args.settle)
        except Exception as exc:  # a crash of either simulator is a failed case, not a skip
            failure, report = "%s: %s" % (scn.name, exc), str(exc)
        print(report)
        print("%s: %s\n" % (scn.name, "FAIL" if failure else "ok"))
        cases.append((scn.name, failure, report))

    failed = sum(1 for c in cases if c[1])
    print("vqsim_diff: %d scenarios compared, %d differ" % (len(cases), failed))
    sl.write_junit("vqsim_diff", cases)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
