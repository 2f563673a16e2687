#include "detect/detectors/sql_lexer.h"


#include "common/strings.h"

namespace warden::detectors {

namespace {

// Control bytes count as whitespace: MySQL and MSSQL skip several of them, and payloads use
// them to split keywords from their neighbours.
bool IsSqlSpace(unsigned char c) { return c <= 0x20 || c == 0x7f; }

// Bytes >= 0x80 belong to words, so UTF-8 text stays whole.
bool IsWordStart(unsigned char c) { return IsAsciiAlpha(c) || c == '_' || c >= 0x80; }
bool IsWordByte(unsigned char c) { return IsAsciiAlnum(c) || c == '_' || c == '$' || c >= 0x80; }

// Copies an ASCII-lowercased `word` into `buf`; false when it does not fit.
template <std::size_t N>
bool LowerInto(std::string_view word, char (&buf)[N], std::string_view* out) {
  if (word.size() > N) return false;
  for (std::size_t i = 0; i < word.size(); ++i) buf[i] = AsciiLower(static_cast<unsigned char>(word[i]));
  *out = std::string_view(buf, word.size());
  return true;
}

struct KeywordEntry {
  std::string_view name;
  SqlKeyword keyword;
};

// Sorted by name (checked below) for binary search.
constexpr KeywordEntry kKeywords[] = {
    {"all", SqlKeyword::kAll},
    {"alter", SqlKeyword::kAlter},
    {"and", SqlKeyword::kAnd},
    {"any", SqlKeyword::kAny},
    {"as", SqlKeyword::kAs},
    {"asc", SqlKeyword::kAsc},
    {"begin", SqlKeyword::kBegin},
    {"between", SqlKeyword::kBetween},
    {"binary", SqlKeyword::kBinary},
    {"by", SqlKeyword::kBy},
    {"case", SqlKeyword::kCase},
    {"collate", SqlKeyword::kCollate},
    {"column", SqlKeyword::kObject},
    {"create", SqlKeyword::kCreate},
    {"cross", SqlKeyword::kJoinModifier},
    {"current_user", SqlKeyword::kCurrentUser},
    {"database", SqlKeyword::kObject},
    {"declare", SqlKeyword::kDeclare},
    {"delay", SqlKeyword::kDelay},
    {"delete", SqlKeyword::kDelete},
    {"desc", SqlKeyword::kDesc},
    {"describe", SqlKeyword::kDesc},
    {"distinct", SqlKeyword::kDistinct},
    {"distinctrow", SqlKeyword::kDistinct},
    {"div", SqlKeyword::kDiv},
    {"drop", SqlKeyword::kDrop},
    {"dumpfile", SqlKeyword::kDumpfile},
    {"else", SqlKeyword::kElse},
    {"end", SqlKeyword::kEnd},
    {"escape", SqlKeyword::kEscape},
    {"except", SqlKeyword::kExcept},
    {"exec", SqlKeyword::kExec},
    {"execute", SqlKeyword::kExec},
    {"exists", SqlKeyword::kExists},
    {"false", SqlKeyword::kFalse},
    {"for", SqlKeyword::kFor},
    {"from", SqlKeyword::kFrom},
    {"full", SqlKeyword::kJoinModifier},
    {"function", SqlKeyword::kObject},
    {"glob", SqlKeyword::kLike},
    {"grant", SqlKeyword::kGrant},
    {"group", SqlKeyword::kGroup},
    {"having", SqlKeyword::kHaving},
    {"if", SqlKeyword::kIf},
    {"ilike", SqlKeyword::kLike},
    {"in", SqlKeyword::kIn},
    {"index", SqlKeyword::kObject},
    {"inner", SqlKeyword::kJoinModifier},
    {"insert", SqlKeyword::kInsert},
    {"intersect", SqlKeyword::kIntersect},
    {"interval", SqlKeyword::kInterval},
    {"into", SqlKeyword::kInto},
    {"is", SqlKeyword::kIs},
    {"join", SqlKeyword::kJoin},
    {"left", SqlKeyword::kJoinModifier},
    {"like", SqlKeyword::kLike},
    {"limit", SqlKeyword::kLimit},
    {"login", SqlKeyword::kObject},
    {"mod", SqlKeyword::kMod},
    {"natural", SqlKeyword::kJoinModifier},
    {"not", SqlKeyword::kNot},
    {"null", SqlKeyword::kNull},
    {"offset", SqlKeyword::kOffset},
    {"on", SqlKeyword::kOn},
    {"or", SqlKeyword::kOr},
    {"order", SqlKeyword::kOrder},
    {"outer", SqlKeyword::kJoinModifier},
    {"outfile", SqlKeyword::kOutfile},
    {"procedure", SqlKeyword::kProcedure},
    {"regexp", SqlKeyword::kRegexp},
    {"revoke", SqlKeyword::kRevoke},
    {"right", SqlKeyword::kJoinModifier},
    {"rlike", SqlKeyword::kRlike},
    {"role", SqlKeyword::kObject},
    {"schema", SqlKeyword::kObject},
    {"select", SqlKeyword::kSelect},
    {"session_user", SqlKeyword::kCurrentUser},
    {"set", SqlKeyword::kSet},
    {"shutdown", SqlKeyword::kShutdown},
    {"some", SqlKeyword::kSome},
    {"sounds", SqlKeyword::kSounds},
    {"system_user", SqlKeyword::kCurrentUser},
    {"table", SqlKeyword::kObject},
    {"then", SqlKeyword::kThen},
    {"time", SqlKeyword::kTime},
    {"top", SqlKeyword::kTop},
    {"trigger", SqlKeyword::kObject},
    {"true", SqlKeyword::kTrue},
    {"truncate", SqlKeyword::kTruncate},
    {"union", SqlKeyword::kUnion},
    {"update", SqlKeyword::kUpdate},
    {"user", SqlKeyword::kObject},
    {"using", SqlKeyword::kUsing},
    {"values", SqlKeyword::kValues},
    {"view", SqlKeyword::kObject},
    {"waitfor", SqlKeyword::kWaitfor},
    {"when", SqlKeyword::kWhen},
    {"where", SqlKeyword::kWhere},
    {"with", SqlKeyword::kWith},
    {"xor", SqlKeyword::kXor},
};

struct FunctionEntry {
  std::string_view name;
  SqlFunctionKind kind;
};

// Sorted by name (checked below). Not a list of every SQL function: only those whose presence
// says something about intent. Anything else is kUnknown.
constexpr FunctionEntry kFunctions[] = {
    {"abs", SqlFunctionKind::kCommon},
    {"aes_decrypt", SqlFunctionKind::kCommon},
    {"aes_encrypt", SqlFunctionKind::kCommon},
    {"ascii", SqlFunctionKind::kCommon},
    {"benchmark", SqlFunctionKind::kDelay},
    {"bin", SqlFunctionKind::kCommon},
    {"cast", SqlFunctionKind::kCommon},
    {"ceil", SqlFunctionKind::kCommon},
    {"ceiling", SqlFunctionKind::kCommon},
    {"char", SqlFunctionKind::kCommon},
    {"char_length", SqlFunctionKind::kCommon},
    {"chr", SqlFunctionKind::kCommon},
    {"coalesce", SqlFunctionKind::kCommon},
    {"concat", SqlFunctionKind::kCommon},
    {"concat_ws", SqlFunctionKind::kCommon},
    {"connection_id", SqlFunctionKind::kInfo},
    {"conv", SqlFunctionKind::kCommon},
    {"convert", SqlFunctionKind::kCommon},
    {"count", SqlFunctionKind::kCommon},
    {"current_database", SqlFunctionKind::kInfo},
    {"current_schema", SqlFunctionKind::kInfo},
    {"current_user", SqlFunctionKind::kInfo},
    {"database", SqlFunctionKind::kInfo},
    {"db_name", SqlFunctionKind::kInfo},
    {"dblink", SqlFunctionKind::kEscape},
    {"dblink_connect", SqlFunctionKind::kEscape},
    {"decode", SqlFunctionKind::kCommon},
    {"elt", SqlFunctionKind::kCommon},
    {"exp", SqlFunctionKind::kCommon},
    {"extractvalue", SqlFunctionKind::kCommon},
    {"find_in_set", SqlFunctionKind::kCommon},
    {"floor", SqlFunctionKind::kCommon},
    {"geometrycollection", SqlFunctionKind::kCommon},
    {"get_host_address", SqlFunctionKind::kEscape},
    {"get_host_name", SqlFunctionKind::kEscape},
    {"get_lock", SqlFunctionKind::kDelay},
    {"greatest", SqlFunctionKind::kCommon},
    {"group_concat", SqlFunctionKind::kCommon},
    {"gtid_subset", SqlFunctionKind::kCommon},
    {"gtid_subtract", SqlFunctionKind::kCommon},
    {"hex", SqlFunctionKind::kCommon},
    {"host_name", SqlFunctionKind::kInfo},
    {"httpuritype", SqlFunctionKind::kEscape},
    {"if", SqlFunctionKind::kCommon},
    {"ifnull", SqlFunctionKind::kCommon},
    {"iif", SqlFunctionKind::kCommon},
    {"inet_server_addr", SqlFunctionKind::kInfo},
    {"instr", SqlFunctionKind::kCommon},
    {"isnull", SqlFunctionKind::kCommon},
    {"json_extract", SqlFunctionKind::kCommon},
    {"json_keys", SqlFunctionKind::kCommon},
    {"lcase", SqlFunctionKind::kCommon},
    {"least", SqlFunctionKind::kCommon},
    {"left", SqlFunctionKind::kCommon},
    {"len", SqlFunctionKind::kCommon},
    {"length", SqlFunctionKind::kCommon},
    {"linestring", SqlFunctionKind::kCommon},
    {"listagg", SqlFunctionKind::kCommon},
    {"lo_export", SqlFunctionKind::kEscape},
    {"lo_get", SqlFunctionKind::kEscape},
    {"lo_import", SqlFunctionKind::kEscape},
    {"load_extension", SqlFunctionKind::kEscape},
    {"load_file", SqlFunctionKind::kEscape},
    {"locate", SqlFunctionKind::kCommon},
    {"lower", SqlFunctionKind::kCommon},
    {"lpad", SqlFunctionKind::kCommon},
    {"make_set", SqlFunctionKind::kCommon},
    {"max", SqlFunctionKind::kCommon},
    {"md5", SqlFunctionKind::kCommon},
    {"mid", SqlFunctionKind::kCommon},
    {"min", SqlFunctionKind::kCommon},
    {"multilinestring", SqlFunctionKind::kCommon},
    {"multipoint", SqlFunctionKind::kCommon},
    {"multipolygon", SqlFunctionKind::kCommon},
    {"name_const", SqlFunctionKind::kCommon},
    {"nchar", SqlFunctionKind::kCommon},
    {"now", SqlFunctionKind::kCommon},
    {"nullif", SqlFunctionKind::kCommon},
    {"oct", SqlFunctionKind::kCommon},
    {"opendatasource", SqlFunctionKind::kEscape},
    {"openquery", SqlFunctionKind::kEscape},
    {"openrowset", SqlFunctionKind::kEscape},
    {"ord", SqlFunctionKind::kCommon},
    {"pg_ls_dir", SqlFunctionKind::kEscape},
    {"pg_read_binary_file", SqlFunctionKind::kEscape},
    {"pg_read_file", SqlFunctionKind::kEscape},
    {"pg_sleep", SqlFunctionKind::kDelay},
    {"pg_sleep_for", SqlFunctionKind::kDelay},
    {"pg_sleep_until", SqlFunctionKind::kDelay},
    {"pi", SqlFunctionKind::kCommon},
    {"polygon", SqlFunctionKind::kCommon},
    {"position", SqlFunctionKind::kCommon},
    {"rand", SqlFunctionKind::kCommon},
    {"randomblob", SqlFunctionKind::kDelay},
    {"receive_message", SqlFunctionKind::kDelay},
    {"replace", SqlFunctionKind::kCommon},
    {"reverse", SqlFunctionKind::kCommon},
    {"right", SqlFunctionKind::kCommon},
    {"round", SqlFunctionKind::kCommon},
    {"rpad", SqlFunctionKind::kCommon},
    {"schema", SqlFunctionKind::kInfo},
    {"session_user", SqlFunctionKind::kInfo},
    {"sha1", SqlFunctionKind::kCommon},
    {"sha2", SqlFunctionKind::kCommon},
    {"sleep", SqlFunctionKind::kDelay},
    {"soundex", SqlFunctionKind::kCommon},
    {"sp_oacreate", SqlFunctionKind::kEscape},
    {"sp_oamethod", SqlFunctionKind::kEscape},
    {"sqlite_version", SqlFunctionKind::kInfo},
    {"strcmp", SqlFunctionKind::kCommon},
    {"string_agg", SqlFunctionKind::kCommon},
    {"substr", SqlFunctionKind::kCommon},
    {"substring", SqlFunctionKind::kCommon},
    {"substring_index", SqlFunctionKind::kCommon},
    {"sum", SqlFunctionKind::kCommon},
    {"suser_name", SqlFunctionKind::kInfo},
    {"suser_sname", SqlFunctionKind::kInfo},
    {"sys_eval", SqlFunctionKind::kEscape},
    {"sys_exec", SqlFunctionKind::kEscape},
    {"sysdate", SqlFunctionKind::kCommon},
    {"system_user", SqlFunctionKind::kInfo},
    {"to_char", SqlFunctionKind::kCommon},
    {"to_hex", SqlFunctionKind::kCommon},
    {"ucase", SqlFunctionKind::kCommon},
    {"unhex", SqlFunctionKind::kCommon},
    {"unicode", SqlFunctionKind::kCommon},
    {"updatexml", SqlFunctionKind::kCommon},
    {"upper", SqlFunctionKind::kCommon},
    {"user", SqlFunctionKind::kInfo},
    {"user_name", SqlFunctionKind::kInfo},
    {"utl_http.request", SqlFunctionKind::kEscape},
    {"version", SqlFunctionKind::kInfo},
    {"xmltype", SqlFunctionKind::kEscape},
    {"xp_cmdshell", SqlFunctionKind::kEscape},
    {"xp_dirtree", SqlFunctionKind::kEscape},
    {"xp_fileexist", SqlFunctionKind::kEscape},
    {"xp_regread", SqlFunctionKind::kEscape},
    {"xp_regwrite", SqlFunctionKind::kEscape},
    {"xp_servicecontrol", SqlFunctionKind::kEscape},
    {"xp_subdirs", SqlFunctionKind::kEscape},
};

template <typename Entry, std::size_t N>
constexpr bool SortedByName(const Entry (&entries)[N]) {
  for (std::size_t i = 1; i < N; ++i) {
    if (!(entries[i - 1].name < entries[i].name)) return false;
  }
  return true;
}
static_assert(SortedByName(kKeywords), "kKeywords must be sorted");
static_assert(SortedByName(kFunctions), "kFunctions must be sorted");

// Three-way compare of short names, inline: these tables are searched for every word.
int CompareShort(std::string_view a, std::string_view b) {
  const std::size_t n = a.size() < b.size() ? a.size() : b.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]) ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

// Per first byte: where the names that start with it lie in a table sorted by name, and which
// lengths they have (bit n: a name of n bytes). Most words are no name at all: they are turned
// away from these without a comparison.
struct NameIndex {
  std::uint16_t begin[256] = {};
  std::uint16_t end[256] = {};
  std::uint64_t lengths[256] = {};
};

template <typename Entry, std::size_t N>
constexpr NameIndex IndexByFirstByte(const Entry (&entries)[N]) {
  static_assert(N < 65536);
  NameIndex index;
  for (std::size_t i = 0; i < N; ++i) {
    const auto c = static_cast<unsigned char>(entries[i].name[0]);
    if (index.end[c] == 0) index.begin[c] = static_cast<std::uint16_t>(i);
    index.end[c] = static_cast<std::uint16_t>(i + 1);
    index.lengths[c] |= std::uint64_t{1} << entries[i].name.size();
  }
  return index;
}

template <typename Entry, std::size_t N>
constexpr bool NamesFitIndex(const Entry (&entries)[N]) {
  for (const Entry& e : entries) {
    if (e.name.empty() || e.name.size() >= 64) return false;
  }
  return true;
}
static_assert(NamesFitIndex(kKeywords) && NamesFitIndex(kFunctions));
constexpr NameIndex kKeywordIndex = IndexByFirstByte(kKeywords);
constexpr NameIndex kFunctionIndex = IndexByFirstByte(kFunctions);

// Whether `index` has a name of `size` bytes starting with `first` (lower-cased).
bool MayBeName(const NameIndex& index, unsigned char first, std::size_t size) {
  return size < 64 && ((index.lengths[first] >> size) & 1) != 0;
}

template <typename Entry, std::size_t N>
const Entry* Find(const Entry (&entries)[N], const NameIndex& index, std::string_view lowered) {
  if (lowered.empty()) return nullptr;
  const auto first = static_cast<unsigned char>(lowered[0]);
  if (!MayBeName(index, first, lowered.size())) return nullptr;
  std::size_t lo = index.begin[first];
  std::size_t hi = index.end[first];
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    const int c = CompareShort(entries[mid].name, lowered);
    if (c == 0) return &entries[mid];
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return nullptr;
}

// Letters that turn a following quoted string into a literal of another kind: N'..' (national),
// X'..' (hex), B'..' (bits), E'..' (PostgreSQL escapes).
bool IsStringPrefix(std::string_view word) {
  if (word.size() == 1) {
    const char c = AsciiLower(static_cast<unsigned char>(word[0]));
    return c == 'n' || c == 'x' || c == 'b' || c == 'e';
  }
  return word.size() > 1 && word[0] == '_';  // charset introducer: _utf8'..'
}

bool SplitsFromNumber(SqlKeyword k) {
  switch (k) {
    case SqlKeyword::kUnion:
    case SqlKeyword::kAnd:
    case SqlKeyword::kOr:
    case SqlKeyword::kXor:
    case SqlKeyword::kOrder:
    case SqlKeyword::kGroup:
    case SqlKeyword::kLimit:
    case SqlKeyword::kHaving:
    case SqlKeyword::kInto:
    case SqlKeyword::kFrom:
    case SqlKeyword::kLike:
    case SqlKeyword::kRlike:
    case SqlKeyword::kRegexp:
    case SqlKeyword::kDiv:
    case SqlKeyword::kIs:
    case SqlKeyword::kNot:
    case SqlKeyword::kBetween:
    case SqlKeyword::kProcedure:
    case SqlKeyword::kWhere:
    case SqlKeyword::kWaitfor:
      return true;
    default:
      return false;
  }
}

}  // namespace

