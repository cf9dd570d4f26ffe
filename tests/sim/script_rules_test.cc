// The scenario language's rules: vqsim's start-up, refusals of ambiguous commands, device
// commands as library calls, sticky rc, the trace of commands, idle waits, checking
// without running, and input limits.
#include <algorithm>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sim/script.h"
#include "sim/script_reader.h"

namespace quorumsim {
namespace {

// A nodelist of `n` nodes; those in `no_ring0` are written without ring0_addr.
std::string Conf(int n, const std::vector<int>& no_ring0 = {}, const std::string& quorum = "") {
  std::string s = "totem {\n  version: 2\n}\nnodelist {\n";
  for (int i = 1; i <= n; ++i) {
    s += "  node {\n    nodeid: " + std::to_string(i) + "\n";
    if (std::find(no_ring0.begin(), no_ring0.end(), i) == no_ring0.end()) {
      s += "    ring0_addr: 192.0.2." + std::to_string(i) + "\n";
    }
    s += "  }\n";
  }
  return s + "}\nquorum {\n  provider: corosync_votequorum\n" + quorum + "}\n";
}

struct Outcome {
  int rc = 0;
  std::string out;
  std::string err;
  std::vector<std::string> trace;
};

Outcome RunScript(const std::string& conf, const std::string& script) {
  std::unique_ptr<Cluster> c;
  ClusterOptions options;
  options.record_trace = true;
  Status st = Cluster::FromConfText(conf, "c.conf", options, &c);
  EXPECT_TRUE(st.ok()) << st.ToString();
  std::ostringstream out, err;
  ScriptOptions o;
  o.out = &out;
  o.err = &err;
  o.prompt = false;
  ScriptRunner r(c.get(), o);
  std::istringstream in(script);
  Outcome run;
  run.rc = r.Run(in, "s.vq");
  run.out = out.str();
  run.err = err.str();
  run.trace = c->trace_lines();
  return run;
}

const std::string kDevice = "  device {\n    model: net\n    votes: 1\n  }\n";

TEST(StartUp, OnlyEntriesWithRing0AddrStart) {
  Outcome r = RunScript(Conf(3, {3}),
                    "expect 1 quorate=1 members=1,2 expected=3\nexpect 3 state=down\n"
                    "up 3\nexpect 3 quorate=1 members=1,2,3\n");
  EXPECT_EQ(r.rc, 0) << r.err << r.out;
  // Node 3 printed only after it came up, in the ring of all three.
  EXPECT_LT(r.out.find("0:3:"), r.out.find("0:3: q=1 ring=[1.") + 1) << r.out;
  EXPECT_NE(r.out.find("0:3: q=1 ring=[1."), std::string::npos) << r.out;
}

TEST(StartUp, NoEntryWithRing0AddrStartsNothing) {
  Outcome r = RunScript(Conf(2, {1, 2}), "expect 1 state=down\nexpect 2 state=down\n");
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "#autofence: off\n");
}

TEST(StartUp, VqsimStartsInTheOrderOfItsCmapKeys) {
  // nodelist.node.10.ring0_addr sorts between node.1 and node.2.
  Outcome r = RunScript(Conf(11), "");
  ASSERT_EQ(r.rc, 0) << r.err;
  std::string first_lines = r.out.substr(0, r.out.find("0:4:"));
  EXPECT_NE(first_lines.find("0:1: q=1"), std::string::npos);
  EXPECT_LT(first_lines.find("0:2:"), first_lines.find("0:11:")) << r.out;
  EXPECT_LT(first_lines.find("0:11:"), first_lines.find("0:3:")) << r.out;
}

TEST(StartUp, FirstCommandUpStartsOnlyThose) {
  Outcome r = RunScript(Conf(3), "up 2\nexpect 1 state=down\nexpect 2 quorate=0 members=2\n");
  EXPECT_EQ(r.rc, 0) << r.err;
}

TEST(Refusals, NodeNamedTwiceInOneCommand) {
  Outcome r = RunScript(Conf(3), "crash 3,3\n");
  EXPECT_EQ(r.rc, kScriptFailed);
  EXPECT_NE(r.err.find("s.vq:1:7: error: node 3 is named twice in one command"), std::string::npos) << r.err;
  r = RunScript(Conf(3), "split 1:3 2:3\n");
  EXPECT_NE(r.err.find("s.vq:1:11: error: node 3 is named twice"), std::string::npos) << r.err;
  r = RunScript(Conf(3), "qdevice on 1 1\n");
  EXPECT_NE(r.err.find("s.vq:1:14: error: node 1 is named twice"), std::string::npos) << r.err;
}

TEST(Refusals, PartitionOutOfVqsimsRange) {
  Outcome r = RunScript(Conf(3), "split 15:3\nsplit 16:3\n");
  EXPECT_EQ(r.rc, kScriptFailed);
  EXPECT_NE(r.err.find("s.vq:2:7: error: partition 16 out of range"), std::string::npos) << r.err;
  r = RunScript(Conf(3), "join 0 16\n");
  EXPECT_NE(r.err.find("s.vq:1:8: error: partition 16 out of range"), std::string::npos) << r.err;
}

TEST(Refusals, JoinOfAPartitionWithItself) {
  Outcome r = RunScript(Conf(3), "split 1:3\njoin 1 1\n");
  EXPECT_EQ(r.rc, kScriptFailed);
  EXPECT_NE(r.err.find("s.vq:2:8: error: partition 1 is named twice in one join"), std::string::npos) << r.err;
}

TEST(Refusals, JoinWithAnEmptyPartitionIsAWarning) {
  Outcome r = RunScript(Conf(3), "split 1:3\njoin 0 1 5\nexpect 3 members=1,2,3\n");
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find("s.vq:2: warning: partition 5 has no running node"), std::string::npos) << r.err;
}

