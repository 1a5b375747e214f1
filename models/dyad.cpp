#include "models/dyad.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "models/age_curves.hpp"
#include "models/caregiving.hpp"
#include "models/interval_totals.hpp"
#include "models/learning.hpp"
#include "sim/fmath.hpp"
#include "sim/time.hpp"
#include "sim/timers.hpp"

namespace attachsim::models {
namespace {

using sim::kMinutesPerDay;
using sim::kMinutesPerHour;

constexpr double kWakeMinute = 7.0 * kMinutesPerHour;  // the child wakes at 07:00
constexpr double kLeaveAfterWake = kMinutesPerHour;    // a working caregiver leaves 1 h later
constexpr double kSubstituteLatency = 2.0;             // minutes
constexpr int kWorkdaysPerWeek = 5;
constexpr double kEscalatedSoothing = 1.5;  // escalating prolongs displayed distress

// Below this, hidden arousal and life-event stress are taken as gone (1% of one distress episode's
// jolt, 0.1% of a life event's stress): it spares an exp per event for the rest of the day.
constexpr double kNegligibleArousal = 0.01;
constexpr double kNegligibleStress = 1e-3;

enum Event : std::size_t {
  kDay,
  kWake,
  kSleep,
  kSchedule,  // a parent leaves or comes home (the day's plan of presence changes)
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

// Who is answering the child's bid: an attachment figure (responder_figure_), or the unlearned
// substitute carer.
enum class Responder { kNone, kFigure, kSubstitute };

// The observer's procedure (docs/model.md section 13): a window that has shown fewer than
// kMinRatedSignals of the child's signals is extended a day at a time, up to
// kMaxExtraObserveDays days (a month of observation in all at the default week).
constexpr float kMinRatedSignals = 1.0f;
constexpr int kMaxExtraObserveDays = 21;

constexpr int kNoFigure = -1;                    // in nobody's charge: the substitute carer's
constexpr double kOffDutyMinutes = 14.0 * 60.0;  // a day-care carer's nightly recovery time
constexpr std::size_t kMaxTransitions = 4;       // two parents, each leaving and returning

// The effort each strategy costs the child (suppressing costs nothing visible).
constexpr std::array<double ChildParams::*, kNumStrategies> kInnateValue = {
    &ChildParams::innate_suppress, &ChildParams::innate_signal, &ChildParams::innate_escalate,
    &ChildParams::innate_approach};
constexpr std::array<double ChildParams::*, kNumStrategies> kStrategyEffort = {
    nullptr, &ChildParams::effort_signal, &ChildParams::effort_escalate,
    &ChildParams::effort_approach};

// One attachment figure as the child knows it (its beliefs and strategy values), with the
// figure's parameters, today's caregiving and its stress. Index 0 is the primary caregiver.
struct Figure {
  CaregiverParams cg{};  // the primary's changes only through interventions
  bool parent = true;    // keeps a work block and feels the household's life events
  bool shared = false;   // the day-care group's carer: stress and busy state are the group's
  int first_weekday = 0;
  int weekdays = 0;
  bool present = true;
  double stress = 0.0;        // daily stress (care load, escalations); unused when shared
  DayCaregiving day{};        // today's caregiving
  int unrepaired = 0;         // ruptures today not (yet) repaired
  double care_minutes = 0.0;  // waking minutes in its charge this recording interval
  // What the child has learned about this figure.
  Belief availability;
  Belief comfort;
  Belief repair;
  Belief fear;
  StrategyLearner strategies;  // what each strategy has brought, its value and propensity
  double trust = 0.0;
};

struct Transition {
  double time = 0.0;
  int figure = 0;
  bool present = false;
};

class Dyad {
 public:
  Dyad(const DyadSetup& setup, const CaregiverParams& caregiver, const MetricRows& rows,
       const AssessmentRows& assessments)
      : setup_(setup),
        child_(*setup.child),
        innate_{child_.*kInnateValue[0], child_.*kInnateValue[1], child_.*kInnateValue[2],
                child_.*kInnateValue[3]},
        rows_(rows),
        assessments_(assessments),
        events_rng_(setup.seed, setup.arm_index, setup.dyad, sim::StreamPurpose::kEvents),
        daily_rng_(setup.seed, setup.arm_index, setup.dyad, sim::StreamPurpose::kDaily),
        assessment_rng_(setup.seed, setup.arm_index, setup.dyad, sim::StreamPurpose::kAssessment) {
    n_fig_ = 1 + std::min(setup.figures.size(), kMaxFigures);
    fig_[0].cg = caregiver;
    for (std::size_t f = 1; f < n_fig_; ++f) {
      const FigureSetup& fs = setup.figures[f - 1];
      Figure& g = fig_[f];
      g.cg = fs.caregiver;
      g.parent = fs.role == FigureRole::kParent;
      g.shared = fs.shared && setup.carer != nullptr;
      g.first_weekday = fs.first_weekday;
      g.weekdays = fs.weekdays;
      g.present = g.parent;
    }
    for (std::size_t f = 0; f < n_fig_; ++f) {
      Figure& g = fig_[f];
      update_trust(g);
      update_strategy(g);
    }
    in_charge_ = choose_in_charge();
    felt_security_ = fig_[0].trust;
    timers_.set(kDay, 0.0);
    timers_.set(kRecord, stride_minutes());
    if (!setup.ssp_days.empty()) timers_.set(kStrangeSituation, setup.ssp_days[0] * kMinutesPerDay);
    if (!setup.observe_days.empty()) timers_.set(kObserve, setup.observe_days[0] * kMinutesPerDay);
    if (!setup.changes.empty()) timers_.set(kIntervention, setup.changes[0].day * kMinutesPerDay);
    schedule_life_event();
  }

