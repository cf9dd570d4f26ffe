#include "sim/timeline/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

namespace quorumsim::timeline {

namespace {

std::string Esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string Time(uint64_t ms) {
  char buf[32];
  if (ms < 1000) {
    std::snprintf(buf, sizeof buf, "%llums", static_cast<unsigned long long>(ms));
  } else {
    std::snprintf(buf, sizeof buf, "%.2fs", static_cast<double>(ms) / 1000.0);
  }
  return buf;
}

// Colours: shading by state; ring bands from a palette in order of first appearance.
const char* kQuorate = "#9fd89a";
const char* kInquorate = "#f2a7a7";
const char* kStarting = "#e4e4e4";
const char* kPaused = "#ffe08a";
const char* kDown = "#ffffff";
const char* kPalette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2",
                          "#edc948", "#e15759", "#9c755f", "#bab0ac", "#ff9da7"};

struct Layout {
  double left = 72, top = 0, right = 24, row = 40, band = 8, width = 0, height = 0;
  std::vector<uint64_t> times;
  std::vector<double> xs;
  double X(uint64_t t) const {
    auto it = std::lower_bound(times.begin(), times.end(), t);
    if (it == times.end()) return xs.back();
    return xs[static_cast<size_t>(it - times.begin())];
  }
};

Layout MakeLayout(const Timeline& tl) {
  Layout L;
  std::set<uint64_t> ts{0, tl.end, tl.end + 1};
  for (const auto& [n, segs] : tl.segments) {
    for (const Segment& s : segs) {
      ts.insert(s.t0);
      ts.insert(s.t1);
    }
  }
  for (const Marker& m : tl.markers) ts.insert(m.t);
  for (const auto& [n, pts] : tl.votes) {
    for (const VotePoint& p : pts) ts.insert(p.t);
  }
  L.times.assign(ts.begin(), ts.end());
  const size_t n = std::max<size_t>(tl.nodes.size(), 1);
  L.row = std::clamp(600.0 / static_cast<double>(n), 18.0, 44.0);
  L.band = std::max(4.0, L.row / 5);
  L.top = 150;  // title and command labels
  double x = L.left + 10;
  for (size_t i = 0; i < L.times.size(); ++i) {
    if (i > 0) {
      const double dt = static_cast<double>(L.times[i] - L.times[i - 1]);
      // The last column (one past the last event) shows the final state.
      x += L.times[i] == tl.end + 1 ? 60 : 14 + 9 * std::log2(1 + dt / 50);
    }
    L.xs.push_back(x);
  }
  // Stretch a short timeline to a readable width.
  const double want = 1000 - L.right - 10, first = L.left + 10;
  if (x < want && x > first) {
    for (double& v : L.xs) v = first + (v - first) * (want - first) / (x - first);
    x = want;
  }
  L.width = std::max(1000.0, x + L.right + 10);
  L.height = L.top + L.row * static_cast<double>(n) + 40 + 80;
  return L;
}

class Svg {
 public:
  Svg(const Timeline& tl) : tl_(tl), L_(MakeLayout(tl)) {}

  std::string Render() {
    os_ << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << Num(L_.width) << "\" height=\""
        << Num(L_.height) << "\" viewBox=\"0 0 " << Num(L_.width) << " " << Num(L_.height)
        << "\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"11\" class=\"quorumsim-timeline\">\n";
    os_ << "<rect x=\"0\" y=\"0\" width=\"" << Num(L_.width) << "\" height=\"" << Num(L_.height)
        << "\" fill=\"#ffffff\"/>\n";
    os_ << "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">" << Esc(tl_.title) << "</text>\n";
    Rows();
    Commands();
    Axis();
    Legend();
    os_ << "</svg>\n";
    return os_.str();
  }

 private:
  double RowY(size_t i) const { return L_.top + L_.row * static_cast<double>(i); }

