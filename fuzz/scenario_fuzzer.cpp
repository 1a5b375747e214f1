// libFuzzer target for the scenario reader (issue 14; docs/reliability.md): any bytes, read as a
// scenario file (TOML) with an optional --set override on the first line, must end in a valid
// scenario or a sim::InputError -- never a crash, a sanitizer report, a hang or another exception.
// A scenario that is accepted must also survive the round trip the documentation promises: its
// resolved configuration (scenario_to_toml) reads back to the same resolved configuration.
//
// Input: "#set KEY=VALUE\n" then the document, or just the document.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "models/scenario.hpp"
#include "sim/config.hpp"
#include "sim/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace attachsim;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string override_text;
  if (text.starts_with("#set ")) {
    const auto end = text.find('\n');
    override_text =
        std::string(text.substr(5, end == std::string_view::npos ? text.size() - 5 : end - 5));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  }
  std::string resolved;
  try {
    toml::table doc = sim::load_toml_text(text, "fuzz.toml");
    if (!override_text.empty()) sim::apply_override(doc, override_text);
    const models::ScenarioSpec spec = models::scenario_from_toml(doc, "fuzz.toml");
    resolved = models::scenario_to_toml(spec);
  } catch (const sim::InputError&) {
    return 0;  // bad input, reported as such: what the reader promises
  }
  // The round trip: the resolved configuration is itself a valid scenario with the same
  // resolution. Anything else is a finding.
  try {
    const models::ScenarioSpec again =
        models::scenario_from_toml(sim::load_toml_text(resolved, "resolved.toml"), "fuzz.toml");
    if (models::scenario_to_toml(again) != resolved) {
      std::fprintf(stderr, "round trip changed the resolved configuration:\n%s\n",
                   resolved.c_str());
      std::abort();
    }
  } catch (const sim::InputError& e) {
    std::fprintf(stderr, "the resolved configuration does not read back: %s\n%s\n", e.what(),
                 resolved.c_str());
    std::abort();
  }
  return 0;
}
