#include "models/simulate.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <variant>

#include "models/dyad.hpp"
#include "models/metrics.hpp"
#include "sim/checksum.hpp"
#include "sim/config.hpp"
#include "sim/fmath.hpp"
#include "sim/time.hpp"

namespace attachsim::models {

std::string age_label(double months) {
  std::string text = sim::toml_number(months);
  if (text.ends_with(".0")) text.resize(text.size() - 2);
  return text + "mo";
}

double scenario_dyad_days(const ScenarioSpec& spec) {
  return static_cast<double>(spec.dyads) * static_cast<double>(spec.arms.size()) *
         static_cast<double>(spec.n_records()) * spec.record_stride_days;
}

namespace {

constexpr float kNaNf = std::numeric_limits<float>::quiet_NaN();

sim::ExtraDataset float_dataset(std::string path, std::string units, std::string description,
                                std::size_t n_dyads, std::size_t columns = 1) {
  sim::ExtraDataset d;
  d.path = std::move(path);
  d.info = {d.path.substr(d.path.rfind('/') + 1), std::move(units), std::move(description)};
  d.shape =
      columns == 1 ? std::vector<std::size_t>{n_dyads} : std::vector<std::size_t>{n_dyads, columns};
  d.data = std::vector<float>(n_dyads * columns, kNaNf);
  return d;
}

sim::ExtraDataset class_dataset(std::string path, std::string description, std::string codes,
                                std::size_t n_dyads) {
  sim::ExtraDataset d;
  d.path = std::move(path);
  d.info = {d.path.substr(d.path.rfind('/') + 1), "class code", std::move(description)};
  d.shape = {n_dyads};
  d.data = std::vector<std::int8_t>(n_dyads, -1);
  d.string_attributes = {{"codes", std::move(codes)}};
  return d;
}

// The Strange Situation's scales: one column per reunion, named (docs/output-format.md).
sim::ExtraDataset reunions(sim::ExtraDataset d) {
  d.string_attributes = {{"columns", "reunion_1,reunion_2"}};
  return d;
}

// A dataset whose columns are the arm's records (aligned with time_days).
sim::ExtraDataset per_record(sim::ExtraDataset d) {
  d.string_attributes = {{"column_axis", "time_days"}};
  return d;
}

// Appends datasets to an arm's result.extra and hands out their typed handles; without a result
// it only counts, which gives the same handles (arm_outputs).
class Declarer {
 public:
  explicit Declarer(sim::ArmResult* result) : result_(result) {}
  template <class T, class Make>
  ExtraColumn<T> add(Make&& make) {
    if (result_ != nullptr) result_->extra.push_back(make());
    return {next_++};
  }

