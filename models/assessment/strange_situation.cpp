#include "models/assessment/strange_situation.hpp"

#include <algorithm>
#include <cmath>

#include "sim/fmath.hpp"
namespace attachsim::models {
namespace {

constexpr double kStep = 0.25;             // minutes: the procedure is coded in 15-second intervals
constexpr int kEpisodeSteps = 12;          // 3-minute episodes
constexpr int kHardCryCutoff = 4;          // separations end after 1 minute of hard crying
constexpr double kHardCry = 1.0;           // displayed arousal counted as hard crying
constexpr double kActivationHalf = 0.5;    // arousal at which the attachment system is half active
constexpr double kCalm = 0.25;             // below this activation the child greets and plays
constexpr double kClinging = 0.3;          // arousal above which a child in contact holds on
constexpr double kParentPickUp = 0.8;      // P(the instructed parent picks up a signalling child)
constexpr double kStrangerComfort = 0.3;   // a stranger soothes at 30% of the parent's efficacy
constexpr double kStrangerPickUp = 0.5;    // P(the stranger comforts a signalling child)
constexpr double kDisorganizedFull = 8.0;  // D intervals over both reunions that rate 9

double to_scale(double count, double max) { return 1.0 + 6.0 * std::min(1.0, count / max); }

class Procedure {
 public:
  Procedure(const ChildSnapshot& child, const ChildParams& params, sim::Rng& rng)
      : child_(child), params_(params), rng_(rng) {
    protest_ = developmental_ramp(child.age_months, params.separation_protest_months);
    wary_ = developmental_ramp(child.age_months, params.stranger_wariness_months);
    alone_decay_ = sim::exp(-kStep / (child.self_soothe_minutes * params.arousal_persistence));
  }

  StrangeSituationResult run() {
    settle(2);              // 1: parent, child and observer enter (30 s)
    settle(kEpisodeSteps);  // 2: parent and child; the child explores
    arousal_ += params_.stranger_arousal * child_.reactivity * wary_;  // 3: the stranger enters
    settle(kEpisodeSteps);
    separate(1.0, true);   // 4: the parent leaves; the stranger stays
    reunion(0);            // 5: the parent returns
    separate(2.0, false);  // 6: the child is alone
    separate(1.0, true);   // 7: the stranger returns
    reunion(1);            // 8: the parent returns
    return score();
  }

 private:
  bool signals() const { return child_.organised != kSuppress; }

  void settle(int steps) {
    for (int i = 0; i < steps; ++i) arousal_ *= alone_decay_;
  }

  // A separation episode: arousal rises with separation protest (`load` x the per-minute rate);
  // a stranger present may comfort a signalling child, weakly. Ends after a minute of hard
  // crying, as the procedure prescribes.
  void separate(double load, bool stranger) {
    int crying = 0;
    for (int i = 0; i < kEpisodeSteps && crying < kHardCryCutoff; ++i) {
      arousal_ += load * params_.separation_arousal * child_.reactivity * protest_ * kStep;
      if (stranger && signals() && rng_.bernoulli(kStrangerPickUp)) {
        arousal_ *= sim::exp(-kStep * kStrangerComfort / params_.comfort_minutes);
      } else {
        arousal_ *= alone_decay_;
      }
      crying = (signals() && arousal_ >= kHardCry) ? crying + 1 : 0;
    }
  }