  const char* Fill(const Segment& s) const {
    if (s.run == Segment::Run::kDown) return kDown;
    if (s.run == Segment::Run::kPaused) return kPaused;
    if (!s.reported) return kStarting;
    return s.quorate ? kQuorate : kInquorate;
  }
  const char* StateClass(const Segment& s) const {
    if (s.run == Segment::Run::kDown) return "down";
    if (s.run == Segment::Run::kPaused) return "paused";
    if (!s.reported) return "starting";
    return s.quorate ? "quorate" : "inquorate";
  }
  std::string RingColour(const std::string& ring) {
    auto it = rings_.find(ring);
    if (it == rings_.end()) {
      it = rings_.emplace(ring, kPalette[rings_.size() % (sizeof kPalette / sizeof kPalette[0])]).first;
    }
    return it->second;
  }

  void Rows() {
    // Highest vote value, for scaling the lines.
    uint32_t maxv = 1;
    for (const auto& [n, pts] : tl_.votes) {
      for (const VotePoint& p : pts) maxv = std::max({maxv, p.expected, p.quorum, p.total});
    }
    for (size_t i = 0; i < tl_.nodes.size(); ++i) {
      const NodeId n = tl_.nodes[i];
      const double y = RowY(i);
      os_ << "<g class=\"node-row\" data-node=\"" << n << "\">\n";
      os_ << "<text x=\"8\" y=\"" << Num(y + L_.row / 2 + 4) << "\" class=\"node-label\">node " << n << "</text>\n";
      os_ << "<line x1=\"" << Num(L_.left) << "\" x2=\"" << Num(L_.width - L_.right) << "\" y1=\""
          << Num(y + L_.row) << "\" y2=\"" << Num(y + L_.row) << "\" stroke=\"#dddddd\"/>\n";
      auto sit = tl_.segments.find(n);
      const std::vector<Segment> none;
      const std::vector<Segment>& segs = sit == tl_.segments.end() ? none : sit->second;
      for (const Segment& s : segs) {
        const double x0 = L_.X(s.t0), x1 = std::max(L_.X(s.t1), x0 + 1);
        std::string members;
        for (size_t k = 0; k < s.members.size(); ++k) members += (k ? "," : "") + std::to_string(s.members[k]);
        os_ << "<rect class=\"seg " << StateClass(s) << "\" x=\"" << Num(x0) << "\" y=\"" << Num(y + L_.band)
            << "\" width=\"" << Num(x1 - x0) << "\" height=\"" << Num(L_.row - L_.band - 2) << "\" fill=\""
            << Fill(s) << "\" stroke=\"" << (s.run == Segment::Run::kDown ? "#cccccc" : "none")
            << "\"><title>node " << n << ": " << StateClass(s) << " from " << Time(s.t0) << " to "
            << Time(s.t1) << (s.ring.empty() ? "" : ", ring " + s.ring + " members " + members)
            << "</title></rect>\n";
        if (s.run != Segment::Run::kDown && !s.ring.empty()) {
          os_ << "<rect class=\"ring\" data-ring=\"" << Esc(s.ring) << "\" x=\"" << Num(x0) << "\" y=\"" << Num(y + 1)
              << "\" width=\"" << Num(x1 - x0) << "\" height=\"" << Num(L_.band - 1) << "\" fill=\""
              << RingColour(s.ring) << "\"><title>ring " << Esc(s.ring) << ": " << members << "</title></rect>\n";
          if (x1 - x0 > 34 && L_.band >= 8) {
            os_ << "<text x=\"" << Num(x0 + 2) << "\" y=\"" << Num(y + L_.band - 1)
                << "\" font-size=\"8\" fill=\"#ffffff\">" << Esc(s.ring) << "</text>\n";
          }
        }
      }
      VoteLines(n, segs, y, maxv);
      NodeMarkers(n, y);
      os_ << "</g>\n";
    }
  }

