# chimney_verilated_file_list(TARGET PREFIX): keeps an incremental build of a
# Verilated library working when an RTL change alters the set of files
# Verilator writes.
#
# verilate() fixes the library's sources at configure time, from the file
# list of the last Verilator run (<PREFIX>_copy.cmake). When the RTL changes,
# the build re-runs Verilator, which may now write a different set of files:
# a file that is no longer written stays on disk from the earlier run and is
# still compiled (and fails against the new headers), and a new file is not
# compiled (its functions are missing at link time). The list is corrected
# by the configure step of the next build.
#
# This adds, after Verilator's command, a step (VerilatedFileList.cmake run
# as a script) that compares the two lists in that same build: every listed
# file Verilator no longer writes is emptied, and every new file is compiled
# through <PREFIX>__new_files.cpp, a source of the library that #includes
# them. Configuring writes that file empty again, since the list is current
# then.
set(CHIMNEY_VERILATED_FILE_LIST_SCRIPT ${CMAKE_CURRENT_LIST_FILE})
# The first line of <PREFIX>__new_files.cpp, all of it when nothing is new.
set(_chimney_new_files_head
    "// Written by the build: Verilated files not yet in the configured list.\n")

function(_chimney_verilated_list file prefix out)
  # The .cmake file Verilator writes sets <PREFIX>_CLASSES_FAST etc.; read in
  # this function's scope, so they do not leak.
  include(${file})
  set(${out} ${${prefix}_CLASSES_FAST} ${${prefix}_CLASSES_SLOW}
             ${${prefix}_SUPPORT_FAST} ${${prefix}_SUPPORT_SLOW} PARENT_SCOPE)
endfunction()

if(CMAKE_SCRIPT_MODE_FILE)
  # Build time, after Verilator: -DPREFIX -DOLD (the configured list) -DNEW
  # (the list just written) -DNEW_FILES (the #include file).
  cmake_policy(SET CMP0057 NEW)   # if(IN_LIST)
  _chimney_verilated_list(${OLD} ${PREFIX} _old)
  _chimney_verilated_list(${NEW} ${PREFIX} _new)
  set(_text "${_chimney_new_files_head}")
  foreach(_f IN LISTS _new)
    if(NOT _f IN_LIST _old)
      string(APPEND _text "#include \"${_f}\"\n")
    endif()
  endforeach()
  foreach(_f IN LISTS _old)
    if(NOT _f IN_LIST _new)
      file(WRITE ${_f} "// No longer written by Verilator; left out at the next configure.\n")
    endif()
  endforeach()
  file(WRITE ${NEW_FILES} "${_text}")
  return()
endif()

function(chimney_verilated_file_list target prefix)
  set(_vdir ${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/${target}.dir/${prefix}.dir)
  set(_copy ${_vdir}/${prefix}_copy.cmake)
  if(NOT EXISTS ${_copy})
    message(FATAL_ERROR "chimney_verilated_file_list: no ${_copy} (call it after verilate())")
  endif()
  _chimney_verilated_list(${_copy} ${prefix} _files)
  list(GET _files 0 _first)
  set(_new_files ${_vdir}/${prefix}__new_files.cpp)
  # Configured: the list is current, nothing to add (rewritten only when it
  # differs, so configuring does not rebuild the library).
  if(EXISTS ${_new_files})
    file(READ ${_new_files} _now)
  else()
    set(_now "")
  endif()
  if(NOT _now STREQUAL _chimney_new_files_head)
    file(WRITE ${_new_files} "${_chimney_new_files_head}")
  endif()
  target_sources(${target} PRIVATE ${_new_files})
  # Compiled after Verilator's command has run (and this step with it).
  set_source_files_properties(${_new_files} PROPERTIES OBJECT_DEPENDS ${_first})
  add_custom_command(OUTPUT ${_first} APPEND
    COMMAND ${CMAKE_COMMAND} -DPREFIX=${prefix} -DOLD=${_copy} -DNEW=${_vdir}/${prefix}.cmake
            -DNEW_FILES=${_new_files} -P ${CHIMNEY_VERILATED_FILE_LIST_SCRIPT})
endfunction()