  // A reunion, coded in 12 intervals of 15 s. The child meets the returning parent with its
  // organised strategy; how activated it is, whether the parent picks it up and whether contact
  // soothes it vary from interval to interval.
  void reunion(int r) {
    double ps = 0, cm = 0, rs = 0, av = 0;
    bool contact = false;
    const Strategy s = child_.organised;
    // Comfort is taken in to the extent the child expects comfort from the figure; an escalating
    // child, demanding and angry, takes it in half-heartedly.
    const double accept = child_.expected_comfort * (s == kEscalate ? 0.5 : 1.0);
    // Arousal beyond what the child's expectation of the figure's availability can contain
    // turns into anger at the figure.
    const double contain = child_.expected_availability * (s == kEscalate ? 0.5 : 1.0);
    for (int i = 0; i < kEpisodeSteps; ++i) {
      const double activation = arousal_ / (arousal_ + kActivationHalf);
      // Fear of the figure colliding with the drive to seek it: disorganized behaviour
      // (freezing, approaching then veering away) instead of the organised strategy.
      if (activation >= kCalm && rng_.bernoulli(child_.fear)) {
        ++disorganized_;
        arousal_ *= alone_decay_;
        continue;
      }
      if (activation < kCalm) {  // calm: greets and plays, or ignores the parent's return
        if (s == kSuppress) {
          av += 1.0;
        } else {
          ps += 0.3;
        }
        arousal_ *= alone_decay_;
        continue;
      }
      switch (s) {
        case kSuppress:
          av += 1.0;
          contact = false;
          break;
        case kSignal:
          ps += 0.6;
          contact = contact || rng_.bernoulli(kParentPickUp);
          break;
        case kApproach:
          ps += 1.0;
          contact = true;
          break;
        case kEscalate:
          ps += 0.8;
          contact = true;
          break;
        case kNumStrategies:
          break;
      }
      if (contact && s != kSuppress) {
        if (arousal_ > kClinging) cm += 1.0;
        // Arousal beyond what the child's trust can contain: comfort offered is not taken in,
        // and the child pushes away, angry (resistance).
        if (activation > contain) rs += 1.0;
        arousal_ *= sim::exp(-kStep * accept / params_.comfort_minutes);
      } else {
        arousal_ *= alone_decay_;
      }
    }
    result_.proximity_seeking[r] = static_cast<float>(to_scale(ps, kEpisodeSteps));
    result_.contact_maintaining[r] = static_cast<float>(to_scale(cm, kEpisodeSteps));
    result_.resistance[r] = static_cast<float>(to_scale(rs, kEpisodeSteps));
    result_.avoidance[r] = static_cast<float>(to_scale(av, kEpisodeSteps));
  }

  StrangeSituationResult score() {
    std::array<double, 4> mean{};
    for (int r = 0; r < 2; ++r) {
      mean[0] += 0.5 * result_.proximity_seeking[r];
      mean[1] += 0.5 * result_.contact_maintaining[r];
      mean[2] += 0.5 * result_.resistance[r];
      mean[3] += 0.5 * result_.avoidance[r];
    }
    result_.abc_class = classify_abc(mean[2], mean[3]);
    result_.disorganization = static_cast<float>(
        1.0 + 8.0 * std::min(1.0, static_cast<double>(disorganized_) / kDisorganizedFull));
    result_.attachment_class = result_.disorganization >= kDisorganizedFrom
                                   ? static_cast<std::int8_t>(kClassD)
                                   : result_.abc_class;
    result_.security =
        static_cast<float>(((mean[0] + mean[1]) / 2.0 - std::max(mean[2], mean[3])) / 6.0);
    return result_;
  }

  const ChildSnapshot& child_;
  const ChildParams& params_;
  sim::Rng& rng_;
  double protest_ = 0.0;
  double wary_ = 0.0;
  double alone_decay_ = 1.0;
  double arousal_ = 0.0;
  int disorganized_ = 0;
  StrangeSituationResult result_;
};

}  // namespace

std::int8_t classify_abc(double resistance, double avoidance) {
  if (avoidance >= kAvoidantFrom && avoidance >= resistance) return kClassA;
  if (resistance >= kResistantFrom) return kClassC;
  return kClassB;
}

StrangeSituationResult run_strange_situation(const ChildSnapshot& child, const ChildParams& params,
                                             sim::Rng& rng) {
  return Procedure(child, params, rng).run();
}

}  // namespace attachsim::models
