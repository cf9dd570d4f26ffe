#include "sim/check/check_main.h"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>

#include "sim/check/args.h"
#include "sim/check/picture.h"
#include "sim/check/report.h"

namespace quorumsim::check {

namespace {

const char kUsage[] =
    "usage: quorumsim check corosync.conf [--faults K] [--json] [--out DIR] [--master-wins]\n"
    "                       [--strict] [--samples N] [--seed N] [--stats]\n"
    "Searches every fault sequence of up to K steps (default 3) for split-brain and measures\n"
    "availability. Exit status: 0 no hazard, 1 hazard found, 2 bad input. See sim/CHECK.md.\n";

int Bad(const std::string& msg) {
  std::cerr << "quorumsim check: " << msg << "\n" << kUsage;
  return kExitBadInput;
}

std::string Basename(const std::string& p) {
  size_t s = p.rfind('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

bool WriteFile(const std::string& path, const std::string& text, std::string* error) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.flush();
  if (!f) {
    *error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

bool ReadFile(const std::string& path, std::string* text) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  text->assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  return true;
}

}  // namespace

int CheckMain(int argc, char** argv) {
  std::string conf, out_dir;
  bool json = false, master_wins = false, strict = false, stats = false;
  ExploreOptions eo;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    std::string err;
    uint64_t v = 0;
    auto value = [&](std::string* s) {
      if (i + 1 >= argc) return false;
      *s = argv[++i];
      return true;
    };
    std::string text;
    if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--json") {
      json = true;
    } else if (a == "--master-wins") {
      master_wins = true;
    } else if (a == "--strict") {
      strict = true;
    } else if (a == "--stats") {
      stats = true;
    } else if (a == "--out") {
      if (!value(&out_dir)) return Bad("--out needs a directory");
    } else if (a == "--faults" || a == "--samples" || a == "--seed") {
      if (!value(&text)) return Bad(a + " needs a number");
      const uint64_t hi = a == "--faults" ? 8 : (a == "--samples" ? 1000000 : UINT64_MAX);
      if (!ParseNumber(a, text, a == "--seed" ? 0 : 1, hi, &v, &err)) return Bad(err);
      if (a == "--faults") eo.max_faults = static_cast<int>(v);
      if (a == "--samples") eo.samples = v;
      if (a == "--seed") eo.seed = v;
    } else if (!a.empty() && a[0] == '-') {
      return Bad("unknown option " + a);
    } else if (conf.empty()) {
      conf = a;
    } else {
      return Bad("more than one configuration given ('" + conf + "' and '" + a + "')");
    }
  }
  if (conf.empty()) return Bad("no corosync.conf given");

  ClusterConfig config;
  Status st = LoadCorosyncConf(conf, &config);
  if (!st.ok()) {
    std::cerr << "quorumsim check: " << st.message() << "\n";
    return kExitBadInput;
  }
  if (master_wins && !config.votequorum.device_model) {
    return Bad("--master-wins needs a quorum device (quorum.device.model) in " + conf);
  }

  CheckReport r;
  r.config_path = conf;
  r.strict = strict;
  r.options = eo;
  r.model = MakeModel(config, master_wins);
  {
    // Scenarios name the configuration as a copy next to them (--out), or by absolute path.
    char* abs = realpath(conf.c_str(), nullptr);
    r.config_ref = out_dir.empty() ? (abs ? abs : conf) : Basename(conf);
    free(abs);
  }
  // Make sure the configuration runs before exploring (the engine validates the options).
  Snapshot probe;
  st = RunLines(r.model, config, {}, r.model.device, 0, &probe);
  if (!st.ok()) {
    std::cerr << "quorumsim check: " << conf << ": " << st.message() << "\n";
    return kExitBadInput;
  }

  const auto t0 = std::chrono::steady_clock::now();  // for --stats only; never in the report
  st = Explore(r.model, eo, &r.explored);
  if (!st.ok()) {
    std::cerr << "quorumsim check: internal error: " << st.message() << "\n";
    return kExitBadInput;
  }
  const auto t1 = std::chrono::steady_clock::now();

