#include <gtest/gtest.h>

#include "sim/timers.hpp"

namespace attachsim::sim {
namespace {

TEST(TimerSet, EarliestFirstAndTiesToLowerIndex) {
  TimerSet<4> t;
  EXPECT_EQ(t.next(), 4u);  // none pending
  t.set(2, 5.0);
  t.set(3, 1.0);
  t.set(1, 5.0);
  EXPECT_EQ(t.next(), 3u);
  t.cancel(3);
  EXPECT_EQ(t.next(), 1u);  // tie at 5.0: lower index
  EXPECT_TRUE(t.pending(2));
  t.cancel(1);
  t.cancel(2);
  EXPECT_EQ(t.next(), 4u);
}

}  // namespace
}  // namespace attachsim::sim