TEST(Refusals, UnknownSubcommandAndArity) {
  Outcome r = RunScript(Conf(3), "qdevice frob 1\n");
  EXPECT_NE(r.err.find("s.vq:1:9: error: expected on, off, vote, stop, master_wins after 'qdevice'"),
            std::string::npos)
      << r.err;
  r = RunScript(Conf(3), "show now\n");
  EXPECT_NE(r.err.find("s.vq:1:6: error: unexpected argument 'now'; usage: show"), std::string::npos) << r.err;
  r = RunScript(Conf(3), "setvotes 1 2\n");
  EXPECT_NE(r.err.find("error: missing argument; usage: setvotes NODE TARGET N"), std::string::npos) << r.err;
}

TEST(Refusals, ACorosyncConfGivenAsAScriptIsNamedAsSuch) {
  Outcome r = RunScript(Conf(3), "totem {\n");
  EXPECT_NE(r.err.find("s.vq:1:1: error: unknown command 'totem' (see quorumsim -h); this looks like a "
                       "corosync.conf section: give the configuration with -c FILE"),
            std::string::npos)
      << r.err;
}

TEST(Refusals, AtATerminalASessionGoesOnAfterAMistake) {
  std::unique_ptr<Cluster> c;
  ASSERT_TRUE(Cluster::FromConfText(Conf(3), "c.conf", {}, &c).ok());
  std::ostringstream out, err;
  ScriptOptions o;
  o.out = &out;
  o.err = &err;
  o.interactive = true;
  ScriptRunner r(c.get(), o);
  std::istringstream in("splt 1:3\nsplit 1:3\n");
  EXPECT_EQ(r.Run(in, "<stdin>"), kScriptFailed);  // the mistake still counts at the end
  EXPECT_NE(err.str().find("<stdin>:1:1: error: unknown command 'splt'"), std::string::npos) << err.str();
  EXPECT_EQ(c->Node(3).partition, 1u);  // the next command ran
}

