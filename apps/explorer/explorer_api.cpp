// The explorer's entry points (WebAssembly, called from the page's Web Worker): the model core
// (attachsim_model_core) and nothing else. The page chooses a built-in scenario, sets the
// caregiver of a "your variant" arm with sliders, runs the arms in blocks of dyads (progress and
// Stop between blocks) and draws the summaries computed here. docs/explorer.md has the design.
//
// Every function returns a JSON text (valid until the next call) or a status code; errors are
// {"error": "..."} with the message attachsim run would print.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "models/metrics.hpp"
#include "models/scenario.hpp"
#include "models/simulate.hpp"
#include "sim/config.hpp"
#include "sim/errors.hpp"
#include "sim/intervals.hpp"
#include "sim/time.hpp"

namespace {

using namespace attachsim;

// The caregiver qualities the page's sliders set, in the page's order (registry keys).
constexpr std::string_view kSliderKeys[] = {
    "responsiveness", "repair_probability", "consistency", "presence", "support",
    "warmth",         "frightening"};
constexpr std::string_view kVariantName = "your-variant";

struct Session {
  models::ScenarioSpec spec;
  std::string toml;  // the resolved scenario: attachsim run reads it into the same numbers
  std::vector<sim::ArmResult> arms;
};
Session session;
std::string reply;  // the last JSON returned

// ---- a small JSON writer --------------------------------------------------------------------

// A JSON string: TOML's basic-string escapes (sim::toml_quote: \", \\, \n, \t, \r, \uXXXX) are
// exactly JSON's.
std::string quote(std::string_view text) { return sim::toml_quote(text); }

std::string number(double value) {
  if (!std::isfinite(value)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.5g", value);
  return buf;
}

std::string array(const std::vector<double>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + number(values[i]);
  return out + "]";
}

const char* error_reply(const std::string& message) {
  reply = "{\"error\":" + quote(message) + "}";
  return reply.c_str();
}

std::vector<std::string> lines(const char* text) {
  std::vector<std::string> out;
  std::istringstream in(text != nullptr ? text : "");
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) out.push_back(line);
  }
  return out;
}

