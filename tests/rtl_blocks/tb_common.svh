// Shared by the block testbenches; included inside the module body (from the
// repository root: `include "tests/rtl_blocks/tb_common.svh") after the
// localparams TIMEOUT_NS and SEED. A watchdog that stops a hung bench, and
// the seeded random source: $urandom with a state variable, so every run
// draws the same sequence.
  initial begin
    #TIMEOUT_NS;
    $fatal(1, "%m: timeout");
  end

  integer seed = SEED;
  function automatic int unsigned rnd(input int unsigned n);  // 0 .. n-1
    return $urandom(seed) % n;
  endfunction
  function automatic logic chance(input int percent);  // true in `percent` % of the draws
    return rnd(100) < percent;
  endfunction