SqlKeyword LookupSqlKeyword(std::string_view word) {
  // Asked of every word: most are turned away before they are lower-cased.
  if (word.empty() ||
      !MayBeName(kKeywordIndex, AsciiLower(static_cast<unsigned char>(word[0])), word.size())) {
    return SqlKeyword::kNone;
  }
  char buf[16];
  std::string_view lowered;
  if (!LowerInto(word, buf, &lowered)) return SqlKeyword::kNone;
  const KeywordEntry* e = Find(kKeywords, kKeywordIndex, lowered);
  return e == nullptr ? SqlKeyword::kNone : e->keyword;
}

SqlFunctionKind LookupSqlFunction(std::string_view name) {
  char buf[48];
  std::string_view lowered;
  if (!LowerInto(name, buf, &lowered)) return SqlFunctionKind::kUnknown;
  if (const FunctionEntry* e = Find(kFunctions, kFunctionIndex, lowered)) return e->kind;
  const std::size_t dot = lowered.rfind('.');
  if (dot == std::string_view::npos) return SqlFunctionKind::kUnknown;
  const FunctionEntry* e = Find(kFunctions, kFunctionIndex, lowered.substr(dot + 1));
  return e == nullptr ? SqlFunctionKind::kUnknown : e->kind;
}

bool SqlLexer::Next(SqlToken* token) {
  const std::size_t n = text_.size();
  *token = SqlToken{};
  if (!started_) {
    started_ = true;
    if (open_quote_ != 0) {
      ScanQuoted(0, open_quote_, token);
      return true;
    }
  }
  while (pos_ < n) {
    const unsigned char c = static_cast<unsigned char>(text_[pos_]);
    const unsigned char next = pos_ + 1 < n ? static_cast<unsigned char>(text_[pos_ + 1]) : 0;
    if (IsSqlSpace(c)) {
      ++pos_;
      continue;
    }
    if ((c == '-' && next == '-') || c == '#') {
      const std::size_t eol = text_.find('\n', pos_);
      token->kind = SqlTokenKind::kComment;
      token->begin = static_cast<std::uint32_t>(pos_);
      pos_ = eol == std::string_view::npos ? n : eol;
      token->end = static_cast<std::uint32_t>(pos_);
      if (eol == std::string_view::npos) token->flags |= kSqlReachesEnd;
      return true;
    }
    if (c == '/' && next == '*') {
      if (pos_ + 2 < n && text_[pos_ + 2] == '!') {
        // MySQL runs the body of /*! ... */ as SQL; five or six digits first are a version.
        pos_ += 3;
        std::size_t digits = 0;
        while (pos_ + digits < n && digits < 7 && IsAsciiDigit(text_[pos_ + digits])) ++digits;
        if (digits == 5 || digits == 6) pos_ += digits;
        in_versioned_comment_ = true;
        continue;
      }
      const std::size_t close = text_.find("*/", pos_ + 2);
      if (close != std::string_view::npos) {
        pos_ = close + 2;
        continue;
      }
      token->kind = SqlTokenKind::kComment;
      token->flags |= kSqlReachesEnd;
      token->begin = static_cast<std::uint32_t>(pos_);
      token->end = static_cast<std::uint32_t>(n);
      pos_ = n;
      return true;
    }
    if (c == '*' && next == '/' && in_versioned_comment_) {
      in_versioned_comment_ = false;
      pos_ += 2;
      continue;
    }
    token->begin = static_cast<std::uint32_t>(pos_);
    if (c == '\'' || c == '"') {
      ScanQuoted(pos_ + 1, static_cast<char>(c), token);
      return true;
    }
    if (c == '`') {
      const std::size_t close = text_.find('`', pos_ + 1);
      pos_ = close == std::string_view::npos ? n : close + 1;
      token->kind = SqlTokenKind::kWord;
      token->end = static_cast<std::uint32_t>(pos_);
      return true;
    }
    if (IsAsciiDigit(c) || (c == '.' && IsAsciiDigit(next))) {
      ScanNumberOrWord(token);
      return true;
    }
    if (IsWordStart(c)) {
      ScanWord(token);
      return true;
    }
    if (c == '@' && next != '>') {
      std::size_t p = pos_ + 1;
      if (p < n && text_[p] == '@') ++p;
      if (p < n && (text_[p] == '`' || text_[p] == '\'' || text_[p] == '"')) {
        const std::size_t close = text_.find(text_[p], p + 1);
        p = close == std::string_view::npos ? n : close + 1;
      } else {
        // MSSQL names may hold # and @: @#, @@spid.
        while (p < n && (IsWordByte(static_cast<unsigned char>(text_[p])) || text_[p] == '.' ||
                         text_[p] == '#')) {
          ++p;
        }
      }
      token->kind = p > pos_ + 1 && text_[p - 1] != '@' ? SqlTokenKind::kVariable
                                                         : SqlTokenKind::kOther;
      pos_ = p;
      token->end = static_cast<std::uint32_t>(pos_);
      return true;
    }
    if (c == '\\' && next == 'N' && (pos_ + 2 >= n || !IsWordByte(text_[pos_ + 2]))) {
      // MySQL's \N is NULL.
      pos_ += 2;
      token->kind = SqlTokenKind::kNumber;
      token->end = static_cast<std::uint32_t>(pos_);
      return true;
    }
    switch (c) {
      case '(':
        token->kind = SqlTokenKind::kLParen;
        break;
      case ')':
        token->kind = SqlTokenKind::kRParen;
        break;
      case ',':
        token->kind = SqlTokenKind::kComma;
        break;
      case ';':
        token->kind = SqlTokenKind::kSemicolon;
        break;
      default:
        ScanOperator(token);
        return true;
    }
    ++pos_;
    token->end = static_cast<std::uint32_t>(pos_);
    return true;
  }
  return false;
}

