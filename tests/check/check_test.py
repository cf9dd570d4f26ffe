"""quorumsim check: findings, labels, exit codes, JSON schema and scenario replay.

Usage: check_test.py QUORUMSIM SCENARIO_DIR TEST_DIR [--only NAME]

Each case runs `quorumsim check` on a configuration and asserts what the engine must find:
two_node's split-brain labelled as relying on fencing, last_man_standing's as a configuration
hazard naming the option, none for plain majority clusters at K=3. Every scenario file the
check writes is replayed with `quorumsim FILE`, which must exit 0 (every expect line holds),
and a split-brain scenario must end with two quorate nodes with disjoint members.
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from results import Results  # noqa: E402

RESULTS = Results("check")
case = RESULTS.case


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def check(q, conf, *extra, out=None):
    args = [q, "check", conf, "--json"] + list(extra)
    if out:
        args += ["--out", out]
    p = run(args)
    try:
        doc = json.loads(p.stdout) if p.stdout else None
    except json.JSONDecodeError as e:
        doc = None
        print(p.stdout, p.stderr, e)
    return p, doc


def replay_all(q, name, out_dir):
    """Every scenario written must replay with exit 0; split-brain ones show two quorate sides."""
    files = sorted(f for f in os.listdir(out_dir) if f.endswith(".vqsim"))
    case(name + ": scenarios written", len(files) > 0, "none in " + out_dir)
    for f in files:
        path = os.path.join(out_dir, f)
        p = run([q, path])
        case("%s: %s replays with every expect holding" % (name, f), p.returncode == 0,
             "exit %d\n%s%s" % (p.returncode, p.stdout[-2000:], p.stderr[-2000:]))
        text = open(path).read()
        case("%s: %s names its config" % (name, f), text.startswith("# config: "), text[:80])
        if f.startswith("split-brain"):
            expects = [l.split() for l in text.splitlines() if l.startswith("expect ")]
            sides = [set(w[3][len("members="):].split(",")) for w in expects
                     if len(w) >= 4 and w[2] == "quorate=1" and w[3].startswith("members=")]
            disjoint = len(sides) >= 2 and not (sides[0] & sides[1])
            case("%s: %s expects two disjoint quorate partitions" % (name, f), disjoint,
                 str(expects))


def main():
    q, scen, tdir = sys.argv[1:4]
    tmp = tempfile.mkdtemp()

    # two_node: split-brain by design, exit 0 (it relies on fencing), 1 with --strict.
    out = os.path.join(tmp, "two-node")
    p, doc = check(q, os.path.join(scen, "two-node.conf"), out=out)
    case("two_node: exit 0", p.returncode == 0, p.stderr)
    sb = doc["split_brain"] if doc else []
    case("two_node: split-brain found", len(sb) >= 1, str(doc))
    if sb:
        case("two_node: labelled relies_on_fencing", sb[0]["kind"] == "relies_on_fencing", str(sb[0]))
        case("two_node: cause quorum.two_node",
             [c["option"] for c in sb[0]["causes"]] == ["quorum.two_node"], str(sb[0]["causes"]))
        case("two_node: shortest is one step", len(sb[0]["steps"]) == 1, str(sb[0]["steps"]))
    case("two_node: wait_for_all blocks a restart",
         doc and doc["availability"]["wait_for_all"] and doc["availability"]["restart_needed"] == 2
         and doc["availability"]["restart_needed_without_wait_for_all"] == 1, str(doc and doc["availability"]))
    replay_all(q, "two_node", out)
    case("two_node: timeline picture written", sb and sb[0]["timeline"] and os.path.exists(sb[0]["timeline"])
         and os.path.exists(sb[0]["timeline"][:-4] + ".html"), str(sb and sb[0].get("timeline")))
    p, _ = check(q, os.path.join(scen, "two-node.conf"), "--strict")
    case("two_node --strict: exit 1", p.returncode == 1, p.stderr)

    # last_man_standing: a configuration hazard after partition + window + partition.
    out = os.path.join(tmp, "lms")
    p, doc = check(q, os.path.join(scen, "lms.conf"), out=out)
    case("lms: exit 1", p.returncode == 1, p.stderr)
    sb = doc["split_brain"] if doc else []
    hz = [f for f in sb if f["kind"] == "configuration_hazard"]
    case("lms: configuration hazard found", len(hz) >= 1, str(sb))
    if hz:
        case("lms: cause quorum.last_man_standing",
             "quorum.last_man_standing" in [c["option"] for c in hz[0]["causes"]], str(hz[0]))
        case("lms: the sequence crosses the window",
             any(s.startswith("wait ") for s in hz[0]["steps"]), str(hz[0]["steps"]))
    case("lms: best order outlasts the worst",
         doc and doc["availability"]["survive_best"] > doc["availability"]["survive_worst"],
         str(doc and doc["availability"]))
    replay_all(q, "lms", out)

    # 3 nodes x 200 votes: corosync 3.1's 8-bit threshold wraps; one split is enough.
    out = os.path.join(tmp, "big-votes")
    p, doc = check(q, os.path.join(scen, "big-votes.conf"), "--faults", "1", out=out)
    sb = doc["split_brain"] if doc else []
    case("big votes: hazard naming quorum_votes", p.returncode == 1 and len(sb) == 1 and
         sb[0]["kind"] == "configuration_hazard" and
         [c["option"] for c in sb[0]["causes"]] == ["nodelist.node.quorum_votes"], str(sb))
    replay_all(q, "big-votes", out)

    # Plain majority clusters: nothing at K=3, exit 0.
    for conf in ["three-node.conf", "four-node.conf", "five-node.conf"]:
        p, doc = check(q, os.path.join(scen, conf), "--faults", "3")
        case(conf + ": exit 0", p.returncode == 0, p.stderr)
        case(conf + ": no split-brain", doc is not None and doc["split_brain"] == [] and
             doc["exploration"]["mode"] == "exhaustive" and doc["exploration"]["max_faults"] == 3,
             str(doc and doc["split_brain"]))
    p, doc = check(q, os.path.join(scen, "four-node.conf"), "--faults", "1")
    case("four-node: survives 1 failure in any order",
         doc and doc["availability"]["survive_best"] == 1 and doc["availability"]["survive_worst"] == 1
         and doc["availability"]["loss_size"] == 2, str(doc and doc["availability"]))

    # Same input, same bytes.
    a = run([q, "check", os.path.join(scen, "qdevice-two-node.conf"), "--json", "--faults", "2"])
    b = run([q, "check", os.path.join(scen, "qdevice-two-node.conf"), "--json", "--faults", "2"])
    case("deterministic output", a.stdout == b.stdout and a.stdout != "", a.stderr)

    # Bad input: exit 2 and a message naming the file or the value.
    p = run([q, "check", os.path.join(tmp, "missing.conf")])
    case("missing file: exit 2", p.returncode == 2 and "missing.conf" in p.stderr, p.stderr)
    p = run([q, "check", os.path.join(scen, "two-node.conf"), "--faults", "x"])
    case("bad --faults: exit 2 naming the value", p.returncode == 2 and "'x'" in p.stderr, p.stderr)
    bad = os.path.join(tmp, "bad.conf")
    with open(bad, "w") as f:
        f.write("quorum {\n    provider corosync_votequorum\n}\n")
    p = run([q, "check", bad])
    case("bad conf: exit 2 with file:line", p.returncode == 2 and "bad.conf:2" in p.stderr, p.stderr)
    p = run([q, "check", os.path.join(scen, "two-node.conf"), "--master-wins"])
    case("--master-wins without a device: exit 2", p.returncode == 2 and "quorum.device" in p.stderr,
         p.stderr)

    return RESULTS.finish()


if __name__ == "__main__":
    sys.exit(main())
