#include "rtl_build_params.h"

namespace chimney::rtltest {

const BuildParams& builtWith() {
  static const BuildParams params{CHIMNEY_RTL_CONFIG, CHIMNEY_RTL_NUM_CONN, CHIMNEY_RTL_NUM_QP,
                                  CHIMNEY_RTL_REQ_SLOTS, CHIMNEY_RTL_SEEDS};
  return params;
}

}  // namespace chimney::rtltest
