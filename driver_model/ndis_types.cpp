#include "ndis_types.h"

namespace chimney {

const char* toString(NdisStatus status) {
  switch (status) {
    case NdisStatus::kSuccess:
      return "NDIS_STATUS_SUCCESS";
    case NdisStatus::kPending:
      return "NDIS_STATUS_PENDING";
    case NdisStatus::kRequestAborted:
      return "NDIS_STATUS_REQUEST_ABORTED";
    case NdisStatus::kUploadInProgress:
      return "NDIS_STATUS_UPLOAD_IN_PROGRESS";
    case NdisStatus::kInvalidState:
      return "NDIS_STATUS_INVALID_STATE";
    case NdisStatus::kInvalidParameter:
      return "NDIS_STATUS_INVALID_PARAMETER";
    case NdisStatus::kRequestUpload:
      return "NDIS_STATUS_REQUEST_UPLOAD";
    case NdisStatus::kUploadRequested:
      return "NDIS_STATUS_UPLOAD_REQUESTED";
    case NdisStatus::kOffloadDataNotAccepted:
      return "NDIS_STATUS_OFFLOAD_DATA_NOT_ACCEPTED";
    case NdisStatus::kOffloadDataPartiallyAccepted:
      return "NDIS_STATUS_OFFLOAD_DATA_PARTIALLY_ACCEPTED";
    case NdisStatus::kResources:
      return "NDIS_STATUS_RESOURCES";
  }
  return "NDIS_STATUS_<unknown>";
}

const char* toString(DriverKind kind) {
  switch (kind) {
    case DriverKind::kHostStack:
      return "host stack";
    case DriverKind::kIntermediate:
      return "IM driver";
    case DriverKind::kOffloadTarget:
      return "offload target";
  }
  return "<unknown driver kind>";
}

uint64_t NetBuffer::currentAddress() const {
  uint64_t skip = dataOffset;
  for (const Mdl& mdl : mdlChain) {
    if (skip < mdl.byteCount) return mdl.address + skip;
    skip -= mdl.byteCount;
  }
  return 0;
}

void NdisAllocateNetBufferListContext(NetBufferList* nbl, DriverId owner, uint64_t value) {
  nbl->contextStack.push_back(NblContext{owner, value});
}

NblContext NdisFreeNetBufferListContext(NetBufferList* nbl, DriverId owner) {
  if (nbl->contextStack.empty() || nbl->contextStack.back().owner != owner) return {};
  NblContext top = nbl->contextStack.back();
  nbl->contextStack.pop_back();
  return top;
}

std::size_t nblListLength(const NetBufferList* head) {
  std::size_t n = 0;
  for (; head != nullptr; head = head->next) ++n;
  return n;
}

std::vector<NetBufferList*> nblListToVector(NetBufferList* head) {
  std::vector<NetBufferList*> out;
  for (; head != nullptr; head = head->next) out.push_back(head);
  return out;
}

NetBufferList* nblListFromVector(const std::vector<NetBufferList*>& nbls) {
  for (std::size_t i = 0; i < nbls.size(); ++i) {
    nbls[i]->next = (i + 1 < nbls.size()) ? nbls[i + 1] : nullptr;
  }
  return nbls.empty() ? nullptr : nbls.front();
}

NetBufferList* NetBufferListPool::allocate(uint32_t length, uint64_t address) {
  NetBufferList* nbl = nullptr;
  if (!freeList_.empty()) {
    nbl = freeList_.front();
    freeList_.pop_front();
  } else {
    storage_.push_back(std::make_unique<NetBufferList>());
    nbl = storage_.back().get();
    owned_.insert(nbl);
  }
  nbl->next = nullptr;
  nbl->status = NdisStatus::kSuccess;
  nbl->tcpOffloadBytesTransferred = 0;
  nbl->tcpReceiveNoPush = false;
  nbl->protocolReserved = {};
  nbl->miniportReserved = {};
  nbl->scratch = 0;
  nbl->sourceHandle = {};
  nbl->contextStack.clear();
  nbl->netBuffer.dataOffset = 0;
  nbl->netBuffer.dataLength = length;
  nbl->netBuffer.mdlChain.assign(1, Mdl{address, length});
  nbl->firstNetBuffer = &nbl->netBuffer;
  ++allocated_;
  return nbl;
}

bool NetBufferListPool::owns(const NetBufferList* nbl) const {
  return owned_.count(nbl) != 0;
}

void NetBufferListPool::free(NetBufferList* nbl) {
  if (nbl == nullptr) return;
  freeList_.push_back(nbl);
  --allocated_;
}

}  // namespace chimney
