"""Shared helpers for the scenario tests: parsing scenario files, running corosync-vqsim and
quorumsim, and parsing vqsim-style status lines.

Scenario file conventions (see README.md, "Running scenarios"):
  * `# config: FILE.conf`   the corosync.conf to use, relative to the scenario's directory
  * `# vqsim-compatible`    the script uses only corosync-vqsim's language plus `expect`
                            (dropped for vqsim) and `wait DURATION` (a real-time sleep for vqsim)
  * every other line starting with `#` is a comment; empty lines are ignored.
"""

import os
import re
import select
import shutil
import subprocess
import tempfile
import time

STATUS_RE = re.compile(
    r"^(?P<part>\d+):(?P<node>\d+): q=(?P<q>\d+) ring=\[(?P<ring>[^\]]*)\] nodes=\[(?P<nodes>[^\]]*)\]")
PROMPT = b"#vqsim> "


class Scenario:
    def __init__(self, path):
        self.path = path
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.config = None
        self.vqsim_compatible = False
        self.commands = []  # (line number, text)
        with open(path, encoding="utf-8") as fh:
            for lineno, raw in enumerate(fh, 1):
                line = raw.strip()
                if not line:
                    continue
                if line.startswith("#"):
                    body = line.lstrip("#").strip()
                    m = re.match(r"config:\s*(\S+)", body)
                    if m and self.config is None:
                        self.config = os.path.join(os.path.dirname(path), m.group(1))
                    if body == "vqsim-compatible":
                        self.vqsim_compatible = True
                    continue
                self.commands.append((lineno, line))
        if self.config is None:
            raise ValueError("%s: no '# config: FILE' line" % path)

    @classmethod
    def from_commands(cls, config, commands, name="generated"):
        """A scenario built in memory (no file): `commands` is a list of command lines, numbered
        from 1 in the order given."""
        scn = cls.__new__(cls)
        scn.path = None
        scn.name = name
        scn.config = config
        scn.vqsim_compatible = True
        scn.commands = list(enumerate(commands, 1))
        return scn

    def verb(self, text):
        return text.split()[0].lower()


