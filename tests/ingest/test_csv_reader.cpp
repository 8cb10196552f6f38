#include "ingest/csv_reader.hpp"

#include <gtest/gtest.h>

namespace careforce::ingest {
namespace {

struct Record {
  uint64_t line;
  std::vector<std::string> fields;
  std::vector<std::string> findings;  // "kind line:column"
};

// Read everything, at several chunk sizes, and check each gives the same records.
std::vector<Record> read_all(std::string_view text, size_t chunk = 65536) {
  MemoryStream in(text, chunk);
  CsvReader reader(in, "t.csv");
  std::vector<Record> out;
  for (;;) {
    auto more = reader.next();
    EXPECT_TRUE(more.is_ok());
    if (!more.is_ok() || !*more) break;
    Record r{reader.line(), {reader.fields().begin(), reader.fields().end()}, {}};
    for (const auto& f : reader.findings())
      r.findings.push_back(f.kind + " " + std::to_string(f.line) + ":" + std::to_string(f.column));
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<Record> read_checked(std::string_view text) {
  auto expected = read_all(text);
  for (size_t chunk : {1, 2, 3, 7}) {
    auto other = read_all(text, chunk);
    EXPECT_EQ(other.size(), expected.size()) << "chunk " << chunk;
    for (size_t i = 0; i < other.size() && i < expected.size(); ++i) {
      EXPECT_EQ(other[i].line, expected[i].line) << "chunk " << chunk;
      EXPECT_EQ(other[i].fields, expected[i].fields) << "chunk " << chunk;
      EXPECT_EQ(other[i].findings, expected[i].findings) << "chunk " << chunk;
    }
  }
  return expected;
}

using Fields = std::vector<std::string>;

TEST(CsvReader, ReadsPlainRecordsWithLineNumbers) {
  auto r = read_checked("a,b,c\n1,2,3\n4,,6\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(r[2].fields, (Fields{"4", "", "6"}));
  EXPECT_EQ(r[2].line, 3u);
  EXPECT_TRUE(r[2].findings.empty());
}

TEST(CsvReader, AcceptsCrlfAndAMissingFinalNewline) {
  auto r = read_checked("a,b\r\n1,2\r\n3,4");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].fields, (Fields{"1", "2"}));
  EXPECT_EQ(r[2].fields, (Fields{"3", "4"}));
  EXPECT_EQ(r[2].line, 3u);
}

TEST(CsvReader, SkipsALeadingBom) {
  auto r = read_checked(
      "\xEF\xBB\xBF"
      "a,b\n1,2\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].fields, (Fields{"a", "b"}));
}

TEST(CsvReader, UnescapesQuotedFields) {
  auto r = read_checked("a,b\n\"x, \"\"y\"\"\",\"\"\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].fields, (Fields{"x, \"y\"", ""}));
  EXPECT_TRUE(r[1].findings.empty());
}

TEST(CsvReader, EmbeddedNewlinesKeepPhysicalLineNumbers) {
  auto r = read_checked("a,b\n\"one\ntwo\r\nthree\",x\n5,6\n7,\"8\n\"\n9,10\n");
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[1].line, 2u);
  EXPECT_EQ(r[1].fields, (Fields{"one\ntwo\r\nthree", "x"}));
  EXPECT_EQ(r[2].line, 5u);
  EXPECT_EQ(r[3].line, 6u);
  EXPECT_EQ(r[4].line, 8u);
}

TEST(CsvReader, SkipsBlankLinesButCountsThem) {
  auto r = read_checked("a,b\n\n1,2\r\n\r\n3,4\n\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].line, 3u);
  EXPECT_EQ(r[2].line, 5u);
}

TEST(CsvReader, ReportsAStrayQuoteAtItsLineAndColumn) {
  auto r = read_checked("a,b,c\n1,2,3\n4,5\"x,6\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[2].findings, (Fields{"stray_quote 3:2"}));
  EXPECT_EQ(r[2].fields, (Fields{"4", "5\"x", "6"}));
}

TEST(CsvReader, SaysWhenAStrayQuoteFollowsOnlySpaces) {
  // `a, "b"`: RFC 4180 allows no space before a quoted field; say that, not just "stray".
  MemoryStream in("a, \"b\"\n", 4);
  CsvReader reader(in, "t.csv");
  ASSERT_TRUE(*reader.next());
  ASSERT_EQ(reader.findings().size(), 1u);
  EXPECT_EQ(reader.findings()[0].format(),
            "t.csv:1:2: error: space before the opening double quote of a quoted field; "
            "expected the opening quote right after the comma (RFC 4180 allows no spaces "
            "around a quoted field)");
}

TEST(CsvReader, SaysWhenOnlySpacesFollowAClosingQuote) {
  for (size_t chunk : {1, 2, 3, 64}) {
    MemoryStream in("\"a\"  ,b\n", chunk);
    CsvReader reader(in, "t.csv");
    ASSERT_TRUE(*reader.next());
    ASSERT_EQ(reader.findings().size(), 1u);
    EXPECT_EQ(reader.findings()[0].format(),
              "t.csv:1:1: error: space after the closing double quote of a quoted field; "
              "expected a comma or the end of the line after the closing quote");
  }
}

TEST(CsvReader, ReportsTextAfterAClosingQuote) {
  auto r = read_checked("a,b,c\n1,\"2\"x,3\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].findings, (Fields{"text_after_quote 2:2"}));
  EXPECT_EQ(r[1].fields, (Fields{"1", "2x", "3"}));
}

TEST(CsvReader, ReportsAnUnterminatedQuoteWhereItOpens) {
  auto r = read_checked("a,b\n1,2\n3,\"4\n5,6\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[2].line, 3u);
  EXPECT_EQ(r[2].findings, (Fields{"unterminated_quote 3:2"}));
}

TEST(CsvReader, ReportsAFieldCountDifferentFromTheHeader) {
  auto r = read_checked("a,b,c\n1,2\n1,2,3,4\n1,2,3\n");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[1].findings, (Fields{"field_count 2:3"}));
  EXPECT_EQ(r[2].findings, (Fields{"field_count 3:4"}));
  EXPECT_TRUE(r[3].findings.empty());
}

TEST(CsvReader, ReportsInvalidUtf8WithItsColumnAndByte) {
  MemoryStream in("a,b,c\nok,caf\xC3\xA9,x\xFFy\n", 4);
  CsvReader reader(in, "t.csv");
  ASSERT_TRUE(*reader.next());
  ASSERT_TRUE(*reader.next());
  ASSERT_EQ(reader.findings().size(), 1u);
  const Finding& f = reader.findings()[0];
  EXPECT_EQ(f.format(),
            "t.csv:2:3: error: invalid UTF-8 byte 0xFF at byte 2 of the field (is the file "
            "saved as Windows-1252/ANSI?); expected text encoded as UTF-8 (in Excel: Save As "
            "\"CSV UTF-8\")");
}

TEST(CsvReader, FindsInvalidUtf8Sequences) {
  EXPECT_EQ(find_invalid_utf8("plain ascii text, long enough"), std::string_view::npos);
  EXPECT_EQ(find_invalid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), std::string_view::npos);
  EXPECT_EQ(find_invalid_utf8("ab\xC0\xAF"), 2u);               // overlong
  EXPECT_EQ(find_invalid_utf8("abcdefghij\xED\xA0\x80"), 10u);  // surrogate
  EXPECT_EQ(find_invalid_utf8("x\xE2\x82"), 1u);                // truncated
  EXPECT_EQ(find_invalid_utf8("\xF5\x80\x80\x80"), 0u);         // beyond U+10FFFF
}

TEST(CsvReader, ClipsValuesForFindingsToValidUtf8) {
  EXPECT_EQ(clip_value("abc"), "abc");
  EXPECT_EQ(clip_value("a\xFF"
                       "b"),
            "a?b");
  EXPECT_EQ(clip_value("ab\xC3\xA9", 3), "ab");  // never half a character
  EXPECT_EQ(clip_value(std::string(100, 'x')).size(), 80u);
}

TEST(CsvReader, StopsARecordLongerThanTheLimit) {
  std::string text = "a\n\"" + std::string(5000, 'x');
  MemoryStream in(text, 100);
  CsvOptions options;
  options.max_record_bytes = 1000;
  CsvReader reader(in, "t.csv", options);
  ASSERT_TRUE(*reader.next());
  auto more = reader.next();
  ASSERT_FALSE(more.is_ok());
  EXPECT_EQ(more.error().code, ErrorCode::parse_error);
}

TEST(CsvReader, GivesTheRawTextOfARecord) {
  MemoryStream in("a,b\r\n\"x\"\"y\",2\r\n");
  CsvReader reader(in, "t.csv");
  ASSERT_TRUE(*reader.next());
  ASSERT_TRUE(*reader.next());
  EXPECT_EQ(reader.raw(), "\"x\"\"y\",2");
  EXPECT_EQ(reader.field(0), "x\"y");
  EXPECT_FALSE(*reader.next());
}

TEST(CsvReader, OptionsValidate) {
  CsvOptions options;
  EXPECT_TRUE(options.validate().is_ok());
  options.max_record_bytes = 1;
  EXPECT_FALSE(options.validate().is_ok());
}

}  // namespace
}  // namespace careforce::ingest