TEST(Qdevice, OffAndMasterWinsAreLibraryCallsWithReturnCodes) {
  Outcome r = RunScript(Conf(2, {}, kDevice),
                    "qdevice off 1\nexpect 1 rc=CS_ERR_NOT_EXIST\n"
                    "qdevice master_wins 1 1\nexpect 1 rc=CS_ERR_NOT_EXIST\n"
                    // No pending setting: registering later leaves master_wins off.
                    "qdevice on 1\nexpect 1 flags=0x1c2 rc=CS_ERR_NOT_EXIST\n"
                    "qdevice master_wins 1 1\nexpect 1 flags=0x3c2 rc=CS_OK\n"
                    "qdevice off 1\nexpect 1 rc=CS_OK qdevice_votes=1 total=2\n"
                    "qdevice off 1\nexpect 1 rc=CS_ERR_NOT_EXIST\n");
  EXPECT_EQ(r.rc, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("1: qdevice off -> CS_ERR_NOT_EXIST\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1: qdevice master_wins 1 -> CS_ERR_NOT_EXIST\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1: qdevice master_wins 1 -> CS_OK\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1: qdevice off -> CS_OK\n"), std::string::npos) << r.out;
}

TEST(Qdevice, TheDaemonsOwnCallsDoNotChangeRc) {
  Outcome r = RunScript(Conf(2, {}, kDevice),
                    "expect 1 rc=none\nqdevice on 1\nexpect 1 rc=none\nwait 20s\nexpect 1 rc=none\n");
  EXPECT_EQ(r.rc, 0) << r.err;
}

TEST(Rc, IsStickyAcrossCommandsCrashesAndRestarts) {
  Outcome r = RunScript(Conf(3),
                    "setexpected 1 0\nexpect 1 rc=CS_ERR_INVALID_PARAM\nsplit 1:3\njoin 0 1\n"
                    "crash 1\nexpect 1 rc=CS_ERR_INVALID_PARAM state=down\nrestart 1\n"
                    "expect 1 rc=CS_ERR_INVALID_PARAM state=up\nexpect 2 rc=none\n"
                    "setexpected 1 3\nexpect 1 rc=CS_OK\n");
  EXPECT_EQ(r.rc, 0) << r.err;
}

TEST(Trace, EveryCommandAndAVersionedHeader) {
  std::unique_ptr<Cluster> c;
  ASSERT_TRUE(Cluster::FromConfText(Conf(3), "c.conf", {}, &c).ok());
  std::ostringstream trace, out, err;
  c->SetTraceStream(&trace);
  ScriptOptions o;
  o.out = &out;
  o.err = &err;
  ScriptRunner r(c.get(), o);
  std::istringstream in("split 1:3\njoin 0 1\n");
  ASSERT_EQ(r.Run(in, "s.vq"), 0) << err.str();
  std::string t = trace.str();
  EXPECT_EQ(t.rfind("{\"t\":0,\"ev\":\"trace\",\"version\":1,\"schema\":\"sim/TRACE.md\"}\n", 0), 0u) << t;
  EXPECT_NE(t.find("\"ev\":\"command\",\"file\":\"s.vq\",\"line\":1,\"text\":\"split 1:3\"}"), std::string::npos);
  EXPECT_NE(t.find("\"ev\":\"command\",\"file\":\"s.vq\",\"line\":2,\"text\":\"join 0 1\"}"), std::string::npos);
}

