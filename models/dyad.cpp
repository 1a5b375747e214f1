#include "models/dyad.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/time.hpp"
#include "sim/timers.hpp"

namespace attachsim::models {
namespace {

using sim::kMinutesPerDay;
using sim::kMinutesPerHour;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kWakeMinute = 7.0 * kMinutesPerHour;  // the child wakes at 07:00
constexpr double kLeaveAfterWake = kMinutesPerHour;    // a working caregiver leaves 1 h later
constexpr double kDailySwingLogits = 2.0;              // day-to-day sd at consistency 0
constexpr double kSubstituteLatency = 2.0;             // minutes
constexpr int kWorkdaysPerWeek = 5;
constexpr double kMinutesPerYear = 365.25 * kMinutesPerDay;
constexpr double kPromptMinutes = 3.0;      // an observer counts a response within 3 min as prompt
constexpr double kEscalatedSoothing = 1.5;  // escalating prolongs displayed distress

// exp(-x) for x >= 0. Most decays per event are tiny (minutes against time constants of days),
// where a 5-term Taylor series is exact to < 1e-10 relative (x^5/120 at x = 0.03) and much cheaper
// than std::exp; larger arguments take std::exp.
inline double decay(double x) {
  if (x < 0.03) return 1.0 - x * (1.0 - x * (0.5 - x * (1.0 / 6.0 - x * (1.0 / 24.0))));
  return std::exp(-x);
}

// Below this, hidden arousal and life-event stress are taken as gone (1% of one distress episode's
// jolt, 0.1% of a life event's stress): it spares an exp per event for the rest of the day.
constexpr double kNegligibleArousal = 0.01;
constexpr double kNegligibleStress = 1e-3;

// Discounted Beta belief about a Bernoulli outcome: pseudo-counts of successes and failures that
// fade exponentially with time (forgetting), over a prior of `prior` pseudo-experiences with mean
// `prior_mean` (neutral 0.5, except fear: a newborn does not expect to be frightened).
struct Belief {
  double successes = 0.0;
  double failures = 0.0;
  double last = 0.0;  // minute of the last update

  void observe(double now, double memory_minutes, double outcome, double weight) {
    const double fade = decay((now - last) / memory_minutes);
    successes = successes * fade + weight * outcome;
    failures = failures * fade + weight * (1.0 - outcome);
    last = now;
  }
  double mean(double prior, double prior_mean = 0.5) const {
    return (successes + prior_mean * prior) / (successes + failures + prior);
  }
};

enum Event : std::size_t {
  kDay,
  kWake,
  kSleep,
  kLeave,
  kReturn,
  kAttention,
  kDistress,
  kBid,
  kResponse,
  kSoothed,
  kRupture,
  kCooldown,
  kRepair,
  kExplore,
  kStrangeSituation,
  kObserve,
  kLifeEvent,
  kIntervention,
  kRecord,
  kNumEvents
};

enum class Responder { kNone, kCaregiver, kSubstitute };

// The effort each strategy costs the child (suppressing costs nothing visible).
constexpr std::array<double ChildParams::*, kNumStrategies> kStrategyEffort = {
    nullptr, &ChildParams::effort_signal, &ChildParams::effort_escalate,
    &ChildParams::effort_approach};

double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

class Dyad {
 public:
  Dyad(const DyadSetup& setup, const CaregiverParams& caregiver, const MetricRows& rows,
       const AssessmentRows& assessments)
      : setup_(setup),
        child_(*setup.child),
        cg_(caregiver),
        rows_(rows),
        assessments_(assessments),
        events_rng_(setup.seed, setup.arm_index, setup.dyad, sim::StreamPurpose::kEvents),
        daily_rng_(setup.seed, setup.arm_index, setup.dyad, sim::StreamPurpose::kDaily),
        assessment_rng_(setup.seed, setup.arm_index, setup.dyad, sim::StreamPurpose::kAssessment) {
    trust_ = expected_availability() * expected_comfort();
    felt_security_ = trust_;
    q_ = {child_.innate_suppress, child_.innate_signal, child_.innate_escalate,
          child_.innate_approach};
    update_strategy_probabilities();
    timers_.set(kDay, 0.0);
    timers_.set(kRecord, stride_minutes());
    if (!setup.ssp_days.empty()) timers_.set(kStrangeSituation, setup.ssp_days[0] * kMinutesPerDay);
    if (!setup.observe_days.empty()) timers_.set(kObserve, setup.observe_days[0] * kMinutesPerDay);
    if (!setup.changes.empty()) timers_.set(kIntervention, setup.changes[0].day * kMinutesPerDay);
    schedule_life_event();
  }

