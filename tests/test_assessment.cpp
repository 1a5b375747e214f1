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

// A 12-month-old whose organised strategy toward the figure is `organised`, with the given
// expectations of the figure.
ChildSnapshot child_with(Strategy organised, double availability = 0.9, double comfort = 0.9,
                         double fear = 0.0) {
  ChildSnapshot c;
  c.age_months = 12.0;
  c.organised = organised;
  c.strategy_probability = {};
  c.strategy_probability[organised] = 1.0;
  c.expected_availability = availability;
  c.expected_comfort = comfort;
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
    // The stored class is the documented rule applied to the stored scales.
    const double rs = 0.5 * (r.resistance[0] + r.resistance[1]);
    const double av = 0.5 * (r.avoidance[0] + r.avoidance[1]);
    EXPECT_EQ(r.abc_class, classify_abc(rs, av));
  }
  return out;
}

// A child that signals directly to a figure it trusts, without fear, is picked up, soothed and
// never angry or avoidant: every such child is B (no draw of the procedure can make it A, C or D:
// resistance needs activation above its expected availability, 0.9, which contact soothes away
// within the first interval; fear 0 gives no disorganized interval).
TEST(StrangeSituation, SeekingATrustedFigureIsSecure) {
  const auto s = shares(child_with(kSignal));
  EXPECT_NEAR(s[kClassB], 1.0, 1e-9);  // shares are sums of 1/n
  const auto a = shares(child_with(kApproach));
  EXPECT_NEAR(a[kClassB], 1.0, 1e-9);
}

// Suppression is the organised avoidant strategy: every interval is coded avoidance (scale 7),
// so every such child is A, whatever it expects of the figure.
TEST(StrangeSituation, SuppressionIsAvoidant) {
  EXPECT_NEAR(shares(child_with(kSuppress))[kClassA], 1.0, 1e-9);
  EXPECT_NEAR(shares(child_with(kSuppress, 0.3, 0.3))[kClassA], 1.0, 1e-9);
}

// Seeking a figure the child cannot count on: contact does not contain its arousal, so it resists
// (C). Escalating halves what contact can contain: C even with a fairly available figure.
TEST(StrangeSituation, SeekingAnUnavailableFigureIsResistant) {
  EXPECT_GT(shares(child_with(kSignal, 0.2, 0.9))[kClassC], 0.95);
  EXPECT_GT(shares(child_with(kEscalate, 0.6, 0.8))[kClassC], 0.95);
}

// Fear of the figure with the drive to seek it yields disorganized intervals: at fear 0.6 each
// activated interval is disorganized with probability 0.6 x activation, so the four needed for a
// rating of 5 (of 24) are near-certain.
TEST(StrangeSituation, FearOfTheFigureDisorganizes) {
  EXPECT_GT(shares(child_with(kSignal, 0.9, 0.9, 0.6))[kClassD], 0.95);
}

// The forced classification rule at its boundaries (docs/model.md section 14).
TEST(StrangeSituation, ForcedClassificationRule) {
  EXPECT_EQ(classify_abc(1.0, 4.0), kClassA);  // conspicuous avoidance
  EXPECT_EQ(classify_abc(1.0, 3.99), kClassB);
  EXPECT_EQ(classify_abc(4.0, 1.0), kClassC);  // conspicuous resistance
  EXPECT_EQ(classify_abc(3.99, 1.0), kClassB);
  EXPECT_EQ(classify_abc(5.0, 4.5), kClassC);  // both: the larger decides
  EXPECT_EQ(classify_abc(4.5, 4.5), kClassA);  // a tie goes to A
}

// Before separation protest and stranger wariness develop (4 months), separations barely arouse
// the child, so reunions find it calm: contact maintaining stays at its floor.
TEST(StrangeSituation, YoungInfantsAreNotDistressedBySeparation) {
  ChildSnapshot c = child_with(kSignal);
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
