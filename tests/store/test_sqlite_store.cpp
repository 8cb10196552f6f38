#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_schema.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store_test_util.hpp"

namespace careforce::store {
namespace {

using testing::count;
using testing::make_row;
using testing::meta;
using testing::organisation;
using testing::query_text;
using testing::staff;
using testing::TempDatabase;

const FileSpec& spec(FileKind kind) {
  return file_spec(kind);
}

std::unique_ptr<Store> open_or_die(const std::string& path) {
  auto store = open_store(path);
  EXPECT_TRUE(store.is_ok()) << store.error().message;
  return store ? std::move(store).value() : nullptr;
}

std::unique_ptr<ImportSession> begin(Store& store, const std::string& sha) {
  auto session = store.begin_import(meta(sha));
  EXPECT_TRUE(session.is_ok()) << session.error().message;
  return session ? std::move(session).value() : nullptr;
}

void add(ImportSession& session, FileKind kind, const std::vector<Value>& row, uint64_t line) {
  Status status = session.add_row(spec(kind), row, line);
  ASSERT_TRUE(status.is_ok()) << status.message();
}

void commit(ImportSession& session) {
  Status status = session.commit(SubmissionOutcome::accepted, {}, {});
  ASSERT_TRUE(status.is_ok()) << status.message();
}

// --- migrations -------------------------------------------------------------------------

TEST(StoreMigrations, FreshDatabaseIsAtTheLatestVersionWithTablesFromTheStandard) {
  TempDatabase db;
  auto store = open_or_die(db.path());
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version(), sqlite::latest_schema_version());
  EXPECT_EQ(count(db.path(), "schema_migrations"),
            static_cast<int64_t>(sqlite::migrations().size()));
  EXPECT_EQ(query_text(db.path(), "SELECT description FROM schema_migrations WHERE version=1"),
            sqlite::migrations().front().description);
  EXPECT_EQ(query_text(db.path(), "PRAGMA journal_mode"), "wal");
  // Column types come from the declared ColumnType.
  auto type_of = [&](const char* table, const char* column) {
    return query_text(db.path(), std::string("SELECT type FROM pragma_table_info('") + table +
                                     "') WHERE name='" + column + "'");
  };
  EXPECT_EQ(type_of("staff_in_post", "fte"), "REAL");
  EXPECT_EQ(type_of("staff_in_post", "birth_year"), "INTEGER");
  EXPECT_EQ(type_of("staff_in_post", "snapshot_date"), "TEXT");
  EXPECT_EQ(type_of("staff_in_post", "submission_id"), "INTEGER");
  EXPECT_EQ(type_of("staff_in_post", "source_line"), "INTEGER");
  EXPECT_EQ(type_of("staff_in_post", "period_month"), "TEXT");
  EXPECT_EQ(type_of("aggregate_returns", "vacant_posts"), "INTEGER");
  EXPECT_EQ(type_of("targets", "year"), "TEXT");
  EXPECT_EQ(type_of("population", "year"), "INTEGER");
  EXPECT_EQ(type_of("population", "period_month"), "");  // replaced by key, not by period
  for (const FileSpec& file : data_standard_files())
    EXPECT_EQ(query_text(db.path(), "SELECT count(*) FROM pragma_table_info('" + file.table + "')"),
              std::to_string(file.columns.size() + 2 + (file.period_column.empty() ? 0 : 1)))
        << file.table;
}

TEST(StoreMigrations, ReopeningIsANoOp) {
  TempDatabase db;
  open_or_die(db.path());
  const std::string applied = query_text(db.path(),
                                         "SELECT group_concat(version || ':' || applied_at) FROM "
                                         "schema_migrations");
  auto again = open_or_die(db.path());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->schema_version(), sqlite::latest_schema_version());
  EXPECT_EQ(query_text(db.path(),
                       "SELECT group_concat(version || ':' || applied_at) FROM "
                       "schema_migrations"),
            applied);
}

