// main() for property tests: GoogleTest with RapidCheck's seed and case count set from the
// environment, so that a long campaign needs no code change and scales out.
//
//  - Sharding (`bazel test --test_sharding_strategy=explicit --test_arg=... ` or a
//    `shard_count` on the target): every shard runs every property, each from its own seed
//    (the configured seed + shard index * a large prime), so N shards explore N times the
//    cases. GoogleTest's own sharding, which would split the properties instead, is
//    turned off; the shard status file is touched as Bazel asks.
//  - QUORUMSIM_PBT_SCALE=K multiplies max_success (default 100) by K.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace {

uint64_t ParamValue(const std::string& params, const std::string& key, uint64_t fallback) {
  size_t at = params.find(key + "=");
  if (at == std::string::npos) return fallback;
  return std::strtoull(params.c_str() + at + key.size() + 1, nullptr, 10);
}

std::string WithoutKeys(const std::string& params) {
  std::string out;
  size_t pos = 0;
  while (pos < params.size()) {
    size_t end = params.find(' ', pos);
    if (end == std::string::npos) end = params.size();
    std::string item = params.substr(pos, end - pos);
    if (!item.empty() && item.rfind("seed=", 0) != 0 && item.rfind("max_success=", 0) != 0) out += item + " ";
    pos = end + 1;
  }
  return out;
}

void ConfigureRapidCheck() {
  const char* env = std::getenv("RC_PARAMS");
  std::string params = env == nullptr ? "" : env;
  uint64_t seed = ParamValue(params, "seed", 0);
  uint64_t max_success = ParamValue(params, "max_success", 100);
  if (const char* scale = std::getenv("QUORUMSIM_PBT_SCALE")) {
    long k = std::atol(scale);
    if (k > 1) max_success *= static_cast<uint64_t>(k);
  }
  const char* index = std::getenv("TEST_SHARD_INDEX");
  const char* total = std::getenv("TEST_TOTAL_SHARDS");
  if (index != nullptr && total != nullptr) {
    seed += std::strtoull(index, nullptr, 10) * 1000003ull;
    unsetenv("GTEST_SHARD_INDEX");
    unsetenv("GTEST_TOTAL_SHARDS");
    if (const char* status = std::getenv("TEST_SHARD_STATUS_FILE")) std::ofstream touch(status);
  }
  std::string configured = WithoutKeys(params) + "seed=" + std::to_string(seed) +
                           " max_success=" + std::to_string(max_success);
  setenv("RC_PARAMS", configured.c_str(), 1);
}

}  // namespace

int main(int argc, char** argv) {
  ConfigureRapidCheck();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
