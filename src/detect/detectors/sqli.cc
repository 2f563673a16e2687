#include "detect/detectors/sqli.h"

#include <array>
#include <cstdint>
#include <optional>
#include <utility>

#include "common/strings.h"
#include "detect/detectors/sql_lexer.h"

namespace warden {

namespace {

using detectors::SqlFunctionKind;
using detectors::SqlKeyword;
using detectors::SqlLexer;
using detectors::SqlOperator;
using detectors::SqlToken;
using detectors::SqlTokenKind;

// What a predicate, call or SELECT list contains. Features flow from inner parentheses outward.
enum Feature : std::uint16_t {
  kLiteral = 1 << 0,     // number, string, NULL, TRUE, FALSE
  kIdent = 1 << 1,       // column or other bare name
  kVariable = 1 << 2,    // @x, @@version
  kCompare = 1 << 3,     // = < > LIKE IN IS BETWEEN ...
  kCommonFn = 1 << 4,    // char(), concat(), if(), substring() ...
  kUnknownFn = 1 << 5,   // any other call
  kInfoFn = 1 << 6,      // version(), database(), user(), @@version
  kDelayFn = 1 << 7,     // sleep(), benchmark(), pg_sleep()
  kEscapeFn = 1 << 8,    // load_file(), xp_cmdshell(), utl_http.request()
  kSubquery = 1 << 9,    // (SELECT ...)
  kStar = 1 << 10,       // SELECT *, count(*)
  kTautology = 1 << 11,  // x = x
  kOperator = 1 << 12,   // some binary operator joins two operands
};

constexpr std::uint16_t kKnownFn = kCommonFn | kInfoFn | kDelayFn | kEscapeFn;
// What makes a SELECT list look written by someone who speaks SQL rather than English.
constexpr std::uint16_t kShapeFeatures = kLiteral | kVariable | kKnownFn | kUnknownFn | kSubquery | kStar;
// A value that is a whole SELECT needs more: "select 2 items" is English.
constexpr std::uint16_t kStatementShapeFeatures = kVariable | kKnownFn | kUnknownFn | kSubquery | kStar;

enum class State : std::uint8_t { kOperand, kAfterOperand, kStatement };
enum class FrameKind : std::uint8_t { kTop, kGroup, kCall, kSubquery };

// One level of parentheses (or the top level). Trivially constructible, so the frame stack
// costs nothing until used; Frame{} is the empty frame.
struct Frame {
  FrameKind kind;
  SqlFunctionKind fn;
  bool select;         // reading a SELECT: aliases, FROM and '*' are allowed
  bool shaped;         // the SELECT list holds more than bare names
  bool listed;         // the SELECT has a comma or a FROM
  bool between;        // the next AND belongs to BETWEEN
  bool predicate;      // reading a condition opened by AND / OR / WHERE / HAVING
  bool report_listed;  // a list of bare names is enough to report (UNION, not ';')
  bool strict;         // the SELECT is the whole value: see kStatementShapeFeatures
  const char* report;  // set on a SELECT after UNION or ';': reason to report
  std::uint16_t seg;   // features of the current condition
  std::uint16_t all;   // features of the whole frame
  std::uint32_t open_index;  // token index of '('
};

constexpr int kMaxDepth = 32;
// An open string at the end that the application's quote closes is the attacker's way to keep
// the query valid: '1  'x  '. Longer or spaced text is more likely prose.
constexpr int kShortTail = 4;
constexpr int kLongTail = 1000;
constexpr std::size_t kFingerprintMax = 12;

// Reads one value in one context (unquoted, or after the application's ' or ") with a small,
// permissive SQL grammar: a state machine over operands and operators plus a stack of
// parenthesis frames. It records a finding as soon as the value does something a data value
// never does. "Strong" findings (UNION SELECT with a real column list, a stacked statement, a
// delay or file function) stand once the SQL before them parsed; "weak" ones (boolean
// conditions, comment cuts, ORDER BY probes) count only if the whole value parses, which is
// what keeps prose out. One reader per call and context, on the stack; no heap.
class ShapeReader {
 public:
  ShapeReader(std::string_view text, char quote, bool backslash_escapes)
      : text_(text), quote_(quote), lexer_(text, quote, backslash_escapes) {
    frames_[0] = Frame{};
  }

  // Reads the value in this context; returns the reason of a finding, or empty.
  std::string_view Read();
  std::string Fingerprint() const;

 private:
  const SqlToken* Peek(std::size_t ahead);
  std::string_view Text(const SqlToken& t) const { return text_.substr(t.begin, t.end - t.begin); }
  bool IsOp(const SqlToken* t, char c) const {
    return t != nullptr && t->kind == SqlTokenKind::kOperator && t->end - t->begin == 1 &&
           text_[t->begin] == c;
  }
  static bool IsKeyword(const SqlToken* t, SqlKeyword k) {
    return t != nullptr && t->kind == SqlTokenKind::kKeyword && t->keyword == k;
  }
  static bool IsKind(const SqlToken* t, SqlTokenKind k) { return t != nullptr && t->kind == k; }

  bool StepOperand(const SqlToken& t);
  bool StepAfterOperand(const SqlToken& t);
  bool StepStatement(const SqlToken& t);
  bool ReadUnion();

  void Operand(std::uint16_t features);
  void NoteTautology();
  std::string_view UnfinishedCondition() const;
  void AddFeature(std::uint16_t features);
  bool Push(FrameKind kind);
  void Close();
  void StartPredicate();
  void EndPredicate(Frame& f);
  void Weak(std::string_view reason);
  void Strong(std::string_view reason, std::size_t extra_tokens);
  bool CanCall(const SqlToken& t) const;
  bool StartsAsContinuation(const SqlToken& t) const;
  bool StartsAsStatement(const SqlToken& t) const;
  bool StatementAtStart(const SqlToken& t);
  bool TextIs(const SqlToken* t, std::string_view lower) const;
  std::string_view QuoteRules();

  std::string_view text_;
  char quote_;
  SqlLexer lexer_;
  // Tokens are read on demand into a small ring (the grammar looks at most one token back and
  // four ahead); the first kHeadTokens are also kept for the fingerprint and the quote rules.
  // So the whole value is read, however many tokens it has, in constant memory.
  static constexpr std::size_t kRing = 8;
  static constexpr std::size_t kHeadTokens = 16;
  std::array<SqlToken, kRing> ring_;
  std::array<SqlToken, kHeadTokens> head_;
  std::size_t lexed_ = 0;
  bool lexer_done_ = false;

