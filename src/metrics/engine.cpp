#include "metrics/engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <numeric>
#include <span>
#include <thread>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "metrics/registry.hpp"

namespace careforce::metrics {

const char* scope_type_name(ScopeType type) {
  switch (type) {
    case ScopeType::system:
      return "system";
    case ScopeType::place:
      return "place";
    case ScopeType::sector:
      return "sector";
    case ScopeType::org:
      return "org";
  }
  return "system";
}

std::string RollingTurnoverOptions::describe() const {
  std::string excluded;
  for (uint8_t r : excluded_reasons)
    excluded += (excluded.empty() ? "" : ",") + leaver_reasons().code(r);
  return fmt::format("basis={}; excluded={}", fte_basis ? "fte" : "headcount",
                     excluded.empty() ? "none" : excluded);
}

Status Query::validate() const {
  for (const auto& name : metrics)
    if (!find_metric(name)) {
      std::string known;
      for (const auto& d : metric_registry()) known += (known.empty() ? "" : ", ") + d.name;
      return make_error(ErrorCode::invalid_argument, fmt::format("unknown metric '{}'", name),
                        "known metrics: " + known);
    }
  for (uint8_t r : rolling.excluded_reasons)
    if (r >= leaver_reasons().size())
      return make_error(ErrorCode::invalid_argument, "excluded leaver reason out of range");
  return Status::ok();
}

namespace {

using model::WorkforceModel;

constexpr int kLevels = 4;  // system, place, sector, org
constexpr int kBandGroups = 6;
constexpr int kRepValues = 12;  // ethnic 6 + sex 3 + disability 3
constexpr int kAgeBands = 6;
const std::array<const char*, kBandGroups> kBandGroupNames{"1-4",          "5",      "6-7", "8A-8B",
                                                           "8C-9 and vsm", "medical"};
const std::array<const char*, kAgeBands> kAgeBandNames{"<25",   "25-34", "35-44",
                                                       "45-54", "55-64", "65+"};

/// Band group of a band code; -1 for none (non_afc).
int band_group(uint8_t band) {
  switch (static_cast<Band>(band)) {
    case Band::b1:
    case Band::b2:
    case Band::b3:
    case Band::b4:
      return 0;
    case Band::b5:
      return 1;
    case Band::b6:
    case Band::b7:
      return 2;
    case Band::b8a:
    case Band::b8b:
      return 3;
    case Band::b8c:
    case Band::b8d:
    case Band::b9:
    case Band::vsm:
      return 4;
    case Band::medical:
      return 5;
    case Band::non_afc:
      return -1;
  }
  return -1;
}

bool is_senior(uint8_t band) {
  const int g = band_group(band);
  return g == 3 || g == 4;
}

int age_band(int age) {
  if (age < 25) return 0;
  if (age >= 65) return 5;
  return (age - 15) / 10;  // 25-34 -> 1 ... 55-64 -> 4
}

/// A dense table over (scope, key, category).
/// It may hold only the scopes [lo, lo + scopes): those of the levels a query asks for.
struct Grid {
  size_t lo = 0, scopes = 0, keys = 0, cats = 1;
  std::vector<double> v;
  Grid() = default;
  Grid(size_t s, size_t k, size_t c = 1) : scopes(s), keys(k), cats(c), v(s * k * c, 0.0) {}
  /// Scopes [range.first, range.second).
  Grid(std::pair<size_t, size_t> range, size_t k, size_t c = 1)
      : lo(range.first),
        scopes(range.second - range.first),
        keys(k),
        cats(c),
        v(scopes * k * c, 0.0) {}
  double& at(size_t s, size_t k, size_t c = 0) { return v[((s - lo) * keys + k) * cats + c]; }
  double at(size_t s, size_t k, size_t c = 0) const { return v[((s - lo) * keys + k) * cats + c]; }
};

/// Organisations that contribute to a result: 0 no, 1 record-level, 2 aggregate.
using OrgSet = std::vector<uint8_t>;

/// The person-ordered index of one month's staff in post.
struct PersonIndex {
  std::vector<uint32_t> persons;  ///< Distinct persons, ascending.
  std::vector<uint32_t> offsets;  ///< persons.size() + 1 offsets into rows.
  std::vector<uint32_t> rows;     ///< staff_in_post row indices grouped by person.
};

struct MonthGrid {
  Grid hc, fte;
};

/// One month's headcount and FTE by (organisation, key), for any choice of organisations
/// and scope levels. A person seen in several organisations that month is left out of `hc`
/// and kept in `multi` (their rows, grouped by person): a scope holding two of their
/// organisations counts them once.
struct OrgMonth {
  Grid hc, fte;
  std::vector<uint32_t> multi;
};

/// A person's membership of one scope at one level in one month: the set of keys (bit 0
/// = all staff, bit k = staff group or role k - 1) and their rows in the PersonIndex.
struct Entry {
  uint32_t person = 0;
  uint16_t scope = 0;
  uint64_t mask = 0;
  uint32_t first = 0, count = 0;
  uint64_t order() const { return uint64_t{person} << 16 | scope; }
};

/// Entries stored in two arrays: what a window's merge reads (order and mask) apart from
/// the rest, so the merge streams half the memory.
class EntryList {
 public:
  struct Key {
    uint64_t order, mask;
  };
  size_t size() const { return keys_.size(); }
  void reserve(size_t n) {
    keys_.reserve(n);
    details_.reserve(n);
  }
  [[gnu::always_inline]] void push_back(const Entry& e) {
    keys_.push_back({e.order(), e.mask});
    details_.push_back({e.first, e.count});
  }
  const Key& key(size_t i) const { return keys_[i]; }
  Entry operator[](size_t i) const {
    const Key& k = keys_[i];
    const Detail& d = details_[i];
    return {static_cast<uint32_t>(k.order >> 16), static_cast<uint16_t>(k.order & 0xFFFF), k.mask,
            d.first, d.count};
  }

 private:
  struct Detail {
    uint32_t first, count;
  };
  std::vector<Key> keys_;
  std::vector<Detail> details_;
};

/// One month at one scope level: entries sorted by (person, scope), distinct headcount
/// and FTE by (scope, key). Entries may be dropped from the cache to save memory.
struct LevelMonth {
  std::shared_ptr<const EntryList> entries;
  Grid hc, fte;
};

/// The grids of one window's merge (Computation::merge_window).
struct WindowGrids {
  Grid sip_s_hc, sip_e_hc, sip_s_fte, sip_e_fte, leavers, leaver_fte, joiners, joiner_src,
      retained_leavers;
};

/// (S, levels, breakdown, organisations, joiners wanted, retention wanted, organisations
/// counted: empty = all).
using WindowKey = std::tuple<int32_t, int, int, OrgSet, bool, bool, OrgSet>;

/// A person's keys in each scope of one level: (scope, bit set of keys; bit 0 = any).
using ScopeBits = std::vector<std::pair<uint16_t, uint64_t>>;

/// Add `bits` to scope `sc`'s entry of `local` (a person has rows in a few scopes at most).
inline void add_scope_bits(ScopeBits& local, uint16_t sc, uint64_t bits) {
  auto found =
      std::find_if(local.begin(), local.end(), [&](const auto& q) { return q.first == sc; });
  if (found == local.end()) {
    local.push_back({sc, bits});
  } else {
    found->second |= bits;
  }
}

/// A person's one row at a month, as a signature: organisation, staff group and role.
/// 0 = no row; kMultiRow = several rows.
constexpr uint32_t kMultiRow = UINT32_MAX;
uint32_t row_signature(uint16_t org, uint8_t group, uint8_t role) {
  return (uint32_t{org} + 1) << 16 | uint32_t{group} << 8 | role;
}
uint16_t signature_org(uint32_t sig) {
  return static_cast<uint16_t>((sig >> 16) - 1);
}
uint8_t signature_group(uint32_t sig) {
  return static_cast<uint8_t>(sig >> 8);
}
uint8_t signature_role(uint32_t sig) {
  return static_cast<uint8_t>(sig);
}

/// One snapshot month, person by person. Two months' signatures compared person by person
/// find everyone whose rows changed between them (a window's leavers and joiners) without
/// a merge.
struct MonthIndex {
  PersonIndex persons;
  /// By person id: 0, kMultiRow or the row_signature of their one row.
  std::vector<uint32_t> sig;
  /// By person id: the position of their one row in persons.rows, or their slot in
  /// `persons` when they have several.
  std::vector<uint32_t> at;
  /// By position in persons.rows: the row's signature, FTE and recruitment source (read
  /// in person order, without reaching into the staff-in-post columns).
  std::vector<uint32_t> row_sig;
  std::vector<double> fte;
  std::vector<uint8_t> source;
};

/// Staff group, role and FTE of the snapshot rows of leaver events or absence episodes, read
/// in order without reaching into the staff-in-post columns. group kNoRow: no snapshot row.
struct RowFacts {
  static constexpr uint8_t kNoRow = 0xFF;
  std::vector<uint8_t> group, role;
  std::vector<double> fte;
  void push_back(const model::StaffInPost& sip, uint32_t r) {
    group.push_back(r == UINT32_MAX ? kNoRow : sip.staff_group[r]);
    role.push_back(r == UINT32_MAX ? 0 : sip.role[r]);
    fte.push_back(r == UINT32_MAX ? 0.0 : sip.fte[r]);
  }
};

/// Absence episodes longer than kDays (or open), in row order, and the latest end day of
/// them up to each. A window's episodes are these and those starting at most kDays before
/// it.
struct LongEpisodes {
  static constexpr int32_t kDays = 31;
  std::vector<uint32_t> rows;
  std::vector<int32_t> max_end;
  bool built = false;
};

/// Leaver rows ordered by (organisation, person), in date order within, with their leave
/// day and, in a complete index, the facts of their snapshot rows and whether the person
/// has a row of another assignment in the organisation at the month end on or after the
/// leave date (if not, no other assignment goes on: the row is a leaver of the organisation).
struct LeaverOrder {
  std::vector<uint32_t> row;
  std::vector<int32_t> day;
  /// The person, reason and destination of each row, and the first position of each
  /// organisation (and the end).
  std::vector<uint32_t> person, org_first;
  std::vector<uint8_t> reason, destination;
  RowFacts facts;
  std::vector<uint8_t> others;
};

/// A person a window merge looks at: signatures at S and E and, with one row, its FTE at S
/// and recruitment source at E.
struct WindowPerson {
  uint32_t p, a, b;
  uint8_t source;
  double fte;
};

/// One establishment cell at a month and its vacancy.
struct Cell {
  uint64_t id;
  uint16_t org;
  uint8_t group, role;
  double funded, vacancy;
};

/// The 12-month counts of a month's aggregate returns summed by (organisation, key). Used
/// when every count is a whole number: then the order of the sums does not change them,
/// and adding these totals equals adding the rows one by one.
struct AggregateTurnover {
  struct Sums {
    uint16_t org = 0;
    uint16_t key = 0;
    bool turnover = false, intl = false;  ///< Whether rows with these counts were summed.
    double leavers = 0, headcount_12m_ago = 0, stayers = 0, headcount = 0, joiners = 0;
    double intl_recruits = 0, intl_joiners = 0;
  };
  std::vector<Sums> sums;
  /// Organisations whose rows hold the turnover counts, and the international recruits.
  std::vector<uint16_t> turnover_orgs, intl_orgs;
  /// The sums of the system, place and sector scopes by (scope, key), key 0 all staff:
  /// leavers, headcount_12m_ago, stayers, headcount and joiners of the sums with turnover
  /// counts, intl_recruits and intl_joiners of those with international recruits.
  static constexpr size_t kFields = 7;
  size_t keys = 0;
  std::vector<std::array<double, kFields>> wide;
};

bool contains(const std::string& list, std::string_view item) {
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t end = list.find(',', pos);
    if (end == std::string::npos) end = list.size();
    if (std::string_view(list).substr(pos, end - pos) == item) return true;
    pos = end + 1;
  }
  return false;
}

}  // namespace

/// Query-independent indexes. An engine keeps its own (filled as queries need them) and
/// may read a shared, complete one (ModelIndex) first.
struct ModelIndex::Data {
  std::map<int32_t, MonthIndex> months;
  /// (month, breakdown): headcount and FTE by organisation.
  std::map<std::pair<int32_t, int>, OrgMonth> org_months;
  /// (month, breakdown, organisations with rows that month): distinct headcount and FTE of
  /// every scope of every level, FTE summed in row order.
  std::map<std::tuple<int32_t, int, int, OrgSet>, MonthGrid> level_grids;
  /// The establishment cells of every organisation at a month, by id.
  std::map<int32_t, std::vector<Cell>> cells;
  /// Snapshot rows of leaver events and absence episodes by row (kUnknownRow: not found
  /// yet; UINT32_MAX: none). Empty: none found yet.
  std::vector<uint32_t> leaver_rows, absence_rows;
  LeaverOrder leaver_order;
  /// Absence rows' snapshot-row facts (a complete index only).
  RowFacts absence_facts;
  LongEpisodes long_episodes;
  /// (month, breakdown): the aggregate returns' 12-month counts.
  std::map<std::pair<int32_t, int>, AggregateTurnover> aggregate_turnover;

  size_t memory_bytes() const {
    size_t n = 0;
    for (const auto& [k, v] : months)
      n += (v.persons.persons.size() + v.persons.offsets.size() + v.persons.rows.size() +
            v.sig.size() + v.at.size() + v.row_sig.size()) *
               4 +
           v.fte.size() * 8 + v.source.size();
    for (const auto& [k, v] : org_months)
      n += (v.hc.v.size() + v.fte.v.size()) * 8 + v.multi.size() * 4;
    for (const auto& [k, v] : level_grids)
      n += (v.hc.v.size() + v.fte.v.size()) * 8 + std::get<3>(k).size();
    for (const auto& [k, v] : cells) n += v.size() * sizeof(Cell);
    for (const auto& [k, v] : aggregate_turnover)
      n += v.sums.size() * sizeof(AggregateTurnover::Sums) + v.wide.size() * sizeof(v.wide[0]);
    return n +
           (leaver_rows.size() + absence_rows.size() + leaver_order.row.size() * 3 +
            leaver_order.org_first.size() + leaver_order.reason.size() / 2 +
            long_episodes.rows.size() * 2) *
               4 +
           (leaver_order.facts.fte.size() + absence_facts.fte.size()) * 10 +
           leaver_order.others.size();
  }
};

struct MetricsEngine::Impl {
  const WorkforceModel& m;
  // Scopes: 0 = system, then places, sectors, organisations.
  std::vector<ScopeType> scope_type;
  std::vector<std::string> scope_name;
  std::array<std::vector<uint16_t>, kLevels> org_scope;
  std::vector<int> total_orgs;

  /// A shared, complete index of the model (read first), and what this engine built.
  std::shared_ptr<const ModelIndex> shared_owner;
  const ModelIndex::Data* shared = nullptr;
  mutable ModelIndex::Data local;
  mutable std::vector<uint32_t> scratch;
  mutable std::vector<uint16_t> seen_scratch;
  mutable std::map<std::tuple<int32_t, int, int, OrgSet>, MonthGrid> month_grid_cache;
  mutable std::map<std::tuple<int32_t, int, int, OrgSet>, LevelMonth> level_cache;
  mutable size_t cached_entries = 0;
  bool keep_caches = true;
  mutable std::map<WindowKey, WindowGrids> window_cache;
  /// Aggregate-return rows of aggregate-level organisations by month, in row order.
  std::map<int32_t, std::vector<uint32_t>> aggregate_by_month;
  /// Whether their 12-month counts (and headcounts) are all whole numbers (or blank).
  bool aggregate_counts_whole = true;
  /// Person-sized zeros: the signatures of a month without staff in post.
  mutable std::vector<uint32_t> no_signatures;
  /// The persons a window merge looks at.
  mutable std::vector<uint32_t> changed_scratch;

  /// Drop everything kept between queries (not the shared index).
  void clear_caches() const {
    local = {};
    month_grid_cache.clear();
    level_cache.clear();
    cached_entries = 0;
    window_cache.clear();
    window_cache_doubles = 0;
  }

  mutable size_t window_cache_doubles = 0;
  /// At most 64 MiB of window grids per engine (a 36-month demo drill-down takes ~22 MiB).
  static constexpr size_t kMaxWindowDoubles = size_t{8} << 20;

  const WindowGrids* find_window(const WindowKey& key) const {
    auto it = window_cache.find(key);
    return it == window_cache.end() ? nullptr : &it->second;
  }

  void keep_window(WindowKey key, WindowGrids grids) const {
    const size_t size = grids.sip_s_hc.v.size() * 8 + grids.joiner_src.v.size();
    if (window_cache_doubles + size > kMaxWindowDoubles) {
      window_cache.clear();
      window_cache_doubles = 0;
    }
    window_cache_doubles += size;
    window_cache.emplace(std::move(key), std::move(grids));
  }

  /// A snapshot row not looked for yet (ModelIndex::Data::leaver_rows, absence_rows).
  static constexpr uint32_t kUnknownRow = UINT32_MAX - 1;

  static constexpr size_t kMaxCachedEntries = 40'000'000;

  int32_t month_end_base = 0;
  std::vector<int32_t> month_end_days;  ///< Day number of each month end from the base.
  /// For each month from the base, the first staff-in-post row of each organisation (and
  /// the month's end row last).
  std::vector<std::vector<uint32_t>> org_rows;

  /// The day number of a month's last day (a table lookup for snapshot months).
  int32_t month_end(Month month) const {
    const auto i = static_cast<size_t>(month.index - month_end_base);
    return i < month_end_days.size() ? month_end_days[i] : month.end().days;
  }