  // Expected votes (solid blue) and quorum (dashed orange), as steps, while the node runs.
  void VoteLines(NodeId n, const std::vector<Segment>& segs, double y, uint32_t maxv) {
    auto it = tl_.votes.find(n);
    if (it == tl_.votes.end() || it->second.empty()) return;
    const std::vector<VotePoint>& pts = it->second;
    const double top = y + L_.band + 3, bottom = y + L_.row - 4;
    auto Y = [&](uint32_t v) { return bottom - (bottom - top) * static_cast<double>(v) / maxv; };
    for (int which = 0; which < 2; ++which) {
      std::ostringstream path;
      for (const Segment& s : segs) {
        if (s.run == Segment::Run::kDown) continue;
        bool open = false;
        for (size_t k = 0; k < pts.size(); ++k) {
          const uint64_t a = std::max(pts[k].t, s.t0);
          const uint64_t b = std::min(k + 1 < pts.size() ? pts[k + 1].t : s.t1, s.t1);
          if (a > b || (k + 1 < pts.size() && pts[k + 1].t <= s.t0)) continue;
          const uint32_t v = which == 0 ? pts[k].expected : pts[k].quorum;
          if (v == 0) {
            open = false;
            continue;
          }
          path << (open ? " L" : " M") << Num(L_.X(a)) << " " << Num(Y(v)) << " L" << Num(L_.X(b)) << " " << Num(Y(v));
          open = true;
        }
      }
      if (path.str().empty()) continue;
      os_ << "<path class=\"" << (which == 0 ? "expected" : "quorum") << "\" d=\"" << path.str()
          << "\" fill=\"none\" stroke=\"" << (which == 0 ? "#1f4e9c" : "#d9480f") << "\" stroke-width=\"1.6\""
          << (which == 1 ? " stroke-dasharray=\"4 2\"" : "") << "><title>node " << n << " "
          << (which == 0 ? "expected votes" : "quorum") << "</title></path>\n";
    }
    // The values, where they change, as small labels.
    double last_x = -100;
    for (const VotePoint& p : pts) {
      const double x = L_.X(p.t);
      if (x - last_x < 46 || L_.row < 26) continue;
      last_x = x;
      os_ << "<text class=\"vote-label\" x=\"" << Num(x + 2) << "\" y=\"" << Num(y + L_.row - 4)
          << "\" font-size=\"8\" fill=\"#333333\">e" << p.expected;
      if (p.quorum) os_ << " q" << p.quorum;
      if (p.total) os_ << " t" << p.total;
      os_ << "</text>\n";
    }
  }