  std::size_t i_ = 0;
  State state_ = State::kOperand;
  std::array<Frame, kMaxDepth> frames_;
  int depth_ = 0;
  int open_tail_ = -1;              // length of the open string that ends the value, if any
  bool clean_comment_ = false;      // the value ends in a comment that cuts: "-- ", "#", "/*"
  bool ends_statement_ = false;     // the value ends with the ';' that ends its one statement
  std::uint16_t first_statement_all_ = 0;  // features of the statement before that ';'
  bool bare_comment_ = false;       // ... with nothing but punctuation after the marker
  bool literal_predicate_ = false;  // some condition was only literals: OR 1, OR 'x
  bool literal_expression_predicate_ = false;  // ... with an operator: OR ''^'
  bool has_parens_ = false;         // the value opened a parenthesis or called a function
  bool at_start_ = false;           // reading a statement that is the whole value
  bool batch_ = false;              // a statement follows another without ';' (MSSQL)
  std::string_view strong_;
  std::string_view weak_;
  std::size_t fire_end_ = 0;  // tokens [0, fire_end_) make the fingerprint
};

const SqlToken* ShapeReader::Peek(std::size_t ahead) {
  const std::size_t want = i_ + ahead;
  while (lexed_ <= want && !lexer_done_) {
    SqlToken t;
    if (!lexer_.Next(&t)) {
      lexer_done_ = true;
      break;
    }
    // A comment followed by more SQL is whitespace; one that reaches the end cuts the query.
    if (t.kind == SqlTokenKind::kComment && (t.flags & detectors::kSqlReachesEnd) == 0) continue;
    if (lexed_ < kHeadTokens) head_[lexed_] = t;
    ring_[lexed_ % kRing] = t;
    ++lexed_;
  }
  return want < lexed_ ? &ring_[want % kRing] : nullptr;
}

bool ShapeReader::CanCall(const SqlToken& t) const {
  if (t.kind == SqlTokenKind::kWord) return true;
  if (t.kind != SqlTokenKind::kKeyword) return false;
  switch (t.keyword) {
    case SqlKeyword::kIf:
    case SqlKeyword::kJoinModifier:
    case SqlKeyword::kObject:
    case SqlKeyword::kCurrentUser:
    case SqlKeyword::kInsert:
    case SqlKeyword::kTruncate:
    case SqlKeyword::kTime:
    case SqlKeyword::kMod:
    case SqlKeyword::kValues:
    case SqlKeyword::kInterval:
    case SqlKeyword::kLike:
      return true;
    default:
      return false;
  }
}

// True when an unquoted value begins where only a continuation of an operand can: the
// attacker appended to a value the application already wrote (" OR 1=1", ") UNION ...").
bool ShapeReader::StartsAsContinuation(const SqlToken& t) const {
  switch (t.kind) {
    case SqlTokenKind::kOperator:
      return t.op != SqlOperator::kUnary && !IsOp(&t, '-') && !IsOp(&t, '+');
    case SqlTokenKind::kRParen:
    case SqlTokenKind::kSemicolon:
    case SqlTokenKind::kComma:
      return true;
    case SqlTokenKind::kKeyword:
      switch (t.keyword) {
        case SqlKeyword::kAs:
        case SqlKeyword::kAnd:
        case SqlKeyword::kOr:
        case SqlKeyword::kXor:
        case SqlKeyword::kUnion:
        case SqlKeyword::kIntersect:
        case SqlKeyword::kExcept:
        case SqlKeyword::kOrder:
        case SqlKeyword::kGroup:
        case SqlKeyword::kHaving:
        case SqlKeyword::kLimit:
        case SqlKeyword::kInto:
        case SqlKeyword::kProcedure:
        case SqlKeyword::kIs:
        case SqlKeyword::kIn:
        case SqlKeyword::kLike:
        case SqlKeyword::kRlike:
        case SqlKeyword::kRegexp:
        case SqlKeyword::kBetween:
        case SqlKeyword::kWhere:
        case SqlKeyword::kDiv:
        case SqlKeyword::kWaitfor:
        case SqlKeyword::kExec:
          return true;
        default:
          return false;
      }
    default:
      return false;
  }
}

void ShapeReader::Weak(std::string_view reason) {
  if (weak_.empty()) weak_ = reason;
}

void ShapeReader::Strong(std::string_view reason, std::size_t extra_tokens) {
  strong_ = reason;
  fire_end_ = i_ + 1 + extra_tokens;
}

void ShapeReader::AddFeature(std::uint16_t features) {
  Frame& f = frames_[depth_];
  f.all |= features;
  if (f.predicate) f.seg |= features;
  const std::uint16_t shape = f.strict ? kStatementShapeFeatures : kShapeFeatures;
  if (f.select && (features & shape) != 0) {
    f.shaped = true;
    if (f.report != nullptr && strong_.empty()) Strong(f.report, 0);
  }
}

void ShapeReader::Operand(std::uint16_t features) {
  AddFeature(features);
  state_ = State::kAfterOperand;
  ++i_;
}

bool ShapeReader::Push(FrameKind kind) {
  if (depth_ + 1 >= kMaxDepth) return false;
  has_parens_ = true;
  ++depth_;
  frames_[depth_] = Frame{};
  frames_[depth_].kind = kind;
  frames_[depth_].open_index = static_cast<std::uint32_t>(i_);
  return true;
}

void ShapeReader::StartPredicate() {
  Frame& f = frames_[depth_];
  EndPredicate(f);
  f.predicate = true;
  f.seg = 0;
}

// Judges the condition that just ended. A data value never brings its own condition built
// from literals, known functions or subqueries.
void ShapeReader::EndPredicate(Frame& f) {
  if (!f.predicate) return;
  f.predicate = false;
  const std::uint16_t s = f.seg;
  if ((s & (kKnownFn | kSubquery)) != 0) {
    Weak("boolean condition with a function or subquery");
  } else if ((s & kTautology) != 0) {
    Weak("boolean tautology");
  } else if ((s & kCompare) != 0 && (s & (kLiteral | kVariable | kUnknownFn)) != 0) {
    Weak("boolean condition comparing literals");
  } else if ((s & (kLiteral | kVariable)) != 0 && (s & kIdent) == 0) {
    // OR 1, OR 'x, OR ''^': reported only when the rest of the query is cut off (see Read).
    literal_predicate_ = true;
    if ((s & kOperator) != 0) literal_expression_predicate_ = true;
  }
}

void ShapeReader::Close() {
  Frame& child = frames_[depth_];
  EndPredicate(child);
  if (depth_ == 0) return;  // closes a parenthesis the application opened
  if (child.report != nullptr && child.listed && child.report_listed) Weak(child.report);
  // A comparison inside plain parentheses is part of the enclosing condition; one inside a
  // call or subquery is not.
  std::uint16_t features = child.all;
  if (child.kind != FrameKind::kGroup) features &= static_cast<std::uint16_t>(~kCompare);
  if (child.kind == FrameKind::kCall) {
    switch (child.fn) {
      case SqlFunctionKind::kDelay:
        features |= kDelayFn;
        Weak("time-delay function");
        break;
      case SqlFunctionKind::kEscape:
        features |= kEscapeFn;
        Weak("file, command or network function");
        break;
      case SqlFunctionKind::kInfo:
        features |= kInfoFn;
        if (child.open_index + 1 == i_) Weak("server information function");
        break;
      case SqlFunctionKind::kCommon:
        features |= kCommonFn;
        break;
      case SqlFunctionKind::kUnknown:
        features |= kUnknownFn;
        break;
    }
  } else if (child.kind == FrameKind::kSubquery) {
    features |= kSubquery;
    // A closed (SELECT f(x) ...) is SQL whatever surrounds it; (SELECT 2 items) may be prose.
    if ((child.all & kStatementShapeFeatures) != 0 && strong_.empty()) {
      Strong("subquery", 0);
    } else if (child.shaped) {
      Weak("subquery");
    }
  }
  --depth_;
  AddFeature(features);
}

// x = x, x LIKE x: the comparison at i_ has equal simple operands and nothing after the right
// one that could change its value.
void ShapeReader::NoteTautology() {
  if (i_ == 0) return;
  const SqlToken left = ring_[(i_ - 1) % kRing];
  const SqlToken* right = Peek(1);
  const SqlToken* after = Peek(2);
  const auto simple = [](const SqlToken* x) {
    return x != nullptr &&
           (x->kind == SqlTokenKind::kWord || x->kind == SqlTokenKind::kNumber ||
            (x->kind == SqlTokenKind::kKeyword && x->keyword == SqlKeyword::kObject) ||
            (x->kind == SqlTokenKind::kString && (x->flags & detectors::kSqlOpen) == 0));
  };
  if (simple(&left) && simple(right) && left.kind == right->kind &&
      EqualsIgnoreCase(Text(left), Text(*right)) &&
      (after == nullptr ||
       (after->kind != SqlTokenKind::kOperator && after->kind != SqlTokenKind::kLParen))) {
    AddFeature(kTautology);
  }
}

bool ShapeReader::StepOperand(const SqlToken& t) {
  Frame& f = frames_[depth_];
  switch (t.kind) {
    case SqlTokenKind::kString:
      if ((t.flags & detectors::kSqlOpen) != 0) {
        // In a quote context only the application's own closing quote can end it. Unquoted,
        // payloads written for LIKE '%...%' end the same way, so it is tolerated.
        const char q = (t.flags & detectors::kSqlDoubleQuoted) != 0 ? '"' : '\'';
        if (quote_ != 0 && q != quote_) return false;
        std::string_view body = Text(t).substr(Text(t).find(q) + 1);
        while (!body.empty() && static_cast<unsigned char>(body.back()) <= 0x20) body.remove_suffix(1);
        while (!body.empty() && static_cast<unsigned char>(body.front()) <= 0x20) body.remove_prefix(1);
        open_tail_ = static_cast<int>(body.size());
        for (const char c : body) {
          if (static_cast<unsigned char>(c) <= 0x20) open_tail_ = kLongTail;
        }
      }
      Operand(kLiteral);
      return true;
    case SqlTokenKind::kNumber:
      Operand(kLiteral);
      return true;
    case SqlTokenKind::kVariable:
      Operand(Text(t).substr(0, 2) == "@@" ? static_cast<std::uint16_t>(kVariable | kInfoFn)
                                           : static_cast<std::uint16_t>(kVariable));
      return true;
    case SqlTokenKind::kWord:
    case SqlTokenKind::kKeyword: {
      const SqlToken* next = Peek(1);
      if (IsKind(next, SqlTokenKind::kLParen) && CanCall(t)) {
        const SqlFunctionKind fn = detectors::LookupSqlFunction(Text(t));
        const bool first = i_ == 0;
        // A call in a SELECT list shapes it now, so a truncated payload still counts.
        if (f.select) AddFeature(kUnknownFn);
        ++i_;
        if (!Push(FrameKind::kCall)) return false;
        frames_[depth_].fn = fn;
        // These names are not English; once the SQL before them holds, the call is enough.
        // A value that is only "sleep(...)" must still parse to the end (see Close).
        if (fn == SqlFunctionKind::kEscape) {
          Strong("file, command or network function", 0);
          return true;
        }
        if (fn == SqlFunctionKind::kDelay && !first) {
          Strong("time-delay function", 0);
          return true;
        }
        ++i_;
        state_ = State::kOperand;
        return true;
      }
      if (t.kind == SqlTokenKind::kWord) {
        Operand(kIdent);
        return true;
      }
      switch (t.keyword) {
        case SqlKeyword::kNull:
        case SqlKeyword::kTrue:
        case SqlKeyword::kFalse:
          Operand(kLiteral);
          return true;
        case SqlKeyword::kCurrentUser:
          Operand(kInfoFn);
          return true;
        case SqlKeyword::kNot:
        case SqlKeyword::kBinary:
        case SqlKeyword::kExists:
        case SqlKeyword::kAny:
        case SqlKeyword::kSome:
        case SqlKeyword::kAll:
        case SqlKeyword::kDistinct:
        case SqlKeyword::kInterval:
        case SqlKeyword::kCase:
        case SqlKeyword::kWhen:
          ++i_;
          return true;
        case SqlKeyword::kTop:
          if (!f.select) {
            Operand(kIdent);
            return true;
          }
          i_ += IsKind(next, SqlTokenKind::kNumber) ? 2 : 1;
          return true;
        case SqlKeyword::kSelect:
          // Only as a subquery: "(SELECT".
          if (f.kind != FrameKind::kGroup || f.open_index + 1 != i_) return false;
          f.kind = FrameKind::kSubquery;
          f.select = true;
          ++i_;
          return true;
        case SqlKeyword::kObject:
        case SqlKeyword::kTime:
        case SqlKeyword::kDelay:
        case SqlKeyword::kJoinModifier:
        case SqlKeyword::kWith:
        case SqlKeyword::kFor:
        case SqlKeyword::kIf:
        case SqlKeyword::kBegin:
        case SqlKeyword::kMod:
        case SqlKeyword::kAsc:
        case SqlKeyword::kDesc:
        case SqlKeyword::kValues:
        case SqlKeyword::kSet:
        case SqlKeyword::kOutfile:
        case SqlKeyword::kDumpfile:
          Operand(kIdent);
          return true;
        default:
          return false;
      }
    }
    case SqlTokenKind::kLParen:
      if (f.select && !f.strict) AddFeature(kSubquery);
      if (!Push(FrameKind::kGroup)) return false;
      ++i_;
      return true;
    case SqlTokenKind::kOperator:
      if (t.op == SqlOperator::kUnary || IsOp(&t, '-') || IsOp(&t, '+')) {
        ++i_;
        return true;
      }
      if (IsOp(&t, '*') && (f.select || f.kind == FrameKind::kCall)) {
        Operand(kStar);
        return true;
      }
      return false;
    case SqlTokenKind::kRParen:
      // An empty argument list: version().
      if (f.kind == FrameKind::kCall && f.open_index + 1 == i_) {
        Close();
        state_ = State::kAfterOperand;
        ++i_;
        return true;
      }
      return false;
    case SqlTokenKind::kOther:
      // ODBC and MySQL {fn ...} / {x ...} escapes: skip the brace and its tag.
      if (Text(t) == "{" && IsKind(Peek(1), SqlTokenKind::kWord)) {
        i_ += 2;
        return true;
      }
      return false;
    default:
      return false;
  }
}

bool ShapeReader::ReadUnion() {
  bool union_at_head = i_ < kHeadTokens;
  for (std::size_t k = 1; k < i_ && union_at_head; ++k) {
    if (head_[k].kind != SqlTokenKind::kRParen) union_at_head = false;
  }
  ++i_;
  while (IsKeyword(Peek(0), SqlKeyword::kAll) || IsKeyword(Peek(0), SqlKeyword::kDistinct)) ++i_;
  EndPredicate(frames_[depth_]);
  while (IsKind(Peek(0), SqlTokenKind::kLParen)) {
    if (!Push(FrameKind::kSubquery)) return false;
    ++i_;
  }
  if (!IsKeyword(Peek(0), SqlKeyword::kSelect)) return false;
  if (quote_ != 0 && union_at_head) {
    // ' UNION SELECT: closing the application's string to append a query is the attack itself,
    // even before a column list follows.
    Strong("UNION SELECT after closing quote", 0);
    return true;
  }
  Frame& f = frames_[depth_];
  f.select = true;
  f.shaped = false;
  f.listed = false;
  f.report = "UNION SELECT";
  f.report_listed = true;
  ++i_;
  state_ = State::kOperand;
  return true;
}

bool ShapeReader::StepAfterOperand(const SqlToken& t) {
  Frame& f = frames_[depth_];
  switch (t.kind) {
    case SqlTokenKind::kOperator:
      switch (t.op) {
        case SqlOperator::kCompare:
          AddFeature(kCompare);
          NoteTautology();
          break;
        case SqlOperator::kConcat:
        case SqlOperator::kLogicAnd:
          StartPredicate();
          break;
        case SqlOperator::kUnary:
          return false;
        default:
          AddFeature(kOperator);
          break;
      }
      ++i_;
      state_ = State::kOperand;
      return true;
    case SqlTokenKind::kKeyword: {
      const SqlToken* next = Peek(1);
      switch (t.keyword) {
        case SqlKeyword::kAnd:
          if (f.between) {
            f.between = false;
            ++i_;
            state_ = State::kOperand;
            return true;
          }
          [[fallthrough]];
        case SqlKeyword::kOr:
        case SqlKeyword::kXor:
          StartPredicate();
          ++i_;
          state_ = State::kOperand;
          return true;
        case SqlKeyword::kNot:
          if (next == nullptr || next->kind != SqlTokenKind::kKeyword) return false;
          switch (next->keyword) {
            case SqlKeyword::kIn:
            case SqlKeyword::kLike:
            case SqlKeyword::kRlike:
            case SqlKeyword::kRegexp:
            case SqlKeyword::kBetween:
              ++i_;
              return true;
            default:
              return false;
          }
        case SqlKeyword::kBetween:
          f.between = true;
          [[fallthrough]];
        case SqlKeyword::kIs:
        case SqlKeyword::kIn:
        case SqlKeyword::kLike:
        case SqlKeyword::kRlike:
        case SqlKeyword::kRegexp:
          AddFeature(kCompare);
          NoteTautology();
          ++i_;
          state_ = State::kOperand;
          return true;
        case SqlKeyword::kSounds:
          if (!IsKeyword(next, SqlKeyword::kLike)) return false;
          AddFeature(kCompare);
          i_ += 2;
          state_ = State::kOperand;
          return true;
        case SqlKeyword::kDiv:
        case SqlKeyword::kMod:
        case SqlKeyword::kCollate:
        case SqlKeyword::kEscape:
        case SqlKeyword::kWhen:
        case SqlKeyword::kThen:
        case SqlKeyword::kElse:
          ++i_;
          state_ = State::kOperand;
          return true;
        case SqlKeyword::kEnd:
        case SqlKeyword::kAsc:
        case SqlKeyword::kDesc:
          ++i_;
          return true;
        case SqlKeyword::kUnion:
        case SqlKeyword::kIntersect:
        case SqlKeyword::kExcept:
          return ReadUnion();
        case SqlKeyword::kOrder:
        case SqlKeyword::kGroup:
          if (!IsKeyword(next, SqlKeyword::kBy)) return false;
          EndPredicate(f);
          if (depth_ == 0 && !f.select && IsKind(Peek(2), SqlTokenKind::kNumber)) {
            Weak("ORDER BY / GROUP BY column number");
          }
          i_ += 2;
          state_ = State::kOperand;
          return true;
        case SqlKeyword::kWhere:
        case SqlKeyword::kHaving:
        case SqlKeyword::kOn:
          StartPredicate();
          ++i_;
          state_ = State::kOperand;
          return true;
        case SqlKeyword::kFrom:
          if (!f.select) return false;
          f.listed = true;
          EndPredicate(f);
          ++i_;
          state_ = State::kOperand;
          return true;
        case SqlKeyword::kLimit:
        case SqlKeyword::kOffset:
        case SqlKeyword::kProcedure:
          EndPredicate(f);
          ++i_;
          state_ = State::kOperand;
          return true;
        case SqlKeyword::kInto:
          if (IsKeyword(next, SqlKeyword::kOutfile) || IsKeyword(next, SqlKeyword::kDumpfile)) {
            Strong("INTO OUTFILE", 1);
            return true;
          }
          if (IsKind(next, SqlTokenKind::kVariable) || IsKind(next, SqlTokenKind::kWord)) {
            i_ += 2;
            return true;
          }
          return false;
        case SqlKeyword::kAs:
          if (next == nullptr || next->kind == SqlTokenKind::kComment) return false;
          i_ += 2;
          return true;
        case SqlKeyword::kJoinModifier:
          if (!f.select) return false;
          ++i_;
          return true;
        case SqlKeyword::kJoin:
          if (!f.select) return false;
          ++i_;
          state_ = State::kOperand;
          return true;
        case SqlKeyword::kUsing:  // JOIN .. USING, CONVERT(x USING utf8)
          if (!f.select && f.kind != FrameKind::kCall) return false;
          ++i_;
          state_ = State::kOperand;
          return true;
        case SqlKeyword::kFor:   // FOR UPDATE
        case SqlKeyword::kWith:  // WITH ROLLUP
          if (next == nullptr || next->kind == SqlTokenKind::kComment) return false;
          i_ += 2;
          return true;
        case SqlKeyword::kSelect:
        case SqlKeyword::kExec:
        case SqlKeyword::kWaitfor:
        case SqlKeyword::kDeclare:
        case SqlKeyword::kShutdown:
        case SqlKeyword::kGrant:
        case SqlKeyword::kRevoke:
          // MSSQL runs a batch of statements without ';'.
          if (depth_ != 0 || f.select) return false;
          EndPredicate(f);
          batch_ = true;
          state_ = State::kStatement;
          return true;
        default:
          if (f.select) {  // alias: SELECT 1 user
            ++i_;
            return true;
          }
          return false;
      }
    }
    case SqlTokenKind::kWord:
      if (depth_ == 0 && !f.select && EqualsIgnoreCase(Text(t), "goto")) {
        EndPredicate(f);
        batch_ = true;
        state_ = State::kStatement;  // MSSQL batch: GOTO label
        return true;
      }
      if (!f.select) return false;
      ++i_;  // alias
      return true;
    case SqlTokenKind::kString:
      if (!f.select || (t.flags & detectors::kSqlOpen) != 0) return false;
      ++i_;
      return true;
    case SqlTokenKind::kRParen:
      Close();
      ++i_;
      return true;
    case SqlTokenKind::kComma:
      if (f.select) f.listed = true;
      ++i_;
      state_ = State::kOperand;
      return true;
    case SqlTokenKind::kSemicolon:
      if (depth_ != 0) return false;
      EndPredicate(f);
      if (f.report != nullptr && f.listed && f.report_listed) Weak(f.report);
      // The statement before ';' is complete and valid, so what it did stands whatever follows.
      if (!weak_.empty()) {
        Strong(weak_, 0);
        return true;
      }
      // Keep what the first statement was: frames_[0] is reset for the next one.
      first_statement_all_ = frames_[0].all;
      frames_[0] = Frame{};
      ++i_;
      ends_statement_ = Peek(0) == nullptr;
      state_ = State::kStatement;
      return true;
    case SqlTokenKind::kOther:
      if (Text(t) == "}") {
        ++i_;
        return true;
      }
      return false;
    default:
      return false;
  }
}

// A comment that really cuts the query rather than text that happens to start with its
// marker: "--" then space, punctuation or nothing (not "--INFANT"); "#" then only whitespace
// (not "#2 MOM"); any "/*".
bool IsCleanComment(std::string_view c) {
  if (c.substr(0, 2) == "/*") return true;
  std::string_view rest = c.substr(c[0] == '#' ? 1 : 2);
  if (c[0] == '#') {
    // "#", "#(" and "#xx": nothing or one word of filler after the marker. "#2 MOM" and
    // "#1 best seller" number things, and a second word makes it text.
    while (!rest.empty() && static_cast<unsigned char>(rest.back()) <= 0x20) rest.remove_suffix(1);
    if (rest.empty()) return true;
    if (IsAsciiDigit(static_cast<unsigned char>(rest[0]))) return false;
    for (const char ch : rest) {
      if (static_cast<unsigned char>(ch) <= 0x20) return false;
    }
    return true;
  }
  return rest.empty() || !IsAsciiAlnum(static_cast<unsigned char>(rest[0]));
}

// EXEC name ...: a system procedure, a qualified name, or a name followed by arguments or the
// end of the statement ("exec will create" is a sentence).
bool LooksLikeProcedureCall(std::string_view name, const SqlToken* after) {
  if (StartsWithIgnoreCase(name, "xp_") || StartsWithIgnoreCase(name, "sp_") ||
      name.find('.') != std::string_view::npos) {
    return true;
  }
  if (after == nullptr) return true;
  switch (after->kind) {
    case SqlTokenKind::kString:
    case SqlTokenKind::kNumber:
    case SqlTokenKind::kVariable:
    case SqlTokenKind::kSemicolon:
    case SqlTokenKind::kComment:
      return true;
    default:
      return false;
  }
}

bool IsBareComment(std::string_view c) {
  for (std::size_t i = 1; i < c.size(); ++i) {
    if (IsAsciiAlnum(static_cast<unsigned char>(c[i])) || static_cast<unsigned char>(c[i]) >= 0x80) {
      return false;
    }
  }
  return true;
}

bool ShapeReader::TextIs(const SqlToken* t, std::string_view lower) const {
  return t != nullptr && EqualsIgnoreCase(Text(*t), lower);
}

// A new statement after ';' (or an MSSQL batch). Recognizing its first words is enough: a data
// value has no business starting one.
bool ShapeReader::StepStatement(const SqlToken& t) {
  if (at_start_) return StatementAtStart(t);
  const SqlToken* next = Peek(1);
  const SqlToken* next2 = Peek(2);
  if (t.kind == SqlTokenKind::kSemicolon) {
    ++i_;
    return true;
  }
  if (t.kind == SqlTokenKind::kLParen) {  // (SELECT ...)
    state_ = State::kOperand;
    return true;
  }
  if (t.kind == SqlTokenKind::kWord) {
    if (detectors::LookupSqlFunction(Text(t)) == SqlFunctionKind::kEscape) {
      Strong("stacked call of a system procedure", 0);
      return true;
    }
    if (EqualsIgnoreCase(Text(t), "while")) {  // MSSQL: WHILE cond statement
      ++i_;
      state_ = State::kOperand;
      return true;
    }
    // MSSQL batches jump around: GOTO label ... label:
    if (EqualsIgnoreCase(Text(t), "goto") && IsKind(next, SqlTokenKind::kWord)) {
      i_ += 2;
      return true;
    }
    if (next != nullptr && next->kind == SqlTokenKind::kOther && Text(*next) == ":") {
      i_ += 2;
      return true;
    }
    return false;
  }
  if (t.kind != SqlTokenKind::kKeyword) return false;
  const bool next_is_name = IsKind(next, SqlTokenKind::kWord) || IsKind(next, SqlTokenKind::kKeyword);
  switch (t.keyword) {
    case SqlKeyword::kSelect:
      frames_[0] = Frame{};
      frames_[0].select = true;
      // Without ';' the evidence must be as strong as for a whole-value statement.
      frames_[0].strict = batch_;
      frames_[0].report = "stacked SELECT";
      ++i_;
      state_ = State::kOperand;
      return true;
    case SqlKeyword::kInsert:
      if (IsKeyword(next, SqlKeyword::kInto) || IsKind(next, SqlTokenKind::kWord)) {
        Strong("stacked INSERT", 1);
        return true;
      }
      return false;
    case SqlKeyword::kUpdate:
      if (next_is_name && IsKeyword(next2, SqlKeyword::kSet)) {
        Strong("stacked UPDATE", 2);
        return true;
      }
      return false;
    case SqlKeyword::kDelete:
      if (IsKeyword(next, SqlKeyword::kFrom) || IsKind(next, SqlTokenKind::kWord)) {
        Strong("stacked DELETE", 1);
        return true;
      }
      return false;
    case SqlKeyword::kDrop:
    case SqlKeyword::kCreate:
    case SqlKeyword::kAlter:
    case SqlKeyword::kTruncate:
      if (IsKeyword(next, SqlKeyword::kObject) || IsKeyword(next, SqlKeyword::kProcedure) ||
          (t.keyword == SqlKeyword::kTruncate && IsKind(next, SqlTokenKind::kWord))) {
        Strong("stacked DROP / CREATE / ALTER", 1);
        return true;
      }
      return false;
    case SqlKeyword::kDesc:
      if (IsKind(next, SqlTokenKind::kWord) || IsKeyword(next, SqlKeyword::kObject)) {
        Strong("stacked DESCRIBE", 1);
        return true;
      }
      return false;
    case SqlKeyword::kExec:
      if (IsKind(next, SqlTokenKind::kVariable) || IsKind(next, SqlTokenKind::kLParen) ||
          IsKind(next, SqlTokenKind::kString) ||
          (IsKind(next, SqlTokenKind::kWord) && LooksLikeProcedureCall(Text(*next), next2))) {
        Strong("EXEC of a procedure", 1);
        return true;
      }
      return false;
    case SqlKeyword::kDeclare:
      if (IsKind(next, SqlTokenKind::kVariable) ||
          (IsKind(next, SqlTokenKind::kWord) && TextIs(next2, "cursor"))) {
        Strong("stacked DECLARE", 1);
        return true;
      }
      return false;
    case SqlKeyword::kShutdown:
      // SHUTDOWN; SHUTDOWN WITH NOWAIT; BEGIN SHUTDOWN END
      if (next == nullptr || IsKind(next, SqlTokenKind::kComment) ||
          IsKind(next, SqlTokenKind::kSemicolon) || IsKeyword(next, SqlKeyword::kWith) ||
          IsKeyword(next, SqlKeyword::kEnd)) {
        Strong("SHUTDOWN", 0);
        return true;
      }
      return false;
    case SqlKeyword::kWaitfor:
      if ((IsKeyword(next, SqlKeyword::kDelay) || IsKeyword(next, SqlKeyword::kTime)) &&
          IsKind(next2, SqlTokenKind::kString)) {
        Strong("WAITFOR DELAY", 2);
        return true;
      }
      return false;
    case SqlKeyword::kGrant:
    case SqlKeyword::kRevoke:
      if (next_is_name) {
        Strong("stacked GRANT / REVOKE", 1);
        return true;
      }
      return false;
    case SqlKeyword::kSet:
      if (IsKind(next, SqlTokenKind::kVariable)) {
        Strong("stacked SET of a variable", 1);
        return true;
      }
      return false;
    case SqlKeyword::kIf:
      ++i_;
      state_ = State::kOperand;
      return true;
    case SqlKeyword::kBegin:
      ++i_;
      return true;
    default:
      return false;
  }
}

bool ShapeReader::StartsAsStatement(const SqlToken& t) const {
  if (t.kind == SqlTokenKind::kWord) return EqualsIgnoreCase(Text(t), "copy");
  if (t.kind != SqlTokenKind::kKeyword) return false;
  switch (t.keyword) {
    case SqlKeyword::kSelect:
    case SqlKeyword::kInsert:
    case SqlKeyword::kUpdate:
    case SqlKeyword::kDelete:
    case SqlKeyword::kDrop:
    case SqlKeyword::kCreate:
    case SqlKeyword::kAlter:
    case SqlKeyword::kTruncate:
    case SqlKeyword::kExec:
    case SqlKeyword::kDeclare:
      return true;
    default:
      return false;
  }
}

// The whole value is an SQL statement. Sentences start with "select", "delete from" or
// "drop table" too, so each statement must show more of its grammar than after ';'.
bool ShapeReader::StatementAtStart(const SqlToken& t) {
  at_start_ = false;  // only the first statement is judged this strictly
  const SqlToken* n1 = Peek(1);
  const SqlToken* n2 = Peek(2);
  const SqlToken* n3 = Peek(3);
  const auto is_name = [](const SqlToken* x) {
    return IsKind(x, SqlTokenKind::kWord) || IsKeyword(x, SqlKeyword::kObject);
  };
  const auto ends_statement = [](const SqlToken* x) {
    return IsKind(x, SqlTokenKind::kSemicolon) || IsKind(x, SqlTokenKind::kComment);
  };
  if (t.kind == SqlTokenKind::kWord) {  // PostgreSQL COPY t FROM '/etc/passwd'
    if (is_name(n1) && (IsKeyword(n2, SqlKeyword::kFrom) || TextIs(n2, "to")) &&
        IsKind(n3, SqlTokenKind::kString)) {
      Strong("COPY statement", 3);
      return true;
    }
    return false;
  }
  switch (t.keyword) {
    case SqlKeyword::kSelect:
      frames_[0] = Frame{};
      frames_[0].select = true;
      frames_[0].strict = true;
      frames_[0].report = "SELECT statement";
      ++i_;
      state_ = State::kOperand;
      return true;
    case SqlKeyword::kInsert:
      if (IsKeyword(n1, SqlKeyword::kInto) && is_name(n2) &&
          (IsKind(n3, SqlTokenKind::kLParen) || IsKeyword(n3, SqlKeyword::kValues) ||
           IsKeyword(n3, SqlKeyword::kSelect))) {
        Strong("INSERT statement", 3);
        return true;
      }
      return false;
    case SqlKeyword::kUpdate:
      if (is_name(n1) && IsKeyword(n2, SqlKeyword::kSet) && is_name(n3) &&
          IsOp(Peek(4), '=')) {
        Strong("UPDATE statement", 4);
        return true;
      }
      return false;
    case SqlKeyword::kDelete:
      if (IsKeyword(n1, SqlKeyword::kFrom) && is_name(n2) &&
          (IsKeyword(n3, SqlKeyword::kWhere) || ends_statement(n3))) {
        Strong("DELETE statement", 3);
        return true;
      }
      return false;
    case SqlKeyword::kDrop:
    case SqlKeyword::kCreate:
    case SqlKeyword::kAlter:
    case SqlKeyword::kTruncate:
      if ((IsKeyword(n1, SqlKeyword::kObject) || IsKeyword(n1, SqlKeyword::kProcedure)) &&
          is_name(n2) && (IsKind(n3, SqlTokenKind::kLParen) || ends_statement(n3))) {
        Strong("DROP / CREATE / ALTER statement", 3);
        return true;
      }
      return false;
    case SqlKeyword::kExec: {
      // EXEC ( needs something to execute: the word and a bracket alone are a fragment.
      if ((IsKind(n1, SqlTokenKind::kLParen) && n2 != nullptr) ||
          IsKind(n1, SqlTokenKind::kVariable)) {
        Strong("EXEC statement", 1);
        return true;
      }
      if (IsKind(n1, SqlTokenKind::kWord)) {
        const std::string_view name = Text(*n1);
        if (StartsWithIgnoreCase(name, "xp_") || StartsWithIgnoreCase(name, "sp_") ||
            name.find('.') != std::string_view::npos) {
          Strong("EXEC statement", 1);
          return true;
        }
      }
      return false;
    }
    case SqlKeyword::kDeclare:
      if (IsKind(n1, SqlTokenKind::kVariable) ||
          (IsKind(n1, SqlTokenKind::kWord) && TextIs(n2, "cursor"))) {
        Strong("DECLARE statement", 1);
        return true;
      }
      return false;
    default:
      return false;
  }
}

// When the grammar gives up (a truncated or mangled payload), a condition already opened with
// AND / OR that compares literals inside a known SQL function still counts:
// " AND 5650=CONVERT(INT,(UNION ..." is no sentence.
std::string_view ShapeReader::UnfinishedCondition() const {
  bool condition = false;
  for (int d = 0; d <= depth_; ++d) {
    const Frame& f = frames_[d];
    if (f.predicate && (f.seg & kCompare) != 0 && (f.seg & (kLiteral | kVariable)) != 0) {
      condition = true;
    } else if (condition && ((f.kind == FrameKind::kCall && f.fn != SqlFunctionKind::kUnknown) ||
                             f.kind == FrameKind::kSubquery)) {
      return "boolean condition with a function or subquery (unfinished)";
    }
  }
  return {};
}

// Rules that only make sense right after the application's quote was closed.
std::string_view ShapeReader::QuoteRules() {
  std::size_t k = 1;
  while (k < lexed_ && k < kHeadTokens &&
         (head_[k].kind == SqlTokenKind::kRParen || head_[k].kind == SqlTokenKind::kSemicolon)) {
    ++k;
  }
  if (k >= kHeadTokens) return {};
  if (k < lexed_ && head_[k].kind == SqlTokenKind::kComment && k + 1 == lexed_) {
    return clean_comment_ ? "quote closed, rest of query commented out" : std::string_view();
  }
  if (k >= lexed_) return {};
  const SqlToken& op = head_[k];
  const bool short_tail = open_tail_ > 0 && open_tail_ <= kShortTail;
  // x'='x  '='  '<>'  : a comparison of the closed string, kept valid by the closing quote.
  if (op.kind == SqlTokenKind::kOperator && op.op == SqlOperator::kCompare &&
      (open_tail_ == 0 || short_tail || clean_comment_)) {
    return "quote closed, comparison appended";
  }
  bool is_operator = op.kind == SqlTokenKind::kOperator && op.op != SqlOperator::kUnary;
  if (op.kind == SqlTokenKind::kKeyword) {
    switch (op.keyword) {
      case SqlKeyword::kLike:
      case SqlKeyword::kRlike:
      case SqlKeyword::kRegexp:
      case SqlKeyword::kNot:
      case SqlKeyword::kIs:
      case SqlKeyword::kIn:
      case SqlKeyword::kBetween:
      case SqlKeyword::kSounds:
      case SqlKeyword::kDiv:
      case SqlKeyword::kMod:
        is_operator = true;
        break;
      default:
        break;
    }
  }
  if (!is_operator) return {};
  // A' LIKE 'B  '^(0)='0 : the value ends where the application's quote closes it again.
  // Arithmetic between double-quoted words is common prose ("rock "&" roll"), so it counts
  // after single quotes only.
  if (short_tail && (quote_ == '\'' || op.kind == SqlTokenKind::kKeyword ||
                     op.op == SqlOperator::kConcat || op.op == SqlOperator::kLogicAnd)) {
    return "quote closed, operator appended";
  }
  // '||'  '-'  '&&' : an empty string on either side of an operator. Only for single quotes,
  // the SQL string delimiter; prose puts a symbol in double quotes ("*") more often.
  if (open_tail_ == 0 && quote_ == '\'') return "quote closed, operator appended";
  // id' NOT LIKE id--  ' IS NOT NULL--  '^0+1=(0)--  x' GLOB 1;
  const std::uint16_t all = ends_statement_ ? first_statement_all_ : frames_[0].all;
  if ((clean_comment_ || ends_statement_) &&
      (op.kind == SqlTokenKind::kKeyword || (all & kCompare) != 0)) {
    return ends_statement_ ? "quote closed, operator appended, statement ended"
                           : "quote closed, operator appended";
  }
  if ((frames_[0].all & (kKnownFn | kSubquery | kVariable)) != 0) {
    return "quote closed, expression with a function appended";
  }
  return {};
}

std::string_view ShapeReader::Read() {
  const SqlToken* first = Peek(0);
  if (first == nullptr) return {};
  if (quote_ != 0) {
    if ((first->flags & detectors::kSqlOpen) != 0) return {};  // the value stays inside the string
    frames_[0].all = kLiteral;
    i_ = 1;
    state_ = State::kAfterOperand;
  } else if (StartsAsStatement(*first)) {
    at_start_ = true;
    state_ = State::kStatement;
  } else {
    state_ = StartsAsContinuation(*first) ? State::kAfterOperand : State::kOperand;
  }
  bool failed = false;
  for (;;) {
    const SqlToken* t = Peek(0);
    if (t == nullptr) break;
    if (t->kind == SqlTokenKind::kComment) {
      clean_comment_ = IsCleanComment(Text(*t));
      bare_comment_ = clean_comment_ && IsBareComment(Text(*t));
      break;
    }
    bool ok = false;
    switch (state_) {
      case State::kOperand:
        ok = StepOperand(*t);
        break;
      case State::kAfterOperand:
        ok = StepAfterOperand(*t);
        break;
      case State::kStatement:
        ok = StepStatement(*t);
        break;
    }
    if (!strong_.empty()) return strong_;
    if (!ok) {
      failed = true;
      break;
    }
  }
  if (failed || state_ == State::kOperand) {
    fire_end_ = i_ + 1;
    return UnfinishedCondition();
  }
  while (depth_ > 0) Close();
  EndPredicate(frames_[0]);
  if (frames_[0].report != nullptr && frames_[0].listed && frames_[0].report_listed) {
    Weak(frames_[0].report);
  }
  fire_end_ = lexed_;
  if (!weak_.empty()) return weak_;
  if (literal_predicate_ && (clean_comment_ || (open_tail_ > 0 && open_tail_ <= kShortTail))) {
    return "boolean literal, rest of query cut off";
  }
  if (literal_expression_predicate_ && open_tail_ == 0) {
    return "boolean literal, rest of query cut off";
  }
  // ( BINARY COS(1) ) --  @@version# : an expression in place of the value and nothing of the
  // query after it. Prose rarely ends in a bare comment marker.
  if (quote_ == 0 && bare_comment_ && (has_parens_ || (frames_[0].all & kInfoFn) != 0)) {
    return "expression with the rest of the query commented out";
  }
  if (quote_ != 0) return QuoteRules();
  return {};
}

char TokenLetter(const SqlToken& t, const SqlToken* next) {
  switch (t.kind) {
    case SqlTokenKind::kString:
      return 's';
    case SqlTokenKind::kNumber:
      return 'n';
    case SqlTokenKind::kVariable:
      return 'v';
    case SqlTokenKind::kWord:
      return next != nullptr && next->kind == SqlTokenKind::kLParen ? 'f' : 'w';
    case SqlTokenKind::kKeyword:
      switch (t.keyword) {
        case SqlKeyword::kAnd:
        case SqlKeyword::kOr:
        case SqlKeyword::kXor:
          return '&';
        case SqlKeyword::kUnion:
        case SqlKeyword::kIntersect:
        case SqlKeyword::kExcept:
          return 'U';
        case SqlKeyword::kSelect:
        case SqlKeyword::kInsert:
        case SqlKeyword::kUpdate:
        case SqlKeyword::kDelete:
        case SqlKeyword::kDrop:
        case SqlKeyword::kCreate:
        case SqlKeyword::kAlter:
        case SqlKeyword::kTruncate:
        case SqlKeyword::kExec:
        case SqlKeyword::kDeclare:
        case SqlKeyword::kShutdown:
        case SqlKeyword::kWaitfor:
        case SqlKeyword::kGrant:
        case SqlKeyword::kRevoke:
          return 'T';
        case SqlKeyword::kNull:
        case SqlKeyword::kTrue:
        case SqlKeyword::kFalse:
          return 'n';
        case SqlKeyword::kIf:
        case SqlKeyword::kJoinModifier:
        case SqlKeyword::kObject:
        case SqlKeyword::kCurrentUser:
        case SqlKeyword::kMod:
          return next != nullptr && next->kind == SqlTokenKind::kLParen ? 'f' : 'k';
        default:
          return 'k';
      }
    case SqlTokenKind::kOperator:
      return t.op == SqlOperator::kConcat || t.op == SqlOperator::kLogicAnd ? '&' : 'o';
    case SqlTokenKind::kLParen:
      return '(';
    case SqlTokenKind::kRParen:
      return ')';
    case SqlTokenKind::kComma:
      return ',';
    case SqlTokenKind::kSemicolon:
      return ';';
    case SqlTokenKind::kComment:
      return 'c';
    case SqlTokenKind::kOther:
      return '?';
  }
  return '?';
}

std::string ShapeReader::Fingerprint() const {
  std::string out;
  std::size_t end = fire_end_ < lexed_ ? fire_end_ : lexed_;
  if (end > kFingerprintMax) end = kFingerprintMax;
  static_assert(kFingerprintMax < kHeadTokens);
  for (std::size_t k = 0; k < end; ++k) {
    out.push_back(TokenLetter(head_[k], k + 1 < lexed_ ? &head_[k + 1] : nullptr));
  }
  return out;
}

// Bytes that can change SQL structure. A value without any of them (a word, a number, a hash)
// cannot inject.
bool HasSqlSyntax(std::string_view value) {
  for (const char ch : value) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f) return true;
    switch (c) {
      case '\'': case '"': case '`': case '(': case ')': case ';': case '#': case '-':
      case '/': case '*': case '=': case '<': case '>': case '|': case '&': case '@':
      case ',': case '!': case '~': case '^': case '%': case '+': case '{': case '}':
        return true;
      default:
        break;
    }
  }
  return false;
}

