// conf_check FILE: parses FILE with quorumsim's corosync.conf parser, for the table test
// that compares it with `corosync -t`. Prints "ok" or the error (and any warnings on stderr);
// exit status 0 when the file is accepted, 1 when it is rejected, 2 on wrong usage.
#include <iostream>

#include "sim/corosync_conf.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: conf_check FILE\n";
    return 2;
  }
  quorumsim::ClusterConfig cfg;
  quorumsim::Status st = quorumsim::LoadCorosyncConf(argv[1], &cfg);
  for (const std::string& w : cfg.warnings) std::cerr << w << "\n";
  if (!st.ok()) {
    std::cout << st.message() << "\n";
    return 1;
  }
  std::cout << "ok\n";
  return 0;
}
