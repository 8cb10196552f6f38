#include "model/workforce_model.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace careforce::model {

uint32_t Dictionary::intern(std::string_view value) {
  auto [it, inserted] = index_.try_emplace(std::string(value), static_cast<uint32_t>(values_.size()));
  if (inserted) values_.emplace_back(value);
  return it->second;
}

uint32_t Dictionary::find(std::string_view value) const {
  auto it = index_.find(std::string(value));
  return it == index_.end() ? UINT32_MAX : it->second;
}

namespace {

template <typename T>
void apply_permutation(std::vector<T>& column, std::span<const uint32_t> order) {
  std::vector<T> out;
  out.reserve(column.size());
  for (uint32_t i : order) out.push_back(column[i]);
  column = std::move(out);
}

template <typename... Columns>
void permute_all(std::span<const uint32_t> order, Columns&... columns) {
  (apply_permutation(columns, order), ...);
}

}  // namespace

void StaffInPost::reserve(size_t n) {
  month.reserve(n), org.reserve(n), person.reserve(n), assignment.reserve(n);
  staff_group.reserve(n), role.reserve(n), band.reserve(n), contract_type.reserve(n);
  fte.reserve(n), org_start_date.reserve(n), birth_year.reserve(n), sex.reserve(n);
  ethnic_group.reserve(n), disability.reserve(n), nationality_group.reserve(n);
  recruitment_source.reserve(n), origin.reserve(n);
}

void StaffInPost::append(const Row& r) {
  month.push_back(r.month), org.push_back(r.org), person.push_back(r.person);
  assignment.push_back(r.assignment), staff_group.push_back(r.staff_group);
  role.push_back(r.role), band.push_back(r.band), contract_type.push_back(r.contract_type);
  fte.push_back(r.fte), org_start_date.push_back(r.org_start_date);
  birth_year.push_back(r.birth_year), sex.push_back(r.sex);
  ethnic_group.push_back(r.ethnic_group), disability.push_back(r.disability);
  nationality_group.push_back(r.nationality_group);
  recruitment_source.push_back(r.recruitment_source), origin.push_back(r.origin);
}

StaffInPost::Row StaffInPost::row(size_t i) const {
  return {month[i],        org[i],          person[i],          assignment[i],
          staff_group[i],  role[i],         band[i],            contract_type[i],
          fte[i],          org_start_date[i], birth_year[i],    sex[i],
          ethnic_group[i], disability[i],   nationality_group[i], recruitment_source[i],
          origin[i]};
}

void StaffInPost::permute(std::span<const uint32_t> order) {
  permute_all(order, month, org, person, assignment, staff_group, role, band, contract_type, fte,
              org_start_date, birth_year, sex, ethnic_group, disability, nationality_group,
              recruitment_source, origin);
}

void Leavers::append(const Row& r) {
  org.push_back(r.org), person.push_back(r.person), assignment.push_back(r.assignment);
  leave_date.push_back(r.leave_date), reason.push_back(r.reason);
  destination.push_back(r.destination), origin.push_back(r.origin);
}

Leavers::Row Leavers::row(size_t i) const {
  return {org[i], person[i], assignment[i], leave_date[i], reason[i], destination[i], origin[i]};
}

void Leavers::permute(std::span<const uint32_t> order) {
  permute_all(order, org, person, assignment, leave_date, reason, destination, origin);
}

void Absence::append(const Row& r) {
  org.push_back(r.org), person.push_back(r.person), assignment.push_back(r.assignment);
  start_date.push_back(r.start_date), end_date.push_back(r.end_date), reason.push_back(r.reason);
  origin.push_back(r.origin);
}

Absence::Row Absence::row(size_t i) const {
  return {org[i], person[i], assignment[i], start_date[i], end_date[i], reason[i], origin[i]};
}

void Absence::permute(std::span<const uint32_t> order) {
  permute_all(order, org, person, assignment, start_date, end_date, reason, origin);
}

uint16_t WorkforceModel::add_organisation(Organisation org) {
  if (organisations.size() >= UINT16_MAX) throw std::length_error("too many organisations");
  const auto index = static_cast<uint16_t>(organisations.size());
  if (!org_index_.emplace(org.code, index).second)
    throw std::invalid_argument("duplicate organisation " + org.code);
  organisations.push_back(std::move(org));
  return index;
}

int WorkforceModel::find_organisation(std::string_view code) const {
  auto it = org_index_.find(std::string(code));
  return it == org_index_.end() ? -1 : it->second;
}

void WorkforceModel::finalize() {
  auto& sip = staff_in_post;
  std::vector<uint32_t> order(sip.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return std::tie(sip.month[a].index, sip.org[a], sip.person[a], sip.assignment[a]) <
           std::tie(sip.month[b].index, sip.org[b], sip.person[b], sip.assignment[b]);
  });
  if (!std::is_sorted(order.begin(), order.end())) sip.permute(order);

  order.resize(leavers.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return leavers.leave_date[a] < leavers.leave_date[b]; });
  leavers.permute(order);

  order.resize(absence.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return absence.start_date[a] < absence.start_date[b];
  });
  absence.permute(order);

  sip_rows_by_month_.clear();
  std::vector<Month> months;
  for (size_t i = 0; i < sip.size();) {
    size_t j = i;
    while (j < sip.size() && sip.month[j] == sip.month[i]) ++j;
    sip_rows_by_month_[sip.month[i].index] = {i, j};
    months.push_back(sip.month[i]);
    i = j;
  }
  for (const auto& row : aggregate_returns) months.push_back(row.month);
  std::sort(months.begin(), months.end());
  months.erase(std::unique(months.begin(), months.end()), months.end());
  snapshot_months_ = std::move(months);

  for (auto& org : organisations) org.files = 0;
  auto mark = [&](uint16_t org, FileKind kind) {
    organisations.at(org).files |= 1u << static_cast<unsigned>(kind);
  };
  for (auto& org : organisations) org.files |= 1u << static_cast<unsigned>(FileKind::organisations);
  for (uint16_t o : sip.org) mark(o, FileKind::staff_in_post);
  for (uint16_t o : leavers.org) mark(o, FileKind::leavers);
  for (uint16_t o : absence.org) mark(o, FileKind::absence);
  for (const auto& r : establishment) mark(r.org, FileKind::establishment);
  for (const auto& r : shifts) mark(r.org, FileKind::temporary_staffing);
  for (const auto& r : pay_costs) mark(r.org, FileKind::pay_costs);
  for (const auto& r : aggregate_returns) mark(r.org, FileKind::aggregate_returns);
}

std::pair<size_t, size_t> WorkforceModel::staff_in_post_rows(Month month) const {
  auto it = sip_rows_by_month_.find(month.index);
  return it == sip_rows_by_month_.end() ? std::pair<size_t, size_t>{0, 0} : it->second;
}

Month WorkforceModel::latest_month() const {
  return snapshot_months_.empty() ? Month{} : snapshot_months_.back();
}

}  // namespace careforce::model