  std::set<std::string> keys;
  for (const Reached& s : r.explored.split_brains) {
    Classification c = Classify(r.model, s);
    if (!keys.insert(c.Key()).second) continue;
    SplitBrainFinding f;
    f.cls = c;
    f.state = s;
    for (const auto& [p, ids] : QuoratePartitions(s.snap)) f.quorate.push_back(ids);
    std::vector<std::string> comments;
    comments.push_back("Two disjoint partitions are quorate at the end.");
    for (const Cause& x : c.causes) comments.push_back(x.option + ": " + x.why + ".");
    std::vector<std::string> lines = s.lines;
    for (const std::string& e : SplitBrainExpects(s.snap)) lines.push_back(e);
    f.scenario = ScenarioText(r, "split-brain (" + c.Label() + ")", comments, lines);
    r.findings.push_back(std::move(f));
  }

  st = MeasureAvailability(r.model, &r.availability);
  if (!st.ok()) {
    std::cerr << "quorumsim check: internal error: " << st.message() << "\n";
    return kExitBadInput;
  }
  const auto t2 = std::chrono::steady_clock::now();

  if (!out_dir.empty()) {
    if (mkdir(out_dir.c_str(), 0777) != 0 && errno != EEXIST) {
      return Bad("cannot create " + out_dir + ": " + std::strerror(errno));
    }
    std::string err, text;
    if (!ReadFile(conf, &text) || !WriteFile(out_dir + "/" + Basename(conf), text, &err)) {
      return Bad(err.empty() ? "cannot read " + conf : err);
    }
    for (size_t i = 0; i < r.findings.size(); ++i) {
      SplitBrainFinding& f = r.findings[i];
      const std::string stem = out_dir + "/split-brain-" + std::to_string(i + 1);
      f.file = stem + ".vqsim";
      if (!WriteFile(f.file, f.scenario, &err)) return Bad(err);
      if (!DrawScenario(config, f.scenario, stem, "split-brain " + std::to_string(i + 1) + ": " + f.cls.Label())) {
        return Bad("cannot draw " + stem + ".svg");
      }
      f.picture = stem + ".svg";
    }
    const Availability& a = r.availability;
    std::vector<std::pair<std::string, Proof>> proofs;
    for (size_t i = 0; i < a.loss_sets.size(); ++i) {
      proofs.push_back({"quorum-loss-" + std::to_string(i + 1), a.loss_sets[i].proof});
    }
    proofs.push_back({"failures-worst-order", a.worst_order});
    proofs.push_back({"failures-best-order", a.best_order});
    if (!a.restart_proof.lines.empty()) proofs.push_back({"wait-for-all-restart", a.restart_proof});
    for (const auto& [name, p] : proofs) {
      ScenarioOut so;
      so.what = p.what;
      so.file = out_dir + "/" + name + ".vqsim";
      so.scenario = ScenarioText(r, p.what, {}, p.lines);
      if (!WriteFile(so.file, so.scenario, &err)) return Bad(err);
      if (!DrawScenario(config, so.scenario, out_dir + "/" + name, p.what)) {
        return Bad("cannot draw " + out_dir + "/" + name + ".svg");
      }
      r.availability_scenarios.push_back(so);
    }
  }

  if (json) {
    WriteJson(r, std::cout);
  } else {
    WriteText(r, std::cout);
  }
  if (stats) {
    const double ex = std::chrono::duration<double>(t1 - t0).count();
    const double all = std::chrono::duration<double>(t2 - t0).count();
    std::cerr << "stats: exploration " << r.explored.states << " states, " << r.explored.steps
              << " steps, " << r.explored.runs << " replays in " << ex << " s ("
              << (ex > 0 ? r.explored.steps / ex : 0) << " steps/s, "
              << (ex > 0 ? r.explored.states / ex : 0) << " states/s); total " << all << " s\n";
  }
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "quorumsim check: cannot write standard output\n";
    return kExitBadInput;
  }
  return r.Hazard() ? 1 : 0;
}

}  // namespace quorumsim::check
