// PassOnObserver passes every observation on unchanged; kindName and
// statusName name ops and statuses as the run report does.
#include "pass_on_observer.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "run_observer.h"

namespace chimney::tb {
namespace {

// Notes each observation as its name and the numbers it carried.
class Recorder final : public StackObserver {
 public:
  std::vector<std::string> log;

  void onDriverRegistered(DriverId d, DriverKind k, const std::string& n) override {
    note("driver", {d.value, unsigned(k)}, n);
  }
  void onMiniportRegistered(NdisMiniportHandle m, DriverId d) override {
    note("miniport", {m.value, d.value});
  }
  void onBindingOpened(NdisBindingHandle b, ProtocolBindingContext c, DriverId d,
                       NdisMiniportHandle m) override {
    note("binding", {b.value, c.value, d.value, m.value});
  }
  void onOffloadHandleAllocated(NdisOffloadHandle h, NdisBindingHandle b, ConnectionId c) override {
    note("handle", {h.value, b.value, c.value});
  }
  void onDownCallBegin(const EdgeCall& c) override { note("down-begin", {c.flags}); }
  void onDownCallEnd(const EdgeCall& c, NdisStatus s) override {
    note("down-end", {c.flags, unsigned(s)});
  }
  void onUpCallBegin(const EdgeCall& c) override { note("up-begin", {c.flags}); }
  void onUpCallEnd(const EdgeCall& c, NdisStatus s, uint32_t n) override {
    note("up-end", {c.flags, unsigned(s), n});
  }
  void onRoutingError(const EdgeCall& c, const std::string& w) override {
    note("routing", {c.flags}, w);
  }
  void onHostConnectionOpened(ConnectionId c, NdisOffloadHandle h) override {
    note("opened", {c.value, h.value});
  }
  void onHostPost(ConnectionId c, OffloadOp op, NetBufferList* list, uint32_t flags) override {
    note("post", {c.value, unsigned(op), list->scratch, flags});
  }
  void onHostPostReturned(ConnectionId c, OffloadOp op, NdisStatus s) override {
    note("post-returned", {c.value, unsigned(op), unsigned(s)});
  }
  void onHostCompletion(OffloadOp op, NetBufferList* list) override {
    note("completion", {unsigned(op), list->scratch});
  }
  void onHostIndication(ConnectionId c, NetBufferList* nbl, NdisStatus s, uint32_t n) override {
    note("indication", {c.value, nbl->scratch, unsigned(s), n});
  }
  void onHostEvent(ConnectionId c, OffloadEvent e) override {
    note("event", {c.value, unsigned(e)});
  }
  void onHostReceiveReturn(ConnectionId c, NetBufferList* nbl, NdisStatus s) override {
    note("receive-return", {c.value, nbl->scratch, unsigned(s)});
  }
  void onHostTerminateRequested(ConnectionId c) override { note("terminate", {c.value}); }
  void onHostTerminateComplete(ConnectionId c, NdisStatus s) override {
    note("terminated", {c.value, unsigned(s)});
  }
  void onCallEntryAllocated(DriverId d, uint64_t e, NetBufferList* nbl, OffloadOp op) override {
    note("entry", {d.value, e, nbl->scratch, unsigned(op)});
  }
  void onCallEntryFreed(DriverId d, uint64_t e) override { note("entry-freed", {d.value, e}); }
  void onDriverViolation(int i, DriverId d, OffloadOp op, NetBufferList* nbl,
                         const std::string& what) override {
    note("violation", {unsigned(i), d.value, unsigned(op), nbl->scratch}, what);
  }
  void onHardwareConnectionBound(ConnectionId c, uint16_t hw, unsigned qp) override {
    note("bound", {c.value, hw, qp});
  }
  void onHardwareConnectionReleased(uint16_t hw) override { note("released", {hw}); }
  void onRequestQueued(NetBufferList* nbl, OffloadOp op, uint64_t tag, unsigned qp,
                       uint32_t sqIndex) override {
    note("queued", {nbl->scratch, unsigned(op), tag, qp, sqIndex});
  }
  void onDescriptorRead(unsigned qp, uint32_t cqIndex, const prm::Completion& c) override {
    note("read", {qp, cqIndex, c.tag});
  }
  void onPeerData(uint16_t hw, uint32_t bytes) override { note("peer-data", {hw, bytes}); }
  void onPeerFin(uint16_t hw) override { note("peer-fin", {hw}); }
  void onPeerRst(uint16_t hw) override { note("peer-rst", {hw}); }