const models::BuiltinScenario* builtin(std::string_view name) {
  for (const auto& b : models::builtin_scenarios()) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

std::size_t param_index(std::string_view key) {
  for (std::size_t i = 0; i < models::kNumCaregiverParams; ++i) {
    if (models::kCaregiverParams[i].key == key) return i;
  }
  return models::kNumCaregiverParams;
}

// The variant arm: the scenario's first arm (its figures, switches and child) with the caregiver
// the sliders set, every caregiver alike ("key=value" lines; keys from kSliderKeys).
void add_variant(toml::table& doc, const std::vector<std::string>& settings) {
  toml::array* arms = doc["arm"].as_array();
  if (arms == nullptr || arms->empty() || !arms->front().is_table()) {
    throw sim::InputError("the scenario has no [[arm]] to base a variant on");
  }
  toml::table variant = *arms->front().as_table();
  variant.insert_or_assign("name", std::string(kVariantName));
  variant.insert_or_assign("description", std::string("your variant: the first arm with the "
                                                      "caregiver set on the page"));
  if (!variant["population"].is_table()) variant.insert_or_assign("population", toml::table{});
  toml::table& population = *variant["population"].as_table();
  for (const std::string& setting : settings) {
    const auto eq = setting.find('=');
    const std::string key = setting.substr(0, eq);
    if (eq == std::string::npos ||
        std::find(std::begin(kSliderKeys), std::end(kSliderKeys), key) == std::end(kSliderKeys)) {
      throw sim::InputError("variant setting '" + setting +
                            "': expected KEY=VALUE with KEY one of "
                            "responsiveness, repair_probability, consistency, presence, support, "
                            "warmth, frightening");
    }
    char* end = nullptr;
    const double value = std::strtod(setting.c_str() + eq + 1, &end);
    if (end == setting.c_str() + eq + 1 || *end != '\0' || !(value >= 0.0 && value <= 1.0)) {
      throw sim::InputError("variant setting '" + setting +
                            "': the value must be a number from 0 "
                            "to 1");
    }
    population.insert_or_assign(key, value);
  }
  arms->push_back(std::move(variant));
}

// Mean and 95% interval of the mean over dyads, per record, of one metric.
struct Band {
  std::vector<double> mean, lo, hi;
};

Band band(const sim::ArmResult& arm, models::Metric metric) {
  const sim::MetricTable& t = arm.metrics;
  const std::size_t n = t.n_dyads(), r = t.n_records();
  Band b;
  for (std::size_t k = 0; k < r; ++k) {
    double sum = 0.0, sum2 = 0.0;
    std::size_t count = 0;
    for (std::size_t d = 0; d < n; ++d) {
      const double v = t.row(metric, d)[k];
      if (!std::isfinite(v)) continue;
      sum += v;
      sum2 += v * v;
      ++count;
    }
    const double mean = count ? sum / static_cast<double>(count) : NAN;
    const double var =
        count > 1 ? std::max(0.0, (sum2 - sum * mean) / static_cast<double>(count - 1)) : 0.0;
    const double half = count > 1 ? sim::kZ95 * std::sqrt(var / static_cast<double>(count)) : 0.0;
    b.mean.push_back(mean);
    b.lo.push_back(mean - half);
    b.hi.push_back(mean + half);
  }
  return b;
}

std::string band_json(const Band& b) {
  return "{\"mean\":" + array(b.mean) + ",\"lo\":" + array(b.lo) + ",\"hi\":" + array(b.hi) + "}";
}

std::string arm_json(const models::ScenarioSpec& spec, std::size_t a, const sim::ArmResult& arm) {
  std::ostringstream out;
  char checksum[24];
  std::snprintf(checksum, sizeof checksum, "0x%016llx",
                static_cast<unsigned long long>(models::arm_checksum(arm)));
  std::vector<double> months;
  for (const double day : arm.time_days) {
    months.push_back(spec.start_age_months + day / sim::kDaysPerMonth);
  }
  out << "{\"name\":" << quote(spec.arms[a].name)
      << ",\"description\":" << quote(spec.arms[a].description) << ",\"dyads\":" << spec.dyads
      << ",\"checksum\":\"" << checksum << "\",\"months\":" << array(months)
      << ",\"trust\":" << band_json(band(arm, models::kTrust))
      << ",\"felt_security\":" << band_json(band(arm, models::kFeltSecurity))
      << ",\"exploration\":" << band_json(band(arm, models::kExploration))
      << ",\"distress\":" << band_json(band(arm, models::kDistress));
  // Ruptures and repairs per week (the tables count per recording interval).
  const double per_week = 7.0 / spec.record_stride_days;
  for (const auto& [key, metric] :
       {std::pair{"ruptures", models::kRuptures}, std::pair{"repairs", models::kRepairs}}) {
    Band b = band(arm, metric);
    for (auto* v : {&b.mean, &b.lo, &b.hi}) {
      for (double& x : *v) x *= per_week;
    }
    out << ",\"" << key << "_per_week\":" << band_json(b);
  }
  // Class shares at each Strange Situation age, with Wilson intervals.
  out << ",\"ssp\":[";
  const models::ArmOutputs outputs = models::arm_outputs(spec, a);
  for (std::size_t i = 0; i < outputs.ssp.size(); ++i) {
    const std::int8_t* cls = outputs.ssp[i].attachment_class.in(arm);
    std::size_t counts[4] = {0, 0, 0, 0};
    std::size_t n = 0;
    for (std::size_t d = 0; d < static_cast<std::size_t>(spec.dyads); ++d) {
      if (cls[d] >= 0 && cls[d] < 4) {
        ++counts[cls[d]];
        ++n;
      }
    }
    out << (i ? "," : "")
        << "{\"age_months\":" << number(spec.assessment.strange_situation_months[i])
        << ",\"n\":" << n << ",\"classes\":{";
    for (int c = 0; c < 4; ++c) {
      const sim::ShareInterval share = sim::wilson_interval(counts[c], n);
      out << (c ? "," : "") << "\""
          << "ABCD"[c] << "\":{\"share\":" << number(share.share) << ",\"lo\":" << number(share.low)
          << ",\"hi\":" << number(share.high) << "}";
    }
    out << "}}";
  }
  out << "]}";
  return out.str();
}

}  // namespace