TEST(StoreMigrations, ADatabaseFromTheFutureIsRefused) {
  TempDatabase db;
  open_or_die(db.path());
  {
    auto conn = sqlite::Connection::open(db.path());
    ASSERT_TRUE(conn.is_ok());
    ASSERT_TRUE((*conn)->exec("INSERT INTO schema_migrations VALUES(99, 'future', 'x')").is_ok());
  }
  auto store = open_store(db.path());
  ASSERT_FALSE(store.is_ok());
  EXPECT_EQ(store.error().code, ErrorCode::store_error);
  EXPECT_EQ(store.error().message, "database '" + db.path() +
                                       "' is at schema version 99, newer than this careforce " +
                                       "knows (" + std::to_string(sqlite::latest_schema_version()) +
                                       "); use a newer careforce");
}

TEST(StoreOpen, PostgresIsNotBuiltYet) {
  auto store = open_store("postgresql://localhost/careforce");
  ASSERT_FALSE(store.is_ok());
  EXPECT_EQ(store.error().code, ErrorCode::unavailable);
}

TEST(StoreOpen, OptionsAreValidated) {
  StoreOptions options;
  options.cache_size_mib = 0;
  auto store = open_store("unused.db", options);
  ASSERT_FALSE(store.is_ok());
  EXPECT_EQ(store.error().message, "cache_size_mib must be at least 1");
}

// --- round trip -------------------------------------------------------------------------

