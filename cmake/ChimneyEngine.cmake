# Bring your own engine: another completion engine with the PRM ports
# (docs/spec/PRM.md section 2) instead of the project's rtl/ in every
# co-simulation, so the scenarios become a PRM conformance run of that engine
# (docs/own-engine.md):
#
#   cmake -S . -B build-mine -DCHIMNEY_ENGINE_SOURCES="/src/pkg.sv;/src/a.sv;/src/top.sv" \
#         -DCHIMNEY_ENGINE_TOP=my_engine -DCHIMNEY_ENGINE_INCLUDE_DIRS=/src
#   cmake --build build-mine --target chimney-cosim
#
# Sources are compiled in the order given (packages first). The top module
# must have cpl_engine's ports; Verilator names the C++ model Vcpl_engine
# whatever the top is called, so the transactor, the drivers and the
# scenarios run unchanged. The testbench expects the engine's CAPS to read
# the project's sizes (NUM_CONN 64, NUM_QP 4, REQ_SLOTS 256).

set(CHIMNEY_ENGINE_SOURCES "" CACHE STRING
  "Another engine's SystemVerilog sources (;-list, packages first) instead of rtl/ (empty: the project's RTL)")
set(CHIMNEY_ENGINE_TOP "cpl_engine" CACHE STRING "Top module of CHIMNEY_ENGINE_SOURCES")
set(CHIMNEY_ENGINE_INCLUDE_DIRS "" CACHE STRING "Include directories of CHIMNEY_ENGINE_SOURCES")

# Code that includes Vcpl_engine.h is compiled once for every configuration:
# the generated header holds only the ports, the same text in each
# configuration (test rtl.configs.same_port_header compares them), so such
# objects link with any configuration's library. This gives a target the
# header's include path and definitions without linking a configuration
# (the project's RTL and another engine alike).
function(chimney_uses_engine_header target)
  target_include_directories(${target} SYSTEM PRIVATE
    $<TARGET_PROPERTY:cpl_engine_vl,INTERFACE_INCLUDE_DIRECTORIES>)
  target_compile_definitions(${target} PRIVATE
    $<TARGET_PROPERTY:cpl_engine_vl,INTERFACE_COMPILE_DEFINITIONS>)
endfunction()

# Called by rtl/CMakeLists.txt instead of building the project's RTL when
# CHIMNEY_ENGINE_SOURCES is set: one configuration ("default") whose library
# cpl_engine_vl holds the other engine, and everything the rest of the tree
# takes from rtl/ (the configuration list and sizes, the checker list).
macro(chimney_foreign_engine)
  foreach(_src IN LISTS CHIMNEY_ENGINE_SOURCES)
    if(NOT EXISTS ${_src})
      message(FATAL_ERROR "CHIMNEY_ENGINE_SOURCES: ${_src} does not exist")
    endif()
  endforeach()
  set(_inc "")
  if(CHIMNEY_ENGINE_INCLUDE_DIRS)
    set(_inc INCLUDE_DIRS ${CHIMNEY_ENGINE_INCLUDE_DIRS})
  endif()
  add_library(cpl_engine_vl STATIC)
  verilate(cpl_engine_vl
    TRACE_FST
    TOP_MODULE ${CHIMNEY_ENGINE_TOP}
    PREFIX Vcpl_engine
    SOURCES ${CHIMNEY_ENGINE_SOURCES}
    ${_inc}
    VERILATOR_ARGS -O3 --x-assign fast --x-initial fast --trace-depth 3)
  chimney_verilated_file_list(cpl_engine_vl Vcpl_engine)
  target_compile_options(cpl_engine_vl PRIVATE -O2 -w)
  set_target_properties(cpl_engine_vl PROPERTIES POSITION_INDEPENDENT_CODE ON)
  get_target_property(_vl_inc cpl_engine_vl INTERFACE_INCLUDE_DIRECTORIES)
  set_target_properties(cpl_engine_vl PROPERTIES INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${_vl_inc}")

  set(CPL_RTL_SOURCES ${CHIMNEY_ENGINE_SOURCES} PARENT_SCOPE)
  # The checkers of verif/sva/ stay what their own tests use; they are not
  # bound into the other engine (they name the project's internals).
  file(GLOB _sva CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/verif/sva/*.sv)
  list(SORT _sva)
  set(CPL_SVA_SOURCES ${_sva} PARENT_SCOPE)
  set(CHIMNEY_RTL_CONFIGS default PARENT_SCOPE)
  set(CHIMNEY_RTL_SUFFIX_default "" PARENT_SCOPE)
  set(CHIMNEY_RTL_PARAMS_default "" PARENT_SCOPE)
  set(CHIMNEY_RTL_default_NUM_CONN 64 PARENT_SCOPE)
  set(CHIMNEY_RTL_default_NUM_QP 4 PARENT_SCOPE)
  set(CHIMNEY_RTL_default_REQ_SLOTS 256 PARENT_SCOPE)
endmacro()
