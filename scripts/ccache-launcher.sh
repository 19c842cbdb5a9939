# Sourced by the scripts that configure a build: sets the array `launcher` to
# the CMake arguments that compile through ccache when it is installed (which
# makes rebuilds, and builds of a second checkout, cheap), else to nothing.
# Expects $root, the source tree.
launcher=()
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
