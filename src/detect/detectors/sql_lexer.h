#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

// The SQL tokenizer behind DetectSqli (sqli.h). It reads any bytes as a loose union of the MySQL,
// PostgreSQL, MSSQL, Oracle and SQLite lexical rules and produces classified tokens; the shape
// of the token sequence is judged in sqli.cc. No heap; the functions are thread-safe and a
// SqlLexer belongs to one thread.
namespace warden::detectors {

enum class SqlTokenKind : std::uint8_t {
  kString,     // '..', "..", N'..', X'..', _utf8'..'; kSqlOpen when the input ends inside it
  kNumber,     // 12, 1.5e3, .5, 0x1F, 0b01
  kVariable,   // @x, @@version, @`x`
  kWord,       // identifier, `quoted`, or a dotted name such as information_schema.tables
  kKeyword,    // `keyword` says which
  kOperator,   // `op` says which
  kLParen,
  kRParen,
  kComma,
  kSemicolon,
  kComment,    // --, # or /* that is not closed; kSqlReachesEnd when nothing follows it
  kOther,      // anything else: { } [ ] ? : \ $ and stray bytes
};

// Keywords the shape rules care about. Words outside this list are kWord.
enum class SqlKeyword : std::uint8_t {
  kNone,
  // set operators and query structure
  kSelect, kUnion, kIntersect, kExcept, kAll, kDistinct, kTop, kFrom, kWhere, kGroup, kOrder,
  kBy, kHaving, kLimit, kOffset, kInto, kOutfile, kDumpfile, kAs, kAsc, kDesc, kProcedure,
  kJoin, kOn, kUsing, kValues, kSet, kWith, kFor,
  // operators spelled as words
  kAnd, kOr, kXor, kNot, kIs, kIn, kLike, kRlike, kRegexp, kBetween, kSounds, kDiv, kMod,
  kCollate, kEscape, kExists, kAny, kSome,
  // literals
  kNull, kTrue, kFalse, kCurrentUser,
  // expressions
  kCase, kWhen, kThen, kElse, kEnd, kBinary, kInterval,
  // statements
  kInsert, kUpdate, kDelete, kDrop, kCreate, kAlter, kTruncate, kExec, kDeclare, kShutdown,
  kWaitfor, kDelay, kTime, kGrant, kRevoke, kIf, kBegin,
  // objects of DROP / CREATE / ALTER
  kObject,
  // join modifiers (LEFT / RIGHT are also functions)
  kJoinModifier,
};

enum class SqlOperator : std::uint8_t {
  kNone,
  kCompare,     // = == < > <= >= <> != <=> !< !>
  kArithmetic,  // + - * / % ^ & | << >> ->  ->>
  kConcat,      // ||
  kLogicAnd,    // &&
  kUnary,       // ! ~
  kAssign,      // :=
  kCast,        // ::
};

inline constexpr std::uint8_t kSqlOpen = 1;        // string not closed before the input ended
inline constexpr std::uint8_t kSqlReachesEnd = 2;  // comment that runs to the end of the input
inline constexpr std::uint8_t kSqlHex = 4;         // 0x.. number or X'..' string
inline constexpr std::uint8_t kSqlDoubleQuoted = 8;  // string delimited by " rather than '

// Filled by SqlLexer::Next. Trivially constructible so that token buffers cost nothing to
// declare; SqlToken{} is all zeros.
struct SqlToken {
  SqlTokenKind kind;
  SqlKeyword keyword;
  SqlOperator op;
  std::uint8_t flags;
  std::uint32_t begin;  // byte offsets into the tokenized text
  std::uint32_t end;
};

inline constexpr std::size_t kMaxSqlTokens = 192;

// A fixed-capacity token array; `truncated` says tokens were dropped after kMaxSqlTokens.
struct SqlTokens {
  std::array<SqlToken, kMaxSqlTokens> items;
  std::size_t size = 0;
  bool truncated = false;
};

// Reads `text` one token at a time, so a caller can stop at the first token that settles the
// question. With `open_quote` ('\'' or '"') the text is read as if it followed an opening quote
// written by the application: the first token is that string literal (kSqlOpen when the text
// never closes it). With open_quote == 0 the text is read as bare SQL. Whitespace and closed
// /* */ comments are dropped; the bodies of MySQL /*! */ comments are read as SQL. With
// `backslash_escapes` a backslash inside a string escapes the next byte (MySQL's default);
// otherwise it is an ordinary byte (standard SQL). Cheap to construct; holds a view of `text`,
// which must outlive it.
class SqlLexer {
 public:
  SqlLexer(std::string_view text, char open_quote, bool backslash_escapes = false)
      : text_(text), open_quote_(open_quote), backslash_escapes_(backslash_escapes) {}

  // Stores the next token and returns true, or returns false at the end of the input.
  bool Next(SqlToken* token);

 private:
  void ScanQuoted(std::size_t from, char quote, SqlToken* token);
  void ScanNumberOrWord(SqlToken* token);
  void ScanWord(SqlToken* token);
  void ScanOperator(SqlToken* token);

  std::string_view text_;
  std::size_t pos_ = 0;
  char open_quote_;
  bool backslash_escapes_;
  bool started_ = false;
  bool in_versioned_comment_ = false;
};

// Tokenizes all of `text` (up to kMaxSqlTokens) with SqlLexer; for tests and tools.
void TokenizeSql(std::string_view text, char open_quote, SqlTokens* out);

// Looks up a word, ignoring ASCII case; kNone when it is not a keyword.
SqlKeyword LookupSqlKeyword(std::string_view word);

enum class SqlFunctionKind : std::uint8_t {
  kUnknown,  // not in the table: an ordinary function call
  kCommon,   // string, math and conditional helpers used to build blind and error payloads
  kInfo,     // reveals the server: version(), database(), user()
  kDelay,    // sleeps or burns CPU: sleep(), benchmark(), pg_sleep()
  kEscape,   // reaches outside the database: files, commands, network
};

// Classifies a function name; dotted names (dbms_lock.sleep) are matched on the full name and
// on the last part.
SqlFunctionKind LookupSqlFunction(std::string_view name);

}  // namespace warden::detectors