// A value that is nothing but a comparison of two literals which holds: 1=1, 7 LIKE 7, 2<>3,
// 'a'='a', 1 IS NOT 2. Appended to a condition it makes the condition true; no data value has
// this shape. A comparison that does not hold (2=3) is not reported: it is what a date range
// or a score looks like as often as a probe. Appends the token letters to `fingerprint`, which
// means something only when it returns true.
bool IsLiteralTautology(std::string_view value, std::string* fingerprint) {
  SqlLexer lexer(value, 0);
  std::array<SqlToken, 4> t;  // literal, operator (or IS NOT), literal
  std::size_t n = 0;
  SqlToken tok;
  while (lexer.Next(&tok)) {
    if (n == t.size()) return false;
    t[n++] = tok;
  }
  const auto literal = [](const SqlToken& x) {
    return x.kind == SqlTokenKind::kNumber ||
           (x.kind == SqlTokenKind::kString && (x.flags & detectors::kSqlOpen) == 0);
  };
  if (n < 3 || !literal(t[0]) || !literal(t[n - 1]) || t[0].kind != t[n - 1].kind) {
    return false;
  }
  const auto text = [&](const SqlToken& x) { return value.substr(x.begin, x.end - x.begin); };
  for (std::size_t k = 0; k < n; ++k) {
    fingerprint->push_back(TokenLetter(t[k], k + 1 < n ? &t[k + 1] : nullptr));
  }
  const std::string_view left = text(t[0]);
  const std::string_view right = text(t[n - 1]);
  bool equal = left == right;
  int order = 0;  // -1, 0, 1: left against right, for numbers
  if (t[0].kind == SqlTokenKind::kNumber) {
    const std::optional<double> a = ParseDouble(left);
    const std::optional<double> b = ParseDouble(right);
    if (!a || !b) return false;
    equal = *a == *b;
    order = *a < *b ? -1 : (*a > *b ? 1 : 0);
  }
  if (n == 4) {  // IS NOT
    return t[1].kind == SqlTokenKind::kKeyword && t[1].keyword == SqlKeyword::kIs &&
           t[2].kind == SqlTokenKind::kKeyword && t[2].keyword == SqlKeyword::kNot && !equal;
  }
  const SqlToken& op = t[1];
  if (op.kind == SqlTokenKind::kKeyword) {
    return (op.keyword == SqlKeyword::kLike || op.keyword == SqlKeyword::kIs) && equal;
  }
  if (op.kind != SqlTokenKind::kOperator || op.op != SqlOperator::kCompare) return false;
  const std::string_view o = text(op);
  if (o == "=" || o == "==" || o == "<=>") return equal;
  if (o == "!=" || o == "<>") return !equal;
  if (t[0].kind != SqlTokenKind::kNumber) return false;
  if (o == "<") return order < 0;
  if (o == ">") return order > 0;
  if (o == "<=" || o == "!>") return order <= 0;
  if (o == ">=" || o == "!<") return order >= 0;
  return false;
}