 private:
  void note(const char* what, std::initializer_list<uint64_t> numbers,
            const std::string& text = {}) {
    std::string line = what;
    for (uint64_t n : numbers) line += " " + std::to_string(n);
    if (!text.empty()) line += " " + text;
    log.push_back(line);
  }
};

TEST(PassOnObserver, PassesEveryObservationOnWithItsArguments) {
  Recorder next;
  PassOnObserver pass(next);
  StackObserver& o = pass;
  NetBufferList nbl;
  nbl.scratch = 9;
  EdgeCall call;
  call.flags = 7;
  prm::Completion cpl;
  cpl.tag = 33;

  o.onDriverRegistered(DriverId{1}, DriverKind::kIntermediate, "im0");
  o.onMiniportRegistered(NdisMiniportHandle{2}, DriverId{3});
  o.onBindingOpened(NdisBindingHandle{4}, ProtocolBindingContext{5}, DriverId{6},
                    NdisMiniportHandle{7});
  o.onOffloadHandleAllocated(NdisOffloadHandle{8}, NdisBindingHandle{9}, ConnectionId{10});
  o.onDownCallBegin(call);
  o.onDownCallEnd(call, NdisStatus::kPending);
  o.onUpCallBegin(call);
  o.onUpCallEnd(call, NdisStatus::kSuccess, 11);
  o.onRoutingError(call, "lost");
  o.onHostConnectionOpened(ConnectionId{12}, NdisOffloadHandle{13});
  o.onHostPost(ConnectionId{14}, OffloadOp::kReceive, &nbl, 15);
  o.onHostPostReturned(ConnectionId{16}, OffloadOp::kForward, NdisStatus::kPending);
  o.onHostCompletion(OffloadOp::kDisconnect, &nbl);
  o.onHostIndication(ConnectionId{17}, &nbl, NdisStatus::kSuccess, 18);
  o.onHostEvent(ConnectionId{19}, OffloadEvent::kAbort);
  o.onHostReceiveReturn(ConnectionId{20}, &nbl, NdisStatus::kSuccess);
  o.onHostTerminateRequested(ConnectionId{21});
  o.onHostTerminateComplete(ConnectionId{22}, NdisStatus::kSuccess);
  o.onCallEntryAllocated(DriverId{23}, 24, &nbl, OffloadOp::kSend);
  o.onCallEntryFreed(DriverId{25}, 26);
  o.onDriverViolation(14, DriverId{27}, OffloadOp::kReceive, &nbl, "leak");
  o.onHardwareConnectionBound(ConnectionId{28}, 29, 3);
  o.onHardwareConnectionReleased(30);
  o.onRequestQueued(&nbl, OffloadOp::kSend, 31, 2, 32);
  o.onDescriptorRead(1, 34, cpl);
  o.onPeerData(35, 36);
  o.onPeerFin(37);
  o.onPeerRst(38);

  const std::vector<std::string> expected = {"driver 1 1 im0",
                                             "miniport 2 3",
                                             "binding 4 5 6 7",
                                             "handle 8 9 10",
                                             "down-begin 7",
                                             "down-end 7 259",
                                             "up-begin 7",
                                             "up-end 7 0 11",
                                             "routing 7 lost",
                                             "opened 12 13",
                                             "post 14 1 9 15",
                                             "post-returned 16 3 259",
                                             "completion 2 9",
                                             "indication 17 9 0 18",
                                             "event 19 4",
                                             "receive-return 20 9 0",
                                             "terminate 21",
                                             "terminated 22 0",
                                             "entry 23 24 9 0",
                                             "entry-freed 25 26",
                                             "violation 14 27 1 9 leak",
                                             "bound 28 29 3",
                                             "released 30",
                                             "queued 9 0 31 2 32",
                                             "read 1 34 33",
                                             "peer-data 35 36",
                                             "peer-fin 37",
                                             "peer-rst 38"};
  EXPECT_EQ(next.log, expected);
}

TEST(KindName, NamesEveryOpAsTheReportDoes) {
  const std::vector<std::string> names = {"send",    "receive",    "disconnect",
                                          "forward", "indication", "receive-return",
                                          "event",   "offload",    "terminate"};
  for (unsigned op = 0; op < names.size(); ++op) {
    EXPECT_EQ(kindName(OffloadOp(op)), names[op]) << "op " << op;
  }
}

TEST(StatusName, IsTheNdisNameWithoutItsPrefixes) {
  const std::vector<std::pair<NdisStatus, std::string>> names = {
      {NdisStatus::kSuccess, "SUCCESS"},
      {NdisStatus::kPending, "PENDING"},
      {NdisStatus::kRequestAborted, "REQUEST_ABORTED"},
      {NdisStatus::kUploadInProgress, "UPLOAD_IN_PROGRESS"},
      {NdisStatus::kInvalidState, "INVALID_STATE"},
      {NdisStatus::kInvalidParameter, "INVALID_PARAMETER"},
      {NdisStatus::kRequestUpload, "REQUEST_UPLOAD"},
      {NdisStatus::kUploadRequested, "UPLOAD_REQUESTED"},
      {NdisStatus::kOffloadDataNotAccepted, "NOT_ACCEPTED"},
      {NdisStatus::kOffloadDataPartiallyAccepted, "PARTIALLY_ACCEPTED"},
      {NdisStatus::kResources, "RESOURCES"},
      {NdisStatus(0xC0000042), "0xC0000042"}};  // none of the above
  for (const auto& [status, name] : names) EXPECT_EQ(statusName(status), name);
}

}  // namespace
}  // namespace chimney::tb
