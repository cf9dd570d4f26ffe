#!/usr/bin/env python3
"""Peak memory (max RSS) of the quorumsim command against script length.

A 16-node cluster runs a split/join script of each length given (`split 1:9,...,16`,
`join 0 1`, repeated); max RSS comes from os.wait4. Memory flat in script length means the
longest script peaks close to the shortest.

  bench/peak_memory.py --quorumsim bazel-bin/quorumsim --commands 10000,200000 --out FILE.json
"""
import argparse
import json
import os
import subprocess
import tempfile
import time

import bench_common


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quorumsim", required=True)
    ap.add_argument("--commands", default="10000,200000")
    ap.add_argument("--nodes", type=int, default=16)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    upper = ",".join(str(i) for i in range(args.nodes // 2 + 1, args.nodes + 1))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        conf = os.path.join(tmp, "c.conf")
        with open(conf, "w") as f:
            f.write(bench_common.nodelist_conf(args.nodes))
        for commands in [int(c) for c in args.commands.split(",")]:
            path = os.path.join(tmp, "s%d.vqsim" % commands)
            with open(path, "w") as f:
                for i in range(commands):
                    f.write("split 1:%s\n" % upper if i % 2 == 0 else "join 0 1\n")
            start = time.monotonic()
            with open(path) as script:
                proc = subprocess.Popen([os.path.abspath(args.quorumsim), "-c", conf, "-o",
                                         os.devnull], stdin=script, stdout=subprocess.DEVNULL)
                _, status, usage = os.wait4(proc.pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit("quorumsim failed on the %d-command script" % commands)
            rows.append({"nodes": args.nodes, "commands": commands,
                         "max_rss_kb": usage.ru_maxrss,
                         "cpu_s": usage.ru_utime + usage.ru_stime,
                         "wall_s": time.monotonic() - start})
            print("%7d commands: max RSS %d KB, CPU %.2f s" % (commands, usage.ru_maxrss,
                                                              rows[-1]["cpu_s"]))
    first, last = rows[0], rows[-1]
    result = {"peak_memory": rows,
              "ratio_longest_to_shortest": last["max_rss_kb"] / first["max_rss_kb"]}
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
