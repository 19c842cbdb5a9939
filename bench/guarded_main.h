// The main function of the benchmark programs: run(argc, argv)'s exit code,
// or, when an exception escapes it, one line "PROGRAM: error: WHAT" on
// stderr and exit code 2.
#pragma once

#include <exception>
#include <iostream>

namespace chimney::bench {

inline int guardedMain(const char* program, int (*run)(int, char**), int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << program << ": error: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace chimney::bench
