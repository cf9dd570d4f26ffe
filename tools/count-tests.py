#!/usr/bin/env python3
"""Count the real test cases of a `bazel test` run and print `N passed, N failed[, N skipped]`.

A "test case" is a <testcase> element of a test target's test.xml (GoogleTest and RapidCheck
write one per TEST / property; our scenario runners write one per scenario). A test target that
wrote no per-case XML gets the one-case XML Bazel generates for it, so it counts as one case.

Which test.xml files are read:
  * Only targets listed in --targets (the output of `bazel query 'tests(//...)'`), so test.xml
    files left behind by targets that no longer exist are ignored.
  * With --bep (a --build_event_json_file written by that `bazel test`), the test.xml paths and
    the pass/fail status come from the build events of that invocation, which include results
    Bazel served from its cache. A listed target without a result (it failed to build, or was not
    run) counts as one failed case. A target Bazel reports as failed whose XML shows no failing
    case (e.g. a sanitizer error found at exit, after GoogleTest wrote its XML) gets one extra
    failed case, so the line never hides a red target.
  * Without --bep, test.xml files are read from --testlogs DIR (bazel-testlogs/<pkg>/<name>/).

Several --bep files (e.g. a plain and an AddressSanitizer run) can be given as NAME=FILE: each
case is then counted once, and it is failed if it failed in any of the runs.

Steps that are not Bazel tests (e.g. building and running the examples) add their own counts
with --extra NAME=PASSED:FAILED; they are added to the final line as they are.

Exit status: 0 when nothing failed, 1 otherwise.
"""

import argparse
import json
import os
import sys
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"
_RANK = {PASSED: 0, SKIPPED: 1, FAILED: 2}


def label_to_path(label):
    """//pkg/sub:name -> pkg/sub/name (the layout of bazel-testlogs)."""
    label = label.strip()
    if label.startswith("@"):
        return None
    pkg, _, name = label[2:].partition(":")
    if not name:
        name = pkg.rsplit("/", 1)[-1]
    return os.path.join(pkg, name) if pkg else name