  DyadCounters run() {
    const double end = stride_minutes() * static_cast<double>(setup_.n_records);
    while (record_ < setup_.n_records) {
      const std::size_t event = timers_.next();
      const double time = timers_.at(event);
      if (time > end) break;  // unreachable: the last record fires at `end`
      advance(time);
      timers_.cancel(event);
      ++events_;
      handle(static_cast<Event>(event));
    }
    return {events_, events_rng_.draws() + daily_rng_.draws()};
  }

 private:
  double stride_minutes() const { return setup_.record_stride_days * kMinutesPerDay; }
  double expected_availability() const { return availability_.mean(child_.prior_weight); }
  double expected_comfort() const { return comfort_.mean(child_.prior_weight); }
  double repair_expectation() const { return repair_.mean(child_.prior_weight); }
  double fear() const { return fear_.mean(child_.prior_weight, 0.0); }
  double stress() const { return stress_ + event_stress_; }  // daily plus life events
  double self_worth() const { return worth_.mean(child_.prior_weight); }
  void update_trust() { trust_ = expected_availability() * expected_comfort(); }

  // The child's momentary sense of safety; felt security averages it over waking time.
  double safety() const {
    if (distressed_ && !comforted_) return 0.0;
    double s = home_ ? trust_ : trust_ * child_.away_security_factor;
    // An unrepaired rupture today weighs on the child, less so when it expects repair.
    if (unrepaired_today_ > 0) s *= 0.5 + 0.5 * repair_expectation();
    // A child primed to escalate stays on alert (hypervigilance); looking calm is not feeling safe.
    return s * (1.0 - child_.hypervigilance * p_[kEscalate]) / (1.0 + arousal_);
  }

  // Integrates time-based quantities from the last event up to `now`.
  void advance(double now) {
    const double dt = now - now_;
    if (dt > 0.0 && event_stress_ > 0.0) {  // life events' stress fades over weeks
      event_stress_ *= decay(dt / (cg_.life_event_days * kMinutesPerDay));
      if (event_stress_ < kNegligibleStress) event_stress_ = 0.0;
    }
    if (dt >
        0.0) {  // caregiver stress: builds while caring for the awake child, recovers otherwise
      if (awake_ && home_) {
        stress_ += cg_.stress_load * (1.0 - 0.5 * cg_.support) * (distressed_ ? 3.0 : 1.0) * dt /
                   kMinutesPerHour;
      } else if (stress_ > 0.0) {
        stress_ *= decay(dt * (1.0 + 2.0 * cg_.support) / (cg_.stress_recovery * kMinutesPerHour));
      }
    }
    if (dt > 0.0 && awake_) {
      awake_minutes_ += dt;
      if (home_) home_minutes_ += dt;
      if (distressed_) distress_minutes_ += dt;
      if (exploring_) explore_minutes_ += dt;
      const double target = safety();
      felt_security_ = target + (felt_security_ - target) * decay(dt / felt_security_tau_);
      if (arousal_ > 0.0) {  // exact integral of exponential decay over dt
        const double rate = comforted_ ? 1.0 / self_soothe_minutes_ + 1.0 / child_.comfort_minutes
                                       : 1.0 / (self_soothe_minutes_ * child_.arousal_persistence);
        const double fraction = decay(rate * dt);
        arousal_minutes_ += arousal_ * (1.0 - fraction) / rate;
        arousal_ *= fraction;
        if (arousal_ < kNegligibleArousal) arousal_ = 0.0;
      }
    }
    now_ = now;
  }

  void handle(Event event) {
    switch (event) {
      case kDay:
        start_day();
        break;
      case kWake:
        wake();
        break;
      case kSleep:
        sleep();
        break;
      case kLeave:
        leave();
        break;
      case kReturn:
        come_home();
        break;
      case kAttention:
        toggle_attention();
        break;
      case kDistress:
        start_distress();
        break;
      case kBid:
        bid();
        break;
      case kResponse:
        respond();
        break;
      case kSoothed:
        end_distress();
        break;
      case kRupture:
        rupture();
        break;
      case kCooldown:
        end_cooldown();
        break;
      case kRepair:
        repair();
        break;
      case kExplore:
        toggle_exploration();
        break;
      case kStrangeSituation:
        strange_situation();
        break;
      case kObserve:
        observe();
        break;
      case kLifeEvent:
        life_event();
        break;
      case kIntervention:
        intervene();
        break;
      case kRecord:
        record();
        break;
      case kNumEvents:
        break;
    }
  }

