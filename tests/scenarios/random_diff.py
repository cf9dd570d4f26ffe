#!/usr/bin/env python3
"""Randomized differential test: generate vqsim-language scripts from a seed, run each through the
real corosync-vqsim and through quorumsim, and compare every node's settled quorate flag and member
set after every command (the same comparison as vqsim_diff.py).

Scripts use only what both tools share: `split P:ids` (moves nodes that are up), `join P1 P2`
(two non-empty partitions), `down ID` (one node that is up), `up P:ID` (a node that is down, into
a partition), and, for last_man_standing configs, `wait 1500ms` (a real-time sleep for vqsim) so
that the short window fires at a known point. qdevice configs are never used: corosync-vqsim's
device stalls after any membership change (README, "corosync-vqsim's own defects").

For a mismatch the seed and the whole script are printed, then the script is shrunk: it is cut
after the first differing command, and commands are dropped one at a time as long as the result
is still a valid script and still differs (each try is a real vqsim run; with last_man_standing a
command and its `wait` are dropped together). The minimal script is printed with both tools'
states after its last command. A difference that matches a known corosync-vqsim defect is
reported as KNOWN and does not fail the run; anything else is UNEXPLAINED and fails it. KNOWN
(see classify): the wait_for_all latch re-armed by corosync's are_we_quorate, which vqsim loses
because it has no sync barrier (spec EX-12, scenarios/vq-wfa-rearm.vqsim); a two_node latch
cleared by a quorate partner's NODEINFO after vqsim's premature activation; a node whose
partition's members did not change made quorate by the new ring vqsim gives every partition on
every split/join (real totem forms no ring there; with auto_tie_breaker it resets the previous
ring, otherwise the resent NODEINFOs let an inquorate node adopt a quorate peer's expected votes);
a started node's start-up NODEINFO delivered to its partition before their sync, so the peers it
completes announce QUORATE and it adopts their expected votes (scenarios/vq-lms-startup-nodeinfo).
Also seen and analysed by hand (not auto-classified, because the pattern is too broad to tell
from a quorumsim bug by the states alone; README, "corosync-vqsim's own defects"): a node's own
stale QUORATE NODEINFO processed after vqsim's premature activation (seed 20058,
scenarios/vq-lms-stale-quorate.vqsim).

corosync-vqsim runs in real time (about half a second per command), so this is slow: as a tool,
  random_diff.py --quorumsim bazel-bin/quorumsim --seed 1 --minutes 20      as many as fit
  random_diff.py --quorumsim bazel-bin/quorumsim --seed 7 --count 3         exactly 3 scripts
  random_diff.py --quorumsim bazel-bin/quorumsim --replay SEED              one script again
Script i of a run uses seed SEED+i, so any script can be regenerated with --seed N --count 1.
Writes a JUnit XML (one case per script) to $XML_OUTPUT_FILE when Bazel sets it.
"""

import argparse
import collections
import os
import random
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenario_lib as sl  # noqa: E402
import vqsim_diff as vd  # noqa: E402

# Configs from scenarios/ (no qdevice). A weight makes the commoner shapes more frequent.
CONFIGS = [
    ("three-node.conf", 2), ("four-node.conf", 2), ("five-node.conf", 2), ("eight-node.conf", 2),
    ("weighted.conf", 2), ("two-node.conf", 1), ("two-node-three.conf", 1), ("wfa.conf", 1),
    ("lms-fast.conf", 2), ("atb-lowest.conf", 2), ("atb-highest.conf", 2), ("atb-list.conf", 2),
    ("atb-odd.conf", 1),
]
MAX_PARTITION = 3          # partitions 0..3
LMS_WAIT = "wait 1500ms"   # lms-fast.conf's window is 1000 ms


ConfigInfo = collections.namedtuple("ConfigInfo", "ids wfa lms atb two_node")