  explicit Impl(const WorkforceModel& model, std::shared_ptr<const ModelIndex> index = nullptr)
      : m(model) {
    if (index && &index->model() == &model) {
      shared_owner = std::move(index);
      shared = &shared_owner->data();
    }
    for (size_t i = 0; i < m.aggregate_returns.size(); ++i) {
      const auto& r = m.aggregate_returns[i];
      if (m.organisations[r.org].level != DataLevel::aggregate) continue;
      aggregate_by_month[r.month.index].push_back(static_cast<uint32_t>(i));
      for (double v : {r.leavers_12m, r.headcount_12m_ago, r.stayers_12m, r.headcount,
                       r.international_recruits_12m})
        if (!std::isnan(v) && !(std::abs(v) < 0x1p40 && v == std::floor(v)))
          aggregate_counts_whole = false;
    }
    if (!m.snapshot_months().empty()) {
      month_end_base = m.snapshot_months().front().index;
      const auto& org = m.staff_in_post.org;
      for (Month x = m.snapshot_months().front(); x <= m.snapshot_months().back(); x = x + 1) {
        month_end_days.push_back(x.end().days);
        const auto [first, last] = m.staff_in_post_rows(x);
        auto& rows = org_rows.emplace_back();
        for (size_t o = 0; o <= m.organisations.size(); ++o)
          rows.push_back(static_cast<uint32_t>(
              std::lower_bound(org.begin() + static_cast<long>(first),
                               org.begin() + static_cast<long>(last), static_cast<uint16_t>(o)) -
              org.begin()));
      }
    }
    scope_type.push_back(ScopeType::system);
    scope_name.push_back("system");
    const size_t place_base = scope_type.size();
    for (const auto& p : m.places.values()) {
      scope_type.push_back(ScopeType::place);
      scope_name.push_back(p);
    }
    const size_t sector_base = scope_type.size();
    for (const auto& s : sectors().codes()) {
      scope_type.push_back(ScopeType::sector);
      scope_name.push_back(s);
    }
    const size_t org_base = scope_type.size();
    for (const auto& o : m.organisations) {
      scope_type.push_back(ScopeType::org);
      scope_name.push_back(o.code);
    }
    level_begin = {0, place_base, sector_base, org_base, scope_type.size()};
    total_orgs.assign(scope_type.size(), 0);
    for (size_t o = 0; o < m.organisations.size(); ++o) {
      const auto& org = m.organisations[o];
      org_scope[0].push_back(0);
      org_scope[1].push_back(static_cast<uint16_t>(place_base + org.place));
      org_scope[2].push_back(static_cast<uint16_t>(sector_base + static_cast<size_t>(org.sector)));
      org_scope[3].push_back(static_cast<uint16_t>(org_base + o));
      for (int l = 0; l < kLevels; ++l) ++total_orgs[org_scope[l][o]];
    }
  }

  size_t scopes() const { return scope_type.size(); }
  /// The first scope of each level (and the scope count last).
  std::array<size_t, kLevels + 1> level_begin{};
  /// The scopes of the levels in `levels` and any between: what a query's grids hold.
  std::pair<size_t, size_t> scope_range(int levels) const {
    if (levels == 0) return {0, 0};
    const int low = std::countr_zero(static_cast<unsigned>(levels));
    const int high = 31 - std::countl_zero(static_cast<unsigned>(levels));
    return {level_begin[static_cast<size_t>(low)], level_begin[static_cast<size_t>(high) + 1]};
  }
  static size_t key_count(Breakdown by) {
    return 1 + (by == Breakdown::role ? roles().size() : staff_groups().size());
  }
  static uint32_t key_of(Breakdown by, uint8_t group, uint8_t role) {
    return 1u + (by == Breakdown::role ? role : group);
  }

  /// One month's person index (a counting sort; `scratch` is zeroed on return), its rows'
  /// facts in person order and the signatures.
  MonthIndex build_month_index(Month month, std::vector<uint32_t>& scratch_) const {
    MonthIndex mi;
    auto& idx = mi.persons;
    const auto [first, last] = m.staff_in_post_rows(month);
    if (first == last) {  // nobody in post
      idx.offsets.push_back(0);
      return mi;
    }
    const auto& sip = m.staff_in_post;
    const auto& person = sip.person;
    scratch_.resize(m.persons.size() + 1, 0);
    for (size_t r = first; r < last; ++r) ++scratch_[person[r]];
    uint32_t cursor = 0;
    for (uint32_t p = 0; p < scratch_.size(); ++p) {
      if (scratch_[p] == 0) continue;
      idx.persons.push_back(p);
      idx.offsets.push_back(cursor);
      const uint32_t n = scratch_[p];
      scratch_[p] = cursor;
      cursor += n;
    }
    idx.offsets.push_back(cursor);
    idx.rows.resize(cursor);
    mi.row_sig.resize(cursor);
    mi.fte.resize(cursor);
    mi.source.resize(cursor);
    for (size_t r = first; r < last; ++r) {  // rows in order, each to its person's place
      const uint32_t x = scratch_[person[r]]++;
      idx.rows[x] = static_cast<uint32_t>(r);
      mi.row_sig[x] = row_signature(sip.org[r], sip.staff_group[r], sip.role[r]);
      mi.fte[x] = sip.fte[r];
      mi.source[x] = sip.recruitment_source[r];
    }
    for (uint32_t p : idx.persons) scratch_[p] = 0;
    if (idx.persons.empty()) return mi;
    mi.sig.assign(m.persons.size(), 0);
    mi.at.assign(m.persons.size(), 0);
    for (size_t i = 0; i < idx.persons.size(); ++i) {
      const uint32_t p = idx.persons[i];
      if (idx.offsets[i + 1] - idx.offsets[i] == 1) {
        mi.sig[p] = mi.row_sig[idx.offsets[i]];
        mi.at[p] = idx.offsets[i];
      } else {
        mi.sig[p] = kMultiRow;
        mi.at[p] = static_cast<uint32_t>(i);
      }
    }
    return mi;
  }

  const MonthIndex& month_index(Month month) const {
    if (shared) {
      auto it = shared->months.find(month.index);
      if (it != shared->months.end()) return it->second;
    }
    auto it = local.months.find(month.index);
    if (it != local.months.end()) return it->second;
    return local.months.emplace(month.index, build_month_index(month, scratch)).first->second;
  }

  const PersonIndex& person_index(Month month) const { return month_index(month).persons; }

  /// A month's signatures by person id (zeros when nobody is in post).
  const uint32_t* signatures(const MonthIndex& mi) const {
    if (!mi.sig.empty()) return mi.sig.data();
    if (no_signatures.size() != m.persons.size()) no_signatures.assign(m.persons.size(), 0);
    return no_signatures.data();
  }

  const OrgMonth* find_org_month(Month month, Breakdown by) const {
    const auto key = std::make_pair(month.index, static_cast<int>(by));
    if (shared) {
      auto it = shared->org_months.find(key);
      if (it != shared->org_months.end()) return &it->second;
    }
    auto it = local.org_months.find(key);
    return it != local.org_months.end() ? &it->second : nullptr;
  }

  /// Compute the organisation grids of several months on two threads and cache them.
  void prefetch_org_months(std::vector<Month> months, Breakdown by) const {
    std::erase_if(months, [&](Month month) { return find_org_month(month, by) != nullptr; });
    if (months.size() < 2 || m.staff_in_post.size() < 1'000'000) return;  // not worth a thread
    std::vector<OrgMonth> grids(months.size());
    auto work = [&](size_t start, std::vector<uint16_t>& seen) {
      for (size_t i = start; i < months.size(); i += 2)
        grids[i] = build_org_month(months[i], by, seen);
    };
    std::vector<uint16_t> helper_seen;
    std::thread helper(work, 1, std::ref(helper_seen));
    work(0, seen_scratch);
    helper.join();
    for (size_t i = 0; i < months.size(); ++i)
      local.org_months.emplace(std::make_pair(months[i].index, static_cast<int>(by)),
                               std::move(grids[i]));
  }

  /// Whether an organisation has staff in post rows at a month.
  bool has_rows(Month month, size_t org) const {
    const auto i = static_cast<size_t>(month.index - month_end_base);
    return i < org_rows.size() && org_rows[i][org] < org_rows[i][org + 1];
  }

  /// Those of `orgs` with staff in post rows at the month, as 0/1: what a month's grids
  /// over `orgs` depend on.
  OrgSet with_rows(Month month, const OrgSet& orgs) const {
    OrgSet out(orgs.size(), 0);
    for (size_t o = 0; o < orgs.size(); ++o) out[o] = orgs[o] && has_rows(month, o) ? 1 : 0;
    return out;
  }

  /// Distinct headcount and FTE of one month at every scope of `levels` over `orgs`:
  /// headcount rolled up from the organisation grid `om` if given, else person by person
  /// from the month's index (the same counts); FTE summed in row order.
  MonthGrid build_level_grid(Month month, Breakdown by, const OrgSet& orgs, int levels,
                             const MonthIndex& mi, const OrgMonth* om = nullptr) const {
    const size_t keys = key_count(by);
    MonthGrid g{Grid(scope_range(levels), keys), Grid(scope_range(levels), keys)};
    if (om) g.hc = roll_up(*om, by, levels, orgs).hc;
    const auto& idx = mi.persons;
    auto key = [&](uint32_t sig) { return key_of(by, signature_group(sig), signature_role(sig)); };
    ScopeBits local;
    // People with one row are counted by (scope, key) in whole numbers, their all-staff
    // count being the sum over keys; exact, so the order does not matter.
    std::vector<uint32_t> one_row(om ? 0 : g.hc.v.size(), 0);
    for (int l = 0; l < kLevels && !om; ++l) {
      if (!(levels & (1 << l))) continue;
      const auto& os = org_scope[static_cast<size_t>(l)];
      for (size_t i = 0; i < idx.persons.size(); ++i) {
        const uint32_t b = idx.offsets[i], e = idx.offsets[i + 1];
        if (e - b == 1) {
          const uint16_t o = signature_org(mi.row_sig[b]);
          if (!orgs[o]) continue;
          ++one_row[(os[o] - g.hc.lo) * keys + key(mi.row_sig[b])];
          continue;
        }
        local.clear();  // the person's keys in each scope
        for (uint32_t x = b; x < e; ++x) {
          const uint16_t o = signature_org(mi.row_sig[x]);
          if (!orgs[o]) continue;
          const uint64_t bits = 1ull | 1ull << key(mi.row_sig[x]);
          add_scope_bits(local, os[o], bits);
        }
        for (const auto& [sc, bits] : local)
          for (uint64_t bb = bits; bb; bb &= bb - 1)
            g.hc.at(sc, static_cast<size_t>(std::countr_zero(bb))) += 1;
      }
    }
    for (size_t x = 0; x < one_row.size(); ++x) {
      g.hc.v[x] += one_row[x];
      g.hc.v[x - x % keys] += one_row[x];
    }
    const auto& sip = m.staff_in_post;
    const auto [first, last] = m.staff_in_post_rows(month);
    if (g.fte.scopes == 1 && std::popcount(static_cast<unsigned>(levels)) == 1) {
      // One scope: its all-staff FTE is one sum, kept in a register (the same sum).
      double all = 0;
      for (size_t r = first; r < last; ++r) {
        if (!orgs[sip.org[r]]) continue;
        all += sip.fte[r];
        g.fte.v[key_of(by, sip.staff_group[r], sip.role[r])] += sip.fte[r];
      }
      g.fte.v[0] = all;
      return g;
    }
    for (size_t r = first; r < last; ++r) {
      const uint16_t o = sip.org[r];
      if (!orgs[o]) continue;
      const uint32_t k = key_of(by, sip.staff_group[r], sip.role[r]);
      for (int l = 0; l < kLevels; ++l) {
        if (!(levels & (1 << l))) continue;
        const uint16_t s = org_scope[static_cast<size_t>(l)][o];
        g.fte.at(s, 0) += sip.fte[r];
        g.fte.at(s, k) += sip.fte[r];
      }
    }
    return g;
  }

  /// The level grid of a month over `orgs` at (at least) `levels`: the index's, built for
  /// every level, or this engine's (see build_level_grid).
  const MonthGrid& level_grid(Month month, Breakdown by, int levels, const OrgSet& orgs) const {
    auto key = std::make_tuple(month.index, static_cast<int>(by), 0xF, with_rows(month, orgs));
    if (shared) {
      auto it = shared->level_grids.find(key);
      if (it != shared->level_grids.end()) return it->second;
    }
    std::get<2>(key) = levels;
    auto it = local.level_grids.find(key);
    if (it != local.level_grids.end()) return it->second;
    MonthGrid g = build_level_grid(month, by, std::get<3>(key), levels, month_index(month));
    return local.level_grids.emplace(std::move(key), std::move(g)).first->second;
  }

  /// The organisations whose grids a loaded model's index holds: those with record-level
  /// data (the organisations a query counts from staff in post).
  OrgSet record_orgs() const {
    OrgSet out(m.organisations.size(), 0);
    for (size_t o = 0; o < out.size(); ++o)
      out[o] = m.organisations[o].level == DataLevel::record ? 1 : 0;
    return out;
  }

  /// Organisations with staff in post rows at the month.
  std::vector<uint8_t> orgs_with_sip(Month month) const {
    std::vector<uint8_t> out(m.organisations.size(), 0);
    const auto [first, last] = m.staff_in_post_rows(month);
    const auto& org = m.staff_in_post.org;
    for (size_t r = first; r < last;) {
      out[org[r]] = 1;
      // Rows are sorted by org inside the month: jump to the next organisation.
      r = static_cast<size_t>(std::upper_bound(org.begin() + static_cast<long>(r),
                                               org.begin() + static_cast<long>(last), org[r]) -
                              org.begin());
    }
    return out;
  }

  /// Entries and grids of one month at one level over the organisations in `orgs`.
  const LevelMonth& level_month(Month month, int level, Breakdown by, const OrgSet& orgs,
                                bool need_entries) const {
    auto key = std::make_tuple(month.index, level, static_cast<int>(by), orgs);
    auto it = level_cache.find(key);
    if (it != level_cache.end() && (!need_entries || it->second.entries)) return it->second;
    const auto& sip = m.staff_in_post;
    const auto& os = org_scope[static_cast<size_t>(level)];
    const PersonIndex& idx = person_index(month);
    auto entries = std::make_shared<EntryList>();
    entries->reserve(idx.persons.size());
    ScopeBits local;
    for (size_t i = 0; i < idx.persons.size(); ++i) {
      const uint32_t b = idx.offsets[i], e = idx.offsets[i + 1];
      if (e - b == 1) {
        const uint32_t r = idx.rows[b];
        const uint16_t o = sip.org[r];
        if (!orgs[o]) continue;
        const uint32_t k = key_of(by, sip.staff_group[r], sip.role[r]);
        entries->push_back({idx.persons[i], os[o], 1ull | 1ull << k, b, 1});
        continue;
      }
      local.clear();
      for (uint32_t x = b; x < e; ++x) {
        const uint32_t r = idx.rows[x];
        const uint16_t o = sip.org[r];
        if (!orgs[o]) continue;
        const uint64_t bits = 1ull | 1ull << key_of(by, sip.staff_group[r], sip.role[r]);
        add_scope_bits(local, os[o], bits);
      }
      std::sort(local.begin(), local.end());
      for (const auto& [scope, bits] : local)
        entries->push_back({idx.persons[i], scope, bits, b, e - b});
    }
    LevelMonth lm{nullptr, Grid(scopes(), key_count(by)), Grid(scopes(), key_count(by))};
    for (size_t i = 0; i < entries->size(); ++i) {
      const Entry x = (*entries)[i];
      for (uint64_t bits = x.mask; bits; bits &= bits - 1)
        lm.hc.at(x.scope, static_cast<size_t>(std::countr_zero(bits))) += 1;
    }
    const auto [first, last] = m.staff_in_post_rows(month);
    for (size_t r = first; r < last; ++r) {
      const uint16_t o = sip.org[r];
      if (!orgs[o]) continue;
      lm.fte.at(os[o], 0) += sip.fte[r];
      lm.fte.at(os[o], key_of(by, sip.staff_group[r], sip.role[r])) += sip.fte[r];
    }
    if (need_entries) {
      if (cached_entries + entries->size() > kMaxCachedEntries) {
        for (auto& [k, v] : level_cache) v.entries.reset();
        cached_entries = 0;
      }
      cached_entries += entries->size();
      lm.entries = std::move(entries);
    }
    auto [pos, inserted] = level_cache.insert_or_assign(std::move(key), std::move(lm));
    return pos->second;
  }

  /// Headcount and FTE by (scope, key) at a month, summed over the levels in `levels`.
  const MonthGrid& month_grid(Month month, Breakdown by, int levels, const OrgSet& orgs) const {
    auto key = std::make_tuple(month.index, static_cast<int>(by), levels, orgs);
    auto it = month_grid_cache.find(key);
    if (it != month_grid_cache.end()) return it->second;
    MonthGrid g = roll_up(org_month(month, by), by, levels, orgs);
    return month_grid_cache.emplace(std::move(key), std::move(g)).first->second;
  }

  const OrgMonth& org_month(Month month, Breakdown by) const {
    if (const OrgMonth* found = find_org_month(month, by)) return *found;
    return local.org_months
        .emplace(std::make_pair(month.index, static_cast<int>(by)),
                 build_org_month(month, by, seen_scratch))
        .first->second;
  }

