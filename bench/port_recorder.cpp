#include "port_recorder.h"

#include <stdexcept>

#include "Vcpl_engine.h"

namespace chimney::bench {

namespace {

using Getter = uint64_t (*)(const Vcpl_engine&);
struct Port {
  PortField field;
  Getter get;
};

// clang-format off
#define CHIMNEY_PORT(name, width) {{#name, width}, [](const Vcpl_engine& io) { return uint64_t(io.name); }}
// clang-format on

// Every input except clk, in the order replay_tb.sv unpacks them.
const std::vector<Port>& inputs() {
  static const std::vector<Port> ports = {
      CHIMNEY_PORT(rst, 1),
      CHIMNEY_PORT(s_axil_awaddr, 16),
      CHIMNEY_PORT(s_axil_awvalid, 1),
      CHIMNEY_PORT(s_axil_wdata, 32),
      CHIMNEY_PORT(s_axil_wstrb, 4),
      CHIMNEY_PORT(s_axil_wvalid, 1),
      CHIMNEY_PORT(s_axil_bready, 1),
      CHIMNEY_PORT(s_axil_araddr, 16),
      CHIMNEY_PORT(s_axil_arvalid, 1),
      CHIMNEY_PORT(s_axil_rready, 1),
      CHIMNEY_PORT(m_axi_awready, 1),
      CHIMNEY_PORT(m_axi_wready, 1),
      CHIMNEY_PORT(m_axi_bid, 4),
      CHIMNEY_PORT(m_axi_bresp, 2),
      CHIMNEY_PORT(m_axi_bvalid, 1),
      CHIMNEY_PORT(m_axi_arready, 1),
      CHIMNEY_PORT(m_axi_rid, 4),
      CHIMNEY_PORT(m_axi_rdata, 64),
      CHIMNEY_PORT(m_axi_rresp, 2),
      CHIMNEY_PORT(m_axi_rlast, 1),
      CHIMNEY_PORT(m_axi_rvalid, 1),
      CHIMNEY_PORT(m_work_ready, 1),
      CHIMNEY_PORT(s_evt_valid, 1),
      CHIMNEY_PORT(s_evt_data, 64),
      CHIMNEY_PORT(m_irq_ready, 1),
  };
  return ports;
}

const std::vector<Port>& outputs() {
  static const std::vector<Port> ports = {
      CHIMNEY_PORT(s_axil_awready, 1), CHIMNEY_PORT(s_axil_wready, 1),
      CHIMNEY_PORT(s_axil_bresp, 2),   CHIMNEY_PORT(s_axil_bvalid, 1),
      CHIMNEY_PORT(s_axil_arready, 1), CHIMNEY_PORT(s_axil_rdata, 32),
      CHIMNEY_PORT(s_axil_rresp, 2),   CHIMNEY_PORT(s_axil_rvalid, 1),
      CHIMNEY_PORT(m_axi_awid, 4),     CHIMNEY_PORT(m_axi_awaddr, 64),
      CHIMNEY_PORT(m_axi_awlen, 8),    CHIMNEY_PORT(m_axi_awsize, 3),
      CHIMNEY_PORT(m_axi_awburst, 2),  CHIMNEY_PORT(m_axi_awvalid, 1),
      CHIMNEY_PORT(m_axi_wdata, 64),   CHIMNEY_PORT(m_axi_wstrb, 8),
      CHIMNEY_PORT(m_axi_wlast, 1),    CHIMNEY_PORT(m_axi_wvalid, 1),
      CHIMNEY_PORT(m_axi_bready, 1),   CHIMNEY_PORT(m_axi_arid, 4),
      CHIMNEY_PORT(m_axi_araddr, 64),  CHIMNEY_PORT(m_axi_arlen, 8),
      CHIMNEY_PORT(m_axi_arsize, 3),   CHIMNEY_PORT(m_axi_arburst, 2),
      CHIMNEY_PORT(m_axi_arvalid, 1),  CHIMNEY_PORT(m_axi_rready, 1),
      CHIMNEY_PORT(m_work_valid, 1),   CHIMNEY_PORT(m_work_data, 64),
      CHIMNEY_PORT(s_evt_ready, 1),    CHIMNEY_PORT(m_irq_valid, 1),
      CHIMNEY_PORT(m_irq_vector, 8),
  };
  return ports;
}

#undef CHIMNEY_PORT

std::vector<PortField> fieldsOf(const std::vector<Port>& ports) {
  std::vector<PortField> f;
  f.reserve(ports.size());
  for (const Port& p : ports) f.push_back(p.field);
  return f;
}

unsigned bitsOf(const std::vector<Port>& ports) {
  unsigned n = 0;
  for (const Port& p : ports) n += p.field.width;
  return n;
}

// Appends the ports' values as one hex number of ceil(bits/4) digits, the
// first port in the most significant bits.
void appendHex(const std::vector<Port>& ports, const Vcpl_engine& io, std::string& out) {
  const unsigned bits = bitsOf(ports);
  const unsigned digits = (bits + 3) / 4;
  std::string hex(digits, '0');
  unsigned pos = 0;  // bit index from the LSB
  for (auto p = ports.rbegin(); p != ports.rend(); ++p) {
    const uint64_t v = p->get(io);
    for (unsigned b = 0; b < p->field.width; ++b, ++pos) {
      if (((v >> b) & 1u) == 0) continue;
      char& d = hex[digits - 1 - pos / 4];
      const unsigned nibble = unsigned(d <= '9' ? d - '0' : d - 'a' + 10) | (1u << (pos % 4));
      d = char(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
    }
  }
  out += hex;
}

}  // namespace

unsigned inputBits() {
  return bitsOf(inputs());
}
unsigned outputBits() {
  return bitsOf(outputs());
}
const std::vector<PortField>& inputPorts() {
  static const std::vector<PortField> f = fieldsOf(inputs());
  return f;
}
const std::vector<PortField>& outputPorts() {
  static const std::vector<PortField> f = fieldsOf(outputs());
  return f;
}

PortRecorder::PortRecorder(const std::string& path)
    : file_(openOutputFile(path, "w", "cannot write the port recording")) {}

void PortRecorder::record(const Vcpl_engine& io) {
  line_.clear();
  appendHex(inputs(), io, line_);
  line_ += ' ';
  appendHex(outputs(), io, line_);
  line_ += '\n';
  std::fputs(line_.c_str(), file_.get());
  ++lines_;
}

}  // namespace chimney::bench