  void NodeMarkers(NodeId n, double y) {
    const double cy = y + L_.band + (L_.row - L_.band) / 2;
    const double r = std::min(5.0, L_.row / 5);
    for (const Marker& m : tl_.markers) {
      if (m.node != n) continue;
      const double x = L_.X(m.t);
      os_ << "<g class=\"mk " << m.kind << "\"><title>" << Time(m.t) << ": " << Esc(m.label) << "</title>";
      if (m.kind == "crash") {
        os_ << "<path d=\"M" << Num(x - r) << " " << Num(cy - r) << " L" << Num(x + r) << " " << Num(cy + r) << " M"
            << Num(x - r) << " " << Num(cy + r) << " L" << Num(x + r) << " " << Num(cy - r)
            << "\" stroke=\"#c00000\" stroke-width=\"2.5\"/>";
      } else if (m.kind == "start" || m.kind == "resume") {
        os_ << "<path d=\"M" << Num(x) << " " << Num(cy - r) << " L" << Num(x + r * 1.6) << " " << Num(cy) << " L"
            << Num(x) << " " << Num(cy + r) << " Z\" fill=\"" << (m.kind == "start" ? "#1b7f1b" : "#b08800") << "\"/>";
      } else if (m.kind == "exit" || m.kind == "shutdown" || m.kind == "pause") {
        os_ << "<rect x=\"" << Num(x - r) << "\" y=\"" << Num(cy - r) << "\" width=\"" << Num(2 * r) << "\" height=\""
            << Num(2 * r) << "\" fill=\"" << (m.kind == "pause" ? "#b08800" : "#444444") << "\"/>";
      } else if (m.kind == "move") {
        os_ << "<path d=\"M" << Num(x - r) << " " << Num(cy) << " L" << Num(x + r) << " " << Num(cy) << " M" << Num(x + r / 2)
            << " " << Num(cy - r / 2) << " L" << Num(x + r) << " " << Num(cy) << " L" << Num(x + r / 2) << " "
            << Num(cy + r / 2) << "\" stroke=\"#6a3d9a\" stroke-width=\"2\" fill=\"none\"/>";
      } else if (m.kind == "api") {
        os_ << "<path d=\"M" << Num(x) << " " << Num(cy - r) << " L" << Num(x + r) << " " << Num(cy) << " L" << Num(x) << " "
            << Num(cy + r) << " L" << Num(x - r) << " " << Num(cy) << " Z\" fill=\"#1f77b4\"/>";
      } else if (m.kind == "callback") {
        os_ << "<circle cx=\"" << Num(x) << "\" cy=\"" << Num(y + L_.row - 4) << "\" r=\"" << Num(std::max(1.5, r / 2))
            << "\" fill=\"#9467bd\"/>";
      } else {
        os_ << "<circle cx=\"" << Num(x) << "\" cy=\"" << Num(cy) << "\" r=\"" << Num(r * 0.8)
            << "\" fill=\"none\" stroke=\"#555555\" stroke-width=\"1.5\"/>";
      }
      os_ << "</g>\n";
    }
  }

  // One dashed line per moment at which script commands ran, labelled with them.
  void Commands() {
    std::map<uint64_t, std::vector<std::string>> at;
    for (const Marker& m : tl_.markers) {
      if (m.kind == "command") at[m.t].push_back(m.label);
    }
    const double bottom = RowY(tl_.nodes.size());
    for (const auto& [t, texts] : at) {
      std::string label;
      std::string all;
      for (const std::string& s : texts) {
        all += (all.empty() ? "" : "; ") + s;
        if (s.rfind("expect", 0) == 0) continue;  // checks, not actions
        label += (label.empty() ? "" : "; ") + s;
      }
      if (label.empty()) label = texts.size() == 1 ? texts[0] : std::to_string(texts.size()) + " expects";
      if (label.size() > 34) label = label.substr(0, 32) + "..";
      const double x = L_.X(t);
      os_ << "<g class=\"cmd\"><title>" << Time(t) << ": " << Esc(all) << "</title><line x1=\"" << Num(x)
          << "\" x2=\"" << Num(x) << "\" y1=\"" << Num(L_.top - 4) << "\" y2=\"" << Num(bottom)
          << "\" stroke=\"#555555\" stroke-dasharray=\"3 3\"/><text transform=\"translate(" << Num(x + 3) << ","
          << Num(L_.top - 8) << ") rotate(-45)\" font-size=\"10\" fill=\"#222222\">" << Esc(label) << "</text></g>\n";
    }
  }

  void Axis() {
    const double y = RowY(tl_.nodes.size()) + 4;
    os_ << "<g class=\"axis\"><line x1=\"" << Num(L_.left) << "\" x2=\"" << Num(L_.width - L_.right) << "\" y1=\""
        << Num(y) << "\" y2=\"" << Num(y) << "\" stroke=\"#000000\"/>\n";
    double last = -100;
    for (size_t i = 0; i < L_.times.size(); ++i) {
      const double x = L_.xs[i];
      os_ << "<line x1=\"" << Num(x) << "\" x2=\"" << Num(x) << "\" y1=\"" << Num(y) << "\" y2=\"" << Num(y + 4)
          << "\" stroke=\"#000000\"/>";
      if (x - last >= 48 && (i == 0 || L_.times[i] != L_.times[i - 1] + 1 || i + 1 < L_.times.size())) {
        os_ << "<text x=\"" << Num(x) << "\" y=\"" << Num(y + 15) << "\" text-anchor=\"middle\" font-size=\"9\">"
            << Time(L_.times[i]) << "</text>";
        last = x;
      }
    }
    os_ << "<text x=\"" << Num(L_.left) << "\" y=\"" << Num(y + 28)
        << "\" font-size=\"9\" fill=\"#555555\">virtual time (compressed: equal steps per event, gaps grow "
           "with log of the time between)</text></g>\n";
  }

