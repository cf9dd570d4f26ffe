#include "sim/script.h"

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace quorumsim {
namespace {

const char* kConf3 =
    "nodelist {\n  node {\n    nodeid: 1\n    ring0_addr: 192.0.2.1\n  }\n"
    "  node {\n    nodeid: 2\n    ring0_addr: 192.0.2.2\n  }\n"
    "  node {\n    nodeid: 3\n    ring0_addr: 192.0.2.3\n  }\n}\n"
    "quorum {\n  provider: corosync_votequorum\n}\n";

struct Result {
  int rc;
  std::string out;
  std::string err;
};

Result RunScript(const std::string& script, const char* conf = kConf3, bool prompt = false) {
  std::unique_ptr<Cluster> c;
  Status st = Cluster::FromConfText(conf, "c.conf", {}, &c);
  EXPECT_TRUE(st.ok()) << st.ToString();
  std::ostringstream out, err;
  ScriptOptions o;
  o.out = &out;
  o.err = &err;
  o.prompt = prompt;
  ScriptRunner r(c.get(), o);
  std::istringstream in(script);
  int rc = r.Run(in, "s.vq");
  return Result{rc, out.str(), err.str()};
}

TEST(Script, VqsimStatusFormat) {
  Result r = RunScript("show\nsplit 1:3\n");
  EXPECT_EQ(r.rc, 0) << r.err;
  const std::string start =
      "0:1: q=1 ring=[1.8] nodes=[1 2 3]\n0:2: q=1 ring=[1.8] nodes=[1 2 3]\n"
      "0:3: q=1 ring=[1.8] nodes=[1 2 3]\n#autofence: off\n";
  EXPECT_EQ(r.out.substr(0, start.size()), start);
  EXPECT_NE(r.out.find("0:1: q=1 ring=[1.c] nodes=[1 2]\n0:2: q=1 ring=[1.c] nodes=[1 2]\n"
                       "1:3: q=0 ring=[3.c] nodes=[3]\n#autofence: off\n"),
            std::string::npos)
      << r.out;
}

TEST(Script, PromptEchoesLines) {
  Result r = RunScript("# c\nshow\n", kConf3, true);
  EXPECT_NE(r.out.find("#vqsim> # c\n#vqsim> show\n0:1:"), std::string::npos) << r.out;
}

TEST(Script, FirstCommandUpStartsOnlyThose) {
  Result r = RunScript("up 1,2\nexpect 1 quorate=1 members=2,1\nexpect 3 state=down\n");
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out.find("0:3:"), std::string::npos) << r.out;
}

TEST(Script, UpPlacesInPartition) {
  Result r = RunScript("up 1,2\nup 1:3\nexpect 3 members=3 quorate=0\n");
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("1:3: q=0"), std::string::npos) << r.out;
}

TEST(Script, SetExpectedPrintsReturnCode) {
  Result r = RunScript("setexpected 1 0\nexpect 1 rc=CS_ERR_INVALID_PARAM\nsetexpected 1 3\nexpect 1 rc=CS_OK\n");
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("1: setexpected 0 -> CS_ERR_INVALID_PARAM\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1: setexpected 3 -> CS_OK\n"), std::string::npos) << r.out;
}