TEST(StoreRoundTrip, RowsInComeBackInTheModel) {
  TempDatabase db;
  auto store = open_or_die(db.path());
  auto session = begin(*store, "sha-1");
  const int64_t id = session->submission_id();
  EXPECT_GT(id, 0);
  add(*session, FileKind::organisations, organisation("RAA", "Acute A", "acute", "North"), 2);
  add(*session, FileKind::organisations,
      organisation("CARE1", "Care Home 1", "social_care", "South", "aggregate"), 3);
  add(*session, FileKind::staff_in_post, staff("RAA", "2024-03-31", "p1", "A1", "0.8"), 2);
  add(*session, FileKind::staff_in_post, staff("RAA", "2024-03-31", "p2", "A2"), 3);
  add(*session, FileKind::staff_in_post, staff("RAA", "2024-02-29", "p1", "A1", "0.8"), 4);
  add(*session, FileKind::leavers,
      make_row(FileKind::leavers, {{"org_code", "RAA"},
                                   {"person_key", "p3"},
                                   {"assignment_id", "A3"},
                                   {"leave_date", "2024-03-15"},
                                   {"reason", "retirement"},
                                   {"destination", "retirement"}}),
      2);
  add(*session, FileKind::absence,
      make_row(FileKind::absence, {{"org_code", "RAA"},
                                   {"person_key", "p1"},
                                   {"assignment_id", "A1"},
                                   {"start_date", "2024-03-01"},
                                   {"end_date", "2024-03-05"},
                                   {"reason", "cold_flu"}}),
      2);
  add(*session, FileKind::absence,
      make_row(FileKind::absence, {{"org_code", "RAA"},
                                   {"person_key", "p2"},
                                   {"assignment_id", "A2"},
                                   {"start_date", "2024-03-20"},
                                   {"reason", "back"}}),
      3);
  add(*session, FileKind::establishment,
      make_row(FileKind::establishment, {{"period", "2024-03"},
                                         {"org_code", "RAA"},
                                         {"staff_group", "nursing"},
                                         {"funded_fte", "12.5"}}),
      2);
  add(*session, FileKind::temporary_staffing,
      make_row(FileKind::temporary_staffing, {{"shift_date", "2024-03-02"},
                                              {"org_code", "RAA"},
                                              {"staff_group", "nursing"},
                                              {"role_code", "adult_nurse"},
                                              {"hours", "7.5"},
                                              {"outcome", "unfilled"},
                                              {"cover_reason", "sickness"}}),
      2);
  add(*session, FileKind::pay_costs,
      make_row(FileKind::pay_costs, {{"period", "2024-03"},
                                     {"org_code", "RAA"},
                                     {"staff_group", "nursing"},
                                     {"substantive_gbp", "100000"},
                                     {"bank_gbp", "5000.5"},
                                     {"agency_gbp", "2500"}}),
      2);
  add(*session, FileKind::aggregate_returns,
      make_row(FileKind::aggregate_returns, {{"snapshot_date", "2024-03-31"},
                                             {"org_code", "CARE1"},
                                             {"staff_group", "nursing"},
                                             {"role_code", "adult_nurse"},
                                             {"headcount", "12"},
                                             {"fte", "10.5"},
                                             {"leavers_12m", "3"}}),
      2);
  add(*session, FileKind::population,
      make_row(FileKind::population, {{"place", "North"},
                                      {"year", "2024"},
                                      {"age_band", "85+"},
                                      {"population", "4200"},
                                      {"kind", "estimate"}}),
      2);
  add(*session, FileKind::targets,
      make_row(FileKind::targets, {{"indicator", "vacancy_rate"},
                                   {"scope", "system"},
                                   {"year", "2024/25"},
                                   {"target", "0.08"},
                                   {"direction", "lower_is_better"}}),
      2);
  commit(*session);

  auto loaded = store->load_model();
  ASSERT_TRUE(loaded.is_ok()) << loaded.error().message;
  const model::WorkforceModel& m = *loaded;
  ASSERT_EQ(m.organisations.size(), 2u);
  const int raa = m.find_organisation("RAA"), care = m.find_organisation("CARE1");
  ASSERT_GE(raa, 0);
  ASSERT_GE(care, 0);
  EXPECT_EQ(m.organisations[raa].name, "Acute A");
  EXPECT_EQ(m.organisations[raa].sector, Sector::acute);
  EXPECT_EQ(m.places.value(m.organisations[raa].place), "North");
  EXPECT_EQ(m.organisations[care].sector, Sector::social_care);
  EXPECT_EQ(m.organisations[care].level, DataLevel::aggregate);
  EXPECT_TRUE(m.organisations[raa].has(FileKind::staff_in_post));
  EXPECT_FALSE(m.organisations[care].has(FileKind::staff_in_post));

  ASSERT_EQ(m.staff_in_post.size(), 3u);
  auto [first, last] = m.staff_in_post_rows(Month::from_ym(2024, 3));
  ASSERT_EQ(last - first, 2u);
  const auto row = m.staff_in_post.row(first);  // sorted by person: p1 first
  EXPECT_EQ(row.org, raa);
  EXPECT_EQ(m.persons.value(row.person), "p1");
  EXPECT_EQ(m.assignments.value(row.assignment), "RAA|A1");
  EXPECT_DOUBLE_EQ(row.fte, 0.8);
  EXPECT_EQ(row.staff_group, *staff_groups().find("nursing"));
  EXPECT_EQ(row.role, *roles().find("adult_nurse"));
  EXPECT_EQ(row.band, static_cast<uint8_t>(Band::b5));
  EXPECT_EQ(row.contract_type, static_cast<uint8_t>(ContractType::permanent));
  EXPECT_EQ(row.org_start_date, Date::from_ymd(2019, 9, 2));
  EXPECT_EQ(row.birth_year, 1985);
  EXPECT_EQ(row.sex, static_cast<uint8_t>(Sex::female));
  EXPECT_EQ(row.ethnic_group, static_cast<uint8_t>(EthnicGroup::asian));
  EXPECT_EQ(row.disability, static_cast<uint8_t>(Disability::no));
  EXPECT_EQ(row.nationality_group, static_cast<uint8_t>(NationalityGroup::non_eu));
  EXPECT_EQ(row.recruitment_source, static_cast<uint8_t>(RecruitmentSource::international));
  EXPECT_EQ(row.origin.submission, static_cast<uint32_t>(id));
  EXPECT_EQ(row.origin.line, 2u);
  // The same person and assignment in February intern to the same ids.
  const auto feb = m.staff_in_post.row(m.staff_in_post_rows(Month::from_ym(2024, 2)).first);
  EXPECT_EQ(feb.person, row.person);
  EXPECT_EQ(feb.assignment, row.assignment);
  EXPECT_EQ(feb.origin.line, 4u);

  ASSERT_EQ(m.leavers.size(), 1u);
  EXPECT_EQ(m.leavers.row(0).leave_date, Date::from_ymd(2024, 3, 15));
  EXPECT_EQ(m.leavers.row(0).reason, static_cast<uint8_t>(LeaverReason::retirement));
  EXPECT_EQ(m.leavers.row(0).destination, static_cast<uint8_t>(Destination::retirement));

  ASSERT_EQ(m.absence.size(), 2u);
  EXPECT_EQ(m.absence.row(0).end_date, Date::from_ymd(2024, 3, 5));
  EXPECT_EQ(m.absence.row(1).end_date, model::kOpenEnd);
  EXPECT_EQ(m.absence.row(1).reason, static_cast<uint8_t>(AbsenceReason::back));

  ASSERT_EQ(m.establishment.size(), 1u);
  EXPECT_EQ(m.establishment[0].period, Month::from_ym(2024, 3));
  EXPECT_EQ(m.establishment[0].role, kAnyCode);
  EXPECT_EQ(m.establishment[0].band, kAnyCode);
  EXPECT_DOUBLE_EQ(m.establishment[0].funded_fte, 12.5);

  ASSERT_EQ(m.shifts.size(), 1u);
  EXPECT_EQ(m.shifts[0].outcome, static_cast<uint8_t>(ShiftOutcome::unfilled));
  EXPECT_FLOAT_EQ(m.shifts[0].hours, 7.5f);
  EXPECT_EQ(m.shifts[0].cost_gbp, 0.0);

  ASSERT_EQ(m.pay_costs.size(), 1u);
  EXPECT_DOUBLE_EQ(m.pay_costs[0].bank_gbp, 5000.5);

  ASSERT_EQ(m.aggregate_returns.size(), 1u);
  const auto& agg = m.aggregate_returns[0];
  EXPECT_EQ(agg.org, care);
  EXPECT_EQ(agg.month, Month::from_ym(2024, 3));
  EXPECT_DOUBLE_EQ(agg.headcount, 12);
  EXPECT_DOUBLE_EQ(agg.fte, 10.5);
  EXPECT_DOUBLE_EQ(agg.leavers_12m, 3);
  EXPECT_TRUE(std::isnan(agg.vacant_posts));
  EXPECT_TRUE(std::isnan(agg.international_recruits_12m));

  ASSERT_EQ(m.population.size(), 1u);
  EXPECT_EQ(m.places.value(m.population[0].place), "North");
  EXPECT_EQ(m.population[0].year, 2024);
  EXPECT_EQ(m.population[0].age_band, 17);
  EXPECT_DOUBLE_EQ(m.population[0].population, 4200);

  ASSERT_EQ(m.targets.size(), 1u);
  EXPECT_EQ(m.targets[0].indicator, "vacancy_rate");
  EXPECT_EQ(m.targets[0].year.start_year, 2024);
  EXPECT_DOUBLE_EQ(m.targets[0].target, 0.08);
  EXPECT_EQ(m.targets[0].direction, Direction::lower_is_better);

  EXPECT_EQ(m.snapshot_months().size(), 2u);
}

