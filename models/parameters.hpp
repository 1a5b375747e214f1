// The whole parameter registry: caregiver parameters (drawn per dyad) and child parameters.
#pragma once

#include "models/caregiver_params.hpp"
#include "models/child_params.hpp"
