#include "apps/attachsim/scenario_loading.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string_view>

#include "sim/config.hpp"
#include "sim/errors.hpp"

namespace attachsim::cli {
namespace {

bool looks_like_path(const std::string& name) {
  return name.find('/') != std::string::npos || name.ends_with(".toml") ||
         std::filesystem::exists(name);
}

}  // namespace

void warn_shadowed_overrides(const toml::table& doc, const std::vector<std::string>& overrides,
                             const std::string& scenario) {
  for (const std::string& assignment : overrides) {
    const std::vector<std::string> arms = sim::shadowing_elements(doc, assignment, "arm");
    // An intervention sets caregiver parameters by their bare key from its age on.
    std::vector<std::string> changes;
    if (assignment.starts_with("population.")) {
      const std::string bare = assignment.substr(std::string_view("population.").size());
      if (const toml::array* all = doc["arm"].as_array()) {
        for (const auto& arm : *all) {
          const auto* table = arm.as_table();
          if (table != nullptr && !sim::shadowing_elements(*table, bare, "intervention").empty()) {
            changes.push_back((*table)["name"].value_or(std::string("(unnamed)")));
          }
        }
      }
    }
    if (arms.empty() && changes.empty()) continue;
    const auto eq = assignment.find('=');
    std::string key = assignment.substr(0, eq);
    key.erase(0, key.find_first_not_of(" \t"));
    key.erase(key.find_last_not_of(" \t") + 1);
    std::string value = assignment.substr(eq + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t") + 1);
    std::string message = "attachsim: warning: --set " + assignment + ": ";
    auto list = [](const std::vector<std::string>& names) {
      std::string out;
      for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
      return out;
    };
    if (!arms.empty()) {
      message += "in " + scenario + ", arm(s) " + list(arms) + " set their own value, which " +
                 "this does not change";
    }
    if (!changes.empty()) {
      message += std::string(arms.empty() ? "in " + scenario + ", " : "; ") +
                 "the interventions of arm(s) " + list(changes) + " change it from their age on";
    }
    message += "; to set it in every arm: --set 'arm.*." + key + "=" + value + "'";
    if (!changes.empty()) {
      message += ", and in every intervention: --set 'arm.*.intervention.*." +
                 key.substr(std::string_view("population.").size()) + "=" + value + "'";
    }
    std::cerr << message << "\n";
  }
}

ScenarioDocument load_document(const std::string& name) {
  if (looks_like_path(name)) return {sim::load_toml_file(name), name};
  const models::BuiltinScenario* found = nullptr;
  std::string known;
  for (const auto& b : models::builtin_scenarios()) {
    if (b.name == name) found = &b;
    known += (known.empty() ? "" : ", ") + std::string(b.name);
  }
  if (found == nullptr && name == "default") {  // the 4-arm scenario's name before 2026-12
    throw sim::InputError(
        "there is no scenario 'default': `attachsim run` with no scenario runs the built-in "
        "default, the nine lessons; the four-arm first-look scenario is `attachsim run "
        "first-look`");
  }
  if (found == nullptr) {
    throw sim::InputError("unknown scenario '" + name +
                          "': not a file, and not a built-in scenario; built-in: " + known);
  }
  const std::string path(found->path);
  return {sim::load_toml_text(found->text, path),
          "built-in:" + std::string(found->name) + " (" + path + ")"};
}

std::vector<models::ScenarioSpec> load_scenarios(const std::vector<std::string>& names,
                                                 const std::vector<std::string>& overrides) {
  std::vector<std::string> wanted = names;
  if (wanted.empty()) {  // the built-in default: every teaching lesson
    for (const auto& b : models::builtin_scenarios()) {
      if (b.is_lesson) wanted.emplace_back(b.name);
    }
  }
  // A horizon shortened on the command line (--months, --set scenario.months) is a preview: the
  // scenario's assessments beyond it are left out, with a note, unless the command line also
  // sets assessment ages (then they must fit, as in a file).
  const auto overrides_key = [&](std::string_view prefix) {
    return std::any_of(overrides.begin(), overrides.end(), [&](const std::string& o) {
      const auto start = o.find_first_not_of(" \t");
      return start != std::string::npos && std::string_view(o).substr(start).starts_with(prefix);
    });
  };
  const bool preview = overrides_key("scenario.months") &&
                       !overrides_key("assessment.strange_situation_months") &&
                       !overrides_key("assessment.sensitivity_months");
  std::vector<models::ScenarioSpec> specs;
  for (const std::string& name : wanted) {
    auto [doc, source] = load_document(name);
    warn_shadowed_overrides(doc, overrides,
                            doc["scenario"]["name"].value_or(std::string("the scenario")));
    for (const std::string& assignment : overrides) sim::apply_override(doc, assignment);
    std::vector<std::string> dropped;
    specs.push_back(models::scenario_from_toml(doc, source, preview, &dropped));
    for (const std::string& note : dropped) {
      std::cerr << "attachsim: note: " << specs.back().name << ": " << note << "\n";
    }
  }
  for (std::size_t i = 0; i < specs.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (specs[i].name == specs[j].name) {
        throw sim::InputError("scenario name '" + specs[i].name + "' is given twice (" +
                              specs[j].source + ", " + specs[i].source +
                              "); each scenario in one run needs its own name");
      }
    }
  }
  return specs;
}

}  // namespace attachsim::cli
