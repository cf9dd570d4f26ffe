#!/usr/bin/env python3
"""Turns the JSON that tools/bench.sh writes (bench/results/*.json) into log-log PNG plots in
bench/. Needs matplotlib (Debian: python3-matplotlib; tools/bench.sh checks for it).

  bench/plot.py bench/results bench
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402


def load(results, name):
    with open(os.path.join(results, name)) as f:
        return json.load(f)


def medians(doc, prefix):
    """name -> benchmark entry: the median aggregate when repetitions ran, else the run."""
    out = {}
    for b in doc["benchmarks"]:
        if not b["name"].startswith(prefix):
            continue
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        out[b.get("run_name", b["name"])] = b
    return out


def plot_transitions(results, outdir):
    rows = sorted(medians(load(results, "transition_bench.json"), "BM_SplitJoin/").values(),
                  key=lambda b: b["nodes"])
    nodes = [b["nodes"] for b in rows]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.loglog(nodes, [b["s_per_transition"] * 1e6 for b in rows], "o-",
              label="CPU per settled transition (µs)")
    ax.loglog(nodes, [b["s_per_delivery"] * 1e9 for b in rows], "s-",
              label="CPU per message delivery (ns)")
    ax.loglog(nodes, [b["deliveries_per_iter"] / 2 for b in rows], "^--",
              label="deliveries per transition")
    ax.set_xlabel("cluster size (nodes)")
    ax.set_title("Split/join transitions against cluster size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(outdir, "transitions.png"), dpi=100)


def plot_side_by_side(results, outdir):
    rows = load(results, "side_by_side.json")["side_by_side"]
    fig, ax = plt.subplots(figsize=(6, 4))
    labels = []
    for i, r in enumerate(rows):
        ax.bar(i - 0.3, r["quorumsim_wall_s"] * 1e3, 0.2, color="tab:blue")
        ax.bar(i - 0.1, r["quorumsim_cpu_s"] * 1e3, 0.2, color="tab:cyan")
        ax.bar(i + 0.1, r["vqsim_wall_s"] * 1e3, 0.2, color="tab:red")
        ax.bar(i + 0.3, r["vqsim_cpu_s"] * 1e3, 0.2, color="tab:orange")
        labels.append("%d nodes\n×%.0f wall, ×%.0f CPU" % (r["nodes"], r["wall_ratio"],
                                                          r["cpu_ratio"]))
    ax.set_yscale("log")
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels(labels, fontsize=8)
    ax.set_ylabel("ms (median), %d commands" % rows[0]["commands"])
    ax.legend(["quorumsim wall", "quorumsim CPU", "corosync-vqsim wall", "corosync-vqsim CPU"],
              fontsize=8)
    ax.set_title("Whole process: quorumsim vs corosync-vqsim")
    fig.tight_layout()
    fig.savefig(os.path.join(outdir, "side_by_side.png"), dpi=100)


def plot_memory(results, outdir):
    rows = load(results, "peak_memory.json")["peak_memory"]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.loglog([r["commands"] for r in rows], [r["max_rss_kb"] / 1024 for r in rows], "o-",
              label="this build")
    base = os.path.join(results, "peak_memory_before.json")
    if os.path.exists(base):
        before = load(results, "peak_memory_before.json")["peak_memory"]
        ax.loglog([r["commands"] for r in before], [r["max_rss_kb"] / 1024 for r in before],
                  "x--", label="before issue 10")
    ax.set_xlabel("script length (commands, 16 nodes)")
    ax.set_ylabel("max RSS (MB)")
    ax.set_title("Peak memory against script length")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(outdir, "peak_memory.png"), dpi=100)


def main():
    results, outdir = sys.argv[1], sys.argv[2]
    plot_transitions(results, outdir)
    plot_side_by_side(results, outdir)
    plot_memory(results, outdir)


if __name__ == "__main__":
    main()
