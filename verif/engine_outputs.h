// Every output port of cpl_engine, read as numbers: the check of
// docs/rtl-microarchitecture.md's port rule "no output follows an input
// combinationally". EngineBench reads them at the start of a cycle (as the
// last rising edge left them) and again once the agents have driven the
// cycle's inputs and the model has settled. The design has no falling-edge
// logic, so an output that moved in between follows an input.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace chimney::rtltest {

constexpr size_t kEngineOutputs = 31;
using EngineOutputs = std::array<uint64_t, kEngineOutputs>;

// visit(name, value) for each output of cpl_engine, in declaration order.
template <typename Io, typename Visit>
void visitEngineOutputs(const Io& io, Visit visit) {
  visit("s_axil_awready", io.s_axil_awready);
  visit("s_axil_wready", io.s_axil_wready);
  visit("s_axil_bresp", io.s_axil_bresp);
  visit("s_axil_bvalid", io.s_axil_bvalid);
  visit("s_axil_arready", io.s_axil_arready);
  visit("s_axil_rdata", io.s_axil_rdata);
  visit("s_axil_rresp", io.s_axil_rresp);
  visit("s_axil_rvalid", io.s_axil_rvalid);
  visit("m_axi_awid", io.m_axi_awid);
  visit("m_axi_awaddr", io.m_axi_awaddr);
  visit("m_axi_awlen", io.m_axi_awlen);
  visit("m_axi_awsize", io.m_axi_awsize);
  visit("m_axi_awburst", io.m_axi_awburst);
  visit("m_axi_awvalid", io.m_axi_awvalid);
  visit("m_axi_wdata", io.m_axi_wdata);
  visit("m_axi_wstrb", io.m_axi_wstrb);
  visit("m_axi_wlast", io.m_axi_wlast);
  visit("m_axi_wvalid", io.m_axi_wvalid);
  visit("m_axi_bready", io.m_axi_bready);
  visit("m_axi_arid", io.m_axi_arid);
  visit("m_axi_araddr", io.m_axi_araddr);
  visit("m_axi_arlen", io.m_axi_arlen);
  visit("m_axi_arsize", io.m_axi_arsize);
  visit("m_axi_arburst", io.m_axi_arburst);
  visit("m_axi_arvalid", io.m_axi_arvalid);
  visit("m_axi_rready", io.m_axi_rready);
  visit("m_work_valid", io.m_work_valid);
  visit("m_work_data", io.m_work_data);
  visit("s_evt_ready", io.s_evt_ready);
  visit("m_irq_valid", io.m_irq_valid);
  visit("m_irq_vector", io.m_irq_vector);
}

template <typename Io>
EngineOutputs engineOutputs(const Io& io) {
  EngineOutputs out{};
  size_t i = 0;
  // at(): a port added to the list but not to kEngineOutputs throws here
  // (and EngineOutputs.ListEveryOutputOfTheTopModule fails), never writes
  // past the array.
  visitEngineOutputs(io, [&](const char*, uint64_t value) { out.at(i++) = value; });
  return out;
}

// The outputs of io that differ from `before`, as "name 0xold -> 0xnew"
// joined by ", " (empty when none does).
template <typename Io>
std::string changedEngineOutputs(const Io& io, const EngineOutputs& before) {
  std::string changed;
  size_t i = 0;
  visitEngineOutputs(io, [&](const char* name, uint64_t value) {
    if (value != before.at(i)) {
      char text[80];
      std::snprintf(text, sizeof text, "%s 0x%llx -> 0x%llx", name,
                    static_cast<unsigned long long>(before[i]),
                    static_cast<unsigned long long>(value));
      if (!changed.empty()) changed += ", ";
      changed += text;
    }
    ++i;
  });
  return changed;
}

}  // namespace chimney::rtltest
