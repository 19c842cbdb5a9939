// What the run report samples over time, read without disturbing the run:
// no register access, no simulated time.
#pragma once

#include <cstdint>

#include "device_interface.h"
#include "offload_target.h"

namespace chimney::tb {

// Descriptors the engine has written to the completion queues and the
// driver has not consumed yet, over every queue pair: from each CQ's head,
// the slots whose phase bit is the one expected for their pass, read from
// host memory.
uint64_t cqOccupancy(OffloadTarget& target, const DmaMemory& memory);

}  // namespace chimney::tb
