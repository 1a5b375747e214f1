// Child parameters: the developing child and its learning, the same for every child of an arm.
//
// Every parameter in one place: key, unit, default, valid range, meaning and source
// (docs/model.md's tables are generated from this registry).
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace attachsim::models {

// Parameters of the developing child and of the child's learning. Same for every child of an arm.
struct ChildParams {
  double distress_rate_newborn;      // episodes per awake hour at birth
  double distress_rate_older;        // episodes per awake hour, asymptote
  double distress_decline_months;    // months: age at which the distress rate is halfway down
  double self_soothe_newborn;        // minutes, mean time to calm alone at birth
  double self_soothe_older;          // minutes, asymptote
  double development_months;         // months, time constant of self-soothing and waking hours
  double comfort_minutes;            // minutes, mean time to calm once comforted
  double bid_interval;               // minutes between unanswered bids
  double max_bids;                   // mean bids before giving up on an episode
  double calm_alone_weight;          // weight of an unanswered episode calmed alone, as a failure
  double availability_minutes;       // minutes: an answer's availability lesson falls with the wait
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
  double strategy_precision;         // 1/value units: how sharply the best strategy is preferred
  double innate_suppress;            // value units: starting values of the four strategies
  double innate_signal;
  double innate_escalate;
  double innate_approach;
  double effort_signal;             // value units: cost of signalling
  double effort_escalate;           // value units: cost of escalating
  double effort_approach;           // value units: cost of approaching
  double relief_minutes;            // minutes: time constant with which relief loses value
  double rebuff_cost;               // value units: how much a rebuff hurts
  double fear_cost;                 // value units: how much being frightened hurts
  double escalate_notice;           // P(an escalated bid breaks through a distracted spell)
  double escalate_pull;             // day-to-day sds: how far an escalated bid lifts responsiveness
  double approach_age_months;       // months: age from which the child can approach (mobility)
  double suppress_display_minutes;  // minutes: mean displayed distress when suppressing
  double arousal_persistence;       // factor: hidden arousal outlasts displayed distress alone
  double separation_protest;        // P(a departure starts distress) once protest has developed
  double separation_protest_months;  // months: age at which separation protest develops
  double stranger_wariness_months;   // months: age at which stranger wariness develops
  double separation_arousal;         // arousal per minute of separation in the Strange Situation
  double stranger_arousal;           // arousal at a stranger's entrance in the Strange Situation
  double hypervigilance;             // exploration lost per unit of escalation propensity
  double reactivity_sd;              // sd (log scale) of the children's reactivity (temperament)
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

inline constexpr std::size_t kNumChildParams = 51;

inline constexpr std::array<ChildParamSpec, kNumChildParams> kChildParams = {{
    {"distress_rate_newborn", &ChildParams::distress_rate_newborn, 2.8, 0.0, 10.0, "1/hour",
     "distress episodes (hunger, fatigue, fear, falls, frustration) per awake hour in the first "
     "weeks, before the fall around distress_decline_months",
     "calibrated (docs/calibration.md): fitted to fussing and crying over the first 6 weeks, "
     "117-133 min/day (Wolke et al. 2017)"},
    {"distress_rate_older", &ChildParams::distress_rate_older, 0.45, 0.0, 10.0, "1/hour",
     "distress episodes per awake hour once development has settled",
     "assumption: ~5 episodes in a 12-hour toddler day"},
    {"distress_decline_months", &ChildParams::distress_decline_months, 2.25, 0.1, 120.0, "months",
     "age at which the distress rate has fallen halfway from its early value to its older value "
     "(logistic, 0.5-month scale)",
     "calibrated (docs/calibration.md): fitted to fussing and crying by age, stable over the "
     "first 6 weeks and halved by 10-12 weeks (Wolke et al. 2017)"},
    {"self_soothe_newborn", &ChildParams::self_soothe_newborn, 25.0, 0.1, 600.0, "minutes",
     "mean time for a newborn to calm without help",
     "assumption: unanswered newborn crying lasts tens of minutes"},
    {"self_soothe_older", &ChildParams::self_soothe_older, 12.0, 0.1, 600.0, "minutes",
     "mean time to calm without help once development has settled",
     "assumption: older children calm alone faster than newborns"},
    {"development_months", &ChildParams::development_months, 1.3, 0.1, 120.0, "months",
     "time constant with which self-soothing, waking hours and exploration approach their "
     "older values",
     "calibrated (docs/calibration.md): fitted with the class targets to crying's fall from 6 to "
     "12 weeks (Wolke et al. 2017) before the distress rate had its own decline; kept, and under "
     "the 12-point limit (docs/calibration.md, Procedure: crying by age)"},
    {"comfort_minutes", &ChildParams::comfort_minutes, 3.0, 0.1, 120.0, "minutes",
     "mean time to calm once comforted (comfort works faster than self-soothing)",
     "assumption: safe haven (Bowlby 1969)"},
    {"bid_interval", &ChildParams::bid_interval, 3.0, 0.1, 120.0, "minutes",
     "minutes between unanswered bids (the child signals again, louder)",
     "assumption: a child calls again after a few minutes"},
    {"max_bids", &ChildParams::max_bids, 7.0, 1.0, 20.0, "count",
     "mean number of bids a child makes in one episode before giving up on the caregiver (a "
     "fractional part is the chance of one more bid)",
     "Giesbrecht et al. 2020: infants left to cry it out cried about 18-25 minutes before their "
     "parents responded, about 7 bids bid_interval apart (docs/calibration.md, Robustness)"},
    {"calm_alone_weight", &ChildParams::calm_alone_weight, 1.0, 0.0, 1.0, "weight",
     "weight with which an episode the child calmed alone before any of its bids was answered "
     "counts as its figure not answering (0: it teaches nothing; 1: as much as giving up)",
     "assumption: as much as giving up; Bell & Ainsworth (1972) counted an episode the mother "
     "did not respond to as ignored however it ended (docs/calibration.md, Robustness)"},
    {"availability_minutes", &ChildParams::availability_minutes, 20.0, 0.0, 600.0, "minutes",
     "an answer after waiting w minutes from the episode's onset teaches availability "
     "exp(-w / availability_minutes) instead of 1 (0: any answer before giving up counts fully)",
     "assumption: about the time the child keeps calling (max_bids x bid_interval); Bell & "
     "Ainsworth (1972) found promptness, not only whether the mother responded, shaped crying"},
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
     "assumption: ruptures are more salient than ordinary responses (model.md 16)"},
    {"repair_weight", &ChildParams::repair_weight, 2.0, 0.0, 100.0, "experiences",
     "a repair counts as this many comfort experiences",
     "assumption: as salient as the rupture it mends (model.md 16)"},
    {"unrepaired_weight", &ChildParams::unrepaired_weight, 2.0, 0.0, 100.0, "experiences",
     "an unrepaired rupture counts, at bedtime, as this many failed availability experiences",
     "assumption: as salient as the rupture itself (model.md 16)"},
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
    {"strategy_precision", &ChildParams::strategy_precision, 12.0, 0.0, 100.0, "1/value",
     "inverse temperature of the choice between strategies (softmax): 0 = random",
     "assumption: the best strategy clearly preferred, others still tried"},
    {"innate_suppress", &ChildParams::innate_suppress, 0.0, -10.0, 10.0, "value",
     "starting value of suppressing signals (before any experience)",
     "assumption: newborns do not suppress distress"},
    {"innate_signal", &ChildParams::innate_signal, 0.3, -10.0, 10.0, "value",
     "starting value of signalling", "assumption: crying is the newborn's innate signal"},
    {"innate_escalate", &ChildParams::innate_escalate, 0.1, -10.0, 10.0, "value",
     "starting value of escalating", "assumption"},
    {"innate_approach", &ChildParams::innate_approach, 0.3, -10.0, 10.0, "value",
     "starting value of approaching (available once mobile)", "assumption"},
    {"effort_signal", &ChildParams::effort_signal, 0.05, 0.0, 10.0, "value",
     "cost of signalling (crying, calling)", "assumption: cheap"},
    {"effort_escalate", &ChildParams::effort_escalate, 0.25, 0.0, 10.0, "value",
     "cost of escalating (intense, persistent crying and clinging)",
     "calibrated (docs/calibration.md): set by hand against the class targets and the C "
     "mechanism checks; costly, so it pays only when ordinary signals fail"},
    {"effort_approach", &ChildParams::effort_approach, 0.1, 0.0, 10.0, "value",
     "cost of approaching the caregiver", "assumption"},
    {"relief_minutes", &ChildParams::relief_minutes, 5.0, 0.1, 600.0, "minutes",
     "comfort after waiting w minutes from onset is worth exp(-w / relief_minutes): prompt "
     "comfort relieves more",
     "assumption: promptness is central to sensitivity (Ainsworth et al. 1978)"},
    {"rebuff_cost", &ChildParams::rebuff_cost, 0.6, 0.0, 10.0, "value",
     "how much a rebuff of a comfort bid hurts (relief from comfort is 1)",
     "assumption: rejection hurts, a little more than half as much as prompt comfort relieves "
     "(no study measures it); since rebuffs come from dismissing caregivers the class shares "
     "barely depend on it, the sensitivity r's and the AAI d do, and 0.6 is the refit grid's best "
     "(docs/calibration.md, Robustness)"},
    {"fear_cost", &ChildParams::fear_cost, 1.5, 0.0, 10.0, "value",
     "how much being frightened by the caregiver hurts", "assumption: fear outweighs comfort"},
    {"escalate_notice", &ChildParams::escalate_notice, 0.7, 0.0, 1.0, "probability",
     "probability that an escalated bid is noticed by a distracted caregiver",
     "assumption: loud, persistent crying is hard to miss"},
    {"escalate_pull", &ChildParams::escalate_pull, 2.0, 0.0, 5.0, "day-to-day sd",
     "an escalated bid is answered with the caregiver's responsiveness on a good day -- this many "
     "of the caregiver's own day-to-day standard deviations above their mean -- when today is "
     "worse: intense signals move an inconsistent caregiver and cannot move a consistent one",
     "assumption: hyperactivation pays with inconsistently available caregivers (Cassidy & "
     "Berlin 1994); 2 sd: a very good day, bounded by the caregiver's own range"},
    {"approach_age_months", &ChildParams::approach_age_months, 9.0, 0.0, 72.0, "months",
     "age from which the child can approach the caregiver (crawling)",
     "assumption: crawling at about 7-10 months"},
    {"suppress_display_minutes", &ChildParams::suppress_display_minutes, 2.0, 0.1, 600.0, "minutes",
     "mean duration of displayed distress when the child suppresses its signals",
     "assumption: avoidant children look calm soon (Spangler & Grossmann 1993)"},
    {"arousal_persistence", &ChildParams::arousal_persistence, 2.0, 1.0, 100.0, "factor",
     "hidden arousal decays this many times slower than the self-soothing time when no one "
     "comforts the child",
     "assumption: physiological arousal outlasts behaviour (Sroufe & Waters 1977)"},
    {"separation_protest", &ChildParams::separation_protest, 0.3, 0.0, 1.0, "probability",
     "probability that a caregiver's departure starts a distress episode, once separation "
     "protest has developed",
     "assumption"},
    {"separation_protest_months", &ChildParams::separation_protest_months, 7.0, 0.0, 72.0, "months",
     "age at which separation protest develops (logistic ramp, 1 month wide)",
     "Bowlby 1969; brief section 2: from about 7 months"},
    {"stranger_wariness_months", &ChildParams::stranger_wariness_months, 8.0, 0.0, 72.0, "months",
     "age at which wariness of strangers develops (logistic ramp, 1 month wide)",
     "Sroufe 1977; brief section 2: from about 8 months"},
    {"separation_arousal", &ChildParams::separation_arousal, 0.05, 0.0, 100.0, "1/minute",
     "arousal added per minute of separation from the caregiver in the Strange Situation "
     "(doubled when left alone), once separation protest has developed",
     "calibrated (docs/calibration.md): fitted; most infants protest within the 3-minute "
     "separations (Ainsworth et al. 1978)"},
    {"stranger_arousal", &ChildParams::stranger_arousal, 0.4, 0.0, 100.0, "arousal",
     "arousal added by the stranger's entrance in the Strange Situation, once wary",
     "assumption: mild wariness (Ainsworth et al. 1978)"},
    {"hypervigilance", &ChildParams::hypervigilance, 0.5, 0.0, 1.0, "factor",
     "share of felt security and of exploration given up per unit of propensity to escalate "
     "(on alert, monitoring the caregiver instead of exploring)",
     "assumption: anxious children explore less (Cassidy 1994)"},
    {"reactivity_sd", &ChildParams::reactivity_sd, 0.3, 0.0, 2.0, "log sd",
     "children differ in reactivity (temperament): each child's arousal from a distress onset, a "
     "separation or a stranger is multiplied by a log-normal factor with mean 1 and this sd of "
     "its logarithm, drawn once per child",
     "assumption: infants differ in proneness to distress, which shapes distress in the Strange "
     "Situation more than security (Goldsmith & Alansky 1987; Vaughn et al. 1989)"},
}};

inline constexpr ChildParams default_child_params() {
  ChildParams p{};
  for (const auto& spec : kChildParams) p.*spec.field = spec.value;
  return p;
}

}  // namespace attachsim::models