TEST(StoreRoundTrip, RowsAreInvisibleToReadersUntilCommit) {
  TempDatabase db;
  auto store = open_or_die(db.path());
  auto session = begin(*store, "sha-1");
  add(*session, FileKind::organisations, organisation("RAA", "Acute A"), 2);
  add(*session, FileKind::staff_in_post, staff("RAA", "2024-03-31", "p1", "A1"), 2);
  auto before = store->load_model();
  ASSERT_TRUE(before.is_ok()) << before.error().message;
  EXPECT_EQ(before->staff_in_post.size(), 0u);
  EXPECT_TRUE(store->submissions()->empty());
  commit(*session);
  EXPECT_EQ(store->load_model()->staff_in_post.size(), 1u);
}

// --- rollback ---------------------------------------------------------------------------

TEST(StoreRollback, RollbackAndDestructionLeaveNothing) {
  TempDatabase db;
  auto store = open_or_die(db.path());
  {
    auto session = begin(*store, "sha-1");
    add(*session, FileKind::organisations, organisation("RAA", "Acute A"), 2);
    add(*session, FileKind::staff_in_post, staff("RAA", "2024-03-31", "p1", "A1"), 2);
    session->rollback();
    Status late =
        session->add_row(spec(FileKind::staff_in_post), staff("RAA", "2024-03-31", "p2", "A2"), 3);
    EXPECT_EQ(late.error().code, ErrorCode::invalid_argument);
  }
  {
    auto session = begin(*store, "sha-2");
    add(*session, FileKind::organisations, organisation("RBB", "Acute B"), 2);
    // Destroyed without commit.
  }
  EXPECT_EQ(count(db.path(), "organisations"), 0);
  EXPECT_EQ(count(db.path(), "staff_in_post"), 0);
  EXPECT_EQ(count(db.path(), "submissions"), 0);
  EXPECT_TRUE(store->submissions()->empty());
  EXPECT_TRUE(store->organisations()->empty());
  EXPECT_EQ(*store->last_import_time(), "");
}