  // ---- day plan ---------------------------------------------------------------------------

  void start_day() {
    const double day_start = now_;
    const auto day = static_cast<std::int64_t>(std::llround(day_start / kMinutesPerDay));
    // Age-dependent quantities, at the middle of the day (they change slowly).
    const double age_days = setup_.start_age_days + static_cast<double>(day) + 0.5;
    const double age_months = sim::days_to_months(age_days);
    const double young = std::exp(-age_months / child_.development_months);
    auto develop = [young](double newborn, double older) {
      return older + (newborn - older) * young;
    };
    distress_rate_ =
        develop(child_.distress_rate_newborn, child_.distress_rate_older) / kMinutesPerHour;
    self_soothe_minutes_ = develop(child_.self_soothe_newborn, child_.self_soothe_older);
    explore_max_ = develop(child_.explore_max_newborn, child_.explore_max_older);
    const double awake_minutes =
        develop(child_.awake_hours_newborn, child_.awake_hours_older) * kMinutesPerHour;
    memory_minutes_ =
        (child_.memory_days_newborn + child_.memory_days_per_year * age_days / 365.25) *
        kMinutesPerDay;
    felt_security_tau_ = child_.felt_security_days * awake_minutes;
    age_months_ = age_months;
    plasticity_ = child_.memory_days_newborn * kMinutesPerDay / memory_minutes_;
    const bool mobile = age_months >= child_.approach_age_months;
    if (mobile != mobile_) {
      mobile_ = mobile;
      update_strategy_probabilities();
    }

    // The caregiver's own history shapes today's caregiving, softened by intentional change.
    const double history = cg_.history * std::exp(-cg_.reflection * day_start / kMinutesPerYear);
    const double responsiveness = cg_.responsiveness * (1.0 - cg_.history_responsiveness * history);
    const double consistency = cg_.consistency * (1.0 - cg_.history_consistency * history);
    day_rebuff_ = cg_.rebuff + (1.0 - cg_.rebuff) * cg_.history_rebuff * history;
    day_frightening_ = std::min(1.0, cg_.frightening + cg_.history_frightening * history * history);

    // Day-to-day variation in responsiveness, on the logit scale (consistency 1: none).
    const double z = daily_rng_.normal();
    const double r = responsiveness;
    const double swing = (1.0 - consistency) * kDailySwingLogits;
    const bool fixed = r <= 0.0 || r >= 1.0;
    const double logit = fixed ? 0.0 : std::log(r / (1.0 - r)) + swing * z;
    day_responsiveness_ = fixed ? r : logistic(logit);
    escalated_responsiveness_ = fixed ? r : logistic(logit + swing * child_.escalate_salience);

    const double wake = day_start + kWakeMinute;
    const double bed = wake + awake_minutes;
    timers_.set(kWake, wake);
    timers_.set(kSleep, bed);
    if (day % 7 < kWorkdaysPerWeek && cg_.presence < 1.0) {
      const double away = (1.0 - cg_.presence) * awake_minutes;
      const double leave = wake + std::min(kLeaveAfterWake, awake_minutes * cg_.presence);
      timers_.set(kLeave, leave);
      timers_.set(kReturn, std::min(leave + away, bed));
    }
    timers_.set(kDay, day_start + kMinutesPerDay);
  }

  void wake() {
    awake_ = true;
    unrepaired_today_ = 0;
    if (home_) start_attention();
    schedule_distress();
    schedule_exploration();
    schedule_rupture();
  }

