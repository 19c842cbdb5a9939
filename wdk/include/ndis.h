/* The chimney-cosim driver interface: what a TCP chimney IM driver and an
 * offload target include. Written for this project from the public WDK
 * documentation (no Microsoft header is copied); docs/drivers.md lists what
 * each call does in the simulation. Compiles as C11 and as C++17. */
#ifndef CHIMNEY_WDK_NDIS_H
#define CHIMNEY_WDK_NDIS_H

#include "wdk/ndis_base.h"
#include "wdk/ndis_chimney.h"
#include "wdk/ndis_driver.h"
#include "wdk/ndis_miniport_hw.h"
#include "wdk/ndis_nbl.h"

#endif
