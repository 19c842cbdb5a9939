// OutputFile: a FILE opened for writing, closed when its owner goes (the
// port recordings of chimney-cosim and chimney-bench write through it).
#pragma once

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

namespace chimney {

struct FileCloser {
  // The unique_ptr of OutputFile owns the FILE; this is its deleter.
  // NOLINTNEXTLINE(cppcoreguidelines-owning-memory)
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using OutputFile = std::unique_ptr<std::FILE, FileCloser>;

// Opens `path` with fopen `mode`; throws std::runtime_error("`failure`
// `path`") when it cannot.
inline OutputFile openOutputFile(const std::string& path, const char* mode,
                                 const std::string& failure) {
  OutputFile file(std::fopen(path.c_str(), mode));
  if (!file) throw std::runtime_error(failure + " " + path);
  return file;
}

}  // namespace chimney