TEST(StoreRollback, ASecondWriterIsToldAnotherImportIsRunning) {
  TempDatabase db;
  StoreOptions no_wait;
  no_wait.busy_timeout_ms = 0;
  auto first = open_store(db.path(), no_wait);
  auto second = open_store(db.path(), no_wait);
  ASSERT_TRUE(first.is_ok() && second.is_ok());
  auto running = begin(**first, "sha-1");
  auto blocked = (*second)->begin_import(meta("sha-2"));
  ASSERT_FALSE(blocked.is_ok());
  EXPECT_EQ(blocked.error().code, ErrorCode::conflict);
  EXPECT_EQ(blocked.error().message,
            "another import is writing to the store; try again when it has finished");
  running->rollback();
  EXPECT_TRUE((*second)->begin_import(meta("sha-2")).is_ok());
}

// --- replacement ------------------------------------------------------------------------

TEST(StoreReplacement, AResubmissionReplacesOnlyThatOrganisationAndPeriod) {
  TempDatabase db;
  auto store = open_or_die(db.path());
  auto first = begin(*store, "sha-1");
  const int64_t first_id = first->submission_id();
  add(*first, FileKind::organisations, organisation("RAA", "Acute A"), 2);
  add(*first, FileKind::organisations, organisation("RBB", "Acute B"), 3);
  add(*first, FileKind::staff_in_post, staff("RAA", "2024-01-31", "p1", "A1"), 2);
  add(*first, FileKind::staff_in_post, staff("RAA", "2024-02-29", "p1", "A1"), 3);
  add(*first, FileKind::staff_in_post, staff("RAA", "2024-02-29", "p2", "A2"), 4);
  add(*first, FileKind::staff_in_post, staff("RBB", "2024-02-29", "q1", "B1"), 5);
  commit(*first);

  auto second = begin(*store, "sha-2");
  const int64_t second_id = second->submission_id();
  add(*second, FileKind::organisations, organisation("RAA", "Acute A renamed"), 2);
  add(*second, FileKind::staff_in_post, staff("RAA", "2024-02-29", "p1", "A1", "0.5"), 2);
  commit(*second);

  auto m = store->load_model();
  ASSERT_TRUE(m.is_ok()) << m.error().message;
  const int raa = m->find_organisation("RAA"), rbb = m->find_organisation("RBB");
  EXPECT_EQ(m->organisations[raa].name, "Acute A renamed");
  EXPECT_EQ(m->organisations[rbb].name, "Acute B");
  ASSERT_EQ(m->staff_in_post.size(), 3u);
  for (size_t i = 0; i < m->staff_in_post.size(); ++i) {
    const auto r = m->staff_in_post.row(i);
    if (r.org == raa && r.month == Month::from_ym(2024, 2)) {
      EXPECT_EQ(r.origin.submission, second_id);  // only the resubmitted row
      EXPECT_DOUBLE_EQ(r.fte, 0.5);
    } else {
      EXPECT_EQ(r.origin.submission, first_id);  // January and RBB untouched
    }
  }
  auto history = store->submissions();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[1].organisations, std::vector<std::string>{"RAA"});
  EXPECT_EQ((*history)[0].organisations, (std::vector<std::string>{"RAA", "RBB"}));
}