  DyadCounters run() {
    while (!done()) step(timers_.next());
    return counters();
  }

  // Stepping one event at a time (day-care groups interleave their dyads' events).
  bool done() const { return record_ >= setup_.n_records; }
  std::size_t next_event() const { return timers_.next(); }
  double time_of(std::size_t event) const { return timers_.at(event); }
  void step(std::size_t event) {
    advance(timers_.at(event));
    timers_.cancel(event);
    ++events_;
    handle(static_cast<Event>(event));
  }
  DyadCounters counters() const { return {events_, events_rng_.draws() + daily_rng_.draws()}; }

 private:
  double stride_minutes() const { return setup_.record_stride_days * kMinutesPerDay; }
  double memory() const { return age_.memory_minutes; }
  double expected_availability(const Figure& g) const {
    return g.availability.mean(child_.prior_weight);
  }
  double expected_comfort(const Figure& g) const { return g.comfort.mean(child_.prior_weight); }
  double repair_expectation(const Figure& g) const { return g.repair.mean(child_.prior_weight); }
  double fear(const Figure& g) const { return g.fear.mean(child_.prior_weight, 0.0); }
  double self_worth() const { return worth_.mean(child_.prior_weight); }
  void update_trust(Figure& g) { g.trust = expected_availability(g) * expected_comfort(g); }

  // The figure in charge, or the primary caregiver while the substitute cares for the child
  // (whose expectations of the primary colour how safe it feels).
  Figure& base() { return fig_[in_charge_ >= 0 ? in_charge_ : 0]; }
  const Figure& base() const { return fig_[in_charge_ >= 0 ? in_charge_ : 0]; }
  Figure& charge() { return fig_[in_charge_]; }  // only while someone is in charge

  double& stress_of(Figure& g) { return g.shared ? setup_.carer->stress : g.stress; }
  // Daily plus, for parents, the household's life-event stress.
  double stress(const Figure& g) const {
    return (g.shared ? setup_.carer->stress : g.stress) + (g.parent ? event_stress_ : 0.0);
  }

  // The day-care carer is free for this child, or already with it.
  bool carer_free_for_me(const Figure& g) const {
    return !g.shared || setup_.carer->busy_with < 0 ||
           setup_.carer->busy_with == setup_.group_member;
  }
  void release_carer() {
    if (setup_.carer != nullptr && setup_.carer->busy_with == setup_.group_member) {
      setup_.carer->busy_with = -1;
    }
  }

  // The child's momentary sense of safety; felt security averages it over waking time.
  double safety() const {
    if (distressed_ && !comforted_) return 0.0;
    const Figure& b = base();
    double s = in_charge_ >= 0 ? b.trust : b.trust * child_.away_security_factor;
    // An unrepaired rupture today weighs on the child, less so when it expects repair.
    if (b.unrepaired > 0) s *= 0.5 + 0.5 * repair_expectation(b);
    // A child primed to escalate stays on alert (hypervigilance); looking calm is not feeling safe.
    return s * (1.0 - child_.hypervigilance * b.strategies.p[kEscalate]) / (1.0 + arousal_);
  }

