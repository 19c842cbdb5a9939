# The build-time half of cmake/VerilatedFileList.cmake on made-up lists:
# configured {a, b, stale}, Verilator now writes {a, b, fresh}. Run with
# cmake -DSCRIPT=<VerilatedFileList.cmake> -DWORK=<scratch folder> -P this.
cmake_minimum_required(VERSION 3.16)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
foreach(_f a b stale fresh)
  file(WRITE ${WORK}/V_${_f}.cpp "int ${_f}_fn() { return 1; }\n")
endforeach()
file(WRITE ${WORK}/V_copy.cmake
  "set(V_CLASSES_FAST \"${WORK}/V_a.cpp\")\nset(V_CLASSES_SLOW \"${WORK}/V_stale.cpp\")\n"
  "set(V_SUPPORT_FAST)\nset(V_SUPPORT_SLOW \"${WORK}/V_b.cpp\")\n")
file(WRITE ${WORK}/V.cmake
  "set(V_CLASSES_FAST \"${WORK}/V_a.cpp\")\nset(V_CLASSES_SLOW \"${WORK}/V_fresh.cpp\")\n"
  "set(V_SUPPORT_FAST)\nset(V_SUPPORT_SLOW \"${WORK}/V_b.cpp\")\n")
execute_process(COMMAND ${CMAKE_COMMAND} -DPREFIX=V -DOLD=${WORK}/V_copy.cmake
                        -DNEW=${WORK}/V.cmake -DNEW_FILES=${WORK}/V__new_files.cpp -P ${SCRIPT}
                RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "the script failed: ${_rc}")
endif()
file(READ ${WORK}/V__new_files.cpp _new)
if(NOT _new MATCHES "#include \"${WORK}/V_fresh.cpp\"")
  message(FATAL_ERROR "the new file is not compiled through V__new_files.cpp:\n${_new}")
endif()
if(_new MATCHES "V_a.cpp|V_b.cpp|V_stale.cpp")
  message(FATAL_ERROR "V__new_files.cpp includes a file already compiled:\n${_new}")
endif()
file(READ ${WORK}/V_stale.cpp _stale)
if(_stale MATCHES "stale_fn")
  message(FATAL_ERROR "the file Verilator no longer writes still has its code")
endif()
foreach(_f a b fresh)
  file(READ ${WORK}/V_${_f}.cpp _kept)
  if(NOT _kept MATCHES "${_f}_fn")
    message(FATAL_ERROR "V_${_f}.cpp was changed")
  endif()
endforeach()
message(STATUS "stale file emptied, new file included, the others untouched")