def config_info(path):
    """ConfigInfo: node ids in nodelist order, has wait_for_all (incl. two_node), has
    last_man_standing, has auto_tie_breaker, has two_node."""
    ids, opts = [], {}
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.split("#", 1)[0].strip()
            m = re.match(r"nodeid:\s*(\d+)", line)
            if m:
                ids.append(int(m.group(1)))
            m = re.match(r"(wait_for_all|two_node|last_man_standing|auto_tie_breaker):\s*(\d+)",
                         line)
            if m:
                opts[m.group(1)] = int(m.group(2))
    return ConfigInfo(ids=ids, wfa=bool(opts.get("wait_for_all") or opts.get("two_node")),
                      lms=bool(opts.get("last_man_standing")),
                      atb=bool(opts.get("auto_tie_breaker")), two_node=bool(opts.get("two_node")))


class Model:
    """Where each node is: partition number, or None when down. Validates and applies commands."""

    def __init__(self, ids):
        self.where = {n: 0 for n in ids}

    def up_nodes(self):
        return sorted(n for n, p in self.where.items() if p is not None)

    def down_nodes(self):
        return sorted(n for n, p in self.where.items() if p is None)

    def partitions(self):
        parts = {}
        for n, p in self.where.items():
            if p is not None:
                parts.setdefault(p, []).append(n)
        return parts

    def apply(self, cmd):
        """Apply one command; return False (state unspecified) if it is not valid here."""
        words = cmd.split()
        verb, args = words[0], words[1:]
        if verb == "wait":
            return True
        if verb == "split":
            for group in args:
                p, _, ids = group.partition(":")
                for n in map(int, ids.split(",")):
                    if self.where.get(n) is None:
                        return False
                    self.where[n] = int(p)
            return True
        if verb == "join":
            parts = [int(a) for a in args]
            present = self.partitions()
            if len(set(parts)) != len(parts) or any(p not in present for p in parts):
                return False
            for n, p in self.where.items():
                if p in parts:
                    self.where[n] = parts[0]
            return True
        if verb == "down":
            n = int(args[0])
            if self.where.get(n) is None or len(self.up_nodes()) < 2:
                return False
            self.where[n] = None
            return True
        if verb == "up":
            p, _, n = args[0].partition(":")
            n = int(n)
            if n not in self.where or self.where[n] is not None:
                return False
            self.where[n] = int(p)
            return True
        return False


def valid(ids, commands):
    model = Model(ids)
    return all(model.apply(c) for c in commands)