def parse_duration(text):
    """'1500ms' / '12s' / '2m' / '250' (ms) -> seconds."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(ms|s|m|min)?", text.strip())
    if not m:
        raise ValueError("bad duration %r" % text)
    value = float(m.group(1))
    unit = m.group(2) or "ms"
    return value * {"ms": 0.001, "s": 1.0, "m": 60.0, "min": 60.0}[unit]


def parse_status(text):
    """Return {node: (quorate, frozenset(members), partition)} from vqsim-style status lines.

    A later line for the same node replaces an earlier one."""
    state = {}
    for line in text.splitlines():
        m = STATUS_RE.match(line.strip().replace("#vqsim> ", ""))
        if m:
            members = frozenset(int(x) for x in m.group("nodes").split())
            state[int(m.group("node"))] = (int(m.group("q")), members, int(m.group("part")))
    return state


def _consistent(state):
    by_part = {}
    for q, members, part in state.values():
        by_part.setdefault(part, set()).add(members)
    return all(len(v) == 1 for v in by_part.values())


def config_ms(config, key, default):
    """Read a millisecond value such as quorum.device.timeout ('timeout') from a corosync.conf
    (a plain line scan; good enough for our own scenario configs)."""
    section, _, name = key.rpartition(".")
    stack = []
    with open(config, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.split("#", 1)[0].strip()
            if line.endswith("{"):
                stack.append(line[:-1].strip())
            elif line == "}":
                if stack:
                    stack.pop()
            elif ":" in line and ".".join(stack) == section:
                k, v = (x.strip() for x in line.split(":", 1))
                if k == name and v.isdigit():
                    return int(v)
    return default


def find_vqsim():
    return shutil.which("corosync-vqsim")


class VqsimSession:
    """Drive the real corosync-vqsim interactively through a pipe.

    corosync-vqsim reads its configuration with `-c`, which only accepts paths shorter than
    8 characters, so the configuration is copied into a private directory as `c.conf`.
    Commands are written one at a time; after each one we wait for the prompt, let the
    simulated nodes settle for `settle` seconds of real time, then ask for `show`."""

    def __init__(self, binary, config, settle=0.3, timeout=20.0):
        self.settle = settle
        self.timeout = timeout
        self.dir = tempfile.mkdtemp(prefix="vqsim-")
        shutil.copy(config, os.path.join(self.dir, "c.conf"))
        self.stderr = open(os.path.join(self.dir, "stderr"), "w+b")
        self.proc = subprocess.Popen([binary, "-c", "c.conf"], cwd=self.dir,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr)
        self.transcript = []
        self.initial = self._read_until_prompt()

    def _read_until_prompt(self):
        buf = b""
        deadline = time.monotonic() + self.timeout
        fd = self.proc.stdout.fileno()
        while not buf.endswith(PROMPT):
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError("corosync-vqsim: no prompt within %.0fs; output so far:\n%s"
                                   % (self.timeout, buf.decode(errors="replace")))
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                raise RuntimeError("corosync-vqsim exited (status %s); output so far:\n%s\nstderr:\n%s"
                                   % (self.proc.poll(), buf.decode(errors="replace"),
                                      self.stderr_text()))
            buf += chunk
        text = buf.decode(errors="replace")
        self.transcript.append(text)
        return text

    def stderr_text(self):
        self.stderr.flush()
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")

    def send(self, line):
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()
        self.transcript.append(line + "\n")
        return self._read_until_prompt()

    def settled_state(self, extra_sleep=0.0, max_wait=5.0):
        """Sleep, then `show` until two consecutive snapshots agree and every partition's nodes
        report the same member set (vqsim prints whatever each node reported last)."""
        time.sleep(self.settle + extra_sleep)
        state = parse_status(self.send("show"))
        deadline = time.monotonic() + max_wait
        while time.monotonic() < deadline:
            time.sleep(0.15)
            again = parse_status(self.send("show"))
            if again == state and _consistent(again):
                break
            state = again
        return state

    def close(self):
        try:
            if self.proc.poll() is None:
                self.proc.stdin.write(b"exit\n")
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        self.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def vqsim_states(binary, scenario, settle=0.3):
    """Run a vqsim-compatible scenario through corosync-vqsim.

    Returns (initial_state, [(lineno, command, state)]) where state is parse_status() of a `show`
    issued once the command has settled. `expect` lines are skipped; `wait D` sleeps D of real
    time before the `show`."""
    sess = VqsimSession(binary, scenario.config, settle=settle)
    # vqsim's simulated device polls for the first time only after quorum.device.timeout. After
    # `qdevice off` vqsim re-syncs every partition with the same ring id; a node whose device was
    # alive then waits in sync for a poll that never comes, until quorum.device.sync_timeout.
    device_timeout = config_ms(scenario.config, "quorum.device.timeout", 10000) / 1000.0
    device_sync_timeout = config_ms(scenario.config, "quorum.device.sync_timeout", 30000) / 1000.0
    try:
        initial = sess.settled_state()
        out = []
        for lineno, cmd in scenario.commands:
            verb = scenario.verb(cmd)
            if verb == "expect":
                continue
            if verb == "wait":
                state = sess.settled_state(extra_sleep=parse_duration(cmd.split(None, 1)[1]))
            else:
                sess.send(cmd)
                words = cmd.lower().split()
                extra = 0.0
                if words[:2] == ["qdevice", "on"]:
                    extra = device_timeout
                elif words[:2] == ["qdevice", "off"]:
                    extra = device_sync_timeout
                state = sess.settled_state(extra_sleep=extra)
            out.append((lineno, cmd, state))
        return initial, out
    finally:
        sess.close()


def run_quorumsim(binary, config, lines, extra_args=(), timeout=120):
    """Run quorumsim once with the given command lines on stdin; return (rc, stdout, stderr)."""
    proc = subprocess.run([binary, "-c", config] + list(extra_args),
                          input="".join(l + "\n" for l in lines).encode(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return proc.returncode, proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace")


def quorumsim_states(binary, scenario):
    """Settled state after every command, from quorumsim.

    quorumsim is deterministic and instant, so for command k we run the script's first k commands
    followed by `show`, and parse what that final `show` printed (the output beyond the output of
    the same run without it)."""
    cmds = [(n, c) for n, c in scenario.commands if scenario.verb(c) != "expect"]

    def show_after(prefix):
        # corosync-vqsim starts every ring0_addr entry whatever the first command is; a
        # leading `show` makes quorumsim start the same nodes even when the first command
        # left after dropping `expect` lines is `up`.
        lines = ["show"] + [c for _, c in prefix]
        rc1, base, err1 = run_quorumsim(binary, scenario.config, lines)
        rc2, full, err2 = run_quorumsim(binary, scenario.config, lines + ["show"])
        if rc2 != 0 and rc2 != rc1:
            raise RuntimeError("quorumsim failed (status %d) after %r:\n%s" % (rc2, lines[-1:], err2))
        tail = full[len(base):] if full.startswith(base) else full
        return parse_status(tail)

    initial = show_after([])
    out = []
    for k in range(len(cmds)):
        lineno, cmd = cmds[k]
        out.append((lineno, cmd, show_after(cmds[:k + 1])))
    return initial, out


def junit_xml(suite, cases):
    """cases: [(name, failure_message_or_None, output)] -> JUnit XML text."""
    from xml.sax.saxutils import escape, quoteattr
    failures = sum(1 for _, f, _ in cases if f)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<testsuites tests="%d" failures="%d">' % (len(cases), failures),
             '  <testsuite name=%s tests="%d" failures="%d" errors="0">'
             % (quoteattr(suite), len(cases), failures)]
    for name, failure, output in cases:
        parts.append('    <testcase name=%s classname=%s status="run">'
                     % (quoteattr(name), quoteattr(suite)))
        if failure:
            parts.append('      <failure message=%s>%s</failure>'
                         % (quoteattr(failure.splitlines()[0] if failure else ""), escape(failure)))
        if output:
            parts.append('      <system-out>%s</system-out>' % escape(output))
        parts.append('    </testcase>')
    parts += ['  </testsuite>', '</testsuites>', '']
    return "\n".join(parts)


def write_junit(suite, cases):
    """Writes junit_xml(suite, cases) to $XML_OUTPUT_FILE when Bazel sets it (one test case per
    scenario or script, so tools/count-tests.py counts cases, not targets)."""
    path = os.environ.get("XML_OUTPUT_FILE")
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(junit_xml(suite, cases))


def fail_without_vqsim(suite, message):
    """Reports a missing corosync-vqsim as one failed case (never a silent pass); returns 1."""
    print(message)
    write_junit(suite, [("corosync-vqsim present", "corosync-vqsim is not installed", "")])
    return 1
