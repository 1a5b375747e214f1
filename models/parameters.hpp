// Every model parameter in one place: key, unit, default, valid range, meaning and source.
//
// Caregiver parameters vary between dyads: a scenario gives each a population distribution
// (mean, sd) from which every caregiver is drawn (Beta for probabilities and shares, log-normal
// for positive quantities; sd = 0 gives every caregiver the mean). Child parameters describe
// the developing child and are the same for every child in an arm. docs/model.md explains each
// and the argument behind its default; a test checks that every key here is documented there.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace attachsim::models {

// One caregiver as drawn. Plain data, copied into the dyad's state.
struct CaregiverParams {
  double responsiveness;      // P(respond | a bid is noticed)
  double presence;            // share of the child's weekday waking hours at home
  double attention;           // share of time at home spent attending (not distracted)
  double consistency;         // 1 = same responsiveness every day; 0 = large day-to-day swings
  double rebuff;              // P(a response to a comfort bid is a rebuff)
  double rupture_rate;        // ruptures per hour awake together (calm child)
  double repair_probability;  // P(a rupture is repaired)
  double repair_delay;        // minutes, mean delay from rupture to repair
  double response_latency;    // minutes, mean delay from deciding to respond to arriving
};

enum class Family { kBeta, kLogNormal };

struct CaregiverParamSpec {
  std::string_view key;
  double CaregiverParams::*field;
  Family family;
  double mean;  // population default
  double sd;
  double lo;  // valid range of a caregiver's value (and of the mean)
  double hi;
  std::string_view unit;
  std::string_view description;
  std::string_view source;
};

inline constexpr std::size_t kNumCaregiverParams = 9;

inline constexpr std::array<CaregiverParamSpec, kNumCaregiverParams> kCaregiverParams = {{
    {"responsiveness", &CaregiverParams::responsiveness, Family::kBeta, 0.7, 0.15, 0.0, 1.0,
     "probability", "probability of responding to a distress bid the caregiver notices",
     "assumption; spread chosen so sensitivity varies widely, as in Ainsworth et al. 1978"},
    {"presence", &CaregiverParams::presence, Family::kBeta, 0.75, 0.2, 0.0, 1.0, "share",
     "share of the child's weekday waking hours the caregiver is at home (weekends: all)",
     "assumption: mix of full-time, part-time and at-home caregivers"},
    {"attention", &CaregiverParams::attention, Family::kBeta, 0.8, 0.1, 0.0, 1.0, "share",
     "share of time at home the caregiver is attending rather than distracted (phone, chores)",
     "assumption: at home most but not all time is attentive (phone, chores, siblings)"},
    {"consistency", &CaregiverParams::consistency, Family::kBeta, 0.8, 0.1, 0.0, 1.0, "index",
     "day-to-day stability of responsiveness: 1 = identical every day, 0 = swings of 2 logits",
     "assumption: most caregivers are fairly stable from day to day"},
    {"rebuff", &CaregiverParams::rebuff, Family::kBeta, 0.1, 0.07, 0.0, 1.0, "probability",
     "probability that a response to a comfort bid is a rebuff rather than comfort",
     "assumption: rebuffs are a minority of responses in community samples"},
    {"rupture_rate", &CaregiverParams::rupture_rate, Family::kLogNormal, 0.05, 0.03, 0.0, 5.0,
     "1/hour",
     "ruptures (losing patience, yelling, harsh rebuff) per hour awake together while the child "
     "is calm; multiplied by child.rupture_distress_factor while the child is distressed",
     "assumption: about one rupture every two days of shared waking time"},
    {"repair_probability", &CaregiverParams::repair_probability, Family::kBeta, 0.6, 0.2, 0.0, 1.0,
     "probability", "probability that the caregiver repairs a rupture",
     "assumption: most ruptures repaired in good-enough care (model.md 11)"},
    {"repair_delay", &CaregiverParams::repair_delay, Family::kLogNormal, 30.0, 20.0, 0.1, 1440.0,
     "minutes", "mean delay from a rupture to its repair",
     "assumption: repair later the same day, typically within half an hour"},
    {"response_latency", &CaregiverParams::response_latency, Family::kLogNormal, 1.5, 0.8, 0.05,
     120.0, "minutes", "mean time from deciding to respond to reaching the child",
     "assumption: a caregiver at home reaches the child in a minute or two"},
}};