  void sleep() {
    if (distressed_) finish_episode();  // put to bed
    for (const Event e : {kDistress, kBid, kResponse, kSoothed, kExplore, kAttention, kRupture,
                          kCooldown, kRepair}) {
      timers_.cancel(e);
    }
    exploring_ = false;
    responder_ = Responder::kNone;
    in_cooldown_ = false;
    repair_pending_ = false;
    // Ruptures left unrepaired at bedtime erode expected availability and repair expectation.
    for (int i = 0; i < unrepaired_today_; ++i) {
      availability_.observe(now_, memory_minutes_, 0.0, child_.unrepaired_weight);
      repair_.observe(now_, memory_minutes_, 0.0, 1.0);
    }
    update_trust();
    awake_ = false;
    arousal_ = 0.0;  // sleep restores
  }

  void leave() {
    home_ = false;
    attending_ = false;
    timers_.cancel(kAttention);
    timers_.cancel(kRupture);
    if (responder_ == Responder::kCaregiver) {  // leaves before arriving: the substitute takes over
      responder_ = Responder::kNone;
      timers_.cancel(kResponse);
    }
    if (distressed_ && responder_ == Responder::kNone && !gave_up_) bid();
    if (awake_ && !distressed_ &&
        events_rng_.bernoulli(child_.separation_protest *
                              developmental_ramp(age_months_, child_.separation_protest_months))) {
      start_distress();  // separation protest: directed at whoever cares for the child now
    }
  }

  void come_home() {
    home_ = true;
    if (!awake_) return;
    start_attention();
    schedule_rupture();
  }

  // ---- attention: alternating attending and distracted spells while at home and awake -----

  void start_attention() {
    attending_ = true;
    schedule_attention();
    if (attending_ && distressed_) notice();
  }

  void schedule_attention() {
    const double a = cg_.attention;
    if (a >= 1.0) return;  // never distracted
    if (a <= 0.0) {
      attending_ = false;
      return;
    }  // never attending
    const double mean =
        attending_ ? child_.distraction_minutes * a / (1.0 - a) : child_.distraction_minutes;
    timers_.set(kAttention, now_ + events_rng_.exponential(1.0 / mean));
  }

  void toggle_attention() {
    attending_ = !attending_;
    schedule_attention();
    if (attending_ && distressed_) notice();
  }

  // ---- distress episodes ------------------------------------------------------------------

  void schedule_distress() {
    if (distress_rate_ > 0.0)
      timers_.set(kDistress, now_ + events_rng_.exponential(distress_rate_));
  }

  void start_distress() {
    distressed_ = true;
    comforted_ = false;
    gave_up_ = false;
    episode_at_home_ = home_;
    availability_learned_ = false;
    rebuffed_ = frightened_ = comforted_by_caregiver_ = false;
    onset_ = now_;
    bids_ = 0;
    exploring_ = false;
    timers_.cancel(kExplore);
    arousal_ += 1.0;
    // Toward the caregiver the child uses a learned strategy; with the substitute it signals.
    strategy_ = home_ ? choose_strategy() : kSignal;
    if (strategy_ == kSuppress) {
      gave_up_ = true;  // no bids: the child soothes itself and soon looks calm
      timers_.set(kSoothed, now_ + events_rng_.exponential(1.0 / child_.suppress_display_minutes));
    } else {
      if (observing_ && home_) ++observed_.signalled_episodes;
      const double soothe =
          strategy_ == kEscalate ? self_soothe_minutes_ * kEscalatedSoothing : self_soothe_minutes_;
      timers_.set(kSoothed, now_ + events_rng_.exponential(1.0 / soothe));
      bid();
    }
    schedule_rupture();
  }

  // ---- learned strategies -----------------------------------------------------------------

  Strategy choose_strategy() { return sample_strategy(p_, events_rng_.uniform()); }

  // Softmax over the strategies available at this age (approach needs mobility).
  void update_strategy_probabilities() {
    const std::size_t n = mobile_ ? kNumStrategies : kApproach;
    double best = q_[0];
    for (std::size_t s = 1; s < n; ++s) best = std::max(best, q_[s]);
    double total = 0.0;
    for (std::size_t s = 0; s < kNumStrategies; ++s) {
      p_[s] = s < n ? std::exp(child_.strategy_precision * (q_[s] - best)) : 0.0;
      total += p_[s];
    }
    for (double& p : p_) p /= total;
  }