bool HasPercentEscape(std::string_view v) {
  for (std::size_t i = 0; i + 2 < v.size(); ++i) {
    if (v[i] == '%' && IsHexDigit(static_cast<unsigned char>(v[i + 1])) &&
        IsHexDigit(static_cast<unsigned char>(v[i + 2]))) {
      return true;
    }
  }
  return false;
}

// Reads `value` in each context; fills `result` and returns true on the first finding.
bool ReadContexts(std::string_view value, SqliMatch* result) {
  if (!HasSqlSyntax(value)) return false;
  struct Context {
    char quote;
    bool backslash;
    std::string_view name;
  };
  static constexpr Context kContexts[] = {{'\'', false, "single-quote"},
                                          {'"', false, "double-quote"},
                                          {0, false, "unquoted"},
                                          {'\'', true, "single-quote-backslash"}};
  if (std::string fingerprint; IsLiteralTautology(value, &fingerprint)) {
    result->matched = true;
    result->context = "unquoted";
    result->reason = "comparison of literals that always holds";
    result->fingerprint = std::move(fingerprint);
    return true;
  }
  for (const Context& ctx : kContexts) {
    if (ctx.quote != 0 && value.find(ctx.quote) == std::string_view::npos) continue;
    // MySQL's backslash escapes matter only to a value that has one next to a quote (\'),
    // aimed at applications that escape quotes but not backslashes.
    if (ctx.backslash && value.find("\\'") == std::string_view::npos) continue;
    ShapeReader reader(value, ctx.quote, ctx.backslash);
    const std::string_view reason = reader.Read();
    if (reason.empty()) continue;
    result->matched = true;
    result->context = ctx.name;
    result->reason = reason;
    result->fingerprint = reader.Fingerprint();
    return true;
  }
  return false;
}

