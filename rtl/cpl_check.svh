// Elaboration-time parameter range check, included inside each module body
// (from the repository root: `include "rtl/cpl_check.svh"`). Icarus lacks
// $error in generate blocks; there an instance of a module that does not
// exist stops elaboration.
`ifndef CPL_CHECK_SVH
`define CPL_CHECK_SVH
`ifdef __ICARUS__
`define CPL_CHECK(cond, name) if (!(cond)) begin : name cpl_parameter_out_of_range u_bad (); end
`else
`define CPL_CHECK(cond, name) if (!(cond)) begin : name $error("cpl_engine: parameter out of range"); end
`endif
`endif  // CPL_CHECK_SVH
