// A host stack over the scripted fake target, with NDIS reporting to an
// observer of the test's own type (a StackObserver).
#pragma once

#include "host_stack.h"
#include "ndis.h"
#include "stack_fake_target.h"

namespace chimney::test {

template <typename Observer>
struct ObservedStack {
  Observer observer;
  Ndis ndis{&observer};
  FakeTarget target{ndis};
  HostStack host{ndis, "host", target.miniportHandle()};
};

}  // namespace chimney::test