  // The episode's outcome for the strategy used: relief if the caregiver comforted (or repaired),
  // the sting of a rebuff or a fright, minus the strategy's effort.
  void learn_strategy() {
    double reward =
        comforted_by_caregiver_ ? std::exp(-(comfort_time_ - onset_) / child_.relief_minutes) : 0.0;
    if (rebuffed_) reward -= child_.rebuff_cost;
    if (frightened_) reward -= child_.fear_cost;
    if (kStrategyEffort[strategy_] != nullptr) reward -= child_.*kStrategyEffort[strategy_];
    q_[strategy_] += child_.strategy_learning_rate * plasticity_ * (reward - q_[strategy_]);
    update_strategy_probabilities();
  }

  void frighten() {
    frightened_ = true;
    fear_.observe(now_, memory_minutes_, 1.0, 1.0);
    arousal_ += 1.0;
  }

  // The child signals (cries, calls). At home an attending caregiver may respond; away, the
  // substitute carer may. Unanswered, the child bids again, up to max_bids, then gives up.
  void bid() {
    ++bids_;
    if (home_ && strategy_ == kEscalate) stress_ += 0.5 * cg_.stress_load;
    if (home_) {
      // An approaching child cannot be missed; an escalated bid may break through distraction.
      if (attending_ || strategy_ == kApproach ||
          (strategy_ == kEscalate && events_rng_.bernoulli(child_.escalate_notice))) {
        notice();
      }
    } else if (responder_ == Responder::kNone &&
               events_rng_.bernoulli(child_.substitute_responsiveness)) {
      responder_ = Responder::kSubstitute;
      timers_.set(kResponse, now_ + events_rng_.exponential(1.0 / kSubstituteLatency));
    }
    if (responder_ != Responder::kNone) return;
    const bool escalating = strategy_ == kEscalate;
    if (bids_ < static_cast<int>(child_.max_bids) * (escalating ? 2 : 1)) {
      timers_.set(kBid, now_ + child_.bid_interval * (escalating ? 0.5 : 1.0));
    } else {
      gave_up_ = true;
      learn_availability(0.0);
    }
  }

  // The caregiver notices the child's distress and decides whether to respond today.
  void notice() {
    if (responder_ != Responder::kNone || in_cooldown_ || gave_up_) return;
    const double r = (strategy_ == kEscalate ? escalated_responsiveness_ : day_responsiveness_) *
                     (1.0 - cg_.burnout * stress() / (1.0 + stress()));
    if (!events_rng_.bernoulli(r)) return;
    responder_ = Responder::kCaregiver;
    timers_.cancel(kBid);
    timers_.set(kResponse, now_ + events_rng_.exponential(1.0 / cg_.response_latency));
  }

  void respond() {
    const Responder who = responder_;
    responder_ = Responder::kNone;
    if (who == Responder::kCaregiver) {
      learn_availability(1.0);
      if (events_rng_.bernoulli(day_frightening_)) {
        frighten();  // the source of comfort is also a source of fear
        gave_up_ = true;
        return;
      }
      fear_.observe(now_, memory_minutes_, 0.0, 1.0);
      if (events_rng_.bernoulli(day_rebuff_)) {
        comfort_.observe(now_, memory_minutes_, 0.0, 1.0);
        update_trust();
        rebuffed_ = true;
        gave_up_ = true;  // rebuffed: the child stops bidding and soothes itself
        return;
      }
      comfort_.observe(now_, memory_minutes_, 1.0, 1.0);
      update_trust();
      comforted_by_caregiver_ = true;
      comfort_time_ = now_;
      if (observing_ && now_ - onset_ <= kPromptMinutes) ++observed_.prompt_comfort;
    }
    comfort();
  }

  void comfort() {
    comforted_ = true;
    timers_.set(kSoothed, now_ + events_rng_.exponential(1.0 / self_soothe_minutes_ +
                                                         1.0 / child_.comfort_minutes));
  }

  // One availability observation per episode begun with the caregiver at home.
  void learn_availability(double outcome) {
    if (!episode_at_home_ || availability_learned_) return;
    availability_learned_ = true;
    availability_.observe(now_, memory_minutes_, outcome, 1.0);
    update_trust();
  }

  // An episode that ends before a response or giving up teaches nothing about availability:
  // the question was never put to the test.
  void finish_episode() {
    if (episode_at_home_) learn_strategy();
    distressed_ = false;
    comforted_ = false;
    responder_ = Responder::kNone;
    timers_.cancel(kBid);
    timers_.cancel(kResponse);
    timers_.cancel(kSoothed);
    ++episodes_;
    soothe_minutes_ += now_ - onset_;
  }

