// Caregiver parameters: what a caregiver does, drawn per dyad from the arm's population.
//
// Every parameter in one place: key, unit, default, valid range, meaning and source. A scenario
// gives each a population distribution (mean, sd) from which every caregiver is drawn (Beta for
// probabilities and shares, log-normal for positive quantities; sd = 0 gives every caregiver the
// mean). docs/model.md explains each; its tables are generated from this registry.
//
// The child never sees these values, and assessment code (models/assessment/) must not include
// this header: outcomes come from what the child experiences, never from caregiver parameters.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace attachsim::models {

// One caregiver as drawn. Plain data, copied into the dyad's state.
struct CaregiverParams {
  double responsiveness;          // P(respond | a bid is noticed)
  double presence;                // share of the child's weekday waking hours at home
  double attention;               // share of time at home spent attending (not distracted)
  double consistency;             // 1 = same responsiveness every day; 0 = large day-to-day swings
  double rebuff;                  // P(a response to a comfort bid is a rebuff)
  double rupture_rate;            // ruptures per hour awake together (calm child)
  double repair_probability;      // P(a rupture is repaired)
  double repair_delay;            // minutes, mean delay from rupture to repair
  double response_latency;        // minutes, mean delay from deciding to respond to arriving
  double frightening;             // P(a response or rupture is frightening: threat, dissociation)
  double warmth;                  // P(a check-in is met with warm acknowledgement or delight)
  double support;                 // share: help and breaks from others; speeds stress recovery
  double stress_load;             // stress per hour of sole care of an awake child
  double stress_recovery;         // hours: time constant of recovery from stress, without support
  double burnout;                 // share of responsiveness lost at very high stress
  double life_event_rate;         // life events (job loss, illness, new sibling, move) per year
  double life_event_stress;       // stress added by one life event
  double life_event_days;         // days: time constant with which a life event's stress fades
  double history;                 // insecurity of the caregiver's own attachment representation
  double reflection;              // 1/year: rate at which intentional change softens `history`
  double history_responsiveness;  // share of responsiveness lost at history 1
  double history_rebuff;          // share of the gap to always-rebuffing closed when dismissing
  double history_insecure;        // history above which the caregiver's state of mind is insecure
  double dismissing;              // above 0.5: an insecure state of mind is dismissing
  double history_consistency;     // share of consistency lost at history 1
  double history_frightening;     // frightening probability added at history 1
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

inline constexpr std::size_t kNumCaregiverParams = 26;

inline constexpr std::array<CaregiverParamSpec, kNumCaregiverParams> kCaregiverParams = {{
    {"responsiveness", &CaregiverParams::responsiveness, Family::kBeta, 0.86, 0.21, 0.0, 1.0,
     "probability", "probability of responding to a distress bid the caregiver notices",
     "calibrated (docs/calibration.md): mean and sd fitted, with the sensitivity-security r's and "
     "the observer's check; the sd spans much of Ainsworth's scale, as in community samples "
     "(Ainsworth et al. 1978)"},
    {"presence", &CaregiverParams::presence, Family::kBeta, 0.75, 0.2, 0.0, 1.0, "share",
     "share of the child's weekday waking hours the caregiver is at home (weekends: all)",
     "assumption: mix of full-time, part-time and at-home caregivers"},
    {"attention", &CaregiverParams::attention, Family::kBeta, 0.8, 0.1, 0.0, 1.0, "share",
     "share of time at home the caregiver is attending rather than distracted (phone, chores)",
     "assumption: at home most but not all time is attentive (phone, chores, siblings)"},
    {"consistency", &CaregiverParams::consistency, Family::kBeta, 0.7, 0.15, 0.0, 1.0, "index",
     "day-to-day stability of responsiveness and attention: 1 = identical every day, 0 = swings "
     "of 2 logits",
     "assumption: most caregivers' good and bad days differ moderately (Ainsworth et al. 1978 "
     "describe inconsistency as a minority pattern)"},
    {"rebuff", &CaregiverParams::rebuff, Family::kBeta, 0.06, 0.08, 0.0, 1.0, "probability",
     "probability that a response to a comfort bid is a rebuff rather than comfort",
     "assumption: outside dismissing caregivers rebuffs are a small minority of responses; the "
     "value is the earlier calibration's (docs/calibration.md), kept when dismissing caregivers "
     "took over the rebuffs that teach avoidance"},
    {"rupture_rate", &CaregiverParams::rupture_rate, Family::kLogNormal, 0.03, 0.03, 0.0, 5.0,
     "1/hour",
     "ruptures (losing patience, yelling, harsh rebuff) per hour awake together while the child "
     "is calm; multiplied by child.rupture_distress_factor while the child is distressed",
     "assumption: a rupture every few days of shared waking time, more when the child cries or "
     "the caregiver is stressed; under the 12-point limit of docs/calibration.md, Robustness"},
    {"repair_probability", &CaregiverParams::repair_probability, Family::kBeta, 0.6, 0.2, 0.0, 1.0,
     "probability", "probability that the caregiver repairs a rupture",
     "assumption: most ruptures repaired in good-enough care (model.md 16)"},
    {"repair_delay", &CaregiverParams::repair_delay, Family::kLogNormal, 30.0, 20.0, 0.1, 1440.0,
     "minutes", "mean delay from a rupture to its repair",
     "assumption: repair later the same day, typically within half an hour"},
    {"response_latency", &CaregiverParams::response_latency, Family::kLogNormal, 1.5, 0.8, 0.05,
     120.0, "minutes", "mean time from deciding to respond to reaching the child",
     "assumption: a caregiver at home reaches the child in a minute or two"},
    {"frightening", &CaregiverParams::frightening, Family::kBeta, 0.042, 0.12, 0.0, 1.0,
     "probability",
     "probability that a response to the child, or a rupture, comes with frightening behaviour "
     "(threatening, looming, dissociated): the caregiver becomes a source of fear as well as of "
     "comfort",
     "calibrated (docs/calibration.md): mean fitted; sd chosen so that it is concentrated in a "
     "minority of caregivers (Main & Hesse 1990)"},
    {"warmth", &CaregiverParams::warmth, Family::kBeta, 0.6, 0.15, 0.0, 1.0, "probability",
     "probability that a child's check-in while exploring is met with warm acknowledgement or "
     "delight (otherwise neutral)",
     "assumption: delight is frequent but not constant in ordinary care"},
    {"support", &CaregiverParams::support, Family::kBeta, 0.5, 0.2, 0.0, 1.0, "share",
     "help and breaks from a partner, family or friends: stress builds (1 - support / 2) times "
     "as fast and recovers (1 + 2 x support) times faster",
     "assumption: social support buffers parenting stress (Crnic & Low 2002)"},
    {"stress_load", &CaregiverParams::stress_load, Family::kLogNormal, 0.1, 0.0, 0.0, 10.0,
     "1/hour",
     "stress accumulated per hour of caring for the awake child (three times as fast while the "
     "child is distressed); each escalated bid adds half an hour's worth",
     "assumption: a full day of sole care without breaks raises stress to about 1"},
    {"stress_recovery", &CaregiverParams::stress_recovery, Family::kLogNormal, 8.0, 0.0, 0.1,
     1000.0, "hours",
     "time constant of recovery from stress while not caring (child asleep, caregiver away), "
     "without support",
     "assumption: a night's rest recovers most of a day's stress"},
    {"burnout", &CaregiverParams::burnout, Family::kBeta, 0.7, 0.0, 0.0, 1.0, "share",
     "responsiveness is multiplied by 1 - burnout x stress / (1 + stress); the rupture rate by "
     "1 + 2 x stress",
     "assumption: parenting stress lowers sensitivity (Crnic & Low 2002)"},
    {"life_event_rate", &CaregiverParams::life_event_rate, Family::kLogNormal, 0.5, 0.3, 0.0, 50.0,
     "1/year", "rate of life events (job loss, illness, a new sibling, a move)",
     "assumption: a stressful event every two years on average"},
    {"life_event_stress", &CaregiverParams::life_event_stress, Family::kLogNormal, 1.5, 0.5, 0.0,
     100.0, "stress",
     "stress added by one life event, on top of daily stress, fading over life_event_days",
     "assumption: as much as a long day of sole care, for weeks"},
    {"life_event_days", &CaregiverParams::life_event_days, Family::kLogNormal, 30.0, 10.0, 0.1,
     3650.0, "days", "time constant with which a life event's stress fades",
     "assumption: events perturb caregiving for about a month"},
    {"history", &CaregiverParams::history, Family::kBeta, 0.3, 0.2, 0.0, 1.0, "index",
     "insecurity of the caregiver's own attachment representation (0 autonomous, 1 insecure): "
     "lowers responsiveness and consistency, raises frightening behaviour and, in a dismissing "
     "caregiver, rebuffs",
     "van IJzendoorn 1995: parents' representations predict infant attachment"},
    {"reflection", &CaregiverParams::reflection, Family::kLogNormal, 0.0, 0.0, 0.0, 10.0, "1/year",
     "intentional change (reflection, therapy): history softens as exp(-reflection x years)",
     "assumption; the article: 'being aware of your own history is the first, giant step'"},
    {"history_responsiveness", &CaregiverParams::history_responsiveness, Family::kBeta, 0.64, 0.0,
     0.0, 1.0, "share", "share of responsiveness lost at history 1 (proportional below)",
     "calibrated (docs/calibration.md): fitted with the AAI-sensitivity effect, d = .72 (van "
     "IJzendoorn 1995)"},
    {"history_rebuff", &CaregiverParams::history_rebuff, Family::kBeta, 0.5, 0.0, 0.0, 1.0, "share",
     "share of the gap between rebuff and 1 closed in a dismissing caregiver (insecure, history "
     "above history_insecure, and dismissing above 0.5); no change in any other",
     "calibrated (docs/calibration.md): fitted with the AAI-Strange Situation correspondence, 75% "
     "(van IJzendoorn 1995); dismissing parents rebuff bids for comfort (Main 1981)"},
    {"history_insecure", &CaregiverParams::history_insecure, Family::kBeta, 0.314, 0.0, 0.0, 1.0,
     "index", "history above which a caregiver's state of mind counts as insecure",
     "cited: the community's history (mean 0.3, sd 0.2) puts 42% of caregivers above 0.314, the "
     "insecure share among non-clinical mothers (58% secure; Bakermans-Kranenburg & van IJzendoorn "
     "2009), as the AAI figures of docs/calibration.md count them"},
    {"dismissing", &CaregiverParams::dismissing, Family::kBeta, 0.55, 0.45, 0.0, 1.0, "index",
     "which way an insecure state of mind leans: above 0.5 dismissing (rebuffs bids for comfort, "
     "history_rebuff), otherwise preoccupied",
     "cited: 55% of caregivers above 0.5 (the sd makes the Beta U-shaped, as the AAI codes one or "
     "the other): dismissing 23% of the 42% insecure non-clinical mothers (Bakermans-Kranenburg & "
     "van IJzendoorn 2009, three-way distribution); rejection of contact is a pattern of some "
     "mothers, stable over the first year (Main & Stadtman 1981)"},
    {"history_consistency", &CaregiverParams::history_consistency, Family::kBeta, 0.5, 0.0, 0.0,
     1.0, "share", "share of consistency lost at history 1 (proportional below)",
     "assumption: preoccupied parents are inconsistently available (Cassidy & Berlin 1994)"},
    {"history_frightening", &CaregiverParams::history_frightening, Family::kBeta, 0.1, 0.0, 0.0,
     1.0, "probability", "frightening probability added at history 1 (times history squared)",
     "assumption: unresolved loss or trauma and frightening behaviour (Main & Hesse 1990)"},
}};

}  // namespace attachsim::models
