// Simulation time: continuous, in minutes since the start of a dyad's simulation.
#pragma once

namespace attachsim::sim {

inline constexpr double kMinutesPerHour = 60.0;
inline constexpr double kMinutesPerDay = 1440.0;
inline constexpr double kDaysPerMonth = 365.25 / 12.0;  // mean Gregorian month

constexpr double months_to_days(double months) { return months * kDaysPerMonth; }
constexpr double days_to_months(double days) { return days / kDaysPerMonth; }

}  // namespace attachsim::sim
