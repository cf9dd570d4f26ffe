"""quorumsim what-if against pcs's stopping_nodes_cause_quorum_loss rule.

Usage: what_if_test.py QUORUMSIM SCENARIO_DIR TEST_DIR

pcs (pcs/lib/corosync/live.py, QuorumStatusFacade) answers "would stopping these nodes lose
quorum?" from `corosync-quorumtool -p` on one node: the votes of the members that are not
stopped, plus the votes of the quorum device line, compared with "Quorum:". quorumsim's
what-if runs the stop on the engine instead. Each case states the engine's answer and whether
pcs's rule agrees; sim/CHECK.md explains every disagreement.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from results import Results  # noqa: E402

RESULTS = Results("what_if")
case = RESULTS.case


def what_if(q, conf, *changes, state=None):
    args = [q, "what-if", conf, "--json"]
    if state:
        args += ["--state", state]
    p = subprocess.run(args + list(changes), capture_output=True, text=True)
    return p, (json.loads(p.stdout) if p.returncode == 0 else None)


# (config, state scenario or None, stop, engine says quorum lost, pcs agrees, why)
CASES = [
    ("three-node.conf", None, "1", False, True, "plain majority: 2 of 3 stay quorate"),
    ("three-node.conf", None, "1,2", True, True, "plain majority: 1 of 3 loses quorum"),
    ("four-node.conf", None, "1,2", True, True, "even split of a plain cluster"),
    ("two-node.conf", None, "2", False, True, "two_node: quorumtool already prints Quorum: 1"),
    ("qdevice.conf", None, "1,2", False, True, "device votes count while the device casts them"),
    # pcs is wrong in these:
    ("qdevice.conf", "qdevice-nocast.vqsim", "1", True, False,
     "pcs adds the device's configured votes even when the device does not cast them"),
    ("atb-lowest.conf", None, "3,4", False, False,
     "auto_tie_breaker keeps the half with the lowest node id quorate; pcs only counts votes"),
    ("atb-lowest.conf", None, "1,2", True, True, "the half without the tie-breaker loses"),
    ("two-node-three.conf", None, "2,3", False, False,
     "two_node's threshold of 1 returns once two or fewer nodes vote; pcs uses today's threshold"),
    ("two-node-atb.conf", None, "2", False, False,
     "two_node with auto_tie_breaker: the tie-breaker node survives alone"),
]


def main():
    q, scen, tdir = sys.argv[1:4]
    for conf, state, stop, lost, agrees, why in CASES:
        name = "%s stop %s%s" % (conf, stop, " from " + state if state else "")
        p, doc = what_if(q, os.path.join(scen, conf), "stop", stop,
                         state=os.path.join(tdir, state) if state else None)
        if doc is None:
            case(name, False, "exit %d: %s" % (p.returncode, p.stderr))
            continue
        case(name + ": engine says quorum_lost=%s (%s)" % (lost, why), doc["quorum_lost"] == lost,
             json.dumps(doc))
        case(name + ": pcs %s" % ("agrees" if agrees else "disagrees"),
             doc["pcs"] is not None and doc["pcs"]["agrees"] == agrees, json.dumps(doc["pcs"]))

    # Other changes: the last_man_standing window lowers expected votes.
    p, doc = what_if(q, os.path.join(scen, "lms.conf"), "crash", "4,5", "wait")
    after = {n["node"]: n for n in doc["after"]} if doc else {}
    case("lms: crash 4,5 then wait past the window lowers expected to 3",
         doc is not None and after[1]["quorate"] and after[1]["highest_expected"] == 3 and doc["pcs"] is None,
         json.dumps(doc))
    p, doc = what_if(q, os.path.join(scen, "three-node.conf"), "cut", "3")
    case("cut 3: the majority side stays quorate",
         doc is not None and not doc["quorum_lost"] and
         [n["quorate"] for n in doc["after"]] == [True, True, False], json.dumps(doc))
    p, doc = what_if(q, os.path.join(scen, "qdevice.conf"), "qdevice", "off")
    case("qdevice off: expected votes stay, quorum holds with 3 of 5",
         doc is not None and doc["quorate_after"] and doc["after"][0]["total_votes"] == 3, json.dumps(doc))

    # Bad input: exit 2, naming the value.
    p, _ = what_if(q, os.path.join(scen, "three-node.conf"), "stop", "9")
    case("unknown node: exit 2 naming it", p.returncode == 2 and "'9'" in p.stderr, p.stderr)
    p, _ = what_if(q, os.path.join(scen, "three-node.conf"), "explode", "1")
    case("unknown change: exit 2", p.returncode == 2 and "explode" in p.stderr, p.stderr)
    p, _ = what_if(q, os.path.join(scen, "three-node.conf"), "qdevice", "off")
    case("qdevice without a device: exit 2", p.returncode == 2 and "quorum.device" in p.stderr, p.stderr)

    return RESULTS.finish()


if __name__ == "__main__":
    sys.exit(main())