// The part after "name=" when the value is itself a form field (a field whose '=' was encoded
// once more, "pay%3DAND+1%3D1", reaches the application as one name): the application, or the
// one behind it, reads what follows the '=' as the value. Empty when the value does not start
// with a field name and a single '='.
std::string_view FieldValueAfterName(std::string_view value) {
  constexpr std::size_t kMaxName = 64;
  if (value.empty() || !(IsAsciiAlpha(static_cast<unsigned char>(value[0])) || value[0] == '_')) {
    return {};
  }
  for (std::size_t i = 1; i < value.size() && i <= kMaxName; ++i) {
    const unsigned char c = static_cast<unsigned char>(value[i]);
    if (c == '=') {
      if (i + 1 >= value.size() || value[i + 1] == '=') return {};
      return value.substr(i + 1);
    }
    if (!IsAsciiAlnum(c) && c != '_' && c != '-' && c != '.' && c != '[' && c != ']') return {};
  }
  return {};
}

// Reads the value as given and, when it still holds %XX escapes (a payload encoded twice, or
// for an application that decodes once more), once more form-decoded (%XX and '+'). A value
// that is a whole "name=value" field is also read from after the '='.
bool ReadValue(std::string_view value, SqliMatch* result) {
  if (ReadContexts(value, result)) return true;
  if (const std::string_view field = FieldValueAfterName(value);
      !field.empty() && ReadContexts(field, result)) {
    return true;
  }
  if (!HasPercentEscape(value)) return false;
  std::array<char, kSqliMaxInputBytes> buf;
  std::size_t o = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '%' && i + 2 < value.size() &&
        IsHexDigit(static_cast<unsigned char>(value[i + 1])) &&
        IsHexDigit(static_cast<unsigned char>(value[i + 2]))) {
      buf[o++] = static_cast<char>(HexValue(static_cast<unsigned char>(value[i + 1])) * 16 +
                                   HexValue(static_cast<unsigned char>(value[i + 2])));
      i += 2;
    } else {
      buf[o++] = value[i] == '+' ? ' ' : value[i];
    }
  }
  if (!ReadContexts(std::string_view(buf.data(), o), result)) return false;
  result->decoded = true;
  return true;
}

}  // namespace

SqliMatch DetectSqli(std::string_view value) {
  SqliMatch result;
  if (value.size() <= kSqliMaxInputBytes) {
    ReadValue(value, &result);
    return result;
  }
  // Padding a payload past an inspection limit is a known evasion, so a long value is read at
  // both ends.
  constexpr std::size_t kHalf = kSqliMaxInputBytes / 2;
  if (!ReadValue(value.substr(0, kHalf), &result)) {
    ReadValue(value.substr(value.size() - kHalf), &result);
  }
  return result;
}

}  // namespace warden
