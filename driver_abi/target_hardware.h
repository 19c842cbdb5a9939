// TargetHardware: the hardware side NDIS gives a loaded offload target (a C
// miniport): the engine's CSR space behind NdisMMapIoSpace /
// NdisRead/WriteRegisterUlong, shared memory behind NdisMAllocateSharedMemory
// (each block a window the device may DMA into), the interrupt the device
// raises (ISR, then the DPC through the run's DPC scheduler), timer objects,
// and NBL pools. Everything goes through DeviceInterface, as the built-in
// target's accesses do.
//
// Shared memory: the driver works on ordinary host memory; the device sees
// DmaMemory. The two are brought in step at the points a real driver would
// need a barrier: before every register access the driver's changes go to
// the device, after every register read and at the entry of the ISR, the DPC
// and a timer the device's changes come to the driver.
//
// What it sees (register writes) it turns into what the checks need: the
// driver's ring pointers (last SQ_TAIL and CQ_HEAD written), descriptors
// consumed (CQ_HEAD advances), hardware connections bound (a CONN_CMD
// OFFLOAD the driver wrote while handling an initiate that then succeeded)
// and released (the terminate's completion).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "abi_records.h"
#include "device_interface.h"
#include "stack_observer.h"
#include "wdk/ndis_miniport_hw.h"

namespace chimney::abi {

constexpr uint32_t kMappingMagic = 0x43535253;  // "CSRS"
constexpr uint32_t kPoolNblMagic = 0x504E424C;  // "PNBL"

class TargetHardware;

// In front of the 64 KiB-aligned CSR mapping a driver gets.
struct MappingHeader {
  uint32_t magic = kMappingMagic;
  TargetHardware* hw = nullptr;
  uint32_t length = 0;
};

// An NBL a driver allocated from a pool (NdisAllocateNetBufferAndNetBufferList).
struct PoolNbl {
  uint32_t magic = kPoolNblMagic;
  TargetHardware* hw = nullptr;
  NET_BUFFER_LIST nbl{};
  NET_BUFFER nb{};
  std::string operation;  // what the driver was doing when it allocated it
};

class TargetHardware {
 public:
  using DpcScheduler = std::function<void(std::function<void()>)>;
  TargetHardware(DriverRuntime& runtime, CAdapter& adapter);
  ~TargetHardware();
  TargetHardware(const TargetHardware&) = delete;
  TargetHardware& operator=(const TargetHardware&) = delete;

  void connect(DeviceInterface& device, DpcScheduler scheduler) {
    device_ = &device;
    scheduler_ = std::move(scheduler);
  }
  void forgetDevice();  // surprise removal: no register access from here on
  // The adapter's configuration keywords (NdisReadConfiguration).
  void setConfiguration(std::map<std::string, uint32_t> keywords) {
    keywords_ = std::move(keywords);
  }
  NDIS_HANDLE openConfiguration();
  PNDIS_CONFIGURATION_PARAMETER readConfiguration(const std::string& keyword);

  // ---- CSR space
  NDIS_STATUS mapIoSpace(PVOID* va, uint64_t physical, UINT length);
  void unmapIoSpace(PVOID va);
  ULONG readRegister(const MappingHeader& m, const ULONG* reg);
  void writeRegister(const MappingHeader& m, const ULONG* reg, ULONG value);
  static MappingHeader* mappingOf(const ULONG* reg);

  // ---- Shared memory
  void allocateShared(ULONG length, PVOID* va, PNDIS_PHYSICAL_ADDRESS pa);
  void freeShared(PVOID va, uint64_t pa, ULONG length);

  // ---- Interrupt
  NDIS_STATUS registerInterrupt(NDIS_HANDLE context,
                                const NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS& c,
                                PNDIS_HANDLE handle);
  void deregisterInterrupt(NDIS_HANDLE handle);

