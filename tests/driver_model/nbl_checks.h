// Checks on NBLs the offload target completed, for the offload-target tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>

#include "ndis_types.h"

namespace chimney::testing {

// Passes when `n` came back with `status` and `bytes` transferred; a failure
// names what it came back with.
inline ::testing::AssertionResult completedWith(const NetBufferList* n, NdisStatus status,
                                                uint32_t bytes) {
  if (n->status == status && n->tcpOffloadBytesTransferred == bytes) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "completed with " << toString(n->status) << ", " << n->tcpOffloadBytesTransferred
         << " bytes; expected " << toString(status) << ", " << bytes << " bytes";
}

}  // namespace chimney::testing
