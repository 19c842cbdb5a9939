#include "port_log.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <verilated.h>

#include <chrono>
#include <cstring>
#include <stdexcept>
#include <type_traits>

#include "Vcpl_engine.h"

namespace chimney {
namespace {

constexpr char kMagic[16] = "cpl-port-log-1\n";

// Frame layout (little-endian host order; the file is read back on the same
// machine): 8 s_evt_data, 8 m_axi_rdata, 8 output digest, 4 s_axil_wdata,
// 2 s_axil_awaddr, 2 s_axil_araddr, 1 each wstrb, bid, bresp, rid, rresp,
// 2 bytes of single-bit inputs, padding to kFrameBytes.
struct Frame {
  uint64_t evtData, rdata, digest;
  uint32_t wdata;
  uint16_t awaddr, araddr;
  uint8_t wstrb, bid, bresp, rid, rresp;
  uint16_t bits;
};

// The single-bit inputs in their bit order within Frame::bits, for both
// directions: visit(port, bit index).
template <typename Io, typename Visit>
void visitBitInputs(Io& io, Visit visit) {
  unsigned i = 0;
  for (auto* port :
       {&io.rst, &io.s_axil_awvalid, &io.s_axil_wvalid, &io.s_axil_bready, &io.s_axil_arvalid,
        &io.s_axil_rready, &io.m_axi_awready, &io.m_axi_wready, &io.m_axi_bvalid, &io.m_axi_arready,
        &io.m_axi_rlast, &io.m_axi_rvalid, &io.m_work_ready, &io.s_evt_valid, &io.m_irq_ready}) {
    visit(*port, i++);
  }
}

// The wider inputs and the frame fields that hold them, for both
// directions: visit(frame field, port).
template <typename F, typename Io, typename Visit>
void visitWideInputs(F& f, Io& io, Visit visit) {
  visit(f.evtData, io.s_evt_data);
  visit(f.rdata, io.m_axi_rdata);
  visit(f.wdata, io.s_axil_wdata);
  visit(f.awaddr, io.s_axil_awaddr);
  visit(f.araddr, io.s_axil_araddr);
  visit(f.wstrb, io.s_axil_wstrb);
  visit(f.bid, io.m_axi_bid);
  visit(f.bresp, io.m_axi_bresp);
  visit(f.rid, io.m_axi_rid);
  visit(f.rresp, io.m_axi_rresp);
}

void encode(const Vcpl_engine& io, uint64_t digest, unsigned char* out) {
  Frame f{};
  visitWideInputs(f, io, [](auto& field, const auto& port) {
    field = std::remove_reference_t<decltype(field)>(port);
  });
  f.digest = digest;
  visitBitInputs(
      io, [&f](const auto& port, unsigned i) { f.bits = uint16_t(f.bits | (port & 1u) << i); });
  static_assert(sizeof(Frame) <= PortLog::kFrameBytes, "frame layout");
  std::memset(out, 0, PortLog::kFrameBytes);
  std::memcpy(out, &f, sizeof f);
}

uint64_t decode(const unsigned char* in, Vcpl_engine& io) {
  Frame f;
  std::memcpy(&f, in, sizeof f);
  visitWideInputs(f, io, [](const auto& field, auto& port) {
    port = std::remove_reference_t<decltype(port)>(field);
  });
  visitBitInputs(io, [&f](auto& port, unsigned i) {
    port = std::remove_reference_t<decltype(port)>((f.bits >> i) & 1u);
  });
  return f.digest;
}

// The mapped file, unmapped and closed on scope exit.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY)) {
    if (fd_ < 0) throw std::runtime_error("cannot open " + path);
    struct stat st {};
    if (::fstat(fd_, &st) != 0) throw std::runtime_error("cannot stat " + path);
    size_ = size_t(st.st_size);
    if (size_ > 0) {
      data_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
      if (data_ == MAP_FAILED) throw std::runtime_error("cannot map " + path);
    }
  }
  ~MappedFile() {
    if (data_ != nullptr && data_ != MAP_FAILED) ::munmap(data_, size_);
    if (fd_ >= 0) ::close(fd_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  const unsigned char* data() const { return static_cast<const unsigned char*>(data_); }
  size_t size() const { return size_; }

 private:
  int fd_;
  void* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace

PortLog::PortLog(const std::string& path)
    : file_(openOutputFile(path, "wb", "cannot create port log")) {
  std::fwrite(kMagic, 1, sizeof kMagic, file_.get());
}

uint64_t PortLog::outputDigest(const Vcpl_engine& io) {
  uint64_t h = 0x9E3779B97F4A7C15ull;
  auto mix = [&](uint64_t v) { h = (h ^ v) * 0x100000001B3ull; };
  mix(uint64_t(io.s_axil_awready) | uint64_t(io.s_axil_wready) << 1 |
      uint64_t(io.s_axil_bvalid) << 2 | uint64_t(io.s_axil_arready) << 3 |
      uint64_t(io.s_axil_rvalid) << 4 | uint64_t(io.m_axi_awvalid) << 5 |
      uint64_t(io.m_axi_wvalid) << 6 | uint64_t(io.m_axi_bready) << 7 |
      uint64_t(io.m_axi_arvalid) << 8 | uint64_t(io.m_axi_rready) << 9 |
      uint64_t(io.m_work_valid) << 10 | uint64_t(io.s_evt_ready) << 11 |
      uint64_t(io.m_irq_valid) << 12);
  if (io.m_axi_awvalid) mix(io.m_axi_awaddr ^ uint64_t(io.m_axi_awlen) << 56);
  if (io.m_axi_wvalid) mix(io.m_axi_wdata);
  if (io.m_axi_arvalid) mix(io.m_axi_araddr ^ uint64_t(io.m_axi_arlen) << 56);
  if (io.m_work_valid) mix(io.m_work_data);
  if (io.s_axil_rvalid) mix(io.s_axil_rdata);
  if (io.m_irq_valid) mix(io.m_irq_vector);
  return h;
}

void PortLog::record(const Vcpl_engine& io) {
  unsigned char frame[kFrameBytes];
  encode(io, outputDigest(io), frame);
  std::fwrite(frame, 1, sizeof frame, file_.get());
  ++frames_;
}

ReplayResult replayPortLog(const std::string& path, bool verify, double minSeconds) {
  const MappedFile file(path);
  if (file.size() < sizeof kMagic || std::memcmp(file.data(), kMagic, sizeof kMagic) != 0 ||
      (file.size() - sizeof kMagic) % PortLog::kFrameBytes != 0)
    throw std::runtime_error(path + " is not a port log");
  const unsigned char* frames = file.data() + sizeof kMagic;
  const size_t n = (file.size() - sizeof kMagic) / PortLog::kFrameBytes;

  VerilatedContext context;
  Vcpl_engine io(&context, "cpl_engine");
  io.clk = 0;
  io.eval();
  ReplayResult r;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  bool check = verify;
  do {
    for (size_t i = 0; i < n; ++i) {
      const uint64_t digest = decode(frames + i * PortLog::kFrameBytes, io);
      io.eval();
      io.clk = 1;
      io.eval();
      io.clk = 0;
      if (check && PortLog::outputDigest(io) != digest) ++r.mismatches;
    }
    check = false;
    r.cycles += n;
  } while (n > 0 && elapsed() < minSeconds);
  r.wallSeconds = elapsed();
  io.final();
  return r;
}

}  // namespace chimney
