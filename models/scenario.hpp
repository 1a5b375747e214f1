// A scenario: an immutable, validated description of what to run (arms, populations, horizon,
// recording stride, seed), built from TOML documents and never mutated by the engine.
#pragma once

#include <toml++/toml.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "models/parameters.hpp"

namespace attachsim::models {

struct Distribution {
  double mean = 0.0;
  double sd = 0.0;  // 0: every caregiver gets the mean
};

// Caregiver population: one distribution per entry of kCaregiverParams (same order).
using Population = std::array<Distribution, kNumCaregiverParams>;

Population default_population();

// A change of caregiving from a given age (a parenting programme, therapy, a new job): the
// caregiver parameters it names are redrawn from its distributions; the others stay as drawn.
struct InterventionSpec {
  double at_months = 0.0;  // child's age
  std::string description;
  Population population;                            // distributions of the changed parameters
  std::array<bool, kNumCaregiverParams> changes{};  // which parameters it changes
};

inline constexpr std::size_t kMaxInterventions = 4;

// A further attachment figure besides the primary caregiver (docs/model.md section 14b).
enum class FigureRole : std::uint8_t { kParent, kGrandparent, kDaycare };
inline constexpr std::array<std::string_view, 3> kFigureRoleNames = {"parent", "grandparent",
                                                                     "daycare"};

struct FigureSpec {
  std::string name;  // output group figures/<name>/
  FigureRole role = FigureRole::kGrandparent;
  std::int64_t weekdays = 5;    // grandparent, day care: weekdays it cares for the child (1-5)
  std::int64_t group_size = 1;  // day care: children per carer (1: no sharing)
  Population population;        // the arm's, overridden by the figure's own entries
  std::array<bool, kNumCaregiverParams> overrides{};  // which entries the figure sets itself
};

inline constexpr std::size_t kMaxFigures = 3;  // besides the primary caregiver
inline constexpr std::int64_t kMaxGroupSize = 32;

struct ArmSpec {
  std::string name;
  std::string description;
  Population population;
  ChildParams child;
  std::vector<InterventionSpec> interventions;  // ascending by age, at most kMaxInterventions
  std::vector<FigureSpec> figures;              // at most kMaxFigures

  // Children per day-care carer (1 when no figure shares a carer): dyads are simulated in groups
  // of this many consecutive indices.
  std::int64_t group_size() const;
};

// When the child is assessed (ages in months since birth).
struct AssessmentSpec {
  std::vector<double> strange_situation_months{12.0, 18.0};
  std::vector<double> sensitivity_months{6.0, 9.0};  // observation windows begin at these ages
  double sensitivity_window_days = 7.0;  // Ainsworth's home observation (docs/model.md 13)
};

struct ScenarioSpec {
  std::string name;
  std::string description;
  // Teaching lessons (scenarios/lessons/) also say, in plain words, what they teach, which
  // section of the article they illustrate, and the result they demonstrate.
  std::string lesson;
  std::string article_section;
  std::string demonstrates;
  // What the run summary's headline compares: "secure" (the share classified secure at the first
  // Strange Situation, when there is one) or "trust" (trust at the end of the horizon), for
  // lessons whose point lies after their assessments.
  std::string headline = "secure";
  // What the report charts besides its usual charts (the mechanism a lesson is about): metrics
  // over age, and the secure share and trust against a caregiver parameter the arms vary.
  std::vector<std::string> focus_metrics;
  std::string focus_parameter;
  std::string source;  // file path or "built-in:<name>"
  std::uint64_t seed = 0;
  std::int64_t dyads = 0;           // per arm
  double months = 0.0;              // horizon
  double record_stride_days = 0.0;  // recording interval
  double start_age_months = 0.0;
  AssessmentSpec assessment;
  std::vector<ArmSpec> arms;

  // Whole recording intervals in the horizon.
  std::int64_t n_records() const;
};

// Limits enforced by the validator (kept small enough for HDF5 dataset sizes and stream keys).
inline constexpr std::int64_t kMaxDyads = 100'000'000;
inline constexpr std::int64_t kMaxArms = 1000;

// Builds and validates a scenario from a TOML document (after overrides). Throws sim::InputError
// naming file, line, key and allowed values on any problem, including unknown keys.
//
// With `preview` (a horizon shortened on the command line, for a quick preview), assessment ages
// and interventions the document gives that fall beyond the horizon are left out instead of
// refused (interventions are still validated), and each is described in `dropped` (if given).
ScenarioSpec scenario_from_toml(const toml::table& doc, const std::string& source,
                                bool preview = false, std::vector<std::string>* dropped = nullptr);

// The fully resolved scenario as TOML (every key, with units and ranges as comments). Reading it
// back with scenario_from_toml gives the same scenario.
std::string scenario_to_toml(const ScenarioSpec& spec);

// Built-in scenarios (files under scenarios/, compiled in).
struct BuiltinScenario {
  std::string_view name;
  std::string_view path;  // repository path, for messages
  std::string_view text;
  bool is_lesson = false;  // from scenarios/lessons/
};
const std::vector<BuiltinScenario>& builtin_scenarios();

}  // namespace attachsim::models
