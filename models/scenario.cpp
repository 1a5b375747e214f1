#include "models/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "models/metrics.hpp"
#include "sim/config.hpp"
#include "sim/errors.hpp"
#include "sim/time.hpp"

namespace attachsim::models {
namespace {

using sim::ConfigTable;

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

constexpr std::string_view kNameRule = "1-64 characters from A-Z a-z 0-9 _ -";

// A population entry: `{ mean = m, sd = s }` or a bare number (sd = 0).
Distribution read_distribution(ConfigTable& table, const CaregiverParamSpec& spec,
                               Distribution fallback) {
  if (!table.is_table(spec.key)) {  // absent, or a bare number fixing every caregiver's value
    const double value = table.number(spec.key, std::nan(""), spec.lo, spec.hi, spec.unit);
    return std::isnan(value) ? fallback : Distribution{value, 0.0};
  }
  ConfigTable sub = table.table(spec.key);
  Distribution d = fallback;
  const bool sd_given = sub.has("sd");
  d.mean = sub.number("mean", fallback.mean, spec.lo, spec.hi, spec.unit);
  d.sd = sub.number("sd", fallback.sd, 0.0, spec.hi - spec.lo, spec.unit);
  sub.reject_unknown();
  if (spec.family == Family::kBeta && d.sd > 0.0 && !sd_given) {
    // A mean set without its sd (a sweep over the mean, a --set) keeps the inherited sd where a
    // Beta with that mean allows it; where not, at an end of the range every caregiver is at that
    // end (sd 0, the limit of a Beta whose mean goes there), and near one the sd narrows to 90% of
    // the largest such a Beta allows (docs/model.md section 15). The resolved configuration shows
    // the sd used.
    const double span = spec.hi - spec.lo;
    const double m = (d.mean - spec.lo) / span;
    const double largest = std::sqrt(std::max(0.0, m * (1.0 - m))) * span;
    if (m <= 0.0 || m >= 1.0) {
      d.sd = 0.0;
    } else if (!(d.sd < largest)) {
      d.sd = 0.9 * largest;
    }
  }
  if (spec.family == Family::kBeta && d.sd > 0.0) {
    const double span = spec.hi - spec.lo;
    const double m = (d.mean - spec.lo) / span;
    const double s = d.sd / span;
    if (!(m > 0.0 && m < 1.0) || !(s * s < m * (1.0 - m))) {
      std::ostringstream what;
      what << "= { mean = " << d.mean << ", sd = " << d.sd
           << " } is not a valid Beta distribution; allowed: mean strictly inside (" << spec.lo
           << ", " << spec.hi << ") and sd < sqrt(mean * (1 - mean)) = "
           << std::sqrt(std::max(0.0, m * (1.0 - m))) * span << " (or sd = 0)";
      table.fail(spec.key, what.str());
    }
  }
  if (spec.family == Family::kLogNormal && d.sd > 0.0 && !(d.mean > 0.0)) {
    table.fail(spec.key, "has sd > 0 with mean <= 0; a log-normal needs mean > 0");
  }
  return d;
}

Population read_population(ConfigTable table, const Population& base) {
  Population pop = base;
  for (std::size_t i = 0; i < kNumCaregiverParams; ++i) {
    pop[i] = read_distribution(table, kCaregiverParams[i], base[i]);
  }
  table.reject_unknown();
  return pop;
}

ChildParams read_child(ConfigTable table, const ChildParams& base) {
  ChildParams child = base;
  for (const auto& spec : kChildParams) {
    child.*spec.field = table.number(spec.key, base.*spec.field, spec.lo, spec.hi, spec.unit);
  }
  table.reject_unknown();
  return child;
}

// Reads [[figure]] / [[arm.figure]] tables. Population entries the figure does not set come from
// `base` (and are marked as not overridden, so that inherited figures follow each arm's
// population).
std::vector<FigureSpec> read_figures(std::vector<ConfigTable> tables, const Population& base) {
  std::vector<FigureSpec> figures;
  int parents = 0;
  int shared = 0;
  std::int64_t weekdays = 0;
  for (ConfigTable& t : tables) {
    FigureSpec f;
    f.name = t.string("name", "");
    if (!valid_name(f.name)) {
      t.fail("name", "= '" + f.name + "' is missing or not a valid figure name; allowed: " +
                         std::string(kNameRule));
    }
    for (const FigureSpec& other : figures) {
      if (other.name == f.name) t.fail("name", "repeats figure name '" + f.name + "'");
    }
    const std::string role = t.string("role", "");
    const auto it = std::find(kFigureRoleNames.begin(), kFigureRoleNames.end(), role);
    if (it == kFigureRoleNames.end()) {
      t.fail("role",
             "= '" + role + "' is missing or unknown; allowed: parent, grandparent, daycare");
    }
    f.role = static_cast<FigureRole>(it - kFigureRoleNames.begin());
    if (f.role == FigureRole::kParent) {
      if (t.has("weekdays")) {
        t.fail("weekdays",
               "applies to grandparent and daycare figures only; a second parent's "
               "hours come from its population.presence");
      }
      if (++parents > 1) t.fail("role", "names a second 'parent'; allowed: at most one");
    } else {
      f.weekdays = t.integer("weekdays", 5, 1, 5, "weekdays");
      weekdays += f.weekdays;
      if (weekdays > 5) {
        t.fail("weekdays", "brings the weekdays of grandparent and daycare figures to " +
                               std::to_string(weekdays) +
                               "; allowed: at most 5 in all (they take consecutive weekdays)");
      }
    }
    if (f.role == FigureRole::kDaycare) {
      f.group_size = t.integer("group_size", 1, 1, kMaxGroupSize, "children per carer");
      if (f.group_size > 1 && ++shared > 1) {
        t.fail("group_size", "> 1 for a second day-care figure; allowed: one shared carer per arm");
      }
    } else if (t.has("group_size")) {
      t.fail("group_size", "applies to daycare figures only");
    }
    ConfigTable pop = t.table("population");
    f.population = base;
    for (std::size_t i = 0; i < kNumCaregiverParams; ++i) {
      f.overrides[i] = pop.has(kCaregiverParams[i].key);
      f.population[i] = read_distribution(pop, kCaregiverParams[i], base[i]);
    }
    pop.reject_unknown();
    t.reject_unknown();
    figures.push_back(std::move(f));
  }
  if (figures.size() > kMaxFigures) {
    tables[kMaxFigures].fail("name", "is figure " + std::to_string(figures.size()) +
                                         "; allowed: at most " + std::to_string(kMaxFigures) +
                                         " figures besides the primary caregiver");
  }
  return figures;
}

// Inherited figures take the arm's population wherever they do not set their own.
std::vector<FigureSpec> inherit_figures(std::vector<FigureSpec> figures, const Population& arm) {
  for (FigureSpec& f : figures) {
    for (std::size_t i = 0; i < kNumCaregiverParams; ++i) {
      if (!f.overrides[i]) f.population[i] = arm[i];
    }
  }
  return figures;
}

}  // namespace

std::int64_t ArmSpec::group_size() const {
  std::int64_t size = 1;
  for (const FigureSpec& f : figures) size = std::max(size, f.group_size);
  return size;
}

Population default_population() {
  Population pop{};
  for (std::size_t i = 0; i < kNumCaregiverParams; ++i) {
    pop[i] = {kCaregiverParams[i].mean, kCaregiverParams[i].sd};
  }
  return pop;
}

std::int64_t ScenarioSpec::n_records() const {
  const double horizon_days = sim::months_to_days(months);
  return static_cast<std::int64_t>(std::floor(horizon_days / record_stride_days + 1e-9));
}

ScenarioSpec scenario_from_toml(const toml::table& doc, const std::string& source, bool preview,
                                std::vector<std::string>* dropped) {
  ConfigTable root(&doc, "", source);
  ScenarioSpec spec;
  spec.source = source;

  ConfigTable scenario = root.table("scenario");
  spec.name = scenario.string("name", "scenario");
  if (!valid_name(spec.name)) {
    scenario.fail("name",
                  "= '" + spec.name + "' is not a valid name; allowed: " + std::string(kNameRule));
  }
  spec.description = scenario.string("description", "");
  spec.lesson = scenario.string("lesson", "");
  spec.article_section = scenario.string("article_section", "");
  spec.demonstrates = scenario.string("demonstrates", "");
  spec.headline = scenario.string("headline", "secure");
  {
    std::vector<std::string> metric_names, param_names;
    for (const auto& m : kMetrics) metric_names.emplace_back(m.name);
    for (const auto& p : kCaregiverParams) param_names.emplace_back(p.key);
    spec.focus_metrics = scenario.strings_from("focus_metrics", {}, metric_names);
    spec.focus_parameter = scenario.string("focus_parameter", "");
    if (!spec.focus_parameter.empty() && std::find(param_names.begin(), param_names.end(),
                                                   spec.focus_parameter) == param_names.end()) {
      scenario.fail("focus_parameter", "= '" + spec.focus_parameter +
                                           "' is not a caregiver parameter (attachsim "
                                           "parameters lists them)");
    }
  }
  if (spec.headline != "secure" && spec.headline != "trust") {
    scenario.fail("headline", "= '" + spec.headline + "'; allowed: secure, trust");
  }
  spec.seed = static_cast<std::uint64_t>(
      scenario.integer("seed", 1, 0, std::numeric_limits<std::int64_t>::max(), "seed"));
  spec.dyads = scenario.integer("dyads", 1000, 1, kMaxDyads, "dyads per arm");
  spec.months = scenario.number("months", 24.0, 0.25, 600.0, "months");
  spec.record_stride_days = scenario.number("record_stride_days", 7.0, 1.0, 3650.0, "days");
  spec.start_age_months = scenario.number("start_age_months", 0.0, 0.0, 216.0, "months");
  scenario.reject_unknown();
  if (spec.n_records() < 1) {
    scenario.fail("record_stride_days",
                  "is longer than the horizon; allowed: at most scenario.months in days (" +
                      sim::toml_number(sim::months_to_days(spec.months)) + ")");
  }

  // Assessment ages. Defaults that fall outside the simulated span are dropped (a short run has
  // fewer assessments); ages the user gives must fall inside it.
  ConfigTable assessment = root.table("assessment");
  const double end_months =
      spec.start_age_months +
      sim::days_to_months(static_cast<double>(spec.n_records()) * spec.record_stride_days);
  spec.assessment.sensitivity_window_days = assessment.number(
      "sensitivity_window_days", spec.assessment.sensitivity_window_days, 0.5, 60.0, "days");
  const double window_months = sim::days_to_months(spec.assessment.sensitivity_window_days);
  auto read_ages = [&](std::string_view key, std::vector<double>& ages, double length_months) {
    const bool given = assessment.has(key);
    ages = assessment.increasing_numbers(key, ages, 0.0, 216.0, "months of age");
    const auto outside = [&](double a) {
      return a < spec.start_age_months || a + length_months > end_months;
    };
    const auto late = [&](double a) { return a >= spec.start_age_months && outside(a); };
    if (given && preview && dropped != nullptr) {
      for (const double a : ages) {
        if (late(a)) {
          std::ostringstream note;
          note << key << " " << sim::toml_number(a) << " is beyond the " << std::fixed
               << std::setprecision(2) << end_months << "-month horizon (" << std::defaultfloat
               << std::setprecision(6) << spec.months << " months rounded down to "
               << spec.n_records() << " whole " << spec.record_stride_days
               << "-day records): left out";
          dropped->push_back(note.str());
        }
      }
    }
    if (given && preview) std::erase_if(ages, late);
    if (!given) {
      std::erase_if(ages, outside);
    } else if (std::any_of(ages.begin(), ages.end(), outside)) {
      std::ostringstream span;
      span << std::fixed << std::setprecision(2) << spec.start_age_months << " to "
           << end_months - length_months;
      assessment.fail(key, "falls outside the simulated ages, " + span.str() +
                               " months (the horizon ends at the last whole recording interval); "
                               "allowed: ages within that span, or a longer scenario.months");
    }
  };
  read_ages("strange_situation_months", spec.assessment.strange_situation_months, 0.0);
  read_ages("sensitivity_months", spec.assessment.sensitivity_months, window_months);
  assessment.reject_unknown();

  const Population base_population =
      read_population(root.table("population"), default_population());
  const ChildParams base_child = read_child(root.table("child"), default_child_params());
  const std::vector<FigureSpec> base_figures =
      read_figures(root.table_array("figure"), base_population);

  auto arms = root.table_array("arm");
  if (arms.empty()) {
    spec.arms.push_back(
        {"baseline", spec.description, base_population, base_child, {}, base_figures});
  }
  if (static_cast<std::int64_t>(arms.size()) > kMaxArms) {
    root.fail("arm", "has " + std::to_string(arms.size()) + " arms; allowed: at most " +
                         std::to_string(kMaxArms));
  }
  for (auto& arm_table : arms) {
    ArmSpec arm;
    arm.name = arm_table.string("name", "");
    if (!valid_name(arm.name)) {
      arm_table.fail("name", "= '" + arm.name + "' is missing or not a valid arm name; allowed: " +
                                 std::string(kNameRule));
    }
    for (const auto& other : spec.arms) {
      if (other.name == arm.name) arm_table.fail("name", "repeats arm name '" + arm.name + "'");
    }
    arm.description = arm_table.string("description", "");
    arm.population = read_population(arm_table.table("population"), base_population);
    arm.child = read_child(arm_table.table("child"), base_child);
    arm.figures = arm_table.has("figure")
                      ? read_figures(arm_table.table_array("figure"), arm.population)
                      : inherit_figures(base_figures, arm.population);
    double previous_at = -1.0;  // the previous intervention's age, kept or left out
    for (ConfigTable& t : arm_table.table_array("intervention")) {
      InterventionSpec iv;
      // A preview keeps the document's later interventions out of the run but still checks
      // them, against the ages a scenario can have (start age plus the longest horizon).
      const double latest = preview ? spec.start_age_months + 600.0 : end_months;
      iv.at_months = t.number("at_months", 0.0, spec.start_age_months, latest, "months of age");
      if (!t.has("at_months"))
        t.fail("at_months", "is missing; allowed: the child's age in months");
      if (iv.at_months <= previous_at) {
        t.fail("at_months", "must be later than the previous intervention's");
      }
      previous_at = iv.at_months;
      iv.description = t.string("description", "");
      iv.population = arm.population;
      for (std::size_t i = 0; i < kNumCaregiverParams; ++i) {
        iv.changes[i] = t.has(kCaregiverParams[i].key);
        iv.population[i] = read_distribution(t, kCaregiverParams[i], arm.population[i]);
      }
      t.reject_unknown();
      if (iv.at_months > end_months) {  // only in a preview
        if (dropped != nullptr) {
          std::ostringstream note;
          note << "arm '" << arm.name << "': the intervention at " << sim::toml_number(iv.at_months)
               << " months is beyond the " << std::fixed << std::setprecision(2) << end_months
               << "-month horizon: left out";
          dropped->push_back(note.str());
        }
        continue;
      }
      arm.interventions.push_back(std::move(iv));
    }
    if (arm.interventions.size() > kMaxInterventions) {
      arm_table.fail("intervention", "has " + std::to_string(arm.interventions.size()) +
                                         " entries; allowed: at most " +
                                         std::to_string(kMaxInterventions));
    }
    arm_table.reject_unknown();
    spec.arms.push_back(std::move(arm));
  }
  root.reject_unknown();
  return spec;
}

std::string scenario_to_toml(const ScenarioSpec& spec) {
  using sim::toml_number;
  using sim::toml_quote;
  std::ostringstream out;
  out << "# attachsim resolved configuration (source: " << spec.source << ")\n";
  out << "[scenario]\n";
  out << "name = " << toml_quote(spec.name) << "\n";
  out << "description = " << toml_quote(spec.description) << "\n";
  if (!spec.lesson.empty()) out << "lesson = " << toml_quote(spec.lesson) << "\n";
  if (!spec.article_section.empty()) {
    out << "article_section = " << toml_quote(spec.article_section) << "\n";
  }
  if (!spec.demonstrates.empty()) out << "demonstrates = " << toml_quote(spec.demonstrates) << "\n";
  if (!spec.focus_metrics.empty()) {
    out << "focus_metrics = [";
    for (std::size_t i = 0; i < spec.focus_metrics.size(); ++i) {
      out << (i ? ", " : "") << toml_quote(spec.focus_metrics[i]);
    }
    out << "]  # the report charts these over age\n";
  }
  if (!spec.focus_parameter.empty()) {
    out << "focus_parameter = " << toml_quote(spec.focus_parameter)
        << "  # the report charts the secure share and trust against it\n";
  }
  out << "headline = " << toml_quote(spec.headline)
      << "  # what the run summary compares: secure (at the first Strange Situation) or trust\n";
  out << "seed = " << spec.seed << "\n";
  out << "dyads = " << spec.dyads << "  # per arm\n";
  out << "months = " << toml_number(spec.months) << "  # horizon\n";
  out << "record_stride_days = " << toml_number(spec.record_stride_days) << "\n";
  out << "start_age_months = " << toml_number(spec.start_age_months) << "\n";
  auto list = [](const std::vector<double>& v) {
    std::string text = "[";
    for (std::size_t i = 0; i < v.size(); ++i) text += (i ? ", " : "") + sim::toml_number(v[i]);
    return text + "]";
  };
  out << "\n[assessment]  # ages in months, within the simulated span\n";
  out << "strange_situation_months = " << list(spec.assessment.strange_situation_months) << "\n";
  out << "sensitivity_months = " << list(spec.assessment.sensitivity_months) << "\n";
  out << "sensitivity_window_days = " << toml_number(spec.assessment.sensitivity_window_days)
      << "\n";
  for (const auto& arm : spec.arms) {
    out << "\n[[arm]]\n";
    out << "name = " << toml_quote(arm.name) << "\n";
    out << "description = " << toml_quote(arm.description) << "\n";
    out << "[arm.population]  # caregivers are drawn from these distributions\n";
    for (std::size_t i = 0; i < kNumCaregiverParams; ++i) {
      const auto& s = kCaregiverParams[i];
      out << s.key << " = { mean = " << toml_number(arm.population[i].mean)
          << ", sd = " << toml_number(arm.population[i].sd) << " }  # " << s.unit << ", "
          << (s.family == Family::kBeta ? "Beta" : "log-normal") << ", range " << s.lo << " to "
          << s.hi << "\n";
    }
    for (const auto& iv : arm.interventions) {
      out << "[[arm.intervention]]\n";
      out << "at_months = " << toml_number(iv.at_months) << "\n";
      out << "description = " << toml_quote(iv.description) << "\n";
      for (std::size_t i = 0; i < kNumCaregiverParams; ++i) {
        if (!iv.changes[i]) continue;
        out << kCaregiverParams[i].key << " = { mean = " << toml_number(iv.population[i].mean)
            << ", sd = " << toml_number(iv.population[i].sd) << " }\n";
      }
    }
    for (const auto& f : arm.figures) {
      out << "[[arm.figure]]  # further attachment figure; other parameters as the arm's\n";
      out << "name = " << toml_quote(f.name) << "\n";
      out << "role = " << toml_quote(kFigureRoleNames[static_cast<std::size_t>(f.role)]) << "\n";
      if (f.role != FigureRole::kParent) out << "weekdays = " << f.weekdays << "\n";
      if (f.role == FigureRole::kDaycare) {
        out << "group_size = " << f.group_size << "  # children per carer\n";
      }
      for (std::size_t i = 0; i < kNumCaregiverParams; ++i) {
        if (!f.overrides[i]) continue;
        out << "population." << kCaregiverParams[i].key
            << " = { mean = " << toml_number(f.population[i].mean)
            << ", sd = " << toml_number(f.population[i].sd) << " }\n";
      }
    }
    out << "[arm.child]\n";
    for (const auto& s : kChildParams) {
      out << s.key << " = " << toml_number(arm.child.*s.field) << "  # " << s.unit << ", range "
          << s.lo << " to " << s.hi << "\n";
    }
  }
  return out.str();
}

}  // namespace attachsim::models