def generate(rng, ids, lms, length):
    model = Model(ids)
    cmds = []
    while len(cmds) < length:
        choices = []
        up, down, parts = model.up_nodes(), model.down_nodes(), model.partitions()
        if up:
            choices += ["split"] * 4
        if len(parts) >= 2:
            choices += ["join"] * 3
        if len(up) >= 2:
            choices += ["down"] * 2
        if down:
            choices += ["up"] * 2
        verb = rng.choice(choices)
        if verb == "split":
            k = rng.randint(1, max(1, len(up) // 2 + 1))
            moved = sorted(rng.sample(up, k))
            target = rng.randint(0, MAX_PARTITION)
            if all(model.where[n] == target for n in moved):
                target = (target + 1) % (MAX_PARTITION + 1)
            groups = {target: moved}
            rest = [n for n in up if n not in moved]
            if rest and rng.random() < 0.25:   # sometimes a second group in the same command
                second = (target + rng.randint(1, MAX_PARTITION)) % (MAX_PARTITION + 1)
                groups[second] = sorted(rng.sample(rest, rng.randint(1, len(rest))))
            cmd = "split " + " ".join("%d:%s" % (p, ",".join(map(str, g))) for p, g in groups.items())
        elif verb == "join":
            names = sorted(parts)
            chosen = rng.sample(names, 3 if len(names) >= 3 and rng.random() < 0.2 else 2)
            cmd = "join " + " ".join(map(str, chosen))
        elif verb == "down":
            cmd = "down %d" % rng.choice(up)
        else:
            target = rng.choice(sorted(parts) + [rng.randint(0, MAX_PARTITION)])
            cmd = "up %d:%d" % (target, rng.choice(down))
        assert model.apply(cmd), cmd
        cmds.append(cmd)
        if lms:
            # vqsim's membership changes are instant while quorumsim's take corosync's detection
            # time (longer than the 1 s window), so the window must expire before the next change.
            cmds.append(LMS_WAIT)
    return cmds


def run_pair(vqsim, quorumsim, config, commands, settle):
    """Both tools over the script: [(step, command, vqsim state, quorumsim state)], step 0 = start."""
    scn = sl.Scenario.from_commands(config, commands)
    vq_init, vq_steps = sl.vqsim_states(vqsim, scn, settle=settle)
    qs_init, qs_steps = sl.quorumsim_states(quorumsim, scn)
    steps = [(0, "(start)", vq_init, qs_init)]
    steps += [(a[0], a[1], a[2], b[2]) for a, b in zip(vq_steps, qs_steps)]
    return steps


def first_difference(steps):
    for step, cmd, vq, qs in steps:
        diffs = vd.compare(vq, qs)
        if diffs:
            return step, diffs
    return None, []


def classify(info, steps, step):
    """'KNOWN: ...' if the difference at `step` matches a known corosync-vqsim defect, else None.
    Each pattern is narrow enough that corosync's code decides the real outcome on its own."""
    _, cmd, vq, qs = steps[step]
    if set(vq) != set(qs):
        return None
    differing = [n for n in vq if vq[n][:2] != qs[n][:2]]
    if not differing or any(vq[n][1] != qs[n][1] for n in differing):
        return None
    if info.wfa and all(vq[n][0] == 1 and qs[n][0] == 0 for n in differing):
        return ("KNOWN: wait_for_all latch re-armed after an inquorate verdict (spec 4.3, EX-12); "
                "vqsim has no sync barrier and reports quorate (see scenarios/vq-wfa-rearm.vqsim)")
    if step == 0:
        return None
    verb = cmd.split()[0]
    _, _, pvq, pqs = steps[step - 1]
    # vqsim's split/join gives every partition a new ring (cmd_update_all_partitions(1)), so the
    # nodes of a partition whose members did not change run a new sync: votequorum_sync_init sets
    # previous_quorum_members to the unchanged list (are_we_quorate's ATB test, the left-node
    # count and check_auto_tie_breaker's list walk, then pass), and every node resends NODEINFO
    # with its current flags, so an inquorate node adopts a quorate peer's expected votes
    # (message_handler_req_exec_votequorum_nodeinfo). A real cluster forms no ring for such a
    # partition: no sync, no message reaches its nodes, and their verdict cannot change. Matched
    # only in the inquorate -> quorate direction, which no timer can produce either
    # (votequorum_last_man_standing_timer_fn recalculates only while quorate; qdevice configs
    # are not generated).
    if (verb in ("split", "join")
            and all(n in pvq and n in pqs for n in differing)
            and all(vq[n][0] == 1 and qs[n][0] == 0 and pvq[n][0] == 0 and pqs[n][0] == 0
                    and vq[n][1] == pvq[n][1] == pqs[n][1] for n in differing)):
        return ("KNOWN: vqsim gave a partition whose members did not change a new ring (a new "
                "sync: auto_tie_breaker's previous-ring members reset, NODEINFOs resent with "
                "current flags); a real cluster forms no ring there (README, corosync-vqsim's own "
                "defects)")
    # `up N` next to peers that were inquorate and turn quorate with N's vote. A started node's
    # first ring is its own (totem's memb_join_process agrees on it as soon as the node's own
    # join comes back), so the NODEINFO that votequorum_exec_init_fn sends at start-up is
    # delivered only to N; in the next ring every peer's NODEINFO carries its previous verdict,
    # inquorate, so N keeps its own expected votes. vqsim has no rings: it delivers that start-up
    # NODEINFO to the partition `up` put N in, a peer turns quorate before its own sync step and
    # announces QUORATE with its (e.g. last_man_standing-lowered) expected votes, and N adopts
    # them (message_handler_req_exec_votequorum_nodeinfo). Traced in
    # scenarios/vq-lms-startup-nodeinfo.vqsim.
    if verb == "up" and len(differing) == 1:
        n = differing[0]
        members = vq[n][1]
        others = members - {n}
        if (n not in pvq and cmd.split()[1].rpartition(":")[2] == str(n)
                and vq[n][0] == 1 and qs[n][0] == 0 and others
                and all(m in pvq and m in pqs and pvq[m][0] == pqs[m][0] == 0
                        and pvq[m][1] == pqs[m][1] == others
                        and vq[m][:2] == qs[m][:2] and qs[m][0] == 1 for m in others)):
            return ("KNOWN: vqsim delivered the started node's start-up NODEINFO to its partition "
                    "before their sync, so a peer announced QUORATE with its lower expected votes "
                    "and the started node adopted them; corosync delivers it only in the node's "
                    "own first ring (scenarios/vq-lms-startup-nodeinfo.vqsim)")
    # Node N meets a two_node partner M that was quorate (N started by `up`, or moved next to M
    # by a split/join), so both have a new ring {M, N}. M's NODEINFO (QUORATE, no WFASTATUS)
    # clears N's wait_for_all latch, but message_handler_req_exec_votequorum_nodeinfo clears it
    # after its recalculation. corosync's sync barrier then runs votequorum_sync_activate
    # (recalculate_quorum) after every NODEINFO, and with two_node and 2 members the threshold is
    # 1, so N is quorate in every delivery order. vqsim activates each node right after its own
    # process step, so when M's NODEINFO arrives last nothing recalculates and N stays inquorate
    # (a node started by vqsim activates twice, for its initial one-node sync and for its
    # partition's; under load the second can come after the settle time, so the result is racy).
    if info.two_node and verb in ("up", "split", "join") and len(differing) == 1:
        n = differing[0]
        members = vq[n][1]
        others = [m for m in members if m != n]
        if n in pvq:
            new_ring = verb != "up" and pvq[n][1] != members
        else:
            new_ring = verb == "up" and cmd.split()[1].rpartition(":")[2] == str(n)
        if (new_ring and len(members) == 2 and vq[n][0] == 0 and qs[n][0] == 1
                and all(m in pvq and m in pqs and pvq[m][0] == pqs[m][0] == 1
                        and vq[m][:2] == qs[m][:2] and vq[m][0] == 1 for m in others)):
            return ("KNOWN: two_node wait_for_all latch cleared by a quorate peer's NODEINFO after "
                    "the node's last recalculation; vqsim has no sync barrier and ran no "
                    "activation after it (or not yet: racy under load), so the node shows "
                    "inquorate")
    return None


def without(commands, i, lms):
    """commands minus the one at i. With last_man_standing each membership change keeps the
    `wait` that follows it and goes with it (see generate), and a wait is never dropped alone:
    without it the window would still be open at the next change in vqsim's real time but
    long closed in quorumsim's (membership detection takes longer than the window)."""
    if not lms:
        return commands[:i] + commands[i + 1:]
    if commands[i] == LMS_WAIT:
        return None
    j = i + 2 if i + 1 < len(commands) and commands[i + 1] == LMS_WAIT else i + 1
    return commands[:i] + commands[j:]


def shrink(vqsim, quorumsim, config, info, commands, settle, deadline):
    """Smallest script (by greedy one-at-a-time removal) whose run still differs somewhere,
    cut after its first differing command. Returns (commands, steps)."""
    steps = run_pair(vqsim, quorumsim, config, commands, settle)
    step, _ = first_difference(steps)
    if step is None:
        return None, steps   # did not reproduce
    commands = commands[:step]
    changed = True
    while changed and time.monotonic() < deadline:
        changed = False
        for i in range(len(commands) - 1, -1, -1):
            if time.monotonic() >= deadline:
                break
            cand = without(commands, i, info.lms)
            if cand is None or not valid(info.ids, cand):
                continue
            cand_steps = run_pair(vqsim, quorumsim, config, cand, settle)
            s, _ = first_difference(cand_steps)
            if s is not None:
                commands, steps, changed = cand[:s], cand_steps[:s + 1], True
                break
    return commands, steps[:len(commands) + 1]


def describe(steps, upto=None):
    out = []
    for step, cmd, vq, qs in steps[:upto]:
        diffs = vd.compare(vq, qs)
        out.append("  step %d %-24s %s" % (step, cmd, "DIFFERENT" if diffs else "same"))
        if diffs:
            out += ["      " + d for d in diffs]
            out.append("    vqsim:\n" + vd.fmt_state(vq, "      "))
            out.append("    quorumsim:\n" + vd.fmt_state(qs, "      "))
    return "\n".join(out)


def one_script(seed, args, vqsim, config_dir):
    rng = random.Random(seed)
    names, weights = zip(*CONFIGS)
    name = rng.choices(names, weights)[0]
    config = os.path.join(config_dir, name)
    info = config_info(config)
    commands = generate(rng, info.ids, info.lms, rng.randint(args.min_len, args.max_len))
    header = "seed %d config %s: %s" % (seed, name, " | ".join(commands))
    steps = run_pair(vqsim, args.quorumsim, config, commands, args.settle)
    step, diffs = first_difference(steps)
    if step is None:
        return None, False, header + "\n  same after all %d steps" % len(steps)
    report = [header, "  first difference at step %d `%s`:" % (step, steps[step][1])]
    report += ["    " + d for d in diffs]
    if args.no_shrink or step == 0:
        minimal, msteps = commands[:step], steps[:step + 1]
    else:
        minimal, msteps = shrink(vqsim, args.quorumsim, config, info, commands[:step], args.settle,
                                 time.monotonic() + args.shrink_seconds)
        if minimal is None:
            report.append("  did NOT reproduce on a second vqsim run (timing); not counted")
            return None, False, "\n".join(report)
    known = classify(info, msteps, len(minimal))
    report.append("  minimal script (%d commands, config %s):" % (len(minimal), name))
    report += ["    " + c for c in minimal] or ["    (none: differs at start)"]
    report.append(describe(msteps))
    report.append("  " + (known or "UNEXPLAINED: analyse against the spec and corosync's source"))
    return ("seed %d: %s" % (seed, known or "unexplained difference")), bool(known), "\n".join(report)


def main():
    ap = argparse.ArgumentParser(description="randomized differential test against corosync-vqsim")
    ap.add_argument("--quorumsim", required=True, help="path of the quorumsim binary")
    ap.add_argument("--scenario-dir", help="directory holding the configs (default: <repo>/scenarios)")
    ap.add_argument("--vqsim", default=None, help="path of corosync-vqsim (default: from PATH)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the first script (script i: SEED+i)")
    ap.add_argument("--count", type=int, default=None, help="number of scripts")
    ap.add_argument("--minutes", type=float, default=None,
                    help="stop starting new scripts after this much wall time")
    ap.add_argument("--replay", type=int, metavar="SEED", help="run the one script of this seed")
    ap.add_argument("--min-len", type=int, default=5)
    ap.add_argument("--max-len", type=int, default=10)
    ap.add_argument("--settle", type=float, default=0.3,
                    help="seconds of real time corosync-vqsim gets after each command")
    ap.add_argument("--no-shrink", action="store_true")
    ap.add_argument("--shrink-seconds", type=float, default=180.0,
                    help="wall-time bound on shrinking one mismatch")
    args = ap.parse_args()

    vqsim = args.vqsim or sl.find_vqsim()
    if not vqsim or not os.access(vqsim, os.X_OK):
        return sl.fail_without_vqsim(
            "random_diff",
            "FATAL: corosync-vqsim is not installed; the randomized differential test cannot run.")
    config_dir = args.scenario_dir or os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                   "..", "..", "scenarios")
    if args.replay is not None:
        seeds = iter([args.replay])
    elif args.count is not None:
        seeds = iter(range(args.seed, args.seed + args.count))
    else:
        seeds = iter(range(args.seed, args.seed + 10 ** 9))
    stop_at = time.monotonic() + args.minutes * 60 if args.minutes else None

    cases, known_count, bad = [], 0, []
    for seed in seeds:
        if stop_at and time.monotonic() >= stop_at:
            break
        try:
            summary, known, report = one_script(seed, args, vqsim, config_dir)
        except Exception as exc:  # a crash of either tool is a failure, never a skip
            summary, known, report = "seed %d: %s" % (seed, exc), False, str(exc)
        print(report, flush=True)
        if summary and known:
            known_count += 1
        elif summary:
            bad.append(summary)
        cases.append(("seed %d" % seed, None if (not summary or known) else summary, report))

    print("random_diff: %d scripts (seeds %d..%d), %d same, %d known vqsim defects, %d unexplained"
          % (len(cases), args.replay if args.replay is not None else args.seed,
             (args.replay if args.replay is not None else args.seed) + max(len(cases) - 1, 0),
             len(cases) - known_count - len(bad), known_count, len(bad)))
    for b in bad:
        print("  " + b)
    sl.write_junit("random_diff", cases)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
