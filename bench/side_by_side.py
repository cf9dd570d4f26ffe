#!/usr/bin/env python3
"""Whole-process timing of quorumsim against corosync-vqsim on the same script, in one run.

The script is vq-five-node-split.vqsim's pattern repeated to 400 commands
(split 1:<upper half>, down 3, join 0 1, up 3). Both programs read it on standard input;
corosync-vqsim runs in a temporary directory because its -c accepts only paths shorter than 8
characters. Wall time: time.monotonic() around the process; CPU time: user + system of the
process and every child it reaped (os.wait4). Runs alternate between the two programs so that
load changes on a shared machine hit both; medians are reported.

  bench/side_by_side.py --quorumsim bazel-bin/quorumsim --runs 7 --out bench/results/side_by_side.json
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time

import bench_common


def script(nodes, commands):
    upper = ",".join(str(i) for i in range(nodes // 2 + 1, nodes + 1))
    cycle = ["split 1:%s" % upper, "down 3", "join 0 1", "up 3"]
    lines = (cycle * (commands // len(cycle) + 1))[:commands]
    return "".join(line + "\n" for line in lines)


def run(argv, text, cwd):
    """(wall seconds, cpu seconds) of one run fed `text` on stdin."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    proc.stdin.write(text.encode())
    proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        return None
    return wall, usage.ru_utime + usage.ru_stime


def run_retrying(argv, text, cwd, failures):
    """corosync-vqsim 3.1.7 occasionally dies (SIGSEGV) on a loaded machine; such a run is
    repeated (up to 3 times) and counted in `failures`."""
    for _ in range(3):
        result = run(argv, text, cwd)
        if result is not None:
            return result
        failures[0] += 1
    raise SystemExit("%s failed 3 times in a row" % argv[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quorumsim", required=True)
    ap.add_argument("--vqsim", default=shutil.which("corosync-vqsim"))
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--commands", type=int, default=400)
    ap.add_argument("--nodes", default="5,16")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if not args.vqsim:
        raise SystemExit("corosync-vqsim is not installed (Debian package corosync-vqsim)")
    quorumsim = os.path.abspath(args.quorumsim)
    results = []
    for nodes in [int(n) for n in args.nodes.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "c.conf"), "w") as f:
                f.write(bench_common.nodelist_conf(nodes))
            text = script(nodes, args.commands)
            q, v = [], []
            q_failures, v_failures = [0], [0]
            for _ in range(args.runs):
                q.append(run_retrying([quorumsim, "-c", "c.conf"], text, tmp, q_failures))
                v.append(run_retrying([args.vqsim, "-c", "c.conf"], text, tmp, v_failures))
        if q_failures[0]:
            raise SystemExit("quorumsim failed on the %d-node script" % nodes)
        row = {"nodes": nodes, "commands": args.commands, "runs": args.runs,
               "vqsim_failed_runs_repeated": v_failures[0]}
        for name, samples in (("quorumsim", q), ("vqsim", v)):
            row[name + "_wall_s"] = statistics.median(s[0] for s in samples)
            row[name + "_cpu_s"] = statistics.median(s[1] for s in samples)
        row["wall_ratio"] = row["vqsim_wall_s"] / row["quorumsim_wall_s"]
        row["cpu_ratio"] = row["vqsim_cpu_s"] / max(row["quorumsim_cpu_s"], 1e-6)
        results.append(row)
        print("%3d nodes: quorumsim wall %.2f ms cpu %.2f ms | vqsim wall %.0f ms cpu %.0f ms | "
              "x%.0f wall, x%.0f cpu" % (nodes, row["quorumsim_wall_s"] * 1e3,
                                         row["quorumsim_cpu_s"] * 1e3, row["vqsim_wall_s"] * 1e3,
                                         row["vqsim_cpu_s"] * 1e3, row["wall_ratio"],
                                         row["cpu_ratio"]))
    with open(args.out, "w") as f:
        json.dump({"side_by_side": results}, f, indent=1)


if __name__ == "__main__":
    main()
