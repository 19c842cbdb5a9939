// Test entry point. The tested library links SystemC, whose main() calls
// sc_main(), so the GoogleTest runner lives here.
#include <gtest/gtest.h>

#include <systemc>

int sc_main(int argc, char* argv[]) {
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
