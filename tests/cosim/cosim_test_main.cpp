// Test entry point. libsystemc provides main() and calls sc_main(), so the
// GoogleTest runner lives here. Each co-simulation test elaborates its own
// top and calls sc_start() once; ctest runs every test in its own process.
#include <gtest/gtest.h>

#include <systemc>

int sc_main(int argc, char* argv[]) {
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