  // Integrates time-based quantities from the last event up to `now`.
  void advance(double now) {
    const double dt = now - now_;
    if (dt > 0.0 && event_stress_ > 0.0) {  // life events' stress fades over weeks
      event_stress_ *= decay(dt / (fig_[0].cg.life_event_days * kMinutesPerDay));
      if (event_stress_ < kNegligibleStress) event_stress_ = 0.0;
    }
    if (dt > 0.0) {  // stress builds in the figure in charge of the awake child, recovers otherwise
      for (std::size_t f = 0; f < n_fig_; ++f) {
        Figure& g = fig_[f];
        const CaregiverParams& cg = g.cg;
        if (awake_ && in_charge_ == static_cast<int>(f)) {
          stress_of(g) += care_stress(cg, dt, distressed_);
        } else if (!g.shared && g.stress > 0.0) {
          g.stress *= stress_recovery(cg, dt);
        }
      }
    }
    if (dt > 0.0 && awake_) {
      totals_.awake_minutes += dt;
      if (fig_[0].present) totals_.home_minutes += dt;
      if (in_charge_ >= 0) charge().care_minutes += dt;
      if (distressed_) totals_.distress_minutes += dt;
      if (exploring_) totals_.explore_minutes += dt;
      const double target = safety();
      felt_security_ = target + (felt_security_ - target) * decay(dt / age_.felt_security_tau);
      if (arousal_ > 0.0) {  // exact integral of exponential decay over dt
        const double rate = comforted_
                                ? 1.0 / age_.self_soothe_minutes + 1.0 / child_.comfort_minutes
                                : 1.0 / (age_.self_soothe_minutes * child_.arousal_persistence);
        const double fraction = decay(rate * dt);
        totals_.arousal_minutes += arousal_ * (1.0 - fraction) / rate;
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
      case kSchedule:
        presence_change();
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
    const bool was_mobile = age_.mobile;
    age_ = age_profile(child_, setup_.start_age_days + static_cast<double>(day) + 0.5);
    if (age_.mobile != was_mobile) {
      for (std::size_t f = 0; f < n_fig_; ++f) update_strategy(fig_[f]);
    }
    const double awake_minutes = age_.awake_minutes;
    // The group's day-care carer recovers off duty (once a night, by the group's first child).
    if (setup_.carer != nullptr && setup_.group_member == 0) {
      for (std::size_t f = 1; f < n_fig_; ++f) {
        const CaregiverParams& cg = fig_[f].cg;
        if (fig_[f].shared) {
          setup_.carer->stress *= stress_recovery(cg, kOffDutyMinutes);
        }
      }
    }
    for (std::size_t f = 0; f < n_fig_; ++f) plan_caregiving(fig_[f], day_start);

    const double wake = day_start + kWakeMinute;
    const double bed = wake + awake_minutes;
    timers_.set(kWake, wake);
    timers_.set(kSleep, bed);
    // Presence: each parent with presence < 1 leaves for a work block on weekdays.
    weekday_ = static_cast<int>(day % 7);
    n_transitions_ = next_transition_ = 0;
    if (weekday_ < kWorkdaysPerWeek) {
      for (std::size_t f = 0; f < n_fig_; ++f) {
        const CaregiverParams& cg = fig_[f].cg;
        if (!fig_[f].parent || cg.presence >= 1.0) continue;
        const double away = (1.0 - cg.presence) * awake_minutes;
        const double leave = wake + std::min(kLeaveAfterWake, awake_minutes * cg.presence);
        add_transition({leave, static_cast<int>(f), false});
        add_transition({std::min(leave + away, bed), static_cast<int>(f), true});
      }
    }
    if (n_transitions_ > 0) timers_.set(kSchedule, transitions_[0].time);
    timers_.set(kDay, day_start + kMinutesPerDay);
  }

  // Today's caregiving of one figure (one draw per figure per day).
  void plan_caregiving(Figure& g, double day_start) {
    const double z = daily_rng_.normal();
    g.day = plan_day(g.cg, day_start, z, child_.escalate_pull);
  }

  // Keeps the day's presence changes in time order (ties: in the order added).
  void add_transition(Transition t) {
    std::size_t i = n_transitions_++;
    while (i > 0 && transitions_[i - 1].time > t.time) {
      transitions_[i] = transitions_[i - 1];
      --i;
    }
    transitions_[i] = t;
  }

  void presence_change() {
    const Transition t = transitions_[next_transition_++];
    if (next_transition_ < n_transitions_) {
      timers_.set(kSchedule, transitions_[next_transition_].time);
    }
    fig_[t.figure].present = t.present;
    // A grandparent or day-care carer looks after the child on its weekdays while no parent is in.
    bool parent_in = false;
    for (std::size_t f = 0; f < n_fig_; ++f)
      parent_in = parent_in || (fig_[f].parent && fig_[f].present);
    for (std::size_t f = 1; f < n_fig_; ++f) {
      Figure& g = fig_[f];
      if (!g.parent) {
        g.present =
            !parent_in && weekday_ >= g.first_weekday && weekday_ < g.first_weekday + g.weekdays;
      }
    }
    change_charge(choose_in_charge());
    if (!t.present && awake_ && !distressed_ &&
        events_rng_.bernoulli(
            child_.separation_protest *
            developmental_ramp(age_.age_months, child_.separation_protest_months))) {
      start_distress();  // separation protest: directed at whoever cares for the child now
    }
  }

  // The present figure the child trusts most (ties: listed order, the primary first). During an
  // observation window the primary caregiver, when present, cares for the child: the observer
  // watches the primary caregiver with the child, as in home-observation studies.
  int choose_in_charge() const {
    if (observing_ && fig_[0].present) return 0;
    int best = kNoFigure;
    for (std::size_t f = 0; f < n_fig_; ++f) {
      if (fig_[f].present && (best == kNoFigure || fig_[f].trust > fig_[best].trust)) {
        best = static_cast<int>(f);
      }
    }
    return best;
  }

  // Hands the child over from the figure in charge (or the substitute) to `next`.
  void change_charge(int next) {
    if (next == in_charge_) return;
    if (in_charge_ != kNoFigure) {  // the figure in charge stops caring
      // An episode directed at this figure and not yet answered teaches nothing about it: the
      // question was interrupted, and whoever takes over is not the one it was put to.
      if (distressed_ && episode_figure_ == in_charge_ && !answered_) {
        episode_figure_ = kNoFigure;
      }
      // A repair needs the two to stay together: once the child passes to someone else's
      // charge, the pending repair lapses and the rupture stays unrepaired.
      if (repair_pending_ && rupture_figure_ == in_charge_) {
        repair_pending_ = false;
        timers_.cancel(kRepair);
      }
      attending_ = false;
      timers_.cancel(kAttention);
      timers_.cancel(kRupture);
      if (responder_ == Responder::kFigure) {  // leaves before arriving
        responder_ = Responder::kNone;
        timers_.cancel(kResponse);
        release_carer();
      }
    }
    in_charge_ = next;
    if (next != kNoFigure) {
      if (!awake_) return;
      start_attention();
      schedule_rupture();
    } else if (distressed_ && responder_ == Responder::kNone && !gave_up_) {
      bid();  // the substitute takes over
    }
  }

  void wake() {
    awake_ = true;
    for (std::size_t f = 0; f < n_fig_; ++f) fig_[f].unrepaired = 0;
    if (in_charge_ != kNoFigure) start_attention();
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
    for (std::size_t f = 0; f < n_fig_; ++f) {
      Figure& g = fig_[f];
      for (int i = 0; i < g.unrepaired; ++i) {
        g.availability.observe(now_, memory(), 0.0, child_.unrepaired_weight);
        g.repair.observe(now_, memory(), 0.0, 1.0);
      }
      update_trust(g);
    }
    awake_ = false;
    arousal_ = 0.0;  // sleep restores
  }

  // ---- attention: alternating attending and distracted spells of the figure in charge ------
  // The spells are a two-state Markov process (exponential spells, docs/model.md section 3).
  // While the child is calm nothing follows from a spell's end, so the spells are not simulated
  // one by one: the state is kept as of attention_since_ and drawn, when something asks for it
  // (a check-in), from the process's exact transition probability. While the child is
  // distressed the spells are events, because the end of a distracted spell is when the
  // distress is noticed.

  void start_attention() {
    attending_ = true;
    attention_since_ = now_;
    timers_.cancel(kAttention);
    if (!distressed_) return;
    schedule_attention();
    if (attending_) notice();
  }

  // Attention of the figure in charge now: the state kept since attention_since_ carried forward
  // (p_attending_after, models/caregiving.hpp).
  bool attending_now() {
    if (!distressed_) carry_attention_forward();  // while distressed the spells are events
    return attending_;
  }

  void carry_attention_forward() {
    const double a = charge().day.attention;
    if (a >= 1.0 || a <= 0.0) {  // certain either way: no draw
      attending_ = a >= 1.0;
    } else {
      attending_ =
          events_rng_.uniform() <
          p_attending_after(attending_, a, child_.distraction_minutes, now_ - attention_since_);
    }
    attention_since_ = now_;
  }

  void schedule_attention() {
    const double a = charge().day.attention;
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
    if (age_.distress_rate > 0.0)
      timers_.set(kDistress, now_ + events_rng_.exponential(age_.distress_rate));
  }

  void start_distress() {
    if (n_fig_ > 1) change_charge(choose_in_charge());  // turn to the figure trusted most
    distressed_ = true;
    comforted_ = false;
    gave_up_ = false;
    episode_figure_ = in_charge_;
    answered_ = false;
    rebuffed_ = frightened_ = comforted_by_caregiver_ = false;
    onset_ = now_;
    bids_ = 0;
    exploring_ = false;
    timers_.cancel(kExplore);
    arousal_ += setup_.reactivity;
    if (in_charge_ != kNoFigure) {  // the figure's spells run as events while the child is upset
      carry_attention_forward();
      schedule_attention();
    }
    // Toward a figure the child uses a strategy learned with it; with the substitute it signals.
    strategy_ = in_charge_ != kNoFigure ? choose_strategy(charge()) : kSignal;
    if (strategy_ == kSuppress) {
      gave_up_ = true;  // no bids: the child soothes itself and soon looks calm
      timers_.set(kSoothed, now_ + events_rng_.exponential(1.0 / child_.suppress_display_minutes));
    } else {
      const double soothe = strategy_ == kEscalate ? age_.self_soothe_minutes * kEscalatedSoothing
                                                   : age_.self_soothe_minutes;
      timers_.set(kSoothed, now_ + events_rng_.exponential(1.0 / soothe));
      bid();
    }
    schedule_rupture();
  }

  // ---- learned strategies -----------------------------------------------------------------

  Strategy choose_strategy(Figure& g) {
    update_strategy(g);
    return sample_strategy(g.strategies.p, events_rng_.uniform());
  }

  // Brings a figure's strategy values and propensities up to now.
  void update_strategy(Figure& g) {
    g.strategies.refresh(now_, memory(), child_.prior_weight, innate_);
    g.strategies.update_propensities(child_.strategy_precision, available_strategies());
  }

  // Approach needs mobility.
  std::size_t available_strategies() const { return age_.mobile ? kNumStrategies : kApproach; }

  // The episode's outcome for the strategy used with its figure: relief if a figure comforted
  // (or repaired), the sting of a rebuff or a fright, minus the strategy's effort.
  void learn_strategy(Figure& g) {
    double reward =
        comforted_by_caregiver_ ? sim::exp(-(comfort_time_ - onset_) / child_.relief_minutes) : 0.0;
    if (rebuffed_) reward -= child_.rebuff_cost;
    if (frightened_) reward -= child_.fear_cost;
    if (kStrategyEffort[strategy_] != nullptr) reward -= child_.*kStrategyEffort[strategy_];
    g.strategies.learn(strategy_, now_, memory(), reward);
  }

  void frighten(Figure& g) {
    frightened_ = true;
    g.fear.observe(now_, memory(), 1.0, 1.0);
    arousal_ += setup_.reactivity;
  }

  // The child signals (cries, calls). The figure in charge, if attending, may respond; with
  // nobody in charge, the substitute carer may. Unanswered, the child bids again, up to
  // max_bids on average (twice as many when escalating), then gives up. A fractional count is a
  // mean: the child makes its whole part and one more bid with the fraction's probability, drawn
  // once per episode when the whole part is spent (no draw when the count is whole).
  void bid() {
    const bool escalating = strategy_ == kEscalate;
    const double limit = child_.max_bids * (escalating ? 2.0 : 1.0);
    const int whole = static_cast<int>(limit);
    if (bids_ > whole ||
        (bids_ == whole && !(limit > whole && events_rng_.bernoulli(limit - whole)))) {
      gave_up_ = true;  // a bid interval after its last bid went unanswered
      learn_availability(0.0);
      return;
    }
    ++bids_;
    if (in_charge_ != kNoFigure) {
      if (strategy_ == kEscalate) {  // half an hour's care load, buffered by support like the rest
        stress_of(charge()) += escalation_stress(charge().cg);
      }
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
    timers_.set(kBid, now_ + child_.bid_interval * (escalating ? 0.5 : 1.0));
  }

  // The figure in charge notices the child's distress and decides whether to respond today. A
  // day-care carer busy with another child of the group does not respond.
  void notice() {
    if (responder_ != Responder::kNone || gave_up_) return;
    if (in_cooldown_ && rupture_figure_ == in_charge_) return;
    const Figure& g = charge();
    if (!carer_free_for_me(g)) return;
    const bool observed = observing_ && in_charge_ == 0;
    if (observed) observed_.opportunities += 1.0f;  // a signal the caregiver noticed
    const double s = stress(g);
    // Intense, persistent signals move an inconsistent caregiver to respond as on a good day.
    const double base = strategy_ == kEscalate
                            ? std::max(g.day.responsiveness, g.day.good_day_responsiveness)
                            : g.day.responsiveness;
    const double r = under_stress(base, g.cg, s);
    if (observed) true_responsiveness_sum_ += r;
    if (!events_rng_.bernoulli(r)) return;
    if (observed) observed_.score += 1.0f;  // a prompt response to a signal perceived
    if (in_charge_ == episode_figure_ && !answered_) {
      const double tau = child_.availability_minutes;
      learn_availability(tau > 0.0 ? sim::exp(-(now_ - onset_) / tau) : 1.0);
    }
    answered_ = true;
    responder_ = Responder::kFigure;
    responder_figure_ = in_charge_;
    if (g.shared) setup_.carer->busy_with = setup_.group_member;
    timers_.cancel(kBid);
    timers_.set(kResponse, now_ + events_rng_.exponential(1.0 / g.cg.response_latency));
  }

  void respond() {
    const Responder who = responder_;
    responder_ = Responder::kNone;
    if (who == Responder::kFigure) {
      Figure& g = fig_[responder_figure_];
      // Frightening behaviour (looming, threatening, dissociated) comes with the response, not
      // instead of it: the source of comfort is also a source of fear (Main & Hesse 1990).
      if (events_rng_.bernoulli(g.day.frightening)) {
        frighten(g);
      } else {
        g.fear.observe(now_, memory(), 0.0, 1.0);
      }
      if (events_rng_.bernoulli(g.day.rebuff)) {
        g.comfort.observe(now_, memory(), 0.0, 1.0);
        update_trust(g);
        rebuffed_ = true;
        gave_up_ = true;  // rebuffed: the child stops bidding and soothes itself
        release_carer();
        return;
      }
      g.comfort.observe(now_, memory(), 1.0, 1.0);
      update_trust(g);
      comforted_by_caregiver_ = true;
      comfort_time_ = now_;
    }
    comfort();
  }

  void comfort() {
    comforted_ = true;
    timers_.set(kSoothed, now_ + events_rng_.exponential(1.0 / age_.self_soothe_minutes +
                                                         1.0 / child_.comfort_minutes));
  }

  // One availability lesson per episode, about the figure it was directed at: answered (the
  // figure decided to respond) before the child gave up, or not. An episode the child calmed
  // alone first, its bids unanswered, counts as not answered with weight calm_alone_weight (0:
  // it teaches nothing, the question was not put to the test).
  void learn_availability(double outcome, double weight = 1.0) {
    if (episode_figure_ == kNoFigure) return;
    Figure& g = fig_[episode_figure_];
    g.availability.observe(now_, memory(), outcome, weight);
    update_trust(g);
  }

  void finish_episode() {
    if (episode_figure_ != kNoFigure) learn_strategy(fig_[episode_figure_]);
    distressed_ = false;
    comforted_ = false;
    responder_ = Responder::kNone;
    release_carer();
    timers_.cancel(kBid);
    timers_.cancel(kResponse);
    timers_.cancel(kSoothed);
    timers_.cancel(kAttention);  // calm again: the spells are carried forward lazily
    attention_since_ = now_;
    ++totals_.episodes;
    totals_.soothe_minutes += now_ - onset_;
  }

  void end_distress() {
    // Calmed alone: no bid was answered, the child did not give up (nor suppress, nor get
    // rebuffed) and no repair comforted it.
    if (child_.calm_alone_weight > 0.0 && !answered_ && !gave_up_ && !comforted_by_caregiver_) {
      learn_availability(0.0, child_.calm_alone_weight);
    }
    finish_episode();
    schedule_distress();
    schedule_exploration();
    schedule_rupture();
  }

  // ---- ruptures and repair (with the figure in charge) ---------------------------------------

  void schedule_rupture() {
    timers_.cancel(kRupture);
    if (!awake_ || in_charge_ == kNoFigure || in_cooldown_ || repair_pending_) return;
    const double rate = charge().cg.rupture_rate;
    if (rate <= 0.0) return;
    // Stress shortens patience (section 9b): the rate rises by 1 + 2 x stress.
    const double per_hour = rate * (1.0 + 2.0 * stress(charge())) *
                            (distressed_ ? child_.rupture_distress_factor : 1.0);
    if (per_hour > 0.0) {
      timers_.set(kRupture, now_ + events_rng_.exponential(per_hour / kMinutesPerHour));
    }
  }

  void rupture() {
    Figure& g = charge();
    rupture_figure_ = in_charge_;
    ++totals_.ruptures;
    ++g.unrepaired;
    if (observing_ && in_charge_ == 0) ++observed_.ruptures;
    const bool frightening = events_rng_.bernoulli(g.day.frightening);
    in_cooldown_ = true;
    timers_.set(kCooldown, now_ + child_.rupture_cooldown);
    g.comfort.observe(now_, memory(), 0.0, child_.rupture_weight);
    update_trust(g);
    if (events_rng_.bernoulli(g.cg.repair_probability)) {
      repair_pending_ = true;
      timers_.set(kRepair, now_ + events_rng_.exponential(1.0 / g.cg.repair_delay));
    }
    if (!distressed_) {
      start_distress();  // the child is upset by the rupture
      if (frightening) frighten(g);
    } else {
      if (frightening) frighten(g);
      if (responder_ == Responder::kFigure) {  // the figure turns away mid-response
        responder_ = Responder::kNone;
        timers_.cancel(kResponse);
      }
      if (comforted_) {  // comfort stops: back to soothing alone
        comforted_ = false;
        timers_.set(kSoothed, now_ + events_rng_.exponential(1.0 / age_.self_soothe_minutes));
      }
      release_carer();
      schedule_rupture();
    }
  }

  void end_cooldown() {
    in_cooldown_ = false;
    if (distressed_ && in_charge_ != kNoFigure && attending_) notice();
    schedule_rupture();
  }

  void repair() {
    repair_pending_ = false;
    if (in_charge_ != rupture_figure_ || !awake_) {  // the moment passed: it stays unrepaired
      schedule_rupture();
      return;
    }
    Figure& g = charge();
    ++totals_.repairs;
    --g.unrepaired;
    in_cooldown_ = false;
    timers_.cancel(kCooldown);
    g.comfort.observe(now_, memory(), 1.0, child_.repair_weight);
    g.repair.observe(now_, memory(), 1.0, 1.0);
    update_trust(g);
    if (distressed_) {
      if (responder_ == Responder::kFigure) timers_.cancel(kResponse);
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
        std::min(0.99, age_.explore_max * felt_security_ * (0.75 + 0.25 * self_worth()) *
                           (1.0 - child_.hypervigilance * base().strategies.p[kEscalate]));
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
  // distracted or neutral figure does not. With the substitute there is no such lesson.
  void check_in() {
    if (in_charge_ == kNoFigure) return;
    const bool warm = attending_now() && events_rng_.bernoulli(charge().cg.warmth);
    worth_.observe(now_, memory(), warm ? 1.0 : 0.0, 1.0);
  }

  // ---- life events and interventions -------------------------------------------------------

  void schedule_life_event() {
    const CaregiverParams& cg = fig_[0].cg;
    if (cg.life_event_rate > 0.0) {
      timers_.set(kLifeEvent, now_ + events_rng_.exponential(cg.life_event_rate / kMinutesPerYear));
    }
  }

  void life_event() {
    event_stress_ += fig_[0].cg.life_event_stress;
    schedule_life_event();
  }

  // From this day on the primary caregiver behaves with the intervention's parameters (the
  // day's responsiveness and history effects follow at the next midnight).
  void intervene() {
    fig_[0].cg = setup_.changes[change_index_].caregiver;
    schedule_rupture();
    if (++change_index_ < setup_.changes.size()) {
      timers_.set(kIntervention, setup_.changes[change_index_].day * kMinutesPerDay);
    }
  }

  // ---- assessments (with the primary caregiver) ----------------------------------------------

  ChildSnapshot snapshot() {
    Figure& g = fig_[0];
    update_strategy(g);
    ChildSnapshot c;
    c.age_months = sim::days_to_months(setup_.start_age_days + now_ / kMinutesPerDay);
    c.strategy_probability = g.strategies.p;
    c.organised = g.strategies.organised(available_strategies());
    c.expected_availability = expected_availability(g);
    c.expected_comfort = expected_comfort(g);
    c.fear = fear(g);
    c.self_worth = self_worth();
    c.self_soothe_minutes = age_.self_soothe_minutes;
    c.reactivity = setup_.reactivity;
    return c;
  }

  void strange_situation() {
    assessments_.ssp[ssp_index_] = run_strange_situation(snapshot(), child_, assessment_rng_);
    if (++ssp_index_ < setup_.ssp_days.size()) {
      timers_.set(kStrangeSituation, setup_.ssp_days[ssp_index_] * kMinutesPerDay);
    }
  }

  // Observation windows: at the start, counting begins; at the end, the observer rates
  // sensitivity from what was seen (docs/model.md section 13).
  void observe() {
    if (!observing_) {
      observing_ = true;
      observed_ = {};
      true_responsiveness_sum_ = 0.0;
      timers_.set(kObserve, now_ + setup_.observe_window_days * kMinutesPerDay);
      if (n_fig_ > 1 && !distressed_) change_charge(choose_in_charge());
      return;
    }
    // A rating needs a signal to rate: with fewer than kMinRatedSignals seen, the observer comes
    // back the next day, up to kMaxExtraObserveDays days, ending before the next window's start
    // and before the horizon (the last record ends the run: a window ending there would never be
    // rated).
    if (observed_.opportunities < kMinRatedSignals && extra_observe_days_ < kMaxExtraObserveDays) {
      const double next = now_ + kMinutesPerDay;
      const double horizon = stride_minutes() * static_cast<double>(setup_.n_records);
      const bool last = observe_index_ + 1 >= setup_.observe_days.size();
      if (next < horizon &&
          (last || next < setup_.observe_days[observe_index_ + 1] * kMinutesPerDay)) {
        ++extra_observe_days_;
        timers_.set(kObserve, next);
        return;
      }
    }
    extra_observe_days_ = 0;
    observing_ = false;
    if (n_fig_ > 1 && !distressed_) change_charge(choose_in_charge());
    // 1-9 from the share of noticed signals answered; a window without one answered signal seen
    // (none noticed at all, even on the extra days: the child did not signal to this caregiver)
    // rates 1.
    observed_.rating = 1.0f + 8.0f * observed_.score / std::max(1.0f, observed_.opportunities);
    observed_.true_responsiveness =
        observed_.opportunities > 0.0f
            ? static_cast<float>(true_responsiveness_sum_ / observed_.opportunities)
            : std::numeric_limits<float>::quiet_NaN();
    assessments_.observed[observe_index_] = observed_;
    if (++observe_index_ < setup_.observe_days.size()) {
      timers_.set(kObserve, setup_.observe_days[observe_index_] * kMinutesPerDay);
    }
  }

  // ---- recording -------------------------------------------------------------------------

  void record() {
    const auto k = static_cast<std::size_t>(record_);
    auto put = [&](Metric m, double v) { rows_[m][k] = static_cast<float>(v); };
    Figure& g = fig_[0];
    update_strategy(g);
    put(kTrust, g.trust);
    put(kExpectedAvailability, expected_availability(g));
    put(kExpectedComfort, expected_comfort(g));
    put(kRepairExpectation, repair_expectation(g));
    put(kFeltSecurity, felt_security_);
    put(kExploration, totals_.share(totals_.explore_minutes));
    put(Metric::kDistress, totals_.share(totals_.distress_minutes));
    put(kTimeToSoothe, totals_.mean_time_to_soothe());
    put(kRuptures, static_cast<double>(totals_.ruptures));
    put(kRepairs, static_cast<double>(totals_.repairs));
    put(kCaregiverPresence, totals_.share(totals_.home_minutes));
    put(kHiddenArousal, totals_.share(totals_.arousal_minutes));
    put(kFear, fear(g));
    put(kSelfWorth, self_worth());
    put(kStrategySuppress, g.strategies.p[kSuppress]);
    put(kStrategySignal, g.strategies.p[kSignal]);
    put(kStrategyEscalate, g.strategies.p[kEscalate]);
    put(kStrategyApproach, g.strategies.p[kApproach]);
    put(kCaregiverStress, stress(g));
    for (std::size_t f = 1; f < n_fig_; ++f) {
      const FigureRows& out = assessments_.figures[f - 1];
      Figure& h = fig_[f];
      if (out.trust != nullptr) out.trust[k] = static_cast<float>(h.trust);
      if (out.care_share != nullptr) {
        out.care_share[k] = static_cast<float>(totals_.share(h.care_minutes));
      }
    }
    for (std::size_t f = 0; f < n_fig_; ++f) fig_[f].care_minutes = 0.0;
    totals_ = {};
    ++record_;
    timers_.set(kRecord, stride_minutes() * static_cast<double>(record_ + 1));
  }

  const DyadSetup& setup_;
  const ChildParams& child_;
  const std::array<double, kNumStrategies> innate_;  // the strategies' innate values
  const MetricRows& rows_;
  const AssessmentRows& assessments_;
  sim::Rng events_rng_;
  sim::Rng daily_rng_;
  sim::Rng assessment_rng_;
  sim::TimerSet<kNumEvents> timers_;
  std::uint64_t events_ = 0;
  std::int64_t record_ = 0;
  double now_ = 0.0;

  // Attachment figures: [0] the primary caregiver, then setup.figures in order.
  std::array<Figure, kMaxFigures + 1> fig_{};
  std::size_t n_fig_ = 1;
  int in_charge_ = 0;  // the figure caring for the child now, or kNoFigure (the substitute)
  std::array<Transition, kMaxTransitions> transitions_{};
  std::size_t n_transitions_ = 0;
  std::size_t next_transition_ = 0;
  int weekday_ = 0;  // 0-4 weekdays, 5-6 weekend

  // Day plan (age-dependent values are refreshed at midnight).
  AgeProfile age_{};           // the child's age-dependent values, today
  double event_stress_ = 0.0;  // the household's stress from life events (parents feel it)
  std::size_t change_index_ = 0;

  // Situation.
  bool awake_ = false;
  bool attending_ = false;        // the figure in charge's attention, as of attention_since_
  double attention_since_ = 0.0;  // when attending_ was last brought up to date
  bool distressed_ = false;
  bool comforted_ = false;
  bool exploring_ = false;
  bool gave_up_ = false;
  bool answered_ = false;  // a figure decided to respond in this episode
  bool in_cooldown_ = false;
  bool repair_pending_ = false;
  bool rebuffed_ = false;
  bool frightened_ = false;
  bool comforted_by_caregiver_ = false;  // by an attachment figure (comfort or repair)
  Strategy strategy_ = kSignal;
  Responder responder_ = Responder::kNone;
  int responder_figure_ = 0;
  int episode_figure_ = kNoFigure;  // whom the current episode was directed at
  int rupture_figure_ = 0;          // who caused the latest rupture
  int bids_ = 0;
  double onset_ = 0.0;
  double comfort_time_ = 0.0;  // when a figure's comfort (or repair) reached the child

  // What the child has learned about itself, and how it feels.
  Belief worth_;
  double felt_security_ = 0.0;
  double arousal_ = 0.0;  // hidden physiological arousal

  // Assessments.
  std::size_t ssp_index_ = 0;
  std::size_t observe_index_ = 0;
  bool observing_ = false;
  int extra_observe_days_ = 0;            // days the current window has been extended
  double true_responsiveness_sum_ = 0.0;  // probabilities of responding to observed signals
  ObservedSensitivity observed_;

  IntervalTotals totals_;  // accumulated over the current recording interval
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
        const double sigma2 = sim::log1p((d.sd * d.sd) / (d.mean * d.mean));
        value = sim::exp(sim::log(d.mean) - 0.5 * sigma2 + std::sqrt(sigma2) * rng.normal());
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

void simulate_group(std::span<DyadJob> jobs) {
  std::vector<Dyad> dyads;  // per group, not per event
  dyads.reserve(jobs.size());
  for (DyadJob& job : jobs) dyads.emplace_back(job.setup, job.caregiver, job.rows, job.assessments);
  std::vector<std::size_t> next(jobs.size());
  std::vector<double> at(jobs.size());
  for (std::size_t i = 0; i < dyads.size(); ++i) {
    next[i] = dyads[i].next_event();
    at[i] = dyads[i].done() ? sim::kNever : dyads[i].time_of(next[i]);
  }
  for (;;) {
    std::size_t who = jobs.size();  // the earliest event; ties go to the lower group member
    double when = sim::kNever;
    for (std::size_t i = 0; i < at.size(); ++i) {
      if (at[i] < when) {
        when = at[i];
        who = i;
      }
    }
    if (who == jobs.size()) break;
    Dyad& d = dyads[who];
    d.step(next[who]);
    next[who] = d.next_event();
    at[who] = d.done() ? sim::kNever : d.time_of(next[who]);
  }
  for (std::size_t i = 0; i < dyads.size(); ++i) jobs[i].counters = dyads[i].counters();
}

}  // namespace attachsim::models