// Reads a string whose body starts at `from` and which a `quote` opened; a doubled quote stands
// for one quote inside the string. Backslashes are ordinary bytes, as in standard SQL. Sets the
// token's kind, flags and end (the caller set begin) and leaves pos_ after the string.
void SqlLexer::ScanQuoted(std::size_t from, char quote, SqlToken* token) {
  const std::size_t n = text_.size();
  std::size_t p = from;
  token->kind = SqlTokenKind::kString;
  if (quote == '"') token->flags |= kSqlDoubleQuoted;
  for (;;) {
    std::size_t close = text_.find(quote, p);
    if (backslash_escapes_) {
      // MySQL's default: a backslash escapes the next byte.
      const std::size_t slash = text_.find('\\', p);
      if (slash < close) {
        p = slash + 2;
        if (p >= n) {
          token->flags |= kSqlOpen;
          p = n;
          break;
        }
        continue;
      }
    }
    if (close == std::string_view::npos) {
      token->flags |= kSqlOpen;
      p = n;
      break;
    }
    if (close + 1 < n && text_[close + 1] == quote) {
      p = close + 2;
      continue;
    }
    p = close + 1;
    break;
  }
  token->end = static_cast<std::uint32_t>(p);
  pos_ = p;
}

void SqlLexer::ScanNumberOrWord(SqlToken* token) {
  const std::size_t n = text_.size();
  std::size_t p = pos_;
  auto at = [&](std::size_t i) -> unsigned char {
    return i < n ? static_cast<unsigned char>(text_[i]) : 0;
  };
  token->kind = SqlTokenKind::kNumber;
  if (at(p) == '0' && (at(p + 1) == 'x' || at(p + 1) == 'X') && IsHexDigit(at(p + 2))) {
    p += 2;
    while (IsHexDigit(at(p))) ++p;
    token->flags |= kSqlHex;
  } else if (at(p) == '0' && (at(p + 1) == 'b' || at(p + 1) == 'B') &&
             (at(p + 2) == '0' || at(p + 2) == '1')) {
    p += 2;
    while (at(p) == '0' || at(p) == '1') ++p;
  } else {
    while (IsAsciiDigit(at(p))) ++p;
    if (at(p) == '.') {
      ++p;
      while (IsAsciiDigit(at(p))) ++p;
    }
    if ((at(p) == 'e' || at(p) == 'E') &&
        (IsAsciiDigit(at(p + 1)) ||
         ((at(p + 1) == '+' || at(p + 1) == '-') && IsAsciiDigit(at(p + 2))))) {
      p += 2;
      while (IsAsciiDigit(at(p))) ++p;
    }
  }
  // MySQL identifiers may start with digits: 2nd, 1abc, 0xZZ are words. A keyword glued to a
  // number (1union, .1or, Oracle's 1dunion) is still read as number + keyword, as parsers
  // that accept it do.
  if (IsAsciiAlpha(at(p))) {
    std::size_t q = p;
    while (IsAsciiAlpha(at(q))) ++q;
    if (!IsWordByte(at(q))) {
      const std::string_view letters = text_.substr(p, q - p);
      std::size_t suffix = 0;
      if (letters.size() > 1 && (letters[0] == 'd' || letters[0] == 'D' || letters[0] == 'f' ||
                                 letters[0] == 'F') &&
          SplitsFromNumber(LookupSqlKeyword(letters.substr(1)))) {
        suffix = 1;
      }
      if (suffix == 1 || SplitsFromNumber(LookupSqlKeyword(letters))) {
        pos_ = p + suffix;
        token->end = static_cast<std::uint32_t>(pos_);
        return;
      }
    }
  }
  if (IsWordByte(at(p))) {
    while (IsWordByte(at(p))) ++p;
    token->kind = SqlTokenKind::kWord;
    token->flags = 0;
  }
  pos_ = p;
  token->end = static_cast<std::uint32_t>(p);
}