TEST(Script, ExpectFailuresAreAllReported) {
  Result r = RunScript("expect 1 quorate=0 votes=1 total=7\nshow\nexpect 2 members=1,2\nexpect 3 quorate=1\n");
  EXPECT_EQ(r.rc, kScriptFailed);
  EXPECT_NE(r.err.find("s.vq:1: expectation failed for node 1\n  quorate: wanted 0, got 1\n"
                       "  total: wanted 7, got 3\n"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("votes:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("s.vq:3: expectation failed for node 2\n  members: wanted 1,2, got 1,2,3\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("2 expectation(s) failed"), std::string::npos) << r.err;
}

TEST(Script, ExpectRingAndFlags) {
  Result r = RunScript("expect 2 ring=1.8 flags=0x2\nexpect 2 ring=1.* quorum=2 expected=3 highest=3\n");
  EXPECT_EQ(r.rc, 0) << r.err;
}

TEST(Script, ErrorsNameLineAndColumn) {
  Result r = RunScript("show\nbogus 1\n");
  EXPECT_EQ(r.rc, kScriptFailed);
  EXPECT_NE(r.err.find("s.vq:2:1: error: unknown command 'bogus'"), std::string::npos) << r.err;

  r = RunScript("split 1:2,x\n");
  EXPECT_EQ(r.rc, kScriptFailed);
  EXPECT_NE(r.err.find("s.vq:1:11: error: expected a node id, got 'x'"), std::string::npos) << r.err;

  r = RunScript("crash 9\n");
  EXPECT_EQ(r.rc, kScriptFailed);
  EXPECT_NE(r.err.find("s.vq:1:7: error: unknown node id 9"), std::string::npos) << r.err;

  r = RunScript("wait 5 parsecs\n");
  EXPECT_EQ(r.rc, kScriptFailed);
  r = RunScript("wait 5x\n");
  EXPECT_EQ(r.rc, kScriptFailed);
  EXPECT_NE(r.err.find("s.vq:1:6: error: expected a duration"), std::string::npos) << r.err;

  r = RunScript("expect 1 colour=blue\n");
  EXPECT_EQ(r.rc, kScriptFailed);
  EXPECT_NE(r.err.find("unknown expect key 'colour'"), std::string::npos) << r.err;

  r = RunScript("qdevice vote 1\n");
  EXPECT_EQ(r.rc, kScriptFailed);
  r = RunScript("autofence maybe\n");
  EXPECT_EQ(r.rc, kScriptFailed);
}

TEST(Script, WaitFiresTimersAndAutofence) {
  const char* conf =
      "nodelist {\n  node {\n    nodeid: 1\n    ring0_addr: 192.0.2.1\n  }\n  node {\n    nodeid: 2\n    ring0_addr: 192.0.2.2\n  }\n"
      "  node {\n    nodeid: 3\n    ring0_addr: 192.0.2.3\n  }\n  node {\n    nodeid: 4\n    ring0_addr: 192.0.2.4\n  }\n}\n"
      "quorum {\n  provider: corosync_votequorum\n  last_man_standing: 1\n}\n";
  Result r = RunScript(
      "crash 4\nexpect 1 expected=4\nwait 9999ms\nexpect 1 expected=4\nwait 1ms\n"
      "expect 1 expected=3 quorum=2\nautofence on\nsplit 1:3\nexpect 3 state=down\n",
      conf);
  EXPECT_EQ(r.rc, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("1:3: Quit (autofenced)"), std::string::npos) << r.out;
}

TEST(Script, QdeviceCommands) {
  const char* conf =
      "nodelist {\n  node {\n    nodeid: 1\n    ring0_addr: 192.0.2.1\n  }\n  node {\n    nodeid: 2\n    ring0_addr: 192.0.2.2\n  }\n}\n"
      "quorum {\n  provider: corosync_votequorum\n  device {\n    model: net\n  }\n}\n";
  Result r = RunScript(
      "qdevice on 1,2\nexpect 1 total=3 qdevice_votes=1 quorate=1\n"
      "split 1:2\nexpect 1 quorate=1\nexpect 2 quorate=1\n"
      "qdevice vote 2 0\nexpect 2 quorate=0 total=1\n"
      "qdevice master_wins 1 1\nexpect 1 flags=0x3c2\n"
      "qdevice stop 1\nwait 9s\nexpect 1 quorate=1\nwait 2s\nexpect 1 quorate=0\n"
      "qdevice off 1\nexpect 1 qdevice_votes=1 flags=0x0 quorate=0\n",
      conf);
  EXPECT_EQ(r.rc, 0) << r.err << r.out;
}

// Line at a time, as the API's scenario player runs it: the same output as Run, leading
// comments held back until the cluster has started, `exit` reported, and `wait` handed
// to the caller, who must advance the clock itself.
TEST(Script, RunLineMatchesRun) {
  const std::string script = "# c\n\nsplit 1:3\nwait 12s\nexpect 3 quorate=0\nexit\nshow\n";
  Result whole = RunScript(script, kConf3, true);
  ASSERT_EQ(whole.rc, 0) << whole.err;

  std::unique_ptr<Cluster> c;
  ASSERT_TRUE(Cluster::FromConfText(kConf3, "c.conf", {}, &c).ok());
  std::ostringstream out, err;
  ScriptOptions o;
  o.out = &out;
  o.err = &err;
  std::vector<uint64_t> waits;
  o.wait = [&](uint64_t ms) {
    waits.push_back(ms);
    c->RunFor(ms);
  };
  ScriptRunner r(c.get(), o);
  std::istringstream in(script);
  std::string line;
  std::vector<int> rcs;
  for (int n = 1; std::getline(in, line); ++n) {
    rcs.push_back(r.RunLine(line, "s.vq", n).code);
    if (n == 2) {
      EXPECT_EQ(out.str(), "") << "comments are echoed only after the start";
    }
    if (rcs.back() != kScriptOk) break;
  }
  EXPECT_EQ(rcs, (std::vector<int>{kScriptOk, kScriptOk, kScriptOk, kScriptOk, kScriptOk, kScriptExit}));
  EXPECT_EQ(r.End("s.vq"), kScriptOk) << err.str();
  EXPECT_EQ(waits, std::vector<uint64_t>{12000});
  EXPECT_EQ(out.str(), whole.out);
}

TEST(Script, RunLineReportsErrorsAndCountsExpectations) {
  std::unique_ptr<Cluster> c;
  ASSERT_TRUE(Cluster::FromConfText(kConf3, "c.conf", {}, &c).ok());
  std::ostringstream out, err;
  ScriptOptions o;
  o.out = &out;
  o.err = &err;
  ScriptRunner r(c.get(), o);
  EXPECT_EQ(r.RunLine("expect 1 quorate=0", "s.vq", 1).code, kScriptOk);
  EXPECT_EQ(r.RunLine("crash 9", "s.vq", 2).code, kScriptFailed);
  EXPECT_NE(err.str().find("s.vq:2:7: error: unknown node id 9"), std::string::npos) << err.str();
  // A caller may go on after an error.
  EXPECT_EQ(r.RunLine("crash 3", "s.vq", 3).code, kScriptOk);
  EXPECT_FALSE(c->IsUp(3));
  EXPECT_EQ(r.expectation_failures(), 1);
  EXPECT_EQ(r.End("s.vq"), kScriptFailed);
}

TEST(Script, EndStartsTheClusterOfACommentOnlyScript) {
  Result r = RunScript("# nothing\n", kConf3, true);
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out.rfind("0:1: q=1", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("#autofence: off\n#vqsim> # nothing\n"), std::string::npos) << r.out;
}

TEST(Script, StartsWithUp) {
  EXPECT_TRUE(ScriptStartsWithUp({"# c", "", "  UP 1,2", "show"}));
  EXPECT_FALSE(ScriptStartsWithUp({"# up 1", "show", "up 1"}));
  EXPECT_FALSE(ScriptStartsWithUp({"# only comments"}));
}

}  // namespace
}  // namespace quorumsim
