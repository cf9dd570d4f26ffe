"""Shared by the bench scripts: the generated corosync.conf (same as bench/bench_util.h)."""


def nodelist_conf(nodes):
    text = ("totem {\n version: 2\n cluster_name: bench\n}\n"
            "quorum {\n provider: corosync_votequorum\n}\nnodelist {\n")
    for i in range(1, nodes + 1):
        text += " node {\n  ring0_addr: 10.0.%d.%d\n  nodeid: %d\n }\n" % (i // 250, i % 250 + 1, i)
    return text + "}\n"
