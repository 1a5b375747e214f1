// The whole parameter registry: caregiver parameters (drawn per dyad) and child parameters.
#pragma once

#include "models/caregiver_params.hpp"
#include "models/child_params.hpp"

namespace attachsim::models {

// Every field of a parameter struct has exactly one registry row: as many rows as the struct has
// (double) fields, and no field twice.
template <class Params, class Spec, std::size_t N>
consteval bool each_field_once(const std::array<Spec, N>& rows) {
  if (sizeof(Params) != N * sizeof(double)) return false;
  for (std::size_t i = 0; i < N; ++i) {
    for (std::size_t j = i + 1; j < N; ++j) {
      if (rows[i].field == rows[j].field) return false;
    }
  }
  return true;
}
static_assert(each_field_once<CaregiverParams>(kCaregiverParams),
              "every CaregiverParams field needs exactly one row in kCaregiverParams");
static_assert(each_field_once<ChildParams>(kChildParams),
              "every ChildParams field needs exactly one row in kChildParams");

}  // namespace attachsim::models
