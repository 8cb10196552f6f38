#include "projection/parameters.hpp"

#include <algorithm>

namespace careforce::projection {

const char* age_band_label(int band) {
  static const char* const labels[kAgeBands] = {"<20",   "20-24", "25-29", "30-34",
                                                "35-39", "40-44", "45-49", "50-54",
                                                "55-59", "60-64", "65-69", "70+"};
  return labels[std::clamp(band, 0, kAgeBands - 1)];
}

int age_band_of(int age) {
  if (age < 20) return 0;
  return std::min(kAgeBands - 1, (age - 15) / 5);
}

const char* joiner_source_name(JoinerSource source) {
  switch (source) {
    case JoinerSource::newly_qualified:
      return "newly_qualified";
    case JoinerSource::international:
      return "international";
    case JoinerSource::return_to_practice:
      return "return_to_practice";
    case JoinerSource::apprenticeship:
      return "apprenticeship";
    case JoinerSource::other:
      return "other";
  }
  return "other";
}

JoinerSource joiner_source_of(RecruitmentSource source) {
  switch (source) {
    case RecruitmentSource::newly_qualified:
      return JoinerSource::newly_qualified;
    case RecruitmentSource::international:
      return JoinerSource::international;
    case RecruitmentSource::return_to_practice:
      return JoinerSource::return_to_practice;
    case RecruitmentSource::apprenticeship:
      return JoinerSource::apprenticeship;
    default:
      return JoinerSource::other;
  }
}

const char* provenance_name(Provenance provenance) {
  switch (provenance) {
    case Provenance::observed:
      return "observed";
    case Provenance::default_value:
      return "default";
    case Provenance::user:
      return "user";
  }
  return "default";
}

int Calibration::find_line(uint16_t unit, uint8_t role) const {
  for (size_t i = 0; i < lines.size(); ++i)
    if (lines[i].unit == unit && lines[i].role == role) return static_cast<int>(i);
  return -1;
}

double Calibration::population_index(uint32_t place, Sector sector, int calendar_year) const {
  const auto& w = demand_weight[static_cast<size_t>(sector)];
  auto weighted_place = [&](size_t p, int year) {
    const auto& years = population[p];
    if (years.empty()) return 0.0;
    const int last = static_cast<int>(years.size()) - 1;
    const int i = std::clamp(year - population_first_year, 0, last);
    double sum = 0;
    for (size_t b = 0; b < 18; ++b) sum += years[static_cast<size_t>(i)][b] * w[b];
    return sum;
  };
  auto weighted = [&](int year) {
    if (place != kAllPlaces) return place < population.size() ? weighted_place(place, year) : 0.0;
    double sum = 0;
    for (size_t p = 0; p < population.size(); ++p) sum += weighted_place(p, year);
    return sum;
  };
  const double base = weighted(base_year.start_year);
  return base > 0 ? weighted(calendar_year) / base : 1.0;
}

}  // namespace careforce::projection