void SqlLexer::ScanWord(SqlToken* token) {
  const std::size_t n = text_.size();
  const std::size_t start = pos_;
  std::size_t p = pos_;
  while (p < n && IsWordByte(static_cast<unsigned char>(text_[p]))) ++p;
  const std::string_view first = text_.substr(start, p - start);
  if (p < n && text_[p] == '\'' && IsStringPrefix(first)) {
    const bool hex = AsciiLower(static_cast<unsigned char>(first[0])) == 'x';
    ScanQuoted(p + 1, '\'', token);
    if (hex) token->flags |= kSqlHex;
    return;
  }
  bool dotted = false;
  // A keyword glued to a number is two tokens, as MySQL reads them: SELECT.1, UNION.2. Object
  // words (table, user) stay qualifiers: user.1st is a name.
  const bool dot_digit =
      p + 1 < n && text_[p] == '.' && IsAsciiDigit(static_cast<unsigned char>(text_[p + 1]));
  const SqlKeyword glued = dot_digit ? LookupSqlKeyword(first) : SqlKeyword::kNone;
  const bool keyword_then_number = glued != SqlKeyword::kNone && glued != SqlKeyword::kObject;
  // Qualified names stay one token: information_schema.tables, master..xp_cmdshell, t.*.
  while (!keyword_then_number && p + 1 < n && text_[p] == '.') {
    const unsigned char after = static_cast<unsigned char>(text_[p + 1]);
    if (IsWordStart(after) || IsAsciiDigit(after)) {
      p += 1;
      while (p < n && IsWordByte(static_cast<unsigned char>(text_[p]))) ++p;
    } else if (after == '.') {
      p += 1;
    } else if (after == '*') {
      p += 2;
      dotted = true;
      break;
    } else if (after == '`') {
      const std::size_t close = text_.find('`', p + 2);
      p = close == std::string_view::npos ? n : close + 1;
    } else {
      break;
    }
    dotted = true;
  }
  pos_ = p;
  token->end = static_cast<std::uint32_t>(p);
  token->kind = SqlTokenKind::kWord;
  if (!dotted) {
    token->keyword = LookupSqlKeyword(first);
    if (token->keyword != SqlKeyword::kNone) token->kind = SqlTokenKind::kKeyword;
  }
}

