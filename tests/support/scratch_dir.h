// A directory of its own for a test's output files, removed with everything
// in it when the test ends. Tests that hand chimney-cosim's parser output
// paths (which it opens to check they can be written) or write files
// themselves take them from here, so a test run leaves nothing behind in
// the shared temporary directory and two tests never share a file name.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace chimney::testing_support {

class ScratchDir {
 public:
  ScratchDir() {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = "chimney-test-" + std::to_string(::getpid());
    if (info != nullptr) name += std::string("-") + info->test_suite_name() + "." + info->name();
    for (char& c : name) {
      if (c == '/') c = '_';  // parameterised test names
    }
    path_ = std::filesystem::path(::testing::TempDir()) / name;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
    std::filesystem::create_directories(path_);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    std::error_code ec;  // never throws from a destructor
    std::filesystem::remove_all(path_, ec);
  }

  // The directory, ending in '/', so `dir() + "name"` is a path in it.
  std::string dir() const { return path_.string() + "/"; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace chimney::testing_support
