// Draws a Timeline as SVG (and as a self-contained HTML page around the same SVG): one row
// per node over virtual time; the ring a node is in as a coloured band on top of its row,
// quorate / inquorate / down shading, expected votes and quorum as step lines inside the
// row, script commands as vertical lines, faults, API calls and callbacks as markers.
//
// The time axis is compressed: every moment something happens gets a column, and the gap to
// the next one grows with the logarithm of the time between them, so a 50 ms ring merge and
// an 11 s wait are both readable. Tick labels give the real virtual time.
#ifndef QUORUMSIM_SIM_TIMELINE_SVG_H_
#define QUORUMSIM_SIM_TIMELINE_SVG_H_

#include <string>

#include "sim/timeline/timeline.h"

namespace quorumsim::timeline {

std::string RenderSvg(const Timeline& tl);
std::string RenderHtml(const Timeline& tl);

}  // namespace quorumsim::timeline

#endif  // QUORUMSIM_SIM_TIMELINE_SVG_H_
