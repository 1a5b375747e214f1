// Turning command-line scenario arguments and overrides into validated scenarios.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "models/scenario.hpp"

namespace attachsim::cli {

// A SCENARIO argument is a path to a TOML file or the name of a built-in scenario; none means
// every built-in teaching lesson (the built-in default). Overrides
// (`key=value`) are applied in order to every scenario before validation. Throws
// sim::InputError on any problem.
std::vector<models::ScenarioSpec> load_scenarios(const std::vector<std::string>& names,
                                                 const std::vector<std::string>& overrides);

// Warns on stderr, once per override, when arms of `doc` give their own value for a key an
// override sets at the top level (and so keep theirs), or their interventions change it later;
// the warning names the arms and shows the `arm.*.` form that sets it in every arm.
void warn_shadowed_overrides(const toml::table& doc, const std::vector<std::string>& overrides,
                             const std::string& scenario);

// One scenario document (a file or a built-in), not yet validated.
struct ScenarioDocument {
  toml::table doc;
  std::string source;  // for messages and provenance
};
ScenarioDocument load_document(const std::string& name);

}  // namespace attachsim::cli