TEST(StoreReplacement, LeaversAreReplacedByTheMonthOfTheirLeaveDate) {
  TempDatabase db;
  auto store = open_or_die(db.path());
  auto leaver = [](const char* assignment, const char* date) {
    return make_row(FileKind::leavers, {{"org_code", "RAA"},
                                        {"person_key", assignment},
                                        {"assignment_id", assignment},
                                        {"leave_date", date},
                                        {"reason", "other"},
                                        {"destination", "other"}});
  };
  auto first = begin(*store, "sha-1");
  add(*first, FileKind::organisations, organisation("RAA", "Acute A"), 2);
  add(*first, FileKind::leavers, leaver("A1", "2024-03-05"), 2);
  add(*first, FileKind::leavers, leaver("A2", "2024-03-20"), 3);
  add(*first, FileKind::leavers, leaver("A3", "2024-04-02"), 4);
  commit(*first);
  auto second = begin(*store, "sha-2");
  add(*second, FileKind::leavers, leaver("A4", "2024-03-10"), 2);
  commit(*second);
  EXPECT_EQ(query_text(db.path(),
                       "SELECT group_concat(assignment_id || '@' || leave_date || "
                       "'#' || period_month, ' ') FROM (SELECT * FROM leavers "
                       "ORDER BY leave_date)"),
            "A4@2024-03-10#2024-03 A3@2024-04-02#2024-04");
}

TEST(StoreReplacement, PopulationAndTargetsReplaceByKey) {
  TempDatabase db;
  auto store = open_or_die(db.path());
  auto pop = [](const char* place, const char* value) {
    return make_row(FileKind::population, {{"place", place},
                                           {"year", "2024"},
                                           {"age_band", "0-4"},
                                           {"population", value},
                                           {"kind", "estimate"}});
  };
  auto first = begin(*store, "sha-1");
  add(*first, FileKind::population, pop("North", "100"), 2);
  add(*first, FileKind::population, pop("South", "200"), 3);
  commit(*first);
  auto second = begin(*store, "sha-2");
  add(*second, FileKind::population, pop("North", "150"), 2);
  commit(*second);
  auto m = store->load_model();
  ASSERT_TRUE(m.is_ok()) << m.error().message;
  ASSERT_EQ(m->population.size(), 2u);  // ordered by place
  EXPECT_DOUBLE_EQ(m->population[0].population, 150);
  EXPECT_EQ(m->population[0].origin.line, 2u);
  EXPECT_DOUBLE_EQ(m->population[1].population, 200);
}

// --- conflicts --------------------------------------------------------------------------

TEST(StoreConflicts, ADuplicateKeyInsideASubmissionNamesTheEarlierLine) {
  TempDatabase db;
  auto store = open_or_die(db.path());
  auto session = begin(*store, "sha-1");
  add(*session, FileKind::organisations, organisation("RAA", "Acute A"), 2);
  add(*session, FileKind::staff_in_post, staff("RAA", "2024-01-31", "p1", "A1"), 2);
  add(*session, FileKind::staff_in_post, staff("RAA", "2024-01-31", "p2", "A2"), 3);
  Status dup =
      session->add_row(spec(FileKind::staff_in_post), staff("RAA", "2024-01-31", "p9", "A1"), 7);
  ASSERT_FALSE(dup.is_ok());
  EXPECT_EQ(dup.error().code, ErrorCode::conflict);
  EXPECT_EQ(dup.message(),
            "duplicate row: (org_code, snapshot_date, assignment_id) = "
            "(RAA, 2024-01-31, A1) appears more than once, first on line 2");
}

TEST(StoreConflicts, BlankRoleAndBandCompareEqualInEstablishment) {
  TempDatabase db;
  auto store = open_or_die(db.path());
  auto session = begin(*store, "sha-1");
  auto est = [](const char* fte) {
    return make_row(FileKind::establishment, {{"period", "2024-03"},
                                              {"org_code", "RAA"},
                                              {"staff_group", "nursing"},
                                              {"funded_fte", fte}});
  };
  add(*session, FileKind::organisations, organisation("RAA", "Acute A"), 2);
  add(*session, FileKind::establishment, est("10"), 2);
  Status dup = session->add_row(spec(FileKind::establishment), est("11"), 3);
  ASSERT_FALSE(dup.is_ok());
  EXPECT_EQ(dup.error().code, ErrorCode::conflict);
  EXPECT_EQ(dup.message(),
            "duplicate row: (period, org_code, staff_group, role_code, "
            "band) = (2024-03, RAA, nursing, , ) appears more than once, first on line 2");
}

