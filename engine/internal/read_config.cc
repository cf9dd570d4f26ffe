#include "engine/internal/read_config.h"

#include <string>

namespace quorumsim::internal {
namespace {

// corosync keeps an unset quorum.device.votes as (uint32_t)-1; an explicit value equal to
// that sentinel is indistinguishable from "unset" there, and so it is here.
constexpr uint32_t kUnsetDeviceVotes = 0xffffffffu;

std::string Num(uint32_t v) { return std::to_string(v); }

std::string DeviceKey(const VotequorumConfig& c) {
  return "quorum.device.model=\"" + c.device_model.value_or("") + "\"";
}

// Runtime refusals only disable the quorum device; start-up refusals stop corosync.
Status Refuse(bool runtime, Settings* s, std::string msg) {
  if (runtime) {
    s->qdevice_can_operate = false;
    return Status::Ok();
  }
  return Status::InvalidConfig(std::move(msg));
}

struct NodelistSummary {
  bool have = false;  // the local node has an entry
  uint32_t our_votes = 0;
  uint32_t count = 0;
  uint32_t sum = 0;
};

NodelistSummary SummarizeNodelist(const VotequorumConfig& c, NodeId local_id) {
  NodelistSummary n;
  bool found = false;
  for (const auto& node : c.nodelist) {
    if (node.node_id == local_id && !found) {
      found = true;
      n.our_votes = node.quorum_votes.value_or(1);
    }
  }
  // Without an entry for us corosync does not look at the list at all (sum stays 0).
  if (!found) return n;
  n.have = true;
  for (const auto& node : c.nodelist) {
    ++n.count;
    n.sum += node.quorum_votes.value_or(1);
  }
  return n;
}

}  // namespace

Status ValidateValueRanges(const VotequorumConfig& c) {
  const struct {
    const char* key;
    const std::optional<uint32_t>& value;
  } byte_keys[] = {
      {"quorum.two_node", c.two_node},
      {"quorum.wait_for_all", c.wait_for_all},
      {"quorum.last_man_standing", c.last_man_standing},
      {"quorum.auto_tie_breaker", c.auto_tie_breaker},
      {"quorum.allow_downscale", c.allow_downscale},
      {"quorum.expected_votes_tracking", c.expected_votes_tracking},
  };
  for (const auto& k : byte_keys) {
    if (k.value && *k.value > 255) {
      return Status::InvalidConfig(std::string(k.key) + "=" + Num(*k.value) +
                                   " is out of range: the value must be 0..255");
    }
  }
  return Status::Ok();
}

Status ReadConfig(const VotequorumConfig& c, const ReadConfigInput& in, Settings* s,
                  ReadConfigResult* r) {
  *r = ReadConfigResult{};
  // The configuration parser refuses such a file before votequorum reads it.
  if (Status st = ValidateValueRanges(c); !st.ok()) return st;
  const bool runtime = in.runtime;

  if (runtime) {
    s->two_node = false;
    s->atb.mode = s->initial_atb;
  }

  uint32_t expected_votes = c.expected_votes.value_or(0);
  const NodelistSummary nl = SummarizeNodelist(c, in.local_id);
  uint32_t node_expected = nl.sum;

  const bool have_qdevice = c.device_model.has_value() && !c.device_model->empty();
  uint32_t qdevice_votes = 0;
  if (have_qdevice) {
    qdevice_votes = c.device_votes.value_or(kUnsetDeviceVotes);
    s->qdevice_timeout = c.device_timeout.value_or(kDefaultQdeviceTimeoutMs);
    s->qdevice_sync_timeout = c.device_sync_timeout.value_or(kDefaultQdeviceSyncTimeoutMs);
    s->qdevice_can_operate = true;
  }
  s->two_node = c.two_node.value_or(0) != 0;

  if (!nl.have && expected_votes == 0) {
    if (runtime) return Status::Ok();  // corosync keeps its current values
    return Status::InvalidConfig(
        "quorum.expected_votes is not set and node " + Num(in.local_id) +
        " has no entry in the nodelist: a nodelist entry or quorum.expected_votes is required");
  }

  if (s->two_node && have_qdevice) {
    if (!runtime) {
      return Status::InvalidConfig("quorum.two_node=" + Num(*c.two_node) +
                                   " cannot be used together with " + DeviceKey(c));
    }
    if (in.qdevice_registered) {
      s->two_node = false;
    } else {
      s->qdevice_can_operate = false;
    }
  }

  if (!runtime) {
    s->allow_downscale = c.allow_downscale.value_or(0) != 0;
    s->wait_for_all_autoset = !c.wait_for_all.has_value();
    s->wait_for_all = c.wait_for_all.value_or(0) != 0;
    s->last_man_standing = c.last_man_standing.value_or(0) != 0;
    s->last_man_standing_window = c.last_man_standing_window.value_or(kDefaultLmsWindowMs);
    s->ev_tracking = c.expected_votes_tracking.value_or(0) != 0;
    const bool atb = c.auto_tie_breaker.value_or(0) != 0;
    s->atb = AtbSetting{};
    if (atb) {
      s->atb.mode = AtbMode::kLowest;
      if (c.auto_tie_breaker_node) s->atb = ParseAtbNode(*c.auto_tie_breaker_node);
    }
    s->initial_atb = s->atb.mode;
    if (s->allow_downscale) s->ev_tracking = true;
    if (s->ev_tracking) {
      uint32_t barrier = 0;
      Status st = in.store ? in.store->Load(&barrier) : Status::Internal("no store");
      if (!st.ok()) {
        return Status::InvalidConfig(
            std::string(s->allow_downscale ? "quorum.allow_downscale=1" : "quorum.expected_votes_tracking=1") +
            ": unable to load the stored expected votes barrier (" + st.ToString() + ")");
      }
      r->loaded_ev_barrier = barrier;
    }
  }
  const uint32_t ev_tracking_barrier =
      r->loaded_ev_barrier ? *r->loaded_ev_barrier : in.ev_tracking_barrier;

  if (s->wait_for_all_autoset) s->wait_for_all = s->two_node;

  // two_node decides by fencing races, the tie-breaker by node id: corosync drops two_node
  // (after it has already implied wait_for_all above).
  if (s->two_node && s->atb.mode != AtbMode::kNone) s->two_node = false;

  if (s->atb.mode != AtbMode::kNone && (nl.sum % 2) != 0 && !s->wait_for_all) {
    if (s->last_man_standing) {
      return Status::InvalidConfig(
          "quorum.auto_tie_breaker=1 with quorum.last_man_standing=1 is refused when the "
          "nodelist votes sum (" + Num(nl.sum) + ") is odd and quorum.wait_for_all is off");
    }
    s->atb.mode = AtbMode::kNone;
  }

  if (have_qdevice && s->last_man_standing) {
    if (Status st = Refuse(runtime, s, DeviceKey(c) + " is not compatible with quorum.last_man_standing=" +
                                           Num(c.last_man_standing.value_or(1)));
        !st.ok()) {
      return st;
    }
  }
  if (have_qdevice && s->atb.mode != AtbMode::kNone) {
    if (Status st = Refuse(runtime, s, DeviceKey(c) + " is not compatible with quorum.auto_tie_breaker=" +
                                           Num(c.auto_tie_breaker.value_or(1)));
        !st.ok()) {
      return st;
    }
  }
  if (have_qdevice && s->allow_downscale) {
    if (Status st = Refuse(runtime, s, DeviceKey(c) + " is not compatible with quorum.allow_downscale=" +
                                           Num(c.allow_downscale.value_or(1)));
        !st.ok()) {
      return st;
    }
  }
  if (expected_votes != 0 && have_qdevice && qdevice_votes == kUnsetDeviceVotes) {
    if (Status st = Refuse(runtime, s, "quorum.device.votes must be set when quorum.expected_votes=" +
                                           Num(expected_votes) + " is set (" + DeviceKey(c) + ")");
        !st.ok()) {
      return st;
    }
  }
  if (have_qdevice && qdevice_votes == kUnsetDeviceVotes && nl.have && nl.count != nl.sum) {
    if (Status st = Refuse(runtime, s,
                           "quorum.device.votes must be set when not every node has quorum_votes 1 "
                           "(nodelist: " + Num(nl.count) + " nodes, " + Num(nl.sum) + " votes)");
        !st.ok()) {
      return st;
    }
  }
  if (qdevice_votes > 0 && expected_votes != 0) {
    // corosync computes the difference in unsigned arithmetic and reads it as an int.
    const int32_t delta = static_cast<int32_t>(expected_votes - qdevice_votes);
    if (delta < 2) {
      if (Status st = Refuse(runtime, s, "quorum.device.votes=" + Num(qdevice_votes) +
                                             " is too high or quorum.expected_votes=" +
                                             Num(expected_votes) + " too low (difference below 2)");
          !st.ok()) {
        return st;
      }
    }
  }
  // Automatic device votes: one less than the number of (one-vote) nodes.
  if (have_qdevice && qdevice_votes == kUnsetDeviceVotes && expected_votes == 0 && nl.have &&
      nl.count == nl.sum) {
    qdevice_votes = nl.sum - 1;
    node_expected = nl.sum + qdevice_votes;
  }

  // Tracking replaces quorum.expected_votes by the barrier, even when that is 0.
  if (s->ev_tracking) expected_votes = ev_tracking_barrier;

  if (nl.have) {
    r->us_votes = nl.our_votes;
    r->us_expected = node_expected;
  } else {
    r->us_votes = c.votes.value_or(1);
  }
  if (expected_votes != 0) r->us_expected = expected_votes;

  if (!have_qdevice) r->qdevice_votes = 0;
  if (qdevice_votes != kUnsetDeviceVotes) r->qdevice_votes = qdevice_votes;

  if (s->wait_for_all) {
    if (!runtime) r->wfa_latch = ReadConfigResult::Latch::kSet;
  } else if (s->wait_for_all_autoset && in.wfa_latch) {
    r->wfa_latch = ReadConfigResult::Latch::kClear;
  }
  r->applied = true;
  return Status::Ok();
}

}  // namespace quorumsim::internal
