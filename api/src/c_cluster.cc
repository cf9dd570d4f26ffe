// The C entry points of <quorumsim/cluster.h>: a simulated cluster driven by scenario
// lines, and the C binding of clients to its nodes.
#include <quorumsim/cluster.h>

#include <memory>
#include <new>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>

#include "api/src/binding_stack.h"
#include "api/src/cluster_host.h"
#include "api/src/sim_connection.h"
#include "sim/script.h"

// The host owns the cluster and every connection made under a binding holds the host,
// so destroying the handle while clients are still open cannot leave them dangling.
// (An owning host is not the one LockCluster(Cluster&) finds, but C code cannot reach
// the Cluster; run takes the host's own mutex, the one those connections take.)
struct quorumsim_cluster {
  std::shared_ptr<quorumsim::api::ClusterHost> host;
  std::ostream discard{nullptr};  // status lines: an ostream without a buffer drops them
  std::ostringstream errors;
  std::unique_ptr<quorumsim::ScriptRunner> runner;
  int lines = 0;  // commands run so far, the "line number" in the interpreter's messages
  // What quorumsim_cluster_bind last installed, to recognise it in destroy.
  std::shared_ptr<quorumsim::api::ConnectionFactory> bound;
};

namespace {

thread_local std::string last_error;

cs_error_t Fail(cs_error_t code, std::string message) {
  last_error = std::move(message);
  return code;
}

cs_error_t Ok() {
  last_error.clear();
  return CS_OK;
}

// Everything the interpreter wrote for one line, without the final newline.
std::string TakeErrors(std::ostringstream& errors) {
  std::string text = errors.str();
  errors.str("");
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

cs_error_t Create(const char* path, uint64_t seed, quorumsim_cluster_t** out) {
  if (out == nullptr) return Fail(CS_ERR_INVALID_PARAM, "quorumsim_cluster_create: out is NULL");
  *out = nullptr;
  if (path == nullptr) return Fail(CS_ERR_INVALID_PARAM, "quorumsim_cluster_create: path is NULL");
  quorumsim::ClusterOptions options;
  options.seed = seed;
  std::unique_ptr<quorumsim::Cluster> cluster;
  quorumsim::Status st = quorumsim::Cluster::FromConfFile(path, options, &cluster);
  if (!st.ok()) {
    return Fail(st.code() == quorumsim::Status::Code::kIoError ? CS_ERR_NOT_EXIST
                                                               : CS_ERR_INVALID_PARAM,
                st.message());
  }
  if (cluster->node_ids().empty()) {
    return Fail(CS_ERR_INVALID_PARAM, std::string(path) + ": no nodelist, so no node to run");
  }
  if (st = cluster->StartAll(); st.ok()) st = cluster->Settle();
  if (!st.ok()) return Fail(CS_ERR_TIMEOUT, std::string(path) + ": " + st.message());

  auto c = std::make_unique<quorumsim_cluster>();
  c->host = quorumsim::api::ClusterHost::Owning(std::move(cluster));
  quorumsim::ScriptOptions script;
  script.out = &c->discard;
  script.err = &c->errors;
  script.prompt = false;
  // Every node is up already, so the interpreter's own start on the first command
  // finds nothing to start.
  c->runner = std::make_unique<quorumsim::ScriptRunner>(&c->host->cluster(), std::move(script));
  *out = c.release();
  return Ok();
}

cs_error_t Run(quorumsim_cluster_t* c, const char* command) {
  if (c == nullptr) return Fail(CS_ERR_INVALID_PARAM, "quorumsim_cluster_run: cluster is NULL");
  if (command == nullptr) return Fail(CS_ERR_INVALID_PARAM, "quorumsim_cluster_run: command is NULL");
  std::lock_guard<std::recursive_mutex> lock(c->host->mu());
  c->errors.str("");
  int failures = c->runner->expectation_failures();
  quorumsim::LineResult result = c->runner->RunLine(command, "quorumsim_cluster_run", ++c->lines);
  std::string errors = TakeErrors(c->errors);
  switch (result.code) {
    case quorumsim::kScriptOk:
      // A failed expectation is reported but not returned by RunLine; it is counted.
      if (c->runner->expectation_failures() != failures) {
        return Fail(CS_ERR_FAILED_OPERATION, errors);
      }
      return Ok();
    case quorumsim::kScriptExit:
      return Fail(CS_ERR_INVALID_PARAM,
                  std::string("'") + command +
                      "' ends a script; use quorumsim_cluster_destroy to end the cluster");
    case quorumsim::kScriptAssert:
      return Fail(CS_ERR_TIMEOUT, errors.empty() ? "the cluster did not settle" : errors);
    default:
      return Fail(CS_ERR_INVALID_PARAM, result.error.message());
  }
}

cs_error_t Bind(quorumsim_cluster_t* c, uint32_t nodeid) {
  if (c == nullptr) return Fail(CS_ERR_INVALID_PARAM, "quorumsim_cluster_bind: cluster is NULL");
  bool known;
  {
    std::lock_guard<std::recursive_mutex> lock(c->host->mu());
    known = c->host->cluster().HasNode(nodeid);
  }
  if (!known) {
    return Fail(CS_ERR_NOT_EXIST, "quorumsim_cluster_bind: node " + std::to_string(nodeid) +
                                      " is not in the cluster's nodelist");
  }
  c->bound = quorumsim::api::MakeSimFactory(c->host, nodeid);
  quorumsim::api::SetCBinding(c->bound);
  return Ok();
}

}  // namespace

// extern "C" functions must not let exceptions out: the only one expected is
// std::bad_alloc.
extern "C" {

cs_error_t quorumsim_cluster_create(const char* corosync_conf_path, uint64_t seed,
                                    quorumsim_cluster_t** out) {
  try {
    return Create(corosync_conf_path, seed, out);
  } catch (const std::bad_alloc&) {
    return Fail(CS_ERR_NO_MEMORY, "out of memory");
  }
}

cs_error_t quorumsim_cluster_run(quorumsim_cluster_t* cluster, const char* command) {
  try {
    return Run(cluster, command);
  } catch (const std::bad_alloc&) {
    return Fail(CS_ERR_NO_MEMORY, "out of memory");
  }
}

cs_error_t quorumsim_cluster_bind(quorumsim_cluster_t* cluster, uint32_t nodeid) {
  try {
    return Bind(cluster, nodeid);
  } catch (const std::bad_alloc&) {
    return Fail(CS_ERR_NO_MEMORY, "out of memory");
  }
}

void quorumsim_cluster_destroy(quorumsim_cluster_t* cluster) {
  last_error.clear();
  if (cluster == nullptr) return;
  quorumsim::api::ClearCBindingIf(cluster->bound.get());
  {
    // The runner refers to the cluster, which open handles may be using right now.
    std::lock_guard<std::recursive_mutex> lock(cluster->host->mu());
    cluster->runner.reset();
  }
  delete cluster;  // the nodes stay while a handle still holds the host
}

const char* quorumsim_last_error(void) { return last_error.c_str(); }

}  // extern "C"