TEST(StoreConflicts, KeyedFilesConflictOnlyInsideOneSubmission) {
  TempDatabase db;
  auto store = open_or_die(db.path());
  auto target = make_row(FileKind::targets, {{"indicator", "vacancy_rate"},
                                             {"scope", "system"},
                                             {"year", "2024/25"},
                                             {"target", "0.08"},
                                             {"direction", "lower_is_better"}});
  auto session = begin(*store, "sha-1");
  add(*session, FileKind::organisations, organisation("RAA", "Acute A"), 2);
  Status org_dup = session->add_row(spec(FileKind::organisations), organisation("RAA", "Again"), 4);
  EXPECT_EQ(org_dup.error().code, ErrorCode::conflict);
  EXPECT_EQ(org_dup.message(),
            "duplicate row: (org_code) = (RAA) appears more than once, first on line 2");
  add(*session, FileKind::targets, target, 2);
  Status target_dup = session->add_row(spec(FileKind::targets), target, 3);
  EXPECT_EQ(target_dup.message(),
            "duplicate row: (indicator, scope, year) = (vacancy_rate, system, "
            "2024/25) appears more than once, first on line 2");
  commit(*session);

  auto next = begin(*store, "sha-2");
  add(*next, FileKind::organisations, organisation("RAA", "Acute A"), 2);
  add(*next, FileKind::targets, target, 5);
  commit(*next);
  EXPECT_EQ(count(db.path(), "targets"), 1);
  EXPECT_EQ(query_text(db.path(), "SELECT source_line FROM targets"), "5");
}

TEST(StoreConflicts, RowsMustNameAKnownOrganisation) {
  TempDatabase db;
  auto store = open_or_die(db.path());
  auto first = begin(*store, "sha-1");
  add(*first, FileKind::organisations, organisation("RAA", "Acute A"), 2);
  commit(*first);
  auto second = begin(*store, "sha-2");
  add(*second, FileKind::staff_in_post, staff("RAA", "2024-01-31", "p1", "A1"), 2);  // stored
  Status unknown =
      second->add_row(spec(FileKind::staff_in_post), staff("RZZ", "2024-01-31", "p2", "A2"), 3);
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
  EXPECT_EQ(unknown.message(),
            "staff_in_post.csv line 3: organisation 'RZZ' is neither in this submission's "
            "organisations.csv (add its rows first) nor in the store");
}

// --- history and quarantine --------------------------------------------------------------

Finding finding(Severity severity, const char* kind, uint64_t line) {
  Finding f;
  f.severity = severity;
  f.kind = kind;
  f.file = "staff_in_post.csv";
  f.line = line;
  f.column = 7;
  f.column_name = "band";
  f.value = "5x";
  f.message = "unknown band '5x'";
  f.expected = "5, 6";
  return f;
}