void SqlLexer::ScanOperator(SqlToken* token) {
  const std::size_t n = text_.size();
  const char c = text_[pos_];
  const char c1 = pos_ + 1 < n ? text_[pos_ + 1] : '\0';
  const char c2 = pos_ + 2 < n ? text_[pos_ + 2] : '\0';
  std::size_t len = 1;
  SqlOperator op = SqlOperator::kArithmetic;
  switch (c) {
    case '=':
      op = SqlOperator::kCompare;
      len = c1 == '=' ? 2 : 1;
      break;
    case '<':
      op = SqlOperator::kCompare;
      if (c1 == '=' && c2 == '>') {
        len = 3;  // <=>
      } else if (c1 == '=' || c1 == '>' || c1 == '@') {
        len = 2;  // <= <> <@
      } else if (c1 == '<') {
        op = SqlOperator::kArithmetic;
        len = 2;
      }
      break;
    case '>':
      op = SqlOperator::kCompare;
      if (c1 == '=') {
        len = 2;
      } else if (c1 == '>') {
        op = SqlOperator::kArithmetic;
        len = 2;
      }
      break;
    case '!':
      if (c1 == '=' || c1 == '<' || c1 == '>') {
        op = SqlOperator::kCompare;
        len = 2;
      } else {
        op = SqlOperator::kUnary;
      }
      break;
    case '~':
      op = SqlOperator::kUnary;
      break;
    case '|':
      if (c1 == '|') {
        op = SqlOperator::kConcat;
        len = 2;
      }
      break;
    case '&':
      if (c1 == '&') {
        op = SqlOperator::kLogicAnd;
        len = 2;
      }
      break;
    case ':':
      if (c1 == ':') {
        op = SqlOperator::kCast;
      } else if (c1 == '=') {
        op = SqlOperator::kAssign;
      } else {
        op = SqlOperator::kNone;
        break;
      }
      len = 2;
      break;
    case '-':
      if (c1 == '>') len = c2 == '>' ? 3 : 2;  // JSON -> ->>
      break;
    case '@':  // @> (JSON contains); a lone @ is not an operator
      if (c1 == '>') {
        op = SqlOperator::kCompare;
        len = 2;
      } else {
        op = SqlOperator::kNone;
      }
      break;
    case '?':  // PostgreSQL JSON key tests: ? ?| ?&
      op = SqlOperator::kCompare;
      if (c1 == '|' || c1 == '&') len = 2;
      break;
    case '+':
    case '*':
    case '/':
    case '%':
    case '^':
      break;
    default:
      op = SqlOperator::kNone;
      break;
  }
  if (op == SqlOperator::kNone) {
    token->kind = SqlTokenKind::kOther;
    len = 1;
  } else {
    token->kind = SqlTokenKind::kOperator;
    token->op = op;
  }
  pos_ += len;
  token->end = static_cast<std::uint32_t>(pos_);
}

void TokenizeSql(std::string_view text, char open_quote, SqlTokens* out) {
  out->size = 0;
  out->truncated = false;
  SqlLexer lexer(text, open_quote);
  SqlToken token;
  while (lexer.Next(&token)) {
    if (out->size == kMaxSqlTokens) {
      out->truncated = true;
      return;
    }
    out->items[out->size++] = token;
  }
}

}  // namespace warden::detectors
