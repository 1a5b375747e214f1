// Unit tests of the assessments: the virtual Strange Situation scores behaviour that follows from
// the child's learned state, and its code cannot see caregiver parameters.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>

#include "models/assessment/strange_situation.hpp"
#include "tests/test_support.hpp"

namespace attachsim::models {
namespace {

ChildSnapshot child_with(std::array<double, kNumStrategies> p, double fear = 0.0) {
  ChildSnapshot c;
  c.age_months = 12.0;
  c.strategy_probability = p;
  c.expected_comfort = 0.8;
  c.fear = fear;
  return c;
}

// Runs the procedure for `n` children of one learned state; returns the class shares.
std::array<double, 4> shares(const ChildSnapshot& c, int n = 400) {
  std::array<double, 4> out{};
  const ChildParams params = default_child_params();
  for (int i = 0; i < n; ++i) {
    sim::Rng rng(1, 0, static_cast<std::uint32_t>(i), sim::StreamPurpose::kAssessment);
    const auto r = run_strange_situation(c, params, rng);
    out[static_cast<std::size_t>(r.attachment_class)] += 1.0 / n;
    for (int reunion = 0; reunion < 2; ++reunion) {
      for (const float v : {r.proximity_seeking[reunion], r.contact_maintaining[reunion],
                            r.resistance[reunion], r.avoidance[reunion]}) {
        EXPECT_GE(v, 1.0f);
        EXPECT_LE(v, 7.0f);
      }
    }
    EXPECT_GE(r.disorganization, 1.0f);
    EXPECT_LE(r.disorganization, 9.0f);
    EXPECT_GE(r.security, -1.0f);
    EXPECT_LE(r.security, 1.0f);
  }
  return out;
}

// A child that only signals or approaches, without fear, shows neither avoidance nor resistance
// nor disorganized behaviour: every such child is B (no randomness can produce A, C or D codes).
TEST(StrangeSituation, SeekingWithoutFearIsSecure) {
  const auto s = shares(child_with({0.0, 0.5, 0.0, 0.5}));
  EXPECT_NEAR(s[kClassB], 1.0, 1e-9);  // shares are sums of 1/n
}

// Suppression codes avoidance in every interval it is drawn: a child that suppresses with
// propensity 0.9 is avoidant in ~90% of intervals (scale ~6.4 >= 3.5), so nearly all are A.
TEST(StrangeSituation, SuppressionIsAvoidant) {
  const auto s = shares(child_with({0.9, 0.1, 0.0, 0.0}));
  EXPECT_GT(s[kClassA], 0.95);
}

// Escalation codes resistance in 60% of activated intervals: at propensity 0.9 resistance is
// well above 3 whenever the child is distressed at reunion, which separations make near-certain.
TEST(StrangeSituation, EscalationIsResistant) {
  const auto s = shares(child_with({0.0, 0.1, 0.9, 0.0}));
  EXPECT_GT(s[kClassC], 0.8);
}

// Fear of the figure with a strong drive to seek it yields disorganized intervals: at fear 0.6
// and seeking propensity 1, each activated interval is disorganized with probability > 0.3, so
// two or more of 24 (rating >= 5) is near-certain.
TEST(StrangeSituation, FearOfTheFigureDisorganizes) {
  const auto s = shares(child_with({0.0, 0.5, 0.0, 0.5}, 0.6));
  EXPECT_GT(s[kClassD], 0.9);
}

// Before separation protest and stranger wariness develop (4 months), separations barely arouse
// the child, so reunions find it calm: contact maintaining stays at its floor.
TEST(StrangeSituation, YoungInfantsAreNotDistressedBySeparation) {
  ChildSnapshot c = child_with({0.0, 1.0, 0.0, 0.0});
  c.age_months = 4.0;
  sim::Rng rng(3, 0, 0, sim::StreamPurpose::kAssessment);
  const auto r = run_strange_situation(c, default_child_params(), rng);
  EXPECT_EQ(r.contact_maintaining[0], 1.0f);
  EXPECT_EQ(r.contact_maintaining[1], 1.0f);
}

// Structural separation: nothing the assessment code includes, directly or through other project
// headers, may declare caregiver parameters.
TEST(StrangeSituation, AssessmentCodeCannotSeeCaregiverParameters) {
  namespace fs = std::filesystem;
  const fs::path root = ATTACHSIM_SOURCE_DIR;
  std::set<std::string> seen;
  std::vector<std::string> todo;
  for (const auto& e : fs::directory_iterator(root / "models/assessment")) {
    todo.push_back(fs::relative(e.path(), root).string());
  }
  const std::regex include(R"re(#include "([^"]+)")re");
  while (!todo.empty()) {
    const std::string file = todo.back();
    todo.pop_back();
    if (!seen.insert(file).second) continue;
    const std::string text = testing::read_file((root / file).string());
    ASSERT_FALSE(text.empty()) << file;
    EXPECT_EQ(text.find("CaregiverParams"), std::string::npos) << file;
    for (std::sregex_iterator it(text.begin(), text.end(), include), end; it != end; ++it) {
      todo.push_back((*it)[1].str());
    }
  }
  EXPECT_FALSE(seen.contains("models/caregiver_params.hpp"));
  EXPECT_FALSE(seen.contains("models/parameters.hpp"));
  EXPECT_TRUE(seen.contains("models/child_state.hpp"));
}

}  // namespace
}  // namespace attachsim::models