 private:
  sim::ArmResult* result_;
  std::size_t next_ = 0;
};

// Declares every extra dataset of an arm, in file order: the Strange Situations, the observation
// windows, the further figures, then the child's draws. The one place that fixes the layout.
ArmOutputs declare_outputs(const ScenarioSpec& spec, const ArmSpec& arm, Declarer& out) {
  const auto n = static_cast<std::size_t>(spec.dyads);
  const auto records = static_cast<std::size_t>(spec.n_records());
  ArmOutputs o;
  const std::string scale = "scale score 1-7";
  for (const double age : spec.assessment.strange_situation_months) {
    const std::string g = "ssp/age_" + age_label(age) + "/";
    SspOutputs s;
    s.attachment_class = out.add<std::int8_t>([&] {
      return class_dataset(g + "class",
                           "attachment classification in the virtual Strange Situation: D when "
                           "disorganization >= 5, else the forced A/B/C class",
                           kClassCodes, n);
    });
    s.abc_class = out.add<std::int8_t>([&] {
      return class_dataset(g + "abc_class", "forced best-fitting organised class (A, B or C)",
                           "0=A,1=B,2=C", n);
    });
    s.security = out.add<float>([&] {
      return float_dataset(g + "security", "score -1 to 1",
                           "continuous security: mean of proximity seeking and contact "
                           "maintaining minus the larger of resistance and avoidance, / 6",
                           n);
    });
    s.disorganization = out.add<float>([&] {
      return float_dataset(g + "disorganization", "rating 1-9",
                           "disorganization rating over both reunions (>= 5 classifies D)", n);
    });
    s.proximity_seeking = out.add<float>([&] {
      return reunions(float_dataset(g + "proximity_seeking", scale,
                                    "proximity seeking in reunion 1 (episode 5) and 2 (episode 8)",
                                    n, 2));
    });
    s.contact_maintaining = out.add<float>([&] {
      return reunions(float_dataset(g + "contact_maintaining", scale,
                                    "contact maintaining in reunion 1 and 2", n, 2));
    });
    s.resistance = out.add<float>([&] {
      return reunions(
          float_dataset(g + "resistance", scale, "resistance in reunion 1 and 2", n, 2));
    });
    s.avoidance = out.add<float>([&] {
      return reunions(float_dataset(g + "avoidance", scale, "avoidance in reunion 1 and 2", n, 2));
    });
    o.ssp.push_back(s);
  }
  for (const double age : spec.assessment.sensitivity_months) {
    const std::string label = age_label(age);
    ObservedOutputs w;
    w.rating = out.add<float>([&] {
      return float_dataset(
          "observed/sensitivity_" + label, "rating 1-9",
          "observed caregiver sensitivity over a " +
              sim::toml_number(spec.assessment.sensitivity_window_days) +
              "-day window from this age, extended a day at a time (up to 21 days) until a "
              "signal was noticed: 1 + 8 x (signals answered) / (signals the caregiver "
              "noticed); 1 when none was noticed even then (docs/model.md section 13)",
          n);
    });
    w.counts = out.add<float>([&] {
      auto counts = float_dataset(
          "observed/sensitivity_" + label + "_counts", "see columns",
          "what the observer counted (episodes: the child's signals the caregiver noticed; "
          "score: those the caregiver decided to answer; ruptures), and, for validation, the "
          "caregiver's true mean probability of answering a noticed signal over the window, "
          "which the observer does not see",
          n, kObservedCounts);
      counts.string_attributes = {{"columns", "episodes,score,ruptures,true_responsiveness"}};
      return counts;
    });
    o.observed.push_back(w);
  }
  std::string keys;
  for (const CaregiverParamSpec& p : kCaregiverParams) {
    if (!keys.empty()) keys += ',';
    keys += p.key;
  }
  for (const FigureSpec& f : arm.figures) {  // docs/model.md section 14b
    const std::string g = "figures/" + f.name + "/";
    const std::string role(kFigureRoleNames[static_cast<std::size_t>(f.role)]);
    FigureOutputs h;
    h.trust = out.add<float>([&] {
      return per_record(float_dataset(g + "trust", "probability",
                                      "the child's trust in this figure (" + role +
                                          ") at the end of each record interval: expected "
                                          "availability x expected comfort",
                                      n, records));
    });
    h.care_share = out.add<float>([&] {
      return per_record(float_dataset(g + "care_share", "share",
                                      "share of the child's waking time in the interval in this "
                                      "figure's charge",
                                      n, records));
    });
    h.parameters = out.add<float>([&] {
      auto params = float_dataset(
          g + "parameters", "see columns",
          "this figure's caregiver parameters as drawn (units as in params/); for a shared "
          "day-care carer, those of the group's carer",
          n, kNumCaregiverParams);
      params.string_attributes = {{"columns", keys}, {"role", role}};
      return params;
    });
    o.figures.push_back(h);
  }
  o.reactivity = out.add<float>([&] {
    return float_dataset(
        "child/reactivity", "factor",
        "the child's reactivity (temperament) as drawn: arousal from a distress onset, a "
        "separation or a stranger is multiplied by it (log-normal, mean 1, log sd "
        "child.reactivity_sd)",
        n);
  });
  return o;
}

}  // namespace

ArmOutputs arm_outputs(const ScenarioSpec& spec, std::size_t arm_index) {
  Declarer count_only(nullptr);
  return declare_outputs(spec, spec.arms.at(arm_index), count_only);
}

double arm_result_bytes(const ScenarioSpec& spec, std::size_t arm_index, std::size_t dyads) {
  const ArmOutputs o = arm_outputs(spec, arm_index);
  const auto records = static_cast<double>(spec.n_records());
  const double per_dyad =
      static_cast<double>(kNumMetrics) * records * sizeof(float) +
      static_cast<double>(kNumCaregiverParams) * sizeof(double) +
      static_cast<double>(o.ssp.size()) * (2 * sizeof(std::int8_t) + 10 * sizeof(float)) +
      static_cast<double>(o.observed.size()) * (1 + kObservedCounts) * sizeof(float) +
      static_cast<double>(o.figures.size()) *
          (2 * records + static_cast<double>(kNumCaregiverParams)) * sizeof(float) +
      sizeof(float);  // reactivity
  return per_dyad * static_cast<double>(dyads);
}

sim::ArmResult make_arm_result(const ScenarioSpec& spec, std::size_t arm_index) {
  const ArmSpec& arm = spec.arms.at(arm_index);
  const auto n_dyads = static_cast<std::size_t>(spec.dyads);
  const auto n_records = static_cast<std::size_t>(spec.n_records());
  sim::ArmResult result;
  result.name = arm.name;
  result.scenario = spec.name;
  result.arm = arm.name;
  result.description = arm.description;
  result.seed = spec.seed;
  for (std::size_t k = 0; k < n_records; ++k) {
    result.time_days.push_back(spec.record_stride_days * static_cast<double>(k + 1));
  }
  for (const MetricSpec& m : kMetrics) {
    result.metric_info.push_back(
        {std::string(m.name), std::string(m.units), std::string(m.description)});
  }
  result.metrics = sim::MetricTable(kNumMetrics, n_dyads, n_records);
  for (const CaregiverParamSpec& p : kCaregiverParams) {
    result.params.push_back({{std::string(p.key), std::string(p.unit),
                              "caregiver's " + std::string(p.description) + " (as drawn)"},
                             std::vector<double>(n_dyads, 0.0)});
  }
  Declarer declare(&result);
  declare_outputs(spec, arm, declare);
  return result;
}

namespace {

// Scatters one dyad's assessments into the arm's datasets.
void store_assessments(const std::vector<StrangeSituationResult>& ssp,
                       const std::vector<ObservedSensitivity>& observed, std::size_t row,
                       const ArmOutputs& outputs, sim::ArmResult& result) {
  for (std::size_t i = 0; i < ssp.size(); ++i) {
    const StrangeSituationResult& r = ssp[i];
    const SspOutputs& o = outputs.ssp[i];
    o.attachment_class.in(result)[row] = r.attachment_class;
    o.abc_class.in(result)[row] = r.abc_class;
    o.security.in(result)[row] = r.security;
    o.disorganization.in(result)[row] = r.disorganization;
    for (std::size_t reunion = 0; reunion < 2; ++reunion) {
      const std::size_t at = 2 * row + reunion;
      o.proximity_seeking.in(result)[at] = r.proximity_seeking[reunion];
      o.contact_maintaining.in(result)[at] = r.contact_maintaining[reunion];
      o.resistance.in(result)[at] = r.resistance[reunion];
      o.avoidance.in(result)[at] = r.avoidance[reunion];
    }
  }
  for (std::size_t i = 0; i < observed.size(); ++i) {
    const ObservedSensitivity& w = observed[i];
    outputs.observed[i].rating.in(result)[row] = w.rating;
    float* counts = outputs.observed[i].counts.in(result) + kObservedCounts * row;
    counts[0] = w.opportunities;
    counts[1] = w.score;
    counts[2] = w.ruptures;
    counts[3] = w.true_responsiveness;
  }
}

// What one dyad's simulation reads and writes besides the arm's tables (per dyad, not per event).
struct DyadStorage {
  std::vector<double> ssp_days, observe_days;
  std::vector<CaregiverChange> changes;
  std::vector<FigureSetup> figures;
  std::vector<StrangeSituationResult> ssp;
  std::vector<ObservedSensitivity> observed;
};

// Draws the dyad's caregiver, its interventions and its further figures, writes its parameter
// columns, and points its outputs at its own rows of `result`. Touches only the dyad's own slots,
// so distinct dyads (groups) may be prepared concurrently.
void prepare(const ScenarioSpec& spec, std::size_t arm_index, std::uint32_t dyad, std::size_t row,
             const ArmOutputs& outputs, sim::ArmResult& result, DyadJob& job, DyadStorage& store) {
  const ArmSpec& arm = spec.arms[arm_index];
  const auto arm_key = static_cast<std::uint32_t>(arm_index);
  sim::Rng params_rng(spec.seed, arm_key, dyad, sim::StreamPurpose::kParameters);
  job.caregiver = draw_caregiver(arm.population, params_rng);
  // Interventions redraw the parameters they change (after the base draws, from the same stream),
  // then each further figure is drawn in listed order.
  for (const InterventionSpec& iv : arm.interventions) {
    CaregiverParams next = store.changes.empty() ? job.caregiver : store.changes.back().caregiver;
    const CaregiverParams drawn = draw_caregiver(iv.population, params_rng);
    for (std::size_t i = 0; i < kNumCaregiverParams; ++i) {
      if (iv.changes[i]) next.*kCaregiverParams[i].field = drawn.*kCaregiverParams[i].field;
    }
    store.changes.push_back({sim::months_to_days(iv.at_months - spec.start_age_months), next});
  }
  int weekday = 0;
  for (const FigureSpec& f : arm.figures) {
    FigureSetup fs;
    fs.role = f.role;
    fs.shared = f.role == FigureRole::kDaycare && f.group_size > 1;
    fs.caregiver = draw_caregiver(f.population, params_rng);
    if (f.role != FigureRole::kParent) {
      fs.first_weekday = weekday;
      fs.weekdays = static_cast<int>(f.weekdays);
      weekday += fs.weekdays;
    }
    store.figures.push_back(fs);
  }
  // The child's temperament, last from the stream so that the caregivers' draws stay put.
  const double sd = arm.child.reactivity_sd;
  job.setup.reactivity = sd > 0.0 ? sim::exp(sd * params_rng.normal() - 0.5 * sd * sd) : 1.0;
  outputs.reactivity.in(result)[row] = static_cast<float>(job.setup.reactivity);
  for (std::size_t i = 0; i < kNumCaregiverParams; ++i) {
    result.params[i].values[row] = job.caregiver.*kCaregiverParams[i].field;
  }
  for (std::size_t m = 0; m < kNumMetrics; ++m) job.rows[m] = result.metrics.row(m, row);
  DyadSetup& setup = job.setup;
  setup.child = &arm.child;
  setup.seed = spec.seed;
  setup.arm_index = arm_key;
  setup.dyad = dyad;
  setup.start_age_days = sim::months_to_days(spec.start_age_months);
  setup.n_records = spec.n_records();
  setup.record_stride_days = spec.record_stride_days;
  const AssessmentSpec& a = spec.assessment;
  for (const double m : a.strange_situation_months) {
    store.ssp_days.push_back(sim::months_to_days(m - spec.start_age_months));
  }
  for (const double m : a.sensitivity_months) {
    store.observe_days.push_back(sim::months_to_days(m - spec.start_age_months));
  }
  setup.ssp_days = store.ssp_days;
  setup.observe_days = store.observe_days;
  setup.observe_window_days = a.sensitivity_window_days;
  setup.changes = store.changes;
  setup.figures = store.figures;
  store.ssp.resize(store.ssp_days.size());
  store.observed.resize(store.observe_days.size());
  job.assessments.ssp = store.ssp.data();
  job.assessments.observed = store.observed.data();
  const auto records = static_cast<std::size_t>(spec.n_records());
  for (std::size_t f = 0; f < arm.figures.size(); ++f) {
    job.assessments.figures[f] = {outputs.figures[f].trust.in(result) + row * records,
                                  outputs.figures[f].care_share.in(result) + row * records};
  }
}

// Writes what only exists after the simulation: assessments and the figures' parameters (for a
// shared carer, the group's).
void finish(std::size_t row, const DyadStorage& store, const ArmOutputs& outputs,
            sim::ArmResult& result) {
  store_assessments(store.ssp, store.observed, row, outputs, result);
  for (std::size_t f = 0; f < outputs.figures.size(); ++f) {
    float* out = outputs.figures[f].parameters.in(result) + row * kNumCaregiverParams;
    for (std::size_t i = 0; i < kNumCaregiverParams; ++i) {
      out[i] = static_cast<float>(store.figures[f].caregiver.*kCaregiverParams[i].field);
    }
  }
}

// Simulates dyads [first, first + size): one dyad, or one day-care group sharing a carer whose
// parameters are those drawn for the group's first child. Dyad d writes row d - offset of
// `result`, and its counters to counters[d - first].
void simulate_block(const ScenarioSpec& spec, std::size_t arm_index, std::size_t first,
                    std::size_t size, std::size_t offset, const ArmOutputs& outputs,
                    sim::ArmResult& result, DyadCounters* counters) {
  std::vector<DyadJob> jobs(size);  // per dyad or group, not per event
  std::vector<DyadStorage> stores(size);
  for (std::size_t i = 0; i < size; ++i) {
    prepare(spec, arm_index, static_cast<std::uint32_t>(first + i), first + i - offset, outputs,
            result, jobs[i], stores[i]);
  }
  const bool grouped = spec.arms[arm_index].group_size() > 1;
  GroupCarer carer;
  if (!grouped) {
    jobs[0].counters =
        simulate_dyad(jobs[0].setup, jobs[0].caregiver, jobs[0].rows, jobs[0].assessments);
  } else {
    for (std::size_t i = 0; i < size; ++i) {
      for (std::size_t f = 0; f < stores[i].figures.size(); ++f) {
        if (stores[i].figures[f].shared) {
          stores[i].figures[f].caregiver = stores[0].figures[f].caregiver;
        }
      }
      jobs[i].setup.carer = &carer;
      jobs[i].setup.group_member = static_cast<int>(i);
    }
    simulate_group(jobs);
  }
  for (std::size_t i = 0; i < size; ++i) {
    finish(first + i - offset, stores[i], outputs, result);
    counters[i] = jobs[i].counters;
  }
}

double days_per_dyad(const ScenarioSpec& spec) {
  return static_cast<double>(spec.n_records()) * spec.record_stride_days;
}

}  // namespace

void run_one_dyad(const ScenarioSpec& spec, std::size_t arm_index, std::uint32_t dyad,
                  sim::ArmResult& result) {
  // A dyad in a day-care group is simulated with its group (its counters alone are added).
  const auto g = static_cast<std::size_t>(spec.arms[arm_index].group_size());
  const std::size_t first = dyad / g * g;
  const std::size_t size = std::min(g, static_cast<std::size_t>(spec.dyads) - first);
  std::vector<DyadCounters> counters(size);
  simulate_block(spec, arm_index, first, size, 0, arm_outputs(spec, arm_index), result,
                 counters.data());
  const DyadCounters& c = counters[dyad - first];
  result.counters.events += c.events;
  result.counters.draws += c.draws;
  result.counters.dyad_days += days_per_dyad(spec);
}

void serial_units(std::size_t n_units, std::size_t grain,
                  const std::function<void(std::size_t)>& body,
                  const std::function<void(std::size_t)>& on_done) {
  const std::size_t step = std::max<std::size_t>(1, grain);
  for (std::size_t u = 0; u < n_units; u += step) {
    const std::size_t end = std::min(n_units, u + step);
    for (std::size_t v = u; v < end; ++v) body(v);
    if (on_done) on_done(end - u);
  }
}

namespace {

// Dyads [first, first + count) of an arm into `result`, whose row 0 is dyad `offset`, their units
// (dyads or day-care groups) run by `loop`; adds their counters to result.counters, summed in
// dyad order (independent of threads). The work of simulate_range and simulate_into.
void simulate_units(const ScenarioSpec& spec, std::size_t arm_index, std::size_t first,
                    std::size_t count, std::size_t offset, const ArmOutputs& outputs,
                    sim::ArmResult& result, std::size_t grain, const UnitLoop& loop,
                    const std::function<void(double)>& progress) {
  const auto n = static_cast<std::size_t>(spec.dyads);
  const std::size_t end = first + count;
  // The unit of work: a dyad, or a day-care group (consecutive dyads sharing a carer).
  const auto g = static_cast<std::size_t>(spec.arms[arm_index].group_size());
  if (count > 0 && (end > n || first % g != 0 || (end % g != 0 && end != n))) {
    throw std::logic_error(
        "a block of dyads must lie within its arm and not split a day-care group");
  }
  std::vector<DyadCounters> counters(count);
  const double dyad_days = days_per_dyad(spec);
  std::function<void(std::size_t)> on_done;
  if (progress && g == 1) {
    on_done = [&](std::size_t k) { progress(static_cast<double>(k) * dyad_days); };
  }
  loop((count + g - 1) / g, std::max<std::size_t>(1, grain / g),
       [&](std::size_t u) {
         const std::size_t unit_first = first + u * g;
         const std::size_t size = std::min(g, end - unit_first);
         simulate_block(spec, arm_index, unit_first, size, offset, outputs, result,
                        counters.data() + (unit_first - first));
         if (progress && g > 1) progress(static_cast<double>(size) * dyad_days);
       },
       on_done);
  for (const DyadCounters& c : counters) {
    result.counters.events += c.events;
    result.counters.draws += c.draws;
  }
  result.counters.dyad_days += static_cast<double>(count) * dyad_days;
}

}  // namespace

sim::ArmResult simulate_range(const ScenarioSpec& spec, std::size_t arm_index, std::size_t first,
                              std::size_t count, std::size_t grain, const UnitLoop& loop,
                              const std::function<void(double)>& progress) {
  ScenarioSpec sized = spec;
  sized.dyads = static_cast<std::int64_t>(count);
  sim::ArmResult result = make_arm_result(sized, arm_index);
  simulate_units(spec, arm_index, first, count, first, arm_outputs(sized, arm_index), result, grain,
                 loop, progress);
  return result;
}

void simulate_into(const ScenarioSpec& spec, std::size_t arm_index, std::size_t first,
                   std::size_t count, sim::ArmResult& whole) {
  simulate_units(spec, arm_index, first, count, 0, arm_outputs(spec, arm_index), whole, 1,
                 serial_units, {});
}

std::uint64_t arm_checksum(const sim::ArmResult& arm) {
  std::uint64_t hash = sim::kFnvOffset;
  const sim::MetricTable& m = arm.metrics;
  for (std::size_t k = 0; k < m.n_metrics(); ++k) {
    hash = sim::fnv1a(hash, m.metric(k), m.n_dyads() * m.n_records() * sizeof(float));
  }
  for (const sim::ExtraDataset& e : arm.extra) {
    if (const auto* codes = std::get_if<std::vector<std::int8_t>>(&e.data)) {
      hash = sim::fnv1a(hash, codes->data(), codes->size());
    }
  }
  return hash;
}

}  // namespace attachsim::models