  /// Headcount and FTE of one month by organisation without ordering rows by person: rows
  /// are sorted by (org, person), so a person seen in one organisation is one run of rows;
  /// the few seen in several organisations are kept apart. `seen` is per thread.
  OrgMonth build_org_month(Month month, Breakdown by, std::vector<uint16_t>& seen) const {
    const size_t keys = key_count(by);
    OrgMonth g{Grid(m.organisations.size(), keys), Grid(m.organisations.size(), keys), {}};
    const auto& sip = m.staff_in_post;
    const auto [first, last] = m.staff_in_post_rows(month);
    // seen[p]: 0 not seen, org + 1 seen in one organisation, kMulti seen in several.
    constexpr uint16_t kMulti = 0xFFFF;
    seen.assign(m.persons.size(), 0);
    for (size_t r = first; r < last; ++r) {
      uint16_t& s = seen[sip.person[r]];
      const auto o = static_cast<uint16_t>(sip.org[r] + 1u);
      s = s == 0 || s == o ? o : kMulti;
    }
    for (size_t r = first; r < last;) {
      const uint16_t o = sip.org[r];
      const uint32_t p = sip.person[r];
      size_t e = r + 1;
      while (e < last && sip.person[e] == p && sip.org[e] == o) ++e;
      uint64_t bits = 1;
      double* fte = &g.fte.at(o, 0);
      for (size_t x = r; x < e; ++x) {
        const uint32_t k = key_of(by, sip.staff_group[x], sip.role[x]);
        bits |= 1ull << k;
        fte[0] += sip.fte[x];
        fte[k] += sip.fte[x];
      }
      if (seen[p] == kMulti) {
        for (size_t x = r; x < e; ++x) g.multi.push_back(static_cast<uint32_t>(x));
      } else {
        double* hc = &g.hc.at(o, 0);
        for (; bits; bits &= bits - 1) hc[std::countr_zero(bits)] += 1;
      }
      r = e;
    }
    std::stable_sort(g.multi.begin(), g.multi.end(),
                     [&](uint32_t a, uint32_t b) { return sip.person[a] < sip.person[b]; });
    return g;
  }

  /// Sum an organisation grid over the organisations in `orgs` into the scopes of `levels`;
  /// a person in several of those organisations is counted once per scope.
  MonthGrid roll_up(const OrgMonth& om, Breakdown by, int levels, const OrgSet& orgs) const {
    const size_t keys = key_count(by);
    MonthGrid g{Grid(scope_range(levels), keys), Grid(scope_range(levels), keys)};
    const auto& sip = m.staff_in_post;
    std::vector<int> on;
    for (int l = 0; l < kLevels; ++l)
      if (levels & (1 << l)) on.push_back(l);
    for (int l : on) {
      for (size_t o = 0; o < orgs.size(); ++o) {
        if (!orgs[o]) continue;
        const size_t sc = org_scope[static_cast<size_t>(l)][o];
        for (size_t k = 0; k < keys; ++k) {
          g.hc.at(sc, k) += om.hc.at(o, k);
          g.fte.at(sc, k) += om.fte.at(o, k);
        }
      }
    }
    ScopeBits local;
    const auto& multi = om.multi;
    for (size_t i = 0; i < multi.size();) {
      size_t j = i;
      while (j < multi.size() && sip.person[multi[j]] == sip.person[multi[i]]) ++j;
      for (int l : on) {
        local.clear();
        for (size_t x = i; x < j; ++x) {
          const uint32_t r = multi[x];
          if (!orgs[sip.org[r]]) continue;
          const uint16_t sc = org_scope[static_cast<size_t>(l)][sip.org[r]];
          const uint64_t bits = 1ull | 1ull << key_of(by, sip.staff_group[r], sip.role[r]);
          add_scope_bits(local, sc, bits);
        }
        for (const auto& [sc, bits] : local)
          for (uint64_t bb = bits; bb; bb &= bb - 1)
            g.hc.at(sc, static_cast<size_t>(std::countr_zero(bb))) += 1;
      }
      i = j;
    }
    return g;
  }

  AggregateTurnover build_aggregate_turnover(Month month, Breakdown by) const {
    AggregateTurnover t;
    auto it = aggregate_by_month.find(month.index);
    if (it == aggregate_by_month.end()) return t;
    std::map<std::pair<uint16_t, uint32_t>, size_t> at;
    for (uint32_t i : it->second) {
      const auto& r = m.aggregate_returns[i];
      const uint32_t k = key_of(by, r.staff_group, r.role);
      const bool turnover = !std::isnan(r.leavers_12m) && !std::isnan(r.headcount_12m_ago) &&
                            !std::isnan(r.stayers_12m);
      const bool intl = !std::isnan(r.stayers_12m) && !std::isnan(r.international_recruits_12m);
      if (!turnover && !intl) continue;
      auto [pos, added] = at.emplace(std::make_pair(r.org, k), t.sums.size());
      if (added) t.sums.push_back({r.org, static_cast<uint16_t>(k)});
      auto& x = t.sums[pos->second];
      if (turnover) {
        t.turnover_orgs.push_back(r.org);
        x.turnover = true;
        x.leavers += r.leavers_12m;
        x.headcount_12m_ago += r.headcount_12m_ago;
        x.stayers += r.stayers_12m;
        x.headcount += r.headcount;
        x.joiners += r.headcount - r.stayers_12m;
      }
      if (intl) {
        t.intl_orgs.push_back(r.org);
        x.intl = true;
        x.intl_recruits += r.international_recruits_12m;
        x.intl_joiners += r.headcount - r.stayers_12m;
      }
    }
    t.keys = key_count(by);
    t.wide.assign(level_begin[3] * t.keys, {});
    for (const auto& x : t.sums) {
      const std::array<double, AggregateTurnover::kFields> v{
          x.turnover ? x.leavers : 0, x.turnover ? x.headcount_12m_ago : 0,
          x.turnover ? x.stayers : 0, x.turnover ? x.headcount : 0,
          x.turnover ? x.joiners : 0, x.intl ? x.intl_recruits : 0,
          x.intl ? x.intl_joiners : 0};
      for (int l = 0; l < 3; ++l)
        for (size_t k : {size_t{0}, size_t{x.key}}) {
          if (k == 0 && x.key == 0) continue;  // key 0 is counted once, as k = x.key
          for (size_t f = 0; f < v.size(); ++f)
            t.wide[org_scope[static_cast<size_t>(l)][x.org] * t.keys + k][f] += v[f];
        }
    }
    return t;
  }

  const AggregateTurnover& aggregate_turnover(Month month, Breakdown by) const {
    const auto key = std::make_pair(month.index, static_cast<int>(by));
    if (shared) {
      auto it = shared->aggregate_turnover.find(key);
      if (it != shared->aggregate_turnover.end()) return it->second;
    }
    auto it = local.aggregate_turnover.find(key);
    if (it != local.aggregate_turnover.end()) return it->second;
    return local.aggregate_turnover.emplace(key, build_aggregate_turnover(month, by)).first->second;
  }

  /// Vacancy of every establishment cell of every organisation at a month, by id.
  std::vector<Cell> build_cells(Month month) const {
    std::vector<const model::EstablishmentRow*> rows;
    for (const auto& r : m.establishment)
      if (r.period == month) rows.push_back(&r);
    std::sort(rows.begin(), rows.end(), [](auto* a, auto* b) { return a->org < b->org; });
    const size_t ng = staff_groups().size(), nr = roles().size(), nb = bands().size();
    std::vector<double> gb(ng * (nb + 1)), rb(nr * (nb + 1));
    const auto& sip = m.staff_in_post;
    const auto [first, last] = m.staff_in_post_rows(month);
    std::vector<Cell> out;
    for (size_t i = 0; i < rows.size();) {
      const uint16_t org = rows[i]->org;
      std::fill(gb.begin(), gb.end(), 0.0);
      std::fill(rb.begin(), rb.end(), 0.0);
      auto lo = std::lower_bound(sip.org.begin() + static_cast<long>(first),
                                 sip.org.begin() + static_cast<long>(last), org);
      auto hi = std::upper_bound(lo, sip.org.begin() + static_cast<long>(last), org);
      for (auto it = lo; it != hi; ++it) {
        const size_t r = static_cast<size_t>(it - sip.org.begin());
        const size_t g = sip.staff_group[r], ro = sip.role[r], b = sip.band[r];
        gb[g * (nb + 1) + b] += sip.fte[r];
        gb[g * (nb + 1) + nb] += sip.fte[r];
        if (role_info(static_cast<uint8_t>(ro)).staff_group == g) {
          rb[ro * (nb + 1) + b] += sip.fte[r];
          rb[ro * (nb + 1) + nb] += sip.fte[r];
        }
      }
      for (; i < rows.size() && rows[i]->org == org; ++i) {
        const auto& c = *rows[i];
        const size_t b = c.band == kAnyCode ? nb : c.band;
        double in_post = 0;
        if (c.role == kAnyCode) {
          in_post = gb[c.staff_group * (nb + 1) + b];
        } else if (role_info(c.role).staff_group == c.staff_group) {
          in_post = rb[c.role * (nb + 1) + b];
        }
        const uint64_t id =
            uint64_t{org} << 24 | uint64_t{c.staff_group} << 16 | uint64_t{c.role} << 8 | c.band;
        out.push_back(
            {id, org, c.staff_group, c.role, c.funded_fte, std::max(0.0, c.funded_fte - in_post)});
      }
    }
    std::sort(out.begin(), out.end(), [](const Cell& a, const Cell& b) { return a.id < b.id; });
    return out;
  }

  const std::vector<Cell>& cells(Month month) const {
    if (shared) {
      auto it = shared->cells.find(month.index);
      if (it != shared->cells.end()) return it->second;
    }
    auto it = local.cells.find(month.index);
    if (it != local.cells.end()) return it->second;
    return local.cells.emplace(month.index, build_cells(month)).first->second;
  }

