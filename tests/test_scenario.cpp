#include <gtest/gtest.h>

#include <cmath>

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

// A mean set without its sd keeps the inherited sd when a Beta allows it, narrows it when not:
// to 0 at the range's ends, to 0.9 sqrt(m (1 - m)) near them (docs/model.md section 15, issue
// 15's grid over repair_probability.mean reaching 0). An explicit impossible sd stays an error.
TEST(Scenario, AMeanWithoutItsSdNarrowsTheInheritedSdWhereABetaNeedsIt) {
  std::size_t index = 0;
  while (kCaregiverParams[index].key != "repair_probability") ++index;
  ASSERT_EQ(kCaregiverParams[index].sd, 0.2);  // the registry's default sd
  const auto sd_of = [index](const std::string& mean) {
    const ScenarioSpec s = parse("[population]\nrepair_probability = { mean = " + mean + " }\n");
    return s.arms[0].population[index].sd;
  };
  EXPECT_EQ(sd_of("0.5"), 0.2);  // allowed: kept
  EXPECT_EQ(sd_of("0.0"), 0.0);  // the end: everyone at 0
  EXPECT_EQ(sd_of("1.0"), 0.0);
  EXPECT_DOUBLE_EQ(sd_of("0.02"), 0.9 * std::sqrt(0.02 * 0.98));  // near it: narrowed
  EXPECT_NE(error_of("[population]\nrepair_probability = { mean = 0.0, sd = 0.2 }\n")
                .find("not a valid Beta distribution"),
            std::string::npos);
}

TEST(Scenario, HeadlineIsSecureOrTrust) {
  EXPECT_EQ(parse("").headline, "secure");
  EXPECT_EQ(parse("[scenario]\nheadline = \"trust\"\n").headline, "trust");
  EXPECT_NE(error_of("[scenario]\nheadline = \"fear\"\n").find("allowed: secure, trust"),
            std::string::npos);
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
                      "figure, population, scenario"),
            std::string::npos);
}

TEST(Scenario, FiguresInheritTheArmPopulationAndTakeConsecutiveWeekdays) {
  const ScenarioSpec s = parse(R"(
[population]
warmth = 0.3
[[figure]]
name = "grandma"
role = "grandparent"
weekdays = 2
population.responsiveness = 0.9
[[figure]]
name = "nursery"
role = "daycare"
weekdays = 3
group_size = 4
[[arm]]
name = "a"
population.warmth = 0.7
[[arm]]
name = "b"
[[arm.figure]]
name = "dad"
role = "parent"
)");
  ASSERT_EQ(s.arms.size(), 2u);
  const ArmSpec& a = s.arms[0];
  ASSERT_EQ(a.figures.size(), 2u);  // inherited
  auto index = [](std::string_view key) {
    std::size_t i = 0;
    while (i < kNumCaregiverParams && kCaregiverParams[i].key != key) ++i;
    return i;
  };
  const std::size_t warmth = index("warmth"), responsiveness = index("responsiveness");
  ASSERT_LT(warmth, kNumCaregiverParams);
  ASSERT_LT(responsiveness, kNumCaregiverParams);
  EXPECT_EQ(a.figures[0].population[warmth].mean, 0.7);          // follows this arm's population
  EXPECT_EQ(a.figures[0].population[responsiveness].mean, 0.9);  // its own
  EXPECT_EQ(a.figures[1].role, FigureRole::kDaycare);
  EXPECT_EQ(a.figures[1].weekdays, 3);
  EXPECT_EQ(a.group_size(), 4);
  const ArmSpec& b = s.arms[1];  // its own list replaces the inherited one
  ASSERT_EQ(b.figures.size(), 1u);
  EXPECT_EQ(b.figures[0].name, "dad");
  EXPECT_EQ(b.figures[0].population[warmth].mean, 0.3);
  EXPECT_EQ(b.group_size(), 1);
  // The resolved configuration reads back to the same figures.
  const std::string text = scenario_to_toml(s);
  const ScenarioSpec r = scenario_from_toml(sim::load_toml_text(text, "r.toml"), "r.toml");
  ASSERT_EQ(r.arms[0].figures.size(), 2u);
  for (std::size_t f = 0; f < 2; ++f) {
    EXPECT_EQ(r.arms[0].figures[f].name, a.figures[f].name);
    EXPECT_EQ(r.arms[0].figures[f].weekdays, a.figures[f].weekdays);
    EXPECT_EQ(r.arms[0].figures[f].group_size, a.figures[f].group_size);
    for (std::size_t i = 0; i < kNumCaregiverParams; ++i) {
      EXPECT_EQ(r.arms[0].figures[f].population[i].mean, a.figures[f].population[i].mean);
      EXPECT_EQ(r.arms[0].figures[f].population[i].sd, a.figures[f].population[i].sd);
    }
  }
  EXPECT_EQ(scenario_to_toml(r).substr(text.find('\n')), text.substr(text.find('\n')));
}

TEST(Scenario, RejectsBadFiguresWithLocation) {
  const std::string head = "[[figure]]\nname = \"x\"\n";
  EXPECT_NE(error_of(head + "role = \"uncle\"\n")
                .find("s.toml:3:8: 'figure[0].role' = 'uncle' is missing or unknown; allowed: "
                      "parent, grandparent, daycare"),
            std::string::npos);
  EXPECT_NE(error_of("[[figure]]\nrole = \"parent\"\n").find("'figure[0].name'"),
            std::string::npos);
  EXPECT_NE(error_of(head + "role = \"parent\"\nweekdays = 2\n")
                .find("applies to grandparent and daycare figures only"),
            std::string::npos);
  EXPECT_NE(error_of(head + "role = \"grandparent\"\ngroup_size = 2\n")
                .find("applies to daycare figures only"),
            std::string::npos);
  EXPECT_NE(error_of(head + "role = \"daycare\"\ngroup_size = 33\n")
                .find("allowed: integers 1 to 32 (children per carer)"),
            std::string::npos);
  EXPECT_NE(error_of(head + "role = \"parent\"\n[[figure]]\nname = \"x\"\nrole = \"parent\"\n")
                .find("repeats figure name 'x'"),
            std::string::npos);
  EXPECT_NE(error_of(head + "role = \"parent\"\n[[figure]]\nname = \"y\"\nrole = \"parent\"\n")
                .find("at most one"),
            std::string::npos);
  EXPECT_NE(error_of(head + "role = \"grandparent\"\nweekdays = 3\n[[figure]]\nname = "
                            "\"y\"\nrole = \"daycare\"\nweekdays = 3\n")
                .find("s.toml:8:12: 'figure[1].weekdays' brings the weekdays of grandparent and "
                      "daycare figures to 6; allowed: at most 5"),
            std::string::npos);
  EXPECT_NE(error_of(head + "role = \"grandparent\"\npopulation.warmth = 2\n")
                .find("'figure[0].population.warmth' = 2 is out of range"),
            std::string::npos);
  std::string four;
  for (const char* n : {"a", "b", "c", "d"}) {
    four += "[[figure]]\nname = \"" + std::string(n) + "\"\nrole = \"daycare\"\nweekdays = 1\n";
  }
  EXPECT_NE(error_of(four).find("at most 3 figures besides the primary caregiver"),
            std::string::npos);
}

}  // namespace
}  // namespace attachsim::models
