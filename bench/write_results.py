#!/usr/bin/env python3
"""Writes bench/RESULTS.md (standard output) from the JSON in bench/results/ that
tools/bench.sh produced: the machine, the commands, every figure, the issue's goals and
bench/NOTES.md (the hand-written analysis of where the time goes)."""
import argparse
import datetime
import json
import os
import platform
import subprocess

GOALS = "bench/NOTES.md"


def load(results, name):
    path = os.path.join(results, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def medians(doc, prefix):
    out = {}
    for b in (doc or {}).get("benchmarks", []):
        if not b["name"].startswith(prefix):
            continue
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        out[b.get("run_name", b["name"])] = b
    return out


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True).stdout.strip()
    except OSError:
        return "?"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def fmt_time(seconds):
    if seconds >= 1e-3:
        return "%.2f ms" % (seconds * 1e3)
    if seconds >= 1e-6:
        return "%.2f µs" % (seconds * 1e6)
    return "%.1f ns" % (seconds * 1e9)


def yes(ok):
    return "met" if ok else "**not met**"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", default="bench/results")
    ap.add_argument("--reps", default="3")
    args = ap.parse_args()
    r = args.results
    trans = medians(load(r, "transition_bench.json"), "BM_SplitJoin/")
    mem = medians(load(r, "transition_bench.json"), "BM_ClusterMemory/")
    disp = medians(load(r, "dispatch_bench.json"), "BM_")
    eng = medians(load(r, "engine_bench.json"), "BM_")
    script = medians(load(r, "script_bench.json"), "BM_")
    harness = medians(load(r, "callback_bench_example.json"), "BM_")
    harness_real = medians(load(r, "callback_bench_corosync.json"), "BM_")
    rtrip = load(r, "corosync_roundtrip.json") or {}
    sbs = (load(r, "side_by_side.json") or {}).get("side_by_side", [])
    pm = load(r, "peak_memory.json") or {}
    pm_before = load(r, "peak_memory_before.json") or {}
    ctx = (load(r, "transition_bench.json") or {}).get("context", {})

    out = []
    p = out.append
    p("# Benchmark results\n")
    p("Written by `tools/bench.sh` (do not edit by hand; the analysis at the end is "
      "`bench/NOTES.md`). Benchmarks report medians of %s repetitions of CPU time; "
      "the machine is shared, so wall-clock figures are noisy and CPU time is the one to "
      "compare.\n" % args.reps)
    p("## Machine\n")
    p("| | |\n|---|---|")
    p("| date | %s |" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    p("| system | %s |" % sh("uname -srm"))
    p("| CPU | %s, %s cores visible (`nproc`), shared with other jobs |" % (cpu_model(), sh("nproc")))
    p("| load average at the end | %s |" % sh("cut -d' ' -f1-3 /proc/loadavg"))
    p("| compiler | %s, `bazel build -c opt` (-O2) |" % sh("gcc --version | head -1"))
    p("| Google Benchmark | Debian libbenchmark %s (library built %s) |" % (
        sh("dpkg-query -W -f='${Version}' libbenchmark-dev"), ctx.get("library_build_type", "?")))
    p("| corosync-vqsim | %s |" % sh("dpkg-query -W -f='${Version}' corosync-vqsim"))
    p("")
    p("## Commands\n")
    p("```sh\ntools/bench.sh    # all of the below, then bench/plot.py and this file\n"
      "bazel run -c opt //bench:transition_bench   # split/join against cluster size, "
      "allocations, bytes per node\n"
      "bazel run -c opt //bench:dispatch_bench     # callbacks through votequorum_dispatch, "
      "setexpected round trip\n"
      "bazel run -c opt //bench:engine_bench       # callbacks into a ClientSink (C++)\n"
      "bazel run -c opt //bench:script_bench       # whole scenario scripts in process\n"
      "bench/corosync_roundtrip.sh bazel-bin/api/libvotequorum.so.8 "
      "bazel-bin/bench/callback_bench_example DIR   # real corosync (root)\n"
      "bench/side_by_side.py --quorumsim bazel-bin/quorumsim --runs 7 --out FILE.json\n"
      "bench/peak_memory.py --quorumsim bazel-bin/quorumsim --out FILE.json\n```\n")

    # ---- goals ----
    p("## Goals of issue 10\n")
    p("| Goal | Target | Measured | |\n|---|---|---|---|")
    five = next((x for x in sbs if x["nodes"] == 5), None)
    if five:
        p("| whole process, 400-command 5-node script, wall | ≥ 1000× corosync-vqsim | %.0f× |"
          " %s |" % (five["wall_ratio"], yes(five["wall_ratio"] >= 1000)))
        p("| same, CPU | ≥ 100× | %.0f× | %s |" % (five["cpu_ratio"], yes(five["cpu_ratio"] >= 100)))
    t5 = trans.get("BM_SplitJoin/5")
    if t5:
        p("| CPU per settled transition, 5 nodes | ≤ 1 µs | %s | %s |" % (
            fmt_time(t5["s_per_transition"]), yes(t5["s_per_transition"] <= 1e-6)))
    t384 = trans.get("BM_SplitJoin/384")
    if t384:
        per_sj = 2 * t384["s_per_transition"]
        p("| 384 nodes: cost per delivery | ≤ 10 ns | %s (%d deliveries per split+join) | %s |" % (
            fmt_time(t384["s_per_delivery"]), t384["deliveries_per_iter"],
            yes(t384["s_per_delivery"] <= 10e-9)))
        p("| 384 nodes: split+join | ≤ 3 ms | %s | %s |" % (fmt_time(per_sj), yes(per_sj <= 3e-3)))
    many = disp.get("BM_Dispatch/handles_per_node:64/one:0/fd:0")
    one = disp.get("BM_Dispatch/handles_per_node:1/one:0/fd:0")
    if many and one:
        p("| votequorum_dispatch CS_DISPATCH_ALL, many handles | ≥ 20 M/s | %.1f M/s (dispatch "
          "alone), %.2f M/s (with the churn) | %s |" % (many["dispatch_cb_per_s"] / 1e6,
                                                       many["items_per_second"] / 1e6,
                                                       yes(many["dispatch_cb_per_s"] >= 20e6)))
        p("| same, one handle per node | ≥ 10 M/s | %.1f M/s (dispatch alone), %.2f M/s (with "
          "the churn) | %s |" % (one["dispatch_cb_per_s"] / 1e6, one["items_per_second"] / 1e6,
                                 yes(one["dispatch_cb_per_s"] >= 10e6)))
    rt = disp.get("BM_SetExpectedRoundTrip")
    summ = rtrip.get("summary", {})
    ratio = summ.get("ratio/dispatch")
    if ratio:
        real, sim = summ["corosync/dispatch"], summ["simulator/dispatch"]
        p("| setexpected round trip vs the real daemon | ≥ 500× | %.0f× (median %s on corosync, "
          "%s on the simulator, same binary; %.0f× waiting in poll()) | %s |" % (
              ratio["median"], fmt_time(real["median_s"]), fmt_time(sim["median_s"]),
              summ["ratio/poll"]["median"], yes(ratio["median"] >= 500)))
    elif rt:
        p("| setexpected round trip vs the real daemon | ≥ 500× | %s per round trip on the "
          "simulator; the real daemon was not measured (%s) | not measured |"
          % (fmt_time(1 / rt["items_per_second"]), rtrip.get("skipped", "no result")))
    rows = pm.get("peak_memory", [])
    if rows:
        p("| 200k-command script peaks within 1.5× of a 10k one | ≤ 1.5× | %.2f× (%d KB vs %d KB)"
          " | %s |" % (pm["ratio_longest_to_shortest"], rows[-1]["max_rss_kb"],
                       rows[0]["max_rss_kb"], yes(pm["ratio_longest_to_shortest"] <= 1.5)))
    m384 = mem.get("BM_ClusterMemory/384/iterations:1")
    if m384:
        p("| bytes per simulated node at 384 nodes | stated | %.1f KB | stated |"
          % (m384["bytes_per_node"] / 1024))
    p("")

    # ---- transitions ----
    p("## Transitions against cluster size\n")
    p("`//bench:transition_bench`, BM_SplitJoin/N: the upper half of N nodes moves to "
      "partition 1 and back, each until settled (two transitions per iteration). Allocations "
      "are operator new calls counted in steady state.\n")
    p("![transitions](transitions.png)\n")
    p("| nodes | CPU per transition | deliveries per transition | CPU per delivery | "
      "allocations per transition |\n|---:|---:|---:|---:|---:|")
    for b in sorted(trans.values(), key=lambda b: b["nodes"]):
        p("| %d | %s | %d | %s | %.3g |" % (b["nodes"], fmt_time(b["s_per_transition"]),
                                           b["deliveries_per_iter"] / 2,
                                           fmt_time(b["s_per_delivery"]),
                                           b["allocs_per_transition"]))
    p("")
    p("## Memory\n")
    p("Heap in use per node after start, a split and a join (`BM_ClusterMemory`, glibc "
      "mallinfo2):\n")
    p("| nodes | bytes per node |\n|---:|---:|")
    for b in sorted(mem.values(), key=lambda b: b["nodes"]):
        p("| %d | %.0f |" % (b["nodes"], b["bytes_per_node"]))
    p("")
    if rows:
        p("Peak memory (max RSS of the `quorumsim` command) against script length, 16 nodes, "
          "split/join commands (`bench/peak_memory.py`):\n")
        p("![peak memory](peak_memory.png)\n")
        p("| commands | max RSS | CPU |\n|---:|---:|---:|")
        for x in rows:
            p("| %d | %.1f MB | %.2f s |" % (x["commands"], x["max_rss_kb"] / 1024, x["cpu_s"]))
        for x in pm_before.get("peak_memory", []):
            p("| %d (before issue 10) | %.1f MB | %.2f s |" % (x["commands"],
                                                              x["max_rss_kb"] / 1024, x["cpu_s"]))
        p("")

    # ---- callbacks ----
    p("## Callbacks\n")
    p("`//bench:dispatch_bench`: three nodes built with `quorumsim_cluster_create`, tracking "
      "handles (CS_TRACK_CHANGES) on every node; each iteration runs `split 1:3` and `join 0 1` "
      "with `quorumsim_cluster_run` and drains every handle with `votequorum_dispatch` after "
      "each (two callbacks per handle per drain). \"dispatch alone\": each drain is timed "
      "with CLOCK_MONOTONIC and the median drain's time per callback is reported (drains in "
      "which the process was preempted drop out). \"descriptor taken\": every handle called "
      "`votequorum_fd_get`, so the library keeps its eventfd in step (system calls).\n")
    p("| handles per node | mode | descriptor taken | callbacks per iteration | callbacks/s, "
      "dispatch alone | ns per dispatch call | callbacks/s with the churn |\n"
      "|---:|---|---|---:|---:|---:|---:|")
    for name, b in sorted(disp.items()):
        if not name.startswith("BM_Dispatch/"):
            continue
        per = name.split("handles_per_node:")[1].split("/")[0]
        mode = "CS_DISPATCH_ONE_NONBLOCKING" if "/one:1" in name else "CS_DISPATCH_ALL"
        fd = "yes" if name.endswith("fd:1") else "no"
        p("| %s | %s | %s | %.0f | %.1f M | %.0f | %.2f M |" % (
            per, mode, fd, b["callbacks_per_iter"], b["dispatch_cb_per_s"] / 1e6,
            b.get("dispatch_ns_per_call", 0), b["items_per_second"] / 1e6))
    backlog = [b for n, b in sorted(disp.items()) if n.startswith("BM_DispatchBacklog/")]
    for b in backlog:
        p("\n`BM_DispatchBacklog`: one handle, %.0f callbacks queued, one CS_DISPATCH_ALL: "
          "%.1f M callbacks/s (%.0f ns per call)." % (b["callbacks_per_call"],
                                                      b["dispatch_cb_per_s"] / 1e6,
                                                      b["dispatch_ns_per_call"]))
    if rt:
        p("\n`BM_SetExpectedRoundTrip`: `votequorum_setexpected` on node 1 of three, then "
          "`votequorum_dispatch` until the expected-votes callback: %s per round trip.\n"
          % fmt_time(1 / rt["items_per_second"]))
    for name, b in sorted(eng.items()):
        p("- `%s` (C++ ClientSink, no C API): %.2f M callbacks/s" % (name, b["items_per_second"] / 1e6))
    p("")
    if harness:
        p("## Callback harness (`bench/callback_bench.h`, example `//bench:callback_bench_example`)\n")
        p("Five nodes (membership) or three (requests); the example's callbacks stand in for "
          "a user's. vms = virtual milliseconds.\n")
        p("| benchmark | callbacks/s | callbacks per change | vms change→callback | "
          "vms ring→callback |\n|---|---:|---:|---:|---:|")
        for name, b in sorted(harness.items()):
            p("| %s | %.2f M | %.2f | %.0f | %s |" % (
                name, b["items_per_second"] / 1e6, b["callbacks_per_change"],
                b.get("vms_change_to_cb", 0),
                "%.1f" % b["vms_ring_to_cb"] if "vms_ring_to_cb" in b else "–"))
        p("")
    if harness_real:
        p("The same program with `QUORUMSIM_BACKEND=corosync` against the real single-node "
          "corosync of `bench/corosync_roundtrip.sh` (one node with two votes; the loop waits "
          "for each change's callbacks in poll()). Most of the time is the daemon's and the "
          "wait, so the wall-clock rate is the one to compare:\n")
        p("| benchmark | callbacks per wall second | callbacks per change | µs change→callback "
          "| simulator, callbacks per wall second |\n|---|---:|---:|---:|---:|")
        for name, b in sorted(harness_real.items()):
            sim = harness.get(name, {})
            p("| %s | %.1f k | %.2f | %.0f | %s |" % (
                name, b["wall_callbacks_per_s"] / 1e3, b["callbacks_per_change"],
                b["us_change_to_cb"],
                "%.2f M" % (sim["wall_callbacks_per_s"] / 1e6) if "wall_callbacks_per_s" in sim
                else "–"))
        p("")
    if summ:
        p("## setexpected round trip against a real corosync (`bench/corosync_roundtrip.sh`)\n")
        p("One unmodified client binary (`bench/setexpected_roundtrip.c`, built with `cc "
          "-lvotequorum`) alternates `votequorum_setexpected(3)` and `(2)` on a one-node "
          "cluster with two votes and waits for the expected-votes callback each time, either "
          "in `votequorum_dispatch(CS_DISPATCH_ONE)` or in poll() on the descriptor followed "
          "by CS_DISPATCH_ALL. The daemon is %s, started as root in private network and mount "
          "namespaces as `tests/api/conformance_test.sh` starts it; runs interleaved, medians "
          "of %d runs. Daemon CPU is its whole CPU time during the run (it spends %.1f ms per "
          "second idle).\n" % (rtrip.get("corosync", "?"),
                               summ.get("corosync/dispatch", {}).get("runs", 0),
                               rtrip.get("idle_daemon_cpu_s_per_s", 0) * 1e3))
        p("| library | wait | round trips per run | median round trip | mean | client CPU "
          "per round trip | daemon CPU per round trip |\n|---|---|---:|---:|---:|---:|---:|")
        names = {"corosync": "corosync's libvotequorum", "via_quorumsim":
                 "quorumsim's, QUORUMSIM_BACKEND=corosync", "simulator": "quorumsim's, simulator"}
        for key in ("corosync", "via_quorumsim", "simulator"):
            for wait in ("dispatch", "poll"):
                x = summ.get("%s/%s" % (key, wait))
                if x:
                    p("| %s | %s | %d | %s | %s | %s | %s |" % (
                        names[key], wait, x["round_trips_per_run"], fmt_time(x["median_s"]),
                        fmt_time(x["mean_s"]), fmt_time(x["client_cpu_s"]),
                        fmt_time(x["daemon_cpu_s"]) if key != "simulator" else "–"))
        for wait in ("dispatch", "poll"):
            x = summ.get("ratio/" + wait)
            if x:
                p("\nRatio (%s): %.0f× in median round trip, %.0f× in mean, %.0f× in CPU "
                  "(client + daemon against client)." % (wait, x["median"], x["mean"], x["cpu"]))
        p("")
    elif rtrip.get("skipped"):
        p("## setexpected round trip against a real corosync\n")
        p("Not measured: %s.\n" % rtrip["skipped"])
    if script:
        p("## Whole scripts in process (`//bench:script_bench`)\n")
        p("| script | CPU per run |\n|---|---:|")
        for name, b in sorted(script.items()):
            unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1}[b.get("time_unit", "ns")]
            p("| %s | %s |" % (name, fmt_time(b["cpu_time"] * unit)))
        p("")

    # ---- side by side ----
    if sbs:
        p("## Side by side with corosync-vqsim\n")
        p("`bench/side_by_side.py`: the same %d-command script (vq-five-node-split's `split`, "
          "`down 3`, `join 0 1`, `up 3`, repeated) on standard input of each whole process, runs "
          "alternating, medians of %d. CPU = user + system of the process and the children it "
          "reaped.\n" % (sbs[0]["commands"], sbs[0]["runs"]))
        p("![side by side](side_by_side.png)\n")
        p("| nodes | quorumsim wall | quorumsim CPU | vqsim wall | vqsim CPU | wall ratio | "
          "CPU ratio |\n|---:|---:|---:|---:|---:|---:|---:|")
        for x in sbs:
            p("| %d | %.2f ms | %.2f ms | %.0f ms | %.0f ms | %.0f× | %.0f× |" % (
                x["nodes"], x["quorumsim_wall_s"] * 1e3, x["quorumsim_cpu_s"] * 1e3,
                x["vqsim_wall_s"] * 1e3, x["vqsim_cpu_s"] * 1e3, x["wall_ratio"], x["cpu_ratio"]))
        p("")
    if os.path.exists(GOALS):
        with open(GOALS) as f:
            p(f.read())
    print("\n".join(out))


if __name__ == "__main__":
    main()
