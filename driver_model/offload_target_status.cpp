#include "offload_target_status.h"

namespace chimney {

MappedStatus mapCompletionStatus(prm::CplStatus hw, OffloadOp op) {
  switch (hw) {
    case prm::CplStatus::kSuccess:
      return {NdisStatus::kSuccess};
    case prm::CplStatus::kAborted:
      return {NdisStatus::kRequestAborted};
    case prm::CplStatus::kUpload:
      return {NdisStatus::kUploadInProgress};
    case prm::CplStatus::kInvalidState:
      return {op == OffloadOp::kReceive ? NdisStatus::kInvalidState
                                        : NdisStatus::kInvalidParameter};
    case prm::CplStatus::kInvalidConn:
    case prm::CplStatus::kInvalidRequest:
    case prm::CplStatus::kWrongQp:
      return {NdisStatus::kInvalidParameter};
  }
  return {NdisStatus::kRequestAborted, false};
}

prm::CplType completionTypeFor(OffloadOp op) {
  switch (op) {
    case OffloadOp::kSend:
      return prm::CplType::kSend;
    case OffloadOp::kReceive:
      return prm::CplType::kRecv;
    case OffloadOp::kDisconnect:
      return prm::CplType::kDisconnect;
    case OffloadOp::kForward:
      return prm::CplType::kForward;
    default:
      break;
  }
  return prm::CplType::kSend;
}

}  // namespace chimney
