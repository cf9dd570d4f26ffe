#!/usr/bin/env python3
"""corosync.conf edge cases: the real `corosync -t -c FILE` (corosync 3.1.7) and quorumsim's
parser (tests/sim/conf_check) must both accept or both reject each file.

`corosync -t` checks the file as a starting corosync would (parser, then totem and nodelist
checks) and exits without starting. It needs the local node in the nodelist, so every case that
should pass has a node with ring0_addr 127.0.0.1.

A few cases are deliberate, documented deviations (DEVIATIONS): the test asserts the deviation
itself, so a change on either side is noticed. One JUnit case per table row.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scenarios"))
import scenario_lib  # noqa: E402  (write_junit)

TOTEM = "totem {\n  version: 2\n  cluster_name: t\n}\n"
TOTEM_UDPU = "totem {\n  version: 2\n  cluster_name: t\n  transport: udpu\n}\n"
QUORUM = "quorum {\n  provider: corosync_votequorum\n}\n"


def node(nodeid, addr="127.0.0.1", extra=""):
    nid = "" if nodeid is None else "    nodeid: %s\n" % nodeid
    return "  node {\n%s    ring0_addr: %s\n%s  }\n" % (nid, addr, extra)


def conf(nodes=None, quorum=QUORUM, totem=TOTEM, before="", after=""):
    if nodes is None:
        nodes = node(1)
    return before + totem + "nodelist {\n" + nodes + "}\n" + quorum + after


def quorum(*lines):
    return "quorum {\n  provider: corosync_votequorum\n" + "".join("  %s\n" % l for l in lines) + "}\n"


# (name, file bytes as str, what corosync 3.1.7 does: True = accepts)
CASES = [
    ("minimal", conf(), True),
    ("three_nodes", conf(node(1) + node(2, "127.0.0.2") + node(3, "127.0.0.3")), True),
    ("one_line_node", conf(node(1) + "  node { nodeid: 3 }\n"), False),
    ("all_one_line_nodes", conf("  node { nodeid: 1 }\n  node { nodeid: 2 }\n"), False),
    ("empty_nodelist", conf(""), False),
    ("no_nodelist", TOTEM + QUORUM, False),
    ("bom_before_section", "\ufeff" + conf(), False),
    ("bom_before_comment", "\ufeff# comment\n" + conf(), False),
    ("nodeid_plus", conf(node("+1")), True),
    ("nodeid_leading_zeros", conf(node("001")), True),
    ("nodeid_hex", conf(node(1) + node("0x10", "127.0.0.2")), False),
    ("nodeid_negative", conf(node(1) + node("-1", "127.0.0.2")), False),
    ("nodeid_minus_zero", conf(node(1) + node("-0", "127.0.0.2")), False),
    ("nodeid_zero", conf(node(0)), False),
    ("nodeid_missing_knet", conf(node(1) + node(None, "127.0.0.2")), False),
    ("nodeid_65535", conf(node(65535)), True),
    ("nodeid_65536", conf(node(65536)), False),
    ("nodeid_4294967295", conf(node(4294967295)), False),
    ("nodeid_4294967296", conf(node(1) + node(4294967296, "127.0.0.2")), False),
    ("nodeid_70000_udpu", conf(node(1) + node(70000, "127.0.0.2"), totem=TOTEM_UDPU), True),
    ("nodeid_duplicate", conf(node(1) + node(1, "127.0.0.2")), False),
    ("nodeid_trailing_garbage", conf(node("1x")), False),
    ("nodeid_tab_after_colon", conf("  node {\n    nodeid:\t1\n    ring0_addr: 127.0.0.1\n  }\n"), True),
    ("quorum_votes_text", conf(node(1, extra="    quorum_votes: x\n")), False),
    ("quorum_votes_plus", conf(node(1, extra="    quorum_votes: +2\n")), True),
    ("two_node_256", conf(quorum=quorum("two_node: 256")), False),
    ("two_node_255", conf(quorum=quorum("two_node: 255")), True),
    ("two_node_empty", conf(quorum=quorum("two_node:")), False),
    ("expected_votes_negative", conf(quorum=quorum("expected_votes: -1")), False),
    ("expected_votes_space_inside", conf(quorum=quorum("expected_votes: 1 2")), False),
    ("device_votes_text", conf(quorum=quorum("device {", "  votes: a", "}")), False),
    ("dotted_key_in_section_is_text", conf(quorum=quorum("device.votes: a")), True),
    ("dotted_key_at_top_is_text", conf(before="totem.token: a\n"), True),
    ("token_text", conf(totem="totem {\n  version: 2\n  token: abc\n}\n"), False),
    ("unknown_key_string_value", conf(quorum=quorum("frobnicate: yes")), True),
    ("empty_value_unknown_key", conf(quorum=quorum("foo:")), True),
    ("key_with_space", conf(quorum=quorum("my key: 1")), False),
    ("section_with_space", TOTEM + "node list {\n" + node(1) + "}\n" + QUORUM, False),
    ("colon_before_brace", TOTEM + "nodelist: {\n" + node(1) + "}\n" + QUORUM, True),
    ("no_space_before_brace", TOTEM + "nodelist{\n" + node(1) + "}\n" + QUORUM, True),
    ("tab_before_brace", TOTEM + "nodelist\t{\n" + node(1) + "}\n" + QUORUM, True),
    ("comment_after_brace", TOTEM + "nodelist { # nodes\n" + node(1) + "}\n" + QUORUM, False),
    ("comment_after_close", TOTEM + "nodelist {\n" + node(1) + "} # end\n" + QUORUM, False),
    ("two_closes_on_a_line", TOTEM + "nodelist {\n" + node(1) + "} }\n" + QUORUM, False),
    ("unexpected_close", TOTEM + "}\n" + conf(totem=""), False),
    ("missing_close", TOTEM + "nodelist {\n" + node(1) + QUORUM, False),
    ("missing_section_name", conf(after="{\n}\n"), False),
    ("bare_word", conf(after="hello\n"), False),
    ("indented_comment_with_braces", conf(after="   \t# { : }\n"), True),
    ("crlf_line_ends", conf().replace("\n", "\r\n"), True),
    ("top_level_key_3_chars", conf(before="abc: 1\n"), True),
    ("top_level_key_2_chars", conf(before="ab: 1\n"), False),
    ("line_510_chars", conf(quorum=quorum("x: " + "a" * 505)), True),
    ("line_511_chars", conf(quorum=quorum("x: " + "a" * 506)), False),
    ("nul_inside_line", conf(quorum=quorum("x: a\0b")), False),
    ("path_254_chars", conf(after="a" * 250 + " {\n  bcd: 1\n}\n"), True),
    ("path_too_long", conf(after="a" * 252 + " {\n  bcd: 1\n}\n"), False),
    ("nesting_200_levels", conf(after="a {\n" * 200 + "}\n" * 200), False),
    ("nesting_100_levels", conf(after="a {\n" * 100 + "}\n" * 100), True),
    ("ip_version_bad", conf(totem="totem {\n  version: 2\n  ip_version: ipv5\n}\n"), False),
    ("crypto_cipher_bad", conf(totem="totem {\n  version: 2\n  crypto_cipher: rot13\n}\n"), False),
    ("member_other_key", conf(totem="totem {\n  version: 2\n  interface {\n    member {\n"
                                    "      foo: 1\n    }\n  }\n}\n"), False),
    ("logger_subsys_without_subsys", conf(after="logging {\n  logger_subsys {\n    debug: on\n"
                                                "  }\n}\n"), False),
    ("logger_subsys_with_subsys", conf(after="logging {\n  logger_subsys {\n    subsys: QUORUM\n"
                                             "    debug: on\n  }\n}\n"), True),
    ("value_with_colons_and_hash", conf(quorum=quorum("x: a:b # not a comment")), True),
    ("nested_node", conf("  node {\n    nodeid: 1\n    ring0_addr: 127.0.0.1\n    node {\n"
                         "      nodeid: 2\n      ring0_addr: 127.0.0.1\n    }\n  }\n"), True),
    ("udpu_without_nodeid", conf(node(1) + node(None, "127.0.0.2"), totem=TOTEM_UDPU), True),
    ("provider_unknown", conf(quorum="quorum {\n  provider: foo\n}\n"), True),
]

# name -> why quorumsim deliberately differs (the test asserts that it does).
DEVIATIONS = {
    "nested_node": "corosync accepts it but files the inner node's keys under the next node "
                   "number, silently changing the nodelist; quorumsim rejects it",
    "udpu_without_nodeid": "corosync derives the id from the IPv4 address; quorumsim needs "
                           "explicit ids",
    "provider_unknown": "`corosync -t` does not load the quorum provider (a starting corosync "
                        "fails); quorumsim only simulates corosync_votequorum",
}


def corosync_accepts(path):
    proc = subprocess.run(["corosync", "-t", "-c", path], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=30)
    return proc.returncode == 0, proc.stdout.decode(errors="replace").strip()


def ours_accepts(checker, path):
    proc = subprocess.run([checker, path], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=30)
    if proc.returncode not in (0, 1):
        return None, "conf_check exited with %d: %s" % (proc.returncode, proc.stderr.decode())
    return proc.returncode == 0, proc.stdout.decode(errors="replace").strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--conf-check", required=True)
    args = ap.parse_args()
    checker = os.path.abspath(args.conf_check)
    suite = "conf_table"
    if shutil.which("corosync") is None:
        print("corosync is not installed (tools/install-deps.sh installs it)")
        scenario_lib.write_junit(suite, [("corosync present", "corosync is not installed", "")])
        return 1
    assert len({c[0] for c in CASES}) == len(CASES), "duplicate case names"
    cases = []
    work = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
    for name, text, expect_corosync in CASES:
        path = os.path.join(work, name + ".conf")
        with open(path, "wb") as fh:
            fh.write(text.encode("utf-8"))
        real, real_out = corosync_accepts(path)
        ours, ours_out = ours_accepts(checker, path)
        want_ours = (not real) if name in DEVIATIONS else real
        problems = []
        if real != expect_corosync:
            problems.append("corosync -t %s it, the table says it %s" % (
                "accepts" if real else "rejects", "accepts" if expect_corosync else "rejects"))
        if ours is None or ours != want_ours:
            problems.append("quorumsim %s it, expected it to %s" % (
                {True: "accepts", False: "rejects", None: "failed on"}[ours],
                "accept" if want_ours else "reject"))
        output = "corosync -t: %s\nquorumsim: %s" % (real_out or "(accepted)", ours_out)
        if name in DEVIATIONS:
            output += "\ndeviation: " + DEVIATIONS[name]
        failure = "; ".join(problems) if problems else None
        print("%-32s %s  corosync=%s quorumsim=%s" % (
            name, "FAIL" if failure else "ok  ", "accept" if real else "reject",
            {True: "accept", False: "reject", None: "error"}[ours]))
        if failure:
            print("    " + failure + "\n    " + output.replace("\n", "\n    "))
        cases.append((name, failure, output))
    shutil.rmtree(work, ignore_errors=True)
    scenario_lib.write_junit(suite, cases)
    failed = sum(1 for _, f, _ in cases if f)
    print("%d cases, %d failed" % (len(cases), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