  void end_distress() {
    finish_episode();
    schedule_distress();
    schedule_exploration();
    schedule_rupture();
  }

  // ---- ruptures and repair ------------------------------------------------------------------

  void schedule_rupture() {
    timers_.cancel(kRupture);
    if (!awake_ || !home_ || in_cooldown_ || repair_pending_ || cg_.rupture_rate <= 0.0) return;
    const double per_hour = cg_.rupture_rate * (distressed_ ? child_.rupture_distress_factor : 1.0);
    if (per_hour > 0.0) {
      timers_.set(kRupture, now_ + events_rng_.exponential(per_hour / kMinutesPerHour));
    }
  }

  void rupture() {
    ++ruptures_;
    ++unrepaired_today_;
    if (observing_) ++observed_.ruptures;
    const bool frightening = events_rng_.bernoulli(day_frightening_);
    in_cooldown_ = true;
    timers_.set(kCooldown, now_ + child_.rupture_cooldown);
    comfort_.observe(now_, memory_minutes_, 0.0, child_.rupture_weight);
    update_trust();
    if (events_rng_.bernoulli(cg_.repair_probability)) {
      repair_pending_ = true;
      timers_.set(kRepair, now_ + events_rng_.exponential(1.0 / cg_.repair_delay));
    }
    if (!distressed_) {
      start_distress();  // the child is upset by the rupture
      if (frightening) frighten();
    } else {
      if (frightening) frighten();
      if (responder_ == Responder::kCaregiver) {  // the caregiver turns away mid-response
        responder_ = Responder::kNone;
        timers_.cancel(kResponse);
      }
      if (comforted_) {  // comfort stops: back to soothing alone
        comforted_ = false;
        timers_.set(kSoothed, now_ + events_rng_.exponential(1.0 / self_soothe_minutes_));
      }
      schedule_rupture();
    }
  }

  void end_cooldown() {
    in_cooldown_ = false;
    if (distressed_ && home_ && attending_) notice();
    schedule_rupture();
  }

  void repair() {
    repair_pending_ = false;
    if (!home_ || !awake_) {  // the moment passed: the rupture stays unrepaired
      schedule_rupture();
      return;
    }
    ++repairs_;
    --unrepaired_today_;
    in_cooldown_ = false;
    timers_.cancel(kCooldown);
    comfort_.observe(now_, memory_minutes_, 1.0, child_.repair_weight);
    repair_.observe(now_, memory_minutes_, 1.0, 1.0);
    update_trust();
    if (distressed_) {
      if (responder_ == Responder::kCaregiver) timers_.cancel(kResponse);
      responder_ = Responder::kNone;
      if (!comforted_by_caregiver_) comfort_time_ = now_;
      comforted_by_caregiver_ = true;
      comfort();
    }
    schedule_rupture();
  }

  // ---- exploration: bouts away from the caregiver while calm -------------------------------

  // Bouts start at a rate that makes the expected share of calm time spent exploring
  // explore_max(age) x felt security (secure base), and last explore_bout_minutes on average.
  void schedule_exploration() {
    if (!awake_ || distressed_) return;
    const double share =
        std::min(0.99, explore_max_ * felt_security_ * (0.75 + 0.25 * self_worth()) *
                           (1.0 - child_.hypervigilance * p_[kEscalate]));
    if (share <= 0.0) return;
    const double start_rate = share / ((1.0 - share) * child_.explore_bout_minutes);
    timers_.set(kExplore, now_ + events_rng_.exponential(start_rate));
  }

  void toggle_exploration() {
    if (exploring_) {
      exploring_ = false;  // back to check in with the caregiver
      check_in();
      schedule_exploration();
    } else {
      exploring_ = true;
      timers_.set(kExplore, now_ + events_rng_.exponential(1.0 / child_.explore_bout_minutes));
    }
  }

  // A check-in met with warm acknowledgement or delight tells the child it is valued; a
  // distracted or neutral caregiver does not. Away from home there is no lesson about the
  // caregiver.
  void check_in() {
    if (!home_) return;
    const bool warm = attending_ && events_rng_.bernoulli(cg_.warmth);
    worth_.observe(now_, memory_minutes_, warm ? 1.0 : 0.0, 1.0);
  }

  // ---- life events and interventions -------------------------------------------------------