extern "C" {

// The built-in scenarios: [{name, description, lesson, demonstrates, arms: [...]}].
const char* explorer_list() {
  try {
    std::string out = "[";
    bool first = true;
    for (const auto& b : models::builtin_scenarios()) {
      const models::ScenarioSpec spec = models::scenario_from_toml(
          sim::load_toml_text(b.text, std::string(b.path)), "built-in:" + std::string(b.name));
      out += (first ? "" : ",") + std::string("{\"name\":") + quote(b.name) +
             ",\"is_lesson\":" + (b.is_lesson ? "true" : "false") +
             ",\"description\":" + quote(spec.description) + ",\"lesson\":" + quote(spec.lesson) +
             ",\"demonstrates\":" + quote(spec.demonstrates) +
             ",\"dyads\":" + std::to_string(spec.dyads) + ",\"arms\":[";
      for (std::size_t a = 0; a < spec.arms.size(); ++a) {
        out += (a ? "," : "") + std::string("{\"name\":") + quote(spec.arms[a].name) +
               ",\"description\":" + quote(spec.arms[a].description) + "}";
      }
      out += "]}";
      first = false;
    }
    reply = out + "]";
    return reply.c_str();
  } catch (const std::exception& e) {
    return error_reply(e.what());
  }
}

// Prepares a run of the built-in scenario `name` with `settings` ("key=value" lines, as
// attachsim run --set) and, unless `variant` is null, a "your-variant" arm (see add_variant).
// Returns {dyads, arms: [{name, description, group}], days, base: {slider key: first arm's mean},
// toml}; the results tables are allocated, not yet simulated.
const char* explorer_prepare(const char* name, const char* settings, const char* variant) {
  try {
    const models::BuiltinScenario* b = builtin(name != nullptr ? name : "");
    if (b == nullptr) return error_reply(std::string("unknown built-in scenario '") + name + "'");
    toml::table doc = sim::load_toml_text(b->text, std::string(b->path));
    for (const std::string& s : lines(settings)) sim::apply_override(doc, s);
    if (variant != nullptr) add_variant(doc, lines(variant));
    session = Session{};
    session.spec = models::scenario_from_toml(doc, "explorer:" + std::string(b->name),
                                              /*preview=*/true);
    session.toml = models::scenario_to_toml(session.spec);
    std::ostringstream out;
    out << "{\"name\":" << quote(session.spec.name) << ",\"dyads\":" << session.spec.dyads
        << ",\"seed\":" << session.spec.seed << ",\"months\":" << number(session.spec.months)
        << ",\"days_per_dyad\":"
        << number(static_cast<double>(session.spec.n_records()) * session.spec.record_stride_days)
        << ",\"arms\":[";
    for (std::size_t a = 0; a < session.spec.arms.size(); ++a) {
      session.arms.push_back(models::make_arm_result(session.spec, a));
      out << (a ? "," : "") << "{\"name\":" << quote(session.spec.arms[a].name)
          << ",\"description\":" << quote(session.spec.arms[a].description)
          << ",\"group\":" << session.spec.arms[a].group_size() << "}";
    }
    out << "],\"base\":{";
    for (std::size_t i = 0; i < std::size(kSliderKeys); ++i) {
      out << (i ? "," : "") << quote(kSliderKeys[i]) << ":"
          << number(session.spec.arms[0].population[param_index(kSliderKeys[i])].mean);
    }
    out << "},\"toml\":" << quote(session.toml) << "}";
    reply = out.str();
    return reply.c_str();
  } catch (const std::exception& e) {
    session = Session{};
    return error_reply(e.what());
  }
}

// Simulates dyads [first, first + count) of arm `arm` of the prepared run. 0 on success.
int explorer_run(int arm, int first, int count) {
  try {
    if (arm < 0 || static_cast<std::size_t>(arm) >= session.arms.size() || first < 0 || count < 0) {
      return 1;
    }
    models::simulate_into(session.spec, static_cast<std::size_t>(arm),
                          static_cast<std::size_t>(first), static_cast<std::size_t>(count),
                          session.arms[static_cast<std::size_t>(arm)]);
    return 0;
  } catch (const std::exception&) {
    return 1;
  }
}

// The summaries of every arm of the prepared run (after all its dyads ran).
const char* explorer_results() {
  try {
    std::string out = "{\"arms\":[";
    for (std::size_t a = 0; a < session.arms.size(); ++a) {
      out += (a ? "," : "") + arm_json(session.spec, a, session.arms[a]);
    }
    reply = out + "]}";
    return reply.c_str();
  } catch (const std::exception& e) {
    return error_reply(e.what());
  }
}

}  // extern "C"
