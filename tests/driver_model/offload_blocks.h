// Offload blocks a test hands to an offload target it drives directly (in
// place of NDIS), kept until the test ends.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "ndis_offload.h"
#include "ndis_types.h"

namespace chimney::testing {

class OffloadBlocks {
 public:
  // Offloads connection `id` (handle value = id) onto `target`; requires
  // SUCCESS and returns the handle.
  NdisOffloadHandle offload(MiniportOffloadHandlers& target, uint32_t id) {
    OffloadBlock* b = fresh();
    b->handle = NdisOffloadHandle{id};
    b->connection = ConnectionId{id};
    target.MiniportInitiateOffload(b);
    EXPECT_EQ(b->status, NdisStatus::kSuccess);
    return b->handle;
  }
  // Asks `target` to terminate the offload of `handle`.
  void terminate(MiniportOffloadHandlers& target, NdisOffloadHandle handle) {
    OffloadBlock* b = fresh();
    b->handle = handle;
    target.MiniportTerminateOffload(b);
  }

 private:
  OffloadBlock* fresh() {
    blocks_.push_back(std::make_unique<OffloadBlock>());
    return blocks_.back().get();
  }
  std::vector<std::unique_ptr<OffloadBlock>> blocks_;
};

}  // namespace chimney::testing