TEST(StoreHistory, CommittedAndRejectedSubmissionsAreListed) {
  TempDatabase db;
  auto store = open_or_die(db.path());
  SubmissionMeta first_meta = meta("sha-good", "/data/march");
  first_meta.accept_valid_rows = true;
  auto session = store->begin_import(first_meta);
  ASSERT_TRUE(session.is_ok());
  const int64_t id = (*session)->submission_id();
  add(**session, FileKind::organisations, organisation("RAA", "Acute A"), 2);
  add(**session, FileKind::staff_in_post, staff("RAA", "2024-03-31", "p1", "A1"), 2);
  const std::vector<Finding> bad_row = {finding(Severity::error, "unknown_code", 3)};
  ASSERT_TRUE(
      (*session)
          ->quarantine_row(spec(FileKind::staff_in_post), 3, "2024-03-31,RAA,p2,A2,5x", bad_row)
          .is_ok());
  const std::vector<FileCounts> files = {{"organisations.csv", "h1", 1, 1, 0},
                                         {"staff_in_post.csv", "h2", 2, 1, 1}};
  const std::vector<Finding> all = {finding(Severity::error, "unknown_code", 3),
                                    finding(Severity::warning, "fte_above_one", 4)};
  ASSERT_TRUE((*session)->commit(SubmissionOutcome::accepted_with_quarantine, files, all).is_ok());

  ASSERT_TRUE(store
                  ->record_rejected(meta("sha-bad", "/data/april"),
                                    std::vector<FileCounts>{{"staff_in_post.csv", "h3", 5, 0, 5}},
                                    std::vector<Finding>{finding(Severity::error, "x", 9)})
                  .is_ok());

  auto history = store->submissions();
  ASSERT_TRUE(history.is_ok());
  ASSERT_EQ(history->size(), 2u);
  const SubmissionRecord& good = (*history)[0];
  EXPECT_EQ(good.id, id);
  EXPECT_EQ(good.source, "/data/march");
  EXPECT_EQ(good.sha256, "sha-good");
  EXPECT_EQ(good.outcome, SubmissionOutcome::accepted_with_quarantine);
  EXPECT_EQ(good.errors, 1u);
  EXPECT_EQ(good.warnings, 1u);
  ASSERT_EQ(good.files.size(), 2u);
  EXPECT_EQ(good.files[1].file_name, "staff_in_post.csv");
  EXPECT_EQ(good.files[1].rows_rejected, 1u);
  EXPECT_EQ(good.organisations, std::vector<std::string>{"RAA"});
  EXPECT_EQ(good.received_at.size(), 20u);  // 2024-04-30T12:00:00Z
  const SubmissionRecord& bad = (*history)[1];
  EXPECT_EQ(bad.outcome, SubmissionOutcome::rejected);
  EXPECT_EQ(bad.errors, 1u);
  EXPECT_EQ(bad.files.at(0).rows_read, 5u);

  auto found = store->find_submission("sha-good");
  ASSERT_TRUE(found.is_ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, id);
  EXPECT_FALSE(store->find_submission("sha-bad")->has_value());  // rejected: may be retried
  EXPECT_FALSE(store->find_submission("sha-none")->has_value());

  auto stored = store->findings(id, 10);
  ASSERT_TRUE(stored.is_ok());
  ASSERT_EQ(stored->size(), 2u);
  EXPECT_EQ((*stored)[1].format(), all[1].format());
  EXPECT_EQ(store->findings(id, 1)->size(), 1u);

  auto quarantined = store->quarantine(std::nullopt, 100);
  ASSERT_TRUE(quarantined.is_ok());
  ASSERT_EQ(quarantined->size(), 1u);
  EXPECT_EQ((*quarantined)[0].submission_id, id);
  EXPECT_EQ((*quarantined)[0].file_name, "staff_in_post.csv");
  EXPECT_EQ((*quarantined)[0].line, 3u);
  EXPECT_EQ((*quarantined)[0].raw_row, "2024-03-31,RAA,p2,A2,5x");
  ASSERT_EQ((*quarantined)[0].findings.size(), 1u);
  EXPECT_EQ((*quarantined)[0].findings[0].format(), bad_row[0].format());
  EXPECT_TRUE(store->quarantine(bad.id, 100)->empty());

  EXPECT_EQ(store->last_import_time()->size(), 20u);
  auto orgs = store->organisations();
  ASSERT_EQ(orgs->size(), 1u);
  EXPECT_EQ(orgs->at("RAA").sector, Sector::acute);
  EXPECT_EQ(orgs->at("RAA").level, DataLevel::record);
}

TEST(StoreHistory, StoredFindingsAreCappedButCounted) {
  TempDatabase db;
  auto store = open_or_die(db.path());
  std::vector<Finding> many(sqlite::kStoredFindingsLimit + 5,
                            finding(Severity::warning, "fte_above_one", 2));
  ASSERT_TRUE(store->record_rejected(meta("sha"), {}, many).is_ok());
  auto history = store->submissions();
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].warnings, sqlite::kStoredFindingsLimit + 5);
  EXPECT_EQ((*history)[0].findings_stored, sqlite::kStoredFindingsLimit);
  EXPECT_EQ(store->findings((*history)[0].id, SIZE_MAX)->size(), sqlite::kStoredFindingsLimit);
}

TEST(StoreHistory, ARejectedOutcomeCannotBeCommitted) {
  TempDatabase db;
  auto store = open_or_die(db.path());
  auto session = begin(*store, "sha");
  Status status = session->commit(SubmissionOutcome::rejected, {}, {});
  EXPECT_EQ(status.error().code, ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace careforce::store