  // ---- Timers
  NDIS_STATUS allocateTimer(const NDIS_TIMER_CHARACTERISTICS& c, PNDIS_HANDLE handle);
  BOOLEAN setTimer(HandleRecord* timer, PVOID context);
  BOOLEAN cancelTimer(HandleRecord* timer);
  void freeTimer(HandleRecord* timer);
  bool timerSet() const;
  void runTimers();  // the driver thread's timer tick: every set timer fires

  // ---- NBL pools
  NDIS_HANDLE allocatePool();
  void freePool(HandleRecord* pool);
  PNET_BUFFER_LIST allocateNbl(HandleRecord* pool, PMDL mdl, ULONG offset, SIZE_T length);
  void freeNbl(PoolNbl* nbl);

  // ---- What the checks see
  // The connection whose initiate the driver is handling (invalid: none).
  void setInitiating(ConnectionId connection) { initiating_ = connection; }
  void offloadCompleted(ConnectionId connection, bool success);
  void terminateCompleted(ConnectionId connection);
  std::vector<RingSnapshot> ringSnapshots();
  uint64_t descriptorsConsumed() const { return descriptors_; }
  // SQ_TAIL doorbells that filled the ring (as far as the SQ_HEAD the driver
  // last read shows).
  uint64_t sqFullSeen() const { return sqFull_; }
  // Queue pairs enabled again after the driver saw them HALTED (PRM 7).
  uint64_t recoveries() const { return recoveries_; }
  // Ring base the driver programmed (0: none).
  uint64_t ringBase(unsigned q, bool sq) const;
  std::size_t liveConnections() const { return hwConns_.size(); }
  // One line per thing the driver still holds (shared memory, timers, NBLs,
  // pools, the interrupt, the mapping).
  std::vector<std::string> leaks() const;

 private:
  struct Shared {
    uint64_t bus = 0;
    std::vector<unsigned char> va;      // the driver's view
    std::vector<unsigned char> synced;  // both sides agreed on this last
    std::string operation;
  };
  struct Timer {
    NDIS_TIMER_CHARACTERISTICS c{};
    bool set = false;
    PVOID context = nullptr;
    std::string operation;
  };
  struct Bind {
    uint16_t conn = 0;
    unsigned qp = 0;
  };
  struct Ring {
    uint16_t sqTail = 0, cqHead = 0;
    uint16_t sqHeadRead = 0;  // the last SQ_HEAD the driver read
    unsigned sqLog2 = 0;
    uint64_t sqBase = 0, cqBase = 0;  // as the driver programmed them
    bool haltedSeen = false;          // QP_STATUS.HALTED read, not yet enabled again
  };
  void pushToDevice();
  void pullFromDevice();
  void observeWrite(uint32_t offset, ULONG value);
  void onInterrupt(unsigned vector);
  void runDpc();

  DriverRuntime& runtime_;
  CAdapter& adapter_;
  DeviceInterface* device_ = nullptr;
  DpcScheduler scheduler_;
  std::unique_ptr<unsigned char[]> mappingStorage_;
  MappingHeader* mapping_ = nullptr;
  std::map<const void*, Shared> shared_;
  HandleRecord* interrupt_ = nullptr;
  NDIS_HANDLE interruptContext_ = nullptr;
  NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS isr_{};
  std::set<unsigned> pendingVectors_;
  bool dpcQueued_ = false, inDpc_ = false;
  std::map<HandleRecord*, Timer> timers_;
  std::set<HandleRecord*> pools_;
  std::map<const PoolNbl*, std::unique_ptr<PoolNbl>> nbls_;
  std::map<unsigned, Ring> rings_;
  std::map<std::string, uint32_t> keywords_;
  std::map<std::string, NDIS_CONFIGURATION_PARAMETER> parameters_;
  uint64_t descriptors_ = 0;
  uint64_t sqFull_ = 0;
  uint64_t recoveries_ = 0;
  ConnectionId initiating_;
  std::map<uint32_t, Bind> binds_;        // ConnectionId value -> CONN_CMD OFFLOAD written
  std::map<uint32_t, uint16_t> hwConns_;  // ConnectionId value -> hardware connection
};

}  // namespace chimney::abi
