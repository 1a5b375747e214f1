// Several attachment figures (docs/model.md section 14b): schedules, who is in charge, and the
// figures' outputs, checked against the documented schedule arithmetic on small runs.
#include <gtest/gtest.h>

#include "models/metrics.hpp"
#include "models/run.hpp"
#include "sim/config.hpp"
#include "tests/test_stats.hpp"

namespace attachsim {
namespace {

using testing::dataset_at;
using testing::kAllRecords;

std::vector<sim::ArmResult> run(const std::string& body, int dyads = 20,
                                const std::string& scenario = "") {
  const std::string text =
      "[scenario]\nseed = 3\nmonths = 3\ndyads = " + std::to_string(dyads) + "\n" + scenario + body;
  const auto spec = models::scenario_from_toml(sim::load_toml_text(text, "f.toml"), "f.toml");
  std::vector<sim::ArmResult> out;
  for (std::size_t a = 0; a < spec.arms.size(); ++a) out.push_back(models::run_arm(spec, a, {2}));
  return out;
}

// The primary caregiver (presence 0.4, sd 0) is away 60% of each weekday's waking time (it
// leaves one hour after the child wakes, and 0.6 x waking time fits before bedtime once the child
// is awake more than 2.5 hours a day). A grandparent covering all five weekdays then has the
// child for 0.6 x 5/7 = 0.4286 of the waking time of every weekly record (records are whole
// weeks starting on a Monday); covering two weekdays, 0.6 x 2/7 = 0.1714; the remaining three
// weekdays go to the unlearned substitute. The children are 36 months old, when waking hours
// no longer change measurably within a week (in early infancy they grow ~2% a week, which
// weighs weekends slightly more), so the shares are exact to float rounding: tolerance 1e-5.
// A second parent always at home leaves the grandparent nothing.
TEST(Figures, CareSharesFollowTheSchedules) {
  const auto arms = run(R"(
[population]
presence = 0.4
[[arm]]
name = "five"
[[arm.figure]]
name = "gran"
role = "grandparent"
[[arm]]
name = "two"
[[arm.figure]]
name = "gran"
role = "grandparent"
weekdays = 2
[[arm]]
name = "parent-at-home"
[[arm.figure]]
name = "dad"
role = "parent"
population.presence = 1.0
[[arm.figure]]
name = "gran"
role = "grandparent"
)",
                        20, "start_age_months = 36\n");
  EXPECT_NEAR(dataset_at(arms[0], "figures/gran/care_share", kAllRecords).mean, 0.6 * 5 / 7, 1e-5);
  EXPECT_NEAR(dataset_at(arms[1], "figures/gran/care_share", kAllRecords).mean, 0.6 * 2 / 7, 1e-5);
  EXPECT_EQ(dataset_at(arms[2], "figures/gran/care_share", kAllRecords).mean, 0.0);
  // The primary's own presence is unchanged by who covers its absence.
  for (const auto& arm : arms) {
    EXPECT_NEAR(testing::metric_at(arm, models::kCaregiverPresence).mean, 1.0 - 0.6 * 5 / 7, 1e-5)
        << arm.name;
  }
}

// Each figure's parameters are stored as drawn, and a shared day-care carer's are the same for
// every child of a group (those drawn for its first child) and differ between groups.
TEST(Figures, SharedCarerParametersAreTheGroups) {
  const auto arms = run(R"(
[[arm]]
name = "nursery"
[[arm.figure]]
name = "nursery"
role = "daycare"
group_size = 4
population.responsiveness = { mean = 0.5, sd = 0.2 }
)",
                        10);
  const sim::ExtraDataset* params = nullptr;
  for (const auto& d : arms[0].extra) {
    if (d.path == "figures/nursery/parameters") params = &d;
  }
  ASSERT_NE(params, nullptr);
  ASSERT_EQ(params->shape[1], models::kNumCaregiverParams);
  const auto& v = std::get<std::vector<float>>(params->data);
  const std::size_t cols = models::kNumCaregiverParams;
  auto responsiveness = [&](std::size_t dyad) { return v[dyad * cols]; };  // column 0
  ASSERT_EQ(models::kCaregiverParams[0].key, "responsiveness");
  for (const std::size_t d : {1, 2, 3}) EXPECT_EQ(responsiveness(d), responsiveness(0));
  for (const std::size_t d : {5, 6, 7}) EXPECT_EQ(responsiveness(d), responsiveness(4));
  EXPECT_EQ(responsiveness(9), responsiveness(8));  // the last group: dyads 8 and 9
  EXPECT_NE(responsiveness(4), responsiveness(0));
  EXPECT_NE(responsiveness(8), responsiveness(4));
}

}  // namespace
}  // namespace attachsim