  void schedule_life_event() {
    if (cg_.life_event_rate > 0.0) {
      timers_.set(kLifeEvent,
                  now_ + events_rng_.exponential(cg_.life_event_rate / kMinutesPerYear));
    }
  }

  void life_event() {
    event_stress_ += cg_.life_event_stress;
    schedule_life_event();
  }

  // From this day on the caregiver behaves with the intervention's parameters (the day's
  // responsiveness and history effects follow at the next midnight).
  void intervene() {
    cg_ = setup_.changes[change_index_].caregiver;
    schedule_rupture();
    if (++change_index_ < setup_.changes.size()) {
      timers_.set(kIntervention, setup_.changes[change_index_].day * kMinutesPerDay);
    }
  }

  // ---- assessments -------------------------------------------------------------------------

  ChildSnapshot snapshot() const {
    ChildSnapshot c;
    c.age_months = sim::days_to_months(setup_.start_age_days + now_ / kMinutesPerDay);
    c.strategy_probability = p_;
    c.expected_availability = expected_availability();
    c.expected_comfort = expected_comfort();
    c.fear = fear();
    c.self_worth = self_worth();
    c.self_soothe_minutes = self_soothe_minutes_;
    return c;
  }

  void strange_situation() {
    assessments_.ssp[ssp_index_] = run_strange_situation(snapshot(), child_, assessment_rng_);
    if (++ssp_index_ < setup_.ssp_days.size()) {
      timers_.set(kStrangeSituation, setup_.ssp_days[ssp_index_] * kMinutesPerDay);
    }
  }

  // Observation windows: at the start, counting begins; at the end, the observer rates
  // sensitivity from what was seen (docs/model.md section 9).
  void observe() {
    if (!observing_) {
      observing_ = true;
      observed_ = {};
      timers_.set(kObserve, now_ + setup_.observe_window_days * kMinutesPerDay);
      return;
    }
    observing_ = false;
    const float opportunities = observed_.signalled_episodes + observed_.ruptures;
    observed_.rating = 1.0f + 8.0f * observed_.prompt_comfort / std::max(1.0f, opportunities);
    assessments_.observed[observe_index_] = observed_;
    if (++observe_index_ < setup_.observe_days.size()) {
      timers_.set(kObserve, setup_.observe_days[observe_index_] * kMinutesPerDay);
    }
  }

  // ---- recording -------------------------------------------------------------------------

  void record() {
    const auto k = static_cast<std::size_t>(record_);
    auto put = [&](Metric m, double v) { rows_[m][k] = static_cast<float>(v); };
    const double awake = awake_minutes_;
    put(kTrust, trust_);
    put(kExpectedAvailability, expected_availability());
    put(kExpectedComfort, expected_comfort());
    put(kRepairExpectation, repair_expectation());
    put(kFeltSecurity, felt_security_);
    put(kExploration, awake > 0.0 ? explore_minutes_ / awake : kNaN);
    put(Metric::kDistress, awake > 0.0 ? distress_minutes_ / awake : kNaN);
    put(kTimeToSoothe, episodes_ > 0 ? soothe_minutes_ / static_cast<double>(episodes_) : kNaN);
    put(kRuptures, static_cast<double>(ruptures_));
    put(kRepairs, static_cast<double>(repairs_));
    put(kCaregiverPresence, awake > 0.0 ? home_minutes_ / awake : kNaN);
    put(kHiddenArousal, awake > 0.0 ? arousal_minutes_ / awake : kNaN);
    put(kFear, fear());
    put(kSelfWorth, self_worth());
    put(kStrategySuppress, p_[kSuppress]);
    put(kStrategySignal, p_[kSignal]);
    put(kStrategyEscalate, p_[kEscalate]);
    put(kStrategyApproach, p_[kApproach]);
    put(kCaregiverStress, stress());
    awake_minutes_ = home_minutes_ = distress_minutes_ = explore_minutes_ = soothe_minutes_ = 0.0;
    arousal_minutes_ = 0.0;
    episodes_ = ruptures_ = repairs_ = 0;
    ++record_;
    timers_.set(kRecord, stride_minutes() * static_cast<double>(record_ + 1));
  }