// Waiting over devices that poll and change nothing is skipped in bounded time, and
// gives the same state and the same timer phase as waiting step by step.
TEST(IdleWait, LongWaitOverPollingDevicesIsSkippedWithTheSameOutcome) {
  const std::string conf = Conf(3, {}, kDevice);
  Outcome skipped = RunScript(conf, "qdevice on 1,2,3\nwait 100000000h\nexpect 1 quorate=1 qdevice_votes=1 total=4\n");
  EXPECT_EQ(skipped.rc, 0) << skipped.err;
  bool saw_skip = false;
  for (const std::string& line : skipped.trace) saw_skip = saw_skip || line.find("\"idle_skip\"") != std::string::npos;
  EXPECT_TRUE(saw_skip);

  // 40 s in one wait (skips) and in 1 s steps (each too short to skip): then the device
  // of node 1 stops, and is lost at the same moment in both.
  std::string steps;
  for (int i = 0; i < 40; ++i) steps += "wait 1s\n";
  const std::string tail =
      "qdevice stop 1\nwait 4999ms\nexpect 1 flags=0x1c2\nwait 6s\nexpect 1 flags=0x42 quorate=1\n";
  Outcome one = RunScript(conf, "qdevice on 1,2,3\nwait 40s\n" + tail);
  Outcome many = RunScript(conf, "qdevice on 1,2,3\n" + steps + tail);
  EXPECT_EQ(one.rc, 0) << one.err;
  EXPECT_EQ(many.rc, 0) << many.err;
  auto last_events = [](const std::vector<std::string>& trace) {
    std::string tail_events;
    // Command events name their script lines, which differ; everything else must match.
    int kept = 0;
    for (size_t i = trace.size(); i-- > 0 && kept < 30;) {
      if (trace[i].find("\"ev\":\"command\"") != std::string::npos) continue;
      tail_events = trace[i] + "\n" + tail_events;
      ++kept;
    }
    return tail_events;
  };
  EXPECT_EQ(last_events(one.trace), last_events(many.trace));
}

TEST(Check, FindsErrorsWithoutRunning) {
  std::unique_ptr<Cluster> c;
  ASSERT_TRUE(Cluster::FromConfText(Conf(3), "c.conf", {}, &c).ok());
  std::istringstream good("qdevice on 1\nwait 100000000h\nsplit 1:3\n");
  EXPECT_TRUE(CheckScript(good, "s.vq", *c).ok());
  std::istringstream bad("split 1:3\n\n  crash 4\n");
  Status st = CheckScript(bad, "s.vq", *c);
  EXPECT_EQ(st.message(), "s.vq:3:9: error: unknown node id 4 (not in the configuration's nodelist)");
  EXPECT_FALSE(c->IsUp(1));
  EXPECT_EQ(c->now_ms(), 0u);
}

TEST(Limits, ALineLongerThanTheLimitIsAnError) {
  std::istringstream in("show\n" + std::string(kMaxScriptLineBytes + 1, 'x'));
  ScriptReader reader(in, "s.vq");
  std::string line;
  ASSERT_TRUE(reader.Next(&line).ok());
  Status st = reader.Next(&line);
  EXPECT_EQ(st.message(), "s.vq:2: line longer than the limit of 65536 bytes");
}

TEST(Limits, LeadingBlankLinesAreCountedNotStored) {
  // Two million blank lines before the first command: echoed, in order, once it comes.
  std::string script(2000000, '\n');
  script += "# c\nshow\n";
  std::unique_ptr<Cluster> c;
  ASSERT_TRUE(Cluster::FromConfText(Conf(3), "c.conf", {}, &c).ok());
  std::ostringstream out, err;
  ScriptOptions o;
  o.out = &out;
  o.err = &err;
  ScriptRunner r(c.get(), o);
  std::istringstream in(script);
  ASSERT_EQ(r.Run(in, "s.vq"), 0) << err.str();
  std::string text = out.str();
  size_t prompts = 0;
  for (size_t p = text.find("#vqsim> \n"); p != std::string::npos; p = text.find("#vqsim> \n", p + 1)) ++prompts;
  EXPECT_EQ(prompts, 2000000u);
  EXPECT_NE(text.find("#vqsim> \n#vqsim> # c\n#vqsim> show\n"), std::string::npos);
}

}  // namespace
}  // namespace quorumsim
