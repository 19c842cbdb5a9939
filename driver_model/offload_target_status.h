// Hardware completion status (PRM section 5) -> NDIS status
// (docs/spec/DRIVER-MODEL.md "Status codes"), per operation.
#pragma once

#include "ndis_types.h"
#include "prm.h"
#include "stack_observer.h"

namespace chimney {

struct MappedStatus {
  NdisStatus status = NdisStatus::kSuccess;
  bool known = true;  // false: a status value the PRM does not define
};

// The table of docs/spec/DRIVER-MODEL.md, with two decisions where it is not enough:
// - INVALID_STATE is a receive status (a receive after the peer's FIN). The
//   engine also reports it for a SEND or graceful DISCONNECT posted after a
//   graceful DISCONNECT; for those operations the request was malformed in
//   its context, and invariant 4 allows only INVALID_PARAMETER for that, so
//   it becomes NDIS_STATUS_INVALID_PARAMETER.
// - A status the PRM does not define is counted by the caller and becomes
//   NDIS_STATUS_REQUEST_ABORTED: the request failed for a reason the driver
//   cannot name, and every operation allows that status.
MappedStatus mapCompletionStatus(prm::CplStatus hw, OffloadOp op);

// The completion type the engine writes for a request of operation `op`.
prm::CplType completionTypeFor(OffloadOp op);

}  // namespace chimney