  void Legend() {
    double x = 10;
    const double y = L_.height - 50;
    os_ << "<g class=\"legend\">";
    auto swatch = [&](const char* fill, const char* label, const char* cls) {
      os_ << "<rect class=\"legend-" << cls << "\" x=\"" << Num(x) << "\" y=\"" << Num(y) << "\" width=\"14\" height=\"10\" fill=\""
          << fill << "\" stroke=\"#999999\"/><text x=\"" << Num(x + 18) << "\" y=\"" << Num(y + 9) << "\">" << label
          << "</text>";
      x += 26 + 6.2 * static_cast<double>(std::string(label).size());
    };
    swatch(kQuorate, "quorate", "quorate");
    swatch(kInquorate, "inquorate", "inquorate");
    swatch(kStarting, "no notification yet", "starting");
    swatch(kPaused, "paused", "paused");
    swatch(kDown, "down", "down");
    swatch(kPalette[0], "ring (band colour = ring id)", "ring");
    x = 10;
    const double y2 = y + 16;
    os_ << "<path d=\"M" << Num(x) << " " << Num(y2 + 5) << " L" << Num(x + 16) << " " << Num(y2 + 5)
        << "\" stroke=\"#1f4e9c\" stroke-width=\"1.6\"/><text x=\"" << Num(x + 20) << "\" y=\"" << Num(y2 + 9)
        << "\">expected votes (e)</text>";
    x += 130;
    os_ << "<path d=\"M" << Num(x) << " " << Num(y2 + 5) << " L" << Num(x + 16) << " " << Num(y2 + 5)
        << "\" stroke=\"#d9480f\" stroke-width=\"1.6\" stroke-dasharray=\"4 2\"/><text x=\"" << Num(x + 20) << "\" y=\""
        << Num(y2 + 9) << "\">quorum (q); t = total votes</text>";
    os_ << "<text x=\"10\" y=\"" << Num(y2 + 24)
        << "\" font-size=\"9\" fill=\"#444444\">markers: red cross crash, green triangle start, square exit/leave, "
           "purple arrow move, blue diamond API call, purple dot callback, ring = timer; dashed line = script "
           "command</text></g>\n";
  }

  const Timeline& tl_;
  Layout L_;
  std::ostringstream os_;
  std::map<std::string, std::string> rings_;
};

}  // namespace

std::string RenderSvg(const Timeline& tl) { return Svg(tl).Render(); }

std::string RenderHtml(const Timeline& tl) {
  std::ostringstream os;
  os << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" << Esc(tl.title)
     << "</title>\n<style>\nbody { font-family: DejaVu Sans, Arial, sans-serif; margin: 16px; color: #222; }\n"
        "svg { border: 1px solid #ccc; }\n.seg:hover, .ring:hover { opacity: 0.75; }\n</style>\n</head>\n<body>\n"
     << "<h1>" << Esc(tl.title) << "</h1>\n<p>quorumsim timeline: one row per node over virtual time. Hover an "
        "element for its details.</p>\n"
     << RenderSvg(tl) << "<h2>Commands</h2>\n<ol class=\"commands\">\n";
  for (const Marker& m : tl.markers) {
    if (m.kind != "command") continue;
    os << "<li><code>" << Esc(m.label) << "</code> at " << m.t << " ms</li>\n";
  }
  os << "</ol>\n</body>\n</html>\n";
  return os.str();
}

}  // namespace quorumsim::timeline
