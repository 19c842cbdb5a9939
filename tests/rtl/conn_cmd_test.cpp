#include "rtl_fixture.h"