// Parameters of the developing child and of the child's learning. Same for every child of an arm.
struct ChildParams {
  double distress_rate_newborn;      // episodes per awake hour at birth
  double distress_rate_older;        // episodes per awake hour, asymptote
  double self_soothe_newborn;        // minutes, mean time to calm alone at birth
  double self_soothe_older;          // minutes, asymptote
  double development_months;         // months, time constant of the changes above
  double comfort_minutes;            // minutes, mean time to calm once comforted
  double bid_interval;               // minutes between unanswered bids
  double max_bids;                   // bids before giving up on an episode
  double awake_hours_newborn;        // hours awake per day at birth
  double awake_hours_older;          // hours awake per day, asymptote
  double memory_days_newborn;        // days, forgetting time constant at birth
  double memory_days_per_year;       // days added to the forgetting time constant per year
  double prior_weight;               // pseudo-experiences behind the 0.5 prior expectation
  double rupture_weight;             // weight of a rupture as a failed-comfort experience
  double repair_weight;              // weight of a repair as a comfort experience
  double unrepaired_weight;          // weight of an unrepaired rupture at bedtime
  double rupture_distress_factor;    // rupture-rate multiplier while the child is distressed
  double rupture_cooldown;           // minutes the caregiver stays unavailable after a rupture
  double felt_security_days;         // days, time constant of felt security (awake time)
  double away_security_factor;       // felt security while calm and the caregiver is away
  double explore_max_newborn;        // maximal share of calm time exploring at birth
  double explore_max_older;          // maximal share, asymptote
  double explore_bout_minutes;       // minutes, mean length of an exploration bout
  double substitute_responsiveness;  // P(substitute carer responds) while the caregiver is away
  double distraction_minutes;        // minutes, mean length of a distracted spell
};

struct ChildParamSpec {
  std::string_view key;
  double ChildParams::*field;
  double value;  // default
  double lo;
  double hi;
  std::string_view unit;
  std::string_view description;
  std::string_view source;
};

inline constexpr std::size_t kNumChildParams = 25;

