// Heap allocations made by this process, counted by replacing the global operator new
// (bench binaries only: link //bench:alloc_count). Used to report allocations per
// transition; plain malloc calls (none on quorumsim's paths) are not counted.
#ifndef QUORUMSIM_BENCH_ALLOC_COUNT_H_
#define QUORUMSIM_BENCH_ALLOC_COUNT_H_

#include <cstdint>

namespace quorumsim::bench {

// operator new calls (all forms) since the process started.
uint64_t AllocationCount();
// Bytes requested by those calls.
uint64_t AllocatedBytes();

}  // namespace quorumsim::bench

#endif  // QUORUMSIM_BENCH_ALLOC_COUNT_H_
