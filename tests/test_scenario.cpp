#include <gtest/gtest.h>

#include "models/scenario.hpp"
#include "sim/config.hpp"
#include "sim/errors.hpp"

namespace attachsim::models {
namespace {

ScenarioSpec parse(const std::string& text) {
  return scenario_from_toml(sim::load_toml_text(text, "s.toml"), "s.toml");
}

std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const sim::InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for:\n" << text;
  return {};
}

TEST(Scenario, EmptyDocumentGivesDocumentedDefaults) {
  const ScenarioSpec s = parse("");
  ASSERT_EQ(s.arms.size(), 1u);
  EXPECT_EQ(s.arms[0].name, "baseline");
  for (std::size_t i = 0; i < kNumCaregiverParams; ++i) {
    EXPECT_EQ(s.arms[0].population[i].mean, kCaregiverParams[i].mean);
    EXPECT_EQ(s.arms[0].population[i].sd, kCaregiverParams[i].sd);
  }
  for (const auto& spec : kChildParams) EXPECT_EQ(s.arms[0].child.*spec.field, spec.value);
  // 24 months = 730.5 days; weekly records: floor(730.5 / 7) = 104 whole intervals.
  EXPECT_EQ(s.n_records(), 104);
}

TEST(Scenario, ArmsInheritTheBaseAndOverrideIt) {
  const ScenarioSpec s = parse(R"(
[population]
responsiveness = { mean = 0.6, sd = 0.1 }
[child]
max_bids = 4
[[arm]]
name = "a"
[[arm]]
name = "b"
[arm.population]
responsiveness = 0.9
[arm.child]
max_bids = 2
)");
  ASSERT_EQ(s.arms.size(), 2u);
  EXPECT_EQ(s.arms[0].population[0].mean, 0.6);
  EXPECT_EQ(s.arms[0].population[0].sd, 0.1);
  EXPECT_EQ(s.arms[0].child.max_bids, 4.0);
  EXPECT_EQ(s.arms[1].population[0].mean, 0.9);  // a bare number fixes the value: sd 0
  EXPECT_EQ(s.arms[1].population[0].sd, 0.0);
  EXPECT_EQ(s.arms[1].child.max_bids, 2.0);
}

TEST(Scenario, ResolvedConfigReadsBackToTheSameScenario) {
  for (const auto& builtin : builtin_scenarios()) {
    const ScenarioSpec a =
        scenario_from_toml(sim::load_toml_text(builtin.text, "b.toml"), "b.toml");
    const std::string text = scenario_to_toml(a);
    const ScenarioSpec b = scenario_from_toml(sim::load_toml_text(text, "r.toml"), "r.toml");
    const std::string again = scenario_to_toml(b);
    // Identical but for the first comment line, which names the source.
    EXPECT_EQ(again.substr(again.find('\n')), text.substr(text.find('\n'))) << builtin.name;
    EXPECT_EQ(a.seed, b.seed);
    EXPECT_EQ(a.arms.size(), b.arms.size());
  }
}

TEST(Scenario, RejectsBadValuesWithLocation) {
  EXPECT_NE(error_of("[population]\nresponsiveness = { mean = 1.4, sd = 0.1 }\n")
                .find("s.toml:2:27: 'population.responsiveness.mean' = 1.4 is out of range; "
                      "allowed: 0 to 1 (probability)"),
            std::string::npos);
  EXPECT_NE(error_of("[population]\nrebuff = { mean = 0.5, sd = 0.6 }\n")
                .find("is not a valid Beta distribution"),
            std::string::npos);
  EXPECT_NE(error_of("[population]\nrebuff = { mean = 0.5, spread = 0.1 }\n")
                .find("unknown key 'population.rebuff.spread'; allowed keys here: mean, sd"),
            std::string::npos);
  EXPECT_NE(error_of("[scenario]\ndyads = -5\n").find("allowed: integers 1 to"), std::string::npos);
  EXPECT_NE(
      error_of("[scenario]\nmonths = 1\nrecord_stride_days = 60\n").find("longer than the horizon"),
      std::string::npos);
  EXPECT_NE(error_of("[[arm]]\nname = \"a/b\"\n").find("not a valid arm name"), std::string::npos);
  EXPECT_NE(error_of("[[arm]]\nname = \"a\"\n[[arm]]\nname = \"a\"\n").find("repeats arm name"),
            std::string::npos);
  EXPECT_NE(error_of("[[arm]]\ndescription = \"x\"\n").find("'arm[0].name'"), std::string::npos);
  EXPECT_NE(error_of("arm = 3\n").find("must be an array of tables"), std::string::npos);
  EXPECT_NE(error_of("[chlid]\n")
                .find("unknown key 'chlid'; allowed keys here: arm, assessment, child, "
                      "population, scenario"),
            std::string::npos);
}

}  // namespace
}  // namespace attachsim::models