  /// The row of (org, person, assignment) at a month, or UINT32_MAX: a binary search in
  /// the organisation's rows of the month, which are sorted by (person, assignment).
  uint32_t find_row(Month month, uint16_t org, uint32_t person, uint32_t assignment) const {
    const auto i = static_cast<size_t>(month.index - month_end_base);
    if (i >= org_rows.size()) return UINT32_MAX;
    const auto& sip = m.staff_in_post;
    size_t lo = org_rows[i][org], hi = org_rows[i][org + 1u];
    const size_t last = hi;
    while (lo < hi) {
      const size_t mid = lo + (hi - lo) / 2;
      if (sip.person[mid] < person ||
          (sip.person[mid] == person && sip.assignment[mid] < assignment)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < last && sip.person[lo] == person && sip.assignment[lo] == assignment
               ? static_cast<uint32_t>(lo)
               : UINT32_MAX;
  }

  /// The rows [first, second) of (org, person) at a month (empty if none).
  std::pair<uint32_t, uint32_t> person_rows(Month month, uint16_t org, uint32_t person) const {
    const auto i = static_cast<size_t>(month.index - month_end_base);
    if (i >= org_rows.size()) return {0, 0};
    const auto& p = m.staff_in_post.person;
    const auto first = p.begin() + org_rows[i][org], last = p.begin() + org_rows[i][org + 1u];
    const auto [lo, hi] = std::equal_range(first, last, person);
    return {static_cast<uint32_t>(lo - p.begin()), static_cast<uint32_t>(hi - p.begin())};
  }

  /// Positions in each snapshot month's staff-in-post rows of one organisation, for
  /// persons asked for in ascending order (other_assignment_rows).
  struct RowCursors {
    uint16_t org = UINT16_MAX;
    std::vector<uint32_t> at;
  };

  /// Whether the person of leavers.csv row `x` has a row of another assignment in its
  /// organisation at the month end on or after the leave date. Rows asked for one
  /// organisation after another, by ascending person within one, share `cursors`: each
  /// month's rows are searched forward from the last person found (galloping).
  bool other_assignment_rows(uint32_t x, RowCursors& cursors) const {
    const auto& lv = m.leavers;
    const auto i = static_cast<size_t>(Month::of(lv.leave_date[x]).index - month_end_base);
    if (i >= org_rows.size()) return false;
    const uint16_t org = lv.org[x];
    if (cursors.org != org) {
      cursors.org = org;
      cursors.at.assign(org_rows.size(), UINT32_MAX);
    }
    uint32_t& r = cursors.at[i];
    if (r == UINT32_MAX) r = org_rows[i][org];
    const uint32_t end = org_rows[i][org + 1u];
    const uint32_t* person = m.staff_in_post.person.data();
    const uint32_t p = lv.person[x];
    if (r < end && person[r] < p) {  // person[lo] < p; hi is end or person[hi] >= p
      uint32_t lo = r, step = 1, hi = r + 1;
      while (hi < end && person[hi] < p) {
        lo = hi;
        step *= 2;
        hi = std::min(end, lo + step);
      }
      r = static_cast<uint32_t>(std::lower_bound(person + lo + 1, person + hi, p) - person);
    }
    for (uint32_t y = r; y < end && person[y] == p; ++y)
      if (m.staff_in_post.assignment[y] != lv.assignment[x]) return true;
    return false;
  }

  /// Fill the row caches of many leaver events (`absence` false) or absence episodes at
  /// once, `items` in date order: group them by the month end on or before their date,
  /// sort each group by (org, person, assignment) and walk that month's rows (and the next
  /// month's) in step. What the walk cannot settle goes to last_row_before / nearest_row.
  void resolve_rows(std::span<const uint32_t> items, bool absence) const {
    if (m.snapshot_months().empty()) return;
    auto& cache = absence ? local.absence_rows : local.leaver_rows;
    if (cache.empty()) cache.assign(absence ? m.absence.size() : m.leavers.size(), kUnknownRow);
    const auto& org = absence ? m.absence.org : m.leavers.org;
    const auto& person = absence ? m.absence.person : m.leavers.person;
    const auto& assignment = absence ? m.absence.assignment : m.leavers.assignment;
    const auto& date = absence ? m.absence.start_date : m.leavers.leave_date;
    const Month first = m.snapshot_months().front(), last = m.snapshot_months().back();
    const auto& sip = m.staff_in_post;
    struct Item {
      uint16_t org;
      uint32_t person, assignment, index;
      uint32_t at[2];  // the row at m0 and at m0 + 1
    };
    std::vector<Item> group;
    for (size_t g = 0; g < items.size();) {
      const Month m0 = month_on_or_before(date[items[g]]);
      size_t h = g;
      group.clear();
      for (; h < items.size() && month_on_or_before(date[items[h]]) == m0; ++h) {
        const uint32_t i = items[h];
        group.push_back({org[i], person[i], assignment[i], i, {UINT32_MAX, UINT32_MAX}});
      }
      std::sort(group.begin(), group.end(), [](const Item& a, const Item& b) {
        return std::tie(a.org, a.person, a.assignment) < std::tie(b.org, b.person, b.assignment);
      });
      for (int step = 0; step < (absence ? 2 : 1); ++step) {
        const Month x = m0 + step;
        if (x < first || x > last) continue;
        const auto& offsets = org_rows[static_cast<size_t>(x.index - month_end_base)];
        size_t r = 0, end = 0;
        int current = -1;
        for (Item& it : group) {
          if (it.org != current) {
            current = it.org;
            r = offsets[it.org];
            end = offsets[it.org + 1u];
          }
          while (r < end && (sip.person[r] < it.person ||
                             (sip.person[r] == it.person && sip.assignment[r] < it.assignment)))
            ++r;
          if (r < end && sip.person[r] == it.person && sip.assignment[r] == it.assignment)
            it.at[step] = static_cast<uint32_t>(r);
        }
      }
      for (const Item& it : group) {
        const Date d = date[it.index];
        uint32_t row = kUnknownRow;
        if (m0 >= first && m0 < last && it.at[0] != UINT32_MAX) {
          if (!absence || month_end(m0 + 1) - d.days >= d.days - month_end(m0)) {
            row = it.at[0];  // the earlier snapshot is at least as near
          } else if (it.at[1] != UINT32_MAX) {
            row = it.at[1];
          }
        }
        if (row == kUnknownRow)
          row = absence ? nearest_row(it.org, it.person, it.assignment, d)
                        : last_row_before(it.org, it.person, it.assignment, d);
        cache[it.index] = row;
      }
      g = h;
    }
  }

  /// The snapshot row of leaver event (`absence` false) or absence episode `i` if known
  /// (shared or found by this engine), else kUnknownRow.
  uint32_t known_row(bool absence, size_t i) const {
    if (shared) {
      const auto& rows = absence ? shared->absence_rows : shared->leaver_rows;
      if (!rows.empty() && rows[i] != kUnknownRow) return rows[i];
    }
    const auto& rows = absence ? local.absence_rows : local.leaver_rows;
    return rows.empty() ? kUnknownRow : rows[i];
  }

  /// Whether the row of leaver event (`absence` false) or absence episode `i` is known.
  bool row_known(bool absence, size_t i) const { return known_row(absence, i) != kUnknownRow; }

  /// Whether the shared index holds the rows of every leaver event (`absence` false) or
  /// absence episode.
  bool all_rows_shared(bool absence) const {
    return shared && !(absence ? shared->absence_rows : shared->leaver_rows).empty();
  }

  /// The staff-in-post row of leavers.csv row `i` (last_row_before its leave date), cached.
  uint32_t leaver_row(size_t i) const {
    if (const uint32_t known = known_row(false, i); known != kUnknownRow) return known;
    auto& rows = local.leaver_rows;
    if (rows.empty()) rows.assign(m.leavers.size(), kUnknownRow);
    return rows[i] = last_row_before(m.leavers.org[i], m.leavers.person[i], m.leavers.assignment[i],
                                     m.leavers.leave_date[i]);
  }

  /// The staff-in-post row of absence.csv row `i` (nearest_row to its start), cached.
  uint32_t absence_row(size_t i) const {
    if (const uint32_t known = known_row(true, i); known != kUnknownRow) return known;
    auto& rows = local.absence_rows;
    if (rows.empty()) rows.assign(m.absence.size(), kUnknownRow);
    return rows[i] = nearest_row(m.absence.org[i], m.absence.person[i], m.absence.assignment[i],
                                 m.absence.start_date[i]);
  }

  /// Leaver rows ordered by (organisation, person), in date order within (with facts when
  /// the shared index has them).
  const LeaverOrder& leaver_order() const {
    if (shared && !shared->leaver_order.row.empty()) return shared->leaver_order;
    auto& order = local.leaver_order;
    if (order.row.size() != m.leavers.size()) {
      const auto& lv = m.leavers;
      order.row.resize(lv.size());
      std::iota(order.row.begin(), order.row.end(), 0u);
      std::stable_sort(order.row.begin(), order.row.end(), [&](uint32_t x, uint32_t y) {
        return std::tie(lv.org[x], lv.person[x]) < std::tie(lv.org[y], lv.person[y]);
      });
      order.day.clear();
      order.person.clear();
      order.reason.clear();
      order.destination.clear();
      order.org_first.assign(m.organisations.size() + 1, 0);
      for (uint32_t x : order.row) {
        order.day.push_back(lv.leave_date[x].days);
        order.person.push_back(lv.person[x]);
        order.reason.push_back(lv.reason[x]);
        order.destination.push_back(lv.destination[x]);
        ++order.org_first[lv.org[x] + 1u];
      }
      std::partial_sum(order.org_first.begin(), order.org_first.end(), order.org_first.begin());
    }
    return order;
  }

  /// The facts of every absence episode's snapshot row, if the shared index has them.
  const RowFacts* absence_facts() const {
    return shared && !shared->absence_facts.fte.empty() ? &shared->absence_facts : nullptr;
  }

  const LongEpisodes& long_episodes() const {
    if (shared && shared->long_episodes.built) return shared->long_episodes;
    auto& out = local.long_episodes;
    if (!out.built) {
      out.built = true;
      const auto& ab = m.absence;
      int32_t latest = INT32_MIN;
      for (size_t i = 0; i < ab.size(); ++i) {
        if (ab.end_date[i] != model::kOpenEnd &&
            ab.end_date[i].days - ab.start_date[i].days <= LongEpisodes::kDays)
          continue;
        out.rows.push_back(static_cast<uint32_t>(i));
        out.max_end.push_back(latest = std::max(latest, ab.end_date[i].days));
      }
    }
    return out;
  }

  /// The last month whose month end is on or before `date`.
  static Month month_on_or_before(Date date) {
    const Month month = Month::of(date);
    return month.end() == date ? month : month - 1;
  }

  /// The assignment's row at the snapshot nearest `date` (tie: earlier); UINT32_MAX if none.
  uint32_t nearest_row(uint16_t org, uint32_t person, uint32_t assignment, Date date) const {
    if (m.snapshot_months().empty()) return UINT32_MAX;
    const Month first = m.snapshot_months().front(), last = m.snapshot_months().back();
    uint32_t below = UINT32_MAX, above = UINT32_MAX;
    int d_below = INT32_MAX;
    for (Month x = std::min(month_on_or_before(date), last); x >= first; x = x - 1) {
      below = find_row(x, org, person, assignment);
      if (below != UINT32_MAX) {
        d_below = date.days - month_end(x);
        break;
      }
    }
    for (Month x = std::max(month_on_or_before(date) + 1, first); x <= last; x = x + 1) {
      if (month_end(x) - date.days >= d_below) break;  // the earlier one wins ties
      above = find_row(x, org, person, assignment);
      if (above != UINT32_MAX) break;
    }
    return above != UINT32_MAX ? above : below;
  }

  /// The assignment's last row at or before `date` (else its first row); UINT32_MAX if none.
  uint32_t last_row_before(uint16_t org, uint32_t person, uint32_t assignment, Date date) const {
    if (m.snapshot_months().empty()) return UINT32_MAX;
    const Month first = m.snapshot_months().front(), last = m.snapshot_months().back();
    for (Month x = std::min(month_on_or_before(date), last); x >= first; x = x - 1) {
      const uint32_t r = find_row(x, org, person, assignment);
      if (r != UINT32_MAX) return r;
    }
    for (Month x = std::max(month_on_or_before(date) + 1, first); x <= last; x = x + 1) {
      const uint32_t r = find_row(x, org, person, assignment);
      if (r != UINT32_MAX) return r;
    }
    return UINT32_MAX;
  }

  /// Index every snapshot month (grids by staff group: a breakdown by role builds its own as
  /// queries need them) and find the snapshot rows of every leaver event and absence
  /// episode, on `threads` threads: what ModelIndex holds.
  void build_all(int threads) {
    std::vector<Month> months;
    if (!m.snapshot_months().empty())
      for (Month x = m.snapshot_months().front(); x <= m.snapshot_months().back(); x = x + 1)
        months.push_back(x);
    const OrgSet record = record_orgs();
    const Breakdown bys[] = {Breakdown::staff_group};
    constexpr int kBys = 1;
    struct Built {
      MonthIndex index;
      OrgMonth org_month[kBys];
      MonthGrid level_grid[kBys];
      AggregateTurnover aggregate[kBys];
      std::vector<Cell> cells;
    };
    std::vector<Built> built(months.size());
    std::vector<uint32_t> all_leavers(m.leavers.size()), all_absence(m.absence.size());
    std::iota(all_leavers.begin(), all_leavers.end(), 0u);
    std::iota(all_absence.begin(), all_absence.end(), 0u);
    // Tasks: the absence rows (the largest), the leaver rows, then the months.
    std::atomic<size_t> next{0};
    auto work = [&](std::vector<uint32_t>& scratch_, std::vector<uint16_t>& seen) {
      for (size_t t = next++; t < months.size() + 2; t = next++) {
        if (t == 0) {
          resolve_rows(all_absence, true);
          long_episodes();
          for (size_t i = 0; i < m.absence.size(); ++i)
            local.absence_facts.push_back(m.staff_in_post, absence_row(i));
        } else if (t == 1) {
          resolve_rows(all_leavers, false);
          leaver_order();
          RowCursors cursors;
          for (uint32_t x : local.leaver_order.row) {
            local.leaver_order.facts.push_back(m.staff_in_post, leaver_row(x));
            local.leaver_order.others.push_back(other_assignment_rows(x, cursors) ? 1 : 0);
          }
        } else {
          const Month month = months[t - 2];
          Built& b = built[t - 2];
          b.index = build_month_index(month, scratch_);
          const OrgSet orgs = with_rows(month, record);
          for (int i = 0; i < kBys; ++i) {
            b.org_month[i] = build_org_month(month, bys[i], seen);
            b.level_grid[i] = build_level_grid(month, bys[i], orgs, 0xF, b.index, &b.org_month[i]);
            if (aggregate_counts_whole) b.aggregate[i] = build_aggregate_turnover(month, bys[i]);
          }
          b.cells = build_cells(month);
        }
      }
    };
    std::vector<std::thread> helpers;
    std::vector<std::vector<uint32_t>> scratches(static_cast<size_t>(std::max(threads, 1)));
    std::vector<std::vector<uint16_t>> seens(scratches.size());
    for (size_t i = 1; i < scratches.size(); ++i)
      helpers.emplace_back(work, std::ref(scratches[i]), std::ref(seens[i]));
    work(scratches[0], seens[0]);
    for (auto& h : helpers) h.join();
    for (size_t i = 0; i < months.size(); ++i) {
      const int32_t x = months[i].index;
      Built& b = built[i];
      local.months.emplace(x, std::move(b.index));
      const OrgSet orgs = with_rows(months[i], record);
      for (int j = 0; j < kBys; ++j) {
        local.org_months.emplace(std::make_pair(x, static_cast<int>(bys[j])),
                                 std::move(b.org_month[j]));
        local.level_grids.emplace(std::make_tuple(x, static_cast<int>(bys[j]), 0xF, orgs),
                                  std::move(b.level_grid[j]));
        if (aggregate_counts_whole)
          local.aggregate_turnover.emplace(std::make_pair(x, static_cast<int>(bys[j])),
                                           std::move(b.aggregate[j]));
      }
      local.cells.emplace(x, std::move(b.cells));
    }
    // Every row was looked for: none stays unknown (kUnknownRow) in a complete index.
    if (local.leaver_rows.empty()) local.leaver_rows.assign(m.leavers.size(), UINT32_MAX);
    if (local.absence_rows.empty()) local.absence_rows.assign(m.absence.size(), UINT32_MAX);
  }
};

namespace {

/// Everything computed for one query at one month end, family by family.
class Computation {
 public:
  Computation(const MetricsEngine::Impl& impl, const Query& q) : e_(impl), q_(q), m_(impl.m) {
    by_ = q.by == Breakdown::none ? Breakdown::staff_group : q.by;
    keys_ = MetricsEngine::Impl::key_count(by_);
    E_ = q.at;
    S_ = q.at - 12;
    levels_ = 0;
    if (q.scope_types.empty()) {
      levels_ = 0xF;
    } else {
      for (ScopeType t : q.scope_types) levels_ |= 1 << static_cast<int>(t);
    }
    if (!q.scopes.empty()) {
      // A named scope: compute only the levels where the name exists.
      int named = 0;
      for (size_t s = 0; s < e_.scopes(); ++s)
        if (std::find(q.scopes.begin(), q.scopes.end(), e_.scope_name[s]) != q.scopes.end())
          named |= 1 << static_cast<int>(e_.scope_type[s]);
      levels_ &= named;
    }
    sip_e_ = e_.orgs_with_sip(E_);
    for (int l = 0; l < kLevels; ++l)
      if (levels_ & (1 << l)) level_scopes_[level_count_++] = e_.org_scope[l].data();
    // What is counted for an organisation only reaches the results through the scopes it
    // belongs to: organisations in no scope the query shows need not be counted.
    std::vector<uint8_t> shown(e_.scopes(), 0);
    for (uint16_t s = 0; s < e_.scopes(); ++s)
      shown[s] = level_on(s) && (q.scopes.empty() || std::find(q.scopes.begin(), q.scopes.end(),
                                                               e_.scope_name[s]) != q.scopes.end());
    org_shown_.assign(m_.organisations.size(), 0);
    for (size_t o = 0; o < org_shown_.size(); ++o)
      for (int i = 0; i < level_count_; ++i) org_shown_[o] |= shown[level_scopes_[i][o]];
    const auto [lo, hi] = e_.scope_range(levels_);
    for (size_t s = lo; s < hi; ++s) {
      if (!shown[s]) continue;
      const size_t first = (s - lo) * keys_, last = first + keys_;
      if (!shown_cells_.empty() && shown_cells_.back().second == first) {
        shown_cells_.back().second = last;
      } else {
        shown_cells_.push_back({first, last});
      }
    }
    sip_s_ = e_.orgs_with_sip(S_);
  }

  void run(std::vector<MetricResult>& out) {
    out_ = &out;
    // Reserve for every (scope, key, category) so the results are never moved.
    size_t rows = 0;
    for (const auto& d : metric_registry()) {
      if (!wants(d.name)) continue;
      rows += d.name == "representation_share" ? kBandGroups * kRepValues
              : d.category.empty()             ? 2
                                               : 16;
    }
    size_t scopes = 0;
    for (uint16_t x = 0; x < e_.scopes(); ++x) scopes += level_on(x) && e_.total_orgs[x] > 0;
    out.reserve(out.size() + rows * scopes * (q_.by == Breakdown::none ? 1 : keys_));
    // CAREFORCE_METRICS_TRACE=1 prints the time each metric took (first use pays its family),
    // elapsed and CPU of the process (every thread).
    static const bool trace = std::getenv("CAREFORCE_METRICS_TRACE") != nullptr;
    for (const auto& d : metric_registry()) {
      if (!wants(d.name)) continue;
      const auto start = std::chrono::steady_clock::now();
      const std::clock_t cpu_start = trace ? std::clock() : 0;
      metric(d);
      if (trace)
        fmt::print(
            stderr, "metrics: {:<34} {:8.1f} ms {:8.1f} ms CPU\n", d.name,
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count(),
            1000.0 * static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
    }
  }

 private:
  struct Emit {
    const Grid* num = nullptr;
    const Grid* den = nullptr;
    const OrgSet* orgs = nullptr;
    std::string_view basis;  ///< A literal.
    std::string options;
    const std::vector<std::string>* categories = nullptr;
    const Grid* num_persons = nullptr;  ///< Person counts behind num/den, if not num/den.
    bool no_num_persons = false;        ///< The numerator counts no persons (not suppressed).
    const Grid* den_persons = nullptr;
    double den_scale = 1.0;          ///< The denominator grid is divided by this.
    bool keys_available = true;      ///< False: only the all-staff key is computed.
    const Grid* presence = nullptr;  ///< Nonzero where a staff group exists in a scope.
    /// Staff (persons) behind FTE figures, one per (scope, key): numerator and denominator
    /// of every category.
    const Grid* staff_persons = nullptr;
  };

  const MetricsEngine::Impl& e_;
  const Query& q_;
  const WorkforceModel& m_;
  Breakdown by_;
  size_t keys_;
  Month E_, S_;
  int levels_;
  /// The scope of each organisation at each enabled level, lowest level first.
  const uint16_t* level_scopes_[kLevels] = {};
  int level_count_ = 0;
  /// Organisations in a scope the query shows (org_shown_[o] = 0: counted nowhere shown).
  std::vector<uint8_t> org_shown_;
  /// The cells [first, last) of a one-category grid that shown scopes hold.
  std::vector<std::pair<size_t, size_t>> shown_cells_;
  OrgSet sip_e_, sip_s_;
  std::vector<MetricResult>* out_ = nullptr;

  // Families, computed once on first use.
  bool snapshot_done_ = false, window_done_ = false, rolling_done_ = false, vacancy_done_ = false,
       sickness_done_ = false, pay_done_ = false, shifts_done_ = false, leaver_cats_done_ = false,
       population_done_ = false, growth_done_ = false, equality_done_ = false;

  // Snapshot at E.
  OrgSet snap_orgs_;
  Grid hc_, fte_, age_, age55_, rep_num_, rep_den_, senior_num_, senior_den_;
  Grid agg_hc_, agg_fte_, agg_age55_num_, agg_age55_den_;
  OrgSet age55_orgs_;
  // Window (S, E].
  OrgSet win_orgs_, retention_orgs_, turnover_hc_orgs_, joiner_orgs_, intl_orgs_;
  Grid sip_s_hc_, sip_e_hc_, sip_s_fte_, sip_e_fte_, stayers_, stayer_fte_, leavers_, leaver_fte_,
      joiners_, retained_, joiner_src_, intl_num_, joiners_all_;
  Grid t_mean_hc_, t_leavers_, t_sip_s_hc_, t_stayers_, t_joiners_;
  // Rolling turnover.
  OrgSet rolling_orgs_;
  Grid rolling_num_, rolling_den_, rolling_num_hc_, rolling_den_hc_;
  // Leaver reasons/destinations.
  Grid reason_num_, reason_den_, dest_num_;
  // Vacancy.
  OrgSet vac_orgs_, posts_orgs_;
  Grid vac_num_, vac_den_, posts_num_, posts_den_, ltv_count_, ltv_fte_;
  // Sickness.
  OrgSet sick_orgs_, sick12_orgs_;
  Grid lost12_, avail12_, lost_month_, avail_month_, lost_reason_, lost_short_, lost_long_;
  Grid rec_avail12_, sick_hc_, sick12_hc_;
  // Pay and shifts.
  OrgSet pay_orgs_, shift_orgs_;
  Grid agency_, bank_, pay_total_, filled_, requested_, bank_shifts_, hours_, hours_total_, cost_,
      cost_total_, filled_by_reason_;
  // Population and growth.
  OrgSet pop_orgs_, growth_orgs_;
  Grid pop_fte_, pop_, pop_hc_, growth_num_, growth_den_, growth_hc_s_, growth_hc_e_;

  Grid grid(size_t cats = 1) const { return Grid(e_.scope_range(levels_), keys_, cats); }

  /// Call fn(x) for every cell x of a one-category grid() that a shown scope holds: the
  /// others never reach the results.
  template <typename Fn>
  void for_shown_cells(Fn fn) const {
    for (const auto& [first, last] : shown_cells_)
      for (size_t x = first; x < last; ++x) fn(x);
  }

  bool wants(std::string_view metric) const {
    return q_.metrics.empty() ||
           std::find(q_.metrics.begin(), q_.metrics.end(), metric) != q_.metrics.end();
  }

  bool level_on(uint16_t scope) const {
    return levels_ & (1 << static_cast<int>(e_.scope_type[scope]));
  }

  /// Aggregate rows at a month.
  template <typename Fn>
  void for_aggregate(Month month, Fn fn) const {
    auto it = e_.aggregate_by_month.find(month.index);
    if (it == e_.aggregate_by_month.end()) return;
    for (uint32_t i : it->second) fn(m_.aggregate_returns[i]);
  }

  /// Add `value` for an organisation's row to every enabled level, key all and its key.
  [[gnu::always_inline]] void add(Grid& g, uint16_t org, uint32_t key, double value,
                                  size_t cat = 0) const {
    if (!org_shown_[org]) return;
    for (int i = 0; i < level_count_; ++i) {
      const uint16_t s = level_scopes_[i][org];
      g.at(s, 0, cat) += value;
      if (key != 0) g.at(s, key, cat) += value;
    }
  }

  uint32_t agg_key(const model::AggregateRow& r) const {
    return MetricsEngine::Impl::key_of(by_, r.staff_group, r.role);
  }

  OrgSet record_orgs_with(const OrgSet& base, std::initializer_list<FileKind> files) const {
    OrgSet out(m_.organisations.size(), 0);
    for (size_t o = 0; o < out.size(); ++o) {
      const auto& org = m_.organisations[o];
      if (org.level != DataLevel::record || !base[o]) continue;
      bool ok = true;
      for (FileKind f : files) ok = ok && org.has(f);
      out[o] = ok ? 1 : 0;
    }
    return out;
  }

  // ---- Snapshot at E -------------------------------------------------------------------
  void snapshot() {
    if (snapshot_done_) return;
    snapshot_done_ = true;
    snap_orgs_ = record_orgs_with(sip_e_, {});
    hc_ = grid(), fte_ = grid(), age_ = grid(kAgeBands), age55_ = grid();
    const auto& sip = m_.staff_in_post;
    const PersonIndex& idx = e_.person_index(E_);
    const int year = E_.year();
    for (int l = 0; l < kLevels; ++l) {
      if (!(levels_ & (1 << l))) continue;
      const LevelMonth& lm = e_.level_month(E_, l, by_, snap_orgs_, true);
      for (size_t sc = e_.level_begin[static_cast<size_t>(l)];
           sc < e_.level_begin[static_cast<size_t>(l) + 1]; ++sc)
        for (size_t k = 0; k < keys_; ++k) {
          hc_.at(sc, k) += lm.hc.at(sc, k);
          fte_.at(sc, k) += lm.fte.at(sc, k);
        }
      const auto entries = lm.entries;
      for (size_t i = 0; i < entries->size(); ++i) {
        const Entry en = (*entries)[i];
        const int band = age_band(year - sip.birth_year[idx.rows[en.first]]);
        for (uint64_t bits = en.mask; bits; bits &= bits - 1) {
          const auto k = static_cast<size_t>(std::countr_zero(bits));
          age_.at(en.scope, k, static_cast<size_t>(band)) += 1;
          if (band >= 4) age55_.at(en.scope, k) += 1;
        }
      }
    }
    // Aggregate organisations: headcount, FTE and the 55+ share.
    agg_hc_ = hc_, agg_fte_ = fte_;
    agg_age55_num_ = age55_, agg_age55_den_ = hc_;
    age55_orgs_ = snap_orgs_;
    for_aggregate(E_, [&](const model::AggregateRow& r) {
      snap_orgs_[r.org] = 2;
      add(agg_hc_, r.org, agg_key(r), r.headcount);
      add(agg_fte_, r.org, agg_key(r), r.fte);
      if (!std::isnan(r.age_55_plus_headcount)) {
        age55_orgs_[r.org] = 2;
        add(agg_age55_num_, r.org, agg_key(r), r.age_55_plus_headcount);
        add(agg_age55_den_, r.org, agg_key(r), r.headcount);
      }
    });
  }

  // ---- Equality at E ---------------------------------------------------------------------
  void equality() {
    if (equality_done_) return;
    equality_done_ = true;
    const OrgSet& orgs = snap_record_orgs();
    rep_num_ = grid(kBandGroups * kRepValues), rep_den_ = grid(kBandGroups);
    senior_num_ = grid(), senior_den_ = grid();
    const auto& sip = m_.staff_in_post;
    // People in one organisation are counted by organisation in row order, then summed
    // into every scope; the few in several organisations are counted per scope.
    const size_t norgs = m_.organisations.size();
    Grid org_num(norgs, keys_, kBandGroups * kRepValues), org_den(norgs, keys_, kBandGroups);
    Grid org_senior_num(norgs, keys_), org_senior_den(norgs, keys_);
    std::vector<uint32_t> bt;  // (scope, key, band group) keys; group 7 = bands 8A and above
    auto count_into = [](Grid& num, Grid& den, Grid& snum, Grid& sden, uint32_t s, uint32_t k,
                         uint32_t g, uint8_t eth, uint8_t sex, uint8_t dis) {
      const bool stated = eth != static_cast<uint8_t>(EthnicGroup::not_stated);
      if (g == 7) {
        if (stated) sden.at(s, k) += 1;
        if (stated && eth != static_cast<uint8_t>(EthnicGroup::white)) snum.at(s, k) += 1;
        return;
      }
      den.at(s, k, g) += 1;
      num.at(s, k, g * kRepValues + eth) += 1;
      num.at(s, k, g * kRepValues + 6 + sex) += 1;
      num.at(s, k, g * kRepValues + 9 + dis) += 1;
    };
    // Distinct (scope, key, band group) of some rows, scope at level l (-1: organisation).
    auto band_keys = [&](std::span<const uint32_t> rows, int l) {
      bt.clear();
      for (uint32_t r : rows) {
        if (!orgs[sip.org[r]]) continue;
        const uint32_t s = l < 0 ? sip.org[r] : e_.org_scope[static_cast<size_t>(l)][sip.org[r]];
        const int g = band_group(sip.band[r]);
        const uint32_t k = MetricsEngine::Impl::key_of(by_, sip.staff_group[r], sip.role[r]);
        for (uint32_t kk : {0u, k}) {
          if (g >= 0) bt.push_back((s << 8 | kk) << 3 | static_cast<uint32_t>(g));
          if (is_senior(sip.band[r])) bt.push_back((s << 8 | kk) << 3 | 7u);
        }
      }
      std::sort(bt.begin(), bt.end());
      bt.erase(std::unique(bt.begin(), bt.end()), bt.end());
    };
    const auto [first, last] = m_.staff_in_post_rows(E_);
    const auto& multi = e_.org_month(E_, by_).multi;
    std::vector<uint8_t> in_multi(last - first, 0);
    for (uint32_t r : multi) in_multi[r - first] = 1;
    std::vector<uint32_t> run;
    for (size_t r = first; r < last;) {
      const uint16_t o = sip.org[r];
      const uint32_t p = sip.person[r];
      size_t e = r + 1;
      while (e < last && sip.person[e] == p && sip.org[e] == o) ++e;
      if (!orgs[o] || in_multi[r - first]) {
        r = e;
        continue;
      }
      const uint8_t eth = sip.ethnic_group[r], sex = sip.sex[r], dis = sip.disability[r];
      if (e - r == 1) {  // most people: one row, nothing to deduplicate
        const int g = band_group(sip.band[r]);
        const uint32_t k = MetricsEngine::Impl::key_of(by_, sip.staff_group[r], sip.role[r]);
        for (uint32_t kk : {0u, k}) {
          if (g >= 0)
            count_into(org_num, org_den, org_senior_num, org_senior_den, o, kk,
                       static_cast<uint32_t>(g), eth, sex, dis);
          if (is_senior(sip.band[r]))
            count_into(org_num, org_den, org_senior_num, org_senior_den, o, kk, 7, eth, sex, dis);
        }
      } else {
        run.clear();
        for (size_t x = r; x < e; ++x) run.push_back(static_cast<uint32_t>(x));
        band_keys(run, -1);
        for (uint32_t b : bt)
          count_into(org_num, org_den, org_senior_num, org_senior_den, b >> 11, (b >> 3) & 0xff,
                     b & 7u, eth, sex, dis);
      }
      r = e;
    }
    for (int l = 0; l < kLevels; ++l) {
      if (!(levels_ & (1 << l))) continue;
      for (size_t o = 0; o < norgs; ++o) {
        const size_t s = e_.org_scope[static_cast<size_t>(l)][o];
        for (size_t k = 0; k < keys_; ++k) {
          for (size_t c = 0; c < org_num.cats; ++c) rep_num_.at(s, k, c) += org_num.at(o, k, c);
          for (size_t c = 0; c < org_den.cats; ++c) rep_den_.at(s, k, c) += org_den.at(o, k, c);
          senior_num_.at(s, k) += org_senior_num.at(o, k);
          senior_den_.at(s, k) += org_senior_den.at(o, k);
        }
      }
    }
    // People in several organisations (their rows are grouped by person, in row order).
    for (size_t i = 0; i < multi.size();) {
      size_t j = i;
      while (j < multi.size() && sip.person[multi[j]] == sip.person[multi[i]]) ++j;
      const std::span<const uint32_t> rows(multi.data() + i, j - i);
      const uint32_t r0 = rows.front();
      const uint8_t eth = sip.ethnic_group[r0], sex = sip.sex[r0], dis = sip.disability[r0];
      for (int l = 0; l < kLevels; ++l) {
        if (!(levels_ & (1 << l))) continue;
        band_keys(rows, l);
        for (uint32_t b : bt)
          count_into(rep_num_, rep_den_, senior_num_, senior_den_, b >> 11, (b >> 3) & 0xff, b & 7u,
                     eth, sex, dis);
      }
      i = j;
    }
  }

  // ---- Snapshot turnover over (S, E] ---------------------------------------------------
  void window() {
    if (window_done_) return;
    window_done_ = true;
    OrgSet both(m_.organisations.size(), 0);
    for (size_t o = 0; o < both.size(); ++o) both[o] = sip_s_[o] && sip_e_[o];
    win_orgs_ = record_orgs_with(both, {});
    retention_orgs_ = win_orgs_;
    sip_s_hc_ = grid(), sip_e_hc_ = grid(), sip_s_fte_ = grid(), sip_e_fte_ = grid();
    stayers_ = grid(), stayer_fte_ = grid(), leavers_ = grid(), leaver_fte_ = grid();
    // Joiners and retention cost time on every window: skip them when not asked for.
    const bool need_joiners =
        wants("joiners") || wants("joiner_source_share") || wants("international_share_of_joiners");
    joiners_ = grid(), retained_ = grid();
    if (need_joiners) joiner_src_ = grid(recruitment_sources().size());
    const bool need_retention = wants("system_retention_rate");
    Grid retained_leavers = grid();
    // A window's grids are kept by the engine: a drill-down asks for the same windows again.
    // Organisations in no shown scope are not counted: their windows are kept apart.
    OrgSet counted;
    if (std::find(org_shown_.begin(), org_shown_.end(), 0) != org_shown_.end())
      counted = org_shown_;
    auto key = std::make_tuple(S_.index, levels_, static_cast<int>(by_), win_orgs_, need_joiners,
                               need_retention, counted);
    if (const WindowGrids* cached = e_.find_window(key)) {
      sip_s_hc_ = cached->sip_s_hc, sip_e_hc_ = cached->sip_e_hc;
      sip_s_fte_ = cached->sip_s_fte, sip_e_fte_ = cached->sip_e_fte;
      leavers_ = cached->leavers, leaver_fte_ = cached->leaver_fte;
      joiners_ = cached->joiners;
      if (need_joiners) joiner_src_ = cached->joiner_src;
      retained_leavers = cached->retained_leavers;
    } else if (std::find(win_orgs_.begin(), win_orgs_.end(), 1) == win_orgs_.end()) {
      // No organisation has staff in post at both S and E: every window grid stays zero.
    } else {
      merge_window(need_joiners, need_retention, !counted.empty(), retained_leavers);
      // Joiners are zero when not wanted: keep no copy of their sources then.
      e_.keep_window(std::move(key),
                     {sip_s_hc_, sip_e_hc_, sip_s_fte_, sip_e_fte_, leavers_, leaver_fte_, joiners_,
                      need_joiners ? joiner_src_ : Grid(), retained_leavers});
    }
    window_totals(retained_leavers);
  }

  /// Copy the scopes of the enabled levels of a month grid.
  void copy_levels(const Grid& from, Grid& to) const {
    for (uint16_t s = 0; s < e_.scopes(); ++s)
      if (level_on(s))
        for (size_t k = 0; k < keys_; ++k) to.at(s, k) = from.at(s, k);
  }

  /// Leavers, joiners and SIP at S and E of every scope. Everyone whose rows at S and at E
  /// differ is found by comparing the two months' signatures person by person; each is
  /// counted as a merge of the (person, scope) entries of every level would count them,
  /// person by person in id order, so every sum adds in the same order.
  void merge_window(bool need_joiners, bool need_retention, bool shown_only,
                    Grid& retained_leavers) {
    const MonthGrid& gs = e_.level_grid(S_, by_, levels_, win_orgs_);
    copy_levels(gs.hc, sip_s_hc_);
    copy_levels(gs.fte, sip_s_fte_);
    const MonthGrid& ge = e_.level_grid(E_, by_, levels_, win_orgs_);
    copy_levels(ge.hc, sip_e_hc_);
    copy_levels(ge.fte, sip_e_fte_);
    const MonthIndex& ma = e_.month_index(S_);
    const MonthIndex& mb = e_.month_index(E_);
    const uint32_t* sa = e_.signatures(ma);
    const uint32_t* sb = e_.signatures(mb);
    // The persons to look at: not the same one row (or none) at S and E, and, unless
    // joiners are counted, with rows at S; with `shown_only`, in a shown organisation at S
    // or E (or with several rows). A branch-free pass.
    auto& changed = e_.changed_scratch;
    const size_t persons = m_.persons.size();
    changed.resize(persons + 1);
    const uint32_t any_at_s = need_joiners ? 1u : 0u;
    const uint32_t norgs = static_cast<uint32_t>(m_.organisations.size());
    std::vector<uint32_t> shown;  // by sig >> 16: 0 no row, org + 1, the last several rows
    if (shown_only) {
      shown.assign(norgs + 2, 0);
      for (uint32_t o = 0; o < norgs; ++o) shown[o + 1] = org_shown_[o] ? 1 : 0;
      shown[norgs + 1] = 1;
    }
    size_t n = 0;
    auto consider = [&](size_t p) {
      const uint32_t a = sa[p], b = sb[p];
      const uint32_t in = !shown_only || (shown[std::min(a >> 16, norgs + 1)] |
                                          shown[std::min(b >> 16, norgs + 1)]);
      changed[n] = static_cast<uint32_t>(p);
      n += ((a != b) | (a == kMultiRow)) & ((a != 0) | any_at_s) & in;
    };
    size_t p = 0;
#ifdef __SSE2__
    // Four persons at a time: most are the same at S and E (or absent from both).
    const __m128i ones = _mm_set1_epi32(-1), zero = _mm_setzero_si128();
    const __m128i any_s = any_at_s ? ones : zero;
    for (; p + 4 <= persons; p += 4) {
      const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(sa + p));
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(sb + p));
      const __m128i differ =
          _mm_or_si128(_mm_andnot_si128(_mm_cmpeq_epi32(a, b), ones), _mm_cmpeq_epi32(a, ones));
      const __m128i at_s = _mm_or_si128(_mm_andnot_si128(_mm_cmpeq_epi32(a, zero), ones), any_s);
      for (int bits = _mm_movemask_ps(_mm_castsi128_ps(_mm_and_si128(differ, at_s))); bits;
           bits &= bits - 1)
        consider(p + static_cast<size_t>(std::countr_zero(static_cast<unsigned>(bits))));
    }
#endif
    for (; p < persons; ++p) consider(p);
    WindowMerge w{*this, ma, mb, need_joiners, need_retention, retained_leavers};
    for (size_t i = 0; i < n; ++i) {
      const uint32_t p = changed[i], a = sa[p], b = sb[p];
      if (a != kMultiRow && b != kMultiRow) {
        const double fte = a != 0 ? ma.fte[ma.at[p]] : 0;
        const uint8_t source = need_joiners && b != 0 ? mb.source[mb.at[p]] : 0;
        w.one_row({p, a, b, source, fte});
      } else {
        w.rows(p, a, b);
      }
    }
  }

  /// One window's leavers and joiners, person by person (merge_window). Rows are named by
  /// their position in the month's MonthIndex.
  struct WindowMerge {
    Computation& c;
    const MonthIndex &ma, &mb;
    bool need_joiners, need_retention;
    Grid& retained;
    int on[kLevels] = {};
    int levels = 0;
    std::vector<std::pair<uint16_t, uint64_t>> la, lb;

    WindowMerge(Computation& c_, const MonthIndex& a, const MonthIndex& b, bool joiners,
                bool retention, Grid& retained_)
        : c(c_),
          ma(a),
          mb(b),
          need_joiners(joiners),
          need_retention(retention),
          retained(retained_) {
      for (int l = 0; l < kLevels; ++l)
        if (c.levels_ & (1 << l)) on[levels++] = l;
    }

    uint32_t key(uint32_t sig) const {
      return 1u + (c.by_ == Breakdown::role ? signature_role(sig) : signature_group(sig));
    }

    /// Leaving `scope` for the keys in `bits`: `fte` is the FTE of each key's rows at S;
    /// `in_system` the keys the person still has in the system at E (retention).
    template <typename Fte>
    void leave(uint16_t scope, uint64_t bits, uint64_t in_system, Fte fte) {
      for (; bits; bits &= bits - 1) {
        const auto k = static_cast<size_t>(std::countr_zero(bits));
        c.leavers_.at(scope, k) += 1;
        c.leaver_fte_.at(scope, k) += fte(k);
        if (in_system >> k & 1) retained.at(scope, k) += 1;
      }
    }

    /// Joining `scope` for the keys in `bits`; `source` gives each key's recruitment source.
    template <typename Source>
    void join(uint16_t scope, uint64_t bits, Source source) {
      if (!need_joiners) return;
      for (; bits; bits &= bits - 1) {
        const auto k = static_cast<size_t>(std::countr_zero(bits));
        c.joiners_.at(scope, k) += 1;
        c.joiner_src_.at(scope, k, source(k)) += 1;
      }
    }

    /// A person with at most one row at S and at E.
    void one_row(const WindowPerson& g) {
      const uint32_t a = g.a, b = g.b;
      const bool in_a = a != 0 && c.win_orgs_[signature_org(a)];
      const bool in_b = b != 0 && c.win_orgs_[signature_org(b)];
      const uint16_t oa = in_a ? signature_org(a) : 0, ob = in_b ? signature_org(b) : 0;
      const uint32_t ka = in_a ? key(a) : 0, kb = in_b ? key(b) : 0;
      const double fte = g.fte;
      const uint8_t source = g.source;
      auto fte_of = [&](size_t) { return fte; };
      auto source_of = [&](size_t) { return source; };
      const uint64_t system_e = need_retention && in_b ? 1ull | 1ull << kb : 0;
      for (int i = 0; i < levels; ++i) {
        const int l = on[i];
        const auto& os = c.e_.org_scope[static_cast<size_t>(l)];
        const uint64_t in_system = l != 0 ? system_e : 0;
        if (in_a && in_b && os[oa] == os[ob]) {
          if (ka != kb) {
            leave(os[oa], 1ull << ka, in_system, fte_of);
            join(os[ob], 1ull << kb, source_of);
          }
          continue;
        }
        if (in_a) leave(os[oa], 1ull | 1ull << ka, in_system, fte_of);
        if (in_b) join(os[ob], 1ull | 1ull << kb, source_of);
      }
    }

    /// The positions of a person's rows at a month: one (signature not kMultiRow), several
    /// or none.
    static std::pair<uint32_t, uint32_t> rows_of(const MonthIndex& mi, uint32_t p, uint32_t sig) {
      if (sig == 0) return {0, 0};
      if (sig != kMultiRow) return {mi.at[p], mi.at[p] + 1};
      const uint32_t slot = mi.at[p];
      return {mi.persons.offsets[slot], mi.persons.offsets[slot + 1]};
    }

    /// The (scope, keys) entries of some rows at one level, by scope.
    void entries(const MonthIndex& mi, std::pair<uint32_t, uint32_t> rows, int l,
                 std::vector<std::pair<uint16_t, uint64_t>>& out) const {
      const auto& os = c.e_.org_scope[static_cast<size_t>(l)];
      out.clear();
      for (uint32_t x = rows.first; x < rows.second; ++x) {
        const uint16_t o = signature_org(mi.row_sig[x]);
        if (!c.win_orgs_[o]) continue;
        const uint64_t bits = 1ull | 1ull << key(mi.row_sig[x]);
        auto found =
            std::find_if(out.begin(), out.end(), [&](const auto& e) { return e.first == os[o]; });
        if (found == out.end()) {
          out.push_back({os[o], bits});
        } else {
          found->second |= bits;
        }
      }
      std::sort(out.begin(), out.end());
    }

    /// A person with several rows at S or at E.
    void rows(uint32_t p, uint32_t a, uint32_t b) {
      const auto ra = rows_of(ma, p, a), rb = rows_of(mb, p, b);
      const uint32_t na = ra.second - ra.first, nb = rb.second - rb.first;
      // The same rows (organisation, staff group, role) at S and E: nothing changed.
      if (na == nb && std::equal(ma.row_sig.begin() + ra.first, ma.row_sig.begin() + ra.second,
                                 mb.row_sig.begin() + rb.first))
        return;
      uint64_t system_e = 0;
      if (need_retention)
        for (uint32_t x = rb.first; x < rb.second; ++x)
          if (c.win_orgs_[signature_org(mb.row_sig[x])])
            system_e |= 1ull | 1ull << key(mb.row_sig[x]);
      for (int i = 0; i < levels; ++i) {
        const int l = on[i];
        const auto& os = c.e_.org_scope[static_cast<size_t>(l)];
        const uint64_t in_system = l != 0 ? system_e : 0;
        // A row of the person in a scope with key k (k = 0: every key).
        auto matches = [&](uint32_t sig, uint16_t scope, size_t k) {
          const uint16_t o = signature_org(sig);
          return c.win_orgs_[o] && os[o] == scope && (k == 0 || key(sig) == k);
        };
        auto leave_scope = [&](uint16_t scope, uint64_t bits) {
          leave(scope, bits, in_system, [&](size_t k) {
            if (na == 1) return ma.fte[ra.first];  // the one row made every bit
            double f = 0;
            for (uint32_t x = ra.first; x < ra.second; ++x)
              if (matches(ma.row_sig[x], scope, k)) f += ma.fte[x];
            return f;
          });
        };
        auto join_scope = [&](uint16_t scope, uint64_t bits) {
          join(scope, bits, [&](size_t k) -> uint8_t {
            if (nb == 1) return mb.source[rb.first];
            for (uint32_t x = rb.first; x < rb.second; ++x)
              if (matches(mb.row_sig[x], scope, k)) return mb.source[x];
            return 0;
          });
        };
        entries(ma, ra, l, la);
        entries(mb, rb, l, lb);
        size_t x = 0, y = 0;
        while (x < la.size() || y < lb.size()) {
          const uint32_t sx = x < la.size() ? la[x].first : UINT32_MAX;
          const uint32_t sy = y < lb.size() ? lb[y].first : UINT32_MAX;
          if (sx == sy) {
            const uint64_t mx = la[x].second, my = lb[y].second;
            if (mx & ~my) leave_scope(la[x].first, mx & ~my);
            if (my & ~mx) join_scope(lb[y].first, my & ~mx);
            ++x, ++y;
          } else if (sx < sy) {
            leave_scope(la[x].first, la[x].second);
            ++x;
          } else {
            join_scope(lb[y].first, lb[y].second);
            ++y;
          }
        }
      }
    }
  };

  void window_totals(const Grid& retained_leavers) {
    for (size_t x = 0; x < stayers_.v.size(); ++x) {
      stayers_.v[x] = sip_s_hc_.v[x] - leavers_.v[x];
      stayer_fte_.v[x] = sip_s_fte_.v[x] - leaver_fte_.v[x];
      retained_.v[x] = stayers_.v[x] + retained_leavers.v[x];
    }
    // Aggregate organisations (headcount basis): their 12-month counts.
    t_leavers_ = leavers_, t_sip_s_hc_ = sip_s_hc_, t_stayers_ = stayers_, t_joiners_ = joiners_;
    Grid t_sip_e = sip_e_hc_;
    turnover_hc_orgs_ = win_orgs_;
    joiner_orgs_ = win_orgs_;
    intl_orgs_ = win_orgs_;
    joiners_all_ = joiners_;
    intl_num_ = grid();
    if (!joiner_src_.v.empty())  // else no joiners were counted
      for (size_t s = intl_num_.lo; s < intl_num_.lo + intl_num_.scopes; ++s)
        for (size_t k = 0; k < keys_; ++k)
          intl_num_.at(s, k) =
              joiner_src_.at(s, k, static_cast<size_t>(RecruitmentSource::international));
    if (e_.aggregate_counts_whole) {
      const AggregateTurnover& a = e_.aggregate_turnover(E_, by_);
      for (uint16_t o : a.turnover_orgs) turnover_hc_orgs_[o] = 2;
      for (uint16_t o : a.intl_orgs) intl_orgs_[o] = 2;
      // The counts are whole numbers: added in any order, they sum to the same. The
      // system, place and sector scopes take their summed sums, organisations their own.
      const size_t lo = t_leavers_.lo, first_org = e_.level_begin[3];
      const size_t org_cells = first_org > lo ? (first_org - lo) * keys_ : 0;
      if (!a.wide.empty())
        for_shown_cells([&](size_t x) {
          if (x >= org_cells) return;
          const auto& v = a.wide[lo * keys_ + x];
          t_leavers_.v[x] += v[0];
          t_sip_s_hc_.v[x] += v[1];
          t_stayers_.v[x] += v[2];
          t_sip_e.v[x] += v[3];
          t_joiners_.v[x] += v[4];
          intl_num_.v[x] += v[5];
          joiners_all_.v[x] += v[6];
        });
      for (const auto& x : a.sums) {
        if (!(levels_ & 1 << 3) || !org_shown_[x.org]) continue;
        const size_t s = e_.org_scope[3][x.org];
        auto add_org = [&](Grid& g, double value) {
          g.at(s, 0) += value;
          if (x.key != 0) g.at(s, x.key) += value;
        };
        if (x.turnover) {
          add_org(t_leavers_, x.leavers);
          add_org(t_sip_s_hc_, x.headcount_12m_ago);
          add_org(t_stayers_, x.stayers);
          add_org(t_sip_e, x.headcount);
          add_org(t_joiners_, x.joiners);
        }
        if (x.intl) {
          add_org(intl_num_, x.intl_recruits);
          add_org(joiners_all_, x.intl_joiners);
        }
      }
    } else {
      window_aggregate_rows(t_sip_e);
    }
    t_mean_hc_ = grid();
    for (size_t x = 0; x < t_mean_hc_.v.size(); ++x)
      t_mean_hc_.v[x] = (t_sip_s_hc_.v[x] + t_sip_e.v[x]) / 2;
  }

  /// Add the aggregate returns' 12-month counts row by row.
  void window_aggregate_rows(Grid& t_sip_e) {
    for_aggregate(E_, [&](const model::AggregateRow& r) {
      const uint32_t k = agg_key(r);
      if (!std::isnan(r.leavers_12m) && !std::isnan(r.headcount_12m_ago) &&
          !std::isnan(r.stayers_12m)) {
        turnover_hc_orgs_[r.org] = 2;
        add(t_leavers_, r.org, k, r.leavers_12m);
        add(t_sip_s_hc_, r.org, k, r.headcount_12m_ago);
        add(t_stayers_, r.org, k, r.stayers_12m);
        add(t_sip_e, r.org, k, r.headcount);
        add(t_joiners_, r.org, k, r.headcount - r.stayers_12m);
      }
      if (!std::isnan(r.stayers_12m) && !std::isnan(r.international_recruits_12m)) {
        intl_orgs_[r.org] = 2;
        add(intl_num_, r.org, k, r.international_recruits_12m);
        add(joiners_all_, r.org, k, r.headcount - r.stayers_12m);
      }
    });
  }

  // ---- Rolling (event) turnover --------------------------------------------------------
  /// One leaver event: an (organisation, person) with leaver rows in (S, E] that left the
  /// organisation or a staff group (role) in it.
  struct LeaverEvent {
    uint16_t org = 0;
    uint8_t reason = 0, destination = 0;  ///< The latest counted row's.
    bool leaves_org = false;  ///< No assignment of the person in the organisation goes on.
    double org_fte = 0;       ///< FTE of the ended assignments that left the organisation.
    /// (key, FTE) of ended assignments whose staff group (role) no other assignment goes on
    /// in, in date order.
    std::span<const std::pair<uint32_t, double>> keys;
  };
  std::vector<std::pair<uint32_t, double>> event_keys_;

  /// Key bits (bit 0: any) of the person's other assignments in the organisation that go on
  /// after leavers.csv row `x` ended: in staff in post at the month end on or after its leave
  /// date and not ended by then (`run`: the person's leaver rows there in the window).
  uint64_t going_on(std::span<const uint32_t> run, uint32_t x) const {
    const auto& lv = m_.leavers;
    const auto& sip = m_.staff_in_post;
    const Month month = Month::of(lv.leave_date[x]);
    const Date end = month.end();
    uint64_t bits = 0;
    const auto [first, last] = e_.person_rows(month, lv.org[x], lv.person[x]);
    for (uint32_t r = first; r < last; ++r) {
      const uint32_t a = sip.assignment[r];
      if (a == lv.assignment[x]) continue;
      const bool ended = std::any_of(run.begin(), run.end(), [&](uint32_t y) {
        return lv.assignment[y] == a && lv.leave_date[y] <= end;
      });
      if (!ended)
        bits |= 1ull | 1ull << MetricsEngine::Impl::key_of(by_, sip.staff_group[r], sip.role[r]);
    }
    return bits;
  }

  /// Call fn(event) for the leaver events in (S, E] of contributing organisations, one per
  /// (org, person) that left the organisation or a staff group (role) in it, in (org,
  /// person) order. An ended assignment while another goes on is a leaver of its group only,
  /// or of nothing if the other is in the same group.
  template <typename Fn>
  void for_leaver_events(const OrgSet& orgs, const std::vector<uint8_t>& excluded, Fn fn) {
    const auto& lv = m_.leavers;
    const Date from = S_.end(), to = E_.end();
    std::array<bool, 256> is_excluded{};
    for (uint8_t reason : excluded) is_excluded[reason] = true;
    if (!e_.all_rows_shared(false)) {
      // Find the snapshot rows not known yet in bulk (in date order).
      auto first = std::upper_bound(lv.leave_date.begin(), lv.leave_date.end(), from);
      auto last = std::upper_bound(lv.leave_date.begin(), lv.leave_date.end(), to);
      std::vector<uint32_t> unknown;
      for (auto it = first; it != last; ++it) {
        const auto i = static_cast<uint32_t>(it - lv.leave_date.begin());
        if (orgs[lv.org[i]] && org_shown_[lv.org[i]] && !is_excluded[lv.reason[i]] &&
            !e_.row_known(false, i))
          unknown.push_back(i);
      }
      e_.resolve_rows(unknown, false);
    }
    const auto& sip = m_.staff_in_post;
    const LeaverOrder& order = e_.leaver_order();
    const RowFacts& facts = order.facts;
    const bool have_facts = !facts.fte.empty();
    MetricsEngine::Impl::RowCursors cursors;
    // One (org, person): its rows in the window, positions [first, last) of the order (in
    // date order, so together), of every reason (an assignment that ended for an excluded
    // reason has still ended); those not excluded count.
    auto event = [&](uint16_t org, size_t first, size_t last) {
      const std::span<const uint32_t> run(order.row.data() + first, last - first);
      LeaverEvent ev;
      ev.org = org;
      event_keys_.clear();
      bool counted = false;
      for (size_t j = first; j < last; ++j) {
        if (is_excluded[order.reason[j]]) continue;
        const uint32_t x = order.row[j];
        uint32_t k = 0;
        double fte = 0;
        bool others = true;  // rows of another assignment of the person there (may go on)
        if (have_facts) {
          if (facts.group[j] != RowFacts::kNoRow) {
            k = MetricsEngine::Impl::key_of(by_, facts.group[j], facts.role[j]);
            fte = facts.fte[j];
          }
          others = order.others[j] != 0;
        } else {
          if (const uint32_t r = e_.leaver_row(x); r != UINT32_MAX) {
            k = MetricsEngine::Impl::key_of(by_, sip.staff_group[r], sip.role[r]);
            fte = sip.fte[r];
          }
          others = e_.other_assignment_rows(x, cursors);
        }
        const uint64_t on = others ? going_on(run, x) : 0;
        const bool leaves_org = !(on & 1), leaves_key = k != 0 && !(on >> k & 1);
        if (!leaves_org && !leaves_key) continue;
        if (leaves_org) ev.leaves_org = true, ev.org_fte += fte;
        if (leaves_key) event_keys_.push_back({k, fte});
        ev.reason = order.reason[j];  // in date order within the event: the latest counted wins
        ev.destination = order.destination[j];
        counted = true;
      }
      if (!counted) return;
      ev.keys = event_keys_;
      fn(ev);
    };
    // Organisation by organisation: within one, its rows by person, in date order.
    for (size_t o = 0; o + 1 < order.org_first.size(); ++o) {
      if (!orgs[o] || !org_shown_[o]) continue;
      const size_t end = order.org_first[o + 1];
      for (size_t j = order.org_first[o]; j < end;) {
        if (order.day[j] <= from.days || order.day[j] > to.days) {
          ++j;
          continue;
        }
        size_t last = j + 1;
        while (last < end && order.person[last] == order.person[j] && order.day[last] <= to.days)
          ++last;
        event(static_cast<uint16_t>(o), j, last);
        j = last;
      }
    }
  }

  void rolling() {
    if (rolling_done_) return;
    rolling_done_ = true;
    rolling_orgs_ = record_orgs_with(sip_e_, {FileKind::leavers});
    rolling_num_ = grid(), rolling_den_ = grid(), rolling_num_hc_ = grid(),
    rolling_den_hc_ = grid();
    std::vector<uint32_t> distinct;
    for_leaver_events(rolling_orgs_, q_.rolling.excluded_reasons, [&](const LeaverEvent& ev) {
      distinct.clear();
      for (auto [k, f] : ev.keys)
        if (std::find(distinct.begin(), distinct.end(), k) == distinct.end()) distinct.push_back(k);
      const double events = ev.leaves_org ? 1 : 0;
      for (int l = 0; l < kLevels; ++l) {
        if (!(levels_ & (1 << l))) continue;
        const uint16_t s = e_.org_scope[l][ev.org];
        rolling_num_hc_.at(s, 0) += events;
        rolling_num_.at(s, 0) += q_.rolling.fte_basis ? ev.org_fte : events;
        for (uint32_t k : distinct) {
          rolling_num_hc_.at(s, k) += 1;
          double f = 0;
          for (auto [kk, ff] : ev.keys)
            if (kk == k) f += ff;
          rolling_num_.at(s, k) += q_.rolling.fte_basis ? f : 1;
        }
      }
    });
    std::vector<Month> months;
    for (int i = 0; i <= 12; ++i) months.push_back(S_ + i);
    e_.prefetch_org_months(months, by_);
    for (int i = 0; i <= 12; ++i) {
      const MonthGrid& g = e_.month_grid(S_ + i, by_, levels_, rolling_orgs_);
      for_shown_cells([&](size_t x) {
        rolling_den_.v[x] += (q_.rolling.fte_basis ? g.fte.v[x] : g.hc.v[x]) / 13.0;
        rolling_den_hc_.v[x] += g.hc.v[x] / 13.0;
      });
    }
  }

  void leaver_categories() {
    if (leaver_cats_done_) return;
    leaver_cats_done_ = true;
    if (!rolling_done_) rolling_orgs_ = record_orgs_with(sip_e_, {FileKind::leavers});
    reason_num_ = grid(leaver_reasons().size()), dest_num_ = grid(destinations().size());
    reason_den_ = grid();
    std::vector<uint32_t> ks;
    for_leaver_events(rolling_orgs_, {}, [&](const LeaverEvent& ev) {
      ks.clear();
      if (ev.leaves_org) ks.push_back(0);
      for (auto [k, f] : ev.keys)
        if (std::find(ks.begin(), ks.end(), k) == ks.end()) ks.push_back(k);
      for (int l = 0; l < kLevels; ++l) {
        if (!(levels_ & (1 << l))) continue;
        const uint16_t s = e_.org_scope[l][ev.org];
        for (uint32_t k : ks) {
          reason_den_.at(s, k) += 1;
          reason_num_.at(s, k, ev.reason) += 1;
          dest_num_.at(s, k, ev.destination) += 1;
        }
      }
    });
  }

  // ---- Vacancies -----------------------------------------------------------------------
  uint32_t cell_key(const Cell& c) const {
    if (by_ == Breakdown::role) return c.role == kAnyCode ? 0u : 1u + c.role;
    return 1u + c.group;
  }

  void vacancy() {
    if (vacancy_done_) return;
    vacancy_done_ = true;
    vac_orgs_ = OrgSet(m_.organisations.size(), 0);
    posts_orgs_ = OrgSet(m_.organisations.size(), 0);
    vac_num_ = grid(), vac_den_ = grid(), posts_num_ = grid(), posts_den_ = grid();
    ltv_count_ = grid(), ltv_fte_ = grid();
    const OrgSet base = record_orgs_with(sip_e_, {FileKind::establishment});
    // The cells of every organisation; an id names its organisation, so looking one up
    // in the previous months' cells finds a cell of the same organisation.
    const auto& cells = e_.cells(E_);
    for (const Cell& c : cells)
      if (base[c.org]) vac_orgs_[c.org] = 1;
    const auto& prev1 = e_.cells(E_ - 1);
    const auto& prev2 = e_.cells(E_ - 2);
    auto vacant_in = [](const std::vector<Cell>& cs, uint64_t id) {
      auto it = std::lower_bound(cs.begin(), cs.end(), id,
                                 [](const Cell& c, uint64_t v) { return c.id < v; });
      return it != cs.end() && it->id == id && it->vacancy > 0;
    };
    for (const Cell& c : cells) {
      if (!vac_orgs_[c.org] || !org_shown_[c.org]) continue;
      const uint32_t k = cell_key(c);
      add(vac_num_, c.org, k, c.vacancy);
      add(vac_den_, c.org, k, c.funded);
      if (c.vacancy > 0 && vacant_in(prev1, c.id) && vacant_in(prev2, c.id)) {
        add(ltv_count_, c.org, k, 1);
        add(ltv_fte_, c.org, k, c.vacancy);
      }
    }
    for_aggregate(E_, [&](const model::AggregateRow& r) {
      if (std::isnan(r.vacant_posts)) return;
      posts_orgs_[r.org] = 2;
      add(posts_num_, r.org, agg_key(r), r.vacant_posts);
      add(posts_den_, r.org, agg_key(r), r.headcount + r.vacant_posts);
    });
  }

  // ---- Sickness ------------------------------------------------------------------------
  void sickness() {
    if (sickness_done_) return;
    sickness_done_ = true;
    sick_orgs_ = record_orgs_with(sip_e_, {FileKind::absence});
    lost12_ = grid(), lost_month_ = grid(), lost_short_ = grid(), lost_long_ = grid();
    lost_reason_ = grid(absence_reasons().size());
    avail12_ = grid(), avail_month_ = grid();
    const auto& ab = m_.absence;
    const auto& sip = m_.staff_in_post;
    const Date from12 = Date{S_.end().days + 1}, to = E_.end(), from1 = E_.start();
    const Date latest = m_.latest_month().end();
    const auto last = static_cast<size_t>(
        std::upper_bound(ab.start_date.begin(), ab.start_date.end(), to) - ab.start_date.begin());
    // The episodes that may overlap the window, in row order: the long ones before `first`
    // that end in it, then every one from `first` (short ones starting before `first` end
    // before the window).
    const auto first = static_cast<size_t>(
        std::lower_bound(ab.start_date.begin(), ab.start_date.begin() + static_cast<long>(last),
                         Date{from12.days - LongEpisodes::kDays}) -
        ab.start_date.begin());
    const LongEpisodes& long_ones = e_.long_episodes();
    const auto first_long = static_cast<size_t>(
        std::lower_bound(long_ones.max_end.begin(), long_ones.max_end.end(), from12.days) -
        long_ones.max_end.begin());
    auto for_candidates = [&](auto fn) {
      for (size_t j = first_long; j < long_ones.rows.size() && long_ones.rows[j] < first; ++j)
        fn(long_ones.rows[j]);
      for (size_t i = first; i < last; ++i) fn(i);
    };
    if (!e_.all_rows_shared(true)) {
      std::vector<uint32_t> unknown;
      for_candidates([&](size_t i) {
        if (sick_orgs_[ab.org[i]] && ab.end_date[i] >= from12 && !e_.row_known(true, i))
          unknown.push_back(static_cast<uint32_t>(i));
      });
      e_.resolve_rows(unknown, true);
    }
    const RowFacts* facts = e_.absence_facts();
    if (facts) {
      count_episodes(*facts, from12, to, from1, latest, first_long, first, last);
    } else {
      for_candidates([&](size_t i) {
        if (!sick_orgs_[ab.org[i]] || !org_shown_[ab.org[i]] || ab.end_date[i] < from12) return;
        double fte;
        uint32_t k;
        if (facts) {
          if (facts->group[i] == RowFacts::kNoRow) return;
          fte = facts->fte[i];
          k = MetricsEngine::Impl::key_of(by_, facts->group[i], facts->role[i]);
        } else {
          const uint32_t r = e_.absence_row(i);
          if (r == UINT32_MAX) return;
          fte = sip.fte[r];
          k = MetricsEngine::Impl::key_of(by_, sip.staff_group[r], sip.role[r]);
        }
        const Date end = std::min(ab.end_date[i], to);
        const double days12 = end.days - std::max(ab.start_date[i], from12).days + 1;
        const double days1 = std::max(0, end.days - std::max(ab.start_date[i], from1).days + 1);
        const Date length_end = ab.end_date[i] == model::kOpenEnd ? latest : ab.end_date[i];
        const bool long_term = length_end.days - ab.start_date[i].days + 1 > 28;
        add(lost12_, ab.org[i], k, days12 * fte);
        add(lost_reason_, ab.org[i], k, days12 * fte, ab.reason[i]);
        add(long_term ? lost_long_ : lost_short_, ab.org[i], k, days12 * fte);
        if (days1 > 0) add(lost_month_, ab.org[i], k, days1 * fte);
      });
    }
    std::vector<Month> months;
    for (int i = 1; i <= 12; ++i) months.push_back(S_ + i);
    e_.prefetch_org_months(months, by_);
    for (int i = 1; i <= 12; ++i) {
      const Month month = S_ + i;
      const MonthGrid& g = e_.month_grid(month, by_, levels_, sick_orgs_);
      const int days = month.days();
      for_shown_cells([&](size_t x) {
        avail12_.v[x] += days * g.fte.v[x];
        if (month == E_) avail_month_.v[x] = days * g.fte.v[x];
      });
    }
    rec_avail12_ = avail12_;
    // The staff behind the FTE days (disclosure control): headcount at E.
    sick_hc_ = e_.month_grid(E_, by_, levels_, sick_orgs_).hc;
    sick12_hc_ = sick_hc_;
    sick12_orgs_ = sick_orgs_;
    for_aggregate(E_, [&](const model::AggregateRow& r) {
      if (std::isnan(r.sickness_fte_days_lost_12m) || std::isnan(r.sickness_fte_days_available_12m))
        return;
      sick12_orgs_[r.org] = 2;
      add(lost12_, r.org, agg_key(r), r.sickness_fte_days_lost_12m);
      add(avail12_, r.org, agg_key(r), r.sickness_fte_days_available_12m);
      add(sick12_hc_, r.org, agg_key(r), r.headcount);
    });
  }

  /// The sickness() sums over the candidate episodes (the long ones from `first_long` before
  /// `first`, then `first` to `last`) with their snapshot rows' facts: the same sums in the
  /// same order, in a loop that keeps its pointers in registers.
  void count_episodes(const RowFacts& facts, Date from12, Date to, Date from1, Date latest,
                      size_t first_long, size_t first, size_t last) {
    const auto& ab = m_.absence;
    std::vector<uint8_t> counted(m_.organisations.size());
    for (size_t o = 0; o < counted.size(); ++o) counted[o] = sick_orgs_[o] && org_shown_[o];
    const uint16_t* org = ab.org.data();
    const Date* start = ab.start_date.data();
    const Date* end = ab.end_date.data();
    const uint8_t* reason = ab.reason.data();
    const uint8_t* group = facts.group.data();
    const uint8_t* role = facts.role.data();
    const double* fte = facts.fte.data();
    const bool by_role = by_ == Breakdown::role;
    const int32_t f12 = from12.days, t = to.days, f1 = from1.days, open_until = latest.days;
    const size_t lo = lost12_.lo, keys = keys_, reasons = lost_reason_.cats;
    double* lost12 = lost12_.v.data();
    double* by_reason = lost_reason_.v.data();
    double* long_term = lost_long_.v.data();
    double* short_term = lost_short_.v.data();
    double* month = lost_month_.v.data();
    const int levels = level_count_;
    const uint16_t* const* level_scopes = level_scopes_;
    // One level of one scope (the system): the all-staff cells (key 0) are each one sum.
    const bool one_scope = levels == 1 && lost12_.scopes == 1;
    double lost12_all = 0, long_all = 0, short_all = 0, month_all = 0;
    std::vector<double> reason_all(reasons, 0.0);
    // The long ones first (their rows come before `first`), then the rest, in one loop.
    const LongEpisodes& long_ones = e_.long_episodes();
    size_t end_long = first_long;
    while (end_long < long_ones.rows.size() && long_ones.rows[end_long] < first) ++end_long;
    const uint32_t* long_rows = long_ones.rows.data();
    const size_t n_long = end_long - first_long, n = n_long + (last - first);
    for (size_t x = 0; x < n; ++x) {
      const size_t i = x < n_long ? long_rows[first_long + x] : first + (x - n_long);
      const uint16_t o = org[i];
      const int32_t e_day = end[i].days;
      if (e_day < f12 || !counted[o] || group[i] == RowFacts::kNoRow) continue;
      const size_t k = 1u + (by_role ? role[i] : group[i]);  // MetricsEngine::Impl::key_of
      const double f = fte[i];
      const int32_t s_day = start[i].days;
      const int32_t until = std::min(e_day, t);
      const double days12 = until - std::max(s_day, f12) + 1;
      const double days1 = std::max(0, until - std::max(s_day, f1) + 1);
      const int32_t length_end = e_day == model::kOpenEnd.days ? open_until : e_day;
      double* term = length_end - s_day + 1 > 28 ? long_term : short_term;
      const double lost = days12 * f;
      const size_t c = reason[i];
      if (one_scope) {
        // Every episode adds to the same all-staff cells: keep them in registers.
        lost12_all += lost;
        lost12[k] += lost;
        reason_all[c] += lost;
        by_reason[k * reasons + c] += lost;
        (term == long_term ? long_all : short_all) += lost;
        term[k] += lost;
        if (days1 > 0) {
          month_all += days1 * f;
          month[k] += days1 * f;
        }
        continue;
      }
      for (int l = 0; l < levels; ++l) {
        const size_t base = (level_scopes[l][o] - lo) * keys;
        lost12[base] += lost;
        lost12[base + k] += lost;
        by_reason[base * reasons + c] += lost;
        by_reason[(base + k) * reasons + c] += lost;
        term[base] += lost;
        term[base + k] += lost;
        if (days1 > 0) {
          month[base] += days1 * f;
          month[base + k] += days1 * f;
        }
      }
    }
    if (one_scope) {  // the cells started at zero: 0 + x is x
      lost12[0] = lost12_all;
      long_term[0] = long_all;
      short_term[0] = short_all;
      month[0] = month_all;
      for (size_t c = 0; c < reasons; ++c) by_reason[c] = reason_all[c];
    }
  }

  // ---- Pay and shifts ------------------------------------------------------------------
  void pay() {
    if (pay_done_) return;
    pay_done_ = true;
    pay_orgs_ = OrgSet(m_.organisations.size(), 0);
    agency_ = grid(), bank_ = grid(), pay_total_ = grid();
    for (const auto& r : m_.pay_costs) {
      if (r.period <= S_ || r.period > E_) continue;
      pay_orgs_[r.org] = 1;
      const uint32_t k = by_ == Breakdown::staff_group ? 1u + r.staff_group : 0u;
      add(agency_, r.org, k, r.agency_gbp);
      add(bank_, r.org, k, r.bank_gbp);
      add(pay_total_, r.org, k, r.substantive_gbp + r.bank_gbp + r.agency_gbp);
    }
  }

  void shifts() {
    if (shifts_done_) return;
    shifts_done_ = true;
    shift_orgs_ = OrgSet(m_.organisations.size(), 0);
    filled_ = grid(), requested_ = grid(), bank_shifts_ = grid();
    hours_ = grid(cover_reasons().size()), cost_ = grid(cover_reasons().size());
    hours_total_ = grid(), cost_total_ = grid(), filled_by_reason_ = grid(cover_reasons().size());
    for (const auto& r : m_.shifts) {
      if (Month::of(r.shift_date) != E_) continue;
      shift_orgs_[r.org] = 1;
      const uint32_t k = MetricsEngine::Impl::key_of(by_, r.staff_group, r.role);
      add(requested_, r.org, k, 1);
      if (r.outcome == static_cast<uint8_t>(ShiftOutcome::unfilled)) continue;
      add(filled_, r.org, k, 1);
      if (r.outcome == static_cast<uint8_t>(ShiftOutcome::bank)) add(bank_shifts_, r.org, k, 1);
      add(filled_by_reason_, r.org, k, 1, r.cover_reason);
      add(hours_, r.org, k, r.hours, r.cover_reason);
      add(cost_, r.org, k, r.cost_gbp, r.cover_reason);
      add(hours_total_, r.org, k, r.hours);
      add(cost_total_, r.org, k, r.cost_gbp);
    }
  }

  // ---- Growth and population -----------------------------------------------------------
  void growth() {
    if (growth_done_) return;
    growth_done_ = true;
    OrgSet both(m_.organisations.size(), 0);
    for (size_t o = 0; o < both.size(); ++o) both[o] = sip_s_[o] && sip_e_[o];
    growth_orgs_ = record_orgs_with(both, {});
    growth_num_ = grid(), growth_den_ = grid();
    const MonthGrid& ge = e_.month_grid(E_, by_, levels_, growth_orgs_);
    const MonthGrid& gs = e_.month_grid(S_, by_, levels_, growth_orgs_);
    for (size_t x = 0; x < growth_num_.v.size(); ++x) {
      growth_num_.v[x] = ge.fte.v[x] - gs.fte.v[x];
      growth_den_.v[x] = gs.fte.v[x];
    }
    // The staff behind the FTE at E and at S (disclosure control).
    growth_hc_e_ = ge.hc, growth_hc_s_ = gs.hc;
    std::vector<uint8_t> agg_s(m_.organisations.size(), 0), agg_e(m_.organisations.size(), 0);
    for_aggregate(S_, [&](const model::AggregateRow& r) { agg_s[r.org] = 1; });
    for_aggregate(E_, [&](const model::AggregateRow& r) { agg_e[r.org] = 1; });
    for_aggregate(S_, [&](const model::AggregateRow& r) {
      if (!agg_e[r.org]) return;
      growth_orgs_[r.org] = 2;
      add(growth_num_, r.org, agg_key(r), -r.fte);
      add(growth_den_, r.org, agg_key(r), r.fte);
      add(growth_hc_s_, r.org, agg_key(r), r.headcount);
    });
    for_aggregate(E_, [&](const model::AggregateRow& r) {
      if (!agg_s[r.org]) return;
      add(growth_num_, r.org, agg_key(r), r.fte);
      add(growth_hc_e_, r.org, agg_key(r), r.headcount);
    });
  }

  void population() {
    if (population_done_) return;
    population_done_ = true;
    snapshot();
    const size_t np = m_.places.size();
    std::vector<int> est_year(np, -1);
    for (const auto& r : m_.population)
      if (r.kind == static_cast<uint8_t>(PopulationKind::estimate) && r.year <= E_.year())
        est_year[r.place] = std::max<int>(est_year[r.place], r.year);
    std::vector<double> pop(np, 0.0);
    std::vector<uint8_t> has(np, 0);
    for (const auto& r : m_.population) {
      const bool use =
          est_year[r.place] >= 0
              ? r.kind == static_cast<uint8_t>(PopulationKind::estimate) &&
                    r.year == est_year[r.place]
              : r.kind == static_cast<uint8_t>(PopulationKind::projection) && r.year == E_.year();
      if (!use) continue;
      pop[r.place] += r.population;
      has[r.place] = 1;
    }
    pop_orgs_ = OrgSet(m_.organisations.size(), 0);
    for (size_t o = 0; o < pop_orgs_.size(); ++o)
      pop_orgs_[o] = has[m_.organisations[o].place] ? snap_orgs_[o] : 0;
    pop_fte_ = grid(), pop_ = grid();
    // FTE of organisations in places with a population (FTE adds up across organisations).
    const auto& sip = m_.staff_in_post;
    const auto [first, last] = m_.staff_in_post_rows(E_);
    for (size_t r = first; r < last; ++r)
      if (pop_orgs_[sip.org[r]] == 1)
        add(pop_fte_, sip.org[r], MetricsEngine::Impl::key_of(by_, sip.staff_group[r], sip.role[r]),
            sip.fte[r]);
    // The staff behind that FTE (disclosure control).
    pop_hc_ = e_.month_grid(E_, by_, levels_, pop_orgs_).hc;
    for_aggregate(E_, [&](const model::AggregateRow& r) {
      if (pop_orgs_[r.org] != 2) return;
      add(pop_fte_, r.org, agg_key(r), r.fte);
      add(pop_hc_, r.org, agg_key(r), r.headcount);
    });
    for (size_t p = 0; p < np; ++p) {
      if (!has[p]) continue;
      bool any = false;
      for (size_t o = 0; o < pop_orgs_.size(); ++o)
        any = any || (pop_orgs_[o] && m_.organisations[o].place == p);
      if (!any) continue;
      for (size_t k = 0; k < keys_; ++k) {
        if (level_on(0)) pop_.at(0, k) += pop[p];
        if (level_on(static_cast<uint16_t>(1 + p))) pop_.at(1 + p, k) += pop[p];
      }
    }
  }

  // ---- Emission ------------------------------------------------------------------------
  void emit(const MetricDecl& d, const Emit& em) {
    const bool keys_ok = em.keys_available && q_.by != Breakdown::none &&
                         contains(d.breakdowns, q_.by == Breakdown::role ? "role" : "staff_group");
    std::vector<int> coverage(e_.scopes(), 0);
    bool any_record = false, any_aggregate = false;
    for (size_t o = 0; o < em.orgs->size(); ++o) {
      if (!(*em.orgs)[o]) continue;
      any_record = any_record || (*em.orgs)[o] == 1;
      any_aggregate = any_aggregate || (*em.orgs)[o] == 2;
      for (int l = 0; l < kLevels; ++l) ++coverage[e_.org_scope[l][o]];
    }
    const std::span<const std::string> files =
        d.file_sets[(any_record ? 1u : 0u) | (any_aggregate ? 2u : 0u)];
    const size_t ncats = em.categories ? em.categories->size() : 1;
    for (uint16_t s = 0; s < e_.scopes(); ++s) {
      if (!level_on(s) || e_.total_orgs[s] == 0) continue;
      if (!d.scopes.empty() && !contains(d.scopes, scope_type_name(e_.scope_type[s]))) continue;
      if (!q_.scopes.empty() &&
          std::find(q_.scopes.begin(), q_.scopes.end(), e_.scope_name[s]) == q_.scopes.end())
        continue;
      for (size_t k = 0; k < (keys_ok ? keys_ : 1); ++k) {
        MetricResult base;
        base.metric = d.name;
        base.period = E_;
        base.scope_type = e_.scope_type[s];
        base.scope = e_.scope_name[s];
        if (k > 0) {
          if (by_ == Breakdown::role) {
            base.role_code = roles().code(static_cast<uint8_t>(k - 1));
            base.staff_group =
                staff_groups().code(role_info(static_cast<uint8_t>(k - 1)).staff_group);
          } else {
            base.staff_group = staff_groups().code(static_cast<uint8_t>(k - 1));
          }
        }
        base.basis = em.basis;
        base.options = em.options;
        base.coverage_orgs = coverage[s];
        base.total_orgs = e_.total_orgs[s];
        base.files = files;
        if (coverage[s] == 0) {
          if (k > 0) continue;
          base.available = false;
          base.files = {};
          out_->push_back(std::move(base));
          continue;
        }
        const double den_all = em.den ? em.den->at(s, k) / em.den_scale : kNaN;
        if (k > 0) {
          // A staff group with nothing in the scope is left out rather than printed as zero.
          double total = em.den ? den_all : 0;
          for (size_t c = 0; c < ncats; ++c) total += std::abs(em.num->at(s, k, c));
          if (em.presence) total = em.presence->at(s, k);
          if (total == 0 || std::isnan(total)) continue;
        }
        for (size_t c = 0; c < ncats; ++c) {
          double den = den_all;
          if (em.categories && em.den && em.den->cats > 1) {
            den = em.den->at(s, k, c / (ncats / em.den->cats)) / em.den_scale;
            // A band group nobody in the scope belongs to has no shares to report.
            if (den == 0) continue;
          }
          MetricResult r = c + 1 == ncats ? std::move(base) : base;
          if (em.categories) r.category = (*em.categories)[c];
          r.numerator = em.num->at(s, k, c);
          r.denominator = den;
          switch (d.value_kind) {
            case ValueKind::percent:
              r.value = r.denominator != 0 ? r.numerator / r.denominator * 100 : kNaN;
              break;
            case ValueKind::per_100k:
              r.value = r.denominator != 0 ? r.numerator / r.denominator * 100000 : kNaN;
              break;
            case ValueKind::ratio:
              r.value = r.denominator != 0 ? r.numerator / r.denominator : kNaN;
              break;
            case ValueKind::amount:
              r.value = r.numerator;
              break;
          }
          if (d.numerator_quantity == Quantity::count) r.numerator_persons = r.numerator;
          if (d.denominator_quantity == Quantity::count) r.denominator_persons = r.denominator;
          if (em.num_persons) r.numerator_persons = em.num_persons->at(s, k, c);
          if (em.no_num_persons) r.numerator_persons = kNaN;
          if (em.den_persons) r.denominator_persons = em.den_persons->at(s, k);
          if (em.staff_persons)
            r.numerator_persons = r.denominator_persons = em.staff_persons->at(s, k);
          out_->push_back(std::move(r));
        }
      }
    }
  }

  static const std::vector<std::string>& names_of(const CodeList& list) {
    return list.codes();
  }

  void metric(const MetricDecl& d) {
    const std::string& n = d.name;
    Emit em;
    if (n == "sip_headcount" || n == "sip_fte") {
      snapshot();
      em.num = n == "sip_headcount" ? &agg_hc_ : &agg_fte_;
      em.orgs = &snap_orgs_;
      em.basis = n == "sip_headcount" ? "headcount" : "fte";
      if (n == "sip_fte") em.num_persons = &agg_hc_;
      emit(d, em);
    } else if (n == "leavers" || n == "joiners") {
      window();
      em.num = n == "leavers" ? &t_leavers_ : &t_joiners_;
      em.orgs = &turnover_hc_orgs_;
      em.presence = &t_mean_hc_;
      em.basis = "headcount";
      emit(d, em);
    } else if (n == "turnover_rate") {
      window();
      em.num = &t_leavers_, em.den = &t_mean_hc_, em.orgs = &turnover_hc_orgs_;
      em.basis = "headcount";
      emit(d, em);
      Grid mean_fte = grid();
      for (size_t x = 0; x < mean_fte.v.size(); ++x)
        mean_fte.v[x] = (sip_s_fte_.v[x] + sip_e_fte_.v[x]) / 2;
      Grid mean_hc = grid();
      for (size_t x = 0; x < mean_hc.v.size(); ++x)
        mean_hc.v[x] = (sip_s_hc_.v[x] + sip_e_hc_.v[x]) / 2;
      Emit f;
      f.num = &leaver_fte_, f.den = &mean_fte, f.orgs = &win_orgs_, f.basis = "fte";
      f.num_persons = &leavers_, f.den_persons = &mean_hc;
      emit(d, f);
    } else if (n == "stability_index") {
      window();
      em.num = &t_stayers_, em.den = &t_sip_s_hc_, em.orgs = &turnover_hc_orgs_;
      em.basis = "headcount";
      emit(d, em);
      Emit f;
      f.num = &stayer_fte_, f.den = &sip_s_fte_, f.orgs = &win_orgs_, f.basis = "fte";
      f.num_persons = &stayers_, f.den_persons = &sip_s_hc_;
      emit(d, f);
    } else if (n == "system_retention_rate") {
      window();
      em.num = &retained_, em.den = &sip_s_hc_, em.orgs = &retention_orgs_;
      em.basis = "headcount";
      emit(d, em);
    } else if (n == "rolling_turnover_rate") {
      rolling();
      em.num = &rolling_num_, em.den = &rolling_den_, em.orgs = &rolling_orgs_;
      em.basis = q_.rolling.fte_basis ? "fte" : "headcount";
      em.options = q_.rolling.describe();
      em.num_persons = &rolling_num_hc_, em.den_persons = &rolling_den_hc_;
      emit(d, em);
    } else if (n == "vacancy_rate") {
      vacancy();
      em.num = &vac_num_, em.den = &vac_den_, em.orgs = &vac_orgs_, em.basis = "fte";
      em.no_num_persons = true;
      emit(d, em);
      Emit p;
      p.num = &posts_num_, p.den = &posts_den_, p.orgs = &posts_orgs_, p.basis = "posts";
      p.no_num_persons = true;
      emit(d, p);
    } else if (n == "vacancy_fte" || n == "long_term_vacancy_count" ||
               n == "long_term_vacancy_fte") {
      vacancy();
      em.num = n == "vacancy_fte"             ? &vac_num_
               : n == "long_term_vacancy_fte" ? &ltv_fte_
                                              : &ltv_count_;
      em.orgs = &vac_orgs_;
      em.presence = &vac_den_;
      em.basis = n == "long_term_vacancy_count" ? "cells" : "fte";
      emit(d, em);
    } else if (n.starts_with("sickness_absence_rate")) {
      sickness();
      em.basis = "fte_days";
      em.orgs = &sick_orgs_;
      em.den = &rec_avail12_;
      em.staff_persons = &sick_hc_;
      if (n == "sickness_absence_rate") {
        em.num = &lost12_, em.den = &avail12_, em.orgs = &sick12_orgs_;
        em.staff_persons = &sick12_hc_;
      } else if (n == "sickness_absence_rate_month") {
        em.num = &lost_month_, em.den = &avail_month_;
      } else if (n == "sickness_absence_rate_by_reason") {
        em.num = &lost_reason_, em.categories = &names_of(absence_reasons());
      } else if (n == "sickness_absence_rate_short_term") {
        em.num = &lost_short_;
      } else {
        em.num = &lost_long_;
      }
      emit(d, em);
    } else if (n == "agency_share_of_pay" || n == "bank_share_of_pay") {
      pay();
      em.num = n == "agency_share_of_pay" ? &agency_ : &bank_;
      em.den = &pay_total_, em.orgs = &pay_orgs_, em.basis = "gbp";
      emit(d, em);
    } else if (n == "shift_fill_rate" || n == "bank_fill_share") {
      shifts();
      em.num = n == "shift_fill_rate" ? &filled_ : &bank_shifts_;
      em.den = n == "shift_fill_rate" ? &requested_ : &filled_;
      em.orgs = &shift_orgs_, em.basis = "shifts";
      emit(d, em);
    } else if (n == "shift_hours_by_cover_reason" || n == "shift_cost_by_cover_reason") {
      shifts();
      const bool hours = n == "shift_hours_by_cover_reason";
      em.num = hours ? &hours_ : &cost_, em.den = hours ? &hours_total_ : &cost_total_;
      em.orgs = &shift_orgs_, em.basis = hours ? "hours" : "gbp";
      em.categories = &names_of(cover_reasons());
      em.num_persons = &filled_by_reason_, em.den_persons = &filled_;
      emit(d, em);
    } else if (n == "age_band_share") {
      snapshot();
      em.num = &age_, em.den = &hc_, em.orgs = &snap_record_orgs(), em.basis = "headcount";
      em.categories = &age_band_names();
      emit(d, em);
    } else if (n == "age_55_plus_share") {
      snapshot();
      em.num = &agg_age55_num_, em.den = &agg_age55_den_, em.orgs = &age55_orgs_;
      em.basis = "headcount";
      emit(d, em);
    } else if (n == "fte_growth_12m") {
      growth();
      em.num = &growth_num_, em.den = &growth_den_, em.orgs = &growth_orgs_, em.basis = "fte";
      em.num_persons = &growth_hc_e_, em.den_persons = &growth_hc_s_;
      emit(d, em);
    } else if (n == "fte_per_100k_population" || n == "population_per_fte") {
      population();
      const bool per = n == "fte_per_100k_population";
      em.num = per ? &pop_fte_ : &pop_, em.den = per ? &pop_ : &pop_fte_;
      em.orgs = &pop_orgs_, em.basis = "fte";
      if (per) {
        em.num_persons = &pop_hc_;
      } else {
        em.no_num_persons = true;  // the population counts no persons
        em.den_persons = &pop_hc_;
      }
      emit(d, em);
    } else if (n == "international_share_of_joiners") {
      window();
      em.num = &intl_num_, em.den = &joiners_all_, em.orgs = &intl_orgs_, em.basis = "headcount";
      emit(d, em);
    } else if (n == "joiner_source_share") {
      window();
      em.num = &joiner_src_, em.den = &joiners_, em.orgs = &win_orgs_, em.basis = "headcount";
      em.categories = &names_of(recruitment_sources());
      emit(d, em);
    } else if (n == "leaver_reason_share" || n == "leaver_destination_share") {
      leaver_categories();
      const bool reason = n == "leaver_reason_share";
      em.num = reason ? &reason_num_ : &dest_num_, em.den = &reason_den_;
      em.orgs = &rolling_orgs_, em.basis = "headcount";
      em.categories = &names_of(reason ? leaver_reasons() : destinations());
      emit(d, em);
    } else if (n == "representation_share") {
      equality();
      em.num = &rep_num_, em.den = &rep_den_, em.orgs = &snap_record_orgs();
      em.basis = "headcount", em.categories = &representation_names();
      emit(d, em);
    } else if (n == "ethnic_minority_share_senior") {
      equality();
      em.num = &senior_num_, em.den = &senior_den_, em.orgs = &snap_record_orgs();
      em.basis = "headcount";
      emit(d, em);
    }
  }

  const OrgSet& snap_record_orgs() {
    if (snap_record_.empty()) snap_record_ = record_orgs_with(sip_e_, {});
    return snap_record_;
  }
  OrgSet snap_record_;

  static const std::vector<std::string>& age_band_names() {
    static const std::vector<std::string> names(kAgeBandNames.begin(), kAgeBandNames.end());
    return names;
  }

  static const std::vector<std::string>& representation_names() {
    static const std::vector<std::string> names = [] {
      std::vector<std::string> out;
      for (const char* g : kBandGroupNames) {
        for (const auto& c : ethnic_groups().codes())
          out.push_back(fmt::format("{}|ethnic_group={}", g, c));
        for (const auto& c : sexes().codes()) out.push_back(fmt::format("{}|sex={}", g, c));
        for (const auto& c : disabilities().codes())
          out.push_back(fmt::format("{}|disability={}", g, c));
      }
      return out;
    }();
    return names;
  }
};

}  // namespace

ModelIndex::ModelIndex(const model::WorkforceModel& model, std::unique_ptr<Data> data)
    : model_(model), data_(std::move(data)) {}

ModelIndex::~ModelIndex() = default;

std::shared_ptr<const ModelIndex> ModelIndex::build(const model::WorkforceModel& model,
                                                    int threads) {
  MetricsEngine::Impl impl(model);
  impl.build_all(threads);
  return std::shared_ptr<const ModelIndex>(
      new ModelIndex(model, std::make_unique<Data>(std::move(impl.local))));
}

size_t ModelIndex::memory_bytes() const {
  return data_->memory_bytes();
}

MetricsEngine::MetricsEngine(const model::WorkforceModel& model, EngineOptions options)
    : impl_(std::make_unique<Impl>(model, std::move(options.index))) {
  impl_->keep_caches = options.keep_caches;
}

MetricsEngine::~MetricsEngine() = default;

Result<std::vector<MetricResult>> MetricsEngine::compute(const Query& query) const {
  CF_RETURN_IF_ERROR(query.validate());
  std::vector<MetricResult> out;
  Computation c(*impl_, query);
  c.run(out);
  if (!impl_->keep_caches) impl_->clear_caches();
  return out;
}

Result<std::vector<MetricResult>> MetricsEngine::series(const Query& query, Month from,
                                                        Month to) const {
  CF_RETURN_IF_ERROR(query.validate());
  if (to < from)
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("series end {} is before its start {}", to.iso(), from.iso()));
  std::vector<MetricResult> out;
  for (Month month = from; month <= to; month = month + 1) {
    Query q = query;
    q.at = month;
    Computation c(*impl_, q);
    c.run(out);
    if (!impl_->keep_caches) impl_->clear_caches();
  }
  return out;
}

Result<std::vector<MetricResult>> compute(const model::WorkforceModel& model, const Query& query) {
  return MetricsEngine(model).compute(query);
}

}  // namespace careforce::metrics