  const DyadSetup& setup_;
  const ChildParams& child_;
  CaregiverParams cg_;  // changes only through interventions
  const MetricRows& rows_;
  const AssessmentRows& assessments_;
  sim::Rng events_rng_;
  sim::Rng daily_rng_;
  sim::Rng assessment_rng_;
  sim::TimerSet<kNumEvents> timers_;
  std::uint64_t events_ = 0;
  std::int64_t record_ = 0;
  double now_ = 0.0;

  // Day plan (age-dependent values are refreshed at midnight).
  double distress_rate_ = 0.0;  // per minute awake
  double self_soothe_minutes_ = 1.0;
  double explore_max_ = 0.0;
  double memory_minutes_ = 1.0;
  double felt_security_tau_ = 1.0;
  double day_responsiveness_ = 0.0;
  double escalated_responsiveness_ = 0.0;  // the day's responsiveness to escalated bids
  double day_rebuff_ = 0.0;                // rebuff and frightening probabilities today
  double day_frightening_ = 0.0;
  double stress_ = 0.0;        // caregiver's daily stress (care load, escalations)
  double event_stress_ = 0.0;  // caregiver's stress from life events
  std::size_t change_index_ = 0;
  double age_months_ = 0.0;
  double plasticity_ = 1.0;  // 1 at birth, falling as the memory time constant grows
  bool mobile_ = false;

  // Situation.
  bool awake_ = false;
  bool home_ = true;
  bool attending_ = false;
  bool distressed_ = false;
  bool comforted_ = false;
  bool exploring_ = false;
  bool gave_up_ = false;
  bool episode_at_home_ = false;
  bool availability_learned_ = false;
  bool in_cooldown_ = false;
  bool repair_pending_ = false;
  bool rebuffed_ = false;
  bool frightened_ = false;
  bool comforted_by_caregiver_ = false;
  Strategy strategy_ = kSignal;
  Responder responder_ = Responder::kNone;
  int bids_ = 0;
  int unrepaired_today_ = 0;
  double onset_ = 0.0;
  double comfort_time_ = 0.0;  // when the caregiver's comfort (or repair) reached the child

  // What the child has learned, and how it feels.
  Belief availability_;
  Belief comfort_;
  Belief repair_;
  Belief fear_;
  Belief worth_;
  std::array<double, kNumStrategies> q_{};  // learned value of each strategy
  std::array<double, kNumStrategies> p_{};  // current propensities (softmax of q_)
  double trust_ = 0.0;
  double felt_security_ = 0.0;
  double arousal_ = 0.0;  // hidden physiological arousal

  // Assessments.
  std::size_t ssp_index_ = 0;
  std::size_t observe_index_ = 0;
  bool observing_ = false;
  ObservedSensitivity observed_;

  // Accumulated over the current recording interval.
  double awake_minutes_ = 0.0;
  double home_minutes_ = 0.0;
  double distress_minutes_ = 0.0;
  double explore_minutes_ = 0.0;
  double soothe_minutes_ = 0.0;
  double arousal_minutes_ = 0.0;
  std::int64_t episodes_ = 0;
  std::int64_t ruptures_ = 0;
  std::int64_t repairs_ = 0;
};

}  // namespace

CaregiverParams draw_caregiver(const Population& population, sim::Rng& rng) {
  CaregiverParams cg{};
  for (std::size_t i = 0; i < kNumCaregiverParams; ++i) {
    const CaregiverParamSpec& spec = kCaregiverParams[i];
    const Distribution& d = population[i];
    double value = d.mean;
    if (d.sd > 0.0) {
      if (spec.family == Family::kBeta) {
        const double span = spec.hi - spec.lo;
        const double m = (d.mean - spec.lo) / span;
        const double s = d.sd / span;
        const double k = m * (1.0 - m) / (s * s) - 1.0;
        value = spec.lo + span * rng.beta(m * k, (1.0 - m) * k);
      } else {
        const double sigma2 = std::log1p((d.sd * d.sd) / (d.mean * d.mean));
        value = std::exp(std::log(d.mean) - 0.5 * sigma2 + std::sqrt(sigma2) * rng.normal());
      }
    }
    cg.*spec.field = std::clamp(value, spec.lo, spec.hi);
  }
  return cg;
}

DyadCounters simulate_dyad(const DyadSetup& setup, const CaregiverParams& caregiver,
                           const MetricRows& rows, const AssessmentRows& assessments) {
  Dyad dyad(setup, caregiver, rows, assessments);
  return dyad.run();
}

}  // namespace attachsim::models
