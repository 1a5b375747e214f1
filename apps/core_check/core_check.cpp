// core_check: runs a built-in scenario through the model core alone (attachsim_model_core: no
// oneTBB, HDF5 or MPI), serially, and prints each arm's checksum (models::arm_checksum) in the
// form `attachsim run --verbose` prints it. The build links it against the core only, which
// enforces the boundary the explorer (WebAssembly) needs; tests/core_check.cmake compares its
// checksums with the command line's.
//
//   core_check SCENARIO [KEY=VALUE ...]     (the same overrides as attachsim run --set)
#include <cstdio>
#include <iostream>
#include <string>

#include "models/scenario.hpp"
#include "models/simulate.hpp"
#include "sim/config.hpp"
#include "sim/errors.hpp"

int main(int argc, char** argv) {
  using namespace attachsim;
  if (argc < 2) {
    std::cerr << "usage: core_check SCENARIO [KEY=VALUE ...]\n";
    return 2;
  }
  try {
    const std::string name = argv[1];
    const models::BuiltinScenario* found = nullptr;
    for (const auto& b : models::builtin_scenarios()) {
      if (b.name == name) found = &b;
    }
    if (found == nullptr) {
      std::cerr << "core_check: unknown built-in scenario '" << name << "'\n";
      return 2;
    }
    toml::table doc = sim::load_toml_text(found->text, std::string(found->path));
    for (int i = 2; i < argc; ++i) sim::apply_override(doc, argv[i]);
    const models::ScenarioSpec spec =
        models::scenario_from_toml(doc, "built-in:" + name, /*preview=*/true);
    for (std::size_t a = 0; a < spec.arms.size(); ++a) {
      const sim::ArmResult arm = models::simulate_range(
          spec, a, 0, static_cast<std::size_t>(spec.dyads), 16, models::serial_units);
      std::printf("checksum %s: 0x%016llx\n", arm.name.c_str(),
                  static_cast<unsigned long long>(models::arm_checksum(arm)));
    }
  } catch (const sim::InputError& e) {
    std::cerr << "core_check: error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
