// Runs a libFuzzer target over its seed corpus without libFuzzer: every file named on the
// command line (directories are read one level deep) is passed to LLVMFuzzerTestOneInput.
// This is how the fuzz targets run as ordinary tests in the plain, ASan and TSan builds;
// tools/fuzz.sh builds them with clang's libFuzzer for real fuzzing.
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {
std::vector<std::string> Files(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return {};
  if (!S_ISDIR(st.st_mode)) return {path};
  std::vector<std::string> out;
  if (DIR* d = opendir(path.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name != "." && name != "..") out.push_back(path + "/" + name);
    }
    closedir(d);
  }
  std::sort(out.begin(), out.end());  // a fixed order: deterministic runs
  return out;
}
}  // namespace

int main(int argc, char** argv) {
  size_t ran = 0;
  for (int i = 1; i < argc; ++i) {
    std::vector<std::string> files = Files(argv[i]);
    if (files.empty()) {
      std::fprintf(stderr, "replay: %s: no such file or empty directory\n", argv[i]);
      return 1;
    }
    for (const std::string& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
      LLVMFuzzerTestOneInput(data.data(), data.size());
      ++ran;
    }
  }
  std::printf("replayed %zu inputs\n", ran);
  return ran > 0 ? 0 : 1;
}