def cases_from_xml(path):
    """Return [(case_id, status, message)] for every <testcase> in one test.xml."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        return [("<unreadable test.xml>", FAILED, "cannot parse %s: %s" % (path, exc))]
    out = []
    for case in root.iter("testcase"):
        cid = "%s.%s" % (case.get("classname", ""), case.get("name", ""))
        children = {child.tag for child in case}
        if "failure" in children or "error" in children:
            bad = case.find("failure")
            if bad is None:
                bad = case.find("error")
            msg = (bad.get("message") or (bad.text or "")).strip().splitlines()
            out.append((cid, FAILED, msg[0] if msg else ""))
        elif ("skipped" in children or case.get("result") in ("skipped", "suppressed")
              or case.get("status") == "notrun"):
            out.append((cid, SKIPPED, ""))
        else:
            out.append((cid, PASSED, ""))
    return out


def uri_to_path(uri):
    if uri.startswith("file://"):
        return urllib.request.url2pathname(urllib.parse.urlparse(uri).path)
    return None


def read_bep(path):
    """Map label -> {"status": [...], "xml": [...]} from a build-event JSON file."""
    results = {}
    aborted = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                event = json.loads(line)
            except ValueError:
                continue
            eid = event.get("id", {})
            if "testResult" in eid and "testResult" in event:
                label = eid["testResult"].get("label")
                entry = results.setdefault(label, {"status": [], "xml": []})
                payload = event["testResult"]
                entry["status"].append(payload.get("status", "NO_STATUS"))
                for out in payload.get("testActionOutput", []):
                    if out.get("name") == "test.xml":
                        p = uri_to_path(out.get("uri", ""))
                        if p:
                            entry["xml"].append(p)
            elif "targetCompleted" in eid and event.get("aborted"):
                aborted.add(eid["targetCompleted"].get("label"))
    return results, aborted


def count_run(targets, bep=None, testlogs=None):
    """Return {(label, case_id): (status, message)} for one run."""
    cases = {}
    results, _ = read_bep(bep) if bep else ({}, set())
    for label in targets:
        if bep:
            entry = results.get(label)
            if entry is None:
                cases[(label, "<not run>")] = (FAILED, "no test result (build failed or not run)")
                continue
            xml_files = entry["xml"]
            bazel_ok = all(s in ("PASSED", "FLAKY") for s in entry["status"])
        else:
            rel = label_to_path(label)
            xml_files = [os.path.join(testlogs, rel, "test.xml")] if rel else []
            bazel_ok = True
        found = []
        for xml in xml_files:
            if os.path.exists(xml):
                found.extend(cases_from_xml(xml))
        if not found:
            cases[(label, "<no test.xml>")] = (FAILED, "no test.xml found")
            continue
        for cid, status, msg in found:
            key = (label, cid)
            old = cases.get(key)
            if old is None or _RANK[status] > _RANK[old[0]]:
                cases[key] = (status, msg)
        if not bazel_ok and not any(s == FAILED for _, s, _ in found):
            cases[(label, "<target status>")] = (FAILED, "Bazel reports the target as %s"
                                                 % ",".join(entry["status"]))
    return cases


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--targets", required=True,
                    help="file with one test label per line (bazel query 'tests(//...)')")
    ap.add_argument("--bep", action="append", default=[],
                    help="[NAME=]build-event JSON file of a bazel test run (repeatable)")
    ap.add_argument("--run-targets", action="append", default=[],
                    help="NAME=FILE: the test labels run NAME was asked to run, when that is a "
                         "subset of --targets (e.g. tag-filtered); default: all of --targets")
    ap.add_argument("--testlogs", help="bazel-testlogs directory (used when no --bep is given)")
    ap.add_argument("--junit", action="append", default=[],
                    help="NAME=FILE: a JUnit XML file written outside Bazel (e.g. by tools/fuzz.sh "
                         "ci); its cases count as run NAME; a missing file is one failed case")
    ap.add_argument("--rc", action="append", default=[],
                    help="NAME=STATUS: exit status of the `bazel test` run NAME; a status other "
                         "than 0, 3 (tests failed) or 4 (no tests) with no failed case to show "
                         "for it (e.g. a non-test target failed to build) counts as one failure")
    ap.add_argument("--extra", action="append", default=[],
                    help="NAME=PASSED:FAILED: counts of a step outside Bazel (repeatable), "
                         "added to the totals")
    args = ap.parse_args()

    with open(args.targets, encoding="utf-8") as fh:
        targets = sorted({l.strip() for l in fh if l.strip().startswith("//")})

    run_targets = {}
    for spec in args.run_targets:
        name, _, path = spec.partition("=")
        with open(path, encoding="utf-8") as fh:
            run_targets[name] = sorted({l.strip() for l in fh if l.strip().startswith("//")}
                                       & set(targets))
    runs = []
    if args.bep:
        for spec in args.bep:
            name, sep, path = spec.partition("=")
            if not sep:
                name, path = os.path.basename(spec), spec
            runs.append((name, count_run(run_targets.get(name, targets), bep=path)))
    else:
        testlogs = args.testlogs or "bazel-testlogs"
        runs.append(("testlogs", count_run(targets, testlogs=testlogs)))

    for spec in args.junit:
        name, _, path = spec.partition("=")
        if os.path.exists(path):
            found = cases_from_xml(path)
        else:
            found = [("<no junit file>", FAILED, "%s was not written" % path)]
        runs.append((name, {("<%s>" % name, cid): (st, msg) for cid, st, msg in found}))
    rcs = dict(spec.split("=", 1) for spec in args.rc)
    merged = {}
    for name, cases in runs:
        rc = rcs.get(name, "0")
        if rc not in ("0", "3", "4") and not any(st == FAILED for st, _ in cases.values()):
            cases[("<bazel>", "bazel test")] = (FAILED, "bazel test exited with status " + rc)
        counts = {PASSED: 0, FAILED: 0, SKIPPED: 0}
        for key, (status, msg) in cases.items():
            counts[status] += 1
            old = merged.get(key)
            if old is None or _RANK[status] > _RANK[old[0]]:
                merged[key] = (status, "%s: %s" % (name, msg) if msg else name)
        if len(runs) > 1:
            print("[%s] %d passed, %d failed%s" % (
                name, counts[PASSED], counts[FAILED],
                ", %d skipped" % counts[SKIPPED] if counts[SKIPPED] else ""))

    totals = {PASSED: 0, FAILED: 0, SKIPPED: 0}
    for (label, cid), (status, msg) in sorted(merged.items()):
        totals[status] += 1
        if status == FAILED:
            print("FAILED %s %s (%s)" % (label, cid, msg))
    for spec in args.extra:
        name, _, counts = spec.partition("=")
        good, _, bad = counts.partition(":")
        try:
            good, bad = int(good), int(bad)
        except ValueError:
            good, bad = 0, 1  # a step that did not report its counts failed
        print("[%s] %d passed, %d failed" % (name, good, bad))
        totals[PASSED] += good
        totals[FAILED] += bad
    line = "%d passed, %d failed" % (totals[PASSED], totals[FAILED])
    if totals[SKIPPED]:
        line += ", %d skipped" % totals[SKIPPED]
    print(line)
    return 1 if totals[FAILED] else 0


if __name__ == "__main__":
    sys.exit(main())