inline constexpr std::array<ChildParamSpec, kNumChildParams> kChildParams = {{
    {"distress_rate_newborn", &ChildParams::distress_rate_newborn, 0.9, 0.0, 10.0, "1/hour",
     "distress episodes (hunger, fatigue, fear, falls, frustration) per awake hour at birth",
     "Wolke et al. 2017: ~2 h/day of fussing and crying in the first 6 weeks"},
    {"distress_rate_older", &ChildParams::distress_rate_older, 0.45, 0.0, 10.0, "1/hour",
     "distress episodes per awake hour once development has settled",
     "assumption: ~5 episodes in a 12-hour toddler day"},
    {"self_soothe_newborn", &ChildParams::self_soothe_newborn, 25.0, 0.1, 600.0, "minutes",
     "mean time for a newborn to calm without help",
     "assumption: unanswered newborn crying lasts tens of minutes"},
    {"self_soothe_older", &ChildParams::self_soothe_older, 12.0, 0.1, 600.0, "minutes",
     "mean time to calm without help once development has settled",
     "assumption: older children calm alone faster than newborns"},
    {"development_months", &ChildParams::development_months, 6.0, 0.1, 120.0, "months",
     "time constant with which need rates, self-soothing and waking hours approach their "
     "older values",
     "Wolke et al. 2017: crying halves between 6 weeks and 3 months"},
    {"comfort_minutes", &ChildParams::comfort_minutes, 3.0, 0.1, 120.0, "minutes",
     "mean time to calm once comforted (comfort works faster than self-soothing)",
     "assumption: safe haven (Bowlby 1969)"},
    {"bid_interval", &ChildParams::bid_interval, 3.0, 0.1, 120.0, "minutes",
     "minutes between unanswered bids (the child signals again, louder)",
     "assumption: a child calls again after a few minutes"},
    {"max_bids", &ChildParams::max_bids, 3.0, 1.0, 20.0, "count",
     "bids a child makes in one episode before giving up on the caregiver",
     "assumption: a few bids over several minutes before giving up"},
    {"awake_hours_newborn", &ChildParams::awake_hours_newborn, 8.0, 1.0, 16.0, "hours",
     "hours awake per day at birth (naps folded into the night)",
     "Galland et al. 2012: newborns sleep ~14-17 h a day"},
    {"awake_hours_older", &ChildParams::awake_hours_older, 12.0, 1.0, 16.0, "hours",
     "hours awake per day once development has settled",
     "Galland et al. 2012: toddlers sleep ~12 h a day"},
    {"memory_days_newborn", &ChildParams::memory_days_newborn, 30.0, 1.0, 3650.0, "days",
     "time constant with which old experiences fade, at birth",
     "assumption: plasticity high early (sensitive period)"},
    {"memory_days_per_year", &ChildParams::memory_days_per_year, 60.0, 0.0, 3650.0, "days/year",
     "added to the fading time constant per year of age: plasticity slows but never stops",
     "assumption: 'never too late'"},
    {"prior_weight", &ChildParams::prior_weight, 2.0, 0.01, 1000.0, "experiences",
     "strength of the newborn's neutral expectations (0.5), in experiences",
     "assumption: a weak prior that the first days of experience override"},
    {"rupture_weight", &ChildParams::rupture_weight, 2.0, 0.0, 100.0, "experiences",
     "a rupture counts as this many failed comfort experiences",
     "assumption: ruptures are more salient than ordinary responses (model.md 11)"},
    {"repair_weight", &ChildParams::repair_weight, 2.0, 0.0, 100.0, "experiences",
     "a repair counts as this many comfort experiences",
     "assumption: as salient as the rupture it mends (model.md 11)"},
    {"unrepaired_weight", &ChildParams::unrepaired_weight, 2.0, 0.0, 100.0, "experiences",
     "an unrepaired rupture counts, at bedtime, as this many failed availability experiences",
     "assumption: as salient as the rupture itself (model.md 11)"},
    {"rupture_distress_factor", &ChildParams::rupture_distress_factor, 3.0, 0.0, 100.0, "factor",
     "ruptures are this many times likelier while the child is distressed",
     "assumption: patience runs out more easily while a child cries"},
    {"rupture_cooldown", &ChildParams::rupture_cooldown, 20.0, 0.0, 1440.0, "minutes",
     "after a rupture the caregiver does not respond to bids for this long",
     "assumption: a caregiver who has just lost patience needs a while"},
    {"felt_security_days", &ChildParams::felt_security_days, 7.0, 0.01, 3650.0, "days",
     "time constant (awake time) of felt security",
     "assumption: a felt state that follows about a week of experience"},
    {"away_security_factor", &ChildParams::away_security_factor, 0.8, 0.0, 1.0, "factor",
     "felt security while calm with the caregiver away, relative to trust",
     "assumption: calm with the caregiver away is less secure than at home"},
    {"explore_max_newborn", &ChildParams::explore_max_newborn, 0.05, 0.0, 0.99, "share",
     "largest share of calm waking time a newborn spends exploring",
     "assumption: newborns barely explore (not yet mobile)"},
    {"explore_max_older", &ChildParams::explore_max_older, 0.6, 0.0, 0.99, "share",
     "largest share of calm waking time spent exploring once mobile",
     "assumption: secure base (Ainsworth et al. 1978)"},
    {"explore_bout_minutes", &ChildParams::explore_bout_minutes, 8.0, 0.1, 600.0, "minutes",
     "mean length of one exploration bout before checking in", "assumption"},
    {"substitute_responsiveness", &ChildParams::substitute_responsiveness, 0.6, 0.0, 1.0,
     "probability", "probability that the substitute carer responds while the caregiver is away",
     "assumption: substitute care of ordinary quality"},
    {"distraction_minutes", &ChildParams::distraction_minutes, 10.0, 0.1, 600.0, "minutes",
     "mean length of a distracted spell", "assumption: a distracted spell lasts about ten minutes"},
}};

inline constexpr ChildParams default_child_params() {
  ChildParams p{};
  for (const auto& spec : kChildParams) p.*spec.field = spec.value;
  return p;
}

}  // namespace attachsim::models
